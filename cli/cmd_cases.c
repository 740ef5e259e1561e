/* cases: every case in the store, soonest due first, as a table or TSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "cli/dbopt.h"
#include "store/store.h"

static void fmt_time(time_t t, char *buf, size_t sz)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, sz, "%Y-%m-%d %H:%M", &tm);
}

/* Fields are ours or validated at import, but names come from a request
 * file: tabs and control characters never reach the output. */
static void clean(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            *s = ' ';
}

static void print_item(store_queue_item *q, int tsv)
{
    char due[32], rec[32];
    fmt_time(q->due, due, sizeof due);
    fmt_time(q->received, rec, sizeof rec);
    clean(q->member_name);
    clean(q->service);
    clean(q->payer);
    if (tsv)
        printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", q->case_id,
               store_urgency_name(q->urgency), store_status_name(q->status), rec, due,
               q->member_name, q->service, q->policy_id, q->section, q->holder);
    else
        printf("%-10s %-8s %-8s %s%s %-20.20s %-16.16s %-14.14s %s\n", q->case_id,
               store_urgency_name(q->urgency), store_status_name(q->status), due,
               q->overdue ? "!" : " ", q->member_name, q->service, q->policy_id,
               q->holder[0] ? q->holder : "-");
}

int cmd_cases(int argc, char **argv)
{
    const char *db;
    char err[512];
    int tsv = 0;
    if (dbopt_take(&argc, argv, &db) < 0)
        return cli_usage("cases");
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--format=tsv") == 0)
            tsv = 1;
        else if (strcmp(argv[i], "--format=text") != 0)
            return cli_usage("cases");
    }
    store *s = store_open(db, err, sizeof err);
    if (!s) {
        fprintf(stderr, "casereview: %s\n", err);
        return 1;
    }
    if (tsv)
        printf("case\turgency\tstatus\treceived\tdue\tmember\tservice\tpolicy\tsection\tholder\n");
    else
        printf("%-10s %-8s %-8s %-17s %-20s %-16s %-14s %s\n", "case", "urgency", "status",
               "due (UTC)", "member", "service", "policy", "holder");
    store_queue_opts o = {.all = 1, .sort = STORE_SORT_DUE, .limit = 1000};
    int status = 0;
    for (;;) {
        store_queue_item *items;
        size_t n;
        if (store_queue(s, &o, &items, &n, NULL, err, sizeof err) < 0) {
            fprintf(stderr, "casereview: %s\n", err);
            status = 1;
            break;
        }
        for (size_t i = 0; i < n; i++)
            print_item(&items[i], tsv);
        free(items);
        if (n < o.limit)
            break;
        o.offset += n;
    }
    store_close(s);
    return status;
}
