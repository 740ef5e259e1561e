/* benchcheck: times, in one process, what `casereview check` does for one
 * case: load and validate a policy, load the notes, extract the facts,
 * evaluate the section.  Used by bench/check.sh; prints figures only.
 *
 *   benchcheck N POLICY.xml SECTION NOTE... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/note.h"
#include "engine/check.h"
#include "engine/policy.h"
#include "parsers/extract.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: benchcheck N POLICY.xml SECTION NOTE...\n");
        return 2;
    }
    int n = atoi(argv[1]), nn = argc - 4;
    char err[1024];
    extractor *ex = extract_new(".", err, sizeof err);
    if (!ex) {
        fprintf(stderr, "benchcheck: %s\n", err);
        return 1;
    }
    double t_pol = 0, t_note = 0, t_ext = 0, t_run = 0;
    for (int it = 0; it < n; it++) {
        double t0 = now_ms();
        policy *p = policy_load_file(argv[2], "policies/policy.rng", err, sizeof err);
        if (!p) {
            fprintf(stderr, "benchcheck: %s\n", err);
            return 1;
        }
        double t1 = now_ms();
        note *notes[64];
        fact_list facts[64];
        memset(facts, 0, sizeof facts);
        for (int i = 0; i < nn && i < 64; i++)
            if (note_load_file(argv[4 + i], NULL, &notes[i], err, sizeof err) < 0) {
                fprintf(stderr, "benchcheck: %s\n", err);
                return 1;
            }
        double t2 = now_ms();
        for (int i = 0; i < nn && i < 64; i++)
            extract_note(ex, notes[i], &facts[i]);
        double t3 = now_ms();
        check_result *r = check_run(policy_section_find(p, argv[3]),
                                    (const note *const *)notes, facts,
                                    (size_t)nn, extract_context(ex), err, sizeof err);
        double t4 = now_ms();
        check_result_free(r);
        for (int i = 0; i < nn && i < 64; i++) {
            note_free(notes[i]);
            fact_list_free(&facts[i]);
        }
        policy_free(p);
        t_pol += t1 - t0;
        t_note += t2 - t1;
        t_ext += t3 - t2;
        t_run += t4 - t3;
    }
    printf("   in-process, mean of %d: policy load+validate %.2f ms, notes %.2f ms, "
           "extract %.2f ms, evaluate %.2f ms, total %.2f ms\n", n, t_pol / n,
           t_note / n, t_ext / n, t_run / n, (t_pol + t_note + t_ext + t_run) / n);
    extract_free(ex);
    return 0;
}
