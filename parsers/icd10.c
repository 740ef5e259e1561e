#include "parsers/icd10.h"

void icd10_find(scan *s)
{
    (void)s;
}

int icd10_normalise(const char *text, size_t len, char *out, size_t outsz)
{
    (void)text;
    (void)len;
    (void)out;
    (void)outsz;
    return -1;
}
