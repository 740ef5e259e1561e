/* clean: note text on one line of command output.  TAB, CR, LF and every
 * other control character (C0, DEL, and the C1 controls U+0080-U+009F,
 * which some terminals obey in UTF-8 too) become a space, so that a TSV
 * record stays one line and no escape sequence in a note reaches the
 * terminal of whoever reads the output. */
#ifndef CLI_CLEAN_H
#define CLI_CLEAN_H

#include <stddef.h>
#include <stdio.h>

void clean_put(FILE *out, const char *s, size_t len);
/* The same, with every run of blanks and controls made one space: for a
 * sentence quoted as evidence, which may run over indented lines. */
void clean_put_words(FILE *out, const char *s, size_t len);

#endif
