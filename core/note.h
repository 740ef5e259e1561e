/* note: a clinical note loaded into memory, with the byte offsets of its
 * lines, sentences and sections.
 *
 * Offsets are into note->text, which is the file's bytes as they are for a
 * UTF-8 file (a BOM and CRs are kept in place and treated as blanks), so a
 * span in text is the same span in the file.  Bytes that are not UTF-8
 * (a Latin-1 file, or a few Latin-1 bytes in a UTF-8 one) are repaired to
 * UTF-8; then note_file_offset() maps a text offset back to the file. */
#ifndef CORE_NOTE_H
#define CORE_NOTE_H

#include <stddef.h>

#include "core/utf8.h"

#define NOTE_DEFAULT_MAX_BYTES ((size_t)16 << 20)

enum {
    NOTE_HAD_BOM = 1 << 0,
    NOTE_CRLF = 1 << 1,
    NOTE_LATIN1 = 1 << 2 /* bytes repaired as Latin-1 (nmarks of them): warn */
};

typedef struct {
    size_t start, end; /* byte offsets, end exclusive */
} note_span;

/* A section: a header line such as "FAMILY HISTORY:" and the text under it
 * up to the next header, a blank line, the end of an indented or bulleted
 * list under it, or (when the header has text on its own line) the end of
 * that line and the indented or bulleted lines that follow; text outside
 * every section has no section (NULL).  kind is the canonical name from
 * data/sections.tsv ("family_history", "past_history", "hpi", ...);
 * context is what the section implies for the facts inside it. */
typedef enum {
    NOTE_SECTION_PLAIN = 0,
    NOTE_SECTION_HISTORICAL,
    NOTE_SECTION_FAMILY,
    NOTE_SECTION_HYPOTHETICAL
} note_section_context;

typedef struct {
    size_t start;      /* start of the header */
    size_t body;       /* first byte after the header (and its colon) */
    size_t end;        /* end of the section's text (exclusive) */
    const char *kind;  /* canonical kind, static storage owned by sections */
    note_section_context context;
    unsigned flags;    /* NOTE_SECTION_DX_LIST, NOTE_SECTION_CODE_LIST */
} note_section;

/* What a section's codes look like (data/sections.tsv, column lists). */
enum {
    NOTE_SECTION_DX_LIST = 1 << 0,  /* problem or diagnosis list */
    NOTE_SECTION_CODE_LIST = 1 << 1, /* billing codes, requested services */
    NOTE_SECTION_ITEM = 1 << 2       /* a label the table does not know, inside
                                        a known section whose context it takes
                                        ("Maternal grandmother:" under FAMILY
                                        HISTORY) */
};

typedef struct note {
    char *path;       /* as given */
    char *text;       /* NUL-terminated; len bytes */
    size_t len;
    utf8_mark *marks; /* the repaired characters, in order (NULL, 0: none) */
    size_t nmarks;
    unsigned flags;
    size_t *lines;    /* start offset of each line */
    size_t nlines;
    note_span *sentences;
    size_t nsentences;
    note_section *sections; /* in order; text before the first is none */
    size_t nsections;
    size_t wrap;      /* the width its lines were wrapped at (0: none seen) */
} note;

typedef struct {
    size_t max_bytes; /* 0: NOTE_DEFAULT_MAX_BYTES */
} note_options;

/* Loads a file.  Returns 0, or -1 with a one-line reason in err (no note
 * text in it): binary, empty, too large, unreadable, invalid UTF-8 that is
 * not Latin-1. */
int note_load_file(const char *path, const note_options *opt, note **out,
                   char *err, size_t errsz);
/* The same from memory (buf is copied); name stands for the path. */
int note_load_mem(const char *name, const char *buf, size_t len,
                  const note_options *opt, note **out, char *err,
                  size_t errsz);
void note_free(note *n);

size_t note_line_at(const note *n, size_t off);     /* 1-based line */
size_t note_file_offset(const note *n, size_t off); /* text -> file */
/* Index of the sentence holding off, or (size_t)-1. */
size_t note_sentence_at(const note *n, size_t off);
/* The section holding off, or NULL for text outside every section. */
const note_section *note_section_at(const note *n, size_t off);
/* Whether the line feed at off only wraps a paragraph (a line that fills
 * the note's wrap width, stops mid-text and is followed by more of it at
 * the margin) rather than ending a line that stands on its own (a heading,
 * a list item, a table row).  A reader may show it as a blank. */
int note_soft_break(const note *n, size_t off);
/* Whether a section's header is one data/sections.tsv names (not "other",
 * nor an item label inside another section). */
int note_section_known(const note_section *s);

#endif
