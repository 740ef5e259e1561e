/* trigger: the trigger lists of the data/context/ files, read into a vocabulary
 * of words and a word-level trie, so that matching a sentence costs one
 * hash lookup and one trie step per word.  Internal to the context module;
 * the file format is described in data/context/README.md. */
#ifndef CONTEXT_TRIGGER_H
#define CONTEXT_TRIGGER_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    TRIG_NEGATED,
    TRIG_HISTORICAL,
    TRIG_HYPOTHETICAL,
    TRIG_FAMILY,
    TRIG_PSEUDO,
    TRIG_TERMINATOR
} trigger_category;

#define TRIG_SCOPED 4 /* the first four categories have a scope */
#define TRIG_ALL_SCOPED 0xfu

enum { TRIG_FORWARD = 1, TRIG_BACKWARD = 2 };

#define TRIGGER_MAX_WORDS 64 /* tokens in one phrase */

typedef struct {
    char *phrase;          /* as expanded from the file, for reports */
    trigger_category cat;
    unsigned dir;          /* TRIG_FORWARD | TRIG_BACKWARD */
    unsigned scope;        /* words covered after it (or before, backward) */
    unsigned scope_back;   /* words covered before it */
    unsigned ends;         /* terminator, pseudo: categories it ends */
    int anchored;          /* matches only at the start of a sentence */
} trigger_rule;

typedef struct trigger_set trigger_set;

trigger_set *trigger_set_new(void);
void trigger_set_free(trigger_set *t);

/* Reads one file; errors name the file and line. */
int trigger_set_load(trigger_set *t, const char *path, char *err,
                     size_t errsz);
size_t trigger_set_count(const trigger_set *t);

/* Word id of a normalised token, or -1 when no phrase uses it. */
int32_t trigger_word_id(const trigger_set *t, const char *norm, size_t n);

/* The word that stands for the end of the sentence after a phrase's
 * words ("$" in the files); no token of a note can spell it. */
#define TRIGGER_END_WORD "\x01$"

/* Trie walk: the root for phrases anywhere (anchored = 0) or only at the
 * start of a sentence (anchored = 1); a step returns the child or -1. */
int32_t trigger_root(int anchored);
int32_t trigger_step(const trigger_set *t, int32_t node, int32_t word);
/* The rule ending at node, or NULL. */
const trigger_rule *trigger_at(const trigger_set *t, int32_t node);

int trigger_category_parse(const char *s, trigger_category *out);

#endif
