/* rx: PCRE2 patterns, matched under a match limit so that no note can
 * make a pattern run away; each is JIT-compiled once it has read enough
 * text to repay the compilation (a long note, a corpus). */
#ifndef PARSERS_RX_H
#define PARSERS_RX_H

#include <stddef.h>

typedef struct rx rx;
typedef struct rx_scan rx_scan;

enum { RX_CASELESS = 1 };

/* Compiles pattern (UTF mode; text must be valid UTF-8). */
rx *rx_compile(const char *pattern, unsigned flags, char *err, size_t errsz);
void rx_free(rx *r);
const char *rx_source(const rx *r);

/* Per-caller match state (match data and the limits). */
rx_scan *rx_scan_new(void);
void rx_scan_free(rx_scan *s);

/* The first match in text[from, len): 1 with ov[2*i], ov[2*i+1] the span
 * of group i (SIZE_MAX, SIZE_MAX when unset) for i < ngroups; 0 when there
 * is none; -1 when the match limit was hit (treat as none). */
int rx_find(const rx *r, rx_scan *s, const char *text, size_t len,
            size_t from, size_t *ov, int ngroups);

/* 1 when the pattern matches text[a,b) anchored at a. */
int rx_at(const rx *r, rx_scan *s, const char *text, size_t a, size_t b);

/* How many matches hit the limit since rx_scan_new. */
unsigned long rx_scan_limit_hits(const rx_scan *s);

#endif
