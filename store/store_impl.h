/* store_impl: what the files of the store module share (the handle and
 * small helpers).  Not for use outside store/ and the store's own tools
 * and tests. */
#ifndef STORE_STORE_IMPL_H
#define STORE_STORE_IMPL_H

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

#include "store/store.h"

typedef struct {
    int note;
    size_t start, end;
} store_shown;

struct store {
    sqlite3 *db;
    char path[4096];
    store_reviewer me;
    time_t clock; /* 0: the real clock */
    /* The moment of the write transaction under way (0: none): every row
     * one transaction writes, records and audit alike, carries it. */
    time_t tx_now;
    /* The case open for work in this session. */
    char open_case[STORE_ID_MAX];
    time_t opened_at;
    store_shown *shown;
    size_t nshown, capshown;
    void *rng; /* compiled request schema (xmlRelaxNGPtr), lazily */
};

#define STORE_SCHEMA_VERSION 3

/* The test clock, else the write transaction's moment, else the time. */
time_t store_now(const store *s);
/* Writes "fmt" into err; returns -1 so callers can `return store_fail(...)`. */
int store_fail(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int store_dberr(const store *s, char *err, size_t errsz, const char *what);

/* Write transactions: BEGIN IMMEDIATE (waits on the busy timeout), then
 * COMMIT or ROLLBACK.  store_begin fixes the transaction's moment. */
int store_begin(store *s, char *err, size_t errsz);
int store_commit(store *s, char *err, size_t errsz);
void store_rollback(store *s);

/* Copies at most sz-1 bytes of a column (NULL -> ""). */
void store_col(sqlite3_stmt *st, int col, char *buf, size_t sz);
void store_copy(char *dst, size_t sz, const char *src);
int store_valid_id(const char *id, size_t max);

/* Migrations: brings the database to `target` (STORE_SCHEMA_VERSION in
 * the product; tests build older versions with a smaller target). */
int store_migrate(sqlite3 *db, int target, char *err, size_t errsz);

/* The audit chain: appends one row inside the caller's transaction and
 * returns its id (or -1).  detail is JSON text or NULL. */
long long store_chain_append(store *s, const char *action, const char *case_id,
                             const char *detail, char *err, size_t errsz);

/* Appends an audit row whose detail is the JSON object (consumed; NULL
 * for none), adding the seconds the case has been open.  Inside the
 * caller's transaction; the row's id, or -1. */
long long store_audit_json(store *s, const char *action, const char *case_id,
                           json_t *detail, char *err, size_t errsz);
/* The same as one write transaction of its own (open, close). */
int store_audit_event(store *s, const char *action, const char *case_id,
                      json_t *detail, char *err, size_t errsz);

/* What the audit rows carry so that verify can check the rows that are
 * not themselves records (store_verify.c), each read back from the
 * database inside the writer's transaction, after its change:
 *   the reviewer's row (user, name, credentials, role, admin, added);
 *   the case's queue state (status, closed, holder, held_since, due,
 *   urgent), which the rows that change it carry as "state";
 *   at import, that state and the BLAKE2b-256 of the case's row, of each
 *   service and diagnosis row and of each note row (its text included),
 *   in seq order: {"state":{..},"case":H,"services":[H..],
 *   "diagnoses":[H..],"notes":[{"name","bytes","hash"}..]}.
 * NULL when the row is missing or on error. */
#define STORE_REVIEWER_COLS "user,name,credentials,role,admin,added"
#define STORE_CASE_STATE_COLS "status,closed,holder,held_since,due,urgent"
/* Every column of the imported tables, the row aliased r. */
#define STORE_CASES_HASH                                                     \
    "casereview_hash('cases',r.id,r.member_name,r.member_dob,r.member_sex,"  \
    "r.member_id,r.provider_name,r.provider_npi,r.payer_id,r.payer_name,"   \
    "r.policy_id,r.section,r.urgency,r.received,r.due,r.service,r.imported," \
    "r.imported_by)"
#define STORE_SERVICES_HASH                                                  \
    "casereview_hash('services',r.case_id,r.seq,r.code,r.modifier,r.units,r.dos)"
#define STORE_DIAGNOSES_HASH "casereview_hash('diagnoses',r.case_id,r.seq,r.code)"
#define STORE_NOTES_HASH "casereview_hash('notes',r.case_id,r.seq,r.name,r.text)"
json_t *store_reviewer_json(store *s, const char *user);
json_t *store_case_state_json(store *s, const char *case_id);
json_t *store_import_seal(store *s, const char *case_id);
/* Adds the SQL function casereview_hash(table, value...) to a
 * connection: BLAKE2b-256 (lower-case hex) over a domain tag and each
 * value, typed and length-prefixed. */
int store_hash_register(sqlite3 *db);

/* The id the next row of table gets (records are inserted with it, so
 * their audit row can name it). */
long long store_next_id(store *s, const char *table);

/* The warning names of store_decision (bit i is names[i]). */
#define STORE_NWARNINGS 3
extern const char *const store_warning_names[STORE_NWARNINGS];

/* The hash of one audit row (32 bytes) given the previous row's. */
void store_chain_hash(const unsigned char prev[32], long long id, long long at,
                      const char *user, const char *action, const char *case_id,
                      const char *detail, unsigned char out[32]);

/* Import from memory: the request XML and the notes' names and texts
 * (the request's <notes> list is not used).  Inside a transaction the
 * caller opened, it joins it (batch imports). */
int store_import_mem(store *s, const char *xml, size_t xmllen,
                     const store_note *notes, size_t nnotes, char *id,
                     size_t idsz, char *err, size_t errsz);
void store_request_schema_free(void *rng);

/* The case's current state: 0 found, 1 no such case, -1 error. */
int store_case_state(store *s, const char *case_id, store_status *st,
                     char *holder, size_t holdersz, char *err, size_t errsz);
/* The case's latest review id, 0 none, -1 error. */
long long store_review_id(store *s, const char *case_id, char *err,
                          size_t errsz);
/* The rules every record of a case shares (a role, an open case, the
 * claim), with the case's state and latest review id. */
int store_record_may_work(store *s, const char *case_id, store_status *status,
                          char *holder, size_t holdersz, long long *review,
                          char *err, size_t errsz);
/* Seconds the case has been open in this session, -1 if it is not open. */
long store_seconds_open(const store *s, const char *case_id);
/* JSON array text of the spans displayed (caller frees). */
char *store_shown_json(const store *s);

#endif
