/* store_schema: the database schema as a list of migrations keyed on
 * PRAGMA user_version.  Migration N takes a version N-1 database to N;
 * they are never edited once shipped, only appended, so an old database
 * upgrades in place. */
#include <stdio.h>

#include "store/store_impl.h"

/* The tables of records refuse UPDATE and DELETE: a changed verdict is a
 * new row.  (Someone with the file can drop a trigger; the audit chain is
 * what detects that.) */
#define APPEND_ONLY(t)                                                       \
    "CREATE TRIGGER " t "_no_update BEFORE UPDATE ON " t                     \
    " BEGIN SELECT RAISE(ABORT,'" t " is append-only'); END;"                \
    "CREATE TRIGGER " t "_no_delete BEFORE DELETE ON " t                     \
    " BEGIN SELECT RAISE(ABORT,'" t " is append-only'); END;"

static const char *const migrations[] = {
    /* 1: cases, reviewers, records, audit. */
    "CREATE TABLE reviewers("
    " user TEXT PRIMARY KEY, name TEXT NOT NULL, credentials TEXT NOT NULL DEFAULT '',"
    " role TEXT NOT NULL DEFAULT 'none'"
    "  CHECK(role IN ('none','trainee','nurse','physician')),"
    " admin INTEGER NOT NULL DEFAULT 0, added INTEGER NOT NULL);"
    "CREATE TABLE cases("
    " id TEXT PRIMARY KEY, member_name TEXT NOT NULL, member_dob TEXT NOT NULL,"
    " member_sex TEXT NOT NULL DEFAULT '', member_id TEXT NOT NULL,"
    " provider_name TEXT NOT NULL, provider_npi TEXT NOT NULL DEFAULT '',"
    " payer_id TEXT NOT NULL, payer_name TEXT NOT NULL,"
    " policy_id TEXT NOT NULL, section TEXT NOT NULL DEFAULT '',"
    " urgency TEXT NOT NULL CHECK(urgency IN ('urgent','standard')),"
    " received INTEGER NOT NULL, due INTEGER NOT NULL,"
    " service TEXT NOT NULL DEFAULT '',"
    " imported INTEGER NOT NULL, imported_by TEXT NOT NULL);"
    "CREATE TABLE services(case_id TEXT NOT NULL REFERENCES cases(id), seq INTEGER NOT NULL,"
    " code TEXT NOT NULL, modifier TEXT NOT NULL DEFAULT '', units INTEGER NOT NULL,"
    " dos TEXT NOT NULL, PRIMARY KEY(case_id, seq));"
    "CREATE TABLE diagnoses(case_id TEXT NOT NULL REFERENCES cases(id), seq INTEGER NOT NULL,"
    " code TEXT NOT NULL, PRIMARY KEY(case_id, seq));"
    "CREATE TABLE notes(case_id TEXT NOT NULL REFERENCES cases(id), seq INTEGER NOT NULL,"
    " name TEXT NOT NULL, text BLOB NOT NULL, PRIMARY KEY(case_id, seq));"
    /* The queue's view of a case: derived from the records below and
     * written in the same transaction. */
    "CREATE TABLE case_state(case_id TEXT PRIMARY KEY REFERENCES cases(id),"
    " status TEXT NOT NULL DEFAULT 'open', closed INTEGER NOT NULL DEFAULT 0,"
    " holder TEXT REFERENCES reviewers(user), held_since INTEGER, due INTEGER NOT NULL,"
    " urgent INTEGER NOT NULL);"
    "CREATE INDEX case_state_queue ON case_state(closed, due);"
    "CREATE TABLE audit(id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL,"
    " user TEXT NOT NULL, action TEXT NOT NULL, case_id TEXT, detail TEXT,"
    " prev BLOB NOT NULL, hash BLOB NOT NULL);"
    "CREATE INDEX audit_case ON audit(case_id, id);"
    "CREATE TABLE reviews(id INTEGER PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id),"
    " policy_id TEXT NOT NULL, effective TEXT NOT NULL, revision TEXT NOT NULL,"
    " section TEXT NOT NULL, user TEXT NOT NULL REFERENCES reviewers(user),"
    " at INTEGER NOT NULL, audit_id INTEGER NOT NULL REFERENCES audit(id));"
    "CREATE INDEX reviews_case ON reviews(case_id, id);"
    "CREATE TABLE claims(id INTEGER PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id),"
    " user TEXT NOT NULL REFERENCES reviewers(user),"
    " action TEXT NOT NULL CHECK(action IN ('claim','release','takeover')),"
    " previous TEXT, at INTEGER NOT NULL, audit_id INTEGER NOT NULL REFERENCES audit(id));"
    "CREATE INDEX claims_case ON claims(case_id, id);"
    "CREATE TABLE verdicts(id INTEGER PRIMARY KEY, review_id INTEGER NOT NULL REFERENCES reviews(id),"
    " case_id TEXT NOT NULL REFERENCES cases(id), criterion TEXT NOT NULL,"
    " verdict TEXT NOT NULL CHECK(verdict IN ('met','not_met','na')),"
    " origin TEXT NOT NULL CHECK(origin IN ('accepted','overridden','manual')),"
    " reason TEXT NOT NULL DEFAULT '', comment TEXT NOT NULL DEFAULT '',"
    " ev_note INTEGER, ev_start INTEGER, ev_end INTEGER,"
    " user TEXT NOT NULL REFERENCES reviewers(user), role TEXT NOT NULL,"
    " at INTEGER NOT NULL, audit_id INTEGER NOT NULL REFERENCES audit(id));"
    "CREATE INDEX verdicts_review ON verdicts(review_id, criterion, id);"
    "CREATE TABLE evidence(id INTEGER PRIMARY KEY, review_id INTEGER NOT NULL REFERENCES reviews(id),"
    " case_id TEXT NOT NULL REFERENCES cases(id), criterion TEXT NOT NULL,"
    " note INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,"
    " user TEXT NOT NULL REFERENCES reviewers(user), at INTEGER NOT NULL,"
    " audit_id INTEGER NOT NULL REFERENCES audit(id));"
    "CREATE INDEX evidence_review ON evidence(review_id, id);"
    "CREATE TABLE comments(id INTEGER PRIMARY KEY, review_id INTEGER REFERENCES reviews(id),"
    " case_id TEXT NOT NULL REFERENCES cases(id), criterion TEXT NOT NULL DEFAULT '',"
    " text TEXT NOT NULL, user TEXT NOT NULL REFERENCES reviewers(user),"
    " at INTEGER NOT NULL, audit_id INTEGER NOT NULL REFERENCES audit(id));"
    "CREATE INDEX comments_case ON comments(case_id, id);"
    "CREATE TABLE decisions(id INTEGER PRIMARY KEY, review_id INTEGER NOT NULL REFERENCES reviews(id),"
    " case_id TEXT NOT NULL REFERENCES cases(id),"
    " decision TEXT NOT NULL CHECK(decision IN ('approve','deny','pend','refer')),"
    " outcome TEXT NOT NULL, rationale TEXT NOT NULL DEFAULT '',"
    " user TEXT NOT NULL REFERENCES reviewers(user), role TEXT NOT NULL,"
    " counts INTEGER NOT NULL, warnings INTEGER NOT NULL, seconds_open INTEGER,"
    " at INTEGER NOT NULL, audit_id INTEGER NOT NULL REFERENCES audit(id));"
    "CREATE INDEX decisions_case ON decisions(case_id, id);"
    APPEND_ONLY("cases") APPEND_ONLY("services") APPEND_ONLY("diagnoses")
    APPEND_ONLY("notes") APPEND_ONLY("audit") APPEND_ONLY("reviews")
    APPEND_ONLY("claims") APPEND_ONLY("verdicts") APPEND_ONLY("evidence")
    APPEND_ONLY("comments") APPEND_ONLY("decisions"),

    /* 2: per-reviewer UI state (restores the selection on reopen) and the
     * index behind "claimed by me". */
    "CREATE TABLE ui_state(user TEXT NOT NULL REFERENCES reviewers(user),"
    " case_id TEXT NOT NULL REFERENCES cases(id), criterion TEXT NOT NULL DEFAULT '',"
    " note INTEGER NOT NULL DEFAULT 0, scroll INTEGER NOT NULL DEFAULT 0,"
    " at INTEGER NOT NULL, PRIMARY KEY(user, case_id)) WITHOUT ROWID;"
    "CREATE INDEX case_state_holder ON case_state(holder) WHERE holder IS NOT NULL;",

    /* 3: the queue's index covers what its counts filter on (status for
     * the referred cases a nurse does not see, holder for "mine"), so
     * counting 100,000 open cases never reads the table. */
    "DROP INDEX case_state_queue;"
    "CREATE INDEX case_state_queue ON case_state(closed, due, status, holder);",
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

static int user_version(sqlite3 *db)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int fail_db(sqlite3 *db, char *err, size_t errsz, const char *what)
{
    snprintf(err, errsz, "%s: %s", what, sqlite3_errmsg(db));
    if (!sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

int store_migrate(sqlite3 *db, int target, char *err, size_t errsz)
{
    if (target > NMIGRATIONS)
        target = NMIGRATIONS;
    int v = user_version(db);
    if (v < 0)
        return fail_db(db, err, errsz, "schema version");
    if (v > NMIGRATIONS) {
        snprintf(err, errsz, "database schema %d is newer than this casereview (%d)",
                 v, NMIGRATIONS);
        return -1;
    }
    if (v >= target)
        return 0;
    /* Another process may be migrating too: the version is read again
     * under the write lock. */
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return fail_db(db, err, errsz, "migrate");
    v = user_version(db);
    for (; v >= 0 && v < target; v++) {
        char set[64];
        if (sqlite3_exec(db, migrations[v], NULL, NULL, NULL) != SQLITE_OK)
            return fail_db(db, err, errsz, "migrate");
        snprintf(set, sizeof set, "PRAGMA user_version=%d", v + 1);
        if (sqlite3_exec(db, set, NULL, NULL, NULL) != SQLITE_OK)
            return fail_db(db, err, errsz, "migrate");
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        return fail_db(db, err, errsz, "migrate");
    return 0;
}
