#include "tui/ui.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/help.h"
#include "tui/layout.h"
#include "tui/sanitize.h"
#include "tui/term.h"

#define PROMPT_MAX 1000

struct ui {
    keymap *km;
    screen *top;
    char msg[256];
    theme_role msg_role;
    /* The prompt. */
    int prompting, confirming;
    int inline_prompt;  /* the screen shows the text; the status row, the keys */
    ui_prompt_fn cancel; /* inline: gets the text on Esc */
    char label[80];
    char text[PROMPT_MAX + 1];
    size_t len;
    ui_prompt_fn pfn;
    ui_confirm_fn cfn;
    void *pctx;
    /* Benchmarking. */
    FILE *bench;
    double t0;    /* the program's start */
    double t_key; /* when the last key arrived */
    int frames;
    int complete; /* the next frame is the first complete one */
    int wake_ms;  /* end the next wait for a key after this, 0 never */
};

ui *ui_new(keymap *km)
{
    ui *u = calloc(1, sizeof *u);
    if (u)
        u->km = km;
    return u;
}

static void pop(ui *u)
{
    screen *s = u->top;
    if (!s)
        return;
    u->top = s->below;
    if (s->ops->done)
        s->ops->done(s, u);
    free(s);
}

void ui_free(ui *u)
{
    if (!u)
        return;
    while (u->top)
        pop(u);
    if (u->bench)
        fclose(u->bench);
    free(u);
}

const keymap *ui_keymap(const ui *u)
{
    return u->km;
}

int ui_push(ui *u, const struct screen_ops *ops, void *data)
{
    screen *s = calloc(1, sizeof *s);
    if (!s)
        return -1;
    s->ops = ops;
    s->data = data;
    s->below = u->top;
    u->top = s;
    return 0;
}

void ui_message(ui *u, theme_role r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(u->msg, sizeof u->msg, fmt, ap);
    va_end(ap);
    u->msg_role = r;
}

void ui_prompt(ui *u, const char *label, const char *initial, ui_prompt_fn fn,
               void *ctx)
{
    u->prompting = 1;
    u->confirming = 0;
    snprintf(u->label, sizeof u->label, "%s", label);
    snprintf(u->text, sizeof u->text, "%s", initial ? initial : "");
    u->len = strlen(u->text);
    u->pfn = fn;
    u->pctx = ctx;
    u->inline_prompt = 0;
    u->cancel = NULL;
    u->msg[0] = 0;
}

void ui_prompt_inline(ui *u, const char *label, const char *initial,
                      ui_prompt_fn fn, ui_prompt_fn cancel, void *ctx)
{
    ui_prompt(u, label, initial, fn, ctx);
    u->inline_prompt = 1;
    u->cancel = cancel;
}

const char *ui_prompt_text(const ui *u)
{
    return u->prompting && !u->confirming ? u->text : NULL;
}

int ui_confirming(const ui *u)
{
    return u->prompting && u->confirming;
}

void ui_confirm(ui *u, const char *question, ui_confirm_fn fn, void *ctx)
{
    ui_prompt(u, question, NULL, NULL, ctx);
    u->confirming = 1;
    u->cfn = fn;
    /* Keys typed before the question showed are not its answer. */
    term_drop_typeahead();
}

/* ---- the status row ---------------------------------------------------- */

void ui_hint_text(const ui *u, tui_scope scope, const tui_action *hints,
                  char *buf, size_t sz)
{
    size_t o = 0;
    buf[0] = 0;
    for (; hints && *hints != ACTION_NONE && o + 1 < sz; hints++) {
        char keys[64], *sp;
        tui_scope sc = keymap_action_scope(*hints);
        keymap_keys(u->km, sc == SCOPE_GLOBAL ? SCOPE_GLOBAL : scope, *hints,
                    keys, sizeof keys);
        if (!keys[0])
            continue;
        if ((sp = strchr(keys, ' ')))
            *sp = 0; /* the first key is enough for a hint */
        int n = snprintf(buf + o, sz - o, "%s%s %s", o ? "  " : "", keys,
                         keymap_action_name(*hints));
        if (n < 0 || (size_t)n >= sz - o) {
            buf[o] = 0;
            break;
        }
        o += (size_t)n;
    }
}

void ui_draw_status(ui *u, const screen *s, int y, int cols)
{
    term_fill(y, 0, cols, THEME_STATUS);
    if (u->prompting && u->inline_prompt) {
        term_printf(y, 0, cols, THEME_KEY, "%s  Enter done  Esc back  ^U clear",
                    u->label);
        return;
    }
    if (u->prompting) {
        int x = term_str(y, 0, cols, u->label, THEME_KEY);
        const char *t = u->text;
        /* Show the end of a long answer: that is where the typing is. */
        while (t < u->text + u->len &&
               term_sanitize_flags() == 0 &&
               (int)strlen(t) > cols - x - 2)
            t++;
        x += term_text(y, x, cols - x - 1, t, strlen(t), THEME_STATUS);
        term_cursor(y, x);
        return;
    }
    if (u->msg[0]) {
        /* A long message takes the row above too (for this frame), cut
         * with an ellipsis only past two rows; the accessible mode keeps
         * every message on the one fixed row. */
        int two = !term_is_accessible() && y > 0 &&
                  sanitize_width(u->msg, strlen(u->msg), term_sanitize_flags()) > cols;
        if (two) {
            term_fill(y - 1, 0, cols, THEME_STATUS);
            term_wrap(y - 1, 0, cols, 2, u->msg, u->msg_role);
        } else {
            term_clip(y, 0, cols, u->msg, u->msg_role);
        }
        return;
    }
    char hints[512];
    ui_hint_text(u, s->ops->scope, s->ops->hints, hints, sizeof hints);
    term_printf(y, 0, cols, THEME_STATUS, "%s  ? help", hints);
}

/* ---- the prompt's keys ------------------------------------------------- */

static void put_utf8(ui *u, int cp)
{
    char b[4];
    size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (u->len + n > PROMPT_MAX)
        return;
    if (n == 1)
        b[0] = (char)cp;
    else if (n == 2)
        b[0] = (char)(0xC0 | (cp >> 6)), b[1] = (char)(0x80 | (cp & 0x3F));
    else if (n == 3)
        b[0] = (char)(0xE0 | (cp >> 12)), b[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
        b[2] = (char)(0x80 | (cp & 0x3F));
    else
        b[0] = (char)(0xF0 | (cp >> 18)), b[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), b[3] = (char)(0x80 | (cp & 0x3F));
    memcpy(u->text + u->len, b, n);
    u->len += n;
    u->text[u->len] = 0;
}

/* A yes/no question takes y, n or Esc (^C, ^G) and nothing else: a key
 * meant for something else neither answers it nor runs as a command. */
static int confirm_key(ui *u, int key)
{
    if (key == 'y') {
        u->prompting = u->confirming = 0;
        return u->cfn(u, u->pctx);
    }
    if (key == 'n' || key == 27 || key == 7 || key == TERM_KEY_INTERRUPT) {
        u->prompting = u->confirming = 0;
        ui_message(u, THEME_STATUS, "cancelled");
        return UI_HANDLED;
    }
    return UI_HANDLED;
}

static int prompt_key(ui *u, int key)
{
    if (u->confirming)
        return confirm_key(u, key);
    if (key == 27 || key == 7 || key == TERM_KEY_INTERRUPT) { /* Esc, ^G, ^C */
        u->prompting = 0;
        if (u->cancel)
            return u->cancel(u, u->pctx, u->text);
        ui_message(u, THEME_STATUS, "cancelled");
        return UI_HANDLED;
    }
    if (key < 0)
        return UI_HANDLED; /* an unknown key is not text */
    if (key == '\r' || key == '\n' || key == KEYMAP_FN(KEY_ENTER)) {
        u->prompting = 0;
        return u->pfn(u, u->pctx, u->text);
    }
    if (key == KEYMAP_FN(KEY_BACKSPACE)) {
        while (u->len > 0 && (u->text[--u->len] & 0xC0) == 0x80)
            ;
        u->text[u->len] = 0;
    } else if (key == 21) { /* ^U */
        u->len = 0;
        u->text[0] = 0;
    } else if (key >= ' ' && key < 0x110000 && key != 0x7F &&
               !(key >= 0x80 && key < 0xA0)) {
        put_utf8(u, key);
    }
    return UI_HANDLED;
}

/* ---- the loop ---------------------------------------------------------- */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

void ui_bench_start(ui *u, const char *path, double t0)
{
    u->bench = fopen(path, "w");
    u->t0 = t0;
}

void ui_bench_complete(ui *u)
{
    u->complete = 1;
}

void ui_wake(ui *u, int ms)
{
    if (!u->wake_ms || ms < u->wake_ms)
        u->wake_ms = ms;
}

void ui_bench_note(ui *u, const char *name, double ms)
{
    if (u->bench) {
        fprintf(u->bench, "%s %.3f\n", name, ms);
        fflush(u->bench);
    }
}

static void draw_frame(ui *u)
{
    int rows, cols;
    double t_draw = now_ms();
    term_size(&rows, &cols);
    term_erase();
    if (rows < LAYOUT_MIN_ROWS || cols < LAYOUT_MIN_COLS) {
        /* Never arithmetic on a pane that does not fit. */
        if (rows > 0 && cols > 0) {
            term_printf(0, 0, cols, THEME_ERROR, "terminal too small");
            if (rows > 1)
                term_printf(1, 0, cols, THEME_NORMAL, "need %dx%d, have %dx%d",
                            LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS, cols, rows);
        }
        term_flush();
        return;
    }
    u->top->ops->draw(u->top, u, rows, cols);
    ui_draw_status(u, u->top, rows - 1, cols);
    term_flush();
    if (u->bench) {
        double end = now_ms();
        if (u->frames++ == 0)
            fprintf(u->bench, "first_frame_ms %.3f\ndraw_ms %.3f\n", end - u->t0,
                    end - t_draw);
        else if (u->t_key > 0)
            fprintf(u->bench, "key_to_frame_ms %.3f\n", end - u->t_key);
        if (u->complete)
            fprintf(u->bench, "complete_frame_ms %.3f\n", end - u->t0);
        u->complete = 0;
        u->t_key = 0;
        fflush(u->bench);
    }
}

static int dispatch(ui *u, int key)
{
    screen *s = u->top;
    /* Ctrl-C is q: leaving asks first when something is unsaved. */
    tui_action a = key == TERM_KEY_INTERRUPT ? ACTION_QUIT
                                             : keymap_lookup(u->km, s->ops->scope, key);
    u->msg[0] = 0;
    if (a == ACTION_HELP) {
        help_push(u, s->ops->scope, s->ops->name);
        return UI_HANDLED;
    }
    if (a == ACTION_REDRAW) {
        term_redraw();
        return UI_HANDLED;
    }
    int r = s->ops->handle(s, u, a, key);
    if (!(r & UI_HANDLED) && a == ACTION_QUIT) {
        r = s->ops->leaving ? s->ops->leaving(s, u) : 0;
        if (!(r & UI_HANDLED))
            r |= UI_POP;
    }
    return r;
}

/* Every screen waiting on its own work gets a look before the frame. */
static int tick_all(ui *u)
{
    int r = 0;
    u->wake_ms = 0;
    for (screen *s = u->top; s; s = s->below)
        if (s->ops->tick)
            r |= s->ops->tick(s, u);
    return r;
}

int ui_run(ui *u)
{
    while (u->top) {
        if (term_quit_requested())
            return term_quit_requested() == 2 ? 2 : 3;
        if (tick_all(u) & UI_QUIT)
            break;
        draw_frame(u);
        int key = term_key_within(u->wake_ms);
        if (key == TERM_KEY_TIMEOUT)
            continue;
        u->t_key = now_ms();
        if (key == TERM_KEY_EOF)
            return 2; /* input gone without a SIGHUP: as a hangup */
        if (key == TERM_KEY_END)
            break;
        if (key == TERM_KEY_NONE || key == TERM_KEY_RESIZE)
            continue;
        if (key == TERM_KEY_UNKNOWN) {
            if (!u->prompting)
                ui_message(u, THEME_STATUS, "unknown key: ignored");
            continue;
        }
        int r = u->prompting ? prompt_key(u, key) : dispatch(u, key);
        if (r & UI_QUIT)
            break;
        if (r & UI_POP)
            pop(u);
    }
    return 0;
}
