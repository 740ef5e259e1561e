#include "context/words.h"

#include <string.h>

/* UTF-8 punctuation from U+2010..U+2027 (E2 80 90..A7): dashes, quotes,
 * bullets.  Returns the ASCII it stands for, or 0. */
static char general_punct(const unsigned char *p, size_t avail)
{
    if (avail < 3 || p[0] != 0xe2 || p[1] != 0x80 || p[2] < 0x90 ||
        p[2] > 0xa7)
        return 0;
    if (p[2] <= 0x95)
        return '-';
    if (p[2] == 0x98 || p[2] == 0x99 || p[2] == 0x9b)
        return '\'';
    if (p[2] >= 0x9c && p[2] <= 0x9f)
        return '"';
    return '*';
}

static int is_space(const unsigned char *p, size_t avail)
{
    if (*p <= 0x20 || *p == 0x7f)
        return 1;
    return avail >= 2 && p[0] == 0xc2 && p[1] == 0xa0; /* no-break space */
}

static int is_wordc(const unsigned char *p, size_t avail)
{
    unsigned char c = *p;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9'))
        return 1;
    if (c < 0x80 || is_space(p, avail))
        return 0;
    return general_punct(p, avail) == 0;
}

/* Length of the UTF-8 sequence at p (1 for stray bytes), capped by avail. */
static size_t seqlen(const unsigned char *p, size_t avail)
{
    size_t n = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : *p >= 0xc0 ? 2 : 1;
    return n > avail ? avail : n;
}

/* A joiner stays inside a word when a word character follows it. */
static size_t joiner_len(const unsigned char *p, size_t avail)
{
    if (*p == '\'' || *p == '/' || *p == '-' || *p == '.' || *p == '_')
        return 1;
    char g = general_punct(p, avail);
    return (g == '\'' || g == '-') ? 3 : 0;
}

int words_next(const char *s, size_t i, size_t end, size_t *ts, size_t *te,
               int *is_word)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t run = i, blanks = 0, gap = 0;
    while (i < end && is_space(u + i, end - i)) {
        if (u[i] == '\n' || u[i] == '\r')
            blanks = 0, gap = 0, run = i + 1;
        else if (u[i] == '\t' || (u[i] == ' ' && ++blanks >= 3))
            gap = 1;
        i += (u[i] == 0xc2) ? 2 : 1;
    }
    /* A table's column gap inside a line (a tab, three blanks or more) is
     * a mark of its own, the word "column-gap" (data/context/terminators.tsv):
     * a row's cells are clauses apart
     * ("ziconotide 5 mcg   3/10   nausea, resolved"). */
    /* (Not before a form's box: "Indication is dystonia   [ ] Yes  [X]
     * No" answers across the gap.) */
    int box = i < end && (u[i] == '[' || (end - i >= 3 && u[i] == 0xe2 && u[i + 1] == 0x98));
    if (gap && !box && run > 0 && i > run && !is_space(u + run - 1, i - run + 1)) {
        *ts = run;
        *te = i;
        *is_word = 0;
        return 1;
    }
    if (i >= end)
        return 0;
    *ts = i;
    if (!is_wordc(u + i, end - i)) {
        *te = i + seqlen(u + i, end - i);
        *is_word = 0;
        return 1;
    }
    while (i < end) {
        if (is_wordc(u + i, end - i)) {
            i += seqlen(u + i, end - i);
            continue;
        }
        size_t j = joiner_len(u + i, end - i);
        if (j && i + j < end && is_wordc(u + i + j, end - i - j)) {
            i += j;
            continue;
        }
        break;
    }
    *te = i;
    *is_word = 1;
    return 1;
}

size_t words_norm(const char *s, size_t ts, size_t te, char *out)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = 0;
    if (te > ts && (u[ts] == ' ' || u[ts] == '\t')) { /* a column gap */
        static const char gapword[] = "column-gap";
        memcpy(out, gapword, sizeof gapword);
        return sizeof gapword - 1;
    }
    for (size_t i = ts; i < te;) {
        char g = general_punct(u + i, te - i);
        char c;
        if (g) {
            c = g;
            i += 3;
        } else {
            c = (char)u[i++];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
        }
        if (n + 1 >= WORDS_NORM_MAX)
            return 0;
        out[n++] = c;
    }
    out[n] = '\0';
    return n;
}
