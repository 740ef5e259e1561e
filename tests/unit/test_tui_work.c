/* The case model behind the review screen, without a terminal or a store:
 * origins of verdicts, the section's outcome under the reviewer's verdicts
 * (three-valued, by the section's own logic), and the decision rules. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tui/work.h"

static work *w;

static size_t crit(const char *id)
{
    for (size_t i = 0; i < w->ncrit; i++)
        if (strcmp(policy_criterion_id(w->crit[i].pc), id) == 0)
            return i;
    cr_assert_fail("no criterion %s", id);
    return 0;
}

static void open_fixture(void)
{
    char err[256];
    static char letter[] = "fixtures/tui/C-TUI-01/letter.txt";
    static char clinic[] = "fixtures/tui/C-TUI-01/clinic.txt";
    char *files[] = {letter, clinic};
    w = work_open_files(files, 2, NULL, err, sizeof err);
    cr_assert_not_null(w, "%s", err);
    const policy *p = policy_set_find(w->policies, "tufts-1035136");
    cr_assert_not_null(p);
    cr_assert_eq(work_evaluate(w, p, policy_section_find(p, "coverage"), err, sizeof err), 0,
                 "%s", err);
    cr_assert_eq(w->ncrit, 4);
}

static void close_fixture(void)
{
    work_close(w);
}

TestSuite(work, .init = open_fixture, .fini = close_fixture);

static void set(const char *id, store_verdict v)
{
    char err[256];
    cr_assert_eq(work_set_verdict(w, crit(id), v, "test reason", err, sizeof err), 0, "%s",
                 err);
}

Test(work, nothing_reviewed_is_insufficient)
{
    cr_assert_eq(work_unreviewed(w), 4);
    cr_assert_eq(work_outcome(w), CHECK_INSUFFICIENT);
}

Test(work, origin_follows_the_suggestion)
{
    char err[256];
    size_t i = crit("3"); /* "no intrathecal test dose has been performed" */
    cr_assert_eq(w->crit[i].suggestion, CHECK_NOT_MET);
    cr_assert_eq(work_origin_for(w, i, STORE_VERDICT_NOT_MET), STORE_ORIGIN_ACCEPTED);
    cr_assert_eq(work_origin_for(w, i, STORE_VERDICT_MET), STORE_ORIGIN_OVERRIDDEN);
    cr_assert_eq(work_set_verdict(w, i, STORE_VERDICT_MET, NULL, err, sizeof err), -1,
                 "an override without a reason is refused");
    cr_assert_str_eq(err, "an override needs a reason");
    cr_assert_eq(work_set_verdict(w, i, STORE_VERDICT_MET, "report received", err,
                                  sizeof err), 0);
    cr_assert_eq(w->crit[i].origin, STORE_ORIGIN_OVERRIDDEN);
    cr_assert_str_eq(w->crit[i].reason, "report received");
    cr_assert_eq(work_accept(w, i, err, sizeof err), 0);
    cr_assert_eq(w->crit[i].verdict, STORE_VERDICT_NOT_MET);
    cr_assert_null(w->crit[i].reason, "an accepted verdict carries no reason");
}

Test(work, any_of_one_or_two)
{
    /* all of (any of (1, 2), 3, L.1) */
    set("1", STORE_VERDICT_NOT_MET);
    set("2", STORE_VERDICT_MET);
    set("3", STORE_VERDICT_MET);
    set("L.1", STORE_VERDICT_MET);
    cr_assert_eq(work_outcome(w), CHECK_MEETS, "1 or 2 is enough");
    set("2", STORE_VERDICT_NOT_MET);
    cr_assert_eq(work_outcome(w), CHECK_DOES_NOT_MEET);
    set("2", STORE_VERDICT_NA);
    cr_assert_eq(work_outcome(w), CHECK_MEETS, "n/a counts as true");
    set("L.1", STORE_VERDICT_NOT_MET);
    cr_assert_eq(work_outcome(w), CHECK_DOES_NOT_MEET);
}

Test(work, unreviewed_leaves_it_open_unless_decided_anyway)
{
    set("1", STORE_VERDICT_MET);
    set("L.1", STORE_VERDICT_MET);
    set("2", STORE_VERDICT_NOT_MET);
    cr_assert_eq(work_outcome(w), CHECK_INSUFFICIENT, "3 unreviewed");
    set("L.1", STORE_VERDICT_NOT_MET);
    cr_assert_eq(work_outcome(w), CHECK_DOES_NOT_MEET, "false whatever 3 is");
}

Test(work, decisions_need_every_verdict_and_a_stored_case)
{
    char err[256], why[160];
    unsigned warn = 0;
    set("1", STORE_VERDICT_MET);
    cr_assert_eq(work_decide(w, STORE_DECISION_PEND, "x", &warn, err, sizeof err), -1);
    cr_assert_str_eq(err, "3 criteria are not reviewed yet");
    set("2", STORE_VERDICT_MET);
    set("3", STORE_VERDICT_NOT_MET);
    set("L.1", STORE_VERDICT_MET);
    cr_assert(work_contradicts(w, STORE_DECISION_APPROVE, why, sizeof why));
    cr_assert(strstr(why, "not met") != NULL, "%s", why);
    cr_assert(!work_contradicts(w, STORE_DECISION_DENY, why, sizeof why));
    cr_assert(!work_contradicts(w, STORE_DECISION_PEND, why, sizeof why));
    cr_assert_eq(work_decide(w, STORE_DECISION_PEND, "x", &warn, err, sizeof err), -1);
    cr_assert(strstr(err, "import") != NULL, "loose files are not a case: %s", err);
}

Test(work, evidence_at_names_the_criteria)
{
    size_t i = crit("3");
    cr_assert_gt(w->crit[i].nevidence, 0);
    const work_span *sp = &w->crit[i].evidence[0];
    unsigned long long bits = work_evidence_at(w, sp->note, sp->start);
    cr_assert(bits & (1ULL << i));
    cr_assert_eq(work_evidence_at(w, sp->note, w->notes[sp->note]->len), 0);
}

Test(work, hand_marks_are_checked_and_kept)
{
    char err[256];
    size_t i = crit("L.1");
    cr_assert_eq(work_mark(w, i, (work_span){0, 10, 5}, err, sizeof err), -1);
    cr_assert_eq(work_mark(w, i, (work_span){7, 0, 5}, err, sizeof err), -1);
    cr_assert_eq(work_mark(w, i, (work_span){1, 0, 20}, err, sizeof err), 0);
    cr_assert_eq(w->crit[i].nmarks, 1);
    cr_assert(work_evidence_at(w, 1, 3) & (1ULL << i));
}

/* The facts list names a CPT code by a policy's own words, through the
 * same codes_name() as casereview code. */
Test(work, facts_name_cpt_codes_by_the_policy_words)
{
    char desc[256], status[256];
    cr_assert_not_null(w->codes, "the code table is installed");
    work_code_words(w, "95990", desc, sizeof desc, status, sizeof status);
    cr_assert_str_eq(desc, "as ccs-nl-05-0612 words it: Refill and maintenance of pump "
                           "by a non-physician");
}

/* A stored case: the request's codes reach the engine.  C-000139 requests
 * 95991, which its note never prints: IV.E.2.a is met by the request, and
 * the criterion has no note span for it. */
Test(work_case, requested_codes_reach_the_engine)
{
    char dir[] = "/tmp/casereview-work-XXXXXX", db[300], err[256], cmd[400];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/case.db", dir);
    store *st = store_open(db, err, sizeof err);
    cr_assert_not_null(st, "%s", err);
    cr_assert_eq(store_import_dir(st, "fixtures/import/C-000139", NULL, 0, err, sizeof err), 0,
                 "%s", err);
    work *cw = work_open_case(st, "C-000139", NULL, err, sizeof err);
    cr_assert_not_null(cw, "%s", err);
    cr_assert_not_null(cw->sec, "the case names its section");
    size_t i = 0;
    while (i < cw->ncrit && strcmp(policy_criterion_id(cw->crit[i].pc), "IV.E.2.a"))
        i++;
    cr_assert_lt(i, cw->ncrit);
    cr_assert_eq(cw->crit[i].suggestion, CHECK_MET);
    cr_assert_str_eq(cw->crit[i].rule, "request: service 95991");
    for (size_t k = 0; k < cw->crit[i].nevidence; k++)
        cr_assert_geq(cw->crit[i].evidence[k].note, 0, "no span without a note");
    work_close(cw);
    store_close(st);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* ---- flags for requested codes: where the policy's data says ---- */

typedef struct {
    char dir[64];
    store *st;
    work *w;
} stored;

/* A case folder written from its parts, imported into a fresh store and
 * opened. */
static void open_stored(stored *s, const char *payer, const char *pol, const char *section,
                        const char *services, const char *diagnoses, const char *note_text)
{
    char path[200], err[256];
    snprintf(s->dir, sizeof s->dir, "/tmp/casereview-work-XXXXXX");
    cr_assert_not_null(mkdtemp(s->dir));
    snprintf(path, sizeof path, "%s/C-FLAGS", s->dir);
    cr_assert_eq(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/C-FLAGS/request.xml", s->dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<request version=\"1\" id=\"C-FLAGS\" urgency=\"standard\" "
               "received=\"2026-11-20T09:00:00Z\">\n"
               "  <member id=\"M1\" dob=\"1970-02-03\" sex=\"F\">Flag Case</member>\n"
               "  <provider npi=\"1234567893\">Test Neurology</provider>\n"
               "  %s\n  <policy id=\"%s\" section=\"%s\"/>\n"
               "  <services>%s</services>\n  <diagnoses>%s</diagnoses>\n</request>\n",
            payer, pol, section, services, diagnoses);
    fclose(f);
    snprintf(path, sizeof path, "%s/C-FLAGS/note.txt", s->dir);
    f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(note_text, f);
    fclose(f);
    snprintf(path, sizeof path, "%s/case.db", s->dir);
    s->st = store_open(path, err, sizeof err);
    cr_assert_not_null(s->st, "%s", err);
    snprintf(path, sizeof path, "%s/C-FLAGS", s->dir);
    cr_assert_eq(store_import_dir(s->st, path, NULL, 0, err, sizeof err), 0, "%s", err);
    s->w = work_open_case(s->st, "C-FLAGS", NULL, err, sizeof err);
    cr_assert_not_null(s->w, "%s", err);
    cr_assert_not_null(s->w->sec);
}

static void close_stored(stored *s)
{
    char cmd[128];
    work_close(s->w);
    store_close(s->st);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", s->dir);
    cr_assert_eq(system(cmd), 0);
}

static const char *flags_of(const work *cw, const char *id)
{
    for (size_t i = 0; i < cw->ncrit; i++)
        if (strcmp(policy_criterion_id(cw->crit[i].pc), id) == 0)
            return cw->crit[i].flags;
    cr_assert_fail("no criterion %s", id);
    return NULL;
}

/* G80.3 is on a CBC list used to choose the section (G80.*) but not on its
 * covered list: flagged beside VIII.dx; 99213 beside VIII.proc only. */
Test(work_case, uncovered_codes_are_flagged_beside_the_criterion_naming_the_list)
{
    stored s;
    open_stored(&s, "<payer id=\"cbc\">Capital Blue Cross</payer>", "cbc-mp-1.058",
                "spasticity",
                "<service code=\"62362\" units=\"1\" dos=\"2026-12-01\"/>"
                "<service code=\"99213\" units=\"1\" dos=\"2026-12-01\"/>",
                "<diagnosis code=\"G80.3\"/><diagnosis code=\"G80.1\"/>",
                "Athetoid cerebral palsy with severe spasticity; oral baclofen failed.\n");
    const char *dx = flags_of(s.w, "VIII.dx"), *px = flags_of(s.w, "VIII.proc");
    cr_expect(strstr(dx, "G80.3 not on the policy's covered diagnosis list"), "%s", dx);
    cr_expect_null(strstr(dx, "G80.1"), "%s", dx);
    cr_expect_null(strstr(dx, "99213"), "%s", dx);
    cr_expect(strstr(px, "99213 not on the policy's covered procedure list"), "%s", px);
    cr_expect_null(strstr(px, "G80"), "%s", px);
    cr_expect_str_empty(flags_of(s.w, "I.2"));
    cr_expect_str_empty(flags_of(s.w, "I.fda"));
    close_stored(&s);
}

/* CCS covers no diagnosis list: no requested diagnosis is flagged; a
 * service outside Table 1 is flagged beside IV.E.2.a, which names it. */
Test(work_case, a_policy_without_a_diagnosis_list_flags_no_diagnosis)
{
    stored s;
    open_stored(&s, "<payer id=\"ccs\">California Children's Services</payer>",
                "ccs-nl-05-0612", "refill",
                "<service code=\"62369\" units=\"1\" dos=\"2026-12-01\"/>"
                "<service code=\"95991\" units=\"1\" dos=\"2026-12-01\"/>",
                "<diagnosis code=\"G80.0\"/><diagnosis code=\"Z00.00\"/>",
                "Refill visit; pump refilled.\n");
    for (size_t i = 0; i < s.w->ncrit; i++)
        cr_expect(!strstr(s.w->crit[i].flags, "G80.0") && !strstr(s.w->crit[i].flags, "Z00"),
                  "%s: %s", policy_criterion_id(s.w->crit[i].pc), s.w->crit[i].flags);
    const char *a = flags_of(s.w, "IV.E.2.a");
    cr_expect(strstr(a, "62369 not on the policy's covered procedure list"), "%s", a);
    cr_expect_null(strstr(a, "95991"), "%s", a);
    cr_expect_str_empty(flags_of(s.w, "IV.E.2.b"));
    close_stored(&s);
}

/* A code the loaded table has no words for is said so, not "(no code
 * table)". */
Test(work, a_code_without_a_description_says_so)
{
    char desc[256], status[256];
    cr_assert_not_null(w->codes);
    work_code_words(w, "U07.1", desc, sizeof desc, status, sizeof status);
    cr_assert_str_eq(desc, "no description in the FY2019 ICD-10-CM list");
    cr_assert(strstr(status, "not in the FY2019 ICD-10-CM list"), "%s", status);
}

/* Deferred: the notes only, then work_load does what the eager open did
 * (the same facts, the same suggestions), picking the section itself
 * when none is wanted. */
Test(work, deferred_load_gives_the_same_result)
{
    char err[256];
    static char letter[] = "fixtures/tui/C-TUI-01/letter.txt";
    static char clinic[] = "fixtures/tui/C-TUI-01/clinic.txt";
    char *files[] = {letter, clinic};
    work_options o = {NULL, NULL, NULL, 1};
    for (int pick = 0; pick < 2; pick++) {
        work *d = work_open_files(files, 2, &o, err, sizeof err);
        cr_assert_not_null(d, "%s", err);
        cr_assert(d->load_pending);
        cr_assert_eq(d->nfacts, 0);
        const policy *p = policy_set_find(d->policies, "tufts-1035136");
        work_want(d, p, pick ? NULL : policy_section_find(p, "coverage"));
        cr_assert_eq(work_load(d, err, sizeof err), 0, "%s", err);
        cr_assert_eq(work_begin(d, err, sizeof err), 0, "%s", err);
        cr_assert(!d->load_pending && !d->loading);
        cr_assert_eq(d->nfacts, w->nfacts);
        cr_assert_not_null(d->sec);
        cr_assert_str_eq(policy_section_name(d->sec), "coverage");
        cr_assert_eq(d->ncrit, w->ncrit);
        for (size_t i = 0; i < d->ncrit; i++)
            cr_assert_eq(d->crit[i].suggestion, w->crit[i].suggestion);
        work_close(d);
    }
}
