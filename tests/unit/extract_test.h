/* Shared by the extraction tests: one extractor for the whole binary (it
 * reads data/ from the tree, as CASEREVIEW_HOME or the binary's location
 * says), and helpers that run it over a string. */
#ifndef TESTS_EXTRACT_TEST_H
#define TESTS_EXTRACT_TEST_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "core/note.h"
#include "core/paths.h"
#include "parsers/extract.h"

static extractor *ex;

static inline void ex_setup(void)
{
    char err[512];
    ex = extract_new(paths_datadir(), err, sizeof err);
    cr_assert_not_null(ex, "extract_new: %s", err);
}

static inline void ex_teardown(void)
{
    extract_free(ex);
    ex = NULL;
}

/* Facts of text as "kind value" lines joined by '\n' into out. */
static inline size_t ex_run(const char *text, char *out, size_t outsz)
{
    note *n;
    char err[256];
    int rc = note_load_mem("t", text, strlen(text), NULL, &n, err, sizeof err);
    cr_assert_eq(rc, 0, "note_load_mem: %s", err);
    fact_list fl = {0};
    cr_assert_eq(extract_note(ex, n, &fl), 0);
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < fl.n; i++) {
        int w = snprintf(out + o, outsz - o, "%s%s %s", o ? "\n" : "",
                         fact_kind_name(fl.v[i].kind), fl.v[i].value);
        if (w > 0 && (size_t)w < outsz - o)
            o += (size_t)w;
    }
    size_t count = fl.n;
    fact_list_free(&fl);
    note_free(n);
    return count;
}

/* Asserts that the facts of text, as ex_run prints them, are exactly
 * want. */
#define EXPECT_FACTS(text, want)                                            \
    do {                                                                    \
        char got_[4096];                                                    \
        ex_run((text), got_, sizeof got_);                                  \
        cr_assert_str_eq(got_, (want), "text: %s", (text));                 \
    } while (0)

#endif
