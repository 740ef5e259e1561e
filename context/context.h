/* context: NegEx/ConText.  Trigger terms with a direction and a bounded
 * scope, pseudo-triggers, scope terminators, and the section's own context,
 * all read from data/context/ at load time. */
#ifndef CONTEXT_CONTEXT_H
#define CONTEXT_CONTEXT_H

#include <stddef.h>
#include "core/note.h"
#include "parsers/fact.h"

typedef struct context_rules context_rules;

context_rules *context_load(const char *datadir, char *err, size_t errsz);
void context_free(context_rules *r);

/* Status of the target text[tstart,tend) within the sentence
 * text[sstart,send), in a section whose context is sec.  *trigger (if not
 * NULL) gets the trigger phrase that decided it, NULL when affirmed; it
 * points into the rules and lives as long as they do. */
ctx_status context_classify(const context_rules *r, const char *text,
                            size_t sstart, size_t send, size_t tstart,
                            size_t tend, note_section_context sec,
                            const char **trigger);

/* Number of trigger phrases loaded (after {a|b} expansion). */
size_t context_rule_count(const context_rules *r);

#endif
