/* fact: one thing the parsers found in a note (see
 * ../shared/docs/extract-format.md, copied in docs/extract-format.md). */
#ifndef PARSERS_FACT_H
#define PARSERS_FACT_H

#include <stddef.h>

typedef enum {
    FACT_ICD10,
    FACT_CPT,
    FACT_HCPCS,
    FACT_DOSE,
    FACT_SCALE,
    FACT_AGE,
    FACT_DATE,
    FACT_KIND_COUNT
} fact_kind;

typedef enum {
    CTX_AFFIRMED,
    CTX_NEGATED,
    CTX_HISTORICAL,
    CTX_HYPOTHETICAL,
    CTX_FAMILY,
    CTX_STATUS_COUNT
} ctx_status;

#define FACT_VALUE_MAX 96

typedef struct {
    fact_kind kind;
    size_t start, end;            /* byte offsets into note->text */
    char value[FACT_VALUE_MAX];   /* normalised, as the contract says */
    ctx_status status;
    const char *trigger;          /* what decided status; NULL if affirmed */
} fact;

typedef struct {
    fact *v;
    size_t n, cap;
} fact_list;

const char *fact_kind_name(fact_kind k);    /* "icd10", ... */
const char *ctx_status_name(ctx_status s);  /* "affirmed", ... */
int fact_kind_parse(const char *s, fact_kind *out);
int ctx_status_parse(const char *s, ctx_status *out);

/* Appends a copy; returns 0, or -1 when out of memory. */
int fact_list_push(fact_list *l, const fact *f);
/* Orders by start, then kind; drops a second fact with the same span and
 * kind. */
void fact_list_sort(fact_list *l);
void fact_list_free(fact_list *l);

#endif
