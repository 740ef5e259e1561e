/* extract: runs every fact parser over a note and classifies each fact's
 * context.  Patterns are PCRE2, JIT-compiled once in extract_new(); lexicons
 * (drug names, scale names...) come from data files under the data dir. */
#ifndef PARSERS_EXTRACT_H
#define PARSERS_EXTRACT_H

#include "core/note.h"
#include "parsers/fact.h"

typedef struct extractor extractor;
struct context_rules;

/* Loads lexicons and compiles patterns.  datadir is paths_datadir() unless
 * a test passes its own.  NULL with a reason in err on failure. */
extractor *extract_new(const char *datadir, char *err, size_t errsz);
void extract_free(extractor *ex);

/* The context engine the extractor uses (shared with the criteria engine). */
const struct context_rules *extract_context(const extractor *ex);

/* Appends the note's facts to out, sorted by start.  0 or -1 (out of
 * memory, or a pattern hit its match limit: the facts found are kept). */
int extract_note(const extractor *ex, const note *n, fact_list *out);

/* The compiled patterns (for `extract --dump-patterns`, which the
 * benchmark hands to pcre2grep). */
struct patterns;
const struct patterns *extract_patterns(const extractor *ex);

#endif
