/* store: opening the database, the reviewer running the program, names of
 * the enumerations and the helpers the other store files share. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sodium.h>
#include <unistd.h>

#include "store/store_impl.h"

/* ---- names ------------------------------------------------------------- */

static const char *const role_names[] = {"none", "trainee", "nurse", "physician"};
static const char *const verdict_names[] = {"met", "not_met", "na"};
static const char *const origin_names[] = {"accepted", "overridden", "manual"};
static const char *const decision_names[] = {"approve", "deny", "pend", "refer"};
static const char *const outcome_names[] = {"meets", "does_not_meet", "insufficient"};
static const char *const status_names[] = {"open", "pended", "referred", "approved", "denied"};
static const char *const urgency_names[] = {"urgent", "standard"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *name_of(const char *const *names, size_t n, int v)
{
    return v >= 0 && (size_t)v < n ? names[v] : "?";
}

static int parse_of(const char *const *names, size_t n, const char *s, int *out)
{
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(names[i], s) == 0) {
            *out = (int)i;
            return 0;
        }
    return -1;
}

#define NAMES(type, fn, arr)                                                 \
    const char *store_##fn##_name(type v) { return name_of(arr, COUNT(arr), (int)v); }
#define PARSER(type, fn, arr)                                                \
    int store_##fn##_parse(const char *s, type *out)                          \
    {                                                                        \
        int v;                                                               \
        if (parse_of(arr, COUNT(arr), s, &v) < 0)                            \
            return -1;                                                       \
        *out = (type)v;                                                      \
        return 0;                                                            \
    }
NAMES(store_role, role, role_names)
PARSER(store_role, role, role_names)
NAMES(store_verdict, verdict, verdict_names)
PARSER(store_verdict, verdict, verdict_names)
NAMES(store_origin, origin, origin_names)
PARSER(store_origin, origin, origin_names)
NAMES(store_decision, decision, decision_names)
PARSER(store_decision, decision, decision_names)
NAMES(store_outcome, outcome, outcome_names)
PARSER(store_outcome, outcome, outcome_names)
NAMES(store_status, status, status_names)
NAMES(store_urgency, urgency, urgency_names)

/* ---- shared helpers ---------------------------------------------------- */

time_t store_now(const store *s)
{
    if (s && s->clock)
        return s->clock;
    return s && s->tx_now ? s->tx_now : time(NULL);
}

const char *const store_warning_names[STORE_NWARNINGS] = {"notes_unseen", "evidence_unseen",
                                                          "practice"};

void store_set_clock_for_testing(store *s, time_t now)
{
    s->clock = now;
}

int store_fail(char *err, size_t errsz, const char *fmt, ...)
{
    if (err && errsz) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errsz, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int store_dberr(const store *s, char *err, size_t errsz, const char *what)
{
    return store_fail(err, errsz, "%s: %s: %s", s->path, what,
                      sqlite3_errmsg(s->db));
}

int store_begin(store *s, char *err, size_t errsz)
{
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return store_dberr(s, err, errsz, "begin");
    /* Read once the lock is held: rows commit in the order of their times. */
    s->tx_now = store_now(s);
    return 0;
}

int store_commit(store *s, char *err, size_t errsz)
{
    if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        store_dberr(s, err, errsz, "commit");
        store_rollback(s);
        return -1;
    }
    s->tx_now = 0;
    return 0;
}

void store_rollback(store *s)
{
    s->tx_now = 0;
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

void store_copy(char *dst, size_t sz, const char *src)
{
    if (!sz)
        return;
    snprintf(dst, sz, "%s", src ? src : "");
}

void store_col(sqlite3_stmt *st, int col, char *buf, size_t sz)
{
    store_copy(buf, sz, (const char *)sqlite3_column_text(st, col));
}

int store_valid_id(const char *id, size_t max)
{
    size_t n = id ? strlen(id) : 0;
    if (n == 0 || n > max)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

/* Login names: the id characters and '@' (directory accounts such as
 * jdoe@example.org); nothing that needs quoting in JSON or a terminal. */
static int valid_user(const char *u)
{
    char tmp[STORE_USER_MAX];
    if (!u || strlen(u) >= sizeof tmp)
        return 0;
    store_copy(tmp, sizeof tmp, u);
    for (char *p = tmp; *p; p++)
        if (*p == '@')
            *p = '_';
    return store_valid_id(tmp, STORE_USER_MAX - 1);
}

/* ---- paths and files --------------------------------------------------- */

int store_default_path(char *buf, size_t sz, char *err, size_t errsz)
{
    const char *env = getenv("CASEREVIEW_DB");
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    int n;
    if (env && *env)
        n = snprintf(buf, sz, "%s", env);
    else if (xdg && *xdg == '/')
        n = snprintf(buf, sz, "%s/casereview/casereview.db", xdg);
    else if (home && *home == '/')
        n = snprintf(buf, sz, "%s/.local/share/casereview/casereview.db", home);
    else
        return store_fail(err, errsz, "no database path: set --db, CASEREVIEW_DB or HOME");
    if (n < 0 || (size_t)n >= sz)
        return store_fail(err, errsz, "database path too long");
    return 0;
}

/* mkdir -p with mode 0700 for every folder it creates. */
static int make_dirs(const char *path, char *err, size_t errsz)
{
    char tmp[4096];
    store_copy(tmp, sizeof tmp, path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
            return store_fail(err, errsz, "%s: %s", tmp, strerror(errno));
        *p = '/';
    }
    if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
        return store_fail(err, errsz, "%s: %s", tmp, strerror(errno));
    return 0;
}

/* Creates the database file 0600 (SQLite gives its -wal and -shm files the
 * same mode); an existing file keeps the mode its owner chose. */
static int prepare_file(const char *path, char *err, size_t errsz)
{
    char dir[4096];
    store_copy(dir, sizeof dir, path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        struct stat st;
        if (stat(dir, &st) < 0 && make_dirs(dir, err, errsz) < 0)
            return -1;
    }
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return store_fail(err, errsz, "%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
        close(fd);
        return store_fail(err, errsz, "%s: not a regular file", path);
    }
    close(fd);
    return 0;
}

/* ---- reviewers ---------------------------------------------------------- */

static int load_reviewer(store *s, const char *user, store_reviewer *r)
{
    sqlite3_stmt *st;
    int found = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT user,name,credentials,role,admin,added "
                           "FROM reviewers WHERE user=?", -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        memset(r, 0, sizeof *r);
        store_col(st, 0, r->user, sizeof r->user);
        store_col(st, 1, r->name, sizeof r->name);
        store_col(st, 2, r->credentials, sizeof r->credentials);
        store_role_parse((const char *)sqlite3_column_text(st, 3), &r->role);
        r->admin = sqlite3_column_int(st, 4);
        r->added = (time_t)sqlite3_column_int64(st, 5);
        found = 1;
    }
    sqlite3_finalize(st);
    return found;
}

/* Names are shown on terminals: control characters become spaces. */
static void clean_name(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            *s = ' ';
}

/* The display name from the GECOS field (up to the first comma). */
static void gecos_name(const char *gecos, const char *user, char *buf, size_t sz)
{
    store_copy(buf, sz, gecos && *gecos ? gecos : user);
    char *comma = strchr(buf, ',');
    if (comma)
        *comma = '\0';
    clean_name(buf);
    if (!*buf)
        store_copy(buf, sz, user);
}

/* Adds a row for user if absent; the first reviewer of a database is its
 * administrator.  Inside the caller's transaction. */
static int register_user(store *s, const char *user, const char *name,
                         char *err, size_t errsz)
{
    store_reviewer r;
    int found = load_reviewer(s, user, &r);
    if (found < 0)
        return store_dberr(s, err, errsz, "reviewers");
    if (found)
        return 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO reviewers(user,name,credentials,role,admin,added) "
                           "VALUES(?,?,'','none',(SELECT count(*)=0 FROM reviewers),?)",
                           -1, &st, NULL) != SQLITE_OK)
        return store_dberr(s, err, errsz, "reviewers");
    sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)store_now(s));
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return store_dberr(s, err, errsz, "register reviewer");
    json_t *detail = store_reviewer_json(s, user);
    if (!detail)
        return store_dberr(s, err, errsz, "register reviewer");
    return store_audit_json(s, "register", NULL, detail, err, errsz) < 0 ? -1 : 0;
}

static int become(store *s, const char *user, const char *name, char *err,
                  size_t errsz)
{
    if (!valid_user(user))
        return store_fail(err, errsz, "user name not usable as a reviewer: %s", user);
    store_reviewer r;
    int found = load_reviewer(s, user, &r);
    if (found < 0)
        return store_dberr(s, err, errsz, "reviewers");
    if (!found) {
        if (store_begin(s, err, errsz) < 0)
            return -1;
        if (register_user(s, user, name, err, errsz) < 0) {
            store_rollback(s);
            return -1;
        }
        if (store_commit(s, err, errsz) < 0)
            return -1;
        if (load_reviewer(s, user, &r) != 1)
            return store_dberr(s, err, errsz, "reviewers");
    }
    s->me = r;
    return 0;
}

int store_set_actor_for_testing(store *s, const char *user, char *err,
                                size_t errsz)
{
    return become(s, user, user, err, errsz);
}

const store_reviewer *store_whoami(const store *s)
{
    return &s->me;
}

static int configure(store *s, char *err, size_t errsz)
{
    sqlite3_busy_timeout(s->db, 15000);
    sqlite3_extended_result_codes(s->db, 1);
    /* WAL lets readers (the queue) run beside one writer; FULL makes a
     * decision durable once COMMIT returns, as a legal record must be. */
    static const char *const pragmas[] = {
        "PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
        "PRAGMA foreign_keys=ON", "PRAGMA secure_delete=ON",
        "PRAGMA trusted_schema=OFF"};
    for (size_t i = 0; i < COUNT(pragmas); i++)
        if (sqlite3_exec(s->db, pragmas[i], NULL, NULL, NULL) != SQLITE_OK)
            return store_dberr(s, err, errsz, pragmas[i]);
    if (store_hash_register(s->db) != SQLITE_OK)
        return store_dberr(s, err, errsz, "casereview_hash");
    return 0;
}

store *store_open(const char *path, char *err, size_t errsz)
{
    store *s = sodium_init() < 0 ? NULL : calloc(1, sizeof *s);
    if (!s) {
        store_fail(err, errsz, "out of memory");
        return NULL;
    }
    if (path && *path)
        store_copy(s->path, sizeof s->path, path);
    else if (store_default_path(s->path, sizeof s->path, err, errsz) < 0)
        goto fail;
    if (prepare_file(s->path, err, errsz) < 0)
        goto fail;
    if (sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW,
                        NULL) != SQLITE_OK) {
        store_fail(err, errsz, "%s: %s", s->path,
                   s->db ? sqlite3_errmsg(s->db) : "cannot open");
        goto fail;
    }
    if (configure(s, err, errsz) < 0 ||
        store_migrate(s->db, STORE_SCHEMA_VERSION, err, errsz) < 0)
        goto fail;
    struct passwd *pw = getpwuid(getuid());
    if (!pw) {
        store_fail(err, errsz, "cannot find the user running casereview (uid %ld)",
                   (long)getuid());
        goto fail;
    }
    char name[STORE_NAME_MAX];
    gecos_name(pw->pw_gecos, pw->pw_name, name, sizeof name);
    if (become(s, pw->pw_name, name, err, errsz) < 0)
        goto fail;
    return s;
fail:
    store_close(s);
    return NULL;
}

void store_close(store *s)
{
    if (!s)
        return;
    if (s->db && s->open_case[0])
        store_case_close(s, NULL, 0);
    free(s->shown);
    store_request_schema_free(s->rng);
    sqlite3_close_v2(s->db);
    free(s);
}

int store_reviewer_list(store *s, store_reviewer **out, size_t *n, char *err,
                        size_t errsz)
{
    sqlite3_stmt *st;
    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT user FROM reviewers ORDER BY user",
                           -1, &st, NULL) != SQLITE_OK)
        return store_dberr(s, err, errsz, "reviewers");
    size_t cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            store_reviewer *p = realloc(*out, cap * sizeof *p);
            if (!p) {
                sqlite3_finalize(st);
                free(*out);
                *out = NULL;
                return store_fail(err, errsz, "out of memory");
            }
            *out = p;
        }
        if (load_reviewer(s, (const char *)sqlite3_column_text(st, 0), &(*out)[*n]) == 1)
            (*n)++;
    }
    sqlite3_finalize(st);
    return 0;
}

static int need_admin(store *s, char *err, size_t errsz)
{
    /* The role may have changed since open: read it again. */
    store_reviewer r;
    if (load_reviewer(s, s->me.user, &r) == 1)
        s->me = r;
    if (!s->me.admin)
        return store_fail(err, errsz, "only an administrator manages reviewers (you are %s)",
                          s->me.user);
    return 0;
}

/* Runs one UPDATE/INSERT on a reviewer row and its audit row, which
 * carries the row as it now stands (verify holds the row to it). */
static int reviewer_change(store *s, const char *sql, const char *user,
                           const char *a, const char *b, long long i,
                           const char *action, char *err, size_t errsz)
{
    if (need_admin(s, err, errsz) < 0)
        return -1;
    if (!valid_user(user))
        return store_fail(err, errsz, "not a user name: %s", user ? user : "");
    if (store_begin(s, err, errsz) < 0)
        return -1;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        store_dberr(s, err, errsz, action);
        store_rollback(s);
        return -1;
    }
    sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, a, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, b, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, i);
    if (sqlite3_bind_parameter_count(st) >= 5) /* ?5: the change's moment */
        sqlite3_bind_int64(st, 5, (sqlite3_int64)store_now(s));
    int rc = sqlite3_step(st);
    int changed = sqlite3_changes(s->db);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        store_dberr(s, err, errsz, action);
        store_rollback(s);
        return -1;
    }
    if (!changed) {
        store_rollback(s);
        return store_fail(err, errsz, "no reviewer %s (add them first)", user);
    }
    json_t *detail = store_reviewer_json(s, user);
    if (!detail || store_audit_json(s, action, NULL, detail, err, errsz) < 0) {
        if (!detail)
            store_dberr(s, err, errsz, action);
        store_rollback(s);
        return -1;
    }
    if (store_commit(s, err, errsz) < 0)
        return -1;
    if (strcmp(user, s->me.user) == 0)
        load_reviewer(s, user, &s->me);
    return 0;
}

int store_reviewer_add(store *s, const char *user, store_role role,
                       const char *name, const char *credentials, char *err,
                       size_t errsz)
{
    char n[STORE_NAME_MAX], c[17];
    if (name) {
        store_copy(n, sizeof n, name);
        clean_name(n);
        name = n;
    }
    if (credentials) {
        store_copy(c, sizeof c, credentials);
        clean_name(c);
        credentials = c;
    }
    store_reviewer r;
    if (user && load_reviewer(s, user, &r) == 1)
        return store_fail(err, errsz, "reviewer %s already exists (use role)", user);
    return reviewer_change(s,
                           "INSERT INTO reviewers(user,name,credentials,role,admin,added) "
                           "VALUES(?1,coalesce(?2,?1),coalesce(?3,''),'none',0,?5)",
                           user, name, credentials, 0, "reviewer-add", err, errsz) < 0
               ? -1
               : store_reviewer_set_role(s, user, role, err, errsz);
}

int store_reviewer_set_role(store *s, const char *user, store_role role,
                            char *err, size_t errsz)
{
    if (valid_user(user) == 0)
        return store_fail(err, errsz, "not a user name");
    return reviewer_change(s, "UPDATE reviewers SET role=?2 WHERE user=?1", user,
                           store_role_name(role), NULL, 0, "role", err, errsz);
}

int store_reviewer_set_name(store *s, const char *user, const char *name,
                            const char *credentials, char *err, size_t errsz)
{
    char n[STORE_NAME_MAX], c[17];
    if (name) {
        store_copy(n, sizeof n, name);
        clean_name(n);
        name = n;
    }
    if (credentials) {
        store_copy(c, sizeof c, credentials);
        clean_name(c);
        credentials = c;
    }
    if (valid_user(user) == 0)
        return store_fail(err, errsz, "not a user name");
    return reviewer_change(s,
                           "UPDATE reviewers SET name=coalesce(?2,name),"
                           "credentials=coalesce(?3,credentials) WHERE user=?1",
                           user, name, credentials, 0, "reviewer-name", err, errsz);
}

int store_reviewer_set_admin(store *s, const char *user, int admin, char *err,
                             size_t errsz)
{
    if (valid_user(user) == 0)
        return store_fail(err, errsz, "not a user name");
    if (!admin) {
        sqlite3_stmt *st;
        int others = 0;
        if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM reviewers WHERE admin AND user<>?",
                               -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
            if (sqlite3_step(st) == SQLITE_ROW)
                others = sqlite3_column_int(st, 0);
            sqlite3_finalize(st);
        }
        if (!others)
            return store_fail(err, errsz, "%s is the last administrator", user);
    }
    return reviewer_change(s, "UPDATE reviewers SET admin=?4 WHERE user=?1", user,
                           NULL, NULL, admin ? 1 : 0, "admin", err, errsz);
}
