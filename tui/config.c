#include "tui/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORDS 8
#define CONFIG_MAX_BYTES (1 << 20)

int config_default_path(char *buf, size_t sz)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    int n;
    if (xdg && *xdg == '/')
        n = snprintf(buf, sz, "%s/casereview/config", xdg);
    else if (home && *home)
        n = snprintf(buf, sz, "%s/.config/casereview/config", home);
    else
        return -1;
    return n < 0 || (size_t)n >= sz ? -1 : 0;
}

static int split(char *line, char *w[MAX_WORDS])
{
    int n = 0;
    /* '#' starts a comment, except as the key of a binding
     * ("bind review # search"). */
    for (char *save = NULL, *t = strtok_r(line, " \t\r", &save); t;
         t = strtok_r(NULL, " \t\r", &save)) {
        if (t[0] == '#' && !(n == 2 && strcmp(w[0], "bind") == 0))
            break;
        if (n == MAX_WORDS)
            return -1;
        w[n++] = t;
    }
    return n;
}

static int do_bind(char **w, int n, keymap *km, char *why, size_t sz)
{
    tui_scope scope;
    tui_action a;
    int key;
    if (n != 4)
        return snprintf(why, sz, "usage: bind SCOPE KEY ACTION"), -1;
    if (keymap_parse_scope(w[1], &scope) < 0)
        return snprintf(why, sz, "unknown scope '%.20s'", w[1]), -1;
    if (keymap_parse_key(w[2], &key) < 0)
        return snprintf(why, sz, "unknown key '%.20s'", w[2]), -1;
    if (keymap_parse_action(w[3], &a) < 0)
        return snprintf(why, sz, "unknown action '%.30s'", w[3]), -1;
    if (keymap_bind(km, scope, key, a) < 0)
        return snprintf(why, sz, "too many bindings"), -1;
    return 0;
}

static int parse_attrs(char **w, int n, unsigned *out, char *why, size_t sz)
{
    *out = 0;
    for (int i = 0; i < n; i++) {
        unsigned a;
        if (theme_parse_attr(w[i], &a) < 0)
            return snprintf(why, sz, "unknown attribute '%.20s'", w[i]), -1;
        *out |= a;
    }
    return 0;
}

static int do_color(char **w, int n, theme *t, char *why, size_t sz)
{
    theme_role r;
    short fg, bg;
    unsigned attrs;
    int mono = strcmp(w[0], "mono") == 0;
    if (n < (mono ? 2 : 4))
        return snprintf(why, sz, mono ? "usage: mono ROLE [ATTR...]"
                                      : "usage: color ROLE FG BG [ATTR...]"), -1;
    if (theme_parse_role(w[1], &r) < 0)
        return snprintf(why, sz, "unknown role '%.20s'", w[1]), -1;
    if (mono) {
        if (parse_attrs(w + 2, n - 2, &attrs, why, sz) < 0)
            return -1;
        t->role[r].mono = attrs;
        return 0;
    }
    if (theme_parse_color(w[2], &fg) < 0 || theme_parse_color(w[3], &bg) < 0)
        return snprintf(why, sz, "unknown colour"), -1;
    if (parse_attrs(w + 4, n - 4, &attrs, why, sz) < 0)
        return -1;
    t->role[r] = (theme_style){fg, bg, attrs, t->role[r].mono};
    return 0;
}

static int do_set(char **w, int n, config_options *opt, char *why, size_t sz)
{
    int on;
    if (n != 3)
        return snprintf(why, sz, "usage: set OPTION on|off"), -1;
    if (strcmp(w[2], "on") == 0 || strcmp(w[2], "yes") == 0)
        on = 1;
    else if (strcmp(w[2], "off") == 0 || strcmp(w[2], "no") == 0)
        on = 0;
    else
        return snprintf(why, sz, "'%.10s' is not on or off", w[2]), -1;
    if (strcmp(w[1], "accessible") == 0)
        opt->accessible = on;
    else if (strcmp(w[1], "ascii") == 0)
        opt->ascii = on;
    else if (strcmp(w[1], "color") == 0 || strcmp(w[1], "colour") == 0)
        opt->color = on;
    else
        return snprintf(why, sz, "unknown option '%.20s'", w[1]), -1;
    return 0;
}

static int do_line(char *line, keymap *km, theme *t, config_options *opt,
                   char *why, size_t sz)
{
    char *w[MAX_WORDS];
    int n = split(line, w);
    if (n < 0)
        return snprintf(why, sz, "too many words"), -1;
    if (n == 0)
        return 0;
    if (strcmp(w[0], "bind") == 0)
        return do_bind(w, n, km, why, sz);
    if (strcmp(w[0], "color") == 0 || strcmp(w[0], "colour") == 0 ||
        strcmp(w[0], "mono") == 0)
        return do_color(w, n, t, why, sz);
    if (strcmp(w[0], "set") == 0)
        return do_set(w, n, opt, why, sz);
    return snprintf(why, sz, "unknown command '%.20s'", w[0]), -1;
}

int config_parse(const char *name, const char *text, keymap *km, theme *t,
                 config_options *opt, char *err, size_t errsz)
{
    int bad = 0, lineno = 0;
    const char *p = text;
    if (errsz)
        err[0] = 0;
    while (*p) {
        char line[512], why[128];
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        lineno++;
        if (len >= sizeof line) {
            snprintf(why, sizeof why, "line too long");
            goto bad;
        }
        memcpy(line, p, len);
        line[len] = 0;
        if (do_line(line, km, t, opt, why, sizeof why) == 0)
            goto next;
    bad:
        if (bad++ == 0)
            snprintf(err, errsz, "%s:%d: %s", name, lineno, why);
    next:
        p += len + (nl ? 1 : 0);
    }
    return bad;
}

int config_load(const char *path, keymap *km, theme *t, config_options *opt,
                char *err, size_t errsz)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, errsz, "%s: %s", path, strerror(errno));
        return -1;
    }
    char *buf = malloc(CONFIG_MAX_BYTES + 1);
    if (!buf) {
        fclose(f);
        snprintf(err, errsz, "%s: out of memory", path);
        return -1;
    }
    size_t n = fread(buf, 1, CONFIG_MAX_BYTES, f);
    fclose(f);
    buf[n] = 0;
    if (memchr(buf, 0, n)) {
        free(buf);
        snprintf(err, errsz, "%s: not a text file", path);
        return -1;
    }
    /* Messages name the file as the manual does: it is always the same one. */
    int bad = config_parse("config", buf, km, t, opt, err, errsz);
    free(buf);
    return bad;
}
