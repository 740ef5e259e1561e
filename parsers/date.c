#include "parsers/date.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static long num(const char *t, const size_t *ov, int g)
{
    return strtol(t + ov[2 * g], NULL, 10);
}

static int days_in(long y, long m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

static int valid(long y, long m, long d)
{
    return y >= 1900 && y <= 2099 && m >= 1 && m <= 12 && d >= 1 &&
           d <= days_in(y, m);
}

static long year(const char *t, const size_t *ov, int g)
{
    long y = num(t, ov, g);
    return ov[2 * g + 1] - ov[2 * g] == 2 ? 2000 + y : y; /* 20YY */
}

/* Year, month and day of a match (groups as in patterns.tsv); 0 or -1. */
static int parts(scan *s, const size_t *ov, long *y, long *m, long *d)
{
    const char *t = s->n->text;
    const char *mon;
    if (ov[2] != SIZE_MAX) {
        *m = num(t, ov, 1), *d = num(t, ov, 2), *y = year(t, ov, 3);
    } else if (ov[8] != SIZE_MAX) {
        *m = num(t, ov, 4), *d = num(t, ov, 5), *y = year(t, ov, 6);
    } else if (ov[14] != SIZE_MAX) {
        *y = num(t, ov, 7), *m = num(t, ov, 9), *d = num(t, ov, 10);
        return valid(*y, *m, *d) ? 0 : -1;
    } else if (ov[22] != SIZE_MAX) {
        if (!(mon = scan_lookup(s->lex->months, t, ov[22], ov[23])))
            return -1;
        *m = atol(mon), *d = num(t, ov, 12), *y = num(t, ov, 13);
        return valid(*y, *m, *d) ? 0 : -1;
    } else if (ov[30] != SIZE_MAX) {
        if (!(mon = scan_lookup(s->lex->months, t, ov[30], ov[31])))
            return -1;
        *d = num(t, ov, 14), *m = atol(mon), *y = num(t, ov, 16);
        return valid(*y, *m, *d) ? 0 : -1;
    } else if (ov[34] != SIZE_MAX) {
        *m = num(t, ov, 17), *d = num(t, ov, 18), *y = num(t, ov, 19);
    } else if (ov[40] != SIZE_MAX) {
        if (!(mon = scan_lookup(s->lex->months, t, ov[42], ov[43])))
            return -1;
        *d = num(t, ov, 20), *m = atol(mon), *y = year(t, ov, 22);
        return valid(*y, *m, *d) ? 0 : -1;
    } else {
        return -1;
    }
    /* Numeric dates are month first; day first only when it must be. */
    if (!valid(*y, *m, *d) && valid(*y, *d, *m)) {
        long x = *m;
        *m = *d;
        *d = x;
    }
    return valid(*y, *m, *d) ? 0 : -1;
}

void date_find(scan *s)
{
    const rx *re = patterns_get(s->pat, "date");
    size_t pos = 0, ov[46];
    while (re && rx_find(re, s->rs, s->n->text, s->n->len, pos, ov, 23) == 1) {
        pos = ov[1];
        long y, m, d;
        if (parts(s, ov, &y, &m, &d) < 0)
            continue;
        char value[16];
        snprintf(value, sizeof value, "%04ld-%02ld-%02ld", y, m, d);
        scan_emit(s, FACT_DATE, ov[0], ov[1], value);
    }
}
