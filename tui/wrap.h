/* wrap: splits text into screen rows of a given width, measuring each
 * glyph as sanitize shows it (wide characters take two columns, combining
 * marks none).  Rows keep byte offsets into the text, so a span of the
 * note maps to rows and back. */
#ifndef TUI_WRAP_H
#define TUI_WRAP_H

#include <stddef.h>

typedef struct {
    size_t start, end; /* bytes shown on the row; the line feed excluded */
} wrap_row;

typedef struct {
    wrap_row *v;
    size_t n, cap;
} wrap_rows;

/* Appends the rows of text[0,len) at width columns (>= 1): a word that
 * does not fit moves to the next row, a word longer than a row is cut, a
 * wide glyph never straddles the edge.  0, or -1 when out of memory. */
int wrap_text(const char *text, size_t len, int width, unsigned flags,
              wrap_rows *out);
/* The same, but a line feed for which soft(ctx, offset) says 1 only wraps
 * a paragraph: it is a blank, and the paragraph is wrapped again at width
 * (a note typed at 80 columns read in a pane of 42). */
int wrap_text_soft(const char *text, size_t len, int width, unsigned flags,
                   int (*soft)(const void *ctx, size_t off), const void *ctx,
                   wrap_rows *out);

/* The row holding byte off (the last row when off is past the end). */
size_t wrap_row_at(const wrap_rows *r, size_t off);

void wrap_free(wrap_rows *r);

#endif
