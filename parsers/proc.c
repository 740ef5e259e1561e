#include "parsers/proc.h"

void proc_find(scan *s)
{
    (void)s;
}
