#include "context/trigger.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context/words.h"

#define MAX_EXPANSIONS 4096 /* per line: keeps a typo from exploding */
#define MAX_SCOPE 200
#define LINE_MAX_BYTES 4096

typedef struct {
    int32_t *word, *child; /* sorted by word */
    size_t n, cap;
    int32_t rule;          /* index into rules, or -1 */
} tnode;

struct trigger_set {
    char **words;          /* vocabulary, by id */
    size_t nwords, capwords;
    int32_t *hash;         /* open addressing, -1 empty */
    size_t hashcap;
    tnode *nodes;          /* 0: root, 1: anchored root */
    size_t nnodes, capnodes;
    trigger_rule *rules;
    size_t nrules, caprules;
};

static const char *const cat_names[] = {"negated", "historical",
                                        "hypothetical", "family",
                                        "pseudo", "terminator"};

int trigger_category_parse(const char *s, trigger_category *out)
{
    for (size_t i = 0; i < sizeof cat_names / sizeof *cat_names; i++)
        if (strcmp(s, cat_names[i]) == 0) {
            *out = (trigger_category)i;
            return 0;
        }
    return -1;
}

static int grow(void **v, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 64;
    while (nc < need)
        nc *= 2;
    void *p = realloc(*v, nc * elem);
    if (!p)
        return -1;
    *v = p;
    *cap = nc;
    return 0;
}

static int32_t new_node(trigger_set *t)
{
    if (grow((void **)&t->nodes, &t->capnodes, t->nnodes + 1, sizeof(tnode)))
        return -1;
    t->nodes[t->nnodes] = (tnode){NULL, NULL, 0, 0, -1};
    return (int32_t)t->nnodes++;
}

trigger_set *trigger_set_new(void)
{
    trigger_set *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->hashcap = 1024;
    t->hash = malloc(t->hashcap * sizeof *t->hash);
    if (!t->hash || new_node(t) != 0 || new_node(t) != 1) {
        trigger_set_free(t);
        return NULL;
    }
    memset(t->hash, 0xff, t->hashcap * sizeof *t->hash);
    return t;
}

void trigger_set_free(trigger_set *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nwords; i++)
        free(t->words[i]);
    for (size_t i = 0; i < t->nnodes; i++) {
        free(t->nodes[i].word);
        free(t->nodes[i].child);
    }
    for (size_t i = 0; i < t->nrules; i++)
        free(t->rules[i].phrase);
    free(t->words);
    free(t->hash);
    free(t->nodes);
    free(t->rules);
    free(t);
}

size_t trigger_set_count(const trigger_set *t)
{
    return t->nrules;
}

static uint32_t fnv1a(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

int32_t trigger_word_id(const trigger_set *t, const char *norm, size_t n)
{
    size_t mask = t->hashcap - 1;
    for (size_t i = fnv1a(norm, n) & mask;; i = (i + 1) & mask) {
        int32_t id = t->hash[i];
        if (id < 0)
            return -1;
        const char *w = t->words[id];
        if (strncmp(w, norm, n) == 0 && w[n] == '\0')
            return id;
    }
}

static int rehash(trigger_set *t)
{
    size_t cap = t->hashcap * 2;
    int32_t *h = malloc(cap * sizeof *h);
    if (!h)
        return -1;
    memset(h, 0xff, cap * sizeof *h);
    for (size_t id = 0; id < t->nwords; id++) {
        size_t i = fnv1a(t->words[id], strlen(t->words[id])) & (cap - 1);
        while (h[i] >= 0)
            i = (i + 1) & (cap - 1);
        h[i] = (int32_t)id;
    }
    free(t->hash);
    t->hash = h;
    t->hashcap = cap;
    return 0;
}

static int32_t intern(trigger_set *t, const char *norm, size_t n)
{
    int32_t id = trigger_word_id(t, norm, n);
    if (id >= 0)
        return id;
    if ((t->nwords + 1) * 2 > t->hashcap && rehash(t))
        return -1;
    if (grow((void **)&t->words, &t->capwords, t->nwords + 1, sizeof(char *)))
        return -1;
    char *w = malloc(n + 1);
    if (!w)
        return -1;
    memcpy(w, norm, n);
    w[n] = '\0';
    size_t i = fnv1a(norm, n) & (t->hashcap - 1);
    while (t->hash[i] >= 0)
        i = (i + 1) & (t->hashcap - 1);
    t->words[t->nwords] = w;
    t->hash[i] = (int32_t)t->nwords;
    return (int32_t)t->nwords++;
}

/* Index of the first edge of node whose word is >= w. */
static size_t edge_pos(const tnode *nd, int32_t w)
{
    size_t lo = 0, hi = nd->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (nd->word[mid] < w)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int32_t trigger_root(int anchored)
{
    return anchored ? 1 : 0;
}

int32_t trigger_step(const trigger_set *t, int32_t node, int32_t word)
{
    const tnode *nd = &t->nodes[node];
    size_t p = edge_pos(nd, word);
    return (p < nd->n && nd->word[p] == word) ? nd->child[p] : -1;
}

const trigger_rule *trigger_at(const trigger_set *t, int32_t node)
{
    int32_t r = t->nodes[node].rule;
    return r < 0 ? NULL : &t->rules[r];
}

static int32_t add_edge(trigger_set *t, int32_t node, int32_t word)
{
    int32_t c = trigger_step(t, node, word);
    if (c >= 0)
        return c;
    c = new_node(t); /* may move t->nodes: index again below */
    if (c < 0)
        return -1;
    tnode *nd = &t->nodes[node];
    if (nd->n == nd->cap) {
        size_t cap = nd->cap ? nd->cap * 2 : 4;
        int32_t *w = realloc(nd->word, cap * sizeof *w);
        if (!w)
            return -1;
        nd->word = w;
        int32_t *ch = realloc(nd->child, cap * sizeof *ch);
        if (!ch)
            return -1;
        nd->child = ch;
        nd->cap = cap;
    }
    size_t p = edge_pos(nd, word);
    memmove(nd->word + p + 1, nd->word + p, (nd->n - p) * sizeof(int32_t));
    memmove(nd->child + p + 1, nd->child + p, (nd->n - p) * sizeof(int32_t));
    nd->word[p] = word;
    nd->child[p] = c;
    nd->n++;
    return c;
}

typedef struct {
    trigger_set *t;
    trigger_rule proto; /* everything but the phrase */
    const char *path;
    size_t line;
    char *err;
    size_t errsz;
    size_t count;
} load_ctx;

static int load_error(load_ctx *lc, const char *what)
{
    snprintf(lc->err, lc->errsz, "%s:%zu: %s", lc->path, lc->line, what);
    return -1;
}

/* Adds the words of ph[0,len) to the trie from *node, and their normalised
 * spelling to buf (blen bytes so far); returns the number of words, or -1. */
static int insert_words(load_ctx *lc, const char *ph, size_t len,
                        int32_t *node, char *buf, size_t *blen)
{
    char norm[WORDS_NORM_MAX];
    size_t i = 0, ts, te;
    int isw, nwords = 0;
    while (words_next(ph, i, len, &ts, &te, &isw)) {
        size_t n = words_norm(ph, ts, te, norm);
        if (n == 0 || *blen + n + 4 > LINE_MAX_BYTES)
            return load_error(lc, "word too long");
        int32_t id = intern(lc->t, norm, n);
        *node = id < 0 ? -1 : add_edge(lc->t, *node, id);
        if (*node < 0)
            return load_error(lc, "out of memory");
        if (*blen)
            buf[(*blen)++] = ' ';
        memcpy(buf + *blen, norm, n);
        *blen += n;
        nwords++;
        i = te;
    }
    return nwords;
}

/* Inserts one expanded phrase: "^" anchors it at the sentence's start,
 * "$" at its end (an edge of its own after the words). */
static int add_phrase(load_ctx *lc, const char *ph)
{
    trigger_set *t = lc->t;
    while (*ph == ' ')
        ph++;
    int anchored = *ph == '^';
    ph += anchored;
    size_t len = strlen(ph), blen = 0;
    while (len && ph[len - 1] == ' ')
        len--;
    int at_end = len && ph[len - 1] == '$';
    len -= (size_t)at_end;
    char buf[LINE_MAX_BYTES];
    int32_t node = trigger_root(anchored);
    int nwords = insert_words(lc, ph, len, &node, buf, &blen);
    if (nwords < 0)
        return -1;
    if (nwords == 0)
        return load_error(lc, "empty phrase");
    if (nwords > TRIGGER_MAX_WORDS)
        return load_error(lc, "phrase too long");
    if (at_end) {
        int32_t id = intern(t, TRIGGER_END_WORD, strlen(TRIGGER_END_WORD));
        if (id < 0 || (node = add_edge(t, node, id)) < 0)
            return load_error(lc, "out of memory");
        memcpy(buf + blen, " $", 2);
        blen += 2;
    }
    buf[blen] = '\0';
    if (t->nodes[node].rule >= 0) {
        snprintf(lc->err, lc->errsz, "%s:%zu: phrase '%s' is listed twice",
                 lc->path, lc->line, buf);
        return -1;
    }
    if (grow((void **)&t->rules, &t->caprules, t->nrules + 1,
             sizeof(trigger_rule)))
        return load_error(lc, "out of memory");
    trigger_rule *r = &t->rules[t->nrules];
    *r = lc->proto;
    r->anchored = anchored;
    if (!(r->phrase = strdup(buf)))
        return load_error(lc, "out of memory");
    t->nodes[node].rule = (int32_t)t->nrules++;
    return 0;
}

/* Expands the first {a|b|...} group of ph and recurses; a phrase with no
 * group is added. */
static int expand(load_ctx *lc, const char *ph)
{
    const char *open = strchr(ph, '{');
    const char *close = open ? strchr(open, '}') : strchr(ph, '}');
    if (!open && !close) {
        if (++lc->count > MAX_EXPANSIONS) {
            snprintf(lc->err, lc->errsz, "%s:%zu: more than %d phrases",
                     lc->path, lc->line, MAX_EXPANSIONS);
            return -1;
        }
        return add_phrase(lc, ph);
    }
    const char *nested = open ? strchr(open + 1, '{') : NULL;
    if (!open || !close || (nested && nested < close)) {
        snprintf(lc->err, lc->errsz, "%s:%zu: unbalanced or nested braces",
                 lc->path, lc->line);
        return -1;
    }
    /* memcpy, not snprintf: a trigger file expands to thousands of
     * phrases and this ran for each of them at every start-up. */
    char buf[LINE_MAX_BYTES];
    size_t pre = (size_t)(open - ph), post = strlen(close + 1);
    if (pre + post >= sizeof buf) {
        snprintf(lc->err, lc->errsz, "%s:%zu: line too long", lc->path, lc->line);
        return -1;
    }
    memcpy(buf, ph, pre);
    for (const char *a = open + 1; a <= close;) {
        const char *bar = a;
        while (bar < close && *bar != '|')
            bar++;
        size_t alt = (size_t)(bar - a);
        if (pre + alt + post >= sizeof buf) {
            snprintf(lc->err, lc->errsz, "%s:%zu: line too long", lc->path,
                     lc->line);
            return -1;
        }
        memcpy(buf + pre, a, alt);
        memcpy(buf + pre + alt, close + 1, post + 1);
        if (expand(lc, buf))
            return -1;
        a = bar + 1;
    }
    return 0;
}

static int parse_ends(load_ctx *lc, char *s)
{
    unsigned mask = 0;
    char *save = NULL;
    for (char *tok = strtok_r(s, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        trigger_category c;
        if (trigger_category_parse(tok, &c) || c >= TRIG_SCOPED) {
            snprintf(lc->err, lc->errsz,
                     "%s:%zu: '%s' is not a category a phrase can end",
                     lc->path, lc->line, tok);
            return -1;
        }
        mask |= 1u << c;
    }
    lc->proto.ends = mask ? mask : TRIG_ALL_SCOPED;
    return 0;
}

/* Pseudo-triggers and terminators: direction and the categories they end. */
static int parse_boundary(load_ctx *lc, char **f, int nf)
{
    trigger_rule *p = &lc->proto;
    char none[1] = "";
    if (parse_ends(lc, nf >= 5 ? f[4] : none))
        return -1;
    /* A pseudo-trigger is most often a false negation ("no change"), so by
     * default it ends only negation scopes. */
    if (p->cat == TRIG_PSEUDO && (nf < 5 || f[4][0] == '\0'))
        p->ends = 1u << TRIG_NEGATED;
    /* A terminator right before the target can also keep the backward
     * triggers after it away ("screen on DATE was negative"): direction
     * "both" does both, "backward" only that. */
    const char *d = nf >= 3 ? f[2] : "-";
    p->dir = TRIG_FORWARD;
    if (p->cat == TRIG_TERMINATOR && strcmp(d, "both") == 0)
        p->dir |= TRIG_BACKWARD;
    else if (p->cat == TRIG_TERMINATOR && strcmp(d, "backward") == 0)
        p->dir = TRIG_BACKWARD;
    else if (strcmp(d, "-") != 0 && strcmp(d, "forward") != 0 && *d)
        return load_error(lc, "direction must be -, forward, backward or "
                              "both for a terminator, - for a pseudo-trigger");
    return 0;
}

/* A trigger's direction and scope; "both" may give two scopes,
 * forward/backward: "6/2". */
static int parse_scope(load_ctx *lc, char **f)
{
    trigger_rule *p = &lc->proto;
    p->dir = strcmp(f[2], "forward") == 0    ? TRIG_FORWARD
             : strcmp(f[2], "backward") == 0 ? TRIG_BACKWARD
             : strcmp(f[2], "both") == 0     ? TRIG_FORWARD | TRIG_BACKWARD
                                             : 0;
    char *end;
    errno = 0;
    long fw = strtol(f[3], &end, 10), bw = fw;
    if (*end == '/' && p->dir == (TRIG_FORWARD | TRIG_BACKWARD)) {
        char *b = end + 1;
        bw = strtol(b, &end, 10);
        if (end == b)
            bw = 0;
    }
    if (!p->dir || errno || *end || end == f[3] || fw < 1 || fw > MAX_SCOPE ||
        bw < 1 || bw > MAX_SCOPE) {
        snprintf(lc->err, lc->errsz,
                 "%s:%zu: direction must be forward, backward or both and "
                 "scope 1-%d words (both: N or FORWARD/BACKWARD)", lc->path,
                 lc->line, MAX_SCOPE);
        return -1;
    }
    p->scope = (unsigned)fw;
    p->scope_back = (unsigned)bw;
    return 0;
}

static int parse_fields(load_ctx *lc, char **f, int nf)
{
    trigger_rule *p = &lc->proto;
    *p = (trigger_rule){.cat = TRIG_PSEUDO};
    if (nf < 2 || trigger_category_parse(f[1], &p->cat))
        return load_error(lc, "bad or missing category");
    if (p->cat == TRIG_TERMINATOR || p->cat == TRIG_PSEUDO)
        return parse_boundary(lc, f, nf);
    if (nf != 4)
        return load_error(lc, "a trigger needs phrase, category, direction, "
                              "scope");
    return parse_scope(lc, f);
}

static int load_line(load_ctx *lc, char *line)
{
    line[strcspn(line, "\r\n")] = '\0';
    char *s = line;
    while (*s == ' ')
        s++;
    if (*s == '\0' || *s == '#')
        return 0;
    char *f[6];
    int nf = 0;
    for (char *p = line; nf < 6;) {
        f[nf++] = p;
        char *tab = strchr(p, '\t');
        if (!tab)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    if (nf == 6) {
        snprintf(lc->err, lc->errsz, "%s:%zu: too many columns", lc->path,
                 lc->line);
        return -1;
    }
    for (int i = 1; i < nf; i++) { /* trim cells other than the phrase */
        while (*f[i] == ' ')
            f[i]++;
        size_t n = strlen(f[i]);
        while (n && f[i][n - 1] == ' ')
            f[i][--n] = '\0';
    }
    if (parse_fields(lc, f, nf))
        return -1;
    lc->count = 0;
    return expand(lc, f[0]);
}

int trigger_set_load(trigger_set *t, const char *path, char *err,
                     size_t errsz)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        snprintf(err, errsz, "%s: %s", path, strerror(errno));
        return -1;
    }
    load_ctx lc = {t, {0}, path, 0, err, errsz, 0};
    char line[LINE_MAX_BYTES];
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof line, fp)) {
        lc.line++;
        if (!strchr(line, '\n') && !feof(fp)) {
            snprintf(err, errsz, "%s:%zu: line too long", path, lc.line);
            rc = -1;
            break;
        }
        rc = load_line(&lc, line);
    }
    if (rc == 0 && ferror(fp)) {
        snprintf(err, errsz, "%s: read error", path);
        rc = -1;
    }
    fclose(fp);
    return rc;
}
