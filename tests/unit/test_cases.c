/* Every fixture case end to end: the notes in fixtures/cases/NAME (every .txt),
 * read with the real note loader and extractor, checked against the
 * policy section that expected.tsv names, and compared line by line with
 * the expected suggestions and outcome.  Needs nothing outside the repo. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/note.h"
#include "engine/check.h"
#include "engine/policy.h"
#include "parsers/extract.h"

#define CASES "fixtures/cases"
#define MAXN 256

typedef struct {
    char name[128];
} case_param;

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the entries of dir ending in suffix ("" for folders). */
static size_t list_dir(const char *dir, const char *suffix, char **out, size_t max)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    if (!d)
        return 0;
    for (struct dirent *e; (e = readdir(d)) && n < max;) {
        size_t l = strlen(e->d_name), sl = strlen(suffix);
        if (e->d_name[0] == '.' || l <= sl || strcmp(e->d_name + l - sl, suffix))
            continue;
        out[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(out, n, sizeof *out, by_name);
    return n;
}

ParameterizedTestParameters(cases, fixture)
{
    char *names[MAXN];
    size_t n = list_dir(CASES, "", names, MAXN);
    case_param *p = cr_malloc(sizeof *p * (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        snprintf(p[i].name, sizeof p[i].name, "%s", names[i]);
        free(names[i]);
    }
    return cr_make_param_array(case_param, p, n);
}

typedef struct {
    char policy[64], section[64], outcome[32];
    char id[32][32], want[32][16];
    size_t n;
} expected;

static void read_expected(const char *dir, expected *x)
{
    char path[1024], line[512];
    snprintf(path, sizeof path, "%s/expected.tsv", dir);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "no %s", path);
    memset(x, 0, sizeof *x);
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *tab = strchr(line, '\t');
        if (line[0] == '#' || !tab)
            continue;
        *tab = '\0';
        const char *v = tab + 1;
        if (strcmp(line, "policy") == 0)
            snprintf(x->policy, sizeof x->policy, "%s", v);
        else if (strcmp(line, "section") == 0)
            snprintf(x->section, sizeof x->section, "%s", v);
        else if (strcmp(line, "outcome") == 0)
            snprintf(x->outcome, sizeof x->outcome, "%s", v);
        else if (x->n < 32 && strlen(line) < sizeof x->id[0] &&
                 strlen(v) < sizeof x->want[0]) {
            memcpy(x->id[x->n], line, strlen(line) + 1);
            memcpy(x->want[x->n++], v, strlen(v) + 1);
        }
    }
    fclose(f);
}

ParameterizedTest(case_param *c, cases, fixture)
{
    char dir[512], err[512];
    snprintf(dir, sizeof dir, "%s/%s", CASES, c->name);
    expected x;
    read_expected(dir, &x);
    policy_set *set = policy_set_load("policies", err, sizeof err);
    cr_assert_not_null(set, "%s", err);
    const policy *p = policy_set_find(set, x.policy);
    cr_assert_not_null(p, "%s: no policy %s", c->name, x.policy);
    const policy_section *sec = policy_section_find(p, x.section);
    cr_assert_not_null(sec, "%s: no section %s", c->name, x.section);
    extractor *ex = extract_new(".", err, sizeof err);
    cr_assert_not_null(ex, "%s", err);

    char *files[MAXN];
    size_t nf = list_dir(dir, ".txt", files, MAXN);
    cr_assert(nf > 0, "%s has no notes", c->name);
    note *notes[MAXN];
    fact_list facts[MAXN];
    memset(facts, 0, sizeof facts);
    for (size_t i = 0; i < nf; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        cr_assert_eq(note_load_file(path, NULL, &notes[i], err, sizeof err), 0,
                     "%s", err);
        cr_assert_eq(extract_note(ex, notes[i], &facts[i]), 0);
    }
    check_result *r = check_run(sec, (const note *const *)notes, facts, nf,
                                extract_context(ex), err, sizeof err);
    cr_assert_not_null(r, "%s", err);
    cr_assert_eq(check_result_count(r), x.n, "%s: %zu criteria, expected %zu",
                 c->name, check_result_count(r), x.n);
    char diff[2048] = "";
    for (size_t i = 0; i < x.n; i++) {
        const char *id = policy_criterion_id(check_result_criterion(r, i));
        const char *got = check_suggestion_name(check_result_suggestion(r, i));
        cr_expect_str_eq(id, x.id[i], "%s: criterion %zu", c->name, i);
        if (strcmp(got, x.want[i]) != 0) {
            size_t l = strlen(diff);
            snprintf(diff + l, sizeof diff - l, " %s: want %s got %s;", x.id[i],
                     x.want[i], got);
        }
    }
    const char *out = check_outcome_name(check_result_outcome(r));
    cr_expect_str_eq(out, x.outcome, "%s: outcome", c->name);
    cr_expect_str_empty(diff, "%s:%s", c->name, diff);
    check_result_free(r);
    for (size_t i = 0; i < nf; i++) {
        note_free(notes[i]);
        fact_list_free(&facts[i]);
        free(files[i]);
    }
    extract_free(ex);
    policy_set_free(set);
}
