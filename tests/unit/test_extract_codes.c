/* ICD-10-CM, CPT and HCPCS codes: forms that count and decoys that do not. */
#include "tests/unit/extract_test.h"

TestSuite(icd10, .init = ex_setup, .fini = ex_teardown);
TestSuite(cpt, .init = ex_setup, .fini = ex_teardown);
TestSuite(hcpcs, .init = ex_setup, .fini = ex_teardown);

Test(icd10, dotted_and_three_character_codes)
{
    EXPECT_FACTS("MS (G35) with paraplegia G82.21 and TBI S06.2X9S.",
                 "icd10 G35\nicd10 G82.21\nicd10 S06.2X9S");
}

Test(icd10, dotted_lower_case_is_upper_cased)
{
    EXPECT_FACTS("Referral says g80.0 and m54.17.", "icd10 G80.0\nicd10 M54.17");
}

Test(icd10, undotted_and_lower_case_in_a_problem_list)
{
    EXPECT_FACTS("Problems:\n  G8254 quadriplegia\n  n319 bladder\n  g35 MS\n",
                 "icd10 G82.54\nicd10 N31.9\nicd10 G35");
}

Test(icd10, code_list_on_a_codes_line)
{
    EXPECT_FACTS("Dx: G89.4, M96.1, G35\n", "icd10 G89.4\nicd10 M96.1\nicd10 G35");
}

Test(icd10, undotted_long_codes_outside_a_list_are_not_codes)
{
    EXPECT_FACTS("The report number N319 was filed.", "");
}

Test(icd10, spinal_levels_are_not_codes)
{
    EXPECT_FACTS("Injury at T10, stenosis at L4-5 and C5-C6, facets L45 and T12-L1.", "");
}

Test(icd10, temperatures_and_vital_signs_are_not_codes)
{
    EXPECT_FACTS("Vitals: T 36.6 C, T36.8C, HR 80. EXAM: P95 R20 T37.2 BP 120/80.", "");
    EXPECT_FACTS("Blood pressure nadir 102/64 at 3 h. No headache (R51), no nausea.",
                 "icd10 R51");
}

Test(icd10, a_code_with_a_question_mark_is_a_query)
{
    EXPECT_FACTS("Possible G24.1? to be reviewed.", "");
}

Test(icd10, icd9_codes_are_not_icd10)
{
    EXPECT_FACTS("ICD-9 code: V58.61 and 722.10.", "");
}

Test(icd10, words_that_look_like_codes)
{
    EXPECT_FACTS("Vitamin B12 level, CO2 laser, opening pressure 20 cm H20, IV D10 given.", "");
}

Test(cpt, labelled_and_listed_codes)
{
    EXPECT_FACTS("Billing: CPT 62369, and CPT codes 62362, 62350.",
                 "cpt 62369\ncpt 62362\ncpt 62350");
}

Test(cpt, category_two_and_three)
{
    EXPECT_FACTS("Codes: 0275T, 1125F.", "cpt 0275T\ncpt 1125F");
}

Test(cpt, five_digit_decoys)
{
    EXPECT_FACTS("Home zip 85004. MRN 44719. Facility ID 33019. Account # 55213. "
                 "Phone 555-301-2245. Zip+4 30309-1234. Anytown, GA 30309. "
                 "Epinephrine 1:100000. Cost $12500. He walked 10000 steps. "
                 "Heparin 10000 units.",
                 "dose heparin 10000 units");
}

Test(cpt, code_lists_with_slashes_and_counts)
{
    EXPECT_FACTS("CPT codes 62362/62350. Procedure codes: 64640 times three, 95873 x 2.",
                 "cpt 62362\ncpt 62350\ncpt 64640\ncpt 95873");
}

Test(cpt, a_bare_code_in_a_sentence)
{
    EXPECT_FACTS("Refill completed, 62369.", "cpt 62369");
}

Test(hcpcs, upper_and_lower_case)
{
    EXPECT_FACTS("Supply J0475; pump e0783.", "hcpcs J0475\nhcpcs E0783");
}

Test(hcpcs, a_letter_and_four_digits_in_a_problem_list_is_icd10)
{
    EXPECT_FACTS("Problem list:\n G8254 quadriplegia\nBilling: J0475\n",
                 "icd10 G82.54\nhcpcs J0475");
}

Test(hcpcs, protocol_and_model_numbers_are_not_codes)
{
    EXPECT_FACTS("Treated per protocol P9641; lens model V9002 16.0 diopter.", "");
}

Test(icd10, a_long_code_beside_a_weight_is_no_vital_sign)
{
    EXPECT_FACTS("Born at 30 weeks (P07.33), birth weight 1.4 kg.", "icd10 P07.33");
    EXPECT_FACTS("BP 120/80, P 95, weight 61 kg.", "");
}

Test(icd10, an_indications_paragraph_is_no_code_list)
{
    EXPECT_FACTS("INDICATIONS: History of a nonprogrammable pump (E0782), exchanged in 2018.",
                 "hcpcs E0782");
}

Test(cpt, a_flattened_code_label)
{
    EXPECT_FACTS("CPT CODE(S):,45385, Colonoscopy.", "cpt 45385");
}

Test(icd10, codes_of_a_list_at_the_margin_in_lower_case)
{
    EXPECT_FACTS("PROBLEM LIST:\ne1165\tType 2 diabetes\ni10\tHypertension\nE785\tHyperlipidemia\n\n"
                 "CHRONIC / STABLE\n  9. Hypothyroidism, E039\n",
                 "icd10 E11.65\nicd10 I10\nicd10 E78.5\nicd10 E03.9");
}

Test(cpt, a_visit_level_and_a_category_ii_code)
{
    EXPECT_FACTS("E/M level: 99284. Category II 1125F reported. Springfield, IL 62704.",
                 "cpt 99284\ncpt 1125F");
}

Test(hcpcs, the_code_tables_tell_a_hcpcs_code_from_an_undotted_icd10_one)
{
    /* J1170 and G0108 are HCPCS only; G8254 is ICD-10-CM only. */
    EXPECT_FACTS("DIAGNOSES:\n  J1170 hydromorphone\n  G0108 diabetes training\n  G8254 quadriplegia\n",
                 "hcpcs J1170\nhcpcs G0108\nicd10 G82.54");
    EXPECT_FACTS("Codes: J2278, G8254", "hcpcs J2278\nicd10 G82.54");
}

Test(icd10, a_heading_of_two_kinds)
{
    EXPECT_FACTS("PROBLEM LIST / CODES:\n  1. g8221     complete paraplegia\n", "icd10 G82.21");
}

Test(icd10, a_referring_diagnosis_list_reads_undotted_codes)
{
    EXPECT_FACTS("Referring diagnosis codes: G8222, r262, M62.81",
                 "icd10 G82.22\nicd10 R26.2\nicd10 M62.81");
}

Test(icd10, a_table_heading_with_column_titles_names_its_list)
{
    EXPECT_FACTS("ACTIVE PROBLEMS                 CODE        NOTED\n"
                 "  Spastic diplegic cerebral palsy  G801        03/14/2005\n",
                 "icd10 G80.1\ndate 2005-03-14");
}

Test(icd10, a_claim_forms_numbered_diagnosis_field)
{
    EXPECT_FACTS("21. Diagnosis or nature of illness (ICD Ind. 0)\n"
                 "    A. G35          B. R252          C. Z4549\n",
                 "icd10 G35\nicd10 R25.2\nicd10 Z45.49");
}

Test(icd10, diagnoses_submitted_is_a_diagnosis_list)
{
    EXPECT_FACTS("Diagnoses submitted: G801, R252, m62838",
                 "icd10 G80.1\nicd10 R25.2\nicd10 M62.838");
}

Test(icd10, a_family_history_list_reads_undotted_codes)
{
    EXPECT_FACTS("FAMILY HISTORY\n  mother    multiple sclerosis  G35\n"
                 "  father    epilepsy  g40909\n\nHe takes 2 tabs of N319 daily.\n",
                 "icd10 G35\nicd10 G40.909");
}
