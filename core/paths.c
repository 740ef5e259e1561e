#include "core/paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef CR_DATADIR
#define CR_DATADIR "/usr/local/share/casereview"
#endif

static char datadir[PATH_MAX];

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *paths_datadir(void)
{
    if (datadir[0])
        return datadir;
    const char *env = getenv("CASEREVIEW_HOME");
    if (env && *env) {
        snprintf(datadir, sizeof datadir, "%s", env);
        return datadir;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        /* build/asan/casereview and build/tests/x live below the tree. */
        for (int up = 0; up < 4; up++) {
            char *slash = strrchr(exe, '/');
            if (!slash)
                break;
            *slash = '\0';
            char probe[PATH_MAX + 16];
            snprintf(probe, sizeof probe, "%s/data/lexicon", exe);
            if (is_dir(probe)) {
                snprintf(datadir, sizeof datadir, "%s", exe);
                return datadir;
            }
        }
    }
    snprintf(datadir, sizeof datadir, "%s", CR_DATADIR);
    return datadir;
}

int paths_join(char *buf, size_t sz, const char *rel)
{
    int n = snprintf(buf, sz, "%s/%s", paths_datadir(), rel);
    return (n < 0 || (size_t)n >= sz) ? -1 : 0;
}
