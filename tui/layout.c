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

int layout_compute_queue(int cols, const int need[LAYOUT_Q_COUNT], int w[LAYOUT_Q_COUNT])
{
    /* The widest a column may get: "overdue 12d 23h" is 15, "referred" 8. */
    static const int cap[LAYOUT_Q_COUNT] = {15, 3, 16, 0, 0, 0, 8, 12};
    /* Shares of what is left for member, service, policy. */
    static const int share[LAYOUT_Q_COUNT] = {0, 0, 0, 30, 33, 37, 0, 0};
    if (cols < LAYOUT_MIN_COLS)
        return -1;
    int used = LAYOUT_Q_MARKS + (LAYOUT_Q_COUNT - 1);
    for (int i = 0; i < LAYOUT_Q_COUNT; i++) {
        if (share[i])
            continue;
        w[i] = need && need[i] > 0 && need[i] < cap[i] ? need[i] : cap[i];
        used += w[i];
    }
    int left = cols - used, given = 0, spare = 0;
    for (int i = 0; i < LAYOUT_Q_COUNT; i++)
        if (share[i]) {
            w[i] = left * share[i] / 100;
            given += w[i];
        }
    spare = left - given;
    /* A column that needs less than its share gives the rest to those
     * that need more, in order. */
    if (need)
        for (int i = 0; i < LAYOUT_Q_COUNT; i++)
            if (share[i] && need[i] > 0 && need[i] < w[i]) {
                spare += w[i] - need[i];
                w[i] = need[i];
            }
    for (int i = 0; i < LAYOUT_Q_COUNT && spare > 0; i++)
        if (share[i] && need && need[i] > w[i]) {
            int more = need[i] - w[i] < spare ? need[i] - w[i] : spare;
            w[i] += more;
            spare -= more;
        }
    w[LAYOUT_Q_POLICY] += spare; /* what no column needs */
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
