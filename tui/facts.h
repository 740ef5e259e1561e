/* facts: every fact found in the notes (codes, doses, scales, ages,
 * dates) with its context; Enter jumps to its place in the note. */
#ifndef TUI_FACTS_H
#define TUI_FACTS_H

struct ui;
struct review;
int facts_push(struct ui *u, struct review *r);

#endif
