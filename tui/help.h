/* help: the help screen, generated from the action table: every key of
 * the screen it was asked from, then the global ones. */
#ifndef TUI_HELP_H
#define TUI_HELP_H

#include "tui/action.h"

struct ui;
int help_push(struct ui *u, tui_scope scope, const char *screen_name);

#endif
