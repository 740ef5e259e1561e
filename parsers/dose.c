#include "parsers/dose.h"

void dose_find(scan *s)
{
    (void)s;
}
