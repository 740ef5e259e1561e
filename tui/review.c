#include "tui/review.h"

#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui/decide.h"
#include "tui/facts.h"
#include "tui/layout.h"
#include "tui/noteview.h"
#include "tui/pick.h"
#include "tui/sanitize.h"
#include "tui/term.h"
#include "tui/wrap.h"

enum { FOCUS_CRITERIA, FOCUS_NOTE, FOCUS_FACTS, FOCUS_COUNT };

struct review {
    work *w;
    /* A long note is read on another thread while its text shows: until
     * loaded is set, only the notes may be touched (work_load). */
    int loading;
    pthread_t loader;
    atomic_int loaded;
    int load_rc;
    char load_err[256];
    int moved;          /* the reviewer moved in the note while it was read */
    noteview *nv;
    int focus;
    size_t sel;         /* selected criterion */
    long top, cur;      /* note pane: first row shown, cursor row */
    long anchor;        /* start of a span being selected, -1 none */
    long span_end;      /* its end once v ended it, -1 while it follows the cursor */
    size_t ev;          /* which evidence ]/[ is at */
    int detail_top;     /* detail pane scroll */
    size_t fact_sel, fact_top;
    size_t *bar;        /* facts of the facts row: first mention of each value */
    size_t nbar;
    int bar_ready;
    int note_h;         /* rows of text in the note pane, last frame */
    char search[128];
    int search_note;
    size_t search_off, search_len;
    work_span *match;   /* every match of the search, in note order */
    size_t nmatch, match_cap, match_at;
    int on_match;       /* the highlight is match_at (not a fact's place) */
    int restored;
    int pending_note;   /* a saved scroll position to apply, -1 none */
    size_t pending_off;
    int pending_select; /* select_criterion after the first layout */
};

/* ---- moving around ---------------------------------------------------- */

static long clamp(long v, long lo, long hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* A jump puts its row about a third down the pane, with context above
 * and the rest of the evidence below; a row already in the upper two
 * thirds stays where it is, so that walking nearby evidence does not
 * scroll. */
static void show_row(review *r, long row)
{
    long n = noteview_rows(r->nv), h = r->note_h > 0 ? r->note_h : 10;
    r->cur = clamp(row, 0, n - 1);
    if (r->cur < r->top || r->cur > r->top + h * 2 / 3)
        r->top = r->cur - h / 3;
    r->top = clamp(r->top, 0, n > h ? n - h : 0);
}

void review_jump(review *r, int ni, size_t off)
{
    show_row(r, noteview_row_of(r->nv, ni, off));
}

work *review_work(review *r)
{
    return r->w;
}

/* Evidence of a criterion: the engine's, then the reviewer's marks. */
static size_t nspans(const work_criterion *c)
{
    return c->nevidence + c->nmarks;
}

static const work_span *span_at(const work_criterion *c, size_t k)
{
    return k < c->nevidence ? &c->evidence[k] : &c->marks[k - c->nevidence];
}

static void select_criterion(review *r, size_t i)
{
    if (r->w->ncrit == 0)
        return;
    r->sel = i < r->w->ncrit ? i : r->w->ncrit - 1;
    r->ev = 0;
    r->detail_top = 0;
    const work_criterion *c = &r->w->crit[r->sel];
    if (nspans(c))
        review_jump(r, span_at(c, 0)->note, span_at(c, 0)->start);
}

static void step_evidence(review *r, ui *u, int dir)
{
    const work_criterion *c = &r->w->crit[r->sel];
    size_t n = nspans(c);
    if (n == 0) {
        ui_message(u, THEME_STATUS, "no evidence for %s: mark some with e in the note",
                   policy_criterion_id(c->pc));
        return;
    }
    r->ev = (r->ev + (dir > 0 ? 1 : n - 1)) % n;
    review_jump(r, span_at(c, r->ev)->note, span_at(c, r->ev)->start);
}

void review_evaluated(review *r)
{
    store_ui_state st;
    r->sel = 0;
    r->restored = 0;
    if (work_load_ui(r->w, &st) == 0 && st.criterion[0]) {
        for (size_t i = 0; i < r->w->ncrit; i++)
            if (strcmp(policy_criterion_id(r->w->crit[i].pc), st.criterion) == 0)
                r->sel = i;
        r->restored = 1;
        /* scroll holds the byte offset of the first row shown, which
         * survives a different terminal width; rows exist only after the
         * first layout, so it is applied then. */
        if (st.note >= 0 && (size_t)st.note < r->w->nnotes && st.scroll >= 0) {
            r->pending_note = st.note;
            r->pending_off = (size_t)st.scroll;
        }
        return;
    }
    r->pending_select = 1;
}

/* ---- drawing ---------------------------------------------------------- */

static void time_left(long long secs, char *buf, size_t sz)
{
    long long a = secs < 0 ? -secs : secs;
    long long d = a / 86400, h = a % 86400 / 3600, m = a % 3600 / 60;
    const char *pre = secs < 0 ? "overdue " : "due ";
    if (d)
        snprintf(buf, sz, "%s%lldd %02lldh", pre, d, h);
    else if (h)
        snprintf(buf, sz, "%s%lldh %02lldm", pre, h, m);
    else
        snprintf(buf, sz, "%s%lldm", pre, m);
}

/* Case, policy and section first; then, as room allows, the policy's
 * version (the one the case is reviewed under) and the reviewer; the
 * state or the time left at the right. */
static void draw_header(review *r, layout_rect a)
{
    work *w = r->w;
    const policy *pol = r->loading ? w->want_pol : w->pol;
    const policy_section *sec = r->loading ? w->want_sec : w->sec;
    char right[64] = "", left[256], ver[80] = "", me_words[160] = "";
    term_fill(a.y, 0, a.w, THEME_HEADER);
    if (w->read_only) {
        snprintf(right, sizeof right, "read-only");
    } else if (w->decided) {
        snprintf(right, sizeof right, "decided: %s", store_decision_name(w->decision));
    } else if (w->sc && w->sc->status != STORE_STATUS_OPEN) {
        snprintf(right, sizeof right, "%s", store_status_name(w->sc->status));
    } else if (w->sc) {
        time_left((long long)(w->sc->due - time(NULL)), right, sizeof right);
    } else {
        snprintf(right, sizeof right, "loose files: verdicts not saved");
    }
    int rw = (int)strlen(right);
    snprintf(left, sizeof left, "casereview  %s  %s %s %s", w->sc ? w->case_id : "review",
             pol ? policy_id(pol) : "-", term_sym("\xc2\xb7", "/"),
             sec ? policy_section_name(sec) : "-");
    if (w->version_missing && pol) {
        /* Shown under another version than the one reviewed under. */
        const char *pv = policy_version(pol), *r1 = strrchr(w->version, 'r');
        int same_day = r1 && strncmp(pv, w->version, (size_t)(r1 - w->version)) == 0;
        snprintf(ver, sizeof ver, " %s (not %s)", pv, same_day ? r1 : w->version);
    } else if (pol)
        snprintf(ver, sizeof ver, " %s", policy_version(pol));
    if (w->sc) {
        const store_reviewer *me = store_whoami(w->st);
        snprintf(me_words, sizeof me_words, "  %s%s%s", me->name[0] ? me->name : me->user,
                 me->credentials[0] ? " " : "", me->credentials);
    }
    int room = a.w - rw - 1, x = term_clip(a.y, 0, room, left, THEME_HEADER);
    if (x + (int)strlen(ver) <= room)
        x += term_str(a.y, x, room - x, ver, THEME_HEADER);
    if (x + sanitize_width(me_words, strlen(me_words), term_sanitize_flags()) <= room)
        term_str(a.y, x, room - x, me_words, THEME_HEADER);
    term_str(a.y, a.w - rw, rw, right,
             w->sc && !w->decided && w->sc->status == STORE_STATUS_OPEN &&
                     w->sc->due < time(NULL) ? THEME_OVERDUE : THEME_HEADER);
}

static const char *verdict_word(store_verdict v)
{
    return v == STORE_VERDICT_MET ? "met" : v == STORE_VERDICT_NOT_MET ? "not met" : "n/a";
}

static const char *suggestion_word(check_suggestion s)
{
    return s == CHECK_MET ? "met" : s == CHECK_NOT_MET ? "not met"
                          : s == CHECK_NA ? "n/a" : "unknown";
}

static theme_role verdict_role(store_verdict v)
{
    return v == STORE_VERDICT_MET ? THEME_MET : v == STORE_VERDICT_NOT_MET ? THEME_NOT_MET
                                                                           : THEME_NA;
}

static theme_role suggestion_role(check_suggestion s)
{
    return s == CHECK_MET ? THEME_MET : s == CHECK_NOT_MET ? THEME_NOT_MET
                          : s == CHECK_NA ? THEME_NA : THEME_UNKNOWN;
}

static const char *outcome_words(check_outcome o)
{
    return o == CHECK_MEETS ? "meets" : o == CHECK_DOES_NOT_MEET ? "does not meet"
                                                               : "insufficient";
}

static void pane_title(layout_rect a, int focused, const char *buf)
{
    term_hline(a.y, a.x, a.w);
    term_printf_clip(a.y, a.x + 1, a.w - 2, focused ? THEME_CURSOR : THEME_TITLE,
                     "%s%s%s", focused ? "[" : " ", buf, focused ? "]" : " ");
}

static void draw_list(review *r, layout_rect a)
{
    work *w = r->w;
    char title[64];
    snprintf(title, sizeof title, "Criteria %zu/%zu reviewed", w->ncrit - work_unreviewed(w),
             w->ncrit);
    pane_title(a, r->focus == FOCUS_CRITERIA, title);
    int rows = a.h - 2, first = 0, idw = 3;
    for (size_t i = 0; i < w->ncrit; i++) {
        int len = (int)strlen(policy_criterion_id(w->crit[i].pc));
        idw = len > idw ? len : idw;
    }
    if (idw > 10)
        idw = 10;
    if ((int)r->sel >= rows)
        first = (int)r->sel - rows + 1;
    for (int i = 0; i < rows && (size_t)(first + i) < w->ncrit; i++) {
        size_t k = (size_t)(first + i);
        const work_criterion *c = &w->crit[k];
        int y = a.y + 1 + i, sel = k == r->sel;
        if (sel)
            term_fill(y, a.x, a.w, THEME_CURSOR);
        theme_role base = sel ? THEME_CURSOR : THEME_NORMAL;
        term_str(y, a.x, 1, sel ? ">" : " ", base);
        term_clip(y, a.x + 1, idw, policy_criterion_id(c->pc), base);
        /* A verdict, or the suggestion with '?': not yet the reviewer's. */
        int vx = a.x + idw + 2;
        if (c->has_verdict) {
            term_str(y, vx, 9, verdict_word(c->verdict), sel ? base : verdict_role(c->verdict));
            term_str(y, vx + 9, 1, term_sym("\xe2\x9c\x93", "*"), base);
        } else {
            term_printf(y, vx, 9, sel ? base : suggestion_role(c->suggestion), "%s?",
                        suggestion_word(c->suggestion));
            term_str(y, vx + 9, 1, term_sym("\xc2\xb7", "."), base);
        }
        int x = vx + 11;
        if (c->flags[0])
            x += term_str(y, x, 2, "! ", sel ? base : THEME_FLAG);
        term_clip(y, x, a.x + a.w - x, policy_criterion_short(c->pc), base);
        if (sel && term_is_accessible())
            term_cursor(y, a.x);
    }
    check_outcome o = work_outcome(w);
    term_printf(a.y + a.h - 1, a.x + 1, a.w - 1,
                o == CHECK_MEETS ? THEME_MET : o == CHECK_DOES_NOT_MEET ? THEME_NOT_MET
                                                                        : THEME_UNKNOWN,
                "outcome: %s%s", outcome_words(o),
                work_unreviewed(w) ? " (so far)" : "");
}

/* The detail pane is a list of paragraphs, each wrapped to the pane. */
typedef struct {
    char text[1024];
    theme_role role;
    int indent;
} para;

#define MAX_PARAS 48

static int add_para(para *p, int n, theme_role role, int indent, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int add_para(para *p, int n, theme_role role, int indent, const char *fmt, ...)
{
    va_list ap;
    if (n >= MAX_PARAS)
        return n;
    va_start(ap, fmt);
    vsnprintf(p[n].text, sizeof p[n].text, fmt, ap);
    va_end(ap);
    p[n].role = role;
    p[n].indent = indent;
    return n + 1;
}

static const char *origin_words(store_origin o)
{
    return o == STORE_ORIGIN_ACCEPTED ? "accepted"
           : o == STORE_ORIGIN_OVERRIDDEN ? "overridden"
                                          : "set by hand";
}

/* "searched" comes one item per line: each becomes a paragraph. */
static int add_lines(para *p, int n, const char *s)
{
    while (s && *s && n < MAX_PARAS) {
        size_t len = strcspn(s, "\n");
        n = add_para(p, n, THEME_NORMAL, 2, "%.*s", (int)len, s);
        s += len + (s[len] == '\n');
    }
    return n;
}

/* The policy's words, labelled with where in the policy they stand
 * (unless that is only the criterion's id again). */
static int add_policy(para *p, int n, const policy *pol, const policy_criterion *pc)
{
    const char *q0 = term_sym("\xe2\x80\x9c", "\""), *q1 = term_sym("\xe2\x80\x9d", "\"");
    const char *label = policy_criterion_label(pc);
    const char *ver = pol ? policy_version(pol) : "";
    if (label && *label && strcmp(label, policy_criterion_id(pc)) != 0)
        n = add_para(p, n, THEME_KEY, 0, "policy %s, %s:", ver, label);
    else
        n = add_para(p, n, THEME_KEY, 0, "policy %s:", ver);
    return add_para(p, n, THEME_NORMAL, 1, "%s%s%s", q0, policy_criterion_text(pc), q1);
}

/* The reviewer's verdict and the suggestion come first, then the
 * policy's words; for an unknown criterion what was searched follows
 * them (PgDn when it does not fit). */
static int detail_paras(const review *r, para *p)
{
    const work_criterion *c = &r->w->crit[r->sel];
    int n = 0;
    if (c->has_verdict)
        n = add_para(p, n, verdict_role(c->verdict), 0, "verdict: %s, %s",
                     verdict_word(c->verdict), origin_words(c->origin));
    else
        n = add_para(p, n, THEME_UNKNOWN, 0, "verdict: none yet");
    if (c->reason)
        n = add_para(p, n, THEME_NORMAL, 1, "reason: %s", c->reason);
    if (c->comment)
        n = add_para(p, n, THEME_NORMAL, 1, "comment: %s", c->comment);
    n = add_para(p, n, suggestion_role(c->suggestion), 0, "suggested: %s%s%s",
                 suggestion_word(c->suggestion), c->rule ? ", by: " : "",
                 c->rule ? c->rule : "");
    if (nspans(c))
        n = add_para(p, n, THEME_NORMAL, 1, "evidence: %zu span%s (] next)%s",
                     nspans(c), nspans(c) == 1 ? "" : "s",
                     c->nmarks ? ", some marked by hand" : "");
    else
        n = add_para(p, n, THEME_NORMAL, 1, "evidence: none in the notes");
    if (c->flags[0])
        n = add_para(p, n, THEME_FLAG, 0, "! %s", c->flags);
    n = add_policy(p, n, r->w->pol, c->pc);
    if (c->suggestion == CHECK_UNKNOWN && c->searched && *c->searched) {
        n = add_para(p, n, THEME_KEY, 0, "searched, found nothing:");
        n = add_lines(p, n, c->searched);
    }
    return n;
}

static void draw_detail(review *r, layout_rect a)
{
    static para p[MAX_PARAS];
    const work_criterion *c = &r->w->crit[r->sel];
    const char *sh = policy_criterion_short(c->pc);
    char title[160];
    snprintf(title, sizeof title, "%s %s %s", policy_criterion_id(c->pc),
             term_sym("\xc2\xb7", "-"), sh && *sh ? sh : policy_criterion_label(c->pc));
    pane_title(a, 0, title);
    int n = detail_paras(r, p), row = 0, y = a.y + 1, h = a.h - 1, total = 0;
    for (int i = 0; i < n; i++) {
        wrap_rows wr = {0};
        if (wrap_text(p[i].text, strlen(p[i].text), a.w - p[i].indent,
                      term_sanitize_flags(), &wr) == 0)
            total += (int)wr.n;
        wrap_free(&wr);
    }
    if (r->detail_top > total - h + 1)
        r->detail_top = total - h + 1 > 0 ? total - h + 1 : 0;
    /* Scrolled, the first row says so; more below, the last one. */
    int above = r->detail_top > 0;
    if (above)
        y++, h--;
    int more = total - r->detail_top > h;
    if (more)
        h--;
    for (int i = 0; i < n; i++) {
        wrap_rows wr = {0};
        size_t len = strlen(p[i].text);
        int w = a.w - p[i].indent;
        if (wrap_text(p[i].text, len, w, term_sanitize_flags(), &wr) < 0)
            break;
        for (size_t k = 0; k < wr.n; k++, row++) {
            if (row < r->detail_top || row - r->detail_top >= h)
                continue;
            term_text(y + row - r->detail_top, a.x + p[i].indent, w,
                      p[i].text + wr.v[k].start, wr.v[k].end - wr.v[k].start, p[i].role);
        }
        wrap_free(&wr);
    }
    if (above)
        term_printf(a.y + 1, a.x, a.w, THEME_KEY, "%s more: PgUp",
                    term_sym("\xe2\x86\x91", "^"));
    if (more)
        term_printf(a.y + a.h - 1, a.x, a.w, THEME_KEY, "%s more: PgDn",
                    term_sym("\xe2\x86\x93", "v"));
}

/* ---- the note pane ---------------------------------------------------- */

typedef struct {
    noteview_hl *v;
    size_t n, cap;
} hl_list;

static void hl_add(hl_list *l, const work_span *sp, theme_role role, char gutter)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        noteview_hl *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return; /* fewer highlights, never a crash */
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = (noteview_hl){sp->note, sp->start, sp->end, role, gutter};
}

/* The rows a span being selected covers: from the anchor to the cursor,
 * or to where a second v ended it. */
static void span_rows(const review *r, long *a, long *b)
{
    long end = r->span_end >= 0 ? r->span_end : r->cur;
    *a = r->anchor < end ? r->anchor : end;
    *b = r->anchor < end ? end : r->anchor;
}

/* The first sentence of nt starting at or after off. */
static size_t sentence_from(const note *nt, size_t off)
{
    size_t lo = 0, hi = nt->nsentences;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (nt->sentences[mid].start < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Where a mark on rows [s0 .. e1) starts and ends, snapped to sentences
 * so that it can be part of a line: from the first sentence that starts
 * on the first row (else that row's start) to the end of the last one
 * that ends on the last row (else that row's end). */
static work_span snap_to_sentences(const note *nt, int ni, size_t s0, size_t e0,
                                   size_t s1, size_t e1)
{
    work_span sp = {ni, s0, e1};
    size_t k = sentence_from(nt, s0);
    if (k < nt->nsentences && nt->sentences[k].start < (e0 > s0 ? e0 : s0 + 1))
        sp.start = nt->sentences[k].start;
    /* The last sentence ending within the last row. */
    size_t j = sentence_from(nt, e1 + 1);
    while (j > 0 && nt->sentences[j - 1].end > e1 + 1)
        j--;
    if (j > 0 && nt->sentences[j - 1].end > s1 && nt->sentences[j - 1].end > sp.start)
        sp.end = nt->sentences[j - 1].end;
    if (sp.end <= sp.start)
        sp = (work_span){ni, s0, e1};
    /* A row ends at the blank it was wrapped at: not part of the mark. */
    while (sp.end > sp.start && strchr(" \t\r\n", nt->text[sp.end - 1]))
        sp.end--;
    while (sp.start < sp.end && strchr(" \t\r\n", nt->text[sp.start]))
        sp.start++;
    return sp;
}

/* The text a span of rows being selected stands for; -1 when the rows
 * are not within one note's text. */
static int selected_span(const review *r, work_span *sp)
{
    long a, b;
    int n0, n1, t0, t1;
    size_t s0, e0, s1, e1;
    span_rows(r, &a, &b);
    noteview_row(r->nv, a, &n0, &s0, &e0, &t0);
    noteview_row(r->nv, b, &n1, &s1, &e1, &t1);
    if (t0 || t1 || n0 != n1)
        return -1;
    *sp = snap_to_sentences(r->w->notes[n0], n0, s0, e0, s1, e1);
    return 0;
}

/* Without a span, e marks the sentence the cursor is on: the first that
 * starts on its row, else the one the row is part of. */
static int cursor_sentence(const review *r, work_span *sp)
{
    int ni, t;
    size_t s, e;
    noteview_row(r->nv, r->cur, &ni, &s, &e, &t);
    if (t)
        return -1;
    const note *nt = r->w->notes[ni];
    size_t k = sentence_from(nt, s);
    if (k < nt->nsentences && nt->sentences[k].start <= e && nt->sentences[k].start >= s &&
        (nt->sentences[k].start < e || s == e))
        *sp = (work_span){ni, nt->sentences[k].start, nt->sentences[k].end};
    else if ((k = note_sentence_at(nt, s)) != (size_t)-1)
        *sp = (work_span){ni, nt->sentences[k].start, nt->sentences[k].end};
    else
        *sp = (work_span){ni, s, e};
    return sp->end > sp->start ? 0 : -1;
}

static void collect_highlights(const review *r, hl_list *l)
{
    const work *w = r->w;
    for (size_t i = 0; i < w->ncrit; i++) {
        const work_criterion *c = &w->crit[i];
        if (i == r->sel)
            continue;
        for (size_t k = 0; k < nspans(c); k++)
            hl_add(l, span_at(c, k), THEME_EVIDENCE_OTHER, '+');
    }
    if (w->ncrit) {
        const work_criterion *c = &w->crit[r->sel];
        for (size_t k = 0; k < c->nevidence; k++)
            hl_add(l, &c->evidence[k], THEME_EVIDENCE, '*');
        for (size_t k = 0; k < c->nmarks; k++)
            hl_add(l, &c->marks[k], THEME_MARK, 'm');
    }
    if (r->search_len) {
        work_span sp = {r->search_note, r->search_off, r->search_off + r->search_len};
        hl_add(l, &sp, THEME_SEARCH, 0);
    }
    if (r->anchor >= 0 && r->focus == FOCUS_NOTE) {
        work_span sp;
        if (selected_span(r, &sp) == 0)
            hl_add(l, &sp, THEME_MARK, 'v');
    }
}

/* The criteria a row's text is evidence for, as "2, L.1". */
static void row_supports(const review *r, long row, char *buf, size_t sz)
{
    int ni, title;
    size_t s, e, o = 0;
    buf[0] = 0;
    if (row < 0 || row >= noteview_rows(r->nv))
        return;
    noteview_row(r->nv, row, &ni, &s, &e, &title);
    for (size_t i = 0; i < r->w->ncrit && !title; i++) {
        const work_criterion *c = &r->w->crit[i];
        for (size_t k = 0; k < nspans(c); k++) {
            const work_span *sp = span_at(c, k);
            if (sp->note != ni || sp->end <= s || sp->start > e)
                continue;
            int n = snprintf(buf + o, sz - o, "%s%s", o ? ", " : "",
                             policy_criterion_id(c->pc));
            if (n > 0 && (size_t)n < sz - o)
                o += (size_t)n;
            break;
        }
    }
}

/* Where the cursor is, the same whatever pane has the focus: the note,
 * its line, and how far down the note's rows (which moves in a note of
 * one long paragraph, where the line does not). */
static void note_position(const review *r, char *buf, size_t sz)
{
    long n = noteview_rows(r->nv), first, cnt;
    int ni, title;
    size_t s, e;
    buf[0] = 0;
    if (!n)
        return;
    noteview_row(r->nv, clamp(r->cur, 0, n - 1), &ni, &s, &e, &title);
    noteview_note_rows(r->nv, ni, &first, &cnt);
    const note *nt = r->w->notes[ni];
    long at = clamp(r->cur, first, first + (cnt ? cnt - 1 : 0)) - first;
    int pct = cnt > 1 ? (int)(at * 100 / (cnt - 1)) : 100;
    snprintf(buf, sz, "Note %d/%zu %s line %zu/%zu %s %d%%", ni + 1, r->w->nnotes,
             term_sym("\xc2\xb7", "-"), title ? 1 : note_line_at(nt, s), nt->nlines,
             term_sym("\xc2\xb7", "-"), pct);
}

/* The note's last row while it has the focus: which criteria the row
 * under the cursor is evidence for (every id, wrapped to a second row
 * if need be), or the span being selected. */
static int note_footer(const review *r, layout_rect a, int draw)
{
    char sup[512] = "", buf[600];
    if (r->loading) {
        snprintf(buf, sizeof buf, "reading the notes: evidence shows soon");
    } else if (r->anchor >= 0) {
        long s0, s1;
        span_rows(r, &s0, &s1);
        snprintf(buf, sizeof buf, "span: %ld row%s; %s", s1 - s0 + 1, s1 > s0 ? "s" : "",
                 r->span_end >= 0 ? "e marks it, Esc drops it" : "move, v ends it, e marks it");
    } else {
        row_supports(r, r->cur, sup, sizeof sup);
        if (sup[0])
            snprintf(buf, sizeof buf, "evidence for %s", sup);
        else
            snprintf(buf, sizeof buf, "not evidence: e marks the sentence");
    }
    int rows = sanitize_width(buf, strlen(buf), term_sanitize_flags()) > a.w - 1 ? 2 : 1;
    if (draw)
        term_wrap(a.y + a.h - rows, a.x + 1, a.w - 1, rows, buf,
                  sup[0] || r->anchor >= 0 ? THEME_KEY : THEME_NA);
    return rows;
}

static void draw_note(review *r, ui *u, layout_rect a)
{
    layout_rect body = {a.y + 1, a.x, a.h - 1, a.w};
    long n = noteview_rows(r->nv);
    char where[128];
    if (r->focus == FOCUS_NOTE && n)
        body.h -= note_footer(r, a, 0);
    r->note_h = body.h;
    /* The cursor stays in view when the footer takes a row. */
    if (r->cur >= r->top + body.h)
        r->top = r->cur - body.h + 1;
    r->top = clamp(r->top, 0, n > body.h ? n - body.h : 0);
    hl_list l = {0};
    if (!r->loading)
        collect_highlights(r, &l);
    noteview_draw(r->nv, body, r->top, r->focus == FOCUS_NOTE ? r->cur : -1, l.v, l.n);
    free(l.v);
    /* What reached the screen is recorded, so the store can tell whether
     * the reviewer saw the evidence of a verdict. */
    for (long i = r->top; i < r->top + body.h && i < n; i++) {
        int vn, vt;
        size_t vs, ve;
        noteview_row(r->nv, i, &vn, &vs, &ve, &vt);
        if (!vt)
            work_displayed(r->w, vn, vs, ve + 1 <= r->w->notes[vn]->len ? ve + 1 : ve);
    }
    note_position(r, where, sizeof where);
    pane_title(a, r->focus == FOCUS_NOTE, where);
    if (r->focus == FOCUS_NOTE && n) {
        for (int y = body.y + body.h; y < a.y + a.h; y++)
            term_fill(y, a.x, a.w, THEME_NORMAL);
        note_footer(r, a, 1);
    }
    (void)u;
}

/* ---- facts ------------------------------------------------------------ */

static void fact_words(const work_fact *wf, char *buf, size_t sz)
{
    const fact *f = wf->f;
    const char *st = f->status == CTX_AFFIRMED ? "" : ctx_status_name(f->status);
    snprintf(buf, sz, "%s%s%s%s", f->value, st[0] ? " (" : "", st, st[0] ? ")" : "");
}

static const work *sort_w;

static int by_value(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int c = strcmp(sort_w->allfacts[i].f->value, sort_w->allfacts[j].f->value);
    return c ? c : (i > j) - (i < j);
}

static int by_index(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    return (i > j) - (i < j);
}

/* The first mention of each value, in note order: once, by sorting (a
 * note may hold thousands of facts). */
static void bar_facts(review *r)
{
    const work *w = r->w;
    r->bar_ready = 1;
    if (!w->nfacts || !(r->bar = malloc(w->nfacts * sizeof *r->bar)))
        return;
    for (size_t i = 0; i < w->nfacts; i++)
        r->bar[i] = i;
    sort_w = w;
    qsort(r->bar, w->nfacts, sizeof *r->bar, by_value);
    size_t n = 0;
    for (size_t i = 0; i < w->nfacts; i++)
        if (i == 0 || strcmp(w->allfacts[r->bar[i]].f->value,
                             w->allfacts[r->bar[n - 1]].f->value) != 0)
            r->bar[n++] = r->bar[i];
    qsort(r->bar, n, sizeof *r->bar, by_index);
    r->nbar = n;
}

/* One row of facts: whole items only (a cut code could read as another
 * code, "Q93.8" for "Q93.88"), then how many more there are. */
static void draw_factbar(review *r, layout_rect a)
{
    const work *w = r->w;
    int x = term_str(a.y, 0, a.w, "facts: ", THEME_TITLE);
    const char *sep = term_sym(" \xc2\xb7 ", " | ");
    int sepw = sanitize_width(sep, strlen(sep), term_sanitize_flags());
    size_t shown = 0;
    if (!r->bar_ready)
        bar_facts(r);
    if (w->nfacts == 0)
        term_str(a.y, x, a.w - x, "none found", THEME_NA);
    int end = a.w - 20; /* room for "  +NN more  f: all" */
    for (size_t i = 0; i < r->nbar; i++) {
        char buf[FACT_VALUE_MAX + 32];
        const work_fact *wf = &w->allfacts[r->bar[i]];
        fact_words(wf, buf, sizeof buf);
        int bw = sanitize_width(buf, strlen(buf), term_sanitize_flags());
        if (x + (shown ? sepw : 0) + bw > end)
            break; /* keep the order: nothing after one left out */
        if (shown)
            x += term_str(a.y, x, sepw, sep, THEME_NA);
        x += term_str(a.y, x, bw, buf,
                      wf->f->status == CTX_AFFIRMED ? THEME_NORMAL : THEME_NA);
        shown++;
    }
    if (r->nbar > shown)
        term_printf(a.y, x, a.w - 8 - x, THEME_NA, "%s+%zu more", shown ? "  " : "",
                    r->nbar - shown);
    term_str(a.y, a.w - 8, 8, " f: all", THEME_KEY);
}

static void draw_facts_column(review *r, layout_rect a)
{
    char title[48];
    snprintf(title, sizeof title, "Facts %zu", r->w->nfacts);
    pane_title(a, r->focus == FOCUS_FACTS, title);
    int rows = a.h - 1;
    if (r->fact_sel < r->fact_top)
        r->fact_top = r->fact_sel;
    if (r->fact_sel >= r->fact_top + (size_t)rows)
        r->fact_top = r->fact_sel - (size_t)rows + 1;
    for (int i = 0; i < rows && r->fact_top + (size_t)i < r->w->nfacts; i++) {
        size_t k = r->fact_top + (size_t)i;
        const work_fact *wf = &r->w->allfacts[k];
        char buf[FACT_VALUE_MAX + 32];
        int sel = r->focus == FOCUS_FACTS && k == r->fact_sel;
        fact_words(wf, buf, sizeof buf);
        if (sel)
            term_fill(a.y + 1 + i, a.x, a.w, THEME_CURSOR);
        term_printf_clip(a.y + 1 + i, a.x, a.w, sel ? THEME_CURSOR : THEME_NORMAL,
                         "%s%-6.6s %s", sel ? ">" : " ", fact_kind_name(wf->f->kind), buf);
        if (sel && term_is_accessible())
            term_cursor(a.y + 1 + i, a.x);
    }
}

/* While the notes are read: the section's criteria as the policy lists
 * them, and the first one's words, so the reviewer can start reading. */
static void draw_loading(review *r, layout_rect list, layout_rect detail)
{
    const policy_section *sec = r->w->want_sec;
    size_t bytes = 0;
    char size[32];
    for (size_t i = 0; i < r->w->nnotes; i++)
        bytes += r->w->notes[i]->len;
    if (bytes >= 1 << 20)
        snprintf(size, sizeof size, "%.1f MB", bytes / 1048576.0);
    else
        snprintf(size, sizeof size, "%zu KB", (bytes + 1023) / 1024);
    pane_title(list, r->focus == FOCUS_CRITERIA, "Criteria: reading the notes");
    for (int i = 0; sec && i < list.h - 2 && (size_t)i < policy_criterion_count(sec); i++) {
        const policy_criterion *pc = policy_criterion_at(sec, (size_t)i);
        term_str(list.y + 1 + i, list.x + 1, 10, policy_criterion_id(pc), THEME_NORMAL);
        term_str(list.y + 1 + i, list.x + 12, 3, term_ellipsis(), THEME_NA);
        term_clip(list.y + 1 + i, list.x + 16, list.w - 16, policy_criterion_short(pc),
                  THEME_NORMAL);
    }
    term_printf_clip(list.y + list.h - 1, list.x + 1, list.w - 1, THEME_UNKNOWN,
                     "reading %s of notes%s", size, term_ellipsis());
    pane_title(detail, 0, sec ? "The policy's words" : "Choosing the section");
    if (!sec) {
        term_wrap(detail.y + 1, detail.x, detail.w, detail.h - 1,
                  "the section is proposed once the notes are read", THEME_NA);
        return;
    }
    static para p[MAX_PARAS];
    int n = add_policy(p, 0, r->w->want_pol, policy_criterion_at(sec, 0)), y = detail.y + 1;
    for (int i = 0; i < n && y < detail.y + detail.h; i++)
        y += term_wrap(y, detail.x + p[i].indent, detail.w - p[i].indent,
                       detail.y + detail.h - y, p[i].text, p[i].role);
}

static void draw(screen *s, ui *u, int rows, int cols)
{
    review *r = s->data;
    layout_review l;
    const policy_section *wanted = r->loading ? r->w->want_sec : r->w->sec;
    layout_compute_review(rows, cols,
                          r->loading ? (wanted ? (int)policy_criterion_count(wanted) : 4)
                                     : (int)r->w->ncrit,
                          &l);
    /* A new width rewraps the notes: keep the same text at the top and
     * under the cursor, whatever rows it now falls on. */
    int ntop = -1, ncur = -1, t;
    size_t otop = 0, ocur = 0, e;
    if (noteview_width(r->nv) && noteview_width(r->nv) != l.note.w - 2 &&
        noteview_rows(r->nv)) {
        noteview_row(r->nv, clamp(r->top, 0, noteview_rows(r->nv) - 1), &ntop, &otop, &e, &t);
        noteview_row(r->nv, clamp(r->cur, 0, noteview_rows(r->nv) - 1), &ncur, &ocur, &e, &t);
    }
    if (noteview_layout(r->nv, l.note.w - 2, term_sanitize_flags()) < 0) {
        term_str(0, 0, cols, "out of memory", THEME_ERROR);
        return;
    }
    if (ntop >= 0) {
        r->top = noteview_row_of(r->nv, ntop, otop);
        r->cur = noteview_row_of(r->nv, ncur, ocur);
        r->anchor = r->span_end = -1;
    }
    if (r->pending_note >= 0) {
        r->note_h = l.note.h - 1;
        r->top = noteview_row_of(r->nv, r->pending_note, r->pending_off);
        r->cur = r->top;
        r->pending_note = -1;
    }
    if (r->pending_select) {
        r->note_h = l.note.h - 1;
        r->pending_select = 0;
        select_criterion(r, r->sel);
    }
    draw_header(r, l.header);
    if (r->loading) {
        draw_loading(r, l.list, l.detail);
    } else if (r->w->ncrit) {
        draw_list(r, l.list);
        draw_detail(r, l.detail);
    } else {
        term_str(l.list.y + 1, 1, l.list.w - 1,
                 r->w->sec ? "this section has no criteria" : "no section chosen: press Enter",
                 THEME_UNKNOWN);
    }
    term_vline(l.list.y, l.list.w, l.list.h + l.detail.h);
    draw_note(r, u, l.note);
    if (l.facts.w) {
        term_vline(l.facts.y, l.facts.x - 1, l.facts.h);
        if (r->loading)
            pane_title(l.facts, 0, "Facts: reading the notes");
        else
            draw_facts_column(r, l.facts);
    } else if (r->loading) {
        term_printf(l.factbar.y, 0, l.factbar.w, THEME_NA, "facts: reading the notes%s",
                    term_ellipsis());
    } else {
        draw_factbar(r, l.factbar);
    }
    if (r->focus == FOCUS_FACTS && !l.facts.w)
        r->focus = FOCUS_CRITERIA; /* the column went away on a resize */
}

/* ---- verdicts and comments ---------------------------------------------- */

static store_verdict pending_verdict; /* between the key and the reason */

static void report_verdict(review *r, ui *u)
{
    const work_criterion *c = &r->w->crit[r->sel];
    size_t left = work_unreviewed(r->w);
    ui_message(u, verdict_role(c->verdict), "%s: %s, %s%s", policy_criterion_id(c->pc),
               verdict_word(c->verdict), origin_words(c->origin),
               left ? "" : "  (all reviewed: d to decide)");
}

static int with_reason(ui *u, void *ctx, const char *text)
{
    review *r = ctx;
    char err[256];
    if (work_set_verdict(r->w, r->sel, pending_verdict, text, err, sizeof err) < 0)
        ui_message(u, THEME_ERROR, "%s", err);
    else
        report_verdict(r, u);
    return UI_HANDLED;
}

static int set_verdict(review *r, ui *u, store_verdict v)
{
    char err[256], label[96];
    if (work_origin_for(r->w, r->sel, v) == STORE_ORIGIN_OVERRIDDEN && !r->w->read_only) {
        pending_verdict = v;
        snprintf(label, sizeof label, "%s overrides '%s': reason: ",
                 verdict_word(v), suggestion_word(r->w->crit[r->sel].suggestion));
        ui_prompt(u, label, NULL, with_reason, r);
        return UI_HANDLED;
    }
    if (work_set_verdict(r->w, r->sel, v, NULL, err, sizeof err) < 0)
        ui_message(u, THEME_ERROR, "%s", err);
    else
        report_verdict(r, u);
    return UI_HANDLED;
}

static int accept(review *r, ui *u)
{
    char err[256];
    if (work_accept(r->w, r->sel, err, sizeof err) < 0)
        ui_message(u, THEME_ERROR, "%s", err);
    else
        report_verdict(r, u);
    return UI_HANDLED;
}

static int with_comment(ui *u, void *ctx, const char *text)
{
    review *r = ctx;
    char err[256];
    if (!*text)
        ui_message(u, THEME_STATUS, "no comment added");
    else if (work_comment(r->w, r->sel, text, err, sizeof err) < 0)
        ui_message(u, THEME_ERROR, "%s", err);
    else
        ui_message(u, THEME_STATUS, "comment saved on %s",
                   policy_criterion_id(r->w->crit[r->sel].pc));
    return UI_HANDLED;
}

static int mark(review *r, ui *u)
{
    char err[256], quote[160];
    work_span sp;
    if (r->focus != FOCUS_NOTE || noteview_rows(r->nv) == 0) {
        ui_message(u, THEME_STATUS, "Tab to the note, put the cursor on the evidence, then e");
        return UI_HANDLED;
    }
    int rc = r->anchor >= 0 ? selected_span(r, &sp) : cursor_sentence(r, &sp);
    if (rc < 0) {
        ui_message(u, THEME_ERROR, "a span lies within the text of one note");
        return UI_HANDLED;
    }
    r->anchor = r->span_end = -1;
    if (work_mark(r->w, r->sel, sp, err, sizeof err) < 0) {
        ui_message(u, THEME_ERROR, "%s", err);
        return UI_HANDLED;
    }
    /* Say what was marked: a sentence may be part of a row. */
    const char *t = r->w->notes[sp.note]->text + sp.start;
    int cols = sanitize_copy(t, sp.end - sp.start, 44, term_sanitize_flags(), quote,
                             sizeof quote);
    int cut = cols >= 44 && sanitize_width(t, sp.end - sp.start, term_sanitize_flags()) > 44;
    ui_message(u, THEME_MARK, "marked as evidence for %s: %s%s%s%s",
               policy_criterion_id(r->w->crit[r->sel].pc), term_sym("\xe2\x80\x9c", "\""),
               quote, cut ? term_ellipsis() : "", term_sym("\xe2\x80\x9d", "\""));
    return UI_HANDLED;
}

/* v starts a span at the cursor, a second v ends it there (it stays
 * until e marks it or Esc drops it), a third starts a new one. */
static int select_span(review *r, ui *u)
{
    if (r->focus != FOCUS_NOTE) {
        ui_message(u, THEME_STATUS, "Tab to the note first");
        return UI_HANDLED;
    }
    if (r->anchor >= 0 && r->span_end < 0) {
        r->span_end = r->cur;
        ui_message(u, THEME_STATUS, "span ended: e marks it, Esc drops it");
        return UI_HANDLED;
    }
    r->anchor = r->cur;
    r->span_end = -1;
    ui_message(u, THEME_STATUS, "span started: move, then v ends it or e marks it");
    return UI_HANDLED;
}

/* ---- search ------------------------------------------------------------ */

#define MAX_MATCHES 100000

/* Every match of the search, once per search (a megabyte takes a few
 * milliseconds); n and N then step through them, and the status says
 * which one of how many. */
static void find_matches(review *r)
{
    size_t plen = strlen(r->search);
    int c0 = tolower((unsigned char)r->search[0]);
    r->nmatch = 0;
    for (size_t ni = 0; ni < r->w->nnotes && r->nmatch < MAX_MATCHES; ni++) {
        const note *nt = r->w->notes[ni];
        for (size_t i = 0; i + plen <= nt->len && r->nmatch < MAX_MATCHES; i++) {
            if (tolower((unsigned char)nt->text[i]) != c0 ||
                strncasecmp(nt->text + i, r->search, plen) != 0)
                continue;
            if (r->nmatch == r->match_cap) {
                size_t cap = r->match_cap ? r->match_cap * 2 : 64;
                work_span *v = realloc(r->match, cap * sizeof *v);
                if (!v)
                    return;
                r->match = v;
                r->match_cap = cap;
            }
            r->match[r->nmatch++] = (work_span){(int)ni, i, i + plen};
            i += plen - 1; /* matches do not overlap */
        }
    }
}

/* The first match at or after byte off of note ni. */
static size_t match_from(const review *r, int ni, size_t off)
{
    size_t lo = 0, hi = r->nmatch;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const work_span *m = &r->match[mid];
        if (m->note < ni || (m->note == ni && m->start < off))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int search_step(review *r, ui *u, int dir)
{
    int ni, title, wrapped = 0;
    size_t s, e, k;
    if (!r->search[0] || noteview_rows(r->nv) == 0) {
        ui_message(u, THEME_STATUS, "no search yet: / to search");
        return UI_HANDLED;
    }
    if (!r->nmatch) {
        r->search_len = 0;
        r->on_match = 0;
        ui_message(u, THEME_ERROR, "not found: %s", r->search);
        return UI_HANDLED;
    }
    if (r->on_match && dir) {
        /* From the current match. */
        k = r->match_at;
        if (dir > 0)
            wrapped = ++k == r->nmatch, k %= r->nmatch;
        else
            wrapped = k == 0, k = (k + r->nmatch - 1) % r->nmatch;
    } else {
        /* From the cursor's row: the first match on it or after it. */
        noteview_row(r->nv, clamp(r->cur, 0, noteview_rows(r->nv) - 1), &ni, &s, &e, &title);
        k = match_from(r, ni, title ? 0 : s);
        if (dir < 0)
            wrapped = k == 0, k = (k + r->nmatch - 1) % r->nmatch;
        else
            wrapped = k == r->nmatch, k %= r->nmatch;
    }
    r->match_at = k;
    r->on_match = 1;
    r->search_note = r->match[k].note;
    r->search_off = r->match[k].start;
    r->search_len = r->match[k].end - r->match[k].start;
    review_jump(r, r->search_note, r->search_off);
    ui_message(u, THEME_STATUS, "match %zu/%zu%s%s%s", k + 1, r->nmatch,
               r->nmatch == MAX_MATCHES ? "+" : "",
               wrapped ? ": search wrapped to the " : "",
               wrapped ? (dir < 0 ? "bottom" : "top") : "");
    return UI_HANDLED;
}

static int with_search(ui *u, void *ctx, const char *text)
{
    review *r = ctx;
    if (!*text)
        return UI_HANDLED;
    snprintf(r->search, sizeof r->search, "%s", text);
    r->search_len = 0;
    r->on_match = 0;
    find_matches(r);
    if (r->focus == FOCUS_CRITERIA)
        r->focus = FOCUS_NOTE;
    return search_step(r, u, 0);
}

/* ---- keys ---------------------------------------------------------------- */

static void move_note(review *r, long by)
{
    long n = noteview_rows(r->nv);
    if (n == 0)
        return;
    r->cur = clamp(r->cur + by, 0, n - 1);
    if (r->cur < r->top)
        r->top = r->cur;
    if (r->cur >= r->top + r->note_h)
        r->top = r->cur - r->note_h + 1;
}

static void move_list(review *r, ui *u, long by)
{
    if (r->focus == FOCUS_NOTE) {
        move_note(r, by);
    } else if (r->focus == FOCUS_FACTS) {
        long k = clamp((long)r->fact_sel + by, 0, (long)r->w->nfacts - 1);
        r->fact_sel = k < 0 ? 0 : (size_t)k;
    } else if (r->w->ncrit) {
        select_criterion(r, (size_t)clamp((long)r->sel + by, 0, (long)r->w->ncrit - 1));
    }
    (void)u;
}

static int enter(review *r, ui *u)
{
    char sup[96];
    if (!r->w->sec)
        return pick_push(u, r) < 0 ? UI_HANDLED : UI_HANDLED;
    switch (r->focus) {
    case FOCUS_CRITERIA:
        if (r->w->ncrit && !nspans(&r->w->crit[r->sel])) {
            /* The note shows another criterion's evidence: do not take
             * the reviewer there as if it were this one's. */
            ui_message(u, THEME_STATUS, "no evidence for %s: Tab to the note to mark some",
                        policy_criterion_id(r->w->crit[r->sel].pc));
            return UI_HANDLED;
        }
        r->focus = FOCUS_NOTE;
        if (r->w->ncrit) {
            const work_span *sp = span_at(&r->w->crit[r->sel], r->ev);
            review_jump(r, sp->note, sp->start);
        }
        return UI_HANDLED;
    case FOCUS_NOTE:
        row_supports(r, r->cur, sup, sizeof sup); /* checks the row's range */
        if (!sup[0]) {
            ui_message(u, THEME_STATUS, "this line is evidence for no criterion");
            return UI_HANDLED;
        }
        for (size_t i = 0; i < r->w->ncrit; i++)
            if (strncmp(sup, policy_criterion_id(r->w->crit[i].pc),
                        strcspn(sup, ",")) == 0 &&
                strlen(policy_criterion_id(r->w->crit[i].pc)) == strcspn(sup, ",")) {
                r->sel = i;
                r->detail_top = 0;
            }
        ui_message(u, THEME_STATUS, "evidence for %s", sup);
        return UI_HANDLED;
    default:
        if (r->w->nfacts) {
            const work_fact *wf = &r->w->allfacts[r->fact_sel];
            review_jump(r, wf->note, wf->f->start);
            r->search_note = wf->note;
            r->search_off = wf->f->start;
            r->search_len = wf->f->end - wf->f->start;
            r->on_match = 0;
        }
        return UI_HANDLED;
    }
}

static int decide(review *r, ui *u)
{
    size_t left = work_unreviewed(r->w);
    if (left) {
        char ids[128];
        size_t o = 0, first = r->w->ncrit;
        for (size_t i = 0; i < r->w->ncrit; i++)
            if (!r->w->crit[i].has_verdict) {
                if (first == r->w->ncrit)
                    first = i;
                int n = snprintf(ids + o, sizeof ids - o, "%s%s", o ? " " : "",
                                 policy_criterion_id(r->w->crit[i].pc));
                if (n > 0 && (size_t)n < sizeof ids - o)
                    o += (size_t)n;
            }
        select_criterion(r, first);
        r->focus = FOCUS_CRITERIA;
        ui_message(u, THEME_ERROR, "no decision yet: %zu unreviewed (%s)", left, ids);
        return UI_HANDLED;
    }
    decide_push(u, r);
    return UI_HANDLED;
}

static void next_unreviewed(review *r, ui *u)
{
    for (size_t k = 1; k <= r->w->ncrit; k++) {
        size_t i = (r->sel + k) % r->w->ncrit;
        if (!r->w->crit[i].has_verdict) {
            select_criterion(r, i);
            return;
        }
    }
    ui_message(u, THEME_MET, "every criterion has a verdict: d to decide");
}

static int verdict_keys(review *r, ui *u, tui_action a)
{
    if (!r->w->ncrit)
        return UI_HANDLED;
    switch (a) {
    case ACTION_ACCEPT:
        return accept(r, u);
    case ACTION_MET:
        return set_verdict(r, u, STORE_VERDICT_MET);
    case ACTION_NOT_MET:
        return set_verdict(r, u, STORE_VERDICT_NOT_MET);
    case ACTION_NA:
        return set_verdict(r, u, STORE_VERDICT_NA);
    case ACTION_COMMENT: {
        char label[64];
        snprintf(label, sizeof label, "comment on %s: ",
                 policy_criterion_id(r->w->crit[r->sel].pc));
        ui_prompt(u, label, r->w->crit[r->sel].comment, with_comment, r);
        return UI_HANDLED;
    }
    case ACTION_MARK:
        return mark(r, u);
    case ACTION_NEXT_EVIDENCE:
    case ACTION_PREV_EVIDENCE:
        step_evidence(r, u, a == ACTION_NEXT_EVIDENCE ? 1 : -1);
        if (r->focus == FOCUS_FACTS)
            r->focus = FOCUS_CRITERIA;
        return UI_HANDLED;
    case ACTION_NEXT_UNREVIEWED:
        next_unreviewed(r, u);
        return UI_HANDLED;
    case ACTION_DECIDE:
        return decide(r, u);
    default:
        return 0;
    }
}

/* While the notes are read, only the note can be used: its text is all
 * there is yet. */
static int while_loading(review *r, ui *u, tui_action a)
{
    switch (a) {
    case ACTION_UP:
    case ACTION_DOWN:
    case ACTION_PAGE_UP:
    case ACTION_PAGE_DOWN:
    case ACTION_TOP:
    case ACTION_BOTTOM:
        if (r->focus == FOCUS_NOTE)
            return r->moved = 1, 0;
        break;
    case ACTION_NEXT_PANE:
    case ACTION_PREV_PANE:
        r->focus = r->focus == FOCUS_NOTE ? FOCUS_CRITERIA : FOCUS_NOTE;
        return UI_HANDLED;
    case ACTION_SEARCH:
    case ACTION_SEARCH_NEXT:
    case ACTION_SEARCH_PREV:
        r->moved = 1;
        return 0;
    case ACTION_BACK:
        return 0;
    case ACTION_QUIT:
    case ACTION_NONE:
        return -1;
    default:
        break;
    }
    ui_message(u, THEME_STATUS, "reading the notes: a moment (Tab reads the note meanwhile)");
    return UI_HANDLED;
}

static int handle(screen *s, ui *u, tui_action a, int key)
{
    review *r = s->data;
    int page = r->note_h > 2 ? r->note_h - 2 : 1;
    (void)key;
    if (r->loading) {
        int h = while_loading(r, u, a);
        if (h < 0)
            return 0;
        if (h)
            return h;
    }
    switch (a) {
    case ACTION_UP:
    case ACTION_DOWN:
        move_list(r, u, a == ACTION_UP ? -1 : 1);
        return UI_HANDLED;
    case ACTION_PAGE_UP:
    case ACTION_PAGE_DOWN:
        if (r->focus == FOCUS_CRITERIA) {
            r->detail_top += a == ACTION_PAGE_UP ? -5 : 5;
            if (r->detail_top < 0)
                r->detail_top = 0;
        } else {
            move_list(r, u, a == ACTION_PAGE_UP ? -page : page);
        }
        return UI_HANDLED;
    case ACTION_TOP:
    case ACTION_BOTTOM:
        move_list(r, u, a == ACTION_TOP ? -(1L << 40) : (1L << 40));
        return UI_HANDLED;
    case ACTION_ENTER:
        return enter(r, u);
    case ACTION_BACK:
        if (r->anchor >= 0 && r->focus == FOCUS_NOTE) {
            r->anchor = r->span_end = -1;
            ui_message(u, THEME_STATUS, "span dropped");
            return UI_HANDLED;
        }
        r->anchor = r->span_end = -1;
        r->focus = FOCUS_CRITERIA;
        return UI_HANDLED;
    case ACTION_NEXT_PANE:
    case ACTION_PREV_PANE: {
        int rows, cols, n;
        term_size(&rows, &cols);
        n = cols >= 120 ? FOCUS_COUNT : FOCUS_COUNT - 1;
        r->focus = (r->focus + (a == ACTION_NEXT_PANE ? 1 : n - 1)) % n;
        return UI_HANDLED;
    }
    case ACTION_SELECT:
        return select_span(r, u);
    case ACTION_SEARCH:
        ui_prompt(u, "/", NULL, with_search, r);
        return UI_HANDLED;
    case ACTION_SEARCH_NEXT:
    case ACTION_SEARCH_PREV:
        return search_step(r, u, a == ACTION_SEARCH_NEXT ? 1 : -1);
    case ACTION_FACTS:
        facts_push(u, r);
        return UI_HANDLED;
    default:
        return verdict_keys(r, u, a);
    }
}

static void save_ui(review *r)
{
    store_ui_state st;
    memset(&st, 0, sizeof st);
    if (r->w->ncrit)
        snprintf(st.criterion, sizeof st.criterion, "%s",
                 policy_criterion_id(r->w->crit[r->sel].pc));
    if (noteview_rows(r->nv)) {
        int ni, title;
        size_t s, e;
        noteview_row(r->nv, clamp(r->top, 0, noteview_rows(r->nv) - 1), &ni, &s, &e, &title);
        st.note = ni;
        st.scroll = (long)s;
    }
    work_save_ui(r->w, &st);
}

static int leave_anyway(ui *u, void *ctx)
{
    (void)u;
    (void)ctx;
    return UI_HANDLED | UI_POP;
}

static void stop_loading(review *r);

static int leaving(screen *s, ui *u)
{
    review *r = s->data;
    stop_loading(r);
    save_ui(r);
    size_t made = r->w->ncrit - work_unreviewed(r->w), other = 0;
    for (size_t i = 0; i < r->w->ncrit; i++)
        other += r->w->crit[i].nmarks + (r->w->crit[i].comment != NULL);
    if (!r->w->sc && made + other > 0) {
        char q[160];
        /* Nothing of loose files reaches the store: say what goes. */
        snprintf(q, sizeof q, "loose files: %zu verdict%s%s will be lost (a case folder keeps "
                 "them). Leave? (y/n) ", made, made == 1 ? "" : "s",
                 other ? ", comments and marks" : "");
        ui_confirm(u, q, leave_anyway, r);
        return UI_HANDLED;
    }
    return 0;
}

static void done(screen *s, ui *u)
{
    review *r = s->data;
    (void)u;
    stop_loading(r);
    save_ui(r);
    noteview_free(r->nv);
    work_close(r->w);
    free(r->bar);
    free(r->match);
    free(r);
}

static const tui_action hints[] = {ACTION_ACCEPT, ACTION_MET, ACTION_NOT_MET, ACTION_NA,
                                   ACTION_COMMENT, ACTION_DECIDE, ACTION_QUIT, ACTION_NONE};

static int tick(screen *s, ui *u);

static const struct screen_ops review_ops = {
    .name = "review", .scope = SCOPE_REVIEW, .draw = draw, .handle = handle,
    .leaving = leaving, .done = done, .tick = tick, .hints = hints};

/* What the reviewer should know on opening: why nothing can be recorded,
 * or that nothing is saved. */
static void opening_messages(review *r, ui *u)
{
    if (r->w->read_only)
        ui_message(u, THEME_ERROR, "%s", r->w->read_only_why);
    else if (!r->w->sc)
        ui_message(u, THEME_FLAG, "loose files: nothing is saved; review a case folder "
                   "(casereview review DIR) to keep verdicts");
}

static void *load_main(void *arg)
{
    review *r = arg;
    r->load_rc = work_load(r->w, r->load_err, sizeof r->load_err);
    atomic_store(&r->loaded, 1);
    return NULL;
}

/* The notes are read: the review begins in the store and its saved
 * state comes back, or the picker asks for the section. */
static void loaded(review *r, ui *u)
{
    char err[256];
    r->loading = 0;
    work_begin(r->w, err, sizeof err);
    if (r->w->sec)
        review_evaluated(r);
    else
        pick_push(u, r);
    if (r->moved) {
        /* The reviewer is reading somewhere: the note stays there. */
        r->pending_note = -1;
        r->pending_select = 0;
    }
    opening_messages(r, u);
    if (r->load_rc < 0)
        ui_message(u, THEME_ERROR, "%s", r->load_err);
    ui_bench_complete(u);
}

/* Leaving while the notes are read: wait for the thread (it cannot be
 * stopped half way), begin nothing. */
static void stop_loading(review *r)
{
    if (r->loading) {
        pthread_join(r->loader, NULL);
        r->loading = 0;
    }
}

static int tick(screen *s, ui *u)
{
    review *r = s->data;
    if (!r->loading)
        return 0;
    if (!atomic_load(&r->loaded)) {
        ui_wake(u, 15);
        return 0;
    }
    pthread_join(r->loader, NULL);
    loaded(r, u);
    return UI_REDRAW;
}

int review_push(ui *u, work *w)
{
    review *r = calloc(1, sizeof *r);
    if (!r || !(r->nv = noteview_new(w->notes, w->nnotes))) {
        free(r);
        return -1;
    }
    r->w = w;
    r->anchor = r->span_end = -1;
    r->pending_note = -1;
    atomic_init(&r->loaded, 0);
    if (ui_push(u, &review_ops, r) < 0) {
        noteview_free(r->nv);
        free(r);
        return -1;
    }
    if (w->load_pending) {
        /* The notes show at once; their facts and the criteria follow. A
         * key script must not depend on timing: it waits. */
        r->loading = 1;
        if (term_is_scripted() || pthread_create(&r->loader, NULL, load_main, r) != 0) {
            load_main(r);
            loaded(r, u);
        }
        return 0;
    }
    if (w->sec)
        review_evaluated(r);
    else
        pick_push(u, r);
    opening_messages(r, u);
    return 0;
}
