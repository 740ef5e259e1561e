/* casereview policy: lists the installed policies (a file that does not
 * load is named on stderr and the others are still listed), or validates
 * policy files strictly (the schema, the patterns, the references between
 * them). */
#include <stdio.h>
#include <string.h>
#include "cli/commands.h"
#include "engine/policy.h"

static int policy_list(const char *dir)
{
    char err[1024];
    policy_set *set = policy_set_load(dir, err, sizeof err);
    if (!set) {
        fprintf(stderr, "casereview policy: %s\n", err);
        return 1;
    }
    /* The good ones are listed; each file left out is named on stderr and
     * makes the exit status 1, so a script notices. */
    for (size_t i = 0; i < policy_set_warning_count(set); i++)
        fprintf(stderr, "casereview policy: %s\n", policy_set_warning(set, i));
    int rc = policy_set_warning_count(set) ? 1 : 0;
    for (size_t i = 0; i < policy_set_count(set); i++) {
        const policy *p = policy_set_at(set, i);
        printf("%s\t%s\t%s\t%s\t", policy_id(p), policy_effective(p),
               policy_version(p), policy_payer(p));
        for (size_t k = 0; k < policy_section_count(p); k++)
            printf("%s%s", k ? "," : "",
                   policy_section_name(policy_section_at(p, k)));
        printf("\t%s\n", policy_title(p));
    }
    policy_set_free(set);
    return rc;
}

static int policy_validate(int argc, char **argv, int first)
{
    int rc = 0;
    for (int i = first; i < argc; i++) {
        char err[1024];
        policy *p = policy_load_file(argv[i], NULL, err, sizeof err);
        if (!p) {
            fprintf(stderr, "%s\n", err);
            rc = 1;
            continue;
        }
        size_t nc = 0;
        for (size_t k = 0; k < policy_section_count(p); k++)
            nc += policy_criterion_count(policy_section_at(p, k));
        printf("%s: ok: %s %s, %zu section%s, %zu criteria\n", argv[i],
               policy_id(p), policy_version(p), policy_section_count(p),
               policy_section_count(p) == 1 ? "" : "s", nc);
        policy_free(p);
    }
    return rc;
}

int cmd_policy(int argc, char **argv)
{
    const char *dir = NULL;
    int i = 1;
    if (i < argc && strncmp(argv[i], "--policies=", 11) == 0)
        dir = argv[i++] + 11;
    if (i < argc && strcmp(argv[i], "list") == 0 && i + 1 == argc)
        return policy_list(dir);
    if (i < argc && strcmp(argv[i], "validate") == 0 && i + 1 < argc)
        return policy_validate(argc, argv, i + 1);
    return cli_usage("policy");
}
