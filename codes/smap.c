#include "codes/smap.h"

#include <stdlib.h>
#include <string.h>

static uint32_t fnv(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

smap_slot *smap_get(smap *m, const char *s, size_t n)
{
    if (2 * (m->n + 1) > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 1024;
        smap_slot *v = calloc(cap, sizeof *v);
        if (!v)
            return NULL;
        for (size_t i = 0; i < m->cap; i++)
            if (m->v[i].s) {
                size_t j = fnv(m->v[i].s, m->v[i].len) & (cap - 1);
                while (v[j].s)
                    j = (j + 1) & (cap - 1);
                v[j] = m->v[i];
            }
        free(m->v);
        m->v = v;
        m->cap = cap;
    }
    size_t j = fnv(s, n) & (m->cap - 1);
    for (; m->v[j].s; j = (j + 1) & (m->cap - 1))
        if (m->v[j].len == n && memcmp(m->v[j].s, s, n) == 0)
            return &m->v[j];
    m->n++;
    m->v[j] = (smap_slot){s, (uint32_t)n, SMAP_NONE};
    return &m->v[j];
}

void smap_free(smap *m)
{
    free(m->v);
    m->v = NULL;
    m->cap = m->n = 0;
}
