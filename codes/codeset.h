/* codeset: names and checks ICD-10-CM, HCPCS Level II and CPT codes.
 *
 * The CMS code sets are shipped as one binary table (data/codes/codes.bin,
 * built by tools/mkcodes from the official CMS files), mapped read-only and
 * searched by binary search.  CPT descriptions are the AMA's and are not
 * shipped: a CPT code is recognised by its form, and a caller (a policy
 * that prints its own wording) may attach a name with codes_name().
 *
 * A well-formed code the table does not hold is "not in list", never
 * invalid: codes added after the shipped release exist (U07.1). */
#ifndef CODES_CODESET_H
#define CODES_CODESET_H

#include <stddef.h>

typedef struct codes_set codes_set;

typedef enum {
    CODES_NONE = 0,  /* not the form of any code */
    CODES_ICD10,     /* ICD-10-CM diagnosis: G80.0, G800, M1A.0110 */
    CODES_HCPCS,     /* HCPCS Level II: E0783, J1815; also local X7108 */
    CODES_MODIFIER,  /* HCPCS modifier: LT, GA */
    CODES_CPT        /* CPT: 62369, 0001F, 0042T, 0001U */
} codes_kind;

typedef enum {
    CODES_OK,           /* in the list (ICD-10-CM: billable) */
    CODES_RETIRED,      /* HCPCS: the release gives a termination date */
    CODES_NOT_BILLABLE, /* ICD-10-CM category or subcategory: use a child */
    CODES_NOT_IN_LIST,  /* well-formed, absent from the shipped release */
    CODES_UNCHECKED,    /* CPT: form checked, no list shipped */
    CODES_MALFORMED     /* not the form of any code */
} codes_status;

/* Flags in codes_info.flags. */
enum {
    CODES_F_BILLABLE = 1,   /* ICD-10-CM billable */
    CODES_F_RETIRED = 2,    /* HCPCS: the release gives a termination date */
    CODES_F_NOT_OPPS = 4,   /* HCPCS: absent from the newer OPPS subset
                             * (retired, or simply not an outpatient code) */
    CODES_F_NAMED = 8,      /* description attached by the caller */
    CODES_F_NO_DESC = 16,   /* description not shipped (CPT, CDT) */
    CODES_F_AMBIGUOUS = 32  /* undotted form is also a listed ICD-10-CM code */
};

#define CODES_CODE_MAX 12
#define CODES_DESC_MAX 2048

/* About 4 KB: keep one per caller (static or heap), not one per fact. */
typedef struct {
    codes_kind kind;
    codes_status status;
    unsigned flags;
    char code[CODES_CODE_MAX];   /* display form: G80.0, E0783, 62369 */
    char key[CODES_CODE_MAX];    /* search form: G800 (no dot, upper case) */
    char parent[CODES_CODE_MAX]; /* ICD not in list: nearest listed ancestor */
    char opps_si[3];             /* HCPCS: OPPS status indicator, or "" */
    const char *section;         /* ICD: block title, or NULL */
    const char *chapter;         /* ICD: chapter title, or NULL */
    char short_desc[CODES_DESC_MAX];
    char long_desc[CODES_DESC_MAX]; /* "" when none is known */
} codes_info;

/* Opens DATADIR/data/codes/codes.bin.  NULL with a message in err. */
codes_set *codes_open(const char *datadir, char *err, size_t errsz);
/* Opens a table file directly (tests, tools). */
codes_set *codes_open_file(const char *path, char *err, size_t errsz);
void codes_close(codes_set *set);

/* The release a kind was built from ("FY2019", "2019"); "" if unknown. */
const char *codes_release(const codes_set *set, codes_kind kind);
/* The newer outpatient subset merged into HCPCS ("2026-04"), or "". */
const char *codes_opps_release(const codes_set *set);
/* Number of codes of a kind in the table. */
size_t codes_count(const codes_set *set, codes_kind kind);

/* Looks TEXT up: any case, with or without the ICD dot, surrounding space
 * ignored.  Always fills *info (status MALFORMED for a non-code); returns
 * info->status.  An undotted letter + 4 digits is taken as HCPCS when the
 * HCPCS list holds it, else as ICD-10-CM when that list does. */
codes_status codes_lookup(const codes_set *set, const char *text, codes_info *info);

/* The billable ICD-10-CM codes below CODE (G80 -> G80.0 ... G80.9), in
 * order: up to max display forms into out; returns how many there are. */
size_t codes_children(const codes_set *set, const char *code,
                      char (*out)[CODES_CODE_MAX], size_t max);

/* Attaches a name to a code that has no shipped description (CPT), e.g.
 * a policy's own wording.  The name is copied.  0, or -1 (malformed code,
 * out of memory). */
int codes_name(codes_set *set, const char *code, const char *name);

/* The kind of TEXT by its form alone, with its search form (no dot, upper
 * case) in key.  Letter + 4 digits gives CODES_HCPCS (it may also be an
 * undotted ICD-10-CM code).  CODES_NONE when malformed. */
codes_kind codes_parse(const char *text, char key[CODES_CODE_MAX]);

/* Whether CODE falls within PATTERN as policies print code lists: a code
 * (G35: itself and, for ICD-10-CM, its subcodes), a range (G80.0-G80.9,
 * E0782 - E0786, "G80.0 through G80.9"; the end includes its subcodes), a
 * wildcard (G80.*, G80*, E078?), or a list of these separated by commas,
 * semicolons, spaces or "or".  Case and the ICD dot do not matter, but
 * in a pattern an undotted letter + 4 digits is HCPCS (policies write
 * ICD-10-CM with its dot): E07.83 is not within E0782-E0786, while a
 * code written undotted (G8001, from a note) may match either set. */
int codes_match_pattern(const char *code, const char *pattern);

/* What a reviewer reads beside the code, the same in every view:
 * codes_describe gives the long description, or "(CPT description not
 * shipped)" and the like; codes_status_text the status with its advice:
 * "billable", "not billable (category): use G80.0 G80.1 ...", "not in the
 * FY2019 ICD-10-CM list; under G80", "ok, not in the OPPS list of 2026-04". */
const char *codes_describe(const codes_info *info);
void codes_status_text(const codes_set *set, const codes_info *info, char *buf, size_t sz);

const char *codes_kind_name(codes_kind kind);     /* "icd10", "hcpcs", ... */
const char *codes_status_name(codes_status status); /* "ok", "retired", ... */

#endif
