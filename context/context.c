/* context: NegEx/ConText engine.  FIRST STUB: everything is affirmed; the
 * real engine (trigger files in data/context/) replaces this shortly. */
#include <stdlib.h>
#include "context/context.h"

struct context_rules {
    int dummy;
};

context_rules *context_load(const char *datadir, char *err, size_t errsz)
{
    (void)datadir;
    (void)err;
    (void)errsz;
    return calloc(1, sizeof(context_rules));
}

void context_free(context_rules *r)
{
    free(r);
}

ctx_status context_classify(const context_rules *r, const char *text,
                            size_t sstart, size_t send, size_t tstart,
                            size_t tend, note_section_context sec,
                            const char **trigger)
{
    (void)r; (void)text; (void)sstart; (void)send; (void)tstart; (void)tend;
    if (trigger)
        *trigger = NULL;
    if (sec == NOTE_SECTION_FAMILY)
        return CTX_FAMILY;
    if (sec == NOTE_SECTION_HISTORICAL)
        return CTX_HISTORICAL;
    return CTX_AFFIRMED;
}
