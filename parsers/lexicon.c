#include "parsers/lexicon.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    char *term; /* lower case, words separated by one blank */
    char *value;
    size_t len;
} entry;

struct lexicon {
    entry *v;
    size_t n;
    size_t maxlen;
    char **firsts; /* the first word of each term, sorted, unique */
    size_t nfirsts;
};

static int by_term(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    return strcmp(x->term, y->term);
}

/* Lower case, and a hyphen is a blank: "preservative-free" in the file
 * matches "preservative free" and "preservative-free" in a note. */
static void lower(char *s)
{
    for (; *s; s++)
        *s = *s == '-' ? ' ' : (char)tolower((unsigned char)*s);
}

static int add(lexicon *l, size_t *cap, const char *term, const char *value)
{
    if (l->n == *cap) {
        size_t c = *cap ? *cap * 2 : 64;
        entry *v = realloc(l->v, c * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
        *cap = c;
    }
    entry e = {strdup(term), strdup(value), strlen(term)};
    if (!e.term || !e.value) {
        free(e.term);
        free(e.value);
        return -1;
    }
    lower(e.term);
    if (e.len > l->maxlen)
        l->maxlen = e.len;
    l->v[l->n++] = e;
    return 0;
}

static int by_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Most words of a note start no term: one look-up of the first word
 * rules them out before the longer candidates are tried. */
static int index_firsts(lexicon *l)
{
    l->firsts = malloc((l->n + 1) * sizeof *l->firsts);
    if (!l->firsts)
        return -1;
    for (size_t i = 0; i < l->n; i++) {
        size_t w = strcspn(l->v[i].term, " ");
        char *f = strndup(l->v[i].term, w);
        if (!f)
            return -1;
        l->firsts[l->nfirsts++] = f;
    }
    qsort(l->firsts, l->nfirsts, sizeof *l->firsts, by_str);
    size_t u = 0;
    for (size_t i = 0; i < l->nfirsts; i++) {
        if (u && strcmp(l->firsts[u - 1], l->firsts[i]) == 0)
            free(l->firsts[i]);
        else
            l->firsts[u++] = l->firsts[i];
    }
    l->nfirsts = u;
    return 0;
}

static int has_first(const lexicon *l, const char *key, size_t len)
{
    size_t lo = 0, hi = l->nfirsts;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strncmp(key, l->firsts[mid], len);
        if (c == 0)
            c = l->firsts[mid][len] ? -1 : 0;
        if (c == 0)
            return 1;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

lexicon *lexicon_load(const char *path, char *err, size_t errsz)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errsz, "%s: cannot open", path);
        return NULL;
    }
    lexicon *l = calloc(1, sizeof *l);
    size_t cap = 0;
    char line[1024];
    while (l && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char *tab = strchr(line, '\t');
        const char *value = line;
        if (tab) {
            *tab = '\0';
            value = tab + 1;
            while (*value == '\t')
                value++;
        }
        if (add(l, &cap, line, value) < 0) {
            lexicon_free(l);
            l = NULL;
        }
    }
    fclose(f);
    if (!l) {
        snprintf(err, errsz, "%s: out of memory", path);
        return NULL;
    }
    qsort(l->v, l->n, sizeof *l->v, by_term);
    if (index_firsts(l) < 0) {
        lexicon_free(l);
        snprintf(err, errsz, "%s: out of memory", path);
        return NULL;
    }
    return l;
}

void lexicon_free(lexicon *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].term);
        free(l->v[i].value);
    }
    free(l->v);
    for (size_t i = 0; i < l->nfirsts; i++)
        free(l->firsts[i]);
    free(l->firsts);
    free(l);
}

size_t lexicon_size(const lexicon *l)
{
    return l ? l->n : 0;
}

const char *lexicon_get(const lexicon *l, const char *text, size_t len)
{
    char key[128];
    if (!l || len == 0 || len >= sizeof key)
        return NULL;
    for (size_t i = 0; i < len; i++)
        key[i] = (char)tolower((unsigned char)text[i]);
    key[len] = '\0';
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(key, l->v[mid].term);
        if (c == 0)
            return l->v[mid].value;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

static int word_char(unsigned char c)
{
    return isalnum(c) || c >= 0x80;
}

size_t lexicon_match_at(const lexicon *l, const char *text, size_t len,
                        size_t p, const char **value)
{
    if (!l || p >= len || (p > 0 && word_char((unsigned char)text[p - 1])) ||
        !word_char((unsigned char)text[p]))
        return 0;
    /* Normalise up to maxlen bytes of text into key, remembering where
     * each word ends, then try the longest candidate first. */
    char key[128];
    size_t ends[16], endsrc[16], nends = 0, k = 0, i = p;
    while (i < len && k < sizeof key - 1 && k <= l->maxlen && nends < 16) {
        unsigned char c = (unsigned char)text[i];
        if (word_char(c)) {
            key[k++] = (char)tolower(c);
            i++;
            if (i >= len || !word_char((unsigned char)text[i])) {
                if (nends == 0 && !has_first(l, key, k))
                    return 0;
                ends[nends] = k;
                endsrc[nends++] = i;
            }
        } else if ((c == ' ' || c == '-') && k > 0 && key[k - 1] != ' ' &&
                   i + 1 < len && word_char((unsigned char)text[i + 1])) {
            key[k++] = ' ';
            i++;
        } else {
            break;
        }
    }
    while (nends > 0) {
        nends--;
        const char *v = lexicon_get(l, key, ends[nends]);
        if (v) {
            *value = v;
            return endsrc[nends] - p;
        }
    }
    return 0;
}

static int by_len_desc(const void *a, const void *b)
{
    const entry *x = *(const entry *const *)a, *y = *(const entry *const *)b;
    return x->len < y->len ? 1 : x->len > y->len ? -1 : strcmp(x->term, y->term);
}

char *lexicon_alternation(const lexicon *l)
{
    const entry **order = malloc((l->n + 1) * sizeof *order);
    size_t cap = 16;
    for (size_t i = 0; i < l->n; i++)
        cap += l->v[i].len * 4 + 2;
    char *out = malloc(cap);
    if (!order || !out) {
        free(order);
        free(out);
        return NULL;
    }
    for (size_t i = 0; i < l->n; i++)
        order[i] = &l->v[i];
    qsort(order, l->n, sizeof *order, by_len_desc);
    size_t o = 0;
    out[o++] = '(';
    out[o++] = '?';
    out[o++] = ':';
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            out[o++] = '|';
        for (const char *s = order[i]->term; *s; s++) {
            if (*s == ' ') {
                memcpy(out + o, "[\\s-]+", 6);
                o += 6;
                continue;
            }
            if (strchr("\\^$.|?*+()[]{}/-", *s))
                out[o++] = '\\';
            out[o++] = *s;
        }
    }
    out[o++] = ')';
    out[o] = '\0';
    free(order);
    return out;
}
