/* casereview: dispatches to a subcommand.  With no arguments it opens the
 * queue; with files and no subcommand it opens them for review. */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"

typedef struct {
    const char *name, *args, *help;
    int (*run)(int argc, char **argv);
} command;

#define CLI_ENTRY(name, args, help) {#name, args, help, cmd_##name},
static const command commands[] = {CLI_COMMANDS(CLI_ENTRY)};
#undef CLI_ENTRY
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage_all(FILE *f)
{
    fprintf(f, "usage: casereview [FILE...]\n       casereview COMMAND [ARGS]\n\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-8s %s\n           %s\n", commands[i].name,
                commands[i].help, commands[i].args);
    fprintf(f, "\nSee casereview(1).\n");
}

int cli_usage(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0) {
            fprintf(stderr, "usage: casereview %s %s\n", name, commands[i].args);
            return 2;
        }
    usage_all(stderr);
    return 2;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    if (argc < 2)
        return cmd_queue(argc, argv);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage_all(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        puts("casereview 0.1");
        return 0;
    }
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    /* Not a command: files (or review options) to open for review. */
    return cmd_review(argc, argv);
}
