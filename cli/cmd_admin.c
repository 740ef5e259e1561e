/* admin: the reviewers of a case store and their roles, and taking over a
 * claim.  Every change is an administrator's and lands in the audit
 * trail. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/dbopt.h"
#include "store/store.h"

static const char help[] =
    "usage: casereview admin [--db=PATH] COMMAND\n"
    "  whoami                          the reviewer you are\n"
    "  list                            every reviewer, role and right\n"
    "  add USER ROLE [--name=N] [--credentials=C]\n"
    "  role USER ROLE                  ROLE: trainee nurse physician none,\n"
    "                                  or administrator (grants the right)\n"
    "  revoke USER                     takes the administrator right away\n"
    "  name USER [--name=N] [--credentials=C]\n"
    "  takeover CASE                   takes another reviewer's claim of a case\n";

static void print_reviewer(const store_reviewer *r)
{
    printf("%-16s %-10s %-5s %-13s %s\n", r->user, store_role_name(r->role),
           r->credentials[0] ? r->credentials : "-", r->admin ? "administrator" : "-",
           r->name);
}

static int list(store *s, char *err, size_t errsz)
{
    store_reviewer *rs;
    size_t n;
    if (store_reviewer_list(s, &rs, &n, err, errsz) < 0)
        return -1;
    printf("%-16s %-10s %-5s %-13s %s\n", "user", "role", "cred", "right", "name");
    for (size_t i = 0; i < n; i++)
        print_reviewer(&rs[i]);
    free(rs);
    return 0;
}

/* --name=N and --credentials=C anywhere after the command. */
static void options(int argc, char **argv, const char **name, const char **cred)
{
    for (int i = 2; i < argc; i++) {
        if (strncmp(argv[i], "--name=", 7) == 0)
            *name = argv[i] + 7;
        else if (strncmp(argv[i], "--credentials=", 14) == 0)
            *cred = argv[i] + 14;
    }
}

static int set_role(store *s, const char *user, const char *role, char *err, size_t errsz)
{
    store_role r;
    if (strcmp(role, "administrator") == 0 || strcmp(role, "admin") == 0)
        return store_reviewer_set_admin(s, user, 1, err, errsz);
    if (store_role_parse(role, &r) < 0) {
        snprintf(err, errsz, "unknown role %s (trainee, nurse, physician, none, administrator)",
                 role);
        return -1;
    }
    return store_reviewer_set_role(s, user, r, err, errsz);
}

/* Audited as "takeover", naming whom the claim was taken from. */
static int takeover(store *s, const char *case_id, char *err, size_t errsz)
{
    char previous[STORE_USER_MAX];
    if (store_takeover_from(s, case_id, previous, sizeof previous, err, errsz) < 0)
        return -1;
    if (strcmp(previous, store_whoami(s)->user) == 0)
        printf("%s: you hold it already\n", case_id);
    else
        printf("%s: taken over from %s\n", case_id, previous);
    return 0;
}

static int run(store *s, int argc, char **argv, char *err, size_t errsz)
{
    const char *cmd = argv[1], *name = NULL, *cred = NULL;
    options(argc, argv, &name, &cred);
    if (strcmp(cmd, "whoami") == 0) {
        print_reviewer(store_whoami(s));
        return 0;
    }
    if (strcmp(cmd, "list") == 0)
        return list(s, err, errsz);
    if (strcmp(cmd, "add") == 0 && argc >= 4) {
        store_role r;
        if (store_role_parse(argv[3], &r) < 0) {
            snprintf(err, errsz, "unknown role %s (trainee, nurse, physician, none)", argv[3]);
            return -1;
        }
        return store_reviewer_add(s, argv[2], r, name, cred, err, errsz);
    }
    if (strcmp(cmd, "role") == 0 && argc >= 4)
        return set_role(s, argv[2], argv[3], err, errsz);
    if (strcmp(cmd, "revoke") == 0 && argc >= 3)
        return store_reviewer_set_admin(s, argv[2], 0, err, errsz);
    if (strcmp(cmd, "name") == 0 && argc >= 3)
        return store_reviewer_set_name(s, argv[2], name, cred, err, errsz);
    if (strcmp(cmd, "takeover") == 0 && argc == 3)
        return takeover(s, argv[2], err, errsz);
    return 2;
}

int cmd_admin(int argc, char **argv)
{
    const char *db;
    char err[512];
    if (dbopt_take(&argc, argv, &db) < 0 || argc < 2) {
        fputs(help, stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        fputs(help, stdout);
        return 0;
    }
    store *s = store_open(db, err, sizeof err);
    if (!s) {
        fprintf(stderr, "casereview: %s\n", err);
        return 1;
    }
    int rc = run(s, argc, argv, err, sizeof err);
    store_close(s);
    if (rc == 2)
        fputs(help, stderr);
    else if (rc < 0)
        fprintf(stderr, "casereview: admin: %s\n", err);
    return rc == 0 ? 0 : rc == 2 ? 2 : 1;
}
