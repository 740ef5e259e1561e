/* store_case: reading a case, the case open for work (its clock and the
 * note spans displayed), reviews under a policy version, and claims. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"

/* ---- reading ------------------------------------------------------------ */

static int read_header(store *s, store_case *c, char *err, size_t errsz)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT c.id,member_name,member_dob,member_sex,member_id,"
                           "provider_name,provider_npi,payer_id,payer_name,policy_id,section,"
                           "urgency,received,c.due,st.status,coalesce(st.holder,''),"
                           "coalesce(st.held_since,0)"
                           " FROM cases c JOIN case_state st ON st.case_id=c.id WHERE c.id=?",
                           -1, &st, NULL) != SQLITE_OK)
        return store_dberr(s, err, errsz, "case");
    sqlite3_bind_text(st, 1, c->id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        store_col(st, 1, c->member_name, sizeof c->member_name);
        store_col(st, 2, c->member_dob, sizeof c->member_dob);
        store_col(st, 3, c->member_sex, sizeof c->member_sex);
        store_col(st, 4, c->member_id, sizeof c->member_id);
        store_col(st, 5, c->provider_name, sizeof c->provider_name);
        store_col(st, 6, c->provider_npi, sizeof c->provider_npi);
        store_col(st, 7, c->payer_id, sizeof c->payer_id);
        store_col(st, 8, c->payer_name, sizeof c->payer_name);
        store_col(st, 9, c->policy_id, sizeof c->policy_id);
        store_col(st, 10, c->section, sizeof c->section);
        c->urgency = strcmp((const char *)sqlite3_column_text(st, 11), "urgent") == 0
                         ? STORE_URGENT : STORE_STANDARD;
        c->received = (time_t)sqlite3_column_int64(st, 12);
        c->due = (time_t)sqlite3_column_int64(st, 13);
        const char *status = (const char *)sqlite3_column_text(st, 14);
        for (int i = 0; i <= STORE_STATUS_DENIED; i++)
            if (strcmp(status, store_status_name((store_status)i)) == 0)
                c->status = (store_status)i;
        store_col(st, 15, c->holder, sizeof c->holder);
        c->held_since = (time_t)sqlite3_column_int64(st, 16);
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE)
        return store_fail(err, errsz, "no case %s in the store", c->id);
    return store_dberr(s, err, errsz, "case");
}

static int read_services(store *s, store_case *c, char *err, size_t errsz)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT code,modifier,units,dos FROM services WHERE case_id=?"
                           " ORDER BY seq", -1, &st, NULL) != SQLITE_OK)
        return store_dberr(s, err, errsz, "services");
    sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        store_service *p = realloc(c->services, (c->nservices + 1) * sizeof *p);
        if (!p)
            break;
        c->services = p;
        p += c->nservices++;
        store_col(st, 0, p->code, sizeof p->code);
        store_col(st, 1, p->modifier, sizeof p->modifier);
        p->units = sqlite3_column_int(st, 2);
        store_col(st, 3, p->dos, sizeof p->dos);
    }
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(s->db, "SELECT code FROM diagnoses WHERE case_id=? ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK)
        return store_dberr(s, err, errsz, "diagnoses");
    sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        char(*p)[16] = realloc(c->diagnoses, (c->ndiagnoses + 1) * sizeof *p);
        if (!p)
            break;
        c->diagnoses = p;
        store_col(st, 0, p[c->ndiagnoses++], 16);
    }
    sqlite3_finalize(st);
    return 0;
}

static int read_notes(store *s, store_case *c, char *err, size_t errsz)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT name,text FROM notes WHERE case_id=? ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK)
        return store_dberr(s, err, errsz, "notes");
    sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
    int rc = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        store_note *p = realloc(c->notes, (c->nnotes + 1) * sizeof *p);
        if (!p) {
            rc = store_fail(err, errsz, "out of memory");
            break;
        }
        c->notes = p;
        p += c->nnotes;
        size_t len = (size_t)sqlite3_column_bytes(st, 1);
        p->text = malloc(len + 1);
        if (!p->text) {
            rc = store_fail(err, errsz, "out of memory");
            break;
        }
        if (len)
            memcpy(p->text, sqlite3_column_blob(st, 1), len);
        p->text[len] = '\0';
        p->len = len;
        store_col(st, 0, p->name, sizeof p->name);
        c->nnotes++;
    }
    sqlite3_finalize(st);
    return rc;
}

static void read_version(store *s, store_case *c)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT policy_id,effective,revision,section FROM reviews"
                           " WHERE case_id=? ORDER BY id DESC LIMIT 1", -1, &st,
                           NULL) != SQLITE_OK)
        return;
    sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        c->reviewed = 1;
        store_col(st, 0, c->version.policy_id, sizeof c->version.policy_id);
        store_col(st, 1, c->version.effective, sizeof c->version.effective);
        store_col(st, 2, c->version.revision, sizeof c->version.revision);
        store_col(st, 3, c->version.section, sizeof c->version.section);
    }
    sqlite3_finalize(st);
}

int store_case_get(store *s, const char *case_id, store_case **out, char *err,
                   size_t errsz)
{
    *out = NULL;
    if (!store_valid_id(case_id, STORE_ID_MAX - 1))
        return store_fail(err, errsz, "not a case id");
    store_case *c = calloc(1, sizeof *c);
    if (!c)
        return store_fail(err, errsz, "out of memory");
    store_copy(c->id, sizeof c->id, case_id);
    /* One read transaction: the case as it stood at one moment. */
    sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL);
    int rc = read_header(s, c, err, errsz);
    if (rc == 0)
        rc = read_services(s, c, err, errsz);
    if (rc == 0)
        rc = read_notes(s, c, err, errsz);
    if (rc == 0)
        read_version(s, c);
    sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    if (rc < 0) {
        store_case_free(c);
        return -1;
    }
    *out = c;
    return 0;
}

void store_case_free(store_case *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nnotes; i++)
        free(c->notes[i].text);
    free(c->notes);
    free(c->services);
    free(c->diagnoses);
    free(c);
}

int store_case_state(store *s, const char *case_id, store_status *status,
                     char *holder, size_t holdersz, char *err, size_t errsz)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT status,coalesce(holder,'') FROM case_state WHERE case_id=?",
                           -1, &st, NULL) != SQLITE_OK)
        return store_dberr(s, err, errsz, "case");
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st), found = 1;
    if (rc == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        *status = STORE_STATUS_OPEN;
        for (int i = 0; i <= STORE_STATUS_DENIED; i++)
            if (strcmp(name, store_status_name((store_status)i)) == 0)
                *status = (store_status)i;
        store_col(st, 1, holder, holdersz);
        found = 0;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_dberr(s, err, errsz, "case");
    return found;
}

long long store_review_id(store *s, const char *case_id, char *err, size_t errsz)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT max(id) FROM reviews WHERE case_id=?", -1, &st,
                           NULL) != SQLITE_OK)
        return store_dberr(s, err, errsz, "reviews");
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    long long id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return id;
}

/* ---- the case open for work ---------------------------------------------- */

long store_seconds_open(const store *s, const char *case_id)
{
    if (!s->open_case[0] || strcmp(s->open_case, case_id) != 0)
        return -1;
    return (long)(store_now(s) - s->opened_at);
}

char *store_shown_json(const store *s)
{
    json_t *a = json_array();
    for (size_t i = 0; i < s->nshown; i++)
        json_array_append_new(a, json_pack("[i,I,I]", s->shown[i].note,
                                           (json_int_t)s->shown[i].start,
                                           (json_int_t)s->shown[i].end));
    char *text = json_dumps(a, JSON_COMPACT);
    json_decref(a);
    return text;
}

int store_case_open(store *s, const char *case_id, char *err, size_t errsz)
{
    store_status st;
    char holder[STORE_USER_MAX];
    if (s->open_case[0] && store_case_close(s, err, errsz) < 0)
        return -1;
    if (!store_valid_id(case_id, STORE_ID_MAX - 1))
        return store_fail(err, errsz, "not a case id");
    int found = store_case_state(s, case_id, &st, holder, sizeof holder, err, errsz);
    if (found != 0)
        return found < 0 ? -1 : store_fail(err, errsz, "no case %s in the store", case_id);
    if (store_audit_event(s, "open", case_id, json_object(), err, errsz) < 0)
        return -1;
    store_copy(s->open_case, sizeof s->open_case, case_id);
    s->opened_at = store_now(s);
    s->nshown = 0;
    return 0;
}

int store_case_close(store *s, char *err, size_t errsz)
{
    if (!s->open_case[0])
        return 0;
    char *shown = store_shown_json(s);
    json_t *o = json_object();
    json_object_set_new(o, "displayed", shown ? json_loads(shown, 0, NULL) : json_array());
    free(shown);
    int rc = store_audit_event(s, "close", s->open_case, o, err, errsz);
    s->open_case[0] = '\0';
    s->nshown = 0;
    return rc;
}

static int cmp_shown(const void *a, const void *b)
{
    const store_shown *x = a, *y = b;
    if (x->note != y->note)
        return x->note < y->note ? -1 : 1;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* Keeps the spans sorted and merged so a long session stays small. */
int store_displayed(store *s, int note, size_t start, size_t end)
{
    if (!s->open_case[0] || note < 0 || end <= start)
        return -1;
    if (s->nshown == s->capshown) {
        size_t cap = s->capshown ? s->capshown * 2 : 16;
        store_shown *p = realloc(s->shown, cap * sizeof *p);
        if (!p)
            return -1;
        s->shown = p;
        s->capshown = cap;
    }
    s->shown[s->nshown++] = (store_shown){note, start, end};
    qsort(s->shown, s->nshown, sizeof s->shown[0], cmp_shown);
    size_t out = 0;
    for (size_t i = 1; i < s->nshown; i++) {
        store_shown *p = &s->shown[out], *q = &s->shown[i];
        if (q->note == p->note && q->start <= p->end) {
            if (q->end > p->end)
                p->end = q->end;
        } else {
            s->shown[++out] = *q;
        }
    }
    s->nshown = out + 1;
    return 0;
}

/* ---- reviews ---------------------------------------------------------------- */

static int same_version(store *s, const char *case_id, const store_policy_version *v)
{
    sqlite3_stmt *st;
    int same = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT policy_id=?2 AND effective=?3 AND revision=?4 AND section=?5"
                           " FROM reviews WHERE case_id=?1 ORDER BY id DESC LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, v->policy_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, v->effective, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, v->revision, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, v->section, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        same = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return same;
}

static int insert_review(store *s, const char *case_id, const store_policy_version *v,
                         char *err, size_t errsz)
{
    long long id = store_next_id(s, "reviews");
    if (id < 0)
        return store_dberr(s, err, errsz, "review");
    json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)id, "policy",
                          v->policy_id, "effective", v->effective, "revision", v->revision,
                          "section", v->section);
    if (!o)
        return store_fail(err, errsz, "out of memory");
    long long aid = store_audit_json(s, "review", case_id, o, err, errsz);
    if (aid < 0)
        return -1;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO reviews(case_id,policy_id,effective,revision,section,"
                           "user,at,audit_id,id) VALUES(?,?,?,?,?,?,?,?,?)", -1, &st,
                           NULL) != SQLITE_OK)
        return store_dberr(s, err, errsz, "review");
    const char *t[] = {case_id, v->policy_id, v->effective, v->revision, v->section, s->me.user};
    for (int i = 0; i < 6; i++)
        sqlite3_bind_text(st, i + 1, t[i], -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, (long long)store_now(s));
    sqlite3_bind_int64(st, 8, aid);
    sqlite3_bind_int64(st, 9, id);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : store_dberr(s, err, errsz, "review");
}

int store_review_begin(store *s, const char *case_id, const store_policy_version *v,
                       char *err, size_t errsz)
{
    store_status st;
    char holder[STORE_USER_MAX];
    if (!v || !store_valid_id(v->policy_id, 64) || !v->effective[0] || !v->section[0])
        return store_fail(err, errsz, "a review needs a policy id, effective date and section");
    if (!store_valid_id(case_id, STORE_ID_MAX - 1))
        return store_fail(err, errsz, "not a case id");
    if (store_begin(s, err, errsz) < 0)
        return -1;
    int found = store_case_state(s, case_id, &st, holder, sizeof holder, err, errsz);
    int rc = found;
    if (found == 1)
        rc = store_fail(err, errsz, "no case %s in the store", case_id);
    else if (found == 0 && !same_version(s, case_id, v))
        rc = insert_review(s, case_id, v, err, errsz);
    if (rc < 0) {
        store_rollback(s);
        return -1;
    }
    return store_commit(s, err, errsz);
}
