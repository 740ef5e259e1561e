#include "tui/keymap.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    tui_scope scope;
    int key;
    tui_action action;
} binding;

struct keymap {
    binding v[KEYMAP_MAX_BINDINGS];
    size_t n;
};

#define TUI_ACTION_INFO(id, scope, name, keys, help) \
    {SCOPE_##scope, name, keys, help},
static const struct {
    tui_scope scope;
    const char *name, *keys, *help;
} actions[ACTION_COUNT] = {
    {SCOPE_GLOBAL, "none", "", "no action"},
    TUI_ACTIONS(TUI_ACTION_INFO)
};
#undef TUI_ACTION_INFO

static const char *const scope_names[SCOPE_COUNT] = {"global", "review",
                                                    "queue", "decide"};

static const struct {
    const char *name;
    int key;
} named_keys[] = {
    {"Up", KEYMAP_FN(KEY_UP)},       {"Down", KEYMAP_FN(KEY_DOWN)},
    {"Left", KEYMAP_FN(KEY_LEFT)},   {"Right", KEYMAP_FN(KEY_RIGHT)},
    {"PgUp", KEYMAP_FN(KEY_PPAGE)},  {"PgDn", KEYMAP_FN(KEY_NPAGE)},
    {"Home", KEYMAP_FN(KEY_HOME)},   {"End", KEYMAP_FN(KEY_END)},
    {"BackTab", KEYMAP_FN(KEY_BTAB)}, {"Backspace", KEYMAP_FN(KEY_BACKSPACE)},
    {"Delete", KEYMAP_FN(KEY_DC)},   {"Insert", KEYMAP_FN(KEY_IC)},
    {"Enter", '\n'},                 {"Tab", '\t'},
    {"Esc", 27},                     {"Space", ' '},
};
#define NNAMED (sizeof named_keys / sizeof named_keys[0])

int keymap_bind(keymap *km, tui_scope scope, int key, tui_action a)
{
    for (size_t i = 0; i < km->n; i++)
        if (km->v[i].scope == scope && km->v[i].key == key) {
            km->v[i].action = a;
            return 0;
        }
    if (km->n == KEYMAP_MAX_BINDINGS)
        return -1;
    km->v[km->n++] = (binding){scope, key, a};
    return 0;
}

static void bind_defaults(keymap *km)
{
    for (int a = 1; a < ACTION_COUNT; a++) {
        char keys[64];
        snprintf(keys, sizeof keys, "%s", actions[a].keys);
        for (char *save = NULL, *k = strtok_r(keys, " ", &save); k;
             k = strtok_r(NULL, " ", &save)) {
            int key;
            if (keymap_parse_key(k, &key) == 0)
                keymap_bind(km, actions[a].scope, key, (tui_action)a);
        }
    }
    /* Enter also comes as a carriage return, and Enter on a keypad. */
    keymap_bind(km, SCOPE_GLOBAL, '\r', ACTION_ENTER);
    keymap_bind(km, SCOPE_GLOBAL, KEYMAP_FN(KEY_ENTER), ACTION_ENTER);
}

keymap *keymap_new(void)
{
    keymap *km = calloc(1, sizeof *km);
    if (km)
        bind_defaults(km);
    return km;
}

void keymap_free(keymap *km)
{
    free(km);
}

tui_action keymap_lookup(const keymap *km, tui_scope scope, int key)
{
    for (size_t i = 0; i < km->n; i++)
        if (km->v[i].scope == scope && km->v[i].key == key)
            return km->v[i].action;
    if (scope != SCOPE_GLOBAL)
        return keymap_lookup(km, SCOPE_GLOBAL, key);
    return ACTION_NONE;
}

void keymap_keys(const keymap *km, tui_scope scope, tui_action a, char *buf,
                 size_t sz)
{
    size_t o = 0;
    buf[0] = 0;
    for (size_t i = 0; i < km->n && o + 1 < sz; i++) {
        char name[32];
        if (km->v[i].scope != scope || km->v[i].action != a)
            continue;
        if (km->v[i].key == '\r' || km->v[i].key == KEYMAP_FN(KEY_ENTER))
            continue; /* aliases of Enter */
        keymap_key_name(km->v[i].key, name, sizeof name);
        int n = snprintf(buf + o, sz - o, "%s%s", o ? " " : "", name);
        if (n < 0 || (size_t)n >= sz - o)
            break;
        o += (size_t)n;
    }
}

static int utf8_one(const char *s, int *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (!u[0])
        return -1;
    int n = u[0] < 0x80 ? 1 : u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : u[0] >= 0xC2 ? 2 : 0;
    if (n == 0)
        return -1;
    int c = n == 1 ? u[0] : u[0] & (0x3F >> (n - 1));
    for (int i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return -1;
        c = (c << 6) | (u[i] & 0x3F);
    }
    if (u[n] != 0)
        return -1;
    *cp = c;
    return 0;
}

int keymap_parse_key(const char *name, int *key)
{
    for (size_t i = 0; i < NNAMED; i++)
        if (strcasecmp(name, named_keys[i].name) == 0) {
            *key = named_keys[i].key;
            return 0;
        }
    if ((name[0] == '^' && name[1] && !name[2]) ||
        ((name[0] == 'C' || name[0] == 'c') && name[1] == '-' && name[2] &&
         !name[3])) {
        int c = name[0] == '^' ? name[1] : name[2];
        if (c >= 'a' && c <= 'z')
            c -= 'a' - 'A';
        if (c < '@' || c > '_')
            return -1;
        *key = c - '@';
        return 0;
    }
    if ((name[0] == 'F' || name[0] == 'f') && name[1] >= '1' && name[1] <= '9') {
        char *end;
        long n = strtol(name + 1, &end, 10);
        if (*end == 0 && n >= 1 && n <= 12) {
            *key = KEYMAP_FN(KEY_F(n));
            return 0;
        }
    }
    int cp;
    if (utf8_one(name, &cp) == 0 && cp > ' ' && cp != 0x7F) {
        *key = cp;
        return 0;
    }
    return -1;
}

void keymap_key_name(int key, char *buf, size_t sz)
{
    for (size_t i = 0; i < NNAMED; i++)
        if (named_keys[i].key == key) {
            snprintf(buf, sz, "%s", named_keys[i].name);
            return;
        }
    if (key >= KEYMAP_FN(KEY_F(1)) && key <= KEYMAP_FN(KEY_F(12))) {
        snprintf(buf, sz, "F%d", key - KEYMAP_FN(KEY_F(0)));
        return;
    }
    if (key > 0 && key < ' ') {
        snprintf(buf, sz, "^%c", key + '@');
        return;
    }
    if (key > ' ' && key < 0x110000 && key != 0x7F) {
        char s[5] = {0};
        if (key < 0x80)
            s[0] = (char)key;
        else if (key < 0x800) {
            s[0] = (char)(0xC0 | (key >> 6));
            s[1] = (char)(0x80 | (key & 0x3F));
        } else if (key < 0x10000) {
            s[0] = (char)(0xE0 | (key >> 12));
            s[1] = (char)(0x80 | ((key >> 6) & 0x3F));
            s[2] = (char)(0x80 | (key & 0x3F));
        } else {
            s[0] = (char)(0xF0 | (key >> 18));
            s[1] = (char)(0x80 | ((key >> 12) & 0x3F));
            s[2] = (char)(0x80 | ((key >> 6) & 0x3F));
            s[3] = (char)(0x80 | (key & 0x3F));
        }
        snprintf(buf, sz, "%s", s);
        return;
    }
    snprintf(buf, sz, "<%d>", key);
}

int keymap_parse_action(const char *name, tui_action *a)
{
    for (int i = 0; i < ACTION_COUNT; i++)
        if (strcmp(name, actions[i].name) == 0) {
            *a = (tui_action)i;
            return 0;
        }
    return -1;
}

const char *keymap_action_name(tui_action a)
{
    return (unsigned)a < ACTION_COUNT ? actions[a].name : "?";
}

const char *keymap_action_help(tui_action a)
{
    return (unsigned)a < ACTION_COUNT ? actions[a].help : "";
}

tui_scope keymap_action_scope(tui_action a)
{
    return (unsigned)a < ACTION_COUNT ? actions[a].scope : SCOPE_GLOBAL;
}

int keymap_parse_scope(const char *name, tui_scope *s)
{
    for (int i = 0; i < SCOPE_COUNT; i++)
        if (strcmp(name, scope_names[i]) == 0) {
            *s = (tui_scope)i;
            return 0;
        }
    return -1;
}

const char *keymap_scope_name(tui_scope s)
{
    return (unsigned)s < SCOPE_COUNT ? scope_names[s] : "?";
}
