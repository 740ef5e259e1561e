/* dbopt: the --db=PATH option every store command shares. */
#include <string.h>

#include "cli/dbopt.h"

int dbopt_take(int *argc, char **argv, const char **path)
{
    int out = 0;
    *path = NULL;
    for (int i = 0; i < *argc; i++) {
        if (strncmp(argv[i], "--db=", 5) == 0) {
            *path = argv[i] + 5;
        } else if (strcmp(argv[i], "--db") == 0) {
            if (i + 1 >= *argc)
                return -1;
            *path = argv[++i];
        } else if (strcmp(argv[i], "--") == 0) {
            while (i < *argc)
                argv[out++] = argv[i++];
            break;
        } else {
            argv[out++] = argv[i];
        }
    }
    argv[out] = NULL;
    *argc = out;
    return *path && !**path ? -1 : 0;
}
