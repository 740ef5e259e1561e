/* paths: where casereview finds its data files and policies. */
#ifndef CORE_PATHS_H
#define CORE_PATHS_H

#include <stddef.h>

/* $CASEREVIEW_HOME if set; else the executable's directory when it holds
 * data/ (a build tree); else the installed share directory. */
const char *paths_datadir(void);

/* datadir + "/" + rel into buf; -1 if it does not fit. */
int paths_join(char *buf, size_t sz, const char *rel);

#endif
