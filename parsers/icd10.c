#include "parsers/icd10.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

int icd10_normalise(const char *text, size_t len, char *out, size_t outsz)
{
    char raw[8];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '.')
            continue;
        if (n >= 7 || !isalnum((unsigned char)text[i]))
            return -1;
        raw[n++] = (char)toupper((unsigned char)text[i]);
    }
    if (n < 3 || !isalpha((unsigned char)raw[0]) ||
        !isdigit((unsigned char)raw[1]) || outsz < 9)
        return -1;
    memcpy(out, raw, 3);
    size_t o = 3;
    if (n > 3) {
        out[o++] = '.';
        memcpy(out + o, raw + 3, n - 3);
        o += n - 3;
    }
    out[o] = '\0';
    return 0;
}

static int has_lower(const char *t, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        if (islower((unsigned char)t[i]))
            return 1;
    return 0;
}

/* "ICD-9" shortly before on the same line: the codes after it are ICD-9. */
static int after_icd9(scan *s, size_t start)
{
    const rx *re = patterns_get(s->pat, "icd9_label");
    size_t line = note_line_at(s->n, start);
    size_t a = s->n->lines[line - 1], ov[2];
    if (start - a > 200) /* a bounded look back, even on a 1 MB line */
        a = start - 200;
    return re && rx_find(re, s->rs, s->n->text, start, a, ov, 1) == 1;
}

/* L45, C56, T12L1: adjacent spinal levels written without a hyphen. */
static int spinal_levels(const char *t, const size_t *ov)
{
    char l = (char)toupper((unsigned char)t[ov[0]]);
    if (ov[1] - ov[0] != 3 || !strchr("CTLS", l) || !isdigit((unsigned char)t[ov[0] + 2]))
        return 0;
    return t[ov[0] + 2] - t[ov[0] + 1] == 1;
}

/* What the text around a code says it is instead (see patterns.tsv). */
static int decoy(scan *s, size_t a, size_t b)
{
    const char *t = s->n->text;
    size_t lo = a > 40 ? a - 40 : 0, hi = b + 40 < s->n->len ? b + 40 : s->n->len;
    size_t ov[2];
    const rx *before = patterns_get(s->pat, "icd10_decoy_before");
    const rx *after = patterns_get(s->pat, "icd10_decoy_after");
    if (before && rx_find(before, s->rs, t, a, lo, ov, 1) == 1)
        return 1;
    if (after && rx_find(after, s->rs, t, hi, b, ov, 1) == 1 && ov[0] == b)
        return 1;
    /* P95 R20 T36.6 among vital signs are pulse, breaths and degrees;
     * a longer code (P07.33 beside a birth weight) is none of them. */
    char l = (char)toupper((unsigned char)t[a]);
    const rx *vitals = patterns_get(s->pat, "icd10_vitals");
    /* ... but "No headache (R51)" beside a blood pressure is a code: a
     * vital sign is not put in parentheses alone. */
    int bracketed = a > 0 && t[a - 1] == '(' && b < s->n->len && t[b] == ')';
    if (!bracketed &&
        (((l == 'P' || l == 'R') && b - a == 3) || (l == 'T' && b - a <= 5))) {
        size_t line = note_line_at(s->n, a);
        size_t la = s->n->lines[line - 1];
        size_t lb = line < s->n->nlines ? s->n->lines[line] : s->n->len;
        size_t wa = lo > la ? lo : la, wb = hi < lb ? hi : lb;
        if (vitals && rx_find(vitals, s->rs, t, wb, wa, ov, 1) == 1)
            return 1;
    }
    return 0;
}

/* Is the match at ov (groups: category, dot, dotted tail, undotted tail)
 * an ICD-10-CM code here? */
static int is_code(scan *s, const size_t *ov, unsigned lists)
{
    const char *t = s->n->text;
    size_t a = ov[0], b = ov[1];
    int dotted = ov[4] != SIZE_MAX, undotted_tail = ov[8] != SIZE_MAX;
    if (!lexicon_get(s->lex->icd10_categories, t + ov[2], 3))
        return 0;
    /* Lower case and long undotted codes only where codes are listed
     * (problem or diagnosis lists, code lines): elsewhere "g35x" or
     * "N319" is more likely a word or a number. */
    if (!(lists & (NOTE_SECTION_DX_LIST | NOTE_SECTION_CODE_LIST)) &&
        (undotted_tail || (!dotted && has_lower(t, a, b))))
        return 0;
    /* A letter and four digits is a HCPCS code or an undotted ICD-10
     * one: the code tables decide when only one of them lists it (J1170,
     * G0108 are HCPCS; G8254 is ICD-10), else a code line makes it HCPCS
     * and a diagnosis list ICD-10. */
    if (undotted_tail && ov[9] - ov[8] == 2) {
        int digits = 1;
        for (size_t i = ov[8]; i < ov[9]; i++)
            digits &= isdigit((unsigned char)t[i]) != 0;
        if (digits && isdigit((unsigned char)t[ov[2] + 2])) {
            unsigned as = scan_letter4(s, a);
            if (as == SCAN_AS_HCPCS)
                return 0;
            if (as != SCAN_AS_ICD10 && !(lists & NOTE_SECTION_DX_LIST))
                return 0;
        }
    }
    if (toupper((unsigned char)t[a]) == 'T') {
        const rx *temp = patterns_get(s->pat, "icd10_temp");
        size_t ov2[2];
        if (temp && rx_find(temp, s->rs, t, s->n->len, b, ov2, 1) == 1 && ov2[0] == b)
            return 0;
        /* T36.8C: a temperature with its unit attached */
        char last = (char)toupper((unsigned char)t[b - 1]);
        if (dotted && (last == 'C' || last == 'F') && ov[7] - ov[6] == 2 &&
            isdigit((unsigned char)t[ov[6]]))
            return 0;
    }
    /* Transport-accident codes (V00-V99) all take seven characters; a
     * shorter V code (V71.09) is ICD-9. */
    if (toupper((unsigned char)t[a]) == 'V' && (b - a) != 8)
        return 0;
    if (spinal_levels(t, ov) || decoy(s, a, b))
        return 0;
    return !after_icd9(s, a);
}

void icd10_find(scan *s)
{
    const rx *re = patterns_get(s->pat, "icd10");
    if (!re)
        return;
    size_t pos = 0, ov[10];
    while (rx_find(re, s->rs, s->n->text, s->n->len, pos, ov, 5) == 1) {
        pos = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
        char code[16];
        if (is_code(s, ov, scan_lists_at(s, ov[0])) &&
            icd10_normalise(s->n->text + ov[0], ov[1] - ov[0], code, sizeof code) == 0)
            scan_emit(s, FACT_ICD10, ov[0], ov[1], code);
    }
}
