/* casereview check: evaluates the notes of one case against one section of
 * a policy and prints one line per criterion, then the outcome
 * (docs/criteria-contract.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/clean.h"
#include "cli/commands.h"
#include "core/note.h"
#include "core/paths.h"
#include "engine/check.h"
#include "engine/policy.h"
#include "parsers/extract.h"

typedef struct {
    const char *policy, *section, *format, *policies_dir;
    char **files;
    int nfiles;
} check_args;

static int parse_args(int argc, char **argv, check_args *a)
{
    memset(a, 0, sizeof *a);
    a->format = "text";
    a->files = calloc((size_t)argc + 1, sizeof *a->files);
    if (!a->files)
        return -1;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (strncmp(s, "--policy=", 9) == 0)
            a->policy = s + 9;
        else if (strncmp(s, "--section=", 10) == 0)
            a->section = s + 10;
        else if (strncmp(s, "--format=", 9) == 0)
            a->format = s + 9;
        else if (strncmp(s, "--policies=", 11) == 0)
            a->policies_dir = s + 11;
        else if (strcmp(s, "--") == 0) {
            while (++i < argc)
                a->files[a->nfiles++] = argv[i];
        } else if (s[0] == '-' && s[1]) {
            fprintf(stderr, "casereview check: unknown option %s\n", s);
            return -1;
        } else
            a->files[a->nfiles++] = argv[i];
    }
    if (!a->policy || !a->nfiles ||
        (strcmp(a->format, "tsv") != 0 && strcmp(a->format, "text") != 0))
        return -1;
    return 0;
}

/* --policy=ID or ID@VERSION (the version a case was reviewed under). */
static const policy *find_policy(const policy_set *set, const char *arg)
{
    const char *at = strchr(arg, '@');
    if (!at)
        return policy_set_find(set, arg);
    char id[128];
    size_t l = (size_t)(at - arg);
    if (l >= sizeof id)
        return NULL;
    memcpy(id, arg, l);
    id[l] = '\0';
    return policy_set_find_version(set, id, at + 1);
}

static void put_evidence(FILE *out, const note *const *notes,
                         const check_evidence *e)
{
    if (e->note == CHECK_REQUEST) { /* a requested code: no note span */
        fputs(e->source ? e->source : "request", out);
        return;
    }
    const note *n = notes[e->note];
    size_t s = e->sent_start, t = e->sent_end;
    while (s < t && (n->text[s] == ' ' || n->text[s] == '\n' ||
                     n->text[s] == '\r' || n->text[s] == '\t'))
        s++;
    while (t > s && (n->text[t - 1] == ' ' || n->text[t - 1] == '\n' ||
                     n->text[t - 1] == '\r' || n->text[t - 1] == '\t'))
        t--;
    clean_put_words(out, n->text + s, t - s);
}

static void print_tsv(const check_result *r, const note *const *notes)
{
    for (size_t i = 0; i < check_result_count(r); i++) {
        const check_evidence *e = check_result_deciding(r, i);
        printf("%s\t%s\t", policy_criterion_id(check_result_criterion(r, i)),
               check_suggestion_name(check_result_suggestion(r, i)));
        if (e)
            put_evidence(stdout, notes, e);
        putchar('\n');
    }
    printf("outcome\t%s\n", check_outcome_name(check_result_outcome(r)));
}

static void print_text(const policy *p, const check_result *r,
                       const note *const *notes)
{
    const policy_section *s = check_result_section(r);
    printf("%s %s (%s), section %s: %s\n", policy_id(p), policy_title(p),
           policy_version(p), policy_section_name(s),
           policy_section_logic(s));
    for (size_t i = 0; i < check_result_count(r); i++) {
        const policy_criterion *c = check_result_criterion(r, i);
        check_suggestion sg = check_result_suggestion(r, i);
        printf("%-10s %-8s %s\n", policy_criterion_id(c),
               check_suggestion_name(sg), policy_criterion_short(c));
        for (size_t k = 0; k < check_result_evidence_count(r, i); k++) {
            const check_evidence *e = check_result_evidence(r, i, k);
            static const char *dn[] = {"supports", "refutes", "not applicable"};
            if (e->note == CHECK_REQUEST) {
                printf("    %s, %s\n", dn[e->dir], e->source);
                continue;
            }
            const note *n = notes[e->note];
            printf("    %s, %s:%zu [%zu-%zu]: ", dn[e->dir], n->path,
                   note_line_at(n, e->match_start),
                   note_file_offset(n, e->sent_start),
                   note_file_offset(n, e->sent_end));
            put_evidence(stdout, notes, e);
            putchar('\n');
        }
        if (sg == CHECK_UNKNOWN) {
            const char *sr = check_result_searched(r, i);
            while (*sr) {
                const char *nl = strchr(sr, '\n');
                size_t l = nl ? (size_t)(nl - sr) : strlen(sr);
                printf("    searched: %.*s\n", (int)l, sr);
                sr += l + (nl != NULL);
            }
        }
    }
    printf("outcome    %s\n", check_outcome_name(check_result_outcome(r)));
}

/* Only the kinds of fact the policy's rules read are extracted: check
 * prints verdicts, not facts, and looking for doses and dates no rule
 * reads was a good part of its run time. */
static int load_notes(const check_args *a, note **notes, fact_list *facts,
                      const extractor *ex, unsigned kinds, size_t *n)
{
    int bad = 0;
    *n = 0;
    for (int i = 0; i < a->nfiles; i++) {
        char err[512];
        note *nt;
        if (note_load_file(a->files[i], NULL, &nt, err, sizeof err) < 0) {
            /* the loader's reason may or may not name the file */
            if (strstr(err, a->files[i]))
                fprintf(stderr, "casereview check: %s\n", err);
            else
                fprintf(stderr, "casereview check: %s: %s\n", a->files[i], err);
            bad = 1;
            continue;
        }
        notes[*n] = nt;
        memset(&facts[*n], 0, sizeof facts[*n]);
        if (extract_note_kinds(ex, nt, kinds, &facts[*n]) < 0)
            fprintf(stderr, "casereview check: %s: some facts were not "
                            "extracted (pattern limit)\n", a->files[i]);
        (*n)++;
    }
    return bad;
}

static int run(const check_args *a, const policy *p, const extractor *ex)
{
    note **notes = calloc((size_t)a->nfiles, sizeof *notes);
    fact_list *facts = calloc((size_t)a->nfiles, sizeof *facts);
    size_t n = 0;
    int rc = 1;
    if (!notes || !facts)
        goto out;
    int bad = load_notes(a, notes, facts, ex, policy_fact_kinds(p), &n);
    if (n == 0)
        goto out; /* nothing readable: no verdict to print */
    const policy_section *sec;
    if (a->section) {
        sec = policy_section_find(p, a->section);
        if (!sec) {
            fprintf(stderr, "casereview check: policy %s has no section "
                            "\"%s\"\n", policy_id(p), a->section);
            rc = 2;
            goto out;
        }
    } else {
        char why[256];
        sec = check_pick_section(p, (const note *const *)notes, facts, n,
                                 why, sizeof why);
        fprintf(stderr, "casereview check: %s\n", why);
    }
    char err[256];
    check_result *r = check_run(sec, (const note *const *)notes, facts, n,
                                extract_context(ex), err, sizeof err);
    if (!r) {
        fprintf(stderr, "casereview check: %s\n", err);
        goto out;
    }
    if (strcmp(a->format, "tsv") == 0)
        print_tsv(r, (const note *const *)notes);
    else
        print_text(p, r, (const note *const *)notes);
    check_result_free(r);
    rc = bad;
out:
    for (size_t i = 0; i < n; i++) {
        note_free(notes[i]);
        fact_list_free(&facts[i]);
    }
    free(notes);
    free(facts);
    return rc;
}

int cmd_check(int argc, char **argv)
{
    check_args a;
    if (parse_args(argc, argv, &a) < 0) {
        free(a.files);
        return cli_usage("check");
    }
    char err[1024];
    int rc = 2;
    char id[128];
    snprintf(id, sizeof id, "%.*s", (int)strcspn(a.policy, "@"), a.policy);
    policy_set *set = policy_set_load_id(a.policies_dir, id, err, sizeof err);
    extractor *ex = NULL;
    const policy *p = NULL;
    for (size_t i = 0; i < policy_set_warning_count(set); i++)
        fprintf(stderr, "casereview check: warning: %s\n",
                policy_set_warning(set, i));
    if (!set)
        fprintf(stderr, "casereview check: %s\n", err);
    else if (!(p = find_policy(set, a.policy)))
        fprintf(stderr, "casereview check: no policy \"%s\" is installed "
                        "(see casereview policy list)\n", a.policy);
    else if (!(ex = extract_new(paths_datadir(), err, sizeof err)))
        fprintf(stderr, "casereview check: %s\n", err);
    else
        rc = run(&a, p, ex);
    if (ex)
        extract_free(ex);
    policy_set_free(set);
    free(a.files);
    return rc;
}
