/* icd10: ICD-10-CM diagnosis codes written in a note. */
#ifndef PARSERS_ICD10_H
#define PARSERS_ICD10_H
#include "parsers/scan.h"
void icd10_find(scan *s);
/* Normalises code text (any case, with or without its dot) into out:
 * upper case, a dot after the third character when longer.  0 or -1 when
 * it is not an ICD-10-CM code's shape. */
int icd10_normalise(const char *text, size_t len, char *out, size_t outsz);
#endif
