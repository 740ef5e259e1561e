/* store_import: a case folder (request.xml + notes) into the store.  The
 * request is untrusted XML: read with a size limit, refused if it has a
 * DTD (no entities, nothing fetched), validated against data/request.rng,
 * and only then read. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/note.h"
#include "core/paths.h"
#include "store/store_impl.h"

#define REQUEST_MAX_BYTES (1 << 20)
#define NOTE_MAX_BYTES ((size_t)16 << 20)
#define MAX_NOTES 64

typedef struct {
    char id[STORE_ID_MAX], urgency[16], received[40];
    char member_name[STORE_NAME_MAX], member_id[STORE_NAME_MAX];
    char member_dob[11], member_sex[2];
    char provider[STORE_NAME_MAX], npi[16];
    char payer_id[STORE_NAME_MAX], payer_name[STORE_NAME_MAX];
    char policy_id[STORE_NAME_MAX], section[STORE_CRIT_MAX];
    store_service services[64];
    size_t nservices;
    char diagnoses[64][16];
    size_t ndiagnoses;
    char note_files[MAX_NOTES][129];
    size_t nnotes;
} request;

/* ---- reading files ------------------------------------------------------ */

static char *read_limited(const char *path, size_t max, size_t *len, char *err,
                          size_t errsz)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        store_fail(err, errsz, "%s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        store_fail(err, errsz, "%s: not a regular file", path);
        return NULL;
    }
    if ((size_t)st.st_size > max) {
        close(fd);
        store_fail(err, errsz, "%s: larger than %zu bytes", path, max);
        return NULL;
    }
    char *buf = malloc((size_t)st.st_size + 1);
    size_t n = 0;
    ssize_t r = 0;
    while (buf && n < (size_t)st.st_size &&
           (r = read(fd, buf + n, (size_t)st.st_size - n)) > 0)
        n += (size_t)r;
    close(fd);
    if (!buf || r < 0) {
        free(buf);
        store_fail(err, errsz, "%s: %s", path, buf ? strerror(errno) : "out of memory");
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Through the note loader, so a note the workstation would refuse
 * (binary, too large, neither UTF-8 nor Latin-1) is refused here, and a
 * Latin-1 note is stored repaired: offsets into the stored text are the
 * offsets the workstation sees. */
static char *read_note(const char *path, const char *name, size_t *len, char *err,
                       size_t errsz)
{
    note *n;
    char why[256];
    note_options opt = {NOTE_MAX_BYTES};
    if (note_load_file(path, &opt, &n, why, sizeof why) < 0) {
        store_fail(err, errsz, "%s: %s", name, why);
        return NULL;
    }
    char *text = malloc(n->len + 1);
    if (text) {
        memcpy(text, n->text, n->len);
        text[n->len] = '\0';
        *len = n->len;
    } else {
        store_fail(err, errsz, "out of memory");
    }
    note_free(n);
    return text;
}

/* ---- the request -------------------------------------------------------- */

void store_request_schema_free(void *rng)
{
    if (rng)
        xmlRelaxNGFree(rng);
}

typedef struct {
    char *err;
    size_t errsz;
    int set;
} xml_errs;

static void first_error(void *ctx, xmlErrorPtr e)
{
    xml_errs *x = ctx;
    if (x->set || !e || !e->message)
        return;
    x->set = 1;
    snprintf(x->err, x->errsz, "line %d: %s", e->line, e->message);
    size_t n = strlen(x->err);
    while (n && (x->err[n - 1] == '\n' || x->err[n - 1] == ' '))
        x->err[--n] = '\0';
}

static xmlRelaxNGPtr schema(store *s, char *err, size_t errsz)
{
    if (s->rng)
        return s->rng;
    char path[4096];
    if (paths_join(path, sizeof path, "data/request.rng") < 0) {
        store_fail(err, errsz, "data/request.rng: path too long");
        return NULL;
    }
    xml_errs x = {err, errsz, 0};
    xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewParserCtxt(path);
    if (!pc) {
        store_fail(err, errsz, "%s: cannot read", path);
        return NULL;
    }
    xmlRelaxNGSetParserStructuredErrors(pc, first_error, &x);
    s->rng = xmlRelaxNGParse(pc);
    xmlRelaxNGFreeParserCtxt(pc);
    if (!s->rng && !x.set)
        store_fail(err, errsz, "%s: not a usable schema", path);
    return s->rng;
}

static const char *attr(xmlNodePtr n, const char *name, char *buf, size_t sz)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    store_copy(buf, sz, (const char *)v);
    xmlFree(v);
    return buf;
}

static void content(xmlNodePtr n, char *buf, size_t sz)
{
    xmlChar *v = xmlNodeGetContent(n);
    store_copy(buf, sz, (const char *)v);
    xmlFree(v);
    /* Names are shown on a terminal: one line, no control characters
     * (C0 become spaces; C1, which XML allows, are dropped). */
    char *out = buf;
    for (const char *p = buf; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == 0xC2 && (unsigned char)p[1] >= 0x80 && (unsigned char)p[1] <= 0x9F) {
            p++;
            continue;
        }
        *out++ = c < 0x20 || c == 0x7F ? ' ' : (char)c;
    }
    *out = '\0';
}

static int is(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static void read_lists(xmlNodePtr list, request *r)
{
    char units[16];
    for (xmlNodePtr c = list->children; c; c = c->next) {
        if (is(c, "service") && r->nservices < 64) {
            store_service *sv = &r->services[r->nservices++];
            attr(c, "code", sv->code, sizeof sv->code);
            attr(c, "modifier", sv->modifier, sizeof sv->modifier);
            attr(c, "dos", sv->dos, sizeof sv->dos);
            sv->units = atoi(attr(c, "units", units, sizeof units));
        } else if (is(c, "diagnosis") && r->ndiagnoses < 64) {
            attr(c, "code", r->diagnoses[r->ndiagnoses++], 16);
        } else if (is(c, "note") && r->nnotes < MAX_NOTES) {
            attr(c, "file", r->note_files[r->nnotes++], 129);
        }
    }
}

static void read_request(xmlNodePtr root, request *r)
{
    attr(root, "id", r->id, sizeof r->id);
    attr(root, "urgency", r->urgency, sizeof r->urgency);
    attr(root, "received", r->received, sizeof r->received);
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (is(c, "member")) {
            attr(c, "id", r->member_id, sizeof r->member_id);
            attr(c, "dob", r->member_dob, sizeof r->member_dob);
            attr(c, "sex", r->member_sex, sizeof r->member_sex);
            content(c, r->member_name, sizeof r->member_name);
        } else if (is(c, "provider")) {
            attr(c, "npi", r->npi, sizeof r->npi);
            content(c, r->provider, sizeof r->provider);
        } else if (is(c, "payer")) {
            attr(c, "id", r->payer_id, sizeof r->payer_id);
            content(c, r->payer_name, sizeof r->payer_name);
        } else if (is(c, "policy")) {
            attr(c, "id", r->policy_id, sizeof r->policy_id);
            attr(c, "section", r->section, sizeof r->section);
        } else if (is(c, "services") || is(c, "diagnoses") || is(c, "notes")) {
            read_lists(c, r);
        }
    }
}

/* libxml2's RELAX NG messages are vague ("failed to validate
 * attributes"); name the usual mistakes plainly when we can. */
static int explain(xmlNodePtr root, char *buf, size_t sz)
{
    static const char *const required[] = {"member", "provider", "payer", "policy",
                                           "services", "diagnoses"};
    char v[64];
    if (!root || strcmp((const char *)root->name, "request") != 0)
        return snprintf(buf, sz, "the root element must be <request>"), 1;
    attr(root, "urgency", v, sizeof v);
    if (strcmp(v, "urgent") != 0 && strcmp(v, "standard") != 0)
        return snprintf(buf, sz, "urgency must be urgent or standard"), 1;
    attr(root, "version", v, sizeof v);
    if (strcmp(v, "1") != 0)
        return snprintf(buf, sz, "version must be 1"), 1;
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        int found = 0;
        for (xmlNodePtr c = root->children; c && !found; c = c->next)
            found = c->type == XML_ELEMENT_NODE &&
                    strcmp((const char *)c->name, required[i]) == 0;
        if (!found)
            return snprintf(buf, sz, "<%s> is missing", required[i]), 1;
    }
    return 0;
}

static int contains(const char *buf, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (buf[i] == needle[0] && memcmp(buf + i, needle, n) == 0)
            return 1;
    return 0;
}

static int parse_request(store *s, const char *xml, size_t len, request *r,
                         char *err, size_t errsz)
{
    char why[256] = "";
    if (len > REQUEST_MAX_BYTES)
        return store_fail(err, errsz, "request.xml: larger than %d bytes", REQUEST_MAX_BYTES);
    /* No DTD at all: no entities to expand, nothing to fetch. */
    if (contains(xml, len, "<!DOCTYPE") || contains(xml, len, "<!ENTITY"))
        return store_fail(err, errsz, "request.xml: a DTD is not allowed");
    xmlRelaxNGPtr rng = schema(s, why, sizeof why);
    if (!rng)
        return store_fail(err, errsz, "%s", why);
    xmlParserCtxtPtr pc = xmlNewParserCtxt();
    if (!pc)
        return store_fail(err, errsz, "out of memory");
    xmlDocPtr doc = xmlCtxtReadMemory(pc, xml, (int)len, "request.xml", NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR |
                                          XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
    if (!doc || doc->intSubset || doc->extSubset) {
        xmlErrorPtr e = xmlCtxtGetLastError(pc);
        store_fail(err, errsz, "request.xml: %s%s", doc ? "a DTD is not allowed" : "not well-formed XML: ",
                   !doc && e && e->message ? e->message : "");
        size_t n = strlen(err);
        while (n && err[n - 1] == '\n')
            err[--n] = '\0';
        xmlFreeDoc(doc);
        xmlFreeParserCtxt(pc);
        return -1;
    }
    xmlFreeParserCtxt(pc);
    xml_errs x = {why, sizeof why, 0};
    xmlRelaxNGValidCtxtPtr vc = xmlRelaxNGNewValidCtxt(rng);
    xmlRelaxNGSetValidStructuredErrors(vc, first_error, &x);
    int bad = !vc || xmlRelaxNGValidateDoc(vc, doc) != 0;
    xmlRelaxNGFreeValidCtxt(vc);
    if (bad && explain(xmlDocGetRootElement(doc), why, sizeof why))
        x.set = 1;
    if (!bad) {
        memset(r, 0, sizeof *r);
        read_request(xmlDocGetRootElement(doc), r);
    }
    xmlFreeDoc(doc);
    if (bad)
        return store_fail(err, errsz, "request.xml: does not follow the request format: %s",
                          x.set ? why : "invalid");
    return 0;
}

/* ---- times and turnaround ----------------------------------------------- */

static int valid_date(const char *d)
{
    int y, m, day;
    char end;
    if (sscanf(d, "%4d-%2d-%2d%c", &y, &m, &day, &end) != 3)
        return 0;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && day >= 1 &&
           day <= mdays[m - 1] &&
           !(m == 2 && day == 29 && (y % 4 || (y % 100 == 0 && y % 400)));
}

/* 2026-11-20T14:05[:00](Z|+HH:MM) -> seconds since the epoch. */
static int parse_time(const char *t, time_t *out)
{
    char date[11];
    int hh, mm, ss = 0, n = 0;
    if (strlen(t) < 16)
        return -1;
    memcpy(date, t, 10);
    date[10] = '\0';
    if (!valid_date(date) || sscanf(t + 11, "%2d:%2d%n", &hh, &mm, &n) != 2)
        return -1;
    const char *p = t + 11 + n;
    if (*p == ':' && sscanf(p, ":%2d", &ss) == 1)
        p += 3;
    if (hh > 23 || mm > 59 || ss > 60)
        return -1;
    long off = 0;
    int oh, om;
    if (*p == '+' || *p == '-') {
        if (sscanf(p + 1, "%2d:%2d", &oh, &om) != 2 || oh > 14 || om > 59)
            return -1;
        off = (oh * 3600L + om * 60L) * (*p == '-' ? -1 : 1);
    } else if (*p != 'Z') {
        return -1;
    }
    struct tm tm = {0};
    sscanf(date, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_hour = hh;
    tm.tm_min = mm;
    tm.tm_sec = ss;
    *out = timegm(&tm) - off;
    return 0;
}

/* Hours to the due time from data/turnaround.tsv (payer line, else `*`,
 * else 72 urgent / 168 standard). */
static long turnaround_hours(const char *payer, int urgent)
{
    char path[4096], line[256];
    long def = urgent ? 72 : 168, found = -1;
    if (paths_join(path, sizeof path, "data/turnaround.tsv") < 0)
        return def;
    FILE *f = fopen(path, "r");
    if (!f)
        return def;
    while (fgets(line, sizeof line, f)) {
        char id[128];
        long u, st;
        if (line[0] == '#' || sscanf(line, "%127s %ld %ld", id, &u, &st) != 3)
            continue;
        if (u <= 0 || st <= 0)
            continue;
        if (strcmp(id, payer) == 0)
            found = urgent ? u : st;
        else if (strcmp(id, "*") == 0)
            def = urgent ? u : st;
    }
    fclose(f);
    return found > 0 ? found : def;
}

/* ---- writing ------------------------------------------------------------- */

static int exec_insert(store *s, const char *sql, const char *const *text,
                       int ntext, const long long *num, int nnum, char *err,
                       size_t errsz)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return store_dberr(s, err, errsz, "import");
    for (int i = 0; i < ntext; i++)
        sqlite3_bind_text(st, i + 1, text[i], -1, SQLITE_STATIC);
    for (int i = 0; i < nnum; i++)
        sqlite3_bind_int64(st, ntext + i + 1, num[i]);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
            return store_fail(err, errsz, "case %s is already in the store", text[0]);
        return store_dberr(s, err, errsz, "import");
    }
    return 0;
}

static void service_summary(const request *r, char *buf, size_t sz)
{
    buf[0] = '\0';
    for (size_t i = 0; i < r->nservices; i++) {
        size_t n = strlen(buf);
        int dup = 0;
        for (size_t j = 0; j < i; j++)
            dup |= strcmp(r->services[j].code, r->services[i].code) == 0;
        if (!dup)
            snprintf(buf + n, sz - n, "%s%s", n ? ", " : "", r->services[i].code);
    }
}

static int insert_case(store *s, const request *r, time_t received, time_t due,
                       char *err, size_t errsz)
{
    char service[STORE_NAME_MAX];
    service_summary(r, service, sizeof service);
    const char *t[] = {r->id, r->member_name, r->member_dob, r->member_sex,
                       r->member_id, r->provider, r->npi, r->payer_id,
                       r->payer_name, r->policy_id, r->section, r->urgency,
                       service, s->me.user};
    long long n[] = {received, due, store_now(s)};
    if (exec_insert(s,
                    "INSERT INTO cases(id,member_name,member_dob,member_sex,member_id,"
                    "provider_name,provider_npi,payer_id,payer_name,policy_id,section,"
                    "urgency,service,imported_by,received,due,imported)"
                    " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    t, 14, n, 3, err, errsz) < 0)
        return -1;
    long long urgent = strcmp(r->urgency, "urgent") == 0;
    long long sn[] = {due, urgent};
    return exec_insert(s, "INSERT INTO case_state(case_id,due,urgent) VALUES(?,?,?)",
                       t, 1, sn, 2, err, errsz);
}

static int insert_lists(store *s, const request *r, const store_note *notes,
                        size_t nnotes, char *err, size_t errsz)
{
    for (size_t i = 0; i < r->nservices; i++) {
        const store_service *sv = &r->services[i];
        const char *t[] = {r->id, sv->code, sv->modifier, sv->dos};
        long long n[] = {(long long)i, sv->units};
        if (exec_insert(s, "INSERT INTO services(case_id,code,modifier,dos,seq,units)"
                           " VALUES(?,?,?,?,?,?)", t, 4, n, 2, err, errsz) < 0)
            return -1;
    }
    for (size_t i = 0; i < r->ndiagnoses; i++) {
        const char *t[] = {r->id, r->diagnoses[i]};
        long long n[] = {(long long)i};
        if (exec_insert(s, "INSERT INTO diagnoses(case_id,code,seq) VALUES(?,?,?)",
                        t, 2, n, 1, err, errsz) < 0)
            return -1;
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "INSERT INTO notes(case_id,seq,name,text) VALUES(?,?,?,?)",
                           -1, &st, NULL) != SQLITE_OK)
        return store_dberr(s, err, errsz, "import");
    for (size_t i = 0; i < nnotes; i++) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, (long long)i);
        sqlite3_bind_text(st, 3, notes[i].name, -1, SQLITE_STATIC);
        sqlite3_bind_blob64(st, 4, notes[i].text, notes[i].len, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) {
            sqlite3_finalize(st);
            return store_dberr(s, err, errsz, "import");
        }
    }
    sqlite3_finalize(st);
    return 0;
}

/* The audit names the notes and their sizes, never their text; it seals
 * the rows just written with their hashes (and the queue state), so that
 * verify can tell a rewritten note or case. */
static long long import_audit(store *s, const request *r, time_t due, char *err,
                              size_t errsz)
{
    json_t *o = store_import_seal(s, r->id);
    if (!o)
        return store_dberr(s, err, errsz, "import");
    json_object_set_new(o, "policy", json_string(r->policy_id));
    json_object_set_new(o, "urgency", json_string(r->urgency));
    json_object_set_new(o, "due", json_integer((json_int_t)due));
    return store_audit_json(s, "import", r->id, o, err, errsz);
}

static int insert_all(store *s, const request *r, const store_note *notes,
                      size_t nnotes, char *err, size_t errsz)
{
    time_t received;
    if (parse_time(r->received, &received) < 0)
        return store_fail(err, errsz, "request.xml: received is not a valid time: %s",
                          r->received);
    if (!valid_date(r->member_dob))
        return store_fail(err, errsz, "request.xml: member dob is not a valid date");
    for (size_t i = 0; i < r->nservices; i++)
        if (!valid_date(r->services[i].dos))
            return store_fail(err, errsz, "request.xml: service %s: dos is not a valid date",
                              r->services[i].code);
    if (nnotes == 0)
        return store_fail(err, errsz, "case %s has no notes", r->id);
    int urgent = strcmp(r->urgency, "urgent") == 0;
    time_t due = received + turnaround_hours(r->payer_id, urgent) * 3600;
    /* A caller may batch many imports in one transaction (tools/bench). */
    int own = sqlite3_get_autocommit(s->db);
    if (own && store_begin(s, err, errsz) < 0)
        return -1;
    int rc = insert_case(s, r, received, due, err, errsz);
    if (rc == 0)
        rc = insert_lists(s, r, notes, nnotes, err, errsz);
    if (rc == 0 && import_audit(s, r, due, err, errsz) < 0)
        rc = -1;
    if (own) {
        if (rc < 0)
            store_rollback(s);
        else
            rc = store_commit(s, err, errsz);
    }
    return rc;
}

int store_import_mem(store *s, const char *xml, size_t xmllen,
                     const store_note *notes, size_t nnotes, char *id,
                     size_t idsz, char *err, size_t errsz)
{
    request *r = malloc(sizeof *r);
    if (!r)
        return store_fail(err, errsz, "out of memory");
    int rc = parse_request(s, xml, xmllen, r, err, errsz);
    if (rc == 0)
        rc = insert_all(s, r, notes, nnotes, err, errsz);
    if (rc == 0 && id)
        store_copy(id, idsz, r->id);
    free(r);
    return rc;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The notes the request lists, else every *.txt of the folder by name. */
static int note_names(const char *dir, request *r, char *err, size_t errsz)
{
    if (r->nnotes)
        return 0;
    DIR *d = opendir(dir);
    if (!d)
        return store_fail(err, errsz, "%s: %s", dir, strerror(errno));
    char *names[MAX_NOTES];
    struct dirent *e;
    while ((e = readdir(d)) && r->nnotes < MAX_NOTES) {
        size_t n = strlen(e->d_name);
        if (n > 4 && n < 129 && e->d_name[0] != '.' &&
            strcmp(e->d_name + n - 4, ".txt") == 0)
            store_copy(r->note_files[r->nnotes++], 129, e->d_name);
    }
    closedir(d);
    for (size_t i = 0; i < r->nnotes; i++)
        names[i] = r->note_files[i];
    qsort(names, r->nnotes, sizeof names[0], cmp_names);
    char sorted[MAX_NOTES][129];
    for (size_t i = 0; i < r->nnotes; i++)
        store_copy(sorted[i], 129, names[i]);
    memcpy(r->note_files, sorted, sizeof sorted[0] * r->nnotes);
    return 0;
}

static void free_notes(store_note *notes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(notes[i].text);
    free(notes);
}

int store_import_dir(store *s, const char *dir, char *id, size_t idsz,
                     char *err, size_t errsz)
{
    char path[4096];
    size_t len;
    snprintf(path, sizeof path, "%s/request.xml", dir);
    char *xml = read_limited(path, REQUEST_MAX_BYTES, &len, err, errsz);
    if (!xml)
        return -1;
    request *r = malloc(sizeof *r);
    store_note *notes = calloc(MAX_NOTES, sizeof *notes);
    size_t n = 0;
    int rc = r && notes ? 0 : store_fail(err, errsz, "out of memory");
    if (rc == 0)
        rc = parse_request(s, xml, len, r, err, errsz);
    if (rc == 0)
        rc = note_names(dir, r, err, errsz);
    for (size_t i = 0; rc == 0 && i < r->nnotes; i++, n++) {
        snprintf(path, sizeof path, "%s/%s", dir, r->note_files[i]);
        store_copy(notes[i].name, sizeof notes[i].name, r->note_files[i]);
        notes[i].text = read_note(path, r->note_files[i], &notes[i].len, err, errsz);
        if (!notes[i].text)
            rc = -1;
    }
    if (rc == 0)
        rc = insert_all(s, r, notes, n, err, errsz);
    if (rc == 0 && id)
        store_copy(id, idsz, r->id);
    free_notes(notes, n);
    free(r);
    free(xml);
    return rc;
}
