/* Hostile notes: huge lines and text built to make patterns backtrack.
 * Each must finish with the facts after the hostile part still found (no
 * timing here: bench/extract.sh measures speed). */
#include <stdlib.h>

#include "tests/unit/extract_test.h"

TestSuite(hostile, .init = ex_setup, .fini = ex_teardown);

/* unit repeated to about size bytes, then tail. */
static char *build(const char *unit, size_t size, const char *tail)
{
    size_t ul = strlen(unit), tl = strlen(tail), n = size / ul;
    char *s = malloc(n * ul + tl + 1);
    cr_assert_not_null(s);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * ul, unit, ul);
    memcpy(s + n * ul, tail, tl + 1);
    return s;
}

static void survives(const char *unit, size_t size)
{
    char *s = build(unit, size, "\nMS (G35). Baclofen 10 mg TID. 49-year-old.\n");
    note *n;
    char err[256];
    cr_assert_eq(note_load_mem("t", s, strlen(s), NULL, &n, err, sizeof err), 0, "%s", err);
    fact_list fl = {0};
    extract_note(ex, n, &fl); /* -1 allowed: a pattern hit its limit */
    int code = 0, dose = 0, age = 0;
    for (size_t i = 0; i < fl.n; i++) {
        code |= fl.v[i].kind == FACT_ICD10 && strcmp(fl.v[i].value, "G35") == 0;
        dose |= fl.v[i].kind == FACT_DOSE && strcmp(fl.v[i].value, "baclofen 10 mg") == 0;
        age |= fl.v[i].kind == FACT_AGE && strcmp(fl.v[i].value, "age 49") == 0;
        cr_assert(fl.v[i].end <= n->len && fl.v[i].start < fl.v[i].end);
    }
    cr_assert(code && dose && age, "facts after '%s' x %zu were lost", unit, size / strlen(unit));
    fact_list_free(&fl);
    note_free(n);
    free(s);
}

Test(hostile, one_megabyte_single_line_of_words)
{
    survives("word ", (size_t)1 << 20);
}

Test(hostile, one_megabyte_of_digits)
{
    survives("1", (size_t)1 << 20);
}

Test(hostile, thousands_separators_without_end)
{
    survives("1,000,", 300000);
}

Test(hostile, ranges_and_units_without_end)
{
    survives("1 - 2 to 3 - ", 300000);
    survives("10 mg 10 mg/", 300000);
}

Test(hostile, dates_and_fractions_without_end)
{
    survives("1/1/1/", 300000);
    survives("10/10/", 300000);
}

Test(hostile, scale_words_without_a_score)
{
    survives("Ashworth score of from ", 300000);
    survives("pain score ", 300000);
}

Test(hostile, code_shapes_without_end)
{
    survives("A1A1A1A1", 300000);
    survives("G35.", 300000);
    survives("Z99.9999", 300000);
}

Test(hostile, drug_words_and_of_chains)
{
    survives("of of baclofen ", 300000);
    survives("baclofen ", 300000);
}

Test(hostile, no_sentence_ends)
{
    survives("Dr. ", 300000);
    survives("y.o. ", 300000);
    survives("HEADER: ,", 300000);
}

Test(hostile, thousands_of_facts_in_one_paragraph)
{
    survives("1 mL ", 100000);
    survives("pain 5/10 ", 100000);
    survives("baclofen 10 mg ", 100000);
}

Test(hostile, escape_sequences_and_latin1)
{
    survives("\x1b[31m red \x1b[0m text ", 100000);
    survives("caf\xc3\xa9 ", 100000);
}

/* Parsers look at windows a fixed number of bytes around a match; in
 * UTF-8 text those windows start and end inside characters. */
Test(hostile, windows_inside_multibyte_characters)
{
    for (int shift = 0; shift < 4; shift++) {
        char text[1024];
        size_t o = 0;
        for (int i = 0; i < shift; i++)
            text[o++] = 'x';
        for (int i = 0; i < 60; i++)
            o += (size_t)snprintf(text + o, sizeof text - o, "%s", i % 2 ? "\xc3\xa9" : "\xe2\x82\xac");
        snprintf(text + o, sizeof text - o, " 62369, T36.6 baclofen 10 mg, 49-year-old, "
                 "pain 5/10 \xe2\x82\xac\xe2\x82\xac G35 \xc3\xa9\xc3\xa9\xc3\xa9");
        char got[1024];
        ex_run(text, got, sizeof got);
        cr_assert(strstr(got, "cpt 62369") && strstr(got, "dose baclofen 10 mg") &&
                      strstr(got, "age age 49") && strstr(got, "icd10 G35"),
                  "shift %d: %s", shift, got);
    }
}
