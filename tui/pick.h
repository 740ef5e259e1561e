/* pick: chooses the policy and section to review a case under, with the
 * one that the requested codes point to proposed first. */
#ifndef TUI_PICK_H
#define TUI_PICK_H

struct ui;
struct review;
int pick_push(struct ui *u, struct review *r);

#endif
