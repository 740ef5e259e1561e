/* Choosing the policy and section of a case (check_pick_policy), as the
 * workstation proposes them: over every fixture case, the fixture's own
 * policy wherever its notes name the payer; over the import fixtures,
 * the policy of the payer their request names.  No terminal needed. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/note.h"
#include "engine/check.h"
#include "engine/policy.h"
#include "parsers/extract.h"
#include "store/store.h"

#define CASES "fixtures/cases"
#define MAXN 64

static policy_set *set;
static extractor *ex;

static void setup(void)
{
    char err[512];
    set = policy_set_load("policies", err, sizeof err);
    cr_assert_not_null(set, "%s", err);
    ex = extract_new(".", err, sizeof err);
    cr_assert_not_null(ex, "%s", err);
}

static void teardown(void)
{
    extract_free(ex);
    policy_set_free(set);
}

TestSuite(pick, .init = setup, .fini = teardown);

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t list_dir(const char *dir, const char *suffix, char **out, size_t max)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    cr_assert_not_null(d, "%s", dir);
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

/* expected.tsv's policy and section lines. */
static void expected_of(const char *dir, char *pol, char *sec, size_t sz)
{
    char path[1024], line[512];
    snprintf(path, sizeof path, "%s/expected.tsv", dir);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "no %s", path);
    pol[0] = sec[0] = '\0';
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strncmp(line, "policy\t", 7) == 0)
            snprintf(pol, sz, "%.63s", line + 7);
        else if (strncmp(line, "section\t", 8) == 0)
            snprintf(sec, sz, "%.63s", line + 8);
    }
    fclose(f);
}

Test(pick, the_payer_named_in_the_notes_decides)
{
    char *cases[MAXN];
    size_t nc = list_dir(CASES, "", cases, MAXN), named = 0, right = 0, secs = 0;
    cr_assert_gt(nc, 0);
    for (size_t c = 0; c < nc; c++) {
        char dir[512], err[512], pol[64], secname[64], why[512];
        snprintf(dir, sizeof dir, "%s/%s", CASES, cases[c]);
        expected_of(dir, pol, secname, sizeof pol);
        const policy *want = policy_set_find(set, pol);
        cr_assert_not_null(want, "%s: no policy %s", cases[c], pol);
        char *files[MAXN];
        size_t nf = list_dir(dir, ".txt", files, MAXN);
        note *notes[MAXN];
        fact_list facts[MAXN];
        memset(facts, 0, sizeof facts);
        for (size_t i = 0; i < nf; i++) {
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", dir, files[i]);
            cr_assert_eq(note_load_file(path, NULL, &notes[i], err, sizeof err), 0, "%s", err);
            extract_note(ex, notes[i], &facts[i]);
        }
        check_input in = {extract_context(ex), NULL, 0, NULL, NULL};
        const policy_section *sec;
        const policy *got = check_pick_policy(set, (const note *const *)notes, facts, nf,
                                              &in, &sec, why, sizeof why);
        cr_assert_not_null(got);
        cr_assert_not_null(sec);
        right += got == want;
        if (check_payer_mentions(want, (const note *const *)notes, nf)) {
            named++;
            cr_expect_eq(got, want, "%s names %s's payer, but %s was proposed (%s)",
                         cases[c], pol, policy_id(got), why);
            secs += got == want && strcmp(policy_section_name(sec), secname) == 0;
        }
        for (size_t i = 0; i < nf; i++) {
            note_free(notes[i]);
            fact_list_free(&facts[i]);
            free(files[i]);
        }
        free(cases[c]);
    }
    cr_assert_gt(named, 0, "no fixture names its payer");
    cr_log_info("%zu of %zu cases name the payer (%zu of them with the section right); "
                "%zu of %zu proposed their own policy",
                named, nc, secs, right, nc);
}

/* The request's payer outweighs what the notes and codes say. */
Test(pick, the_payer_of_the_request_decides)
{
    static const char *const dirs[] = {"fixtures/import/C-000139", "fixtures/import/C-000142",
                                       "fixtures/import/C-000147"};
    char tmp[] = "/tmp/casereview-pick-XXXXXX", db[300], err[512], cmd[400];
    cr_assert_not_null(mkdtemp(tmp));
    snprintf(db, sizeof db, "%s/case.db", tmp);
    store *st = store_open(db, err, sizeof err);
    cr_assert_not_null(st, "%s", err);
    for (size_t d = 0; d < sizeof dirs / sizeof *dirs; d++) {
        char id[64], why[512];
        cr_assert_eq(store_import_dir(st, dirs[d], id, sizeof id, err, sizeof err), 0, "%s", err);
        store_case *sc;
        cr_assert_eq(store_case_get(st, id, &sc, err, sizeof err), 0, "%s", err);
        note *notes[MAXN];
        fact_list facts[MAXN];
        memset(facts, 0, sizeof facts);
        for (size_t i = 0; i < sc->nnotes; i++) {
            cr_assert_eq(note_load_mem(sc->notes[i].name, sc->notes[i].text, sc->notes[i].len,
                                       NULL, &notes[i], err, sizeof err), 0, "%s", err);
            extract_note(ex, notes[i], &facts[i]);
        }
        check_requested req[32];
        size_t nr = 0;
        for (size_t i = 0; i < sc->nservices && nr < 32; i++)
            req[nr++] = (check_requested){sc->services[i].code, 0};
        for (size_t i = 0; i < sc->ndiagnoses && nr < 32; i++)
            req[nr++] = (check_requested){sc->diagnoses[i], 1};
        check_input in = {extract_context(ex), req, nr, sc->payer_id, sc->payer_name};
        const policy_section *sec;
        const policy *got = check_pick_policy(set, (const note *const *)notes, facts,
                                              sc->nnotes, &in, &sec, why, sizeof why);
        cr_assert_not_null(got);
        cr_expect_str_eq(policy_id(got), sc->policy_id, "%s: %s", id, why);
        cr_expect(strstr(why, "the request's payer"), "%s: %s", id, why);
        if (sc->section[0])
            cr_expect_str_eq(policy_section_name(sec), sc->section, "%s: %s", id, why);
        /* the payer alone, with notes that name another one, still wins */
        check_input payer_only = {NULL, NULL, 0, sc->payer_id, NULL};
        got = check_pick_policy(set, NULL, NULL, 0, &payer_only, &sec, why, sizeof why);
        cr_expect_str_eq(policy_id(got), sc->policy_id, "%s by payer id: %s", id, why);
        for (size_t i = 0; i < sc->nnotes; i++) {
            note_free(notes[i]);
            fact_list_free(&facts[i]);
        }
        store_case_free(sc);
    }
    store_close(st);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    cr_assert_eq(system(cmd), 0);
}

Test(pick, names_are_whole_words_in_any_case)
{
    const policy *ccs = policy_set_find(set, "ccs-nl-05-0612");
    const policy *cbc = policy_set_find(set, "cbc-mp-1.058");
    static const struct {
        const char *text;
        size_t ccs, cbc;
    } t[] = {
        {"A CCS client; ccs-approved center.\n", 2, 0},
        {"California Children\xe2\x80\x99s   Services referral.\n", 1, 0},
        {"CCSX and ACCS are not the payer.\n", 0, 0},
        {"Member of Capital BlueCross; CBC and BMP normal.\n", 0, 1},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        char err[256];
        note *n;
        cr_assert_eq(note_load_mem("n.txt", t[i].text, strlen(t[i].text), NULL, &n, err,
                                   sizeof err), 0, "%s", err);
        const note *v[1] = {n};
        cr_expect_eq(check_payer_mentions(ccs, v, 1), t[i].ccs, "CCS in: %s", t[i].text);
        cr_expect_eq(check_payer_mentions(cbc, v, 1), t[i].cbc, "CBC in: %s", t[i].text);
        note_free(n);
    }
}
