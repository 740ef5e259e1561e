#include "tui/sanitize.h"

#include <string.h>

#include "core/utf8.h"

#define REPLACEMENT 0xFFFD

/* Invisible characters that change how text around them is shown. */
static int is_bidi_control(unsigned cp)
{
    return (cp >= 0x200E && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0x061C;
}

static int is_control(unsigned cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp < 0xA0);
}

static void set_single(sanitize_glyph *g, unsigned cp, int width)
{
    g->wc[0] = (wchar_t)cp;
    g->wc[1] = 0;
    g->width = width;
}

static void set_replacement(sanitize_glyph *g, unsigned flags)
{
    set_single(g, (flags & SANITIZE_ASCII) ? '?' : REPLACEMENT, 1);
    g->replaced = 1;
}

/* Appends the combining marks after a base; marks past what a cell holds
 * are consumed and dropped. */
static void take_marks(const unsigned char *s, size_t len, unsigned flags,
                       sanitize_glyph *g, size_t nwc)
{
    while (g->bytes < len) {
        unsigned cp;
        size_t n = utf8_decode(s + g->bytes, len - g->bytes, &cp);
        if (n == 0 || cp < 0x300 || is_control(cp) || is_bidi_control(cp) ||
            wcwidth((wchar_t)cp) != 0)
            break;
        g->bytes += n;
        if (!(flags & SANITIZE_ASCII) && nwc < SANITIZE_MAXCC)
            g->wc[nwc++] = (wchar_t)cp;
    }
    g->wc[nwc] = 0;
}

static void decode_nonascii(const unsigned char *s, size_t len,
                            unsigned flags, unsigned cp, sanitize_glyph *g)
{
    int w = wcwidth((wchar_t)cp);
    if (is_bidi_control(cp)) {
        g->wc[0] = 0;
        g->width = 0;
        return;
    }
    if (is_control(cp) || (w < 0 && !(flags & SANITIZE_ASCII))) {
        set_replacement(g, flags);
        return;
    }
    if (flags & SANITIZE_ASCII) {
        set_single(g, '?', 1);
        take_marks(s, len, flags, g, 1);
        return;
    }
    if (w == 0) {
        /* A mark with no base: give it a space to sit on. */
        g->wc[0] = ' ';
        g->wc[1] = (wchar_t)cp;
        g->width = 1;
        take_marks(s, len, flags, g, 2);
        return;
    }
    set_single(g, cp, w);
    take_marks(s, len, flags, g, 1);
}

void sanitize_next(const char *str, size_t len, unsigned flags,
                   sanitize_glyph *g)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned cp = 0;
    memset(g, 0, sizeof *g);
    size_t n = utf8_decode(s, len, &cp);
    if (n == 0) {
        g->bytes = 1;
        set_replacement(g, flags);
        return;
    }
    g->bytes = n;
    if (cp == '\n') {
        g->newline = 1;
        return;
    }
    if (cp == '\r')
        return; /* CRLF notes: the CR is shown as nothing */
    if (cp == '\t') {
        set_single(g, ' ', 1);
        return;
    }
    if (cp < 0x80) {
        if (is_control(cp))
            set_replacement(g, flags);
        else {
            set_single(g, cp, 1);
            take_marks(s, len, flags, g, 1);
        }
        return;
    }
    decode_nonascii(s, len, flags, cp, g);
}

int sanitize_width(const char *s, size_t len, unsigned flags)
{
    int w = 0;
    sanitize_glyph g;
    for (size_t i = 0; i < len; i += g.bytes) {
        sanitize_next(s + i, len - i, flags, &g);
        w += g.width;
    }
    return w;
}

static size_t put_utf8(unsigned cp, char *out)
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
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

int sanitize_copy(const char *s, size_t len, int cols, unsigned flags,
                  char *out, size_t outsz)
{
    size_t o = 0;
    int used = 0;
    sanitize_glyph g;
    if (outsz == 0)
        return 0;
    for (size_t i = 0; i < len; i += g.bytes) {
        char buf[4 * (SANITIZE_MAXCC + 1)];
        size_t b = 0;
        sanitize_next(s + i, len - i, flags, &g);
        if (g.newline)
            set_single(&g, ' ', 1);
        if (used + g.width > cols)
            break;
        for (int k = 0; g.wc[k]; k++)
            b += put_utf8((unsigned)g.wc[k], buf + b);
        if (o + b >= outsz)
            break;
        memcpy(out + o, buf, b);
        o += b;
        used += g.width;
    }
    out[o] = 0;
    return used;
}
