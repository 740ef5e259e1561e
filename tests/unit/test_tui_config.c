/* Layout computation, key names, the key map and the configuration file. */
#include <criterion/criterion.h>
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "tui/config.h"
#include "tui/keymap.h"
#include "tui/layout.h"

Test(layout, below_minimum_is_too_small)
{
    layout_review l;
    layout_compute_review(23, 80, 4, &l);
    cr_assert(l.too_small);
    layout_compute_review(24, 79, 4, &l);
    cr_assert(l.too_small);
    layout_compute_review(0, 0, 4, &l);
    cr_assert(l.too_small);
}

static void assert_inside(layout_rect r, int rows, int cols)
{
    cr_assert_geq(r.y, 0);
    cr_assert_geq(r.x, 0);
    cr_assert_leq(r.y + r.h, rows);
    cr_assert_leq(r.x + r.w, cols);
}

Test(layout, panes_tile_the_screen)
{
    static const int sizes[][2] = {{24, 80}, {30, 100}, {50, 200}, {24, 119}, {24, 120}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        int rows = sizes[i][0], cols = sizes[i][1];
        layout_review l;
        layout_compute_review(rows, cols, 8, &l);
        cr_assert(!l.too_small);
        assert_inside(l.list, rows, cols);
        assert_inside(l.detail, rows, cols);
        assert_inside(l.note, rows, cols);
        assert_inside(l.facts, rows, cols);
        cr_assert_eq(l.list.y + l.list.h, l.detail.y, "detail under the list");
        cr_assert_geq(l.note.x, l.list.x + l.list.w + 1, "a column between panes");
        cr_assert_geq(l.note.w, 40, "the note keeps room at %dx%d", cols, rows);
        cr_assert_geq(l.detail.h, 6);
        cr_assert_eq(l.status.y, rows - 1);
        cr_assert_eq(cols >= 120, l.facts.w > 0, "facts column from 120 up");
    }
}

Test(layout, queue_columns_fit)
{
    int w[LAYOUT_Q_COUNT];
    /* due, urg, case, member, service, policy, status, holder */
    static const int need[LAYOUT_Q_COUNT] = {14, 3, 8, 9, 12, 12, 6, 6};
    static const int greedy[LAYOUT_Q_COUNT] = {15, 3, 40, 60, 60, 60, 8, 30};
    const int *needs[] = {NULL, need, greedy};
    for (size_t k = 0; k < 3; k++)
        for (int cols = 80; cols <= 200; cols += 7) {
            cr_assert_eq(layout_compute_queue(cols, needs[k], w), 0);
            int sum = LAYOUT_Q_MARKS + LAYOUT_Q_COUNT - 1;
            for (int i = 0; i < LAYOUT_Q_COUNT; i++) {
                cr_assert_gt(w[i], 0);
                sum += w[i];
            }
            cr_assert_eq(sum, cols);
        }
    /* At 80 columns what these cells need fits whole: the due column
     * takes "overdue 7d 12h", and the status column is there. */
    cr_assert_eq(layout_compute_queue(80, need, w), 0);
    for (int i = 0; i < LAYOUT_Q_COUNT; i++)
        cr_assert_geq(w[i], need[i], "column %d: %d < %d", i, w[i], need[i]);
    cr_assert_eq(layout_compute_queue(60, need, w), -1);
}

Test(keymap, key_names_round_trip)
{
    static const char *names[] = {"a", "?", "^L", "Up", "PgDn", "Tab", "Enter",
                                  "Esc", "F1", "F12", "BackTab", "Space", "\xc3\xa9"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        int key;
        char back[32];
        cr_assert_eq(keymap_parse_key(names[i], &key), 0, "%s", names[i]);
        keymap_key_name(key, back, sizeof back);
        cr_assert_str_eq(back, names[i]);
    }
    int k;
    cr_assert_eq(keymap_parse_key("C-x", &k), 0);
    cr_assert_eq(k, 24);
    cr_assert_eq(keymap_parse_key("Frobnicate", &k), -1);
    cr_assert_eq(keymap_parse_key("", &k), -1);
    cr_assert_eq(keymap_parse_key("F13", &k), -1);
}

Test(keymap, defaults_scopes_and_fallback)
{
    keymap *km = keymap_new();
    cr_assert_eq(keymap_lookup(km, SCOPE_REVIEW, 'c'), ACTION_COMMENT);
    cr_assert_eq(keymap_lookup(km, SCOPE_QUEUE, 'c'), ACTION_CLAIM);
    cr_assert_eq(keymap_lookup(km, SCOPE_REVIEW, 'j'), ACTION_DOWN, "global fallback");
    cr_assert_eq(keymap_lookup(km, SCOPE_REVIEW, KEYMAP_FN(KEY_DOWN)), ACTION_DOWN);
    cr_assert_eq(keymap_lookup(km, SCOPE_QUEUE, 'm'), ACTION_NONE);
    char keys[64];
    keymap_keys(km, SCOPE_GLOBAL, ACTION_UP, keys, sizeof keys);
    cr_assert_str_eq(keys, "Up k");
    keymap_free(km);
}

Test(config, binds_colours_and_options)
{
    keymap *km = keymap_new();
    theme t;
    config_options opt = {-1, -1, -1};
    char err[256];
    theme_defaults(&t);
    const char *text = "# my keys\n"
                       "bind review y met   # yes\n"
                       "bind review m none\n"
                       "bind global # search\n"
                       "color evidence black 214 bold underline\n"
                       "mono met underline\n"
                       "set accessible on\n";
    cr_assert_eq(config_parse("cfg", text, km, &t, &opt, err, sizeof err), 0, "%s", err);
    cr_assert_eq(keymap_lookup(km, SCOPE_REVIEW, 'y'), ACTION_MET);
    cr_assert_eq(keymap_lookup(km, SCOPE_REVIEW, 'm'), ACTION_NONE);
    cr_assert_eq(keymap_lookup(km, SCOPE_QUEUE, '#'), ACTION_SEARCH);
    cr_assert_eq(t.role[THEME_EVIDENCE].fg, 0);
    cr_assert_eq(t.role[THEME_EVIDENCE].bg, 214);
    cr_assert_eq(t.role[THEME_EVIDENCE].attrs, THEME_BOLD | THEME_UNDERLINE);
    cr_assert_eq(t.role[THEME_MET].mono, THEME_UNDERLINE);
    cr_assert_eq(opt.accessible, 1);
    cr_assert_eq(opt.ascii, -1);
    keymap_free(km);
}

Test(config, bad_lines_are_reported_and_skipped)
{
    keymap *km = keymap_new();
    theme t;
    config_options opt = {-1, -1, -1};
    char err[256];
    theme_defaults(&t);
    const char *text = "bind review q frobnicate\n"
                       "bind review z met\n"
                       "colour nosuch red blue\n"
                       "set accessible maybe\n"
                       "launch missiles\n";
    cr_assert_eq(config_parse("cfg", text, km, &t, &opt, err, sizeof err), 4);
    cr_assert_str_eq(err, "cfg:1: unknown action 'frobnicate'");
    cr_assert_eq(keymap_lookup(km, SCOPE_REVIEW, 'z'), ACTION_MET, "good lines still apply");
    cr_assert_eq(keymap_lookup(km, SCOPE_REVIEW, 'q'), ACTION_QUIT);
    keymap_free(km);
}

Test(docs, keys_page_names_every_action)
{
    FILE *f = fopen("docs/keys.md", "r");
    cr_assert_not_null(f, "docs/keys.md (run from the repository's root)");
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = 0;
    for (int a = 1; a < ACTION_COUNT; a++) {
        char name[64];
        snprintf(name, sizeof name, "`%s`", keymap_action_name((tui_action)a));
        cr_assert(strstr(text, name) != NULL, "docs/keys.md does not name %s", name);
    }
}
