#include "parsers/scale.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The score text[a,b) on scale name, normalised ("1+", "4"), or -1 when
 * it is not a score that scale has. */
static int score(const char *name, const char *t, size_t a, size_t b,
                 char *out, size_t outsz)
{
    static const char *const roman[] = {"i", "ii", "iii", "iv", "v"};
    int gmfcs = strcmp(name, "gmfcs") == 0;
    if (isalpha((unsigned char)t[a])) {
        if (!gmfcs)
            return -1;
        for (int i = 0; i < 5; i++)
            if (strlen(roman[i]) == b - a && strncasecmp(t + a, roman[i], b - a) == 0) {
                snprintf(out, outsz, "%d", i + 1);
                return 0;
            }
        return -1;
    }
    int v = t[a] - '0', plus = b - a == 2 && t[a + 1] == '+';
    if (gmfcs)
        return (v >= 1 && v <= 5 && !plus) ? (snprintf(out, outsz, "%d", v), 0) : -1;
    if (v < 0 || v > 4 || (plus && v != 1))
        return -1;
    snprintf(out, outsz, "%d%s", v, plus ? "+" : "");
    return 0;
}

/* "MAS R elbow 2, L elbow 1+", "Penn 2 (was 4)", a table row's next
 * columns: further scores. */
static void more_scores(scan *s, const char *scale, size_t start, size_t *pos)
{
    const rx *more = patterns_get(s->pat, "scale_more");
    const char *t = s->n->text;
    size_t mv[10];
    (void)start;
    while (more && rx_find(more, s->rs, t, s->n->len, *pos, mv, 5) == 1 && mv[0] == *pos) {
        char sc[8], value[FACT_VALUE_MAX];
        int g = 1;
        while (g < 4 && mv[2 * g] == SIZE_MAX)
            g++;
        size_t a = mv[2 * g], b = mv[2 * g + 1];
        if (score(scale, t, a, b, sc, sizeof sc) < 0)
            break;
        snprintf(value, sizeof value, "%s %s", scale, sc);
        scan_emit(s, FACT_SCALE, a, b, value);
        *pos = mv[1];
    }
}

static void named_scales(scan *s)
{
    const rx *name = patterns_get(s->pat, "scale_name");
    const rx *val = patterns_get(s->pat, "scale_value");
    const rx *boxes = patterns_get(s->pat, "scale_boxes");
    const char *t = s->n->text;
    size_t pos = 0, ov[4], vv[6];
    while (name && val && rx_find(name, s->rs, t, s->n->len, pos, ov, 2) == 1) {
        pos = ov[1];
        const char *scale = scan_lookup(s->lex->scales, t, ov[2], ov[3]);
        if (!scale)
            continue;
        if (boxes && rx_find(boxes, s->rs, t, s->n->len, ov[1], vv, 2) == 1 &&
            vv[0] == ov[1]) {
            char sc[8], value[FACT_VALUE_MAX];
            if (score(scale, t, vv[2], vv[3], sc, sizeof sc) == 0) {
                snprintf(value, sizeof value, "%s %s", scale, sc);
                scan_emit(s, FACT_SCALE, vv[2], vv[3], value);
            }
            pos = vv[1];
            continue;
        }
        if (rx_find(val, s->rs, t, s->n->len, ov[1], vv, 3) != 1 || vv[0] != ov[1])
            continue;
        char sc[8], value[FACT_VALUE_MAX];
        if (score(scale, t, vv[2], vv[3], sc, sizeof sc) == 0) {
            snprintf(value, sizeof value, "%s %s", scale, sc);
            scan_emit(s, FACT_SCALE, ov[0], vv[3], value);
        }
        /* "Ashworth fell from 4 to 2": each score is a fact. */
        if (vv[4] != SIZE_MAX && score(scale, t, vv[4], vv[5], sc, sizeof sc) == 0) {
            snprintf(value, sizeof value, "%s %s", scale, sc);
            scan_emit(s, FACT_SCALE, vv[4], vv[5], value);
        }
        pos = vv[1];
        more_scores(s, scale, ov[0], &pos);
    }
}

static void emit_pain(scan *s, size_t a, size_t b, size_t na, size_t nb)
{
    char num[16], value[FACT_VALUE_MAX];
    scan_number(s->n->text, na, nb, num, sizeof num);
    if (strtod(num, NULL) > 10)
        return; /* not out of ten */
    snprintf(value, sizeof value, "pain %s", num);
    scan_emit(s, FACT_SCALE, a, b, value);
}

/* A labelled score with no "/10": "pain score 3", "VAS 7". */
static void pain_labelled(scan *s)
{
    const rx *re = patterns_get(s->pat, "pain_label");
    const rx *word = patterns_get(s->pat, "pain_label_word");
    size_t pos = 0, ov[4], w[2];
    while (re && word && rx_find(re, s->rs, s->n->text, s->n->len, pos, ov, 2) == 1) {
        pos = ov[1];
        if (rx_find(word, s->rs, s->n->text, ov[2], ov[0], w, 1) == 1)
            emit_pain(s, ov[0], ov[1], ov[2], ov[3]);
    }
}

/* The lines of the block (no empty line between) above the line holding
 * off, within TABLE_ROWS lines: a table's header row and its caption. */
#define TABLE_ROWS 15
static int block_above(const note *n, size_t off, size_t *hs, size_t *he)
{
    size_t li = note_line_at(n, off) - 1, k = li;
    for (size_t up = 0; k > 0 && up < TABLE_ROWS; up++) {
        size_t a = n->lines[k - 1], b = n->lines[k];
        while (a < b && isspace((unsigned char)n->text[a]))
            a++;
        if (a == b)
            break;
        k--;
    }
    if (k == li)
        return 0;
    *hs = n->lines[k];
    *he = n->lines[li]; /* the block's lines above the row: "Trial diary:" over
                          * "| Day | Pain (VAS) |" */
    return 1;
}

/* Whether the line holding off is a table's row: cells apart by a pipe, a
 * tab or a wide gap ("| 3   | 4/10 |", "Day 3     4/10"). */
static int table_row(const note *n, size_t off)
{
    size_t li = note_line_at(n, off) - 1;
    size_t a = n->lines[li], b = li + 1 < n->nlines ? n->lines[li + 1] : n->len;
    while (a < b && (n->text[a] == ' ' || n->text[a] == '\t'))
        a++;
    for (size_t i = a; i + 2 < b; i++)
        if (n->text[i] == '|' || n->text[i] == '\t' ||
            (n->text[i] == ' ' && n->text[i + 1] == ' ' && n->text[i + 2] == ' '))
            return 1;
    return 0;
}

/* Every score out of ten in a sentence about pain, or in a table whose
 * header row names it ("Day  Bolus  Pain (NRS)  Side effects"). */
#define PAIN_WINDOW 300
static void pain_fractions(scan *s)
{
    const rx *re = patterns_get(s->pat, "pain_frac");
    const rx *ctx = patterns_get(s->pat, "pain_context");
    size_t pos = 0, ov[4], c[2];
    while (re && ctx && rx_find(re, s->rs, s->n->text, s->n->len, pos, ov, 2) == 1) {
        pos = ov[1];
        /* the sentence (and its header), at most PAIN_WINDOW either side */
        note_span sp = scan_sentence(s, ov[0]);
        size_t lo = scan_with_header(s, sp.start), hi = sp.end > ov[1] ? sp.end : ov[1];
        if (ov[0] - lo > PAIN_WINDOW)
            lo = ov[0] - PAIN_WINDOW;
        if (hi - ov[1] > PAIN_WINDOW)
            hi = ov[1] + PAIN_WINDOW;
        size_t hs, he;
        if (rx_find(ctx, s->rs, s->n->text, hi, lo, c, 1) == 1 ||
            (table_row(s->n, ov[0]) && block_above(s->n, ov[0], &hs, &he) &&
             rx_find(ctx, s->rs, s->n->text, he, hs, c, 1) == 1))
            emit_pain(s, ov[0], ov[1], ov[2], ov[3]);
    }
}

void scale_find(scan *s)
{
    named_scales(s);
    pain_labelled(s);
    pain_fractions(s);
}
