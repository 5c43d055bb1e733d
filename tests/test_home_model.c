/* test_home_model.c: home reaches every item of a large library, with nothing capped.
 *
 * Usage: test_home_model DIR. Writes a generated library into DIR at run time (70 packs holding 1,000
 * topics: one pack with 540 items in its pack.json, one with 101 included files, 68 small ones sharing
 * 10 sections of their own), loads it as the app does and checks that the home model (which the home
 * screen draws and --list-items prints) has every topic exactly once, in its section. DIR is left for
 * the test home_lists_what_list_items_lists, which runs the real binary over it.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "home_model.h"
#include "library.h"

#define PACKS 70
#define TOPICS 1000

static const char *root;

/* One topic; `section` NULL leaves it in the default section ("care"). */
static void write_topic(FILE *f, int pack, int topic, const char *section, bool last)
{
    fprintf(f,
            "    {\"id\": \"p%02d-t%04d\", \"type\": \"topic\", \"title\": \"Topic %d of pack %d\", \"summary\": "
            "\"A short summary of topic %d.\", \"order\": %d,%s%s%s \"slides\": [{\"heading\": \"A heading\", "
            "\"body\": \"Some words for the slide.\"}]}%s\n",
            pack, topic, topic + 1, pack, topic + 1, topic, section ? " \"section\": \"" : "", section ? section : "",
            section ? "\"," : "", last ? "" : ",");
}

static FILE *open_file(const char *dir, const char *name)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    return f;
}

static void write_manifest_start(FILE *f, int pack)
{
    fprintf(f, "{\n  \"format\": 1, \"id\": \"pack-%02d\", \"title\": \"Pack %d\", \"version\": \"1.0\", \"language\": "
               "\"en\",\n  \"author\": \"Blue Align Chiropractic\", \"updated\": \"2026-11-01\",\n", pack, pack);
}

/* Pack `pack` with `count` topics, in pack.json or (when `split`) one included file each. */
static void write_pack(int pack, int count, bool split, const char *section)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/pack-%02d", root, pack);
    mkdir(dir, 0755);
    FILE *f = open_file(dir, "pack.json");
    if (!f)
        return;
    write_manifest_start(f, pack);
    if (section)
        fprintf(f, "  \"sections\": [{\"id\": \"%s\", \"title\": \"Group %s\", \"order\": 25, \"icon\": \"chair\"}],\n",
                section, section + 6);
    if (split) {
        fprintf(f, "  \"include\": [");
        for (int t = 0; t < count; t++)
            fprintf(f, "%s\"part-%03d.json\"", t ? ", " : "", t);
        fprintf(f, "]\n}\n");
        for (int t = 0; t < count; t++) {
            char name[32];
            snprintf(name, sizeof name, "part-%03d.json", t);
            FILE *part = open_file(dir, name);
            if (!part)
                continue;
            fprintf(part, "{\"items\": [\n");
            write_topic(part, pack, t, NULL, true);
            fprintf(part, "]}\n");
            fclose(part);
        }
    } else {
        fprintf(f, "  \"items\": [\n");
        for (int t = 0; t < count; t++)
            write_topic(f, pack, t, section, t == count - 1);
        fprintf(f, "  ]\n}\n");
    }
    fclose(f);
}

static void generate(void)
{
    mkdir(root, 0755);
    write_pack(0, 540, false, NULL);   /* past the 500 a file once held */
    write_pack(1, 101, true, NULL);    /* past the 100 includes a pack once held */
    int left = TOPICS - 540 - 101;      /* 359 over 68 packs: 19 of 6, 49 of 5 */
    for (int p = 2; p < PACKS; p++) {
        int count = p - 2 < 19 ? 6 : 5;
        char section[16];
        snprintf(section, sizeof section, "group-%d", p % 10);
        write_pack(p, count, false, section);
        left -= count;
    }
    CHECK_INT(left, 0);
}

static int compare_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void home_should_show_every_one_of_a_thousand_topics_from_seventy_packs(void)
{
    generate();
    const char *folders[] = {root};
    Library *library = library_load(folders, 1);
    char line[2048];
    for (size_t i = 0; i < library->problems.count; i++) {
        problem_format(&library->problems.items[i], line, sizeof line);
        fprintf(stderr, "unexpected problem: %s\n", line);
    }
    CHECK_INT(library->problems.count, 0);
    CHECK_INT(library->pack_count, PACKS);
    CHECK_INT(library->pack_count > 1 ? library->packs[0]->item_count : 0, 540);
    CHECK_INT(library->pack_count > 1 ? library->packs[1]->item_count : 0, 101);

    int n = 0;
    const Pack **packs = library_select_all(library, "en", &n);
    CHECK_INT(n, PACKS);
    HomeModel home;
    CHECK(home_model_build(&home, packs, n, NULL, 0));
    CHECK_INT(home.tile_count, TOPICS);
    CHECK_INT(home_model_visible_sections(&home), 11); /* care and the 10 groups */

    /* Every generated topic exactly once, and each tile inside its section's run. */
    char **refs = calloc(TOPICS, sizeof *refs);
    int count = 0;
    for (int s = 0; s < home.section_count && refs; s++) {
        const HomeSection *sec = &home.sections[s];
        for (int t = sec->first_tile; t < sec->first_tile + sec->tile_count && count < TOPICS; t++) {
            CHECK_STR(home.tiles[t].item->section, sec->id);
            refs[count] = malloc(64);
            if (refs[count])
                snprintf(refs[count++], 64, "%s/%s", home.tiles[t].pack->id, home.tiles[t].item->id);
        }
    }
    CHECK_INT(count, TOPICS);
    if (refs && count == TOPICS) {
        qsort(refs, TOPICS, sizeof *refs, compare_text);
        for (int i = 1; i < TOPICS; i++)
            CHECK(strcmp(refs[i - 1], refs[i]) != 0);
    }
    for (int i = 0; refs && i < count; i++)
        free(refs[i]);
    free(refs);
    home_model_free(&home);
    free(packs);
    library_free(library);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_home_model DIR\n");
        return 2;
    }
    root = argv[1];
    RUN(home_should_show_every_one_of_a_thousand_topics_from_seventy_packs);
    return CHECK_SUMMARY();
}
