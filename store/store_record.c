/* store_record: the reviewer's records (claims, verdicts, evidence marks,
 * comments, decisions) and the rules they follow.  Each is checked and
 * written inside one BEGIN IMMEDIATE transaction, so the check sees the
 * state no other reviewer can change before the row lands; each writes its
 * audit row first and keeps that row's id. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"

#define TEXT_MAX 8192 /* reasons, comments, rationales */

typedef struct {
    store_status status;
    char holder[STORE_USER_MAX];
    long long review; /* latest review id, 0 none */
} case_now;

/* The reviewer's row again (an administrator may have changed the role
 * since open) and the case's state; fails for an unknown case. */
static int load_now(store *s, const char *case_id, case_now *c, char *err,
                    size_t errsz)
{
    store_reviewer me;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT role,admin FROM reviewers WHERE user=?", -1, &st,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, s->me.user, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW &&
            store_role_parse((const char *)sqlite3_column_text(st, 0), &me.role) == 0) {
            s->me.role = me.role;
            s->me.admin = sqlite3_column_int(st, 1);
        }
        sqlite3_finalize(st);
    }
    if (!store_valid_id(case_id, STORE_ID_MAX - 1))
        return store_fail(err, errsz, "not a case id");
    int found = store_case_state(s, case_id, &c->status, c->holder, sizeof c->holder,
                                 err, errsz);
    if (found == 1)
        return store_fail(err, errsz, "no case %s in the store", case_id);
    if (found < 0)
        return -1;
    c->review = store_review_id(s, case_id, err, errsz);
    return c->review < 0 ? -1 : 0;
}

static int closed(store_status st)
{
    return st == STORE_STATUS_APPROVED || st == STORE_STATUS_DENIED;
}

/* The rules every record of a case shares: a role, an open case, a
 * physician for a referred case, and (except trainees) the claim. */
static int may_work(store *s, const char *case_id, const case_now *c, char *err,
                    size_t errsz)
{
    if (s->me.role == STORE_ROLE_NONE)
        return store_fail(err, errsz,
                          "%s has no reviewer role (an administrator sets it: "
                          "casereview admin role %s ROLE)", s->me.user, s->me.user);
    if (closed(c->status))
        return store_fail(err, errsz, "case %s is closed (%s)", case_id,
                          store_status_name(c->status));
    if (s->me.role == STORE_ROLE_TRAINEE)
        return 0;
    if (c->status == STORE_STATUS_REFERRED && s->me.role != STORE_ROLE_PHYSICIAN)
        return store_fail(err, errsz, "case %s is referred to a physician reviewer", case_id);
    if (!c->holder[0])
        return store_fail(err, errsz, "claim case %s before working it", case_id);
    if (strcmp(c->holder, s->me.user) != 0)
        return store_fail(err, errsz, "case %s is held by %s", case_id, c->holder);
    return 0;
}

static int text_ok(const char *t, const char *what, int required, char *err,
                   size_t errsz)
{
    size_t n = t ? strlen(t) : 0;
    if (required && n == 0)
        return store_fail(err, errsz, "a %s is required", what);
    if (n > TEXT_MAX)
        return store_fail(err, errsz, "the %s is longer than %d bytes", what, TEXT_MAX);
    return 0;
}

/* The audit row of a new record: detail (consumed) gets the id the record
 * will have.  -1 on error, else the audit row's id. */
static long long record_audit(store *s, const char *action, const char *table,
                              const char *case_id, json_t *detail, long long *id,
                              char *err, size_t errsz)
{
    *id = store_next_id(s, table);
    if (!detail || *id < 0) {
        json_decref(detail);
        return detail ? store_dberr(s, err, errsz, table) : store_fail(err, errsz, "out of memory");
    }
    json_object_set_new(detail, "id", json_integer((json_int_t)*id));
    return store_audit_json(s, action, case_id, detail, err, errsz);
}

/* Runs one statement with text (NULL allowed) then integer parameters. */
static int run(store *s, const char *sql, const char *const *t, int nt,
               const long long *n, int nn, char *err, size_t errsz)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return store_dberr(s, err, errsz, "record");
    for (int i = 0; i < nt; i++)
        sqlite3_bind_text(st, i + 1, t[i], -1, SQLITE_STATIC);
    for (int i = 0; i < nn; i++)
        sqlite3_bind_int64(st, nt + i + 1, n[i]);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : store_dberr(s, err, errsz, "record");
}

static int finish(store *s, int rc, char *err, size_t errsz)
{
    if (rc < 0) {
        store_rollback(s);
        return -1;
    }
    return store_commit(s, err, errsz);
}

/* ---- claims ---------------------------------------------------------------- */

/* The queue state changes first, so that the audit row can carry it. */
static int set_holder(store *s, const char *case_id, const char *action,
                      const char *previous, const char *holder, char *err, size_t errsz)
{
    long long now = store_now(s), id;
    const char *t2[] = {holder, case_id};
    long long n2[] = {holder ? now : 0};
    if (run(s, "UPDATE case_state SET holder=?1, held_since=nullif(?3,0) WHERE case_id=?2",
            t2, 2, n2, 1, err, errsz) < 0)
        return -1;
    if (previous && !*previous)
        previous = NULL;
    json_t *state = store_case_state_json(s, case_id);
    if (!state)
        return store_dberr(s, err, errsz, "case state");
    json_t *d = json_pack("{s:s?,s:s?,s:o}", "previous", previous, "holder", holder, "state",
                          state);
    long long aid = record_audit(s, action, "claims", case_id, d, &id, err, errsz);
    if (aid < 0)
        return -1;
    const char *t[] = {case_id, s->me.user, action, previous};
    long long n[] = {now, aid, id};
    return run(s, "INSERT INTO claims(case_id,user,action,previous,at,audit_id,id)"
                  " VALUES(?,?,?,?,?,?,?)", t, 4, n, 3, err, errsz);
}

static int claim_rules(store *s, const char *case_id, const case_now *c, char *err,
                       size_t errsz)
{
    if (s->me.role == STORE_ROLE_NONE || s->me.role == STORE_ROLE_TRAINEE)
        return store_fail(err, errsz, "%s", s->me.role == STORE_ROLE_NONE
                                                ? "you have no reviewer role to claim with"
                                                : "trainees practise without claiming cases");
    if (closed(c->status))
        return store_fail(err, errsz, "case %s is closed (%s)", case_id,
                          store_status_name(c->status));
    if (c->status == STORE_STATUS_REFERRED && s->me.role != STORE_ROLE_PHYSICIAN)
        return store_fail(err, errsz, "case %s is referred to a physician reviewer", case_id);
    return 0;
}

int store_claim(store *s, const char *case_id, char *err, size_t errsz)
{
    case_now c;
    if (store_begin(s, err, errsz) < 0)
        return -1;
    int rc = load_now(s, case_id, &c, err, errsz);
    if (rc == 0)
        rc = claim_rules(s, case_id, &c, err, errsz);
    if (rc == 0 && c.holder[0] && strcmp(c.holder, s->me.user) != 0)
        rc = store_fail(err, errsz, "case %s is held by %s", case_id, c.holder);
    if (rc == 0 && !c.holder[0])
        rc = set_holder(s, case_id, "claim", NULL, s->me.user, err, errsz);
    return finish(s, rc, err, errsz);
}

int store_release(store *s, const char *case_id, char *err, size_t errsz)
{
    case_now c;
    if (store_begin(s, err, errsz) < 0)
        return -1;
    int rc = load_now(s, case_id, &c, err, errsz);
    if (rc == 0 && strcmp(c.holder, s->me.user) != 0)
        rc = c.holder[0] ? store_fail(err, errsz, "case %s is held by %s, not you", case_id,
                                      c.holder)
                         : store_fail(err, errsz, "case %s is not claimed", case_id);
    if (rc == 0)
        rc = set_holder(s, case_id, "release", s->me.user, NULL, err, errsz);
    return finish(s, rc, err, errsz);
}

int store_takeover(store *s, const char *case_id, char *err, size_t errsz)
{
    return store_takeover_from(s, case_id, NULL, 0, err, errsz);
}

int store_takeover_from(store *s, const char *case_id, char *previous, size_t prevsz,
                        char *err, size_t errsz)
{
    case_now c;
    if (store_begin(s, err, errsz) < 0)
        return -1;
    int rc = load_now(s, case_id, &c, err, errsz);
    if (rc == 0 && !s->me.admin)
        rc = store_fail(err, errsz, "only an administrator takes over a claim");
    if (rc == 0 && closed(c.status))
        rc = store_fail(err, errsz, "case %s is closed (%s)", case_id,
                        store_status_name(c.status));
    if (rc == 0 && !c.holder[0])
        rc = store_fail(err, errsz, "nobody holds case %s: claim it", case_id);
    if (rc == 0 && strcmp(c.holder, s->me.user) != 0)
        rc = set_holder(s, case_id, "takeover", c.holder, s->me.user, err, errsz);
    if (rc == 0 && previous)
        store_copy(previous, prevsz, c.holder);
    return finish(s, rc, err, errsz);
}

/* ---- verdicts, evidence, comments ------------------------------------------ */

static int span_ok(store *s, const char *case_id, int note, size_t start, size_t end,
                   char *err, size_t errsz)
{
    sqlite3_stmt *st;
    long long len = -1;
    if (sqlite3_prepare_v2(s->db, "SELECT length(text) FROM notes WHERE case_id=? AND seq=?",
                           -1, &st, NULL) != SQLITE_OK)
        return store_dberr(s, err, errsz, "notes");
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, note);
    if (sqlite3_step(st) == SQLITE_ROW)
        len = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (len < 0)
        return store_fail(err, errsz, "case %s has no note %d", case_id, note);
    if (start >= end || end > (size_t)len)
        return store_fail(err, errsz, "span %zu-%zu is not inside note %d (%lld bytes)",
                          start, end, note, len);
    return 0;
}

static int verdict_rules(store *s, const char *case_id, const case_now *c,
                         const char *criterion, store_origin origin, const char *reason,
                         const char *comment, const store_span *ev, char *err, size_t errsz)
{
    if (may_work(s, case_id, c, err, errsz) < 0)
        return -1;
    if (!c->review)
        return store_fail(err, errsz, "no review of case %s has begun", case_id);
    if (!store_valid_id(criterion, STORE_CRIT_MAX - 1))
        return store_fail(err, errsz, "not a criterion id");
    if ((int)origin < 0 || origin > STORE_ORIGIN_MANUAL)
        return store_fail(err, errsz, "not a verdict origin");
    if (text_ok(reason, "reason for the override", origin == STORE_ORIGIN_OVERRIDDEN, err,
                errsz) < 0 || text_ok(comment, "comment", 0, err, errsz) < 0)
        return -1;
    return ev ? span_ok(s, case_id, ev->note, ev->start, ev->end, err, errsz) : 0;
}

static int insert_verdict(store *s, const char *case_id, const case_now *c,
                          const char *criterion, store_verdict verdict, store_origin origin,
                          const char *reason, const char *comment, const store_span *ev,
                          char *err, size_t errsz)
{
    long long id;
    json_t *d = json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:s}", "criterion", criterion, "verdict",
                          store_verdict_name(verdict), "origin", store_origin_name(origin),
                          "reason", reason ? reason : "", "comment", comment ? comment : "",
                          "review", (json_int_t)c->review, "role",
                          store_role_name(s->me.role));
    if (d && ev)
        json_object_set_new(d, "evidence", json_pack("[i,I,I]", ev->note,
                                                     (json_int_t)ev->start,
                                                     (json_int_t)ev->end));
    long long aid = record_audit(s, "verdict", "verdicts", case_id, d, &id, err, errsz);
    if (aid < 0)
        return -1;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO verdicts(review_id,case_id,criterion,verdict,origin,"
                           "reason,comment,ev_note,ev_start,ev_end,user,role,at,audit_id,id)"
                           " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK)
        return store_dberr(s, err, errsz, "verdict");
    sqlite3_bind_int64(st, 1, c->review);
    const char *t[] = {case_id, criterion, store_verdict_name(verdict),
                       store_origin_name(origin), reason ? reason : "", comment ? comment : ""};
    for (int i = 0; i < 6; i++)
        sqlite3_bind_text(st, i + 2, t[i], -1, SQLITE_STATIC);
    if (ev) {
        sqlite3_bind_int(st, 8, ev->note);
        sqlite3_bind_int64(st, 9, (long long)ev->start);
        sqlite3_bind_int64(st, 10, (long long)ev->end);
    }
    sqlite3_bind_text(st, 11, s->me.user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 12, store_role_name(s->me.role), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 13, (long long)store_now(s));
    sqlite3_bind_int64(st, 14, aid);
    sqlite3_bind_int64(st, 15, id);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : store_dberr(s, err, errsz, "verdict");
}

int store_verdict_record(store *s, const char *case_id, const char *criterion,
                         store_verdict verdict, store_origin origin, const char *reason,
                         const char *comment, const store_span *evidence, char *err,
                         size_t errsz)
{
    case_now c;
    if ((int)verdict < 0 || verdict > STORE_VERDICT_NA)
        return store_fail(err, errsz, "not a verdict");
    if (store_begin(s, err, errsz) < 0)
        return -1;
    int rc = load_now(s, case_id, &c, err, errsz);
    if (rc == 0)
        rc = verdict_rules(s, case_id, &c, criterion, origin, reason, comment, evidence, err,
                           errsz);
    if (rc == 0)
        rc = insert_verdict(s, case_id, &c, criterion, verdict, origin, reason, comment,
                            evidence, err, errsz);
    return finish(s, rc, err, errsz);
}

int store_evidence_mark(store *s, const char *case_id, const char *criterion, int note,
                        size_t start, size_t end, char *err, size_t errsz)
{
    case_now c;
    if (store_begin(s, err, errsz) < 0)
        return -1;
    int rc = load_now(s, case_id, &c, err, errsz);
    if (rc == 0)
        rc = may_work(s, case_id, &c, err, errsz);
    if (rc == 0 && !c.review)
        rc = store_fail(err, errsz, "no review of case %s has begun", case_id);
    if (rc == 0 && !store_valid_id(criterion, STORE_CRIT_MAX - 1))
        rc = store_fail(err, errsz, "not a criterion id");
    if (rc == 0)
        rc = span_ok(s, case_id, note, start, end, err, errsz);
    long long aid = -1, id = 0;
    if (rc == 0)
        aid = record_audit(s, "evidence", "evidence", case_id,
                           json_pack("{s:s,s:[i,I,I],s:I}", "criterion", criterion, "span",
                                     note, (json_int_t)start, (json_int_t)end, "review",
                                     (json_int_t)c.review), &id, err, errsz);
    if (rc == 0 && aid < 0)
        rc = -1;
    if (rc == 0) {
        const char *t[] = {case_id, criterion, s->me.user};
        long long n[] = {c.review, note, (long long)start, (long long)end,
                         (long long)store_now(s), aid, id};
        rc = run(s, "INSERT INTO evidence(case_id,criterion,user,review_id,note,start,end,"
                    "at,audit_id,id) VALUES(?,?,?,?,?,?,?,?,?,?)", t, 3, n, 7, err, errsz);
    }
    return finish(s, rc, err, errsz);
}

int store_comment_add(store *s, const char *case_id, const char *criterion,
                      const char *text, char *err, size_t errsz)
{
    case_now c;
    if (text_ok(text, "comment", 1, err, errsz) < 0)
        return -1;
    if (criterion && !store_valid_id(criterion, STORE_CRIT_MAX - 1))
        return store_fail(err, errsz, "not a criterion id");
    if (store_begin(s, err, errsz) < 0)
        return -1;
    int rc = load_now(s, case_id, &c, err, errsz);
    if (rc == 0 && s->me.role == STORE_ROLE_NONE)
        rc = store_fail(err, errsz, "%s has no reviewer role", s->me.user);
    long long aid = -1, id = 0;
    if (rc == 0) /* A comment may come before any review: then "review" is null. */
        aid = record_audit(s, "comment", "comments", case_id,
                           json_pack("{s:s,s:s,s:o}", "criterion", criterion ? criterion : "",
                                     "text", text, "review",
                                     c.review ? json_integer((json_int_t)c.review)
                                              : json_null()), &id, err, errsz);
    if (rc == 0 && aid < 0)
        rc = -1;
    if (rc == 0) {
        const char *t[] = {case_id, criterion ? criterion : "", text, s->me.user};
        long long n[] = {c.review, (long long)store_now(s), aid, id};
        rc = run(s, "INSERT INTO comments(case_id,criterion,text,user,review_id,at,audit_id,id)"
                    " VALUES(?,?,?,?,nullif(?,0),?,?,?)", t, 4, n, 4, err, errsz);
    }
    return finish(s, rc, err, errsz);
}

int store_record_may_work(store *s, const char *case_id, store_status *status,
                          char *holder, size_t holdersz, long long *review, char *err,
                          size_t errsz)
{
    case_now c;
    if (load_now(s, case_id, &c, err, errsz) < 0)
        return -1;
    *status = c.status;
    store_copy(holder, holdersz, c.holder);
    *review = c.review;
    return may_work(s, case_id, &c, err, errsz);
}
