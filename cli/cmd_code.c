/* casereview code: names and checks codes.
 *
 * Human form, one line per code:  CODE  KIND  DESCRIPTION  STATUS
 * --format=tsv:  code, kind, status (ok, retired, not billable, not in
 * list, unchecked, malformed), description, notes (tab separated; notes is
 * a comma list: billable, retired, not-in-opps, named, no-desc, ambiguous,
 * parent=CODE, children=CODE CODE ... for a category).  Options may come
 * anywhere; "--" ends them.
 * A CODE of "-" reads codes from standard input, one per line.
 * CPT descriptions are the AMA's and are not shipped: a CPT code that an
 * installed policy words itself is described "as POLICY words it: ...",
 * any other by its number alone.
 * Exit status: 0 when every argument is a well-formed code, whatever its
 * status (not billable, not in the list, retired: a status is an answer,
 * printed for the reader; a retired code is still that code), 1 when any
 * is malformed (not a code at all), 2 for a usage error or no code
 * table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "codes/codeset.h"
#include "core/paths.h"
#include "engine/policy.h"

/* The billable children of a category, space-separated (malloc'd; the
 * caller frees), so that a script gets the codes, not only their number. */
static char *children_list(const codes_set *set, const codes_info *in)
{
    size_t n = codes_children(set, in->code, NULL, 0);
    char (*kids)[CODES_CODE_MAX] = calloc(n ? n : 1, sizeof *kids);
    char *out = kids ? malloc(n * CODES_CODE_MAX + 1) : NULL;
    if (!out) {
        free(kids);
        return NULL;
    }
    codes_children(set, in->code, kids, n);
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        o += (size_t)sprintf(out + o, "%s%s", i ? " " : "", kids[i]);
    free(kids);
    return out;
}

static void print_notes(const codes_set *set, const codes_info *in)
{
    static const struct { unsigned flag; const char *name; } names[] = {
        {CODES_F_BILLABLE, "billable"}, {CODES_F_RETIRED, "retired"},
        {CODES_F_NOT_OPPS, "not-in-opps"}, {CODES_F_NAMED, "named"},
        {CODES_F_NO_DESC, "no-desc"}, {CODES_F_AMBIGUOUS, "ambiguous"}};
    int any = 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (in->flags & names[i].flag)
            printf("%s%s", any++ ? "," : "", names[i].name);
    if (in->parent[0])
        printf("%sparent=%s", any++ ? "," : "", in->parent);
    if (in->status == CODES_NOT_BILLABLE) {
        char *kids = children_list(set, in);
        printf("%schildren=%s", any++ ? "," : "", kids ? kids : "");
        free(kids);
    }
}

static void print_code(const codes_set *set, const codes_info *in, int tsv)
{
    const char *desc = codes_describe(in);
    char status[1024];
    if (tsv) {
        printf("%s\t%s\t%s\t%s\t", in->code, codes_kind_name(in->kind),
               codes_status_name(in->status), desc);
        print_notes(set, in);
        putchar('\n');
        return;
    }
    codes_status_text(set, in, status, sizeof status);
    printf("%-8s  %-8s  %s%s%s\n", in->code, in->kind ? codes_kind_name(in->kind) : "-",
           desc, desc[0] ? "  " : "", status);
}

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Hidden: `code --bench` prints the cost of opening the table and of one
 * lookup (bench/codes.sh). */
static int bench(const char *dir)
{
    char err[512];
    double best = 1e18, total = 0;
    for (int i = 0; i < 20; i++) {
        double t0 = now_ns();
        codes_set *s = codes_open(dir, err, sizeof err);
        double dt = now_ns() - t0;
        if (!s) {
            fprintf(stderr, "casereview: %s\n", err);
            return 2;
        }
        codes_close(s);
        total += dt;
        best = dt < best ? dt : best;
    }
    codes_set *s = codes_open(dir, err, sizeof err);
    static const char *const probe[] = {"G80.0", "g800", "E0783", "62369", "U07.1",
                                        "S72.001A", "G80", "J1815", "M1A.0110", "Z99.89"};
    static codes_info in;
    const int n = 200000;
    unsigned sink = 0;
    double t0 = now_ns();
    for (int i = 0; i < n; i++)
        sink += codes_lookup(s, probe[i % 10], &in);
    double per = (now_ns() - t0) / n;
    printf("open: %.2f ms best, %.2f ms mean (20 runs)\n", best / 1e6, total / 20 / 1e6);
    printf("lookup: %.0f ns per code (%d lookups, descriptions decoded; %u)\n", per, n, sink % 2);
    codes_close(s);
    return 0;
}

static int one(const codes_set *set, const char *text, int tsv)
{
    static codes_info info;
    int bad = codes_lookup(set, text, &info) == CODES_MALFORMED;
    print_code(set, &info, tsv);
    return bad;
}

/* Lines longer than any code are malformed; the rest of such a line is
 * skipped, so a stray binary file cannot make many bogus lines. */
static int from_stdin(const codes_set *set, int tsv)
{
    char line[64];
    int rc = 0;
    while (fgets(line, sizeof line, stdin)) {
        size_t n = strlen(line);
        int whole = n > 0 && line[n - 1] == '\n';
        if (!whole && !feof(stdin))
            for (int c; (c = getchar()) != EOF && c != '\n';)
                ;
        line[strcspn(line, "\n")] = '\0';
        if (line[strspn(line, " \t\r")] == '\0')
            continue; /* blank line */
        rc |= one(set, line, tsv);
    }
    return rc;
}

/* Options may come before or after the codes; after "--" every argument
 * is a code.  An unknown option is refused, never looked up as a code. */
static int parse_args(int argc, char **argv, int *tsv, int *bench_only, char **codes,
                      int *ncodes)
{
    int literal = 0;
    *ncodes = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (literal || a[0] != '-' || strcmp(a, "-") == 0)
            codes[(*ncodes)++] = argv[i];
        else if (strcmp(a, "--") == 0)
            literal = 1;
        else if (strcmp(a, "--format=tsv") == 0)
            *tsv = 1;
        else if (strcmp(a, "--format=text") == 0)
            *tsv = 0;
        else if (strcmp(a, "--bench") == 0)
            *bench_only = 1;
        else {
            fprintf(stderr, "casereview code: unknown option %s\n", a);
            return -1;
        }
    }
    return 0;
}

int cmd_code(int argc, char **argv)
{
    int tsv = 0, bench_only = 0, ncodes = 0;
    char **codes = calloc((size_t)argc + 1, sizeof *codes);
    if (!codes || parse_args(argc, argv, &tsv, &bench_only, codes, &ncodes) < 0) {
        free(codes);
        return cli_usage("code");
    }
    if (bench_only) {
        free(codes);
        return bench(paths_datadir());
    }
    if (!ncodes) {
        free(codes);
        return cli_usage("code");
    }
    char err[512];
    codes_set *set = codes_open(paths_datadir(), err, sizeof err);
    if (!set) {
        fprintf(stderr, "casereview: %s\n", err);
        free(codes);
        return 2;
    }
    /* A CPT code is named only by a policy's own words for it. */
    policy_set *ps = policy_set_load(NULL, err, sizeof err);
    for (size_t i = 0; i < policy_set_warning_count(ps); i++)
        fprintf(stderr, "casereview code: warning: %s\n", policy_set_warning(ps, i));
    if (ps && policy_set_name_codes(ps, set) < 0)
        fprintf(stderr, "casereview code: out of memory naming the policies' codes\n");
    policy_set_free(ps);
    int rc = 0;
    for (int i = 0; i < ncodes; i++)
        rc |= strcmp(codes[i], "-") == 0 ? from_stdin(set, tsv) : one(set, codes[i], tsv);
    codes_close(set);
    free(codes);
    return rc;
}
