/* cms: reads the official CMS code set releases and writes the binary
 * table that codeset.c maps (data/codes/codes.bin).  Used by tools/mkcodes;
 * the workstation itself never parses these files.
 *
 * Readers may be called several times; call them oldest release first:
 * for a code given twice the newer description wins.  Formats:
 *   ICD-10-CM order file (icd10cm_order_YYYY.txt, fixed width: order 5,
 *     code 7, billable 1, short description 60, long description)
 *   ICD-10-CM tabular XML (icd10cm_tabular_YYYY.xml: chapters, sections)
 *   HCPCS Level II record file (HCPCYYYY_CONTR_ANWEB.txt, 320 columns)
 *   and the CSV extracts in ../shared/data/codes (see data/codes/README). */
#ifndef CODES_CMS_H
#define CODES_CMS_H

#include <stddef.h>

typedef struct cms_table cms_table;

cms_table *cms_table_new(void);
void cms_table_free(cms_table *t);

/* Each returns 0, or -1 with "FILE:LINE: reason" in err. */
int cms_read_icd_order(cms_table *t, const char *path, char *err, size_t errsz);
int cms_read_icd_tabular(cms_table *t, const char *path, char *err, size_t errsz);
int cms_read_icd_csv(cms_table *t, const char *path, char *err, size_t errsz);
int cms_read_hcpcs_fixed(cms_table *t, const char *path, char *err, size_t errsz);
int cms_read_hcpcs_csv(cms_table *t, const char *path, char *err, size_t errsz);
int cms_read_opps_csv(cms_table *t, const char *path, char *err, size_t errsz);

/* Release labels shown to the reviewer ("FY2019", "2019", "2026-04");
 * WHICH is "icd", "hcpcs" or "opps".  0, or -1 for an unknown WHICH. */
int cms_set_release(cms_table *t, const char *which, const char *label);

/* Entries read so far (before merging duplicates). */
size_t cms_table_size(const cms_table *t);

/* Merges, encodes and writes the table to PATH (via PATH.tmp and rename).
 * 0, or -1 with a message in err. */
int cms_table_write(cms_table *t, const char *path, char *err, size_t errsz);

#endif
