/* PLACEHOLDER: replaced by the module that owns this command. */
#include <stdio.h>
#include "cli/commands.h"

int cmd_review(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "casereview: 'review' is not built yet\n");
    return 2;
}
