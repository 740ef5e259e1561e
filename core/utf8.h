/* utf8: validation and Latin-1 repair for untrusted note bytes. */
#ifndef CORE_UTF8_H
#define CORE_UTF8_H

#include <stddef.h>

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when the bytes there
 * are not valid UTF-8 (overlong, surrogate, beyond U+10FFFF, truncated). */
size_t utf8_seq_len(const unsigned char *s, size_t avail);

/* 1 when all of s is valid UTF-8. */
int utf8_valid(const char *s, size_t len);

/* Decodes Latin-1 (with the Windows-1252 printable characters in
 * 0x80-0x9F, which such files nearly always mean) into fresh UTF-8.
 * *map gets the source offset of each output byte (outlen + 1 entries).
 * Returns the buffer (NUL-terminated) or NULL when out of memory. */
char *utf8_from_latin1(const char *s, size_t len, size_t *outlen,
                       size_t **map);

#endif
