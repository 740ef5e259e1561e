/* patterns: the named PCRE2 patterns of the fact parsers, read from
 * data/lexicon/patterns.tsv.  A pattern may use @NAME@ for a macro (a
 * lexicon turned into an alternation, or an earlier pattern) so that the
 * word lists stay in their own files. */
#ifndef PARSERS_PATTERNS_H
#define PARSERS_PATTERNS_H

#include <stdio.h>
#include "parsers/rx.h"

typedef struct patterns patterns;

typedef struct {
    const char *name;
    const char *text;
} patterns_macro;

/* Lines "NAME<TAB>FLAGS<TAB>PATTERN"; FLAGS: i (ignore case), c (case
 * matters), m (a macro for later patterns, not compiled on its own), s (a
 * scan over whole notes, as opposed to a check of a window). */
patterns *patterns_load(const char *path, const patterns_macro *macros,
                        size_t nmacros, char *err, size_t errsz);
void patterns_free(patterns *p);

/* The compiled pattern NAME; NULL if the file has none by that name. */
const rx *patterns_get(const patterns *p, const char *name);

/* Every scan pattern, expanded, one per line, for pcre2grep -f
 * (case-insensitive ones prefixed with (?i)). */
void patterns_dump(const patterns *p, FILE *f);

#endif
