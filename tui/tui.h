/* tui: the workstation's entry points, called by cli/cmd_review.c and
 * cli/cmd_queue.c.  Each returns the program's exit status, having
 * printed any error (one line) to stderr. */
#ifndef TUI_TUI_H
#define TUI_TUI_H

typedef struct {
    int accessible;      /* --accessible */
    int no_color;        /* --no-color (NO_COLOR is read by term.c) */
    const char *db;      /* --db=PATH, or NULL */
    const char *policy;  /* --policy=ID, or NULL: proposed */
    const char *section; /* --section=NAME, or NULL: proposed */
} tui_options;

/* args: one case id of the store, one case folder (imported when new),
 * or loose note files. */
int tui_review(const tui_options *o, char **args, int n);
/* The queue; Enter opens a case. */
int tui_queue(const tui_options *o);

#endif
