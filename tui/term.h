/* term: the one file that owns the terminal (like htop's CRT.c): set-up
 * and tear-down, colour roles with a monochrome scheme, line drawing,
 * keys, and the signals that must leave the terminal usable.
 *
 * Drawing goes through term_text, which shows note text only as sanitize
 * decodes it, clipped to a number of columns. */
#ifndef TUI_TERM_H
#define TUI_TERM_H

#include <stddef.h>

#include "tui/theme.h"

typedef struct {
    int accessible; /* cursor on the selection, ASCII chrome, no animation */
    int ascii;      /* force ASCII line drawing and symbols */
    int color;      /* 0: never; 1: when the terminal has colours */
    /* A key script (tests, like tig's): keys come from this file, not the
     * terminal, output goes nowhere, and "dump FILE" writes the screen's
     * text.  One command a line: a key name (keymap.h), "type TEXT",
     * "resize COLSxROWS", "dump FILE", "dump-attrs FILE" (each cell's
     * attributes), "# comment".  NULL: the terminal. */
    const char *script;
} term_options;

#define TERM_KEY_RESIZE (-2)
#define TERM_KEY_NONE (-1) /* interrupted by a signal */
#define TERM_KEY_EOF (-3)  /* the input is gone */
#define TERM_KEY_END (-4)  /* the key script ended: leave normally */
#define TERM_KEY_UNKNOWN (-5) /* an escape sequence curses did not know: ignored */
#define TERM_KEY_INTERRUPT (-6) /* Ctrl-C (SIGINT): handled as quit */
#define TERM_KEY_TIMEOUT (-7)   /* term_key_within: no key in time */

/* Starts curses on the controlling terminal.  -1 with a reason in err
 * (not a terminal, unknown TERM). */
int term_start(const term_options *opt, const theme *t, char *err,
               size_t errsz);
/* Restores the terminal; safe to call twice, and a no-op after a hangup
 * (the terminal is gone). */
void term_stop(void);

/* Waits for a key (a code point, or KEYMAP_FN of a function key). */
int term_key(void);
/* The same, giving up after ms milliseconds (0: waits as term_key). */
int term_key_within(int ms);
/* Keys come from a key script (tests): nothing may depend on timing. */
int term_is_scripted(void);
/* A signal asked the program to leave: 1 for SIGTERM, 2 SIGHUP.  (Ctrl-C
 * is not one: it comes as TERM_KEY_INTERRUPT.) */
int term_quit_requested(void);
/* After everything is saved and the terminal restored: on SIGTERM, dies
 * of it (so the exit status says so); otherwise returns. */
void term_exit_by_signal(void);

/* Drops keys typed but not yet read (before a yes/no question). */
void term_drop_typeahead(void);
void term_size(int *rows, int *cols);
void term_erase(void);
void term_redraw(void); /* repaint everything on the next flush (^L) */
void term_flush(void);
/* Where the real cursor rests after the frame; y < 0 hides it (unless
 * accessible, where it stays on the selection). */
void term_cursor(int y, int x);

unsigned term_sanitize_flags(void); /* for wrap: SANITIZE_ASCII or 0 */
int term_is_ascii(void);             /* ASCII chrome */
int term_is_accessible(void);
int term_has_color(void);

/* Text, sanitized, from column x, at most w columns, in role r; returns
 * the columns used. */
int term_text(int y, int x, int w, const char *s, size_t len, theme_role r);
int term_str(int y, int x, int w, const char *s, theme_role r);
int term_printf(int y, int x, int w, theme_role r, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* As term_str, but text that does not fit ends in an ellipsis ("…", or
 * "..." in ASCII) instead of being cut silently. */
int term_clip(int y, int x, int w, const char *s, theme_role r);
int term_clipn(int y, int x, int w, const char *s, size_t len, theme_role r);
int term_printf_clip(int y, int x, int w, theme_role r, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* s wrapped at blanks into at most maxrows rows of w columns, the last
 * one ending in an ellipsis when it does not all fit; the rows used. */
int term_wrap(int y, int x, int w, int maxrows, const char *s, theme_role r);
const char *term_ellipsis(void);
/* w blanks in role r. */
void term_fill(int y, int x, int w, theme_role r);
/* Adds role r's attributes to cells already drawn (highlighting). */
void term_paint(int y, int x, int w, theme_role r);
/* The same for what must stand out from any highlight under it (the
 * current search match): without colours, reverse where the cell is
 * not reversed, plain where it is. */
void term_paint_over(int y, int x, int w, theme_role r);
void term_hline(int y, int x, int w);
void term_vline(int y, int x, int h);
void term_box(int y, int x, int h, int w); /* a frame with corners */
/* A symbol with an ASCII fallback ("✓" or "*"). */
const char *term_sym(const char *utf8, const char *ascii);

#endif
