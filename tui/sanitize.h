/* sanitize: how text from a note (untrusted) reaches the terminal.
 *
 * Text is decoded as UTF-8 one glyph at a time: a base character and the
 * combining marks that follow it, with its width in columns from wcwidth.
 * Control characters (C0, DEL, C1: ESC and CSI among them), invalid UTF-8,
 * unprintable code points and bidirectional overrides never come out: they
 * become a replacement glyph or nothing, so a note cannot move the cursor,
 * set the title or reorder what the reviewer reads. */
#ifndef TUI_SANITIZE_H
#define TUI_SANITIZE_H

#include <stddef.h>
#include <wchar.h>

#define SANITIZE_MAXCC 5 /* ncurses' CCHARW_MAX: a base and 4 marks */

enum {
    SANITIZE_ASCII = 1 << 0 /* not a UTF-8 locale: non-ASCII becomes '?' */
};

typedef struct {
    wchar_t wc[SANITIZE_MAXCC + 1]; /* base, marks, then 0; empty: nothing shown */
    int width;                      /* 0, 1 or 2 columns */
    size_t bytes;                   /* input bytes this glyph consumed */
    int replaced;                   /* a control or invalid byte was replaced */
    int newline;                    /* the glyph is a line feed */
} sanitize_glyph;

/* Decodes the glyph at s (len > 0 bytes left). */
void sanitize_next(const char *s, size_t len, unsigned flags,
                   sanitize_glyph *g);

/* Columns s[0,len) takes on one line (line feeds count as nothing). */
int sanitize_width(const char *s, size_t len, unsigned flags);

/* Copies s[0,len) as printable UTF-8 (or ASCII) into out, at most cols
 * columns and outsz - 1 bytes, line feeds and tabs as spaces.  Returns the
 * columns used.  out is always NUL-terminated. */
int sanitize_copy(const char *s, size_t len, int cols, unsigned flags,
                  char *out, size_t outsz);

#endif
