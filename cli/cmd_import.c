/* import: case folders (request.xml + notes, docs/case-folder.md) into the
 * case store. */
#include <stdio.h>
#include <time.h>

#include "cli/commands.h"
#include "cli/dbopt.h"
#include "store/store.h"

static void print_due(const char *id, store *s)
{
    store_case *c;
    char err[256], due[32];
    if (store_case_get(s, id, &c, err, sizeof err) < 0)
        return;
    struct tm tm;
    gmtime_r(&c->due, &tm);
    strftime(due, sizeof due, "%Y-%m-%d %H:%M UTC", &tm);
    printf("imported %s: %zu note%s, %s, due %s\n", id, c->nnotes, c->nnotes == 1 ? "" : "s",
           store_urgency_name(c->urgency), due);
    store_case_free(c);
}

int cmd_import(int argc, char **argv)
{
    const char *db;
    char err[512];
    if (dbopt_take(&argc, argv, &db) < 0 || argc < 2 || argv[1][0] == '-')
        return cli_usage("import");
    store *s = store_open(db, err, sizeof err);
    if (!s) {
        fprintf(stderr, "casereview: %s\n", err);
        return 1;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        char id[STORE_ID_MAX];
        if (store_import_dir(s, argv[i], id, sizeof id, err, sizeof err) < 0) {
            fprintf(stderr, "casereview: import %s: %s\n", argv[i], err);
            status = 1;
            continue;
        }
        print_due(id, s);
    }
    store_close(s);
    return status;
}
