#include "tui/facts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/review.h"
#include "tui/term.h"
#include "tui/ui.h"

typedef struct {
    struct review *r;
    size_t sel, top;
} facts;

/* A code's name and status (flags such as "not billable" stand out); for
 * other facts, the trigger that set their context. */
static void draw_about(const work *w, const work_fact *wf, int y, int x, int width,
                       theme_role role)
{
    char desc[256], status[256];
    if (wf->f->kind <= FACT_HCPCS) {
        int bad = work_code_words(w, wf->f->value, desc, sizeof desc, status,
                                  sizeof status);
        int used = 0;
        if (bad)
            used = term_printf(y, x, width, role == THEME_CURSOR ? role : THEME_FLAG,
                               "! %s; ", status);
        term_clip(y, x + used, width - used, desc[0] ? desc : "(no code table)", role);
        return;
    }
    if (wf->f->trigger)
        term_printf_clip(y, x, width, role, "because of \"%s\"", wf->f->trigger);
}

static void draw(screen *s, ui *u, int rows, int cols)
{
    facts *f = s->data;
    work *w = review_work(f->r);
    int body = rows - 3;
    (void)u;
    term_fill(0, 0, cols, THEME_HEADER);
    term_printf_clip(0, 0, cols, THEME_HEADER, "casereview  facts: %zu found in %zu note%s",
                w->nfacts, w->nnotes, w->nnotes == 1 ? "" : "s");
    term_printf(1, 0, cols, THEME_TITLE, "  %-6s %-20s %-12s %-7s %s", "kind", "value",
                "context", "where", "what it is / why the context");
    if (w->nfacts == 0)
        term_str(2, 2, cols - 2, "no facts found", THEME_NA);
    if (f->sel < f->top)
        f->top = f->sel;
    if (f->sel >= f->top + (size_t)body)
        f->top = f->sel - (size_t)body + 1;
    for (int i = 0; i < body && f->top + (size_t)i < w->nfacts; i++) {
        size_t k = f->top + (size_t)i;
        const work_fact *wf = &w->allfacts[k];
        const note *n = w->notes[wf->note];
        int sel = k == f->sel, y = 2 + i;
        theme_role role = sel ? THEME_CURSOR
                          : wf->f->status == CTX_AFFIRMED ? THEME_NORMAL : THEME_NA;
        if (sel)
            term_fill(y, 0, cols, THEME_CURSOR);
        /* A value is never cut silently: a cut code reads as another. */
        term_printf(y, 0, 9, role, "%s %-6s", sel ? ">" : " ", fact_kind_name(wf->f->kind));
        term_clip(y, 9, 20, wf->f->value, role);
        term_printf(y, 30, 21, role, "%-12s %zu:%-5zu", ctx_status_name(wf->f->status),
                    (size_t)wf->note + 1, note_line_at(n, wf->f->start));
        draw_about(w, wf, y, 51, cols - 51, role);
        if (sel && term_is_accessible())
            term_cursor(y, 0);
    }
}

static int handle(screen *s, ui *u, tui_action a, int key)
{
    facts *f = s->data;
    work *w = review_work(f->r);
    long n = (long)w->nfacts, sel = (long)f->sel;
    (void)u;
    (void)key;
    switch (a) {
    case ACTION_UP: sel--; break;
    case ACTION_DOWN: sel++; break;
    case ACTION_PAGE_UP: sel -= 10; break;
    case ACTION_PAGE_DOWN: sel += 10; break;
    case ACTION_TOP: sel = 0; break;
    case ACTION_BOTTOM: sel = n - 1; break;
    case ACTION_ENTER:
        if (n) {
            const work_fact *wf = &w->allfacts[f->sel];
            review_jump(f->r, wf->note, wf->f->start);
        }
        return UI_HANDLED | UI_POP;
    case ACTION_BACK:
    case ACTION_QUIT:
    case ACTION_FACTS:
        return UI_HANDLED | UI_POP;
    default:
        return 0;
    }
    f->sel = (size_t)(sel < 0 ? 0 : sel >= n ? (n ? n - 1 : 0) : sel);
    return UI_HANDLED;
}

static void done(screen *s, ui *u)
{
    (void)u;
    free(s->data);
}

static const tui_action hints[] = {ACTION_DOWN, ACTION_UP, ACTION_ENTER, ACTION_BACK,
                                   ACTION_NONE};
static const struct screen_ops facts_ops = {
    .name = "facts", .scope = SCOPE_REVIEW, .draw = draw, .handle = handle,
    .done = done, .hints = hints};

int facts_push(ui *u, struct review *r)
{
    facts *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->r = r;
    if (ui_push(u, &facts_ops, f) < 0) {
        free(f);
        return -1;
    }
    return 0;
}
