#include "parsers/scale.h"

void scale_find(scan *s)
{
    (void)s;
}
