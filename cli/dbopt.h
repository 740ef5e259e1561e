/* dbopt: the --db=PATH option every store command shares. */
#ifndef CLI_DBOPT_H
#define CLI_DBOPT_H

/* Removes --db=PATH (or --db PATH) from argv, shifting the rest down and
 * updating *argc; *path is the last one given, or NULL.  -1 if --db has no
 * value. */
int dbopt_take(int *argc, char **argv, const char **path);

#endif
