/* The screen-independent text handling: the sanitiser and wrapping, with
 * wide characters and combining marks. */
#include <criterion/criterion.h>
#include <locale.h>
#include <string.h>

#include "tui/sanitize.h"
#include "core/note.h"
#include "tui/wrap.h"

static void utf8_locale(void)
{
    cr_assert_not_null(setlocale(LC_ALL, "C.UTF-8"), "C.UTF-8 locale missing");
}

TestSuite(sanitize, .init = utf8_locale);
TestSuite(wrap, .init = utf8_locale);

Test(sanitize, escape_sequences_never_come_out)
{
    const char *s = "a\x1b]0;pwned\x07z\x1b[2J\xc2\x9b" "31m";
    char out[128];
    sanitize_copy(s, strlen(s), 80, 0, out, sizeof out);
    for (const unsigned char *p = (const unsigned char *)out; *p; p++) {
        cr_assert(*p >= 0x20 && *p != 0x7f, "control byte 0x%02x leaked", *p);
        cr_assert(!(p[0] == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0), "C1 control leaked");
    }
    cr_assert(strstr(out, "pwned") != NULL, "printable text is kept");
}

Test(sanitize, ascii_mode_replaces_non_ascii)
{
    const char *s = "na\xc3\xafve \xe4\xb8\xad";
    char out[64];
    int w = sanitize_copy(s, strlen(s), 80, SANITIZE_ASCII, out, sizeof out);
    cr_assert_str_eq(out, "na?ve ?");
    cr_assert_eq(w, 7);
}

Test(sanitize, widths_of_wide_and_combining)
{
    /* e + combining acute: one column; CJK: two; emoji: two. */
    cr_assert_eq(sanitize_width("e\xcc\x81", 3, 0), 1);
    cr_assert_eq(sanitize_width("\xe4\xb8\xad\xe6\x96\x87", 6, 0), 4);
    cr_assert_eq(sanitize_width("\xf0\x9f\x98\x80", 4, 0), 2);
    sanitize_glyph g;
    sanitize_next("e\xcc\x81x", 4, 0, &g);
    cr_assert_eq(g.bytes, 3);
    cr_assert_eq(g.wc[0], L'e');
    cr_assert_eq(g.wc[1], 0x301);
    cr_assert_eq(g.wc[2], 0);
}

Test(sanitize, invalid_utf8_and_bidi)
{
    sanitize_glyph g;
    sanitize_next("\xff", 1, 0, &g);
    cr_assert(g.replaced);
    cr_assert_eq(g.bytes, 1);
    sanitize_next("\xc0\xaf", 2, 0, &g); /* overlong '/' */
    cr_assert(g.replaced);
    sanitize_next("\xe2\x80\xae", 3, 0, &g); /* RIGHT-TO-LEFT OVERRIDE */
    cr_assert_eq(g.width, 0);
    cr_assert_eq(g.wc[0], 0);
    sanitize_next("\xe4\xb8", 2, 0, &g); /* truncated */
    cr_assert(g.replaced);
}

Test(sanitize, copy_truncates_by_columns_not_bytes)
{
    const char *s = "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97"; /* 3 wide chars */
    char out[64];
    int w = sanitize_copy(s, strlen(s), 5, 0, out, sizeof out);
    cr_assert_eq(w, 4, "a wide glyph that does not fit is left out");
    cr_assert_eq(strlen(out), 6);
}

static void check_rows(const char *text, int width, const char **want, size_t n)
{
    wrap_rows r = {0};
    cr_assert_eq(wrap_text(text, strlen(text), width, 0, &r), 0);
    cr_assert_eq(r.n, n, "rows: got %zu want %zu", r.n, n);
    for (size_t i = 0; i < n; i++) {
        size_t len = r.v[i].end - r.v[i].start;
        cr_assert(strlen(want[i]) == len &&
                      memcmp(text + r.v[i].start, want[i], len) == 0,
                  "row %zu: '%.*s' want '%s'", i, (int)len,
                  text + r.v[i].start, want[i]);
        cr_assert_leq(sanitize_width(text + r.v[i].start, len, 0), width);
    }
    wrap_free(&r);
}

Test(wrap, words_move_to_the_next_row)
{
    const char *want[] = {"the quick ", "brown fox ", "jumps"};
    check_rows("the quick brown fox jumps", 10, want, 3);
}

Test(wrap, long_words_are_cut_and_newlines_kept)
{
    const char *want[] = {"abcdef", "ghij", "", "x"};
    check_rows("abcdefghij\n\nx", 6, want, 4);
}

Test(wrap, a_deep_indent_is_capped_at_a_quarter_of_the_width)
{
    /* Width 20: at most 5 blanks of the 12 before "contracture" show. */
    const char *want[] = {"Why ITB .... early", "     contracture; ", "toxin", "  ok"};
    check_rows("Why ITB .... early\n            contracture; toxin\n  ok", 20, want, 4);
}

Test(wrap, wide_glyph_never_straddles_the_edge)
{
    /* "ab" then three 2-column glyphs at width 5: ab中 | 文字 */
    const char *want[] = {"ab\xe4\xb8\xad", "\xe6\x96\x87\xe5\xad\x97"};
    check_rows("ab\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97", 5, want, 2);
}

Test(wrap, combining_marks_stay_with_their_base)
{
    /* Five e-acute written as e + U+0301: five columns, ten bytes. */
    const char *s = "e\xcc\x81" "e\xcc\x81" "e\xcc\x81" "e\xcc\x81" "e\xcc\x81";
    const char *want[] = {"e\xcc\x81" "e\xcc\x81" "e\xcc\x81",
                          "e\xcc\x81" "e\xcc\x81"};
    check_rows(s, 3, want, 2);
}

Test(wrap, row_at_finds_offsets)
{
    const char *s = "one two three four five";
    wrap_rows r = {0};
    wrap_text(s, strlen(s), 8, 0, &r);
    size_t off = (size_t)(strstr(s, "four") - s);
    size_t row = wrap_row_at(&r, off);
    cr_assert(r.v[row].start <= off && off < r.v[row].end);
    cr_assert_eq(wrap_row_at(&r, 0), 0);
    wrap_free(&r);
}

/* A paragraph typed at 80 columns is wrapped again at the pane's width;
 * a heading, a list and a table keep their lines. */
static int soft_at(const void *ctx, size_t off)
{
    return note_soft_break(ctx, off);
}

Test(wrap, a_typed_paragraph_is_wrapped_again_and_a_table_is_not)
{
    const char *text =
        "HISTORY OF PRESENT ILLNESS:\n"
        "Nine-year-old girl with spastic quadriplegic cerebral palsy (G80.0) and an\n"
        "intrathecal baclofen pump, here for a refill. She is doing well at school and\n"
        "Mother reports no new spasms.\n"
        "  - baclofen 101 mcg/day\n"
        "Muscle            Right          Left           Right          Left\n"
        "Hip adductors     Ashworth 2     Ashworth 2     Ashworth 1     Ashworth 1\n";
    note *n;
    char err[128];
    cr_assert_eq(note_load_mem("t", text, strlen(text), NULL, &n, err, sizeof err), 0, "%s", err);
    size_t an = (size_t)(strstr(text, "and an\n") - text) + 6;
    cr_assert(note_soft_break(n, an), "a line that fills the width, mid-sentence");
    cr_assert(note_soft_break(n, (size_t)(strstr(text, "school and\n") - text) + 10),
              "a capital on the next line does not end the paragraph");
    cr_assert(!note_soft_break(n, (size_t)(strstr(text, "ILLNESS:\n") - text) + 8),
              "a heading keeps its line");
    cr_assert(!note_soft_break(n, (size_t)(strstr(text, "spasms.\n") - text) + 7),
              "a short line keeps its line");
    cr_assert(!note_soft_break(n, (size_t)(strstr(text, "Left\nHip") - text) + 4),
              "a table row keeps its line");
    wrap_rows r = {0};
    cr_assert_eq(wrap_text_soft(n->text, n->len, 40, 0, soft_at, n, &r), 0);
    size_t row = wrap_row_at(&r, an);
    cr_assert(r.v[row].start < an && an < r.v[row].end, "the line feed is inside a row");
    size_t list = (size_t)(strstr(text, "  - baclofen") - text);
    cr_assert_eq(r.v[wrap_row_at(&r, list)].start, list, "the list item starts its row");
    wrap_free(&r);
    note_free(n);
}
