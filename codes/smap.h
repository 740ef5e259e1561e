/* smap: a map from strings (not copied: they must outlive the map) to a
 * 32-bit value, by open addressing; what the code-table builder uses to
 * find a string it has seen. */
#ifndef CODES_SMAP_H
#define CODES_SMAP_H

#include <stddef.h>
#include <stdint.h>

#define SMAP_NONE UINT32_MAX /* the value of a slot just made */

typedef struct {
    const char *s;
    uint32_t len, val;
} smap_slot;

typedef struct {
    smap_slot *v;
    size_t cap, n;
} smap;

/* The slot of s[0..n), made with val SMAP_NONE when absent; NULL when out
 * of memory.  A slot pointer holds until the next smap_get. */
smap_slot *smap_get(smap *m, const char *s, size_t n);
void smap_free(smap *m);

#endif
