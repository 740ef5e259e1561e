/* codefmt: the on-disk layout of data/codes/codes.bin, shared by the reader
 * (codeset.c) and the writer (cms.c).  Private to codes/.
 *
 * The file is read with mmap and trusted only after codes_open() has
 * checked every size and offset in the header, so a truncated or hostile
 * file gives an error, never a read out of bounds.  Descriptions are
 * stored as token streams (a phrase vocabulary plus LEB128 token ids, see
 * phrases.h): the 10.7 MB of ICD-10-CM and HCPCS text take 2 MB, and
 * decoding one description costs well under a microsecond. */
#ifndef CODES_CODEFMT_H
#define CODES_CODEFMT_H

#include <stdint.h>

#define CODEFMT_MAGIC "CRCODES\0"
#define CODEFMT_VERSION 2u
#define CODEFMT_ENDIAN 0x01020304u
#define CODEFMT_KEYLEN 8 /* 7 code characters (no dot), NUL padded, kind */
#define CODEFMT_MAXFILE (256u << 20)

/* Kinds as stored in the last key byte; the sort order of the table. */
enum { CODEFMT_ICD10 = 1, CODEFMT_HCPCS = 2, CODEFMT_MODIFIER = 3 };

/* Record flags. */
enum {
    CODEFMT_F_BILLABLE = 1,    /* ICD-10-CM: valid for submission */
    CODEFMT_F_IN_FULL = 2,     /* HCPCS: in a full annual release */
    CODEFMT_F_IN_OPPS = 4,     /* HCPCS: in the OPPS Addendum B subset */
    CODEFMT_F_TERMINATED = 8,  /* HCPCS: the release gives a termination date */
    CODEFMT_F_NO_DESC = 16,    /* description withheld (CDT, ADA copyright) */
    CODEFMT_F_LONG = 32        /* a long description follows the short one */
};

/* Header flags: which inputs built the file. */
enum { CODEFMT_H_FULL = 1, CODEFMT_H_OPPS = 2 };

typedef struct {
    char magic[8];
    uint32_t version, endian, file_size, flags;
    uint32_t nrec, rec_off;       /* codefmt_rec[nrec], sorted by key */
    uint32_t nvocab, vocab_off;   /* uint32_t[nvocab]: offsets into str */
    uint32_t nsect, sect_off;     /* codefmt_sect[nsect] */
    uint32_t str_off, str_size;   /* NUL-terminated strings; ends in NUL */
    uint32_t desc_off, desc_size; /* token streams, each ended by id 0 */
    uint32_t icd_release, hcpcs_release, opps_release; /* offsets in str */
    uint32_t reserved[3];
} codefmt_header;

typedef struct {
    char key[CODEFMT_KEYLEN];
    uint32_t desc;         /* into desc: the short description's stream,
                            * then, with F_LONG, the long one's */
    uint16_t flags;
    uint16_t aux;          /* ICD: section index + 1; HCPCS: OPPS status (2 chars) */
} codefmt_rec;

typedef struct {
    uint32_t name, chapter; /* offsets into str */
} codefmt_sect;

#endif
