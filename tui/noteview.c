#include "tui/noteview.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui/sanitize.h"
#include "tui/term.h"
#include "tui/wrap.h"

typedef struct {
    int note; /* -1 - note for a title row */
    size_t start, end;
} vrow;

struct noteview {
    note *const *notes;
    size_t n;
    int width;
    unsigned flags;
    vrow *rows;
    long nrows;
    long *first; /* each note's title row */
};

noteview *noteview_new(note *const *notes, size_t n)
{
    noteview *v = calloc(1, sizeof *v);
    if (v) {
        v->notes = notes;
        v->n = n;
    }
    return v;
}

void noteview_free(noteview *v)
{
    if (v) {
        free(v->rows);
        free(v->first);
    }
    free(v);
}

/* A paragraph typed at the note's own width is wrapped again at the
 * pane's: its line feeds are blanks (note_soft_break). */
static int soft_break(const void *ctx, size_t off)
{
    return note_soft_break(ctx, off);
}

int noteview_layout(noteview *v, int width, unsigned flags)
{
    if (width == v->width && flags == v->flags && v->rows)
        return 0;
    long total = 0;
    wrap_rows *per = calloc(v->n ? v->n : 1, sizeof *per);
    if (!per)
        return -1;
    for (size_t i = 0; i < v->n; i++) {
        if (wrap_text_soft(v->notes[i]->text, v->notes[i]->len, width, flags,
                           soft_break, v->notes[i], &per[i]) < 0)
            goto oom;
        total += (long)per[i].n + 1;
    }
    vrow *rows = malloc((size_t)(total ? total : 1) * sizeof *rows);
    long *first = malloc((v->n ? v->n : 1) * sizeof *first);
    if (!rows || !first) {
        free(rows);
        free(first);
        goto oom;
    }
    long k = 0;
    for (size_t i = 0; i < v->n; i++) {
        first[i] = k;
        rows[k++] = (vrow){-1 - (int)i, 0, 0};
        for (size_t r = 0; r < per[i].n; r++)
            rows[k++] = (vrow){(int)i, per[i].v[r].start, per[i].v[r].end};
        wrap_free(&per[i]);
    }
    free(per);
    free(v->rows);
    free(v->first);
    v->first = first;
    v->rows = rows;
    v->nrows = k;
    v->width = width;
    v->flags = flags;
    return 0;
oom:
    for (size_t i = 0; i < v->n; i++)
        wrap_free(&per[i]);
    free(per);
    return -1;
}

int noteview_width(const noteview *v)
{
    return v->rows ? v->width : 0;
}

long noteview_rows(const noteview *v)
{
    return v->nrows;
}

void noteview_row(const noteview *v, long r, int *ni, size_t *start,
                  size_t *end, int *title)
{
    const vrow *row = &v->rows[r];
    *title = row->note < 0;
    *ni = row->note < 0 ? -1 - row->note : row->note;
    *start = row->start;
    *end = row->end;
}

void noteview_note_rows(const noteview *v, int ni, long *first, long *n)
{
    *first = 0;
    *n = 0;
    if (!v->rows || ni < 0 || (size_t)ni >= v->n)
        return;
    *first = v->first[ni] + 1;
    long end = (size_t)ni + 1 < v->n ? v->first[ni + 1] : v->nrows;
    *n = end - *first;
}

long noteview_row_of(const noteview *v, int ni, size_t off)
{
    /* Rows of a note are in order: binary search past its title. */
    long first, n, hi;
    noteview_note_rows(v, ni, &first, &n);
    if (!v->rows || ni < 0 || (size_t)ni >= v->n)
        return 0;
    long lo = first - 1;
    hi = first + n;
    if (hi == first)
        return lo;
    long a = first, b = hi - 1;
    while (a < b) {
        long mid = a + (b - a + 1) / 2;
        if (v->rows[mid].start <= off)
            a = mid;
        else
            b = mid - 1;
    }
    return a;
}

static void draw_title(const noteview *v, int y, int x, int w, int ni)
{
    const note *n = v->notes[ni];
    const char *name = strrchr(n->path, '/');
    name = name ? name + 1 : n->path;
    term_hline(y, x, w);
    int used = term_str(y, x + 2, w - 4, " ", THEME_TITLE);
    used += term_str(y, x + 2 + used, w - 4 - used, name, THEME_TITLE);
    term_printf(y, x + 2 + used, w - 4 - used, THEME_TITLE, " (%zu of %zu) ",
                (size_t)ni + 1, v->n);
}

static void paint(const noteview *v, int y, int x, int w, const vrow *row,
                  const noteview_hl *h)
{
    const char *text = v->notes[row->note]->text;
    size_t a = h->start > row->start ? h->start : row->start;
    size_t b = h->end < row->end ? h->end : row->end;
    if (a >= b)
        return;
    int c0 = sanitize_width(text + row->start, a - row->start, v->flags);
    int c1 = c0 + sanitize_width(text + a, b - a, v->flags);
    if (c0 >= w)
        return;
    if (h->role == THEME_SEARCH)
        term_paint_over(y, x + c0, (c1 < w ? c1 : w) - c0, h->role);
    else
        term_paint(y, x + c0, (c1 < w ? c1 : w) - c0, h->role);
}

void noteview_draw(const noteview *v, layout_rect area, long top, long cursor,
                   const noteview_hl *hl, size_t nhl)
{
    int tx = area.x + 2, tw = area.w - 2;
    for (int i = 0; i < area.h && top + i < v->nrows; i++) {
        const vrow *row = &v->rows[top + i];
        int y = area.y + i;
        if (row->note < 0) {
            draw_title(v, y, area.x, area.w, -1 - row->note);
            continue;
        }
        const note *n = v->notes[row->note];
        term_text(y, tx, tw, n->text + row->start, row->end - row->start,
                  THEME_NORMAL);
        char gutter = 0;
        for (size_t k = 0; k < nhl; k++) {
            const noteview_hl *h = &hl[k];
            int empty_row = row->start == row->end;
            if (h->note != row->note || h->end <= row->start ||
                h->start > row->end || (h->start == row->end && !empty_row))
                continue;
            paint(v, y, tx, tw, row, h);
            if (h->gutter)
                gutter = h->gutter;
        }
        if (gutter)
            term_printf(y, area.x + 1, 1, THEME_KEY, "%c", gutter);
        if (top + i == cursor) {
            term_str(y, area.x, 1, ">", THEME_KEY);
            if (term_is_accessible())
                term_cursor(y, area.x);
        }
    }
}

static const char *find_ci(const char *hay, size_t len, const char *pat,
                           size_t plen, int dir, size_t from)
{
    if (plen == 0 || plen > len)
        return NULL;
    if (dir > 0) {
        for (size_t i = from; i + plen <= len; i++)
            if (strncasecmp(hay + i, pat, plen) == 0)
                return hay + i;
    } else {
        size_t i = from < len - plen ? from : len - plen;
        for (;; i--) {
            if (strncasecmp(hay + i, pat, plen) == 0)
                return hay + i;
            if (i == 0)
                break;
        }
    }
    return NULL;
}

int noteview_search(const noteview *v, const char *pat, int dir, int *ni,
                    size_t *off)
{
    size_t plen = strlen(pat);
    if (v->n == 0 || plen == 0)
        return 0;
    /* Start just past (or before) the current position, then wrap. */
    for (size_t step = 0; step <= v->n; step++) {
        int k = (int)(((size_t)*ni + (dir > 0 ? step : v->n - step % v->n)) % v->n);
        const note *n = v->notes[k];
        size_t from;
        if (step == 0)
            from = dir > 0 ? *off + 1 : (*off ? *off - 1 : 0);
        else
            from = dir > 0 ? 0 : n->len;
        if (step == 0 && dir < 0 && *off == 0)
            continue;
        if (step == v->n && dir > 0)
            from = 0; /* the part of the first note before the start */
        const char *hit = find_ci(n->text, n->len, pat, plen, dir, from);
        if (hit) {
            *ni = k;
            *off = (size_t)(hit - n->text);
            return 1;
        }
    }
    return 0;
}
