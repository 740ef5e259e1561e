/* casereview extract: prints the facts found in notes, one per line (TSV,
 * docs/extract-format.md) or as a JSON array of the same fields. */
#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/clean.h"
#include "cli/commands.h"
#include "core/note.h"
#include "core/paths.h"
#include "core/utf8.h"
#include "parsers/extract.h"
#include "parsers/patterns.h"

typedef struct {
    int json;
    int first; /* no JSON object printed yet */
    note_options nopt;
} out_state;

static void print_tsv(const note *n, const fact *x, FILE *f)
{
    fprintf(f, "%s\t%zu\t%zu\t%zu\t%s\t%s\t%s\t", n->path,
            note_line_at(n, x->start), note_file_offset(n, x->start),
            note_file_offset(n, x->end), fact_kind_name(x->kind), x->value,
            ctx_status_name(x->status));
    clean_put(f, n->text + x->start, x->end - x->start);
    putc('\n', f);
}

static void print_json(out_state *st, const note *n, const fact *x, FILE *f)
{
    char *text = malloc(x->end - x->start + 1);
    if (!text)
        return;
    for (size_t i = x->start; i < x->end; i++) {
        char c = n->text[i];
        text[i - x->start] = c == '\t' || c == '\r' || c == '\n' ? ' ' : c;
    }
    text[x->end - x->start] = '\0';
    json_t *o = json_pack("{s:s, s:I, s:I, s:I, s:s, s:s, s:s, s:s?, s:s}",
                          "file", n->path,
                          "line", (json_int_t)note_line_at(n, x->start),
                          "start", (json_int_t)note_file_offset(n, x->start),
                          "end", (json_int_t)note_file_offset(n, x->end),
                          "kind", fact_kind_name(x->kind),
                          "value", x->value,
                          "status", ctx_status_name(x->status),
                          "trigger", x->trigger,
                          "text", text);
    free(text);
    if (!o)
        return;
    fputs(st->first ? "[\n  " : ",\n  ", f);
    st->first = 0;
    json_dumpf(o, f, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(o);
}

/* The path as printed: one TSV field and a JSON string, whatever bytes a
 * file name holds (a TAB, a newline, invalid UTF-8 each become U+FFFD, as
 * the fact would otherwise be split or dropped). */
static char *printable_path(const char *path)
{
    size_t len = strlen(path);
    char *out = malloc(len * 3 + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        size_t k = utf8_seq_len((const unsigned char *)path + i, len - i);
        if (k == 0 || (k == 1 && (unsigned char)path[i] < 0x20)) {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        } else {
            memcpy(out + o, path + i, k);
            o += k;
            i += k;
        }
    }
    out[o] = '\0';
    return out;
}

/* Returns 0, or 1 when the file could not be used (reason on stderr). */
static int extract_file(const extractor *ex, out_state *st, const char *path)
{
    char err[256];
    note *n;
    /* "-" is standard input (read under the same size limit) */
    const char *src = strcmp(path, "-") == 0 ? "/dev/stdin" : path;
    if (note_load_file(src, &st->nopt, &n, err, sizeof err) < 0) {
        fprintf(stderr, "casereview: extract: %s: %s\n", path, err);
        return 1;
    }
    char *shown = printable_path(path); /* the path as given */
    if (shown) {
        free(n->path);
        n->path = shown;
    }
    if (n->flags & NOTE_LATIN1)
        fprintf(stderr, "casereview: extract: %s: warning: %zu byte%s not UTF-8, read as Latin-1\n",
                n->path, n->nmarks, n->nmarks == 1 ? "" : "s");
    fact_list facts = {0};
    if (extract_note(ex, n, &facts) < 0)
        fprintf(stderr, "casereview: extract: %s: warning: some text was too "
                        "complex to search in full; facts may be missing\n", path);
    for (size_t i = 0; i < facts.n; i++) {
        if (st->json)
            print_json(st, n, &facts.v[i], stdout);
        else
            print_tsv(n, &facts.v[i], stdout);
    }
    fact_list_free(&facts);
    note_free(n);
    return 0;
}

static int parse_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *s == '-')
        return -1;
    unsigned long long mul = 1;
    if (*end == 'K' || *end == 'k')
        mul = 1ULL << 10, end++;
    else if (*end == 'M' || *end == 'm')
        mul = 1ULL << 20, end++;
    else if (*end == 'G' || *end == 'g')
        mul = 1ULL << 30, end++;
    if (*end || v == 0 || v > (unsigned long long)SIZE_MAX / mul)
        return -1;
    *out = (size_t)(v * mul);
    return 0;
}

/* Hidden --stdin-paths: each input line is a path, so a benchmark or a
 * batch job can stream any number of notes through one process. */
static int stdin_paths(const extractor *ex, out_state *st)
{
    int bad = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, stdin)) > 0) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0])
            bad |= extract_file(ex, st, line);
    }
    free(line);
    return bad;
}

int cmd_extract(int argc, char **argv)
{
    out_state st = {.first = 1};
    int dump = 0, from_stdin = 0, i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        } else if (strcmp(a, "--format=tsv") == 0) {
            st.json = 0;
        } else if (strcmp(a, "--format=json") == 0) {
            st.json = 1;
        } else if (strncmp(a, "--max-bytes=", 12) == 0) {
            if (parse_size(a + 12, &st.nopt.max_bytes) < 0) {
                fprintf(stderr, "casereview: extract: bad --max-bytes: %s\n", a + 12);
                return 2;
            }
        } else if (strcmp(a, "--dump-patterns") == 0) {
            dump = 1;
        } else if (strcmp(a, "--stdin-paths") == 0) {
            from_stdin = 1;
        } else {
            return cli_usage("extract");
        }
    }
    if (i == argc && !dump && !from_stdin)
        return cli_usage("extract");
    char err[512];
    extractor *ex = extract_new(paths_datadir(), err, sizeof err);
    if (!ex) {
        fprintf(stderr, "casereview: extract: %s\n", err);
        return 2;
    }
    int bad = 0;
    if (dump)
        patterns_dump(extract_patterns(ex), stdout);
    if (from_stdin)
        bad |= stdin_paths(ex, &st);
    for (; i < argc; i++)
        bad |= extract_file(ex, &st, argv[i]);
    if (st.json)
        fputs(st.first ? "[]\n" : "\n]\n", stdout);
    extract_free(ex);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "casereview: extract: write error: %s\n", strerror(errno));
        return 1;
    }
    return bad ? 1 : 0;
}
