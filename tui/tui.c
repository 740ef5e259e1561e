#include "tui/tui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "tui/config.h"
#include "tui/queue.h"
#include "tui/review.h"
#include "tui/term.h"
#include "tui/ui.h"

typedef struct {
    keymap *km;
    theme th;
    config_options co;
    char cfg_err[256];
    ui *u;
    double t0;
} session;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int session_begin(session *s, const tui_options *o, double t0)
{
    char path[4096], err[256];
    memset(s, 0, sizeof *s);
    s->t0 = t0;
    s->co = (config_options){-1, -1, -1};
    theme_defaults(&s->th);
    if (!(s->km = keymap_new())) {
        fprintf(stderr, "casereview: out of memory\n");
        return -1;
    }
    /* A bad line is skipped and reported on the status row: the
     * reviewer can still work. */
    if (config_default_path(path, sizeof path) == 0 &&
        config_load(path, s->km, &s->th, &s->co, err, sizeof err) != 0)
        snprintf(s->cfg_err, sizeof s->cfg_err, "%.200s", err);
    term_options to = {
        .accessible = o->accessible || s->co.accessible == 1,
        .ascii = s->co.ascii == 1,
        .color = !o->no_color && s->co.color != 0,
        .script = getenv("CASEREVIEW_SCRIPT")};
    if (term_start(&to, &s->th, err, sizeof err) < 0) {
        fprintf(stderr, "casereview: %s\n", err);
        keymap_free(s->km);
        return -1;
    }
    s->u = ui_new(s->km);
    const char *bench = getenv("CASEREVIEW_BENCH");
    if (s->u && bench && *bench)
        ui_bench_start(s->u, bench, s->t0);
    return s->u ? 0 : -1;
}

static int session_run(session *s)
{
    if (s->cfg_err[0])
        ui_message(s->u, THEME_ERROR, "%s", s->cfg_err);
    int rc = ui_run(s->u);
    term_stop();
    ui_free(s->u); /* closes the screens: saves the selection, closes the case */
    keymap_free(s->km);
    return rc == 2 ? 129 : rc == 3 ? 143 : 0;
}

static store *open_store(const tui_options *o)
{
    char path[4096], err[256];
    if (store_default_path(path, sizeof path, err, sizeof err) < 0 && !o->db) {
        fprintf(stderr, "casereview: %s\n", err);
        return NULL;
    }
    store *st = store_open(o->db ? o->db : path, err, sizeof err);
    if (!st)
        fprintf(stderr, "casereview: %s\n", err);
    return st;
}

static int is_dir(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int exists(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0;
}

/* A case folder opens the case of that id when the store has it, and is
 * imported when it has not. */
static int resolve_case(store *st, const char *arg, char *id, size_t idsz)
{
    char err[256];
    store_case *c = NULL;
    if (!is_dir(arg)) {
        /* Not a file or folder: a case id of the store, or a typo. */
        if (store_case_get(st, arg, &c, err, sizeof err) < 0) {
            fprintf(stderr, "casereview: %.200s: no such file, folder or case\n", arg);
            return -1;
        }
        store_case_free(c);
        snprintf(id, idsz, "%s", arg);
        return 0;
    }
    const char *base = strrchr(arg, '/');
    base = base && base[1] ? base + 1 : arg;
    if (store_case_get(st, base, &c, err, sizeof err) == 0) {
        store_case_free(c);
        snprintf(id, idsz, "%s", base);
        return 0;
    }
    if (store_import_dir(st, arg, id, idsz, err, sizeof err) < 0) {
        fprintf(stderr, "casereview: %s\n", err);
        return -1;
    }
    return 0;
}

/* The notes are loaded here; their facts and the criteria come while the
 * first screen shows them (work_load, on the review's thread), except
 * when only --section names what to review under: then the policy is
 * proposed from the facts first. */
static work *load_work(const tui_options *o, char **args, int n, store **stp)
{
    char err[256], id[STORE_ID_MAX];
    work_options wo = {NULL, o->policy, o->section, !(o->section && !o->policy)};
    work *w;
    *stp = NULL;
    if (n == 1 && (is_dir(args[0]) || !exists(args[0]))) {
        if (!(*stp = open_store(o)) || resolve_case(*stp, args[0], id, sizeof id) < 0)
            return NULL;
        w = work_open_case(*stp, id, &wo, err, sizeof err);
    } else {
        w = work_open_files(args, (size_t)n, &wo, err, sizeof err);
        if (w && (o->policy || o->section)) {
            const policy *p = NULL;
            const policy_section *sec = NULL;
            char why[200];
            if (!o->policy)
                work_propose(w, &p, &sec, why, sizeof why);
            if (o->policy && !(p = policy_set_find(w->policies, o->policy))) {
                fprintf(stderr, "casereview: unknown policy '%s'\n", o->policy);
                work_close(w);
                return NULL;
            }
            sec = o->section ? policy_section_find(p, o->section) : NULL;
            if (o->section && !sec) {
                fprintf(stderr, "casereview: policy %s has no section '%s'\n",
                        policy_id(p), o->section);
                work_close(w);
                return NULL;
            }
            /* Without --section, the notes pick it once their facts are in. */
            if (w->load_pending) {
                work_want(w, p, sec);
            } else if (!sec && !(sec = check_pick_section(p, (const note *const *)w->notes,
                                                          w->facts, w->nnotes, why,
                                                          sizeof why))) {
                fprintf(stderr, "casereview: policy %s: %s\n", policy_id(p), why);
                work_close(w);
                return NULL;
            } else if (work_evaluate(w, p, sec, err, sizeof err) < 0) {
                work_close(w);
                w = NULL;
            }
        }
    }
    if (!w)
        fprintf(stderr, "casereview: %s\n", err);
    return w;
}

int tui_review(const tui_options *o, char **args, int n)
{
    session s;
    store *st;
    double t0 = now_ms(); /* the bench's first frame counts the loading */
    work *w = load_work(o, args, n, &st);
    if (!w) {
        store_close(st);
        return 1;
    }
    double t_loaded = now_ms();
    if (session_begin(&s, o, t0) < 0 || review_push(s.u, w) < 0) {
        work_close(w);
        store_close(st);
        return 1;
    }
    ui_bench_note(s.u, "load_ms", t_loaded - t0);
    int rc = session_run(&s);
    store_close(st);
    if (rc == 143)
        term_exit_by_signal(); /* saved and restored: die of SIGTERM */
    return rc;
}

int tui_queue(const tui_options *o)
{
    session s;
    static work_options wo;
    double t0 = now_ms();
    store *st = open_store(o);
    if (!st)
        return 1;
    wo = (work_options){NULL, o->policy, o->section, 1};
    if (session_begin(&s, o, t0) < 0 || queue_push(s.u, st, &wo) < 0) {
        store_close(st);
        return 1;
    }
    int rc = session_run(&s);
    store_close(st);
    if (rc == 143)
        term_exit_by_signal();
    return rc;
}
