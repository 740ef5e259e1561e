/* config: the reviewer's configuration file,
 * $XDG_CONFIG_HOME/casereview/config (~/.config/casereview/config).
 * One command a line, '#' starts a comment (docs/config.md):
 *
 *   bind SCOPE KEY ACTION       bind review m met; bind queue o enter
 *   color ROLE FG BG [ATTR...]  color evidence black yellow bold
 *   mono ROLE [ATTR...]         mono evidence reverse
 *   set OPTION on|off           accessible, ascii, color
 */
#ifndef TUI_CONFIG_H
#define TUI_CONFIG_H

#include <stddef.h>

#include "tui/keymap.h"
#include "tui/theme.h"

typedef struct {
    int accessible; /* -1 unset, 0, 1 */
    int ascii;
    int color;
} config_options;

/* The file's path into buf: $XDG_CONFIG_HOME or $HOME/.config.  -1 when
 * neither is set. */
int config_default_path(char *buf, size_t sz);

/* Applies the text's lines to km, t and opt (name is for messages).  Every
 * good line is applied; returns the number of bad lines, with the first
 * one's reason ("config:12: unknown action 'frob'") in err. */
int config_parse(const char *name, const char *text, keymap *km, theme *t,
                 config_options *opt, char *err, size_t errsz);

/* Reads and applies a file; a missing file is no error (returns 0). -1
 * when unreadable, else as config_parse. */
int config_load(const char *path, keymap *km, theme *t, config_options *opt,
                char *err, size_t errsz);

#endif
