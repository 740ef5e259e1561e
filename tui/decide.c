#include "tui/decide.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/layout.h"
#include "tui/review.h"
#include "tui/sanitize.h"
#include "tui/term.h"
#include "tui/ui.h"
#include "tui/wrap.h"

#define NCHOICES 4

/* The dialog is a radio list: A D P F and the arrows only choose, Enter
 * opens the rationale, and Enter there checks everything the store will
 * check (the rationale, role, claim, outcome) and shows the warnings
 * before the last yes. */
typedef struct {
    struct review *r;
    int choice;
    int ok[NCHOICES];
    char why[NCHOICES][160];     /* why not, or what it means */
    unsigned warn[NCHOICES];     /* the store's warnings, if recorded now */
    int contra[NCHOICES];
    char contra_why[NCHOICES][160];
    char rationale[1024];
    char error[256];             /* what stops the selected decision, shown inside */
} decide;

static const char *const names[NCHOICES] = {"approve", "deny", "pend", "refer"};
static const char *const meaning[NCHOICES] = {
    "the service is medically necessary", "an adverse determination",
    "request the missing information", "to a physician reviewer"};

static void check_all(decide *d)
{
    work *w = review_work(d->r);
    for (int i = 0; i < NCHOICES; i++) {
        char err[160];
        d->warn[i] = 0;
        d->ok[i] = work_decision_check(w, (store_decision)i, &d->warn[i], err,
                                       sizeof err) == 0;
        snprintf(d->why[i], sizeof d->why[i], "%s", d->ok[i] ? meaning[i] : err);
        d->contra[i] = work_contradicts(w, (store_decision)i, d->contra_why[i],
                                        sizeof d->contra_why[i]);
    }
}

/* The store wants a rationale for deny, pend and refer; an approval
 * against the verdicts needs its reason too. */
static int needs_rationale(const decide *d, int i)
{
    return i != STORE_DECISION_APPROVE || d->contra[i];
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

/* ---- drawing: a column of wrapped lines -------------------------------- */

typedef struct {
    char text[1100];
    theme_role role;
    int indent, maxrows, choice; /* choice: its index, or -1 */
    int field;                   /* the rationale being typed */
} line;

#define MAX_LINES 24

typedef struct {
    line v[MAX_LINES];
    int n;
} lines;

static line *add(lines *l, theme_role role, int indent, int maxrows, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static line *add(lines *l, theme_role role, int indent, int maxrows, const char *fmt, ...)
{
    static line spare;
    if (l->n == MAX_LINES)
        return &spare;
    line *ln = &l->v[l->n++];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ln->text, sizeof ln->text, fmt, ap);
    va_end(ap);
    ln->role = role;
    ln->indent = indent;
    ln->maxrows = maxrows;
    ln->choice = -1;
    ln->field = 0;
    return ln;
}

static int rows_of(const line *ln, int width)
{
    wrap_rows wr = {0};
    int n = 1;
    if (ln->text[0] && wrap_text(ln->text, strlen(ln->text), width - ln->indent,
                                 term_sanitize_flags(), &wr) == 0)
        n = (int)wr.n;
    wrap_free(&wr);
    return n < ln->maxrows ? n : ln->maxrows;
}

static void build(const decide *d, const ui *u, lines *l)
{
    work *w = review_work(d->r);
    char buf[512];
    const char *typing = ui_prompt_text(u);
    verdict_summary(w, buf, sizeof buf);
    add(l, THEME_NORMAL, 0, 2, "criteria: %s", buf);
    check_outcome o = work_outcome(w);
    add(l, o == CHECK_MEETS ? THEME_MET : THEME_NOT_MET, 0, 1,
        "outcome under your verdicts: %s",
        o == CHECK_MEETS ? "meets" : o == CHECK_DOES_NOT_MEET ? "does not meet"
                                                              : "insufficient");
    add(l, THEME_NORMAL, 0, 1, "%s", "");
    for (int i = 0; i < NCHOICES; i++) {
        int sel = i == d->choice;
        line *ln = add(l, sel ? THEME_CURSOR : d->ok[i] ? THEME_NORMAL : THEME_NA, 0, 1,
                       "%s (%s) %-8s %s", sel ? ">" : " ",
                       sel ? term_sym("\xe2\x80\xa2", "*") : d->ok[i] ? " " : "-", names[i],
                       d->ok[i] ? meaning[i] : "not available");
        ln->choice = i;
        /* Why not, or how it goes against the verdicts, in full: the
         * reason decides what the reviewer does next. */
        if (!d->ok[i])
            add(l, THEME_NA, 6, 2, "%s", d->why[i]);
        else if (d->contra[i])
            add(l, THEME_FLAG, 6, 2, "! %s: state why", d->contra_why[i]);
    }
    add(l, THEME_NORMAL, 0, 1, "%s", "");
    add(l, THEME_KEY, 0, 1, "rationale for %s (%s):", names[d->choice],
        needs_rationale(d, d->choice) ? "required" : "optional");
    line *f = add(l, typing ? THEME_NORMAL : THEME_NA, 2, 3, "%s",
                  typing ? typing : d->rationale[0] ? d->rationale : "(none yet: Enter to write it)");
    f->field = 1;
    if (d->error[0])
        add(l, THEME_ERROR, 0, 2, "%s", d->error);
    else if (d->ok[d->choice] && (d->warn[d->choice] & STORE_WARN_EVIDENCE_UNSEEN))
        add(l, THEME_FLAG, 0, 2, "! warning: some evidence of your verdicts was never shown");
    else if (d->ok[d->choice] && (d->warn[d->choice] & STORE_WARN_NOTES_UNSEEN))
        add(l, THEME_FLAG, 0, 2, "! warning: no part of the notes was shown");
    if (d->ok[d->choice] && (d->warn[d->choice] & STORE_WARN_PRACTICE))
        add(l, THEME_FLAG, 0, 1, "practice: recorded as training, not a determination");
    if (ui_confirming(u))
        add(l, THEME_KEY, 0, 1, "y record (final)   n back");
    else if (typing)
        add(l, THEME_KEY, 0, 1, "Enter check and record   Esc keep it and go back");
    else
        add(l, THEME_KEY, 0, 1, "%s %s choose   Enter rationale, then record   Esc back",
            term_sym("\xe2\x86\x91\xe2\x86\x93", "Up/Down"), "A D P F");
}

/* The field: the end of the text shows, where the typing is. */
static void draw_field(const line *ln, int y, int x, int w, int typing)
{
    wrap_rows wr = {0};
    size_t len = strlen(ln->text);
    if (wrap_text(ln->text, len, w, term_sanitize_flags(), &wr) < 0 || wr.n == 0) {
        wrap_free(&wr);
        return;
    }
    size_t first = wr.n > (size_t)ln->maxrows ? wr.n - (size_t)ln->maxrows : 0;
    int row = 0;
    if (first && !typing) {
        /* Not typing: show the start, ending in an ellipsis. */
        term_wrap(y, x, w, ln->maxrows, ln->text, ln->role);
        wrap_free(&wr);
        return;
    }
    for (size_t k = first; k < wr.n; k++, row++)
        term_text(y + row, x, w, ln->text + wr.v[k].start, wr.v[k].end - wr.v[k].start,
                  ln->role);
    if (typing) {
        const wrap_row *last = &wr.v[wr.n - 1];
        int cx = sanitize_width(ln->text + last->start, last->end - last->start,
                                term_sanitize_flags());
        if (cx >= w)
            cx = w - 1;
        term_cursor(y + row - 1, x + cx);
    }
    wrap_free(&wr);
}

static void draw(screen *s, ui *u, int rows, int cols)
{
    static lines l;
    decide *d = s->data;
    work *w = review_work(d->r);
    const int bw = 76, iw = bw - 4;
    /* Under the dialog the review stays as it was: draw it first. */
    s->below->ops->draw(s->below, u, rows, cols);
    l.n = 0;
    build(d, u, &l);
    int need = 2;
    for (int i = 0; i < l.n; i++)
        need += rows_of(&l.v[i], iw);
    /* Short of room: every reason on one row, with an ellipsis. */
    if (need > rows - 1)
        for (int i = 0; i < l.n; i++)
            if (!l.v[i].field && l.v[i].maxrows > 1) {
                need -= rows_of(&l.v[i], iw) - 1;
                l.v[i].maxrows = 1;
            }
    layout_rect b = layout_center(rows - 1, cols, need, bw);
    for (int y = b.y; y < b.y + b.h; y++)
        term_fill(y, b.x, b.w, THEME_NORMAL);
    term_box(b.y, b.x, b.h, b.w);
    term_printf_clip(b.y, b.x + 2, b.w - 4, THEME_TITLE, " Decision: %s ",
                     w->sc ? w->case_id : "loose files");
    int x = b.x + 2, y = b.y + 1, bottom = b.y + b.h - 1;
    const char *typing = ui_prompt_text(u);
    for (int i = 0; i < l.n && y < bottom; i++) {
        const line *ln = &l.v[i];
        int lw = iw - ln->indent, n = rows_of(ln, iw);
        if (y + n > bottom)
            n = bottom - y;
        if (ln->choice >= 0 && ln->choice == d->choice) {
            term_fill(y, x, iw, THEME_CURSOR);
            if (term_is_accessible() && !typing)
                term_cursor(y, x);
        }
        if (ln->field)
            draw_field(ln, y, x + ln->indent, lw, typing != NULL);
        else
            term_wrap(y, x + ln->indent, lw, n, ln->text, ln->role);
        y += n;
    }
}

/* ---- the flow ----------------------------------------------------------- */

/* A decision is final: it is recorded only after a yes. */
static int confirmed(ui *u, void *ctx)
{
    decide *d = ctx;
    work *w = review_work(d->r);
    unsigned warn = 0;
    char err[256];
    if (work_decide(w, (store_decision)d->choice, d->rationale, &warn, err, sizeof err) < 0) {
        snprintf(d->error, sizeof d->error, "not recorded: %.200s", err);
        return UI_HANDLED;
    }
    ui_message(u, THEME_MET, "recorded: %s%s%s%s", names[d->choice],
               warn & STORE_WARN_NOTES_UNSEEN ? " (no part of the notes was shown)" : "",
               warn & STORE_WARN_EVIDENCE_UNSEEN ? " (some evidence never shown)" : "",
               warn & STORE_WARN_PRACTICE ? " (practice)" : "");
    return UI_HANDLED | UI_POP;
}

static void open_editor(decide *d, ui *u);

/* Everything the store would refuse is said here, before the yes. */
static int with_rationale(ui *u, void *ctx, const char *text)
{
    decide *d = ctx;
    work *w = review_work(d->r);
    char q[128], err[160];
    snprintf(d->rationale, sizeof d->rationale, "%s", text);
    d->error[0] = 0;
    if (needs_rationale(d, d->choice) && !d->rationale[strspn(d->rationale, " ")]) {
        snprintf(d->error, sizeof d->error, "%s needs a rationale%s", names[d->choice],
                 d->contra[d->choice] ? " (why, against your verdicts)" : "");
        open_editor(d, u);
        return UI_HANDLED;
    }
    check_all(d);
    if (work_decision_check(w, (store_decision)d->choice, &d->warn[d->choice], err,
                            sizeof err) < 0) {
        snprintf(d->error, sizeof d->error, "%s is not available: %s", names[d->choice], err);
        return UI_HANDLED;
    }
    snprintf(q, sizeof q, "record %s for %s? It is final. (y/n) ", names[d->choice],
             w->sc ? w->case_id : "these notes");
    ui_confirm(u, q, confirmed, d);
    return UI_HANDLED;
}

static int keep_rationale(ui *u, void *ctx, const char *text)
{
    decide *d = ctx;
    snprintf(d->rationale, sizeof d->rationale, "%s", text);
    ui_message(u, THEME_STATUS, "rationale kept: Enter to go on");
    return UI_HANDLED;
}

static void open_editor(decide *d, ui *u)
{
    char label[64];
    snprintf(label, sizeof label, "rationale for %s:", names[d->choice]);
    ui_prompt_inline(u, label, d->rationale, with_rationale, keep_rationale, d);
}

static int enter(decide *d, ui *u)
{
    if (!d->ok[d->choice]) {
        snprintf(d->error, sizeof d->error, "%s is not available: %s", names[d->choice],
                 d->why[d->choice]);
        return UI_HANDLED;
    }
    d->error[0] = 0;
    open_editor(d, u);
    return UI_HANDLED;
}

/* A radio choice: an unavailable decision is not chosen, and says why. */
static int choose(decide *d, int i)
{
    if (!d->ok[i]) {
        snprintf(d->error, sizeof d->error, "%s is not available: %s", names[i], d->why[i]);
        return UI_HANDLED;
    }
    d->choice = i;
    d->error[0] = 0;
    return UI_HANDLED;
}

static int step(decide *d, int dir)
{
    for (int k = 1; k <= NCHOICES; k++) {
        int i = (d->choice + dir * k + NCHOICES * k) % NCHOICES;
        if (d->ok[i])
            return choose(d, i);
    }
    return UI_HANDLED;
}

static int handle(screen *s, ui *u, tui_action a, int key)
{
    decide *d = s->data;
    (void)key;
    switch (a) {
    case ACTION_UP:
        return step(d, -1);
    case ACTION_DOWN:
        return step(d, 1);
    case ACTION_CHOOSE_APPROVE:
    case ACTION_CHOOSE_DENY:
    case ACTION_CHOOSE_PEND:
    case ACTION_CHOOSE_REFER:
        return choose(d, (int)(a - ACTION_CHOOSE_APPROVE));
    case ACTION_ENTER:
        return enter(d, u);
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

static const tui_action hints[] = {ACTION_CHOOSE_APPROVE, ACTION_CHOOSE_DENY,
                                   ACTION_CHOOSE_PEND, ACTION_CHOOSE_REFER,
                                   ACTION_ENTER, ACTION_BACK, ACTION_NONE};
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
    /* Start on the first decision this reviewer may record, one that
     * agrees with the verdicts if there is one. */
    d->choice = -1;
    for (int pass = 0; pass < 2 && d->choice < 0; pass++)
        for (int i = 0; i < NCHOICES && d->choice < 0; i++)
            if (d->ok[i] && (pass || !d->contra[i]))
                d->choice = i;
    if (d->choice < 0)
        d->choice = 0;
    if (ui_push(u, &decide_ops, d) < 0) {
        free(d);
        return -1;
    }
    return 0;
}
