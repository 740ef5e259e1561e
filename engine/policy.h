/* policy: a payer's policy, loaded from one XML file under policies/ and
 * validated against policies/policy.rng (see policies/README.md and
 * ../shared/docs/criteria-contract.md for the ids).
 *
 * Policy files are untrusted: the loader reads at most POLICY_MAX_BYTES,
 * refuses a DOCTYPE (so no external entities and no entity expansion),
 * never touches the network, and reports "file:line: what is wrong".
 *
 * A policy holds its sections (the kind of request: implant, refill, ...);
 * a section holds its criteria, in policy order, and the logic that
 * combines them.  All strings returned live as long as the policy. */
#ifndef ENGINE_POLICY_H
#define ENGINE_POLICY_H

#include <stddef.h>

#define POLICY_MAX_BYTES ((size_t)4 << 20)

typedef struct policy policy;
typedef struct policy_set policy_set;
typedef struct policy_section policy_section;
typedef struct policy_criterion policy_criterion;
typedef struct policy_codes policy_codes;

typedef enum {
    POLICY_CODE_ICD10,
    POLICY_CODE_CPT,
    POLICY_CODE_HCPCS
} policy_code_system;

/* What a code list is (its role attribute). */
typedef enum {
    POLICY_CODES_SELECTION,  /* only for choosing a section */
    POLICY_CODES_DIAGNOSES,  /* the diagnoses the policy covers */
    POLICY_CODES_PROCEDURES  /* the procedures and supplies it covers */
} policy_codes_role;

/* Loads and validates one file.  schema is the path of policy.rng, or NULL
 * for paths_datadir()/policies/policy.rng.  NULL with "file:line: reason"
 * in err on failure. */
policy *policy_load_file(const char *path, const char *schema, char *err,
                         size_t errsz);
void policy_free(policy *p);

/* Every *.xml under dir (NULL: paths_datadir()/policies), in file name
 * order, validated against dir/policy.rng.  One bad file does not take
 * the others down: it is left out and reported as a warning
 * ("file:line: reason"), never silently, since an installed policy that
 * vanished would change verdicts.  So is a second file with a version
 * (id, effective date, revision) already loaded: the first file wins and
 * the warning names both.  NULL (reason in err) only when dir cannot be
 * read or memory runs out. */
policy_set *policy_set_load(const char *dir, char *err, size_t errsz);
/* The same, loading only the files whose root names policy id (a cheap
 * look at each file's head) and those whose head names no id at all (a
 * damaged file might be this policy): for one check, the other policies
 * need not be parsed, and their files are not validated. */
policy_set *policy_set_load_id(const char *dir, const char *id, char *err,
                               size_t errsz);
void policy_set_free(policy_set *s);
/* The files left out, one "file:line: reason" each, in file name order. */
size_t policy_set_warning_count(const policy_set *s);
const char *policy_set_warning(const policy_set *s, size_t i);
size_t policy_set_count(const policy_set *s);
const policy *policy_set_at(const policy_set *s, size_t i);
struct codes_set;
/* Names, in cs, every code that a policy of the set words itself, as
 * "as POLICY-ID words it: WORDS" (codes_name(): used only where the code
 * table ships no description, i.e. CPT).  The count named, or -1 when out
 * of memory. */
int policy_set_name_codes(const policy_set *s, struct codes_set *cs);
/* The newest version (latest effective date, then highest revision). */
const policy *policy_set_find(const policy_set *s, const char *id);
/* One exact version, so that a case keeps the version it was reviewed
 * under; version is as policy_version() prints it. NULL if not installed. */
const policy *policy_set_find_version(const policy_set *s, const char *id,
                                      const char *version);

const char *policy_id(const policy *p);
const char *policy_payer(const policy *p);
const char *policy_title(const policy *p);
const char *policy_effective(const policy *p); /* YYYY-MM-DD */
int policy_revision(const policy *p);
const char *policy_version(const policy *p);   /* "2009-04-06r1" */
const char *policy_source(const policy *p);    /* the source document */
const char *policy_path(const policy *p);      /* the file it came from */
/* The names the payer goes by (<payer-names>): an id (*is_id 1, matched
 * with a request's payer id) or a name (matched with its payer name and
 * the notes).  NULL past the end. */
size_t policy_payer_name_count(const policy *p);
const char *policy_payer_name(const policy *p, size_t i, int *is_id);

/* Covered code lists, as the policy prints them (ranges "62350-62370",
 * wildcards "G80.*" allowed). */
size_t policy_codes_count(const policy *p);
const policy_codes *policy_codes_at(const policy *p, size_t i);
const policy_codes *policy_codes_find(const policy *p, const char *id);
const char *policy_codes_id(const policy_codes *c);
const char *policy_codes_label(const policy_codes *c);
policy_codes_role policy_codes_role_of(const policy_codes *c);
/* 1 when code is on one of p's covered lists of that role (a diagnosis:
 * POLICY_CODES_DIAGNOSES); a policy with no list of that role covers
 * nothing of it, so ask policy_has_covered() first. */
int policy_covers(const policy *p, policy_codes_role role, const char *code);
int policy_has_covered(const policy *p, policy_codes_role role);
size_t policy_codes_size(const policy_codes *c);
const char *policy_codes_entry(const policy_codes *c, size_t i);
/* The policy's own words for entry i, as it prints them ("Refill and
 * maintenance of pump by a non-physician"), or NULL when it prints none. */
const char *policy_codes_description(const policy_codes *c, size_t i);
/* The policy's words for one code (a single-code entry of any list that
 * matches it), or NULL. */
const char *policy_code_words(const policy *p, const char *code);
/* 1 when code (normalised, e.g. "G80.0", "62362") matches an entry of a
 * list of the same system. */
int policy_codes_match(const policy_codes *c, const char *code);
/* The same for one printed pattern: exact, range "A-B", wildcard "G80.*". */
int policy_code_pattern_match(const char *pattern, const char *code);

/* The kinds of extracted fact (a bit 1 << fact_kind each) that some rule
 * of p reads (code rules: the codes of their lists' systems; fact rules:
 * their kind): what an extractor must find for check to see everything
 * the policy can use. */
unsigned policy_fact_kinds(const policy *p);

size_t policy_section_count(const policy *p);
const policy_section *policy_section_at(const policy *p, size_t i);
const policy_section *policy_section_find(const policy *p, const char *name);
const char *policy_section_name(const policy_section *s);  /* "implant" */
const char *policy_section_title(const policy_section *s);
const char *policy_section_label(const policy_section *s); /* "III. POLICY" */
/* The logic in words: "all of (any of (1, 2), 3, L.1)". */
const char *policy_section_logic(const policy_section *s);

size_t policy_criterion_count(const policy_section *s);
const policy_criterion *policy_criterion_at(const policy_section *s,
                                            size_t i);
const policy_criterion *policy_criterion_find(const policy_section *s,
                                              const char *id);
const char *policy_criterion_id(const policy_criterion *c);    /* "III.C.1" */
const char *policy_criterion_label(const policy_criterion *c); /* where in the source */
const char *policy_criterion_text(const policy_criterion *c);  /* verbatim */
const char *policy_criterion_short(const policy_criterion *c); /* <= 28 cols */
/* The covered code list a criterion is about (its codes attribute:
 * VIII.dx -> the covered diagnoses), or NULL. */
const policy_codes *policy_criterion_codes(const policy_criterion *c);

#endif
