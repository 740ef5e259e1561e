/* context: NegEx/ConText.  Trigger terms with a direction and a bounded
 * scope, pseudo-triggers, scope terminators, and the section's own context,
 * all read from data/context/ at load time (format and precedence:
 * data/context/README.md). */
#ifndef CONTEXT_CONTEXT_H
#define CONTEXT_CONTEXT_H

#include <stddef.h>
#include "core/note.h"
#include "parsers/fact.h"

typedef struct context_rules context_rules;

/* Reads every .tsv file in datadir/data/context.  NULL with "FILE:LINE:
 * reason" in err when a file is broken or none is there. */
context_rules *context_load(const char *datadir, char *err, size_t errsz);
void context_free(context_rules *r);

/* Status of the target text[tstart,tend) within the sentence
 * text[sstart,send), in a section whose context is sec.  *trigger (if not
 * NULL) gets the trigger phrase that decided it ("no evidence of", or
 * "section:family" when the section did), NULL when affirmed; it points
 * into the rules (or static storage) and lives as long as they do.  Any
 * bytes are accepted; offsets outside the sentence are clamped.  Reads at
 * most about a kilobyte of the sentence on each side of the target. */
ctx_status context_classify(const context_rules *r, const char *text,
                            size_t sstart, size_t send, size_t tstart,
                            size_t tend, note_section_context sec,
                            const char **trigger);

/* Number of trigger phrases loaded (after {a|b} expansion). */
size_t context_rule_count(const context_rules *r);

#endif
