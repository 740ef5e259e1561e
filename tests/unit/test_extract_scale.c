/* Scale scores, ages and dates. */
#include "tests/unit/extract_test.h"

TestSuite(scale, .init = ex_setup, .fini = ex_teardown);
TestSuite(age, .init = ex_setup, .fini = ex_teardown);
TestSuite(date, .init = ex_setup, .fini = ex_teardown);

Test(scale, the_six_scales)
{
    EXPECT_FACTS("GMFCS level IV. Modified Ashworth 1+. Ashworth 4. Penn spasm score 2. "
                 "Spasm frequency scale 1. Pain 7/10.",
                 "scale gmfcs 4\nscale mas 1+\nscale ashworth 4\nscale penn 2\n"
                 "scale spasm 1\nscale pain 7");
}

Test(scale, gmfcs_roman_and_arabic)
{
    EXPECT_FACTS("Gross Motor Function Classification System level II; later GMFCS 3; "
                 "GMFCS-E&R level IV.",
                 "scale gmfcs 2\nscale gmfcs 3\nscale gmfcs 4");
}

Test(scale, each_score_in_a_change)
{
    EXPECT_FACTS("Ashworth fell from 4 to 2. MAS 3 -> 1+.",
                 "scale ashworth 4\nscale ashworth 2\nscale mas 3\nscale mas 1+");
    EXPECT_FACTS("Ashworth scores falling from 4 to 2. MAS improving from 3 to 1+.",
                 "scale ashworth 4\nscale ashworth 2\nscale mas 3\nscale mas 1+");
}

Test(scale, scores_for_several_body_parts)
{
    EXPECT_FACTS("MAS: R elbow 2, L elbow 1+. Modified Ashworth 3 right hamstrings and 2 left "
                 "hamstrings. Ashworth 4 bilat, 2 hours later.",
                 "scale mas 2\nscale mas 1+\nscale mas 3\nscale mas 2\nscale ashworth 4");
}

Test(scale, an_earlier_score_in_brackets)
{
    EXPECT_FACTS("Penn 2 (was 4 before ITB). BADS 20 (previous 22).", "scale penn 2\nscale penn 4");
}

Test(scale, every_pain_score_out_of_ten)
{
    EXPECT_FACTS("Pain 6/10 before, 5/10 after, worst 9/10; rated 4 out of 10.",
                 "scale pain 6\nscale pain 5\nscale pain 9\nscale pain 4");
}

Test(scale, labelled_pain_scores)
{
    EXPECT_FACTS("Pain score 3. VAS 7.", "scale pain 3\nscale pain 7");
}

Test(scale, other_scales_are_not_facts)
{
    EXPECT_FACTS("EDSS 6.5. PHQ-9 12. BADS 20. Strength 5/5. Reflexes 2+/4. GCS 15/15. "
                 "Tone improved 3/10 of the time.",
                 "");
}

Test(scale, out_of_range_scores_are_not_facts)
{
    EXPECT_FACTS("GMFCS 7. Ashworth 9. MAS 2+.", "");
}

Test(age, forms_of_the_patients_age)
{
    EXPECT_FACTS("A 12-year-old. 46 y/o. 38 y.o. woman. 60 yo male. 31 years old. "
                 "Age: 52. 70 years of age. Age/Sex: 33/M.",
                 "age age 12\nage age 46\nage age 38\nage age 60\nage age 31\n"
                 "age age 52\nage age 70\nage age 33");
}

Test(age, under_two_years_one_decimal)
{
    EXPECT_FACTS("An 18-month-old girl.", "age age 1.5");
}

Test(age, not_a_relative_and_not_at_an_event)
{
    EXPECT_FACTS("Spasticity since age 9. Pump at age 18. Her mother is 72 years old. "
                 "His 5-year-old son is well. Onset at 12 years old.",
                 "");
}

Test(age, ages_at_death_and_bounds_are_not_current)
{
    EXPECT_FACTS("Transition planning (age 14+): N/A. For clients age 14 and over.", "");
    EXPECT_FACTS("Father died of prostate cancer, age 80. Seizures before 2 years of age. "
                 "Born to a 27-year-old mother. Pneumonia started at approximately age 20.",
                 "");
}

Test(age, approximate_and_stated_ages_are_current)
{
    EXPECT_FACTS("The patient is an approximately 25-year-old woman. He is a male and "
                 "39 years old. She appears her stated age of 57.",
                 "age age 25\nage age 39\nage age 57");
}

Test(age, a_patient_who_is_a_parent)
{
    EXPECT_FACTS("A 41-year-old mother of two with MS. She lives with her 12-year-old son.",
                 "age age 41");
}

Test(age, years_and_months_after_a_name)
{
    EXPECT_FACTS("Client: E.V., 6 years 2 months. Patient: J.R., 1 year 6 months.",
                 "age age 6\nage age 1.5");
    EXPECT_FACTS("Patient: [redacted], 4 y 8 m   seen with parents. Child: J.R., 1 y 6 m.",
                 "age age 4\nage age 1.5");
    EXPECT_FACTS("Seizures, 3 years 2 months ago. Symptoms, 2 years 4 months duration.",
                 "");
}

Test(age, every_mention_counts)
{
    EXPECT_FACTS("49-year-old man. The 49-year-old patient.", "age age 49\nage age 49");
}

Test(date, numeric_and_written_dates)
{
    EXPECT_FACTS("10/28/25, 2025-11-02, October 28, 2025, Feb. 9, 2026, 9 February 2026, 6/12/2025, "
                 "09-Feb-2026, 11.02.2025.",
                 "date 2025-10-28\ndate 2025-11-02\ndate 2025-10-28\ndate 2026-02-09\n"
                 "date 2026-02-09\ndate 2025-06-12\ndate 2026-02-09\ndate 2025-11-02");
}

Test(date, a_range_is_two_dates)
{
    EXPECT_FACTS("Period 11/07/2025-1/31/2026.", "date 2025-11-07\ndate 2026-01-31");
}

Test(date, month_and_year_alone_are_not_dates)
{
    EXPECT_FACTS("Relapse 02/2026, since 2022, BP 120/80, ratio 1/2, 13/45/2025, 02/30/2025.", "");
}

Test(age, ages_in_words_and_a_labelled_age_in_months)
{
    EXPECT_FACTS("A six-year-old girl. A Twenty-two year old man. Age: 18 mo",
                 "age age 6\nage age 22\nage age 1.5");
}

Test(age, someone_elses_child)
{
    EXPECT_FACTS("She has a 2-year-old child. Her 11-year-old is having trouble at school. "
                 "Her brother, a twelve-year-old, is well.",
                 "");
    EXPECT_FACTS("Patient: 6-year-old child with CP. This 8-year-old girl has CP.",
                 "age age 6\nage age 8");
}

Test(date, a_date_is_never_negated)
{
    EXPECT_FACTS("UGI 11/25/2012 negative.", "date 2012-11-25");
}

Test(date, when_something_was_is_no_history)
{
    EXPECT_FACTS("Her last seizure was on 04/30/2025, after sleep loss.", "date 2025-04-30");
}

Test(scale, a_score_that_improved_to)
{
    EXPECT_FACTS("His Ashworth scores improved to 3.", "scale ashworth 3");
}

Test(age, years_in_parentheses_after_a_date_of_birth)
{
    EXPECT_FACTS("Client: S. R.   DOB 06/22/2016 (9 y)", "date 2016-06-22\nage age 9");
}

Test(age, a_things_age_is_not_the_patients)
{
    EXPECT_FACTS("A 36-year-old man. The device is 7 years old.", "age age 36");
}

Test(scale, a_table_row_holds_a_score_per_column)
{
    EXPECT_FACTS("Assessment        Pre    1 h    2 h\n"
                 "R knee Ashworth   4      3      2\n",
                 "scale ashworth 4\nscale ashworth 3\nscale ashworth 2");
}

Test(scale, more_scores_after_both_sides_and_an_earlier_one)
{
    EXPECT_FACTS("Modified Ashworth 2 at both knee extensors and 1+ at the hip adductors.",
                 "scale mas 2\nscale mas 1+");
    EXPECT_FACTS("Ashworth 2 at the knees, down from 4 on admission.",
                 "scale ashworth 2\nscale ashworth 4");
}

Test(scale, a_pain_column_named_in_the_header_row)
{
    EXPECT_FACTS("Day   Bolus             Pain (NRS)\n"
                 "1     ziconotide 1 mcg  6/10\n"
                 "2     none              3/10\n",
                 "dose ziconotide 1 mcg\nscale pain 6\nscale pain 3");
}

Test(age, a_pump_that_is_now_some_years_old)
{
    EXPECT_FACTS("A 36-year-old man. The pump is now 4 years old.", "age age 36");
}

Test(scale, a_level_ticked_in_a_row_of_boxes)
{
    EXPECT_FACTS("GMFCS [ ] I [ ] II [ ] III [X] IV [ ] V", "scale gmfcs 4");
}

Test(age, a_relatives_age_under_a_label_is_no_fact)
{
    EXPECT_FACTS("A 36-year-old man.\n\nFAMILY HISTORY:\n  Brother: healthy 41-year-old electrician.\n",
                 "age age 36");
}

Test(age, years_and_months)
{
    EXPECT_FACTS("A 14 year 3 month old girl. A 1-year-10-month-old boy. A 2-year, 2-month-old.",
                 "age age 14\nage age 1.8\nage age 2");
}

Test(scale, a_pipe_tables_pain_column_under_a_caption)
{
    EXPECT_FACTS("Trial diary:\n| Day | Pain (VAS) | Activity |\n| 1   | 6/10       | walked   |\n"
                 "Fatigue rated 6/10 at night.\n",
                 "scale pain 6");
}

Test(scale, scores_are_at_body_parts)
{
    EXPECT_FACTS("Modified Ashworth scores are 3 at the hip adductors and 2 at the elbow flexors.",
                 "scale mas 3\nscale mas 2");
}
