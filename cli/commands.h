/* commands: every subcommand of casereview, one X-macro entry each; the
 * table generates the prototypes, the dispatch and the usage text. */
#ifndef CLI_COMMANDS_H
#define CLI_COMMANDS_H

#define CLI_COMMANDS(X)                                                       \
    X(review, "[--policy=ID --section=NAME] [--db=PATH] FILE...", "review a case in the workstation") \
    X(extract, "[--format=tsv|json] [--max-bytes=N] FILE...", "print the facts found in notes") \
    X(context, "< TARGET<TAB>SENTENCE lines", "classify a phrase's context (negated, ...)") \
    X(check, "--policy=ID [--section=NAME] [--format=tsv] FILE...", "evaluate notes against a policy section") \
    X(policy, "list | validate FILE...", "list installed policies, or validate policy files") \
    X(code, "[--format=tsv] CODE...", "name and check ICD-10-CM, HCPCS and CPT codes") \
    X(import, "[--db=PATH] CASE-DIR...", "import case folders into the case store") \
    X(cases, "[--db=PATH] [--format=tsv]", "list the cases in the store") \
    X(queue, "[--db=PATH]", "open the work queue (the default with no arguments)") \
    X(admin, "[--db=PATH] list | add USER ROLE [--name=N --credentials=C] | role USER ROLE | takeover CASE", "manage reviewers, take over a claim") \
    X(audit, "[--db=PATH] verify [--head=ID:HEX] | show CASE", "verify the audit trail, or show a case's history")

#define CLI_PROTO(name, args, help) int cmd_##name(int argc, char **argv);
CLI_COMMANDS(CLI_PROTO)
#undef CLI_PROTO

/* Prints the usage of one command to stderr; returns 2. */
int cli_usage(const char *name);

#endif
