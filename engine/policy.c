/* policy: loads a payer policy from XML, hardened against hostile files,
 * validates it against policies/policy.rng, and builds the criteria and
 * rules that check.c evaluates. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include "codes/codeset.h"
#include "core/paths.h"
#include "engine/check.h"
#include "engine/policy_impl.h"

#define NS "urn:casereview:policy:1"

/* Named patterns a policy's patterns may use as @name@
 * (policies/concepts.tsv): the clinical words several policies share. */
typedef struct {
    char **name, **pat;
    size_t n;
} concepts;

typedef struct {
    const char *path;
    char *err;
    size_t errsz;
    int failed;
    concepts con;
} loader;

/* First error wins: later ones are usually consequences of it. */
static void lerr(loader *L, int line, const char *fmt, ...)
{
    if (L->failed)
        return;
    L->failed = 1;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line > 0)
        snprintf(L->err, L->errsz, "%s:%d: %s", L->path, line, msg);
    else
        snprintf(L->err, L->errsz, "%s: %s", L->path, msg);
}

static void xml_error(void *data, xmlErrorPtr e)
{
    loader *L = data;
    if (!e || e->level < XML_ERR_ERROR)
        return;
    char msg[400];
    snprintf(msg, sizeof msg, "%s", e->message ? e->message : "XML error");
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    for (char *p = msg; *p; p++)
        if ((unsigned char)*p < 0x20)
            *p = ' ';
    lerr(L, e->line, "%s", msg);
}

static char *read_limited(loader *L, size_t *len)
{
    FILE *f = fopen(L->path, "rb");
    if (!f) {
        lerr(L, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    char *buf = malloc(POLICY_MAX_BYTES + 1);
    size_t n = buf ? fread(buf, 1, POLICY_MAX_BYTES + 1, f) : 0;
    int rerr = ferror(f);
    fclose(f);
    if (!buf) {
        lerr(L, 0, "out of memory");
        return NULL;
    }
    if (rerr) {
        lerr(L, 0, "read error");
        free(buf);
        return NULL;
    }
    if (n > POLICY_MAX_BYTES) {
        lerr(L, 0, "file is larger than the %zu-byte limit for a policy",
             (size_t)POLICY_MAX_BYTES);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static int line_of(const char *buf, const char *p)
{
    int line = 1;
    for (const char *q = buf; q < p; q++)
        line += *q == '\n';
    return line;
}

/* A DOCTYPE is the door to external entities (XXE) and to entity
 * expansion (billion laughs); a policy has no use for one, so refuse it
 * before the parser sees it. */
static int refuse_doctype(loader *L, const char *buf, size_t len)
{
    static const char *bad[] = {"<!DOCTYPE", "<!ENTITY"};
    for (size_t i = 0; i < 2; i++) {
        size_t k = strlen(bad[i]);
        for (size_t j = 0; j + k <= len; j++)
            if (buf[j] == '<' && strncasecmp(buf + j, bad[i], k) == 0) {
                lerr(L, line_of(buf, buf + j),
                     "%s is not allowed in a policy (no DTDs or entities)",
                     i ? "an entity declaration" : "a DOCTYPE");
                return -1;
            }
    }
    if (memchr(buf, '\0', len)) {
        lerr(L, line_of(buf, buf + strlen(buf)), "NUL byte in file");
        return -1;
    }
    return 0;
}

static xmlRelaxNGPtr schema_get(loader *L, const char *schema)
{
    static xmlRelaxNGPtr cached;
    static char cached_path[4096];
    char def[4096];
    if (!schema) {
        if (paths_join(def, sizeof def, "policies/policy.rng") < 0) {
            lerr(L, 0, "schema path too long");
            return NULL;
        }
        schema = def;
    }
    if (cached && strcmp(cached_path, schema) == 0)
        return cached;
    loader S = {schema, L->err, L->errsz, 0, {0}};
    xmlSetStructuredErrorFunc(&S, xml_error);
    xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewParserCtxt(schema);
    xmlRelaxNGPtr rng = pc ? xmlRelaxNGParse(pc) : NULL;
    if (pc)
        xmlRelaxNGFreeParserCtxt(pc);
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (!rng) {
        if (!S.failed)
            snprintf(L->err, L->errsz, "%s: cannot load the policy schema",
                     schema);
        L->failed = 1;
        return NULL;
    }
    if (cached)
        xmlRelaxNGFree(cached);
    cached = rng;
    snprintf(cached_path, sizeof cached_path, "%s", schema);
    return cached;
}

static xmlDocPtr parse_and_validate(loader *L, const char *schema)
{
    size_t len;
    char *buf = read_limited(L, &len);
    if (!buf)
        return NULL;
    if (refuse_doctype(L, buf, len) < 0) {
        free(buf);
        return NULL;
    }
    xmlRelaxNGPtr rng = schema_get(L, schema);
    if (!rng) {
        free(buf);
        return NULL;
    }
    xmlSetStructuredErrorFunc(L, xml_error);
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    xmlDocPtr doc = NULL;
    if (ctxt) {
        /* NONET: never fetch anything; no NOENT, DTDLOAD or HUGE. */
        doc = xmlCtxtReadMemory(ctxt, buf, (int)len, L->path, NULL,
                                XML_PARSE_NONET | XML_PARSE_NOCDATA);
        xmlFreeParserCtxt(ctxt);
    }
    free(buf);
    if (doc && (doc->intSubset || doc->extSubset)) {
        lerr(L, 1, "a DOCTYPE is not allowed in a policy");
        xmlFreeDoc(doc);
        doc = NULL;
    }
    if (doc) {
        xmlRelaxNGValidCtxtPtr vc = xmlRelaxNGNewValidCtxt(rng);
        xmlRelaxNGSetValidStructuredErrors(vc, xml_error, L);
        int rc = vc ? xmlRelaxNGValidateDoc(vc, doc) : -1;
        if (vc)
            xmlRelaxNGFreeValidCtxt(vc);
        if (rc != 0) {
            lerr(L, 0, "does not follow the policy schema");
            xmlFreeDoc(doc);
            doc = NULL;
        }
    } else {
        lerr(L, 0, "not well-formed XML");
    }
    xmlSetStructuredErrorFunc(NULL, NULL);
    return doc;
}

/* ---- DOM helpers ---- */

static int is_el(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE &&
           strcmp((const char *)n->name, name) == 0;
}

static char *attr(const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = strdup((const char *)v);
    xmlFree(v);
    return s;
}

static char *text_of(const xmlNode *n)
{
    xmlChar *v = xmlNodeGetContent(n);
    char *s = strdup(v ? (const char *)v : "");
    xmlFree(v);
    /* Collapse the file's line breaks and indentation: the verbatim text
     * is the policy's words, not the XML layout. */
    char *w = s;
    int sp = 1;
    for (const char *r = s; *r; r++) {
        if (isspace((unsigned char)*r)) {
            if (!sp)
                *w++ = ' ';
            sp = 1;
        } else {
            *w++ = *r;
            sp = 0;
        }
    }
    if (w > s && w[-1] == ' ')
        w--;
    *w = '\0';
    return s;
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if (is_el(c, name))
            return c;
    return NULL;
}

static void *grow(void *p, size_t n, size_t sz)
{
    return realloc(p, (n + 1) * sz);
}

/* ---- regexes ---- */

/* Bytes all patterns together read before each is compiled to machine
 * code: a few seed-sized cases stay below it, a 1 MB note passes it
 * within its first tenth. */
#define JIT_AFTER_BYTES (16u << 20)

int policy_re_find(const pcre2_code *re, const char *s, size_t len,
                   size_t off, size_t *ms, size_t *me, size_t *ts,
                   size_t *te)
{
    static pcre2_match_context *mctx;
    if (!mctx) {
        mctx = pcre2_match_context_create(NULL);
        if (mctx) {
            pcre2_set_match_limit(mctx, 200000);
            pcre2_set_depth_limit(mctx, 2000);
        }
    }
    /* One match block, reused: the engine runs single-threaded and a
     * fresh allocation per call was most of its time. */
    static pcre2_match_data *md;
    if (!md && !(md = pcre2_match_data_create(32, NULL)))
        return 0;
    /* Patterns load uncompiled: for a short case, compiling a policy's
     * hundreds of patterns to machine code costs more than it saves.
     * A long subject, or a case long enough that the patterns together
     * have read many megabytes (a 1 MB note read sentence by sentence),
     * is worth it: each pattern is compiled once, when next used. */
    static size_t scanned;
    scanned += len - off;
    size_t jitsize = 0;
    if ((len - off > 32768 || scanned > JIT_AFTER_BYTES) &&
        pcre2_pattern_info(re, PCRE2_INFO_JITSIZE, &jitsize) == 0 && !jitsize)
        pcre2_jit_compile((pcre2_code *)re, PCRE2_JIT_COMPLETE);
    int rc = pcre2_match(re, (PCRE2_SPTR)s, len, off, 0, md, mctx);
    if (rc < 0)
        return 0;
    if (rc == 0)
        rc = 32; /* more groups than the block holds: the first 32 count */
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    *ms = ov[0];
    *me = ov[1];
    *ts = ov[0];
    *te = ov[1];
    int g = pcre2_substring_number_from_name(re, (PCRE2_SPTR) "t");
    if (g > 0 && g < rc && ov[2 * g] != PCRE2_UNSET) {
        *ts = ov[2 * g];
        *te = ov[2 * g + 1];
    }
    return 1;
}

/* A blank in a policy's pattern stands for any run of blanks, tabs and
 * line breaks in a note: notes are wrapped wherever their writer's editor
 * broke the line ("has\nnot been controlled").  A blank before a
 * quantifier ("a ?b") is one blank character, as many as it says, and so
 * is a blank in a lookbehind, which must keep its length.  Blanks inside a
 * character class, or escaped, are left alone.  NULL when out of
 * memory. */
static char *blanks_match_any_space(const char *pat)
{
    size_t n = strlen(pat);
    char *out = malloc(n * 3 + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    int in_class = 0, depth = 0, behind = 0; /* behind: depth of the
                                                 outermost lookbehind, 0 none */
    for (size_t i = 0; i < n; i++) {
        char c = pat[i];
        if (!in_class && c == '(' && !(i > 0 && pat[i - 1] == '\\')) {
            depth++;
            if (!behind && i + 3 < n && pat[i + 1] == '?' && pat[i + 2] == '<' &&
                (pat[i + 3] == '=' || pat[i + 3] == '!'))
                behind = depth;
        } else if (!in_class && c == ')' && depth > 0) {
            if (behind == depth)
                behind = 0;
            depth--;
        }
        if (c == '\\' && i + 1 < n) {
            out[o++] = c;
            out[o++] = pat[++i];
            continue;
        }
        if (in_class) {
            if (c == ']')
                in_class = 0;
            out[o++] = c;
            continue;
        }
        if (c == '[') {
            in_class = 1;
            out[o++] = c;
            if (i + 1 < n && pat[i + 1] == '^')
                out[o++] = pat[++i];
            if (i + 1 < n && pat[i + 1] == ']')
                out[o++] = pat[++i]; /* a ']' first in a class is itself */
            continue;
        }
        if (c != ' ') {
            out[o++] = c;
            continue;
        }
        while (i + 1 < n && pat[i + 1] == ' ')
            i++;
        char next = i + 1 < n ? pat[i + 1] : '\0';
        out[o++] = '\\';
        out[o++] = 's';
        /* a lookbehind must keep a fixed length: one blank there */
        if (!behind && next != '?' && next != '*' && next != '+' && next != '{')
            out[o++] = '+';
    }
    out[o] = '\0';
    return out;
}

/* ---- concepts: named patterns shared by policies ---- */

#define CONCEPTS_MAX_BYTES (256 * 1024)

static void concepts_free(concepts *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->name[i]);
        free(c->pat[i]);
    }
    free(c->name);
    free(c->pat);
    memset(c, 0, sizeof *c);
}

/* The pattern named name[0,len), or NULL. */
static const char *concept_get(const concepts *c, const char *name, size_t len)
{
    for (size_t i = 0; i < c->n; i++)
        if (strlen(c->name[i]) == len && memcmp(c->name[i], name, len) == 0)
            return c->pat[i];
    return NULL;
}

/* Replaces each @name@ in src by its concept, wrapped in (?:...).  NULL
 * with the unknown name (or "out of memory") in *bad. */
static char *concepts_expand(const concepts *c, const char *src, char *bad, size_t badsz)
{
    size_t cap = strlen(src) + 1, o = 0;
    char *out = malloc(cap);
    for (const char *q = src; out && *q;) {
        const char *end = *q == '@' ? strchr(q + 1, '@') : NULL;
        size_t nl = end ? (size_t)(end - q - 1) : 0;
        int is_name = nl > 0 && nl < 48;
        for (size_t k = 0; is_name && k < nl; k++)
            is_name = (q[1 + k] >= 'a' && q[1 + k] <= 'z') || q[1 + k] == '_' ||
                      (q[1 + k] >= '0' && q[1 + k] <= '9');
        const char *add = q;
        size_t addlen = 1;
        if (is_name) {
            const char *pat = concept_get(c, q + 1, nl);
            if (!pat) {
                snprintf(bad, badsz, "unknown concept @%.*s@ (policies/concepts.tsv)", (int)nl, q + 1);
                free(out);
                return NULL;
            }
            add = pat;
            addlen = strlen(pat);
            q = end + 1;
        } else {
            q++;
        }
        if (o + addlen + 8 > cap) {
            cap = (o + addlen + 8) * 2;
            char *b = realloc(out, cap);
            if (!b) {
                free(out);
                out = NULL;
                break;
            }
            out = b;
        }
        if (is_name)
            out[o++] = '(', out[o++] = '?', out[o++] = ':';
        memcpy(out + o, add, addlen);
        o += addlen;
        if (is_name)
            out[o++] = ')';
    }
    if (!out) {
        snprintf(bad, badsz, "out of memory");
        return NULL;
    }
    out[o] = '\0';
    return out;
}

/* Reads NAME<TAB>PATTERN lines ('#' starts a comment); a pattern may use
 * the concepts above it.  0, or -1 with the file and line in err. */
static int concepts_load(loader *L, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0; /* none: a policy that uses none needs none */
    char *line = NULL;
    size_t cap = 0, total = 0;
    ssize_t len;
    int lineno = 0, rc = 0;
    while (rc == 0 && (len = getline(&line, &cap, f)) > 0) {
        lineno++;
        total += (size_t)len;
        line[strcspn(line, "\r\n")] = '\0';
        if (total > CONCEPTS_MAX_BYTES) {
            snprintf(L->err, L->errsz, "%s: larger than %d bytes", path, CONCEPTS_MAX_BYTES);
            rc = -1;
            break;
        }
        if (!line[0] || line[0] == '#')
            continue;
        char *tab = strchr(line, '\t');
        if (!tab || tab == line || !tab[1]) {
            snprintf(L->err, L->errsz, "%s:%d: expected NAME<TAB>PATTERN", path, lineno);
            rc = -1;
            break;
        }
        *tab = '\0';
        char bad[160];
        char *pat = concepts_expand(&L->con, tab + 1, bad, sizeof bad);
        char **nn = realloc(L->con.name, (L->con.n + 1) * sizeof *nn);
        char **np = nn ? realloc(L->con.pat, (L->con.n + 1) * sizeof *np) : NULL;
        if (nn)
            L->con.name = nn;
        if (np)
            L->con.pat = np;
        if (!pat || !nn || !np) {
            snprintf(L->err, L->errsz, "%s:%d: %s", path, lineno, pat ? "out of memory" : bad);
            free(pat);
            rc = -1;
            break;
        }
        L->con.name[L->con.n] = strdup(line);
        L->con.pat[L->con.n++] = pat;
    }
    free(line);
    fclose(f);
    if (rc)
        L->failed = 1;
    return rc;
}

/* The concepts beside the policy file, else the installed ones. */
static int concepts_find(loader *L)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", L->path);
    char *slash = strrchr(dir, '/');
    if (slash)
        slash[1] = '\0';
    else
        dir[0] = '\0';
    char path[4200];
    snprintf(path, sizeof path, "%sconcepts.tsv", dir);
    if (access(path, R_OK) != 0 &&
        paths_join(path, sizeof path, "policies/concepts.tsv") < 0)
        return 0;
    return concepts_load(L, path);
}

static pcre2_code *re_compile(loader *L, const xmlNode *n, const char *name)
{
    char *raw = attr(n, name);
    if (!raw)
        return NULL;
    char bad[160];
    char *expanded = concepts_expand(&L->con, raw, bad, sizeof bad);
    free(raw);
    if (!expanded) {
        lerr(L, n->line, "in attribute %s: %s", name, bad);
        return NULL;
    }
    char *pat = blanks_match_any_space(expanded);
    free(expanded);
    if (!pat)
        return NULL;
    int ec;
    PCRE2_SIZE eo;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                                   PCRE2_CASELESS | PCRE2_UTF |
                                       PCRE2_MATCH_INVALID_UTF | PCRE2_UCP,
                                   &ec, &eo, NULL);
    free(pat);
    if (!re) {
        PCRE2_UCHAR msg[200];
        pcre2_get_error_message(ec, msg, sizeof msg);
        lerr(L, n->line, "bad pattern in attribute %s at offset %zu: %s",
             name, (size_t)eo, (const char *)msg);
        return NULL;
    }
    /* No JIT: sentences are short and a policy has a hundred patterns,
     * so compiling them to machine code costs more than it saves. */
    return re;
}

/* ---- building the policy ---- */

static unsigned systems_of(const char *s)
{
    unsigned m = 0;
    if (strstr(s, "icd10"))
        m |= 1u << POLICY_CODE_ICD10;
    if (strstr(s, "cpt"))
        m |= 1u << POLICY_CODE_CPT;
    if (strstr(s, "hcpcs"))
        m |= 1u << POLICY_CODE_HCPCS;
    return m;
}

static void build_codes(loader *L, policy *p, const xmlNode *n)
{
    p->codes = grow(p->codes, p->ncodes, sizeof *p->codes);
    struct policy_codes *c = &p->codes[p->ncodes++];
    memset(c, 0, sizeof *c);
    c->id = attr(n, "id");
    c->label = attr(n, "label");
    char *sys = attr(n, "system");
    c->systems = sys ? systems_of(sys) : 0;
    free(sys);
    char *role = attr(n, "role");
    c->role = !role ? POLICY_CODES_SELECTION
              : strcmp(role, "covered-diagnoses") == 0  ? POLICY_CODES_DIAGNOSES
              : strcmp(role, "covered-procedures") == 0 ? POLICY_CODES_PROCEDURES
                                                        : POLICY_CODES_SELECTION;
    free(role);
    unsigned icd = 1u << POLICY_CODE_ICD10;
    if (c->role == POLICY_CODES_DIAGNOSES && c->systems != icd)
        lerr(L, n->line, "code list \"%s\": covered diagnoses must be system "
                         "icd10", c->id);
    if (c->role == POLICY_CODES_PROCEDURES && (c->systems & icd))
        lerr(L, n->line, "code list \"%s\": covered procedures cannot be "
                         "icd10", c->id);
    for (const xmlNode *k = n->children; k; k = k->next)
        if (is_el(k, "code")) {
            char **v = grow(c->v, c->n, sizeof *c->v);
            char **dv = v ? grow(c->desc, c->n, sizeof *c->desc) : NULL;
            if (v)
                c->v = v;
            if (!dv) {
                lerr(L, k->line, "out of memory");
                return;
            }
            c->desc = dv;
            c->desc[c->n] = attr(k, "description");
            c->v[c->n++] = text_of(k);
        }
    for (size_t i = 0; i + 1 < p->ncodes; i++)
        if (strcmp(p->codes[i].id, c->id) == 0)
            lerr(L, n->line, "code list id \"%s\" used twice", c->id);
}

static void build_drugs(loader *L, policy *p, const xmlNode *n)
{
    p->drugs = grow(p->drugs, p->ndrugs, sizeof *p->drugs);
    policy_drugs *d = &p->drugs[p->ndrugs++];
    memset(d, 0, sizeof *d);
    d->id = attr(n, "id");
    d->context = re_compile(L, n, "context");
    d->exclude = re_compile(L, n, "exclude");
    d->trial = re_compile(L, n, "trial");
    for (const xmlNode *k = n->children; k; k = k->next) {
        if (!is_el(k, "drug"))
            continue;
        d->v = grow(d->v, d->n, sizeof *d->v);
        policy_drug *g = &d->v[d->n++];
        g->name = attr(k, "name");
        g->re = re_compile(L, k, "re");
        char *ap = attr(k, "approved");
        g->approved = ap && strcmp(ap, "yes") == 0;
        free(ap);
    }
}

static unsigned status_mask(const xmlNode *n)
{
    char *s = attr(n, "status");
    if (!s)
        return 1u << CTX_AFFIRMED;
    unsigned m = 0;
    for (char *tok = strtok(s, " "); tok; tok = strtok(NULL, " ")) {
        ctx_status st;
        if (ctx_status_parse(tok, &st) == 0)
            m |= 1u << st;
    }
    free(s);
    return m;
}

static int num_attr(const xmlNode *n, const char *name, double *out)
{
    char *s = attr(n, name);
    if (!s)
        return 0;
    *out = strtod(s, NULL);
    free(s);
    return 1;
}

static const struct policy_codes *codes_by_id(const policy *p, const char *id)
{
    for (size_t i = 0; i < p->ncodes; i++)
        if (strcmp(p->codes[i].id, id) == 0)
            return &p->codes[i];
    return NULL;
}

static void build_find(loader *L, policy_rule *r, const xmlNode *n)
{
    r->re = re_compile(L, n, "re");
    r->also = re_compile(L, n, "also");
    r->with = re_compile(L, n, "with");
    r->incase = re_compile(L, n, "in-case");
    r->unless = re_compile(L, n, "unless");
    r->status_mask = status_mask(n);
    char *s = attr(n, "negated");
    r->flip = s && strcmp(s, "flip") == 0;
    free(s);
    s = attr(n, "within");
    r->window = !s || strcmp(s, "window") == 0 || strcmp(s, "speaker") == 0;
    r->speaker = s && strcmp(s, "speaker") == 0;
    free(s);
}

static void build_code_rule(loader *L, const policy *p, policy_rule *r,
                            const xmlNode *n)
{
    char *id = attr(n, "list");
    if (id) {
        r->list = codes_by_id(p, id);
        if (!r->list)
            lerr(L, n->line, "no code list with id \"%s\"", id);
        free(id);
    }
    r->pattern = attr(n, "pattern");
    char *a = attr(n, "absent");
    r->absent = a != NULL;
    free(a);
}

static void build_drop(loader *L, policy_rule *r, const xmlNode *n)
{
    r->scales = attr(n, "scales");
    char *m = attr(n, "mode");
    r->mode = m && strcmp(m, "percent") == 0 ? DROP_PERCENT : DROP_POINTS;
    free(m);
    r->context = re_compile(L, n, "context");
    r->unless = re_compile(L, n, "unless");
    char *cx = attr(n, "context"), *un = attr(n, "unless");
    size_t kl = strlen(r->scales ? r->scales : "") + strlen(cx ? cx : "") +
                strlen(un ? un : "") + 8;
    if ((r->drop_key = malloc(kl)))
        snprintf(r->drop_key, kl, "%s\x1f%d\x1f%s\x1f%s", r->scales ? r->scales : "",
                 (int)r->mode, cx ? cx : "", un ? un : "");
    free(cx);
    free(un);
    static const char *ops[] = {"ge", "gt", "lt", "le"};
    for (int i = 0; i < 4; i++)
        if (num_attr(n, ops[i], &r->value))
            r->op = (cmp_op)i;
}

static void build_rule(loader *L, const policy *p, policy_rule *r,
                       const xmlNode *n)
{
    memset(r, 0, sizeof *r);
    r->desc = attr(n, "desc");
    r->line = n->line;
    char *dv = attr(n, "decisive");
    r->decisive = !dv ? 0 : strcmp(dv, "over") == 0 ? 2 : 1;
    free(dv);
    r->status_mask = 1u << CTX_AFFIRMED;
    if (is_el(n, "find")) {
        r->kind = RULE_FIND;
        build_find(L, r, n);
    } else if (is_el(n, "code")) {
        r->kind = RULE_CODE;
        build_code_rule(L, p, r, n);
    } else if (is_el(n, "fact")) {
        r->kind = RULE_FACT;
        char *k = attr(n, "kind");
        if (!k || fact_kind_parse(k, &r->fkind) != 0)
            lerr(L, n->line, "unknown fact kind");
        free(k);
        r->name = attr(n, "name");
        r->has_ge = num_attr(n, "ge", &r->ge);
        r->has_lt = num_attr(n, "lt", &r->lt);
        r->status_mask = status_mask(n);
    } else if (is_el(n, "drop")) {
        r->kind = RULE_DROP;
        build_drop(L, r, n);
    } else if (is_el(n, "pump-drugs")) {
        r->kind = RULE_DRUGS;
        char *set = attr(n, "set");
        for (size_t i = 0; set && i < p->ndrugs; i++)
            if (strcmp(p->drugs[i].id, set) == 0)
                r->drugs = &p->drugs[i];
        if (!r->drugs)
            lerr(L, n->line, "no drug set with id \"%s\"", set ? set : "");
        free(set);
        char *w = attr(n, "when");
        r->when = !w ? DRUGS_APPROVED
                 : strcmp(w, "mixture") == 0   ? DRUGS_MIXTURE
                 : strcmp(w, "unapproved") == 0 ? DRUGS_UNAPPROVED
                                                : DRUGS_APPROVED;
        free(w);
        r->unless = re_compile(L, n, "unless");
    }
}

static void build_rules(loader *L, const policy *p, policy_rule **out,
                        size_t *nout, const xmlNode *list)
{
    for (const xmlNode *k = list->children; k; k = k->next) {
        if (k->type != XML_ELEMENT_NODE)
            continue;
        *out = grow(*out, *nout, sizeof **out);
        build_rule(L, p, &(*out)[(*nout)++], k);
    }
}

static void build_criterion(loader *L, const policy *p, policy_criterion *c,
                            const xmlNode *n)
{
    memset(c, 0, sizeof *c);
    c->id = attr(n, "id");
    c->label = attr(n, "label");
    c->shortname = attr(n, "short");
    const xmlNode *t = child(n, "text");
    c->text = t ? text_of(t) : strdup("");
    char *cl = attr(n, "codes");
    if (cl) {
        c->codes = codes_by_id(p, cl);
        if (!c->codes)
            lerr(L, n->line, "no code list with id \"%s\"", cl);
        else if (c->codes->role == POLICY_CODES_SELECTION)
            lerr(L, n->line, "criterion \"%s\": code list \"%s\" is for "
                             "selection, not a covered list", c->id ? c->id : "", cl);
        free(cl);
    }
    c->deflt = CHECK_UNKNOWN;
    char *d = attr(n, "default");
    if (d) {
        check_suggestion s;
        if (check_suggestion_parse(d, &s) == 0)
            c->deflt = (int)s;
        free(d);
    }
    static const char *lists[LIST_COUNT] = {"na", "support", "refute"};
    for (int i = 0; i < LIST_COUNT; i++) {
        const xmlNode *l = child(n, lists[i]);
        if (l)
            build_rules(L, p, &c->rules[i], &c->nrules[i], l);
    }
}

/* ---- sections and their logic ---- */

static void add_crit(loader *L, policy_section *s, const policy_criterion *c,
                     policy_node *node, int line)
{
    for (size_t i = 0; i < s->ncrit; i++)
        if (strcmp(s->crit[i]->id, c->id) == 0)
            lerr(L, line, "criterion \"%s\" appears twice in section \"%s\"",
                 c->id, s->name);
    s->crit = grow(s->crit, s->ncrit, sizeof *s->crit);
    node->type = NODE_CRIT;
    node->crit = s->ncrit;
    s->crit[s->ncrit++] = c;
}

static void build_node(loader *L, policy *p, policy_section *s,
                       policy_node *node, const xmlNode *n, int depth)
{
    memset(node, 0, sizeof *node);
    if (depth > 32) {
        lerr(L, n->line, "logic nested too deeply");
        return;
    }
    if (is_el(n, "criterion")) {
        policy_criterion *c = calloc(1, sizeof *c);
        p->owned = grow(p->owned, p->nowned, sizeof *p->owned);
        if (!c || !p->owned) {
            free(c);
            lerr(L, n->line, "out of memory");
            return;
        }
        p->owned[p->nowned++] = c;
        build_criterion(L, p, c, n);
        add_crit(L, s, c, node, n->line);
        return;
    }
    if (is_el(n, "use")) {
        char *ref = attr(n, "ref");
        const policy_criterion *c = NULL;
        for (size_t i = 0; ref && i < p->nshared; i++)
            if (strcmp(p->shared[i].id, ref) == 0)
                c = &p->shared[i];
        if (c)
            add_crit(L, s, c, node, n->line);
        else
            lerr(L, n->line, "no shared criterion with id \"%s\"",
                 ref ? ref : "");
        free(ref);
        return;
    }
    node->type = is_el(n, "any") ? NODE_ANY : is_el(n, "not") ? NODE_NOT
                                                              : NODE_ALL;
    for (const xmlNode *k = n->children; k; k = k->next) {
        if (k->type != XML_ELEMENT_NODE)
            continue;
        node->kids = grow(node->kids, node->nkids, sizeof *node->kids);
        build_node(L, p, s, &node->kids[node->nkids++], k, depth + 1);
    }
}

static void logic_text(const policy_section *s, const policy_node *n,
                       char *buf, size_t sz)
{
    size_t len = strlen(buf);
    if (len + 1 >= sz)
        return;
    if (n->type == NODE_CRIT) {
        snprintf(buf + len, sz - len, "%s", s->crit[n->crit]->id);
        return;
    }
    snprintf(buf + len, sz - len, "%s (",
             n->type == NODE_ALL ? "all of" : n->type == NODE_ANY ? "any of"
                                                                  : "not");
    for (size_t i = 0; i < n->nkids; i++) {
        if (i) {
            len = strlen(buf);
            snprintf(buf + len, sz - len, ", ");
        }
        logic_text(s, &n->kids[i], buf, sz);
    }
    len = strlen(buf);
    snprintf(buf + len, sz - len, ")");
}

static void build_section(loader *L, policy *p, const xmlNode *n)
{
    p->sections = grow(p->sections, p->nsections, sizeof *p->sections);
    policy_section *s = &p->sections[p->nsections++];
    memset(s, 0, sizeof *s);
    s->name = attr(n, "name");
    s->label = attr(n, "label");
    s->title = attr(n, "title");
    for (size_t i = 0; i + 1 < p->nsections; i++)
        if (strcmp(p->sections[i].name, s->name) == 0)
            lerr(L, n->line, "section \"%s\" defined twice", s->name);
    for (const xmlNode *k = n->children; k; k = k->next) {
        if (is_el(k, "pick"))
            build_rules(L, p, &s->pick, &s->npick, k);
        else if (is_el(k, "all") || is_el(k, "any") || is_el(k, "not"))
            build_node(L, p, s, &s->root, k, 0);
    }
    char buf[1024] = "";
    logic_text(s, &s->root, buf, sizeof buf);
    s->logic_text = strdup(buf);
}

static void build_payer_names(loader *L, policy *p, const xmlNode *n)
{
    for (const xmlNode *k = n->children; k; k = k->next) {
        int is_id = is_el(k, "id");
        if (!is_id && !is_el(k, "name"))
            continue;
        char **v = grow(p->payer_names, p->npayer_names, sizeof *v);
        int *f = v ? grow(p->payer_is_id, p->npayer_names, sizeof *f) : NULL;
        if (v)
            p->payer_names = v;
        if (!f) {
            lerr(L, k->line, "out of memory");
            return;
        }
        p->payer_is_id = f;
        p->payer_is_id[p->npayer_names] = is_id;
        p->payer_names[p->npayer_names++] = text_of(k);
    }
}

static void build_policy(loader *L, policy *p, const xmlNode *root)
{
    p->id = attr(root, "id");
    char *rev = attr(root, "revision");
    p->revision = rev ? atoi(rev) : 1;
    free(rev);
    for (const xmlNode *k = root->children; k && !L->failed; k = k->next) {
        if (is_el(k, "payer"))
            p->payer = text_of(k);
        else if (is_el(k, "payer-names"))
            build_payer_names(L, p, k);
        else if (is_el(k, "title"))
            p->title = text_of(k);
        else if (is_el(k, "effective"))
            p->effective = text_of(k);
        else if (is_el(k, "source"))
            p->source = text_of(k);
        else if (is_el(k, "codes"))
            build_codes(L, p, k);
        else if (is_el(k, "drugs"))
            build_drugs(L, p, k);
        else if (is_el(k, "criteria")) {
            for (const xmlNode *c = k->children; c; c = c->next) {
                if (!is_el(c, "criterion"))
                    continue;
                p->shared = grow(p->shared, p->nshared, sizeof *p->shared);
                build_criterion(L, p, &p->shared[p->nshared++], c);
            }
        } else if (is_el(k, "section"))
            build_section(L, p, k);
    }
    char v[64];
    snprintf(v, sizeof v, "%sr%d", p->effective ? p->effective : "", p->revision);
    p->version = strdup(v);
}

policy *policy_load_file(const char *path, const char *schema, char *err,
                         size_t errsz)
{
    loader L = {path, err, errsz, 0, {0}};
    if (errsz)
        err[0] = '\0';
    xmlDocPtr doc = parse_and_validate(&L, schema);
    if (!doc)
        return NULL;
    if (concepts_find(&L) < 0) {
        xmlFreeDoc(doc);
        return NULL;
    }
    policy *p = calloc(1, sizeof *p);
    if (!p) {
        xmlFreeDoc(doc);
        concepts_free(&L.con);
        lerr(&L, 0, "out of memory");
        return NULL;
    }
    p->path = strdup(path);
    build_policy(&L, p, xmlDocGetRootElement(doc));
    xmlFreeDoc(doc);
    concepts_free(&L.con);
    if (L.failed) {
        policy_free(p);
        return NULL;
    }
    return p;
}

/* ---- freeing ---- */

static void free_rule(policy_rule *r)
{
    free(r->desc);
    pcre2_code_free(r->re);
    pcre2_code_free(r->also);
    pcre2_code_free(r->with);
    pcre2_code_free(r->incase);
    pcre2_code_free(r->unless);
    pcre2_code_free(r->context);
    free(r->pattern);
    free(r->name);
    free(r->scales);
    free(r->drop_key);
}

static void free_rules(policy_rule *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free_rule(&v[i]);
    free(v);
}

static void free_criterion(policy_criterion *c)
{
    free(c->id);
    free(c->label);
    free(c->shortname);
    free(c->text);
    for (int i = 0; i < LIST_COUNT; i++)
        free_rules(c->rules[i], c->nrules[i]);
}

static void free_node(policy_node *n)
{
    for (size_t i = 0; i < n->nkids; i++)
        free_node(&n->kids[i]);
    free(n->kids);
}

void policy_free(policy *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nsections; i++) {
        policy_section *s = &p->sections[i];
        free(s->name);
        free(s->label);
        free(s->title);
        free(s->logic_text);
        free_rules(s->pick, s->npick);
        free_node(&s->root);
        free(s->crit);
    }
    free(p->sections);
    for (size_t i = 0; i < p->nowned; i++) {
        free_criterion(p->owned[i]);
        free(p->owned[i]);
    }
    free(p->owned);
    for (size_t i = 0; i < p->nshared; i++)
        free_criterion(&p->shared[i]);
    free(p->shared);
    for (size_t i = 0; i < p->ncodes; i++) {
        for (size_t k = 0; k < p->codes[i].n; k++) {
            free(p->codes[i].v[k]);
            free(p->codes[i].desc[k]);
        }
        free(p->codes[i].v);
        free(p->codes[i].desc);
        free(p->codes[i].id);
        free(p->codes[i].label);
    }
    free(p->codes);
    for (size_t i = 0; i < p->ndrugs; i++) {
        policy_drugs *d = &p->drugs[i];
        for (size_t k = 0; k < d->n; k++) {
            free(d->v[k].name);
            pcre2_code_free(d->v[k].re);
        }
        free(d->v);
        free(d->id);
        pcre2_code_free(d->context);
        pcre2_code_free(d->exclude);
        pcre2_code_free(d->trial);
    }
    free(p->drugs);
    for (size_t i = 0; i < p->npayer_names; i++)
        free(p->payer_names[i]);
    free(p->payer_names);
    free(p->payer_is_id);
    free(p->path);
    free(p->id);
    free(p->payer);
    free(p->title);
    free(p->effective);
    free(p->source);
    free(p->version);
    free(p);
}

/* ---- policy sets ---- */

struct policy_set {
    policy **v;
    size_t n;
    char **warn;      /* "file:line: reason", one per file left out */
    size_t nwarn;
};

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The id="..." of the root element, from the head of the file: 1 with the
 * id in out, 0 when the head names none (not a policy, or damaged: then
 * only a full load can say what is wrong). */
static int head_id(const char *path, char *out, size_t outsz)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char head[4097];
    size_t n = fread(head, 1, sizeof head - 1, f);
    fclose(f);
    head[n] = '\0';
    const char *root = strstr(head, "<policy");
    const char *gt = root ? strchr(root, '>') : NULL;
    const char *id = root ? strstr(root, " id=\"") : NULL;
    if (!id || (gt && id > gt))
        return 0;
    id += 5;
    size_t l = strcspn(id, "\"");
    if (!id[l] || l == 0 || l >= outsz)
        return 0;
    memcpy(out, id, l);
    out[l] = '\0';
    return 1;
}

static void set_warn(policy_set *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void set_warn(policy_set *s, const char *fmt, ...)
{
    char msg[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char **w = grow(s->warn, s->nwarn, sizeof *s->warn);
    if (!w)
        return;
    s->warn = w;
    if ((s->warn[s->nwarn] = strdup(msg)))
        s->nwarn++;
}

static const policy *same_version(const policy_set *s, const policy *p)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i]->id, p->id) == 0 &&
            strcmp(s->v[i]->version, p->version) == 0)
            return s->v[i];
    return NULL;
}

/* One file into the set, or a warning: a file that does not load, or a
 * second file with a version already loaded (the first one, in name
 * order, wins: two different texts under one version would make a saved
 * review ambiguous). */
static void set_add_file(policy_set *s, const char *path, const char *schema)
{
    char err[1024];
    policy *p = policy_load_file(path, schema, err, sizeof err);
    if (!p) {
        set_warn(s, "%s", err);
        return;
    }
    const policy *first = same_version(s, p);
    if (first) {
        set_warn(s, "%s: policy %s version %s is already installed from %s; "
                    "this file is ignored", path, p->id, p->version,
                 first->path);
        policy_free(p);
        return;
    }
    policy **v = grow(s->v, s->n, sizeof *s->v);
    if (!v) {
        set_warn(s, "%s: out of memory", path);
        policy_free(p);
        return;
    }
    s->v = v;
    s->v[s->n++] = p;
}

static policy_set *set_load(const char *dir, const char *only, char *err,
                            size_t errsz);

policy_set *policy_set_load(const char *dir, char *err, size_t errsz)
{
    return set_load(dir, NULL, err, errsz);
}

policy_set *policy_set_load_id(const char *dir, const char *id, char *err,
                               size_t errsz)
{
    return set_load(dir, id, err, errsz);
}

static char **list_xml(DIR *d, size_t *nn)
{
    char **names = NULL;
    *nn = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        if (l <= 4 || strcmp(e->d_name + l - 4, ".xml") != 0 ||
            e->d_name[0] == '.')
            continue;
        char **v = grow(names, *nn, sizeof *names);
        if (!v)
            break;
        names = v;
        if ((names[*nn] = strdup(e->d_name)))
            (*nn)++;
    }
    if (*nn)
        qsort(names, *nn, sizeof *names, cmp_names);
    return names;
}

static policy_set *set_load(const char *dir, const char *only, char *err,
                            size_t errsz)
{
    char def[4096];
    if (!dir) {
        if (paths_join(def, sizeof def, "policies") < 0) {
            snprintf(err, errsz, "policies: path too long");
            return NULL;
        }
        dir = def;
    }
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errsz, "%s: cannot open: %s", dir, strerror(errno));
        return NULL;
    }
    size_t nn;
    char **names = list_xml(d, &nn);
    closedir(d);
    policy_set *s = calloc(1, sizeof *s);
    if (!s)
        snprintf(err, errsz, "out of memory");
    char schema[4200];
    snprintf(schema, sizeof schema, "%s/policy.rng", dir);
    for (size_t i = 0; s && i < nn; i++) {
        char path[4400], id[128];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        /* For one policy the others need not be parsed; a file whose head
         * names no id may be that policy, damaged: load it to say why. */
        if (only && head_id(path, id, sizeof id) && strcmp(id, only) != 0)
            continue;
        set_add_file(s, path, schema);
    }
    for (size_t i = 0; i < nn; i++)
        free(names[i]);
    free(names);
    return s;
}

void policy_set_free(policy_set *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        policy_free(s->v[i]);
    free(s->v);
    for (size_t i = 0; i < s->nwarn; i++)
        free(s->warn[i]);
    free(s->warn);
    free(s);
}

size_t policy_set_warning_count(const policy_set *s) { return s ? s->nwarn : 0; }
const char *policy_set_warning(const policy_set *s, size_t i)
{
    return s && i < s->nwarn ? s->warn[i] : NULL;
}

size_t policy_set_count(const policy_set *s) { return s ? s->n : 0; }
const policy *policy_set_at(const policy_set *s, size_t i)
{
    return s && i < s->n ? s->v[i] : NULL;
}

const policy *policy_set_find(const policy_set *s, const char *id)
{
    const policy *best = NULL;
    for (size_t i = 0; s && i < s->n; i++) {
        const policy *p = s->v[i];
        if (strcmp(p->id, id) != 0)
            continue;
        int c = best ? strcmp(p->effective, best->effective) : 1;
        if (c > 0 || (c == 0 && p->revision > best->revision))
            best = p;
    }
    return best;
}

const policy *policy_set_find_version(const policy_set *s, const char *id,
                                      const char *version)
{
    for (size_t i = 0; s && i < s->n; i++)
        if (strcmp(s->v[i]->id, id) == 0 &&
            strcmp(s->v[i]->version, version) == 0)
            return s->v[i];
    return NULL;
}

/* ---- accessors ---- */

const char *policy_id(const policy *p) { return p->id; }
const char *policy_payer(const policy *p) { return p->payer; }
const char *policy_title(const policy *p) { return p->title; }
const char *policy_effective(const policy *p) { return p->effective; }
int policy_revision(const policy *p) { return p->revision; }
const char *policy_version(const policy *p) { return p->version; }
const char *policy_source(const policy *p) { return p->source; }
const char *policy_path(const policy *p) { return p->path; }
size_t policy_payer_name_count(const policy *p) { return p->npayer_names; }
const char *policy_payer_name(const policy *p, size_t i, int *is_id)
{
    if (i >= p->npayer_names)
        return NULL;
    if (is_id)
        *is_id = p->payer_is_id[i];
    return p->payer_names[i];
}

size_t policy_codes_count(const policy *p) { return p->ncodes; }
const policy_codes *policy_codes_at(const policy *p, size_t i)
{
    return i < p->ncodes ? &p->codes[i] : NULL;
}
const policy_codes *policy_codes_find(const policy *p, const char *id)
{
    return codes_by_id(p, id);
}
const char *policy_codes_id(const policy_codes *c) { return c->id; }
const char *policy_codes_label(const policy_codes *c) { return c->label; }
policy_codes_role policy_codes_role_of(const policy_codes *c) { return c->role; }

int policy_has_covered(const policy *p, policy_codes_role role)
{
    for (size_t i = 0; i < p->ncodes; i++)
        if (p->codes[i].role == role)
            return 1;
    return 0;
}

int policy_covers(const policy *p, policy_codes_role role, const char *code)
{
    for (size_t i = 0; i < p->ncodes; i++)
        if (p->codes[i].role == role && policy_codes_match(&p->codes[i], code))
            return 1;
    return 0;
}
size_t policy_codes_size(const policy_codes *c) { return c->n; }
const char *policy_codes_entry(const policy_codes *c, size_t i)
{
    return i < c->n ? c->v[i] : NULL;
}
const char *policy_codes_description(const policy_codes *c, size_t i)
{
    return i < c->n ? c->desc[i] : NULL;
}

const char *policy_code_words(const policy *p, const char *code)
{
    for (size_t i = 0; i < p->ncodes; i++)
        for (size_t k = 0; k < p->codes[i].n; k++)
            if (p->codes[i].desc[k] && !strpbrk(p->codes[i].v[k], "-*") &&
                policy_code_pattern_match(p->codes[i].v[k], code))
                return p->codes[i].desc[k];
    return NULL;
}

/* "as ccs-nl-05-0612 words it: Refill and maintenance of pump by a
 * non-physician", one clause per policy that words the code (newest
 * version of each id only, so an old revision does not repeat it). */
static int name_one(const policy_set *s, struct codes_set *cs,
                    const char *code)
{
    char name[2048];
    size_t o = 0;
    name[0] = '\0';
    for (size_t i = 0; i < s->n; i++) {
        const policy *p = s->v[i];
        const char *w = policy_set_find(s, p->id) == p ? policy_code_words(p, code)
                                                       : NULL;
        if (w && o < sizeof name)
            o += (size_t)snprintf(name + o, sizeof name - o, "%sas %s words it: %s",
                                  o ? "; " : "", p->id, w);
    }
    return name[0] ? codes_name(cs, code, name) : 0;
}

int policy_set_name_codes(const policy_set *s, struct codes_set *cs)
{
    int named = 0;
    for (size_t i = 0; s && cs && i < s->n; i++) {
        const policy *p = s->v[i];
        for (size_t l = 0; l < p->ncodes; l++)
            for (size_t k = 0; k < p->codes[l].n; k++) {
                if (!p->codes[l].desc[k] || strpbrk(p->codes[l].v[k], "-*"))
                    continue;
                if (name_one(s, cs, p->codes[l].v[k]) < 0)
                    return -1;
                named++;
            }
    }
    return named;
}

/* Compares codes as printed: case and dots do not matter ("G800" is
 * "G80.0"). */
static void squash(const char *in, char *out, size_t sz)
{
    size_t k = 0;
    for (; *in && k + 1 < sz; in++)
        if (*in != '.')
            out[k++] = (char)toupper((unsigned char)*in);
    out[k] = '\0';
}

int policy_code_pattern_match(const char *pattern, const char *code)
{
    char pat[32], c[32];
    squash(code, c, sizeof c);
    const char *dash = strchr(pattern, '-');
    if (dash) {
        char lo[32], hi[32], tmp[32];
        size_t l = (size_t)(dash - pattern);
        if (l >= sizeof tmp)
            return 0;
        memcpy(tmp, pattern, l);
        tmp[l] = '\0';
        squash(tmp, lo, sizeof lo);
        squash(dash + 1, hi, sizeof hi);
        return strlen(c) == strlen(lo) && strlen(lo) == strlen(hi) &&
               strcmp(c, lo) >= 0 && strcmp(c, hi) <= 0;
    }
    squash(pattern, pat, sizeof pat);
    char *star = strchr(pat, '*');
    if (star)
        return strncmp(c, pat, (size_t)(star - pat)) == 0;
    return strcmp(c, pat) == 0;
}

int policy_codes_match(const policy_codes *c, const char *code)
{
    for (size_t i = 0; i < c->n; i++)
        if (policy_code_pattern_match(c->v[i], code))
            return 1;
    return 0;
}

static unsigned rule_kinds(const policy_rule *v, size_t n)
{
    static const unsigned code_kind[] = {[POLICY_CODE_ICD10] = 1u << FACT_ICD10,
                                         [POLICY_CODE_CPT] = 1u << FACT_CPT,
                                         [POLICY_CODE_HCPCS] = 1u << FACT_HCPCS};
    unsigned m = 0;
    for (size_t i = 0; i < n; i++) {
        const policy_rule *r = &v[i];
        if (r->kind == RULE_FACT)
            m |= 1u << r->fkind;
        if (r->kind == RULE_FACT && r->fkind == FACT_AGE)
            m |= 1u << FACT_DATE; /* an age may come from a date of birth */
        else if (r->kind == RULE_CODE)
            for (int s = 0; s < 3; s++)
                if (!r->list || (r->list->systems & (1u << s)))
                    m |= code_kind[s];
    }
    return m;
}

static unsigned criterion_kinds(const policy_criterion *c)
{
    unsigned m = 0;
    for (int l = 0; l < LIST_COUNT; l++)
        m |= rule_kinds(c->rules[l], c->nrules[l]);
    return m;
}

unsigned policy_fact_kinds(const policy *p)
{
    unsigned m = 0;
    for (size_t i = 0; i < p->nsections; i++) {
        m |= rule_kinds(p->sections[i].pick, p->sections[i].npick);
        for (size_t k = 0; k < p->sections[i].ncrit; k++)
            m |= criterion_kinds(p->sections[i].crit[k]);
    }
    return m;
}

size_t policy_section_count(const policy *p) { return p->nsections; }
const policy_section *policy_section_at(const policy *p, size_t i)
{
    return i < p->nsections ? &p->sections[i] : NULL;
}
const policy_section *policy_section_find(const policy *p, const char *name)
{
    for (size_t i = 0; i < p->nsections; i++)
        if (strcmp(p->sections[i].name, name) == 0)
            return &p->sections[i];
    return NULL;
}
const char *policy_section_name(const policy_section *s) { return s->name; }
const char *policy_section_title(const policy_section *s) { return s->title; }
const char *policy_section_label(const policy_section *s) { return s->label; }
const char *policy_section_logic(const policy_section *s) { return s->logic_text; }
size_t policy_criterion_count(const policy_section *s) { return s->ncrit; }
const policy_criterion *policy_criterion_at(const policy_section *s, size_t i)
{
    return i < s->ncrit ? s->crit[i] : NULL;
}
const policy_criterion *policy_criterion_find(const policy_section *s,
                                              const char *id)
{
    for (size_t i = 0; i < s->ncrit; i++)
        if (strcmp(s->crit[i]->id, id) == 0)
            return s->crit[i];
    return NULL;
}
const char *policy_criterion_id(const policy_criterion *c) { return c->id; }
const char *policy_criterion_label(const policy_criterion *c) { return c->label; }
const char *policy_criterion_text(const policy_criterion *c) { return c->text; }
const char *policy_criterion_short(const policy_criterion *c) { return c->shortname; }
const policy_codes *policy_criterion_codes(const policy_criterion *c) { return c->codes; }
