#define PCRE2_CODE_UNIT_WIDTH 8
#include "parsers/rx.h"

#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Generous for our patterns (they match in a few hundred steps), small
 * enough that a hostile note costs milliseconds, not minutes. */
#define RX_MATCH_LIMIT 200000
#define RX_DEPTH_LIMIT 2000
/* Match data holds this many groups (group 0 included); rx_compile
 * refuses a pattern with more. */
#define RX_MAX_GROUPS 40

/* Compiling every pattern to machine code at start-up cost more than
 * matching a few short notes without it (casereview check), so a pattern
 * is compiled when it is first used if it scans slowly (scans_slowly()),
 * or is about to read this many bytes at once (a long note), else once it
 * has read this many (a corpus); one never used is never compiled. */
#define RX_JIT_AFTER 16384

struct rx {
    pcre2_code *code;
    char *src;
    int jit;            /* 1 compiled, -1 tried and failed, 0 not yet */
    int slow;           /* scans_slowly(): compile at the first match */
    size_t scanned;     /* bytes read so far, towards RX_JIT_AFTER */
};

struct rx_scan {
    pcre2_match_data *md;
    pcre2_match_context *mc;
    unsigned long limit_hits;
};

/* A pattern that can start anywhere and gives the matcher no first
 * character or start set (a lookbehind, then \d in UCP mode) is tried at
 * every byte: interpreted, one pass over a short note costs more than its
 * compilation. */
static int scans_slowly(const pcre2_code *code)
{
    uint32_t opts = 0, first = 0;
    const uint8_t *bitmap = NULL;
    pcre2_pattern_info(code, PCRE2_INFO_ALLOPTIONS, &opts);
    pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODETYPE, &first);
    pcre2_pattern_info(code, PCRE2_INFO_FIRSTBITMAP, &bitmap);
    return !(opts & PCRE2_ANCHORED) && first == 0 && !bitmap;
}

rx *rx_compile(const char *pattern, unsigned flags, char *err, size_t errsz)
{
    uint32_t opts = PCRE2_UTF | PCRE2_NO_UTF_CHECK;
    if (flags & RX_CASELESS)
        opts |= PCRE2_CASELESS;
    int ec;
    PCRE2_SIZE eo;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                     opts, &ec, &eo, NULL);
    if (!code) {
        char msg[160];
        pcre2_get_error_message(ec, (PCRE2_UCHAR *)msg, sizeof msg);
        snprintf(err, errsz, "%s at offset %zu", msg, (size_t)eo);
        return NULL;
    }
    uint32_t groups = 0;
    pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &groups);
    if (groups >= RX_MAX_GROUPS) {
        pcre2_code_free(code);
        snprintf(err, errsz, "more than %d groups", RX_MAX_GROUPS - 1);
        return NULL;
    }
    rx *r = calloc(1, sizeof *r);
    if (!r || !(r->src = strdup(pattern))) {
        free(r);
        pcre2_code_free(code);
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    r->code = code;
    r->slow = scans_slowly(code);
    return r;
}

void rx_free(rx *r)
{
    if (!r)
        return;
    pcre2_code_free(r->code);
    free(r->src);
    free(r);
}

const char *rx_source(const rx *r)
{
    return r->src;
}

rx_scan *rx_scan_new(void)
{
    rx_scan *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->md = pcre2_match_data_create(RX_MAX_GROUPS, NULL);
    s->mc = pcre2_match_context_create(NULL);
    if (!s->md || !s->mc) {
        rx_scan_free(s);
        return NULL;
    }
    pcre2_set_match_limit(s->mc, RX_MATCH_LIMIT);
    pcre2_set_depth_limit(s->mc, RX_DEPTH_LIMIT);
    return s;
}

void rx_scan_free(rx_scan *s)
{
    if (!s)
        return;
    pcre2_match_data_free(s->md);
    pcre2_match_context_free(s->mc);
    free(s);
}

/* Callers cut windows at byte offsets; with PCRE2_NO_UTF_CHECK a window
 * must start and end on character boundaries, so move both off any UTF-8
 * continuation byte.  (text[len] is readable: notes end in a NUL.) */
static void align(const char *text, size_t *len, size_t *from)
{
    while (*len > 0 && ((unsigned char)text[*len] & 0xC0) == 0x80)
        (*len)--;
    while (*from < *len && ((unsigned char)text[*from] & 0xC0) == 0x80)
        (*from)++;
    if (*from > *len)
        *from = *len;
}

/* The compiled pattern is the same pattern: only the cost of a match
 * changes, so a const rx may be JIT-compiled behind the caller's back. */
static void maybe_jit(const rx *cr, size_t ahead)
{
    rx *r = (rx *)cr;
    if (!r->jit && (r->slow || r->scanned >= RX_JIT_AFTER || ahead >= RX_JIT_AFTER))
        r->jit = pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE) == 0 ? 1 : -1;
}

static int run(const rx *r, rx_scan *s, const char *text, size_t len,
               size_t from, uint32_t opts)
{
    align(text, &len, &from);
    maybe_jit(r, len - from); /* a long note's first search is worth it */
    int rc = pcre2_match(r->code, (PCRE2_SPTR)text, len, from,
                         opts | PCRE2_NO_UTF_CHECK, s->md, s->mc);
    size_t upto = len;
    if (rc >= 0 && !(opts & PCRE2_ANCHORED))
        upto = pcre2_get_ovector_pointer(s->md)[1];
    if (!r->jit)
        ((rx *)r)->scanned += upto > from ? upto - from : 1;
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
        rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT) {
        s->limit_hits++;
        return -1;
    }
    return rc;
}

int rx_find(const rx *r, rx_scan *s, const char *text, size_t len,
            size_t from, size_t *ov, int ngroups)
{
    if (from > len)
        return 0;
    int rc = run(r, s, text, len, from, 0);
    if (rc == -1)
        return -1;
    if (rc < 0)
        return 0;
    PCRE2_SIZE *v = pcre2_get_ovector_pointer(s->md);
    uint32_t have = pcre2_get_ovector_count(s->md);
    for (int i = 0; i < ngroups; i++) {
        if ((uint32_t)i < have && (i < rc || v[2 * i] != PCRE2_UNSET) &&
            v[2 * i] != PCRE2_UNSET) {
            ov[2 * i] = v[2 * i];
            ov[2 * i + 1] = v[2 * i + 1];
        } else {
            ov[2 * i] = ov[2 * i + 1] = SIZE_MAX;
        }
    }
    return 1;
}

int rx_at(const rx *r, rx_scan *s, const char *text, size_t a, size_t b)
{
    return run(r, s, text, b, a, PCRE2_ANCHORED) >= 0;
}

unsigned long rx_scan_limit_hits(const rx_scan *s)
{
    return s->limit_hits;
}
