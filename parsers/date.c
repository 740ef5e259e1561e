#include "parsers/date.h"

void date_find(scan *s)
{
    (void)s;
}
