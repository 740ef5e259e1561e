/* casereview queue (and casereview with no arguments): the work queue. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "tui/tui.h"

int cli_tui_option(const char *arg, tui_options *o);

int cmd_queue(int argc, char **argv)
{
    tui_options o = {0};
    for (int i = 1; i < argc; i++)
        if (cli_tui_option(argv[i], &o) != 0) {
            fprintf(stderr, "casereview: unknown option '%.40s'\n", argv[i]);
            return cli_usage("queue");
        }
    return tui_queue(&o);
}
