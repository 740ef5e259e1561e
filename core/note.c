/* note: loading untrusted note files, and the offsets of their lines,
 * sentences and sections. */
#include "core/note.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/sections.h"
#include "core/utf8.h"

/* A sentence longer than this is cut at a blank: no clinical sentence is
 * this long, and the context engine and the dose parser look at whole
 * sentences, so a 1 MB line must not become one. */
#define SENTENCE_MAX 4096
#define LABEL_MAX 60

static void seterr(char *err, size_t errsz, const char *msg)
{
    if (err && errsz)
        snprintf(err, errsz, "%s", msg);
}

/* ---- validation ---- */

static int is_ctl(unsigned char c)
{
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' &&
            c != '\v') ||
           c == 0x7F;
}

/* Returns 0 if buf looks like text; else a reason in err. */
static int check_text(const char *buf, size_t len, char *err, size_t errsz)
{
    if (memchr(buf, '\0', len)) {
        seterr(err, errsz, "binary file (NUL bytes), not a clinical note");
        return -1;
    }
    size_t ctl = 0, blank = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)buf[i];
        ctl += is_ctl(c);
        blank += (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
                  c == '\f' || c == '\v');
    }
    /* A few escape sequences are tolerated (the screen sanitises them);
     * a file that is one part in ten control bytes is not prose. */
    if (ctl > 16 && ctl * 10 > len) {
        seterr(err, errsz, "binary file (control characters), not a clinical note");
        return -1;
    }
    size_t skip = (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
    if (blank + skip == len) {
        seterr(err, errsz, "empty file (no text)");
        return -1;
    }
    return 0;
}

/* Bytes that are not UTF-8 are repaired as Latin-1 only when they read
 * like Latin-1 text: few of them, none of the bytes Windows-1252 leaves
 * undefined. */
static int plausibly_latin1(const char *buf, size_t len)
{
    const unsigned char *p = (const unsigned char *)buf;
    size_t bad = 0;
    for (size_t i = 0; i < len;) {
        size_t k = p[i] < 0x80 ? 1 : utf8_seq_len(p + i, len - i);
        if (k) {
            i += k;
            continue;
        }
        if (!utf8_cp1252_defined(p[i]))
            return 0;
        bad++;
        i++;
    }
    return bad * 5 <= len;
}

/* ---- reading ---- */

static int read_all(const char *path, size_t max, char **out, size_t *outlen,
                    char *err, size_t errsz)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        char msg[160];
        snprintf(msg, sizeof msg, "cannot open: %s", strerror(errno));
        seterr(err, errsz, msg);
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        seterr(err, errsz, "is a directory, not a clinical note");
        return -1;
    }
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size > max) {
        char msg[160];
        snprintf(msg, sizeof msg, "too large (%lld bytes; the limit is %zu, see --max-bytes)",
                 (long long)st.st_size, max);
        close(fd);
        seterr(err, errsz, msg);
        return -1;
    }
    size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            char *b = cap > max ? NULL : realloc(buf, cap * 2);
            if (!b)
                break;
            buf = b;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            char msg[160];
            snprintf(msg, sizeof msg, "read error: %s", strerror(errno));
            seterr(err, errsz, msg);
            free(buf);
            close(fd);
            return -1;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > max)
            break;
    }
    close(fd);
    if (!buf) {
        seterr(err, errsz, "out of memory");
        return -1;
    }
    if (n > max) {
        char msg[160];
        snprintf(msg, sizeof msg, "too large (over %zu bytes, see --max-bytes)", max);
        seterr(err, errsz, msg);
        free(buf);
        return -1;
    }
    *out = buf;
    *outlen = n;
    return 0;
}

int note_load_file(const char *path, const note_options *opt, note **out,
                   char *err, size_t errsz)
{
    size_t max = opt && opt->max_bytes ? opt->max_bytes : NOTE_DEFAULT_MAX_BYTES;
    char *buf;
    size_t len;
    *out = NULL;
    if (read_all(path, max, &buf, &len, err, errsz) < 0)
        return -1;
    int rc = note_load_mem(path, buf, len, opt, out, err, errsz);
    free(buf);
    return rc;
}

/* ---- lines ---- */

static int find_lines(note *n)
{
    size_t cnt = 1;
    for (size_t i = 0; i < n->len; i++)
        cnt += n->text[i] == '\n' && i + 1 < n->len;
    n->lines = malloc(cnt * sizeof *n->lines);
    if (!n->lines)
        return -1;
    n->nlines = 0;
    n->lines[n->nlines++] = 0;
    for (size_t i = 0; i + 1 < n->len; i++)
        if (n->text[i] == '\n')
            n->lines[n->nlines++] = i + 1;
    return 0;
}

static size_t line_end(const note *n, size_t off)
{
    const char *nl = memchr(n->text + off, '\n', n->len - off);
    return nl ? (size_t)(nl - n->text) : n->len;
}

static int is_lower(char c) { return c >= 'a' && c <= 'z'; }

static int is_blank_char(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* 1 when text[a,b) holds only blanks (a BOM counts as blank). */
static int blank_range(const char *t, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++) {
        if (is_blank_char(t[i]) || t[i] == '\n')
            continue;
        if (i + 3 <= b && memcmp(t + i, "\xEF\xBB\xBF", 3) == 0) {
            i += 2;
            continue;
        }
        return 0;
    }
    return 1;
}

/* ---- sections ---- */

typedef struct {
    note_section *v;
    size_t n, cap;
} section_vec;

static int push_section(section_vec *sv, const note_section *s)
{
    if (sv->n == sv->cap) {
        size_t cap = sv->cap ? sv->cap * 2 : 16;
        note_section *v = realloc(sv->v, cap * sizeof *v);
        if (!v)
            return -1;
        sv->v = v;
        sv->cap = cap;
    }
    sv->v[sv->n++] = *s;
    return 0;
}

static int is_label_char(char c, int caps)
{
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) /* "ICD-10-CM:" */
        return 1;
    if (c >= 'a' && c <= 'z')
        return !caps;
    return c == ' ' || c == '/' || c == '&' || c == '-' || c == '\'' ||
           (!caps && (c == '(' || c == ')' || c == '.'));
}

/* A label at p: letters (only capitals when caps), at most LABEL_MAX
 * bytes and six words, then optional blanks and a colon that does not
 * start a time, a ratio or a URL.  Returns the colon's offset or 0. */
static size_t label_at(const char *t, size_t p, size_t end, int caps)
{
    if (p >= end || !(t[p] >= 'A' && t[p] <= 'Z'))
        return 0;
    size_t i = p, words = 1, letters = 0;
    while (i < end && i - p < LABEL_MAX && is_label_char(t[i], caps)) {
        if (t[i] == ' ' && i > p && t[i - 1] != ' ')
            words++;
        letters += (t[i] | 0x20) >= 'a' && (t[i] | 0x20) <= 'z';
        i++;
    }
    if (i >= end || t[i] != ':' || words > 6 || letters < 2)
        return 0;
    if (i + 1 < end && (t[i + 1] == '/' || (t[i + 1] >= '0' && t[i + 1] <= '9')))
        return 0;
    return i;
}

/* An all-capitals line that names a known section, without a colon. */
static int caps_heading(const sections *tab, const char *t, size_t a, size_t b,
                        const char **kind, note_section_context *ctx,
                        unsigned *flags)
{
    while (b > a && is_blank_char(t[b - 1]))
        b--;
    /* A table's heading and its column titles after a wide gap ("ACTIVE
     * PROBLEMS        CODE      NOTED"): the heading is the words before. */
    for (size_t g = a + 3; g + 1 < b; g++)
        if (is_blank_char(t[g]) && is_blank_char(t[g + 1])) {
            size_t k = g;
            while (k < b && (is_blank_char(t[k]) || is_label_char(t[k], 1)))
                k++;
            if (k == b)
                b = g;
            break;
        }
    if (b - a < 3 || b - a > LABEL_MAX)
        return 0;
    /* Capitals, then perhaps a parenthesis in any case at the end:
     * "HISTORY (inactive, resolved)". */
    size_t i = a;
    while (i < b && is_label_char(t[i], 1))
        i++;
    if (i < b && t[i] == '(' && t[b - 1] == ')' && i > a + 2) {
        for (size_t k = i + 1; k + 1 < b; k++)
            if (t[k] == '(' || t[k] == ')' || t[k] == ':' || (unsigned char)t[k] < ' ')
                return 0;
        i = b;
    }
    if (i < b)
        return 0;
    return sections_classify(tab, t + a, b - a, kind, ctx, flags);
}

/* A line in any case that is wholly a known section's name, set apart
 * above its list ("Discontinued medications" after a blank line, over
 * "- Oxcarbazepine 300 mg BID"): letters only, at most four words. */
static int plain_heading(const sections *tab, const char *t, size_t a, size_t b,
                         const char **kind, note_section_context *ctx,
                         unsigned *flags)
{
    while (b > a && is_blank_char(t[b - 1]))
        b--;
    if (b - a < 3 || b - a > 40 || !(t[a] >= 'A' && t[a] <= 'Z'))
        return 0;
    size_t words = 1;
    for (size_t i = a; i < b; i++) {
        char c = t[i];
        if (c == ' ') {
            if (t[i - 1] == ' ')
                return 0; /* a column gap: a table's row, not a heading */
            words++;
        } else if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && c != '/' && c != '&' &&
                   c != '-') {
            return 0;
        }
    }
    return words <= 4 && sections_classify(tab, t + a, b - a, kind, ctx, flags) &&
           strcmp(*kind, "other") != 0;
}

static int add_header(section_vec *sv, const sections *tab, const char *t,
                      size_t start, size_t colon, size_t body)
{
    note_section s = {.start = start, .body = body};
    size_t lend = colon;
    while (lend > start && is_blank_char(t[lend - 1]))
        lend--;
    sections_classify(tab, t + start, lend - start, &s.kind, &s.context, &s.flags);
    return push_section(sv, &s);
}

/* Headers of one line [a,b): one at the line's start, and in flattened
 * text (one paragraph per note) capitals labels after ", " or ". ". */
static int line_headers(section_vec *sv, const sections *tab, const char *t,
                        size_t a, size_t b, int lone)
{
    size_t p = a;
    while (p < b && is_blank_char(t[p]))
        p++;
    size_t colon = label_at(t, p, b, 0);
    if (colon) {
        if (add_header(sv, tab, t, p, colon, colon + 1) < 0)
            return -1;
        p = colon + 1;
    } else {
        const char *kind;
        note_section_context ctx;
        unsigned flags;
        if (caps_heading(tab, t, p, b, &kind, &ctx, &flags)) {
            note_section s = {.start = p, .body = b, .kind = kind,
                              .context = ctx, .flags = flags};
            return push_section(sv, &s);
        }
        if (lone && plain_heading(tab, t, p, b, &kind, &ctx, &flags)) {
            note_section s = {.start = p, .body = b, .kind = kind,
                              .context = ctx, .flags = flags};
            return push_section(sv, &s);
        }
        /* A form's numbered field that names a known section, alone on
         * its line: "21. Diagnosis or nature of illness (ICD Ind. 0)". */
        size_t q = p;
        while (q < b && t[q] >= '0' && t[q] <= '9')
            q++;
        if (q > p && q - p <= 2 && q + 1 < b && t[q] == '.' && is_blank_char(t[q + 1])) {
            q += 2;
            while (q < b && is_blank_char(t[q]))
                q++;
            size_t e = b;
            while (e > q && is_blank_char(t[e - 1]))
                e--;
            if (e > q && e - q <= LABEL_MAX &&
                sections_classify(tab, t + q, e - q, &kind, &ctx, &flags) &&
                strcmp(kind, "other") != 0) {
                note_section s = {.start = q, .body = b, .kind = kind,
                                  .context = ctx, .flags = flags};
                return push_section(sv, &s);
            }
        }
    }
    for (; p + 2 < b; p++) {
        if (!((t[p] == ',' || t[p] == '.') &&
              (t[p + 1] == ' ' || (t[p + 1] >= 'A' && t[p + 1] <= 'Z'))))
            continue;
        size_t q = p + 1;
        while (q < b && t[q] == ' ')
            q++;
        colon = label_at(t, q, b, 1);
        if (colon && add_header(sv, tab, t, q, colon, colon + 1) < 0)
            return -1;
        if (colon)
            p = colon;
    }
    return 0;
}

static int continues_block(const char *t, size_t a, size_t b)
{
    if (a >= b)
        return 0;
    char c = t[a];
    return is_blank_char(c) || c == '-' || c == '*' || c == '+' ||
           (c >= 'a' && c <= 'z') ||
           (b - a >= 3 && memcmp(t + a, "\xE2\x80\xA2", 3) == 0); /* bullet */
}

/* Where a section ends: a header alone on its line runs to a blank line;
 * a header with text after it runs to the end of its line and the
 * indented, bulleted or lower-case lines that continue it.  Either way no
 * further than limit (the next header). */
static size_t section_end(const note *n, const note_section *s, size_t limit)
{
    const char *t = n->text;
    size_t le = line_end(n, s->body < n->len ? s->body : n->len);
    int alone = blank_range(t, s->body, le), listy = -1;
    size_t end = le;
    while (end < limit && end < n->len) {
        size_t a = end + 1, b = line_end(n, a);
        if (a >= limit || blank_range(t, a, b)) {
            if (!alone || !blank_range(t, s->body, end))
                break;
            end = b; /* blank lines right under a lone header */
            continue;
        }
        int cont = continues_block(t, a, b);
        /* A lone header's list (indented or bulleted lines) ends at the
         * first line back at the margin; a list at the margin (codes in
         * lower case, "e1165  Type 2 diabetes") runs to the blank line. */
        if (alone && listy < 0)
            listy = cont && !is_lower(t[a]);
        if ((!alone || listy == 1) && !cont)
            break;
        end = b;
    }
    return end < limit ? end : limit;
}

int note_section_known(const note_section *s)
{
    return s->kind && strcmp(s->kind, "other") != 0 && !(s->flags & NOTE_SECTION_ITEM);
}

static int find_sections(note *n)
{
    const sections *tab = sections_default(NULL, 0);
    section_vec sv = {0};
    for (size_t i = 0; i < n->nlines; i++) {
        size_t a = n->lines[i], b = line_end(n, a);
        /* Set apart above its body: after a blank line (or none), before
         * a line that is not blank. */
        int lone = (i == 0 || blank_range(n->text, n->lines[i - 1], a)) &&
                   i + 1 < n->nlines &&
                   !blank_range(n->text, n->lines[i + 1], line_end(n, n->lines[i + 1]));
        if (line_headers(&sv, tab, n->text, a, b, lone) < 0) {
            free(sv.v);
            return -1;
        }
    }
    /* A label the section table does not know ("Maternal grandmother:",
     * "HEENT:", "Result:") does not end a known section: it is an item of
     * that section's list and takes its context.  It still ends the
     * sentence before it.  Elsewhere it is a section of its own, with no
     * context, up to the next header. */
    const note_section *known = NULL;
    for (size_t i = 0; i < sv.n; i++) {
        note_section *s = &sv.v[i];
        if (!note_section_known(s) && known && s->start < known->end) {
            s->kind = known->kind;
            s->context = known->context;
            s->flags = known->flags | NOTE_SECTION_ITEM;
            s->end = known->end;
            continue;
        }
        size_t j = i + 1;
        while (note_section_known(s) && j < sv.n && !note_section_known(&sv.v[j]))
            j++;
        s->end = section_end(n, s, j < sv.n ? sv.v[j].start : n->len);
        known = note_section_known(s) ? s : NULL;
    }
    n->sections = sv.v;
    n->nsections = sv.n;
    return 0;
}

/* ---- sentences ---- */

typedef struct {
    note_span *v;
    size_t n, cap;
} span_vec;

static int push_span(span_vec *sv, size_t a, size_t b, const char *t)
{
    while (b > a && (is_blank_char(t[b - 1]) || t[b - 1] == '\n'))
        b--;
    if (b <= a)
        return 0;
    if (sv->n == sv->cap) {
        size_t cap = sv->cap ? sv->cap * 2 : 64;
        note_span *v = realloc(sv->v, cap * sizeof *v);
        if (!v)
            return -1;
        sv->v = v;
        sv->cap = cap;
    }
    sv->v[sv->n].start = a;
    sv->v[sv->n].end = b;
    sv->n++;
    return 0;
}

static int is_alpha(char c) { return is_lower(c) || (c >= 'A' && c <= 'Z'); }

/* Titles and abbreviations that end in a full stop but not a sentence
 * ("Dr. Smith", "MTC conf. 02/2025"). */
static int title_before(const char *t, size_t a, size_t dot)
{
    static const char *const titles[] = {"dr", "mr", "mrs", "ms", "st",
                                         "vs", "jr", "sr", "prof", "no",
                                         /* "MTC conf. 02/2025" */
                                         "conf", "approx", "appt", "dept",
                                         "hosp", "univ", "assoc", "incl",
                                         "ref", "fig", "vol"};
    size_t w = dot;
    while (w > a && is_alpha(t[w - 1]))
        w--;
    size_t len = dot - w;
    if (len == 1 && t[w] >= 'A' && t[w] <= 'Z')
        return 1; /* an initial */
    for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++)
        if (strlen(titles[i]) == len && strncasecmp(t + w, titles[i], len) == 0)
            return 1;
    /* y.o. b.i.d. e.g.: an abbreviation with inner dots */
    return w >= a + 2 && t[w - 1] == '.' && is_alpha(t[w - 2]) && len <= 2;
}

/* A dosing abbreviation with inner dots that ends at dot ("b.i.d.",
 * "p.r.n.", "q.h.s."): it closes an order, so a capital after it starts
 * a new sentence ("Protonix 40 mg b.i.d.  Dulcolax ..."). */
static int dosing_abbreviation(const char *t, size_t a, size_t dot)
{
    static const char *const abbr[] = {"bid", "tid", "qid", "qd", "prn", "qhs",
                                       "qam", "qpm", "qod", "hs", "po"};
    char w[8];
    size_t o = 0, i = dot + 1;
    while (i > a && o < sizeof w - 1) {
        if (t[i - 1] == '.') {
            i--;
            continue;
        }
        if (!is_alpha(t[i - 1]))
            break;
        w[o++] = (char)(t[i - 1] | 0x20);
        i--;
    }
    if (i > a && is_alpha(t[i - 1]))
        return 0;
    w[o] = '\0';
    for (size_t l = 0, r = o ? o - 1 : 0; l < r; l++, r--) {
        char c = w[l];
        w[l] = w[r];
        w[r] = c;
    }
    for (size_t k = 0; k < sizeof abbr / sizeof abbr[0]; k++)
        if (strcmp(w, abbr[k]) == 0)
            return 1;
    return 0;
}

/* The start of the line holding i. */
static size_t line_start_of(const note *n, size_t i)
{
    while (i > 0 && n->text[i - 1] != '\n')
        i--;
    return i;
}

/* Does the line at j start with a form's box: "[ ] Yes [X] No", "☒"? */
static int box_line(const note *n, size_t j)
{
    const char *t = n->text;
    while (j < n->len && is_blank_char(t[j]))
        j++;
    if (j + 3 <= n->len && (memcmp(t + j, "\xE2\x98\x90", 3) == 0 ||
                            memcmp(t + j, "\xE2\x98\x92", 3) == 0))
        return 1;
    return j + 2 < n->len && t[j] == '[' && (t[j + 2] == ']' || t[j + 1] == ']');
}

/* Does the sentence end at the full stop (or ! ?) at i? */
static int ends_at_stop(const note *n, size_t a, size_t i)
{
    const char *t = n->text;
    size_t j = i + 1;
    /* Leader dots in a table ("Residual aspirated ........ 3.6 mL") join
     * a label to its value. */
    if (t[i] == '.' && i > a && t[i - 1] == '.') {
        size_t r = i;
        while (r > a && t[r - 1] == '.')
            r--;
        size_t k = j;
        while (k < n->len && is_blank_char(t[k]))
            k++;
        if ((r > a && is_blank_char(t[r - 1])) || (k < n->len && t[k] >= '0' && t[k] <= '9'))
            return 0;
    }
    while (j < n->len && (t[j] == '"' || t[j] == ')' || t[j] == '\''))
        j++;
    if (j >= n->len)
        return 1;
    /* A form's question and its boxes: "Indication is dystonia?   [ ] Yes
     * [X] No" is one sentence. */
    if (t[i] == '.' && i > a && i - a <= 3) { /* a list's number: "1. Oral baclofen." */
        size_t k = a;
        while (k < i && t[k] >= '0' && t[k] <= '9')
            k++;
        if (k == i)
            return 0;
    }
    if (t[i] == '?' && box_line(n, j) && (j == i + 1 || is_blank_char(t[i + 1])))
        return 0;
    if (t[i] == '?' && t[i + 1] == '\n' && box_line(n, i + 2))
        return 0; /* the boxes on the line below */
    if (t[j] == ',' && t[i] == '.')
        return !title_before(t, a, i); /* ".," in flattened transcriptions */
    if (!(is_blank_char(t[j]) || t[j] == '\n'))
        return 0;
    if (t[i] != '.')
        return 1;
    while (j < n->len && is_blank_char(t[j]))
        j++;
    if (j < n->len && is_lower(t[j])) {
        /* "38 y.o. woman", "approx. two": an abbreviation goes on; after a
         * word of four letters or more a dictation without capitals starts
         * its next sentence ("all of the conventional stuff. on top of that
         * the baclofen ..."). */
        size_t w = i;
        while (w > a && is_alpha(t[w - 1]))
            w--;
        return i - w >= 4 && (w == a || !(t[w - 1] == '.')) && !title_before(t, a, i);
    }
    if (j < n->len && t[j] >= 'A' && t[j] <= 'Z' && dosing_abbreviation(t, a, i))
        return 1;
    return !title_before(t, a, i);
}

/* The width a note's text was wrapped at: its longest line, among lines
 * short enough to have been wrapped at all (a flattened paragraph of
 * thousands of bytes is not). */
#define WRAP_MAX 200
static size_t wrap_width(const note *n)
{
    size_t w = 0;
    for (size_t k = 0; k < n->nlines; k++) {
        size_t a = n->lines[k], b = line_end(n, a);
        while (b > a && (n->text[b - 1] == '\r' || is_blank_char(n->text[b - 1])))
            b--;
        if (b - a <= WRAP_MAX && b - a > w)
            w = b - a;
    }
    return w;
}

/* Does the line break at i end the sentence?  A wrapped line continues
 * it: the next line starts at the margin in lower case, or the line
 * broken at i fills the note's wrap width and stops mid-phrase (after a
 * lower-case word or a comma) while the next starts at the margin with
 * anything but a list mark ("compression\n(G95.20).", "via the\nMedtronic
 * programmer"), or with an aside in parentheses ("trial 2022\n(<30%"). */
static int tabular(const char *t, size_t a, size_t b);

/* A log's row: the line starts with a date and a blank ("12/02/2024
 * Infumorph 25 mg/mL", "2024-12-02 refill"). */
static int dated_row(const char *t, size_t a, size_t b)
{
    size_t i = a, d1 = 0, d2 = 0, d3 = 0;
    while (i < b && is_blank_char(t[i]))
        i++;
    while (i < b && t[i] >= '0' && t[i] <= '9')
        i++, d1++;
    char sep = i < b ? t[i] : 0;
    if (!(sep == '/' || sep == '-') || !d1)
        return 0;
    i++;
    while (i < b && t[i] >= '0' && t[i] <= '9')
        i++, d2++;
    if (i >= b || t[i] != sep || !d2)
        return 0;
    i++;
    while (i < b && t[i] >= '0' && t[i] <= '9')
        i++, d3++;
    int us = sep == '/' && d1 <= 2 && d2 <= 2 && (d3 == 2 || d3 == 4);
    int iso = sep == '-' && d1 == 4 && d2 == 2 && d3 == 2;
    return (us || iso) && i < b && is_blank_char(t[i]);
}

static int ends_at_newline(const note *n, size_t i, size_t wrap)
{
    const char *t = n->text;
    size_t j = i + 1;
    if (j >= n->len)
        return 1;
    if (is_lower(t[j]))
        return 0;
    /* A form's question and its boxes on the line below are one sentence:
     * "5. Indication is dystonia\n    [ ] Yes  [X] No". */
    if (box_line(n, j) && !box_line(n, i > 0 ? line_start_of(n, i) : 0))
        return 0;
    size_t a = i;
    while (a > 0 && t[a - 1] != '\n')
        a--;
    size_t b = i;
    while (b > a && (t[b - 1] == '\r' || is_blank_char(t[b - 1])))
        b--;
    /* A list item's mark (at m: "-", "*", "+", "2.", "3)") and where the
     * next line's text starts (k). */
    size_t m = a, k = j, num;
    while (m < b && is_blank_char(t[m]))
        m++;
    for (num = m; num < b && t[num] >= '0' && t[num] <= '9'; num++)
        ;
    while (k < n->len && is_blank_char(t[k]))
        k++;
    int dash = m + 1 < b && strchr("-*+", t[m]) && is_blank_char(t[m + 1]);
    int numbered = num > m && num + 1 < b && (t[num] == '.' || t[num] == ')') &&
                   is_blank_char(t[num + 1]);
    /* Under a list item, a line indented to the item's text and going on
     * in lower case continues it, however wide the note's other lines
     * are: " 2. Pump mgmt: Dr. Park agreed to do\n    refills and manage". */
    if ((dash || numbered) && k - j > m - a && k < n->len && is_lower(t[k]) &&
        (is_lower(t[b - 1]) || t[b - 1] == ','))
        return 0;
    if (wrap < 50 || b - a < 50 || (b - a) * 5 < wrap * 4)
        return 1;
    /* Rows of a table, each its own: "03/14/2024  morphine + bupivacaine
     * 20 mL  morphine 3.2 mg" over the next date's row. */
    size_t nb = j, a1 = a, j1 = j;
    while (nb < n->len && t[nb] != '\n')
        nb++;
    while (a1 < b && is_blank_char(t[a1]))
        a1++; /* an indentation is no column */
    while (j1 < nb && is_blank_char(t[j1]))
        j1++;
    if ((tabular(t, a1, b) && tabular(t, j1, nb)) ||
        (dated_row(t, a, b) && dated_row(t, j, nb)))
        return 1;
    char c = t[j];
    if (c == '(')
        return 0; /* "stimulator trial 2022\n(<30% relief)": an aside */
    int digit_end = t[b - 1] >= '0' && t[b - 1] <= '9' && is_blank_char(c); /* "At 80\n  mg/day" */
    /* A list item's hanging indent: the next line starts where the item's
     * text does, whatever its case ("- Refills: Dr. Lozano, South Bay\n
     * Rehab (CCS paneled), accepted."). */
    if (dash && m + 2 < b && !strchr(".:;!?", t[b - 1])) {
        size_t text = m + 1;
        while (text < b && is_blank_char(t[text]))
            text++;
        if (k - j == text - a && k < n->len && !strchr("-*+", t[k]))
            return 0;
    }
    if (!(is_lower(t[b - 1]) || t[b - 1] == ',' || digit_end))
        return 1;
    /* A line of an indented list (or under a list mark) does not run on
     * into a line back at the margin: "  - continuous PT/OT since
     * discharge\nNone of these has given adequate control". */
    if (!is_blank_char(c) && (is_blank_char(t[a]) || t[a] == '-' || t[a] == '*' || t[a] == '+'))
        return 1;
    if (is_blank_char(c)) {
        /* An indented paragraph wraps onto a line indented as deep as its
         * own (or deeper, under a list mark), in lower case or in
         * parentheses, or after a comma: "tolerates it without side\n
         * effects", "community physiatrist,\n   Downey - refills". */
        return !(k - j >= m - a && k < n->len &&
                 (is_lower(t[k]) || t[k] == '(' || t[b - 1] == ','));
    }
    return is_blank_char(c) || c == '-' || c == '*' || c == '+' || c == '\r' || c == '\n' ||
           (j + 3 <= n->len && memcmp(t + j, "\xE2\x80\xA2", 3) == 0);
}

/* A table row or a form line: columns aligned by runs of blanks, pipes,
 * or leader dots. */
static int tabular(const char *t, size_t a, size_t b)
{
    int blanks = 0, dots = 0;
    for (size_t i = a; i < b; i++) {
        blanks = t[i] == ' ' ? blanks + 1 : 0;
        dots = t[i] == '.' ? dots + 1 : 0;
        if (t[i] == '|' || t[i] == '\t' || blanks >= 3 || dots >= 3)
            return 1;
    }
    return 0;
}

int note_soft_break(const note *n, size_t off)
{
    const char *t = n->text;
    if (off >= n->len || t[off] != '\n' || off + 1 >= n->len || n->wrap < 50)
        return 0;
    size_t a = off;
    while (a > 0 && t[a - 1] != '\n')
        a--;
    size_t b = off;
    while (b > a && (t[b - 1] == '\r' || is_blank_char(t[b - 1])))
        b--;
    if (b - a < 40 || (b - a) * 4 < n->wrap * 3 || t[b - 1] == ':')
        return 0;
    size_t c = off + 1, d = line_end(n, c);
    char first = t[c];
    if (is_blank_char(first) || first == '\r' || first == '\n' || first == '-' ||
        first == '*' || first == '+' || first == '#' || blank_range(t, c, d) ||
        (d - c >= 3 && memcmp(t + c, "\xE2\x80\xA2", 3) == 0))
        return 0;
    if (first >= '0' && first <= '9') { /* "2. Plan", "3) ..." open a list item */
        size_t k = c;
        while (k < d && t[k] >= '0' && t[k] <= '9')
            k++;
        if (k < d && (t[k] == '.' || t[k] == ')'))
            return 0;
    }
    if (tabular(t, a, b) || tabular(t, c, d))
        return 0;
    const note_section *sec = note_section_at(n, c);
    return !(sec && sec->start == c);
}

static int find_sentences(note *n)
{
    const char *t = n->text;
    span_vec sv = {0};
    size_t sec = 0, a = 0, wrap = n->wrap;
    int open = 0;
    for (size_t i = 0; i < n->len; i++) {
        /* A section header closes the sentence; its label is in none. */
        if (sec < n->nsections && i == n->sections[sec].start) {
            if (open && push_span(&sv, a, i, t) < 0)
                goto oom;
            open = 0;
            i = n->sections[sec].body;
            sec++;
            if (i >= n->len)
                break;
        }
        char c = t[i];
        if (!open) {
            if (is_blank_char(c) || c == '\n' || c == ',')
                continue;
            if (i + 3 <= n->len && memcmp(t + i, "\xEF\xBB\xBF", 3) == 0) {
                i += 2; /* a BOM is a blank */
                continue;
            }
            a = i;
            open = 1;
        }
        int end = 0;
        size_t stop = i;
        if (c == '\n')
            end = ends_at_newline(n, i, wrap);
        else if (c == '.' || c == '!' || c == '?') {
            end = ends_at_stop(n, a, i), stop = i + 1;
            /* the closing quote or parenthesis is the sentence's own:
             * 'felt he was "a little calmer."' */
            while (end && stop < n->len && (t[stop] == '"' || t[stop] == ')' || t[stop] == '\''))
                stop++;
            if (end)
                i = stop - 1;
        }
        else if (i - a >= SENTENCE_MAX && is_blank_char(c))
            end = 1;
        if (end) {
            if (push_span(&sv, a, stop, t) < 0)
                goto oom;
            open = 0;
        }
    }
    if (open && push_span(&sv, a, n->len, t) < 0)
        goto oom;
    n->sentences = sv.v;
    n->nsentences = sv.n;
    return 0;
oom:
    free(sv.v);
    return -1;
}

/* ---- loading ---- */

int note_load_mem(const char *name, const char *buf, size_t len,
                  const note_options *opt, note **out, char *err,
                  size_t errsz)
{
    size_t max = opt && opt->max_bytes ? opt->max_bytes : NOTE_DEFAULT_MAX_BYTES;
    *out = NULL;
    if (len == 0) {
        seterr(err, errsz, "empty file (no text)");
        return -1;
    }
    if (len > max) {
        char msg[160];
        snprintf(msg, sizeof msg, "too large (%zu bytes; the limit is %zu, see --max-bytes)",
                 len, max);
        seterr(err, errsz, msg);
        return -1;
    }
    if (check_text(buf, len, err, errsz) < 0)
        return -1;
    note *n = calloc(1, sizeof *n);
    if (!n)
        goto oom;
    n->path = strdup(name ? name : "-");
    if (!n->path)
        goto oom;
    if (utf8_valid(buf, len)) {
        n->text = malloc(len + 1);
        if (!n->text)
            goto oom;
        memcpy(n->text, buf, len);
        n->text[len] = '\0';
        n->len = len;
    } else if (plausibly_latin1(buf, len)) {
        n->text = utf8_repair(buf, len, &n->len, &n->marks, &n->nmarks);
        if (!n->text)
            goto oom;
        n->flags |= NOTE_LATIN1;
    } else {
        note_free(n);
        seterr(err, errsz, "invalid UTF-8 (and not Latin-1 text), not a clinical note");
        return -1;
    }
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        n->flags |= NOTE_HAD_BOM;
    for (const char *cr = memchr(buf, '\r', len); cr;
         cr = memchr(cr + 1, '\r', len - (size_t)(cr + 1 - buf)))
        if (cr + 1 < buf + len && cr[1] == '\n') {
            n->flags |= NOTE_CRLF;
            break;
        }
    if (find_lines(n) < 0)
        goto oom;
    n->wrap = wrap_width(n);
    if (find_sections(n) < 0 || find_sentences(n) < 0)
        goto oom;
    *out = n;
    return 0;
oom:
    note_free(n);
    seterr(err, errsz, "out of memory");
    return -1;
}

void note_free(note *n)
{
    if (!n)
        return;
    free(n->path);
    free(n->text);
    free(n->marks);
    free(n->lines);
    free(n->sentences);
    free(n->sections);
    free(n);
}

/* ---- lookups ---- */

size_t note_line_at(const note *n, size_t off)
{
    size_t lo = 0, hi = n->nlines;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (n->lines[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo + 1;
}

size_t note_file_offset(const note *n, size_t off)
{
    if (off > n->len)
        off = n->len;
    return n->marks ? utf8_source_offset(n->marks, n->nmarks, off) : off;
}

size_t note_sentence_at(const note *n, size_t off)
{
    size_t lo = 0, hi = n->nsentences;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (n->sentences[mid].end <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < n->nsentences && n->sentences[lo].start <= off)
        return lo;
    return (size_t)-1;
}

const note_section *note_section_at(const note *n, size_t off)
{
    size_t lo = 0, hi = n->nsections;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (n->sections[mid].start <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    const note_section *s = &n->sections[lo - 1];
    return off < s->end ? s : NULL;
}
