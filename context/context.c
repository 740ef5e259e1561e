/* context: NegEx/ConText over the words of one sentence.
 *
 * The sentence (a window of it around the target, for very long ones) is
 * cut into words; the target is one token.  At each word the longest
 * phrase of the trie is taken, so "no increase" (pseudo) or "no history
 * of" (negated) win over "no"; a phrase starting inside one of another
 * category is dropped.  A forward trigger covers the target when fewer
 * than its scope of words lie between them and nothing ends it on the
 * way: a terminator or pseudo-trigger for its category, or a nearer
 * trigger of the same category (that one decides instead).  Backward
 * triggers look the other way.
 *
 * Precedence when several categories cover the target (documented in
 * data/context/README.md): hypothetical > negated > family > historical.
 * A conditional frames its whole clause ("if no improvement, add X"), and
 * a negation beats the weaker temporal and experiencer cues ("no history
 * of", "mother has no ...").  The section then applies: a negation still
 * wins everywhere; a family-history section makes the rest family; a
 * past-history section makes the rest historical unless a family trigger
 * says otherwise; a hypothetical section makes plain facts hypothetical. */
#include "context/context.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context/trigger.h"
#include "context/words.h"

#define WINDOW 1024   /* bytes of sentence looked at on each side */
#define SMALL 256     /* tokens kept on the stack: most sentences */
#define TARGET_WORD (-2)

struct context_rules {
    trigger_set *set;
    int32_t end_word; /* id of TRIGGER_END_WORD, or -1 */
    int32_t num_word; /* id of "#", the word class of numbers, or -1 */
    int32_t comma, or_word, and_word; /* list separators, or -1 */
};

context_rules *context_load(const char *datadir, char *err, size_t errsz)
{
    char pat[4096];
    int n = snprintf(pat, sizeof pat, "%s/data/context/*.tsv", datadir);
    if (n < 0 || (size_t)n >= sizeof pat) {
        snprintf(err, errsz, "context: data directory path too long");
        return NULL;
    }
    glob_t g;
    if (glob(pat, 0, NULL, &g) != 0 || g.gl_pathc == 0) {
        snprintf(err, errsz, "context: no trigger files in %s/data/context",
                 datadir);
        globfree(&g);
        return NULL;
    }
    context_rules *r = calloc(1, sizeof *r);
    if (!r || !(r->set = trigger_set_new())) {
        snprintf(err, errsz, "context: out of memory");
        globfree(&g);
        free(r);
        return NULL;
    }
    for (size_t i = 0; i < g.gl_pathc; i++) /* glob sorts the names */
        if (trigger_set_load(r->set, g.gl_pathv[i], err, errsz)) {
            globfree(&g);
            context_free(r);
            return NULL;
        }
    globfree(&g);
    r->end_word = trigger_word_id(r->set, TRIGGER_END_WORD,
                                  strlen(TRIGGER_END_WORD));
    r->num_word = trigger_word_id(r->set, "#", 1);
    r->comma = trigger_word_id(r->set, ",", 1);
    r->or_word = trigger_word_id(r->set, "or", 2);
    r->and_word = trigger_word_id(r->set, "and", 3);
    return r;
}

void context_free(context_rules *r)
{
    if (!r)
        return;
    trigger_set_free(r->set);
    free(r);
}

size_t context_rule_count(const context_rules *r)
{
    return trigger_set_count(r->set);
}

typedef struct {
    int32_t word;    /* vocabulary id, -1 unknown, TARGET_WORD */
    int32_t cls;     /* id of "#" when it starts with a digit, else -1;
                        for the target, the id of its first word if some
                        phrase uses it, else that of "#" or -1 */
    int is_word;
} token;

typedef struct {
    size_t a, b;     /* tokens [a,b) */
    const trigger_rule *rule;
} match;

typedef struct {
    token *tok;
    size_t last_word; /* index of the last word token, or (size_t)-1 */
    int at_end;       /* the last token is the sentence's last */
    size_t *nwords_before; /* prefix count of words, ntok + 1 */
    match *m;
    size_t cap, ntok, target, nm;
    int at_start;    /* token 0 is the sentence's first token */
} scan;

static void tokenize(const context_rules *r, const char *text, size_t from,
                     size_t to, scan *sc)
{
    size_t i = from, ts, te;
    int isw;
    char norm[WORDS_NORM_MAX];
    while (sc->ntok + 1 < sc->cap && words_next(text, i, to, &ts, &te, &isw)) {
        size_t n = words_norm(text, ts, te, norm);
        token *t = &sc->tok[sc->ntok++];
        t->word = n ? trigger_word_id(r->set, norm, n) : -1;
        t->cls = (text[ts] >= '0' && text[ts] <= '9') ? r->num_word : -1;
        t->is_word = isw;
        i = te;
    }
}

/* Moves a window edge off the middle of a word. */
static size_t to_space(const char *text, size_t i, size_t lim, int fwd)
{
    while (i != lim && text[i] != ' ' && text[i] != '\t' && text[i] != '\n')
        i = fwd ? i + 1 : i - 1;
    return i;
}

/* One trie step over a token: its own word, else its class ("#"). */
static int32_t step_token(const context_rules *r, int32_t node,
                          const token *t)
{
    int32_t c = t->word >= 0 ? trigger_step(r->set, node, t->word) : -1;
    if (c < 0 && t->cls >= 0)
        c = trigger_step(r->set, node, t->cls);
    return c;
}

/* The longest phrase starting at token i, or NULL.  Only a terminator may
 * take in the target, and only as its class (", #": "no blood return,
 * 0.5 mL of lidocaine was injected"; ", mas": "no spasticity, MAS 0"). */
static const trigger_rule *longest_at(const context_rules *r, const scan *sc,
                                      size_t i, int anchored_too,
                                      size_t *end)
{
    const trigger_rule *best = NULL;
    for (int anch = 0; anch <= anchored_too; anch++) {
        int32_t node = trigger_root(anch);
        for (size_t j = i; j < sc->ntok; j++) {
            node = step_token(r, node, &sc->tok[j]);
            if (node < 0)
                break;
            const trigger_rule *ru = trigger_at(r->set, node);
            if (sc->at_end && j >= sc->last_word && r->end_word >= 0) {
                /* only punctuation follows: a "$" phrase may end here */
                int32_t e = trigger_step(r->set, node, r->end_word);
                if (e >= 0 && trigger_at(r->set, e))
                    ru = trigger_at(r->set, e);
            }
            if (ru && i <= sc->target && j >= sc->target &&
                ru->cat != TRIG_TERMINATOR)
                ru = NULL;
            if (ru && (!best || j + 1 > *end)) {
                best = ru;
                *end = j + 1;
            }
            if (j == sc->target)
                break;
        }
    }
    return best;
}

/* A phrase that starts inside one of another category is part of it, not
 * a trigger ("history of" in "no history of", "negative" in "gram
 * negative", "plan to start" in "no plan to start"), and so is one wholly
 * inside a phrase of its own category.  One that starts inside a phrase
 * of its own category and goes on past it stays: "was negative" (backward)
 * does not hide "negative for" (forward). */
static int swallowed(const scan *sc, size_t k)
{
    const match *m = &sc->m[k];
    while (k-- > 0) {
        const match *o = &sc->m[k];
        if (m->a - o->a >= TRIGGER_MAX_WORDS)
            break; /* no phrase this long: nothing further back contains m */
        if (o->rule->cat == TRIG_TERMINATOR)
            continue; /* a boundary, not a phrase: "the patient" does not
                         hide "patient is not" */
        if (o->b > m->a && o->rule->cat != m->rule->cat)
            return 1;
        if (o->b >= m->b)
            return 1; /* inside a phrase of its own category: the longer
                         one says it ("has not noted" is not "not noted") */
    }
    return 0;
}

/* Every position's longest phrase; overlapping phrases are kept, so "was
 * negative" does not hide "negative for". */
static void find_matches(const context_rules *r, scan *sc)
{
    size_t first = 0;
    while (first < sc->ntok && !sc->tok[first].is_word)
        first++; /* an anchored phrase may follow a bullet or a dash */
    for (size_t i = 0; i < sc->ntok; i++) {
        size_t end = i;
        const trigger_rule *ru =
            longest_at(r, sc, i, sc->at_start && i == first, &end);
        if (!ru)
            continue;
        sc->m[sc->nm] = (match){i, end, ru};
        if (!swallowed(sc, sc->nm))
            sc->nm++;
    }
}

static size_t words_between(const scan *sc, size_t a, size_t b)
{
    return sc->nwords_before[b] - sc->nwords_before[a];
}

/* A negation reaches down a list ("denies palpitations, chest pain,
 * dizziness, headache, or lightheadedness"): between the trigger and the
 * target, each short item of a list (at most LIST_ITEM words, closed by a
 * comma, "or" or "and") counts as one word; other words count as
 * themselves. */
#define LIST_ITEM 4
static size_t list_gap(const context_rules *r, const scan *sc, size_t a, size_t b)
{
    size_t gap = 0, item = 0;
    for (size_t i = a; i < b; i++) {
        const token *t = &sc->tok[i];
        int sep = t->word >= 0 && (t->word == r->comma || t->word == r->or_word ||
                                   t->word == r->and_word);
        if (sep) {
            gap += item == 0 ? 0 : item <= LIST_ITEM ? 1 : item;
            item = 0;
        } else if (t->is_word) {
            item++;
        }
    }
    return gap + item;
}

/* Updates found[] from one match met while walking away from the target;
 * blocked[] records categories whose scope can no longer reach it. */
static void consider(const scan *sc, const match *m, unsigned dir,
                     size_t gap, unsigned *blocked,
                     const trigger_rule **found)
{
    const trigger_rule *ru = m->rule;
    (void)sc;
    if (ru->cat == TRIG_PSEUDO ||
        (ru->cat == TRIG_TERMINATOR && (ru->dir & TRIG_FORWARD))) {
        *blocked |= ru->ends;
        return;
    }
    if (ru->cat == TRIG_TERMINATOR)
        return; /* a shield only: see cover() */
    unsigned bit = 1u << ru->cat;
    if (*blocked & bit)
        return;
    if (!(ru->dir & dir))
        return; /* looks the other way: does not end the others */
    *blocked |= bit;
    unsigned scope = dir == TRIG_FORWARD ? ru->scope : ru->scope_back;
    if (gap < scope && !found[ru->cat])
        found[ru->cat] = ru;
}

static void cover(const context_rules *r, const scan *sc, const trigger_rule **found)
{
    unsigned blocked = 0;
    for (size_t k = sc->nm; k-- > 0;) { /* forward triggers before target */
        const match *m = &sc->m[k];
        if (m->a >= sc->target)
            continue;
        /* only a terminator reaches into the target (see longest_at) */
        size_t gap = m->b > sc->target              ? 0
                     : m->rule->cat == TRIG_NEGATED ? list_gap(r, sc, m->b, sc->target)
                                                    : words_between(sc, m->b, sc->target);
        consider(sc, m, TRIG_FORWARD, gap, &blocked, found);
    }
    /* A preposition right before the target makes it a circumstance
     * ("screen on 07/14/2008 was negative": the date is not what was
     * negative): terminators marked "both" end the backward scopes too. */
    blocked = 0;
    for (size_t k = 0; k < sc->nm; k++)
        if (sc->m[k].b == sc->target &&
            sc->m[k].rule->cat == TRIG_TERMINATOR &&
            (sc->m[k].rule->dir & TRIG_BACKWARD))
            blocked |= sc->m[k].rule->ends;
    for (size_t k = 0; k < sc->nm; k++) { /* backward triggers after it */
        const match *m = &sc->m[k];
        if (m->a <= sc->target)
            continue;
        consider(sc, m, TRIG_BACKWARD,
                 words_between(sc, sc->target + 1, m->a), &blocked, found);
    }
}

static const char *const section_names[] = {
    NULL, "section:historical", "section:family", "section:hypothetical"};

static ctx_status decide(const trigger_rule **found, note_section_context sec,
                         const char **trigger)
{
    static const trigger_category order[] = {TRIG_HYPOTHETICAL, TRIG_NEGATED,
                                             TRIG_FAMILY, TRIG_HISTORICAL};
    static const ctx_status as_status[] = {CTX_NEGATED, CTX_HISTORICAL,
                                           CTX_HYPOTHETICAL, CTX_FAMILY};
    int best = -1;
    for (size_t i = 0; i < sizeof order / sizeof *order && best < 0; i++)
        if (found[order[i]])
            best = (int)order[i];
    ctx_status st = best < 0 ? CTX_AFFIRMED : as_status[best];
    *trigger = best < 0 ? NULL : found[best]->phrase;
    if (st == CTX_NEGATED || sec == NOTE_SECTION_PLAIN ||
        (unsigned)sec >= sizeof section_names / sizeof *section_names)
        return st;
    ctx_status by_sec = sec == NOTE_SECTION_FAMILY       ? CTX_FAMILY
                        : sec == NOTE_SECTION_HISTORICAL ? CTX_HISTORICAL
                                                         : CTX_HYPOTHETICAL;
    int keep = (by_sec == CTX_HISTORICAL && st == CTX_FAMILY) ||
               (by_sec == CTX_HYPOTHETICAL && st != CTX_AFFIRMED);
    if (keep)
        return st;
    *trigger = section_names[sec];
    return by_sec;
}

/* What a terminator may see of the target: its first word (", mas": "no
 * spasticity, MAS 0"), else "#" when it starts with a digit. */
static int32_t target_class(const context_rules *r, const char *text,
                            size_t tstart, size_t tend)
{
    size_t ts, te;
    int isw;
    char norm[WORDS_NORM_MAX];
    if (!words_next(text, tstart, tend, &ts, &te, &isw))
        return -1;
    size_t n = words_norm(text, ts, te, norm);
    int32_t id = n ? trigger_word_id(r->set, norm, n) : -1;
    if (id < 0 && text[ts] >= '0' && text[ts] <= '9')
        id = r->num_word;
    return id;
}

/* Cuts text[from,to) into tokens around the target text[tstart,tend),
 * finds the phrases and which categories cover the target. */
static void read_sentence(const context_rules *r, const char *text,
                          size_t from, size_t tstart, size_t tend, size_t to,
                          scan *sc, const trigger_rule **found)
{
    tokenize(r, text, from, tstart, sc);
    sc->target = sc->ntok;
    sc->tok[sc->ntok++] = (token){TARGET_WORD, target_class(r, text, tstart,
                                                            tend), 1};
    tokenize(r, text, tend, to, sc);
    sc->nwords_before[0] = 0;
    sc->last_word = (size_t)-1;
    for (size_t i = 0; i < sc->ntok; i++) {
        sc->nwords_before[i + 1] =
            sc->nwords_before[i] + (size_t)sc->tok[i].is_word;
        if (sc->tok[i].is_word)
            sc->last_word = i;
    }
    find_matches(r, sc);
    cover(r, sc, found);
}

/* A form's line that starts with an empty box ("[ ] Request is for
 * dystonia", "☐ Trial done") asserts nothing of what it says. */
static int unticked_line(const char *text, size_t sstart, size_t tstart)
{
    /* back to the line's start, but not far before the sentence's */
    size_t floor = sstart > 8 ? sstart - 8 : 0, a = tstart;
    while (a > floor && text[a - 1] != '\n' && text[a - 1] != '\t' && tstart - a < 200)
        a--;
    while (a < tstart && (text[a] == ' ' || text[a] == '\t'))
        a++;
    if (tstart - a >= 3 && memcmp(text + a, "\xE2\x98\x90", 3) == 0) /* ☐ */
        return 1;
    if (text[a] != '[')
        return 0;
    size_t k = a + 1;
    while (k < tstart && text[k] == ' ')
        k++;
    return k < tstart && text[k] == ']';
}

/* An empty box right before the target, mid-line: "[X] Single FDA-approved
 * drug   [ ] Admixture   [ ] Compounded". */
static int unticked_before(const char *text, size_t sstart, size_t tstart)
{
    size_t k = tstart;
    while (k > sstart && (text[k - 1] == ' ' || text[k - 1] == '\t'))
        k--;
    if (k >= sstart + 3 && memcmp(text + k - 3, "\xE2\x98\x90", 3) == 0)
        return 1;
    if (k <= sstart || text[k - 1] != ']')
        return 0;
    k--;
    while (k > sstart && text[k - 1] == ' ')
        k--;
    return k > sstart && text[k - 1] == '[';
}

ctx_status context_classify(const context_rules *r, const char *text,
                            size_t sstart, size_t send, size_t tstart,
                            size_t tend, note_section_context sec,
                            const char **trigger)
{
    const char *dummy;
    if (!trigger)
        trigger = &dummy;
    if (unticked_line(text, sstart, tstart) || unticked_before(text, sstart, tstart)) {
        *trigger = "[ ]";
        return CTX_NEGATED;
    }
    if (send < sstart)
        send = sstart;
    tstart = tstart < sstart ? sstart : tstart > send ? send : tstart;
    tend = tend > send ? send : tend < tstart ? tstart : tend;
    size_t from = sstart, to = send;
    if (tstart - sstart > WINDOW)
        from = to_space(text, tstart - WINDOW, tstart, 1);
    if (send - tend > WINDOW)
        to = to_space(text, tend + WINDOW, tend, 0);

    /* Every token takes a byte at least, so this bounds the arrays. */
    size_t cap = (tstart - from) + (to - tend) + 2;
    token stok[SMALL];
    size_t snw[SMALL + 1];
    match sm[SMALL];
    scan sc = {.tok = stok, .nwords_before = snw, .m = sm, .cap = cap,
               .at_start = from == sstart, .at_end = to == send};
    const trigger_rule *found[TRIG_SCOPED] = {0};
    if (cap > SMALL) {
        sc.tok = malloc(cap * sizeof *sc.tok);
        sc.nwords_before = malloc((cap + 1) * sizeof *sc.nwords_before);
        sc.m = malloc(cap * sizeof *sc.m);
    }
    if (sc.tok && sc.nwords_before && sc.m) /* else the section decides */
        read_sentence(r, text, from, tstart, tend, to, &sc, found);
    if (cap > SMALL) {
        free(sc.tok);
        free(sc.nwords_before);
        free(sc.m);
    }
    return decide(found, sec, trigger);
}
