#include "tui/queue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/layout.h"
#include "tui/review.h"
#include "tui/sanitize.h"
#include "tui/term.h"
#include "tui/ui.h"

typedef struct {
    store *st;
    const work_options *opt;
    store_queue_item *items;
    size_t n, sel, top;
    store_queue_counts counts;
    store_sort sort;
    char filter[64];
    int stale;
    char err[200];
} queue;

static const char *const sort_names[] = {"due", "urgency", "received", "case"};

static void reload(queue *q)
{
    store_queue_opts o = {0};
    char key[STORE_ID_MAX] = "";
    if (q->n)
        snprintf(key, sizeof key, "%s", q->items[q->sel].case_id);
    free(q->items);
    q->items = NULL;
    q->n = 0;
    o.sort = q->sort;
    o.filter = q->filter[0] ? q->filter : NULL;
    q->err[0] = 0;
    if (store_queue(q->st, &o, &q->items, &q->n, &q->counts, q->err, sizeof q->err) < 0)
        q->n = 0;
    /* Keep the selection on the same case when it is still listed. */
    q->sel = 0;
    for (size_t i = 0; i < q->n; i++)
        if (strcmp(q->items[i].case_id, key) == 0)
            q->sel = i;
    q->stale = 0;
}

static void left_words(const store_queue_item *it, char *buf, size_t sz)
{
    long long a = it->time_left < 0 ? -it->time_left : it->time_left;
    long long d = a / 86400, h = a % 86400 / 3600, m = a % 3600 / 60;
    const char *pre = it->overdue ? "overdue " : "";
    if (d >= 100)
        snprintf(buf, sz, "%s%lldd", pre, d);
    else if (d)
        snprintf(buf, sz, "%s%lldd %02lldh", pre, d, h);
    else if (h)
        snprintf(buf, sz, "%s%lldh %02lldm", pre, h, m);
    else
        snprintf(buf, sz, "%s%lldm", pre, m);
}

static void member_words(const store_queue_item *it, char *buf, size_t sz)
{
    /* Initials only on a shared screen: the queue is scanned, not read. */
    char init[16] = "";
    size_t o = 0;
    int start = 1;
    for (const char *p = it->member_name; *p && o + 3 < sizeof init; p++) {
        if (start && *p != ' ' && (unsigned char)*p < 0x80)
            init[o++] = *p, init[o++] = '.', init[o] = 0;
        start = *p == ' ';
    }
    if (it->member_age >= 0)
        snprintf(buf, sz, "%s %s %d", init, it->member_sex[0] ? it->member_sex : "?",
                 it->member_age);
    else
        snprintf(buf, sz, "%s", init);
}

static const char *const heads[LAYOUT_Q_COUNT] = {"due", "urg", "case", "member",
                                                  "service", "policy", "status", "holder"};

/* A row's cells; left and member are the caller's buffers. */
static void row_cells(const store_queue_item *it, char *left, size_t lsz, char *member,
                      size_t msz, const char *cells[LAYOUT_Q_COUNT])
{
    left_words(it, left, lsz);
    member_words(it, member, msz);
    cells[LAYOUT_Q_DUE] = left;
    cells[LAYOUT_Q_URG] = it->urgency == STORE_URGENT ? "U" : "S";
    cells[LAYOUT_Q_CASE] = it->case_id;
    cells[LAYOUT_Q_MEMBER] = member;
    cells[LAYOUT_Q_SERVICE] = it->service;
    cells[LAYOUT_Q_POLICY] = it->policy_id;
    cells[LAYOUT_Q_STATUS] = store_status_name(it->status);
    cells[LAYOUT_Q_HOLDER] = it->holder[0] ? (it->mine ? "me" : it->holder) : "-";
}

/* The widths the listed cells want, so that nothing is cut that need
 * not be. */
static void needs(const queue *q, int need[LAYOUT_Q_COUNT])
{
    for (int c = 0; c < LAYOUT_Q_COUNT; c++)
        need[c] = (int)strlen(heads[c]);
    for (size_t k = 0; k < q->n; k++) {
        char left[32], member[64];
        const char *cells[LAYOUT_Q_COUNT];
        row_cells(&q->items[k], left, sizeof left, member, sizeof member, cells);
        for (int c = 0; c < LAYOUT_Q_COUNT; c++) {
            int n = sanitize_width(cells[c], strlen(cells[c]), term_sanitize_flags());
            need[c] = n > need[c] ? n : need[c];
        }
    }
}

static void draw_row(queue *q, int y, int cols, const int *w, size_t k)
{
    const store_queue_item *it = &q->items[k];
    int sel = k == q->sel, x = LAYOUT_Q_MARKS;
    char left[32], member[64];
    const char *cells[LAYOUT_Q_COUNT];
    theme_role base = sel ? THEME_CURSOR : THEME_NORMAL;
    if (sel)
        term_fill(y, 0, cols, THEME_CURSOR);
    /* Two marks: the selection, and '!' for overdue (never colour alone). */
    term_str(y, 0, 1, sel ? ">" : " ", base);
    if (it->overdue)
        term_str(y, 1, 1, "!", sel ? base : THEME_OVERDUE);
    row_cells(it, left, sizeof left, member, sizeof member, cells);
    for (int c = 0; c < LAYOUT_Q_COUNT; c++) {
        theme_role r = base;
        if (!sel && c == LAYOUT_Q_DUE && it->overdue)
            r = THEME_OVERDUE;
        if (!sel && c == LAYOUT_Q_URG && it->urgency == STORE_URGENT)
            r = THEME_URGENT;
        if (!sel && c == LAYOUT_Q_STATUS && it->status != STORE_STATUS_OPEN)
            r = THEME_KEY; /* pended or referred: waiting on someone */
        term_clip(y, x, w[c], cells[c], r);
        x += w[c] + 1;
    }
    if (sel && term_is_accessible())
        term_cursor(y, 0);
}

static void draw(screen *s, ui *u, int rows, int cols)
{
    queue *q = s->data;
    int w[LAYOUT_Q_COUNT], body = rows - 3;
    const store_reviewer *me = store_whoami(q->st);
    (void)u;
    if (q->stale)
        reload(q);
    int need[LAYOUT_Q_COUNT];
    needs(q, need);
    layout_compute_queue(cols, need, w);
    term_fill(0, 0, cols, THEME_HEADER);
    /* The filter first: it explains a short list. */
    term_printf_clip(0, 0, cols, THEME_HEADER,
                "casereview  queue%s%s  %s%s%s  %zu open, %zu overdue, %zu mine  sort: %s",
                q->filter[0] ? "  filter: " : "", q->filter,
                me->name[0] ? me->name : me->user, me->credentials[0] ? " " : "",
                me->credentials, q->counts.total, q->counts.overdue, q->counts.mine,
                sort_names[q->sort]);
    for (int c = 0, x = LAYOUT_Q_MARKS; c < LAYOUT_Q_COUNT; x += w[c] + 1, c++)
        term_str(1, x, w[c], heads[c], THEME_TITLE);
    if (q->err[0])
        term_str(2, 2, cols - 2, q->err, THEME_ERROR);
    else if (q->n == 0)
        term_str(2, 2, cols - 2,
                 q->filter[0] ? "no case matches the filter" : "no open case: the queue is empty",
                 THEME_NA);
    if (q->sel < q->top)
        q->top = q->sel;
    if (q->sel >= q->top + (size_t)body)
        q->top = q->sel - (size_t)body + 1;
    for (int i = 0; i < body && q->top + (size_t)i < q->n; i++)
        draw_row(q, 2 + i, cols, w, q->top + (size_t)i);
}

static int open_case(queue *q, ui *u)
{
    char err[256];
    if (!q->n)
        return UI_HANDLED;
    work *w = work_open_case(q->st, q->items[q->sel].case_id, q->opt, err, sizeof err);
    if (!w) {
        ui_message(u, THEME_ERROR, "%s", err);
        return UI_HANDLED;
    }
    if (review_push(u, w) < 0) {
        work_close(w);
        ui_message(u, THEME_ERROR, "out of memory");
    }
    q->stale = 1;
    return UI_HANDLED;
}

static int with_filter(ui *u, void *ctx, const char *text)
{
    queue *q = ctx;
    (void)u;
    snprintf(q->filter, sizeof q->filter, "%s", text);
    q->stale = 1;
    return UI_HANDLED;
}

static int claim(queue *q, ui *u, int release)
{
    char err[256];
    if (!q->n)
        return UI_HANDLED;
    const char *id = q->items[q->sel].case_id;
    int rc = release ? store_release(q->st, id, err, sizeof err)
                     : store_claim(q->st, id, err, sizeof err);
    if (rc < 0)
        ui_message(u, THEME_ERROR, "%s", err);
    else
        ui_message(u, THEME_STATUS, "%s %s", release ? "released" : "claimed", id);
    q->stale = 1;
    return UI_HANDLED;
}

static int take_over(ui *u, void *ctx)
{
    queue *q = ctx;
    char err[256];
    const char *id = q->items[q->sel].case_id;
    if (store_takeover(q->st, id, err, sizeof err) < 0)
        ui_message(u, THEME_ERROR, "%s", err);
    else
        ui_message(u, THEME_STATUS, "took over %s", id);
    q->stale = 1;
    return UI_HANDLED;
}

/* An administrator takes a case from the reviewer who holds it (who is
 * away, say): asked first, as it takes work from someone. */
static int takeover(queue *q, ui *u)
{
    char question[200];
    if (!q->n)
        return UI_HANDLED;
    const store_queue_item *it = &q->items[q->sel];
    if (!store_whoami(q->st)->admin) {
        ui_message(u, THEME_ERROR, "only an administrator takes over a claim");
        return UI_HANDLED;
    }
    if (!it->holder[0] || it->mine) {
        ui_message(u, THEME_STATUS, "%s is %s: c claims it", it->case_id,
                   it->mine ? "yours already" : "held by nobody");
        return UI_HANDLED;
    }
    snprintf(question, sizeof question, "take over %s from %.64s? (y/n) ", it->case_id,
             it->holder_name[0] ? it->holder_name : it->holder);
    ui_confirm(u, question, take_over, q);
    return UI_HANDLED;
}

static int handle(screen *s, ui *u, tui_action a, int key)
{
    queue *q = s->data;
    long sel = (long)q->sel, n = (long)q->n;
    (void)key;
    switch (a) {
    case ACTION_UP: sel--; break;
    case ACTION_DOWN: sel++; break;
    case ACTION_PAGE_UP: sel -= 10; break;
    case ACTION_PAGE_DOWN: sel += 10; break;
    case ACTION_TOP: sel = 0; break;
    case ACTION_BOTTOM: sel = n - 1; break;
    case ACTION_ENTER:
        return open_case(q, u);
    case ACTION_CLAIM:
    case ACTION_RELEASE:
        return claim(q, u, a == ACTION_RELEASE);
    case ACTION_TAKEOVER:
        return takeover(q, u);
    case ACTION_FILTER:
        ui_prompt(u, "filter (case, member, service, policy): ", q->filter, with_filter, q);
        return UI_HANDLED;
    case ACTION_SORT:
        q->sort = (store_sort)((q->sort + 1) % 4);
        q->stale = 1;
        return UI_HANDLED;
    case ACTION_RELOAD:
        q->stale = 1;
        return UI_HANDLED;
    default:
        return 0;
    }
    q->sel = (size_t)(sel < 0 || n == 0 ? 0 : sel >= n ? n - 1 : sel);
    return UI_HANDLED;
}

static void done(screen *s, ui *u)
{
    queue *q = s->data;
    (void)u;
    free(q->items);
    free(q);
}

static const tui_action hints[] = {ACTION_ENTER, ACTION_CLAIM, ACTION_RELEASE,
                                   ACTION_TAKEOVER, ACTION_FILTER, ACTION_SORT,
                                   ACTION_QUIT, ACTION_NONE};
static const struct screen_ops queue_ops = {
    .name = "queue", .scope = SCOPE_QUEUE, .draw = draw, .handle = handle,
    .done = done, .hints = hints};

int queue_push(ui *u, store *st, const work_options *opt)
{
    queue *q = calloc(1, sizeof *q);
    if (!q)
        return -1;
    q->st = st;
    q->opt = opt;
    q->stale = 1;
    if (ui_push(u, &queue_ops, q) < 0) {
        free(q);
        return -1;
    }
    return 0;
}
