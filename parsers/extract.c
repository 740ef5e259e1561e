#include "parsers/extract.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context/context.h"
#include "parsers/age.h"
#include "parsers/date.h"
#include "parsers/dose.h"
#include "parsers/icd10.h"
#include "parsers/lexicon.h"
#include "parsers/patterns.h"
#include "parsers/proc.h"
#include "parsers/scale.h"
#include "parsers/scan.h"

/* Each lexicon: its file under data/lexicon/, where it goes, and the
 * macro name patterns.tsv uses for it (NULL: not used in patterns). */
#define LEXICONS(X)                                \
    X(drugs, "drugs.tsv", NULL)                    \
    X(units, "units.tsv", "UNIT")                  \
    X(rates, "rates.tsv", "RATE")                  \
    X(scales, "scales.tsv", "SCALE")               \
    X(months, "months.tsv", "MONTH")               \
    X(relatives, "relatives.txt", "RELATIVE")      \
    X(numbers, "numbers.tsv", "NUMBER")            \
    X(icd10_categories, "icd10_categories.txt", NULL) \
    X(decoys, "code_decoys.txt", "CODE_DECOY")     \
    X(not_doses, "not_doses.txt", NULL)

struct extractor {
    scan_lexicons lex;
    patterns *pat;
    context_rules *ctx;
    codes_set *codes; /* NULL when the tables are not installed */
};

static lexicon *load_lexicon(const char *datadir, const char *file, char *err,
                             size_t errsz)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/data/lexicon/%s", datadir, file);
    return lexicon_load(path, err, errsz);
}

static int load_patterns(extractor *ex, const char *datadir, char *err,
                         size_t errsz)
{
    patterns_macro m[16];
    char *alt[16] = {0};
    size_t nm = 0;
    int ok = 1;
#define MACRO(field, file, macro)                                          \
    if (macro && ok) {                                                     \
        alt[nm] = lexicon_alternation(ex->lex.field);                      \
        ok = alt[nm] != NULL;                                              \
        m[nm].name = macro ? macro : "";                                   \
        m[nm].text = alt[nm];                                              \
        nm++;                                                              \
    }
    LEXICONS(MACRO)
#undef MACRO
    if (ok) {
        char path[4096];
        snprintf(path, sizeof path, "%s/data/lexicon/patterns.tsv", datadir);
        ex->pat = patterns_load(path, m, nm, err, errsz);
    } else {
        snprintf(err, errsz, "out of memory");
    }
    for (size_t i = 0; i < nm; i++)
        free(alt[i]);
    return ex->pat ? 0 : -1;
}

extractor *extract_new(const char *datadir, char *err, size_t errsz)
{
    extractor *ex = calloc(1, sizeof *ex);
    if (!ex) {
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
#define LOAD(field, file, macro)                                           \
    if (!(ex->lex.field = load_lexicon(datadir, file, err, errsz))) {      \
        extract_free(ex);                                                  \
        return NULL;                                                       \
    }
    LEXICONS(LOAD)
#undef LOAD
    if (load_patterns(ex, datadir, err, errsz) < 0 ||
        !(ex->ctx = context_load(datadir, err, errsz))) {
        extract_free(ex);
        return NULL;
    }
    /* The code tables tell E0783 from an undotted ICD-10 code; without
     * them the note's layout alone decides. */
    char cerr[256];
    ex->codes = codes_open(datadir, cerr, sizeof cerr);
    return ex;
}

void extract_free(extractor *ex)
{
    if (!ex)
        return;
#define FREE(field, file, macro) lexicon_free((lexicon *)ex->lex.field);
    LEXICONS(FREE)
#undef FREE
    patterns_free(ex->pat);
    context_free(ex->ctx);
    codes_close(ex->codes);
    free(ex);
}

const struct context_rules *extract_context(const extractor *ex)
{
    return ex->ctx;
}

const patterns *extract_patterns(const extractor *ex)
{
    return ex->pat;
}

/* A trigger's scope is a bounded number of words, so the context engine
 * needs no more of a sentence than a few hundred bytes either side of the
 * fact; clipping (at a blank) keeps a note with thousands of facts in one
 * long "sentence" linear. */
#define CONTEXT_MARGIN 300

static void clip(const char *t, size_t *a, size_t *b, size_t start, size_t end)
{
    if (start - *a > CONTEXT_MARGIN) {
        size_t p = start - CONTEXT_MARGIN;
        while (p < start && t[p] != ' ' && t[p] != '\n' && t[p] != '\t')
            p++;
        *a = p < start ? p + 1 : start;
    }
    if (*b - end > CONTEXT_MARGIN) {
        size_t p = end + CONTEXT_MARGIN;
        while (p > end && t[p] != ' ' && t[p] != '\n' && t[p] != '\t')
            p--;
        *b = p;
    }
}

static void classify(const extractor *ex, const note *n, fact *f)
{
    size_t si = note_sentence_at(n, f->start);
    size_t a, b;
    if (si != (size_t)-1) {
        a = n->sentences[si].start;
        b = n->sentences[si].end;
    } else {
        size_t line = note_line_at(n, f->start);
        a = n->lines[line - 1];
        b = line < n->nlines ? n->lines[line] : n->len;
    }
    if (b < f->end)
        b = f->end;
    const note_section *sec = note_section_at(n, f->start);
    /* A label the section table does not know is part of what the line
     * says ("If seizing: lorazepam 2 mg", "Mother: G35", "Denies: ..."). */
    if (sec && sec->start < a && sec->body <= a &&
        (!note_section_known(sec) || (sec->flags & NOTE_SECTION_ITEM)) &&
        !memchr(n->text + sec->start, '\n', a - sec->start))
        a = sec->start;
    clip(n->text, &a, &b, f->start, f->end);
    f->status = context_classify(ex->ctx, n->text, a, b, f->start, f->end,
                                 sec ? sec->context : NOTE_SECTION_PLAIN,
                                 &f->trigger);
    /* A date is when something happened or is due; what the sentence
     * denies is the finding ("UGI 11/25/92 negative"), never the date. */
    if (f->kind == FACT_DATE && f->status == CTX_NEGATED) {
        f->status = CTX_AFFIRMED;
        f->trigger = NULL;
    }
    /* "was on" says someone was taking a drug; "the seizure was on
     * 04/30/2025" is when it happened. */
    size_t tl = f->trigger ? strlen(f->trigger) : 0;
    if (f->kind == FACT_DATE && f->status == CTX_HISTORICAL && tl > 3 &&
        strcmp(f->trigger + tl - 3, " on") == 0) {
        f->status = CTX_AFFIRMED;
        f->trigger = NULL;
    }
}

int extract_note(const extractor *ex, const note *n, fact_list *out)
{
    return extract_note_kinds(ex, n, EXTRACT_ALL_KINDS, out);
}

/* The finders do not look at each other's facts, so any subset of them
 * finds the same facts of its kinds. */
int extract_note_kinds(const extractor *ex, const note *n, unsigned kinds,
                       fact_list *out)
{
    fact_list mine = {0};
    scan s = {.n = n, .pat = ex->pat, .lex = &ex->lex, .out = &mine, .codes = ex->codes};
    s.rs = rx_scan_new();
    if (!s.rs)
        return -1;
#define WANT(k) (kinds & (1u << (k)))
    if (WANT(FACT_ICD10))
        icd10_find(&s);
    if (WANT(FACT_CPT) || WANT(FACT_HCPCS))
        proc_find(&s);
    if (WANT(FACT_DOSE))
        dose_find(&s);
    if (WANT(FACT_SCALE))
        scale_find(&s);
    if (WANT(FACT_AGE))
        age_find(&s);
    if (WANT(FACT_DATE))
        date_find(&s);
#undef WANT
    int limited = rx_scan_limit_hits(s.rs) > 0;
    rx_scan_free(s.rs);
    fact_list_sort(&mine);
    int rc = (s.oom || limited) ? -1 : 0;
    for (size_t i = 0; i < mine.n; i++) {
        if (!(kinds & (1u << mine.v[i].kind)))
            continue; /* a finder of two kinds (proc: CPT and HCPCS) */
        classify(ex, n, &mine.v[i]);
        if (mine.v[i].kind == FACT_AGE && mine.v[i].status == CTX_FAMILY)
            continue; /* a relative's age is no fact ("Brother: healthy 41-year-old") */
        if (fact_list_push(out, &mine.v[i]) < 0)
            rc = -1;
    }
    fact_list_free(&mine);
    fact_list_sort(out);
    return rc;
}
