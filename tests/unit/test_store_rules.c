/* The case store's rules: roles, claims, verdict history, decisions and
 * the evidence-seen warnings. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "store/store_impl.h"

static char dir[256], path[320];
static char err[512];
static store *s;
static char admin[STORE_USER_MAX];

static const store_policy_version tufts = {"tufts-1035136", "2009-04-06", "1", "coverage"};

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/store-rules-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/case.db", dir);
    if (!getenv("CASEREVIEW_HOME"))
        setenv("CASEREVIEW_HOME", ".", 1);
    s = store_open(path, err, sizeof err);
    cr_assert_not_null(s, "%s", err);
    store_copy(admin, sizeof admin, store_whoami(s)->user);
    const char *dirs[] = {"fixtures/import/C-000139", "fixtures/import/C-000142",
                          "fixtures/import/C-000147"};
    for (int i = 0; i < 3; i++)
        cr_assert_eq(store_import_dir(s, dirs[i], NULL, 0, err, sizeof err), 0, "%s", err);
    struct {
        const char *user;
        store_role role;
    } people[] = {{"nina", STORE_ROLE_NURSE}, {"nora", STORE_ROLE_NURSE},
                  {"phil", STORE_ROLE_PHYSICIAN}, {"tess", STORE_ROLE_TRAINEE}};
    for (int i = 0; i < 4; i++)
        cr_assert_eq(store_reviewer_add(s, people[i].user, people[i].role, NULL, NULL, err,
                                        sizeof err), 0, "%s", err);
}

static void teardown(void)
{
    store_close(s);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        cr_log_warn("could not remove %s", dir);
}

TestSuite(rules, .init = setup, .fini = teardown);

static void as(const char *user)
{
    cr_assert_eq(store_set_actor_for_testing(s, user, err, sizeof err), 0, "%s", err);
}

/* Claim, begin the review, record one verdict: ready to decide. */
static void prepare(const char *user, const char *case_id)
{
    as(user);
    cr_assert_eq(store_claim(s, case_id, err, sizeof err), 0, "%s", err);
    cr_assert_eq(store_review_begin(s, case_id, &tufts, err, sizeof err), 0, "%s", err);
    cr_assert_eq(store_verdict_record(s, case_id, "1", STORE_VERDICT_MET,
                                      STORE_ORIGIN_ACCEPTED, NULL, NULL, NULL, err,
                                      sizeof err), 0, "%s", err);
}

static store_status status_of(const char *case_id)
{
    store_case *c;
    cr_assert_eq(store_case_get(s, case_id, &c, err, sizeof err), 0, "%s", err);
    store_status st = c->status;
    store_case_free(c);
    return st;
}

static long long scalar(const char *sql)
{
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), SQLITE_OK, "%s", sql);
    long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

Test(rules, only_a_physician_denies)
{
    prepare("nina", "C-000142");
    cr_expect_eq(store_decision_record(s, "C-000142", STORE_DECISION_DENY,
                                       STORE_OUTCOME_DOES_NOT_MEET, "no bolus", NULL, err,
                                       sizeof err), -1);
    cr_expect(strstr(err, "physician") != NULL, "%s", err);
    cr_expect_eq(status_of("C-000142"), STORE_STATUS_OPEN);
    cr_assert_eq(store_release(s, "C-000142", err, sizeof err), 0, "%s", err);
    prepare("phil", "C-000142");
    cr_expect_eq(store_decision_record(s, "C-000142", STORE_DECISION_DENY,
                                       STORE_OUTCOME_DOES_NOT_MEET, "no bolus", NULL, err,
                                       sizeof err), 0, "%s", err);
    cr_expect_eq(status_of("C-000142"), STORE_STATUS_DENIED);
    cr_expect_eq(scalar("SELECT counts FROM decisions WHERE case_id='C-000142'"), 1);
}

Test(rules, nurse_approves_only_when_criteria_met)
{
    prepare("nina", "C-000142");
    cr_expect_eq(store_decision_check(s, "C-000142", STORE_DECISION_APPROVE,
                                      STORE_OUTCOME_INSUFFICIENT, NULL, err, sizeof err), -1);
    cr_expect(strstr(err, "nurse") != NULL, "%s", err);
    cr_expect_eq(store_decision_record(s, "C-000142", STORE_DECISION_APPROVE,
                                       STORE_OUTCOME_DOES_NOT_MEET, NULL, NULL, err,
                                       sizeof err), -1);
    cr_expect_eq(store_decision_record(s, "C-000142", STORE_DECISION_APPROVE,
                                       STORE_OUTCOME_MEETS, NULL, NULL, err, sizeof err), 0,
                 "%s", err);
    cr_expect_eq(status_of("C-000142"), STORE_STATUS_APPROVED);
    cr_expect_eq(store_decision_record(s, "C-000142", STORE_DECISION_PEND,
                                       STORE_OUTCOME_MEETS, "again", NULL, err, sizeof err), -1,
                 "a closed case takes no more decisions");
}

Test(rules, nurse_pends_and_refers_then_only_a_physician_works_it)
{
    prepare("nina", "C-000147");
    cr_expect_eq(store_decision_record(s, "C-000147", STORE_DECISION_PEND,
                                       STORE_OUTCOME_INSUFFICIENT, "", NULL, err, sizeof err),
                 -1, "a pend needs a rationale");
    cr_assert_eq(store_decision_record(s, "C-000147", STORE_DECISION_PEND,
                                       STORE_OUTCOME_INSUFFICIENT, "need the MAR", NULL, err,
                                       sizeof err), 0, "%s", err);
    cr_expect_eq(status_of("C-000147"), STORE_STATUS_PENDED);
    cr_assert_eq(store_decision_record(s, "C-000147", STORE_DECISION_REFER,
                                       STORE_OUTCOME_INSUFFICIENT, "for the physician", NULL,
                                       err, sizeof err), 0, "%s, the pend kept the claim", err);
    cr_expect_eq(status_of("C-000147"), STORE_STATUS_REFERRED);
    as("nora");
    cr_expect_eq(store_claim(s, "C-000147", err, sizeof err), -1);
    cr_expect(strstr(err, "referred") != NULL, "%s", err);
    store_queue_item *q;
    size_t n;
    cr_assert_eq(store_queue(s, NULL, &q, &n, NULL, err, sizeof err), 0);
    for (size_t i = 0; i < n; i++)
        cr_expect_str_neq(q[i].case_id, "C-000147", "a nurse's queue hides referred cases");
    free(q);
    as("phil");
    cr_assert_eq(store_queue(s, NULL, &q, &n, NULL, err, sizeof err), 0);
    int seen = 0;
    for (size_t i = 0; i < n; i++)
        seen |= strcmp(q[i].case_id, "C-000147") == 0;
    free(q);
    cr_expect(seen, "a physician sees the referred case");
    cr_expect_eq(store_claim(s, "C-000147", err, sizeof err), 0, "%s", err);
}

Test(rules, trainee_decisions_are_practice)
{
    as("tess");
    cr_expect_eq(store_claim(s, "C-000142", err, sizeof err), -1, "trainees do not claim");
    cr_assert_eq(store_review_begin(s, "C-000142", &tufts, err, sizeof err), 0, "%s", err);
    cr_assert_eq(store_verdict_record(s, "C-000142", "3", STORE_VERDICT_NOT_MET,
                                      STORE_ORIGIN_MANUAL, NULL, NULL, NULL, err, sizeof err),
                 0, "%s", err);
    unsigned w = 0;
    cr_assert_eq(store_decision_record(s, "C-000142", STORE_DECISION_DENY,
                                       STORE_OUTCOME_DOES_NOT_MEET, "practice deny", &w, err,
                                       sizeof err), 0, "%s", err);
    cr_expect(w & STORE_WARN_PRACTICE);
    cr_expect_eq(status_of("C-000142"), STORE_STATUS_OPEN, "never a determination");
    cr_expect_eq(scalar("SELECT counts FROM decisions WHERE case_id='C-000142'"), 0);
}

Test(rules, no_role_no_work)
{
    as("stranger");
    cr_expect_eq(store_whoami(s)->role, STORE_ROLE_NONE);
    cr_expect_eq(store_claim(s, "C-000142", err, sizeof err), -1);
    cr_expect_eq(store_review_begin(s, "C-000142", &tufts, err, sizeof err), 0);
    cr_expect_eq(store_verdict_record(s, "C-000142", "1", STORE_VERDICT_MET,
                                      STORE_ORIGIN_ACCEPTED, NULL, NULL, NULL, err, sizeof err),
                 -1);
    cr_expect(strstr(err, "no reviewer role") != NULL, "%s", err);
    cr_expect_eq(store_reviewer_set_role(s, "stranger", STORE_ROLE_PHYSICIAN, err, sizeof err),
                 -1, "only an administrator gives roles");
}

Test(rules, a_held_case_is_not_anothers_to_decide)
{
    prepare("nina", "C-000142");
    as("nora");
    cr_expect_eq(store_claim(s, "C-000142", err, sizeof err), -1);
    cr_expect(strstr(err, "held by nina") != NULL, "%s", err);
    store_queue_item *q;
    size_t n;
    cr_assert_eq(store_queue(s, NULL, &q, &n, NULL, err, sizeof err), 0);
    for (size_t i = 0; i < n; i++)
        if (strcmp(q[i].case_id, "C-000142") == 0) {
            cr_expect_str_eq(q[i].holder, "nina");
            cr_expect_not(q[i].mine);
        }
    free(q);
    cr_expect_eq(store_decision_record(s, "C-000142", STORE_DECISION_PEND,
                                       STORE_OUTCOME_INSUFFICIENT, "x", NULL, err, sizeof err),
                 -1);
    cr_expect(strstr(err, "held by nina") != NULL, "%s", err);
    cr_expect_eq(store_verdict_record(s, "C-000142", "2", STORE_VERDICT_MET,
                                      STORE_ORIGIN_ACCEPTED, NULL, NULL, NULL, err, sizeof err),
                 -1);
    cr_expect_eq(store_release(s, "C-000142", err, sizeof err), -1, "not nora's to release");
    cr_expect_eq(store_takeover(s, "C-000142", err, sizeof err), -1, "nora is no administrator");
    as(admin);
    cr_assert_eq(store_takeover(s, "C-000142", err, sizeof err), 0, "%s", err);
    cr_assert_eq(store_release(s, "C-000142", err, sizeof err), 0, "%s", err);
    as("nora");
    cr_expect_eq(store_claim(s, "C-000142", err, sizeof err), 0, "%s", err);
    cr_expect_eq(scalar("SELECT count(*) FROM claims WHERE case_id='C-000142'"), 4);
    cr_expect_eq(scalar("SELECT count(*) FROM claims WHERE action='takeover' AND "
                        "previous='nina'"), 1);
}

Test(rules, verdicts_are_history_not_updates)
{
    prepare("nina", "C-000142");
    cr_expect_eq(store_verdict_record(s, "C-000142", "1", STORE_VERDICT_NOT_MET,
                                      STORE_ORIGIN_OVERRIDDEN, NULL, NULL, NULL, err,
                                      sizeof err), -1, "an override needs a reason");
    store_span ev = {1, 10, 40};
    cr_assert_eq(store_verdict_record(s, "C-000142", "1", STORE_VERDICT_NOT_MET,
                                      STORE_ORIGIN_OVERRIDDEN, "dose not maximal", "see MAR",
                                      &ev, err, sizeof err), 0, "%s", err);
    cr_assert_eq(store_verdict_record(s, "C-000142", "L.1", STORE_VERDICT_MET,
                                      STORE_ORIGIN_ACCEPTED, NULL, NULL, NULL, err, sizeof err),
                 0, "%s", err);
    store_span bad = {5, 0, 3};
    cr_expect_eq(store_verdict_record(s, "C-000142", "2", STORE_VERDICT_MET,
                                      STORE_ORIGIN_ACCEPTED, NULL, NULL, &bad, err, sizeof err),
                 -1, "no note 5");
    cr_expect_eq(scalar("SELECT count(*) FROM verdicts WHERE case_id='C-000142'"), 3);
    store_verdict_row *v;
    size_t n;
    cr_assert_eq(store_latest_verdicts(s, "C-000142", &v, &n, err, sizeof err), 0, "%s", err);
    cr_assert_eq(n, 2);
    cr_expect_str_eq(v[0].criterion, "1");
    cr_expect_eq(v[0].verdict, STORE_VERDICT_NOT_MET);
    cr_expect_eq(v[0].origin, STORE_ORIGIN_OVERRIDDEN);
    cr_expect_str_eq(v[0].reason, "dose not maximal");
    cr_expect_str_eq(v[0].comment, "see MAR");
    cr_expect(v[0].has_evidence);
    cr_expect_eq(v[0].evidence.end, 40);
    cr_expect_str_eq(v[1].criterion, "L.1");
    store_verdicts_free(v, n);
    cr_expect_neq(sqlite3_exec(s->db, "UPDATE verdicts SET verdict='met'", NULL, NULL, NULL),
                  SQLITE_OK, "records refuse updates");
    cr_expect_neq(sqlite3_exec(s->db, "DELETE FROM verdicts", NULL, NULL, NULL), SQLITE_OK);
}

Test(rules, a_new_policy_version_is_a_new_review)
{
    prepare("nina", "C-000142");
    store_policy_version v2 = tufts;
    store_copy(v2.revision, sizeof v2.revision, "2");
    cr_assert_eq(store_review_begin(s, "C-000142", &tufts, err, sizeof err), 0);
    cr_expect_eq(scalar("SELECT count(*) FROM reviews"), 1, "same version, same review");
    cr_assert_eq(store_review_begin(s, "C-000142", &v2, err, sizeof err), 0, "%s", err);
    cr_expect_eq(scalar("SELECT count(*) FROM reviews"), 2);
    store_verdict_row *v;
    size_t n;
    cr_assert_eq(store_latest_verdicts(s, "C-000142", &v, &n, err, sizeof err), 0);
    cr_expect_eq(n, 0, "verdicts belong to the review they were made under");
    store_verdicts_free(v, n);
    store_case *c;
    cr_assert_eq(store_case_get(s, "C-000142", &c, err, sizeof err), 0);
    cr_expect(c->reviewed);
    cr_expect_str_eq(c->version.revision, "2");
    cr_expect_str_eq(c->version.effective, "2009-04-06");
    store_case_free(c);
}

Test(rules, deciding_unseen_evidence_is_warned_and_recorded)
{
    prepare("phil", "C-000142");
    cr_assert_eq(store_evidence_mark(s, "C-000142", "3", 0, 100, 160, err, sizeof err), 0,
                 "%s", err);
    unsigned w = 0;
    cr_assert_eq(store_decision_check(s, "C-000142", STORE_DECISION_DENY,
                                      STORE_OUTCOME_DOES_NOT_MEET, &w, err, sizeof err), 0,
                 "%s", err);
    cr_expect(w & STORE_WARN_NOTES_UNSEEN);
    cr_expect(w & STORE_WARN_EVIDENCE_UNSEEN);
    cr_assert_eq(store_case_open(s, "C-000142", err, sizeof err), 0, "%s", err);
    store_displayed(s, 0, 0, 90);
    cr_assert_eq(store_decision_check(s, "C-000142", STORE_DECISION_DENY,
                                      STORE_OUTCOME_DOES_NOT_MEET, &w, err, sizeof err), 0);
    cr_expect_not(w & STORE_WARN_NOTES_UNSEEN);
    cr_expect(w & STORE_WARN_EVIDENCE_UNSEEN, "the marked span 100-160 was not shown");
    store_displayed(s, 0, 80, 130);
    cr_assert_eq(store_decision_record(s, "C-000142", STORE_DECISION_DENY,
                                       STORE_OUTCOME_DOES_NOT_MEET, "no bolus trial", &w, err,
                                       sizeof err), 0, "%s", err);
    cr_expect_eq(w, 0u);
    cr_expect_eq(scalar("SELECT warnings FROM decisions"), 0);
    cr_expect_eq(scalar("SELECT count(*) FROM audit WHERE action='decision' AND "
                        "detail LIKE '%\"displayed\":[[0,0,130]]%'"), 1,
                 "the record shows what was displayed, merged");
}

Test(rules, unseen_decision_is_recorded_with_its_warning)
{
    prepare("phil", "C-000147");
    unsigned w = 0;
    cr_assert_eq(store_decision_record(s, "C-000147", STORE_DECISION_APPROVE,
                                       STORE_OUTCOME_MEETS, NULL, &w, err, sizeof err), 0,
                 "%s", err);
    cr_expect(w & STORE_WARN_NOTES_UNSEEN);
    cr_expect_eq(scalar("SELECT warnings FROM decisions") & STORE_WARN_NOTES_UNSEEN,
                 STORE_WARN_NOTES_UNSEEN);
    cr_expect_eq(scalar("SELECT count(*) FROM audit WHERE detail LIKE '%notes_unseen%'"), 1);
}

Test(rules, the_last_administrator_stays)
{
    cr_expect_eq(store_reviewer_set_admin(s, admin, 0, err, sizeof err), -1);
    cr_assert_eq(store_reviewer_set_admin(s, "phil", 1, err, sizeof err), 0, "%s", err);
    cr_expect_eq(store_reviewer_set_admin(s, admin, 0, err, sizeof err), 0, "%s", err);
    cr_expect_not(store_whoami(s)->admin);
}
