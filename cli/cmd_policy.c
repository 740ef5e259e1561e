/* PLACEHOLDER: replaced by the module that owns this command. */
#include <stdio.h>
#include "cli/commands.h"

int cmd_policy(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "casereview: 'policy' is not built yet\n");
    return 2;
}
