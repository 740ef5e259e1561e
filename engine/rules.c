/* rules: runs one evidence rule of a policy over the notes of a case and
 * records what it found.  Patterns look at one sentence; "also" and "with"
 * may be satisfied by the sentence's window: its two predecessors, its
 * successor, the header line that governs it and the note's title, which
 * is how a report's header ("BOLUS TRIAL 07/29") or a finding attributed
 * in the next sentence reaches the sentence that states it. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "codes/codeset.h"
#include "context/context.h"
#include "engine/rules.h"

#define MAX_EVIDENCE 12

static size_t labelled_start(const note *n, size_t si);
static pcre2_code *rx(const char *pat);
static pcre2_code *rx_cased(const char *pat);

/* ---- the hit collector handed to the rule evaluators ---- */

static size_t labelled_sentence(const note *n, size_t ms, size_t me);

static void hits_add(rules_hits *h, const check_evidence *e)
{
    h->count[e->dir]++;
    if (h->from_decisive)
        h->decisive[e->dir]++;
    if (h->from_decisive == 2)
        h->overriding[e->dir]++;
    if (e->dir == CHECK_EXCUSES && h->from_fact)
        h->fact_na = 1;
    if (h->nev >= MAX_EVIDENCE)
        return;
    check_evidence *v = realloc(h->ev, (h->nev + 1) * sizeof *v);
    if (!v)
        return;
    h->ev = v;
    h->ev[h->nev++] = *e;
}

void rules_hit(rules_hits *h, const rules_case *cs, size_t ni, size_t ms,
               size_t me, check_direction dir, const char *rule)
{
    const note *n = cs->notes[ni];
    check_evidence e = {ni, ms, me, ms, me, dir, rule, NULL};
    size_t si = note_sentence_at(n, ms);
    if (si == (size_t)-1 && me > ms)
        si = note_sentence_at(n, me - 1); /* a match that starts in a label */
    if (si == (size_t)-1)
        si = labelled_sentence(n, ms, me); /* a match in a label: its sentence */
    if (si != (size_t)-1) {
        e.sent_start = labelled_start(n, si);
        e.sent_end = n->sentences[si].end;
        if (e.sent_end < me)
            e.sent_end = me;
    }
    hits_add(h, &e);
}

void rules_note_searched(rules_hits *h, const char *line)
{
    size_t l = strlen(line);
    char *s = realloc(h->searched, h->slen + l + 2);
    if (!s)
        return;
    memcpy(s + h->slen, line, l);
    s[h->slen + l] = '\n';
    s[h->slen + l + 1] = '\0';
    h->searched = s;
    h->slen += l + 1;
}

/* ---- spans of a note ---- */

static int re_in(const pcre2_code *re, const note *n, size_t s, size_t e)
{
    size_t a, b, c, d;
    return s < e && policy_re_find(re, n->text, e, s, &a, &b, &c, &d);
}

static void line_span(const note *n, size_t i, size_t *s, size_t *e)
{
    *s = n->lines[i];
    *e = i + 1 < n->nlines ? n->lines[i + 1] : n->len;
    while (*e > *s && (n->text[*e - 1] == '\n' || n->text[*e - 1] == '\r'))
        (*e)--;
}

/* A header: a short line in capitals, or a short label ending in a colon
 * with nothing after it.  What a header says in parentheses may be in any
 * case: "3. HYPERTONICITY EVALUATION (03/11/2025, Dr. Brandt)",
 * "TRANSITION PLANNING (age 14 and over)". */
static int is_header(const note *n, size_t s, size_t e)
{
    while (s < e && isspace((unsigned char)n->text[s]))
        s++;
    while (e > s && isspace((unsigned char)n->text[e - 1]))
        e--;
    if (e - s < 3 || e - s > 120)
        return 0;
    int qualified = e - s > 90; /* too long for a label */
    if (n->text[e - 1] == ':' && !qualified)
        return 1;
    /* "Oral baclofen side effects -" over "   Denies: drowsiness, ...":
     * a dash after a blank ends a label as a colon does. */
    if (n->text[e - 1] == '-' && isblank((unsigned char)n->text[e - 2]) && !qualified)
        return 1;
    size_t upper = 0, lower = 0;
    int paren = 0;
    for (size_t i = s; i < e; i++) {
        unsigned char c = (unsigned char)n->text[i];
        paren += c == '(' ? 1 : c == ')' && paren > 0 ? -1 : 0;
        if (paren)
            continue;
        upper += isupper(c) != 0;
        lower += islower(c) != 0;
    }
    if (upper >= 4 && lower == 0 && !qualified)
        return 1;
    /* A title in capitals qualified after a comma or a parenthesis: "ITB
     * CONTINUOUS INFUSION TRIAL (externalized catheter), inpatient
     * 12/08-12/11/2025".  Its capitals come first and outweigh the rest. */
    size_t caps = 0, i = s;
    for (; i < e && !islower((unsigned char)n->text[i]); i++) {
        if (n->text[i] == '(' || n->text[i] == ',' || n->text[i] == ':')
            break;
        caps += isupper((unsigned char)n->text[i]) != 0;
    }
    return i < e && (n->text[i] == '(' || n->text[i] == ',') && caps >= 12 &&
           lower * 2 <= upper;
}

/* The header line that governs offset off (searching up to 12 lines up). */
static int header_of(const note *n, size_t off, size_t *hs, size_t *he)
{
    size_t li = note_line_at(n, off);
    if (li == 0)
        return 0;
    li--; /* 0-based line holding off */
    for (size_t k = 1; k <= 12 && k <= li; k++) {
        size_t s, e;
        line_span(n, li - k, &s, &e);
        if (is_header(n, s, e)) {
            *hs = s;
            *he = e;
            return 1;
        }
    }
    return 0;
}

/* Whether a header over offset off speaks of re: the nearest one
 * (header_of), then the headers above it in the same block of lines, so
 * that a table's own header ("Burke-Fahn-Marsden (movement):") does not
 * hide the report's ("ITB CONTINUOUS INFUSION TRIAL ...") from the lines
 * after the table. */
static int span_has(const pcre2_code *re, const pcre2_code *unless, const note *n,
                    size_t s, size_t e);

static int headers_have(const pcre2_code *re, const pcre2_code *unless,
                        const note *n, size_t off)
{
    size_t hs, he;
    if (!header_of(n, off, &hs, &he))
        return 0;
    if (span_has(re, unless, n, hs, he))
        return 1;
    size_t li = note_line_at(n, hs); /* 1-based: the header's line */
    for (size_t k = li - 1; k >= 1 && li - k <= 12; k--) {
        size_t s, e;
        line_span(n, k - 1, &s, &e);
        size_t t = s;
        while (t < e && isspace((unsigned char)n->text[t]))
            t++;
        if (t == e)
            return 0; /* an empty line ends the block */
        if (is_header(n, s, e) && span_has(re, unless, n, s, e))
            return 1;
    }
    return 0;
}

/* The note's heading: its first line with text and the lines right under
 * it, up to an empty line (at most four): "VALLEY CHILDREN'S HOSPITAL" over
 * "INTRATHECAL BACLOFEN BOLUS SCREENING TRIAL - PT SCORING". */
static int title_of(const note *n, size_t *ts, size_t *te)
{
    for (size_t i = 0; i < n->nlines && i < 5; i++) {
        line_span(n, i, ts, te);
        if (*te <= *ts)
            continue;
        for (size_t k = i + 1; k < n->nlines && k < i + 4; k++) {
            size_t s, e;
            line_span(n, k, &s, &e);
            while (e > s && isspace((unsigned char)n->text[e - 1]))
                e--;
            /* the heading's lines, not the prose that follows it at once
             * ("10F SQCP GMFCS V, referred by Dr. Q. for ITB.") */
            if (e <= s || e - s > 100 || n->text[e - 1] == '.')
                break;
            *te = e;
        }
        return 1;
    }
    return 0;
}

/* Who wrote a note: the labelled lines near its top that name its author
 * ("Physician: N. Gerrard, MD, Pediatric Neurology", "Evaluator: ...",
 * "From: ...") and its closing signature ("Hannah Cho, MD" over
 * "Pediatric Neurology, CCS Hypertonicity SCC").  What a note says without
 * naming who says it ("Recommendation: ITB is the treatment of choice")
 * is its author's.  Calls fn on each such line until it returns 1. */
static int closing_lines(const note *n,
                         int (*fn)(const note *, size_t, size_t, const void *),
                         const void *arg);

static int author_lines(const note *n,
                        int (*fn)(const note *, size_t, size_t, const void *),
                        const void *arg)
{
    static pcre2_code *label;
    if (!label && !(label = rx("\\G\\W*(?:(?:(?:requesting|attending|treating|evaluating|"
                               "consulting|examining|supervising|mtc|scc)\\s+)?"
                               "(?:physician|provider|evaluator|consultant|surgeon|"
                               "author|attending|clinician)(?:\\s*/\\s*specialty)?"
                               "|evaluat(?:ed|ing)(?:\\s+by)?|examined by|seen by"
                               "|from|signed|signature|electronically signed|dictated by"
                               "|requesting|requested by)"
                               "\\s*:"
                               /* a form's field: "Requesting MD ....... B. Osei" */
                               "|\\G\\W*(?:requesting|attending|treating|evaluating|examining)\\s+"
                               "(?:physician|provider|clinician|MD|doctor)\\s*(?::|\\.{3,})")))
        return 0;
    /* ... or says who the author is: "I am a CCS-approved pediatric
     * physiatrist." */
    static pcre2_code *self;
    if (!self && !(self = rx_cased("(?<![\\w.])I(?:'m|\\s+am)\\s+(?:a|an|the)\\s+")))
        return 0;
    size_t s, e;
    for (size_t i = 0; i < n->nlines && i < 15; i++) {
        line_span(n, i, &s, &e);
        size_t ms, me, ts, te;
        if (re_in(label, n, s, e) && fn(n, s, e, arg))
            return 1;
        /* from "I am" on: what the line said before is not who he is */
        if (policy_re_find(self, n->text, e, s, &ms, &me, &ts, &te) && fn(n, ms, e, arg))
            return 1;
    }
    return closing_lines(n, fn, arg);
}

/* The signature: the note's last lines with text, after its last empty
 * one (at most three). */
static int closing_lines(const note *n,
                         int (*fn)(const note *, size_t, size_t, const void *),
                         const void *arg)
{
    size_t s, e;
    size_t last = n->nlines, k = 0;
    while (last > 0) {
        line_span(n, last - 1, &s, &e);
        while (e > s && isspace((unsigned char)n->text[e - 1]))
            e--;
        if (e > s)
            break;
        last--;
    }
    /* A field of the note ("Drug: Gablofen, baclofen alone.") or a line of
     * prose ends the signature: it is the note's last words, not its
     * author's name. */
    static pcre2_code *field;
    if (!field && !(field = rx("\\G\\s*(?!(?:electronically\\s+)?signed|dictated|cc\\b|"
                               "attending|physician|provider|surgeon)"
                               "[a-z][\\w /&().-]{0,30}:\\s*\\S")))
        return 0;
    for (; last > 0 && k < 3; last--, k++) {
        line_span(n, last - 1, &s, &e);
        while (e > s && isspace((unsigned char)n->text[e - 1]))
            e--;
        /* ... and so does a sentence's end: a name or a title has none
         * ("neurosurgery office and will be forwarded.") */
        if (e <= s || e - s > 80 || re_in(field, n, s, e) ||
            (e - s > 40 && n->text[e - 1] == '.'))
            break;
        if (fn(n, s, e, arg))
            return 1;
    }
    return 0;
}

/* A sentence with the label that starts its line ("Trial: none done"):
 * the note module makes "Trial:" a section header, but it belongs to the
 * sentence it introduces. */
static size_t labelled_start(const note *n, size_t si)
{
    size_t ss = n->sentences[si].start;
    size_t li = note_line_at(n, ss);
    size_t ls = li ? n->lines[li - 1] : 0;
    if (si > 0 && n->sentences[si - 1].end > ls)
        return ss; /* not the first sentence on its line */
    if (ss - ls > 120)
        return ss; /* too long for a label */
    /* Only the last clause: in "Failed oral baclofen. Bolus trial: 4 -> 2"
     * the label is "Bolus trial:". */
    for (size_t i = ss; i > ls + 1; i--)
        if ((n->text[i - 1] == ' ' || n->text[i - 1] == '\t') &&
            strchr(".;!?", n->text[i - 2]))
            return i;
    return ls;
}

/* A neighbour counts only if it is not itself excluded: "She became
 * drowsy. That was after the bolus, not on oral baclofen." */
static int span_has(const pcre2_code *re, const pcre2_code *unless,
                    const note *n, size_t s, size_t e)
{
    return re_in(re, n, s, e) && !(unless && re_in(unless, n, s, e));
}

typedef struct {
    const pcre2_code *re, *unless;
} span_test;

static int line_has(const note *n, size_t s, size_t e, const void *arg)
{
    const span_test *t = arg;
    return span_has(t->re, t->unless, n, s, e);
}

/* A pattern compiled as written (rx() is caseless: names need capitals). */
static pcre2_code *rx_cased(const char *pat)
{
    int ec;
    PCRE2_SIZE eo;
    return pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                         PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &ec, &eo, NULL);
}

/* The first occurrence of w[0,l) in t[0,len), or NULL. */
static const char *find_bytes(const char *t, size_t len, const char *w, size_t l)
{
    for (size_t i = 0; l && i + l <= len; i++)
        if (t[i] == w[0] && memcmp(t + i, w, l) == 0)
            return t + i;
    return NULL;
}

static int word_at(const char *t, size_t len, size_t i, size_t l)
{
    return (i == 0 || !isalnum((unsigned char)t[i - 1])) &&
           (i + l >= len || !isalnum((unsigned char)t[i + l]));
}

/* ---- the case's memo ---- */

#define MEMO_NAME 48

typedef struct {
    char name[MEMO_NAME];
    const pcre2_code *re, *unless;
    int result;
} memo_entry;

/* A drop scan's totals, for the rules that differ only in the threshold
 * ("a drop of two points or more" supports, "less than two" refutes). */
typedef struct drop_memo drop_memo;

struct rules_memo {
    memo_entry *v;
    size_t n, cap;
    drop_memo *drops;
};

rules_memo *rules_memo_new(void)
{
    return calloc(1, sizeof(rules_memo));
}

static void drop_memo_free(drop_memo *d);

void rules_memo_free(rules_memo *m)
{
    if (m) {
        free(m->v);
        drop_memo_free(m->drops);
    }
    free(m);
}

static memo_entry *memo_find(rules_memo *m, const char *name, size_t l,
                             const span_test *t)
{
    for (size_t i = 0; m && i < m->n; i++)
        if (m->v[i].re == t->re && m->v[i].unless == t->unless &&
            strlen(m->v[i].name) == l && memcmp(m->v[i].name, name, l) == 0)
            return &m->v[i];
    return NULL;
}

static void memo_add(rules_memo *m, const char *name, size_t l,
                     const span_test *t, int result)
{
    if (!m || l >= MEMO_NAME)
        return;
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        memo_entry *v = realloc(m->v, cap * sizeof *v);
        if (!v)
            return;
        m->v = v;
        m->cap = cap;
    }
    memo_entry *e = &m->v[m->n++];
    memcpy(e->name, name, l);
    e->name[l] = '\0';
    e->re = t->re;
    e->unless = t->unless;
    e->result = result;
}

/* Whether a line of the case names the person whose surname is
 * name[0,l) and satisfies the test: "Dr. Mendez recommends ITB" and,
 * elsewhere, "Evaluator: Carla Mendez, MD, physiatrist". */
static int person_lines_have(const rules_case *cs, const char *name, size_t l,
                             const span_test *t)
{
    for (size_t ni = 0; ni < cs->nnotes; ni++) {
        const note *m = cs->notes[ni];
        for (const char *p = m->text;
             (p = find_bytes(p, m->len - (size_t)(p - m->text), name, l)); p += l) {
            size_t at = (size_t)(p - m->text), li = note_line_at(m, at), s, e;
            if (!word_at(m->text, m->len, at, l) || !li)
                continue;
            line_span(m, li - 1, &s, &e);
            if (line_has(m, s, e, t))
                return 1;
        }
    }
    return 0;
}

/* The same, asked once per case for each name and test. */
static int person_has(const rules_case *cs, const note *n, size_t ns,
                      size_t ne, const span_test *t)
{
    size_t l = ne - ns;
    const memo_entry *known = memo_find(cs->memo, n->text + ns, l, t);
    if (known)
        return known->result;
    int r = person_lines_have(cs, n->text + ns, l, t);
    memo_add(cs->memo, n->text + ns, l, t, r);
    return r;
}

/* The people a sentence names ("Dr. Gerrard", "Kevin Lee, MD") whose role
 * another line of the case states. */
static int names_have(const rules_case *cs, const note *n, size_t ss,
                      size_t se, const span_test *t)
{
    static pcre2_code *pat[2];
    if (!pat[0]) {
        pat[0] = rx_cased("\\bDr\\.?\\s+(?:[A-Z]\\.\\s*){0,2}(?:[A-Z][a-z]+\\s+)?"
                          "(?<t>[A-Z][A-Za-z'\\-]{2,})");
        pat[1] = rx_cased("(?<t>[A-Z][A-Za-z'\\-]{2,}),?\\s+"
                          "(?:MD|DO|M\\.D\\.|D\\.O\\.)\\b");
        if (!pat[0] || !pat[1])
            return 0;
    }
    for (int k = 0; k < 2; k++) {
        size_t off = ss, ms, me, ts, te;
        for (int found = 0; found < 4 && off < se &&
                            policy_re_find(pat[k], n->text, se, off, &ms, &me, &ts, &te);
             found++) {
            if (person_has(cs, n, ts, te, t))
                return 1;
            off = me > off ? me : off + 1;
        }
    }
    return 0;
}

static int any_line(const note *n, size_t s, size_t e, const void *arg)
{
    (void)n, (void)s, (void)e, (void)arg;
    return 1;
}

/* A sentence in the first person singular ("I recommend ITB"). */
static int first_person(const note *n, size_t s, size_t e)
{
    static pcre2_code *re;
    if (!re && !(re = rx_cased("(?<![\\w.])(?:I(?:'m|'ve)?|[Mm]y)(?![\\w.'/-])")))
        return 0;
    return re_in(re, n, s, e);
}

/* Does line li start with a list mark ("1.", "2)", "-", "*", "•")? */
static int list_mark_line(const note *n, size_t li)
{
    size_t s, e;
    line_span(n, li, &s, &e);
    while (s < e && (n->text[s] == ' ' || n->text[s] == '\t'))
        s++;
    if (s >= e)
        return 0;
    char c = n->text[s];
    if (c == '-' || c == '*' || (e - s >= 3 && memcmp(n->text + s, "\xE2\x80\xA2", 3) == 0))
        return 1;
    size_t k = s;
    while (k < e && n->text[k] >= '0' && n->text[k] <= '9')
        k++;
    return k > s && k < e && (n->text[k] == '.' || n->text[k] == ')');
}

/* The lead of the list item that holds off: the item's first sentence,
 * which names what the item is about ("1. Oral baclofen. She has been on
 * it since adolescence. ... produced leg weakness"), when off is in a
 * later sentence of that item (its lines indented under the mark). */
static int item_lead(const note *n, size_t off, size_t *ls, size_t *le)
{
    size_t li = note_line_at(n, off) - 1, k = li;
    int base = -1;
    for (size_t up = 0; up <= 8; up++) {
        size_t s, e;
        line_span(n, k, &s, &e);
        if (e <= s)
            return 0; /* a blank line: no item */
        if (list_mark_line(n, k)) {
            *ls = s;
            size_t si = note_sentence_at(n, s + (e > s + 4 ? 4 : 0));
            *le = si != (size_t)-1 && n->sentences[si].end <= e ? n->sentences[si].end : e;
            return k != li || off >= *le; /* not the lead itself */
        }
        int in = 0;
        while (s + (size_t)in < e && (n->text[s + in] == ' ' || n->text[s + in] == '\t'))
            in++;
        if (base >= 0 && in > base)
            return 0; /* deeper than the line below it: not this item */
        base = in;
        if (in == 0 && k != li)
            return 0; /* back at the margin without a mark */
        if (k == 0)
            return 0;
        k--;
    }
    return 0;
}

/* Whether an empty line lies between offsets a and b. */
static int blank_between(const note *n, size_t a, size_t b)
{
    int nl = 0;
    for (size_t i = a; i < b && i < n->len; i++) {
        char c = n->text[i];
        if (c == '\n') {
            if (++nl == 2)
                return 1;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            nl = 0;
        }
    }
    return 0;
}

/* The label that opens the paragraph holding off: "Screening trial
 * (01/13/2026): single intrathecal bolus ..." names what the paragraph's
 * later lines ("No respiratory depression, no seizure") are about, up to
 * an empty line (at most 12 lines up).  Only the label, not its line. */
static int paragraph_label(const note *n, size_t off, size_t *ls, size_t *le)
{
    static pcre2_code *label;
    if (!label && !(label = rx("\\G[ \\t]*[A-Za-z][^:\\n]{2,60}:")))
        return 0;
    size_t li = note_line_at(n, off);
    if (li == 0)
        return 0;
    li--;
    size_t k = li;
    for (size_t up = 0; up < 12 && k > 0; up++) {
        size_t s, e;
        line_span(n, k - 1, &s, &e);
        if (e <= s)
            break;
        k--;
    }
    if (k == li)
        return 0; /* the sentence's own line: its label is already read */
    size_t s, e;
    line_span(n, k, &s, &e);
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(label, NULL);
    if (!md)
        return 0;
    int rc = pcre2_match(label, (PCRE2_SPTR) n->text + s, e - s, 0, 0, md, NULL);
    if (rc > 0) {
        *ls = s;
        *le = s + pcre2_get_ovector_pointer(md)[1];
    }
    pcre2_match_data_free(md);
    return rc > 0;
}

static int indent_of(const note *n, size_t li);

/* The start of the entry whose indented lines hold off: the nearest line
 * above, in the same block, that is indented less ("2025-07-15  SCC
 * evaluation - Dr. Baptiste (Pediatric Neurology)" over the quoted
 * '"I recommend intrathecal baclofen."'). */
static int entry_lead(const note *n, size_t off, size_t *ls)
{
    size_t li = note_line_at(n, off) - 1, s, e;
    int mine = indent_of(n, li);
    for (size_t k = li, up = 0; k > 0 && up < 12; k--, up++) {
        int in = indent_of(n, k - 1);
        if (in < 0)
            return 0; /* an empty line ends the block */
        if (in < mine) {
            line_span(n, k - 1, &s, &e);
            *ls = s;
            return 1;
        }
    }
    return 0;
}

/* Where re matches in [s, e): the start of its last match, or with first
 * set the start of its first one. */
static size_t last_match(const pcre2_code *re, const note *n, size_t s, size_t e,
                         int first)
{
    size_t off = s, ms, me, ts, te, at = s;
    while (off < e && policy_re_find(re, n->text, e, off, &ms, &me, &ts, &te)) {
        at = ms;
        if (first)
            break;
        off = me > off ? me : off + 1;
    }
    return at;
}

static int window_has(const rules_case *cs, const pcre2_code *re,
                      const pcre2_code *unless, const note *n, size_t si,
                      int speaker)
{
    const note_span *S = n->sentences;
    if (re_in(re, n, labelled_start(n, si), S[si].end))
        return 1;
    const note_section *sec = note_section_at(n, S[si].start);
    if (sec && span_has(re, unless, n, sec->start, sec->body))
        return 1;
    span_test t = {re, unless};
    size_t hs, he;
    if (speaker && first_person(n, labelled_start(n, si), S[si].end) &&
        author_lines(n, any_line, NULL))
        /* "I recommend ITB" is the author's: his neighbours and the people
         * he names do not say who he is, his heading and his lines do. */
        return (title_of(n, &hs, &he) && span_has(re, unless, n, hs, he)) ||
               (header_of(n, S[si].start, &hs, &he) && span_has(re, unless, n, hs, he)) ||
               (entry_lead(n, S[si].start, &hs) && span_has(re, unless, n, hs, S[si].start)) ||
               author_lines(n, line_has, &t);
    /* The nearest neighbour that speaks of either decides: the one
     * before, the one two before (what a pronoun points back to: "Oral
     * baclofen 80 mg/day. Tone was unchanged. He tolerated it well."),
     * then the one after ("That was after the bolus."). */
    size_t order[3];
    size_t no = 0;
    if (si >= 1)
        order[no++] = si - 1;
    if (si >= 2)
        order[no++] = si - 2;
    if (si + 1 < n->nsentences && !blank_between(n, S[si].end, S[si + 1].start))
        order[no++] = si + 1; /* the next paragraph speaks of its own */
    for (size_t k = 0; k < no; k++) {
        size_t s = S[order[k]].start, e = S[order[k]].end;
        int has = re_in(re, n, s, e), voids = unless && re_in(unless, n, s, e);
        if (has && voids) {
            /* both: the mention nearest the sentence decides, the last of
             * one before ("... the test dose ... oral baclofen 20 mg QID
             * ... . It made him weak"), the first of one after */
            size_t hr = last_match(re, n, s, e, order[k] > si),
                   ur = last_match(unless, n, s, e, order[k] > si);
            return order[k] < si ? hr > ur : hr < ur;
        }
        if (voids)
            return 0;
        if (has)
            return 1;
    }
    if (headers_have(re, unless, n, S[si].start))
        return 1;
    if (item_lead(n, S[si].start, &hs, &he) && span_has(re, unless, n, hs, he))
        return 1;
    if (paragraph_label(n, S[si].start, &hs, &he) && span_has(re, unless, n, hs, he))
        return 1;
    if (title_of(n, &hs, &he) && span_has(re, unless, n, hs, he))
        return 1;
    return author_lines(n, line_has, &t) ||
           names_have(cs, n, labelled_start(n, si), S[si].end, &t);
}

/* A header that negates the list under it ("DENIES:", "Negative for:",
 * "Pertinent negatives"): the sentence alone does not say so. */
static int negating_header(const note *n, size_t si)
{
    static pcre2_code *neg;
    if (!neg) {
        int ec;
        PCRE2_SIZE eo;
        neg = pcre2_compile((PCRE2_SPTR) "^\\W*(?:denies|denied|negative for|"
                            "pertinent negatives|none of the following|absent|"
                            "not present|ruled out)\\b",
                            PCRE2_ZERO_TERMINATED, PCRE2_CASELESS | PCRE2_MULTILINE,
                            &ec, &eo, NULL);
        if (!neg)
            return 0;
    }
    size_t ss = n->sentences[si].start, hs, he;
    const note_section *sec = note_section_at(n, ss);
    if (sec && re_in(neg, n, sec->start, sec->body))
        return 1;
    return header_of(n, ss, &hs, &he) && re_in(neg, n, hs, he);
}

/* A statement dated to a closed period in the past ("2017-2022: the pump
 * was filled with compounded baclofen", "From 2019 to 2021 she took
 * tizanidine") is history, whatever its verbs say. */
static int past_period(const note *n, size_t si)
{
    static pcre2_code *re;
    /* after a label perhaps: "Drug history: from 2021 until early 2023" */
    if (!re && !(re = rx("\\G\\W*(?:[a-z][\\w /-]{0,30}:\\s*)?(?:(?:from|between|during|in)\\s+)?"
                         "(?:(?:early|late|mid-?)\\s*)?(?:(?:0?[1-9]|1[0-2])/)?(?:19|20)\\d\\d"
                         "\\s*(?:-|\\x{2013}|to|and|through|until)\\s*"
                         "(?:(?:early|late|mid-?)\\s*)?(?:(?:0?[1-9]|1[0-2])/)?(?:19|20)\\d\\d\\b")))
        return 0;
    size_t ls = labelled_start(n, si);
    return re_in(re, n, ls, n->sentences[si].end);
}

static ctx_status label_status(const note *n, size_t body, size_t se);

/* A field that the target names, answered after its colon: "TRANSITION
 * PLAN (IF >= 14): [ ] Completed [X] Not started", "3. Transition
 * planning: NOT started." (the context engine ends a scope at a colon). */
static ctx_status ticked_answer(const note *n, size_t te, size_t se)
{
    static pcre2_code *field;
    if (!field && !(field = rx("\\G[^:.;\\n]{0,40}:[ \\t]*\\S")))
        return CTX_AFFIRMED;
    size_t ms, me, ts, tt, lim = se - te < 42 ? se - te : 42;
    if (!memchr(n->text + te, ':', lim))
        return CTX_AFFIRMED; /* no field's colon near: the common case */
    if (!policy_re_find(field, n->text, se, te, &ms, &me, &ts, &tt))
        return CTX_AFFIRMED;
    const char *colon = memchr(n->text + te, ':', me - te);
    return colon ? label_status(n, (size_t)(colon - n->text) + 1, se) : CTX_AFFIRMED;
}

/* A form's ticked box: "[X]", "[ x ]", a check mark in brackets, a ballot
 * box with a cross or a check. */
static const pcre2_code *ticked_box(void)
{
    static pcre2_code *re;
    if (!re)
        re = rx("\\[\\s*[x\\x{2713}\\x{2714}]\\s*\\]|\\x{2612}|\\x{2611}");
    return re;
}

/* A form's question whose boxes are all empty: "Bolus performed? [ ] Yes
 * [ ] No". */
static int unanswered_boxes(const note *n, size_t ss, size_t se)
{
    if (!memchr(n->text + ss, '[', se - ss) && !memchr(n->text + ss, 0xe2, se - ss))
        return 0; /* no box of either kind: the common case, cheaply */
    static pcre2_code *empty;
    if (!empty)
        empty = rx("(?:\\[\\s?\\]|\\x{2610})[^\\[\\x{2610}]{0,40}(?:\\[\\s?\\]|\\x{2610})");
    const pcre2_code *ticked = ticked_box();
    return empty && ticked && re_in(empty, n, ss, se) && !re_in(ticked, n, ss, se);
}

/* A packet's list of what is enclosed, with this item's box empty:
 * "Enclosed:" over " [ ] Neurosurgery consultation - Dr. W., seen 04/02":
 * the document is not at hand, which says nothing of what it holds. */
static int unsent_document(const note *n, size_t ss, size_t se)
{
    size_t i = ss;
    while (i < se && (n->text[i] == ' ' || n->text[i] == '\t' || n->text[i] == '-' ||
                      n->text[i] == '*'))
        i++;
    if (i >= se || !(n->text[i] == '[' || (unsigned char)n->text[i] == 0xe2))
        return 0;
    static pcre2_code *box, *head;
    if (!box)
        box = rx("\\G\\s*(?:[-*\\x{2022}]\\s*)?(?:\\[\\s?\\]|\\x{2610})");
    if (!head)
        head = rx("\\b(?:enclosed|enclosures|attached|attachments|included|in (?:the |this )?packet|"
                  "documents?|records|checklist|submitted|sent)\\b");
    size_t hs, he;
    return box && head && re_in(box, n, ss, se) && header_of(n, ss, &hs, &he) &&
           re_in(head, n, hs, he);
}

/* Whether the next sentence says that what sentence si told was a
 * relative's: "Severe sedation on baclofen tablets. That was his
 * brother's experience." */
static int told_of_a_relative(const note *n, size_t si)
{
    static pcre2_code *re;
    if (!re && !(re = rx("\\G\\W*(?:that|this|these|those|it|all of (?:this|that))\\s+"
                         "(?:was|were|is|are|refers\\s+to|describes|happened\\s+to)\\s+"
                         "(?:(?:his|her|their|the\\s+patient's|my)\\s+)?"
                         "(?:(?:older|younger|twin|half|step)[\\s-]?)?"
                         "(?:brother|sister|mother|father|mom|dad|son|daughter|cousin|uncle|aunt|"
                         "grand\\w+|sibling|husband|wife|spouse|partner|parent|niece|nephew|"
                         "roommate|friend)s?(?:'s|\\b)")))
        return 0;
    if (si + 1 >= n->nsentences)
        return 0;
    size_t ns = n->sentences[si + 1].start;
    while (ns < n->sentences[si + 1].end && !isalpha((unsigned char)n->text[ns]))
        ns++;
    if (ns >= n->sentences[si + 1].end || !strchr("tTiIaA", n->text[ns]))
        return 0; /* "That ...", "It ...", "All of this ..." only */
    if (blank_between(n, n->sentences[si].end, n->sentences[si + 1].start))
        return 0;
    return re_in(re, n, n->sentences[si + 1].start, n->sentences[si + 1].end);
}

static ctx_status classify(const rules_case *cs, const note *n, size_t ss,
                           size_t se, size_t ts, size_t te)
{
    const note_section *sec = note_section_at(n, ts);
    note_section_context sc = sec ? sec->context : NOTE_SECTION_PLAIN;
    ctx_status st = sc == NOTE_SECTION_HISTORICAL     ? CTX_HISTORICAL
                    : sc == NOTE_SECTION_FAMILY       ? CTX_FAMILY
                    : sc == NOTE_SECTION_HYPOTHETICAL ? CTX_HYPOTHETICAL
                                                      : CTX_AFFIRMED;
    if (cs->ctx)
        st = context_classify(cs->ctx, n->text, ss, se, ts, te, sc, NULL);
    if (unanswered_boxes(n, ss, se) || unsent_document(n, ss, se))
        return CTX_HYPOTHETICAL; /* says nothing of the finding either way */
    if (st == CTX_AFFIRMED)
        st = ticked_answer(n, te, se);
    size_t si = note_sentence_at(n, ts);
    if ((st == CTX_AFFIRMED || st == CTX_HISTORICAL) && si != (size_t)-1 &&
        told_of_a_relative(n, si))
        st = CTX_FAMILY;
    if (st == CTX_AFFIRMED && si != (size_t)-1 && negating_header(n, si))
        st = CTX_NEGATED;
    if (st == CTX_AFFIRMED && si != (size_t)-1 && past_period(n, si))
        st = CTX_HISTORICAL;
    return st;
}

static check_direction opposite(check_direction d)
{
    return d == CHECK_SUPPORTS ? CHECK_REFUTES
           : d == CHECK_REFUTES ? CHECK_SUPPORTS
                                : d;
}

/* ---- find: a finding in words ---- */

/* The sentence whose label holds [ms,me) ("Refills/emergencies: ..."), or
 * (size_t)-1. */
static size_t labelled_sentence(const note *n, size_t ms, size_t me)
{
    size_t lo = 0, hi = n->nsentences;
    while (lo < hi) { /* first sentence starting at or after me */
        size_t mid = lo + (hi - lo) / 2;
        if (n->sentences[mid].start < me)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < n->nsentences && labelled_start(n, lo) <= ms)
        return lo;
    return (size_t)-1;
}

/* The status a body gives the label before it: "Trial: none", "Transition:
 * to be discussed". */
static ctx_status label_status(const note *n, size_t body, size_t se)
{
    static pcre2_code *neg, *hyp, *empty;
    if (!neg) {
        empty = rx("\\G\\s*(?:\\[\\s?\\]|\\x{2610})");
        /* The verdict may follow a word or two ("Transition: family not
         * yet ready", "Plan: parents declined"). */
        neg = rx("\\G\\W*(?:[\\w'-]+\\s+){0,2}?(?:no|none|not|never|n/a|na|"
                 "denie[sd]|declined|absent|negative|refused|not done|nil)\\b");
        hyp = rx("\\G\\W*(?:[\\w'-]+\\s+){0,2}?(?:to be|will|would|plan(?:ned|s)? to|"
                 "pending|tbd|deferred|next|if|consider\\w*|awaiting|may)\\b");
        if (!neg || !hyp)
            return CTX_AFFIRMED;
    }
    /* A form's ticked box is the answer: "TRANSITION PLAN: [ ] Completed
     * [X] Not started" says what follows the tick. */
    const pcre2_code *tick = ticked_box();
    if (!tick)
        return CTX_AFFIRMED;
    size_t ms, me, ts, te;
    if (policy_re_find(tick, n->text, se, body, &ms, &me, &ts, &te)) {
        body = me;
    } else if (empty && policy_re_find(empty, n->text, se, body, &ms, &me, &ts, &te)) {
        /* An item left unticked under the heading that names it:
         * "TRANSITION PLANNING" over "[ ] Discussed with client / family"
         * says it was not done ("[ ] Not started" left empty says
         * nothing). */
        return re_in(neg, n, me, se) ? CTX_HYPOTHETICAL : CTX_NEGATED;
    }
    if (re_in(neg, n, body, se))
        return CTX_NEGATED;
    if (re_in(hyp, n, body, se))
        return CTX_HYPOTHETICAL;
    return CTX_AFFIRMED;
}

/* A sentence to search: [ss, se), its body starting at body (after a
 * label), and the sentence index whose neighbours form its window. */
typedef struct {
    size_t ss, body, se, si;
} find_span;

static int find_in_span(const rules_case *cs, const policy_rule *r,
                        size_t ni, find_span sp, check_direction d,
                        rules_hits *h);

static int find_in_sentence(const rules_case *cs, const policy_rule *r,
                            size_t ni, size_t si, check_direction d,
                            rules_hits *h)
{
    const note *n = cs->notes[ni];
    find_span sp = {labelled_start(n, si), n->sentences[si].start,
                    n->sentences[si].end, si};
    return find_in_span(cs, r, ni, sp, d, h);
}

/* Text the note module left out of every sentence (a line's prefix that it
 * took for a header: "Failed oral baclofen. Bolus trial: ..."): the clause
 * around [ms, me), up to the line's ends and sentence stops. */
static int find_in_clause(const rules_case *cs, const policy_rule *r,
                          size_t ni, size_t ms, size_t me, check_direction d,
                          rules_hits *h)
{
    const note *n = cs->notes[ni];
    size_t li = note_line_at(n, ms), ls, le;
    if (!li)
        return 0;
    line_span(n, li - 1, &ls, &le);
    size_t a = ms, b = me;
    while (a > ls && !(strchr(".;!?", n->text[a - 1]) && a < ms &&
                       (n->text[a] == ' ' || n->text[a] == '\t')))
        a--;
    while (b < le && !strchr(".;!?:", n->text[b]))
        b++;
    size_t si = 0, hi = n->nsentences; /* its window: the next sentence's */
    while (si < hi) {
        size_t mid = si + (hi - si) / 2;
        if (n->sentences[mid].start < b)
            si = mid + 1;
        else
            hi = mid;
    }
    if (si >= n->nsentences)
        return 0;
    find_span sp = {a, a, b < le ? b + 1 : le, si};
    return find_in_span(cs, r, ni, sp, d, h);
}

static int find_in_span(const rules_case *cs, const policy_rule *r,
                        size_t ni, find_span sp, check_direction d,
                        rules_hits *h)
{
    const note *n = cs->notes[ni];
    size_t ss = sp.ss, se = sp.se, si = sp.si;
    size_t off = ss, ms, me, ts, te;
    if (!re_in(r->re, n, ss, se))
        return 0;
    if (r->unless && re_in(r->unless, n, ss, se))
        return 0;
    size_t ls = ss;
    if (r->also && !(r->window ? window_has(cs, r->also, r->unless, n, si,
                                            r->speaker)
                               : re_in(r->also, n, ls, se)))
        return 0;
    if (r->with && !(r->window ? window_has(cs, r->with, r->unless, n, si,
                                            r->speaker)
                               : re_in(r->with, n, ls, se)))
        return 0;
    size_t body = sp.body;
    size_t lms = 0, lme = 0;
    int label_hit = 0;
    while (off < se && policy_re_find(r->re, n->text, se, off, &ms, &me, &ts,
                                      &te)) {
        if (me <= body) { /* in the label: used only if the body has none */
            if (!label_hit) {
                label_hit = 1;
                lms = ms;
                lme = me;
            }
            off = me > off ? me : off + 1;
            continue;
        }
        ctx_status st = classify(cs, n, ss, se, ts, te);
        if (st == CTX_NEGATED && r->flip) {
            rules_hit(h, cs, ni, ms, me, opposite(d), r->desc);
            return 1;
        }
        if (r->status_mask & (1u << st)) {
            rules_hit(h, cs, ni, ms, me, d, r->desc);
            return 1;
        }
        off = me > off ? me : off + 1;
    }
    if (!label_hit)
        return 0;
    /* "Refills/emergencies: Dr. M. agreed" - the label names the finding,
     * and the body says whether it is so, unless the label says it itself
     * ("On examination there is no spasticity: tone is normal"). */
    ctx_status st = classify(cs, n, ss, body, lms, lme);
    if (st == CTX_AFFIRMED)
        st = label_status(n, body, se);
    if (st == CTX_NEGATED && r->flip) {
        rules_hit(h, cs, ni, lms, lme, opposite(d), r->desc);
        return 1;
    }
    if (r->status_mask & (1u << st)) {
        rules_hit(h, cs, ni, lms, lme, d, r->desc);
        return 1;
    }
    return 0;
}

/* The header line holding off, if that line is a header. */
static int header_line(const note *n, size_t off, size_t *hs, size_t *he)
{
    size_t li = note_line_at(n, off);
    if (li == 0)
        return 0;
    line_span(n, li - 1, hs, he);
    return is_header(n, *hs, *he);
}

/* The first sentence that starts after the header ending at he. */
static size_t first_after(const note *n, size_t he)
{
    size_t si = 0, hi = n->nsentences;
    while (si < hi) {
        size_t mid = si + (hi - si) / 2;
        if (n->sentences[mid].start < he)
            si = mid + 1;
        else
            hi = mid;
    }
    return si;
}

/* Whether [a, b) holds an empty line. */
static int blank_line_in(const note *n, size_t a, size_t b)
{
    for (size_t i = a; i < b && i < n->len; i++) {
        if (n->text[i] != '\n')
            continue;
        size_t j = i + 1;
        while (j < b && (n->text[j] == ' ' || n->text[j] == '\t' || n->text[j] == '\r'))
            j++;
        if (j < b && n->text[j] == '\n')
            return 1;
    }
    return 0;
}

/* The block a header governs: the sentences after it, up to the next
 * header or the first empty line after its first sentence. */
typedef struct {
    size_t hs, he, prev_end;
    int seen;
} block_walk;

/* 1: sentence si is in the block; 0: not (it is the header); -1: the
 * block ended before it. */
static int block_has(const note *n, block_walk *w, size_t si)
{
    size_t ss = labelled_start(n, si), a, b;
    if (ss < w->he)
        return 0;
    if (!header_of(n, n->sentences[si].start, &a, &b) || a != w->hs)
        return -1;
    int words = 0; /* a rule of dashes ends the block */
    for (size_t i = ss; i < n->sentences[si].end && !words; i++)
        words = isalnum((unsigned char)n->text[i]) != 0;
    if (!words)
        return -1;
    if (w->seen && blank_line_in(n, w->prev_end, ss))
        return -1;
    w->seen = 1;
    w->prev_end = n->sentences[si].end;
    return 1;
}

/* Whether a sentence of the header's block names the finding itself:
 * then that sentence says how it stands ("Transition planning has not
 * been started."), and the header lends its topic to none of the others
 * ("Mother prefers to address this later."). */
static int block_speaks(const policy_rule *r, const note *n, size_t hs,
                        size_t he)
{
    block_walk w = {hs, he, he, 0};
    for (size_t si = first_after(n, he), k = 0; si < n->nsentences && k < 12;
         si++, k++) {
        int in = block_has(n, &w, si);
        if (in < 0)
            break;
        size_t ss = labelled_start(n, si), se = n->sentences[si].end;
        if (in && re_in(r->re, n, ss, se))
            return 1;
    }
    return 0;
}

/* A header that names the finding governs the lines below it:
 * "EMERGENCY PLAN" over "Written instructions given to the parents." The
 * first sentence of its block that satisfies the rule decides, with the
 * status its own words give ("Not yet started." negates), unless the
 * block speaks of the finding in words of its own. */
static void find_under_header(const rules_case *cs, const policy_rule *r,
                              size_t ni, size_t hs, size_t he,
                              check_direction d, rules_hits *h)
{
    const note *n = cs->notes[ni];
    if (block_speaks(r, n, hs, he))
        return;
    /* A form's field left empty: "TRANSITION PLAN (IF >= 14):", blank
     * lines, then the next field ("Signature: R. Okada MD"). */
    static pcre2_code *field;
    if (!field)
        field = rx("\\G\\s*[a-z][\\w /()&.-]{0,30}:");
    size_t first = first_after(n, he);
    if (field && first < n->nsentences &&
        blank_line_in(n, he, n->sentences[first].start) &&
        re_in(field, n, labelled_start(n, first), n->sentences[first].end))
        return;
    block_walk w = {hs, he, he, 0};
    for (size_t si = first_after(n, he), k = 0; si < n->nsentences && k < 12;
         si++, k++) {
        int in = block_has(n, &w, si);
        if (in < 0)
            break; /* another header, or an empty line, ends the block */
        if (!in)
            continue; /* the header itself */
        size_t ss = labelled_start(n, si), se = n->sentences[si].end;
        if (r->unless && re_in(r->unless, n, ss, se))
            continue; /* voided */
        int also = !r->also || re_in(r->also, n, hs, he) ||
                   (r->window ? window_has(cs, r->also, r->unless, n, si,
                                           r->speaker)
                              : re_in(r->also, n, ss, se));
        int with = !r->with || re_in(r->with, n, hs, he) ||
                   (r->window ? window_has(cs, r->with, r->unless, n, si,
                                           r->speaker)
                              : re_in(r->with, n, ss, se));
        if (!also || !with)
            continue;
        /* The first line the rule accepts says how the header's finding
         * stands; a later one ("No shunt." under a heading about the
         * evaluation) is about something else. */
        ctx_status st = label_status(n, ss, se);
        if (st == CTX_AFFIRMED)
            st = classify(cs, n, ss, se, ss, ss + 1);
        check_direction dir = st == CTX_NEGATED && r->flip ? opposite(d) : d;
        if ((st == CTX_NEGATED && r->flip) || (r->status_mask & (1u << st)))
            rules_hit(h, cs, ni, ss, se, dir, r->desc);
        return;
    }
}

void rules_find(const rules_case *cs, const policy_rule *r,
                check_direction d, rules_hits *h)
{
    if (r->incase) {
        int found = 0;
        for (size_t ni = 0; ni < cs->nnotes && !found; ni++)
            found = re_in(r->incase, cs->notes[ni], 0, cs->notes[ni]->len);
        if (!found)
            return;
    }
    for (size_t ni = 0; ni < cs->nnotes; ni++) {
        const note *n = cs->notes[ni];
        size_t ms, me, ts, te, si;
        /* Only the sentences where the finding occurs: one pass over the
         * note instead of one per sentence. */
        for (size_t off = 0; off < n->len && policy_re_find(r->re, n->text,
                         n->len, off, &ms, &me, &ts, &te);) {
            si = note_sentence_at(n, me > ms ? me - 1 : ms);
            if (si == (size_t)-1)
                si = labelled_sentence(n, ms, me);
            size_t hs, he;
            if (header_line(n, ms, &hs, &he)) /* a topic, not a finding */
                find_under_header(cs, r, ni, hs, he, d, h);
            else if (si != (size_t)-1)
                find_in_sentence(cs, r, ni, si, d, h);
            else
                find_in_clause(cs, r, ni, ms, me, d, h);
            if (si != (size_t)-1) {
                size_t next = n->sentences[si].end;
                off = next > me ? next : me;
            } else {
                off = me > off ? me : off + 1;
            }
        }
    }
}

/* ---- code: a code fact in a list ---- */

static int code_system(fact_kind k)
{
    return k == FACT_ICD10 ? POLICY_CODE_ICD10
           : k == FACT_CPT ? POLICY_CODE_CPT
           : k == FACT_HCPCS ? POLICY_CODE_HCPCS
                             : -1;
}

/* A code the notes carry as the patient's or the request's: a request is
 * written as a plan ("If approved: 62350 / 62362 / E0783"), so a
 * hypothetical code counts, and so does a past history's (cerebral palsy
 * stays); a denied one, a relative's, or one listed as resolved or
 * superseded ("Resolved / superseded: G80.1 ... revised to HSP") does
 * not. */
static int code_counts(const note *n, const fact *f)
{
    if (f->status == CTX_HISTORICAL) {
        const note_section *sec = note_section_at(n, f->start);
        return !(sec && sec->kind && strcmp(sec->kind, "resolved_problems") == 0);
    }
    return f->status == CTX_AFFIRMED || f->status == CTX_HYPOTHETICAL;
}

/* The code system of a requested code: a diagnosis is ICD-10-CM; a
 * service is HCPCS when it has that form (E0783), else CPT. */
static int request_system(const check_requested *q)
{
    char key[CODES_CODE_MAX];
    codes_kind k = codes_parse(q->code, key);
    if (k == CODES_NONE)
        return -1;
    if (q->diagnosis)
        return POLICY_CODE_ICD10;
    return k == CODES_HCPCS ? POLICY_CODE_HCPCS
           : k == CODES_CPT ? POLICY_CODE_CPT
                            : -1;
}

static void request_hit(rules_hits *h, const rules_case *cs, size_t k,
                        check_direction dir, const char *rule)
{
    check_evidence e = {CHECK_REQUEST, 0, 0, 0, 0, dir, rule,
                        cs->req_words ? cs->req_words[k] : "request"};
    hits_add(h, &e);
}

/* Codes the request carries: affirmed code facts, as much as a note's. */
static void code_in_request(const rules_case *cs, const policy_rule *r,
                            unsigned systems, check_direction d,
                            rules_hits *h, size_t *first, int *matched)
{
    for (size_t k = 0; k < cs->nreq; k++) {
        int sys = request_system(&cs->req[k]);
        if (sys < 0 || !(systems & (1u << sys)))
            continue;
        int m = r->list ? policy_codes_match(r->list, cs->req[k].code)
                        : policy_code_pattern_match(r->pattern, cs->req[k].code);
        if (*first == (size_t)-1)
            *first = k;
        if (m) {
            *matched = 1;
            if (!r->absent)
                request_hit(h, cs, k, d, r->desc);
        }
    }
}

void rules_code(const rules_case *cs, const policy_rule *r,
                check_direction d, rules_hits *h)
{
    unsigned systems = r->list ? r->list->systems : 7u;
    size_t first_note = 0, first_req = (size_t)-1;
    const fact *first = NULL;
    int matched = 0;
    code_in_request(cs, r, systems, d, h, &first_req, &matched);
    for (size_t ni = 0; ni < cs->nnotes; ni++) {
        const fact_list *fl = &cs->facts[ni];
        for (size_t i = 0; i < fl->n; i++) {
            const fact *f = &fl->v[i];
            int sys = code_system(f->kind);
            if (sys < 0 || !(systems & (1u << sys)) ||
                !code_counts(cs->notes[ni], f))
                continue;
            int m = r->list ? policy_codes_match(r->list, f->value)
                            : policy_code_pattern_match(r->pattern, f->value);
            if (!first) {
                first = f;
                first_note = ni;
            }
            if (m) {
                matched = 1;
                if (!r->absent)
                    rules_hit(h, cs, ni, f->start, f->end, d, r->desc);
            }
        }
    }
    if (r->absent && !matched && first_req != (size_t)-1)
        request_hit(h, cs, first_req, d, r->desc);
    else if (r->absent && first && !matched)
        rules_hit(h, cs, first_note, first->start, first->end, d, r->desc);
}

/* ---- fact: a scale score or an age in range ---- */

/* "gmfcs 4" -> "gmfcs", 4; "mas 1+" -> 1.5. */
static int split_value(const char *v, char *name, size_t sz, double *num)
{
    const char *sp = strrchr(v, ' ');
    if (!sp)
        return -1;
    size_t l = (size_t)(sp - v);
    if (l >= sz)
        return -1;
    memcpy(name, v, l);
    name[l] = '\0';
    char *end;
    *num = strtod(sp + 1, &end);
    if (end == sp + 1)
        return -1;
    if (*end == '+')
        *num += 0.5;
    return 0;
}

static int in_range(const policy_rule *r, double x)
{
    return !((r->has_ge && !(x >= r->ge)) || (r->has_lt && !(x < r->lt)));
}

/* ---- an age from a date of birth ---- */

static int date_parts(const char *iso, int *y, int *m, int *d)
{
    return sscanf(iso, "%4d-%2d-%2d", y, m, d) == 3 ? 0 : -1;
}

/* Whole years from birth to on (both YYYY-MM-DD); -1 when either is not a
 * date or on comes first. */
static int years_between(const char *birth, const char *on)
{
    int by, bm, bd, y, m, d;
    if (date_parts(birth, &by, &bm, &bd) < 0 || date_parts(on, &y, &m, &d) < 0)
        return -1;
    int age = y - by - (m < bm || (m == bm && d < bd));
    return age;
}

/* Is the date fact f labelled as a date of birth ("DOB 06/22/2016", "Date
 * of birth: ...", "born 3/14/2011")? */
static int is_birth_date(const note *n, const fact *f)
{
    static pcre2_code *label;
    if (!label)
        label = rx("(?:\\bd\\.?o\\.?b\\b\\.?|\\bdate\\s+of\\s+birth|\\bbirth\\s*date|"
                   "\\bbirthdate|\\bborn(?:\\s+on)?)\\W{0,4}$");
    size_t lo = f->start > 24 ? f->start - 24 : 0, a, b, c, e;
    for (size_t k = lo; k < f->start; k++)
        if (n->text[k] == '\n')
            lo = k + 1;
    return label && policy_re_find(label, n->text, f->start, lo, &a, &b, &c, &e);
}

/* The age a date of birth in the notes gives on the latest date a note is
 * written on (each note's first other date): -1 when there is none;
 * *birth and *birth_note say where the date of birth stands. */
static int age_from_birth(const rules_case *cs, const fact **birth_out,
                          size_t *birth_note_out)
{
    const fact *birth = NULL;
    size_t birth_note = 0;
    const char *on = NULL;
    for (size_t ni = 0; ni < cs->nnotes; ni++) {
        const fact *first = NULL;
        for (size_t i = 0; i < cs->facts[ni].n; i++) {
            const fact *f = &cs->facts[ni].v[i];
            if (f->kind != FACT_DATE)
                continue;
            if (is_birth_date(cs->notes[ni], f)) {
                if (!birth)
                    birth = f, birth_note = ni;
            } else if (!first) {
                first = f;
            }
        }
        if (first && (!on || strcmp(first->value, on) > 0))
            on = first->value;
    }
    if (!birth || !on)
        return -1;
    int age = years_between(birth->value, on);
    if (age < 0 || age > 120)
        return -1;
    *birth_out = birth;
    *birth_note_out = birth_note;
    return age;
}

/* The patient's age is the highest one the notes state: an older note of
 * the case may give the age at that time. */
static void age_fact(const rules_case *cs, const policy_rule *r,
                     check_direction d, rules_hits *h)
{
    const fact *best = NULL;
    size_t best_note = 0;
    double best_age = -1;
    for (size_t ni = 0; ni < cs->nnotes; ni++)
        for (size_t i = 0; i < cs->facts[ni].n; i++) {
            const fact *f = &cs->facts[ni].v[i];
            char name[FACT_VALUE_MAX];
            double x;
            if (f->kind == FACT_AGE && (r->status_mask & (1u << f->status)) &&
                split_value(f->value, name, sizeof name, &x) == 0 &&
                x > best_age) {
                best = f;
                best_note = ni;
                best_age = x;
            }
        }
    /* A date of birth gives the age now, which an older note's stated age
     * ("13-year-old" in last year's letter) may be short of. */
    const fact *birth = NULL;
    size_t birth_note = 0;
    int derived = age_from_birth(cs, &birth, &birth_note);
    if (derived >= 0 && derived > best_age) {
        if (in_range(r, derived))
            rules_hit(h, cs, birth_note, birth->start, birth->end, d,
                      "the age from the date of birth and the latest note's date");
        return;
    }
    if (best && in_range(r, best_age))
        rules_hit(h, cs, best_note, best->start, best->end, d, r->desc);
}

void rules_fact(const rules_case *cs, const policy_rule *r,
                check_direction d, rules_hits *h)
{
    if (r->fkind == FACT_AGE) {
        age_fact(cs, r, d, h);
        return;
    }
    for (size_t ni = 0; ni < cs->nnotes; ni++) {
        const fact_list *fl = &cs->facts[ni];
        for (size_t i = 0; i < fl->n; i++) {
            const fact *f = &fl->v[i];
            char name[FACT_VALUE_MAX];
            double x;
            if (f->kind != r->fkind || !(r->status_mask & (1u << f->status)) ||
                split_value(f->value, name, sizeof name, &x) < 0)
                continue;
            if (r->name && strcmp(name, r->name) != 0)
                continue;
            if (!in_range(r, x))
                continue;
            rules_hit(h, cs, ni, f->start, f->end, d, r->desc);
        }
    }
}

/* ---- drop: a change on a scale across a trial ---- */

/* Does every top-level alternative of pat start with \\G? */
static int anchored_at_g(const char *pat)
{
    int depth = 0, cls = 0;
    if (strncmp(pat, "\\G", 2) != 0)
        return 0;
    for (const char *p = pat; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            continue;
        }
        if (cls) {
            cls = *p != ']';
            continue;
        }
        if (*p == '[')
            cls = 1;
        else if (*p == '(')
            depth++;
        else if (*p == ')')
            depth--;
        else if (*p == '|' && depth == 0 && strncmp(p + 1, "\\G", 2) != 0)
            return 0;
    }
    return 1;
}

static pcre2_code *rx(const char *pat)
{
    int ec;
    PCRE2_SIZE eo;
    /* A pattern that starts at \\G is tried where the search starts and
     * nowhere else, not at every later offset of a long line. */
    uint32_t anchored = anchored_at_g(pat) ? PCRE2_ANCHORED : 0;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                                   PCRE2_CASELESS | PCRE2_UTF |
                                       PCRE2_MATCH_INVALID_UTF | anchored,
                                   &ec, &eo, NULL);
    /* Not JIT-compiled here: policy_re_find compiles a pattern when a
     * subject is long enough to repay it. */
    return re;
}

/* How the notes write scores; compiled once. */
static struct {
    pcre2_code *stated_pts, *stated_pct, *pair, *noise, *num, *score10;
    pcre2_code *pre, *post, *later, *timed, *when;
    pcre2_code *scale[6];
} P;
static const char *scale_names[6] = {"ashworth", "mas", "spasm", "penn",
                                     "dystonia", "pain"};
static const char *scale_res[6] = {
    "ashworth|\\bMAS\\b|\\btone\\b|hamstrings?|adductors?|gastroc\\w*|quadriceps|"
    "(?:elbow|hip|knee|wrist|finger) (?:flexors?|extensors?)|plantar ?flexors?|muscle",
    "modified ashworth|\\bMAS\\b",
    "spasm",
    "\\bpenn\\b",
    "dyston\\w*|BFMDRS|Barry[- ]Albright|\\bBADS\\b|\\bUDRS\\b|Fahn",
    "\\bpain\\b|\\bNRS\\b|\\bVAS\\b|numeric rating"};

static void patterns_init(void)
{
    if (P.pair)
        return;
    /* NUM: a score written in digits or words. */
#define NUM "\\d+(?:\\.\\d+)?|zero|half|one|two|three|four"
    P.stated_pts = rx(
        "(?:(?:average|mean|avg\\.?)\\s+(?:of\\s+)?(?:an?\\s+|only\\s+)?"
        "(?<a>" NUM ")[- ]?(?:point|pt)s?"
        "(?:\\s+(?:drop|decrease|reduction|improvement|change|fall|decline))?"
        "|(?:average|mean)\\s+(?:of\\s+(?:the\\s+)?)?"
        "(?:(?:best|peak|maximum|max\\.?|largest|greatest)\\s+)?"
        "(?:drop|decrease|reduction|improvement|change|fall)s?"
        "\\s*(?:of\\s+|was\\s+|=\\s*|:\\s*)?(?<b>" NUM ")(?!\\.?\\d|\\s*%)\\s*(?:-\\s*)?(?:points?|pts?)?"
        "|(?:drop\\w*|decreas\\w*|reduc\\w*|improv\\w*|fell|fall|declin\\w*)"
        "\\s+(?:of|by)\\s+(?:an?\\s+)?(?:(?:average|mean)\\s+(?:of\\s+)?)?"
        "(?<c>" NUM ")\\s*(?:-\\s*)?(?:points?|pts?)"
        "|(?<d>" NUM ")[- ]point\\s+"
        "(?:drop|decrease|reduction|improvement|fall|decline)"
        /* "Drops at 13:00: Penn 3, SFS 3, hip 2/2 (average 2.5)" */
        "|\\b(?:drops?|decreases?|reductions?|improvements?|changes?)\\b[^.\\n]{0,80}?"
        "\\(\\s*(?:average|mean|avg\\.?)\\s*(?:of\\s+|=\\s*|:\\s*)?(?<e>" NUM ")"
        "\\s*(?:points?|pts?)?\\s*\\))");
    P.stated_pct = rx(
        "(?<cmp>greater than|more than|over|>|less than|under|<)?\\s*"
        "(?<![/\\d.])(?<v>\\d+(?:\\.\\d+)?)\\s*%\\s*(?:\\w+\\s+){0,2}?"
        "(?:reduction|decrease|relief|improvement|drop|decline|less pain|lower)"
        "|(?:reduction|decrease|relief|improvement|drop)\\s+(?:in\\s+(?:the\\s+)?pain"
        "(?:\\s+score)?\\s+)?(?:(?:from|over|vs\\.?|versus)\\s+(?:the\\s+)?(?:baseline|pre\\S*)\\s*)?"
        "(?:of|by|was|:|=)?\\s*(?:about\\s+|approximately\\s+|~|"
        "nearly\\s+)?(?<w>\\d+(?:\\.\\d+)?)\\s*%");
#undef NUM
    /* "4 -> 2", "3 to 1+", and as dictated: "four going to two" */
    P.pair = rx("(?<![\\d/]|\\d\\.)(?<x>\\d+(?:\\.\\d+)?\\+?|\\b(?:zero|one|two|three|four|five)\\b)"
                "\\s*(?:->|-->|=>|→|⇒|>|(?:(?:going|went|dropping|dropped|fell|falling|coming|came|"
                "down|improving|improved)\\s+(?:down\\s+)?)?\\bto\\b)"
                "\\s*(?<y>\\d+(?:\\.\\d+)?\\+?|\\b(?:zero|one|two|three|four|five)\\b)(?![\\d/]|\\.\\d)(?!\\s*(?:h\\b|hr|hour|min|"
                "mcg|mg|ml|%|days?\\b|weeks?\\b|months?\\b|years?\\b|y\\b|am\\b|pm\\b|"
                "-year|yo\\b))");
    /* Numbers that are not scores: dates, times, doses, ages, ranges,
     * percentages, levels such as L4 or T10. */
    P.noise = rx("\\b\\d{1,4}[/-]\\d{1,2}[/-]\\d{2,4}\\b|\\b\\d{1,2}:\\d{2}\\b"
                 "|\\b(?:at|after|by|in|over)\\s+\\d+(?:\\s*(?:,|and|or|&)\\s*\\d+)+\\s*(?:h|hrs?|hours?|min\\w*)\\b"
                 "|\\b\\d+(?:\\.\\d+)?\\h*(?:m|meters?|metres?|feet|ft|yards?|km|steps|beats?|"
                 "episodes?|times|assists?|people|persons?)\\b"
                 "|\\b\\d+(?:/\\d+)+\\s*(?:h|hrs?|hours?)\\b"
                 "|\\b\\d+(?:\\.\\d+)?\\h*(?:h\\b|hrs?\\b|hours?|min\\w*|mcg|mg|ml|"
                 "ug|µg|units?|%|days?|weeks?|months?|years?|yrs?|y/o|yo\\b|-year)"
                 "|\\b[A-Za-z]+\\d+(?:\\.\\d+)?\\w*|\\d+\\+?\\s*-\\s*\\d+\\+?|\\d+\\s*/\\s*10\\b"
                 "|\\b\\d{3,}\\b|#\\d+|\\bx\\s*\\d+|\\b(?:hour|hr|h|day|minute|min)\\h*\\d+\\b");
    P.num = rx("(?<![\\w]|\\d\\.)\\d+(?:\\.\\d+)?\\+?(?![\\w]|\\.\\d)");
    P.score10 = rx("(?<![\\d./])(?<v>\\d+(?:\\.\\d+)?)\\s*/\\s*10\\b(?!\\s*/\\s*\\d)");
    /* A line that is one time point of several muscles ("Pre: MAS 4
     * (knees), 3 (hips)" then "Post 4 h: MAS 2, 2"). */
    P.pre = rx("\\G\\W*(?:\\d{1,2}:\\d{2}\\W*)?(?:pre\\b|pre-?(?:bolus|injection|trial|dose)|baseline|before|prior)");
    P.later = rx("\\bpost\\b|\\bafter\\b|\\b\\d+\\s*(?:h|hrs?|hours?|min\\w*)\\b|"
                 "\\b(?:hour|hr)\\s*\\d|\\bpeak\\b");
    P.post = rx("\\G\\W*(?:\\d{1,2}:\\d{2}\\W*)?(?:post\\b|post-?(?:bolus|injection|trial|dose)|after|at\\s+\\d|\\d+\\s*(?:h|hr|hours?)\\b|(?:hour|hr)\\s*\\d|peak)");
    /* A time point and its score: "baseline 7", "2 h 4", "4 h: 2". */
    P.timed = rx("\\b(?:baseline|pre(?:-?(?:trial|injection|bolus|dose))?|before|"
                 "\\d+\\s*(?:h|hrs?|hours?|min\\w*)|post(?:-?(?:trial|injection|bolus|dose))?|peak)"
                 "\\s*[:=]?\\s*(?<v>\\d+(?:\\.\\d+)?)(?![\\d.]|\\s*/\\s*\\d|\\s*(?:h\\b|hrs?|hours?|min))");
    /* Words that make the scores of a prose line a series over time. */
    P.when = rx("\\b(?:baseline|before|pre|post|after|peak|then|to|day\\s*\\d+|"
                "\\d+\\s*(?:h|hrs?|hours?|min\\w*))\\b|pre-?(?:bolus|injection|trial|dose)|"
                "->|\\x{2192}");
    for (int i = 0; i < 6; i++)
        P.scale[i] = rx(scale_res[i]);
}

static double word_num(const char *s, size_t l)
{
    static const char *w[] = {"zero", "half", "one", "two", "three", "four", "five"};
    static const double v[] = {0, 0.5, 1, 2, 3, 4, 5};
    for (int i = 0; i < 7; i++)
        if (strlen(w[i]) == l && strncasecmp(s, w[i], l) == 0)
            return v[i];
    double x = strtod(s, NULL);
    return memchr(s, '+', l) ? x + 0.5 : x;
}

/* Group span of name in the last match, or 0. */
static int group(const pcre2_code *re, const char *s, size_t len, size_t off,
                 const char *name, size_t *gs, size_t *ge, size_t *me)
{
    static pcre2_match_data *md;
    if (!md && !(md = pcre2_match_data_create(32, NULL)))
        return 0;
    int rc = pcre2_match(re, (PCRE2_SPTR)s, len, off, 0, md, NULL);
    int ok = 0;
    if (rc > 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        *me = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
        int g = pcre2_substring_number_from_name(re, (PCRE2_SPTR)name);
        if (g > 0 && g < rc && ov[2 * g] != PCRE2_UNSET) {
            *gs = ov[2 * g];
            *ge = ov[2 * g + 1];
            ok = 1;
        } else {
            *gs = *ge = ov[0];
            ok = 2; /* matched, group unset */
        }
    }
    return ok;
}

/* Drops are kept per kind of scale (tone, spasm, dystonia): "an average
 * two-point drop on a tone or spasm scale" is judged on each scale, not
 * on a mixture of them. */
enum { GROUP_TONE, GROUP_SPASM, GROUP_DYSTONIA, NGROUPS };

typedef struct {
    double sum[NGROUPS], stated, first, least, pre, post;
    int n[NGROUPS], has_stated, nseries, has_pre, has_post;
    size_t ni, s, e, evn;
    int has_ev;
} drop_acc;

struct drop_memo {
    char *key;
    drop_acc acc;
    drop_memo *next;
};

static void drop_memo_free(drop_memo *d)
{
    while (d) {
        drop_memo *next = d->next;
        free(d->key);
        free(d);
        d = next;
    }
}

static const drop_acc *drop_memo_find(const rules_memo *m, const char *key)
{
    for (const drop_memo *d = m && key ? m->drops : NULL; d; d = d->next)
        if (strcmp(d->key, key) == 0)
            return &d->acc;
    return NULL;
}

static void drop_memo_add(rules_memo *m, const char *key, const drop_acc *a)
{
    drop_memo *d = m && key ? malloc(sizeof *d) : NULL;
    if (!d)
        return;
    if (!(d->key = strdup(key))) {
        free(d);
        return;
    }
    d->acc = *a;
    d->next = m->drops;
    m->drops = d;
}

static void acc_ev(drop_acc *a, size_t ni, size_t s, size_t e)
{
    if (a->has_stated && a->evn)
        return; /* the stated line stays the evidence */
    a->ni = ni;
    a->s = s;
    a->e = e;
    a->has_ev = 1;
    a->evn++;
}

static int scale_in(const policy_rule *r, const note *n, size_t s, size_t e)
{
    for (int i = 0; i < 6; i++)
        if (strstr(r->scales, scale_names[i]) && re_in(P.scale[i], n, s, e))
            return 1;
    return 0;
}

/* How far above a score line the trial may be told. */
#define CONTEXT_LINES 15

/* Whether line li is a row of a table whose header row, the first line of
 * its block, names time points: "Muscle group  Baseline  2 h  4 h  6 h". */
/* The first line of the block of lines holding line li (a table's header
 * row): 0 when li is that line itself. */
static int table_head(const note *n, size_t li, size_t *s, size_t *e)
{
    size_t k = li;
    while (k > 0) {
        line_span(n, k - 1, s, e);
        if (*e <= *s)
            break;
        k--;
    }
    if (k == li)
        return 0; /* the header row itself, or no table */
    line_span(n, k, s, e);
    return 1;
}

/* A table's header row over time: a baseline, then hours or after. */
static int timed_head(const note *n, size_t s, size_t e)
{
    static pcre2_code *head;
    if (!head)
        head = rx("\\b(?:baseline|pre(?:-?(?:bolus|injection|dose))?|before)\\b"
                  "[^\\n]*\\b(?:\\d+\\s*(?:h|hrs?|hours?|min)\\b|post|after|peak)");
    return head && re_in(head, n, s, e);
}

/* Whether line li is a row of a table over time: its block's first line,
 * or a line of the block above it ("Pain (NRS):" over " Time  Pre  1h"
 * over " NRS   8    7"), is the header row; [*s, *e) is that row. */
static int timed_head_above(const note *n, size_t li, size_t *s, size_t *e)
{
    for (size_t k = li; k > 0 && li - k < 10; k--) {
        line_span(n, k - 1, s, e);
        if (*e <= *s)
            break;
        if (timed_head(n, *s, *e))
            return 1;
    }
    return 0;
}

static int timed_table(const note *n, size_t li)
{
    size_t s, e;
    return timed_head_above(n, li, &s, &e);
}

/* Whether the header row of the table holding line li ends in a column of
 * differences ("Muscle  Pre  2 h  4 h  Best drop"). */
static int last_column_is_drop(const note *n, size_t li)
{
    static pcre2_code *head;
    if (!head)
        head = rx("\\b(?:(?:best|max(?:imum)?|peak|total|net)\\s+)?"
                  "(?:drop|change|diff(?:erence)?|delta|improvement|reduction|decrease|"
                  "\\x{0394})\\W*$");
    size_t s, e;
    /* The header row over time nearest above the line ("Results" and a
     * rule of dashes may stand above it in the block), else the block's
     * first line. */
    if (!timed_head_above(n, li, &s, &e) && !table_head(n, li, &s, &e))
        return 0;
    while (e > s && isspace((unsigned char)n->text[e - 1]))
        e--;
    return head && re_in(head, n, s, e);
}

/* In the trial's context and about the scale: the line itself, the two
 * lines above it (a table's header row), or the header governing it. */
static int line_relevant(const policy_rule *r, const note *n, size_t li,
                         int need_scale)
{
    size_t s, e, hs, he;
    int ctx = 0, scale = !need_scale;
    /* Up the block (a table, a list) to its first line or a blank one. */
    for (size_t k = 0; k <= 10 && k <= li; k++) {
        line_span(n, li - k, &s, &e);
        if (k && e <= s)
            break;
        ctx = ctx || re_in(r->context, n, s, e);
        scale = scale || scale_in(r, n, s, e);
    }
    if (li + 1 < n->nlines) { /* "These scores were after the bolus." */
        line_span(n, li + 1, &s, &e);
        ctx = ctx || re_in(r->context, n, s, e);
    }
    /* A flowsheet's baseline comes before the procedure it is the
     * baseline of ("07:50 Baseline tone: ..." then "08:05 LP, 50 mcg
     * baclofen injected"): a line that names a time point looks down its
     * block too. */
    line_span(n, li, &s, &e);
    if (!ctx && re_in(P.pre, n, s, e)) {
        for (size_t k = 1; k <= CONTEXT_LINES && li + k < n->nlines && !ctx; k++) {
            size_t ks, ke;
            line_span(n, li + k, &ks, &ke);
            if (ke <= ks)
                break;
            ctx = re_in(r->context, n, ks, ke);
        }
    }
    /* A table over time (its header row names a baseline and hours) under
     * the procedure told just above it, past a blank line ("baclofen 50
     * mcg injected by lumbar puncture at 08:05" over the scores). */
    if (!ctx && timed_table(n, li)) {
        size_t up = li > CONTEXT_LINES ? li - CONTEXT_LINES : 0, us, ue;
        line_span(n, up, &us, &ue);
        line_span(n, li, &s, &e);
        ctx = re_in(r->context, n, us, s);
    }
    line_span(n, li, &s, &e);
    if (header_of(n, s, &hs, &he)) {
        ctx = ctx || re_in(r->context, n, hs, he);
        scale = scale || scale_in(r, n, hs, he);
    }
    /* A note whose heading names the trial ("ITB SCREENING BOLUS -
     * NURSING/PT FLOWSHEET") is about it throughout, and one whose heading
     * names the scale ("PAIN CENTER - TRIAL FLOWSHEET") scores on it. */
    if (title_of(n, &hs, &he)) {
        ctx = ctx || re_in(r->context, n, hs, he);
        scale = scale || scale_in(r, n, hs, he);
    }
    return ctx && scale;
}

/* The kind of scale named last before off on the line (ashworth, mas,
 * tone -> tone; spasm, penn -> spasm; dystonia scales), else tone. */
static int group_at(const note *n, size_t s, size_t off)
{
    static const int map[6] = {GROUP_TONE, GROUP_TONE, GROUP_SPASM,
                               GROUP_SPASM, GROUP_DYSTONIA, GROUP_TONE};
    int g = GROUP_TONE;
    size_t best = 0, ms, me, ts, te;
    int found = 0;
    for (int i = 0; i < 5; i++) {
        for (size_t o = s; o < off && policy_re_find(P.scale[i], n->text, off,
                                                     o, &ms, &me, &ts, &te);) {
            if (!found || ms >= best) {
                best = ms;
                g = map[i];
                found = 1;
            }
            o = me > o ? me : o + 1;
        }
    }
    return g;
}

static void add_drop(drop_acc *a, int g, double d)
{
    a->sum[g] += d;
    a->n[g]++;
}

static void series_push(drop_acc *a, double v)
{
    if (a->nseries == 0)
        a->first = v;
    else if (a->nseries == 1 || v < a->least)
        a->least = v;
    a->nseries++;
}

/* Column of the first non-blank character of line li, or -1 for a blank
 * line. */
static int indent_of(const note *n, size_t li)
{
    size_t s, e;
    line_span(n, li, &s, &e);
    for (size_t i = s; i < e; i++)
        if (n->text[i] != ' ' && n->text[i] != '\t')
            return (int)(i - s);
    return -1;
}

/* How many lines after li continue its entry: lines indented deeper than
 * it, as a flowsheet or a list wraps an entry, up to one that names a time
 * point of its own (a table's row under its heading: "  2 h   5"). */
static size_t entry_lines(const note *n, size_t li)
{
    int base = indent_of(n, li);
    size_t k = 0, hs, he;
    line_span(n, li, &hs, &he);
    int digits = 0;
    for (size_t i = hs; i < he; i++)
        digits += isdigit((unsigned char)n->text[i]) != 0;
    if (!digits && is_header(n, hs, he))
        return 0; /* rows under a heading ("Burke-Fahn-Marsden (movement):"),
                   * not an entry wrapped ("09:10 Baseline tone, both sides:") */
    while (base >= 0 && li + k + 1 < n->nlines && k < 4) {
        int in = indent_of(n, li + k + 1);
        if (in <= base)
            break;
        size_t s, e;
        line_span(n, li + k + 1, &s, &e);
        if (re_in(P.pre, n, s, e) || re_in(P.post, n, s, e) || timed_head(n, s, e))
            break; /* a time point, or a table's header row */
        k++;
    }
    return k;
}

/* A copy of text[s,e) with the noise (times, doses, dates) blanked out,
 * so that the numbers left are scores.  Free it; NULL without memory. */
static char *quiet_row(const note *n, size_t s, size_t e)
{
    size_t len = e - s;
    char *buf = malloc(len + 1);
    if (!buf)
        return NULL;
    memcpy(buf, n->text + s, len);
    buf[len] = '\0';
    size_t off = 0, a, b, c, d;
    while (off < len && policy_re_find(P.noise, buf, len, off, &a, &b, &c, &d)) {
        memset(buf + a, ' ', b - a);
        off = b > off ? b : off + 1;
    }
    return buf;
}

/* Scores in a row. */
static int row_numbers(const note *n, size_t s, size_t e, double *v, int max)
{
    size_t len = e - s, off, a, b, c, d;
    char *buf = quiet_row(n, s, e);
    if (!buf)
        return 0;
    int k = 0;
    off = 0;
    while (k < max && off < len &&
           policy_re_find(P.num, buf, len, off, &a, &b, &c, &d)) {
        v[k++] = word_num(buf + a, b - a);
        off = b > off ? b : off + 1;
    }
    free(buf);
    return k;
}

/* Whether the sentence holding [ms, me) says it as a condition or an
 * expectation: "if the trial is positive - an average two-point drop -
 * we will proceed" states no result. */
static int said_as_hypothesis(const rules_case *cs, const note *n, size_t ms,
                              size_t me)
{
    size_t si = note_sentence_at(n, ms);
    if (si == (size_t)-1)
        return 0;
    return classify(cs, n, labelled_start(n, si), n->sentences[si].end, ms,
                    me) == CTX_HYPOTHETICAL;
}

/* The mean of the scores in text[s, e) that are at most maxv; 0 scores:
 * -1. */
static double mean_scores(const note *n, size_t s, size_t e, double maxv, int *count)
{
    double v[16], sum = 0;
    int k = row_numbers(n, s, e, v, 16);
    for (int i = 0; i < k; i++) {
        if (v[i] > maxv)
            return -1;
        sum += v[i];
    }
    *count = k;
    return k ? sum / k : -1;
}

/* Scores after the trial with the baseline in brackets: "Ashworth at 4h:
 * hip add 2/2, knee ext 1/2, PF 1/1 (baseline 4/4, 4/4, 3/4)". */
static int bracketed_baseline(const policy_rule *r, const note *n, size_t ni,
                              size_t s, size_t e, double maxv, drop_acc *a)
{
    if (!memchr(n->text + s, '(', e - s))
        return 0;
    static pcre2_code *base;
    if (!base && !(base = rx("\\(\\s*(?:at\\s+)?(?:baseline|pre(?:-?(?:bolus|injection|dose|trial))?"
                             "|before(?:\\s+the\\s+\\w+)?)\\b\\s*[:=]?(?<b>[^()]{1,80})\\)")))
        return 0;
    size_t ps, pe, bs, be, me, ms_, ts, te;
    if (group(base, n->text, e, s, "b", &bs, &be, &me) != 1)
        return 0;
    ps = bs;
    while (ps > s && n->text[ps - 1] != '(')
        ps--;
    pe = me;
    /* the scores after the scale's name and its time point's colon, in
     * the sentence, which may have begun on a line above */
    size_t si = note_sentence_at(n, bs);
    size_t from = si != (size_t)-1 && n->sentences[si].start < s ? n->sentences[si].start : s;
    size_t first = (size_t)-1;
    for (int i = 0; i < 6; i++) {
        size_t x, y;
        if (strstr(r->scales, scale_names[i]) &&
            policy_re_find(P.scale[i], n->text, ps, from, &x, &y, &ts, &te) && y < first)
            first = y;
    }
    if (first == (size_t)-1)
        return 0;
    const char *colon = memchr(n->text + first, ':', ps - first < 20 ? ps - first : 20);
    if (!colon)
        return 0;
    ms_ = (size_t)(colon - n->text) + 1;
    int kpost = 0, kpre = 0;
    double post = mean_scores(n, ms_, ps - 1, maxv, &kpost),
           pre = mean_scores(n, bs, be, maxv, &kpre);
    if (post < 0 || pre < 0 || kpost < 1 || kpre < 1)
        return 0;
    a->pre = pre;
    a->post = post;
    a->has_pre = a->has_post = 1;
    a->has_ev = 0;
    acc_ev(a, ni, from, pe);
    return 1;
}

/* A table whose header row names the scale over one column ("day  dose
 * BADS (blinded video)" over "1   75 mcg/d   24"): the score of row
 * [s, e) is the number under that name.  Returns 1 and sets *v. */
static int scale_column(const policy_rule *r, const note *n, size_t s, size_t e,
                        double maxv, double *v)
{
    size_t p0 = s;
    while (p0 < e && n->text[p0] == ' ')
        p0++;
    int columns = 0;
    for (size_t q = p0; q + 1 < e && !columns; q++)
        columns = (n->text[q] == ' ' && n->text[q + 1] == ' ') || n->text[q] == '\t';
    if (!columns)
        return 0; /* not a row of columns: the common case, cheaply */
    size_t li = note_line_at(n, s) - 1;
    for (size_t k = li, up = 0; k > 0 && up < 10; k--, up++) {
        size_t hs, he, x, y, ts, te;
        line_span(n, k - 1, &hs, &he);
        if (he <= hs)
            return 0;
        int gaps = 0;
        for (size_t i = hs; i + 1 < he; i++)
            gaps += n->text[i] == ' ' && n->text[i + 1] == ' ' &&
                    (i + 2 >= he || n->text[i + 2] != ' ');
        if (gaps < 2)
            continue; /* not a header row of columns */
        for (int i = 0; i < 6; i++) {
            if (!strstr(r->scales, scale_names[i]) ||
                !policy_re_find(P.scale[i], n->text, he, hs, &x, &y, &ts, &te))
                continue;
            /* the header's line must not itself hold the row's scores */
            size_t col = x - hs, best = (size_t)-1, bs = 0, be = 0;
            for (size_t off = s; off < e;) {
                size_t ms, me, mts, mte;
                if (!policy_re_find(P.num, n->text, e, off, &ms, &me, &mts, &mte))
                    break;
                size_t c = ms - s, d = c > col ? c - col : col - c;
                if (d < best)
                    best = d, bs = ms, be = me;
                off = me > off ? me : off + 1;
            }
            if (best > 6)
                return 0;
            /* a dose or a rate in that column is no score */
            if (be < e && strchr("mu", tolower((unsigned char)n->text[be + (n->text[be] == ' ')])))
                return 0;
            *v = word_num(n->text + bs, be - bs);
            return *v <= (i == 4 ? 150 : maxv); /* dystonia scales run high */
        }
        /* a row above: look further up for the header */
    }
    return 0;
}

/* Whether text[s,e) is laid out in columns: a tab or a run of two blanks
 * after its first word. */
static int column_gaps(const note *n, size_t s, size_t e)
{
    while (s < e && isspace((unsigned char)n->text[s]))
        s++;
    for (size_t i = s; i + 1 < e; i++)
        if (n->text[i] == '\t' || (n->text[i] == ' ' && n->text[i + 1] == ' '))
            return 1;
    return 0;
}

static void drop_points_line(const rules_case *cs, const policy_rule *r,
                             const note *n, size_t ni, size_t s, size_t e,
                             drop_acc *a)
{
    size_t gs, ge, me, off;
    /* dystonia scales run high; a table's rows take theirs from its
     * header ("Burke-Fahn-Marsden (movement):" over "Day 3   52") */
    size_t hs, he;
    double maxv = re_in(P.scale[4], n, s, e) ||
                          (header_of(n, s, &hs, &he) && re_in(P.scale[4], n, hs, he))
                      ? 150 : 5;
    int st = group(P.stated_pts, n->text, e, s, "a", &gs, &ge, &me);
    static const char *alt[] = {"b", "c", "d", "e"};
    for (int i = 0; st == 2 && i < 4; i++)
        st = group(P.stated_pts, n->text, e, s, alt[i], &gs, &ge, &me);
    if (st == 1 && said_as_hypothesis(cs, n, gs, ge))
        return;
    if (st == 1) {
        /* Of drops stated more than once, the best: a trial repeated at a
         * higher dose ("weak response (mean drop 0.5). Repeat at higher
         * dose." then "positive -- mean drop 2.0") is judged by its best
         * session, as a trial is by its peak. */
        double v = word_num(n->text + gs, ge - gs);
        if (!a->has_stated || v > a->stated) {
            a->stated = v;
            a->has_stated = 1;
            a->evn = 0;
            acc_ev(a, ni, gs, ge); /* the sentence that states it */
        }
        return;
    }
    if (!a->has_pre && bracketed_baseline(r, n, ni, s, e, maxv, a))
        return;
    double cv;
    if (scale_column(r, n, s, e, maxv, &cv)) {
        series_push(a, cv);
        acc_ev(a, ni, s, e);
        return;
    }
    /* Pairs, and chains of them ("4 -> 3 -> 2"): a chain is one muscle
     * over time, its drop the first score less the lowest. */
    int pairs = 0, chain = 0, grp = GROUP_TONE;
    double first = 0, low = 0;
    size_t chain_end = (size_t)-1;
    for (off = s; off < e;) {
        size_t xs, xe, ys, ye;
        if (group(P.pair, n->text, e, off, "x", &xs, &xe, &me) != 1 ||
            group(P.pair, n->text, e, off, "y", &ys, &ye, &me) != 1)
            break;
        double x = word_num(n->text + xs, xe - xs),
               y = word_num(n->text + ys, ye - ys);
        if (x <= maxv && y <= maxv) {
            if (chain && xs == chain_end) {
                low = y < low ? y : low;
            } else {
                if (chain)
                    add_drop(a, grp, first - low);
                chain = 1;
                first = x;
                low = y;
                grp = group_at(n, s, xs);
            }
            chain_end = ys;
            pairs++;
        }
        off = ys; /* the second score may start the next pair */
    }
    if (chain)
        add_drop(a, grp, first - low);
    if (!pairs) {
        double v[16];
        size_t upto = e;
        if (last_column_is_drop(n, note_line_at(n, s) - 1)) {
            /* "Pre  2 h  4 h  Best drop": the last column is no score */
            size_t x = e;
            while (x > s && isspace((unsigned char)n->text[x - 1]))
                x--;
            while (x > s + 1 && !(n->text[x - 1] == ' ' && n->text[x - 2] == ' ') &&
                   n->text[x - 1] != '\t')
                x--;
            if (x > s + 1)
                upto = x;
        }
        int k = row_numbers(n, s, upto, v, 16), in = 0;
        for (int i = 0; i < k; i++)
            in += v[i] <= maxv;
        size_t ps, pe, pts, pte;
        int pre = policy_re_find(P.pre, n->text, e, s, &ps, &pe, &pts, &pte);
        /* "baseline 3.7; 2 h 2.5; 4 h 1.3": time points after the first
         * make the line a series over time, not one time point. */
        if (pre && re_in(P.later, n, pe, e))
            pre = 0;
        int post = !pre && re_in(P.post, n, s, e);
        if ((pre || post) && k >= 1 && in == k) {
            double mean = 0;
            for (int i = 0; i < k; i++)
                mean += v[i] / k;
            /* the evidence: the time point the drop is measured at (the
             * lowest after the trial), else the baseline */
            if (pre && !a->has_pre) {
                a->pre = mean;
                a->has_pre = 1;
                if (!a->has_post)
                    acc_ev(a, ni, s, e);
            } else if (post && (!a->has_post || mean < a->post)) {
                a->post = mean;
                a->has_post = 1;
                a->has_ev = 0;
                acc_ev(a, ni, s, e);
            }
            return;
        }
        if (k >= 2 && in == k && (column_gaps(n, s, upto) || re_in(P.when, n, s, upto))) {
            /* a row of columns ("Ashworth  4  3  2") or a line that names
             * time points ("4 at baseline, 2 at 4 hours") is a series;
             * other prose ("MAS hip flexors 3, knee extensors 4, elbow 2")
             * lists muscles */
            double least = v[1];
            for (int i = 2; i < k; i++)
                least = v[i] < least ? v[i] : least;
            add_drop(a, group_at(n, s, e), v[0] - least);
            pairs = 1;
        } else if (k == 1 && in == 1) {
            series_push(a, v[0]);
            pairs = 1;
        }
    }
    if (pairs)
        acc_ev(a, ni, s, e);
}

/* In an aligned table whose heading row names the pain scale over one
 * column ("Time  VAS pain (0-10)  RR  SpO2"), the number of the row at
 * [s,e) that stands under it. */
static int column_value(const note *n, size_t s, size_t e, double *out)
{
    size_t li = note_line_at(n, s) - 1, k = li, hs, he;
    while (k > 0) { /* the block's first line is its heading row */
        size_t ps, pe;
        line_span(n, k - 1, &ps, &pe);
        if (pe <= ps)
            break;
        k--;
    }
    if (k == li)
        return 0;
    line_span(n, k, &hs, &he);
    size_t ms, me, ts, te;
    if (!policy_re_find(P.scale[5], n->text, he, hs, &ms, &me, &ts, &te))
        return 0;
    long col = (long)(ms - hs);
    size_t len = e - s, off, a, b, c, d;
    char *buf = quiet_row(n, s, e);
    if (!buf)
        return 0;
    long best = 7; /* at most this many columns off */
    int found = 0;
    for (off = 0; off < len && policy_re_find(P.num, buf, len, off, &a, &b, &c, &d);) {
        long dist = labs((long)a - col);
        if (dist < best) {
            best = dist;
            *out = word_num(buf + a, b - a);
            found = 1;
        }
        off = b > off ? b : off + 1;
    }
    free(buf);
    return found;
}

static void drop_percent_line(const rules_case *c, const policy_rule *r,
                              const note *n, size_t ni, size_t s, size_t e,
                              drop_acc *a)
{
    size_t gs, ge, me, cs, ce;
    if (!a->has_stated) {
        int st = group(P.stated_pct, n->text, e, s, "v", &gs, &ge, &me);
        if (st == 2)
            st = group(P.stated_pct, n->text, e, s, "w", &gs, &ge, &me);
        if (st == 1 && said_as_hypothesis(c, n, gs, ge))
            return;
        if (st == 1) {
            a->stated = strtod(n->text + gs, NULL);
            if (group(P.stated_pct, n->text, e, s, "cmp", &cs, &ce, &me) == 1)
                a->stated += strchr("gmo>", tolower((unsigned char)n->text[cs]))
                                 ? 0.5 : -0.5;
            a->has_stated = 1;
            a->evn = 0;
            acc_ev(a, ni, gs, ge); /* the sentence that states it */
            return;
        }
    }
    int found = 0;
    /* A series on one line: "pain NRS baseline 7; 2 h 4; 4 h 2; 24 h 6". */
    int npts = 0;
    double first = 0, low = 0;
    for (size_t off = s; off < e;) {
        if (group(P.timed, n->text, e, off, "v", &gs, &ge, &me) != 1)
            break;
        double v = strtod(n->text + gs, NULL);
        if (v <= 10) {
            if (!npts)
                first = v, low = v;
            else if (v < low)
                low = v;
            npts++;
        }
        off = me;
    }
    if (npts >= 3 && scale_in(r, n, s, e)) {
        series_push(a, first);
        series_push(a, low);
        acc_ev(a, ni, s, e);
        return;
    }
    /* A row of a table over time: "Time  Pre  1h  2h  4h" over
     * "NRS   8    7   6   5". */
    double rv[16];
    int rk = row_numbers(n, s, e, rv, 16);
    if (rk >= 3 && scale_in(r, n, s, e) && timed_table(n, note_line_at(n, s) - 1)) {
        int ok = 1;
        double least = rv[1];
        for (int i = 0; i < rk; i++) {
            ok &= rv[i] <= 10;
            if (i >= 1 && rv[i] < least)
                least = rv[i];
        }
        if (ok) {
            series_push(a, rv[0]);
            series_push(a, least);
            acc_ev(a, ni, s, e);
            return;
        }
    }
    for (size_t off = s; off < e;) {
        if (group(P.score10, n->text, e, off, "v", &gs, &ge, &me) != 1)
            break;
        series_push(a, strtod(n->text + gs, NULL));
        found = 1;
        off = me;
    }
    if (!found) { /* a time point's row under a pain scale's header: "2 h   5" */
        double v[4];
        int k = row_numbers(n, s, e, v, 4);
        double col;
        int in_column = 0;
        if (k > 1 && column_value(n, s, e, &col)) /* "4 h   4   14   96" */
            v[0] = col, k = 1, in_column = 1;
        size_t ps, pe, pts, pte;
        /* a row under the pain column is a time point by its place in
         * the table ("07:45   8   0   16" under "Time  NRS pain  RR") */
        if (k == 1 && v[0] <= 10 &&
            (in_column || policy_re_find(P.pre, n->text, e, s, &ps, &pe, &pts, &pte) ||
             policy_re_find(P.post, n->text, e, s, &ps, &pe, &pts, &pte))) {
            int lowest = a->nseries >= 1 && (a->nseries == 1 || v[0] < a->least);
            series_push(a, v[0]);
            if (lowest) { /* the evidence: the time point of the best relief */
                a->has_ev = 0;
                acc_ev(a, ni, s, e);
                return;
            }
            found = a->nseries == 1;
        }
    }
    for (size_t off = s; !found && off < e;) { /* "NRS 8 -> 3" */
        size_t xs, xe, ys, ye;
        if (group(P.pair, n->text, e, off, "x", &xs, &xe, &me) != 1 ||
            group(P.pair, n->text, e, off, "y", &ys, &ye, &me) != 1)
            break;
        double x = strtod(n->text + xs, NULL), y = strtod(n->text + ys, NULL);
        if (x <= 10 && y <= 10) {
            series_push(a, x);
            series_push(a, y);
            found = 1;
        }
        off = me;
    }
    if (found)
        acc_ev(a, ni, s, e);
}

/* Whether the sentence that holds the line's first score speaks of
 * another treatment: "Trial of botulinum toxin: Ashworth 4 -> 2". */
static int scores_excluded(const policy_rule *r, const note *n, size_t s,
                           size_t e)
{
    size_t ms, me, ts, te;
    if (!policy_re_find(P.num, n->text, e, s, &ms, &me, &ts, &te))
        return 0;
    size_t si = note_sentence_at(n, ms);
    if (si == (size_t)-1)
        return re_in(r->unless, n, s, e);
    /* The sentence up to the score's line end: what it said before the
     * score ("spinal cord stimulator trial 2022\n(<30% relief)") names
     * what was scored; what comes after speaks of something else. */
    size_t a = labelled_start(n, si), b = n->sentences[si].end;
    return re_in(r->unless, n, a, b < e ? b : e);
}

/* The best mean drop among the kinds of scale the rule reads: a
 * dystonia scale's drop says nothing of a tone or spasm scale (Tufts). */
static int group_drop(const policy_rule *r, const drop_acc *a, double *v)
{
    static const char *names[NGROUPS] = {"ashworth mas", "spasm penn", "dystonia"};
    int any = 0;
    for (int g = 0; g < NGROUPS; g++) {
        char w[16];
        int reads = 0;
        for (const char *p = names[g]; *p;) {
            size_t l = strcspn(p, " ");
            snprintf(w, sizeof w, "%.*s", (int)l, p);
            reads |= strstr(r->scales, w) != NULL;
            p += l + (p[l] == ' ');
        }
        if (reads && a->n[g] && (!any || a->sum[g] / a->n[g] > *v)) {
            *v = a->sum[g] / a->n[g];
            any = 1;
        }
    }
    return any;
}

void rules_drop(const rules_case *cs, const policy_rule *r,
                check_direction d, rules_hits *h)
{
    patterns_init();
    drop_acc a = {0};
    const drop_acc *seen = drop_memo_find(cs->memo, r->drop_key);
    if (seen)
        a = *seen;
    for (size_t ni = 0; !seen && ni < cs->nnotes; ni++) {
        const note *n = cs->notes[ni];
        if (!re_in(r->context, n, 0, n->len) || !scale_in(r, n, 0, n->len))
            continue; /* no trial or no scale in this note */
        for (size_t li = 0; li < n->nlines; li++) {
            size_t s, e;
            line_span(n, li, &s, &e);
            if (e <= s || !line_relevant(r, n, li, 1))
                continue;
            /* An entry goes on over the lines indented under it ("07:50
             * Baseline: Ashworth R hip 4, L hip 4,\n       R knee 4 ..."). */
            size_t more = entry_lines(n, li);
            if (more) {
                size_t ms_, me_;
                line_span(n, li + more, &ms_, &me_);
                e = me_;
                li += more;
            }
            if (r->unless && scores_excluded(r, n, s, e))
                continue; /* scores after another treatment (botulinum toxin) */
            size_t ms, me, ts, te;
            if (policy_re_find(P.num, n->text, e, s, &ms, &me, &ts, &te) &&
                said_as_hypothesis(cs, n, ms, me))
                continue; /* "it is scheduled for ... (scoring at 2 and 4 h)" */
            if (r->mode == DROP_POINTS)
                drop_points_line(cs, r, n, ni, s, e, &a);
            else
                drop_percent_line(cs, r, n, ni, s, e, &a);
        }
    }
    if (!seen)
        drop_memo_add(cs->memo, r->drop_key, &a);
    double v = 0;
    if (a.has_stated)
        v = a.stated;
    else if (r->mode == DROP_POINTS && a.has_pre && a.has_post)
        v = a.pre - a.post;
    else if (r->mode == DROP_POINTS && group_drop(r, &a, &v))
        ;
    else if (a.nseries >= 2 && r->mode == DROP_POINTS)
        v = a.first - a.least;
    else if (a.nseries >= 2 && a.first > 0)
        v = (a.first - a.least) / a.first * 100.0;
    else
        return;
    int ok = r->op == CMP_GE ? v >= r->value
             : r->op == CMP_GT ? v > r->value
             : r->op == CMP_LT ? v < r->value
                               : v <= r->value;
    if (ok && a.has_ev)
        rules_hit(h, cs, a.ni, a.s, a.e, d, r->desc);
}

/* ---- pump-drugs: what is in the pump ---- */

typedef struct {
    size_t ni, s, e;
    int seen;
} drug_seen;

/* Mentions in a trial's sentences ("a morphine and bupivacaine trial")
 * count only when nothing else says what the pump will hold. */
typedef struct {
    drug_seen *pump, *trial;
    int pump_any;
} drug_scan;

/* The date a line starts with ("03/14/2024  morphine ...", "2024-03-14"),
 * as yyyymmdd; 0 when it starts with none. */
static long row_date(const note *n, size_t li)
{
    static pcre2_code *re;
    if (!re && !(re = rx("\\G\\s*(?:(?<m>\\d{1,2})/(?<d>\\d{1,2})/(?<y>\\d{4}|\\d{2})"
                         "|(?<Y>\\d{4})-(?<M>\\d{2})-(?<D>\\d{2}))\\b")))
        return 0;
    size_t s, e, gs, ge, me;
    line_span(n, li, &s, &e);
    long y, m, d;
    if (group(re, n->text, e, s, "m", &gs, &ge, &me) == 1) {
        m = strtol(n->text + gs, NULL, 10);
        group(re, n->text, e, s, "d", &gs, &ge, &me);
        d = strtol(n->text + gs, NULL, 10);
        group(re, n->text, e, s, "y", &gs, &ge, &me);
        y = strtol(n->text + gs, NULL, 10);
        if (ge - gs == 2)
            y += 2000;
    } else if (group(re, n->text, e, s, "Y", &gs, &ge, &me) == 1) {
        y = strtol(n->text + gs, NULL, 10);
        group(re, n->text, e, s, "M", &gs, &ge, &me);
        m = strtol(n->text + gs, NULL, 10);
        group(re, n->text, e, s, "D", &gs, &ge, &me);
        d = strtol(n->text + gs, NULL, 10);
    } else {
        return 0;
    }
    return y * 10000 + m * 100 + d;
}

/* A dated row of a log that a later-dated row of the same table follows
 * or precedes: what the pump held then, not now ("03/14/2024  morphine +
 * bupivacaine" above "03/03/2025  Infumorph 25 mg/mL"). */
static int superseded_row(const note *n, size_t off)
{
    size_t li = note_line_at(n, off) - 1, s, e;
    long mine = row_date(n, li);
    if (!mine)
        return 0;
    for (int dir = -1; dir <= 1; dir += 2)
        for (size_t k = li, steps = 0; steps < 60; steps++) {
            if ((dir < 0 && k == 0) || (dir > 0 && k + 1 >= n->nlines))
                break;
            k = dir < 0 ? k - 1 : k + 1;
            line_span(n, k, &s, &e);
            if (e <= s)
                break;
            if (row_date(n, k) > mine)
                return 1;
        }
    return 0;
}

/* A mention counts when its sentence (or the header over it) speaks of the
 * pump, and nothing close to it says another route (oral baclofen). */
static int pump_mention(const rules_case *cs, const policy_drugs *set,
                        const note *n, size_t si, size_t ms, size_t me)
{
    if (superseded_row(n, ms))
        return 0;
    /* "Reservoir history: from 2021 he received morphine with
     * bupivacaine": a label of the past tells what the pump held then. */
    static pcre2_code *past_label;
    if (!past_label)
        past_label = rx("\\b(?:history|previous(?:ly)?|prior|past|former(?:ly)?)\\b[^:\\n]{0,30}:");
    size_t ls = labelled_start(n, si);
    if (past_label && ls < n->sentences[si].start &&
        re_in(past_label, n, ls, n->sentences[si].start))
        return 0;
    /* "The final composition has not been decided: either baclofen alone
     * or baclofen with clonidine", "Drug: to be determined": an option,
     * not what the pump will hold. */
    static pcre2_code *undecided;
    if (!undecided)
        undecided = rx("\\bnot\\s+(?:yet\\s+)?(?:been\\s+)?(?:decided|determined|finali[sz]ed|chosen|settled|confirmed)"
                       "|\\b(?:to\\s+be|will\\s+be)\\s+(?:decided|determined|finali[sz]ed|chosen|confirmed)"
                       "|\\bTBD\\b|\\bundecided\\b|\\bundetermined\\b|\\beither\\b[^.;]{0,80}\\bor\\b");
    if (undecided && re_in(undecided, n, ls, n->sentences[si].end))
        return 0;
    size_t ss = n->sentences[si].start, se = n->sentences[si].end, hs, he;
    const note_section *sec = note_section_at(n, ss);
    int ctx = re_in(set->context, n, ls, se) ||
              (sec && re_in(set->context, n, sec->start, sec->body)) ||
              (header_of(n, ss, &hs, &he) && re_in(set->context, n, hs, he));
    if (!ctx)
        return 0;
    size_t a = ms > ss + 25 ? ms - 25 : ss, b = me + 25 < se ? me + 25 : se;
    if (set->exclude && re_in(set->exclude, n, a, b))
        return 0;
    /* A plan's words are affirmed ("implant a pump with morphine as the
     * only drug"); a condition or an option is not ("if morphine fails,
     * bupivacaine would be added"). */
    return classify(cs, n, ss, se, ms, me) == CTX_AFFIRMED;
}

/* Whether unless matches in [s, e) with its words affirmed: "no
 * admixture is requested" does not say the pump holds one. */
static int affirmed_in(const rules_case *cs, const pcre2_code *unless,
                       const note *n, size_t s, size_t e)
{
    size_t off = s, ms, me, ts, te;
    while (off < e && policy_re_find(unless, n->text, e, off, &ms, &me, &ts, &te)) {
        if (classify(cs, n, s, e, ts, te) == CTX_AFFIRMED)
            return 1;
        off = me > off ? me : off + 1;
    }
    return 0;
}

/* Whether a note says that what the pump will hold is not chosen yet. */
static int drug_undecided(const rules_case *cs)
{
    static pcre2_code *re;
    if (!re)
        re = rx("\\b(?:pump|drugs?|regimen|solution|infus\\w*|medications?|reservoir)\\b"
                "(?:\\([^)\\n]{0,40}\\))?[^.;\\n]{0,40}?(?:\\bnot\\s+(?:yet\\s+)?(?:been\\s+)?"
                "(?:decided|determined|finali[sz]ed|chosen|settled)|\\bto\\s+be\\s+"
                "(?:decided|determined|finali[sz]ed|chosen)|\\bTBD\\b|\\bundecided\\b)");
    for (size_t ni = 0; re && ni < cs->nnotes; ni++) {
        const note *n = cs->notes[ni];
        size_t ms, me, ts, te;
        if (policy_re_find(re, n->text, n->len, 0, &ms, &me, &ts, &te))
            return 1;
    }
    return 0;
}

static void drugs_scan(const rules_case *cs, const policy_drugs *set,
                       drug_scan *ds, int *voided, const pcre2_code *unless)
{
    for (size_t ni = 0; ni < cs->nnotes; ni++) {
        const note *n = cs->notes[ni];
        for (size_t k = 0; k < set->n; k++) {
            size_t off = 0, ms, me, ts, te;
            while (off < n->len && policy_re_find(set->v[k].re, n->text,
                                                  n->len, off, &ms, &me, &ts, &te)) {
                off = me > off ? me : off + 1;
                size_t si = note_sentence_at(n, ms);
                if (si == (size_t)-1 || !pump_mention(cs, set, n, si, ms, me))
                    continue;
                size_t se = n->sentences[si].end;
                int is_trial = set->trial &&
                               re_in(set->trial, n, labelled_start(n, si), se);
                drug_seen *seen = is_trial ? ds->trial : ds->pump;
                ds->pump_any |= !is_trial;
                if (!seen[k].seen)
                    seen[k] = (drug_seen){ni, ms, me, 1};
                if (unless && affirmed_in(cs, unless, n, n->sentences[si].start, se))
                    *voided = 1;
            }
        }
    }
}

void rules_drugs(const rules_case *cs, const policy_rule *r,
                 check_direction d, rules_hits *h)
{
    const policy_drugs *set = r->drugs;
    size_t nd = set->n ? set->n : 1;
    drug_scan ds = {calloc(nd, sizeof *ds.pump), calloc(nd, sizeof *ds.trial), 0};
    if (!ds.pump || !ds.trial) {
        free(ds.pump);
        free(ds.trial);
        return;
    }
    int voided = 0;
    drugs_scan(cs, set, &ds, &voided, r->unless);
    /* The trial's drug stands for the pump's only when no note says the
     * pump's drug is yet to be chosen ("Drug(s) to be infused: to be
     * determined"). */
    int undecided = !ds.pump_any && drug_undecided(cs);
    drug_seen *seen = ds.pump_any || undecided ? ds.pump : ds.trial;
    free(ds.pump_any || undecided ? ds.trial : ds.pump);
    size_t distinct = 0, unapproved = 0, last = 0;
    for (size_t k = 0; k < set->n; k++)
        if (seen[k].seen) {
            distinct++;
            unapproved += !set->v[k].approved;
            last = k;
        }
    if (r->when == DRUGS_APPROVED && distinct == 1 && !unapproved && !voided)
        rules_hit(h, cs, seen[last].ni, seen[last].s, seen[last].e, d, r->desc);
    for (size_t k = 0; k < set->n; k++) {
        if (!seen[k].seen)
            continue;
        if ((r->when == DRUGS_UNAPPROVED && !set->v[k].approved) ||
            (r->when == DRUGS_MIXTURE && distinct >= 2))
            rules_hit(h, cs, seen[k].ni, seen[k].s, seen[k].e, d, r->desc);
    }
    free(seen);
}
