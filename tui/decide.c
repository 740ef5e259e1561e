#include "tui/decide.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/layout.h"
#include "tui/review.h"
#include "tui/term.h"
#include "tui/ui.h"

#define NCHOICES 4

typedef struct {
    struct review *r;
    int choice;
    int ok[NCHOICES];
    char why[NCHOICES][160];     /* why not, or what it means */
    int contra[NCHOICES];
    char contra_why[NCHOICES][160];
    char rationale[1024];
} decide;

static const char *const names[NCHOICES] = {"approve", "deny", "pend", "refer"};
static const char *const meaning[NCHOICES] = {
    "the service is medically necessary", "an adverse determination",
    "request the missing information", "to a physician reviewer"};

static void check_all(decide *d)
{
    work *w = review_work(d->r);
    for (int i = 0; i < NCHOICES; i++) {
        unsigned warn = 0;
        char err[160];
        d->ok[i] = work_decision_check(w, (store_decision)i, &warn, err, sizeof err) == 0;
        snprintf(d->why[i], sizeof d->why[i], "%s", d->ok[i] ? meaning[i] : err);
        d->contra[i] = work_contradicts(w, (store_decision)i, d->contra_why[i],
                                        sizeof d->contra_why[i]);
    }
}

static void verdict_summary(const work *w, char *buf, size_t sz)
{
    size_t o = 0;
    buf[0] = 0;
    for (size_t i = 0; i < w->ncrit && o + 1 < sz; i++) {
        const work_criterion *c = &w->crit[i];
        const char *v = !c->has_verdict ? "-" : c->verdict == STORE_VERDICT_MET ? "met"
                        : c->verdict == STORE_VERDICT_NOT_MET ? "not met" : "n/a";
        int n = snprintf(buf + o, sz - o, "%s%s %s", o ? ", " : "",
                         policy_criterion_id(c->pc), v);
        if (n < 0 || (size_t)n >= sz - o)
            break;
        o += (size_t)n;
    }
}

static void draw(screen *s, ui *u, int rows, int cols)
{
    decide *d = s->data;
    work *w = review_work(d->r);
    layout_rect b = layout_center(rows - 1, cols, 19, 76);
    char buf[512];
    int x = b.x + 2, iw = b.w - 4;
    (void)u;
    /* Under the dialog the review stays as it was: draw it first. */
    s->below->ops->draw(s->below, u, rows, cols);
    for (int y = b.y; y < b.y + b.h; y++)
        term_fill(y, b.x, b.w, THEME_NORMAL);
    term_box(b.y, b.x, b.h, b.w);
    term_printf(b.y, b.x + 2, b.w - 4, THEME_TITLE, " Decision: %s ",
                w->sc ? w->case_id : "loose files");
    verdict_summary(w, buf, sizeof buf);
    term_printf(b.y + 1, x, iw, THEME_NORMAL, "criteria: %s", buf);
    check_outcome o = work_outcome(w);
    term_printf(b.y + 2, x, iw, o == CHECK_MEETS ? THEME_MET : THEME_NOT_MET,
                "outcome under your verdicts: %s",
                o == CHECK_MEETS ? "meets" : o == CHECK_DOES_NOT_MEET ? "does not meet"
                                                                   : "insufficient");
    /* Each choice: its name and meaning, then why it is not available or
     * how it contradicts the verdicts (full width: the reason matters). */
    for (int i = 0; i < NCHOICES; i++) {
        int y = b.y + 4 + 3 * i, sel = i == d->choice;
        theme_role role = sel ? THEME_CURSOR : d->ok[i] ? THEME_NORMAL : THEME_NA;
        if (sel)
            term_fill(y, x, iw, THEME_CURSOR);
        term_printf(y, x, iw, role, "%s (%s) %-8s %s", sel ? ">" : " ",
                    sel ? term_sym("\xe2\x80\xa2", "*") : " ", names[i], meaning[i]);
        if (!d->ok[i])
            term_printf(y + 1, x + 6, iw - 6, THEME_ERROR, "not available: %s", d->why[i]);
        else if (d->contra[i])
            term_printf(y + 1, x + 6, iw - 6, THEME_FLAG, "! %s: state why", d->contra_why[i]);
        if (sel && term_is_accessible())
            term_cursor(y, x);
    }
    term_printf(b.y + b.h - 2, x, iw, THEME_KEY,
                "Enter: rationale and record   A D P F choose   Esc back");
}

/* A decision is final: it is recorded only after a yes. */
static int confirmed(ui *u, void *ctx)
{
    decide *d = ctx;
    work *w = review_work(d->r);
    unsigned warn = 0;
    char err[256];
    if (work_decide(w, (store_decision)d->choice, d->rationale, &warn, err, sizeof err) < 0) {
        ui_message(u, THEME_ERROR, "not recorded: %s", err);
        return UI_HANDLED;
    }
    ui_message(u, THEME_MET, "recorded: %s%s%s%s", names[d->choice],
               warn & STORE_WARN_NOTES_UNSEEN ? " (warning: no part of the notes was shown)" : "",
               warn & STORE_WARN_EVIDENCE_UNSEEN ? " (warning: some evidence was never shown)" : "",
               warn & STORE_WARN_PRACTICE ? " (practice: not a determination)" : "");
    return UI_HANDLED | UI_POP;
}

static int with_rationale(ui *u, void *ctx, const char *text)
{
    decide *d = ctx;
    char q[96];
    snprintf(d->rationale, sizeof d->rationale, "%s", text);
    snprintf(q, sizeof q, "record %s for %s? (y/n) ", names[d->choice],
             review_work(d->r)->sc ? review_work(d->r)->case_id : "these notes");
    ui_confirm(u, q, confirmed, d);
    return UI_HANDLED;
}

static int record(decide *d, ui *u)
{
    char label[96];
    if (!d->ok[d->choice]) {
        ui_message(u, THEME_ERROR, "%s is not available: %s", names[d->choice],
                   d->why[d->choice]);
        return UI_HANDLED;
    }
    snprintf(label, sizeof label, "%s: rationale%s: ", names[d->choice],
             d->contra[d->choice] ? " (why, against the verdicts)" : "");
    ui_prompt(u, label, NULL, with_rationale, d);
    return UI_HANDLED;
}

static int handle(screen *s, ui *u, tui_action a, int key)
{
    decide *d = s->data;
    (void)key;
    switch (a) {
    case ACTION_UP:
        d->choice = (d->choice + NCHOICES - 1) % NCHOICES;
        return UI_HANDLED;
    case ACTION_DOWN:
        d->choice = (d->choice + 1) % NCHOICES;
        return UI_HANDLED;
    case ACTION_CHOOSE_APPROVE:
    case ACTION_CHOOSE_DENY:
    case ACTION_CHOOSE_PEND:
    case ACTION_CHOOSE_REFER:
        d->choice = (int)(a - ACTION_CHOOSE_APPROVE);
        return record(d, u);
    case ACTION_ENTER:
        return record(d, u);
    case ACTION_BACK:
    case ACTION_QUIT:
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

static const tui_action hints[] = {ACTION_DOWN, ACTION_UP, ACTION_ENTER, ACTION_BACK,
                                   ACTION_NONE};
static const struct screen_ops decide_ops = {
    .name = "decision", .scope = SCOPE_DECIDE, .draw = draw, .handle = handle,
    .done = done, .hints = hints};

int decide_push(ui *u, struct review *r)
{
    decide *d = calloc(1, sizeof *d);
    if (!d)
        return -1;
    d->r = r;
    check_all(d);
    /* Start on the first decision this reviewer may record. */
    for (int i = NCHOICES - 1; i >= 0; i--)
        if (d->ok[i] && !d->contra[i])
            d->choice = i;
    if (ui_push(u, &decide_ops, d) < 0) {
        free(d);
        return -1;
    }
    return 0;
}
