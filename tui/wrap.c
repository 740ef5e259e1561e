#include "tui/wrap.h"

#include <stdlib.h>

#include "tui/sanitize.h"

static int push(wrap_rows *r, size_t start, size_t end)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        wrap_row *v = realloc(r->v, cap * sizeof *v);
        if (!v)
            return -1;
        r->v = v;
        r->cap = cap;
    }
    r->v[r->n].start = start;
    r->v[r->n].end = end;
    r->n++;
    return 0;
}

int wrap_text(const char *text, size_t len, int width, unsigned flags,
              wrap_rows *out)
{
    return wrap_text_soft(text, len, width, flags, NULL, NULL, out);
}

int wrap_text_soft(const char *text, size_t len, int width, unsigned flags,
                   int (*soft)(const void *ctx, size_t off), const void *ctx,
                   wrap_rows *out)
{
    size_t start = 0, brk = 0; /* brk: just after the row's last blank */
    int col = 0, brk_col = 0;
    sanitize_glyph g;
    if (width < 1)
        width = 1;
    size_t skip_to = 0;
    for (size_t i = 0; i < len; i += g.bytes) {
        if (i < skip_to) {
            g.bytes = 1; /* an indent too deep for the pane, not shown */
            continue;
        }
        unsigned char c = (unsigned char)text[i];
        /* Printable ASCII with no combining mark after it (a mark's first
         * byte is >= 0x80) is one column: most of a note, and a megabyte
         * is wrapped in a few milliseconds rather than tens. */
        if (c >= 0x20 && c < 0x7F && (i + 1 == len || (unsigned char)text[i + 1] < 0x80)) {
            g.bytes = 1;
            g.width = 1;
            g.newline = 0;
            g.wc[0] = (wchar_t)c;
            g.wc[1] = 0;
        } else {
            sanitize_next(text + i, len - i, flags, &g);
        }
        if (g.newline && soft && soft(ctx, i)) {
            g.newline = 0; /* shown as a blank, a place to break */
            g.width = 1;
            g.wc[0] = ' ';
            g.wc[1] = 0;
        }
        if (g.newline) {
            if (push(out, start, i) < 0)
                return -1;
            start = brk = i + g.bytes;
            col = brk_col = 0;
            /* A form's hanging indent ("Why ITB ....... bilateral" over
             * 22 blanks and "contracture; toxin") would fill half a
             * narrow pane: a line shows at most a quarter of the pane's
             * width of indentation. */
            size_t k = start, cap = (size_t)width / 4;
            while (k < len && text[k] == ' ')
                k++;
            if (k - start > cap)
                start = brk = skip_to = k - cap;
            continue;
        }
        while (col + g.width > width && col > 0) {
            size_t cut = brk > start ? brk : i;
            if (push(out, start, cut) < 0)
                return -1;
            col = cut == brk ? col - brk_col : 0;
            start = brk = cut;
            brk_col = 0;
        }
        col += g.width;
        if (g.wc[0] == ' ' && g.width == 1 && !g.wc[1]) {
            brk = i + g.bytes;
            brk_col = col;
        }
    }
    if (start < len || out->n == 0)
        return push(out, start, len);
    return 0;
}

size_t wrap_row_at(const wrap_rows *r, size_t off)
{
    size_t lo = 0, hi = r->n;
    if (r->n == 0)
        return 0;
    /* The last row starting at or before off. */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->v[mid].start <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

void wrap_free(wrap_rows *r)
{
    free(r->v);
    r->v = NULL;
    r->n = r->cap = 0;
}
