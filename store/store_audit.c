/* store_audit: the audit trail, a hash chain.  Each row's hash is
 * BLAKE2b-256 (libsodium) over the previous row's hash and the row's own
 * fields, each length-prefixed so no two rows serialize alike; altering a
 * row breaks its hash, rewriting its hash breaks the next row's link, and
 * removing a row leaves a gap in the ids or below the AUTOINCREMENT
 * high-water mark. */
#include <jansson.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"

#define HASH_LEN crypto_generichash_BYTES /* 32 */

static void put_u64(crypto_generichash_state *h, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    crypto_generichash_update(h, b, sizeof b);
}

static void put_str(crypto_generichash_state *h, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    put_u64(h, n);
    if (n)
        crypto_generichash_update(h, (const unsigned char *)s, n);
}

void store_chain_hash(const unsigned char prev[HASH_LEN], long long id,
                     long long at, const char *user, const char *action,
                     const char *case_id, const char *detail,
                     unsigned char out[HASH_LEN])
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, HASH_LEN);
    crypto_generichash_update(&h, (const unsigned char *)"casereview-audit-1", 18);
    crypto_generichash_update(&h, prev, HASH_LEN);
    put_u64(&h, (uint64_t)id);
    put_u64(&h, (uint64_t)at);
    put_str(&h, user);
    put_str(&h, action);
    put_str(&h, case_id);
    put_str(&h, detail);
    crypto_generichash_final(&h, out, HASH_LEN);
}

/* The id the next row gets: past every id ever used, removed or not. */
static long long next_id(store *s, unsigned char prev[HASH_LEN])
{
    sqlite3_stmt *st;
    long long last = 0, seq = 0;
    memset(prev, 0, HASH_LEN);
    if (sqlite3_prepare_v2(s->db, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        last = sqlite3_column_int64(st, 0);
        if (sqlite3_column_bytes(st, 1) == HASH_LEN)
            memcpy(prev, sqlite3_column_blob(st, 1), HASH_LEN);
    }
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(s->db, "SELECT seq FROM sqlite_sequence WHERE name='audit'",
                           -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            seq = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    return (seq > last ? seq : last) + 1;
}

long long store_chain_append(store *s, const char *action, const char *case_id,
                             const char *detail, char *err, size_t errsz)
{
    unsigned char prev[HASH_LEN], hash[HASH_LEN];
    long long id = next_id(s, prev);
    if (id < 0)
        return store_dberr(s, err, errsz, "audit");
    long long at = (long long)store_now(s);
    store_chain_hash(prev, id, at, s->me.user, action, case_id, detail, hash);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO audit(id,at,user,action,case_id,detail,prev,hash)"
                           " VALUES(?,?,?,?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK)
        return store_dberr(s, err, errsz, "audit");
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, at);
    sqlite3_bind_text(st, 3, s->me.user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, detail, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 7, prev, HASH_LEN, SQLITE_STATIC);
    sqlite3_bind_blob(st, 8, hash, HASH_LEN, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return store_dberr(s, err, errsz, "audit");
    return id;
}

static int valid_action(const char *a)
{
    return store_valid_id(a, 32);
}

int store_audit_append(store *s, const char *action, const char *case_id,
                       const char *detail, char *err, size_t errsz)
{
    if (!valid_action(action))
        return store_fail(err, errsz, "not an audit action name");
    json_error_t je;
    json_t *obj = detail && *detail ? json_loads(detail, JSON_REJECT_DUPLICATES, &je)
                                    : json_object();
    if (!obj || !json_is_object(obj)) {
        json_decref(obj);
        return store_fail(err, errsz, "audit detail is not a JSON object");
    }
    long open = case_id ? store_seconds_open(s, case_id) : -1;
    if (open >= 0)
        json_object_set_new(obj, "seconds_open", json_integer(open));
    char *text = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(obj);
    if (!text)
        return store_fail(err, errsz, "out of memory");
    int rc = -1;
    if (store_begin(s, err, errsz) == 0) {
        if (store_chain_append(s, action, case_id, text, err, errsz) < 0)
            store_rollback(s);
        else
            rc = store_commit(s, err, errsz);
    }
    free(text);
    return rc;
}

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

static int walk(store *s, long long *rows, long long *bad, char *err, size_t errsz)
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
    *rows = expect - 1;
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

/* Each record must match the audit row it names: a record altered in
 * place (behind the triggers' back) no longer agrees with the chain. */
static const struct {
    const char *table, *sql;
} record_checks[] = {
    {"decisions",
     "SELECT r.id, r.audit_id FROM decisions r LEFT JOIN audit a ON a.id=r.audit_id"
     " WHERE a.id IS NULL OR a.action<>'decision' OR a.case_id IS NOT r.case_id"
     " OR a.user<>r.user OR json_extract(a.detail,'$.decision') IS NOT r.decision"
     " OR json_extract(a.detail,'$.outcome') IS NOT r.outcome"
     " OR json_extract(a.detail,'$.rationale') IS NOT r.rationale"
     " OR json_extract(a.detail,'$.role') IS NOT r.role ORDER BY r.id LIMIT 1"},
    {"verdicts",
     "SELECT r.id, r.audit_id FROM verdicts r LEFT JOIN audit a ON a.id=r.audit_id"
     " WHERE a.id IS NULL OR a.action<>'verdict' OR a.case_id IS NOT r.case_id"
     " OR a.user<>r.user OR json_extract(a.detail,'$.criterion') IS NOT r.criterion"
     " OR json_extract(a.detail,'$.verdict') IS NOT r.verdict"
     " OR json_extract(a.detail,'$.origin') IS NOT r.origin"
     " OR json_extract(a.detail,'$.reason') IS NOT r.reason"
     " OR json_extract(a.detail,'$.comment') IS NOT r.comment ORDER BY r.id LIMIT 1"},
    {"claims",
     "SELECT r.id, r.audit_id FROM claims r LEFT JOIN audit a ON a.id=r.audit_id"
     " WHERE a.id IS NULL OR a.action IS NOT r.action OR a.case_id IS NOT r.case_id"
     " OR a.user<>r.user ORDER BY r.id LIMIT 1"},
    {"comments",
     "SELECT r.id, r.audit_id FROM comments r LEFT JOIN audit a ON a.id=r.audit_id"
     " WHERE a.id IS NULL OR a.action<>'comment' OR a.case_id IS NOT r.case_id"
     " OR json_extract(a.detail,'$.text') IS NOT r.text ORDER BY r.id LIMIT 1"},
    {"reviews",
     "SELECT r.id, r.audit_id FROM reviews r LEFT JOIN audit a ON a.id=r.audit_id"
     " WHERE a.id IS NULL OR a.action<>'review' OR a.case_id IS NOT r.case_id"
     " OR json_extract(a.detail,'$.policy') IS NOT r.policy_id"
     " OR json_extract(a.detail,'$.revision') IS NOT r.revision ORDER BY r.id LIMIT 1"},
};

static int check_records(store *s, long long *bad, char *err, size_t errsz)
{
    for (size_t i = 0; i < sizeof record_checks / sizeof record_checks[0]; i++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(s->db, record_checks[i].sql, -1, &st, NULL) != SQLITE_OK)
            return store_dberr(s, err, errsz, "audit");
        int rc = 0;
        if (sqlite3_step(st) == SQLITE_ROW) {
            *bad = sqlite3_column_int64(st, 1);
            store_fail(err, errsz, "%s row %lld was altered: it no longer matches audit row %lld",
                       record_checks[i].table, sqlite3_column_int64(st, 0), *bad);
            rc = 1;
        }
        sqlite3_finalize(st);
        if (rc)
            return 1;
    }
    return 0;
}

int store_audit_verify(store *s, long long *rows, long long *bad, char *err,
                       size_t errsz)
{
    long long r = 0, b = 0;
    /* One read transaction: a consistent snapshot while others write. */
    if (sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return store_dberr(s, err, errsz, "audit");
    int rc = walk(s, &r, &b, err, errsz);
    if (rc == 0)
        rc = check_records(s, &b, err, errsz);
    sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    if (rows)
        *rows = r;
    if (bad)
        *bad = b;
    return rc;
}

int store_audit_each(store *s, const char *case_id,
                     int (*fn)(const store_audit_row *row, void *ctx), void *ctx,
                     char *err, size_t errsz)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id,at,user,action,coalesce(case_id,''),coalesce(detail,'')"
                           " FROM audit WHERE ?1 IS NULL OR case_id=?1 ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return store_dberr(s, err, errsz, "audit");
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        store_audit_row r = {
            .id = sqlite3_column_int64(st, 0),
            .at = (time_t)sqlite3_column_int64(st, 1),
            .user = (const char *)sqlite3_column_text(st, 2),
            .action = (const char *)sqlite3_column_text(st, 3),
            .case_id = (const char *)sqlite3_column_text(st, 4),
            .detail = (const char *)sqlite3_column_text(st, 5),
        };
        if (fn(&r, ctx) != 0) {
            step = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(st);
    if (step != SQLITE_DONE)
        return store_dberr(s, err, errsz, "audit");
    return 0;
}
