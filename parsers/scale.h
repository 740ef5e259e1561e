/* scale: clinical scale scores (Ashworth, MAS, GMFCS, Penn, spasm
 * frequency, pain out of 10). */
#ifndef PARSERS_SCALE_H
#define PARSERS_SCALE_H
#include "parsers/scan.h"
void scale_find(scan *s);
#endif
