/* queue: the work queue.  Cases open for this reviewer, soonest due
 * first, with urgency, member, service, policy, holder and time left;
 * overdue cases are marked with '!' and the word, not colour alone. */
#ifndef TUI_QUEUE_H
#define TUI_QUEUE_H

#include "store/store.h"
#include "tui/work.h"

struct ui;
/* opt is kept for opening cases (its strings must outlive the screen). */
int queue_push(struct ui *u, store *st, const work_options *opt);

#endif
