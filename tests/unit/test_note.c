/* Loading notes: encodings, refusals, and the offsets of lines, sentences
 * and sections. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/note.h"

static note *load(const char *text)
{
    note *n;
    char err[256];
    int rc = note_load_mem("t", text, strlen(text), NULL, &n, err, sizeof err);
    cr_assert_eq(rc, 0, "note_load_mem: %s", err);
    return n;
}

static void refused(const char *buf, size_t len, const char *why)
{
    note *n = (note *)1;
    char err[256] = "";
    cr_assert_eq(note_load_mem("t", buf, len, NULL, &n, err, sizeof err), -1);
    cr_assert_null(n);
    cr_assert(strstr(err, why) != NULL, "error '%s' should say '%s'", err, why);
    cr_assert(strchr(err, '\n') == NULL, "one line");
}

Test(note, utf8_text_is_kept_byte_for_byte)
{
    const char *s = "Patient \xc3\xa9tait bien.\nLine two.";
    note *n = load(s);
    cr_assert_eq(n->len, strlen(s));
    cr_assert(memcmp(n->text, s, n->len) == 0);
    cr_assert_eq(n->flags, 0u);
    cr_assert_eq(n->nlines, 2u);
    cr_assert_eq(note_line_at(n, 0), 1u);
    cr_assert_eq(note_line_at(n, strlen("Patient \xc3\xa9tait bien.\n")), 2u);
    note_free(n);
}

Test(note, bom_and_crlf_keep_file_offsets)
{
    const char *s = "\xef\xbb\xbfLine one.\r\nLine two.\r\n";
    note *n = load(s);
    cr_assert(n->flags & NOTE_HAD_BOM);
    cr_assert(n->flags & NOTE_CRLF);
    cr_assert_eq(n->len, strlen(s));
    cr_assert_eq(n->nsentences, 2u);
    cr_assert_eq(n->sentences[0].start, 3u, "the BOM is not in a sentence");
    cr_assert_eq(n->sentences[1].start, 14u);
    cr_assert_eq(note_file_offset(n, 14), 14u);
    note_free(n);
}

Test(note, latin1_is_repaired_and_offsets_map_back)
{
    const char *s = "Se\xf1ora L\xf3pez, 67-year-old.";
    note *n = load(s);
    cr_assert(n->flags & NOTE_LATIN1);
    cr_assert(strstr(n->text, "Se\xc3\xb1ora L\xc3\xb3pez") != NULL);
    const char *age = strstr(n->text, "67");
    size_t off = (size_t)(age - n->text);
    cr_assert_eq(note_file_offset(n, off), (size_t)(strstr(s, "67") - s));
    cr_assert_eq(note_file_offset(n, n->len), strlen(s));
    note_free(n);
}

Test(note, windows_1252_quotes_are_repaired)
{
    note *n = load("He said \x93no\x94 to the pump.");
    cr_assert(strstr(n->text, "\xe2\x80\x9cno\xe2\x80\x9d") != NULL);
    note_free(n);
}

Test(note, refusals)
{
    refused("", 0, "empty");
    refused(" \n\t\r\n", 5, "empty");
    refused("\xef\xbb\xbf\n", 4, "empty");
    refused("abc\0def", 7, "binary");
    char ctl[400];
    for (size_t i = 0; i < sizeof ctl; i++)
        ctl[i] = (char)(i % 3 ? 'a' : 0x01);
    refused(ctl, sizeof ctl, "binary");
    char bad[200];
    for (size_t i = 0; i < sizeof bad; i++)
        bad[i] = (char)(0x80 + (i * 37) % 128); /* high bytes, C1 holes */
    refused(bad, sizeof bad, "invalid UTF-8");
}

Test(note, a_few_escape_sequences_are_tolerated)
{
    note *n = load("Red \x1b[31mtext\x1b[0m in a note of ordinary length, otherwise prose.");
    cr_assert_not_null(n);
    note_free(n);
}

Test(note, size_limit_in_memory)
{
    note_options o = {.max_bytes = 10};
    note *n;
    char err[256];
    cr_assert_eq(note_load_mem("t", "0123456789A", 11, &o, &n, err, sizeof err), -1);
    cr_assert(strstr(err, "too large") != NULL);
}

static char *temp_file(size_t size, char fill_line_char)
{
    char *path = strdup("/tmp/casereview-note-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    char line[100];
    memset(line, fill_line_char, sizeof line - 1);
    line[sizeof line - 1] = '\n';
    for (size_t w = 0; w < size; w += sizeof line)
        fwrite(line, 1, sizeof line, f);
    fclose(f);
    return path;
}

Test(note, fifty_megabytes_refused_by_default_accepted_with_a_higher_limit)
{
    char *path = temp_file((size_t)50 << 20, 'x');
    note *n = NULL;
    char err[256];
    cr_assert_eq(note_load_file(path, NULL, &n, err, sizeof err), -1);
    cr_assert(strstr(err, "too large") != NULL, "%s", err);
    note_options o = {.max_bytes = (size_t)64 << 20};
    cr_assert_eq(note_load_file(path, &o, &n, err, sizeof err), 0, "%s", err);
    cr_assert(n->nlines > 500000u);
    note_free(n);
    unlink(path);
    free(path);
}

Test(note, unreadable_and_directories)
{
    note *n;
    char err[256];
    cr_assert_eq(note_load_file("/nonexistent/x.txt", NULL, &n, err, sizeof err), -1);
    cr_assert(strstr(err, "cannot open") != NULL);
    cr_assert_eq(note_load_file("/tmp", NULL, &n, err, sizeof err), -1);
    cr_assert(strstr(err, "directory") != NULL);
}

Test(note, sentences)
{
    note *n = load("A 38 y.o. woman, Dr. Smith saw her. Temp 36.6 today!\n"
                   "He has\nwrapped lines. Next one\n\nNew paragraph");
    cr_assert_eq(n->nsentences, 5u);
    cr_assert(strncmp(n->text + n->sentences[0].start, "A 38 y.o. woman, Dr. Smith saw her.",
                      n->sentences[0].end - n->sentences[0].start) == 0);
    cr_assert_eq(n->text[n->sentences[1].end - 1], '!');
    cr_assert(strncmp(n->text + n->sentences[2].start, "He has\nwrapped lines.", 21) == 0);
    cr_assert_eq(n->sentences[2].end - n->sentences[2].start, 21u);
    cr_assert_eq(note_sentence_at(n, n->sentences[4].start + 2), 4u);
    cr_assert_eq(note_sentence_at(n, n->sentences[3].end), (size_t)-1, "between sentences");
    note_free(n);
}

Test(note, list_lines_are_sentences)
{
    note *n = load("ROS:\n  denies chest pain\n  denies dysphagia\n");
    cr_assert_eq(n->nsentences, 2u);
    note_free(n);
}

Test(note, sections_and_their_context)
{
    note *n = load("HPI: admitted for a trial.\n"
                   "PMH:\n  hypertension I10\n  GERD K21.9\n"
                   "FHx:\n  mother - stroke\n\n"
                   "FAMILY: father with tremor\nReviewed 08/19/2025.\n"
                   "Problems:\n G8254\n");
    const char *t = n->text;
    const note_section *s = note_section_at(n, (size_t)(strstr(t, "admitted") - t));
    cr_assert_not_null(s);
    cr_assert_str_eq(s->kind, "hpi");
    cr_assert_eq(s->context, NOTE_SECTION_PLAIN);
    s = note_section_at(n, (size_t)(strstr(t, "K21.9") - t));
    cr_assert_str_eq(s->kind, "past_history");
    cr_assert_eq(s->context, NOTE_SECTION_HISTORICAL);
    s = note_section_at(n, (size_t)(strstr(t, "stroke") - t));
    cr_assert_eq(s->context, NOTE_SECTION_FAMILY);
    s = note_section_at(n, (size_t)(strstr(t, "tremor") - t));
    cr_assert_eq(s->context, NOTE_SECTION_FAMILY);
    cr_assert_null(note_section_at(n, (size_t)(strstr(t, "Reviewed") - t)),
                   "a header with text on its line ends with its line");
    s = note_section_at(n, (size_t)(strstr(t, "G8254") - t));
    cr_assert(s->flags & NOTE_SECTION_DX_LIST);
    note_free(n);
}

Test(note, a_list_under_a_lone_header_ends_at_the_margin)
{
    note *n = load("PMH:\n  hypertension\n  - GERD\nHe returns for a refill.\n"
                   "HPI:\nHe is well.\nNo new complaints.\n\nSigned.");
    const char *t = n->text;
    cr_assert_eq(note_section_at(n, (size_t)(strstr(t, "GERD") - t))->context,
                 NOTE_SECTION_HISTORICAL);
    cr_assert_null(note_section_at(n, (size_t)(strstr(t, "returns") - t)));
    cr_assert_str_eq(note_section_at(n, (size_t)(strstr(t, "complaints") - t))->kind, "hpi",
                     "a paragraph under a lone header runs to the blank line");
    cr_assert_null(note_section_at(n, (size_t)(strstr(t, "Signed") - t)));
    note_free(n);
}

Test(note, flattened_transcription_headers)
{
    note *n = load("HISTORY OF PRESENT ILLNESS: , A 40-year-old man.,PAST MEDICAL HISTORY: "
                   ", Asthma.,FAMILY HISTORY: , Mother with diabetes.,SOCIAL HISTORY: , None.");
    const char *t = n->text;
    cr_assert_eq(note_section_at(n, (size_t)(strstr(t, "40-year") - t))->context,
                 NOTE_SECTION_PLAIN, "the HPI is not historical");
    cr_assert_eq(note_section_at(n, (size_t)(strstr(t, "Asthma") - t))->context,
                 NOTE_SECTION_HISTORICAL);
    cr_assert_eq(note_section_at(n, (size_t)(strstr(t, "diabetes") - t))->context,
                 NOTE_SECTION_FAMILY);
    cr_assert_eq(note_section_at(n, (size_t)(strstr(t, "None") - t))->context,
                 NOTE_SECTION_PLAIN);
    note_free(n);
}

Test(note, a_long_line_is_cut_into_bounded_sentences)
{
    size_t len = (size_t)1 << 20;
    char *s = malloc(len + 1);
    for (size_t i = 0; i < len; i++)
        s[i] = i % 6 == 5 ? ' ' : 'w';
    s[len] = '\0';
    note *n = load(s);
    cr_assert(n->nsentences > 200u);
    for (size_t i = 0; i < n->nsentences; i++)
        cr_assert(n->sentences[i].end - n->sentences[i].start <= 4200u);
    note_free(n);
    free(s);
}

Test(note, an_unknown_label_inside_a_section_takes_its_context)
{
    note *n = load("FAMILY HISTORY:\n  Mother, 38: migraine (G43.909)\n"
                   "  Maternal grandmother: multiple sclerosis (G35)\n"
                   "  Brother: healthy\n\n"
                   "Family history:\nFather (44): essential tremor (G25.0)\n"
                   "Uncle: epilepsy\n\n"
                   "Result: positive\n");
    const char *t = n->text;
    const note_section *s = note_section_at(n, (size_t)(strstr(t, "G35") - t));
    cr_assert_not_null(s);
    cr_assert_eq(s->context, NOTE_SECTION_FAMILY, "an item of the family list");
    cr_assert(s->flags & NOTE_SECTION_ITEM);
    cr_assert(!note_section_known(s));
    cr_assert_eq(note_section_at(n, (size_t)(strstr(t, "healthy") - t))->context,
                 NOTE_SECTION_FAMILY, "the list goes on after the item");
    cr_assert_eq(note_section_at(n, (size_t)(strstr(t, "G25.0") - t))->context,
                 NOTE_SECTION_FAMILY, "items at the margin, up to the blank line");
    cr_assert_eq(note_section_at(n, (size_t)(strstr(t, "epilepsy") - t))->context,
                 NOTE_SECTION_FAMILY);
    s = note_section_at(n, (size_t)(strstr(t, "positive") - t));
    cr_assert_not_null(s);
    cr_assert_eq(s->context, NOTE_SECTION_PLAIN, "a label of its own outside every section");
    cr_assert(note_sentence_at(n, (size_t)(strstr(t, "multiple") - t)) !=
                  note_sentence_at(n, (size_t)(strstr(t, "migraine") - t)),
              "an item label still ends the sentence before it");
    note_free(n);
}

Test(note, a_heading_with_a_parenthesis)
{
    note *n = load("HISTORY (inactive, resolved)\n  L89154 Pressure ulcer\n\n"
                   "Diagnoses (from the referral):\n  G40219 epilepsy\n");
    const char *t = n->text;
    const note_section *s = note_section_at(n, (size_t)(strstr(t, "L89154") - t));
    cr_assert_not_null(s);
    cr_assert_str_eq(s->kind, "resolved_problems");
    cr_assert_eq(s->context, NOTE_SECTION_HISTORICAL);
    s = note_section_at(n, (size_t)(strstr(t, "G40219") - t));
    cr_assert_not_null(s);
    cr_assert_str_eq(s->kind, "diagnoses", "the label without its parenthesis");
    cr_assert(s->flags & NOTE_SECTION_DX_LIST);
    note_free(n);
}

Test(note, a_line_wrapped_at_the_notes_width_continues_its_sentence)
{
    note *n = load("HPI: 66 year-old man with lung cancer and vertebral metastases, admitted with\n"
                   "pain VAS 9/10. MRI of the thoracic and lumbar spine negative for cord compression\n"
                   "(G95.20). History of scrambler therapy.\n"
                   "Short line\n"
                   "Next line.\n"
                   "Hip adductors     Ashworth 2     Ashworth 2     Ashworth 2     Ashworth 1\n"
                   "Knee flexors      Ashworth 3     Ashworth 3     Ashworth 2     Ashworth 2\n");
    const char *t = n->text;
    size_t neg = note_sentence_at(n, (size_t)(strstr(t, "negative") - t));
    cr_assert_eq(note_sentence_at(n, (size_t)(strstr(t, "G95.20") - t)), neg,
                 "the next line starts with a parenthesis: still the same sentence");
    cr_assert_eq(note_sentence_at(n, (size_t)(strstr(t, "pain VAS") - t)),
                 note_sentence_at(n, (size_t)(strstr(t, "admitted") - t)), "and with a capital");
    cr_assert_neq(note_sentence_at(n, (size_t)(strstr(t, "Next") - t)),
                  note_sentence_at(n, (size_t)(strstr(t, "Short") - t)),
                  "a short line is not a wrapped one");
    cr_assert_neq(note_sentence_at(n, (size_t)(strstr(t, "Knee") - t)),
                  note_sentence_at(n, (size_t)(strstr(t, "Hip") - t)),
                  "a table row ending in a number ends at its line");
    note_free(n);
}

Test(note, an_indented_paragraph_wraps_onto_a_line_indented_as_deep)
{
    note *n = load("MEDICATIONS:\n"
                   "  - Oral baclofen 20 mg QID, stopped 2023. He tolerated it without sedation or\n"
                   "    weakness; it simply did not help, and the spasms came back each evening.\n"
                   "  Tizanidine 4 mg at night for the spasms in both legs, which he still takes\n"
                   "  - dantrolene 25 mg daily, stopped\n"
                   "  gabapentin 300 mg\n");
    const char *t = n->text;
    cr_assert_eq(note_sentence_at(n, (size_t)(strstr(t, "weakness;") - t)),
                 note_sentence_at(n, (size_t)(strstr(t, "He tolerated") - t)),
                 "an indented line in lower case under a full one continues it");
    cr_assert_neq(note_sentence_at(n, (size_t)(strstr(t, "- dantrolene") - t)),
                  note_sentence_at(n, (size_t)(strstr(t, "Tizanidine") - t)),
                  "a list mark starts an item of its own");
    cr_assert_neq(note_sentence_at(n, (size_t)(strstr(t, "gabapentin") - t)),
                  note_sentence_at(n, (size_t)(strstr(t, "dantrolene") - t)),
                  "a short line is not a wrapped one");
    note_free(n);
}

Test(note, a_list_items_hanging_indent_and_a_trailing_comma_continue_it)
{
    note *n = load("Plan:\n"
                   " - Pump management plan: refills and emergencies - Dr. C. Lozano, physiatry, South Bay\n"
                   "   Rehab (CCS paneled), accepted 4/15/2025.\n"
                   "   Name: B. Castillo, NP, under the supervision of Dr. L. Ortiz, CCS-paneled physiatrist,\n"
                   "   Downey - refills q12 wk.\n"
                   " - Neurosurgery referral placed for surgical evaluation, results to follow shortly\n"
                   " - Next item.\n");
    const char *t = n->text;
    cr_assert_eq(note_sentence_at(n, (size_t)(strstr(t, "Rehab") - t)),
                 note_sentence_at(n, (size_t)(strstr(t, "South Bay") - t)),
                 "a line under an item's text continues the item");
    cr_assert_eq(note_sentence_at(n, (size_t)(strstr(t, "Downey") - t)),
                 note_sentence_at(n, (size_t)(strstr(t, "Ortiz") - t)),
                 "a comma at the end of a long line runs on into the indented line below");
    cr_assert_neq(note_sentence_at(n, (size_t)(strstr(t, "Next item") - t)),
                  note_sentence_at(n, (size_t)(strstr(t, "Neurosurgery") - t)),
                  "a list mark starts an item of its own");
    note_free(n);
}

Test(note, leader_dots_and_dosing_abbreviations)
{
    note *n = load("Residual aspirated ........ 3.6 mL\n"
                   "Protonix 40 mg b.i.d.  Dulcolax suppository as needed. A 38 y.o. woman.");
    const char *t = n->text;
    cr_assert_eq(note_sentence_at(n, (size_t)(strstr(t, "3.6") - t)),
                 note_sentence_at(n, (size_t)(strstr(t, "Residual") - t)),
                 "leader dots join a label to its value");
    cr_assert_neq(note_sentence_at(n, (size_t)(strstr(t, "Dulcolax") - t)),
                  note_sentence_at(n, (size_t)(strstr(t, "Protonix") - t)),
                  "b.i.d. closes an order");
    cr_assert_eq(note_sentence_at(n, (size_t)(strstr(t, "woman") - t)),
                 note_sentence_at(n, (size_t)(strstr(t, "A 38") - t)));
    note_free(n);
}

Test(note, a_stray_latin1_byte_in_utf8_text_is_repaired_alone)
{
    const char *s = "Caf\xe9 visit: baclofen 50 \xc2\xb5g/day, 45-year-old.";
    note *n = load(s);
    cr_assert(n->flags & NOTE_LATIN1);
    cr_assert_eq(n->nmarks, 1u, "only the stray byte is repaired");
    const char *mu = strstr(n->text, "\xc2\xb5g");
    cr_assert_not_null(mu, "valid UTF-8 around it is kept as it is");
    const char *age = strstr(n->text, "45-year-old");
    size_t off = note_file_offset(n, (size_t)(age - n->text));
    cr_assert(strncmp(s + off, "45-year-old", 11) == 0, "offsets map back to the file");
    cr_assert_eq(note_file_offset(n, 3), 3u);
    cr_assert_eq(note_file_offset(n, 4), 3u, "both bytes of the repaired character are its byte");
    cr_assert_eq(note_file_offset(n, 5), 4u);
    note_free(n);
}

Test(note, a_forms_question_and_its_boxes_are_one_sentence)
{
    note *n = load("4. Request is for dystonia?      [ ] Yes  [X] No\n"
                   "5. Intrathecal bolus performed\n        [ ] Yes  [X] No\n"
                   "6. Trial done?\n        [X] Yes  [ ] No\n");
    const char *t = n->text;
    cr_assert_eq(note_sentence_at(n, (size_t)(strstr(t, "[X] No") - t)),
                 note_sentence_at(n, (size_t)(strstr(t, "dystonia") - t)));
    cr_assert_eq(note_sentence_at(n, (size_t)(strstr(t, "        [ ] Yes  [X] No") - t) + 8),
                 note_sentence_at(n, (size_t)(strstr(t, "bolus") - t)));
    cr_assert_eq(note_sentence_at(n, (size_t)(strstr(t, "[X] Yes") - t)),
                 note_sentence_at(n, (size_t)(strstr(t, "Trial done") - t)));
    note_free(n);
}

Test(note, a_heading_in_plain_case_set_apart_above_its_list)
{
    note *n = load("Current medications\n1. Levetiracetam 750 mg BID\n\n"
                   "Discontinued medications\n- Oxcarbazepine 300 mg BID (rash)\n\n"
                   "She stopped meds\nlast spring.\n\nDiscontinued medications\n\n"
                   "- Topiramate 50 mg\n");
    const char *t = n->text;
    const note_section *s = note_section_at(n, (size_t)(strstr(t, "Oxcarbazepine") - t));
    cr_assert_not_null(s);
    cr_assert_str_eq(s->kind, "past_medications");
    cr_assert_eq(s->context, NOTE_SECTION_HISTORICAL);
    s = note_section_at(n, (size_t)(strstr(t, "Levetiracetam") - t));
    cr_assert(s && s->context == NOTE_SECTION_PLAIN);
    /* prose is no heading, and a heading needs its list right below it */
    s = note_section_at(n, (size_t)(strstr(t, "last spring") - t));
    cr_assert(!s || s->context == NOTE_SECTION_PLAIN);
    s = note_section_at(n, (size_t)(strstr(t, "Topiramate") - t));
    cr_assert(!s || s->context == NOTE_SECTION_PLAIN);
    note_free(n);
}
