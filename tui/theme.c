#include "tui/theme.h"

#include <stdlib.h>
#include <string.h>

#define THEME_INIT(id, name, fg, bg, a, m) {fg, bg, a, m},
static const theme_style defaults[THEME_COUNT] = {THEME_ROLES(THEME_INIT)};
#undef THEME_INIT
#define THEME_NAME(id, name, fg, bg, a, m) name,
static const char *const names[THEME_COUNT] = {THEME_ROLES(THEME_NAME)};
#undef THEME_NAME

void theme_defaults(theme *t)
{
    memcpy(t->role, defaults, sizeof defaults);
}

int theme_parse_role(const char *name, theme_role *r)
{
    for (int i = 0; i < THEME_COUNT; i++)
        if (strcmp(name, names[i]) == 0) {
            *r = (theme_role)i;
            return 0;
        }
    return -1;
}

const char *theme_role_name(theme_role r)
{
    return (unsigned)r < THEME_COUNT ? names[r] : "?";
}

int theme_parse_color(const char *name, short *out)
{
    static const char *const colours[] = {"black", "red", "green", "yellow",
                                          "blue", "magenta", "cyan", "white"};
    if (strcmp(name, "default") == 0) {
        *out = THEME_DEFAULT;
        return 0;
    }
    for (short i = 0; i < 8; i++)
        if (strcmp(name, colours[i]) == 0) {
            *out = i;
            return 0;
        }
    char *end;
    long n = strtol(name, &end, 10);
    if (*name && *end == 0 && n >= 0 && n <= 255) {
        *out = (short)n;
        return 0;
    }
    return -1;
}

int theme_parse_attr(const char *name, unsigned *out)
{
    static const struct {
        const char *name;
        unsigned a;
    } attrs[] = {{"normal", 0},
                 {"bold", THEME_BOLD},
                 {"reverse", THEME_REVERSE},
                 {"underline", THEME_UNDERLINE},
                 {"dim", THEME_DIM},
                 {"standout", THEME_STANDOUT}};
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
        if (strcmp(name, attrs[i].name) == 0) {
            *out = attrs[i].a;
            return 0;
        }
    return -1;
}
