/* noteview: the notes of a case as one scrolling column of screen rows:
 * a title row per note, then its text wrapped to the pane's width.  Rows
 * keep byte offsets, so evidence spans, search matches and the cursor
 * move between the text and the screen. */
#ifndef TUI_NOTEVIEW_H
#define TUI_NOTEVIEW_H

#include <stddef.h>

#include "core/note.h"
#include "tui/layout.h"
#include "tui/theme.h"

typedef struct noteview noteview;

typedef struct {
    int note;
    size_t start, end;
    theme_role role;
    char gutter; /* marks the rows it covers, so meaning is not colour alone */
} noteview_hl;

noteview *noteview_new(note *const *notes, size_t n);
void noteview_free(noteview *v);

/* Re-wraps when the width changed (the first call always).  -1 when out
 * of memory. */
int noteview_layout(noteview *v, int width, unsigned sanitize_flags);
long noteview_rows(const noteview *v);
int noteview_width(const noteview *v); /* of the last layout, 0 before */
/* Row r: its note, bytes, and whether it is the note's title row. */
void noteview_row(const noteview *v, long r, int *ni, size_t *start,
                  size_t *end, int *title);
/* The rows of note ni's text: from *first, *n of them (its title row is
 * *first - 1). */
void noteview_note_rows(const noteview *v, int ni, long *first, long *n);
/* The row showing byte off of a note. */
long noteview_row_of(const noteview *v, int ni, size_t off);

/* Draws rows [top, top + area.h) into area; cursor (or -1) gets a '>'.
 * Highlights are painted in order, later ones over earlier ones. */
void noteview_draw(const noteview *v, layout_rect area, long top, long cursor,
                   const noteview_hl *hl, size_t nhl);

/* Finds pat (ASCII case folded) from byte off of note forwards (dir > 0)
 * or backwards, wrapping around the notes.  1 found (*note, *off set). */
int noteview_search(const noteview *v, const char *pat, int dir, int *ni,
                    size_t *off);

#endif
