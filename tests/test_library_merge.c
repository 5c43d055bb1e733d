/* test_library_merge.c: what a live reload shows. A pack whose new version breaks keeps its last good
 * version on screen, with a warning; a pack whose folder went away, was renamed or was added shows
 * exactly as the fresh load has it; and a pack that is broken on the very first load is simply absent.
 *
 * Each test builds its own content folder under /tmp (mkdtemp) from small packs written as strings,
 * so the fixtures can be broken, renamed and deleted between two loads.
 */
#define _XOPEN_SOURCE 700 /* mkdtemp, nftw */
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "library.h"

#define WARNING_TAIL "the new version of this pack has errors (see above), so the last good version (version %s) is still shown"

static char root[64];

static void make_root(void)
{
    snprintf(root, sizeof root, "/tmp/ba-merge-XXXXXX");
    CHECK(mkdtemp(root) != NULL);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path);
}

static void remove_tree(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs(text, f);
    fclose(f);
}

/* A small valid pack: one breathing routine. */
static void write_pack(const char *folder, const char *id, const char *language, const char *title,
                       const char *version)
{
    char dir[256], manifest[300], text[2048];
    snprintf(dir, sizeof dir, "%s/%s", root, folder);
    mkdir(dir, 0755);
    snprintf(manifest, sizeof manifest, "%s/pack.json", dir);
    snprintf(text, sizeof text,
             "{\n"
             "  \"format\": 1,\n"
             "  \"id\": \"%s\",\n"
             "  \"title\": \"%s\",\n"
             "  \"version\": \"%s\",\n"
             "  \"language\": \"%s\",\n"
             "  \"author\": \"Blue Align Chiropractic\",\n"
             "  \"updated\": \"2026-10-15\",\n"
             "  \"items\": [\n"
             "    {\n"
             "      \"id\": \"slow-breathing\",\n"
             "      \"type\": \"breathing\",\n"
             "      \"title\": \"Slow breathing\",\n"
             "      \"before_you_start\": [\"Breathe gently; never strain.\"],\n"
             "      \"steps\": [\n"
             "        {\n"
             "          \"type\": \"breathe\",\n"
             "          \"name\": \"Six breaths a minute\",\n"
             "          \"phases\": [{ \"breath\": \"in\", \"seconds\": 4 }, { \"breath\": \"out\", \"seconds\": 6 }],\n"
             "          \"cycles\": 6\n"
             "        }\n"
             "      ]\n"
             "    }\n"
             "  ]\n"
             "}\n",
             id, title, version, language);
    write_file(manifest, text);
}

static void break_pack(const char *folder)
{
    char manifest[300];
    snprintf(manifest, sizeof manifest, "%s/%s/pack.json", root, folder);
    write_file(manifest, "{ \"format\": 1, \"id\": \"oops\", ");
}

static char *path_of(const char *folder)
{
    static char path[300];
    snprintf(path, sizeof path, "%s/%s", root, folder);
    return path;
}

static Library *load(void)
{
    const char *folders[] = {root};
    Library *library = library_load(folders, 1);
    CHECK(library != NULL);
    return library;
}

/* Loads the folder again and merges it with `previous`, which is freed; returns the new library. */
static Library *reload(Library *previous)
{
    Library *fresh = load();
    library_merge(fresh, previous);
    library_free_after_merge(previous);
    return fresh;
}

static const Pack *find(const Library *library, const char *id, int *index)
{
    for (int i = 0; i < library->pack_count; i++)
        if (strcmp(library->packs[i]->id, id) == 0) {
            if (index)
                *index = i;
            return library->packs[i];
        }
    return NULL;
}

static int count_id(const Library *library, const char *id)
{
    int n = 0;
    for (int i = 0; i < library->pack_count; i++)
        n += strcmp(library->packs[i]->id, id) == 0;
    return n;
}

/* Index of the first problem about `file` with `severity` whose message is `message` (or any message
 * when NULL), or -1. */
static int find_problem(const Library *library, ProblemSeverity severity, const char *file, const char *message)
{
    for (size_t i = 0; i < library->problems.count; i++) {
        const Problem *p = &library->problems.items[i];
        if (p->severity == severity && strcmp(p->file, file) == 0 && (!message || strcmp(p->message, message) == 0))
            return (int)i;
    }
    return -1;
}

static int count_carried(const Library *library)
{
    int n = 0;
    for (int i = 0; i < library->pack_count; i++)
        n += library->carried[i];
    return n;
}

static void print_problems(const Library *library)
{
    for (size_t i = 0; i < library->problems.count; i++) {
        char line[1024];
        problem_format(&library->problems.items[i], line, sizeof line);
        fprintf(stderr, "  problem: %s\n", line);
    }
}

/* Three good packs, a, b and c, in folders of the same names. */
static Library *three_packs(void)
{
    make_root();
    write_pack("a", "pack-a", "en", "Pack A", "1");
    write_pack("b", "pack-b", "en", "Pack B", "1");
    write_pack("c", "pack-c", "en", "Pack C", "1");
    Library *library = load();
    CHECK_INT(library->pack_count, 3);
    CHECK_INT(library->failed_count, 0);
    CHECK_INT(count_carried(library), 0);
    if (library->problems.count)
        print_problems(library);
    CHECK_INT(library->problems.count, 0);
    return library;
}

static void small_test_packs_should_load_cleanly(void)
{
    Library *library = three_packs();
    CHECK_STR(library->packs[0]->id, "pack-a");
    CHECK_STR(library->packs[2]->id, "pack-c");
    library_free(library);
    remove_tree(root);
}

static void a_pack_that_breaks_should_keep_its_last_good_version_with_a_warning(void)
{
    Library *library = three_packs();
    write_pack("a", "pack-a", "en", "Pack A, revised", "2");
    break_pack("b");
    write_pack("c", "pack-c", "en", "Pack C, revised", "2");

    Library *fresh = load();
    CHECK_INT(fresh->pack_count, 2);
    CHECK_INT(fresh->failed_count, 1);
    if (fresh->failed_count == 1)
        CHECK_STR(fresh->failed_dirs[0], path_of("b"));
    library_merge(fresh, library);
    CHECK_INT(library->pack_count, 2); /* the carried pack left the old library */
    library_free_after_merge(library);

    CHECK_INT(fresh->pack_count, 3);
    int a = -1, b = -1, c = -1;
    const Pack *pa = find(fresh, "pack-a", &a), *pb = find(fresh, "pack-b", &b), *pc = find(fresh, "pack-c", &c);
    CHECK(pa && pb && pc);
    if (pa && pb && pc) {
        CHECK_STR(pa->title, "Pack A, revised");
        CHECK_STR(pb->title, "Pack B");
        CHECK_STR(pb->version, "1");
        CHECK_STR(pc->title, "Pack C, revised");
        CHECK(!fresh->carried[a] && fresh->carried[b] && !fresh->carried[c]);
        /* It stays where it was, so the home screen does not reshuffle. */
        CHECK_INT(a, 0);
        CHECK_INT(b, 1);
        CHECK_INT(c, 2);
    }

    char manifest[320], message[300];
    snprintf(manifest, sizeof manifest, "%s/pack.json", path_of("b"));
    snprintf(message, sizeof message, WARNING_TAIL, "1");
    int error = find_problem(fresh, PROBLEM_ERROR, manifest, NULL);
    int warning = find_problem(fresh, PROBLEM_WARNING, manifest, message);
    CHECK(error >= 0);
    CHECK(warning > error); /* "see above" */
    if (warning < 0)
        print_problems(fresh);
    CHECK_INT(problems_count(&fresh->problems, PROBLEM_WARNING), 1);

    library_free(fresh);
    remove_tree(root);
}

static void a_pack_that_stays_broken_should_keep_the_same_good_version_until_fixed(void)
{
    Library *library = three_packs();
    break_pack("b");
    library = reload(library);
    library = reload(library); /* the carried pack is carried again */
    int b = -1;
    const Pack *pb = find(library, "pack-b", &b);
    CHECK(pb != NULL);
    if (pb) {
        CHECK_STR(pb->version, "1");
        CHECK(library->carried[b]);
    }
    CHECK_INT(library->pack_count, 3);

    write_pack("b", "pack-b", "en", "Pack B, fixed", "3");
    library = reload(library);
    pb = find(library, "pack-b", &b);
    CHECK(pb != NULL);
    if (pb) {
        CHECK_STR(pb->title, "Pack B, fixed");
        CHECK(!library->carried[b]);
    }
    CHECK_INT(count_carried(library), 0);
    CHECK_INT(library->problems.count, 0);
    library_free(library);
    remove_tree(root);
}

static void two_broken_packs_should_both_keep_their_places(void)
{
    Library *library = three_packs();
    break_pack("a");
    break_pack("b");
    library = reload(library);
    CHECK_INT(library->pack_count, 3);
    CHECK_INT(count_carried(library), 2);
    if (library->pack_count == 3) {
        CHECK_STR(library->packs[0]->id, "pack-a");
        CHECK_STR(library->packs[1]->id, "pack-b");
        CHECK_STR(library->packs[2]->id, "pack-c");
    }
    CHECK_INT(problems_count(&library->problems, PROBLEM_WARNING), 2);
    library_free(library);
    remove_tree(root);
}

static void a_deleted_pack_folder_should_not_be_carried(void)
{
    Library *library = three_packs();
    remove_tree(path_of("b"));
    library = reload(library);
    CHECK_INT(library->pack_count, 2);
    CHECK(find(library, "pack-b", NULL) == NULL);
    CHECK_INT(library->failed_count, 0);
    CHECK_INT(count_carried(library), 0);
    CHECK_INT(problems_count(&library->problems, PROBLEM_WARNING), 0);
    library_free(library);
    remove_tree(root);
}

static void a_pack_whose_manifest_was_deleted_should_not_be_carried(void)
{
    Library *library = three_packs();
    char manifest[320];
    snprintf(manifest, sizeof manifest, "%s/pack.json", path_of("b"));
    remove(manifest);
    library = reload(library);
    CHECK_INT(library->pack_count, 2);
    CHECK(find(library, "pack-b", NULL) == NULL);
    CHECK_INT(library->failed_count, 0);
    library_free(library);
    remove_tree(root);
}

static void a_renamed_pack_folder_should_show_once_from_its_new_folder(void)
{
    Library *library = three_packs();
    char to[300];
    snprintf(to, sizeof to, "%s/renamed-b", root);
    CHECK_INT(rename(path_of("b"), to), 0);
    library = reload(library);
    CHECK_INT(library->pack_count, 3);
    CHECK_INT(count_id(library, "pack-b"), 1);
    int b = -1;
    const Pack *pb = find(library, "pack-b", &b);
    CHECK(pb != NULL);
    if (pb) {
        CHECK_STR(pb->dir, to);
        CHECK(!library->carried[b]);
    }
    CHECK_INT(library->problems.count, 0);
    library_free(library);
    remove_tree(root);
}

static void an_added_pack_should_appear(void)
{
    Library *library = three_packs();
    write_pack("d", "pack-d", "en", "Pack D", "1");
    library = reload(library);
    CHECK_INT(library->pack_count, 4);
    CHECK(find(library, "pack-d", NULL) != NULL);
    CHECK_INT(count_carried(library), 0);
    library_free(library);
    remove_tree(root);
}

static void a_broken_pack_should_not_be_carried_when_another_folder_now_has_its_id(void)
{
    Library *library = three_packs();
    break_pack("b");
    write_pack("d", "pack-b", "en", "Pack B, moved to d", "2");
    library = reload(library);
    CHECK_INT(library->pack_count, 3);
    CHECK_INT(count_id(library, "pack-b"), 1);
    const Pack *pb = find(library, "pack-b", NULL);
    CHECK(pb && strcmp(pb->title, "Pack B, moved to d") == 0);
    CHECK_INT(count_carried(library), 0);
    library_free(library);
    remove_tree(root);
}

static void a_translation_should_not_stop_the_broken_language_from_being_carried(void)
{
    Library *library = three_packs();
    write_pack("b-fr", "pack-b", "fr", "Paquet B", "1");
    library = reload(library);
    CHECK_INT(library->pack_count, 4);
    break_pack("b");
    library = reload(library);
    CHECK_INT(library->pack_count, 4);
    CHECK_INT(count_id(library, "pack-b"), 2);
    CHECK_INT(count_carried(library), 1);
    library_free(library);
    remove_tree(root);
}

static void a_pack_broken_on_the_first_load_should_simply_be_absent(void)
{
    make_root();
    write_pack("a", "pack-a", "en", "Pack A", "1");
    write_pack("b", "pack-b", "en", "Pack B", "1");
    break_pack("b");
    Library *library = load();
    CHECK_INT(library->pack_count, 1);
    CHECK_INT(library->failed_count, 1);
    library_merge(library, NULL); /* nothing to keep: no previous library */
    CHECK_INT(library->pack_count, 1);
    CHECK(find(library, "pack-b", NULL) == NULL);
    CHECK_INT(problems_count(&library->problems, PROBLEM_WARNING), 0);

    /* ... and so is it on the reload after, while it stays broken. */
    library = reload(library);
    CHECK_INT(library->pack_count, 1);
    CHECK_INT(count_carried(library), 0);
    library_free(library);
    remove_tree(root);
}

static void a_folder_without_a_manifest_should_not_count_as_failed(void)
{
    make_root();
    write_pack("a", "pack-a", "en", "Pack A", "1");
    char empty[300];
    snprintf(empty, sizeof empty, "%s/not-a-pack", root);
    mkdir(empty, 0755);
    Library *library = load();
    CHECK_INT(library->pack_count, 1);
    CHECK_INT(library->failed_count, 0);
    library_free(library);
    remove_tree(root);
}

static void the_same_folder_spelled_differently_should_still_be_carried(void)
{
    Library *library = three_packs();
    break_pack("c");
    char spelled[128];
    snprintf(spelled, sizeof spelled, "%s/.", root); /* packs load as "<root>/./c" */
    const char *folders[] = {spelled};
    Library *fresh = library_load(folders, 1);
    CHECK_INT(fresh->failed_count, 1);
    library_merge(fresh, library);
    library_free_after_merge(library);
    CHECK_INT(fresh->pack_count, 3);
    CHECK_INT(count_carried(fresh), 1);
    const Pack *pc = find(fresh, "pack-c", NULL);
    CHECK(pc && strcmp(pc->version, "1") == 0);
    library_free(fresh);
    remove_tree(root);
}

/* ---- Reloading only the pack folders that changed (library_reload). */

/* Everything a reader or the staff view can see of a library, as one text to compare. */
static void describe(const Library *library, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < library->pack_count && used < size; i++) {
        const Pack *p = library->packs[i];
        used += (size_t)snprintf(out + used, size - used, "pack %s %s %s \"%s\" v%s\n", p->dir, p->id,
                                 p->language, p->title, p->version);
    }
    for (int i = 0; i < library->failed_count && used < size; i++)
        used += (size_t)snprintf(out + used, size - used, "failed %s\n", library->failed_dirs[i]);
    for (size_t i = 0; i < library->problems.count && used < size; i++) {
        char line[1024];
        problem_format(&library->problems.items[i], line, sizeof line);
        used += (size_t)snprintf(out + used, size - used, "%s\n", line);
    }
}

/* Reloads only what is under `changed` and checks the result against a full load of the same files.
 * Returns the partial reload; `previous` is left to the caller. */
static Library *reload_changed(const Library *previous, const char *changed)
{
    const char *folders[] = {root};
    const char *paths[] = {changed};
    Library *partial = library_reload(folders, 1, previous, paths, 1);
    Library *full = load();
    static char want[16384], got[16384];
    describe(full, want, sizeof want);
    describe(partial, got, sizeof got);
    if (strcmp(want, got) != 0)
        fprintf(stderr, "  full load:\n%s  partial reload:\n%s", want, got);
    CHECK_STR(got, want);
    library_free(full);
    return partial;
}

/* The swap the kiosk does: the fresh library takes the packs it shares, then the old one is freed. */
static Library *swap(Library *fresh, Library *previous)
{
    library_merge(fresh, previous);
    library_hand_over(fresh, previous);
    library_free_after_merge(previous);
    return fresh;
}

/* Five pack folders: a, its French translation, b, c with a warning of its own, and d, which repeats
 * b's id and language (so it is not used). */
static Library *five_folders(void)
{
    make_root();
    write_pack("a", "pack-a", "en", "Pack A", "1");
    write_pack("a-fr", "pack-a", "fr", "Paquet A", "1");
    write_pack("b", "pack-b", "en", "Pack B", "1");
    write_pack("c", "pack-c", "en", "Pack C", "1");
    char extra[300];
    snprintf(extra, sizeof extra, "%s/c/notes.json", root);
    write_file(extra, "{}");
    write_pack("d", "pack-b", "en", "Pack B again", "1");
    Library *library = load();
    CHECK_INT(library->pack_count, 4);
    CHECK_INT(library->loaded_count, 5);
    CHECK_INT(library->packs_reused, 0);
    CHECK(find_problem(library, PROBLEM_WARNING, path_of("c/pack.json"), NULL) >= 0);
    CHECK(find_problem(library, PROBLEM_ERROR, path_of("d/pack.json"), NULL) >= 0);
    return library;
}

static void reloading_one_changed_pack_should_reuse_the_other_packs_as_they_are(void)
{
    Library *library = five_folders();
    const Pack *a = find(library, "pack-a", NULL), *b = find(library, "pack-b", NULL);
    const Pack *c = find(library, "pack-c", NULL), *fr = library->packs[1];
    write_pack("a", "pack-a", "en", "Pack A, revised", "2");

    char changed[300];
    snprintf(changed, sizeof changed, "%s/a/pack.json", root);
    Library *fresh = reload_changed(library, changed);
    CHECK(find(fresh, "pack-a", NULL) != a);
    CHECK_STR(find(fresh, "pack-a", NULL)->title, "Pack A, revised");
    CHECK(find(fresh, "pack-b", NULL) == b);
    CHECK(find(fresh, "pack-c", NULL) == c);
    CHECK(fresh->packs[1] == fr);
    /* a-fr, b and c are reused; d is read again, since it was not kept the first time. */
    CHECK_INT(fresh->packs_reused, 3);
    CHECK(find_problem(fresh, PROBLEM_WARNING, path_of("c/pack.json"), NULL) >= 0);
    CHECK(find_problem(fresh, PROBLEM_ERROR, path_of("d/pack.json"), NULL) >= 0);

    library = swap(fresh, library);
    CHECK_STR(find(library, "pack-b", NULL)->title, "Pack B"); /* still there once the old one is freed */
    library_free(library);
    remove_tree(root);
}

static void a_partial_reload_should_equal_a_full_one_whatever_happened_to_the_pack(void)
{
    Library *library = five_folders();
    char changed[300];

    /* Broken: it fails to load, and the swap keeps its last good version. */
    break_pack("b");
    library = swap(reload_changed(library, path_of("b/pack.json")), library);
    CHECK_INT(library->failed_count, 1);
    CHECK(find(library, "pack-b", NULL) != NULL);

    /* Something else changes while b is still broken: b stays failed without being read again. */
    write_pack("c", "pack-c", "en", "Pack C, revised", "2");
    library = swap(reload_changed(library, path_of("c/pack.json")), library);
    CHECK_INT(library->failed_count, 1);
    CHECK_STR(find(library, "pack-c", NULL)->title, "Pack C, revised");

    /* Fixed, and now the duplicate of d comes from b again. */
    write_pack("b", "pack-b", "en", "Pack B, fixed", "2");
    library = swap(reload_changed(library, path_of("b")), library);
    CHECK_INT(library->failed_count, 0);

    /* Renamed: the old folder is gone, the new one is read. */
    snprintf(changed, sizeof changed, "%s/c", root);
    CHECK_INT(rename(changed, path_of("c-renamed")), 0);
    library = swap(reload_changed(library, changed), library);
    CHECK_STR(find(library, "pack-c", NULL)->dir, path_of("c-renamed"));

    /* Deleted: d, which repeats b's id and language, is now the one used. */
    remove_tree(path_of("b"));
    library = swap(reload_changed(library, path_of("b")), library);
    CHECK_STR(find(library, "pack-b", NULL)->title, "Pack B again");

    /* Added, and a picture folder changed (a path deeper than the manifest). */
    write_pack("e", "pack-e", "en", "Pack E", "1");
    library = swap(reload_changed(library, path_of("e")), library);
    library = swap(reload_changed(library, path_of("a/pictures/pose.png")), library);
    CHECK(find(library, "pack-e", NULL) != NULL);

    /* The content folder itself: nothing is reused. */
    Library *fresh = reload_changed(library, root);
    CHECK_INT(fresh->packs_reused, 0);
    library = swap(fresh, library);
    library_free(library);
    remove_tree(root);
}

static void a_changed_path_should_match_the_folder_however_it_is_spelled(void)
{
    Library *library = five_folders();
    const Pack *b = find(library, "pack-b", NULL);
    write_pack("a", "pack-a", "en", "Pack A, revised", "2");
    char changed[300];
    snprintf(changed, sizeof changed, "%s//a//pack.json", root);
    Library *fresh = reload_changed(library, changed);
    CHECK_STR(find(fresh, "pack-a", NULL)->title, "Pack A, revised");
    CHECK(find(fresh, "pack-b", NULL) == b);
    /* A sibling whose name starts the same is another folder. */
    snprintf(changed, sizeof changed, "%s/a-f", root);
    Library *again = reload_changed(fresh, changed);
    CHECK_INT(again->packs_reused, 4);
    library_free_except(again, fresh, NULL);
    library = swap(fresh, library);
    library_free(library);
    remove_tree(root);
}

int main(void)
{
    RUN(small_test_packs_should_load_cleanly);
    RUN(a_pack_that_breaks_should_keep_its_last_good_version_with_a_warning);
    RUN(a_pack_that_stays_broken_should_keep_the_same_good_version_until_fixed);
    RUN(two_broken_packs_should_both_keep_their_places);
    RUN(a_deleted_pack_folder_should_not_be_carried);
    RUN(a_pack_whose_manifest_was_deleted_should_not_be_carried);
    RUN(a_renamed_pack_folder_should_show_once_from_its_new_folder);
    RUN(an_added_pack_should_appear);
    RUN(a_broken_pack_should_not_be_carried_when_another_folder_now_has_its_id);
    RUN(a_translation_should_not_stop_the_broken_language_from_being_carried);
    RUN(a_pack_broken_on_the_first_load_should_simply_be_absent);
    RUN(a_folder_without_a_manifest_should_not_count_as_failed);
    RUN(the_same_folder_spelled_differently_should_still_be_carried);
    RUN(reloading_one_changed_pack_should_reuse_the_other_packs_as_they_are);
    RUN(a_partial_reload_should_equal_a_full_one_whatever_happened_to_the_pack);
    RUN(a_changed_path_should_match_the_folder_however_it_is_spelled);
    return CHECK_SUMMARY();
}
