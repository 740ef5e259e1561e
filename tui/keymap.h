/* keymap: which key does what, per scope.  Starts from the defaults of
 * action.h; the configuration file rebinds on top.  Keys are ints: a
 * character is its code point, a function key is KEYMAP_FN(curses code).
 *
 * Key names: a single character ("a", "?", "é"), "^X" or "C-x" for a
 * control key, and Up Down Left Right PgUp PgDn Home End Tab BackTab
 * Enter Esc Space Backspace Delete Insert F1..F12. */
#ifndef TUI_KEYMAP_H
#define TUI_KEYMAP_H

#include <stddef.h>

#include "tui/action.h"

#define KEYMAP_FN(k) ((k) + 0x200000)
#define KEYMAP_MAX_BINDINGS 256

typedef struct keymap keymap;

keymap *keymap_new(void); /* the defaults; NULL when out of memory */
void keymap_free(keymap *km);

/* Binds key to action in scope; "none" (ACTION_NONE) unbinds.  -1 when
 * the table is full. */
int keymap_bind(keymap *km, tui_scope scope, int key, tui_action a);

/* The action for key in scope, else in the global scope, else NONE. */
tui_action keymap_lookup(const keymap *km, tui_scope scope, int key);

/* The keys bound to a in scope, as "k Up" into buf. */
void keymap_keys(const keymap *km, tui_scope scope, tui_action a, char *buf,
                 size_t sz);

int keymap_parse_key(const char *name, int *key);   /* 0 or -1 */
void keymap_key_name(int key, char *buf, size_t sz);
int keymap_parse_action(const char *name, tui_action *a);
const char *keymap_action_name(tui_action a);
const char *keymap_action_help(tui_action a);
tui_scope keymap_action_scope(tui_action a);
int keymap_parse_scope(const char *name, tui_scope *s);
const char *keymap_scope_name(tui_scope s);

#endif
