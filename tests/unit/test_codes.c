/* codeset: lookups in the shipped table (data/codes/codes.bin), the forms
 * of codes, categories and their children, unknown and malformed codes,
 * attached CPT names, and code lists as policies print them. */
#include <criterion/criterion.h>
#include <string.h>

#include "codes/codeset.h"
#include "core/paths.h"

static codes_set *set;
static codes_info info;

static void open_shipped(void)
{
    char err[512];
    set = codes_open(paths_datadir(), err, sizeof err);
    cr_assert_not_null(set, "%s", err);
}

static void close_shipped(void)
{
    codes_close(set);
}

TestSuite(lookup, .init = open_shipped, .fini = close_shipped);
TestSuite(pattern);

Test(lookup, exact_dotted_code)
{
    cr_assert_eq(codes_lookup(set, "G80.0", &info), CODES_OK);
    cr_assert_eq(info.kind, CODES_ICD10);
    cr_assert_str_eq(info.code, "G80.0");
    cr_assert_str_eq(info.key, "G800");
    cr_assert_str_eq(info.short_desc, "Spastic quadriplegic cerebral palsy");
    cr_assert(info.flags & CODES_F_BILLABLE);
    cr_assert_not_null(info.chapter);
    cr_assert(strstr(info.chapter, "nervous system") != NULL, "%s", info.chapter);
}

Test(lookup, without_dot_lower_case_and_spaces_are_the_same_code)
{
    const char *forms[] = {"G800", "g80.0", "g800", "  G80.0\t", "G80.0\r\n"};
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        cr_assert_eq(codes_lookup(set, forms[i], &info), CODES_OK, "%s", forms[i]);
        cr_assert_str_eq(info.code, "G80.0", "%s", forms[i]);
        cr_assert_str_eq(info.short_desc, "Spastic quadriplegic cerebral palsy");
    }
}

Test(lookup, seven_character_code_and_long_description)
{
    cr_assert_eq(codes_lookup(set, "s72.001a", &info), CODES_OK);
    cr_assert_str_eq(info.code, "S72.001A");
    cr_assert(strstr(info.long_desc, "initial encounter for closed fracture") != NULL,
              "%s", info.long_desc);
    cr_assert(strlen(info.short_desc) <= 60);
}

Test(lookup, category_is_not_billable_and_names_its_children)
{
    cr_assert_eq(codes_lookup(set, "G80", &info), CODES_NOT_BILLABLE);
    cr_assert_str_eq(info.short_desc, "Cerebral palsy");
    cr_assert_not(info.flags & CODES_F_BILLABLE);
    char kids[16][CODES_CODE_MAX];
    size_t n = codes_children(set, "G80", kids, 16);
    cr_assert_eq(n, 7);
    cr_assert_str_eq(kids[0], "G80.0");
    cr_assert_str_eq(kids[6], "G80.9");
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(codes_lookup(set, kids[i], &info), CODES_OK, "%s", kids[i]);
    /* A subcategory: only its own billable descendants. */
    n = codes_children(set, "S72.00", kids, 16);
    cr_assert_gt(n, 0);
    for (size_t i = 0; i < n && i < 16; i++)
        cr_assert(strncmp(kids[i], "S72.00", 6) == 0, "%s", kids[i]);
    cr_assert_eq(codes_children(set, "G80.0", kids, 16), 0);
    cr_assert_eq(codes_children(set, "nonsense", kids, 16), 0);
}

Test(lookup, unknown_well_formed_code_is_not_in_list_not_invalid)
{
    cr_assert_eq(codes_lookup(set, "U07.1", &info), CODES_NOT_IN_LIST);
    cr_assert_eq(info.kind, CODES_ICD10);
    cr_assert_str_eq(info.code, "U07.1");
    cr_assert_str_eq(codes_release(set, CODES_ICD10), "FY2019");
    cr_assert_eq(codes_lookup(set, "G80.5", &info), CODES_NOT_IN_LIST);
    cr_assert_str_eq(info.parent, "G80");
    cr_assert_eq(codes_lookup(set, "Q0000", &info), CODES_NOT_IN_LIST);
    cr_assert_eq(info.kind, CODES_HCPCS);
}

Test(lookup, malformed_codes)
{
    const char *bad[] = {"", "G80.", "G8.00", "XYZ", "G80..0", "12345678", "G80.00000",
                         "E0783ZZZ", "\x1b[31m", "T 36.6", "G80\xc3\xa9", "WW1234", "1234"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        cr_assert_eq(codes_lookup(set, bad[i], &info), CODES_MALFORMED, "[%s]", bad[i]);
        for (const char *p = info.code; *p; p++)
            cr_assert(*p > ' ' && *p < 127, "unprintable echo of [%s]", bad[i]);
    }
    cr_assert_eq(codes_lookup(set, NULL, &info), CODES_MALFORMED);
}

Test(lookup, hcpcs_and_modifier)
{
    cr_assert_eq(codes_lookup(set, "e0783", &info), CODES_OK);
    cr_assert_eq(info.kind, CODES_HCPCS);
    cr_assert(strstr(info.long_desc, "programmable") != NULL, "%s", info.long_desc);
    cr_assert_str_eq(info.opps_si, "N");
    cr_assert_eq(codes_lookup(set, "LT", &info), CODES_OK);
    cr_assert_eq(info.kind, CODES_MODIFIER);
    /* Current but not an outpatient code: cautioned, not rejected. */
    cr_assert_eq(codes_lookup(set, "S9590", &info), CODES_OK);
    cr_assert(info.flags & CODES_F_NOT_OPPS);
    cr_assert_str_eq(codes_opps_release(set), "2026-04");
    /* Only in the 2026 subset. */
    cr_assert_eq(codes_lookup(set, "A2001", &info), CODES_OK);
    cr_assert_not(info.flags & CODES_F_NOT_OPPS);
}

Test(lookup, undotted_letter_and_four_digits_falls_back_to_icd)
{
    /* M62.81 is ICD-10-CM only; written undotted it has the HCPCS form. */
    cr_assert_eq(codes_lookup(set, "M6281", &info), CODES_OK);
    cr_assert_eq(info.kind, CODES_ICD10);
    cr_assert_str_eq(info.code, "M62.81");
}

Test(lookup, cpt_is_recognised_by_form_and_named_by_the_caller)
{
    cr_assert_eq(codes_lookup(set, "62369", &info), CODES_UNCHECKED);
    cr_assert_eq(info.kind, CODES_CPT);
    cr_assert(info.flags & CODES_F_NO_DESC);
    cr_assert_str_eq(info.long_desc, "");
    cr_assert_eq(codes_lookup(set, "0042T", &info), CODES_UNCHECKED);
    cr_assert_eq(codes_name(set, "62369", "Pump refill with reprogramming"), 0);
    cr_assert_eq(codes_name(set, "62367", "Pump analysis"), 0);
    cr_assert_eq(codes_name(set, "62369", "Pump refill and reprogramming"), 0);
    cr_assert_eq(codes_lookup(set, "62369", &info), CODES_UNCHECKED);
    cr_assert(info.flags & CODES_F_NAMED);
    cr_assert_not(info.flags & CODES_F_NO_DESC);
    cr_assert_str_eq(info.short_desc, "Pump refill and reprogramming");
    codes_lookup(set, "62367", &info);
    cr_assert_str_eq(info.short_desc, "Pump analysis");
    cr_assert_eq(codes_name(set, "not a code", "x"), -1);
    /* A shipped description is never replaced by an attached name. */
    cr_assert_eq(codes_name(set, "G80.0", "something else"), 0);
    codes_lookup(set, "G80.0", &info);
    cr_assert_str_eq(info.short_desc, "Spastic quadriplegic cerebral palsy");
}

Test(lookup, counts)
{
    cr_assert_eq(codes_count(set, CODES_ICD10), 94444);
    cr_assert_gt(codes_count(set, CODES_HCPCS), 9000);
    cr_assert_eq(codes_count(set, CODES_MODIFIER), 360);
}

Test(pattern, forms_of_codes)
{
    char key[CODES_CODE_MAX];
    cr_assert_eq(codes_parse("g80.0", key), CODES_ICD10);
    cr_assert_str_eq(key, "G800");
    cr_assert_eq(codes_parse("M1A.0110", key), CODES_ICD10);
    cr_assert_eq(codes_parse("E0783", key), CODES_HCPCS);
    cr_assert_eq(codes_parse("0001F", key), CODES_CPT);
    cr_assert_eq(codes_parse("0001U", key), CODES_CPT);
    cr_assert_eq(codes_parse("99213", key), CODES_CPT);
    cr_assert_eq(codes_parse("GA", key), CODES_MODIFIER);
    cr_assert_eq(codes_parse("Z3A.08", key), CODES_ICD10);
    cr_assert_eq(codes_parse("X7108", key), CODES_HCPCS); /* a Medi-Cal local code */
    cr_assert_eq(codes_parse("X71.08", key), CODES_ICD10);
    cr_assert_eq(codes_parse("1234A", key), CODES_NONE);
    cr_assert_eq(codes_parse("G", key), CODES_NONE);
}

Test(pattern, single_codes_and_subcodes)
{
    cr_assert(codes_match_pattern("G35", "G35"));
    cr_assert(codes_match_pattern("g80.1", "G80"));
    cr_assert(codes_match_pattern("G80.1", "G80.1"));
    cr_assert_not(codes_match_pattern("G80.1", "G80.2"));
    cr_assert_not(codes_match_pattern("G81.1", "G80"));
    cr_assert(codes_match_pattern("E0783", "E0783"));
    cr_assert_not(codes_match_pattern("E0784", "E0783"));
    cr_assert(codes_match_pattern("62369", "62369"));
    cr_assert_not(codes_match_pattern("623690", "62369"));
}

Test(pattern, ranges)
{
    cr_assert(codes_match_pattern("G80.0", "G80.0-G80.9"));
    cr_assert(codes_match_pattern("G80.9", "G80.0-G80.9"));
    cr_assert(codes_match_pattern("G80.4", "G80.0 - G80.9"));
    cr_assert(codes_match_pattern("G80.4", "G80.0\xe2\x80\x93G80.9"));
    cr_assert(codes_match_pattern("G80.4", "G80.0 through G80.9"));
    cr_assert_not(codes_match_pattern("G80", "G80.0-G80.9"));
    cr_assert_not(codes_match_pattern("G81.0", "G80.0-G80.9"));
    cr_assert(codes_match_pattern("G82.21", "G80-G83"));
    cr_assert(codes_match_pattern("G83.9", "G80-G83"));
    cr_assert_not(codes_match_pattern("G84", "G80-G83"));
    cr_assert(codes_match_pattern("E0784", "E0782-E0786"));
    cr_assert(codes_match_pattern("E0786", "E0782-E0786"));
    cr_assert_not(codes_match_pattern("E0787", "E0782-E0786"));
    cr_assert_not(codes_match_pattern("E0781", "E0782-E0786"));
    cr_assert(codes_match_pattern("62367", "62360-62370"));
    cr_assert_not(codes_match_pattern("62371", "62360-62370"));
}

Test(pattern, wildcards)
{
    cr_assert(codes_match_pattern("G80.4", "G80.*"));
    cr_assert(codes_match_pattern("G80.4", "G80*"));
    cr_assert(codes_match_pattern("G804", "g80.*"));
    cr_assert_not(codes_match_pattern("G81.4", "G80.*"));
    cr_assert(codes_match_pattern("E0785", "E078?"));
    cr_assert_not(codes_match_pattern("E0795", "E078?"));
    cr_assert(codes_match_pattern("G80.4", "*"));
}

Test(pattern, lists)
{
    const char *list = "G80.0-G80.9, G35; E0782-E0786 or 62369";
    cr_assert(codes_match_pattern("G35", list));
    cr_assert(codes_match_pattern("G80.8", list));
    cr_assert(codes_match_pattern("E0785", list));
    cr_assert(codes_match_pattern("62369", list));
    cr_assert_not(codes_match_pattern("G36", list));
    cr_assert_not(codes_match_pattern("62368", list));
}

Test(pattern, kinds_and_junk_do_not_cross)
{
    /* E07.83 is ICD-10-CM; E0783 undotted could be either. */
    cr_assert_not(codes_match_pattern("E07.83", "E0782-E0786"));
    cr_assert_not(codes_match_pattern("E07.83", "E0783"));
    cr_assert_not(codes_match_pattern("G80.0", ""));
    cr_assert_not(codes_match_pattern("", "G80"));
    cr_assert_not(codes_match_pattern(NULL, "G80"));
    cr_assert_not(codes_match_pattern("G80.0", NULL));
    cr_assert_not(codes_match_pattern("G80.0", "- - - , ;"));
    /* A dangling range is read as its first code. */
    cr_assert(codes_match_pattern("G80.0", "G80.0-"));
    cr_assert_not(codes_match_pattern("G80.1", "G80.0-"));
    cr_assert_not(codes_match_pattern("G80.0", "not a code list at all"));
    char big[20000];
    memset(big, '*', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    cr_assert(codes_match_pattern("G80.0", big) == 0 || codes_match_pattern("G80.0", big) == 1);
}

Test(pattern, a_policy_procedure_table_as_printed)
{
    const char *proc = "62350\t62351\t62355\t62360\t62361\t62362\t62365\t62367\t62368\n"
                       "62369\t62370\t95990\t95991\tA4220\tA4300\tA4301\tC1772\tC1891\n"
                       "C2626\tC8957\tE0782\tE0783\tE0785\tE0786\tS9328\t\t\n";
    cr_assert(codes_match_pattern("E0783", proc));
    cr_assert(codes_match_pattern("62369", proc));
    cr_assert(codes_match_pattern("s9328", proc));
    cr_assert_not(codes_match_pattern("E0784", proc));
    cr_assert_not(codes_match_pattern("62366", proc));
    cr_assert_not(codes_match_pattern("G80.0", proc));
}

Test(lookup, status_text_for_the_reviewer)
{
    char buf[512];
    codes_lookup(set, "G80", &info);
    codes_status_text(set, &info, buf, sizeof buf);
    cr_assert_str_eq(buf, "not billable (category): use G80.0 G80.1 G80.2 G80.3 G80.4 G80.8 G80.9");
    codes_lookup(set, "M1A", &info);
    codes_status_text(set, &info, buf, sizeof buf);
    cr_assert(strstr(buf, "more)") != NULL, "%s", buf);
    codes_lookup(set, "G80.5", &info);
    codes_status_text(set, &info, buf, sizeof buf);
    cr_assert_str_eq(buf, "not in the FY2019 ICD-10-CM list; under G80");
    codes_lookup(set, "X7108", &info);
    codes_status_text(set, &info, buf, sizeof buf);
    cr_assert_str_eq(buf, "not in the HCPCS 2019 list nor the 2026-04 OPPS list");
    codes_lookup(set, "62369", &info);
    cr_assert_str_eq(codes_describe(&info), "(CPT description not shipped)");
    codes_lookup(set, "A0100", &info);
    cr_assert(info.flags & CODES_F_AMBIGUOUS);
    codes_status_text(set, &info, buf, sizeof buf);
    cr_assert_str_eq(buf, "ok; ICD-10-CM A01.00 is another code");
    codes_lookup(set, "G80.0", &info);
    codes_status_text(set, &info, buf, 5);
    cr_assert_str_eq(buf, "bill", "truncated, terminated");
}

Test(lookup, arbitrary_bytes_never_crash_and_agree_with_the_form)
{
    static const char alphabet[] = "G80.0-9*? ,;EeJ6\xe2\x80\x93\x1b\tXxtoor";
    unsigned seed = 12345;
    char s[40], key[CODES_CODE_MAX];
    for (int i = 0; i < 20000; i++) {
        size_t n = 0, len = (seed = seed * 1103515245u + 12345u) % 30;
        while (n < len) {
            seed = seed * 1103515245u + 12345u;
            s[n++] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        s[n] = '\0';
        codes_status st = codes_lookup(set, s, &info);
        cr_assert_eq(st == CODES_MALFORMED, codes_parse(s, key) == CODES_NONE, "[%s]", s);
        if (st != CODES_MALFORMED)
            cr_assert(codes_match_pattern(s, info.code), "a code matches itself: [%s]", s);
        codes_match_pattern("G80.0", s);
        codes_match_pattern(s, "G80.0-G80.9, E0782 - E0786; 6236*");
    }
}
