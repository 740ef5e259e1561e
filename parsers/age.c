#include "parsers/age.h"

void age_find(scan *s)
{
    (void)s;
}
