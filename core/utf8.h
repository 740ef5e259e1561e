/* utf8: validation and Latin-1 repair for untrusted note bytes. */
#ifndef CORE_UTF8_H
#define CORE_UTF8_H

#include <stddef.h>

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when the bytes there
 * are not valid UTF-8 (overlong, surrogate, beyond U+10FFFF, truncated). */
size_t utf8_seq_len(const unsigned char *s, size_t avail);
/* The same, and the code point in *cp (untouched when 0).  Strict:
 * overlongs, surrogates and code points past U+10FFFF are not UTF-8, so
 * one bad byte is replaced and decoding resumes after it. */
size_t utf8_decode(const unsigned char *s, size_t avail, unsigned *cp);

/* 1 when all of s is valid UTF-8. */
int utf8_valid(const char *s, size_t len);

/* A character that utf8_repair() made: output bytes [out, out+n) stand
 * for the one input byte at in. */
typedef struct {
    size_t out, n, in;
} utf8_mark;

/* Repairs text that is not all UTF-8: valid UTF-8 sequences are kept as
 * they are, and every other byte is read as Latin-1 (with the
 * Windows-1252 printable characters in 0x80-0x9F, which such files nearly
 * always mean).  *marks gets one mark per repaired byte, in order (free
 * it), so that an output offset maps back to the input with
 * utf8_source_offset().  Returns the buffer (NUL-terminated) or NULL when
 * out of memory.  Memory is the output plus a mark per repaired byte. */
char *utf8_repair(const char *s, size_t len, size_t *outlen, utf8_mark **marks,
                  size_t *nmarks);

/* The input offset of output offset off, given the marks of a repair. */
size_t utf8_source_offset(const utf8_mark *marks, size_t nmarks, size_t off);

/* 1 when byte c, not part of valid UTF-8, could be Windows-1252 text (not
 * one of the five bytes that code page leaves undefined). */
int utf8_cp1252_defined(unsigned char c);

#endif
