/* check: evaluates a policy section's criteria over the notes of a case.
 *
 * Each criterion has three lists of evidence rules (na, support, refute).
 * A rule that fires adds evidence with the sentence that made it fire.
 * The suggestion follows from which lists fired: support alone -> met,
 * refute alone -> not_met, both -> unknown (a reviewer must look), none ->
 * the criterion's default (usually unknown: the notes are silent). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "context/context.h"
#include "engine/check.h"
#include "engine/rules.h"

const char *check_suggestion_name(check_suggestion s)
{
    static const char *n[] = {"met", "not_met", "unknown", "na"};
    return s <= CHECK_NA ? n[s] : "unknown";
}

const char *check_outcome_name(check_outcome o)
{
    static const char *n[] = {"meets", "does_not_meet", "insufficient"};
    return o <= CHECK_INSUFFICIENT ? n[o] : "insufficient";
}

int check_suggestion_parse(const char *s, check_suggestion *out)
{
    for (int i = 0; i <= CHECK_NA; i++)
        if (strcmp(s, check_suggestion_name((check_suggestion)i)) == 0) {
            *out = (check_suggestion)i;
            return 0;
        }
    return -1;
}

/* ---- results ---- */

typedef struct {
    check_suggestion s;
    check_evidence *ev;
    size_t nev;
    char *searched;
    size_t slen;
} crit_result;

struct check_result {
    const policy_section *sec;
    check_outcome outcome;
    crit_result *c;
    size_t n;
    char **req_words;   /* "request: service 95991": the evidence's source */
    size_t nreq;
};

static void free_words(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

void check_result_free(check_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->c[i].ev);
        free(r->c[i].searched);
    }
    free(r->c);
    free_words(r->req_words, r->nreq);
    free(r);
}

/* How a requested code is named in evidence: "request: service 95991". */
static char **request_words(const check_input *in)
{
    size_t n = in ? in->nrequested : 0;
    char **v = calloc(n ? n : 1, sizeof *v);
    for (size_t i = 0; v && i < n; i++) {
        char buf[96];
        snprintf(buf, sizeof buf, "request: %s %.40s",
                 in->requested[i].diagnosis ? "diagnosis" : "service",
                 in->requested[i].code ? in->requested[i].code : "");
        if (!(v[i] = strdup(buf))) {
            free_words(v, i);
            return NULL;
        }
    }
    return v;
}

const policy_section *check_result_section(const check_result *r) { return r->sec; }
check_outcome check_result_outcome(const check_result *r) { return r->outcome; }
size_t check_result_count(const check_result *r) { return r->n; }
const policy_criterion *check_result_criterion(const check_result *r, size_t i)
{
    return i < r->n ? r->sec->crit[i] : NULL;
}
check_suggestion check_result_suggestion(const check_result *r, size_t i)
{
    return i < r->n ? r->c[i].s : CHECK_UNKNOWN;
}
size_t check_result_evidence_count(const check_result *r, size_t i)
{
    return i < r->n ? r->c[i].nev : 0;
}
const check_evidence *check_result_evidence(const check_result *r, size_t i,
                                            size_t k)
{
    return i < r->n && k < r->c[i].nev ? &r->c[i].ev[k] : NULL;
}
const char *check_result_searched(const check_result *r, size_t i)
{
    return i < r->n && r->c[i].searched ? r->c[i].searched : "";
}

const check_evidence *check_result_deciding(const check_result *r, size_t i)
{
    if (i >= r->n)
        return NULL;
    const crit_result *c = &r->c[i];
    check_direction want = c->s == CHECK_MET       ? CHECK_SUPPORTS
                           : c->s == CHECK_NOT_MET ? CHECK_REFUTES
                           : c->s == CHECK_NA      ? CHECK_EXCUSES
                                                   : (check_direction)-1;
    for (size_t k = 0; k < c->nev; k++)
        if (c->ev[k].dir == want)
            return &c->ev[k];
    return NULL;
}

/* ---- evaluation ---- */

static check_direction dir_of(rule_list l)
{
    return l == LIST_NA ? CHECK_EXCUSES : l == LIST_SUPPORT ? CHECK_SUPPORTS
                                                            : CHECK_REFUTES;
}

static const char *kind_words(rule_kind k)
{
    switch (k) {
    case RULE_FIND: return "sentences";
    case RULE_CODE: return "code facts";
    case RULE_FACT: return "facts";
    case RULE_DROP: return "score lines";
    case RULE_DRUGS: return "drug mentions";
    }
    return "";
}

/* How many facts of note i a code or fact rule reads. */
static size_t facts_read(const rules_case *cs, const policy_rule *r, size_t i)
{
    size_t n = 0;
    for (size_t k = 0; cs->facts && k < cs->facts[i].n; k++) {
        fact_kind fk = cs->facts[i].v[k].kind;
        n += r->kind == RULE_FACT ? fk == r->fkind
                                  : fk == FACT_ICD10 || fk == FACT_CPT ||
                                        fk == FACT_HCPCS;
    }
    return n;
}

/* "the sentences of scc-evaluation.txt (12), surgical-note.txt (4)" */
static void describe_notes(const rules_case *cs, const policy_rule *r,
                           char *buf, size_t sz)
{
    rule_kind k = r->kind;
    if (k == RULE_FACT)
        snprintf(buf, sz, "the %s facts of ", fact_kind_name(r->fkind));
    else
        snprintf(buf, sz, "the %s of ", kind_words(k));
    for (size_t i = 0; i < cs->nnotes; i++) {
        size_t l = strlen(buf);
        const char *p = cs->notes[i]->path ? cs->notes[i]->path : "(note)";
        const char *b = strrchr(p, '/');
        size_t cnt = k == RULE_FIND || k == RULE_DRUGS ? cs->notes[i]->nsentences
                     : k == RULE_DROP ? cs->notes[i]->nlines
                     : facts_read(cs, r, i);
        snprintf(buf + l, sz - l, "%s%s (%zu)", i ? ", " : "", b ? b + 1 : p,
                 cnt);
    }
    if (!cs->nnotes)
        snprintf(buf + strlen(buf), sz - strlen(buf), "no notes");
    if (k == RULE_CODE && cs->nreq) {
        size_t l = strlen(buf);
        snprintf(buf + l, sz - l, " and the request (%zu code%s)", cs->nreq,
                 cs->nreq == 1 ? "" : "s");
    }
}

static void run_rule(const rules_case *cs, const policy_rule *r, rule_list l,
                     rules_hits *h)
{
    check_direction d = dir_of(l);
    size_t before = h->count[0] + h->count[1] + h->count[2];
    h->from_fact = r->kind == RULE_FACT;
    h->from_decisive = r->decisive;
    switch (r->kind) {
    case RULE_FIND: rules_find(cs, r, d, h); break;
    case RULE_CODE: rules_code(cs, r, d, h); break;
    case RULE_FACT: rules_fact(cs, r, d, h); break;
    case RULE_DROP: rules_drop(cs, r, d, h); break;
    case RULE_DRUGS: rules_drugs(cs, r, d, h); break;
    }
    h->from_fact = 0;
    h->from_decisive = 0;
    static const char *ln[] = {"not applicable if", "supports", "refutes"};
    char notes[512];
    describe_notes(cs, r, notes, sizeof notes);
    size_t after = h->count[0] + h->count[1] + h->count[2];
    char line[1100];
    snprintf(line, sizeof line, "%s: %s: %s %s", ln[l],
             r->desc ? r->desc : "", after > before ? "found in"
                                                    : "nothing found in",
             notes);
    rules_note_searched(h, line);
}

static check_suggestion decide(const policy_criterion *c, const rules_hits *h)
{
    size_t na = h->count[CHECK_EXCUSES], sup = h->count[CHECK_SUPPORTS],
           ref = h->count[CHECK_REFUTES];
    if (h->fact_na)
        return CHECK_NA; /* an objective fact (the age) rules it out */
    if (h->overriding[CHECK_REFUTES])
        return CHECK_NOT_MET; /* the support's ground is gone */
    size_t dsup = h->decisive[CHECK_SUPPORTS], dref = h->decisive[CHECK_REFUTES];
    if (sup && ref && dsup && !dref)
        return CHECK_MET;     /* the measurement outweighs the words */
    if (sup && ref && dref && !dsup)
        return CHECK_NOT_MET;
    if (sup && ref)
        return CHECK_UNKNOWN;
    /* A measured result (a decisive rule: scores after the trial, its
     * adverse events) shows the thing was done: words that it was only
     * scheduled, or not done, give way unless they are decisive too. */
    if (na && (dsup || dref) && !h->decisive[CHECK_EXCUSES])
        na = 0;
    if (na)
        return sup || ref ? CHECK_UNKNOWN : CHECK_NA;
    if (sup)
        return CHECK_MET;
    if (ref)
        return CHECK_NOT_MET;
    return (check_suggestion)c->deflt;
}

/* Three-valued logic: 1 true, 0 false, 2 unknown. */
static int eval_node(const policy_node *n, const crit_result *c)
{
    if (n->type == NODE_CRIT) {
        check_suggestion s = c[n->crit].s;
        return s == CHECK_MET || s == CHECK_NA ? 1 : s == CHECK_NOT_MET ? 0 : 2;
    }
    if (n->type == NODE_NOT) {
        int v = n->nkids ? eval_node(&n->kids[0], c) : 2;
        return v == 2 ? 2 : !v;
    }
    int all = n->type == NODE_ALL, unknown = 0;
    for (size_t i = 0; i < n->nkids; i++) {
        int v = eval_node(&n->kids[i], c);
        if (v == 2)
            unknown = 1;
        else if (all && v == 0)
            return 0;
        else if (!all && v == 1)
            return 1;
    }
    return unknown ? 2 : all ? 1 : 0;
}

check_result *check_run(const policy_section *sec, const note *const *notes,
                        const fact_list *facts, size_t nnotes,
                        const struct context_rules *ctx, char *err,
                        size_t errsz)
{
    check_input in = {ctx, NULL, 0, NULL, NULL};
    return check_run_case(sec, notes, facts, nnotes, &in, err, errsz);
}

check_result *check_run_case(const policy_section *sec,
                             const note *const *notes, const fact_list *facts,
                             size_t nnotes, const check_input *in, char *err,
                             size_t errsz)
{
    check_result *r = calloc(1, sizeof *r);
    if (r)
        r->c = calloc(sec->ncrit ? sec->ncrit : 1, sizeof *r->c);
    if (r && r->c)
        r->req_words = request_words(in);
    if (!r || !r->c || !r->req_words) {
        if (r)
            free(r->c);
        free(r);
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    r->sec = sec;
    r->n = sec->ncrit;
    r->nreq = in ? in->nrequested : 0;
    rules_case cs = {notes, facts, nnotes, in ? in->ctx : NULL,
                     in ? in->requested : NULL, r->nreq, r->req_words,
                     rules_memo_new()};
    for (size_t i = 0; i < sec->ncrit; i++) {
        const policy_criterion *c = sec->crit[i];
        rules_hits h = {0};
        for (int l = 0; l < LIST_COUNT; l++)
            for (size_t k = 0; k < c->nrules[l]; k++)
                run_rule(&cs, &c->rules[l][k], (rule_list)l, &h);
        r->c[i].s = decide(c, &h);
        r->c[i].ev = h.ev;
        r->c[i].nev = h.nev;
        r->c[i].searched = h.searched;
    }
    rules_memo_free(cs.memo);
    int v = eval_node(&sec->root, r->c);
    r->outcome = v == 1 ? CHECK_MEETS : v == 0 ? CHECK_DOES_NOT_MEET
                                               : CHECK_INSUFFICIENT;
    return r;
}

const policy_section *check_pick_section(const policy *p,
                                         const note *const *notes,
                                         const fact_list *facts,
                                         size_t nnotes, char *why,
                                         size_t whysz)
{
    return check_pick_section_case(p, notes, facts, nnotes, NULL, why, whysz);
}

const policy_section *check_pick_section_case(const policy *p,
                                              const note *const *notes,
                                              const fact_list *facts,
                                              size_t nnotes,
                                              const check_input *in,
                                              char *why, size_t whysz)
{
    rules_case cs = {notes, facts, nnotes, NULL, in ? in->requested : NULL,
                     in ? in->nrequested : 0, NULL, NULL};
    const policy_section *best = p->nsections ? &p->sections[0] : NULL;
    size_t best_score = 0, best_codes = 0, best_words = 0;
    for (size_t i = 0; i < p->nsections; i++) {
        const policy_section *s = &p->sections[i];
        size_t codes = 0, words = 0;
        for (size_t k = 0; k < s->npick; k++) {
            rules_hits h = {0};
            run_rule(&cs, &s->pick[k], LIST_SUPPORT, &h);
            if (s->pick[k].kind == RULE_CODE)
                codes += h.count[CHECK_SUPPORTS];
            else
                words += h.count[CHECK_SUPPORTS];
            free(h.ev);
            free(h.searched);
        }
        size_t score = codes * 3 + words; /* a requested code outweighs words */
        if (score > best_score) {
            best = s;
            best_score = score;
            best_codes = codes;
            best_words = words;
        }
    }
    if (why && whysz && best)
        snprintf(why, whysz,
                 "picked section %s (%zu requested code%s, %zu mention%s)",
                 best->name, best_codes, best_codes == 1 ? "" : "s",
                 best_words, best_words == 1 ? "" : "s");
    return best;
}

/* ---- choosing the policy ---- */

static int word_char(unsigned char c)
{
    return isalnum(c) || c >= 0x80;
}

/* The end of name in t[i,len) read as words: any case, a space matching
 * any run of white space, an apostrophe a typographic one; 0 if absent. */
static size_t name_at(const char *t, size_t len, size_t i, const char *name)
{
    if (i > 0 && word_char((unsigned char)t[i - 1]))
        return 0;
    size_t k = i;
    for (const char *n = name; *n; n++) {
        if (*n == ' ') {
            if (k >= len || !isspace((unsigned char)t[k]))
                return 0;
            while (k < len && isspace((unsigned char)t[k]))
                k++;
        } else if (*n == '\'' && k + 3 <= len && memcmp(t + k, "\xe2\x80\x99", 3) == 0) {
            k += 3;
        } else if (k < len && tolower((unsigned char)t[k]) == tolower((unsigned char)*n)) {
            k++;
        } else {
            return 0;
        }
    }
    return k < len && word_char((unsigned char)t[k]) ? 0 : k;
}

static size_t mentions_in(const policy *p, const char *t, size_t len)
{
    size_t count = 0;
    for (size_t i = 0; i < len; i++)
        for (size_t k = 0; k < policy_payer_name_count(p); k++) {
            int is_id;
            const char *nm = policy_payer_name(p, k, &is_id);
            size_t e = is_id ? 0 : name_at(t, len, i, nm);
            if (e) {
                count++;
                i = e - 1;
                break;
            }
        }
    return count;
}

size_t check_payer_mentions(const policy *p, const note *const *notes,
                            size_t nnotes)
{
    size_t n = 0;
    for (size_t i = 0; i < nnotes; i++)
        n += mentions_in(p, notes[i]->text, notes[i]->len);
    return n;
}

/* Whether the request's payer is p's: its id one of p's ids, or its name
 * holding one of p's names. */
static int request_names_payer(const policy *p, const check_input *in)
{
    for (size_t k = 0; in && k < policy_payer_name_count(p); k++) {
        int is_id;
        const char *nm = policy_payer_name(p, k, &is_id);
        if (is_id && in->payer_id && strcasecmp(nm, in->payer_id) == 0)
            return 1;
        if (!is_id && in->payer_name &&
            mentions_in(p, in->payer_name, strlen(in->payer_name)))
            return 1;
    }
    return 0;
}

/* On a covered list (a selection list only chooses among sections). */
static int on_lists(const policy *p, const char *code)
{
    return policy_covers(p, POLICY_CODES_DIAGNOSES, code) ||
           policy_covers(p, POLICY_CODES_PROCEDURES, code);
}

/* Requested codes weigh more than codes merely mentioned in a note. */
static size_t code_score(const policy *p, const fact_list *facts,
                         size_t nnotes, const check_input *in)
{
    size_t score = 0;
    for (size_t i = 0; in && i < in->nrequested; i++)
        score += 3 * (size_t)on_lists(p, in->requested[i].code);
    for (size_t n = 0; facts && n < nnotes; n++)
        for (size_t i = 0; i < facts[n].n; i++) {
            const fact *f = &facts[n].v[i];
            if ((f->kind == FACT_ICD10 || f->kind == FACT_CPT ||
                 f->kind == FACT_HCPCS) && f->status == CTX_AFFIRMED)
                score += (size_t)on_lists(p, f->value);
        }
    return score;
}

typedef struct {
    const policy *p;
    int by_request;
    size_t mentions, codes;
} policy_score;

static int score_beats(const policy_score *a, const policy_score *b)
{
    if (a->by_request != b->by_request)
        return a->by_request > b->by_request;
    if (a->mentions != b->mentions)
        return a->mentions > b->mentions;
    return a->codes > b->codes;
}

static void pick_why(const policy_score *b, const check_input *in, char *why,
                     size_t whysz)
{
    if (b->by_request)
        snprintf(why, whysz, "the request's payer (%s) is %s's",
                 in->payer_name && *in->payer_name ? in->payer_name
                                                   : in->payer_id,
                 policy_id(b->p));
    else if (b->mentions)
        snprintf(why, whysz, "the notes name %s's payer (%zu mention%s)",
                 policy_id(b->p), b->mentions, b->mentions == 1 ? "" : "s");
    else if (b->codes)
        snprintf(why, whysz, "no payer named; codes on %s's lists (score %zu)",
                 policy_id(b->p), b->codes);
    else
        snprintf(why, whysz, "no payer named and no code on any policy's "
                             "lists: %s is the first installed",
                 policy_id(b->p));
}

const policy *check_pick_policy(const policy_set *s, const note *const *notes,
                                const fact_list *facts, size_t nnotes,
                                const check_input *in,
                                const policy_section **sec, char *why,
                                size_t whysz)
{
    policy_score best = {0};
    *sec = NULL;
    for (size_t i = 0; i < policy_set_count(s); i++) {
        const policy *p = policy_set_at(s, i);
        if (policy_set_find(s, policy_id(p)) != p)
            continue; /* an older version: the newest one speaks for it */
        policy_score sc = {p, request_names_payer(p, in),
                           check_payer_mentions(p, notes, nnotes),
                           code_score(p, facts, nnotes, in)};
        if (!best.p || score_beats(&sc, &best))
            best = sc;
    }
    if (!best.p) {
        if (why && whysz)
            snprintf(why, whysz, "no policy is installed");
        return NULL;
    }
    char pw[256] = "", sw[200] = "";
    pick_why(&best, in, pw, sizeof pw);
    *sec = check_pick_section_case(best.p, notes, facts, nnotes, in, sw,
                                   sizeof sw);
    if (why && whysz)
        snprintf(why, whysz, "%s; %s", pw, sw);
    return best.p;
}
