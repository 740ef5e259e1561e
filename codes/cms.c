#include "codes/cms.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "codes/codefmt.h"
#include "codes/phrases.h"
#include "codes/smap.h"

typedef struct {
    char key[CODEFMT_KEYLEN];
    const char *sdesc, *ldesc;     /* NULL: none given */
    const char *section, *chapter; /* ICD-10-CM, from the CSV or tabular */
    uint32_t seq;                  /* input order: larger is newer */
    uint16_t flags, aux;
} entry;

typedef struct {
    char key[CODEFMT_KEYLEN];
    const char *section, *chapter;
} section_hint;

typedef struct block {
    struct block *next;
    size_t used, cap;
    char data[];
} block;

struct cms_table {
    entry *e;
    size_t n, cap;
    section_hint *hint;
    size_t nhint, caphint;
    block *arena;
    uint32_t seq;
    unsigned hflags;
    const char *rel[3]; /* icd, hcpcs, opps */
};

/* ---- memory: strings live in an arena freed with the table ---- */

static const char *keep(cms_table *t, const char *s, size_t n)
{
    block *b = t->arena;
    if (!b || b->cap - b->used < n + 1) {
        size_t cap = n + 1 > (1u << 20) ? n + 1 : (1u << 20);
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->next = t->arena;
        b->used = 0;
        b->cap = cap;
        t->arena = b;
    }
    char *p = b->data + b->used;
    memcpy(p, s, n);
    p[n] = '\0';
    b->used += n + 1;
    return p;
}

/* Trimmed copy of s[0..n), control characters made spaces (the reader
 * refuses a table holding any); NULL for an empty field. */
static const char *keep_trim(cms_table *t, const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    char *k = n ? (char *)keep(t, s, n) : NULL;
    for (size_t i = 0; k && i < n; i++)
        if ((unsigned char)k[i] < 0x20 || k[i] == 0x7f)
            k[i] = ' ';
    return k;
}

cms_table *cms_table_new(void)
{
    return calloc(1, sizeof(cms_table));
}

void cms_table_free(cms_table *t)
{
    if (!t)
        return;
    for (block *b = t->arena, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(t->e);
    free(t->hint);
    free(t);
}

size_t cms_table_size(const cms_table *t)
{
    return t->n;
}

int cms_set_release(cms_table *t, const char *which, const char *label)
{
    static const char *const names[] = {"icd", "hcpcs", "opps"};
    for (int i = 0; i < 3; i++)
        if (strcmp(which, names[i]) == 0) {
            t->rel[i] = keep(t, label, strlen(label));
            return t->rel[i] ? 0 : -1;
        }
    return -1;
}

static entry *add(cms_table *t, const char *code, int kind)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 4096;
        entry *p = realloc(t->e, cap * sizeof *p);
        if (!p)
            return NULL;
        t->e = p;
        t->cap = cap;
    }
    entry *e = &t->e[t->n++];
    memset(e, 0, sizeof *e);
    memcpy(e->key, code, strnlen(code, 7));
    e->key[7] = (char)kind;
    e->seq = t->seq;
    return e;
}

/* ---- code forms, as the files give them (no dot) ---- */

static int upper_alnum(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]) && !isupper((unsigned char)s[i]))
            return 0;
    return 1;
}

static int icd_key(const char *k)
{
    size_t n = strlen(k);
    return n >= 3 && n <= 7 && isupper((unsigned char)k[0]) &&
           isdigit((unsigned char)k[1]) && upper_alnum(k, n);
}

static int hcpcs_key(const char *k)
{
    return strlen(k) == 5 && isupper((unsigned char)k[0]) &&
           isdigit((unsigned char)k[1]) && isdigit((unsigned char)k[2]) &&
           isdigit((unsigned char)k[3]) && isdigit((unsigned char)k[4]);
}

static int modifier_key(const char *k)
{
    return strlen(k) == 2 && upper_alnum(k, 2);
}

/* A code field: trimmed, dot removed, upper case, at most 7 characters. */
static int code_field(const char *s, size_t n, char out[16])
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '.' || c == ' ' || c == '\t' || c == '\r')
            continue;
        if (o >= 7 || c > 127)
            return -1;
        out[o++] = (char)toupper(c);
    }
    out[o] = '\0';
    return o ? 0 : -1;
}

/* ---- whole files, lines and CSV records ---- */

static char *slurp(const char *path, size_t *len, char *err, size_t errsz)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errsz, "%s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (size_t r; buf && (r = fread(buf + n, 1, cap - n - 1, f)) > 0;) {
        n += r;
        if (cap - n - 1 == 0) {
            char *p = cap < CODEFMT_MAXFILE ? realloc(buf, cap * 2) : NULL;
            if (!p) {
                free(buf);
                buf = NULL;
            }
            buf = p;
            cap *= 2;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        free(buf);
        snprintf(err, errsz, "%s: %s", path, bad ? "read error" : "too large or out of memory");
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Next line from *p (without its newline, CR trimmed); NULL at the end. */
static char *next_line(char **p, char *end, size_t *len)
{
    if (*p >= end)
        return NULL;
    char *s = *p, *nl = memchr(s, '\n', (size_t)(end - s));
    char *e = nl ? nl : end;
    *p = nl ? nl + 1 : end;
    if (e > s && e[-1] == '\r')
        e--;
    *e = '\0';
    *len = (size_t)(e - s);
    return s;
}

/* One RFC 4180 record from *p, unquoted in place; returns the number of
 * fields (at most max), 0 at the end, -1 for an unterminated quote. */
static int csv_record(char **p, char *end, char **f, int max)
{
    char *s = *p;
    if (s >= end)
        return 0;
    int n = 0;
    for (;;) {
        char *o = s, *start = s;
        if (*s == '"') {
            for (s++;; s++) {
                if (s >= end)
                    return -1;
                if (*s == '"' && s + 1 < end && s[1] == '"')
                    *o++ = '"', s++;
                else if (*s == '"') {
                    s++;
                    break;
                } else
                    *o++ = *s;
            }
        }
        while (s < end && *s != ',' && *s != '\n' && *s != '\r')
            *o++ = *s++;
        char sep = s < end ? *s : '\n';
        *o = '\0'; /* o <= s: the separator was read first */
        if (n < max)
            f[n++] = start;
        if (sep == ',') {
            s++;
            continue;
        }
        if (s < end && sep == '\r')
            s++, sep = s < end ? *s : '\n';
        if (s < end && sep == '\n')
            s++;
        break;
    }
    *p = s;
    return n;
}

/* Column index of NAME in a header record, or -1. */
static int column(char **f, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(f[i], name) == 0)
            return i;
    return -1;
}

/* ---- ICD-10-CM ---- */

/* icd10cm_order_YYYY.txt: "00001 A00     0 Cholera<pad to 60> Cholera".
 * Columns (from 1): order 1-5, code 7-13, billable 15, short 17-76,
 * long 78 to the end of the line. */
int cms_read_icd_order(cms_table *t, const char *path, char *err, size_t errsz)
{
    size_t len, ll;
    char *buf = slurp(path, &len, err, errsz), *p = buf, *line;
    if (!buf)
        return -1;
    t->seq++;
    int lineno = 0, rc = 0;
    while ((line = next_line(&p, buf + len, &ll)) != NULL) {
        lineno++;
        if (ll == 0)
            continue;
        char code[16];
        if (ll < 78 || line[5] != ' ' || line[13] != ' ' || line[15] != ' ' ||
            (line[14] != '0' && line[14] != '1') || code_field(line + 6, 7, code) != 0 ||
            !icd_key(code)) {
            snprintf(err, errsz, "%s:%d: not an ICD-10-CM order record", path, lineno);
            rc = -1;
            break;
        }
        entry *e = add(t, code, CODEFMT_ICD10);
        if (!e) {
            snprintf(err, errsz, "out of memory");
            rc = -1;
            break;
        }
        e->flags = line[14] == '1' ? CODEFMT_F_BILLABLE : 0;
        e->sdesc = keep_trim(t, line + 16, 60);
        e->ldesc = keep_trim(t, line + 77, ll - 77);
    }
    free(buf);
    return rc;
}

/* icd10cm_2019.csv: code,billable,short_desc,long_desc,...,sub_chapter,chapter */
int cms_read_icd_csv(cms_table *t, const char *path, char *err, size_t errsz)
{
    size_t len;
    char *buf = slurp(path, &len, err, errsz), *p = buf, *f[16];
    if (!buf)
        return -1;
    t->seq++;
    int n = csv_record(&p, buf + len, f, 16);
    int ccode = column(f, n, "code"), cbill = column(f, n, "billable"),
        cshort = column(f, n, "short_desc"), clong = column(f, n, "long_desc"),
        csect = column(f, n, "sub_chapter"), cchap = column(f, n, "chapter");
    int rc = 0, rec = 1, need = ccode > cbill ? ccode : cbill;
    if (ccode < 0 || cbill < 0 || cshort < 0 || clong < 0) {
        snprintf(err, errsz, "%s: header lacks code,billable,short_desc,long_desc", path);
        free(buf);
        return -1;
    }
    need = need > cshort ? need : cshort;
    need = need > clong ? need : clong;
    while ((n = csv_record(&p, buf + len, f, 16)) != 0) {
        rec++;
        char code[16];
        if (n <= need || code_field(f[ccode], strlen(f[ccode]), code) || !icd_key(code)) {
            snprintf(err, errsz, "%s: record %d: not an ICD-10-CM record", path, rec);
            rc = -1;
            break;
        }
        entry *e = add(t, code, CODEFMT_ICD10);
        if (!e) {
            snprintf(err, errsz, "out of memory");
            rc = -1;
            break;
        }
        e->flags = strcmp(f[cbill], "1") == 0 ? CODEFMT_F_BILLABLE : 0;
        e->sdesc = keep_trim(t, f[cshort], strlen(f[cshort]));
        e->ldesc = keep_trim(t, f[clong], strlen(f[clong]));
        if (csect >= 0 && csect < n)
            e->section = keep_trim(t, f[csect], strlen(f[csect]));
        if (cchap >= 0 && cchap < n)
            e->chapter = keep_trim(t, f[cchap], strlen(f[cchap]));
    }
    free(buf);
    return rc;
}

static const char *child_text(cms_table *t, xmlNode *node, const char *name)
{
    for (xmlNode *c = node->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0) {
            xmlChar *s = xmlNodeGetContent(c);
            const char *k = s ? keep_trim(t, (const char *)s, strlen((const char *)s)) : NULL;
            xmlFree(s);
            return k;
        }
    return NULL;
}

static int hint_add(cms_table *t, const char *code, const char *sect, const char *chap)
{
    char key[16];
    if (!code || code_field(code, strlen(code), key) != 0 || !icd_key(key))
        return 0; /* not a code: the tabular's own business */
    if (t->nhint == t->caphint) {
        size_t cap = t->caphint ? t->caphint * 2 : 4096;
        section_hint *h = realloc(t->hint, cap * sizeof *h);
        if (!h)
            return -1;
        t->hint = h;
        t->caphint = cap;
    }
    section_hint *h = &t->hint[t->nhint++];
    memset(h->key, 0, sizeof h->key);
    memcpy(h->key, key, strlen(key));
    h->section = sect;
    h->chapter = chap;
    return 0;
}

/* Every <diag> below a section, at any depth, belongs to that section. */
static int walk_diags(cms_table *t, xmlNode *node, const char *sect, const char *chap)
{
    for (xmlNode *c = node->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "diag") != 0)
            continue;
        if (hint_add(t, child_text(t, c, "name"), sect, chap) != 0 ||
            walk_diags(t, c, sect, chap) != 0)
            return -1;
    }
    return 0;
}

static int walk_chapter(cms_table *t, xmlNode *chapter)
{
    const char *chap = child_text(t, chapter, "desc");
    for (xmlNode *c = chapter->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "section") == 0 &&
            walk_diags(t, c, child_text(t, c, "desc"), chap) != 0)
            return -1;
    return 0;
}

/* icd10cm_tabular_YYYY.xml: <ICD10CM.tabular><version>2019</version>
 * <chapter><name/><desc/><section id=".."><desc/><diag><name/><desc/>
 * <diag>...  The order file has no hierarchy above the category; the
 * tabular gives each code its chapter and section (block). */
int cms_read_icd_tabular(cms_table *t, const char *path, char *err, size_t errsz)
{
    xmlDoc *doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                              XML_PARSE_NOWARNING);
    if (!doc) {
        const xmlError *x = xmlGetLastError();
        snprintf(err, errsz, "%s:%d: not well-formed XML", path, x ? x->line : 0);
        return -1;
    }
    xmlNode *root = xmlDocGetRootElement(doc);
    int rc = 0;
    if (!root || strcmp((const char *)root->name, "ICD10CM.tabular") != 0) {
        snprintf(err, errsz, "%s: not an ICD-10-CM tabular file", path);
        rc = -1;
    }
    for (xmlNode *c = root && !rc ? root->children : NULL; c && !rc; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)c->name, "version") == 0 && !t->rel[0]) {
            xmlChar *v = xmlNodeGetContent(c);
            char label[64];
            snprintf(label, sizeof label, "FY%.40s", v ? (const char *)v : "");
            xmlFree(v);
            t->rel[0] = keep(t, label, strlen(label));
        } else if (strcmp((const char *)c->name, "chapter") == 0 && walk_chapter(t, c) != 0) {
            snprintf(err, errsz, "out of memory");
            rc = -1;
        }
    }
    xmlFreeDoc(doc);
    return rc;
}

/* ---- HCPCS Level II ---- */

/* An HCPCS description field: CDT (D) codes are the ADA's; kept as codes,
 * their text is not shipped, as with CPT. */
static void set_desc(cms_table *t, entry *e, const char *s, const char *l)
{
    if (e->key[0] == 'D' && e->key[7] == CODEFMT_HCPCS) {
        e->flags |= CODEFMT_F_NO_DESC;
        return;
    }
    e->sdesc = s;
    e->ldesc = l;
    (void)t;
}

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static size_t field_len(size_t ll, size_t from, size_t width)
{
    return ll <= from ? 0 : ll - from < width ? ll - from : width;
}

/* Whether a long description field fills its 80 columns: the text then
 * runs on into the next record, maybe mid-word, so no space is added. */
static int runs_on(const char *line, size_t ll)
{
    return ll >= 91 && line[90] != ' ';
}

/* Appends a continuation record's text to the long description. */
static int hcpcs_continue(cms_table *t, entry *e, const char *s, size_t n, int glue)
{
    const char *more = keep_trim(t, s, n);
    if (!more || (e->flags & CODEFMT_F_NO_DESC))
        return 0;
    size_t a = e->ldesc ? strlen(e->ldesc) : 0, b = strlen(more);
    char *joined = malloc(a + b + 2);
    if (!joined)
        return -1;
    snprintf(joined, a + b + 2, "%s%s%s", a ? e->ldesc : "", a && !glue ? " " : "", more);
    e->ldesc = keep(t, joined, a + b + 1);
    free(joined);
    return e->ldesc ? 0 : -1;
}

/* HCPCYYYY_CONTR_ANWEB.txt, 320-column records (from 1): code 1-5,
 * sequence 6-10, record id 11 (3 procedure, 4 its continuation, 7
 * modifier, 8 its continuation), long description 12-91, short 92-119,
 * termination date 285-292.  A long description continues on records 4/8. */
int cms_read_hcpcs_fixed(cms_table *t, const char *path, char *err, size_t errsz)
{
    size_t len, ll;
    char *buf = slurp(path, &len, err, errsz), *p = buf, *line;
    if (!buf)
        return -1;
    t->seq++;
    t->hflags |= CODEFMT_H_FULL;
    int lineno = 0, rc = 0, nrec = 0, prev_full = 0;
    entry *cur = NULL;
    while (rc == 0 && (line = next_line(&p, buf + len, &ll)) != NULL) {
        lineno++;
        char code[16];
        char id = ll > 11 ? line[10] : 0;
        if (!id || !strchr("3478", id) || !all_digits(line + 5, 5))
            continue; /* title lines at the top, blank lines */
        int ok = code_field(line, 5, code) == 0 &&
                 ((id == '3' || id == '4') ? hcpcs_key(code) : modifier_key(code));
        int glue = prev_full;
        prev_full = ok && runs_on(line, ll);
        if (ok && (id == '4' || id == '8')) {
            if (!cur || strncmp(cur->key, code, 7) != 0) {
                snprintf(err, errsz, "%s:%d: continuation of no record", path, lineno);
                rc = -1;
            } else if (hcpcs_continue(t, cur, line + 11, field_len(ll, 11, 80), glue) != 0) {
                snprintf(err, errsz, "out of memory");
                rc = -1;
            }
            continue;
        }
        if (!ok) {
            snprintf(err, errsz, "%s:%d: not an HCPCS record", path, lineno);
            rc = -1;
            break;
        }
        cur = add(t, code, id == '3' ? CODEFMT_HCPCS : CODEFMT_MODIFIER);
        if (!cur) {
            snprintf(err, errsz, "out of memory");
            rc = -1;
            break;
        }
        nrec++;
        cur->flags = CODEFMT_F_IN_FULL;
        set_desc(t, cur, keep_trim(t, line + 91, field_len(ll, 91, 28)),
                 keep_trim(t, line + 11, field_len(ll, 11, 80)));
        if (keep_trim(t, line + 284, field_len(ll, 284, 8)))
            cur->flags |= CODEFMT_F_TERMINATED;
    }
    if (rc == 0 && nrec == 0) {
        snprintf(err, errsz, "%s: no HCPCS records", path);
        rc = -1;
    }
    free(buf);
    return rc;
}

typedef struct {
    int code, kind, sdesc, ldesc, si;
} csv_cols;

static int hcpcs_csv(cms_table *t, const char *path, int opps, char *err, size_t errsz)
{
    size_t len;
    char *buf = slurp(path, &len, err, errsz), *p = buf, *f[16];
    if (!buf)
        return -1;
    t->seq++;
    t->hflags |= opps ? CODEFMT_H_OPPS : CODEFMT_H_FULL;
    int n = csv_record(&p, buf + len, f, 16), rc = 0, rec = 1;
    csv_cols c = {column(f, n, "code"), column(f, n, "kind"), column(f, n, "short_desc"),
                  column(f, n, "long_desc"), column(f, n, "opps_status_indicator")};
    if (c.code < 0 || c.sdesc < 0 || (opps ? c.si < 0 : c.ldesc < 0)) {
        snprintf(err, errsz, "%s: header lacks the HCPCS columns", path);
        free(buf);
        return -1;
    }
    while (rc == 0 && (n = csv_record(&p, buf + len, f, 16)) != 0) {
        rec++;
        char code[16];
        if (n <= c.code || n <= c.sdesc || code_field(f[c.code], strlen(f[c.code]), code)) {
            snprintf(err, errsz, "%s: record %d: not an HCPCS record", path, rec);
            rc = -1;
            break;
        }
        int kind = hcpcs_key(code) ? CODEFMT_HCPCS : modifier_key(code) ? CODEFMT_MODIFIER : 0;
        if (!kind)
            continue; /* CPT rows: no CPT content is shipped */
        entry *e = add(t, code, kind);
        if (!e) {
            snprintf(err, errsz, "out of memory");
            rc = -1;
            break;
        }
        e->flags = opps ? CODEFMT_F_IN_OPPS : CODEFMT_F_IN_FULL;
        const char *ld = !opps && c.ldesc < n ? keep_trim(t, f[c.ldesc], strlen(f[c.ldesc])) : NULL;
        set_desc(t, e, keep_trim(t, f[c.sdesc], strlen(f[c.sdesc])), ld);
        if (opps && c.si < n && strlen(f[c.si]) <= 2 && f[c.si][0])
            memcpy(&e->aux, f[c.si], strlen(f[c.si]));
    }
    free(buf);
    return rc;
}

/* hcpcs_level2_2019.csv: code,kind,short_desc,long_desc (a full release). */
int cms_read_hcpcs_csv(cms_table *t, const char *path, char *err, size_t errsz)
{
    return hcpcs_csv(t, path, 0, err, errsz);
}

/* OPPS Addendum B extract: code,short_desc,opps_status_indicator (a subset). */
int cms_read_opps_csv(cms_table *t, const char *path, char *err, size_t errsz)
{
    return hcpcs_csv(t, path, 1, err, errsz);
}

/* ---- merging: one record per code, the newest input winning ---- */

static int entry_cmp(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    int c = memcmp(x->key, y->key, CODEFMT_KEYLEN);
    return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* A newer short description without a long one makes the older long
 * description stale unless the short ones agree. */
static void merge_into(entry *old, const entry *nw)
{
    if (nw->sdesc) {
        if (nw->ldesc)
            old->ldesc = nw->ldesc;
        else if (!old->sdesc || strcmp(old->sdesc, nw->sdesc) != 0)
            old->ldesc = NULL;
        old->sdesc = nw->sdesc;
    } else if (nw->ldesc) {
        old->ldesc = nw->ldesc;
    }
    if (old->key[7] == CODEFMT_ICD10 || (nw->flags & CODEFMT_F_IN_FULL))
        old->flags = (uint16_t)((old->flags & ~(CODEFMT_F_TERMINATED | CODEFMT_F_BILLABLE)) |
                                nw->flags);
    else
        old->flags |= nw->flags;
    if (nw->aux)
        old->aux = nw->aux;
    if (nw->section)
        old->section = nw->section, old->chapter = nw->chapter;
    old->seq = nw->seq;
}

static void merge(cms_table *t)
{
    if (!t->n)
        return;
    qsort(t->e, t->n, sizeof *t->e, entry_cmp);
    size_t o = 0;
    for (size_t i = 1; i < t->n; i++) {
        if (memcmp(t->e[o].key, t->e[i].key, CODEFMT_KEYLEN) == 0)
            merge_into(&t->e[o], &t->e[i]);
        else
            t->e[++o] = t->e[i];
    }
    t->n = o + 1;
}

static int hint_cmp(const void *a, const void *b)
{
    return memcmp(((const section_hint *)a)->key, ((const section_hint *)b)->key, CODEFMT_KEYLEN);
}

/* The tabular lists codes up to the 6th character; a code with a 7th
 * character takes its section from its longest listed prefix. */
static void apply_hints(cms_table *t)
{
    if (!t->nhint)
        return;
    qsort(t->hint, t->nhint, sizeof *t->hint, hint_cmp);
    for (size_t i = 0; i < t->n; i++) {
        entry *e = &t->e[i];
        if (e->key[7] != CODEFMT_ICD10 || e->section)
            continue;
        section_hint probe;
        memset(&probe, 0, sizeof probe);
        memcpy(probe.key, e->key, 7);
        for (size_t n = strnlen(e->key, 7); n >= 3; n--) {
            probe.key[n] = '\0';
            section_hint *h = bsearch(&probe, t->hint, t->nhint, sizeof *h, hint_cmp);
            if (h) {
                e->section = h->section;
                e->chapter = h->chapter;
                break;
            }
        }
    }
}


/* ---- encoding and writing ---- */

typedef struct {
    unsigned char *b;
    size_t n, cap;
} bytes;

static int put(bytes *o, const void *p, size_t n)
{
    if (o->n + n > o->cap) {
        size_t cap = o->cap ? o->cap : 1 << 16;
        while (cap < o->n + n)
            cap *= 2;
        unsigned char *b = realloc(o->b, cap);
        if (!b)
            return -1;
        o->b = b;
        o->cap = cap;
    }
    memcpy(o->b + o->n, p, n);
    o->n += n;
    return 0;
}

static int put_str(bytes *o, const char *s, uint32_t *off)
{
    *off = (uint32_t)o->n;
    return put(o, s ? s : "", strlen(s ? s : "") + 1);
}

typedef struct {
    phrases *ph;           /* the descriptions */
    smap sects;
    long *sidx, *lidx;     /* per entry: phrase string index */
    uint32_t *sect;        /* per entry: section index + 1 */
    const char **sname, **schap;
    size_t nsect;
    bytes str, desc;
    uint32_t *rdesc;       /* per entry: offset of its streams in desc */
} enc;

static void enc_free(enc *x)
{
    phrases_free(x->ph);
    smap_free(&x->sects), free(x->sidx), free(x->lidx), free(x->sect);
    free(x->sname), free(x->schap), free(x->str.b), free(x->desc.b), free(x->rdesc);
}

static int intern_section(cms_table *t, enc *x, const entry *e, uint32_t *idx)
{
    *idx = 0;
    if (!e->section)
        return 0;
    char buf[1024];
    int n = snprintf(buf, sizeof buf, "%s\x1f%s", e->section, e->chapter ? e->chapter : "");
    const char *k = keep(t, buf, n < 0 ? 0 : (size_t)n >= sizeof buf ? sizeof buf - 1 : (size_t)n);
    smap_slot *sl = k ? smap_get(&x->sects, k, strlen(k)) : NULL;
    if (!sl)
        return -1;
    if (sl->val == UINT32_MAX) {
        if (x->nsect >= 0xfffe)
            return -1;
        sl->val = (uint32_t)x->nsect;
        x->sname[x->nsect] = e->section;
        x->schap[x->nsect++] = e->chapter;
    }
    *idx = sl->val + 1;
    return 0;
}

static int collect(cms_table *t, enc *x)
{
    size_t n = t->n;
    x->ph = phrases_new();
    x->sidx = malloc((n + 1) * sizeof *x->sidx);
    x->lidx = malloc((n + 1) * sizeof *x->lidx);
    x->sect = malloc((n + 1) * sizeof *x->sect);
    x->sname = malloc((n + 1) * sizeof *x->sname);
    x->schap = malloc((n + 1) * sizeof *x->schap);
    if (!x->ph || !x->sidx || !x->lidx || !x->sect || !x->sname || !x->schap)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const entry *e = &t->e[i];
        const char *s = e->sdesc ? e->sdesc : e->ldesc ? e->ldesc : "";
        const char *l = e->ldesc ? e->ldesc : s;
        if (e->flags & CODEFMT_F_NO_DESC)
            s = l = "";
        x->sidx[i] = phrases_add(x->ph, s);
        x->lidx[i] = phrases_add(x->ph, l);
        if (x->sidx[i] < 0 || x->lidx[i] < 0 ||
            (e->key[7] == CODEFMT_ICD10 && intern_section(t, x, e, &x->sect[i]) != 0))
            return -1;
    }
    return phrases_build(x->ph);
}

static int put_stream(enc *x, const unsigned char *all, size_t size, long idx)
{
    uint32_t off = phrases_offset(x->ph, idx);
    const unsigned char *end = off < size ? memchr(all + off, 0, size - off) : NULL;
    return end ? put(&x->desc, all + off, (size_t)(end - (all + off)) + 1) : -1;
}

/* One place per record: the short description's stream, then the long
 * one's when it differs (so a record needs one offset, not two); records
 * with the same pair share it. */
static int pack_descs(cms_table *t, enc *x)
{
    size_t size;
    const unsigned char *all = phrases_streams(x->ph, &size);
    x->rdesc = malloc((t->n + 1) * sizeof *x->rdesc);
    smap seen = {0};
    int rc = x->rdesc ? 0 : -1;
    for (size_t i = 0; i < t->n && rc == 0; i++) {
        char k[48];
        int kn = snprintf(k, sizeof k, "%ld,%ld", x->sidx[i], x->lidx[i]);
        const char *kk = keep(t, k, (size_t)kn);
        smap_slot *sl = kk ? smap_get(&seen, kk, (size_t)kn) : NULL;
        if (!sl) {
            rc = -1;
            break;
        }
        int two = x->lidx[i] != x->sidx[i];
        if (sl->val == UINT32_MAX) {
            sl->val = (uint32_t)x->desc.n;
            rc = put_stream(x, all, size, x->sidx[i]);
            if (rc == 0 && two)
                rc = put_stream(x, all, size, x->lidx[i]);
        }
        x->rdesc[i] = sl->val;
        t->e[i].flags = (uint16_t)(two ? t->e[i].flags | CODEFMT_F_LONG
                                       : t->e[i].flags & ~CODEFMT_F_LONG);
    }
    smap_free(&seen);
    return rc;
}

static uint32_t align4(uint32_t v)
{
    return (v + 3u) & ~3u;
}

static int write_all(FILE *f, const codefmt_header *h, const cms_table *t, const enc *x,
                     const uint32_t *vocab_off, const codefmt_sect *sect)
{
    static const char pad[4];
    int ok = fwrite(h, sizeof *h, 1, f) == 1;
    for (size_t i = 0; ok && i < t->n; i++) {
        const entry *e = &t->e[i];
        codefmt_rec r;
        memcpy(r.key, e->key, CODEFMT_KEYLEN);
        r.desc = x->rdesc[i];
        r.flags = e->flags;
        r.aux = e->key[7] == CODEFMT_ICD10 ? (uint16_t)x->sect[i] : e->aux;
        ok = fwrite(&r, sizeof r, 1, f) == 1;
    }
    ok = ok && fwrite(vocab_off, 4, h->nvocab, f) == h->nvocab;
    ok = ok && fwrite(sect, sizeof *sect, h->nsect, f) == h->nsect;
    ok = ok && fwrite(x->str.b, 1, x->str.n, f) == x->str.n;
    ok = ok && fwrite(pad, 1, h->desc_off - h->str_off - h->str_size, f) ==
                   h->desc_off - h->str_off - h->str_size;
    ok = ok && fwrite(x->desc.b, 1, x->desc.n, f) == x->desc.n;
    return ok ? 0 : -1;
}

/* The string pool: "" at 0, the vocabulary, sections, release labels. */
static int pool(const cms_table *t, enc *x, codefmt_header *h, uint32_t *vocab_off,
                codefmt_sect *sect)
{
    uint32_t off;
    if (put_str(&x->str, "", &off) != 0)
        return -1;
    for (size_t i = 0; i < phrases_vocab_size(x->ph); i++) {
        size_t len;
        const char *w = phrases_vocab_at(x->ph, i, &len);
        vocab_off[i] = (uint32_t)x->str.n;
        if (put(&x->str, w, len) != 0 || put(&x->str, "", 1) != 0)
            return -1;
    }
    for (size_t i = 0; i < x->nsect; i++)
        if (put_str(&x->str, x->sname[i], &sect[i].name) != 0 ||
            put_str(&x->str, x->schap[i], &sect[i].chapter) != 0)
            return -1;
    uint32_t *rel[3] = {&h->icd_release, &h->hcpcs_release, &h->opps_release};
    for (int i = 0; i < 3; i++) {
        if (put_str(&x->str, t->rel[i], &off) != 0)
            return -1;
        *rel[i] = off;
    }
    return 0;
}

static int layout(codefmt_header *h, const cms_table *t, const enc *x)
{
    size_t dsize = x->desc.n, nvocab = phrases_vocab_size(x->ph);
    uint64_t total = sizeof *h + (uint64_t)t->n * sizeof(codefmt_rec) + (uint64_t)nvocab * 4 +
                     (uint64_t)x->nsect * sizeof(codefmt_sect) + x->str.n + 3 + dsize;
    if (total > CODEFMT_MAXFILE)
        return -1;
    memcpy(h->magic, CODEFMT_MAGIC, 8);
    h->version = CODEFMT_VERSION;
    h->endian = CODEFMT_ENDIAN;
    h->flags = t->hflags;
    h->nrec = (uint32_t)t->n;
    h->rec_off = sizeof *h;
    h->nvocab = (uint32_t)nvocab;
    h->vocab_off = h->rec_off + h->nrec * (uint32_t)sizeof(codefmt_rec);
    h->nsect = (uint32_t)x->nsect;
    h->sect_off = h->vocab_off + h->nvocab * 4;
    h->str_off = h->sect_off + h->nsect * (uint32_t)sizeof(codefmt_sect);
    h->str_size = (uint32_t)x->str.n;
    h->desc_off = align4(h->str_off + h->str_size);
    h->desc_size = (uint32_t)dsize;
    h->file_size = h->desc_off + h->desc_size;
    return 0;
}

static int write_file(const char *path, const codefmt_header *h, const cms_table *t,
                      const enc *x, const uint32_t *vocab_off, const codefmt_sect *sect,
                      char *err, size_t errsz)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        snprintf(err, errsz, "%s: path too long", path);
        return -1;
    }
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        snprintf(err, errsz, "%s: %s", tmp, strerror(errno));
        return -1;
    }
    int rc = write_all(f, h, t, x, vocab_off, sect);
    if (fclose(f) != 0 || rc != 0 || rename(tmp, path) != 0) {
        snprintf(err, errsz, "%s: %s", path, strerror(errno));
        remove(tmp);
        return -1;
    }
    return 0;
}

int cms_table_write(cms_table *t, const char *path, char *err, size_t errsz)
{
    merge(t);
    apply_hints(t);
    enc x;
    memset(&x, 0, sizeof x);
    codefmt_header h;
    memset(&h, 0, sizeof h);
    uint32_t *vocab_off = NULL;
    codefmt_sect *sect = NULL;
    int rc = collect(t, &x);
    if (rc == 0)
        rc = pack_descs(t, &x);
    if (rc == 0) {
        vocab_off = malloc((phrases_vocab_size(x.ph) + 1) * sizeof *vocab_off);
        sect = calloc(x.nsect + 1, sizeof *sect);
        rc = vocab_off && sect ? pool(t, &x, &h, vocab_off, sect) : -1;
    }
    if (rc == 0)
        rc = layout(&h, t, &x);
    if (rc != 0)
        snprintf(err, errsz, "out of memory or table too large");
    else
        rc = write_file(path, &h, t, &x, vocab_off, sect, err, errsz);
    free(vocab_off);
    free(sect);
    enc_free(&x);
    return rc;
}
