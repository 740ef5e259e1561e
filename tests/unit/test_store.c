/* The case store: opening, migrations, import, the queue, UI state. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"
#include "store/store_impl.h"

static char dir[256], path[320];
static char err[512];

static void setup(void)
{
    snprintf(dir, sizeof dir, "%s/store-test-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/sub/dir/case.db", dir);
    if (!getenv("CASEREVIEW_HOME"))
        setenv("CASEREVIEW_HOME", ".", 1);
}

static void teardown(void)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        cr_log_warn("could not remove %s", dir);
}

TestSuite(store, .init = setup, .fini = teardown);

static store *open_or_fail(void)
{
    store *s = store_open(path, err, sizeof err);
    cr_assert_not_null(s, "store_open: %s", err);
    return s;
}

static long long scalar(store *s, const char *sql)
{
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), SQLITE_OK, "%s", sql);
    long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

Test(store, creates_private_file_in_private_folder)
{
    store *s = open_or_fail();
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_expect_eq(st.st_mode & 0777, 0600, "db mode %o", st.st_mode & 0777);
    char folder[320];
    snprintf(folder, sizeof folder, "%s/sub/dir", dir);
    cr_assert_eq(stat(folder, &st), 0);
    cr_expect_eq(st.st_mode & 0777, 0700, "folder mode %o", st.st_mode & 0777);
    sqlite3_stmt *q;
    sqlite3_prepare_v2(s->db, "PRAGMA journal_mode", -1, &q, NULL);
    cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
    cr_expect_str_eq((const char *)sqlite3_column_text(q, 0), "wal");
    sqlite3_finalize(q);
    cr_expect_eq(scalar(s, "PRAGMA foreign_keys"), 1);
    cr_expect_eq(scalar(s, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    store_close(s);
}

Test(store, default_path_follows_env_then_xdg)
{
    char buf[512];
    setenv("CASEREVIEW_DB", "/x/y.db", 1);
    cr_assert_eq(store_default_path(buf, sizeof buf, err, sizeof err), 0);
    cr_expect_str_eq(buf, "/x/y.db");
    unsetenv("CASEREVIEW_DB");
    setenv("XDG_DATA_HOME", "/data", 1);
    cr_assert_eq(store_default_path(buf, sizeof buf, err, sizeof err), 0);
    cr_expect_str_eq(buf, "/data/casereview/casereview.db");
}

Test(store, first_user_is_administrator_without_a_role)
{
    store *s = open_or_fail();
    const store_reviewer *me = store_whoami(s);
    cr_expect(me->admin);
    cr_expect_eq(me->role, STORE_ROLE_NONE);
    cr_assert_eq(store_set_actor_for_testing(s, "second", err, sizeof err), 0, "%s", err);
    cr_expect_not(store_whoami(s)->admin, "only the first user administers");
    cr_expect_eq(store_set_actor_for_testing(s, "jdoe@example.org", err, sizeof err), 0,
                 "directory accounts: %s", err);
    cr_expect_eq(store_set_actor_for_testing(s, "bad\"user", err, sizeof err), -1);
    store_close(s);
}

/* A version-1 database, made with the first migration only, with rows
 * in it: opening it must upgrade in place and keep the rows. */
Test(store, old_schema_upgrades_in_place)
{
    char folder[320];
    snprintf(folder, sizeof folder, "%s/sub", dir);
    mkdir(folder, 0700);
    snprintf(folder, sizeof folder, "%s/sub/dir", dir);
    mkdir(folder, 0700);
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    cr_assert_eq(store_migrate(db, 1, err, sizeof err), 0, "%s", err);
    cr_assert_eq(sqlite3_exec(db, "INSERT INTO reviewers(user,name,role,admin,added)"
                                  " VALUES('olduser','Old User','nurse',1,1)",
                              NULL, NULL, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
    sqlite3_step(st);
    cr_assert_eq(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
    cr_expect_neq(sqlite3_exec(db, "SELECT * FROM ui_state", NULL, NULL, NULL), SQLITE_OK,
                  "version 1 has no ui_state");
    sqlite3_close(db);

    store *s = open_or_fail();
    cr_expect_eq(scalar(s, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    cr_expect_eq(scalar(s, "SELECT count(*) FROM reviewers WHERE user='olduser' AND role='nurse'"), 1);
    cr_expect_not(store_whoami(s)->admin, "the old database already had its administrator");
    cr_assert_eq(store_import_dir(s, "fixtures/import/C-000142", NULL, 0, err, sizeof err), 0,
                 "%s", err);
    store_ui_state ui = {.criterion = "2", .note = 1, .scroll = 7};
    cr_expect_eq(store_ui_state_put(s, "C-000142", &ui, err, sizeof err), 0, "%s", err);
    store_close(s);
}

Test(store, newer_schema_is_refused)
{
    store *s = open_or_fail();
    sqlite3_exec(s->db, "PRAGMA user_version=99", NULL, NULL, NULL);
    store_close(s);
    cr_expect_null(store_open(path, err, sizeof err));
    cr_expect(strstr(err, "newer") != NULL, "%s", err);
}

Test(store, import_reads_request_and_notes)
{
    store *s = open_or_fail();
    char id[STORE_ID_MAX];
    cr_assert_eq(store_import_dir(s, "fixtures/import/C-000139", id, sizeof id, err, sizeof err),
                 0, "%s", err);
    cr_expect_str_eq(id, "C-000139");
    store_case *c;
    cr_assert_eq(store_case_get(s, "C-000139", &c, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(c->member_name, "Rosa Quintero");
    cr_expect_str_eq(c->member_dob, "2017-06-02");
    cr_expect_str_eq(c->policy_id, "ccs-nl-05-0612");
    cr_expect_str_eq(c->section, "refill");
    cr_expect_eq(c->urgency, STORE_URGENT);
    cr_assert_eq(c->nservices, 2);
    cr_expect_str_eq(c->services[1].code, "95991");
    cr_expect_str_eq(c->services[0].dos, "2026-11-24");
    cr_assert_eq(c->ndiagnoses, 1);
    cr_expect_str_eq(c->diagnoses[0], "G80.0");
    /* Received 09:30 at -08:00 is 17:30 UTC; urgent is 72 hours. */
    cr_expect_eq(c->due - c->received, 72 * 3600);
    struct tm tm;
    gmtime_r(&c->received, &tm);
    cr_expect_eq(tm.tm_hour, 17);
    cr_assert_eq(c->nnotes, 1, "only the listed note, not scratch.txt");
    cr_expect_str_eq(c->notes[0].name, "refill-visit.txt");
    cr_expect(strstr(c->notes[0].text, "emergency letter") != NULL);
    cr_expect_eq(strlen(c->notes[0].text), c->notes[0].len);
    store_case_free(c);
    cr_expect_eq(store_import_dir(s, "fixtures/import/C-000139", NULL, 0, err, sizeof err), -1);
    cr_expect(strstr(err, "already") != NULL, "%s", err);
    store_close(s);
}

Test(store, import_refuses_dtd_and_invalid_requests)
{
    store *s = open_or_fail();
    cr_expect_eq(store_import_dir(s, "fixtures/import/bad-dtd", NULL, 0, err, sizeof err), -1);
    cr_expect(strstr(err, "DTD") != NULL, "%s", err);
    cr_expect_eq(store_import_dir(s, "fixtures/import/bad-schema", NULL, 0, err, sizeof err), -1);
    cr_expect(strstr(err, "request format") != NULL, "%s", err);
    cr_expect(strstr(err, "urgency must be urgent or standard") != NULL, "%s", err);
    cr_expect_eq(store_import_dir(s, "fixtures/import/no-such", NULL, 0, err, sizeof err), -1);
    const char *xml = "<request version='1' id='X' urgency='urgent' received='2026-02-30T00:00Z'>"
                      "<member id='1' dob='2000-01-01'>A</member><provider>P</provider>"
                      "<payer id='p'>P</payer><policy id='x'/><services><service code='62350'"
                      " units='1' dos='2026-01-01'/></services><diagnoses><diagnosis"
                      " code='G35'/></diagnoses></request>";
    store_note n = {"n.txt", (char *)"text", 4};
    cr_expect_eq(store_import_mem(s, xml, strlen(xml), &n, 1, NULL, 0, err, sizeof err), -1,
                 "30 February is not a date");
    cr_expect(strstr(err, "received") != NULL, "%s", err);
    cr_expect_eq(scalar(s, "SELECT count(*) FROM cases"), 0);
    store_close(s);
}

static void import_all(store *s)
{
    const char *dirs[] = {"fixtures/import/C-000139", "fixtures/import/C-000142",
                          "fixtures/import/C-000147"};
    for (int i = 0; i < 3; i++)
        cr_assert_eq(store_import_dir(s, dirs[i], NULL, 0, err, sizeof err), 0, "%s", err);
}

Test(store, queue_sorted_by_due_with_overdue_marked)
{
    store *s = open_or_fail();
    import_all(s);
    /* 2026-11-25 00:00 UTC: C-000139 (due 11-24 17:30) is overdue. */
    struct tm tm = {.tm_year = 126, .tm_mon = 10, .tm_mday = 25};
    store_set_clock_for_testing(s, timegm(&tm));
    store_queue_item *q;
    size_t n;
    store_queue_counts c;
    cr_assert_eq(store_queue(s, NULL, &q, &n, &c, err, sizeof err), 0, "%s", err);
    cr_assert_eq(n, 3);
    cr_expect_str_eq(q[0].case_id, "C-000139");
    cr_expect_str_eq(q[1].case_id, "C-000147");
    cr_expect_str_eq(q[2].case_id, "C-000142");
    for (size_t i = 1; i < n; i++)
        cr_expect_leq(q[i - 1].due, q[i].due);
    cr_expect(q[0].overdue);
    cr_expect_lt(q[0].time_left, 0);
    cr_expect_not(q[1].overdue);
    cr_expect_eq(q[1].time_left, q[1].due - timegm(&tm));
    cr_expect_eq(c.total, 3);
    cr_expect_eq(c.overdue, 1);
    cr_expect_eq(q[0].urgency, STORE_URGENT);
    cr_expect_str_eq(q[0].service, "62369, 95991");
    cr_expect_eq(q[0].member_age, 9);
    free(q);
    store_queue_opts o = {.filter = "Baker"};
    cr_assert_eq(store_queue(s, &o, &q, &n, &c, err, sizeof err), 0, "%s", err);
    cr_assert_eq(n, 1);
    cr_expect_str_eq(q[0].case_id, "C-000147");
    cr_expect_eq(c.total, 1);
    free(q);
    o = (store_queue_opts){.filter = "%"};
    cr_assert_eq(store_queue(s, &o, &q, &n, NULL, err, sizeof err), 0);
    cr_expect_eq(n, 0, "LIKE characters in a filter are literal");
    free(q);
    o = (store_queue_opts){.limit = 2, .offset = 1};
    cr_assert_eq(store_queue(s, &o, &q, &n, NULL, err, sizeof err), 0);
    cr_assert_eq(n, 2);
    cr_expect_str_eq(q[0].case_id, "C-000147");
    free(q);
    store_close(s);
}

Test(store, ui_state_round_trip_per_reviewer)
{
    store *s = open_or_fail();
    import_all(s);
    store_ui_state ui;
    cr_expect_eq(store_ui_state_get(s, "C-000142", &ui, err, sizeof err), 1);
    store_ui_state put = {.criterion = "L.1", .note = 1, .scroll = 12};
    cr_assert_eq(store_ui_state_put(s, "C-000142", &put, err, sizeof err), 0, "%s", err);
    put.scroll = 30;
    cr_assert_eq(store_ui_state_put(s, "C-000142", &put, err, sizeof err), 0, "%s", err);
    store_close(s);
    s = open_or_fail();
    cr_assert_eq(store_ui_state_get(s, "C-000142", &ui, err, sizeof err), 0);
    cr_expect_str_eq(ui.criterion, "L.1");
    cr_expect_eq(ui.note, 1);
    cr_expect_eq(ui.scroll, 30);
    cr_assert_eq(store_set_actor_for_testing(s, "other", err, sizeof err), 0);
    cr_expect_eq(store_ui_state_get(s, "C-000142", &ui, err, sizeof err), 1,
                 "another reviewer's selection is their own");
    store_close(s);
}

Test(store, notes_survive_the_folder)
{
    char copy[400], cmd[900];
    snprintf(copy, sizeof copy, "%s/moved", dir);
    snprintf(cmd, sizeof cmd, "cp -R fixtures/import/C-000147 '%s'", copy);
    cr_assert_eq(system(cmd), 0);
    store *s = open_or_fail();
    cr_assert_eq(store_import_dir(s, copy, NULL, 0, err, sizeof err), 0, "%s", err);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", copy);
    cr_assert_eq(system(cmd), 0);
    store_case *c;
    cr_assert_eq(store_case_get(s, "C-000147", &c, err, sizeof err), 0, "%s", err);
    cr_assert_eq(c->nnotes, 1);
    cr_expect(strstr(c->notes[0].text, "multiple sclerosis") != NULL);
    store_case_free(c);
    store_close(s);
}

static void write_file(const char *p, const char *data, size_t len)
{
    FILE *f = fopen(p, "wb");
    cr_assert_not_null(f, "%s", p);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

/* A folder with C-000147's request and one note of the given bytes. */
static void folder_with_note(const char *sub, const char *data, size_t len)
{
    char p[600], cmd[1400];
    snprintf(p, sizeof p, "%s/%s", dir, sub);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' && cp fixtures/import/C-000147/request.xml '%s'/",
             p, p);
    cr_assert_eq(system(cmd), 0);
    snprintf(p, sizeof p, "%s/%s/note.txt", dir, sub);
    write_file(p, data, len);
}

Test(store, import_refuses_a_binary_note_and_repairs_latin1)
{
    store *s = open_or_fail();
    char p[600];
    folder_with_note("bin", "\x7f" "ELF\0\0\1\2binary", 13);
    snprintf(p, sizeof p, "%s/bin", dir);
    cr_expect_eq(store_import_dir(s, p, NULL, 0, err, sizeof err), -1);
    cr_expect(strstr(err, "note.txt") != NULL, "%s", err);
    cr_expect(strstr(err, "ELF") == NULL, "no note bytes in the message: %s", err);
    cr_expect_eq(scalar(s, "SELECT count(*) FROM cases"), 0, "nothing half-imported");
    folder_with_note("latin", "Caf\xe9 au lait; severe spasticity.\n",
                     strlen("Caf\xe9 au lait; severe spasticity.\n"));
    snprintf(p, sizeof p, "%s/latin", dir);
    cr_assert_eq(store_import_dir(s, p, NULL, 0, err, sizeof err), 0, "%s", err);
    store_case *c;
    cr_assert_eq(store_case_get(s, "C-000147", &c, err, sizeof err), 0, "%s", err);
    cr_expect(strncmp(c->notes[0].text, "Caf\xc3\xa9", 5) == 0, "stored as UTF-8");
    store_case_free(c);
    store_close(s);
}

Test(store, names_lose_control_characters)
{
    store *s = open_or_fail();
    const char *xml = "<request version='1' id='C-CTRL' urgency='urgent'"
                      " received='2026-11-21T09:30:00Z'>"
                      "<member id='1' dob='2000-01-01'>Eve&#x9B;31m\nMallory</member>"
                      "<provider>P</provider><payer id='p'>P</payer><policy id='x'/>"
                      "<services><service code='62350' units='1' dos='2026-01-01'/></services>"
                      "<diagnoses><diagnosis code='G35'/></diagnoses></request>";
    store_note n = {"n.txt", (char *)"text", 4};
    cr_assert_eq(store_import_mem(s, xml, strlen(xml), &n, 1, NULL, 0, err, sizeof err), 0,
                 "%s", err);
    store_case *c;
    cr_assert_eq(store_case_get(s, "C-CTRL", &c, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(c->member_name, "Eve31m Mallory");
    store_case_free(c);
    store_close(s);
}
