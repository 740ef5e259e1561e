/* age: the patient's current age (not a relative's, not an age at a past
 * or future event). */
#ifndef PARSERS_AGE_H
#define PARSERS_AGE_H
#include "parsers/scan.h"
void age_find(scan *s);
#endif
