/* rules: the evidence rules of a policy (find, code, fact, drop,
 * pump-drugs), each run over the notes of a case.  Used by check.c; not
 * part of the public API. */
#ifndef ENGINE_RULES_H
#define ENGINE_RULES_H

#include <stddef.h>
#include "core/note.h"
#include "engine/check.h"
#include "engine/policy_impl.h"

/* What one case's look-ups found, kept while its rules run: who a name
 * in the notes is ("Dr. Mendez" -> "Evaluator: Carla Mendez, MD,
 * physiatrist") is asked again for every sentence that names her. */
typedef struct rules_memo rules_memo;
rules_memo *rules_memo_new(void);   /* NULL when out of memory: no memo */
void rules_memo_free(rules_memo *m);

typedef struct {
    const note *const *notes;
    const fact_list *facts;
    size_t nnotes;
    const struct context_rules *ctx;
    const check_requested *req;   /* the request's codes */
    size_t nreq;
    char **req_words;             /* req_words[k]: "request: service 95991" */
    rules_memo *memo;             /* may be NULL */
} rules_case;

/* What the rules found for one criterion. */
typedef struct {
    size_t count[3];        /* by check_direction */
    size_t decisive[3];     /* of which from decisive rules */
    size_t overriding[3];   /* of which from decisive="over" rules */
    int from_decisive;      /* set while a decisive rule runs */
    check_evidence *ev;
    size_t nev;
    char *searched;
    size_t slen;
    int from_fact, fact_na; /* an na from a fact rule (age) is decisive */
} rules_hits;

void rules_find(const rules_case *cs, const policy_rule *r,
                check_direction d, rules_hits *h);
void rules_code(const rules_case *cs, const policy_rule *r,
                check_direction d, rules_hits *h);
void rules_fact(const rules_case *cs, const policy_rule *r,
                check_direction d, rules_hits *h);
void rules_drop(const rules_case *cs, const policy_rule *r,
                check_direction d, rules_hits *h);
void rules_drugs(const rules_case *cs, const policy_rule *r,
                 check_direction d, rules_hits *h);

/* Records evidence: the match [ms,me) in notes[note], and its sentence. */
void rules_hit(rules_hits *h, const rules_case *cs, size_t ni, size_t ms,
               size_t me, check_direction dir, const char *rule);
/* Appends one line to the searched description. */
void rules_note_searched(rules_hits *h, const char *line);

#endif
