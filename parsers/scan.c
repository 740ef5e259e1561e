#include "parsers/scan.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

unsigned scan_letter4(const scan *s, size_t at)
{
    if (!s->codes)
        return SCAN_AS_ICD10 | SCAN_AS_HCPCS;
    codes_info info; /* 4 KB on the stack: extraction may run on a thread */
    const char *t = s->n->text + at;
    char dotted[8] = {t[0], t[1], t[2], '.', t[3], t[4], '\0'}, plain[6];
    memcpy(plain, t, 5);
    plain[5] = '\0';
    unsigned r = 0;
    codes_status st = codes_lookup(s->codes, dotted, &info);
    if (info.kind == CODES_ICD10 && (st == CODES_OK || st == CODES_NOT_BILLABLE))
        r |= SCAN_AS_ICD10;
    st = codes_lookup(s->codes, plain, &info);
    if (info.kind == CODES_HCPCS && (st == CODES_OK || st == CODES_RETIRED))
        r |= SCAN_AS_HCPCS;
    return r ? r : SCAN_AS_ICD10 | SCAN_AS_HCPCS; /* neither: the text decides */
}

void scan_emit(scan *s, fact_kind kind, size_t start, size_t end,
               const char *value)
{
    fact f = {.kind = kind, .start = start, .end = end, .status = CTX_AFFIRMED};
    snprintf(f.value, sizeof f.value, "%s", value);
    if (fact_list_push(s->out, &f) < 0)
        s->oom = 1;
}

unsigned scan_lists_at(const scan *s, size_t off)
{
    const note_section *sec = note_section_at(s->n, off);
    return sec ? sec->flags : 0;
}

note_span scan_sentence(const scan *s, size_t off)
{
    size_t i = note_sentence_at(s->n, off);
    if (i != (size_t)-1)
        return s->n->sentences[i];
    size_t line = note_line_at(s->n, off);
    note_span sp = {s->n->lines[line - 1],
                    line < s->n->nlines ? s->n->lines[line] : s->n->len};
    return sp;
}

void scan_number(const char *text, size_t a, size_t b, char *out, size_t outsz)
{
    size_t o = 0;
    if (outsz == 0)
        return;
    if (a < b && text[a] == '.' && o + 1 < outsz)
        out[o++] = '0';
    for (size_t i = a; i < b && o + 1 < outsz; i++)
        if (text[i] != ',')
            out[o++] = text[i];
    out[o] = '\0';
    char *dot = strchr(out, '.');
    if (dot) {
        while (o > 0 && out[o - 1] == '0')
            out[--o] = '\0';
        if (o > 0 && out[o - 1] == '.')
            out[--o] = '\0';
    }
    /* "007" is 7; keep a lone "0" and "0.5". */
    size_t z = 0;
    while (out[z] == '0' && out[z + 1] >= '0' && out[z + 1] <= '9')
        z++;
    if (z)
        memmove(out, out + z, strlen(out + z) + 1);
}

int scan_word_char(const char *text, size_t len, size_t i)
{
    if (i >= len)
        return 0;
    unsigned char c = (unsigned char)text[i];
    return isalnum(c) || c >= 0x80;
}

size_t scan_word_before(const lexicon *l, const char *text, size_t lo,
                        size_t end, int maxwords, const char **value)
{
    size_t p = end;
    for (int w = 0; w < maxwords && p > lo; w++) {
        while (p > lo && !scan_word_char(text, end, p - 1))
            p--;
        while (p > lo && scan_word_char(text, end, p - 1))
            p--;
        size_t m = lexicon_match_at(l, text, end, p, value);
        if (m && p + m == end)
            return p;
    }
    return SIZE_MAX;
}

const char *scan_lookup(const lexicon *l, const char *t, size_t a, size_t b)
{
    char buf[96];
    size_t o = 0;
    for (size_t i = a; i < b && o < sizeof buf - 1; i++) {
        char c = t[i];
        if (isspace((unsigned char)c) || c == '-') {
            if (o && buf[o - 1] != ' ')
                buf[o++] = ' ';
            continue;
        }
        buf[o++] = c;
    }
    while (o && buf[o - 1] == ' ')
        o--;
    const char *v = lexicon_get(l, buf, o);
    if (!v && o > 2 && buf[0] == '/' && buf[1] == ' ') {
        memmove(buf + 1, buf + 2, o - 2);
        v = lexicon_get(l, buf, o - 1);
    }
    return v;
}

size_t scan_with_header(const scan *s, size_t start)
{
    const note_section *sec = note_section_at(s->n, start);
    if (!sec || sec->start >= start || start - sec->body > 8)
        return start;
    for (size_t i = sec->body; i < start; i++)
        if (s->n->text[i] == '\n')
            return start;
    return sec->start;
}
