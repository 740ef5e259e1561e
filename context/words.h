/* words: the tokenizer shared by trigger phrases and sentences, so that a
 * phrase in a data file matches exactly the words it spells in a note.
 *
 * A word is a run of letters, digits and non-ASCII characters, with
 * apostrophes, slashes, hyphens and dots kept inside it when a word
 * character follows (h/o, s/p, father's, doesn't, gram-negative, 10.5).
 * Every other visible character is a token of its own (",", ";", ":", "-").
 * Words are compared case-insensitively; a typographic apostrophe counts as
 * "'" and a dash as "-". */
#ifndef CONTEXT_WORDS_H
#define CONTEXT_WORDS_H

#include <stddef.h>

#define WORDS_NORM_MAX 64 /* longer tokens never match a trigger */

/* Finds the next token in s[i,end); returns 1 and its span in *ts,*te (and
 * *is_word), or 0 at the end. */
int words_next(const char *s, size_t i, size_t end, size_t *ts, size_t *te,
               int *is_word);

/* The normalised form (lower case, ASCII apostrophe and dash) of the token
 * s[ts,te) into out (WORDS_NORM_MAX bytes, NUL-terminated); returns its
 * length, or 0 when it does not fit. */
size_t words_norm(const char *s, size_t ts, size_t te, char *out);

#endif
