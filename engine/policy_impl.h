/* policy_impl: the insides of a loaded policy, shared by policy.c (which
 * builds them from XML) and check.c (which evaluates them).  Not part of
 * the public API. */
#ifndef ENGINE_POLICY_IMPL_H
#define ENGINE_POLICY_IMPL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include "engine/policy.h"
#include "parsers/fact.h"

typedef enum { RULE_FIND, RULE_CODE, RULE_FACT, RULE_DROP, RULE_DRUGS } rule_kind;
typedef enum { LIST_NA, LIST_SUPPORT, LIST_REFUTE, LIST_COUNT } rule_list;
typedef enum { DROP_POINTS, DROP_PERCENT } drop_mode;
typedef enum { CMP_GE, CMP_GT, CMP_LT, CMP_LE } cmp_op;
typedef enum { DRUGS_APPROVED, DRUGS_UNAPPROVED, DRUGS_MIXTURE } drugs_when;

struct policy_codes {
    char *id, *label;
    unsigned systems;   /* 1 << policy_code_system */
    char **v;
    char **desc;        /* desc[i]: the policy's words for v[i], or NULL */
    size_t n;
    policy_codes_role role;
};

typedef struct {
    char *name;
    pcre2_code *re;
    int approved;
} policy_drug;

typedef struct {
    char *id;
    pcre2_code *context, *exclude, *trial;
    policy_drug *v;
    size_t n;
} policy_drugs;

typedef struct {
    rule_kind kind;
    char *desc;
    int decisive;                 /* 1 outweighs non-decisive hits, 2 overrides */
    int line;                     /* in the policy file, for messages */
    /* find (and unless for drugs) */
    pcre2_code *re, *also, *with, *unless, *incase;
    unsigned status_mask;         /* 1 << ctx_status accepted */
    int flip;                     /* negated counts the other way */
    int window;                   /* also/with over the window */
    int speaker;                  /* ... and a first-person sentence is its author's */
    /* code */
    const struct policy_codes *list;
    char *pattern;
    int absent;
    /* fact */
    fact_kind fkind;
    char *name;
    int has_ge, has_lt;
    double ge, lt;
    /* drop */
    char *scales;                 /* space-separated */
    char *drop_key;               /* what the scan depends on: rules
                                   * differing only in op/value share it */
    drop_mode mode;
    pcre2_code *context;
    cmp_op op;
    double value;
    /* drugs */
    const policy_drugs *drugs;
    drugs_when when;
} policy_rule;

struct policy_criterion {
    char *id, *label, *shortname, *text;
    const struct policy_codes *codes; /* the covered list it is about */
    int deflt;                    /* check_suggestion when no rule fires */
    policy_rule *rules[LIST_COUNT];
    size_t nrules[LIST_COUNT];
};

typedef enum { NODE_ALL, NODE_ANY, NODE_NOT, NODE_CRIT } node_type;
typedef struct policy_node {
    node_type type;
    struct policy_node *kids;
    size_t nkids;
    size_t crit;                  /* index into the section's criteria */
} policy_node;

struct policy_section {
    char *name, *label, *title, *logic_text;
    policy_rule *pick;
    size_t npick;
    policy_node root;
    const policy_criterion **crit;
    size_t ncrit;
};

struct policy {
    char *path, *id, *payer, *title, *effective, *source, *version;
    char **payer_names;           /* <payer-names>, in order */
    int *payer_is_id;             /* 1: an <id>, 0: a <name> */
    size_t npayer_names;
    int revision;
    struct policy_codes *codes;
    size_t ncodes;
    policy_drugs *drugs;
    size_t ndrugs;
    policy_criterion *shared;     /* <criteria> */
    size_t nshared;
    policy_criterion **owned;     /* inline criteria, freed with the policy */
    size_t nowned;
    policy_section *sections;
    size_t nsections;
};

/* Matches re in s[0,len) from off; 1 and the span of the whole match (or
 * of its group "t") on a match, 0 otherwise (a match limit counts as no
 * match). */
int policy_re_find(const pcre2_code *re, const char *s, size_t len,
                   size_t off, size_t *ms, size_t *me, size_t *ts,
                   size_t *te);

#endif
