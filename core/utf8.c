#include "core/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

size_t utf8_decode(const unsigned char *s, size_t avail, unsigned *cp)
{
    unsigned c = s[0];
    size_t n;
    unsigned min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if ((c & 0xE0) == 0xC0) {
        n = 2, min = 0x80, c &= 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3, min = 0x800, c &= 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4, min = 0x10000, c &= 0x07;
    } else {
        return 0;
    }
    if (avail < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

size_t utf8_seq_len(const unsigned char *s, size_t avail)
{
    unsigned cp;
    return utf8_decode(s, avail, &cp);
}

int utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        size_t n = utf8_seq_len(p + i, len - i);
        if (!n)
            return 0;
        i += n;
    }
    return 1;
}

/* Windows-1252 0x80-0x9F; 0 where it is undefined (kept as the C1 code). */
static const uint16_t cp1252[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

static size_t encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
}

int utf8_cp1252_defined(unsigned char c)
{
    return !(c >= 0x80 && c < 0xA0 && cp1252[c - 0x80] == 0);
}

char *utf8_repair(const char *s, size_t len, size_t *outlen, utf8_mark **marks,
                  size_t *nmarks)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t out_len = 0, nm = 0;
    for (size_t i = 0; i < len;) { /* sizes first: nothing is over-allocated */
        size_t k = p[i] < 0x80 ? 1 : utf8_seq_len(p + i, len - i);
        if (k) {
            out_len += k;
            i += k;
            continue;
        }
        uint32_t cp = p[i] >= 0x80 && p[i] < 0xA0 && cp1252[p[i] - 0x80] ? cp1252[p[i] - 0x80]
                                                                         : p[i];
        out_len += cp < 0x800 ? 2 : 3;
        nm++;
        i++;
    }
    char *out = malloc(out_len + 1);
    utf8_mark *m = malloc((nm ? nm : 1) * sizeof *m);
    if (!out || !m) {
        free(out);
        free(m);
        return NULL;
    }
    size_t o = 0, k_m = 0;
    for (size_t i = 0; i < len;) {
        size_t k = p[i] < 0x80 ? 1 : utf8_seq_len(p + i, len - i);
        if (k) {
            memcpy(out + o, s + i, k);
            o += k;
            i += k;
            continue;
        }
        uint32_t cp = p[i];
        if (p[i] >= 0x80 && p[i] < 0xA0 && cp1252[p[i] - 0x80])
            cp = cp1252[p[i] - 0x80];
        size_t n = encode(cp, out + o);
        m[k_m++] = (utf8_mark){o, n, i};
        o += n;
        i++;
    }
    out[o] = '\0';
    *outlen = o;
    *marks = m;
    *nmarks = nm;
    return out;
}

size_t utf8_source_offset(const utf8_mark *marks, size_t nmarks, size_t off)
{
    size_t lo = 0, hi = nmarks; /* the last mark starting at or before off */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (marks[mid].out <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return off;
    const utf8_mark *mk = &marks[lo - 1];
    if (off < mk->out + mk->n)
        return mk->in;
    return mk->in + 1 + (off - mk->out - mk->n);
}
