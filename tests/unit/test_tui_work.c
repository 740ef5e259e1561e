/* The case model behind the review screen, without a terminal or a store:
 * origins of verdicts, the section's outcome under the reviewer's verdicts
 * (three-valued, by the section's own logic), and the decision rules. */
#include <criterion/criterion.h>
#include <string.h>

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
