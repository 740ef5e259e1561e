/* sections: the table of section headers (data/sections.tsv) that maps a
 * header's label to a canonical kind, the context it implies for the facts
 * inside it, and whether it is a code list. */
#ifndef CORE_SECTIONS_H
#define CORE_SECTIONS_H

#include <stddef.h>
#include "core/note.h"

typedef struct sections sections;

/* Loads a sections file.  NULL with a reason in err on failure. */
sections *sections_load(const char *path, char *err, size_t errsz);
void sections_free(sections *s);

/* The table from the data directory (paths_datadir()), loaded on first
 * use and kept for the life of the process; NULL (with the reason in err)
 * if it cannot be read. */
const sections *sections_default(char *err, size_t errsz);

/* Classifies a label (without its colon).  Returns 1 and fills kind,
 * context and flags (NOTE_SECTION_DX_LIST...) when a pattern matches, else
 * 0 with kind "other". */
int sections_classify(const sections *s, const char *label, size_t len,
                      const char **kind, note_section_context *ctx,
                      unsigned *flags);

#endif
