/* casereview code: names and checks codes.
 *
 * Human form, one line per code:  CODE  KIND  DESCRIPTION  STATUS
 * --format=tsv:  code, kind, status, description, notes (tab separated;
 * notes is a comma list: billable, retired, not-in-opps, named, no-desc,
 * ambiguous, parent=CODE, children=N).
 * A CODE of "-" reads codes from standard input, one per line.
 * CPT descriptions are the AMA's and are not shipped: a CPT code that an
 * installed policy words itself is described "as POLICY words it: ...",
 * any other by its number alone.
 * Exit status: 0 when every argument is a well-formed code (known or
 * not), 1 when any is malformed, 2 for a usage error or no code table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "codes/codeset.h"
#include "core/paths.h"
#include "engine/policy.h"

static void notes_text(const codes_set *set, const codes_info *in, char *buf, size_t sz)
{
    static const struct { unsigned flag; const char *name; } names[] = {
        {CODES_F_BILLABLE, "billable"}, {CODES_F_RETIRED, "retired"},
        {CODES_F_NOT_OPPS, "not-in-opps"}, {CODES_F_NAMED, "named"},
        {CODES_F_NO_DESC, "no-desc"}, {CODES_F_AMBIGUOUS, "ambiguous"}};
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (in->flags & names[i].flag)
            used += (size_t)snprintf(buf + used, sz - used, "%s%s", used ? "," : "", names[i].name);
    if (in->parent[0] && used < sz)
        used += (size_t)snprintf(buf + used, sz - used, "%sparent=%s", used ? "," : "", in->parent);
    if (in->status == CODES_NOT_BILLABLE && used < sz)
        snprintf(buf + used, sz - used, "%schildren=%zu", used ? "," : "",
                 codes_children(set, in->code, NULL, 0));
}

static void print_code(const codes_set *set, const codes_info *in, int tsv)
{
    const char *desc = codes_describe(in);
    char status[1024], notes[256];
    if (tsv) {
        notes_text(set, in, notes, sizeof notes);
        printf("%s\t%s\t%s\t%s\t%s\n", in->code, codes_kind_name(in->kind),
               codes_status_name(in->status), desc, notes);
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

int cmd_code(int argc, char **argv)
{
    int tsv = 0, first = 1;
    for (; first < argc && strncmp(argv[first], "--", 2) == 0; first++) {
        if (strcmp(argv[first], "--format=tsv") == 0)
            tsv = 1;
        else if (strcmp(argv[first], "--format=text") == 0)
            tsv = 0;
        else if (strcmp(argv[first], "--bench") == 0)
            return bench(paths_datadir());
        else if (strcmp(argv[first], "--") == 0) {
            first++;
            break;
        } else
            return cli_usage("code");
    }
    if (first >= argc)
        return cli_usage("code");
    char err[512];
    codes_set *set = codes_open(paths_datadir(), err, sizeof err);
    if (!set) {
        fprintf(stderr, "casereview: %s\n", err);
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
    for (int i = first; i < argc; i++)
        rc |= strcmp(argv[i], "-") == 0 ? from_stdin(set, tsv) : one(set, argv[i], tsv);
    codes_close(set);
    return rc;
}
