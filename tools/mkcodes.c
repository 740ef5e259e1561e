/* mkcodes: builds data/codes/codes.bin from the CMS code set releases.
 * See tools/mkcodes.sh and data/codes/README.md. */
#include <stdio.h>
#include <string.h>

#include "codes/cms.h"

static int usage(void)
{
    fprintf(stderr,
            "usage: mkcodes -o OUT [--icd-release=L] [--hcpcs-release=L] [--opps-release=L]\n"
            "               INPUT...\n"
            "INPUT, oldest release first (a newer description wins):\n"
            "  --icd-order=FILE    icd10cm_order_YYYY.txt (fixed width)\n"
            "  --icd-tabular=FILE  icd10cm_tabular_YYYY.xml (chapters and sections)\n"
            "  --icd-csv=FILE      code,billable,short_desc,long_desc[,sub_chapter,chapter]\n"
            "  --hcpcs=FILE        HCPCYYYY_CONTR_ANWEB.txt (fixed width, full release)\n"
            "  --hcpcs-csv=FILE    code,kind,short_desc,long_desc (full release)\n"
            "  --opps-csv=FILE     code,short_desc,opps_status_indicator (OPPS subset)\n");
    return 2;
}

typedef int (*reader)(cms_table *, const char *, char *, size_t);

static const struct {
    const char *opt;
    reader read;
} inputs[] = {
    {"--icd-order=", cms_read_icd_order},   {"--icd-tabular=", cms_read_icd_tabular},
    {"--icd-csv=", cms_read_icd_csv},       {"--hcpcs=", cms_read_hcpcs_fixed},
    {"--hcpcs-csv=", cms_read_hcpcs_csv},   {"--opps-csv=", cms_read_opps_csv},
};

static int run_arg(cms_table *t, const char *arg, char *err, size_t errsz)
{
    static const char *const rel[] = {"icd", "hcpcs", "opps"};
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        size_t n = strlen(inputs[i].opt);
        if (strncmp(arg, inputs[i].opt, n) == 0)
            return inputs[i].read(t, arg + n, err, errsz);
    }
    for (int i = 0; i < 3; i++) {
        char opt[32];
        snprintf(opt, sizeof opt, "--%s-release=", rel[i]);
        if (strncmp(arg, opt, strlen(opt)) == 0)
            return cms_set_release(t, rel[i], arg + strlen(opt));
    }
    snprintf(err, errsz, "unknown option %s", arg);
    return -1;
}

int main(int argc, char **argv)
{
    const char *out = NULL;
    int first = 1;
    if (argc > 2 && strcmp(argv[1], "-o") == 0) {
        out = argv[2];
        first = 3;
    }
    if (!out || first >= argc)
        return usage();
    cms_table *t = cms_table_new();
    char err[512];
    int rc = t ? 0 : 1;
    for (int i = first; rc == 0 && i < argc; i++)
        if (run_arg(t, argv[i], err, sizeof err) != 0) {
            fprintf(stderr, "mkcodes: %s\n", err);
            rc = 1;
        }
    size_t n = t ? cms_table_size(t) : 0;
    if (rc == 0 && cms_table_write(t, out, err, sizeof err) != 0) {
        fprintf(stderr, "mkcodes: %s\n", err);
        rc = 1;
    }
    if (rc == 0)
        fprintf(stderr, "mkcodes: %zu input records -> %zu codes in %s\n", n,
                cms_table_size(t), out);
    /* Only the official record file gives termination dates: say so when
     * the table cannot know which codes are retired. */
    int fixed = 0, csv = 0;
    for (int i = first; i < argc; i++) {
        fixed |= strncmp(argv[i], "--hcpcs=", 8) == 0;
        csv |= strncmp(argv[i], "--hcpcs-csv=", 12) == 0 ||
               strncmp(argv[i], "--opps-csv=", 11) == 0;
    }
    if (rc == 0 && csv && !fixed)
        fprintf(stderr, "mkcodes: note: the HCPCS CSV extracts carry no termination "
                        "dates, so no HCPCS code in %s is marked retired (give the "
                        "HCPCYYYY_CONTR_ANWEB record file for that)\n", out);
    cms_table_free(t);
    return rc;
}
