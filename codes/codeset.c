#include "codes/codeset.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codes/codefmt.h"

typedef struct {
    char key[CODES_CODE_MAX];
    char *name;
} named_code;

struct codes_set {
    const unsigned char *map;
    size_t size;
    const codefmt_header *hdr;
    const codefmt_rec *rec;
    const uint32_t *vocab;
    const codefmt_sect *sect;
    const char *str;
    const unsigned char *desc;
    named_code *names; /* sorted by key; caller-attached names (CPT) */
    size_t nnames, capnames;
    size_t count[4];   /* records by kind byte */
};

/* ---- opening and validating the table ---- */

static int span_ok(const codefmt_header *h, uint32_t off, uint32_t n, size_t elem)
{
    return off % 4 == 0 && off >= sizeof *h && off <= h->file_size &&
           (uint64_t)n * elem <= (uint64_t)(h->file_size - off);
}

static int key_ok(const char *k)
{
    int i = 0;
    while (i < 7 && k[i] && (isdigit((unsigned char)k[i]) || isupper((unsigned char)k[i])))
        i++;
    if (i < 2)
        return 0;
    for (; i < 7; i++)
        if (k[i])
            return 0;
    return k[7] >= CODEFMT_ICD10 && k[7] <= CODEFMT_MODIFIER;
}

static const char *check_records(codes_set *s)
{
    const codefmt_header *h = s->hdr;
    for (uint32_t i = 0; i < h->nrec; i++) {
        const codefmt_rec *r = &s->rec[i];
        if (!key_ok(r->key))
            return "bad code in table";
        if (i && memcmp(s->rec[i - 1].key, r->key, CODEFMT_KEYLEN) >= 0)
            return "table not sorted";
        if (r->desc >= h->desc_size)
            return "description offset out of bounds";
        if (r->key[7] == CODEFMT_ICD10 && r->aux > h->nsect)
            return "section index out of bounds";
        s->count[(unsigned char)r->key[7]]++;
    }
    return NULL;
}

static const char *check_header(codes_set *s)
{
    const codefmt_header *h = s->hdr;
    if (s->size < sizeof *h || memcmp(h->magic, CODEFMT_MAGIC, 8) != 0)
        return "not a casereview code table";
    if (h->version != CODEFMT_VERSION || h->endian != CODEFMT_ENDIAN)
        return "unsupported code table version";
    if (h->file_size != s->size)
        return "truncated code table";
    if (!span_ok(h, h->rec_off, h->nrec, sizeof(codefmt_rec)) ||
        !span_ok(h, h->vocab_off, h->nvocab, 4) ||
        !span_ok(h, h->sect_off, h->nsect, sizeof(codefmt_sect)) ||
        !span_ok(h, h->str_off, h->str_size, 1) || h->str_size == 0 ||
        !span_ok(h, h->desc_off, h->desc_size, 1) || h->desc_size == 0 ||
        h->nsect > 0xffff)
        return "corrupt code table header";
    s->rec = (const codefmt_rec *)(s->map + h->rec_off);
    s->vocab = (const uint32_t *)(s->map + h->vocab_off);
    s->sect = (const codefmt_sect *)(s->map + h->sect_off);
    s->str = (const char *)s->map + h->str_off;
    s->desc = s->map + h->desc_off;
    if (s->str[h->str_size - 1] != '\0')
        return "corrupt string pool";
    /* Descriptions reach terminals: no control characters, ever. */
    for (uint32_t i = 0; i < h->str_size; i++) {
        unsigned char c = (unsigned char)s->str[i];
        if ((c < 0x20 && c != 0) || c == 0x7f)
            return "control character in string pool";
    }
    for (uint32_t i = 0; i < h->nvocab; i++)
        if (s->vocab[i] >= h->str_size)
            return "vocabulary offset out of bounds";
    for (uint32_t i = 0; i < h->nsect; i++)
        if (s->sect[i].name >= h->str_size || s->sect[i].chapter >= h->str_size)
            return "section offset out of bounds";
    if (h->icd_release >= h->str_size || h->hcpcs_release >= h->str_size ||
        h->opps_release >= h->str_size)
        return "release label out of bounds";
    return check_records(s);
}

codes_set *codes_open_file(const char *path, char *err, size_t errsz)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errsz, "%s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
        (uint64_t)st.st_size > CODEFMT_MAXFILE) {
        snprintf(err, errsz, "%s: not a casereview code table", path);
        close(fd);
        return NULL;
    }
    void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) {
        snprintf(err, errsz, "%s: %s", path, strerror(errno));
        return NULL;
    }
    codes_set *s = calloc(1, sizeof *s);
    if (!s) {
        munmap(map, (size_t)st.st_size);
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    s->map = map;
    s->size = (size_t)st.st_size;
    s->hdr = map;
    const char *why = check_header(s);
    if (why) {
        snprintf(err, errsz, "%s: %s", path, why);
        codes_close(s);
        return NULL;
    }
    return s;
}

codes_set *codes_open(const char *datadir, char *err, size_t errsz)
{
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/data/codes/codes.bin", datadir);
    if (n < 0 || (size_t)n >= sizeof path) {
        snprintf(err, errsz, "data directory path too long");
        return NULL;
    }
    return codes_open_file(path, err, errsz);
}

void codes_close(codes_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->nnames; i++)
        free(set->names[i].name);
    free(set->names);
    munmap((void *)set->map, set->size);
    free(set);
}

const char *codes_release(const codes_set *set, codes_kind kind)
{
    if (kind == CODES_ICD10)
        return set->str + set->hdr->icd_release;
    if (kind == CODES_HCPCS || kind == CODES_MODIFIER)
        return set->str + set->hdr->hcpcs_release;
    return "";
}

const char *codes_opps_release(const codes_set *set)
{
    return set->str + set->hdr->opps_release;
}

static int kind_byte(codes_kind k)
{
    return k == CODES_ICD10 ? CODEFMT_ICD10 : k == CODES_HCPCS ? CODEFMT_HCPCS
                                            : k == CODES_MODIFIER ? CODEFMT_MODIFIER : 0;
}

size_t codes_count(const codes_set *set, codes_kind kind)
{
    int kb = kind_byte(kind);
    return kb ? set->count[kb] : 0;
}

/* ---- the form of a code ---- */

static int all(const char *s, size_t n, int (*pred)(int))
{
    for (size_t i = 0; i < n; i++)
        if (!pred((unsigned char)s[i]))
            return 0;
    return 1;
}

/* ICD-10-CM: letter, digit, digit or letter (C4A, M1A), then up to four
 * letters or digits (X placeholders and the 7th character included). */
static int icd_form(const char *k, size_t n)
{
    return n >= 3 && n <= 7 && isupper((unsigned char)k[0]) &&
           isdigit((unsigned char)k[1]) && all(k + 2, n - 2, isalnum);
}

codes_kind codes_parse(const char *text, char key[CODES_CODE_MAX])
{
    key[0] = '\0';
    if (!text)
        return CODES_NONE;
    while (isspace((unsigned char)*text))
        text++;
    size_t len = strlen(text);
    while (len && isspace((unsigned char)text[len - 1]))
        len--;
    char k[CODES_CODE_MAX];
    size_t n = 0;
    int dot = -1;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '.' && dot < 0) {
            dot = (int)n;
            continue;
        }
        if (c > 127 || !isalnum(c) || n >= 7)
            return CODES_NONE;
        k[n++] = (char)toupper(c);
    }
    k[n] = '\0';
    codes_kind kind = CODES_NONE;
    if (dot >= 0)
        kind = (dot == 3 && n > 3 && icd_form(k, n)) ? CODES_ICD10 : CODES_NONE;
    else if (n == 2 && all(k, 2, isalnum))
        kind = CODES_MODIFIER;
    else if (n == 5 && all(k, 5, isdigit))
        kind = CODES_CPT;
    else if (n == 5 && all(k, 4, isdigit) && strchr("FTUM", k[4]))
        kind = CODES_CPT;
    else if (n == 5 && isupper((unsigned char)k[0]) && all(k + 1, 4, isdigit))
        kind = CODES_HCPCS;
    else if (icd_form(k, n))
        kind = CODES_ICD10;
    if (kind != CODES_NONE)
        memcpy(key, k, n + 1);
    return kind;
}

static void display_form(codes_kind kind, const char *key, char out[CODES_CODE_MAX])
{
    size_t n = strlen(key);
    if (kind == CODES_ICD10 && n > 3)
        snprintf(out, CODES_CODE_MAX, "%.3s.%.7s", key, key + 3);
    else
        snprintf(out, CODES_CODE_MAX, "%s", key);
}

/* ---- searching and decoding ---- */

static void make_key(char out[CODEFMT_KEYLEN], const char *key, int kb)
{
    memset(out, 0, CODEFMT_KEYLEN);
    memcpy(out, key, strnlen(key, 7));
    out[7] = (char)kb;
}

/* Index of the first record whose key is >= k. */
static uint32_t lower_bound(const codes_set *s, const char k[CODEFMT_KEYLEN])
{
    uint32_t lo = 0, hi = s->hdr->nrec;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (memcmp(s->rec[mid].key, k, CODEFMT_KEYLEN) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static const codefmt_rec *find(const codes_set *s, const char *key, codes_kind kind)
{
    char k[CODEFMT_KEYLEN];
    make_key(k, key, kind_byte(kind));
    uint32_t i = lower_bound(s, k);
    if (i < s->hdr->nrec && memcmp(s->rec[i].key, k, CODEFMT_KEYLEN) == 0)
        return &s->rec[i];
    return NULL;
}

/* One LEB128 token id at *off, or 0 at the end of the data or on damage. */
static uint32_t next_id(const codes_set *s, uint32_t *off)
{
    uint32_t id = 0;
    for (int shift = 0; *off < s->hdr->desc_size && shift <= 28; shift += 7) {
        unsigned char b = s->desc[(*off)++];
        id |= (uint32_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return id <= s->hdr->nvocab ? id : 0;
    }
    return 0;
}

/* Token stream at off -> text in out, truncated to fit; returns the offset
 * after the stream.  Every read is bounds-checked: the stream is data
 * from a file. */
static uint32_t decode(const codes_set *s, uint32_t off, char *out, size_t outsz)
{
    size_t n = 0;
    for (uint32_t id; (id = next_id(s, &off)) != 0;) {
        const char *w = s->str + s->vocab[id - 1];
        size_t wl = strlen(w);
        if (wl > outsz - 1 - n)
            wl = outsz - 1 - n;
        memcpy(out + n, w, wl);
        n += wl;
    }
    out[n] = '\0';
    return off;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(((const named_code *)a)->key, ((const named_code *)b)->key);
}

static const char *find_name(const codes_set *s, const char *key)
{
    if (!s->nnames)
        return NULL;
    named_code probe;
    snprintf(probe.key, sizeof probe.key, "%s", key);
    const named_code *hit = bsearch(&probe, s->names, s->nnames, sizeof *s->names, name_cmp);
    return hit ? hit->name : NULL;
}

int codes_name(codes_set *set, const char *code, const char *name)
{
    char key[CODES_CODE_MAX];
    if (codes_parse(code, key) == CODES_NONE || !name)
        return -1;
    named_code probe;
    memcpy(probe.key, key, sizeof key);
    named_code *hit = set->nnames ? bsearch(&probe, set->names, set->nnames,
                                            sizeof *set->names, name_cmp) : NULL;
    char *copy = strdup(name);
    if (!copy)
        return -1;
    if (hit) {
        free(hit->name);
        hit->name = copy;
        return 0;
    }
    if (set->nnames == set->capnames) {
        size_t cap = set->capnames ? set->capnames * 2 : 16;
        named_code *p = realloc(set->names, cap * sizeof *p);
        if (!p) {
            free(copy);
            return -1;
        }
        set->names = p;
        set->capnames = cap;
    }
    size_t i = 0;
    while (i < set->nnames && strcmp(set->names[i].key, key) < 0)
        i++;
    memmove(set->names + i + 1, set->names + i, (set->nnames - i) * sizeof *set->names);
    memcpy(set->names[i].key, key, sizeof key);
    set->names[i].name = copy;
    set->nnames++;
    return 0;
}

/* A printable, bounded echo of a malformed input (it may come from a note). */
static void echo_malformed(const char *text, char out[CODES_CODE_MAX])
{
    size_t n = 0;
    for (; text && *text && n < CODES_CODE_MAX - 1; text++)
        out[n++] = (*text > ' ' && *text < 127) ? *text : '?';
    out[n] = '\0';
}

static void fill_record(const codes_set *s, const codefmt_rec *r, codes_info *info)
{
    uint32_t next = decode(s, r->desc, info->short_desc, sizeof info->short_desc);
    if (r->flags & CODEFMT_F_LONG)
        decode(s, next, info->long_desc, sizeof info->long_desc);
    else
        memcpy(info->long_desc, info->short_desc, strlen(info->short_desc) + 1);
    if (r->flags & CODEFMT_F_NO_DESC)
        info->flags |= CODES_F_NO_DESC;
    if (r->key[7] == CODEFMT_ICD10) {
        if (r->flags & CODEFMT_F_BILLABLE)
            info->flags |= CODES_F_BILLABLE;
        else
            info->status = CODES_NOT_BILLABLE;
        if (r->aux) {
            info->section = s->str + s->sect[r->aux - 1].name;
            info->chapter = s->str + s->sect[r->aux - 1].chapter;
        }
        return;
    }
    if (r->flags & CODEFMT_F_TERMINATED)
        info->flags |= CODES_F_RETIRED;
    if ((s->hdr->flags & CODEFMT_H_OPPS) && !(r->flags & CODEFMT_F_IN_OPPS) &&
        r->key[7] == CODEFMT_HCPCS)
        info->flags |= CODES_F_NOT_OPPS;
    if (r->aux) {
        memcpy(info->opps_si, &r->aux, 2);
        info->opps_si[2] = '\0';
        if (!isalnum((unsigned char)info->opps_si[0]) ||
            (info->opps_si[1] && !isalnum((unsigned char)info->opps_si[1])))
            info->opps_si[0] = '\0';
    }
}

/* For an ICD-10-CM code not in the list: its nearest listed ancestor. */
static void find_parent(const codes_set *s, codes_info *info)
{
    char k[CODES_CODE_MAX];
    memcpy(k, info->key, sizeof k);
    for (size_t n = strlen(k); n-- > 3;) {
        k[n] = '\0';
        if (find(s, k, CODES_ICD10)) {
            display_form(CODES_ICD10, k, info->parent);
            return;
        }
    }
}

codes_status codes_lookup(const codes_set *set, const char *text, codes_info *info)
{
    memset(info, 0, offsetof(codes_info, short_desc));
    info->short_desc[0] = info->long_desc[0] = '\0';
    codes_kind kind = codes_parse(text, info->key);
    info->kind = kind;
    if (kind == CODES_NONE) {
        echo_malformed(text, info->code);
        return info->status = CODES_MALFORMED;
    }
    const codefmt_rec *r = NULL;
    if (kind == CODES_HCPCS) {
        r = find(set, info->key, CODES_HCPCS);
        const codefmt_rec *icd = find(set, info->key, CODES_ICD10);
        if (r && icd)
            info->flags |= CODES_F_AMBIGUOUS;
        else if (!r && icd) {
            r = icd;
            kind = info->kind = CODES_ICD10;
        }
    } else if (kind != CODES_CPT) {
        r = find(set, info->key, kind);
    }
    display_form(kind, info->key, info->code);
    info->status = kind == CODES_CPT ? CODES_UNCHECKED : r ? CODES_OK : CODES_NOT_IN_LIST;
    if (r)
        fill_record(set, r, info);
    if (r && (info->flags & CODES_F_RETIRED))
        info->status = CODES_RETIRED;
    else if (!r && kind == CODES_ICD10)
        find_parent(set, info);
    if (!r || (info->flags & CODES_F_NO_DESC)) {
        const char *name = find_name(set, info->key);
        if (name) {
            snprintf(info->short_desc, sizeof info->short_desc, "%s", name);
            snprintf(info->long_desc, sizeof info->long_desc, "%s", name);
            info->flags = (info->flags & ~(unsigned)CODES_F_NO_DESC) | CODES_F_NAMED;
        } else if (kind == CODES_CPT) {
            info->flags |= CODES_F_NO_DESC;
        }
    }
    return info->status;
}

size_t codes_children(const codes_set *set, const char *code,
                      char (*out)[CODES_CODE_MAX], size_t max)
{
    char key[CODES_CODE_MAX];
    if (codes_parse(code, key) != CODES_ICD10 && !icd_form(key, strlen(key)))
        return 0;
    size_t n = strlen(key), count = 0;
    char k[CODEFMT_KEYLEN];
    make_key(k, key, 0);
    for (uint32_t i = lower_bound(set, k); i < set->hdr->nrec; i++) {
        const codefmt_rec *r = &set->rec[i];
        if (strncmp(r->key, key, n) != 0)
            break;
        if (r->key[7] != CODEFMT_ICD10 || !(r->flags & CODEFMT_F_BILLABLE) ||
            strnlen(r->key, 7) == n)
            continue;
        if (count < max) {
            char rk[8];
            memcpy(rk, r->key, 7);
            rk[7] = '\0';
            display_form(CODES_ICD10, rk, out[count]);
        }
        count++;
    }
    return count;
}

const char *codes_kind_name(codes_kind kind)
{
    static const char *const names[] = {"none", "icd10", "hcpcs", "modifier", "cpt"};
    return (unsigned)kind < sizeof names / sizeof *names ? names[kind] : "none";
}

const char *codes_status_name(codes_status status)
{
    static const char *const names[] = {"ok", "retired", "not billable",
                                        "not in list", "unchecked", "malformed"};
    return (unsigned)status < sizeof names / sizeof *names ? names[status] : "malformed";
}

/* ---- code lists as policies print them ---- */

enum { CLS_ICD = 1, CLS_HCPCS = 2, CLS_CPT = 4, CLS_MOD = 8 };

/* Which code sets TEXT may belong to: an undotted letter + 4 digits may be
 * HCPCS or ICD-10-CM; a dotted form is ICD-10-CM only. */
static int code_class(const char *text, char key[CODES_CODE_MAX], int in_pattern)
{
    switch (codes_parse(text, key)) {
    case CODES_ICD10: return CLS_ICD;
    /* A policy writes ICD-10-CM codes with their dot: in a pattern this
     * form is HCPCS; in a note it may be an undotted ICD-10-CM code. */
    case CODES_HCPCS: return in_pattern ? CLS_HCPCS : CLS_HCPCS | CLS_ICD;
    case CODES_CPT: return CLS_CPT;
    case CODES_MODIFIER: return CLS_MOD;
    default: return 0;
    }
}

static int glob(const char *p, const char *s)
{
    for (; *p; p++, s++) {
        if (*p == '*') {
            for (const char *t = s;; t++) {
                if (glob(p + 1, t))
                    return 1;
                if (!*t)
                    return 0;
            }
        }
        if (!*s || (*p != '?' && *p != *s))
            return 0;
    }
    return *s == '\0';
}

static int match_wild(const char *word, int ccls, const char *ckey)
{
    char p[32];
    size_t n = 0;
    int dotted = 0;
    for (; *word && n < sizeof p - 1; word++) {
        if (*word == '.')
            dotted = 1;
        else
            p[n++] = (char)toupper((unsigned char)*word);
    }
    p[n] = '\0';
    if (dotted && !(ccls & CLS_ICD))
        return 0;
    return glob(p, ckey);
}

static int match_one(const char *word, int ccls, const char *ckey)
{
    if (strpbrk(word, "*?"))
        return match_wild(word, ccls, ckey);
    char pkey[CODES_CODE_MAX];
    int common = code_class(word, pkey, 1) & ccls;
    if (!common)
        return 0;
    size_t pn = strlen(pkey);
    return strcmp(pkey, ckey) == 0 ||
           ((common & CLS_ICD) && strncmp(pkey, ckey, pn) == 0);
}

static void strip_star(char *w)
{
    size_t n = strlen(w);
    while (n && (w[n - 1] == '*' || w[n - 1] == '.'))
        w[--n] = '\0';
}

static int match_range(char *lo, char *hi, int ccls, const char *ckey)
{
    char lk[CODES_CODE_MAX], hk[CODES_CODE_MAX];
    strip_star(lo);
    strip_star(hi);
    int common = code_class(lo, lk, 1) & code_class(hi, hk, 1) & ccls;
    if (!common || strcmp(ckey, lk) < 0)
        return 0;
    return strcmp(ckey, hk) <= 0 ||
           ((common & CLS_ICD) && strncmp(hk, ckey, strlen(hk)) == 0);
}

static int is_word(const char *w, const char *const *list)
{
    for (; *list; list++)
        if (strcasecmp(w, *list) == 0)
            return 1;
    return 0;
}

/* Copies PATTERN with en and em dashes turned into '-' and separators
 * into spaces, so that words and ranges split simply. */
static char *flatten(const char *pattern)
{
    size_t n = strlen(pattern);
    char *buf = malloc(3 * n + 1), *o = buf; /* '-' becomes " - " */
    if (!buf)
        return NULL;
    for (const char *p = pattern; *p;) {
        if ((unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
            ((unsigned char)p[2] == 0x93 || (unsigned char)p[2] == 0x94)) {
            *o++ = ' ', *o++ = '-', *o++ = ' ', p += 3;
            continue;
        }
        char c = *p++;
        if (c == '-')
            *o++ = ' ', *o++ = '-', c = ' ';
        *o++ = strchr(",;/()[]{}\t\r\n", c) && c ? ' ' : c;
    }
    *o = '\0';
    return buf;
}

int codes_match_pattern(const char *code, const char *pattern)
{
    static const char *const joins[] = {"-", "through", "thru", "to", NULL};
    static const char *const fillers[] = {"or", "and", NULL};
    char ckey[CODES_CODE_MAX];
    int ccls = code && pattern ? code_class(code, ckey, 0) : 0;
    if (!ccls)
        return 0;
    char *buf = flatten(pattern);
    if (!buf)
        return 0;
    char *save = NULL, *prev = NULL;
    int want_hi = 0, hit = 0;
    for (char *w = strtok_r(buf, " ", &save); w && !hit; w = strtok_r(NULL, " ", &save)) {
        if (is_word(w, fillers))
            continue;
        if (is_word(w, joins)) {
            want_hi = prev != NULL;
            continue;
        }
        if (want_hi) {
            hit = match_range(prev, w, ccls, ckey);
            prev = NULL;
            want_hi = 0;
            continue;
        }
        if (prev)
            hit = match_one(prev, ccls, ckey);
        prev = w;
    }
    if (!hit && prev)
        hit = match_one(prev, ccls, ckey);
    free(buf);
    return hit;
}

/* ---- the words a reviewer reads ---- */

const char *codes_describe(const codes_info *info)
{
    if (info->long_desc[0])
        return info->long_desc;
    if (info->kind == CODES_CPT)
        return "(CPT description not shipped)";
    if (info->flags & CODES_F_NO_DESC)
        return "(CDT description not shipped)";
    return "";
}

enum { SHOW_CHILDREN = 10 };

static void children_text(const codes_set *set, const codes_info *in, char *buf, size_t sz)
{
    char kids[SHOW_CHILDREN][CODES_CODE_MAX];
    size_t n = codes_children(set, in->code, kids, SHOW_CHILDREN), used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && i < SHOW_CHILDREN && used < sz; i++)
        used += (size_t)snprintf(buf + used, sz - used, "%s%s", i ? " " : "", kids[i]);
    if (n > SHOW_CHILDREN && used < sz)
        snprintf(buf + used, sz - used, " (+%zu more)", n - SHOW_CHILDREN);
}

static void not_in_list_text(const codes_set *set, const codes_info *in, char *buf, size_t sz)
{
    const char *opps = codes_opps_release(set);
    if (in->kind == CODES_ICD10)
        snprintf(buf, sz, "not in the %s ICD-10-CM list%s%s", codes_release(set, in->kind),
                 in->parent[0] ? "; under " : "", in->parent);
    else
        snprintf(buf, sz, "not in the HCPCS %s list%s%s%s", codes_release(set, in->kind),
                 opps[0] ? " nor the " : "", opps, opps[0] ? " OPPS list" : "");
}

void codes_status_text(const codes_set *set, const codes_info *in, char *buf, size_t sz)
{
    char kids[256];
    if (!sz)
        return;
    switch (in->status) {
    case CODES_OK:
    case CODES_RETIRED:
        snprintf(buf, sz, "%s%s%s",
                 in->status == CODES_RETIRED ? "retired (the HCPCS release gives a "
                                               "termination date)"
                 : in->kind == CODES_ICD10 ? "billable" : "ok",
                 in->flags & CODES_F_NOT_OPPS ? ", not in the OPPS list of " : "",
                 in->flags & CODES_F_NOT_OPPS ? codes_opps_release(set) : "");
        break;
    case CODES_NOT_BILLABLE:
        children_text(set, in, kids, sizeof kids);
        snprintf(buf, sz, "not billable (category): use %s", kids);
        break;
    case CODES_NOT_IN_LIST:
        not_in_list_text(set, in, buf, sz);
        break;
    case CODES_UNCHECKED:
        snprintf(buf, sz, "CPT, not checked (no CPT list shipped)");
        break;
    default:
        snprintf(buf, sz, "malformed");
    }
    size_t used = strlen(buf);
    if ((in->flags & CODES_F_AMBIGUOUS) && used < sz)
        snprintf(buf + used, sz - used, "; ICD-10-CM %.3s.%.4s is another code", in->key,
                 in->key + 3);
}
