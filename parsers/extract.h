/* extract: runs every fact parser over a note and classifies each fact's
 * context.  Patterns are PCRE2, compiled in extract_new() (to machine code
 * when their use repays it, see rx.h); lexicons
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
/* The same for some kinds only (a bit 1 << fact_kind each): a caller that
 * reads only codes and scales (casereview check) need not look for doses
 * and dates.  Each kind's facts are exactly those extract_note finds. */
#define EXTRACT_ALL_KINDS ((1u << FACT_KIND_COUNT) - 1)
int extract_note_kinds(const extractor *ex, const note *n, unsigned kinds,
                       fact_list *out);

/* The compiled patterns (for `extract --dump-patterns`, which the
 * benchmark hands to pcre2grep). */
struct patterns;
const struct patterns *extract_patterns(const extractor *ex);

#endif
