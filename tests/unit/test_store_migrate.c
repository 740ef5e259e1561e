/* Migrations against a frozen old database: fixtures/store/v1.sql, a
 * store at schema version 1 with rows made by the store's own calls
 * (tools/mkstorefixture.sh).  It must upgrade in place, step by step and
 * at once, keep its rows, and still verify. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "store/store_impl.h"

static char dir[256], path[320];
static char err[512];

static void setup(void)
{
    snprintf(dir, sizeof dir, "%s/store-migrate-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/v1.db", dir);
    if (!getenv("CASEREVIEW_HOME"))
        setenv("CASEREVIEW_HOME", ".", 1);
}

static void teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        cr_log_warn("could not remove %s", dir);
}

TestSuite(migrate, .init = setup, .fini = teardown);

static sqlite3 *open_raw(const char *p)
{
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(p, &db), SQLITE_OK, "%s", p);
    return db;
}

/* The fixture, as SQL text, into a new database at path. */
static void load_fixture(void)
{
    FILE *f = fopen("fixtures/store/v1.sql", "rb");
    cr_assert_not_null(f, "fixtures/store/v1.sql");
    static char sql[1 << 18];
    size_t n = fread(sql, 1, sizeof sql - 1, f);
    fclose(f);
    cr_assert_lt(n, sizeof sql - 1, "the fixture grew past the buffer");
    sql[n] = '\0';
    sqlite3 *db = open_raw(path);
    char *msg = NULL;
    cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, &msg), SQLITE_OK, "%s", msg);
    sqlite3_close(db);
}

static long long scalar(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql,
                 sqlite3_errmsg(db));
    long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

/* Every table, index and trigger with its SQL text, in one string. */
static char *schema_of(sqlite3 *db)
{
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, "SELECT type||' '||name||': '||coalesce(sql,'')"
                                        " FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
                                        " ORDER BY type, name", -1, &st, NULL), SQLITE_OK);
    size_t len = 0;
    char *out = calloc(1, 1);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *row = (const char *)sqlite3_column_text(st, 0);
        out = realloc(out, len + strlen(row) + 2);
        cr_assert_not_null(out);
        len += (size_t)sprintf(out + len, "%s\n", row);
    }
    sqlite3_finalize(st);
    return out;
}

static const char *const v1_tables[] = {"reviewers", "cases", "services", "diagnoses",
                                        "notes", "case_state", "audit", "reviews", "claims",
                                        "verdicts", "evidence", "comments", "decisions"};
#define NTABLES (sizeof v1_tables / sizeof v1_tables[0])

static void count_rows(sqlite3 *db, long long *n)
{
    for (size_t i = 0; i < NTABLES; i++) {
        char sql[80];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", v1_tables[i]);
        n[i] = scalar(db, sql);
    }
}

static void expect_verifies(store *s)
{
    long long rows = 0, bad = 0;
    cr_expect_eq(store_audit_verify(s, &rows, &bad, err, sizeof err), 0,
                 "the upgraded chain: %s", err);
}

Test(migrate, the_fixture_is_exactly_migration_1)
{
    load_fixture();
    sqlite3 *old = open_raw(path);
    cr_expect_eq(scalar(old, "PRAGMA user_version"), 1);
    char fresh[400];
    snprintf(fresh, sizeof fresh, "%s/fresh.db", dir);
    sqlite3 *now = open_raw(fresh);
    cr_assert_eq(store_migrate(now, 1, err, sizeof err), 0, "%s", err);
    char *a = schema_of(old), *b = schema_of(now);
    cr_expect_str_eq(a, b, "migration 1 was edited after it shipped, or the fixture was");
    free(a);
    free(b);
    for (size_t i = 0; i < NTABLES; i++) {
        char sql[80];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", v1_tables[i]);
        cr_expect_gt(scalar(old, sql), 0, "the fixture has no %s row", v1_tables[i]);
    }
    sqlite3_close(old);
    sqlite3_close(now);
}

Test(migrate, version_1_upgrades_keeps_its_rows_and_verifies)
{
    load_fixture();
    sqlite3 *db = open_raw(path);
    long long before[NTABLES], after[NTABLES];
    count_rows(db, before);
    sqlite3_close(db);
    store *s = store_open(path, err, sizeof err);
    cr_assert_not_null(s, "%s", err);
    cr_expect_eq(scalar(s->db, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    count_rows(s->db, after);
    for (size_t i = 0; i < NTABLES; i++)
        if (strcmp(v1_tables[i], "audit") != 0 && strcmp(v1_tables[i], "reviewers") != 0)
            cr_expect_eq(after[i], before[i], "%s rows", v1_tables[i]);
    /* The user running the test is registered if the fixture lacks them. */
    cr_expect_geq(after[0], before[0]);
    cr_expect_leq(after[0], before[0] + 1);
    cr_expect_eq(after[6] - before[6], after[0] - before[0], "one register row each");
    expect_verifies(s);
    store_case *c;
    cr_assert_eq(store_case_get(s, "C-000147", &c, err, sizeof err), 0, "%s", err);
    cr_expect_eq(c->status, STORE_STATUS_APPROVED);
    cr_expect(c->reviewed);
    cr_expect_str_eq(c->version.policy_id, "tufts-1035136");
    cr_expect(strstr(c->notes[0].text, "multiple sclerosis") != NULL, "the note's text");
    store_case_free(c);
    /* Work goes on in the upgraded store, and the chain grows intact. */
    char admin[STORE_USER_MAX];
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(s->db, "SELECT user FROM reviewers WHERE admin ORDER BY"
                                           " added LIMIT 1", -1, &st, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    store_copy(admin, sizeof admin, (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    cr_assert_eq(store_set_actor_for_testing(s, admin, err, sizeof err), 0, "%s", err);
    char previous[STORE_USER_MAX];
    cr_assert_eq(store_takeover_from(s, "C-000139", previous, sizeof previous, err,
                                     sizeof err), 0, "%s", err);
    cr_expect_str_eq(previous, "nina", "the fixture's pended case was nina's");
    store_ui_state ui = {.criterion = "1", .note = 0, .scroll = 3};
    cr_expect_eq(store_ui_state_put(s, "C-000139", &ui, err, sizeof err), 0, "%s", err);
    expect_verifies(s);
    store_close(s);
}

static int index_columns(sqlite3 *db, const char *index)
{
    char sql[80];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM pragma_index_info('%s')", index);
    return (int)scalar(db, sql);
}

Test(migrate, each_step_upgrades_in_turn)
{
    load_fixture();
    sqlite3 *db = open_raw(path);
    cr_expect_neq(sqlite3_exec(db, "SELECT * FROM ui_state", NULL, NULL, NULL), SQLITE_OK,
                  "version 1 has no ui_state");
    cr_assert_eq(store_migrate(db, 2, err, sizeof err), 0, "1 -> 2: %s", err);
    cr_expect_eq(scalar(db, "PRAGMA user_version"), 2);
    cr_expect_eq(scalar(db, "SELECT count(*) FROM ui_state"), 0);
    cr_expect_eq(index_columns(db, "case_state_holder"), 1);
    cr_expect_eq(index_columns(db, "case_state_queue"), 2, "(closed, due) until version 3");
    sqlite3_close(db);
    db = open_raw(path);
    cr_assert_eq(store_migrate(db, 3, err, sizeof err), 0, "2 -> 3: %s", err);
    cr_expect_eq(scalar(db, "PRAGMA user_version"), 3);
    cr_expect_eq(index_columns(db, "case_state_queue"), 4, "(closed, due, status, holder)");
    cr_expect_eq(scalar(db, "SELECT count(*) FROM decisions"), 2);
    sqlite3_close(db);
    store *s = store_open(path, err, sizeof err);
    cr_assert_not_null(s, "%s", err);
    cr_expect_eq(scalar(s->db, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    expect_verifies(s);
    store_close(s);
}
