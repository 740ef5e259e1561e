#include <strings.h>
#include <ctype.h>
#include "parsers/age.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How far back "at", "since" or a relative may stand. */
#define BEFORE_WINDOW 40

/* An age at an event ("at age 18") or a relative's ("mother is 72 years
 * old", "his 5-year-old son") is not the patient's age now. */
static int not_current(scan *s, size_t a, size_t b)
{
    const char *t = s->n->text;
    note_span sp = scan_sentence(s, a);
    size_t lo = sp.start < a ? sp.start : a;
    if (a - lo > BEFORE_WINDOW)
        lo = a - BEFORE_WINDOW;
    const char *names[] = {"age_event_before", "age_relative_before"};
    size_t ov[2];
    for (int i = 0; i < 2; i++) {
        const rx *re = patterns_get(s->pat, names[i]);
        if (re && rx_find(re, s->rs, t, a, lo, ov, 1) == 1)
            return 1;
    }
    const rx *possessed = patterns_get(s->pat, "age_possessed");
    if (possessed && rx_find(possessed, s->rs, t, a, lo, ov, 1) == 1)
        return 1;
    size_t hi = sp.end > b ? sp.end : b;
    const char *pairs[][2] = {{"age_relative_after", "age_relative_owner"},
                              {"age_child_after", "age_child_owner"}};
    for (int i = 0; i < 2; i++) {
        const rx *after = patterns_get(s->pat, pairs[i][0]);
        const rx *owner = patterns_get(s->pat, pairs[i][1]);
        if (after && owner && rx_find(after, s->rs, t, hi, b, ov, 1) == 1 && ov[0] == b &&
            rx_find(owner, s->rs, t, a, lo, ov, 1) == 1)
            return 1;
    }
    return 0;
}

/* "Father died of cancer, age 80": the label forms are looser, so their
 * clause is searched further back. */
static int label_not_current(scan *s, size_t a)
{
    const rx *re = patterns_get(s->pat, "age_label_not_current");
    note_span sp = scan_sentence(s, a);
    size_t lo = sp.start < a ? sp.start : a, ov[2];
    if (a - lo > 100)
        lo = a - 100;
    return re && rx_find(re, s->rs, s->n->text, a, lo, ov, 1) == 1;
}

/* The months of "1-year-10-month-old" in text[a, b), or -1. */
static long months_in(const char *t, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        if (isdigit((unsigned char)t[i])) {
            char *end;
            long m = strtol(t + i, &end, 10);
            while (*end == ' ' || *end == '-')
                end++;
            /* "10 months", "6 mo", "6 m" (only ending the match) */
            if (strncasecmp(end, "mo", 2) == 0 ||
                ((*end | 0x20) == 'm' && end + 1 == t + b))
                return m;
            return -1;
        }
    return -1;
}

static void years(scan *s)
{
    const rx *re = patterns_get(s->pat, "age");
    size_t pos = 0, ov[16];
    while (re && rx_find(re, s->rs, s->n->text, s->n->len, pos, ov, 8) == 1) {
        pos = ov[1];
        size_t g = 1;
        while (g < 8 && (g == 2 || ov[2 * g] == SIZE_MAX))
            g++;
        if (g == 8)
            continue;
        long y = strtol(s->n->text + ov[2 * g], NULL, 10);
        if (y > 120 || not_current(s, ov[0], ov[1]))
            continue;
        if ((g == 4 || g == 5) && label_not_current(s, ov[0]))
            continue;
        char value[32];
        /* "1-year-10-month-old": under two, the months count */
        long mo = (g == 1 || g == 7) && y < 2 ? months_in(s->n->text, ov[2 * g + 1], ov[1]) : -1;
        /* "1-1/2-year-old": under two, the half year counts */
        if (mo > 0 && mo < 12)
            snprintf(value, sizeof value, "age %.1f", y + mo / 12.0);
        else if (g == 1 && ov[4] != SIZE_MAX && y < 2)
            snprintf(value, sizeof value, "age %ld.5", y);
        else
            snprintf(value, sizeof value, "age %ld", y);
        scan_emit(s, FACT_AGE, ov[0], ov[1], value);
    }
}

/* "DOB 06/22/2016 (9 y)": the years in parentheses. */
static void in_parens(scan *s)
{
    const rx *re = patterns_get(s->pat, "age_paren");
    size_t pos = 0, ov[4];
    while (re && rx_find(re, s->rs, s->n->text, s->n->len, pos, ov, 2) == 1) {
        pos = ov[1];
        long y = strtol(s->n->text + ov[2], NULL, 10);
        if (y > 120 || not_current(s, ov[0], ov[1]))
            continue;
        char value[32];
        snprintf(value, sizeof value, "age %ld", y);
        size_t end = ov[1] - 1; /* the words inside the parentheses */
        while (end > ov[2] && (s->n->text[end - 1] == ' ' || s->n->text[end - 1] == '\t'))
            end--;
        scan_emit(s, FACT_AGE, ov[2], end, value);
    }
}

/* "a six-year-old", "twenty-two years old" (data/lexicon/numbers.tsv). */
static void words(scan *s)
{
    const rx *re = patterns_get(s->pat, "age_words");
    const rx *tail = patterns_get(s->pat, "age_words_tail");
    size_t pos = 0, ov[4], tv[2];
    /* "years old" is rare and quick to find; the alternation of number
     * words is slow to try at every offset of a megabyte. */
    while (re && tail && rx_find(tail, s->rs, s->n->text, s->n->len, pos, tv, 1) == 1) {
        size_t from = tv[0] > pos + 48 ? tv[0] - 48 : pos;
        pos = tv[1];
        if (rx_find(re, s->rs, s->n->text, tv[1], from, ov, 2) != 1)
            continue;
        const char *num = scan_lookup(s->lex->numbers, s->n->text, ov[2], ov[3]);
        if (!num || not_current(s, ov[0], ov[1]))
            continue;
        char value[32];
        snprintf(value, sizeof value, "age %s", num);
        scan_emit(s, FACT_AGE, ov[0], ov[1], value);
    }
}

/* "18-month-old", "Age: 18 mo": under two years an age has one decimal
 * (1.5). */
static void young(scan *s, const char *name)
{
    const rx *re = patterns_get(s->pat, name);
    size_t pos = 0, ov[6];
    while (re && rx_find(re, s->rs, s->n->text, s->n->len, pos, ov, 3) == 1) {
        pos = ov[1];
        long n = strtol(s->n->text + ov[2], NULL, 10);
        char u = (char)(s->n->text[ov[4]] | 0x20);
        char u2 = (char)(s->n->text[ov[4] + 1] | 0x20);
        double yrs = u == 'w' ? n / 52.0 : u == 'd' ? n / 365.0 : n / 12.0;
        (void)u2;
        if (not_current(s, ov[0], ov[1]))
            continue;
        char value[32];
        if (yrs >= 2)
            snprintf(value, sizeof value, "age %ld", (long)yrs);
        else
            snprintf(value, sizeof value, "age %.1f", yrs);
        /* "age 1.0" is "age 1" */
        size_t len = strlen(value);
        if (len > 2 && strcmp(value + len - 2, ".0") == 0)
            value[len - 2] = '\0';
        scan_emit(s, FACT_AGE, ov[0], ov[1], value);
    }
}

void age_find(scan *s)
{
    years(s);
    in_parens(s);
    words(s);
    young(s, "age_young");
    young(s, "age_label_young");
}
