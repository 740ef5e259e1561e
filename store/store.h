/* store: the case store.  One SQLite database holds the cases (with their
 * notes' text), the reviewers and their roles, claims, every criterion
 * verdict, comment, evidence mark and decision, and a hash-chained audit
 * trail.
 *
 * Records are never updated in place: a changed verdict is a new row, and
 * the history of a case can be replayed.  The only rows that change are
 * derived ones (the queue's current state of a case, a reviewer's UI
 * state), written in the same transaction as the events they follow.
 *
 * The reviewer is the operating-system user running the program
 * (getpwuid(getuid())), never an environment variable.  A user the store
 * has not seen is registered on first open with no reviewer role: they can
 * read the queue but not claim or decide until an administrator gives them
 * a role.  The first user of a new database is its administrator (and also
 * has no clinical role until they give themselves one:
 * `casereview admin role $USER physician`).
 *
 * Role rules (US utilization management):
 *   deny     physician reviewer only (an adverse determination)
 *   approve  nurse or physician; a nurse only when the outcome is MEETS
 *   pend     nurse or physician
 *   refer    nurse or physician (to a physician reviewer)
 *   trainee  may record any decision on any case without a claim; it is
 *            stored as practice (counts = 0) and never closes a case
 * A nurse or physician must hold the case's claim to decide.
 *
 * Every function returns 0 on success or -1 with a one-line reason in err
 * (never any note text).  Strings returned in structs are NUL-terminated
 * and truncated to their buffers. */
#ifndef STORE_STORE_H
#define STORE_STORE_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

typedef struct store store;

#define STORE_ID_MAX 65    /* case ids: [A-Za-z0-9._-]{1,64} */
#define STORE_USER_MAX 65  /* OS login names */
#define STORE_NAME_MAX 129 /* display names, member names, payers */
#define STORE_CRIT_MAX 33  /* criterion ids ("III.C.1", "L.1") */

typedef enum {
    STORE_ROLE_NONE = 0, /* registered, not yet given a role */
    STORE_ROLE_TRAINEE,
    STORE_ROLE_NURSE,
    STORE_ROLE_PHYSICIAN
} store_role;

typedef enum { STORE_URGENT = 0, STORE_STANDARD } store_urgency;

/* Where a case stands.  OPEN: waiting for a determination; PENDED:
 * waiting for information; REFERRED: waiting for a physician reviewer;
 * APPROVED and DENIED are closed. */
typedef enum {
    STORE_STATUS_OPEN = 0,
    STORE_STATUS_PENDED,
    STORE_STATUS_REFERRED,
    STORE_STATUS_APPROVED,
    STORE_STATUS_DENIED
} store_status;

typedef enum {
    STORE_VERDICT_MET = 0,
    STORE_VERDICT_NOT_MET,
    STORE_VERDICT_NA
} store_verdict;

typedef enum {
    STORE_ORIGIN_ACCEPTED = 0, /* the engine's suggestion, confirmed */
    STORE_ORIGIN_OVERRIDDEN,   /* differs from the suggestion: reason required */
    STORE_ORIGIN_MANUAL        /* no suggestion to accept (unknown) */
} store_origin;

typedef enum {
    STORE_DECISION_APPROVE = 0,
    STORE_DECISION_DENY,
    STORE_DECISION_PEND,
    STORE_DECISION_REFER
} store_decision;

/* The section's outcome under the reviewer's verdicts (the engine's
 * three-valued logic), given by the caller with each decision. */
typedef enum {
    STORE_OUTCOME_MEETS = 0,
    STORE_OUTCOME_DOES_NOT_MEET,
    STORE_OUTCOME_INSUFFICIENT
} store_outcome;

/* Warnings from store_decision_check/record (a bit set). */
enum {
    STORE_WARN_NOTES_UNSEEN = 1 << 0,    /* no part of any note displayed */
    STORE_WARN_EVIDENCE_UNSEEN = 1 << 1, /* some verdict's evidence never displayed */
    STORE_WARN_PRACTICE = 1 << 2         /* trainee: not a determination */
};

/* Names used in the database, the CLI and the audit ("nurse", "met",
 * "overridden", "deny", "does_not_meet", "urgent", "pended"). Parsers
 * return -1 for an unknown name. */
const char *store_role_name(store_role r);
int store_role_parse(const char *s, store_role *out);
const char *store_verdict_name(store_verdict v);
int store_verdict_parse(const char *s, store_verdict *out);
const char *store_origin_name(store_origin o);
int store_origin_parse(const char *s, store_origin *out);
const char *store_decision_name(store_decision d);
int store_decision_parse(const char *s, store_decision *out);
const char *store_outcome_name(store_outcome o);
int store_outcome_parse(const char *s, store_outcome *out);
const char *store_status_name(store_status st);
const char *store_urgency_name(store_urgency u);

/* ---- opening ---------------------------------------------------------- */

/* The database path: path if not NULL, else $CASEREVIEW_DB, else
 * $XDG_DATA_HOME/casereview/casereview.db (~/.local/share/...). */
int store_default_path(char *buf, size_t sz, char *err, size_t errsz);

/* Opens (creating mode 0600 in a 0700 folder, and migrating an older
 * schema in place) and registers the current OS user. */
store *store_open(const char *path, char *err, size_t errsz);
void store_close(store *s); /* closes an open case first; NULL is fine */

/* ---- reviewers -------------------------------------------------------- */

typedef struct {
    char user[STORE_USER_MAX];   /* OS login */
    char name[STORE_NAME_MAX];   /* display name ("J. Doe") */
    char credentials[17];        /* "RN", "MD", "DO", "" */
    store_role role;
    int admin;                   /* administrator: manages reviewers, takes over claims */
    time_t added;
} store_reviewer;

/* The reviewer this store acts as (the OS user). */
const store_reviewer *store_whoami(const store *s);
/* All reviewers, by login.  Free with free(). */
int store_reviewer_list(store *s, store_reviewer **out, size_t *n,
                        char *err, size_t errsz);
/* Administrator only.  name/credentials may be NULL (kept, or empty). */
int store_reviewer_add(store *s, const char *user, store_role role,
                       const char *name, const char *credentials,
                       char *err, size_t errsz);
int store_reviewer_set_role(store *s, const char *user, store_role role,
                            char *err, size_t errsz);
int store_reviewer_set_name(store *s, const char *user, const char *name,
                            const char *credentials, char *err, size_t errsz);
/* Grants or revokes the administrator right; the last administrator
 * cannot be revoked. */
int store_reviewer_set_admin(store *s, const char *user, int admin,
                             char *err, size_t errsz);

/* For tests only: act as another reviewer row (created with no role if
 * absent).  Never reachable from the product's command line. */
int store_set_actor_for_testing(store *s, const char *user, char *err,
                                size_t errsz);
/* For tests only: the clock the store uses (0: the real clock). */
void store_set_clock_for_testing(store *s, time_t now);

/* ---- import ----------------------------------------------------------- */

/* Imports a case folder (request.xml + notes *.txt; docs/case-folder.md).
 * The case id goes to id (may be NULL).  A case already in the store is
 * refused. */
int store_import_dir(store *s, const char *dir, char *id, size_t idsz,
                     char *err, size_t errsz);

/* ---- the queue -------------------------------------------------------- */

typedef enum {
    STORE_SORT_DUE = 0, /* soonest due first (the index) */
    STORE_SORT_URGENCY, /* urgent first, then due */
    STORE_SORT_RECEIVED,
    STORE_SORT_CASE
} store_sort;

typedef struct {
    int all;            /* every case, closed ones too (casereview cases) */
    store_sort sort;
    const char *filter; /* substring of case id, member, service, policy; NULL none */
    size_t offset;
    size_t limit;       /* 0: the first 1000 (page with offset) */
} store_queue_opts;

typedef struct {
    size_t total;   /* cases matching (before offset/limit) */
    size_t overdue; /* of those, past due and not closed */
    size_t mine;    /* of those, claimed by this reviewer */
} store_queue_counts;

typedef struct {
    char case_id[STORE_ID_MAX];
    store_urgency urgency;
    store_status status;
    time_t received, due;
    long long time_left;           /* due - now in seconds; < 0 overdue */
    int overdue;                   /* time_left < 0 and not closed */
    char member_name[STORE_NAME_MAX];
    char member_sex[2];            /* "F", "M", "U" or "" */
    char member_dob[11];           /* YYYY-MM-DD */
    int member_age;                /* years at now, -1 unknown */
    char service[STORE_NAME_MAX];  /* codes, ", "-separated */
    char payer[STORE_NAME_MAX];
    char policy_id[STORE_NAME_MAX];
    char section[STORE_CRIT_MAX];
    char holder[STORE_USER_MAX];   /* claim holder's login, "" none */
    char holder_name[STORE_NAME_MAX];
    int mine;                      /* held by this reviewer */
} store_queue_item;

/* The queue: open, pended and referred cases (referred ones only for
 * physicians and administrators; with opt->all, every case).  NULL opt:
 * the defaults.  counts may be NULL.  Free items with free(). */
int store_queue(store *s, const store_queue_opts *opt, store_queue_item **items,
                size_t *n, store_queue_counts *counts, char *err, size_t errsz);

/* ---- a case ----------------------------------------------------------- */

typedef struct {
    char code[16];   /* CPT or HCPCS */
    char modifier[8];
    int units;
    char dos[11];    /* date of service, YYYY-MM-DD */
} store_service;

typedef struct {
    char name[STORE_NAME_MAX]; /* file name as imported */
    char *text;                /* NUL-terminated, len bytes: load with note_load_mem */
    size_t len;
} store_note;

/* The policy version a case is reviewed under. */
typedef struct {
    char policy_id[STORE_NAME_MAX];
    char effective[11]; /* YYYY-MM-DD */
    char revision[33];
    char section[STORE_CRIT_MAX];
} store_policy_version;

typedef struct {
    char id[STORE_ID_MAX];
    char member_name[STORE_NAME_MAX];
    char member_dob[11];
    char member_sex[2];
    char member_id[STORE_NAME_MAX];
    char provider_name[STORE_NAME_MAX];
    char provider_npi[16];
    char payer_id[STORE_NAME_MAX];
    char payer_name[STORE_NAME_MAX];
    char policy_id[STORE_NAME_MAX]; /* as requested */
    char section[STORE_CRIT_MAX];
    store_urgency urgency;
    time_t received, due;
    store_status status;
    char holder[STORE_USER_MAX];
    time_t held_since;
    store_service *services;
    size_t nservices;
    char (*diagnoses)[16]; /* ICD-10-CM codes */
    size_t ndiagnoses;
    store_note *notes;
    size_t nnotes;
    int reviewed;                 /* a review has begun: version is set */
    store_policy_version version;
} store_case;

int store_case_get(store *s, const char *case_id, store_case **out,
                   char *err, size_t errsz);
void store_case_free(store_case *c);

/* Opens a case for work: appends "open" to the audit and starts the clock
 * and the record of displayed note spans.  One case is open at a time;
 * opening another closes the first.  store_case_close appends "close" with
 * the seconds open and the spans displayed. */
int store_case_open(store *s, const char *case_id, char *err, size_t errsz);
int store_case_close(store *s, char *err, size_t errsz);
/* Records that bytes [start, end) of note (index into store_case.notes)
 * were on screen.  In memory only (coalesced); written with the decision
 * and on close. */
int store_displayed(store *s, int note, size_t start, size_t end);

/* Begins (or continues) the review of a case under one policy version.
 * Verdicts and decisions attach to the case's latest review; a new
 * version starts a new review. */
int store_review_begin(store *s, const char *case_id,
                       const store_policy_version *v, char *err, size_t errsz);

/* ---- claims ----------------------------------------------------------- */

/* Claim a case (refused if another reviewer holds it, naming them); release
 * one's own claim; take over another's (administrators only). */
int store_claim(store *s, const char *case_id, char *err, size_t errsz);
int store_release(store *s, const char *case_id, char *err, size_t errsz);
int store_takeover(store *s, const char *case_id, char *err, size_t errsz);
/* The same, and previous gets whom the claim was taken from (the
 * administrator's own login when they held it already: nothing changes). */
int store_takeover_from(store *s, const char *case_id, char *previous, size_t prevsz,
                        char *err, size_t errsz);

/* ---- verdicts, evidence, comments, decisions --------------------------- */

typedef struct {
    int note;            /* index into store_case.notes */
    size_t start, end;   /* byte offsets into that note's text */
} store_span;

/* A criterion verdict.  reason is required when origin is OVERRIDDEN;
 * comment may be NULL; evidence (may be NULL) is the span the verdict
 * rests on (the engine's evidence when accepted).  Requires a review begun
 * and, except for trainees, the claim. */
int store_verdict_record(store *s, const char *case_id, const char *criterion,
                         store_verdict verdict, store_origin origin,
                         const char *reason, const char *comment,
                         const store_span *evidence, char *err, size_t errsz);

/* A hand-marked evidence span for a criterion (same rules as a verdict). */
int store_evidence_mark(store *s, const char *case_id, const char *criterion,
                        int note, size_t start, size_t end, char *err,
                        size_t errsz);

/* A comment on the case (criterion NULL) or on one criterion.  Any
 * reviewer with a role may comment; no claim is needed. */
int store_comment_add(store *s, const char *case_id, const char *criterion,
                      const char *text, char *err, size_t errsz);

/* Would this decision be accepted?  0 with warnings (may be NULL) set, or
 * -1 with the reason (role, claim, outcome).  Writes nothing. */
int store_decision_check(store *s, const char *case_id, store_decision d,
                         store_outcome outcome, unsigned *warnings,
                         char *err, size_t errsz);
/* Records it (same rules), with the warnings in the record and the audit.
 * rationale is required for deny, pend and refer. */
int store_decision_record(store *s, const char *case_id, store_decision d,
                          store_outcome outcome, const char *rationale,
                          unsigned *warnings, char *err, size_t errsz);

/* The latest verdict of each criterion of the case's latest review, in
 * the order the criteria were first given a verdict. */
typedef struct {
    char criterion[STORE_CRIT_MAX];
    store_verdict verdict;
    store_origin origin;
    char reviewer[STORE_USER_MAX];
    time_t at;
    char *reason;  /* "" when none */
    char *comment; /* "" when none */
    int has_evidence;
    store_span evidence;
} store_verdict_row;

int store_latest_verdicts(store *s, const char *case_id,
                          store_verdict_row **out, size_t *n, char *err,
                          size_t errsz);
void store_verdicts_free(store_verdict_row *rows, size_t n);

/* Hand-marked evidence of the case (latest review), all criteria. */
typedef struct {
    char criterion[STORE_CRIT_MAX];
    store_span span;
} store_mark;
int store_evidence_list(store *s, const char *case_id, store_mark **out,
                        size_t *n, char *err, size_t errsz); /* free() */

/* ---- UI state (per reviewer and case; not a record) -------------------- */

typedef struct {
    char criterion[STORE_CRIT_MAX]; /* selected criterion, "" none */
    int note;                       /* note shown */
    long scroll;                    /* first line shown */
} store_ui_state;

/* 0 and *st filled, or 1 when nothing was saved (st zeroed), -1 error. */
int store_ui_state_get(store *s, const char *case_id, store_ui_state *st,
                       char *err, size_t errsz);
int store_ui_state_put(store *s, const char *case_id, const store_ui_state *st,
                       char *err, size_t errsz);

/* ---- audit -------------------------------------------------------------- */

/* Appends an action ("letter", ...) for a case (NULL: none).  detail is a
 * JSON object text or NULL; never put note text in it.  The store adds the
 * seconds the case has been open.  The store's own actions (import,
 * claim, verdict, decision, role...) are refused: each is written with the
 * record it describes. */
int store_audit_append(store *s, const char *action, const char *case_id,
                       const char *detail, char *err, size_t errsz);

/* Verifies the audit trail in one read transaction: the chain (each row's
 * hash, its link to the row before, no row missing), then every row of
 * every table except ui_state against the audit rows (a record against
 * the row it names, column by column; reviewers and case_state against the
 * latest row that carries their state; imported cases, services,
 * diagnoses and notes against the hashes of their import row), then every
 * audit row that made a row against that row still being there.
 * 0: intact (*rows counted); 1: broken, *bad is the audit row concerned
 * (0 for a row no audit row has) and err names it and the table; -1:
 * error.  rows and bad may be NULL. */
int store_audit_verify(store *s, long long *rows, long long *bad, char *err,
                       size_t errsz);

/* The last row of the chain.  Whoever can write the file can cut off the
 * chain's tail, or rebuild it from any row on (the hash has no key), and
 * leave it self-consistent: only a head recorded elsewhere, and checked
 * later, shows that. */
typedef struct {
    long long id;            /* 0: an empty chain */
    unsigned char hash[32];
} store_audit_head;

/* As store_audit_verify; expect (NULL: none) is a head recorded earlier,
 * which must still be in the chain with the same hash; head (may be
 * NULL) gets the chain's last row. */
int store_audit_verify_head(store *s, const store_audit_head *expect, long long *rows,
                            long long *bad, store_audit_head *head, char *err,
                            size_t errsz);
/* "ID:HEX" (64 hex digits); buf needs 86 bytes.  parse: 0 or -1. */
#define STORE_AUDIT_HEAD_TEXT 86
void store_audit_head_format(const store_audit_head *h, char *buf, size_t sz);
int store_audit_head_parse(const char *text, store_audit_head *h);

typedef struct {
    long long id;
    time_t at;
    const char *user;
    const char *action;
    const char *case_id; /* "" none */
    const char *detail;  /* JSON text, "" none */
} store_audit_row;

/* Calls fn for each audit row of the case (NULL: all), oldest first; a
 * non-zero return from fn stops the walk. */
int store_audit_each(store *s, const char *case_id,
                     int (*fn)(const store_audit_row *row, void *ctx),
                     void *ctx, char *err, size_t errsz);

#endif
