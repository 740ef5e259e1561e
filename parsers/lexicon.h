/* lexicon: a word list read from a data file, each term (one or more
 * words) with a canonical value: drug names and brands -> generic, unit
 * spellings -> unit, scale names -> scale, and so on.  Lookups ignore
 * case. */
#ifndef PARSERS_LEXICON_H
#define PARSERS_LEXICON_H

#include <stddef.h>

typedef struct lexicon lexicon;

/* Lines "TERM<TAB>VALUE" (VALUE defaults to TERM); '#' comments. */
lexicon *lexicon_load(const char *path, char *err, size_t errsz);
void lexicon_free(lexicon *l);
size_t lexicon_size(const lexicon *l);

/* The value of exactly text[0,len), or NULL. */
const char *lexicon_get(const lexicon *l, const char *text, size_t len);

/* The longest term that starts at text[p] and ends on a word boundary
 * (words separated by one blank or hyphen in the note match a blank in
 * the term).  Returns its length in text and sets *value, or 0. */
size_t lexicon_match_at(const lexicon *l, const char *text, size_t len,
                        size_t p, const char **value);

/* A PCRE2 alternation of every term, longest first, metacharacters
 * escaped, blanks as \s+ (malloc'd; NULL when out of memory). */
char *lexicon_alternation(const lexicon *l);

#endif
