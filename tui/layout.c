#include "tui/layout.h"

#include <string.h>

static layout_rect rect(int y, int x, int h, int w)
{
    layout_rect r = {y, x, h > 0 ? h : 0, w > 0 ? w : 0};
    return r;
}

void layout_compute_review(int rows, int cols, int ncriteria,
                           layout_review *out)
{
    memset(out, 0, sizeof *out);
    if (rows < LAYOUT_MIN_ROWS || cols < LAYOUT_MIN_COLS) {
        out->too_small = 1;
        return;
    }
    int wide = cols >= 120;
    int main_h = rows - (wide ? 2 : 3); /* header, [factbar], status */
    int left_w = wide ? cols * 35 / 100 : cols * 45 / 100;
    int facts_w = wide ? cols * 22 / 100 : 0;
    int note_w = cols - left_w - facts_w - 1 - (wide ? 1 : 0);
    /* The list wants a title, its criteria and the outcome; the detail
     * keeps at least half the pane for the policy words. */
    int list_h = ncriteria + 2;
    if (list_h > main_h / 2)
        list_h = main_h / 2;
    if (list_h < 4)
        list_h = 4;
    out->header = rect(0, 0, 1, cols);
    out->list = rect(1, 0, list_h, left_w);
    out->detail = rect(1 + list_h, 0, main_h - list_h, left_w);
    out->note = rect(1, left_w + 1, main_h, note_w);
    if (wide)
        out->facts = rect(1, left_w + 1 + note_w + 1, main_h, facts_w);
    else
        out->factbar = rect(rows - 2, 0, 1, cols);
    out->status = rect(rows - 1, 0, 1, cols);
}

int layout_compute_queue(int cols, int w[LAYOUT_Q_COUNT])
{
    static const int fixed[LAYOUT_Q_COUNT] = {13, 3, 10, 0, 0, 0, 7};
    /* Shares of what is left for member, service, policy. */
    static const int share[LAYOUT_Q_COUNT] = {0, 0, 0, 30, 33, 37, 0};
    if (cols < LAYOUT_MIN_COLS)
        return -1;
    int used = LAYOUT_Q_MARKS + (LAYOUT_Q_COUNT - 1);
    for (int i = 0; i < LAYOUT_Q_COUNT; i++)
        used += fixed[i];
    int left = cols - used, given = 0;
    for (int i = 0; i < LAYOUT_Q_COUNT; i++) {
        w[i] = fixed[i];
        if (share[i]) {
            w[i] = left * share[i] / 100;
            given += w[i];
        }
    }
    w[LAYOUT_Q_POLICY] += left - given; /* rounding */
    return 0;
}

layout_rect layout_center(int rows, int cols, int h, int w)
{
    if (h > rows - 2)
        h = rows - 2;
    if (w > cols - 2)
        w = cols - 2;
    return rect((rows - h) / 2, (cols - w) / 2, h, w);
}
