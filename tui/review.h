/* review: the review screen.  Criteria of the section on the left (the
 * list, then the selected criterion's policy words, suggestion, evidence
 * or what was searched, and the verdict), the notes on the right with the
 * evidence highlighted, the facts at the bottom (or in a third column
 * from 120 columns). */
#ifndef TUI_REVIEW_H
#define TUI_REVIEW_H

#include <stddef.h>

#include "tui/ui.h"
#include "tui/work.h"

typedef struct review review;

/* Pushes a review of w; the screen owns w and closes it when it closes.
 * For a case without a section yet, the picker comes up first. */
int review_push(ui *u, work *w);

/* Used by the facts list and the picker. */
void review_jump(review *r, int ni, size_t off);
work *review_work(review *r);
/* The section was (re)chosen: reset the selection, restore saved state. */
void review_evaluated(review *r);

#endif
