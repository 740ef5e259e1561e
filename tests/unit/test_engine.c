/* Criteria engine: each evidence-rule type, evidence spans, conflicting
 * evidence, the searched description, the section picker and the
 * three-valued logic of a section's outcome. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "context/context.h"
#include "core/note.h"
#include "engine/check.h"
#include "engine/policy.h"

#define SCHEMA "policies/policy.rng"

static policy *P;
static context_rules *CTX;

static void setup(void)
{
    char err[512];
    P = policy_load_file("fixtures/policies/minimal.xml", SCHEMA, err, sizeof err);
    cr_assert_not_null(P, "%s", err);
    CTX = context_load(".", err, sizeof err);
    cr_assert_not_null(CTX, "%s", err);
}

static void teardown(void)
{
    policy_free(P);
    context_free(CTX);
}

typedef struct {
    note *n;
    fact_list facts;
    check_result *r;
} run;

static void add_fact(run *x, fact_kind k, const char *value, const char *at)
{
    fact f = {0};
    f.kind = k;
    const char *p = strstr(x->n->text, at);
    cr_assert_not_null(p, "fact text %s not in note", at);
    f.start = (size_t)(p - x->n->text);
    f.end = f.start + strlen(at);
    snprintf(f.value, sizeof f.value, "%s", value);
    f.status = CTX_AFFIRMED;
    cr_assert_eq(fact_list_push(&x->facts, &f), 0);
}

static void load_note(run *x, const char *text)
{
    char err[256];
    memset(x, 0, sizeof *x);
    cr_assert_eq(note_load_mem("note.txt", text, strlen(text), NULL, &x->n,
                               err, sizeof err), 0, "%s", err);
}

static check_suggestion eval(run *x, const char *crit)
{
    char err[256];
    const note *notes[1] = {x->n};
    const policy_section *s = policy_section_find(P, "main");
    check_result_free(x->r);
    x->r = check_run(s, notes, &x->facts, 1, CTX, err, sizeof err);
    cr_assert_not_null(x->r, "%s", err);
    for (size_t i = 0; i < check_result_count(x->r); i++)
        if (strcmp(policy_criterion_id(check_result_criterion(x->r, i)), crit) == 0)
            return check_result_suggestion(x->r, i);
    cr_assert_fail("no criterion %s", crit);
    return CHECK_UNKNOWN;
}

static size_t index_of(const run *x, const char *crit)
{
    for (size_t i = 0; i < check_result_count(x->r); i++)
        if (strcmp(policy_criterion_id(check_result_criterion(x->r, i)), crit) == 0)
            return i;
    return (size_t)-1;
}

static void done(run *x)
{
    check_result_free(x->r);
    fact_list_free(&x->facts);
    note_free(x->n);
}

static check_suggestion on_text(const char *text, const char *crit)
{
    run x;
    load_note(&x, text);
    check_suggestion s = eval(&x, crit);
    done(&x);
    return s;
}

TestSuite(engine, .init = setup, .fini = teardown);

Test(engine, code_rule)
{
    run x;
    load_note(&x, "Diagnosis: spastic diplegia G80.1. Epilepsy G40.219.\n");
    add_fact(&x, FACT_ICD10, "G40.219", "G40.219");
    cr_assert_eq(eval(&x, "dx"), CHECK_NOT_MET); /* codes, none covered */
    add_fact(&x, FACT_ICD10, "G80.1", "G80.1");
    cr_assert_eq(eval(&x, "dx"), CHECK_MET);
    const check_evidence *e = check_result_deciding(x.r, index_of(&x, "dx"));
    cr_assert_not_null(e);
    cr_assert_eq(e->dir, CHECK_SUPPORTS);
    cr_assert_eq(strncmp(x.n->text + e->match_start, "G80.1", 5), 0);
    cr_assert_eq(strncmp(x.n->text + e->sent_start, "Diagnosis", 9), 0);
    done(&x);
    cr_assert_eq(on_text("No codes here.\n", "dx"), CHECK_UNKNOWN);
}

Test(engine, fact_rule_and_na)
{
    run x;
    load_note(&x, "A 12-year-old boy.\n");
    add_fact(&x, FACT_AGE, "age 12", "12-year-old");
    cr_assert_eq(eval(&x, "age"), CHECK_NA);
    done(&x);
    load_note(&x, "A 40-year-old man.\n");
    add_fact(&x, FACT_AGE, "age 40", "40-year-old");
    cr_assert_eq(eval(&x, "age"), CHECK_MET);
    done(&x);
    cr_assert_eq(on_text("Age not stated.\n", "age"), CHECK_UNKNOWN);
    /* an older note's age does not make the criterion inapplicable */
    load_note(&x, "Seen at 12-year-old visit in 2012. Now a 40-year-old man.\n");
    add_fact(&x, FACT_AGE, "age 12", "12-year-old");
    add_fact(&x, FACT_AGE, "age 40", "40-year-old");
    cr_assert_eq(eval(&x, "age"), CHECK_MET);
    done(&x);
}

Test(engine, find_rule_with_context)
{
    cr_assert_eq(on_text("He uses a wheelchair at school.\n", "wheel"), CHECK_MET);
    cr_assert_eq(on_text("He does not use a wheelchair.\n", "wheel"), CHECK_NOT_MET);
    cr_assert_eq(on_text("If he falls again, a wheelchair will be ordered.\n",
                         "wheel"), CHECK_UNKNOWN);
    cr_assert_eq(on_text("Walks in the community.\n", "wheel"), CHECK_UNKNOWN);
    /* a line's label names the finding; its body says whether it is so */
    cr_assert_eq(on_text("Mobility\nWheelchair: uses a power chair daily.\n", "wheel"),
                 CHECK_MET);
    cr_assert_eq(on_text("Mobility\nWheelchair: none.\n", "wheel"), CHECK_NOT_MET);
    cr_assert_eq(on_text("Mobility\nWheelchair: to be ordered.\n", "wheel"),
                 CHECK_UNKNOWN);
    /* a header that names the finding governs the lines below it */
    cr_assert_eq(on_text("Intake\n\nWHEELCHAIR\nUses a power chair daily.\n", "wheel"),
                 CHECK_MET);
    cr_assert_eq(on_text("Intake\n\nWHEELCHAIR\nNone.\n", "wheel"), CHECK_NOT_MET);
    cr_assert_eq(on_text("WHEELCHAIR CLINIC\n", "wheel"), CHECK_UNKNOWN); /* a topic */
    /* a negating header governs the list under it */
    cr_assert_eq(on_text("Intake\nDENIES:\n- wheelchair use\n- falls\n", "wheel"),
                 CHECK_NOT_MET);
}

Test(engine, evidence_both_ways_is_unknown_with_both_shown)
{
    run x;
    load_note(&x, "He uses a wheelchair.\nHe does not use a wheelchair.\n");
    cr_assert_eq(eval(&x, "wheel"), CHECK_UNKNOWN);
    size_t i = index_of(&x, "wheel");
    cr_assert_eq(check_result_evidence_count(x.r, i), 2);
    cr_assert_neq(check_result_evidence(x.r, i, 0)->dir,
                  check_result_evidence(x.r, i, 1)->dir);
    cr_assert_null(check_result_deciding(x.r, i));
    done(&x);
}

Test(engine, unknown_says_what_was_searched)
{
    run x;
    load_note(&x, "Walks in the community.\n");
    cr_assert_eq(eval(&x, "wheel"), CHECK_UNKNOWN);
    const char *s = check_result_searched(x.r, index_of(&x, "wheel"));
    cr_assert(strstr(s, "wheelchair"), "%s", s);
    cr_assert(strstr(s, "nothing found in the sentences of note.txt (1)"), "%s", s);
    done(&x);
}

Test(engine, pump_drugs_rule)
{
    cr_assert_eq(on_text("Pump: baclofen 2000 mcg/mL.\n", "drug"), CHECK_MET);
    cr_assert_eq(on_text("Pump holds baclofen with bupivacaine.\n", "drug"),
                 CHECK_NOT_MET);
    cr_assert_eq(on_text("Intrathecal bupivacaine alone.\n", "drug"), CHECK_NOT_MET);
    cr_assert_eq(on_text("Pump: compounded baclofen 4000 mcg/mL.\n", "drug"),
                 CHECK_UNKNOWN);
    /* oral bupivacaine is not in the pump: another route */
    cr_assert_eq(on_text("Pump: baclofen 500 mcg/mL.\nTried oral baclofen.\n",
                         "drug"), CHECK_MET);
    cr_assert_eq(on_text("Takes oral baclofen 10 mg.\n", "drug"), CHECK_UNKNOWN);
}

Test(engine, drop_rule_points)
{
    cr_assert_eq(on_text("Bolus given. Ashworth knees 4 -> 2 and hips 3 -> 1.\n",
                         "drop"), CHECK_MET);
    cr_assert_eq(on_text("Bolus given. Ashworth knees 4 -> 3 and hips 3 -> 2.\n",
                         "drop"), CHECK_NOT_MET);
    cr_assert_eq(on_text("BOLUS TRIAL\nAshworth: baseline 4, 2 h 3, 4 h 2, 6 h 2.\n",
                         "drop"), CHECK_MET);
    cr_assert_eq(on_text("Bolus trial, Ashworth scores\nMuscle  Baseline  2 h  4 h\n"
                         "Hamstrings  4  3  3\nAdductors  3  2  2\n", "drop"),
                 CHECK_NOT_MET);
    cr_assert_eq(on_text("Bolus 50 mcg: average one-point drop on the Ashworth scale.\n",
                         "drop"), CHECK_NOT_MET);
    cr_assert_eq(on_text("Bolus trial: Ashworth decreased from 4 to 2.\n", "drop"),
                 CHECK_MET); /* a pair that ends the sentence */
    cr_assert_eq(on_text("Bolus: MAS 4 -> 3 -> 2 -> 2 at the hamstrings.\n", "drop"),
                 CHECK_MET); /* a chain is one muscle over time */
    cr_assert_eq(on_text("BOLUS TRIAL\n| Time | Ashworth L | Ashworth R |\n"
                         "| Baseline | 4 | 4 |\n| Hour 2 | 3 | 3 |\n| Hour 4 | 2 | 2 |\n",
                         "drop"), CHECK_MET); /* time points as rows */
    cr_assert_eq(on_text("Bolus test dose:\nPre: Ashworth 4 (hips), 4 (knees)\n"
                         "Post 4 h: Ashworth 3 (hips), 3 (knees)\n", "drop"),
                 CHECK_NOT_MET);
    cr_assert_eq(on_text("After the bolus the Ashworth score improved by 1 point.\n",
                         "drop"), CHECK_NOT_MET);
    /* a change column under a caption and a rule: no time point */
    cr_assert_eq(on_text("BOLUS TRIAL\nResults\n-----------\n"
                         "             baseline   4 hours   change\n"
                         "Hamstrings     3          1         -2\n"
                         "Adductors      3          1         -2\n", "drop"), CHECK_MET);
    /* scores outside a bolus context say nothing about the bolus */
    cr_assert_eq(on_text("Ashworth 4 -> 1 after botulinum toxin.\n", "drop"),
                 CHECK_UNKNOWN);
}

Test(engine, drop_rule_percent)
{
    cr_assert_eq(on_text("Trial: pain 8/10 before, 3/10 after.\n", "pct"), CHECK_MET);
    cr_assert_eq(on_text("Trial: pain 8/10 before, 5/10 after.\n", "pct"), CHECK_NOT_MET);
    cr_assert_eq(on_text("The trial gave a 60% reduction in pain.\n", "pct"), CHECK_MET);
    cr_assert_eq(on_text("The trial gave 50% relief of pain.\n", "pct"), CHECK_NOT_MET);
    cr_assert_eq(on_text("Trial: greater than 50% reduction in pain.\n", "pct"), CHECK_MET);
    cr_assert_eq(on_text("TRIAL\nPain score before: 8/10.\nPain at 4 h: 6/10.\n"
                         "Pain at 8 h: 3/10.\n", "pct"), CHECK_MET);
}

Test(engine, picker_follows_requested_codes)
{
    run x;
    load_note(&x, "Requested: 62362.\n");
    add_fact(&x, FACT_CPT, "62362", "62362");
    char why[256];
    const note *notes[1] = {x.n};
    const policy_section *s = check_pick_section(P, notes, &x.facts, 1, why, sizeof why);
    cr_assert_str_eq(policy_section_name(s), "main");
    cr_assert(strstr(why, "1 requested code"), "%s", why);
    done(&x);
}

/* ---- three-valued logic: (a or b) and c and not d ---- */

static check_outcome logic(const char *a, const char *b, const char *c,
                           const char *d)
{
    FILE *in = fopen("fixtures/policies/logic.xml.in", "r");
    cr_assert_not_null(in);
    char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, in);
    fclose(in);
    buf[n] = '\0';
    char tmpl[] = "/tmp/casereview-logic-XXXXXX";
    int fd = mkstemp(tmpl);
    cr_assert(fd >= 0);
    FILE *out = fdopen(fd, "w");
    const char *vals[4] = {a, b, c, d};
    for (const char *p = buf; *p;) {
        if (p[0] == '@' && p[1] >= 'A' && p[1] <= 'D' && p[2] == '@') {
            fputs(vals[p[1] - 'A'], out);
            p += 3;
        } else
            fputc(*p++, out);
    }
    fclose(out);
    char err[512];
    policy *lp = policy_load_file(tmpl, SCHEMA, err, sizeof err);
    unlink(tmpl);
    cr_assert_not_null(lp, "%s", err);
    check_result *r = check_run(policy_section_at(lp, 0), NULL, NULL, 0, NULL,
                                err, sizeof err);
    cr_assert_not_null(r);
    check_outcome o = check_result_outcome(r);
    check_result_free(r);
    policy_free(lp);
    return o;
}

Test(engine, three_valued_logic)
{
    cr_assert_eq(logic("met", "not_met", "met", "not_met"), CHECK_MEETS);
    cr_assert_eq(logic("not_met", "not_met", "met", "not_met"), CHECK_DOES_NOT_MEET);
    cr_assert_eq(logic("unknown", "not_met", "met", "not_met"), CHECK_INSUFFICIENT);
    cr_assert_eq(logic("met", "unknown", "met", "not_met"), CHECK_MEETS);
    cr_assert_eq(logic("na", "not_met", "na", "not_met"), CHECK_MEETS);
    cr_assert_eq(logic("met", "met", "met", "met"), CHECK_DOES_NOT_MEET);
    cr_assert_eq(logic("met", "met", "met", "unknown"), CHECK_INSUFFICIENT);
    cr_assert_eq(logic("met", "met", "unknown", "not_met"), CHECK_INSUFFICIENT);
    cr_assert_eq(logic("unknown", "unknown", "not_met", "not_met"), CHECK_DOES_NOT_MEET);
    cr_assert_eq(logic("not_met", "unknown", "met", "met"), CHECK_DOES_NOT_MEET);
}

/* ---- context status on the shipped policies ---- *
 * A rule counts only the statuses it names: a dystonia that is expected,
 * feared, a relative's or past does not make Tufts L.1 not_met, nor
 * support CCS III.A ("and/or dystonia"); a dystonia stated as the
 * patient's does. */

static check_suggestion shipped(const char *file, const char *section,
                                const char *crit, const char *text,
                                check_outcome *outcome)
{
    char err[512], path[256];
    snprintf(path, sizeof path, "policies/%s", file);
    policy *p = policy_load_file(path, SCHEMA, err, sizeof err);
    cr_assert_not_null(p, "%s", err);
    run x;
    load_note(&x, text);
    const note *notes[1] = {x.n};
    x.r = check_run(policy_section_find(p, section), notes, &x.facts, 1, CTX, err,
                    sizeof err);
    cr_assert_not_null(x.r, "%s", err);
    size_t i = index_of(&x, crit);
    cr_assert_neq(i, (size_t)-1, "no criterion %s", crit);
    check_suggestion s = check_result_suggestion(x.r, i);
    if (outcome)
        *outcome = check_result_outcome(x.r);
    done(&x);
    policy_free(p);
    return s;
}

static const char *const not_the_patients_dystonia[] = {
    "Spasticity. Will monitor for dystonia.\n",             /* hypothetical */
    "Mother worried about dystonia in the future.\n",       /* future */
    "He is at risk for dystonia.\n",
    "If dystonia develops we will reassess.\n",
    "Family history: mother has dystonia.\n",               /* family */
    "His maternal aunt has dystonia.\n",
    "History of dystonia as an infant.\n",                  /* historical */
};

Test(engine, tufts_L1_counts_only_the_patients_dystonia)
{
    for (size_t i = 0; i < sizeof not_the_patients_dystonia / sizeof *not_the_patients_dystonia; i++) {
        check_outcome o;
        const char *t = not_the_patients_dystonia[i];
        cr_expect_eq(shipped("tufts-1035136.xml", "coverage", "L.1", t, &o), CHECK_MET,
                     "L.1 refuted by: %s", t);
        cr_expect_neq(o, CHECK_DOES_NOT_MEET, "denied on: %s", t);
    }
    cr_expect_eq(shipped("tufts-1035136.xml", "coverage", "L.1",
                         "The pump is requested for the treatment of dystonia.\n", NULL),
                 CHECK_NOT_MET);
    cr_expect_eq(shipped("tufts-1035136.xml", "coverage", "L.1",
                         "Generalized dystonia since age 3.\n", NULL), CHECK_NOT_MET);
}

Test(engine, ccs_IIIA_dystonia_counts_only_the_patients)
{
    for (size_t i = 0; i < sizeof not_the_patients_dystonia / sizeof *not_the_patients_dystonia; i++) {
        const char *t = not_the_patients_dystonia[i];
        cr_expect_eq(shipped("ccs-nl-05-0612.xml", "implant", "III.A", t, NULL),
                     CHECK_UNKNOWN, "III.A supported by: %s", t);
    }
    cr_expect_eq(shipped("ccs-nl-05-0612.xml", "implant", "III.A",
                         "Secondary generalized dystonia impedes his care.\n", NULL),
                 CHECK_MET);
}

/* ---- the request's codes ---- *
 * CCS IV.E.2.a asks whether "the request carries the codes"; a request
 * that lists 95991 meets it though no note prints the code, and the
 * evidence says it comes from the request (no note span). */

static check_result *ccs_refill(const char *text, const check_requested *req, size_t n,
                                run *x, policy **p)
{
    char err[512];
    *p = policy_load_file("policies/ccs-nl-05-0612.xml", SCHEMA, err, sizeof err);
    cr_assert_not_null(*p, "%s", err);
    load_note(x, text);
    const note *notes[1] = {x->n};
    check_input in = {CTX, req, n, NULL, NULL};
    x->r = check_run_case(policy_section_find(*p, "refill"), notes, &x->facts, 1, &in,
                          err, sizeof err);
    cr_assert_not_null(x->r, "%s", err);
    return x->r;
}

Test(engine, requested_codes_count_as_code_facts)
{
    static const char note_text[] = "Pump interrogated and refilled today.\n";
    run x;
    policy *p;
    static const check_requested req[] = {{"62369", 0}, {"95991", 0}, {"G80.0", 1}};
    ccs_refill(note_text, req, 3, &x, &p);
    size_t i = index_of(&x, "IV.E.2.a");
    cr_assert_eq(check_result_suggestion(x.r, i), CHECK_MET);
    const check_evidence *e = check_result_deciding(x.r, i);
    cr_assert_not_null(e);
    cr_assert_eq(e->note, CHECK_REQUEST);
    cr_assert_str_eq(e->source, "request: service 95991");
    cr_assert_eq(e->sent_start, 0);
    cr_assert_eq(e->sent_end, 0);
    done(&x);
    policy_free(p);

    /* a request whose services are none of Table 1's: not_met, from it */
    static const check_requested other[] = {{"62369", 0}};
    ccs_refill(note_text, other, 1, &x, &p);
    i = index_of(&x, "IV.E.2.a");
    cr_assert_eq(check_result_suggestion(x.r, i), CHECK_NOT_MET);
    cr_assert_str_eq(check_result_deciding(x.r, i)->source, "request: service 62369");
    done(&x);
    policy_free(p);

    /* without the request, the notes alone are silent */
    ccs_refill(note_text, NULL, 0, &x, &p);
    i = index_of(&x, "IV.E.2.a");
    cr_assert_eq(check_result_suggestion(x.r, i), CHECK_UNKNOWN);
    cr_assert(strstr(check_result_searched(x.r, i), "nothing found in the code facts"));
    done(&x);
    policy_free(p);
}

/* No age written: a date of birth and the note's date give it. */
Test(engine, an_age_from_a_date_of_birth)
{
    run x;
    load_note(&x, "Visit 12/09/2025.\nClient: S. R.   DOB 06/22/2016\n");
    add_fact(&x, FACT_DATE, "2025-12-09", "12/09/2025");
    add_fact(&x, FACT_DATE, "2016-06-22", "06/22/2016");
    cr_assert_eq(eval(&x, "age"), CHECK_NA, "9 years old on the visit");
    done(&x);
    load_note(&x, "Visit 12/09/2025.\nClient: S. R.   DOB 12/10/1981\n");
    add_fact(&x, FACT_DATE, "2025-12-09", "12/09/2025");
    add_fact(&x, FACT_DATE, "1981-12-10", "12/10/1981");
    cr_assert_eq(eval(&x, "age"), CHECK_MET, "43, one day short of 44");
    done(&x);
    /* a date that is no date of birth gives no age */
    load_note(&x, "Visit 12/09/2025.\nImplanted 06/22/2016.\n");
    add_fact(&x, FACT_DATE, "2025-12-09", "12/09/2025");
    add_fact(&x, FACT_DATE, "2016-06-22", "06/22/2016");
    cr_assert_eq(eval(&x, "age"), CHECK_UNKNOWN);
    done(&x);
}

/* A blank in a policy's pattern is any run of blanks and line breaks in a
 * note (notes are wrapped anywhere); in a lookbehind it stays one. */
Test(engine, a_pattern_blank_matches_a_line_break)
{
    cr_assert_eq(on_text("She walks\nwith a   walker at home.\n", "walker"), CHECK_MET);
    cr_assert_eq(on_text("She walks with a walker.\n", "walker"), CHECK_MET);
    cr_assert_eq(on_text("She walks with a cane.\n", "walker"), CHECK_UNKNOWN);
}

/* A date of birth gives the age now, past an older note's stated age. */
Test(engine, a_date_of_birth_outweighs_an_older_stated_age)
{
    run x;
    load_note(&x, "Visit 06/10/2025.\nDOB 02/19/2007\nLast year's letter: a 17-year-old.\n");
    add_fact(&x, FACT_DATE, "2025-06-10", "06/10/2025");
    add_fact(&x, FACT_DATE, "2007-02-19", "02/19/2007");
    add_fact(&x, FACT_AGE, "age 17", "17-year-old");
    cr_assert_eq(eval(&x, "age"), CHECK_MET, "18 by the date of birth");
    done(&x);
}
