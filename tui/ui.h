/* ui: the loop and the stack of screens.  Read a key, map it to an
 * action in the top screen's scope, dispatch to the screen's handler, get
 * a result bitmask, redraw.  Handlers never draw: a screen's draw()
 * paints the whole frame from its state, with a layout recomputed from
 * the terminal's size each time.
 *
 * Text input (search, comments, reasons, rationale) and yes/no questions
 * are a prompt on the status row; the prompt calls back when done. */
#ifndef TUI_UI_H
#define TUI_UI_H

#include <stddef.h>

#include "tui/action.h"
#include "tui/keymap.h"
#include "tui/theme.h"

enum {
    UI_HANDLED = 1 << 0, /* the key meant something here */
    UI_REDRAW = 1 << 1,  /* state changed (every frame redraws anyway) */
    UI_POP = 1 << 2,     /* close this screen */
    UI_QUIT = 1 << 3     /* leave the program */
};

typedef struct ui ui;
typedef struct screen screen;

struct screen_ops {
    const char *name;
    tui_scope scope;
    /* Paints rows x cols (at least 80x24; the status row is the ui's). */
    void (*draw)(screen *s, ui *u, int rows, int cols);
    int (*handle)(screen *s, ui *u, tui_action a, int key);
    /* Asked before the screen closes on quit: 0 to close, or it starts a
     * confirmation itself and returns UI_HANDLED.  NULL: always close. */
    int (*leaving)(screen *s, ui *u);
    void (*done)(screen *s, ui *u);
    /* Before every frame, for a screen waiting on work of its own (a note
     * being read on another thread): returns a result bitmask, and calls
     * ui_wake to be asked again without a key.  NULL: nothing to wait for. */
    int (*tick)(screen *s, ui *u);
    const tui_action *hints; /* the keys worth showing, NONE-terminated */
};

struct screen {
    const struct screen_ops *ops;
    void *data;
    screen *below;
};

ui *ui_new(keymap *km);
void ui_free(ui *u);
const keymap *ui_keymap(const ui *u);

int ui_push(ui *u, const struct screen_ops *ops, void *data);
/* Runs until the last screen closes, UI_QUIT or a signal.  Returns 0, 2
 * when the session hung up (SIGHUP: the terminal is gone), or 3 on
 * SIGTERM (the caller saves, restores the terminal, then
 * term_exit_by_signal). */
int ui_run(ui *u);

/* The next wait for a key ends after ms milliseconds even without one
 * (once; a tick asks again). */
void ui_wake(ui *u, int ms);

/* A message on the status row until the next key. */
void ui_message(ui *u, theme_role r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

typedef int (*ui_prompt_fn)(ui *u, void *ctx, const char *text);
/* Asks for a line of text; fn gets it on Enter (not on Esc) and returns a
 * result bitmask as a handler does. */
void ui_prompt(ui *u, const char *label, const char *initial, ui_prompt_fn fn,
               void *ctx);
/* The same, with the text shown by the screen itself (a dialog's field;
 * it reads ui_prompt_text) and the status row showing the editing keys.
 * cancel (may be NULL) gets the text on Esc, so that it is not lost. */
void ui_prompt_inline(ui *u, const char *label, const char *initial,
                      ui_prompt_fn fn, ui_prompt_fn cancel, void *ctx);
/* The text being typed, or NULL when no prompt is open. */
const char *ui_prompt_text(const ui *u);
typedef int (*ui_confirm_fn)(ui *u, void *ctx);
/* Asks a yes/no question; fn runs on 'y'.  Only y, n and Esc answer it;
 * other keys are ignored (never run as commands), and keys typed before
 * the question showed are dropped. */
void ui_confirm(ui *u, const char *question, ui_confirm_fn fn, void *ctx);
int ui_confirming(const ui *u);

/* Draws the status row: the prompt, the message, or the hints. */
void ui_draw_status(ui *u, const screen *s, int y, int cols);
/* "a accept  m met ..." for hints, into buf. */
void ui_hint_text(const ui *u, tui_scope scope, const tui_action *hints,
                  char *buf, size_t sz);

/* Benchmarking (CASEREVIEW_BENCH=FILE): timings of frames go to FILE. */
void ui_bench_start(ui *u, const char *path, double t0);
/* One more figure in the file ("load_ms 12.3"). */
void ui_bench_note(ui *u, const char *name, double ms);
/* The next frame is the first with everything loaded: its time from the
 * start goes to the file as complete_frame_ms. */
void ui_bench_complete(ui *u);

#endif
