#include "tui/help.h"

#include <stdlib.h>

#include "tui/keymap.h"
#include "tui/term.h"
#include "tui/ui.h"

typedef struct {
    tui_scope scope;
    const char *name;
    int top;
    tui_action rows[ACTION_COUNT];
    int nrows;
} help;

static void draw(screen *s, ui *u, int rows, int cols)
{
    help *h = s->data;
    int body = rows - 3;
    term_fill(0, 0, cols, THEME_HEADER);
    term_printf(0, 0, cols, THEME_HEADER, "casereview  help: %s  (%d keys)",
                h->name, h->nrows);
    if (h->top > h->nrows - body)
        h->top = h->nrows - body;
    if (h->top < 0)
        h->top = 0;
    for (int i = 0; i < body && h->top + i < h->nrows; i++) {
        tui_action a = h->rows[h->top + i];
        tui_scope sc = keymap_action_scope(a);
        char keys[64];
        keymap_keys(ui_keymap(u), sc == SCOPE_GLOBAL ? SCOPE_GLOBAL : h->scope,
                    a, keys, sizeof keys);
        term_printf(i + 2, 1, 14, THEME_KEY, "%s", keys[0] ? keys : "(unbound)");
        term_printf(i + 2, 16, 16, THEME_NORMAL, "%s", keymap_action_name(a));
        term_printf(i + 2, 33, cols - 33, THEME_NORMAL, "%s",
                    keymap_action_help(a));
    }
    term_printf(1, 1, cols - 2, THEME_TITLE, "%-14s %-16s %s", "keys", "action",
                "what it does");
    if (term_is_accessible())
        term_cursor(2, 1);
}

static int handle(screen *s, ui *u, tui_action a, int key)
{
    help *h = s->data;
    (void)u;
    (void)key;
    switch (a) {
    case ACTION_UP:
        h->top--;
        return UI_HANDLED;
    case ACTION_DOWN:
        h->top++;
        return UI_HANDLED;
    case ACTION_PAGE_UP:
        h->top -= 10;
        return UI_HANDLED;
    case ACTION_PAGE_DOWN:
        h->top += 10;
        return UI_HANDLED;
    case ACTION_QUIT:
    case ACTION_BACK:
    case ACTION_ENTER:
        return UI_HANDLED | UI_POP;
    default:
        return 0;
    }
}

static void done(screen *s, ui *u)
{
    (void)u;
    free(s->data);
}

static const tui_action hints[] = {ACTION_DOWN, ACTION_UP, ACTION_BACK,
                                   ACTION_NONE};
static const struct screen_ops help_ops = {
    .name = "help", .scope = SCOPE_GLOBAL, .draw = draw, .handle = handle,
    .done = done, .hints = hints};

int help_push(ui *u, tui_scope scope, const char *screen_name)
{
    help *h = calloc(1, sizeof *h);
    if (!h)
        return -1;
    h->scope = scope;
    h->name = screen_name;
    /* The screen's own actions first, then those that work everywhere. */
    for (int pass = 0; pass < 2; pass++)
        for (int a = 1; a < ACTION_COUNT; a++) {
            tui_scope sc = keymap_action_scope((tui_action)a);
            if ((pass == 0 && sc == scope && scope != SCOPE_GLOBAL) ||
                (pass == 1 && sc == SCOPE_GLOBAL))
                h->rows[h->nrows++] = (tui_action)a;
        }
    if (ui_push(u, &help_ops, h) < 0) {
        free(h);
        return -1;
    }
    return 0;
}
