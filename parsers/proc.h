/* proc: procedure and supply codes: CPT (Category I, II, III) and HCPCS
 * Level II. */
#ifndef PARSERS_PROC_H
#define PARSERS_PROC_H
#include "parsers/scan.h"
void proc_find(scan *s);
#endif
