#include "codes/phrases.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "codes/smap.h"

#define SEP SMAP_NONE    /* ends a string's tokens in seq; a new slot's value */
#define ROUNDS 16        /* merging rounds */
#define PER_ROUND 1500   /* pairs merged per round, at most */
#define MIN_PAIRS 24     /* rarer pairs do not pay for their entry (measured) */


typedef struct {
    uint64_t key; /* (a + 1) << 32 | (b + 1); 0 is empty */
    uint32_t count, merged;
} pair;

typedef struct {
    const char *s;
    uint32_t len, count;
} token;

struct phrases {
    smap strs, toks;
    size_t nstr;
    token *tok;
    size_t ntok, captok;
    char **owned; /* merged phrase texts */
    size_t nowned;
    uint32_t *seq;
    size_t nseq, capseq;
    uint32_t *off, *rank; /* per string; token id -> id in the output */
    uint32_t *order;      /* output id - 1 -> token id */
    size_t nvocab;
    unsigned char *out;
    size_t nout, capout;
};

/* ---- containers ---- */


static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 1024;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

static int push_seq(phrases *p, uint32_t id)
{
    if (grow((void **)&p->seq, &p->capseq, p->nseq + 1, sizeof *p->seq) != 0)
        return -1;
    p->seq[p->nseq++] = id;
    return 0;
}

static long new_token(phrases *p, const char *s, size_t len)
{
    if (grow((void **)&p->tok, &p->captok, p->ntok + 1, sizeof *p->tok) != 0)
        return -1;
    p->tok[p->ntok] = (token){s, (uint32_t)len, 0};
    return (long)p->ntok++;
}

phrases *phrases_new(void)
{
    return calloc(1, sizeof(phrases));
}

void phrases_free(phrases *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nowned; i++)
        free(p->owned[i]);
    free(p->owned);
    smap_free(&p->strs), smap_free(&p->toks), free(p->tok), free(p->seq);
    free(p->off), free(p->rank), free(p->order), free(p->out);
    free(p);
}

/* ---- words ---- */

/* A word (letters, digits, apostrophes) or one other byte, with the single
 * space after it.  Words concatenate back to the text. */
static size_t word_len(const char *s)
{
    size_t n = 0;
    while (isalnum((unsigned char)s[n]) || s[n] == '\'')
        n++;
    if (n == 0)
        n = 1;
    if (s[n] == ' ')
        n++;
    return n;
}

long phrases_add(phrases *p, const char *s)
{
    smap_slot *sl = smap_get(&p->strs, s, strlen(s));
    if (!sl)
        return -1;
    if (sl->val != SEP)
        return sl->val;
    sl->val = (uint32_t)p->nstr++;
    for (; *s; s += word_len(s)) {
        smap_slot *w = smap_get(&p->toks, s, word_len(s));
        if (!w)
            return -1;
        if (w->val == SEP) {
            long id = new_token(p, w->s, w->len);
            if (id < 0)
                return -1;
            w->val = (uint32_t)id;
        }
        if (push_seq(p, w->val) != 0)
            return -1;
    }
    return push_seq(p, SEP) == 0 ? (long)sl->val : -1;
}

/* ---- phrases: merging the most frequent adjacent pairs ---- */

typedef struct {
    pair *v;
    size_t cap, n;
} pairmap;

static uint64_t mix(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return k;
}

static pair *pair_find(const pairmap *m, uint32_t a, uint32_t b)
{
    uint64_t key = ((uint64_t)a + 1) << 32 | ((uint64_t)b + 1);
    if (!m->cap)
        return NULL;
    for (size_t j = mix(key) & (m->cap - 1); m->v[j].key; j = (j + 1) & (m->cap - 1))
        if (m->v[j].key == key)
            return &m->v[j];
    return NULL;
}

static pair *pair_get(pairmap *m, uint32_t a, uint32_t b)
{
    uint64_t key = ((uint64_t)a + 1) << 32 | ((uint64_t)b + 1);
    if (2 * (m->n + 1) > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 1 << 16;
        pair *v = calloc(cap, sizeof *v);
        if (!v)
            return NULL;
        for (size_t i = 0; i < m->cap; i++)
            if (m->v[i].key) {
                size_t j = mix(m->v[i].key) & (cap - 1);
                while (v[j].key)
                    j = (j + 1) & (cap - 1);
                v[j] = m->v[i];
            }
        free(m->v);
        m->v = v;
        m->cap = cap;
    }
    size_t j = mix(key) & (m->cap - 1);
    for (; m->v[j].key; j = (j + 1) & (m->cap - 1))
        if (m->v[j].key == key)
            return &m->v[j];
    m->n++;
    m->v[j] = (pair){key, 0, 0};
    return &m->v[j];
}

static int by_count(const void *a, const void *b)
{
    const pair *x = *(pair *const *)a, *y = *(pair *const *)b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return (x->key > y->key) - (x->key < y->key); /* deterministic */
}

/* New tokens for the most frequent pairs: pair.merged = id + 1. */
static int choose_merges(phrases *p, pairmap *m)
{
    pair **best = malloc((m->n + 1) * sizeof *best);
    size_t nb = 0;
    if (!best)
        return -1;
    for (size_t i = 0; i < m->cap; i++)
        if (m->v[i].key && m->v[i].count >= MIN_PAIRS)
            best[nb++] = &m->v[i];
    qsort(best, nb, sizeof *best, by_count);
    int rc = 0;
    for (size_t i = 0; i < nb && i < PER_ROUND && rc == 0; i++) {
        const token *a = &p->tok[(best[i]->key >> 32) - 1];
        const token *b = &p->tok[(best[i]->key & 0xffffffffu) - 1];
        char *s = malloc((size_t)a->len + b->len + 1);
        char **o = realloc(p->owned, (p->nowned + 1) * sizeof *o);
        if (o)
            p->owned = o;
        if (!s || !o) {
            free(s);
            rc = -1;
            break;
        }
        memcpy(s, a->s, a->len);
        memcpy(s + a->len, b->s, b->len);
        s[a->len + b->len] = '\0';
        p->owned[p->nowned++] = s;
        long id = new_token(p, s, (size_t)a->len + b->len);
        if (id < 0)
            rc = -1;
        else
            best[i]->merged = (uint32_t)id + 1;
    }
    free(best);
    return rc;
}

/* One round: count the pairs, choose, rewrite the streams left to right. */
static int merge_round(phrases *p)
{
    pairmap m = {0};
    int rc = 0;
    for (size_t i = 0; i + 1 < p->nseq && rc == 0; i++)
        if (p->seq[i] != SEP && p->seq[i + 1] != SEP) {
            pair *x = pair_get(&m, p->seq[i], p->seq[i + 1]);
            rc = x ? (x->count++, 0) : -1;
        }
    if (rc == 0)
        rc = choose_merges(p, &m);
    size_t o = 0;
    for (size_t i = 0; rc == 0 && i < p->nseq; i++) {
        uint32_t id = p->seq[i];
        if (id != SEP && i + 1 < p->nseq && p->seq[i + 1] != SEP) {
            const pair *x = pair_find(&m, id, p->seq[i + 1]);
            if (x && x->merged) {
                id = x->merged - 1;
                i++;
            }
        }
        p->seq[o++] = id;
    }
    if (rc == 0)
        p->nseq = o;
    free(m.v);
    return rc;
}

/* ---- output ---- */

static const phrases *sort_ctx; /* qsort has no context argument */

static int by_use(const void *a, const void *b)
{
    const token *x = &sort_ctx->tok[*(const uint32_t *)a];
    const token *y = &sort_ctx->tok[*(const uint32_t *)b];
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->s, y->s, n);
    if (c)
        return c;
    return x->len != y->len ? (x->len > y->len) - (x->len < y->len)
                            : (*(const uint32_t *)a > *(const uint32_t *)b) -
                                  (*(const uint32_t *)a < *(const uint32_t *)b);
}

/* Output ids by use, most used first (1 byte for the first 127); tokens
 * that merging left unused are dropped. */
static int rank_tokens(phrases *p)
{
    for (size_t i = 0; i < p->ntok; i++)
        p->tok[i].count = 0;
    for (size_t i = 0; i < p->nseq; i++)
        if (p->seq[i] != SEP)
            p->tok[p->seq[i]].count++;
    p->order = malloc((p->ntok + 1) * sizeof *p->order);
    p->rank = malloc((p->ntok + 1) * sizeof *p->rank);
    if (!p->order || !p->rank)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < p->ntok; i++)
        if (p->tok[i].count)
            p->order[n++] = (uint32_t)i;
    sort_ctx = p;
    qsort(p->order, n, sizeof *p->order, by_use);
    for (size_t i = 0; i < n; i++)
        p->rank[p->order[i]] = (uint32_t)i + 1;
    p->nvocab = n;
    return 0;
}

static int put_varint(phrases *p, uint32_t v)
{
    if (grow((void **)&p->out, &p->capout, p->nout + 5, 1) != 0)
        return -1;
    do {
        unsigned char b = v & 0x7f;
        v >>= 7;
        p->out[p->nout++] = (unsigned char)(v ? b | 0x80 : b);
    } while (v);
    return 0;
}

int phrases_build(phrases *p)
{
    for (int r = 0; r < ROUNDS; r++)
        if (merge_round(p) != 0)
            return -1;
    if (rank_tokens(p) != 0)
        return -1;
    p->off = malloc((p->nstr + 1) * sizeof *p->off);
    if (!p->off)
        return -1;
    size_t str = 0;
    int fresh = 1;
    for (size_t i = 0; i < p->nseq; i++) {
        if (fresh)
            p->off[str] = (uint32_t)p->nout, fresh = 0;
        int done = p->seq[i] == SEP;
        if (put_varint(p, done ? 0 : p->rank[p->seq[i]]) != 0)
            return -1;
        if (done)
            str++, fresh = 1;
    }
    return str == p->nstr ? 0 : -1;
}

size_t phrases_vocab_size(const phrases *p)
{
    return p->nvocab;
}

const char *phrases_vocab_at(const phrases *p, size_t i, size_t *len)
{
    const token *t = &p->tok[p->order[i]];
    *len = t->len;
    return t->s;
}

const unsigned char *phrases_streams(const phrases *p, size_t *size)
{
    *size = p->nout;
    return p->out;
}

uint32_t phrases_offset(const phrases *p, long idx)
{
    return p->off[idx];
}
