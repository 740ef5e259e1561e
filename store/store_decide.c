/* store_decide: decisions (with the role rules and the evidence-seen
 * check), the latest verdicts of a case, and the per-reviewer UI state. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"

/* ---- what the reviewer has seen ------------------------------------------ */

static int was_shown(const store *s, int note, long long start, long long end)
{
    for (size_t i = 0; i < s->nshown; i++)
        if (s->shown[i].note == note && (long long)s->shown[i].start < end &&
            (long long)s->shown[i].end > start)
            return 1;
    return 0;
}

/* The evidence of the latest review (the spans verdicts rest on and the
 * hand-marked ones): was every span on screen in this session? */
static unsigned seen_warnings(store *s, const char *case_id, long long review)
{
    unsigned w = 0;
    int open = store_seconds_open(s, case_id) >= 0;
    if (!open || s->nshown == 0)
        w |= STORE_WARN_NOTES_UNSEEN;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT ev_note,ev_start,ev_end FROM verdicts WHERE id IN"
                           " (SELECT max(id) FROM verdicts WHERE review_id=?1 GROUP BY criterion)"
                           " AND ev_note IS NOT NULL"
                           " UNION ALL SELECT note,start,end FROM evidence WHERE review_id=?1",
                           -1, &st, NULL) != SQLITE_OK)
        return w;
    sqlite3_bind_int64(st, 1, review);
    while (sqlite3_step(st) == SQLITE_ROW)
        if (!open || !was_shown(s, sqlite3_column_int(st, 0), sqlite3_column_int64(st, 1),
                                sqlite3_column_int64(st, 2)))
            w |= STORE_WARN_EVIDENCE_UNSEEN;
    sqlite3_finalize(st);
    return w;
}

/* ---- the rules ---------------------------------------------------------------- */

typedef struct {
    store_status status;
    char holder[STORE_USER_MAX];
    long long review;
} decide_now;

static int role_rules(const store *s, store_decision d, store_outcome outcome, char *err,
                      size_t errsz)
{
    store_role r = s->me.role;
    if (r == STORE_ROLE_TRAINEE)
        return 0; /* practice: any decision, never a determination */
    if (d == STORE_DECISION_DENY && r != STORE_ROLE_PHYSICIAN)
        return store_fail(err, errsz, "only a physician reviewer may deny (an adverse "
                                      "determination): refer the case instead");
    if (d == STORE_DECISION_APPROVE && r == STORE_ROLE_NURSE && outcome != STORE_OUTCOME_MEETS)
        return store_fail(err, errsz, "a nurse reviewer approves only when the criteria are "
                                      "met (outcome: %s): pend or refer",
                          store_outcome_name(outcome));
    return 0;
}

static int check(store *s, const char *case_id, store_decision d, store_outcome outcome,
                 decide_now *c, unsigned *warnings, char *err, size_t errsz)
{
    if ((int)d < 0 || d > STORE_DECISION_REFER)
        return store_fail(err, errsz, "not a decision");
    if ((int)outcome < 0 || outcome > STORE_OUTCOME_INSUFFICIENT)
        return store_fail(err, errsz, "not an outcome");
    /* The shared rules live with the other records. */
    if (store_record_may_work(s, case_id, &c->status, c->holder, sizeof c->holder,
                              &c->review, err, errsz) < 0)
        return -1;
    if (!c->review)
        return store_fail(err, errsz, "no review of case %s has begun", case_id);
    if (role_rules(s, d, outcome, err, errsz) < 0)
        return -1;
    unsigned w = seen_warnings(s, case_id, c->review);
    if (s->me.role == STORE_ROLE_TRAINEE)
        w |= STORE_WARN_PRACTICE;
    if (warnings)
        *warnings = w;
    return 0;
}

int store_decision_check(store *s, const char *case_id, store_decision d,
                         store_outcome outcome, unsigned *warnings, char *err, size_t errsz)
{
    decide_now c;
    /* A read transaction: the same snapshot for every rule. */
    sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL);
    int rc = check(s, case_id, d, outcome, &c, warnings, err, errsz);
    sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    return rc;
}

/* ---- recording ---------------------------------------------------------------- */

static json_t *warning_list(unsigned w)
{
    json_t *a = json_array();
    for (int i = 0; i < STORE_NWARNINGS; i++)
        if (w & (1u << i))
            json_array_append_new(a, json_string(store_warning_names[i]));
    return a;
}

/* The audit row carries the decision's id and every field of it, and,
 * for a determination, the case's queue state it leaves. */
static long long decision_audit(store *s, const char *case_id, store_decision d,
                                store_outcome outcome, const char *rationale,
                                const decide_now *c, unsigned w, int counts, long long id,
                                char *err, size_t errsz)
{
    char *shown = store_shown_json(s);
    json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:b,s:I,s:o}", "id", (json_int_t)id,
                          "decision", store_decision_name(d), "outcome",
                          store_outcome_name(outcome), "rationale", rationale ? rationale : "",
                          "role", store_role_name(s->me.role), "counts", counts, "review",
                          (json_int_t)c->review, "warnings", warning_list(w));
    json_t *state = counts ? store_case_state_json(s, case_id) : NULL;
    if (!o || (counts && !state)) {
        free(shown);
        json_decref(o);
        return store_dberr(s, err, errsz, "decision");
    }
    json_object_set_new(o, "displayed", shown ? json_loads(shown, 0, NULL) : json_array());
    free(shown);
    if (state)
        json_object_set_new(o, "state", state);
    return store_audit_json(s, "decision", case_id, o, err, errsz);
}

static const char *new_status(store_decision d)
{
    static const char *const st[] = {"approved", "denied", "pended", "referred"};
    return st[d];
}

/* A determination closes the case or hands it on; the claim ends except
 * on a pend, when the reviewer waits for the information. */
static int update_state(store *s, const char *case_id, store_decision d, char *err,
                        size_t errsz)
{
    sqlite3_stmt *st;
    int keep = d == STORE_DECISION_PEND;
    if (sqlite3_prepare_v2(s->db,
                           "UPDATE case_state SET status=?2, closed=?3,"
                           " holder=CASE WHEN ?4 THEN holder END,"
                           " held_since=CASE WHEN ?4 THEN held_since END WHERE case_id=?1",
                           -1, &st, NULL) != SQLITE_OK)
        return store_dberr(s, err, errsz, "decision");
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, new_status(d), -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, d == STORE_DECISION_APPROVE || d == STORE_DECISION_DENY);
    sqlite3_bind_int(st, 4, keep);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : store_dberr(s, err, errsz, "decision");
}

static int insert_decision(store *s, const char *case_id, store_decision d,
                           store_outcome outcome, const char *rationale, const decide_now *c,
                           unsigned w, char *err, size_t errsz)
{
    int counts = s->me.role != STORE_ROLE_TRAINEE;
    long long id = store_next_id(s, "decisions");
    if (id < 0)
        return store_dberr(s, err, errsz, "decision");
    if (counts && update_state(s, case_id, d, err, errsz) < 0)
        return -1;
    long long aid = decision_audit(s, case_id, d, outcome, rationale, c, w, counts, id, err,
                                   errsz);
    if (aid < 0)
        return -1;
    long open = store_seconds_open(s, case_id);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO decisions(review_id,case_id,decision,outcome,rationale,"
                           "user,role,counts,warnings,seconds_open,at,audit_id,id)"
                           " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK)
        return store_dberr(s, err, errsz, "decision");
    sqlite3_bind_int64(st, 1, c->review);
    const char *t[] = {case_id, store_decision_name(d), store_outcome_name(outcome),
                       rationale ? rationale : "", s->me.user, store_role_name(s->me.role)};
    for (int i = 0; i < 6; i++)
        sqlite3_bind_text(st, i + 2, t[i], -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 8, counts);
    sqlite3_bind_int(st, 9, (int)w);
    if (open >= 0)
        sqlite3_bind_int64(st, 10, open);
    sqlite3_bind_int64(st, 11, (long long)store_now(s));
    sqlite3_bind_int64(st, 12, aid);
    sqlite3_bind_int64(st, 13, id);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : store_dberr(s, err, errsz, "decision");
}

int store_decision_record(store *s, const char *case_id, store_decision d,
                          store_outcome outcome, const char *rationale, unsigned *warnings,
                          char *err, size_t errsz)
{
    decide_now c;
    unsigned w = 0;
    size_t n = rationale ? strlen(rationale) : 0;
    if (n > 8192)
        return store_fail(err, errsz, "the rationale is longer than 8192 bytes");
    if (n == 0 && d != STORE_DECISION_APPROVE && (int)d >= 0 && d <= STORE_DECISION_REFER)
        return store_fail(err, errsz, "a rationale is required to %s", store_decision_name(d));
    if (store_begin(s, err, errsz) < 0)
        return -1;
    int rc = check(s, case_id, d, outcome, &c, &w, err, errsz);
    if (rc == 0)
        rc = insert_decision(s, case_id, d, outcome, rationale, &c, w, err, errsz);
    if (rc < 0) {
        store_rollback(s);
        return -1;
    }
    if (store_commit(s, err, errsz) < 0)
        return -1;
    if (warnings)
        *warnings = w;
    return 0;
}

/* ---- reading the verdicts back ------------------------------------------------ */

static char *dup_col(sqlite3_stmt *st, int col)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    return strdup(t ? t : "");
}

static int fill_verdict(sqlite3_stmt *st, store_verdict_row *r)
{
    memset(r, 0, sizeof *r);
    store_col(st, 0, r->criterion, sizeof r->criterion);
    store_verdict_parse((const char *)sqlite3_column_text(st, 1), &r->verdict);
    store_origin_parse((const char *)sqlite3_column_text(st, 2), &r->origin);
    store_col(st, 3, r->reviewer, sizeof r->reviewer);
    r->at = (time_t)sqlite3_column_int64(st, 4);
    r->reason = dup_col(st, 5);
    r->comment = dup_col(st, 6);
    if (sqlite3_column_type(st, 7) != SQLITE_NULL) {
        r->has_evidence = 1;
        r->evidence.note = sqlite3_column_int(st, 7);
        r->evidence.start = (size_t)sqlite3_column_int64(st, 8);
        r->evidence.end = (size_t)sqlite3_column_int64(st, 9);
    }
    return r->reason && r->comment ? 0 : -1;
}

int store_latest_verdicts(store *s, const char *case_id, store_verdict_row **out,
                          size_t *n, char *err, size_t errsz)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT criterion,verdict,origin,user,at,reason,comment,ev_note,"
                           "ev_start,ev_end FROM verdicts v WHERE id IN (SELECT max(id) FROM"
                           " verdicts WHERE review_id=(SELECT max(id) FROM reviews WHERE"
                           " case_id=?1) GROUP BY criterion) ORDER BY (SELECT min(id) FROM"
                           " verdicts w WHERE w.review_id=v.review_id AND"
                           " w.criterion=v.criterion)", -1, &st, NULL) != SQLITE_OK)
        return store_dberr(s, err, errsz, "verdicts");
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    int rc = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        store_verdict_row *p = realloc(*out, (*n + 1) * sizeof *p);
        if (!p) {
            rc = store_fail(err, errsz, "out of memory");
            break;
        }
        *out = p;
        rc = fill_verdict(st, &p[(*n)++]);
    }
    sqlite3_finalize(st);
    if (rc < 0) {
        store_verdicts_free(*out, *n);
        *out = NULL;
        *n = 0;
        return store_fail(err, errsz, "out of memory");
    }
    return 0;
}

void store_verdicts_free(store_verdict_row *rows, size_t n)
{
    for (size_t i = 0; rows && i < n; i++) {
        free(rows[i].reason);
        free(rows[i].comment);
    }
    free(rows);
}

int store_evidence_list(store *s, const char *case_id, store_mark **out, size_t *n,
                        char *err, size_t errsz)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT criterion,note,start,end FROM evidence WHERE review_id="
                           "(SELECT max(id) FROM reviews WHERE case_id=?) ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return store_dberr(s, err, errsz, "evidence");
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        store_mark *p = realloc(*out, (*n + 1) * sizeof *p);
        if (!p) {
            sqlite3_finalize(st);
            return store_fail(err, errsz, "out of memory");
        }
        *out = p;
        p += (*n)++;
        store_col(st, 0, p->criterion, sizeof p->criterion);
        p->span.note = sqlite3_column_int(st, 1);
        p->span.start = (size_t)sqlite3_column_int64(st, 2);
        p->span.end = (size_t)sqlite3_column_int64(st, 3);
    }
    sqlite3_finalize(st);
    return 0;
}

/* ---- UI state ------------------------------------------------------------------ */

int store_ui_state_get(store *s, const char *case_id, store_ui_state *ui, char *err,
                       size_t errsz)
{
    memset(ui, 0, sizeof *ui);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT criterion,note,scroll FROM ui_state WHERE user=? AND case_id=?",
                           -1, &st, NULL) != SQLITE_OK)
        return store_dberr(s, err, errsz, "ui state");
    sqlite3_bind_text(st, 1, s->me.user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, case_id, -1, SQLITE_STATIC);
    int rc = 1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        store_col(st, 0, ui->criterion, sizeof ui->criterion);
        ui->note = sqlite3_column_int(st, 1);
        ui->scroll = (long)sqlite3_column_int64(st, 2);
        rc = 0;
    }
    sqlite3_finalize(st);
    return rc;
}

/* Not a record: overwritten in place, and not audited. */
int store_ui_state_put(store *s, const char *case_id, const store_ui_state *ui, char *err,
                       size_t errsz)
{
    sqlite3_stmt *st;
    if (!store_valid_id(case_id, STORE_ID_MAX - 1))
        return store_fail(err, errsz, "not a case id");
    if (sqlite3_prepare_v2(s->db,
                           "INSERT OR REPLACE INTO ui_state(user,case_id,criterion,note,scroll,at)"
                           " VALUES(?,?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK)
        return store_dberr(s, err, errsz, "ui state");
    sqlite3_bind_text(st, 1, s->me.user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, ui->criterion, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, ui->note);
    sqlite3_bind_int64(st, 5, ui->scroll);
    sqlite3_bind_int64(st, 6, (long long)store_now(s));
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : store_dberr(s, err, errsz, "ui state");
}
