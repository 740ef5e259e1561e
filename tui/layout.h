/* layout: where each part of a screen goes, computed from the terminal's
 * size on every frame (no state, no curses: tested on its own). */
#ifndef TUI_LAYOUT_H
#define TUI_LAYOUT_H

#define LAYOUT_MIN_COLS 80
#define LAYOUT_MIN_ROWS 24

typedef struct {
    int y, x, h, w; /* h or w 0: not shown */
} layout_rect;

typedef struct {
    int too_small;       /* below 80x24: only the "too small" message */
    layout_rect header;  /* one row: case, policy, reviewer, time left */
    layout_rect list;    /* criteria, with a title row and the outcome */
    layout_rect detail;  /* the selected criterion: policy words, evidence */
    layout_rect note;    /* the notes, title row included */
    layout_rect facts;   /* a third column at 120 columns and up */
    layout_rect factbar; /* one row of facts otherwise */
    layout_rect status;  /* key hints, or the latest message: one fixed row */
} layout_review;

/* ncriteria: how many rows the criteria list would like. */
void layout_compute_review(int rows, int cols, int ncriteria,
                           layout_review *out);

/* The queue's columns, left to right. */
enum {
    LAYOUT_Q_DUE,
    LAYOUT_Q_URG,
    LAYOUT_Q_CASE,
    LAYOUT_Q_MEMBER,
    LAYOUT_Q_SERVICE,
    LAYOUT_Q_POLICY,
    LAYOUT_Q_STATUS,
    LAYOUT_Q_HOLDER,
    LAYOUT_Q_COUNT
};

#define LAYOUT_Q_MARKS 3 /* "> " selection and "!" overdue, then a blank */

/* Widths of the queue's columns in cols columns (one blank between
 * columns, LAYOUT_Q_MARKS at the left).  need (may be NULL) is the width
 * each column's widest cell (or heading) wants: the fixed columns take
 * that, up to a cap, and the member, service and policy columns share
 * what is left, one that needs less giving the rest to the others.  0,
 * or -1 below the minimum. */
int layout_compute_queue(int cols, const int need[LAYOUT_Q_COUNT],
                         int widths[LAYOUT_Q_COUNT]);

/* A centred box of at most w x h inside rows x cols. */
layout_rect layout_center(int rows, int cols, int h, int w);

#endif
