/* storetorture: drives the case store for the crash, concurrency and speed
 * tests (tests/sh/store_*.sh, bench/store.sh).  Not installed.
 *
 *   storetorture setup DB PREFIX N ACTOR...   N small cases, physician actors
 *   storetorture populate DB N                N cases in batches (bench)
 *   storetorture record DB PREFIX ACTOR [SECONDS]
 *        decide the open cases whose id starts with PREFIX, as ACTOR,
 *        printing "saved ID" once each decision is committed
 *   storetorture race DB PREFIX ACTOR SECONDS [START-MS]
 *        the same, where other processes work the same cases: a case
 *        another holds or has closed is skipped ("lost ID"); all racers
 *        given one START-MS (wall clock, ms since the epoch) start then
 *   storetorture check DB SAVED-FILE          integrity, chain, saved ones
 *   storetorture bench DB                     queue open and decision times
 *   storetorture claim DB CASE ACTOR          ACTOR (a reviewer) claims CASE
 *   storetorture sample DB                    a small store with a row in
 *        every table but ui_state, at fixed times after the OS user's
 *        registration (tools/mkstorefixture.sh) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store_impl.h"

static const char *const note_text =
    "CLINIC NOTE\n\nSevere spasticity of cerebral origin despite oral baclofen "
    "90 mg/day; drowsiness at that dose. Positive response to a 50 mcg "
    "intrathecal bolus (Ashworth 4 to 2).\n";

static int die(const char *what, const char *err)
{
    fprintf(stderr, "storetorture: %s: %s\n", what, err);
    return 1;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int make_xml(char *buf, size_t sz, const char *id, long i)
{
    static const char *const codes[] = {"62350", "62362", "62369", "95990", "E0783", "J0475"};
    static const char *const policies[] = {"tufts-1035136", "ccs-nl-05-0612", "cbc-mp-1.058"};
    int day = 1 + (int)(i % 28), hour = (int)(i % 24);
    return snprintf(buf, sz,
                    "<request version=\"1\" id=\"%s\" urgency=\"%s\""
                    " received=\"2026-11-%02dT%02d:%02d:00Z\">"
                    "<member id=\"M%07ld\" dob=\"19%02ld-0%ld-1%ld\" sex=\"%s\">Member %ld</member>"
                    "<provider>Provider %ld</provider><payer id=\"p%ld\">Payer %ld</payer>"
                    "<policy id=\"%s\" section=\"coverage\"/>"
                    "<services><service code=\"%s\" units=\"1\" dos=\"2026-12-01\"/></services>"
                    "<diagnoses><diagnosis code=\"G80.0\"/></diagnoses></request>",
                    id, i % 5 == 0 ? "urgent" : "standard", day, hour, (int)(i % 60), i,
                    30 + i % 60, 1 + i % 9, i % 10, i % 2 ? "F" : "M", i, i % 500, i % 7,
                    i % 7, policies[i % 3], codes[i % 6]);
}

static int import_batch(store *s, const char *prefix, long n)
{
    char err[512], id[STORE_ID_MAX], xml[2048];
    store_note note = {"note.txt", (char *)note_text, strlen(note_text)};
    for (long i = 0; i < n; i++) {
        if (i % 1000 == 0 && store_begin(s, err, sizeof err) < 0)
            return die("begin", err);
        snprintf(id, sizeof id, "%s%07ld", prefix, i);
        int len = make_xml(xml, sizeof xml, id, i);
        if (store_import_mem(s, xml, (size_t)len, &note, 1, NULL, 0, err, sizeof err) < 0) {
            store_rollback(s);
            return die(id, err);
        }
        if ((i % 1000 == 999 || i == n - 1) && store_commit(s, err, sizeof err) < 0)
            return die("commit", err);
    }
    return 0;
}

static int setup(store *s, int argc, char **argv)
{
    char err[512];
    if (argc < 5)
        return 2;
    if (import_batch(s, argv[3], atol(argv[4])))
        return 1;
    for (int i = 5; i < argc; i++)
        if (store_reviewer_add(s, argv[i], STORE_ROLE_PHYSICIAN, NULL, "MD", err,
                               sizeof err) < 0)
            return die("add reviewer", err);
    return 0;
}

/* One complete determination, as the workstation records it. */
static int racing;

/* 1: skipped, another reviewer holds or closed it (only when racing). */
static int decide(store *s, const char *id, char *err, size_t errsz)
{
    static const store_policy_version v = {"tufts-1035136", "2009-04-06", "1", "coverage"};
    store_span ev = {0, 0, 20};
    if (store_claim(s, id, err, errsz) < 0)
        return racing && (strstr(err, "held by") || strstr(err, "closed")) ? 1 : -1;
    if (store_review_begin(s, id, &v, err, errsz) < 0 ||
        store_case_open(s, id, err, errsz) < 0)
        return -1;
    store_displayed(s, 0, 0, 40);
    if (store_verdict_record(s, id, "1", STORE_VERDICT_MET, STORE_ORIGIN_ACCEPTED, NULL, NULL,
                             &ev, err, errsz) < 0 ||
        store_verdict_record(s, id, "3", STORE_VERDICT_MET, STORE_ORIGIN_MANUAL, NULL,
                             "bolus response", NULL, err, errsz) < 0)
        return -1;
    return store_decision_record(s, id, STORE_DECISION_APPROVE, STORE_OUTCOME_MEETS,
                                 "criteria 1 and 3 met", NULL, err, errsz);
}

/* Sleeps until the wall clock reaches ms: every racer begins at once. */
static void start_at(const char *ms)
{
    double when = atof(ms);
    for (;;) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        double left = when - ((double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6);
        if (left <= 0)
            return;
        struct timespec nap = {(time_t)(left / 1e3), (long)(fmod(left, 1e3) * 1e6)};
        nanosleep(&nap, NULL);
    }
}

/* Racers walking the queue in one order convoy: the busy handler keeps
 * the others asleep while the first takes case after case, so they only
 * ever meet cases it already holds.  Each racer takes its page in its own
 * order: they still meet, and none stays in front. */
static void shuffle(store_queue_item *q, size_t n, unsigned *seed)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)rand_r(seed) % i;
        store_queue_item t = q[i - 1];
        q[i - 1] = q[j];
        q[j] = t;
    }
}

static int record(store *s, int argc, char **argv)
{
    char err[512], line[128];
    if (argc < 5)
        return 2;
    if (store_set_actor_for_testing(s, argv[4], err, sizeof err) < 0)
        return die("actor", err);
    unsigned seed = (unsigned)getpid();
    if (racing && argc > 6)
        start_at(argv[6]);
    double until = now_ms() + 1000.0 * (argc > 5 ? atof(argv[5]) : 1e9);
    store_queue_opts o = {.filter = argv[3], .limit = 50};
    while (now_ms() < until) {
        store_queue_item *q;
        size_t n;
        if (store_queue(s, &o, &q, &n, NULL, err, sizeof err) < 0)
            return die("queue", err);
        size_t done = 0;
        if (racing)
            shuffle(q, n, &seed);
        for (size_t i = 0; i < n && now_ms() < until; i++) {
            if (strncmp(q[i].case_id, argv[3], strlen(argv[3])) != 0)
                continue;
            int rc = decide(s, q[i].case_id, err, sizeof err);
            if (rc < 0) {
                die(q[i].case_id, err);
                free(q);
                return 1;
            }
            if (rc > 0) {
                int len = snprintf(line, sizeof line, "lost %s\n", q[i].case_id);
                if (write(1, line, (size_t)len) != len)
                    return 1;
                continue;
            }
            /* Said only after COMMIT returned: the test holds us to it. */
            int len = snprintf(line, sizeof line, "saved %s\n", q[i].case_id);
            if (write(1, line, (size_t)len) != len)
                return 1;
            done++;
            /* A racer that takes the write lock back at once starves the
             * others, asleep in SQLite's busy handler (it does not queue
             * them): pause between cases, as a reviewer does. */
            if (racing)
                nanosleep(&(struct timespec){0, 5000000}, NULL);
        }
        free(q);
        /* Racing, a page may hold only others' cases: move past it. */
        o.offset = racing && !done ? o.offset + n : 0;
        if (n == 0)
            break;
    }
    return 0;
}

static int check(store *s, int argc, char **argv)
{
    char err[512], line[256];
    if (argc < 4)
        return 2;
    sqlite3_stmt *st;
    const char *ok = "?";
    if (sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        ok = strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0 ? "ok" : "CORRUPT";
    int bad = strcmp(ok, "ok") != 0;
    sqlite3_finalize(st);
    long long rows, badrow;
    if (store_audit_verify(s, &rows, &badrow, err, sizeof err) != 0) {
        fprintf(stderr, "storetorture: audit: %s\n", err);
        bad = 1;
    }
    FILE *f = fopen(argv[3], "r");
    long saved = 0, missing = 0;
    while (f && fgets(line, sizeof line, f)) {
        char id[STORE_ID_MAX];
        store_case *c;
        if (sscanf(line, "saved %64s", id) != 1)
            continue;
        saved++;
        if (store_case_get(s, id, &c, err, sizeof err) < 0 ||
            c->status != STORE_STATUS_APPROVED) {
            fprintf(stderr, "storetorture: %s reported saved but not approved\n", id);
            missing++;
        }
        store_case_free(c);
    }
    if (f)
        fclose(f);
    /* No case is ever decided twice: the claim admits one reviewer. */
    long twice = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM (SELECT case_id FROM decisions WHERE"
                                  " counts GROUP BY case_id HAVING count(*)>1)", -1, &st,
                           NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        twice = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    printf("integrity %s, audit rows %lld, saved %ld, missing %ld, decided twice %ld\n", ok,
           rows, saved, missing, twice);
    return bad || missing || twice || !f;
}

static int bench(store *s, const char *path)
{
    char err[512];
    store_close(s);
    double t0 = now_ms();
    s = store_open(path, err, sizeof err);
    char admin[STORE_USER_MAX];
    store_copy(admin, sizeof admin, s ? store_whoami(s)->user : "");
    double topen = now_ms();
    store_queue_item *q;
    size_t n;
    store_queue_counts c;
    if (!s || store_queue(s, NULL, &q, &n, &c, err, sizeof err) < 0)
        return die("queue", err);
    double t1 = now_ms();
    printf("queue open: %.1f ms (store_open %.1f ms + first %zu of %zu open cases with"
           " counts, %zu overdue)\n", t1 - t0, topen - t0, n, c.total, c.overdue);
    store_queue_item *page;
    size_t np;
    store_queue_opts o = {.limit = 60};
    double t2 = now_ms();
    if (store_queue(s, &o, &page, &np, &c, err, sizeof err) < 0)
        return die("queue", err);
    printf("queue screenful: %.1f ms (first %zu with counts, store already open)\n",
           now_ms() - t2, np);
    free(page);
    /* A nurse's queue leaves referred cases out: another filter. */
    if (store_reviewer_add(s, "bench-rn", STORE_ROLE_NURSE, NULL, "RN", err, sizeof err) < 0 &&
        store_reviewer_set_role(s, "bench-rn", STORE_ROLE_NURSE, err, sizeof err) < 0)
        return die("bench-rn", err);
    if (store_set_actor_for_testing(s, "bench-rn", err, sizeof err) < 0)
        return die("actor", err);
    t2 = now_ms();
    if (store_queue(s, NULL, &page, &np, &c, err, sizeof err) < 0)
        return die("queue", err);
    printf("queue as a nurse: %.1f ms (first %zu with counts)\n", now_ms() - t2, np);
    free(page);
    if (store_set_actor_for_testing(s, admin, err, sizeof err) < 0)
        return die("actor", err);
    /* The OS user is the bench database's administrator. */
    if (store_reviewer_add(s, "bench-md", STORE_ROLE_PHYSICIAN, NULL, "MD", err, sizeof err) < 0 &&
        store_reviewer_set_role(s, "bench-md", STORE_ROLE_PHYSICIAN, err, sizeof err) < 0)
        return die("bench-md", err);
    if (store_set_actor_for_testing(s, "bench-md", err, sizeof err) < 0)
        return die("actor", err);
    double total = 0, worst = 0;
    int runs = n < 40 ? (int)n : 40;
    static const store_policy_version v = {"tufts-1035136", "2009-04-06", "1", "coverage"};
    for (int i = 0; i < runs; i++) {
        const char *id = q[n - 1 - (size_t)i].case_id;
        if (store_claim(s, id, err, sizeof err) < 0 ||
            store_review_begin(s, id, &v, err, sizeof err) < 0)
            return die(id, err);
        double a = now_ms();
        if (store_decision_record(s, id, STORE_DECISION_APPROVE, STORE_OUTCOME_MEETS, "met",
                                  NULL, err, sizeof err) < 0)
            return die(id, err);
        double d = now_ms() - a;
        total += d;
        worst = d > worst ? d : worst;
    }
    printf("decision record: %.2f ms mean, %.2f ms worst (%d decisions, synchronous=FULL)\n",
           runs ? total / runs : 0, worst, runs);
    free(q);
    store_close(s);
    return 0;
}

static int claim(store *s, int argc, char **argv)
{
    char err[512];
    if (argc < 5)
        return 2;
    if (store_set_actor_for_testing(s, argv[4], err, sizeof err) < 0 ||
        store_claim(s, argv[3], err, sizeof err) < 0)
        return die(argv[3], err);
    return 0;
}

/* A case store with a row in every table but ui_state, made through the
 * store's own calls at fixed times, one minute apart. */
static int sample(store *s)
{
    char err[512];
    static const store_policy_version v = {"tufts-1035136", "2009-04-06", "1", "coverage"};
    static const char *const dirs[] = {"fixtures/import/C-000139", "fixtures/import/C-000147"};
    time_t t = 1795255200; /* 2026-11-21 10:00 UTC */
    store_span ev = {0, 0, 60};
#define AT(call)                                                             \
    do {                                                                     \
        store_set_clock_for_testing(s, t += 60);                             \
        if ((call) < 0)                                                      \
            return die(#call, err);                                          \
    } while (0)
    for (int i = 0; i < 2; i++)
        AT(store_import_dir(s, dirs[i], NULL, 0, err, sizeof err));
    AT(store_reviewer_add(s, "nina", STORE_ROLE_NURSE, "N. Ina", "RN", err, sizeof err));
    AT(store_reviewer_add(s, "phil", STORE_ROLE_PHYSICIAN, "P. Hill", "MD", err, sizeof err));
    AT(store_set_actor_for_testing(s, "phil", err, sizeof err));
    AT(store_claim(s, "C-000147", err, sizeof err));
    AT(store_review_begin(s, "C-000147", &v, err, sizeof err));
    AT(store_case_open(s, "C-000147", err, sizeof err));
    store_displayed(s, 0, 0, 120);
    AT(store_comment_add(s, "C-000147", "1", "called the office", err, sizeof err));
    AT(store_verdict_record(s, "C-000147", "1", STORE_VERDICT_MET, STORE_ORIGIN_ACCEPTED,
                            NULL, NULL, &ev, err, sizeof err));
    AT(store_evidence_mark(s, "C-000147", "3", 0, 20, 80, err, sizeof err));
    AT(store_decision_record(s, "C-000147", STORE_DECISION_APPROVE, STORE_OUTCOME_MEETS,
                             "criteria 1 and 3 met", NULL, err, sizeof err));
    AT(store_case_close(s, err, sizeof err));
    AT(store_set_actor_for_testing(s, "nina", err, sizeof err));
    AT(store_claim(s, "C-000139", err, sizeof err));
    AT(store_review_begin(s, "C-000139", &v, err, sizeof err));
    AT(store_decision_record(s, "C-000139", STORE_DECISION_PEND, STORE_OUTCOME_INSUFFICIENT,
                             "need the MAR", NULL, err, sizeof err));
#undef AT
    return 0;
}

int main(int argc, char **argv)
{
    char err[512];
    if (argc < 3) {
        fprintf(stderr, "usage: storetorture setup|populate|record|race|check|bench|claim|sample"
                        " DB ...\n");
        return 2;
    }
    store *s = store_open(argv[2], err, sizeof err);
    if (!s)
        return die(argv[2], err);
    int rc = 2;
    if (strcmp(argv[1], "setup") == 0)
        rc = setup(s, argc, argv);
    else if (strcmp(argv[1], "populate") == 0 && argc > 3)
        rc = import_batch(s, "B-", atol(argv[3]));
    else if (strcmp(argv[1], "record") == 0)
        rc = record(s, argc, argv);
    else if (strcmp(argv[1], "race") == 0) {
        racing = 1;
        rc = record(s, argc, argv);
    }
    else if (strcmp(argv[1], "check") == 0)
        rc = check(s, argc, argv);
    else if (strcmp(argv[1], "claim") == 0)
        rc = claim(s, argc, argv);
    else if (strcmp(argv[1], "sample") == 0)
        rc = sample(s);
    else if (strcmp(argv[1], "bench") == 0)
        return bench(s, argv[2]);
    if (rc == 2)
        fprintf(stderr, "storetorture: bad arguments\n");
    store_close(s);
    return rc;
}
