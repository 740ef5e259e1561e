#include "parsers/patterns.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    char *name;
    char *text; /* expanded */
    unsigned flags;
    int macro;
    int scan; /* run over whole notes (exported by patterns_dump) */
    rx *re;
} pattern;

struct patterns {
    pattern *v;
    size_t n;
};

static const char *find_macro(const patterns *p, const patterns_macro *m,
                              size_t nm, const char *name, size_t len)
{
    for (size_t i = 0; i < nm; i++)
        if (strlen(m[i].name) == len && memcmp(m[i].name, name, len) == 0)
            return m[i].text;
    for (size_t i = 0; i < p->n; i++)
        if (strlen(p->v[i].name) == len && memcmp(p->v[i].name, name, len) == 0)
            return p->v[i].text;
    return NULL;
}

/* Replaces each @NAME@ in src; NULL with err set when a name is unknown. */
static char *expand(const patterns *p, const patterns_macro *m, size_t nm,
                    const char *src, char *err, size_t errsz)
{
    size_t cap = strlen(src) + 1, o = 0;
    char *out = malloc(cap);
    for (const char *s = src; out && *s;) {
        const char *add = s;
        size_t addlen = 1;
        const char *close = *s == '@' ? strchr(s + 1, '@') : NULL;
        if (close && close > s + 1) {
            add = find_macro(p, m, nm, s + 1, (size_t)(close - s - 1));
            if (!add) {
                snprintf(err, errsz, "unknown macro @%.*s@", (int)(close - s - 1), s + 1);
                free(out);
                return NULL;
            }
            addlen = strlen(add);
            s = close + 1;
        } else {
            s++;
        }
        if (o + addlen + 1 > cap) {
            cap = (o + addlen + 1) * 2;
            char *b = realloc(out, cap);
            if (!b) {
                free(out);
                out = NULL;
                break;
            }
            out = b;
        }
        memcpy(out + o, add, addlen);
        o += addlen;
    }
    if (!out) {
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    out[o] = '\0';
    return out;
}

static int add_line(patterns *p, const patterns_macro *m, size_t nm, char *line,
                    char *err, size_t errsz)
{
    char *t1 = strchr(line, '\t');
    char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
    if (!t2) {
        snprintf(err, errsz, "expected NAME FLAGS PATTERN");
        return -1;
    }
    *t1 = *t2 = '\0';
    pattern e = {.macro = strchr(t1 + 1, 'm') != NULL,
                 .scan = strchr(t1 + 1, 's') != NULL,
                 .flags = strchr(t1 + 1, 'i') ? RX_CASELESS : 0};
    e.text = expand(p, m, nm, t2 + 1, err, errsz);
    if (!e.text)
        return -1;
    if (!e.macro && !(e.re = rx_compile(e.text, e.flags, err, errsz))) {
        free(e.text);
        return -1;
    }
    pattern *v = realloc(p->v, (p->n + 1) * sizeof *v);
    e.name = strdup(line);
    if (!v || !e.name) {
        if (v)
            p->v = v;
        free(e.name);
        free(e.text);
        rx_free(e.re);
        snprintf(err, errsz, "out of memory");
        return -1;
    }
    p->v = v;
    p->v[p->n++] = e;
    return 0;
}

patterns *patterns_load(const char *path, const patterns_macro *macros,
                        size_t nmacros, char *err, size_t errsz)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errsz, "%s: cannot open", path);
        return NULL;
    }
    err[0] = '\0';
    patterns *p = calloc(1, sizeof *p);
    size_t cap = 8192;
    char *line = malloc(cap);
    int lineno = 0;
    while (p && line && fgets(line, (int)cap, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char why[256];
        if (add_line(p, macros, nmacros, line, why, sizeof why) < 0) {
            snprintf(err, errsz, "%s:%d: %s", path, lineno, why);
            patterns_free(p);
            p = NULL;
        }
    }
    free(line);
    fclose(f);
    if (!p && err[0] == '\0')
        snprintf(err, errsz, "out of memory");
    return p;
}

void patterns_free(patterns *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].name);
        free(p->v[i].text);
        rx_free(p->v[i].re);
    }
    free(p->v);
    free(p);
}

const rx *patterns_get(const patterns *p, const char *name)
{
    for (size_t i = 0; i < p->n; i++)
        if (!p->v[i].macro && strcmp(p->v[i].name, name) == 0)
            return p->v[i].re;
    return NULL;
}

void patterns_dump(const patterns *p, FILE *f)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->v[i].scan)
            fprintf(f, "%s%s\n", p->v[i].flags & RX_CASELESS ? "(?i)" : "",
                    p->v[i].text);
}
