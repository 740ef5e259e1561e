/* store_queue: the work queue, read through the (closed, due) index so the
 * first screenful of a 100,000-case store comes back at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"

#define QUEUE_DEFAULT_LIMIT 1000

static const char *order_by(store_sort sort)
{
    switch (sort) {
    case STORE_SORT_URGENCY: return " ORDER BY st.urgent DESC, st.due";
    case STORE_SORT_RECEIVED: return " ORDER BY c.received, c.id";
    case STORE_SORT_CASE: return " ORDER BY c.id";
    case STORE_SORT_DUE:
    default: return " ORDER BY st.due";
    }
}

/* The WHERE clause: written out rather than bound so the planner sees
 * `closed=0` and walks the index. */
static void where(const store *s, const store_queue_opts *o, const char *extra,
                  char *buf, size_t sz)
{
    int all = o && o->all;
    int sees_referred = s->me.role == STORE_ROLE_PHYSICIAN || s->me.admin;
    snprintf(buf, sz, " WHERE 1%s%s%s%s", all ? "" : " AND st.closed=0",
             all || sees_referred ? "" : " AND st.status<>'referred'",
             o && o->filter && *o->filter
                 ? " AND (c.id LIKE ?1 ESCAPE '\\' OR c.member_name LIKE ?1 ESCAPE '\\'"
                   " OR c.service LIKE ?1 ESCAPE '\\' OR c.policy_id LIKE ?1 ESCAPE '\\')"
                 : "",
             extra);
}

/* "%filter%" with LIKE's own characters escaped. */
static char *like_pattern(const char *f)
{
    size_t n = strlen(f);
    char *p = malloc(2 * n + 3), *q = p;
    if (!p)
        return NULL;
    *q++ = '%';
    for (; *f; f++) {
        if (*f == '%' || *f == '_' || *f == '\\')
            *q++ = '\\';
        *q++ = *f;
    }
    *q++ = '%';
    *q = '\0';
    return p;
}

static long long count(store *s, const store_queue_opts *o, const char *pat,
                       const char *index, const char *extra)
{
    char w[512], sql[1024];
    where(s, o, extra, w, sizeof w);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM case_state st%s%s%s", index,
             pat ? " JOIN cases c ON c.id=st.case_id" : "", w);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, pat, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (long long)store_now(s));
    sqlite3_bind_text(st, 3, s->me.user, -1, SQLITE_STATIC);
    long long n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}

/* Three counts, each a range of an index (measured faster than one pass
 * that sums expressions per row). */
static int counts_of(store *s, const store_queue_opts *o, const char *pat,
                     store_queue_counts *c)
{
    long long t = count(s, o, pat, "", "");
    long long od = count(s, o, pat, "", " AND st.closed=0 AND st.due<?2");
    /* A reviewer holds a handful of cases: the holder index, not a walk
     * of every open case in the (covering) queue index. */
    long long m = count(s, o, pat, " INDEXED BY case_state_holder", " AND st.holder=?3");
    if (t < 0 || od < 0 || m < 0)
        return -1;
    c->total = (size_t)t;
    c->overdue = (size_t)od;
    c->mine = (size_t)m;
    return 0;
}

static int age_at(const char *dob, time_t now)
{
    int y, m, d;
    if (sscanf(dob, "%d-%d-%d", &y, &m, &d) != 3)
        return -1;
    struct tm tm;
    gmtime_r(&now, &tm);
    int age = tm.tm_year + 1900 - y;
    if (tm.tm_mon + 1 < m || (tm.tm_mon + 1 == m && tm.tm_mday < d))
        age--;
    return age >= 0 && age < 150 ? age : -1;
}

static void fill_item(store *s, sqlite3_stmt *st, store_queue_item *q, time_t now)
{
    memset(q, 0, sizeof *q);
    store_col(st, 0, q->case_id, sizeof q->case_id);
    q->urgency = sqlite3_column_int(st, 1) ? STORE_URGENT : STORE_STANDARD;
    const char *status = (const char *)sqlite3_column_text(st, 2);
    for (int i = 0; i <= STORE_STATUS_DENIED; i++)
        if (status && strcmp(status, store_status_name((store_status)i)) == 0)
            q->status = (store_status)i;
    q->received = (time_t)sqlite3_column_int64(st, 3);
    q->due = (time_t)sqlite3_column_int64(st, 4);
    q->time_left = (long long)q->due - (long long)now;
    q->overdue = q->time_left < 0 && q->status != STORE_STATUS_APPROVED &&
                 q->status != STORE_STATUS_DENIED;
    store_col(st, 5, q->member_name, sizeof q->member_name);
    store_col(st, 6, q->member_sex, sizeof q->member_sex);
    store_col(st, 7, q->member_dob, sizeof q->member_dob);
    q->member_age = age_at(q->member_dob, now);
    store_col(st, 8, q->service, sizeof q->service);
    store_col(st, 9, q->payer, sizeof q->payer);
    store_col(st, 10, q->policy_id, sizeof q->policy_id);
    store_col(st, 11, q->section, sizeof q->section);
    store_col(st, 12, q->holder, sizeof q->holder);
    store_col(st, 13, q->holder_name, sizeof q->holder_name);
    q->mine = q->holder[0] && strcmp(q->holder, s->me.user) == 0;
}

static int rows(store *s, const store_queue_opts *o, const char *pat,
                store_queue_item **items, size_t *n, char *err, size_t errsz)
{
    char w[512], sql[2048];
    where(s, o, "", w, sizeof w);
    size_t limit = o && o->limit ? o->limit : QUEUE_DEFAULT_LIMIT;
    snprintf(sql, sizeof sql,
             "SELECT c.id,st.urgent,st.status,c.received,st.due,c.member_name,c.member_sex,"
             "c.member_dob,c.service,c.payer_name,c.policy_id,c.section,"
             "coalesce(st.holder,''),coalesce(r.name,'')"
             " FROM case_state st JOIN cases c ON c.id=st.case_id"
             " LEFT JOIN reviewers r ON r.user=st.holder%s%s LIMIT %zu OFFSET %zu",
             w, order_by(o ? o->sort : STORE_SORT_DUE), limit, o ? o->offset : 0);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return store_dberr(s, err, errsz, "queue");
    sqlite3_bind_text(st, 1, pat, -1, SQLITE_STATIC);
    size_t cap = 0;
    time_t now = store_now(s);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            store_queue_item *p = realloc(*items, cap * sizeof *p);
            if (!p) {
                sqlite3_finalize(st);
                return store_fail(err, errsz, "out of memory");
            }
            *items = p;
        }
        fill_item(s, st, &(*items)[(*n)++], now);
    }
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : store_dberr(s, err, errsz, "queue");
}

int store_queue(store *s, const store_queue_opts *opt, store_queue_item **items,
                size_t *n, store_queue_counts *counts, char *err, size_t errsz)
{
    *items = NULL;
    *n = 0;
    char *pat = NULL;
    if (opt && opt->filter && *opt->filter && !(pat = like_pattern(opt->filter)))
        return store_fail(err, errsz, "out of memory");
    /* One read transaction: the counts and the rows agree. */
    sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL);
    int rc = rows(s, opt, pat, items, n, err, errsz);
    if (rc == 0 && counts && counts_of(s, opt, pat, counts) < 0)
        rc = store_dberr(s, err, errsz, "queue");
    sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    free(pat);
    if (rc < 0) {
        free(*items);
        *items = NULL;
        *n = 0;
    }
    return rc;
}
