/* The audit trail: a hash chain that names the first row altered or
 * removed. */
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

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/store-audit-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/case.db", dir);
    if (!getenv("CASEREVIEW_HOME"))
        setenv("CASEREVIEW_HOME", ".", 1);
    s = store_open(path, err, sizeof err);
    cr_assert_not_null(s, "%s", err);
    const char *dirs[] = {"fixtures/import/C-000139", "fixtures/import/C-000142",
                          "fixtures/import/C-000147"};
    for (int i = 0; i < 3; i++)
        cr_assert_eq(store_import_dir(s, dirs[i], NULL, 0, err, sizeof err), 0, "%s", err);
    cr_assert_eq(store_reviewer_add(s, "phil", STORE_ROLE_PHYSICIAN, "P. Hill", "MD", err,
                                    sizeof err), 0, "%s", err);
    cr_assert_eq(store_set_actor_for_testing(s, "phil", err, sizeof err), 0);
    static const store_policy_version v = {"tufts-1035136", "2009-04-06", "1", "coverage"};
    cr_assert_eq(store_claim(s, "C-000142", err, sizeof err), 0, "%s", err);
    cr_assert_eq(store_review_begin(s, "C-000142", &v, err, sizeof err), 0, "%s", err);
    cr_assert_eq(store_case_open(s, "C-000142", err, sizeof err), 0, "%s", err);
    cr_assert_eq(store_comment_add(s, "C-000142", NULL, "called the office", err, sizeof err),
                 0, "%s", err);
    cr_assert_eq(store_verdict_record(s, "C-000142", "1", STORE_VERDICT_MET,
                                      STORE_ORIGIN_ACCEPTED, NULL, NULL, NULL, err, sizeof err),
                 0, "%s", err);
    cr_assert_eq(store_decision_record(s, "C-000142", STORE_DECISION_APPROVE,
                                       STORE_OUTCOME_MEETS, NULL, NULL, err, sizeof err), 0,
                 "%s", err);
    cr_assert_eq(store_case_close(s, err, sizeof err), 0, "%s", err);
}

static void teardown(void)
{
    store_close(s);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        cr_log_warn("could not remove %s", dir);
}

TestSuite(audit, .init = setup, .fini = teardown);

static long long scalar(const char *sql)
{
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), SQLITE_OK, "%s", sql);
    long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

/* What someone with the file could do: the triggers are no obstacle. */
static void tamper(const char *sql)
{
    cr_assert_eq(sqlite3_exec(s->db, "PRAGMA foreign_keys=OFF;"
                                     "DROP TRIGGER IF EXISTS audit_no_update;"
                                     "DROP TRIGGER IF EXISTS audit_no_delete;", NULL, NULL, NULL),
                 SQLITE_OK);
    cr_assert_eq(sqlite3_exec(s->db, sql, NULL, NULL, NULL), SQLITE_OK, "%s: %s", sql,
                 sqlite3_errmsg(s->db));
}

static long long verify(void)
{
    long long rows = 0, bad = 0;
    int rc = store_audit_verify(s, &rows, &bad, err, sizeof err);
    cr_assert_neq(rc, -1, "%s", err);
    return rc == 0 ? 0 : bad;
}

Test(audit, intact_chain_verifies)
{
    long long rows, bad;
    cr_assert_eq(store_audit_verify(s, &rows, &bad, err, sizeof err), 0, "%s", err);
    cr_expect_eq(rows, scalar("SELECT count(*) FROM audit"));
    cr_expect_geq(rows, 10);
}

Test(audit, every_action_is_recorded)
{
    const char *actions[] = {"register", "reviewer-add", "role", "import", "claim", "review",
                             "open", "comment", "verdict", "decision", "close"};
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE action='%s'", actions[i]);
        cr_expect_geq(scalar(sql), 1, "no %s row", actions[i]);
    }
    cr_expect_eq(scalar("SELECT count(*) FROM audit WHERE action='close' AND"
                        " detail LIKE '%seconds_open%'"), 1);
    cr_expect_eq(scalar("SELECT count(*) FROM audit WHERE detail LIKE '%spasticity%'"), 0,
                 "no note text in the audit");
}

Test(audit, altered_row_is_named)
{
    long long id = scalar("SELECT id FROM audit WHERE action='verdict'");
    char sql[200];
    snprintf(sql, sizeof sql,
             "UPDATE audit SET detail=replace(detail,'\"met\"','\"not_met\"') WHERE id=%lld", id);
    tamper(sql);
    cr_expect_eq(verify(), id);
    cr_expect(strstr(err, "altered") != NULL, "%s", err);
}

Test(audit, altered_row_with_rewritten_hash_is_named)
{
    long long id = scalar("SELECT id FROM audit WHERE action='decision'");
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(s->db, "SELECT prev,at,user,action,case_id FROM audit"
                                           " WHERE id=?", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    unsigned char hash[32];
    const char *forged = "{\"decision\":\"deny\"}";
    store_chain_hash(sqlite3_column_blob(st, 0), id, sqlite3_column_int64(st, 1),
                     (const char *)sqlite3_column_text(st, 2),
                     (const char *)sqlite3_column_text(st, 3),
                     (const char *)sqlite3_column_text(st, 4), forged, hash);
    sqlite3_finalize(st);
    tamper("SELECT 1");
    cr_assert_eq(sqlite3_prepare_v2(s->db, "UPDATE audit SET detail=?, hash=? WHERE id=?", -1,
                                    &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, forged, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, hash, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, id);
    cr_assert_eq(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    cr_expect_eq(verify(), id, "%s", err);
}

Test(audit, removed_row_is_named)
{
    long long id = scalar("SELECT id FROM audit WHERE action='comment'");
    char sql[100];
    snprintf(sql, sizeof sql, "DELETE FROM audit WHERE id=%lld", id);
    tamper(sql);
    cr_expect_eq(verify(), id);
    cr_expect(strstr(err, "removed") != NULL, "%s", err);
}

Test(audit, removed_last_row_is_named)
{
    long long last = scalar("SELECT max(id) FROM audit");
    tamper("DELETE FROM audit WHERE id=(SELECT max(id) FROM audit)");
    cr_expect_eq(verify(), last);
    cr_expect(strstr(err, "removed") != NULL, "%s", err);
}

Test(audit, appended_actions_carry_seconds_open)
{
    cr_assert_eq(store_case_open(s, "C-000147", err, sizeof err), 0, "%s", err);
    store_set_clock_for_testing(s, time(NULL) + 95);
    cr_assert_eq(store_audit_append(s, "letter", "C-000147", "{\"template\":\"approval\"}",
                                    err, sizeof err), 0, "%s", err);
    cr_expect_eq(store_audit_append(s, "letter", "C-000147", "not json", err, sizeof err), -1);
    cr_expect_eq(store_audit_append(s, "bad action!", NULL, NULL, err, sizeof err), -1);
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(s->db, "SELECT detail FROM audit WHERE action='letter'", -1,
                                    &st, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    const char *d = (const char *)sqlite3_column_text(st, 0);
    cr_expect(strstr(d, "\"template\":\"approval\"") != NULL, "%s", d);
    long secs = -1;
    const char *p = strstr(d, "\"seconds_open\":");
    if (p)
        secs = atol(p + 15);
    cr_expect_geq(secs, 95, "%s", d);
    sqlite3_finalize(st);
    cr_expect_eq(verify(), 0, "%s", err);
}

static int collect(const store_audit_row *r, void *ctx)
{
    char *buf = ctx;
    cr_expect_str_eq(r->case_id, "C-000142");
    strcat(buf, r->action);
    strcat(buf, " ");
    return 0;
}

Test(audit, show_lists_one_case_in_order)
{
    char buf[1024] = "";
    cr_assert_eq(store_audit_each(s, "C-000142", collect, buf, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(buf, "import claim review open comment verdict decision close ");
}

Test(audit, record_altered_behind_the_chain_is_named)
{
    long long aid = scalar("SELECT audit_id FROM decisions");
    cr_assert_eq(sqlite3_exec(s->db, "DROP TRIGGER decisions_no_update;"
                                     "UPDATE decisions SET decision='deny'", NULL, NULL, NULL),
                 SQLITE_OK);
    cr_expect_eq(verify(), aid);
    cr_expect(strstr(err, "decisions row") != NULL, "%s", err);
}

Test(audit, verdict_altered_behind_the_chain_is_named)
{
    cr_assert_eq(sqlite3_exec(s->db, "DROP TRIGGER verdicts_no_update;"
                                     "UPDATE verdicts SET reason='forged'", NULL, NULL, NULL),
                 SQLITE_OK);
    cr_expect_neq(verify(), 0);
    cr_expect(strstr(err, "verdicts row 1") != NULL, "%s", err);
}
