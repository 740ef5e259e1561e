#include "tui/work.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes/codeset.h"
#include "core/paths.h"
#include "parsers/extract.h"

static int fail(char *err, size_t errsz, const char *msg, const char *unused)
{
    (void)unused;
    snprintf(err, errsz, "%s", msg);
    return -1;
}

static char *dupstr(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* ---- loading ---------------------------------------------------------- */

static int begin_review(work *w, char *err, size_t errsz);

/* The extractor and the code table: what can fail for want of data
 * files, so it is done before the screen starts. */
static int extract_setup(work *w, const work_options *opt, char *err, size_t errsz)
{
    const char *dir = opt && opt->datadir ? opt->datadir : paths_datadir();
    char cerr[200];
    /* Without the code table the codes are shown without their names. */
    w->codes = codes_open(dir, cerr, sizeof cerr);
    w->ctx = extract_new(dir, err, errsz);
    if (!w->ctx)
        return -1;
    w->facts = calloc(w->nnotes ? w->nnotes : 1, sizeof *w->facts);
    if (!w->facts)
        return fail(err, errsz, "out of memory", NULL);
    return 0;
}

static int extract_notes(work *w, char *err, size_t errsz)
{
    size_t total = 0;
    for (size_t i = 0; i < w->nnotes; i++) {
        /* A pattern that hit its limit keeps the facts found so far. */
        extract_note(w->ctx, w->notes[i], &w->facts[i]);
        total += w->facts[i].n;
    }
    w->allfacts = calloc(total ? total : 1, sizeof *w->allfacts);
    if (!w->allfacts)
        return fail(err, errsz, "out of memory", NULL);
    for (size_t i = 0; i < w->nnotes; i++)
        for (size_t k = 0; k < w->facts[i].n; k++)
            w->allfacts[w->nfacts++] = (work_fact){(int)i, &w->facts[i].v[k]};
    return 0;
}

/* Everything now, or with opt->defer only what cannot wait (work_load
 * does the rest). */
static int extract_all(work *w, const work_options *opt, char *err, size_t errsz)
{
    if (extract_setup(w, opt, err, errsz) < 0)
        return -1;
    if (opt && opt->defer) {
        w->load_pending = 1;
        return 0;
    }
    return extract_notes(w, err, errsz);
}

void work_want(work *w, const policy *pol, const policy_section *sec)
{
    w->want_pol = pol;
    w->want_sec = sec;
}

int work_load(work *w, char *err, size_t errsz)
{
    int rc = 0;
    if (!w->load_pending)
        return 0;
    w->load_pending = 0;
    w->loading = 1;
    if (extract_notes(w, err, errsz) < 0) {
        rc = -1;
    } else if (w->want_pol) {
        const policy_section *sec = w->want_sec;
        char why[200];
        if (!sec)
            sec = check_pick_section(w->want_pol, (const note *const *)w->notes, w->facts,
                                     w->nnotes, why, sizeof why);
        if (sec)
            rc = work_evaluate(w, w->want_pol, sec, err, errsz);
    }
    w->loading = 0;
    return rc;
}

int work_begin(work *w, char *err, size_t errsz)
{
    if (w->st && w->sec && begin_review(w, err, errsz) < 0) {
        /* Without a role or a claim the review cannot begin: still show
         * the case, read-only. */
        w->read_only = 1;
        snprintf(w->read_only_why, sizeof w->read_only_why, "read-only: %.140s", err);
    }
    return 0;
}

static int load_policies(work *w, const work_options *opt, char *err,
                         size_t errsz)
{
    char dir[4096];
    if (opt && opt->datadir)
        snprintf(dir, sizeof dir, "%s/policies", opt->datadir);
    else if (paths_join(dir, sizeof dir, "policies") < 0)
        return fail(err, errsz, "policies: path too long", NULL);
    w->policies = policy_set_load(dir, err, errsz);
    if (!w->policies)
        return -1;
    /* The facts list names a CPT code by a policy's own words, as the
     * command line does. */
    if (w->codes)
        policy_set_name_codes(w->policies, w->codes);
    return 0;
}

work *work_open_files(char **paths, size_t n, const work_options *opt,
                      char *err, size_t errsz)
{
    work *w = calloc(1, sizeof *w);
    if (!w || !(w->notes = calloc(n ? n : 1, sizeof *w->notes))) {
        free(w);
        fail(err, errsz, "out of memory", NULL);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        char why[200];
        if (note_load_file(paths[i], NULL, &w->notes[i], why, sizeof why) < 0) {
            snprintf(err, errsz, "%.300s: %s", paths[i], why);
            work_close(w);
            return NULL;
        }
        w->nnotes++;
    }
    if (extract_all(w, opt, err, errsz) < 0 ||
        load_policies(w, opt, err, errsz) < 0) {
        work_close(w);
        return NULL;
    }
    return w;
}

static void requested_codes(work *w)
{
    size_t o = 0;
    w->requested[0] = 0;
    if (!w->sc)
        return;
    for (size_t i = 0; i < w->sc->nservices; i++)
        o += (size_t)snprintf(w->requested + o, sizeof w->requested - o, "%s%s",
                              o ? " " : "", w->sc->services[i].code);
    for (size_t i = 0; i < w->sc->ndiagnoses && o < sizeof w->requested; i++)
        o += (size_t)snprintf(w->requested + o, sizeof w->requested - o, "%s%s",
                              o ? " " : "", w->sc->diagnoses[i]);
}

static int load_case_notes(work *w, char *err, size_t errsz)
{
    w->notes = calloc(w->sc->nnotes ? w->sc->nnotes : 1, sizeof *w->notes);
    if (!w->notes)
        return fail(err, errsz, "out of memory", NULL);
    for (size_t i = 0; i < w->sc->nnotes; i++) {
        const store_note *sn = &w->sc->notes[i];
        if (note_load_mem(sn->name, sn->text, sn->len, NULL, &w->notes[i],
                          err, errsz) < 0)
            return -1;
        w->nnotes++;
    }
    return 0;
}

/* Claims an unheld case so that verdicts can be recorded; a case held by
 * someone else, or a reviewer without a clinical role, opens read-only. */
static void claim_if_free(work *w)
{
    const store_reviewer *me = store_whoami(w->st);
    char err[200];
    if (me->role == STORE_ROLE_TRAINEE)
        return;
    if (w->sc->holder[0] && strcmp(w->sc->holder, me->user) == 0)
        return;
    if (me->role == STORE_ROLE_NONE) {
        /* Say how to get one: a first-time reviewer does not know. */
        w->read_only = 1;
        snprintf(w->read_only_why, sizeof w->read_only_why,
                 "read-only: you have no reviewer role; %s: casereview admin role %.64s nurse",
                 me->admin ? "you administer this store, give yourself one"
                           : "an administrator gives you one",
                 me->user);
        return;
    }
    if (store_claim(w->st, w->case_id, err, sizeof err) < 0) {
        w->read_only = 1;
        snprintf(w->read_only_why, sizeof w->read_only_why, "read-only: %.140s", err);
    }
}

/* A case keeps the policy version its review began under, even when a
 * newer one is installed (a new version would start a new review with
 * none of the verdicts).  When that version is gone, the case is shown
 * under the newest one for reading only, and says so. */
static const policy *reviewed_version(work *w, const char *pid)
{
    const store_policy_version *v = &w->sc->version;
    snprintf(w->version, sizeof w->version, "%.11sr%.32s", v->effective, v->revision);
    const policy *pol = policy_set_find_version(w->policies, pid, w->version);
    if (pol)
        return pol;
    pol = policy_set_find(w->policies, pid);
    w->version_missing = 1;
    w->read_only = 1;
    snprintf(w->read_only_why, sizeof w->read_only_why,
             "read-only: reviewed under %.40s %s, not installed now%s%s",
             pid, w->version, pol ? "; shown under " : "", pol ? policy_version(pol) : "");
    return pol;
}

work *work_open_case(store *st, const char *case_id, const work_options *opt,
                     char *err, size_t errsz)
{
    work *w = calloc(1, sizeof *w);
    if (!w) {
        fail(err, errsz, "out of memory", NULL);
        return NULL;
    }
    w->st = st;
    snprintf(w->case_id, sizeof w->case_id, "%s", case_id);
    if (store_case_get(st, case_id, &w->sc, err, errsz) < 0 ||
        load_case_notes(w, err, errsz) < 0 ||
        extract_all(w, opt, err, errsz) < 0 ||
        load_policies(w, opt, err, errsz) < 0 ||
        store_case_open(st, case_id, err, errsz) < 0) {
        work_close(w);
        return NULL;
    }
    w->opened = 1;
    requested_codes(w);
    claim_if_free(w);
    const char *pid = opt && opt->policy_id ? opt->policy_id : w->sc->policy_id;
    const char *sname = opt && opt->section ? opt->section : w->sc->section;
    if (w->sc->reviewed) {
        pid = w->sc->version.policy_id;
        sname = w->sc->version.section;
    }
    const policy *pol = pid[0] ? policy_set_find(w->policies, pid) : NULL;
    if (w->sc->reviewed)
        pol = reviewed_version(w, pid);
    const policy_section *sec =
        pol && sname && sname[0] ? policy_section_find(pol, sname) : NULL;
    if (sec && w->load_pending) {
        work_want(w, pol, sec);
    } else if (sec && work_evaluate(w, pol, sec, err, errsz) < 0) {
        work_close(w);
        return NULL;
    }
    return w;
}

static void free_crit(work *w)
{
    for (size_t i = 0; i < w->ncrit; i++) {
        free(w->crit[i].evidence);
        free(w->crit[i].reason);
        free(w->crit[i].comment);
        free(w->crit[i].marks);
    }
    free(w->crit);
    w->crit = NULL;
    w->ncrit = 0;
    check_result_free(w->result);
    w->result = NULL;
}

void work_close(work *w)
{
    char err[200];
    if (!w)
        return;
    if (w->opened)
        store_case_close(w->st, err, sizeof err);
    free_crit(w);
    for (size_t i = 0; i < w->nnotes; i++) {
        note_free(w->notes[i]);
        if (w->facts)
            fact_list_free(&w->facts[i]);
    }
    free(w->notes);
    free(w->facts);
    free(w->allfacts);
    extract_free(w->ctx);
    codes_close(w->codes);
    policy_set_free(w->policies);
    store_case_free(w->sc);
    free(w);
}

/* ---- choosing and evaluating ------------------------------------------ */

/* What the stored case adds to its notes: the requested codes and the
 * payer.  *req is freed by the caller. */
static check_input case_input(const work *w, check_requested **req)
{
    check_input in = {extract_context(w->ctx), NULL, 0, NULL, NULL};
    *req = NULL;
    if (!w->sc)
        return in;
    size_t n = w->sc->nservices + w->sc->ndiagnoses;
    *req = calloc(n ? n : 1, sizeof **req);
    if (*req) {
        for (size_t i = 0; i < w->sc->nservices; i++)
            (*req)[in.nrequested++] = (check_requested){w->sc->services[i].code, 0};
        for (size_t i = 0; i < w->sc->ndiagnoses; i++)
            (*req)[in.nrequested++] = (check_requested){w->sc->diagnoses[i], 1};
        in.requested = *req;
    }
    in.payer_id = w->sc->payer_id;
    in.payer_name = w->sc->payer_name;
    return in;
}

/* The engine chooses (check_pick_policy): the payer the request names,
 * then the payer the notes name, then the codes. */
int work_propose(const work *w, const policy **pol, const policy_section **sec,
                 char *why, size_t whysz)
{
    check_requested *req;
    check_input in = case_input(w, &req);
    *pol = check_pick_policy(w->policies, (const note *const *)w->notes, w->facts,
                             w->nnotes, &in, sec, why, whysz);
    free(req);
    return *pol && *sec ? 0 : -1;
}

/* Why a requested code is flagged, or NULL: outside the policy's covered
 * list of its kind (a policy with no covered diagnoses list says nothing
 * of diagnoses), else a problem of the code itself. */
static const char *code_problem(const work *w, const char *code, int is_dx)
{
    static codes_info info; /* 4 KB: not on the stack */
    policy_codes_role role = is_dx ? POLICY_CODES_DIAGNOSES : POLICY_CODES_PROCEDURES;
    if (!policy_has_covered(w->pol, role))
        return NULL;
    if (!policy_covers(w->pol, role, code))
        return is_dx ? "not on the policy's covered diagnosis list"
                     : "not on the policy's covered procedure list";
    if (!w->codes)
        return NULL;
    codes_status st = codes_lookup(w->codes, code, &info);
    return st == CODES_NOT_BILLABLE ? "not billable"
           : st == CODES_MALFORMED ? "not a code"
           : st == CODES_RETIRED ? "retired"
           : st == CODES_NOT_IN_LIST ? "not in the code list" : NULL;
}

static void append(char *buf, size_t sz, const char *code, const char *why)
{
    size_t o = strlen(buf);
    if (o + 1 < sz)
        snprintf(buf + o, sz - o, "%s%s %s", o ? "; " : "", code, why);
}

/* A requested code's flag goes beside the criteria that name a covered
 * list of its kind (codes="..." in the policy): diagnoses beside VIII.dx,
 * procedures and supplies beside VIII.proc; nowhere else. */
static void flag_uncovered(work *w)
{
    char dx[160] = "", px[160] = "";
    w->uncovered[0] = 0;
    if (!w->sc)
        return;
    for (size_t i = 0; i < w->sc->nservices + w->sc->ndiagnoses; i++) {
        int is_dx = i >= w->sc->nservices;
        const char *code = is_dx ? w->sc->diagnoses[i - w->sc->nservices]
                                 : w->sc->services[i].code;
        const char *why = code_problem(w, code, is_dx);
        if (!why)
            continue;
        append(is_dx ? dx : px, is_dx ? sizeof dx : sizeof px, code, why);
        append(w->uncovered, sizeof w->uncovered, code, why);
    }
    for (size_t i = 0; i < w->ncrit; i++) {
        const policy_codes *list = policy_criterion_codes(w->crit[i].pc);
        if (!list || policy_codes_role_of(list) == POLICY_CODES_SELECTION)
            continue;
        const char *f = policy_codes_role_of(list) == POLICY_CODES_DIAGNOSES ? dx : px;
        if (*f)
            snprintf(w->crit[i].flags, sizeof w->crit[i].flags, "requested %.140s", f);
    }
}

static int fill_criterion(work *w, size_t i)
{
    work_criterion *c = &w->crit[i];
    const check_evidence *dec = check_result_deciding(w->result, i);
    size_t n = check_result_evidence_count(w->result, i);
    c->pc = check_result_criterion(w->result, i);
    c->suggestion = check_result_suggestion(w->result, i);
    c->searched = check_result_searched(w->result, i);
    /* A requested code decides with no note span: say where it is. */
    c->rule = !dec ? NULL : dec->note == CHECK_REQUEST ? dec->source : dec->rule;
    c->evidence = calloc(n + 1, sizeof *c->evidence);
    if (!c->evidence)
        return -1;
    /* The deciding sentence first: the note scrolls to it. */
    if (dec && dec->note != CHECK_REQUEST)
        c->evidence[c->nevidence++] =
            (work_span){(int)dec->note, dec->sent_start, dec->sent_end};
    for (size_t k = 0; k < n; k++) {
        const check_evidence *e = check_result_evidence(w->result, i, k);
        if (e == dec || e->note == CHECK_REQUEST)
            continue;
        c->evidence[c->nevidence++] =
            (work_span){(int)e->note, e->sent_start, e->sent_end};
    }
    return 0;
}

static int find_crit(const work *w, const char *id)
{
    for (size_t i = 0; i < w->ncrit; i++)
        if (strcmp(policy_criterion_id(w->crit[i].pc), id) == 0)
            return (int)i;
    return -1;
}

static int push_mark(work_criterion *c, work_span sp)
{
    work_span *v = realloc(c->marks, (c->nmarks + 1) * sizeof *v);
    if (!v)
        return -1;
    c->marks = v;
    c->marks[c->nmarks++] = sp;
    return 0;
}

static int restore(work *w, char *err, size_t errsz)
{
    store_verdict_row *rows = NULL;
    store_mark *marks = NULL;
    size_t n = 0, nm = 0;
    if (store_latest_verdicts(w->st, w->case_id, &rows, &n, err, errsz) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        int k = find_crit(w, rows[i].criterion);
        if (k < 0)
            continue; /* a criterion of another section or version */
        work_criterion *c = &w->crit[k];
        c->has_verdict = 1;
        c->verdict = rows[i].verdict;
        c->origin = rows[i].origin;
        c->reason = rows[i].reason[0] ? dupstr(rows[i].reason) : NULL;
        c->comment = rows[i].comment[0] ? dupstr(rows[i].comment) : NULL;
    }
    store_verdicts_free(rows, n);
    if (store_evidence_list(w->st, w->case_id, &marks, &nm, err, errsz) < 0)
        return -1;
    for (size_t i = 0; i < nm; i++) {
        int k = find_crit(w, marks[i].criterion);
        if (k >= 0)
            push_mark(&w->crit[k], (work_span){marks[i].span.note,
                                               marks[i].span.start,
                                               marks[i].span.end});
    }
    free(marks);
    return 0;
}

static int begin_review(work *w, char *err, size_t errsz)
{
    store_policy_version v;
    if (w->version_missing)
        return restore(w, err, errsz); /* never a new review on another version */
    memset(&v, 0, sizeof v);
    snprintf(v.policy_id, sizeof v.policy_id, "%s", policy_id(w->pol));
    snprintf(v.effective, sizeof v.effective, "%s", policy_effective(w->pol));
    snprintf(v.revision, sizeof v.revision, "%d", policy_revision(w->pol));
    snprintf(v.section, sizeof v.section, "%s", policy_section_name(w->sec));
    if (store_review_begin(w->st, w->case_id, &v, err, errsz) < 0)
        return -1;
    return restore(w, err, errsz);
}

int work_evaluate(work *w, const policy *pol, const policy_section *sec,
                  char *err, size_t errsz)
{
    free_crit(w);
    w->pol = pol;
    w->sec = sec;
    check_requested *req;
    check_input in = case_input(w, &req);
    w->result = check_run_case(sec, (const note *const *)w->notes, w->facts,
                               w->nnotes, &in, err, errsz);
    free(req);
    if (!w->result)
        return -1;
    size_t n = check_result_count(w->result);
    w->crit = calloc(n ? n : 1, sizeof *w->crit);
    if (!w->crit)
        return fail(err, errsz, "out of memory", NULL);
    for (; w->ncrit < n; w->ncrit++)
        if (fill_criterion(w, w->ncrit) < 0)
            return fail(err, errsz, "out of memory", NULL);
    flag_uncovered(w);
    /* On work_load's thread the store waits for work_begin. */
    return w->loading ? 0 : work_begin(w, err, errsz);
}

/* ---- the reviewer's record -------------------------------------------- */

static int suggestion_is(check_suggestion s, store_verdict v)
{
    return (s == CHECK_MET && v == STORE_VERDICT_MET) ||
           (s == CHECK_NOT_MET && v == STORE_VERDICT_NOT_MET) ||
           (s == CHECK_NA && v == STORE_VERDICT_NA);
}

store_origin work_origin_for(const work *w, size_t i, store_verdict v)
{
    check_suggestion s = w->crit[i].suggestion;
    if (s == CHECK_UNKNOWN)
        return STORE_ORIGIN_MANUAL;
    return suggestion_is(s, v) ? STORE_ORIGIN_ACCEPTED : STORE_ORIGIN_OVERRIDDEN;
}

static int writable(const work *w, char *err, size_t errsz)
{
    if (w->read_only)
        return fail(err, errsz, w->read_only_why, NULL);
    return 0;
}

/* The span a verdict rests on: the reviewer's own mark, else the
 * engine's deciding sentence when the verdict agrees with it. */
static int verdict_span(const work_criterion *c, store_origin o, store_span *sp)
{
    const work_span *src = NULL;
    if (c->nmarks)
        src = &c->marks[c->nmarks - 1];
    else if (o == STORE_ORIGIN_ACCEPTED && c->nevidence)
        src = &c->evidence[0];
    if (!src)
        return 0;
    *sp = (store_span){src->note, src->start, src->end};
    return 1;
}

int work_set_verdict(work *w, size_t i, store_verdict v, const char *reason,
                     char *err, size_t errsz)
{
    work_criterion *c = &w->crit[i];
    store_origin o = work_origin_for(w, i, v);
    store_span sp;
    if (writable(w, err, errsz) < 0)
        return -1;
    if (o == STORE_ORIGIN_OVERRIDDEN && (!reason || !*reason))
        return fail(err, errsz, "an override needs a reason", NULL);
    if (o != STORE_ORIGIN_OVERRIDDEN)
        reason = NULL;
    int has_span = verdict_span(c, o, &sp);
    if (w->st && store_verdict_record(w->st, w->case_id,
                                      policy_criterion_id(c->pc), v, o, reason,
                                      c->comment, has_span ? &sp : NULL, err,
                                      errsz) < 0)
        return -1;
    char *r = dupstr(reason);
    if (reason && !r)
        return fail(err, errsz, "out of memory", NULL);
    free(c->reason);
    c->reason = r;
    c->has_verdict = 1;
    c->verdict = v;
    c->origin = o;
    return 0;
}

int work_accept(work *w, size_t i, char *err, size_t errsz)
{
    static const store_verdict as_verdict[] = {
        [CHECK_MET] = STORE_VERDICT_MET, [CHECK_NOT_MET] = STORE_VERDICT_NOT_MET,
        [CHECK_NA] = STORE_VERDICT_NA};
    if (w->crit[i].suggestion == CHECK_UNKNOWN)
        return fail(err, errsz,
                    "nothing to accept: the engine found nothing; set met, "
                    "not met or n/a", NULL);
    return work_set_verdict(w, i, as_verdict[w->crit[i].suggestion], NULL,
                            err, errsz);
}

int work_comment(work *w, size_t i, const char *text, char *err, size_t errsz)
{
    work_criterion *c = &w->crit[i];
    if (writable(w, err, errsz) < 0)
        return -1;
    if (w->st && store_comment_add(w->st, w->case_id,
                                   policy_criterion_id(c->pc), text, err,
                                   errsz) < 0)
        return -1;
    char *t = dupstr(text);
    if (!t)
        return fail(err, errsz, "out of memory", NULL);
    free(c->comment);
    c->comment = t;
    return 0;
}

int work_mark(work *w, size_t i, work_span sp, char *err, size_t errsz)
{
    work_criterion *c = &w->crit[i];
    if (writable(w, err, errsz) < 0)
        return -1;
    if (sp.note < 0 || (size_t)sp.note >= w->nnotes || sp.start >= sp.end ||
        sp.end > w->notes[sp.note]->len)
        return fail(err, errsz, "no span selected", NULL);
    if (w->st && store_evidence_mark(w->st, w->case_id,
                                     policy_criterion_id(c->pc), sp.note,
                                     sp.start, sp.end, err, errsz) < 0)
        return -1;
    if (push_mark(c, sp) < 0)
        return fail(err, errsz, "out of memory", NULL);
    return 0;
}

size_t work_unreviewed(const work *w)
{
    size_t n = 0;
    for (size_t i = 0; i < w->ncrit; i++)
        n += !w->crit[i].has_verdict;
    return n;
}

/* ---- the section's logic under the reviewer's verdicts ----------------- *
 * The engine prints the logic in words ("all of (any of (1, 2), 3, L.1)");
 * three values: 1 true, 0 false, 2 unknown. */

enum { T_FALSE = 0, T_TRUE = 1, T_UNKNOWN = 2 };

static void skip_blank(const char **p)
{
    while (**p == ' ')
        (*p)++;
}

static int eval_expr(const work *w, const char **p, int *val);

static int eval_list(const work *w, const char **p, int all, int *val)
{
    int any_false = 0, any_true = 0, any_unknown = 0;
    skip_blank(p);
    if (**p != '(')
        return -1;
    (*p)++;
    for (;;) {
        int v;
        if (eval_expr(w, p, &v) < 0)
            return -1;
        any_false |= v == T_FALSE;
        any_true |= v == T_TRUE;
        any_unknown |= v == T_UNKNOWN;
        skip_blank(p);
        if (**p == ',') {
            (*p)++;
            continue;
        }
        if (**p != ')')
            return -1;
        (*p)++;
        break;
    }
    if (all)
        *val = any_false ? T_FALSE : any_unknown ? T_UNKNOWN : T_TRUE;
    else
        *val = any_true ? T_TRUE : any_unknown ? T_UNKNOWN : T_FALSE;
    return 0;
}

static int crit_value(const work *w, const char *id, size_t len)
{
    for (size_t i = 0; i < w->ncrit; i++) {
        const char *cid = policy_criterion_id(w->crit[i].pc);
        if (strlen(cid) != len || strncmp(cid, id, len) != 0)
            continue;
        if (!w->crit[i].has_verdict)
            return T_UNKNOWN;
        return w->crit[i].verdict == STORE_VERDICT_NOT_MET ? T_FALSE : T_TRUE;
    }
    return -1;
}

static int eval_expr(const work *w, const char **p, int *val)
{
    skip_blank(p);
    if (strncmp(*p, "all of", 6) == 0 || strncmp(*p, "any of", 6) == 0) {
        int all = (*p)[1] == 'l';
        *p += 6;
        return eval_list(w, p, all, val);
    }
    if (strncmp(*p, "not ", 4) == 0) {
        *p += 4;
        if (eval_expr(w, p, val) < 0)
            return -1;
        if (*val != T_UNKNOWN)
            *val = !*val;
        return 0;
    }
    if (**p == '(') { /* a parenthesised expression */
        (*p)++;
        if (eval_expr(w, p, val) < 0)
            return -1;
        skip_blank(p);
        return **p == ')' ? ((*p)++, 0) : -1;
    }
    size_t len = strcspn(*p, " ,()");
    int v = len ? crit_value(w, *p, len) : -1;
    if (v < 0)
        return -1;
    *p += len;
    *val = v;
    return 0;
}

check_outcome work_outcome(const work *w)
{
    const char *logic = w->sec ? policy_section_logic(w->sec) : NULL;
    const char *p = logic;
    int v;
    if (!logic || eval_expr(w, &p, &v) < 0 || (skip_blank(&p), *p)) {
        /* Unreadable logic: every criterion must hold. */
        int any_false = 0, any_unknown = 0;
        for (size_t i = 0; i < w->ncrit; i++) {
            any_unknown |= !w->crit[i].has_verdict;
            any_false |= w->crit[i].has_verdict &&
                         w->crit[i].verdict == STORE_VERDICT_NOT_MET;
        }
        v = any_false ? T_FALSE : any_unknown ? T_UNKNOWN : T_TRUE;
    }
    return v == T_TRUE ? CHECK_MEETS : v == T_FALSE ? CHECK_DOES_NOT_MEET
                                                    : CHECK_INSUFFICIENT;
}

int work_contradicts(const work *w, store_decision d, char *why, size_t sz)
{
    check_outcome o = work_outcome(w);
    if (d == STORE_DECISION_APPROVE && o != CHECK_MEETS) {
        snprintf(why, sz, "approve, but the section %s under your verdicts",
                 o == CHECK_DOES_NOT_MEET ? "is not met" : "is not shown to be met");
        return 1;
    }
    if (d == STORE_DECISION_DENY && o == CHECK_MEETS) {
        snprintf(why, sz, "deny, but every criterion needed is met");
        return 1;
    }
    why[0] = 0;
    return 0;
}

static store_outcome as_store_outcome(check_outcome o)
{
    return o == CHECK_MEETS ? STORE_OUTCOME_MEETS
           : o == CHECK_DOES_NOT_MEET ? STORE_OUTCOME_DOES_NOT_MEET
                                      : STORE_OUTCOME_INSUFFICIENT;
}

int work_decide(work *w, store_decision d, const char *rationale,
                unsigned *warnings, char *err, size_t errsz)
{
    char why[160];
    size_t left = work_unreviewed(w);
    if (left) {
        snprintf(err, errsz, "%zu criteri%s not reviewed yet", left,
                 left == 1 ? "on is" : "a are");
        return -1;
    }
    if (!w->st)
        return fail(err, errsz,
                    "loose files: import the case to record a decision", NULL);
    if (work_contradicts(w, d, why, sizeof why) && (!rationale || !*rationale)) {
        snprintf(err, errsz, "%s: state the reason", why);
        return -1;
    }
    if (store_decision_record(w->st, w->case_id, d,
                              as_store_outcome(work_outcome(w)), rationale,
                              warnings, err, errsz) < 0)
        return -1;
    w->decided = 1;
    w->decision = d;
    return 0;
}

int work_decision_check(work *w, store_decision d, unsigned *warnings,
                        char *err, size_t errsz)
{
    if (!w->st)
        return fail(err, errsz,
                    "loose files: import the case to record a decision", NULL);
    return store_decision_check(w->st, w->case_id, d,
                                as_store_outcome(work_outcome(w)), warnings,
                                err, errsz);
}

/* ---- the note and the screen's state ---------------------------------- */

static int in_spans(const work_span *v, size_t n, int ni, size_t off)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].note == ni && v[i].start <= off && off < v[i].end)
            return 1;
    return 0;
}

unsigned long long work_evidence_at(const work *w, int ni, size_t off)
{
    unsigned long long bits = 0;
    for (size_t i = 0; i < w->ncrit && i < 64; i++) {
        const work_criterion *c = &w->crit[i];
        if (in_spans(c->evidence, c->nevidence, ni, off) ||
            in_spans(c->marks, c->nmarks, ni, off))
            bits |= 1ULL << i;
    }
    return bits;
}

int work_save_ui(work *w, const store_ui_state *st)
{
    char err[200];
    return w->st ? store_ui_state_put(w->st, w->case_id, st, err, sizeof err) : 0;
}

int work_load_ui(work *w, store_ui_state *st)
{
    char err[200];
    memset(st, 0, sizeof *st);
    if (!w->st)
        return 1;
    return store_ui_state_get(w->st, w->case_id, st, err, sizeof err);
}

void work_displayed(work *w, int ni, size_t start, size_t end)
{
    if (w->st && end > start)
        store_displayed(w->st, ni, start, end);
}

int work_code_words(const work *w, const char *code, char *desc, size_t dsz,
                    char *status, size_t ssz)
{
    static codes_info info; /* 4 KB: one for the program */
    desc[0] = status[0] = 0;
    if (!w->codes)
        return 0;
    codes_status st = codes_lookup(w->codes, code, &info);
    if (st == CODES_MALFORMED)
        return 0;
    snprintf(desc, dsz, "%s", codes_describe(&info));
    if (!desc[0]) /* the table is loaded: it simply has no words for it */
        snprintf(desc, dsz, "no description in the %s %s list",
                 codes_release(w->codes, info.kind),
                 info.kind == CODES_ICD10 ? "ICD-10-CM" : "HCPCS");
    codes_status_text(w->codes, &info, status, ssz);
    return st == CODES_NOT_BILLABLE || st == CODES_NOT_IN_LIST || st == CODES_RETIRED;
}
