/* store_audit: the audit trail, a hash chain.  Each row's hash is
 * BLAKE2b-256 (libsodium) over the previous row's hash and the row's own
 * fields, each length-prefixed so no two rows serialize alike; altering a
 * row breaks its hash, rewriting its hash breaks the next row's link, and
 * removing a row leaves a gap in the ids or below the AUTOINCREMENT
 * high-water mark.  Also what the rows carry so that verify
 * (store_verify.c) can hold the other tables to them: reviewer and queue
 * state, and the hashes of an imported case's rows. */
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

/* The store's own actions: each is written with the record or the state
 * it describes, and verify holds those to it, so no other module may
 * append one. */
static const char *const own_actions[] = {
    "register", "reviewer-add", "role", "admin", "reviewer-name", "import", "open",
    "close", "claim", "release", "takeover", "review", "verdict", "evidence",
    "comment", "decision"};

static int valid_action(const char *a)
{
    if (!store_valid_id(a, 32))
        return 0;
    for (size_t i = 0; i < sizeof own_actions / sizeof own_actions[0]; i++)
        if (strcmp(a, own_actions[i]) == 0)
            return 0;
    return 1;
}

long long store_audit_json(store *s, const char *action, const char *case_id,
                           json_t *detail, char *err, size_t errsz)
{
    long open = case_id ? store_seconds_open(s, case_id) : -1;
    if (detail && open >= 0)
        json_object_set_new(detail, "seconds_open", json_integer(open));
    char *text = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(detail);
    if (detail && !text)
        return store_fail(err, errsz, "out of memory");
    long long id = store_chain_append(s, action, case_id, text, err, errsz);
    free(text);
    return id;
}

int store_audit_event(store *s, const char *action, const char *case_id, json_t *detail,
                      char *err, size_t errsz)
{
    if (store_begin(s, err, errsz) < 0) {
        json_decref(detail);
        return -1;
    }
    if (store_audit_json(s, action, case_id, detail, err, errsz) < 0) {
        store_rollback(s);
        return -1;
    }
    return store_commit(s, err, errsz);
}

int store_audit_append(store *s, const char *action, const char *case_id,
                       const char *detail, char *err, size_t errsz)
{
    if (!valid_action(action))
        return store_fail(err, errsz, "not an audit action another module may append: %s",
                          action ? action : "");
    json_error_t je;
    json_t *obj = detail && *detail ? json_loads(detail, JSON_REJECT_DUPLICATES, &je)
                                    : json_object();
    if (!obj || !json_is_object(obj)) {
        json_decref(obj);
        return store_fail(err, errsz, "audit detail is not a JSON object");
    }
    return store_audit_event(s, action, case_id, obj, err, errsz);
}

/* ---- what the rows carry ------------------------------------------------- */

/* casereview_hash(table, value...): each value typed and length-prefixed
 * (text and blob alike are bytes), so no two rows serialize alike. */
static void sql_hash(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    crypto_generichash_state h;
    unsigned char out[HASH_LEN];
    char hex[2 * HASH_LEN + 1];
    crypto_generichash_init(&h, NULL, 0, HASH_LEN);
    crypto_generichash_update(&h, (const unsigned char *)"casereview-record-1", 19);
    for (int i = 0; i < argc; i++) {
        int type = sqlite3_value_type(argv[i]);
        unsigned char tag = type == SQLITE_NULL      ? 0
                            : type == SQLITE_INTEGER ? 1
                            : type == SQLITE_FLOAT   ? 2
                                                     : 3;
        crypto_generichash_update(&h, &tag, 1);
        if (tag == 1) {
            put_u64(&h, (uint64_t)sqlite3_value_int64(argv[i]));
        } else if (tag == 2) {
            double d = sqlite3_value_double(argv[i]);
            uint64_t bits;
            memcpy(&bits, &d, sizeof bits);
            put_u64(&h, bits);
        } else if (tag == 3) {
            const unsigned char *p = sqlite3_value_blob(argv[i]);
            int n = sqlite3_value_bytes(argv[i]);
            put_u64(&h, (uint64_t)n);
            if (n > 0)
                crypto_generichash_update(&h, p, (size_t)n);
        }
    }
    crypto_generichash_final(&h, out, HASH_LEN);
    sodium_bin2hex(hex, sizeof hex, out, HASH_LEN);
    sqlite3_result_text(ctx, hex, -1, SQLITE_TRANSIENT);
}

int store_hash_register(sqlite3 *db)
{
    return sqlite3_create_function(db, "casereview_hash", -1,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                   NULL, sql_hash, NULL, NULL);
}

long long store_next_id(store *s, const char *table)
{
    char sql[128];
    sqlite3_stmt *st;
    snprintf(sql, sizeof sql, "SELECT coalesce(max(id),0)+1 FROM %s", table);
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    long long id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return id;
}

static json_t *column_json(sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL: return json_null();
    case SQLITE_INTEGER: return json_integer((json_int_t)sqlite3_column_int64(st, i));
    case SQLITE_FLOAT: return json_real(sqlite3_column_double(st, i));
    default: return json_string((const char *)sqlite3_column_text(st, i));
    }
}

/* One row of sql (key bound to ?1) as an object named by its columns. */
static json_t *row_json(store *s, const char *sql, const char *key)
{
    sqlite3_stmt *st;
    json_t *o = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        o = json_object();
        for (int i = 0; o && i < sqlite3_column_count(st); i++)
            json_object_set_new(o, sqlite3_column_name(st, i), column_json(st, i));
    }
    sqlite3_finalize(st);
    return o;
}

json_t *store_reviewer_json(store *s, const char *user)
{
    return row_json(s, "SELECT " STORE_REVIEWER_COLS " FROM reviewers WHERE user=?1", user);
}

json_t *store_case_state_json(store *s, const char *case_id)
{
    return row_json(s, "SELECT " STORE_CASE_STATE_COLS " FROM case_state WHERE case_id=?1",
                    case_id);
}

/* The first column of each row of sql (the case bound to ?1), in order. */
static json_t *column_list(store *s, const char *sql, const char *case_id)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    json_t *a = json_array();
    int step;
    while (a && (step = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(a, sqlite3_column_count(st) == 1 ? column_json(st, 0)
                                 : json_pack("{s:s,s:I,s:s}", "name",
                                             (const char *)sqlite3_column_text(st, 0), "bytes",
                                             (json_int_t)sqlite3_column_int64(st, 1), "hash",
                                             (const char *)sqlite3_column_text(st, 2)));
    sqlite3_finalize(st);
    if (a && step != SQLITE_DONE) {
        json_decref(a);
        return NULL;
    }
    return a;
}

json_t *store_import_seal(store *s, const char *case_id)
{
    json_t *state = store_case_state_json(s, case_id);
    json_t *o = state ? json_pack("{s:o}", "state", state) : NULL;
    json_t *c = row_json(s, "SELECT " STORE_CASES_HASH " FROM cases r WHERE r.id=?1", case_id);
    json_t *sv = column_list(s, "SELECT " STORE_SERVICES_HASH " FROM services r"
                                " WHERE r.case_id=?1 ORDER BY r.seq", case_id);
    json_t *dx = column_list(s, "SELECT " STORE_DIAGNOSES_HASH " FROM diagnoses r"
                                " WHERE r.case_id=?1 ORDER BY r.seq", case_id);
    json_t *nt = column_list(s, "SELECT r.name, length(r.text), " STORE_NOTES_HASH
                                " FROM notes r WHERE r.case_id=?1 ORDER BY r.seq", case_id);
    json_t *h = c ? json_object_iter_value(json_object_iter(c)) : NULL;
    if (!o || !h || !sv || !dx || !nt) {
        json_decref(o);
        json_decref(c);
        json_decref(sv);
        json_decref(dx);
        json_decref(nt);
        return NULL;
    }
    json_object_set(o, "case", h);
    json_decref(c);
    json_object_set_new(o, "services", sv);
    json_object_set_new(o, "diagnoses", dx);
    json_object_set_new(o, "notes", nt);
    return o;
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
