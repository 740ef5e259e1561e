#include "cli/clean.h"

void clean_put(FILE *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 &&
            (unsigned char)s[i + 1] <= 0x9F) {
            fputc(' ', out); /* a C1 control, two bytes in UTF-8 */
            i++;
            continue;
        }
        fputc(c < 0x20 || c == 0x7F ? ' ' : c, out);
    }
}
