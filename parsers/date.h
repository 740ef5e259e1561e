/* date: full calendar dates, normalised to ISO 8601. */
#ifndef PARSERS_DATE_H
#define PARSERS_DATE_H
#include "parsers/scan.h"
void date_find(scan *s);
#endif
