#include "parsers/fact.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_names[FACT_KIND_COUNT] = {
    "icd10", "cpt", "hcpcs", "dose", "scale", "age", "date"};
static const char *const status_names[CTX_STATUS_COUNT] = {
    "affirmed", "negated", "historical", "hypothetical", "family"};

const char *fact_kind_name(fact_kind k)
{
    return (unsigned)k < FACT_KIND_COUNT ? kind_names[k] : "?";
}

const char *ctx_status_name(ctx_status s)
{
    return (unsigned)s < CTX_STATUS_COUNT ? status_names[s] : "?";
}

int fact_kind_parse(const char *s, fact_kind *out)
{
    for (int i = 0; i < FACT_KIND_COUNT; i++)
        if (strcmp(s, kind_names[i]) == 0) {
            *out = (fact_kind)i;
            return 0;
        }
    return -1;
}

int ctx_status_parse(const char *s, ctx_status *out)
{
    for (int i = 0; i < CTX_STATUS_COUNT; i++)
        if (strcmp(s, status_names[i]) == 0) {
            *out = (ctx_status)i;
            return 0;
        }
    return -1;
}

int fact_list_push(fact_list *l, const fact *f)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        fact *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = *f;
    return 0;
}

static int by_start(const void *a, const void *b)
{
    const fact *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    return x->end < y->end ? -1 : x->end > y->end;
}

void fact_list_sort(fact_list *l)
{
    if (l->n < 2)
        return;
    qsort(l->v, l->n, sizeof *l->v, by_start);
    size_t w = 1;
    for (size_t r = 1; r < l->n; r++) {
        fact *p = &l->v[w - 1];
        if (l->v[r].start == p->start && l->v[r].end == p->end &&
            l->v[r].kind == p->kind)
            continue;
        l->v[w++] = l->v[r];
    }
    l->n = w;
}

void fact_list_free(fact_list *l)
{
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}
