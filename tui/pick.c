#include "tui/pick.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/review.h"
#include "tui/term.h"
#include "tui/ui.h"

typedef struct {
    const policy *p;
    const policy_section *s;
} choice;

typedef struct {
    struct review *r;
    choice *v;
    size_t n, sel, proposed;
    char why[200];
} pick;

static void draw(screen *s, ui *u, int rows, int cols)
{
    pick *k = s->data;
    int body = rows - 8;
    size_t top = k->sel >= (size_t)body ? k->sel - (size_t)body + 1 : 0;
    (void)u;
    term_fill(0, 0, cols, THEME_HEADER);
    term_str(0, 0, cols, "casereview  choose the policy and section to review under",
             THEME_HEADER);
    term_printf_clip(2, 1, cols - 2, THEME_NORMAL, "proposed: %s %s %s",
                k->n ? policy_id(k->v[k->proposed].p) : "-", term_sym("\xc2\xb7", "/"),
                k->n ? policy_section_name(k->v[k->proposed].s) : "-");
    char why[260];
    snprintf(why, sizeof why, "why: %s", k->why);
    term_wrap(3, 1, cols - 2, 2, why, THEME_NA);
    /* Columns as wide as their widest cell (within reason); the title
     * takes the rest, ending in an ellipsis when it does not fit. */
    int idw = 6, secw = 7, verw = 7;
    for (size_t j = 0; j < k->n; j++) {
        int a = (int)strlen(policy_id(k->v[j].p)), b = (int)strlen(policy_section_name(k->v[j].s));
        int c = (int)strlen(policy_version(k->v[j].p));
        idw = a > idw ? (a < 20 ? a : 20) : idw;
        secw = b > secw ? (b < 14 ? b : 14) : secw;
        verw = c > verw ? (c < 14 ? c : 14) : verw;
    }
    int xid = 11, xver = xid + idw + 1, xsec = xver + verw + 1, xtitle = xsec + secw + 1;
    term_str(5, xid, idw, "policy", THEME_TITLE);
    term_str(5, xver, verw, "version", THEME_TITLE);
    term_str(5, xsec, secw, "section", THEME_TITLE);
    term_str(5, xtitle, cols - xtitle, "title", THEME_TITLE);
    for (int i = 0; i < body && top + (size_t)i < k->n; i++) {
        size_t j = top + (size_t)i;
        int sel = j == k->sel, y = 6 + i;
        theme_role role = sel ? THEME_CURSOR : THEME_NORMAL;
        if (sel)
            term_fill(y, 0, cols, THEME_CURSOR);
        term_printf(y, 0, 10, role, "%s %s", sel ? ">" : " ",
                    j == k->proposed ? "proposed" : "");
        term_clip(y, xid, idw, policy_id(k->v[j].p), role);
        term_clip(y, xver, verw, policy_version(k->v[j].p), role);
        term_clip(y, xsec, secw, policy_section_name(k->v[j].s), role);
        term_clip(y, xtitle, cols - xtitle, policy_section_title(k->v[j].s), role);
        if (sel && term_is_accessible())
            term_cursor(y, 0);
    }
    if (k->n == 0)
        term_str(6, 1, cols - 1, "no policy is installed", THEME_ERROR);
}

static int handle(screen *s, ui *u, tui_action a, int key)
{
    pick *k = s->data;
    char err[256];
    (void)key;
    switch (a) {
    case ACTION_UP:
        if (k->sel)
            k->sel--;
        return UI_HANDLED;
    case ACTION_DOWN:
        if (k->sel + 1 < k->n)
            k->sel++;
        return UI_HANDLED;
    case ACTION_TOP:
        k->sel = 0;
        return UI_HANDLED;
    case ACTION_BOTTOM:
        k->sel = k->n ? k->n - 1 : 0;
        return UI_HANDLED;
    case ACTION_ENTER:
        if (!k->n)
            return UI_HANDLED;
        if (work_evaluate(review_work(k->r), k->v[k->sel].p, k->v[k->sel].s, err,
                          sizeof err) < 0) {
            ui_message(u, THEME_ERROR, "%s", err);
            return UI_HANDLED;
        }
        review_evaluated(k->r);
        if (review_work(k->r)->read_only)
            ui_message(u, THEME_ERROR, "%s", review_work(k->r)->read_only_why);
        return UI_HANDLED | UI_POP;
    case ACTION_BACK:
    case ACTION_QUIT:
        return UI_HANDLED | UI_POP;
    default:
        return 0;
    }
}

static void done(screen *s, ui *u)
{
    pick *k = s->data;
    (void)u;
    free(k->v);
    free(k);
}

static const tui_action hints[] = {ACTION_DOWN, ACTION_UP, ACTION_ENTER, ACTION_BACK,
                                   ACTION_NONE};
static const struct screen_ops pick_ops = {
    .name = "choose a section", .scope = SCOPE_GLOBAL, .draw = draw, .handle = handle,
    .done = done, .hints = hints};

static int collect(pick *k, const work *w)
{
    size_t cap = 0;
    for (size_t i = 0; i < policy_set_count(w->policies); i++)
        cap += policy_section_count(policy_set_at(w->policies, i));
    k->v = calloc(cap ? cap : 1, sizeof *k->v);
    if (!k->v)
        return -1;
    const policy *pp = NULL;
    const policy_section *ps = NULL;
    work_propose(w, &pp, &ps, k->why, sizeof k->why);
    for (size_t i = 0; i < policy_set_count(w->policies); i++) {
        const policy *p = policy_set_at(w->policies, i);
        for (size_t j = 0; j < policy_section_count(p); j++) {
            if (policy_section_at(p, j) == ps)
                k->proposed = k->n;
            k->v[k->n++] = (choice){p, policy_section_at(p, j)};
        }
    }
    k->sel = k->proposed;
    return 0;
}

int pick_push(ui *u, struct review *r)
{
    pick *k = calloc(1, sizeof *k);
    if (k)
        k->r = r;
    if (!k || collect(k, review_work(r)) < 0 || ui_push(u, &pick_ops, k) < 0) {
        if (k)
            free(k->v);
        free(k);
        return -1;
    }
    return 0;
}
