/* Doses: drug names and brands, amounts, units, rates, concentrations,
 * ranges, pump volumes, and what is not a dose. */
#include "tests/unit/extract_test.h"

TestSuite(dose, .init = ex_setup, .fini = ex_teardown);

Test(dose, brands_map_to_the_generic)
{
    EXPECT_FACTS("Dilaudid 15mg/ml. Lioresal 500 mcg/mL. Prialt 25 mcg/mL. "
                 "Infumorph 10 mg/mL. Marcaine 2 mg/day. Duraclon 100 mcg/mL.",
                 "dose hydromorphone 15 mg/mL\ndose baclofen 500 mcg/mL\n"
                 "dose ziconotide 25 mcg/mL\ndose morphine 10 mg/mL\n"
                 "dose bupivacaine 2 mg/day\ndose clonidine 100 mcg/mL");
}

Test(dose, rates)
{
    EXPECT_FACTS("baclofen at 101 mcg/day; fentanyl 25 mcg/hr; morphine 3 mg per day; "
                 "dantrolene 60 mg daily; hydromorphone 0.5 mg/24 h; clonidine 2 mcg per hour.",
                 "dose baclofen 101 mcg/day\ndose fentanyl 25 mcg/hr\n"
                 "dose morphine 3 mg/day\ndose dantrolene 60 mg/day\n"
                 "dose hydromorphone 0.5 mg/day\ndose clonidine 2 mcg/hr");
}

Test(dose, frequencies_keep_the_single_dose)
{
    EXPECT_FACTS("Baclofen 20 mg TID, tizanidine 4 mg q6h, diazepam 5 mg qhs, "
                 "gabapentin 300 mg three times a day.",
                 "dose baclofen 20 mg\ndose tizanidine 4 mg\ndose diazepam 5 mg\n"
                 "dose gabapentin 300 mg");
}

Test(dose, amounts_are_normalised)
{
    EXPECT_FACTS("Gablofen 1,500 mcg/mL; baclofen 0.50 mg; baclofen 2.0 mg; baclofen .5 mg.",
                 "dose baclofen 1500 mcg/mL\ndose baclofen 0.5 mg\n"
                 "dose baclofen 2 mg\ndose baclofen 0.5 mg");
}

Test(dose, unit_spellings)
{
    EXPECT_FACTS("baclofen 50 micrograms, 50 ug, 50 \xc2\xb5g, 2 cc, 10 units.",
                 "dose baclofen 50 mcg\ndose baclofen 50 mcg\ndose baclofen 50 mcg\n"
                 "dose baclofen 2 mL\ndose baclofen 10 units");
}

Test(dose, a_range_is_two_doses)
{
    EXPECT_FACTS("Titrate baclofen 10-20 mg, then oxycodone 5 to 10 mg.",
                 "dose baclofen 10 mg\ndose baclofen 20 mg\n"
                 "dose oxycodone 5 mg\ndose oxycodone 10 mg");
}

Test(dose, combination_strengths_are_not_a_range)
{
    EXPECT_FACTS("hydrocodone 10-325 mg q4h.", "dose hydrocodone 10 mg");
}

Test(dose, the_drug_named_in_the_header_of_the_line)
{
    EXPECT_FACTS("Programmed baclofen dose: 187.5 mcg/day.\n", "dose baclofen 187.5 mcg/day");
}

Test(dose, the_drug_after_the_amount)
{
    EXPECT_FACTS("A 50 mcg intrathecal baclofen bolus. Then 75 mcg of baclofen was given. "
                 "A 50-mcg Gablofen bolus.",
                 "dose baclofen 50 mcg\ndose baclofen 75 mcg\ndose baclofen 50 mcg");
}

Test(dose, the_nearest_drug_in_the_sentence)
{
    EXPECT_FACTS("Despite oral baclofen 80 mg/day, tizanidine, and diazepam 5 mg at night.",
                 "dose baclofen 80 mg/day\ndose diazepam 5 mg");
}

Test(dose, no_drug_in_the_sentence_gives_a_dash)
{
    EXPECT_FACTS("Baclofen 350 mcg/day.\nConc 2000 mcg/mL.\n",
                 "dose baclofen 350 mcg/day\ndose - 2000 mcg/mL");
}

Test(dose, pump_volumes_but_not_capacity)
{
    EXPECT_FACTS("SynchroMed II 40 mL pump. Residual 3.1 mL. Refilled with 20 mL of Gablofen. "
                 "Pump: SynchroMed II, 40 mL; a 20-mL Prometra pump; capacity of 20 mL.",
                 "dose - 3.1 mL\ndose baclofen 20 mL");
}

Test(dose, billing_units_are_not_doses)
{
    EXPECT_FACTS("Billing: J0475 x 8 units, qty 4 units.", "hcpcs J0475");
}

Test(dose, refill_volumes_next_to_fluid_words)
{
    EXPECT_FACTS("Residual fluid aspirated: 3.1 mL. Urinary output: 160 mL. Total fluid 1600 mL.",
                 "dose - 3.1 mL");
}

Test(dose, not_doses)
{
    EXPECT_FACTS("Bupivacaine 0.5% for skin. Creatinine 0.9 mg/dL, Hgb 12 g/dL, ALT 40 U/L. "
                 "Weight 61.2 kg. 22G needle. Estimated blood loss 50 mL. Urine output 300 cc. "
                 "Baclofen 2 mg/kg/day is not how we dose.",
                 "");
}

Test(dose, an_amount_and_a_unit_far_apart_are_no_dose)
{
    EXPECT_FACTS("Date/time: 2025-10-02 15:30          Unit 6B, bed 14", "date 2025-10-02");
}

Test(dose, an_unknown_drug_is_no_other_drugs)
{
    /* Zentravex: a brand no lexicon knows. */
    EXPECT_FACTS("Zentravex 35 mg weekly; aspirin 81 mg daily.",
                 "dose - 35 mg\ndose aspirin 81 mg/day");
    EXPECT_FACTS("Lipitor 10 mg daily; Zentravex 35 mg weekly.",
                 "dose atorvastatin 10 mg/day\ndose - 35 mg");
    EXPECT_FACTS("Actonel 35 mg weekly.", "dose risedronate 35 mg");
    EXPECT_FACTS("1 mL of Kenalog and 1 mL of 1% Lidocaine was injected.",
                 "dose triamcinolone 1 mL\ndose lidocaine 1 mL");
    EXPECT_FACTS("120 mL of normal saline containing 5 g of talc and 40 mg of lidocaine.",
                 "dose lidocaine 40 mg");
    /* The amount of a solution is of the drug it is a solution of; a
     * mixture of two drugs is neither's. */
    EXPECT_FACTS("1 mL of a 40 mg/mL solution of Kenalog was injected.",
                 "dose triamcinolone 1 mL\ndose triamcinolone 40 mg/mL");
    EXPECT_FACTS("10 mL of a mixture of lidocaine and Marcaine was injected.",
                 "dose - 10 mL");
    EXPECT_FACTS("Aspirated 4.2 mL of residual baclofen.", "dose baclofen 4.2 mL");
}

Test(dose, lab_values_and_volumes_that_hold_no_drug)
{
    EXPECT_FACTS("Glucose 75 mg%, BUN 8 mg%. Creatinine 0.6 mg. Uric acid 6 mg percent.", "");
    EXPECT_FACTS("Bilateral silicone gel implants, 325 cc.", "");
    EXPECT_FACTS("Refill:\n  Residual aspirated ........ 3.6 mL\n"
                 "  Reservoir after refill .... 40 mL\n",
                 "dose - 3.6 mL\ndose - 40 mL");
}

Test(dose, a_route_between_a_dose_and_its_rate)
{
    EXPECT_FACTS("Aspirin 81 mg p.o. daily. Ceftriaxone 2 g IV daily. Baclofen 20 mg PO TID.",
                 "dose aspirin 81 mg/day\ndose ceftriaxone 2 g/day\ndose baclofen 20 mg");
}

Test(dose, a_generic_name_the_lexicon_lacks_by_its_stem)
{
    EXPECT_FACTS("Start empagliflozin 10 mg daily and tocilizumab 162 mg weekly.",
                 "dose empagliflozin 10 mg/day\ndose tocilizumab 162 mg");
    EXPECT_FACTS("Creatinine 0.6 mg.", "");
}

Test(dose, a_brands_strength_is_its_amount)
{
    EXPECT_FACTS("Kenalog 40 mg mixed with 1% lidocaine was injected.", "dose triamcinolone 40 mg");
}

Test(dose, an_amount_in_words_is_a_dose_of_a_named_drug)
{
    EXPECT_FACTS("A bolus of seventy-five micrograms of baclofen. One gram of Ancef IV.",
                 "dose baclofen 75 mcg\ndose cefazolin 1 g");
    EXPECT_FACTS("The coin and forceps came out as one unit. Twenty-five mg.", "");
}

Test(dose, the_drug_may_begin_among_the_words_after_of)
{
    EXPECT_FACTS("Home setting was 520 mcg/day of intrathecal baclofen.",
                 "dose baclofen 520 mcg/day");
}
