/* decide: the decision dialog.  Shows the verdicts and the outcome they
 * give, which decisions this reviewer may record and why not, warns when
 * a decision contradicts the verdicts, and asks for the rationale. */
#ifndef TUI_DECIDE_H
#define TUI_DECIDE_H

struct ui;
struct review;
int decide_push(struct ui *u, struct review *r);

#endif
