#include "parsers/proc.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

/* How far back a decoy label ("zip", "MRN", "phone") may stand. */
#define DECOY_WINDOW 40

static size_t line_start(const scan *s, size_t off)
{
    return s->n->lines[note_line_at(s->n, off) - 1];
}

/* A number that the words just before it, or a unit just after it, say
 * is an identifier, an address, a phone number or a measurement. */
static int decoy(scan *s, size_t a, size_t b, int five_digits)
{
    const char *t = s->n->text;
    size_t lo = line_start(s, a);
    if (a - lo > DECOY_WINDOW)
        lo = a - DECOY_WINDOW;
    const rx *before = patterns_get(s->pat, "code_decoy_before");
    const rx *after = patterns_get(s->pat, "code_unit_after");
    size_t ov[2];
    if (before && rx_find(before, s->rs, t, a, lo, ov, 1) == 1)
        return 1;
    const rx *zip = five_digits ? patterns_get(s->pat, "code_zip_before") : NULL;
    if (zip && rx_find(zip, s->rs, t, a, lo, ov, 1) == 1)
        return 1;
    if (after && rx_find(after, s->rs, t, s->n->len, b, ov, 1) == 1 && ov[0] == b)
        return 1;
    return 0;
}

/* CPT codes: Category I (cpt5: five digits) and Categories II and III
 * (cpt23: four digits and F or T). */
static void find_cpt(scan *s, const char *pattern)
{
    const rx *re = patterns_get(s->pat, pattern);
    size_t pos = 0, ov[4];
    while (re && rx_find(re, s->rs, s->n->text, s->n->len, pos, ov, 2) == 1) {
        pos = ov[1];
        /* Category III codes all start with 0 (0042T..0999T). */
        if (ov[3] - ov[2] == 5 && s->n->text[ov[2] + 4] == 'T' && s->n->text[ov[2]] != '0')
            continue;
        if (decoy(s, ov[2], ov[3], ov[3] - ov[2] == 5 && isdigit((unsigned char)s->n->text[ov[2] + 4])))
            continue;
        char code[8];
        memcpy(code, s->n->text + ov[2], 5);
        code[5] = '\0';
        scan_emit(s, FACT_CPT, ov[2], ov[3], code);
    }
}

static void find_hcpcs(scan *s)
{
    const rx *re = patterns_get(s->pat, "hcpcs");
    size_t pos = 0, ov[4];
    while (re && rx_find(re, s->rs, s->n->text, s->n->len, pos, ov, 2) == 1) {
        pos = ov[1];
        /* A letter and four digits that only ICD-10-CM lists (G8254), or
         * that both list and stands in a problem or diagnosis list, is an
         * undotted ICD-10 code, found by the ICD-10 parser. */
        unsigned as = scan_letter4(s, ov[2]);
        unsigned lists = scan_lists_at(s, ov[2]);
        if ((as == SCAN_AS_ICD10 && (lists & (NOTE_SECTION_DX_LIST | NOTE_SECTION_CODE_LIST))) ||
            (as != SCAN_AS_HCPCS && (lists & NOTE_SECTION_DX_LIST)))
            continue;
        if (decoy(s, ov[2], ov[3], 0))
            continue;
        char code[8];
        for (int i = 0; i < 5; i++)
            code[i] = (char)toupper((unsigned char)s->n->text[ov[2] + (size_t)i]);
        code[5] = '\0';
        scan_emit(s, FACT_HCPCS, ov[2], ov[3], code);
    }
}

void proc_find(scan *s)
{
    find_cpt(s, "cpt5");
    find_cpt(s, "cpt23");
    find_hcpcs(s);
}
