/* phrases: compresses a set of strings into a phrase vocabulary and token
 * streams, for the description pool of the code table.  The vocabulary
 * holds words (with their following space) and then the word sequences
 * that recur most ("initial encounter for closed fracture"), chosen by a
 * few rounds of pair merging; every string becomes a list of LEB128 token
 * ids (1 = most frequent) ended by 0.  Decoding is concatenation, so the
 * reader (codeset.c) needs no knowledge of how the phrases were chosen. */
#ifndef CODES_PHRASES_H
#define CODES_PHRASES_H

#include <stddef.h>
#include <stdint.h>

typedef struct phrases phrases;

phrases *phrases_new(void);
void phrases_free(phrases *p);

/* Interns S (not copied: it must outlive p) and returns its index, the
 * same for equal strings; -1 without memory. */
long phrases_add(phrases *p, const char *s);

/* Chooses the vocabulary and encodes every string.  0, or -1. */
int phrases_build(phrases *p);

/* After phrases_build: the vocabulary in id order (id = i + 1)... */
size_t phrases_vocab_size(const phrases *p);
const char *phrases_vocab_at(const phrases *p, size_t i, size_t *len);
/* ...and the token streams, string idx's at phrases_offset(idx). */
const unsigned char *phrases_streams(const phrases *p, size_t *size);
uint32_t phrases_offset(const phrases *p, long idx);

#endif
