/* scan: what every fact parser gets while it reads one note: the note, the
 * patterns and lexicons, the match state, and the list it adds facts to;
 * and small helpers they share (emitting a fact, normalising a number). */
#ifndef PARSERS_SCAN_H
#define PARSERS_SCAN_H

#include <stddef.h>
#include "codes/codeset.h"
#include "core/note.h"
#include "parsers/fact.h"
#include "parsers/lexicon.h"
#include "parsers/patterns.h"
#include "parsers/rx.h"

typedef struct {
    const lexicon *drugs;     /* name or brand -> generic */
    const lexicon *units;     /* spelling -> mcg, mg, g, mL, units */
    const lexicon *rates;     /* "per day" -> /day ... */
    const lexicon *scales;    /* scale name -> ashworth, mas ... */
    const lexicon *months;    /* month name -> 1..12 */
    const lexicon *relatives; /* mother, son ... */
    const lexicon *numbers;   /* "six", "twenty-two" -> 6, 22 */
    const lexicon *icd10_categories; /* three-character ICD-10-CM codes */
    const lexicon *decoys;    /* words that mark a number as no code */
    const lexicon *not_doses; /* words that mark a volume as no drug's */
} scan_lexicons;

typedef struct {
    const note *n;
    const patterns *pat;
    const scan_lexicons *lex;
    rx_scan *rs;
    fact_list *out;
    const codes_set *codes; /* the CMS tables, or NULL */
    int oom;
} scan;

/* Adds a fact (status affirmed until the context engine runs). */
void scan_emit(scan *s, fact_kind kind, size_t start, size_t end,
               const char *value);

/* A letter and four digits (E0783, G8254, J1170) is a HCPCS code or an
 * undotted ICD-10-CM one; which the CMS tables hold: a bit set of these
 * (both when there are no tables). */
enum { SCAN_AS_ICD10 = 1, SCAN_AS_HCPCS = 2 };
unsigned scan_letter4(const scan *s, size_t at);

/* The flags (NOTE_SECTION_DX_LIST...) of the section holding off. */
unsigned scan_lists_at(const scan *s, size_t off);

/* The sentence holding off, or the line when it is in none. */
note_span scan_sentence(const scan *s, size_t off);

/* Where to look back from a sentence starting at start: the start of the
 * section header just before it on the same line ("Programmed baclofen
 * dose: 187.5 mcg/day", "Pain: 5 out of 10"), else start. */
size_t scan_with_header(const scan *s, size_t start);

/* The number text[a,b) normalised: no thousands separators, no trailing
 * zeros, a leading zero before a bare point ("1,500.50" -> "1500.5"). */
void scan_number(const char *text, size_t a, size_t b, char *out,
                 size_t outsz);

/* The lexicon value of text[a,b) with blanks and hyphens collapsed to one
 * blank ("per  day", "/ day"), or NULL. */
const char *scan_lookup(const lexicon *l, const char *text, size_t a, size_t b);

/* 1 when the byte at i is part of a word (letter, digit, UTF-8). */
int scan_word_char(const char *text, size_t len, size_t i);

/* The lexicon entry that ends exactly at end (a whole word or words
 * before end, blanks skipped), searching back at most maxwords words;
 * returns its start or SIZE_MAX. */
size_t scan_word_before(const lexicon *l, const char *text, size_t lo,
                        size_t end, int maxwords, const char **value);

#endif
