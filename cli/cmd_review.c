/* casereview review: opens a case (a case id of the store, a case folder,
 * or loose note files) in the review workstation. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "tui/tui.h"

/* Options shared with cmd_queue: 0 taken, 1 not an option of ours. */
int cli_tui_option(const char *arg, tui_options *o);
int cli_tui_option(const char *arg, tui_options *o)
{
    if (strcmp(arg, "--accessible") == 0)
        o->accessible = 1;
    else if (strcmp(arg, "--no-color") == 0 || strcmp(arg, "--no-colour") == 0)
        o->no_color = 1;
    else if (strncmp(arg, "--db=", 5) == 0 && arg[5])
        o->db = arg + 5;
    else if (strncmp(arg, "--policy=", 9) == 0 && arg[9])
        o->policy = arg + 9;
    else if (strncmp(arg, "--section=", 10) == 0 && arg[10])
        o->section = arg + 10;
    else
        return 1;
    return 0;
}

int cmd_review(int argc, char **argv)
{
    tui_options o = {0};
    char *files[256];
    int n = 0, opts_done = 0;
    for (int i = 1; i < argc; i++) {
        if (!opts_done && strcmp(argv[i], "--") == 0) {
            opts_done = 1;
        } else if (!opts_done && argv[i][0] == '-' && argv[i][1]) {
            if (cli_tui_option(argv[i], &o) != 0) {
                fprintf(stderr, "casereview: unknown option '%.40s'\n", argv[i]);
                return cli_usage("review");
            }
        } else if (n == (int)(sizeof files / sizeof files[0])) {
            fprintf(stderr, "casereview: too many files\n");
            return 2;
        } else {
            files[n++] = argv[i];
        }
    }
    if (n == 0)
        return tui_queue(&o);
    return tui_review(&o, files, n);
}
