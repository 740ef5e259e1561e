/* dose: amounts of a drug (doses, rates, concentrations, pump volumes). */
#ifndef PARSERS_DOSE_H
#define PARSERS_DOSE_H
#include "parsers/scan.h"
void dose_find(scan *s);
#endif
