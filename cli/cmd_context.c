/* casereview context: the context engine on its own, for rule writers and
 * tests.  Reads TARGET<TAB>SENTENCE lines, prints STATUS<TAB>TRIGGER. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "context/context.h"
#include "core/paths.h"

static const char usage_text[] =
    "usage: casereview context [--section=plain|historical|family|hypothetical]\n"
    "                          < TARGET<TAB>SENTENCE lines\n"
    "Prints STATUS<TAB>TRIGGER for each line, in order; the trigger is empty\n"
    "for affirmed.  A line without a TAB, or whose sentence does not contain\n"
    "the target (case-insensitive), prints 'error<TAB>' and a message on\n"
    "stderr; the other lines are still answered.  --section classifies as if\n"
    "the sentences stood in a section of that kind.\n"
    "Exit status: 0 when every line was answered, 1 when some line was an\n"
    "error, 2 on bad usage or when the trigger files cannot be loaded.\n";

static unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

/* First case-insensitive (ASCII) occurrence of needle in hay; -1 if none. */
static long find_ci(const char *hay, size_t hn, const char *needle, size_t nn)
{
    if (nn == 0 || nn > hn)
        return -1;
    for (size_t i = 0; i + nn <= hn; i++) {
        size_t k = 0;
        while (k < nn && lower((unsigned char)hay[i + k]) ==
                             lower((unsigned char)needle[k]))
            k++;
        if (k == nn)
            return (long)i;
    }
    return -1;
}

static int parse_section(const char *s, note_section_context *out)
{
    static const char *const names[] = {"plain", "historical", "family",
                                        "hypothetical"};
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (note_section_context)i;
            return 0;
        }
    return -1;
}

/* Answers one line; returns 0, or -1 after printing an error line. */
static int answer(const context_rules *r, char *line, size_t len,
                  size_t lineno, note_section_context sec)
{
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
    char *tab = memchr(line, '\t', len);
    const char *why = NULL;
    long at = -1;
    if (!tab)
        why = "no TAB between target and sentence";
    else if (tab == line)
        why = "empty target";
    else if ((at = find_ci(tab + 1, len - (size_t)(tab + 1 - line), line,
                           (size_t)(tab - line))) < 0)
        why = "the sentence does not contain the target";
    if (why) {
        fprintf(stderr, "casereview context: line %zu: %s\n", lineno, why);
        fputs("error\t\n", stdout);
        return -1;
    }
    size_t s0 = (size_t)(tab + 1 - line);
    size_t t0 = s0 + (size_t)at, t1 = t0 + (size_t)(tab - line);
    const char *trig = NULL;
    ctx_status st = context_classify(r, line, s0, len, t0, t1, sec, &trig);
    printf("%s\t%s\n", ctx_status_name(st), trig ? trig : "");
    return 0;
}

int cmd_context(int argc, char **argv)
{
    note_section_context sec = NOTE_SECTION_PLAIN;
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--section=", 10) == 0 &&
            parse_section(argv[i] + 10, &sec) == 0)
            continue;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage_text, stdout);
            return 0;
        }
        fputs(usage_text, stderr);
        return 2;
    }
    char err[512];
    context_rules *r = context_load(paths_datadir(), err, sizeof err);
    if (!r) {
        fprintf(stderr, "casereview context: %s\n", err);
        return 2;
    }
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t n;
    int bad = 0;
    while ((n = getline(&line, &cap, stdin)) >= 0)
        bad |= answer(r, line, (size_t)n, ++lineno, sec) != 0;
    free(line);
    context_free(r);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "casereview context: cannot write the output\n");
        return 2;
    }
    return bad ? 1 : 0;
}
