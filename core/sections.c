#define PCRE2_CODE_UNIT_WIDTH 8
#include "core/sections.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/paths.h"

typedef struct {
    char *kind;
    note_section_context ctx;
    unsigned flags;
    pcre2_code *re;
} section_rule;

struct sections {
    section_rule *v;
    size_t n;
    pcre2_match_data *md;
};

static int parse_context(const char *s, note_section_context *out)
{
    static const struct {
        const char *name;
        note_section_context ctx;
    } names[] = {{"PLAIN", NOTE_SECTION_PLAIN},
                 {"HISTORICAL", NOTE_SECTION_HISTORICAL},
                 {"FAMILY", NOTE_SECTION_FAMILY},
                 {"HYPOTHETICAL", NOTE_SECTION_HYPOTHETICAL}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].ctx;
            return 0;
        }
    return -1;
}

static int parse_lists(const char *s, unsigned *out)
{
    if (strcmp(s, "dx") == 0)
        *out = NOTE_SECTION_DX_LIST;
    else if (strcmp(s, "codes") == 0)
        *out = NOTE_SECTION_CODE_LIST;
    else if (strcmp(s, "-") == 0)
        *out = 0;
    else
        return -1;
    return 0;
}

static int add_rule(sections *s, char *line, char *err, size_t errsz)
{
    char *f[4];
    char *save = NULL;
    int n = 0;
    for (char *t = strtok_r(line, "\t", &save); t && n < 4;
         t = strtok_r(NULL, "\t", &save))
        f[n++] = t;
    section_rule r = {0};
    if (n != 4 || parse_context(f[1], &r.ctx) || parse_lists(f[2], &r.flags)) {
        snprintf(err, errsz, "expected KIND CONTEXT LISTS PATTERN");
        return -1;
    }
    char pat[2048];
    snprintf(pat, sizeof pat, "^(?:%s)$", f[3]);
    int ec;
    PCRE2_SIZE eo;
    r.re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                         PCRE2_CASELESS | PCRE2_UTF, &ec, &eo, NULL);
    if (!r.re) {
        char msg[128];
        pcre2_get_error_message(ec, (PCRE2_UCHAR *)msg, sizeof msg);
        snprintf(err, errsz, "bad pattern: %s", msg);
        return -1;
    }
    pcre2_jit_compile(r.re, PCRE2_JIT_COMPLETE);
    r.kind = strdup(f[0]);
    section_rule *v = realloc(s->v, (s->n + 1) * sizeof *v);
    if (!r.kind || !v) {
        free(r.kind);
        pcre2_code_free(r.re);
        if (v)
            s->v = v;
        snprintf(err, errsz, "out of memory");
        return -1;
    }
    s->v = v;
    s->v[s->n++] = r;
    return 0;
}

sections *sections_load(const char *path, char *err, size_t errsz)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errsz, "%s: cannot open", path);
        return NULL;
    }
    sections *s = calloc(1, sizeof *s);
    if (!s) {
        fclose(f);
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    s->md = pcre2_match_data_create(4, NULL);
    char line[4096];
    int lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char why[256];
        if (add_rule(s, line, why, sizeof why) < 0) {
            snprintf(err, errsz, "%s:%d: %s", path, lineno, why);
            fclose(f);
            sections_free(s);
            return NULL;
        }
    }
    fclose(f);
    return s;
}

void sections_free(sections *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].kind);
        pcre2_code_free(s->v[i].re);
    }
    free(s->v);
    pcre2_match_data_free(s->md);
    free(s);
}

static sections *dflt;
static int dflt_tried;
static char dflt_err[256];

static void free_default(void)
{
    sections_free(dflt);
}

const sections *sections_default(char *err, size_t errsz)
{
    if (!dflt_tried) {
        dflt_tried = 1;
        char path[4096];
        if (paths_join(path, sizeof path, "data/sections.tsv") < 0)
            snprintf(dflt_err, sizeof dflt_err, "data directory path too long");
        else if ((dflt = sections_load(path, dflt_err, sizeof dflt_err)))
            atexit(free_default);
    }
    if (!dflt && err)
        snprintf(err, errsz, "%s", dflt_err);
    return dflt;
}

static int match(const sections *s, const char *buf, size_t len, const char **kind,
                 note_section_context *ctx, unsigned *flags)
{
    for (size_t i = 0; i < s->n; i++)
        if (pcre2_match(s->v[i].re, (PCRE2_SPTR)buf, len, 0, 0, s->md, NULL) >= 0) {
            *kind = s->v[i].kind;
            *ctx = s->v[i].ctx;
            *flags = s->v[i].flags;
            return 1;
        }
    return 0;
}

int sections_classify(const sections *s, const char *label, size_t len,
                      const char **kind, note_section_context *ctx,
                      unsigned *flags)
{
    *kind = "other";
    *ctx = NOTE_SECTION_PLAIN;
    *flags = 0;
    if (!s)
        return 0;
    /* Collapse runs of blanks so "PAST  MEDICAL HISTORY" still matches. */
    char buf[128];
    size_t o = 0;
    for (size_t i = 0; i < len && o < sizeof buf - 1; i++) {
        char c = label[i] == '\t' ? ' ' : label[i];
        if (c == ' ' && (o == 0 || buf[o - 1] == ' '))
            continue;
        buf[o++] = c;
    }
    while (o && buf[o - 1] == ' ')
        o--;
    if (match(s, buf, o, kind, ctx, flags))
        return 1;
    /* "PROBLEM LIST / CODES", "Diagnoses and codes": each part is read; the
     * first that names a kind gives it, and the lists of all count. */
    int found = 0, unmatched = 0, mixed = 0;
    for (size_t a = 0, i = 0; i <= o; i++) {
        int cut = i == o || buf[i] == '/' || buf[i] == '&' ||
                  (i + 5 <= o && strncasecmp(buf + i, " and ", 5) == 0);
        if (!cut)
            continue;
        size_t b = i;
        while (a < b && buf[a] == ' ')
            a++;
        while (b > a && buf[b - 1] == ' ')
            b--;
        const char *k;
        note_section_context c;
        unsigned f;
        if (b > a && (a > 0 || i < o) && match(s, buf + a, b - a, &k, &c, &f)) {
            if (!found) {
                *kind = k;
                *ctx = c;
            } else if (c != *ctx) {
                mixed = 1;
            }
            *flags |= f;
            found = 1;
        } else if (b > a && (a > 0 || i < o)) {
            unmatched = 1;
        }
        a = i + (i < o && buf[i] == ' ' ? 5 : 1);
    }
    /* "PAST MEDICAL/FAMILY/SOCIAL HISTORY": parts of different contexts, or
     * parts the table does not know, give the whole none of them. */
    if (found && (mixed || unmatched))
        *ctx = NOTE_SECTION_PLAIN;
    if (found)
        return 1;
    /* A table's heading with its column titles after a wide gap: "ACTIVE
     * PROBLEMS            CODE          NOTED" is the active problems. */
    for (size_t i = 0; i + 1 < len; i++)
        if ((label[i] == ' ' && label[i + 1] == ' ') || label[i] == '\t') {
            if (i >= 3)
                return sections_classify(s, label, i, kind, ctx, flags);
            break;
        }
    /* "HISTORY (inactive, resolved)", "Diagnoses (from the referral)": the
     * label with its parenthesis read as words, then without it. */
    char *open = memchr(buf, '(', o);
    if (!open)
        return 0;
    char words[128];
    size_t w = 0, cut = (size_t)(open - buf);
    for (size_t i = 0; i < o; i++) {
        char c = buf[i] == '(' || buf[i] == ')' ? ' ' : buf[i];
        if (c != ' ' || (w && words[w - 1] != ' '))
            words[w++] = c;
    }
    while (w && words[w - 1] == ' ')
        w--;
    if (match(s, words, w, kind, ctx, flags))
        return 1;
    while (cut && buf[cut - 1] == ' ')
        cut--;
    return cut && match(s, buf, cut, kind, ctx, flags);
}
