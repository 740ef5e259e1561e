/* check: the criteria engine.  Evaluates the notes of one case against one
 * section of a policy and suggests, for each criterion, met / not_met /
 * unknown / na, with the sentences that decided it; then combines them in
 * three-valued logic into the section's outcome (criteria-contract.md).
 *
 * No printing: the caller formats the result (cli/cmd_check.c, tui/). */
#ifndef ENGINE_CHECK_H
#define ENGINE_CHECK_H

#include <stddef.h>
#include "core/note.h"
#include "parsers/fact.h"
#include "engine/policy.h"

struct context_rules;

typedef enum {
    CHECK_MET,
    CHECK_NOT_MET,
    CHECK_UNKNOWN,
    CHECK_NA
} check_suggestion;

typedef enum {
    CHECK_MEETS,
    CHECK_DOES_NOT_MEET,
    CHECK_INSUFFICIENT
} check_outcome;

typedef enum {
    CHECK_SUPPORTS, /* argues for met */
    CHECK_REFUTES,  /* argues for not_met */
    CHECK_EXCUSES   /* argues for na (the criterion does not apply) */
} check_direction;

/* Evidence that comes from the request, not from a note. */
#define CHECK_REQUEST ((size_t)-1)

/* One piece of evidence.  Offsets are into notes[note]->text (use
 * note_file_offset() for the file's bytes).  Evidence from the request
 * (a requested code) has note CHECK_REQUEST, no span (all offsets 0) and
 * source saying where it is ("request: service 95991"). */
typedef struct {
    size_t note;                       /* index into the notes array */
    size_t sent_start, sent_end;       /* the sentence that decided it */
    size_t match_start, match_end;     /* what the rule matched */
    check_direction dir;
    const char *rule;                  /* the rule, in words */
    const char *source;                /* NULL for a note; else in words */
} check_evidence;

typedef struct check_result check_result;

/* A code the request carries (request.xml, the case store). */
typedef struct {
    const char *code;   /* as requested: "95991", "E0783", "G80.1" */
    int diagnosis;      /* 1: a diagnosis (ICD-10-CM); 0: a service */
} check_requested;

/* What a case gives besides its notes.  Every field may be 0/NULL. */
typedef struct {
    const struct context_rules *ctx;    /* NULL: every match affirmed */
    const check_requested *requested;   /* the request's codes */
    size_t nrequested;
    const char *payer_id, *payer_name;  /* the request's payer */
} check_input;

/* The notes of one case, read together, and their facts (facts[i] belongs
 * to notes[i]; extract_note() fills them).  ctx classifies the context of
 * the engine's own text matches (extract_context(ex)); NULL treats every
 * match as affirmed.  NULL with a reason in err when out of memory. */
check_result *check_run(const policy_section *sec, const note *const *notes,
                        const fact_list *facts, size_t nnotes,
                        const struct context_rules *ctx, char *err,
                        size_t errsz);
/* The same with the request: its codes count as affirmed code facts
 * (evidence with note CHECK_REQUEST).  in may be NULL. */
check_result *check_run_case(const policy_section *sec,
                             const note *const *notes, const fact_list *facts,
                             size_t nnotes, const check_input *in, char *err,
                             size_t errsz);
void check_result_free(check_result *r);

const policy_section *check_result_section(const check_result *r);
check_outcome check_result_outcome(const check_result *r);
size_t check_result_count(const check_result *r); /* = criteria of section */
const policy_criterion *check_result_criterion(const check_result *r,
                                               size_t i);
check_suggestion check_result_suggestion(const check_result *r, size_t i);
size_t check_result_evidence_count(const check_result *r, size_t i);
const check_evidence *check_result_evidence(const check_result *r, size_t i,
                                            size_t k);
/* The evidence that decided the suggestion (the first supporting one for
 * met, refuting for not_met, excusing for na), or NULL (unknown). */
const check_evidence *check_result_deciding(const check_result *r, size_t i);
/* For an unknown criterion (and any other): which rules ran over which
 * notes and what they looked for, in words, one item per line; enough to
 * write a request for the missing information. */
const char *check_result_searched(const check_result *r, size_t i);

/* Picks the section that the requested codes and words point to; why
 * gets one line saying what decided it.  Never NULL for a policy with a
 * section (ties go to the first section in the file). */
const policy_section *check_pick_section(const policy *p,
                                         const note *const *notes,
                                         const fact_list *facts,
                                         size_t nnotes, char *why,
                                         size_t whysz);
/* The same, the request's codes counted as requested codes. */
const policy_section *check_pick_section_case(const policy *p,
                                              const note *const *notes,
                                              const fact_list *facts,
                                              size_t nnotes,
                                              const check_input *in,
                                              char *why, size_t whysz);

/* The policy (newest version of each) and section a case is reviewed
 * under, for the workstation's proposal: first the policy whose payer the
 * request names (in->payer_id / payer_name against <payer-names>), then
 * the one whose payer the notes name most, then the one whose code lists
 * hold the most requested (x3) and noted codes; the section as
 * check_pick_section_case.  why gets one line saying what decided.  NULL
 * (and *sec NULL) only for an empty set. */
const policy *check_pick_policy(const policy_set *s, const note *const *notes,
                                const fact_list *facts, size_t nnotes,
                                const check_input *in,
                                const policy_section **sec, char *why,
                                size_t whysz);
/* How often the notes name p's payer (its <payer-names> names, as whole
 * words, any case). */
size_t check_payer_mentions(const policy *p, const note *const *notes,
                            size_t nnotes);

const char *check_suggestion_name(check_suggestion s); /* "met", ... */
const char *check_outcome_name(check_outcome o);       /* "meets", ... */
int check_suggestion_parse(const char *s, check_suggestion *out);

#endif
