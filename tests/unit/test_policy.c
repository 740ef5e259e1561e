/* Policy loader: the installed policies, every kind of invalid file, the
 * XML attacks (XXE, entity expansion, a huge file), code patterns and
 * policy versions. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "codes/codeset.h"
#include "engine/policy.h"

#define SCHEMA "policies/policy.rng"

static policy *load(const char *path, char *err, size_t sz)
{
    return policy_load_file(path, SCHEMA, err, sz);
}

Test(policy, installed_set_has_the_contract_ids)
{
    char err[512];
    policy_set *s = policy_set_load("policies", err, sizeof err);
    cr_assert_not_null(s, "%s", err);
    cr_assert_eq(policy_set_count(s), 3);
    cr_assert_eq(policy_set_warning_count(s), 0, "%s", policy_set_warning(s, 0));
    const policy *ccs = policy_set_find(s, "ccs-nl-05-0612");
    const policy *tufts = policy_set_find(s, "tufts-1035136");
    const policy *cbc = policy_set_find(s, "cbc-mp-1.058");
    cr_assert(ccs && tufts && cbc);
    cr_assert_str_eq(policy_effective(ccs), "2012-06-27");
    cr_assert_str_eq(policy_effective(tufts), "2009-04-06");
    cr_assert_str_eq(policy_effective(cbc), "2025-07-01");
    static const char *implant[] = {"III.A", "III.B", "III.C", "III.C.1",
                                    "III.C.2", "III.D", "A.1", "A.2"};
    const policy_section *sec = policy_section_find(ccs, "implant");
    cr_assert_not_null(sec);
    cr_assert_eq(policy_criterion_count(sec), 8);
    for (size_t i = 0; i < 8; i++)
        cr_assert_str_eq(policy_criterion_id(policy_criterion_at(sec, i)),
                         implant[i]);
    sec = policy_section_find(ccs, "refill");
    cr_assert_eq(policy_criterion_count(sec), 3);
    sec = policy_section_find(tufts, "coverage");
    cr_assert_str_eq(policy_section_logic(sec), "all of (any of (1, 2), 3, L.1)");
    sec = policy_section_find(cbc, "pain");
    cr_assert_str_eq(policy_section_logic(sec),
                     "all of (I.1, I.fda, VIII.dx, VIII.proc)");
    cr_assert_not_null(policy_section_find(cbc, "spasticity"));
    cr_assert_null(policy_section_find(cbc, "implant"));
    policy_set_free(s);
}

Test(policy, covered_codes_as_printed)
{
    char err[512];
    policy *p = load("policies/cbc-mp-1.058.xml", err, sizeof err);
    cr_assert_not_null(p, "%s", err);
    const policy_codes *dx = policy_codes_find(p, "covered-dx");
    cr_assert_not_null(dx);
    cr_assert_eq(policy_codes_size(dx), 71);
    cr_assert(policy_codes_match(dx, "G80.0"));
    cr_assert(policy_codes_match(dx, "g800"));
    cr_assert(policy_codes_match(dx, "G90.522"));
    cr_assert_not(policy_codes_match(dx, "G24.1"));
    const policy_codes *pr = policy_codes_find(p, "covered-proc");
    cr_assert(policy_codes_match(pr, "62362"));
    cr_assert(policy_codes_match(pr, "E0783"));
    cr_assert_not(policy_codes_match(pr, "99601"));
    policy_free(p);
}

/* A policy's own words for a code, where it prints them. */
Test(policy, code_descriptions_as_printed)
{
    char err[512];
    policy *p = load("policies/ccs-nl-05-0612.xml", err, sizeof err);
    cr_assert_not_null(p, "%s", err);
    const policy_codes *rc = policy_codes_find(p, "refill-codes");
    cr_assert_str_eq(policy_codes_entry(rc, 0), "95990");
    cr_assert_str_eq(policy_codes_description(rc, 0),
                     "Refill and maintenance of pump by a non-physician");
    cr_assert_null(policy_codes_description(rc, 99));
    cr_assert_str_eq(policy_code_words(p, "62368"),
                     "Electronic analysis of programmable pump with reprogramming");
    cr_assert_null(policy_code_words(p, "62369"));
    policy_free(p);
    p = load("policies/cbc-mp-1.058.xml", err, sizeof err);
    cr_assert_not_null(p, "%s", err);
    cr_assert_null(policy_code_words(p, "95990"), "CBC prints no words for its CPT codes");
    cr_assert_str_eq(policy_code_words(p, "G80.1"), "Spastic diplegic cerebral palsy");
    policy_free(p);
}

/* The same words name the code wherever it is shown (casereview code,
 * the facts list): only where the table ships no description (CPT). */
Test(policy, the_policies_name_their_cpt_codes)
{
    char err[512];
    policy_set *s = policy_set_load("policies", err, sizeof err);
    cr_assert_not_null(s, "%s", err);
    codes_set *cs = codes_open(".", err, sizeof err);
    cr_assert_not_null(cs, "%s", err);
    cr_assert_gt(policy_set_name_codes(s, cs), 0);
    static codes_info info;
    codes_lookup(cs, "95990", &info);
    cr_assert(info.flags & CODES_F_NAMED);
    cr_assert_str_eq(codes_describe(&info), "as ccs-nl-05-0612 words it: Refill and "
                                            "maintenance of pump by a non-physician");
    codes_lookup(cs, "62369", &info);
    cr_assert_not(info.flags & CODES_F_NAMED, "no policy words 62369: number only");
    codes_lookup(cs, "E0783", &info);
    cr_assert_not(info.flags & CODES_F_NAMED, "HCPCS keeps the CMS description");
    cr_assert(strstr(codes_describe(&info), "Infusion pump system"));
    codes_close(cs);
    policy_set_free(s);
}

Test(policy, code_patterns)
{
    cr_assert(policy_code_pattern_match("62350-62370", "62362"));
    cr_assert_not(policy_code_pattern_match("62350-62370", "62371"));
    cr_assert_not(policy_code_pattern_match("62350-62370", "6236"));
    cr_assert(policy_code_pattern_match("G80.*", "G80.9"));
    cr_assert(policy_code_pattern_match("G80*", "G80.1"));
    cr_assert_not(policy_code_pattern_match("G80.*", "G81.1"));
    cr_assert(policy_code_pattern_match("G35", "g35"));
    cr_assert_not(policy_code_pattern_match("G35", "G35.1"));
    cr_assert(policy_code_pattern_match("G90.511-G90.519", "G90.513"));
}

static void expect_error(const char *file, const char *line_part,
                         const char *what)
{
    char err[512], path[256];
    snprintf(path, sizeof path, "fixtures/policies/%s", file);
    policy *p = load(path, err, sizeof err);
    cr_assert_null(p, "%s loaded but should not", file);
    cr_assert(strstr(err, path), "error names the file: %s", err);
    cr_assert(strstr(err, line_part), "error names the line: %s", err);
    cr_assert(strstr(err, what), "error says what: %s", err);
    cr_assert_null(strchr(err, '\n'), "one line: %s", err);
}

Test(policy, invalid_files_are_named_with_line_and_reason)
{
    expect_error("bad-notwellformed.xml", ":5:", "mismatch");
    expect_error("bad-schema.xml", ":3:", "title");
    expect_error("bad-date.xml", ":5:", "date");
    expect_error("bad-regex.xml", ":11:", "pattern");
    expect_error("bad-listref.xml", ":11:", "nowhere");
    expect_error("bad-duplicate.xml", ":10:", "twice");
    expect_error("bad-ref.xml", ":8:", "ghost");
    expect_error("bad-nul.xml", ":3:", "NUL");
    expect_error("bad-binary.xml", ":1:", "NUL");
}

/* minimal.xml with one change (sed expression), loaded: NULL and the
 * error, or the policy. */
static policy *load_edited(const char *sed, char *err, size_t sz)
{
    char dir[] = "/tmp/casereview-policy-XXXXXX", cmd[1024], path[600];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/edited.xml", dir);
    snprintf(cmd, sizeof cmd, "sed '%s' fixtures/policies/minimal.xml > %s", sed, path);
    cr_assert_eq(system(cmd), 0);
    policy *p = load(path, err, sz);
    unlink(path);
    rmdir(dir);
    return p;
}

/* A code list says what it is; a criterion names the covered list it is
 * about, and the loader holds both to it. */
Test(policy, code_list_roles_and_the_criterion_that_names_one)
{
    char err[512];
    policy *p = load("fixtures/policies/minimal.xml", err, sizeof err);
    cr_assert_not_null(p, "%s", err);
    const policy_codes *dx = policy_codes_find(p, "dx");
    cr_assert_eq(policy_codes_role_of(dx), POLICY_CODES_DIAGNOSES);
    const policy_section *s = policy_section_find(p, "main");
    cr_assert_eq(policy_criterion_codes(policy_criterion_find(s, "dx")), dx);
    cr_assert_null(policy_criterion_codes(policy_criterion_find(s, "age")));
    cr_assert(policy_covers(p, POLICY_CODES_DIAGNOSES, "G80.3"));
    cr_assert_not(policy_covers(p, POLICY_CODES_PROCEDURES, "G80.3"));
    cr_assert(policy_has_covered(p, POLICY_CODES_PROCEDURES));
    policy_free(p);
    p = load("policies/cbc-mp-1.058.xml", err, sizeof err);
    cr_assert_not_null(p, "%s", err);
    cr_assert_not(policy_covers(p, POLICY_CODES_DIAGNOSES, "G80.3"),
                  "G80.3 is only on a selection list (G80.*)");
    cr_assert(policy_codes_match(policy_codes_find(p, "spasticity-dx"), "G80.3"));
    policy_free(p);
    p = load("policies/ccs-nl-05-0612.xml", err, sizeof err);
    cr_assert_not_null(p, "%s", err);
    cr_assert_not(policy_has_covered(p, POLICY_CODES_DIAGNOSES));
    policy_free(p);

    cr_assert_null(load_edited("s/id=\"proc\" role=\"covered-procedures\"/id=\"proc\" "
                               "role=\"covered-diagnoses\"/", err, sizeof err));
    cr_assert(strstr(err, ":13:") && strstr(err, "must be system icd10"), "%s", err);
    cr_assert_null(load_edited("s/codes=\"dx\"/codes=\"nowhere\"/", err, sizeof err));
    cr_assert(strstr(err, ":24:") && strstr(err, "no code list"), "%s", err);
    cr_assert_null(load_edited("s/id=\"dx\" role=\"covered-diagnoses\"/id=\"dx\" "
                               "role=\"selection\"/", err, sizeof err));
    cr_assert(strstr(err, "for selection"), "%s", err);
    cr_assert_null(load_edited("s/ role=\"covered-diagnoses\"//", err, sizeof err));
    cr_assert(strstr(err, ":9:") && strstr(err, "attributes"), "%s", err); /* no role */
}

Test(policy, external_entities_are_refused)
{
    expect_error("xxe.xml", ":2:", "DOCTYPE");
    expect_error("xxe-net.xml", ":2:", "DOCTYPE");
}

Test(policy, entity_expansion_is_refused)
{
    expect_error("billion-laughs.xml", ":2:", "DOCTYPE");
}

Test(policy, missing_file)
{
    char err[512];
    cr_assert_null(load("fixtures/policies/none.xml", err, sizeof err));
    cr_assert(strstr(err, "none.xml") && strstr(err, "cannot open"), "%s", err);
}

Test(policy, a_huge_file_is_refused_without_reading_it_all)
{
    char dir[] = "/tmp/casereview-policy-XXXXXX", path[512], err[512];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/huge.xml", dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    cr_assert(fd >= 0);
    const char *head = "<?xml version=\"1.0\"?>\n<policy>";
    cr_assert(write(fd, head, strlen(head)) > 0);
    cr_assert_eq(ftruncate(fd, (off_t)100 << 20), 0); /* 100 MB */
    close(fd);
    cr_assert_null(load(path, err, sizeof err));
    cr_assert(strstr(err, "limit"), "%s", err);
    unlink(path);
    rmdir(dir);
}

/* A newer version installed beside an older one: find() gives the newest,
 * find_version() keeps the one a case was reviewed under. */
Test(policy, versions)
{
    char dir[] = "/tmp/casereview-policy-XXXXXX", cmd[1024], err[512];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(cmd, sizeof cmd,
             "cp policies/policy.rng %s/ && "
             "sed 's/revision=\"[0-9]*\"/revision=\"1\"/' policies/tufts-1035136.xml > %s/a.xml && "
             "sed 's/revision=\"[0-9]*\"/revision=\"2\"/' policies/tufts-1035136.xml > %s/b.xml",
             dir, dir, dir);
    cr_assert_eq(system(cmd), 0);
    policy_set *s = policy_set_load(dir, err, sizeof err);
    cr_assert_not_null(s, "%s", err);
    cr_assert_eq(policy_set_count(s), 2);
    const policy *p = policy_set_find(s, "tufts-1035136");
    cr_assert_eq(policy_revision(p), 2);
    cr_assert_str_eq(policy_version(p), "2009-04-06r2");
    const policy *old = policy_set_find_version(s, "tufts-1035136", "2009-04-06r1");
    cr_assert_not_null(old);
    cr_assert_eq(policy_revision(old), 1);
    cr_assert_null(policy_set_find_version(s, "tufts-1035136", "2010-01-01r1"));
    policy_set_free(s);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

/* A bad file does not take the good ones down: they load, and the bad
 * one is a warning naming the file, its line and what is wrong. */
Test(policy, a_bad_file_in_the_directory_is_a_warning_and_the_rest_load)
{
    char dir[] = "/tmp/casereview-policy-XXXXXX", cmd[1024], err[512];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(cmd, sizeof cmd,
             "cp policies/policy.rng policies/*.xml %s/ && "
             "cp fixtures/policies/bad-schema.xml %s/aa-bad.xml && "
             "cp fixtures/policies/bad-regex.xml %s/zz-bad.xml", dir, dir, dir);
    cr_assert_eq(system(cmd), 0);
    policy_set *s = policy_set_load(dir, err, sizeof err);
    cr_assert_not_null(s, "%s", err);
    cr_assert_eq(policy_set_count(s), 3, "the good policies still load");
    cr_assert_not_null(policy_set_find(s, "ccs-nl-05-0612"));
    cr_assert_not_null(policy_set_find(s, "tufts-1035136"));
    cr_assert_not_null(policy_set_find(s, "cbc-mp-1.058"));
    cr_assert_eq(policy_set_warning_count(s), 2);
    const char *w0 = policy_set_warning(s, 0), *w1 = policy_set_warning(s, 1);
    cr_assert(strstr(w0, "/aa-bad.xml:3:") && strstr(w0, "title"), "%s", w0);
    cr_assert(strstr(w1, "/zz-bad.xml:11:") && strstr(w1, "pattern"), "%s", w1);
    cr_assert_null(policy_set_warning(s, 2));
    policy_set_free(s);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
    /* only an unreadable folder fails the set */
    cr_assert_null(policy_set_load("fixtures/no-such-folder", err, sizeof err));
    cr_assert(strstr(err, "no-such-folder: cannot open"), "%s", err);
}

/* The same version (id, effective, revision) in two files: the first in
 * name order wins, the second is refused naming both. */
Test(policy, a_duplicate_version_is_refused_naming_both_files)
{
    char dir[] = "/tmp/casereview-policy-XXXXXX", cmd[1024], err[512];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(cmd, sizeof cmd,
             "cp policies/policy.rng %s/ && "
             "sed 's/revision=\"[0-9]*\"/revision=\"1\"/' policies/tufts-1035136.xml > %s/a.xml && "
             "sed 's/Tufts Health Plan will not/Tufts will not/' %s/a.xml > %s/b.xml",
             dir, dir, dir, dir);
    cr_assert_eq(system(cmd), 0);
    for (int by_id = 0; by_id < 2; by_id++) {
        policy_set *s = by_id ? policy_set_load_id(dir, "tufts-1035136", err, sizeof err)
                              : policy_set_load(dir, err, sizeof err);
        cr_assert_not_null(s, "%s", err);
        cr_assert_eq(policy_set_count(s), 1);
        cr_assert(strstr(policy_path(policy_set_at(s, 0)), "/a.xml"));
        cr_assert_eq(policy_set_warning_count(s), 1);
        const char *w = policy_set_warning(s, 0);
        cr_assert(strstr(w, "/b.xml") && strstr(w, "/a.xml") &&
                  strstr(w, "2009-04-06r1"), "%s", w);
        policy_set_free(s);
    }
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

/* Damaged files (bytes changed, cut, markup inserted) load or fail with a
 * message naming the file; never a crash (run under the sanitizers). */
Test(policy, damaged_files_fail_cleanly)
{
    FILE *f = fopen("fixtures/policies/minimal.xml", "rb");
    cr_assert_not_null(f);
    static char orig[16384], buf[17000];
    size_t n = fread(orig, 1, sizeof orig, f);
    fclose(f);
    char dir[] = "/tmp/casereview-policy-XXXXXX", path[512], err[512];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/damaged.xml", dir);
    static const char *ins[] = {"<", ">", "\"", "&amp;", "(", "\\", "(?&lt;t&gt;",
                                "<criterion id=\"x\" label=\"x\" short=\"x\"><text>t</text></criterion>"};
    unsigned seed = 12345;
    for (int it = 0; it < 200; it++) {
        memcpy(buf, orig, n);
        size_t len = n;
        for (int k = 0; k < 1 + it % 6; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t p = (seed >> 8) % len;
            int op = (int)((seed >> 4) % 3);
            if (op == 0) {
                buf[p] = (char)(seed >> 16);
            } else if (op == 1 && len > 50) {
                size_t cut = 1 + (seed >> 20) % 30;
                if (p + cut > len)
                    cut = len - p;
                memmove(buf + p, buf + p + cut, len - p - cut);
                len -= cut;
            } else {
                const char *s = ins[(seed >> 12) % 8];
                size_t sl = strlen(s);
                if (len + sl < sizeof buf) {
                    memmove(buf + p + sl, buf + p, len - p);
                    memcpy(buf + p, s, sl);
                    len += sl;
                }
            }
        }
        FILE *o = fopen(path, "wb");
        cr_assert_not_null(o);
        fwrite(buf, 1, len, o);
        fclose(o);
        policy *pl = load(path, err, sizeof err);
        if (pl)
            policy_free(pl);
        else
            cr_assert(strstr(err, path), "iteration %d: %s", it, err);
    }
    unlink(path);
    rmdir(dir);
}

/* One check loads only the policy it needs; listing loads (and checks)
 * everything. */
Test(policy, load_by_id_reads_only_that_policy)
{
    char dir[] = "/tmp/casereview-policy-XXXXXX", cmd[1024], err[512];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(cmd, sizeof cmd,
             "cp policies/policy.rng policies/*.xml %s/ && "
             "cp fixtures/policies/bad-schema.xml %s/zz-bad.xml", dir, dir);
    cr_assert_eq(system(cmd), 0);
    policy_set *all = policy_set_load(dir, err, sizeof err);
    cr_assert_not_null(all, "%s", err);
    cr_assert_eq(policy_set_warning_count(all), 1);
    cr_assert(strstr(policy_set_warning(all, 0), "zz-bad.xml"), "%s",
              policy_set_warning(all, 0));
    policy_set_free(all);
    policy_set *s = policy_set_load_id(dir, "tufts-1035136", err, sizeof err);
    cr_assert_not_null(s, "%s", err);
    cr_assert_eq(policy_set_count(s), 1);
    cr_assert_eq(policy_set_warning_count(s), 0, "another policy's file is not read");
    cr_assert_not_null(policy_set_find(s, "tufts-1035136"));
    cr_assert_null(policy_set_find(s, "ccs-nl-05-0612"));
    policy_set_free(s);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

/* A pattern may name a shared concept (policies/concepts.tsv) as @name@;
 * the one beside the policy file wins over the installed one, and an
 * unknown name is an error that names the file and the line. */
Test(policy, concepts_named_in_patterns)
{
    char dir[] = "/tmp/casereview-concepts-XXXXXX", cmd[1024], path[600], err[512];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/concepts.tsv", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("# test\nchair\twheel ?chair|power chair\nchair_user\tuses (?:a )?@chair@\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/p.xml", dir);
    snprintf(cmd, sizeof cmd,
             "sed 's/re=\"(?&lt;t&gt;wheelchair)\"/re=\"(?\\&lt;t\\&gt;@chair_user@)\"/' "
             "fixtures/policies/minimal.xml > %s", path);
    cr_assert_eq(system(cmd), 0);
    policy *p = load(path, err, sizeof err);
    cr_assert_not_null(p, "%s", err);
    policy_free(p);
    snprintf(cmd, sizeof cmd, "sed -i 's/@chair_user@/@no_such_concept@/' %s", path);
    cr_assert_eq(system(cmd), 0);
    cr_assert_null(load(path, err, sizeof err));
    cr_assert(strstr(err, "p.xml:") && strstr(err, "unknown concept @no_such_concept@"), "%s", err);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}
