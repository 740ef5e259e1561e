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
    cr_assert_eq(store_reviewer_add(s, "nina", STORE_ROLE_NURSE, "N. Ina", "RN", err,
                                    sizeof err), 0, "%s", err);
    cr_assert_eq(store_set_actor_for_testing(s, "nina", err, sizeof err), 0);
    cr_assert_eq(store_claim(s, "C-000139", err, sizeof err), 0, "%s", err);
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
    static const store_span ev = {0, 10, 60};
    cr_assert_eq(store_verdict_record(s, "C-000142", "2", STORE_VERDICT_MET,
                                      STORE_ORIGIN_MANUAL, NULL, "dose in the note", &ev, err,
                                      sizeof err), 0, "%s", err);
    cr_assert_eq(store_evidence_mark(s, "C-000142", "3", 1, 100, 160, err, sizeof err), 0,
                 "%s", err);
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

/* What someone with the file could do: the triggers, foreign keys and
 * CHECK constraints are no obstacle. */
static void tamper(const char *sql)
{
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(s->db, "SELECT name FROM sqlite_master WHERE type='trigger'",
                                    -1, &st, NULL), SQLITE_OK);
    char drop[4096] = "PRAGMA foreign_keys=OFF; PRAGMA ignore_check_constraints=ON;";
    while (sqlite3_step(st) == SQLITE_ROW) {
        size_t n = strlen(drop);
        snprintf(drop + n, sizeof drop - n, "DROP TRIGGER %s;", sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    cr_assert_eq(sqlite3_exec(s->db, drop, NULL, NULL, NULL), SQLITE_OK, "%s",
                 sqlite3_errmsg(s->db));
    cr_assert_eq(sqlite3_exec(s->db, sql, NULL, NULL, NULL), SQLITE_OK, "%s: %s", sql,
                 sqlite3_errmsg(s->db));
}

/* verify must fail; returns the audit row it names (0: none has it). */
static long long broken(const char *why)
{
    long long rows = 0, bad = -1;
    int rc = store_audit_verify(s, &rows, &bad, err, sizeof err);
    cr_assert_eq(rc, 1, "%s: verify said %d (%s)", why, rc, err);
    return bad;
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
    cr_expect_str_eq(buf, "import claim review open comment verdict verdict evidence decision"
                          " close ");
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

/* ---- the rows that are not the chain ------------------------------------ */

static long long audit_id_of(const char *table, const char *where)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT audit_id FROM %s WHERE %s", table, where);
    return scalar(sql);
}

Test(audit, deleted_decision_is_named)
{
    long long aid = audit_id_of("decisions", "1");
    tamper("DELETE FROM decisions");
    cr_expect_eq(broken("decision deleted"), aid);
    cr_expect(strstr(err, "its decisions row is missing") != NULL, "%s", err);
}

Test(audit, forged_decision_warnings_are_named)
{
    cr_assert_eq(scalar("SELECT warnings FROM decisions"),
                 STORE_WARN_NOTES_UNSEEN | STORE_WARN_EVIDENCE_UNSEEN,
                 "decided with nothing displayed");
    long long aid = audit_id_of("decisions", "1");
    tamper("UPDATE decisions SET warnings=0");
    cr_expect_eq(broken("warnings cleared"), aid);
    cr_expect(strstr(err, "decisions row 1 was altered (warnings)") != NULL, "%s", err);
}

Test(audit, moved_verdict_evidence_is_named)
{
    long long aid = audit_id_of("verdicts", "ev_note IS NOT NULL");
    tamper("UPDATE verdicts SET ev_start=200, ev_end=260 WHERE ev_note IS NOT NULL");
    cr_expect_eq(broken("evidence span moved"), aid);
    cr_expect(strstr(err, "verdicts row 2 was altered (ev_start)") != NULL, "%s", err);
}

Test(audit, altered_evidence_mark_is_named)
{
    long long aid = audit_id_of("evidence", "1");
    tamper("UPDATE evidence SET end=400");
    cr_expect_eq(broken("evidence mark altered"), aid);
    cr_expect(strstr(err, "evidence row 1 was altered (end)") != NULL, "%s", err);
}

Test(audit, deleted_evidence_mark_is_named)
{
    long long aid = audit_id_of("evidence", "1");
    tamper("DELETE FROM evidence");
    cr_expect_eq(broken("evidence mark deleted"), aid);
    cr_expect(strstr(err, "its evidence row is missing") != NULL, "%s", err);
}

Test(audit, forged_reviewer_role_is_named)
{
    long long last = scalar("SELECT max(id) FROM audit WHERE action IN ('reviewer-add','role')"
                            " AND json_extract(detail,'$.user')='nina'");
    tamper("UPDATE reviewers SET role='physician', admin=1 WHERE user='nina'");
    cr_expect_eq(broken("nurse made physician and administrator"), last);
    cr_expect(strstr(err, "reviewers row nina was altered (role)") != NULL, "%s", err);
}

Test(audit, reviewer_added_or_removed_behind_the_chain_is_named)
{
    tamper("INSERT INTO reviewers VALUES('mallory','M','MD','physician',1,1)");
    cr_expect_eq(broken("reviewer inserted"), 0, "no audit row has mallory");
    cr_expect(strstr(err, "reviewers row mallory was added outside the audit trail") != NULL,
              "%s", err);
    tamper("DELETE FROM reviewers WHERE user='mallory'; DELETE FROM reviewers WHERE user='nina'");
    long long added = scalar("SELECT id FROM audit WHERE action='reviewer-add' AND"
                             " json_extract(detail,'$.user')='nina'");
    cr_expect_eq(broken("reviewer deleted"), added);
    cr_expect(strstr(err, "its reviewers row is missing") != NULL, "%s", err);
}

Test(audit, forged_case_state_is_named)
{
    long long decided = audit_id_of("decisions", "1");
    tamper("UPDATE case_state SET status='open', closed=0 WHERE case_id='C-000142'");
    cr_expect_eq(broken("approved case reopened"), decided);
    cr_expect(strstr(err, "case_state row C-000142 was altered (status)") != NULL, "%s", err);
    tamper("UPDATE case_state SET status='approved', closed=1 WHERE case_id='C-000142';"
           "UPDATE case_state SET holder='phil' WHERE case_id='C-000139'");
    cr_expect_eq(broken("claim moved"), audit_id_of("claims", "case_id='C-000139'"));
    cr_expect(strstr(err, "case_state row C-000139 was altered (holder)") != NULL, "%s", err);
    tamper("UPDATE case_state SET holder='nina' WHERE case_id='C-000139';"
           "UPDATE case_state SET due=due+86400 WHERE case_id='C-000147'");
    broken("due time moved");
    cr_expect(strstr(err, "case_state row C-000147 was altered (due)") != NULL, "%s", err);
}

Test(audit, rewritten_note_text_is_named)
{
    long long imported = scalar("SELECT id FROM audit WHERE action='import' AND"
                                " case_id='C-000142'");
    tamper("UPDATE notes SET text=CAST(replace(CAST(text AS TEXT),'a','o') AS BLOB)"
           " WHERE case_id='C-000142' AND seq=1");
    cr_expect_eq(broken("note rewritten"), imported);
    cr_expect(strstr(err, "notes row 1 of case C-000142 was altered (text)") != NULL, "%s", err);
}

Test(audit, rewritten_case_fields_and_deleted_services_are_named)
{
    long long imported = scalar("SELECT id FROM audit WHERE action='import' AND"
                                " case_id='C-000147'");
    tamper("UPDATE cases SET member_dob='1990-01-30' WHERE id='C-000147'");
    cr_expect_eq(broken("member's birth date changed"), imported);
    cr_expect(strstr(err, "cases row C-000147 was altered (fields)") != NULL, "%s", err);
    tamper("UPDATE cases SET member_dob='1974-01-30' WHERE id='C-000147';"
           "DELETE FROM services WHERE case_id='C-000147' AND seq=1");
    cr_expect_eq(broken("a requested service removed"), imported);
    cr_expect(strstr(err, "its services row is missing") != NULL, "%s", err);
}

/* Every column of every table but audit and ui_state, changed in turn:
 * verify names that table.  A column added later without a check fails
 * here. */
Test(audit, every_column_of_every_table_is_checked)
{
    tamper("SELECT 1");
    sqlite3_stmt *cols;
    cr_assert_eq(sqlite3_prepare_v2(s->db,
                                    "SELECT m.name, c.name FROM sqlite_master m,"
                                    " pragma_table_info(m.name) c WHERE m.type='table' AND"
                                    " m.name NOT IN ('audit','ui_state','sqlite_sequence')"
                                    " ORDER BY m.name, c.cid", -1, &cols, NULL), SQLITE_OK);
    int checked = 0;
    while (sqlite3_step(cols) == SQLITE_ROW) {
        char t[64], c[64], sql[1024], want[96];
        store_copy(t, sizeof t, (const char *)sqlite3_column_text(cols, 0));
        store_copy(c, sizeof c, (const char *)sqlite3_column_text(cols, 1));
        snprintf(sql, sizeof sql,
                 "SAVEPOINT sweep; UPDATE %s SET \"%s\"=CASE typeof(\"%s\")"
                 " WHEN 'integer' THEN \"%s\"+1000003 WHEN 'real' THEN \"%s\"+1"
                 " WHEN 'text' THEN \"%s\"||'x' WHEN 'blob' THEN CAST(\"%s\"||'x' AS BLOB)"
                 " ELSE 7 END WHERE rowid=(SELECT min(rowid) FROM %s)",
                 t, c, c, c, c, c, c, t);
        cr_assert_eq(sqlite3_exec(s->db, sql, NULL, NULL, NULL), SQLITE_OK, "%s.%s: %s", t, c,
                     sqlite3_errmsg(s->db));
        cr_assert_eq(sqlite3_changes(s->db), 1, "%s has a row", t);
        long long bad;
        int rc = store_audit_verify(s, NULL, &bad, err, sizeof err);
        sqlite3_exec(s->db, "ROLLBACK TO sweep; RELEASE sweep", NULL, NULL, NULL);
        snprintf(want, sizeof want, "%s row", t);
        cr_expect_eq(rc, 1, "%s.%s changed, and verify said intact", t, c);
        cr_expect(rc != 1 || strstr(err, want) != NULL, "%s.%s: %s", t, c, err);
        checked++;
    }
    sqlite3_finalize(cols);
    cr_expect_geq(checked, 80, "%d columns", checked);
    cr_expect_eq(store_audit_verify(s, NULL, NULL, err, sizeof err), 0, "rolled back: %s", err);
}

/* A row of each of those tables deleted in turn: the audit row that made
 * it says its row is missing. */
Test(audit, a_deleted_row_of_every_table_is_missed)
{
    tamper("SELECT 1");
    sqlite3_stmt *tables;
    cr_assert_eq(sqlite3_prepare_v2(s->db, "SELECT name FROM sqlite_master WHERE type='table'"
                                           " AND name NOT IN ('audit','ui_state',"
                                           "'sqlite_sequence') ORDER BY name", -1, &tables,
                                    NULL), SQLITE_OK);
    while (sqlite3_step(tables) == SQLITE_ROW) {
        char t[64], sql[256], want[96];
        store_copy(t, sizeof t, (const char *)sqlite3_column_text(tables, 0));
        snprintf(sql, sizeof sql, "SAVEPOINT sweep; DELETE FROM %s WHERE rowid="
                                  "(SELECT min(rowid) FROM %s)", t, t);
        cr_assert_eq(sqlite3_exec(s->db, sql, NULL, NULL, NULL), SQLITE_OK, "%s: %s", t,
                     sqlite3_errmsg(s->db));
        int rc = store_audit_verify(s, NULL, NULL, err, sizeof err);
        sqlite3_exec(s->db, "ROLLBACK TO sweep; RELEASE sweep", NULL, NULL, NULL);
        snprintf(want, sizeof want, "its %s row is missing", t);
        cr_expect_eq(rc, 1, "a %s row deleted, and verify said intact", t);
        cr_expect(rc != 1 || strstr(err, want) != NULL, "%s: %s", t, err);
    }
    sqlite3_finalize(tables);
}

Test(audit, other_modules_cannot_append_the_stores_own_actions)
{
    cr_expect_eq(store_audit_append(s, "decision", "C-000147", "{\"decision\":\"deny\"}", err,
                                    sizeof err), -1);
    cr_expect(strstr(err, "decision") != NULL, "%s", err);
    cr_expect_eq(store_audit_append(s, "role", NULL, NULL, err, sizeof err), -1);
    cr_expect_eq(verify(), 0, "%s", err);
}

/* ---- the head: what the file alone cannot show ---------------------------- */

static store_audit_head head_now(void)
{
    store_audit_head h;
    cr_assert_eq(store_audit_verify_head(s, NULL, NULL, NULL, &h, err, sizeof err), 0, "%s",
                 err);
    cr_assert_eq(h.id, scalar("SELECT max(id) FROM audit"));
    return h;
}

Test(audit, head_round_trips_as_text)
{
    store_audit_head h = head_now(), back;
    char text[STORE_AUDIT_HEAD_TEXT];
    store_audit_head_format(&h, text, sizeof text);
    cr_expect_eq(atoll(text), h.id, "%s", text);
    cr_expect_eq(strlen(strchr(text, ':') + 1), 64, "%s", text);
    cr_assert_eq(store_audit_head_parse(text, &back), 0, "%s", text);
    cr_expect_eq(back.id, h.id);
    cr_expect_eq(memcmp(back.hash, h.hash, 32), 0);
    const char *bad[] = {"", "12", "0:00", "-1:ab", "x:ab", "3:abc",
                         "3:zz00000000000000000000000000000000000000000000000000000000000000"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect_eq(store_audit_head_parse(bad[i], &back), -1, "'%s'", bad[i]);
    long long rows, b;
    cr_expect_eq(store_audit_verify_head(s, &h, &rows, &b, NULL, err, sizeof err), 0, "%s",
                 err);
}

Test(audit, tail_cut_with_the_sequence_reset_needs_the_head)
{
    cr_assert_eq(store_audit_append(s, "letter", "C-000142", "{\"template\":\"approval\"}",
                                    err, sizeof err), 0, "%s", err);
    cr_assert_eq(store_audit_append(s, "letter", "C-000142", "{\"template\":\"copy\"}", err,
                                    sizeof err), 0, "%s", err);
    store_audit_head recorded = head_now();
    tamper("DELETE FROM audit WHERE action='letter';"
           "UPDATE sqlite_sequence SET seq=(SELECT max(id) FROM audit) WHERE name='audit'");
    cr_expect_eq(verify(), 0, "the file alone cannot tell (%s)", err);
    long long rows, bad;
    cr_expect_eq(store_audit_verify_head(s, &recorded, &rows, &bad, NULL, err, sizeof err), 1);
    cr_expect_eq(bad, recorded.id - 1, "the first row cut off");
    cr_expect(strstr(err, "was removed") != NULL, "%s", err);
}

Test(audit, chain_rebuilt_from_a_row_on_needs_the_head)
{
    store_audit_head recorded = head_now();
    long long id = scalar("SELECT id FROM audit WHERE action='comment'");
    tamper("UPDATE audit SET detail=replace(detail,'called the office','nothing to add')"
           " WHERE action='comment'");
    /* Recompute every hash from that row on, as anyone with the file can. */
    unsigned char prev[32];
    sqlite3_stmt *st, *up;
    cr_assert_eq(sqlite3_prepare_v2(s->db, "SELECT hash FROM audit WHERE id=?", -1, &st, NULL),
                 SQLITE_OK);
    sqlite3_bind_int64(st, 1, id - 1);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    memcpy(prev, sqlite3_column_blob(st, 0), 32);
    sqlite3_finalize(st);
    cr_assert_eq(sqlite3_prepare_v2(s->db, "SELECT id,at,user,action,case_id,detail FROM audit"
                                           " WHERE id>=? ORDER BY id", -1, &st, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_prepare_v2(s->db, "UPDATE audit SET prev=?, hash=? WHERE id=?", -1,
                                    &up, NULL), SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        unsigned char hash[32];
        store_chain_hash(prev, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                         (const char *)sqlite3_column_text(st, 2),
                         (const char *)sqlite3_column_text(st, 3),
                         (const char *)sqlite3_column_text(st, 4),
                         (const char *)sqlite3_column_text(st, 5), hash);
        sqlite3_reset(up);
        sqlite3_bind_blob(up, 1, prev, 32, SQLITE_TRANSIENT);
        sqlite3_bind_blob(up, 2, hash, 32, SQLITE_TRANSIENT);
        sqlite3_bind_int64(up, 3, sqlite3_column_int64(st, 0));
        cr_assert_eq(sqlite3_step(up), SQLITE_DONE);
        memcpy(prev, hash, 32);
    }
    sqlite3_finalize(st);
    sqlite3_finalize(up);
    tamper("DROP TRIGGER IF EXISTS comments_no_update;"
           "UPDATE comments SET text='nothing to add'");
    cr_expect_eq(verify(), 0, "a rebuilt chain is self-consistent (%s)", err);
    long long bad;
    cr_expect_eq(store_audit_verify_head(s, &recorded, NULL, &bad, NULL, err, sizeof err), 1);
    cr_expect_eq(bad, recorded.id);
    cr_expect(strstr(err, "rewritten") != NULL, "%s", err);
}
