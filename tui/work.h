/* work: one case as the workstation holds it while a reviewer works it:
 * the notes and their facts, the section's criteria with the engine's
 * suggestions, and the reviewer's verdicts, comments, evidence marks and
 * decision, each written to the case store as it is made.
 *
 * No curses here: the screens read a work and call its verbs; the verbs
 * return 0 or -1 with a one-line reason in err (never note text). */
#ifndef TUI_WORK_H
#define TUI_WORK_H

#include <stddef.h>
#include <time.h>

#include "core/note.h"
#include "engine/check.h"
#include "engine/policy.h"
#include "parsers/fact.h"
#include "store/store.h"

typedef struct {
    int note;          /* index into work.notes */
    size_t start, end; /* bytes of that note's text */
} work_span;

typedef struct {
    const policy_criterion *pc;
    check_suggestion suggestion;
    work_span *evidence;  /* the engine's, deciding one first */
    size_t nevidence;
    const char *searched; /* what the engine looked for (unknown) */
    const char *rule;     /* the deciding rule, in words, or NULL */
    /* The reviewer's. */
    int has_verdict;
    store_verdict verdict;
    store_origin origin;
    char *reason, *comment; /* NULL when none */
    work_span *marks;       /* evidence marked by hand */
    size_t nmarks;
    char flags[160];        /* requested codes the policy does not cover */
} work_criterion;

typedef struct {
    int note;
    const fact *f;
} work_fact;

struct extractor;
struct codes_set;

typedef struct work {
    note **notes;
    size_t nnotes;
    fact_list *facts;      /* one list per note */
    work_fact *allfacts;   /* every fact, note by note */
    size_t nfacts;
    policy_set *policies;
    const policy *pol;
    const policy_section *sec;
    char pick_why[160];    /* how the policy and section were chosen */
    check_result *result;
    work_criterion *crit;
    size_t ncrit;
    /* The store: NULL when reviewing loose files that are not a case. */
    store *st;
    store_case *sc;
    char case_id[STORE_ID_MAX];
    int opened;            /* store_case_open done: close on leaving */
    struct extractor *ctx; /* the extractor, kept for its context rules */
    struct codes_set *codes; /* NULL when the code table is not installed */
    char uncovered[256];   /* requested codes the policy does not cover, or bad */
    int read_only;         /* no claim: verdicts cannot be recorded */
    char read_only_why[256];
    int decided;           /* a decision was recorded this session */
    store_decision decision;
    char requested[256];   /* requested codes, for the header */
    char version[48];      /* the policy version the case was reviewed under, "" new */
    /* Deferred loading (work_options.defer): what work_load still has to
     * do, and the section it evaluates under (want_sec NULL: picked from
     * the notes).  loading is set while work_load runs. */
    int load_pending, loading;
    const policy *want_pol;
    const policy_section *want_sec;
    int version_missing;   /* ... and it is not installed: read-only */
} work;

typedef struct {
    const char *datadir;   /* NULL: paths_datadir() */
    const char *policy_id; /* NULL: pick (work_propose) */
    const char *section;   /* NULL: pick */
    int defer;             /* leave extraction and evaluation to work_load */
} work_options;

/* Loose files: loaded and their facts extracted; nothing is saved.
 * Evaluate with work_evaluate. */
work *work_open_files(char **paths, size_t n, const work_options *opt,
                      char *err, size_t errsz);
/* A case of the store: its notes loaded and the case opened there (audit
 * "open"); claimed when nobody holds it.  When the case names its policy
 * and section (or opt does) it is evaluated at once, its review begun and
 * the saved verdicts and marks restored; else w->sec is NULL and the
 * caller picks, then calls work_evaluate. */
work *work_open_case(store *st, const char *case_id, const work_options *opt,
                     char *err, size_t errsz);
/* A long note takes a while to read (a quarter second for a megabyte:
 * facts, then the criteria), and the reviewer can read the note
 * meanwhile.  With opt->defer the open functions stop once the notes are
 * loaded; work_load then extracts the facts and evaluates the section
 * wanted (work_want, or the one the case names), touching neither the
 * store nor anything the screen draws besides the notes, so it may run on
 * another thread; after it, on the screen's thread, work_begin begins the
 * review in the store and restores its verdicts.  0, or -1 with err. */
void work_want(work *w, const policy *pol, const policy_section *sec);
int work_load(work *w, char *err, size_t errsz);
int work_begin(work *w, char *err, size_t errsz);

/* The policy and section the engine proposes (check_pick_policy: the
 * payer the request names, then the payer the notes name, then the codes;
 * why: one line). */
int work_propose(const work *w, const policy **pol,
                 const policy_section **sec, char *why, size_t whysz);
/* Runs the engine on one section; for a stored case, begins its review
 * and restores saved verdicts and marks. */
int work_evaluate(work *w, const policy *pol, const policy_section *sec,
                  char *err, size_t errsz);
void work_close(work *w); /* closes the case in the store too */

/* Verdicts and comments.  The origin follows from the suggestion:
 * accepted when they agree, manual when it was unknown, overridden
 * otherwise, and an override needs a reason. */
store_origin work_origin_for(const work *w, size_t i, store_verdict v);
int work_set_verdict(work *w, size_t i, store_verdict v, const char *reason,
                     char *err, size_t errsz);
/* accept: the suggestion as the verdict; -1 for an unknown suggestion. */
int work_accept(work *w, size_t i, char *err, size_t errsz);
int work_comment(work *w, size_t i, const char *text, char *err, size_t errsz);
int work_mark(work *w, size_t i, work_span sp, char *err, size_t errsz);

size_t work_unreviewed(const work *w); /* criteria with no verdict */
/* The section's outcome under the reviewer's verdicts (unreviewed ones
 * count as unknown), by the section's logic. */
check_outcome work_outcome(const work *w);
/* Does d contradict the verdicts?  Then why says how (and the decision
 * needs a stated reason). */
int work_contradicts(const work *w, store_decision d, char *why, size_t sz);
/* Would the store accept d (role, claim, outcome)?  As
 * store_decision_check. */
int work_decision_check(work *w, store_decision d, unsigned *warnings,
                        char *err, size_t errsz);
int work_decide(work *w, store_decision d, const char *rationale,
                unsigned *warnings, char *err, size_t errsz);

/* Which criteria a byte of a note is evidence for (a bit per criterion,
 * the first 64). */
unsigned long long work_evidence_at(const work *w, int ni, size_t off);

int work_save_ui(work *w, const store_ui_state *st);
int work_load_ui(work *w, store_ui_state *st);
void work_displayed(work *w, int ni, size_t start, size_t end);

/* A code's description and status ("billable", "not billable (category):
 * use ...") for the facts panel; "" when no table or not a code.  Returns
 * 1 when the status is a problem (not billable, not in the list). */
int work_code_words(const work *w, const char *code, char *desc, size_t dsz,
                     char *status, size_t ssz);

#endif
