/* The policies' words.  Every criterion text of every shipped policy is a
 * quotation: always checked for the form of one (no markup, no stray
 * spaces, elisions written " [...] ", brackets balanced), and, when the
 * seed documents are there (../shared/seeds, or $CASEREVIEW_SEEDS),
 * checked word for word against the document the policy came from.  The
 * seeds are not part of the repository, so without them that part skips
 * and `make test` needs nothing outside it. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "engine/policy.h"

#define ELIDE " [...] "

static policy_set *shipped(void)
{
    char err[512];
    policy_set *s = policy_set_load("policies", err, sizeof err);
    cr_assert_not_null(s, "%s", err);
    cr_assert_eq(policy_set_warning_count(s), 0, "%s", policy_set_warning(s, 0));
    cr_assert_gt(policy_set_count(s), 0);
    return s;
}

/* Calls fn on every criterion of p once (shared ones appear in several
 * sections). */
typedef void crit_fn(const policy *p, const policy_criterion *c, void *arg);
static void each_criterion(const policy *p, crit_fn *fn, void *arg)
{
    const policy_criterion *seen[256];
    size_t nseen = 0;
    for (size_t i = 0; i < policy_section_count(p); i++) {
        const policy_section *s = policy_section_at(p, i);
        for (size_t k = 0; k < policy_criterion_count(s); k++) {
            const policy_criterion *c = policy_criterion_at(s, k);
            int dup = 0;
            for (size_t j = 0; j < nseen; j++)
                dup |= seen[j] == c;
            if (dup)
                continue;
            cr_assert_lt(nseen, 256);
            seen[nseen++] = c;
            fn(p, c, arg);
        }
    }
}

/* ---- the form of a quotation (always) ---- */

static void quote_form(const char *what, const char *t)
{
    size_t n = strlen(t);
    cr_assert_gt(n, 0, "%s: empty text", what);
    cr_expect(t[0] != ' ' && t[n - 1] != ' ', "%s: stray space at an end", what);
    cr_expect_null(strstr(t, "  "), "%s: two spaces in a row", what);
    for (const unsigned char *p = (const unsigned char *)t; *p; p++)
        cr_expect(*p >= 0x20 && *p != 0x7f, "%s: control character", what);
    cr_expect_null(strpbrk(t, "<>*_|#"), "%s: markup left in the words: %s", what, t);
    /* an elision stands between two parts, never at an end or doubled */
    cr_expect(strncmp(t, ELIDE + 1, strlen(ELIDE) - 1) != 0, "%s: starts with [...]", what);
    cr_expect(n < 6 || strcmp(t + n - 6, " [...]") != 0, "%s: ends with [...]", what);
    for (const char *e = strstr(t, "[...]"); e; e = strstr(e + 1, "[...]"))
        cr_expect(e > t && e[-1] == ' ' && e[5] == ' ' &&
                      strncmp(e + 6, "[...]", 5) != 0,
                  "%s: write an elision as \" [...] \": %s", what, t);
    int depth = 0;
    for (const char *p = t; *p; p++) {
        depth += *p == '(';
        depth -= *p == ')';
        cr_expect_geq(depth, 0, "%s: ')' before its '('", what);
    }
    cr_expect_eq(depth, 0, "%s: unbalanced brackets", what);
}

static void form_of(const policy *p, const policy_criterion *c, void *arg)
{
    (void)arg;
    char what[160];
    snprintf(what, sizeof what, "%s %s", policy_id(p), policy_criterion_id(c));
    quote_form(what, policy_criterion_text(c));
    cr_expect_leq(strlen(policy_criterion_short(c)), 28, "%s: short name too long", what);
    cr_expect_gt(strlen(policy_criterion_label(c)), 0, "%s: no label", what);
}

Test(policy_text, every_criterion_text_has_the_form_of_a_quotation)
{
    policy_set *s = shipped();
    for (size_t i = 0; i < policy_set_count(s); i++)
        each_criterion(policy_set_at(s, i), form_of, NULL);
    policy_set_free(s);
}

/* A code's description is the policy's words for one code: never on a
 * range or a wildcard, and quoted like a criterion. */
Test(policy_text, every_code_description_has_the_form_of_a_quotation)
{
    policy_set *s = shipped();
    size_t n = 0;
    for (size_t i = 0; i < policy_set_count(s); i++) {
        const policy *p = policy_set_at(s, i);
        for (size_t l = 0; l < policy_codes_count(p); l++) {
            const policy_codes *c = policy_codes_at(p, l);
            for (size_t k = 0; k < policy_codes_size(c); k++) {
                const char *d = policy_codes_description(c, k), *e = policy_codes_entry(c, k);
                if (!d)
                    continue;
                char what[160];
                snprintf(what, sizeof what, "%s code %s", policy_id(p), e);
                cr_expect_null(strpbrk(e, "-*"), "%s: a description on a range or wildcard", what);
                cr_expect_null(strstr(d, "[...]"), "%s: an elided description", what);
                quote_form(what, d);
                n++;
            }
        }
    }
    cr_expect_gt(n, 0, "no policy words a code");
    policy_set_free(s);
}

/* ---- word for word against the seeds (when they are there) ---- */

static const char *seeds_dir(void)
{
    const char *env = getenv("CASEREVIEW_SEEDS");
    return env && *env ? env : "../shared/seeds";
}

/* The document as a reader sees it: emphasis and HTML tags dropped,
 * typographic quotes as ASCII, every run of white space one space. */
static char *normalise(const char *in)
{
    static const char *const tags[] = {"<u>", "</u>", "<b>", "</b>", "<i>", "</i>",
                                       "<em>", "</em>", "<strong>", "</strong>"};
    char *out = malloc(strlen(in) + 1), *o = out;
    cr_assert_not_null(out);
    int space = 1;
    for (const char *p = in; *p;) {
        size_t skip = 0;
        for (size_t k = 0; k < sizeof tags / sizeof *tags && !skip; k++)
            if (strncasecmp(p, tags[k], strlen(tags[k])) == 0)
                skip = strlen(tags[k]);
        if (*p == '*')
            skip = 1;
        if (skip) {
            p += skip;
            continue;
        }
        if (!strncmp(p, "\xe2\x80\x98", 3) || !strncmp(p, "\xe2\x80\x99", 3) ||
            !strncmp(p, "\xe2\x80\x9c", 3) || !strncmp(p, "\xe2\x80\x9d", 3)) {
            *o++ = p[2] >= '\x9c' ? '"' : '\'';
            space = 0;
            p += 3;
            continue;
        }
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            if (!space)
                *o++ = ' ';
            space = 1;
        } else {
            *o++ = *p;
            space = 0;
        }
        p++;
    }
    *o = '\0';
    return out;
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    cr_assert_not_null(buf);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

typedef struct {
    char *raw[32], *text[32], name[32][256];
    size_t n;
} seeds;

static void read_seeds(seeds *sd)
{
    memset(sd, 0, sizeof *sd);
    DIR *d = opendir(seeds_dir());
    if (!d)
        cr_skip_test("no seed documents at %s: verbatim check skipped", seeds_dir());
    for (struct dirent *e; (e = readdir(d)) && sd->n < 32;) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".txt") != 0)
            continue;
        int w = snprintf(sd->name[sd->n], sizeof sd->name[0], "%s/%s", seeds_dir(), e->d_name);
        if (w < 0 || (size_t)w >= sizeof sd->name[0])
            continue; /* a path too long to hold is not a seed we can read */
        sd->raw[sd->n] = read_all(sd->name[sd->n]);
        sd->text[sd->n] = normalise(sd->raw[sd->n]);
        sd->n++;
    }
    closedir(d);
    cr_assert_gt(sd->n, 0, "no .txt seeds in %s", seeds_dir());
}

static int has_ci(const char *hay, const char *needle)
{
    for (size_t n = strlen(needle); *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return 1;
    return 0;
}

/* The seed a policy came from: the one document that prints its title. */
static size_t seed_of(const seeds *sd, const policy *p)
{
    char *title = normalise(policy_title(p));
    size_t found = (size_t)-1, hits = 0;
    for (size_t i = 0; i < sd->n; i++)
        if (has_ci(sd->text[i], title)) {
            found = i;
            hits++;
        }
    cr_assert_eq(hits, 1, "%s: %zu seed documents print its title \"%s\"", policy_id(p),
                 hits, title);
    free(title);
    return found;
}

/* Each part of the text, in order, in the document. */
static const char *missing_part(const char *doc, const char *text)
{
    static char part[4096];
    const char *at = doc;
    for (const char *t = text; *t;) {
        const char *e = strstr(t, ELIDE);
        size_t l = e ? (size_t)(e - t) : strlen(t);
        snprintf(part, sizeof part, "%.*s", (int)l, t);
        const char *hit = strstr(at, part);
        if (!hit)
            return part;
        at = hit + l;
        t += l + (e ? strlen(ELIDE) : 0);
    }
    return NULL;
}

typedef struct {
    const char *doc, *docname;
    size_t checked;
} verbatim_arg;

static void verbatim_of(const policy *p, const policy_criterion *c, void *arg)
{
    verbatim_arg *v = arg;
    char *t = normalise(policy_criterion_text(c));
    const char *miss = missing_part(v->doc, t);
    cr_expect_null(miss, "%s %s is not the words of %s: \"%s\"", policy_id(p),
                   policy_criterion_id(c), v->docname, miss ? miss : "");
    free(t);
    v->checked++;
}

Test(policy_text, every_criterion_text_is_verbatim_from_its_seed)
{
    seeds sd;
    read_seeds(&sd);
    policy_set *s = shipped();
    size_t checked = 0;
    for (size_t i = 0; i < policy_set_count(s); i++) {
        const policy *p = policy_set_at(s, i);
        size_t k = seed_of(&sd, p);
        verbatim_arg v = {sd.text[k], sd.name[k], 0};
        each_criterion(p, verbatim_of, &v);
        cr_expect_gt(v.checked, 0, "%s has no criteria", policy_id(p));
        checked += v.checked;
    }
    cr_log_info("%zu criterion texts checked against %zu seeds", checked, sd.n);
    policy_set_free(s);
    for (size_t i = 0; i < sd.n; i++) {
        free(sd.raw[i]);
        free(sd.text[i]);
    }
}

/* A seed line that prints the code and, after it, the description. */
static int line_has(const char *raw, const char *code, const char *desc)
{
    for (const char *l = raw; *l;) {
        size_t n = strcspn(l, "\n");
        char *line = malloc(n + 1);
        cr_assert_not_null(line);
        memcpy(line, l, n);
        line[n] = '\0';
        char *t = normalise(line);
        const char *c = strstr(t, code);
        int ok = c && strstr(c + strlen(code), desc);
        free(t);
        free(line);
        if (ok)
            return 1;
        l += n + (l[n] == '\n');
    }
    return 0;
}

Test(policy_text, every_code_description_is_verbatim_from_its_seed)
{
    seeds sd;
    read_seeds(&sd);
    policy_set *s = shipped();
    size_t checked = 0;
    for (size_t i = 0; i < policy_set_count(s); i++) {
        const policy *p = policy_set_at(s, i);
        size_t k = seed_of(&sd, p);
        for (size_t l = 0; l < policy_codes_count(p); l++) {
            const policy_codes *c = policy_codes_at(p, l);
            for (size_t e = 0; e < policy_codes_size(c); e++) {
                const char *d = policy_codes_description(c, e);
                if (!d)
                    continue;
                char *nd = normalise(d);
                cr_expect(line_has(sd.raw[k], policy_codes_entry(c, e), nd),
                          "%s: %s \"%s\" is not printed so in %s", policy_id(p),
                          policy_codes_entry(c, e), nd, sd.name[k]);
                free(nd);
                checked++;
            }
        }
    }
    cr_log_info("%zu code descriptions checked", checked);
    policy_set_free(s);
    for (size_t i = 0; i < sd.n; i++) {
        free(sd.raw[i]);
        free(sd.text[i]);
    }
}

/* The check itself: it would catch the faults it is there for. */
Test(policy_text, the_verbatim_check_catches_joins_and_inventions)
{
    const char *doc = "Lead-in sentence, 1. First item. 2. Second item. Heading";
    cr_expect_null(missing_part(doc, "Lead-in sentence, 1. First item."));
    cr_expect_null(missing_part(doc, "Lead-in sentence, [...] 2. Second item."));
    cr_expect_not_null(missing_part(doc, "Lead-in sentence, 2. Second item."));
    cr_expect_not_null(missing_part(doc, "2. Second item. [...] Lead-in sentence,"));
    cr_expect_not_null(missing_part(doc, "Heading (an invented gloss)"));
    char *n = normalise("a **bold**\tword\n\n<u>and</u> \xe2\x80\x9cquotes\xe2\x80\x9d");
    cr_expect_str_eq(n, "a bold word and \"quotes\"");
    free(n);
}
