/* cms: the readers of each official CMS format (fixtures/codes/), the
 * merge of releases, the written table, and a damaged table refused on
 * open rather than read out of bounds. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codes/cms.h"
#include "codes/codeset.h"
#include "core/paths.h"

static char tmpdir[64], out[128], err[512];
static codes_info info;

static void mktmp(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_codes_cms.XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
    snprintf(out, sizeof out, "%s/codes.bin", tmpdir);
}

static void rmtmp(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(cms, .init = mktmp, .fini = rmtmp);

static const char *fixture(const char *name)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/fixtures/codes/%s", paths_datadir(), name);
    return path;
}

static const char *write_file(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static codes_set *build_official(void)
{
    cms_table *t = cms_table_new();
    cr_assert_eq(cms_read_icd_order(t, fixture("icd10cm_order_2019.txt"), err, sizeof err), 0, "%s", err);
    cr_assert_eq(cms_read_icd_tabular(t, fixture("icd10cm_tabular_2019.xml"), err, sizeof err), 0, "%s", err);
    cr_assert_eq(cms_read_hcpcs_fixed(t, fixture("HCPC2019_CONTR_ANWEB.txt"), err, sizeof err), 0, "%s", err);
    cr_assert_eq(cms_set_release(t, "hcpcs", "2019"), 0);
    cr_assert_eq(cms_table_write(t, out, err, sizeof err), 0, "%s", err);
    cms_table_free(t);
    codes_set *s = codes_open_file(out, err, sizeof err);
    cr_assert_not_null(s, "%s", err);
    return s;
}

Test(cms, icd_order_file_and_tabular)
{
    codes_set *s = build_official();
    cr_assert_str_eq(codes_release(s, CODES_ICD10), "FY2019", "release from <version>");
    cr_assert_eq(codes_count(s, CODES_ICD10), 10);
    cr_assert_eq(codes_lookup(s, "a00.0", &info), CODES_OK);
    cr_assert_str_eq(info.short_desc, "Cholera due to Vibrio cholerae 01, biovar cholerae");
    cr_assert_str_eq(info.section, "Intestinal infectious diseases (A00-A09)");
    cr_assert_eq(codes_lookup(s, "S72.001A", &info), CODES_OK);
    cr_assert_str_eq(info.short_desc, "Fx unsp part of neck of right femur, init for clos fx");
    cr_assert_str_eq(info.long_desc, "Fracture of unspecified part of neck of right femur, "
                                     "initial encounter for closed fracture");
    cr_assert_str_eq(info.section, "Injuries to the hip and thigh (S70-S79)",
                     "a 7th-character code takes its listed prefix's section");
    cr_assert_eq(codes_lookup(s, "S72.001", &info), CODES_NOT_BILLABLE);
    cr_assert_eq(codes_lookup(s, "G80", &info), CODES_NOT_BILLABLE);
    char kids[8][CODES_CODE_MAX];
    cr_assert_eq(codes_children(s, "G80", kids, 8), 3);
    cr_assert_str_eq(kids[2], "G80.9");
    cr_assert_eq(codes_lookup(s, "G80.2", &info), CODES_NOT_IN_LIST);
    codes_close(s);
}

Test(cms, hcpcs_fixed_width_records)
{
    codes_set *s = build_official();
    cr_assert_eq(codes_lookup(s, "E0782", &info), CODES_OK);
    cr_assert_str_eq(info.short_desc, "Infusion pump, implantable");
    cr_assert_str_eq(info.long_desc, "Infusion pump, implantable, non-programmable (includes all "
                                     "components, e.g., pump, catheter, connectors, etc.)",
                     "a field that fills 80 columns runs on without a space");
    cr_assert_eq(codes_lookup(s, "E0783", &info), CODES_OK);
    cr_assert(strstr(info.long_desc, "e.g., pump, catheter") != NULL, "%s", info.long_desc);
    cr_assert_eq(codes_lookup(s, "G0219", &info), CODES_RETIRED, "termination date read");
    cr_assert(info.flags & CODES_F_RETIRED);
    char st[256];
    codes_status_text(s, &info, st, sizeof st);
    cr_assert(strncmp(st, "retired", 7) == 0, "%s", st);
    cr_assert_eq(codes_lookup(s, "E0783", &info), CODES_OK);
    cr_assert_not(info.flags & CODES_F_RETIRED);
    cr_assert_eq(codes_lookup(s, "LT", &info), CODES_OK);
    cr_assert_eq(info.kind, CODES_MODIFIER);
    cr_assert_str_eq(info.short_desc, "Left side");
    cr_assert_eq(codes_lookup(s, "D0120", &info), CODES_OK);
    cr_assert(info.flags & CODES_F_NO_DESC);
    cr_assert_str_eq(info.long_desc, "", "no CDT text is shipped");
    codes_close(s);
}

Test(cms, csv_extracts_merge_newest_description)
{
    cms_table *t = cms_table_new();
    cr_assert_eq(cms_read_icd_csv(t, fixture("icd10cm.csv"), err, sizeof err), 0, "%s", err);
    cr_assert_eq(cms_read_hcpcs_csv(t, fixture("hcpcs.csv"), err, sizeof err), 0, "%s", err);
    cr_assert_eq(cms_read_opps_csv(t, fixture("opps_2026-04.csv"), err, sizeof err), 0, "%s", err);
    cr_assert_eq(cms_set_release(t, "opps", "2026-04"), 0);
    cr_assert_eq(cms_set_release(t, "nonsense", "x"), -1);
    cr_assert_eq(cms_table_write(t, out, err, sizeof err), 0, "%s", err);
    cms_table_free(t);
    codes_set *s = codes_open_file(out, err, sizeof err);
    cr_assert_not_null(s, "%s", err);
    cr_assert_eq(codes_lookup(s, "G80.9", &info), CODES_OK);
    cr_assert_str_eq(info.short_desc, "Cerebral palsy, unspecified", "quoted CSV field");
    cr_assert_str_eq(info.section, "Cerebral Palsy And Other Paralytic Syndromes");
    cr_assert_eq(codes_lookup(s, "E0783", &info), CODES_OK);
    cr_assert_str_eq(info.short_desc, "Programmable infusion pump");
    cr_assert(strstr(info.long_desc, "implantable, programmable") != NULL,
              "same short description: the older long one is kept");
    cr_assert_str_eq(info.opps_si, "N");
    cr_assert_eq(codes_lookup(s, "A2001", &info), CODES_OK);
    cr_assert_str_eq(info.short_desc, "Innovamatrix ac, per sq cm");
    cr_assert_eq(codes_lookup(s, "G0219", &info), CODES_OK);
    cr_assert(info.flags & CODES_F_NOT_OPPS);
    cr_assert_eq(codes_lookup(s, "62369", &info), CODES_UNCHECKED, "CPT rows are dropped");
    cr_assert(info.flags & CODES_F_NO_DESC);
    codes_close(s);
}

Test(cms, control_characters_in_a_release_become_spaces)
{
    cms_table *t = cms_table_new();
    const char *p = write_file("ctl.csv", "code,billable,short_desc,long_desc\n"
                                          "G800,1,Spastic\tquad \x1b[31mCP,\"Spastic\x7f quadriplegic\"\n");
    cr_assert_eq(cms_read_icd_csv(t, p, err, sizeof err), 0, "%s", err);
    cr_assert_eq(cms_table_write(t, out, err, sizeof err), 0, "%s", err);
    cms_table_free(t);
    codes_set *s = codes_open_file(out, err, sizeof err);
    cr_assert_not_null(s, "%s", err);
    codes_lookup(s, "G80.0", &info);
    cr_assert_str_eq(info.short_desc, "Spastic quad  [31mCP");
    cr_assert_str_eq(info.long_desc, "Spastic  quadriplegic");
    codes_close(s);
}

Test(cms, malformed_inputs_give_a_located_error)
{
    cms_table *t = cms_table_new();
    const char *p = write_file("order.txt", "00001 A00     0 Cholera                                                      Cholera\n"
                                            "00002 A00 0 short line\n");
    cr_assert_eq(cms_read_icd_order(t, p, err, sizeof err), -1);
    cr_assert(strstr(err, "order.txt:2:") != NULL, "%s", err);
    p = write_file("bad.xml", "<ICD10CM.tabular><chapter>");
    cr_assert_eq(cms_read_icd_tabular(t, p, err, sizeof err), -1);
    cr_assert(strstr(err, "bad.xml") != NULL, "%s", err);
    p = write_file("other.xml", "<html/>");
    cr_assert_eq(cms_read_icd_tabular(t, p, err, sizeof err), -1);
    /* Lines that are not records (no sequence number) are skipped... */
    cms_table *h = cms_table_new();
    char rec[400];
    snprintf(rec, sizeof rec, "title line\n\n%-5s%05d3%-80s%-28s\n", "J1815", 100,
             "Injection, insulin, per 5 units", "Insulin injection");
    p = write_file("titled.txt", rec);
    cr_assert_eq(cms_read_hcpcs_fixed(h, p, err, sizeof err), 0, "%s", err);
    cr_assert_eq(cms_table_size(h), 1);
    /* ...but a record with a malformed code is an error. */
    snprintf(rec, sizeof rec, "%-5s%05d3%-80s%-28s\n", "J18", 100, "x", "y");
    p = write_file("badcode.txt", rec);
    cr_assert_eq(cms_read_hcpcs_fixed(h, p, err, sizeof err), -1);
    cr_assert(strstr(err, "badcode.txt:1: not an HCPCS record") != NULL, "%s", err);
    cms_table_free(h);
    p = write_file("hcpcs.txt", "nothing like the record layout\n");
    cr_assert_eq(cms_read_hcpcs_fixed(t, p, err, sizeof err), -1);
    cr_assert(strstr(err, "no HCPCS records") != NULL, "%s", err);
    p = write_file("h.csv", "code,kind\nE0783,procedure\n");
    cr_assert_eq(cms_read_hcpcs_csv(t, p, err, sizeof err), -1);
    p = write_file("q.csv", "code,billable,short_desc,long_desc\n\"G80,0,x,y\n");
    cr_assert_eq(cms_read_icd_csv(t, p, err, sizeof err), -1);
    cr_assert_eq(cms_read_icd_order(t, "/nonexistent/order.txt", err, sizeof err), -1);
    cr_assert(strstr(err, "/nonexistent/order.txt") != NULL, "%s", err);
    cms_table_free(t);
}

static size_t read_all(const char *path, unsigned char **buf)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    *buf = malloc((size_t)n);
    cr_assert_eq(fread(*buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return (size_t)n;
}

static void write_bytes(const char *path, const unsigned char *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(b, 1, n, f), n);
    fclose(f);
}

Test(cms, damaged_tables_are_refused_or_read_safely)
{
    codes_close(build_official());
    unsigned char *good;
    size_t n = read_all(out, &good);
    char bad[160];
    snprintf(bad, sizeof bad, "%s/bad.bin", tmpdir);
    write_bytes(bad, good, n / 2);
    cr_assert_null(codes_open_file(bad, err, sizeof err));
    cr_assert(strstr(err, "truncated") != NULL, "%s", err);
    write_bytes(bad, (const unsigned char *)"hello", 5);
    cr_assert_null(codes_open_file(bad, err, sizeof err));
    cr_assert_null(codes_open_file(tmpdir, err, sizeof err), "a directory");
    /* Every byte of the header and records changed in turn: either refused
     * with a message, or every lookup stays in bounds (ASan checks). */
    unsigned char *copy = malloc(n);
    size_t refused = 0, limit = n < 600 ? n : 600;
    for (size_t i = 0; i < limit; i++) {
        memcpy(copy, good, n);
        copy[i] ^= (unsigned char)(0x5a + i);
        write_bytes(bad, copy, n);
        codes_set *s = codes_open_file(bad, err, sizeof err);
        if (!s) {
            refused++;
            cr_assert(err[0] != '\0');
            continue;
        }
        const char *probe[] = {"G80", "G80.0", "E0783", "LT", "S72.001A", "D0120"};
        for (size_t k = 0; k < 6; k++) {
            codes_lookup(s, probe[k], &info);
            char kids[4][CODES_CODE_MAX];
            codes_children(s, probe[k], kids, 4);
        }
        codes_close(s);
    }
    cr_assert_gt(refused, 0);
    /* The descriptions, damaged: decoding stays in bounds. */
    for (size_t i = limit; i < n; i += 7) {
        memcpy(copy, good, n);
        copy[i] = 0xff;
        write_bytes(bad, copy, n);
        codes_set *s = codes_open_file(bad, err, sizeof err);
        if (s) {
            codes_lookup(s, "E0782", &info);
            codes_lookup(s, "S72.001A", &info);
            codes_close(s);
        }
    }
    free(copy);
    free(good);
}

#include "codes/phrases.h"

static void decode_phrase(const phrases *p, long idx, char *text, size_t textsz)
{
    size_t size, n = 0;
    const unsigned char *s = phrases_streams(p, &size);
    uint32_t off = phrases_offset(p, idx);
    for (;;) {
        uint32_t id = 0;
        int shift = 0;
        unsigned char b;
        do {
            cr_assert_lt(off, size);
            b = s[off++];
            id |= (uint32_t)(b & 0x7f) << shift;
            shift += 7;
        } while (b & 0x80);
        if (id == 0)
            break;
        cr_assert_leq(id, phrases_vocab_size(p));
        size_t len;
        const char *w = phrases_vocab_at(p, id - 1, &len);
        cr_assert_lt(n + len, textsz);
        memcpy(text + n, w, len);
        n += len;
    }
    text[n] = '\0';
}

Test(cms, phrases_round_trip_and_share_repeated_text)
{
    static char texts[600][96];
    phrases *p = phrases_new();
    long idx[600];
    for (int i = 0; i < 600; i++) {
        /* Repeated phrases (merged), odd bytes, UTF-8 and an empty string. */
        snprintf(texts[i], sizeof texts[i], "%s of %s, %s encounter %d%s",
                 i % 3 ? "Fracture" : "Dislocation", i % 2 ? "right femur" : "left femur",
                 i % 5 ? "initial" : "subsequent", i, i % 7 ? "" : " \xc3\xa9t\xc3\xa9  (x)\t");
        if (i == 599)
            texts[i][0] = '\0';
        idx[i] = phrases_add(p, texts[i]);
        cr_assert_geq(idx[i], 0);
    }
    cr_assert_eq(phrases_add(p, texts[0]), idx[0], "equal strings share an index");
    cr_assert_eq(phrases_build(p), 0);
    char text[256];
    for (int i = 0; i < 600; i++) {
        decode_phrase(p, idx[i], text, sizeof text);
        cr_assert_str_eq(text, texts[i]);
    }
    int phrase = 0;
    for (size_t i = 0; i < phrases_vocab_size(p); i++) {
        size_t len;
        const char *w = phrases_vocab_at(p, i, &len);
        phrase |= memchr(w, ' ', len) && (const char *)memchr(w, ' ', len) < w + len - 1;
    }
    cr_assert(phrase, "some vocabulary entry spans several words");
    phrases_free(p);
}
