/* store_verify: `casereview audit verify`.  In one read transaction:
 *   1. the chain: every row's hash matches its fields and links to the
 *      row before, with no gap in the ids and nothing past the last;
 *   2. the head recorded elsewhere, if given, is still in the chain;
 *   3. every row of every table but ui_state agrees with the audit rows:
 *      a record with the row it names (each column), reviewers and
 *      case_state with the latest row that carries their state, the
 *      imported rows with the hashes of their import row;
 *   4. every audit row that made a row still finds it.
 * The first failure is reported, naming the audit row and the table. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"

#define HASH_LEN 32

/* ---- the chain ------------------------------------------------------------ */

static int broken(long long id, long long *bad, char *err, size_t errsz,
                  const char *why)
{
    *bad = id;
    store_fail(err, errsz, "audit row %lld %s", id, why);
    return 1;
}

/* One row against the chain so far; 0 good, 1 broken (bad, err set). */
static int check_row(sqlite3_stmt *st, long long expect, unsigned char prev[HASH_LEN],
                     long long *bad, char *err, size_t errsz)
{
    long long id = sqlite3_column_int64(st, 0);
    if (id != expect)
        return broken(expect, bad, err, errsz, "was removed");
    unsigned char want[HASH_LEN];
    const void *sprev = sqlite3_column_blob(st, 6);
    const void *shash = sqlite3_column_blob(st, 7);
    if (sqlite3_column_bytes(st, 6) != HASH_LEN || sqlite3_column_bytes(st, 7) != HASH_LEN)
        return broken(id, bad, err, errsz, "was altered (hash missing)");
    store_chain_hash(sprev, id, sqlite3_column_int64(st, 1),
                     (const char *)sqlite3_column_text(st, 2),
                     (const char *)sqlite3_column_text(st, 3),
                     (const char *)sqlite3_column_text(st, 4),
                     (const char *)sqlite3_column_text(st, 5), want);
    if (sodium_memcmp(want, shash, HASH_LEN) != 0)
        return broken(id, bad, err, errsz, "was altered");
    if (sodium_memcmp(sprev, prev, HASH_LEN) != 0)
        return broken(id - 1, bad, err, errsz,
                      "was altered or replaced (the next row no longer links to it)");
    memcpy(prev, shash, HASH_LEN);
    return 0;
}

static int walk(store *s, store_audit_head *head, long long *bad, char *err, size_t errsz)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id,at,user,action,case_id,detail,prev,hash FROM audit"
                           " ORDER BY id", -1, &st, NULL) != SQLITE_OK)
        return store_dberr(s, err, errsz, "audit");
    unsigned char prev[HASH_LEN] = {0};
    long long expect = 1;
    int rc = 0, step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if ((rc = check_row(st, expect, prev, bad, err, errsz)) != 0)
            break;
        expect++;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = store_dberr(s, err, errsz, "audit");
    sqlite3_finalize(st);
    head->id = expect - 1;
    memcpy(head->hash, prev, HASH_LEN);
    if (rc != 0)
        return rc;
    /* Rows removed from the end leave the high-water mark above the last. */
    if (sqlite3_prepare_v2(s->db, "SELECT seq FROM sqlite_sequence WHERE name='audit'",
                           -1, &st, NULL) != SQLITE_OK)
        return store_dberr(s, err, errsz, "audit");
    long long seq = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (seq > expect - 1)
        return broken(expect, bad, err, errsz, "was removed (from the end)");
    return 0;
}

/* The high-water mark can be reset too, and the whole chain after a row
 * rebuilt (the hash has no key): only a head recorded elsewhere tells. */
static int check_head(store *s, const store_audit_head *want, const store_audit_head *now,
                      long long *bad, char *err, size_t errsz)
{
    if (want->id > now->id) {
        *bad = now->id + 1;
        store_fail(err, errsz, "audit row %lld was removed: the recorded head is row %lld,"
                   " the chain now ends at row %lld", now->id + 1, want->id, now->id);
        return 1;
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT hash FROM audit WHERE id=?", -1, &st, NULL) !=
        SQLITE_OK)
        return store_dberr(s, err, errsz, "audit");
    sqlite3_bind_int64(st, 1, want->id);
    int same = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == HASH_LEN &&
               sodium_memcmp(sqlite3_column_blob(st, 0), want->hash, HASH_LEN) == 0;
    sqlite3_finalize(st);
    if (same)
        return 0;
    *bad = want->id;
    store_fail(err, errsz, "audit row %lld is not the recorded head: the chain was rewritten"
               " at or before it", want->id);
    return 1;
}

/* ---- rows against the audit ------------------------------------------------- */

/* The actions whose rows carry a reviewer's state, and a case's. */
#define REVIEWER_ACTIONS "'register','reviewer-add','role','admin','reviewer-name'"
#define STATE_ACTIONS "'import','claim','release','takeover','decision'"

/* A column of a table and what it must equal in its audit row a: a
 * "$.path" into a.detail, else an SQL expression.  record NULL: r.name. */
typedef struct {
    const char *name, *record, *audit;
} field;

typedef struct {
    const char *table;
    const char *key;   /* SQL naming the row in messages */
    const char *from;  /* the row r with its audit row a (LEFT JOIN) */
    const char *names; /* SQL: the audit row id r names itself, or NULL */
    const char *cond;  /* SQL the audit row must satisfy (its action) */
    const field *fields;
    size_t nfields;
} row_check;

#define FIELDS(a) a, sizeof a / sizeof a[0]
#define BY_AUDIT_ID(t) t " r LEFT JOIN audit a ON a.id=r.audit_id"
#define BY_IMPORT(key)                                                       \
    " r LEFT JOIN audit a ON a.id=(SELECT min(id) FROM audit WHERE case_id=" key \
    " AND action='import')"

/* Filled in at run time from store_warning_names. */
static char warnings_sql[512];

static const field decision_fields[] = {
    {"id", 0, "$.id"}, {"review_id", 0, "$.review"}, {"case_id", 0, "a.case_id"},
    {"decision", 0, "$.decision"}, {"outcome", 0, "$.outcome"},
    {"rationale", 0, "$.rationale"}, {"user", 0, "a.user"}, {"role", 0, "$.role"},
    {"counts", 0, "$.counts"}, {"warnings", 0, warnings_sql},
    {"seconds_open", 0, "$.seconds_open"}, {"at", 0, "a.at"}};
static const field verdict_fields[] = {
    {"id", 0, "$.id"}, {"review_id", 0, "$.review"}, {"case_id", 0, "a.case_id"},
    {"criterion", 0, "$.criterion"}, {"verdict", 0, "$.verdict"}, {"origin", 0, "$.origin"},
    {"reason", 0, "$.reason"}, {"comment", 0, "$.comment"}, {"ev_note", 0, "$.evidence[0]"},
    {"ev_start", 0, "$.evidence[1]"}, {"ev_end", 0, "$.evidence[2]"}, {"user", 0, "a.user"},
    {"role", 0, "$.role"}, {"at", 0, "a.at"}};
static const field evidence_fields[] = {
    {"id", 0, "$.id"}, {"review_id", 0, "$.review"}, {"case_id", 0, "a.case_id"},
    {"criterion", 0, "$.criterion"}, {"note", 0, "$.span[0]"}, {"start", 0, "$.span[1]"},
    {"end", 0, "$.span[2]"}, {"user", 0, "a.user"}, {"at", 0, "a.at"}};
static const field comment_fields[] = {
    {"id", 0, "$.id"}, {"review_id", 0, "$.review"}, {"case_id", 0, "a.case_id"},
    {"criterion", 0, "$.criterion"}, {"text", 0, "$.text"}, {"user", 0, "a.user"},
    {"at", 0, "a.at"}};
static const field claim_fields[] = {
    {"id", 0, "$.id"}, {"case_id", 0, "a.case_id"}, {"user", 0, "a.user"},
    {"action", 0, "a.action"}, {"previous", 0, "$.previous"}, {"at", 0, "a.at"}};
static const field review_fields[] = {
    {"id", 0, "$.id"}, {"case_id", 0, "a.case_id"}, {"policy_id", 0, "$.policy"},
    {"effective", 0, "$.effective"}, {"revision", 0, "$.revision"},
    {"section", 0, "$.section"}, {"user", 0, "a.user"}, {"at", 0, "a.at"}};
static const field case_fields[] = {{"fields", STORE_CASES_HASH, "$.case"}};
static const field service_fields[] = {
    {"fields", STORE_SERVICES_HASH, "json_extract(a.detail,'$.services['||r.seq||']')"}};
static const field diagnosis_fields[] = {
    {"fields", STORE_DIAGNOSES_HASH, "json_extract(a.detail,'$.diagnoses['||r.seq||']')"}};
static const field note_fields[] = {
    {"text", STORE_NOTES_HASH, "json_extract(a.detail,'$.notes['||r.seq||'].hash')"}};
static const field state_fields[] = {
    {"status", 0, "$.state.status"}, {"closed", 0, "$.state.closed"},
    {"holder", 0, "$.state.holder"}, {"held_since", 0, "$.state.held_since"},
    {"due", 0, "$.state.due"}, {"urgent", 0, "$.state.urgent"}};
static const field reviewer_fields[] = {
    {"name", 0, "$.name"}, {"credentials", 0, "$.credentials"}, {"role", 0, "$.role"},
    {"admin", 0, "$.admin"}, {"added", 0, "$.added"}};

static const row_check row_checks[] = {
    {"reviewers", "r.user",
     "reviewers r LEFT JOIN (SELECT json_extract(detail,'$.user') AS u, max(id) AS id"
     " FROM audit WHERE action IN (" REVIEWER_ACTIONS ") GROUP BY u) l ON l.u=r.user"
     " LEFT JOIN audit a ON a.id=l.id",
     NULL, "1", FIELDS(reviewer_fields)},
    {"cases", "r.id", "cases" BY_IMPORT("r.id"), NULL, "1", FIELDS(case_fields)},
    {"services", "r.seq||' of case '||r.case_id", "services" BY_IMPORT("r.case_id"), NULL,
     "1", FIELDS(service_fields)},
    {"diagnoses", "r.seq||' of case '||r.case_id", "diagnoses" BY_IMPORT("r.case_id"), NULL,
     "1", FIELDS(diagnosis_fields)},
    {"notes", "r.seq||' of case '||r.case_id", "notes" BY_IMPORT("r.case_id"), NULL, "1",
     FIELDS(note_fields)},
    {"case_state", "r.case_id",
     "case_state r LEFT JOIN audit a ON a.id=(SELECT max(id) FROM audit WHERE"
     " case_id=r.case_id AND action IN (" STATE_ACTIONS ")"
     " AND json_type(detail,'$.state') IS NOT NULL)",
     NULL, "1", FIELDS(state_fields)},
    {"reviews", "r.id", BY_AUDIT_ID("reviews"), "r.audit_id", "a.action='review'",
     FIELDS(review_fields)},
    {"claims", "r.id", BY_AUDIT_ID("claims"), "r.audit_id",
     "a.action IN ('claim','release','takeover')", FIELDS(claim_fields)},
    {"verdicts", "r.id", BY_AUDIT_ID("verdicts"), "r.audit_id", "a.action='verdict'",
     FIELDS(verdict_fields)},
    {"evidence", "r.id", BY_AUDIT_ID("evidence"), "r.audit_id", "a.action='evidence'",
     FIELDS(evidence_fields)},
    {"comments", "r.id", BY_AUDIT_ID("comments"), "r.audit_id", "a.action='comment'",
     FIELDS(comment_fields)},
    {"decisions", "r.id", BY_AUDIT_ID("decisions"), "r.audit_id", "a.action='decision'",
     FIELDS(decision_fields)},
};

/* The bit set of a decision's warning names, as decisions.warnings holds it. */
static void make_warnings_sql(void)
{
    size_t n = (size_t)snprintf(warnings_sql, sizeof warnings_sql,
                                "(SELECT coalesce(sum(CASE value");
    for (int i = 0; i < STORE_NWARNINGS && n < sizeof warnings_sql; i++)
        n += (size_t)snprintf(warnings_sql + n, sizeof warnings_sql - n, " WHEN '%s' THEN %d",
                              store_warning_names[i], 1 << i);
    if (n < sizeof warnings_sql)
        snprintf(warnings_sql + n, sizeof warnings_sql - n,
                 " ELSE 1<<30 END),0) FROM json_each(a.detail,'$.warnings'))");
}

static int append(char *buf, size_t sz, size_t *n, const char *a, const char *b,
                  const char *c)
{
    int k = snprintf(buf + *n, sz - *n, "%s%s%s", a, b ? b : "", c ? c : "");
    if (k < 0 || (size_t)k >= sz - *n)
        return -1;
    *n += (size_t)k;
    return 0;
}

/* SELECT key, named audit row, audit row, the first column that differs
 * (NULL none; '#audit' no audit row) ... for the first row that fails. */
static int check_sql(const row_check *c, char *sql, size_t sz)
{
    size_t n = 0;
    int rc = append(sql, sz, &n, "SELECT k, n, aid, diff FROM (SELECT ", c->key, " AS k, ");
    rc |= append(sql, sz, &n, c->names ? c->names : "NULL", " AS n, a.id AS aid,", NULL);
    rc |= append(sql, sz, &n, " r.rowid AS o, CASE WHEN a.id IS NULL THEN '#audit'", NULL,
                 NULL);
    rc |= append(sql, sz, &n, " WHEN NOT (", c->cond, ") THEN 'audit_id'");
    for (size_t i = 0; i < c->nfields; i++) {
        const field *f = &c->fields[i];
        char rec[64];
        snprintf(rec, sizeof rec, "r.\"%s\"", f->name);
        rc |= append(sql, sz, &n, " WHEN (", f->record ? f->record : rec, ") IS NOT (");
        if (f->audit[0] == '$')
            rc |= append(sql, sz, &n, "json_extract(a.detail,'", f->audit, "')");
        else
            rc |= append(sql, sz, &n, f->audit, NULL, NULL);
        rc |= append(sql, sz, &n, ") THEN '", f->name, "'");
    }
    rc |= append(sql, sz, &n, " END AS diff FROM ", c->from, ")");
    rc |= append(sql, sz, &n, " WHERE diff IS NOT NULL ORDER BY o LIMIT 1", NULL, NULL);
    return rc;
}

static int check_rows(store *s, const row_check *c, long long *bad, char *err, size_t errsz)
{
    char sql[4096];
    sqlite3_stmt *st;
    if (check_sql(c, sql, sizeof sql) < 0)
        return store_fail(err, errsz, "audit: check of %s too long", c->table);
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return store_dberr(s, err, errsz, c->table);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sqlite3_finalize(st);
        return 0;
    }
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        return store_dberr(s, err, errsz, c->table);
    }
    const char *key = (const char *)sqlite3_column_text(st, 0);
    const char *diff = (const char *)sqlite3_column_text(st, 3);
    long long named = sqlite3_column_int64(st, 1), aid = sqlite3_column_int64(st, 2);
    if (strcmp(diff, "#audit") == 0 && sqlite3_column_type(st, 1) != SQLITE_NULL) {
        *bad = named;
        store_fail(err, errsz, "%s row %s names audit row %lld, which is missing", c->table,
                   key, named);
    } else if (strcmp(diff, "#audit") == 0) {
        *bad = 0;
        store_fail(err, errsz, "%s row %s was added outside the audit trail (no audit row"
                   " has it)", c->table, key);
    } else {
        *bad = aid;
        store_fail(err, errsz, "%s row %s was altered (%s): it no longer matches audit row"
                   " %lld", c->table, key, diff, aid);
    }
    sqlite3_finalize(st);
    return 1;
}

/* ---- audit rows against the rows they made ----------------------------------- */

#define HAS_RECORD(t)                                                         \
    "EXISTS(SELECT 1 FROM " t " r WHERE r.id=json_extract(a.detail,'$.id')"  \
    " AND r.audit_id=a.id)"
#define HAS_LIST(t, path)                                                     \
    "NOT EXISTS(SELECT 1 FROM json_each(a.detail,'" path "') j WHERE NOT EXISTS" \
    "(SELECT 1 FROM " t " r WHERE r.case_id=a.case_id AND r.seq=j.key))"

static const struct {
    const char *actions, *table, *exists;
} made[] = {
    {REVIEWER_ACTIONS, "reviewers",
     "EXISTS(SELECT 1 FROM reviewers WHERE user=json_extract(a.detail,'$.user'))"},
    {"'import'", "cases", "EXISTS(SELECT 1 FROM cases WHERE id=a.case_id)"},
    {"'import'", "case_state", "EXISTS(SELECT 1 FROM case_state WHERE case_id=a.case_id)"},
    {"'import'", "services", HAS_LIST("services", "$.services")},
    {"'import'", "diagnoses", HAS_LIST("diagnoses", "$.diagnoses")},
    {"'import'", "notes", HAS_LIST("notes", "$.notes")},
    {"'review'", "reviews", HAS_RECORD("reviews")},
    {"'claim','release','takeover'", "claims", HAS_RECORD("claims")},
    {"'verdict'", "verdicts", HAS_RECORD("verdicts")},
    {"'evidence'", "evidence", HAS_RECORD("evidence")},
    {"'comment'", "comments", HAS_RECORD("comments")},
    {"'decision'", "decisions", HAS_RECORD("decisions")},
};

static int check_made(store *s, long long *bad, char *err, size_t errsz)
{
    char sql[4096];
    size_t n = 0;
    int rc = append(sql, sizeof sql, &n, "SELECT id, missing FROM (SELECT a.id, CASE", NULL,
                    NULL);
    for (size_t i = 0; i < sizeof made / sizeof made[0]; i++) {
        rc |= append(sql, sizeof sql, &n, " WHEN a.action IN (", made[i].actions, ")");
        rc |= append(sql, sizeof sql, &n, " AND NOT ", made[i].exists, " THEN '");
        rc |= append(sql, sizeof sql, &n, made[i].table, "'", NULL);
    }
    rc |= append(sql, sizeof sql, &n, " END AS missing FROM audit a)"
                 " WHERE missing IS NOT NULL ORDER BY id LIMIT 1", NULL, NULL);
    sqlite3_stmt *st;
    if (rc < 0)
        return store_fail(err, errsz, "audit: check too long");
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return store_dberr(s, err, errsz, "audit");
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *bad = sqlite3_column_int64(st, 0);
        store_fail(err, errsz, "audit row %lld: its %s row is missing", *bad,
                   (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_dberr(s, err, errsz, "audit");
    return rc == SQLITE_ROW;
}

static int check_all(store *s, const store_audit_head *expect, store_audit_head *head,
                     long long *bad, char *err, size_t errsz)
{
    int rc = walk(s, head, bad, err, errsz);
    if (rc == 0 && expect)
        rc = check_head(s, expect, head, bad, err, errsz);
    make_warnings_sql();
    for (size_t i = 0; rc == 0 && i < sizeof row_checks / sizeof row_checks[0]; i++)
        rc = check_rows(s, &row_checks[i], bad, err, errsz);
    if (rc == 0)
        rc = check_made(s, bad, err, errsz);
    return rc;
}

int store_audit_verify_head(store *s, const store_audit_head *expect, long long *rows,
                            long long *bad, store_audit_head *head, char *err,
                            size_t errsz)
{
    store_audit_head h = {0, {0}};
    long long b = 0;
    /* One read transaction: a consistent snapshot while others write (or
     * the caller's own, if it holds one). */
    int own = sqlite3_get_autocommit(s->db);
    if (own && sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return store_dberr(s, err, errsz, "audit");
    int rc = check_all(s, expect, &h, &b, err, errsz);
    if (own)
        sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    if (rows)
        *rows = h.id;
    if (bad)
        *bad = b;
    if (head)
        *head = h;
    return rc;
}

int store_audit_verify(store *s, long long *rows, long long *bad, char *err, size_t errsz)
{
    return store_audit_verify_head(s, NULL, rows, bad, NULL, err, errsz);
}

/* ---- the head as text ---------------------------------------------------------- */

void store_audit_head_format(const store_audit_head *h, char *buf, size_t sz)
{
    char hex[2 * HASH_LEN + 1];
    sodium_bin2hex(hex, sizeof hex, h->hash, HASH_LEN);
    snprintf(buf, sz, "%lld:%s", h->id, hex);
}

int store_audit_head_parse(const char *text, store_audit_head *h)
{
    char *end;
    size_t len;
    if (!text || *text < '1' || *text > '9')
        return -1;
    long long id = strtoll(text, &end, 10);
    if (*end != ':' || strlen(end + 1) != 2 * HASH_LEN)
        return -1;
    if (sodium_hex2bin(h->hash, HASH_LEN, end + 1, 2 * HASH_LEN, NULL, &len, NULL) != 0 ||
        len != HASH_LEN)
        return -1;
    h->id = id;
    return 0;
}
