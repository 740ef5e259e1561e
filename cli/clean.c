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

void clean_put_words(FILE *out, const char *s, size_t len)
{
    /* Runs of blanks (a wrapped line's indentation) become one space. */
    int blank = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        int ctl = c < 0x20 || c == 0x7F || c == ' ';
        size_t w = 1;
        if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 &&
            (unsigned char)s[i + 1] <= 0x9F) {
            ctl = 1; /* a C1 control, two bytes in UTF-8 */
            w = 2;
        }
        if (ctl) {
            if (!blank)
                fputc(' ', out);
            blank = 1;
        } else {
            fwrite(s + i, 1, w, out);
            blank = 0;
        }
        i += w - 1;
    }
}
