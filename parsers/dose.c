#include "parsers/dose.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* How far from an amount its drug may be named (within the sentence). */
#define DRUG_WINDOW 300
/* How far from a volume the words that say it is no drug's may be. */
#define WORD_WINDOW 200

typedef struct {
    size_t start, end; /* SIZE_MAX when none */
    const char *generic;
} drug_ref;

typedef struct {
    drug_ref *v;
    size_t n, cap;
} refs;

/* What one dose_find() call keeps: every drug name and every "not a
 * drug's volume" word of the note, found once, in order, so that each
 * dose looks up its neighbours instead of re-reading its sentence (a note
 * of a thousand doses in one paragraph stays linear). */
typedef struct {
    scan *s;
    int ready;
    refs drugs, stops;
} dose_state;

static int word_start(const char *t, size_t len, size_t i, size_t lo)
{
    return scan_word_char(t, len, i) && (i == lo || !scan_word_char(t, len, i - 1));
}

static void collect(scan *s, const lexicon *l, refs *r)
{
    const char *t = s->n->text;
    size_t len = s->n->len;
    for (size_t i = 0; i < len; i++) {
        if (!word_start(t, len, i, 0))
            continue;
        const char *g;
        size_t m = lexicon_match_at(l, t, len, i, &g);
        if (!m)
            continue;
        if (r->n == r->cap) {
            size_t cap = r->cap ? r->cap * 2 : 64;
            drug_ref *v = realloc(r->v, cap * sizeof *v);
            if (!v) {
                s->oom = 1;
                return;
            }
            r->v = v;
            r->cap = cap;
        }
        r->v[r->n++] = (drug_ref){i, i + m, g};
        i += m - 1;
    }
}

static void ready(dose_state *st)
{
    if (st->ready)
        return;
    st->ready = 1;
    collect(st->s, st->s->lex->drugs, &st->drugs);
    collect(st->s, st->s->lex->not_doses, &st->stops);
}

/* Index of the first ref starting at or after off. */
static size_t first_at(const refs *r, size_t off)
{
    size_t lo = 0, hi = r->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->v[mid].start < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The drug named nearest before `before` and the first after `after`
 * within [lo, hi). */
static void drugs_around(const dose_state *st, size_t lo, size_t hi, size_t before,
                         size_t after, drug_ref *prev, drug_ref *next)
{
    const refs *r = &st->drugs;
    prev->start = next->start = SIZE_MAX;
    for (size_t i = first_at(r, lo); i < r->n && r->v[i].start < hi; i++) {
        if (r->v[i].end <= before) {
            *prev = r->v[i];
        } else if (r->v[i].start >= after) {
            *next = r->v[i];
            break;
        }
    }
}

/* Is there another amount with a unit in text[a,b)? */
static int dose_between(scan *s, size_t a, size_t b)
{
    const rx *re = patterns_get(s->pat, "dose");
    size_t ov[2];
    return a < b && rx_find(re, s->rs, s->n->text, b, a, ov, 1) == 1;
}

static const char *drug_for(dose_state *st, note_span sp, size_t a, size_t b)
{
    scan *s = st->s;
    size_t lo = scan_with_header(s, sp.start), hi = sp.end;
    if (a - lo > DRUG_WINDOW)
        lo = a - DRUG_WINDOW;
    if (hi - b > DRUG_WINDOW)
        hi = b + DRUG_WINDOW;
    drug_ref prev = {SIZE_MAX, SIZE_MAX, NULL}, next = prev;
    drugs_around(st, lo, hi, a, b, &prev, &next);
    /* "75 mcg of baclofen", "50 mcg intrathecal baclofen": a drug right
     * after the amount is its drug. */
    const rx *of = patterns_get(s->pat, "dose_of");
    size_t ov[2];
    int adjacent = 0, has_of = 0;
    if (next.start != SIZE_MAX && of &&
        rx_find(of, s->rs, s->n->text, hi, b, ov, 1) == 1 && ov[0] == b &&
        next.start <= ov[1]) {
        /* the drug may begin among the words ("of intrathecal baclofen"
         * names the drug "intrathecal baclofen") */
        adjacent = 1;
        for (size_t i = b; i + 2 <= ov[1]; i++)
            if (strncasecmp(s->n->text + i, "of", 2) == 0 &&
                !scan_word_char(s->n->text, hi, i + 2) &&
                (i == b || !scan_word_char(s->n->text, hi, i - 1)))
                has_of = 1;
    }
    if (adjacent && has_of)
        return next.generic;
    const rx *solution = patterns_get(s->pat, "dose_solution_of");
    if (next.start != SIZE_MAX && solution &&
        rx_find(solution, s->rs, s->n->text, hi, b, ov, 1) == 1 && ov[0] == b &&
        ov[1] == next.start)
        return next.generic;
    if (prev.start != SIZE_MAX && !dose_between(s, prev.end, a))
        return prev.generic;
    if (adjacent)
        return next.generic;
    /* Past another amount, a drug is this one's only when nothing names
     * another drug in between: no unknown drug right before the amount
     * ("Lipitor 10 mg daily; Actonel 35 mg"), no "of" something else
     * after it ("5 g of talc"). */
    const char *t = s->n->text;
    size_t uv[2], wlo = a > 40 ? a - 40 : lo;
    const rx *unknown = patterns_get(s->pat, "dose_unknown_drug_before");
    const rx *of_other = patterns_get(s->pat, "dose_of_unknown");
    if ((unknown && rx_find(unknown, s->rs, t, a, wlo < lo ? lo : wlo, uv, 1) == 1) ||
        (of_other && rx_find(of_other, s->rs, t, hi, b, uv, 1) == 1 && uv[0] == b))
        return "-";
    if (prev.start != SIZE_MAX)
        return prev.generic;
    if (next.start != SIZE_MAX)
        return next.generic;
    return "-";
}

/* Volumes and units that are not a drug's: blood loss, urine, fluids,
 * blood products; a pump's capacity or model. */
static int not_a_dose(dose_state *st, note_span sp, size_t a, size_t b, const char *unit)
{
    scan *s = st->s;
    const char *t = s->n->text;
    const rx *per = patterns_get(s->pat, "dose_per_other");
    size_t pv[2];
    if (per && rx_find(per, s->rs, t, sp.end, b, pv, 1) == 1 && pv[0] == b)
        return 1;
    if (strcmp(unit, "mL") && strcmp(unit, "units"))
        return 0;
    const rx *other = patterns_get(s->pat, "dose_of_other");
    if (other && rx_find(other, s->rs, t, sp.end, b, pv, 1) == 1 && pv[0] == b)
        return 1;
    const rx *billing = patterns_get(s->pat, "dose_billing_before");
    size_t bv[2], blo = a > 16 ? a - 16 : 0;
    if (billing && rx_find(billing, s->rs, t, a, blo < sp.start ? sp.start : blo, bv, 1) == 1)
        return 1;
    /* the header counts: "ESTIMATED BLOOD LOSS: 200 mL"; a pump refill's
     * sentence ("residual fluid aspirated") is exempt */
    size_t lo = scan_with_header(s, sp.start), hi = sp.end;
    if (a - lo > WORD_WINDOW)
        lo = a - WORD_WINDOW;
    if (hi - b > WORD_WINDOW)
        hi = b + WORD_WINDOW;
    const rx *pump = patterns_get(s->pat, "dose_pump_context");
    if (!(pump && rx_find(pump, s->rs, t, hi, lo, pv, 1) == 1)) {
        size_t i = first_at(&st->stops, lo);
        if (i < st->stops.n && st->stops.v[i].start < hi)
            return 1;
    }
    if (strcmp(unit, "mL"))
        return 0;
    const rx *after = patterns_get(s->pat, "dose_capacity_after");
    const rx *before = patterns_get(s->pat, "dose_capacity_before");
    size_t ov[2];
    if (after && rx_find(after, s->rs, t, sp.end, b, ov, 1) == 1 && ov[0] == b)
        return 1;
    size_t near = a - sp.start > 60 ? a - 60 : sp.start;
    return before && rx_find(before, s->rs, t, a, near, ov, 1) == 1;
}

/* A drug the lexicon does not know, named right before the amount by a
 * generic name's stem (see dose_generic_before in patterns.tsv). */
static int generic_before(scan *s, note_span sp, size_t a, char *out, size_t outsz)
{
    const rx *re = patterns_get(s->pat, "dose_generic_before");
    size_t ov[4], lo = a > 48 ? a - 48 : 0;
    if (lo < sp.start)
        lo = sp.start;
    if (!re || rx_find(re, s->rs, s->n->text, a, lo, ov, 2) != 1 || ov[3] - ov[2] >= outsz)
        return 0;
    for (size_t i = ov[2]; i < ov[3]; i++)
        out[i - ov[2]] = (char)tolower((unsigned char)s->n->text[i]);
    out[ov[3] - ov[2]] = '\0';
    return 1;
}

static void emit(scan *s, size_t a, size_t b, size_t na, size_t nb,
                 const char *drug, const char *unit, const char *rate)
{
    char num[32], value[FACT_VALUE_MAX];
    const char *word = NULL;
    if (isalpha((unsigned char)s->n->text[na]))
        word = scan_lookup(s->lex->numbers, s->n->text, na, nb); /* "fifty" */
    if (word)
        snprintf(num, sizeof num, "%s", word);
    else
        scan_number(s->n->text, na, nb, num, sizeof num);
    snprintf(value, sizeof value, "%s %s %s%s", drug, num, unit, rate ? rate : "");
    scan_emit(s, FACT_DOSE, a, b, value);
}

static void one(dose_state *st, const size_t *ov)
{
    scan *s = st->s;
    const char *t = s->n->text;
    /* "22G" is a needle gauge; grams are written in lower case. */
    if (ov[7] - ov[6] == 1 && t[ov[6]] == 'G')
        return;
    const char *unit = scan_lookup(s->lex->units, t, ov[6], ov[7]);
    const char *rate = ov[8] != SIZE_MAX ? scan_lookup(s->lex->rates, t, ov[8], ov[9]) : NULL;
    if (!unit)
        return;
    if (rate && strcmp(rate, "/mL") == 0 && strcmp(unit, "mL") == 0)
        return;
    note_span sp = scan_sentence(s, ov[0]);
    if (sp.end < ov[1])
        sp.end = ov[1];
    ready(st);
    if (not_a_dose(st, sp, ov[0], ov[1], unit))
        return;
    const char *drug = drug_for(st, sp, ov[0], ov[1]);
    char named[FACT_VALUE_MAX / 2];
    if (strcmp(drug, "-") == 0 && generic_before(s, sp, ov[0], named, sizeof named))
        drug = named;
    /* With no drug: an amount in words is no dose ("retrieved as one
     * unit", where "fifty micrograms of baclofen" is); grams are an
     * organ's or a specimen's weight; an amount after a lab's name is its
     * value. */
    if (strcmp(drug, "-") == 0) {
        if (isalpha((unsigned char)t[ov[2]]))
            return;
        const rx *lab = patterns_get(s->pat, "dose_lab_before");
        size_t lv[2], llo = ov[0] > 40 ? ov[0] - 40 : 0;
        if (strcmp(unit, "g") == 0 ||
            (lab && rx_find(lab, s->rs, t, ov[0], llo < sp.start ? sp.start : llo, lv, 1) == 1))
            return;
        const rx *handled = patterns_get(s->pat, "dose_drug_handling");
        if (strcmp(unit, "mL") == 0 && handled &&
            rx_find(handled, s->rs, t, sp.end, scan_with_header(s, sp.start), lv, 1) != 1)
            return;
    }
    /* "hydrocodone 10-325 mg" is a combination's strengths, not a range:
     * the first is the named drug's. */
    if (ov[4] != SIZE_MAX && strtod(t + ov[4], NULL) > 10 * strtod(t + ov[2], NULL)) {
        emit(s, ov[0], ov[1], ov[2], ov[3], drug, unit, rate);
    } else if (ov[4] != SIZE_MAX) { /* a range: each end is a dose */
        emit(s, ov[2], ov[3], ov[2], ov[3], drug, unit, rate);
        emit(s, ov[4], ov[1], ov[4], ov[5], drug, unit, rate);
    } else {
        emit(s, ov[0], ov[1], ov[2], ov[3], drug, unit, rate);
    }
}

void dose_find(scan *s)
{
    const rx *re = patterns_get(s->pat, "dose");
    dose_state st = {.s = s};
    size_t pos = 0, ov[10];
    while (re && rx_find(re, s->rs, s->n->text, s->n->len, pos, ov, 5) == 1) {
        pos = ov[1];
        one(&st, ov);
    }
    free(st.drugs.v);
    free(st.stops.v);
}
