/* audit: verify the audit trail (against a recorded head, if given), or
 * print one case's history. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "cli/dbopt.h"
#include "store/store.h"

static int show_row(const store_audit_row *r, void *ctx)
{
    (void)ctx;
    char at[32];
    struct tm tm;
    gmtime_r(&r->at, &tm);
    strftime(at, sizeof at, "%Y-%m-%d %H:%M:%S", &tm);
    printf("%6lld  %s  %-12s %-10s %s\n", r->id, at, r->user, r->action, r->detail);
    return 0;
}

/* Prints the head on success, for a site to record elsewhere (cron, the
 * letters) and give back later as --head: the file alone cannot show its
 * tail cut off, or its chain rebuilt, by someone who can write it. */
static int verify(store *s, const store_audit_head *expect)
{
    char err[512], text[STORE_AUDIT_HEAD_TEXT];
    long long rows, bad;
    store_audit_head head;
    int rc = store_audit_verify_head(s, expect, &rows, &bad, &head, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "casereview: %s\n", err);
        return 1;
    }
    printf("audit chain intact: %lld rows\n", rows);
    if (expect) {
        store_audit_head_format(expect, text, sizeof text);
        printf("recorded head %s: present\n", text);
    }
    store_audit_head_format(&head, text, sizeof text);
    printf("head %s\n", text);
    return 0;
}

static int show(store *s, const char *case_id)
{
    char err[512];
    store_case *c;
    if (store_case_get(s, case_id, &c, err, sizeof err) < 0) {
        fprintf(stderr, "casereview: %s\n", err);
        return 1;
    }
    printf("case %s: %s, %s%s%s\n", c->id, store_status_name(c->status), c->policy_id,
           c->reviewed ? ", reviewed under " : "", c->reviewed ? c->version.policy_id : "");
    if (c->reviewed)
        printf("policy version: %s effective %s revision %s section %s\n",
               c->version.policy_id, c->version.effective, c->version.revision,
               c->version.section);
    store_case_free(c);
    printf("%6s  %-19s  %-12s %-10s %s\n", "row", "time (UTC)", "user", "action", "detail");
    if (store_audit_each(s, case_id, show_row, NULL, err, sizeof err) < 0) {
        fprintf(stderr, "casereview: %s\n", err);
        return 1;
    }
    return 0;
}

int cmd_audit(int argc, char **argv)
{
    const char *db;
    char err[512];
    if (dbopt_take(&argc, argv, &db) < 0 || argc < 2)
        return cli_usage("audit");
    int is_verify = strcmp(argv[1], "verify") == 0;
    store_audit_head expect, *want = NULL;
    if (is_verify && argc == 3 && strncmp(argv[2], "--head=", 7) == 0) {
        if (store_audit_head_parse(argv[2] + 7, &expect) < 0) {
            fprintf(stderr, "casereview: audit: --head=ID:HEX, HEX the row's 64-digit hash"
                            " as verify printed it\n");
            return 2;
        }
        want = &expect;
    } else if (is_verify && argc != 2) {
        return cli_usage("audit");
    }
    if (!is_verify && !(strcmp(argv[1], "show") == 0 && argc == 3))
        return cli_usage("audit");
    store *s = store_open(db, err, sizeof err);
    if (!s) {
        fprintf(stderr, "casereview: %s\n", err);
        return 1;
    }
    int rc = is_verify ? verify(s, want) : show(s, argv[2]);
    store_close(s);
    return rc;
}
