/* The notes in fixtures/notes/ with their gold facts (.gold.tsv: kind,
 * value, status): every fact found, nothing extra, by kind and value.
 * The status column is the context engine's (tests/unit/test_context.c
 * and the shared scorer check it). */
#include <dirent.h>
#include <stdlib.h>

#include "tests/unit/extract_test.h"

TestSuite(fixtures, .init = ex_setup, .fini = ex_teardown);

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "kind value" of each gold line, sorted; returns the count. */
static size_t read_gold(const char *path, char **out, size_t max)
{
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s", path);
    char line[512];
    size_t n = 0;
    while (fgets(line, sizeof line, f) && n < max) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        char *tab1 = strchr(line, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
        cr_assert(tab1 && tab2, "%s: bad line", path);
        *tab1 = ' ';
        *tab2 = '\0';
        out[n++] = strdup(line);
    }
    fclose(f);
    qsort(out, n, sizeof *out, cmp);
    return n;
}

static size_t run_note(const char *path, char **out, size_t max)
{
    note *n;
    char err[256];
    cr_assert_eq(note_load_file(path, NULL, &n, err, sizeof err), 0, "%s: %s", path, err);
    fact_list fl = {0};
    cr_assert_eq(extract_note(ex, n, &fl), 0);
    size_t k = 0;
    for (size_t i = 0; i < fl.n && k < max; i++) {
        char buf[256];
        snprintf(buf, sizeof buf, "%s %s", fact_kind_name(fl.v[i].kind), fl.v[i].value);
        out[k++] = strdup(buf);
    }
    fact_list_free(&fl);
    note_free(n);
    qsort(out, k, sizeof *out, cmp);
    return k;
}

static void check_note(const char *dir, const char *name)
{
    char txt[8192], gold[8192];
    snprintf(gold, sizeof gold, "%s/%s", dir, name);
    snprintf(txt, sizeof txt, "%s/%.*s.txt", dir, (int)(strlen(name) - 9), name);
    char *want[256], *got[256];
    size_t nw = read_gold(gold, want, 256), ng = run_note(txt, got, 256);
    size_t i = 0, j = 0;
    while (i < nw || j < ng) {
        int c = i == nw ? 1 : j == ng ? -1 : strcmp(want[i], got[j]);
        cr_expect(c == 0, "%s: %s %s", name, c < 0 ? "missing" : "extra",
                  c < 0 ? want[i] : got[j]);
        if (c <= 0)
            free(want[i++]);
        if (c >= 0)
            free(got[j++]);
    }
}

Test(fixtures, every_fixture_note_matches_its_gold)
{
    char dir[4096];
    cr_assert_eq(paths_join(dir, sizeof dir, "fixtures/notes"), 0);
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "%s", dir);
    int notes = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len > 9 && strcmp(e->d_name + len - 9, ".gold.tsv") == 0) {
            check_note(dir, e->d_name);
            notes++;
        }
    }
    closedir(d);
    cr_assert(notes >= 6, "only %d fixture notes", notes);
}
