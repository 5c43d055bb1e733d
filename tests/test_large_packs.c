/* test_large_packs.c: big generated content still gets exact positions in its messages.
 *
 * Positions come from a line index built once per file (so that loading stays linear in the file's
 * size); these tests place a problem at the very end of large files, and on long lines that span
 * several of the index's checkpoints, and check the exact line and column staff would be sent to.
 * How fast loading is, is measured by tools/bench/load.sh, not here.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "json_doc.h"
#include "library.h"

/* A growing text that knows the line it is on. */
typedef struct {
    char *s;
    size_t len, capacity;
    int line;
} Text;

static void text_add(Text *t, const char *piece)
{
    size_t n = strlen(piece);
    if (t->len + n + 1 > t->capacity) {
        t->capacity = (t->len + n + 1) * 2;
        t->s = realloc(t->s, t->capacity);
    }
    memcpy(t->s + t->len, piece, n + 1);
    t->len += n;
    for (const char *p = piece; *p; p++)
        t->line += *p == '\n';
}

static void write_file(const char *path, const Text *t)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
        fwrite(t->s, 1, t->len, f);
        fclose(f);
    }
}

static char *format_first(const ProblemList *problems)
{
    static char out[1024];
    out[0] = '\0';
    if (problems->count)
        problem_format(&problems->items[0], out, sizeof out);
    return out;
}

static void a_problem_at_the_end_of_5000_slides_should_have_its_exact_position(void)
{
    char dir[] = "/tmp/ba-large-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256], expected[512];
    Text t = {0, 0, 0, 1};
    text_add(&t, "{\n\"items\": [\n");
    int bad_line = 0;
    for (int i = 0; i < 500; i++) {
        char piece[256];
        snprintf(piece, sizeof piece,
                 "{\"id\": \"topic-%d\", \"type\": \"topic\", \"title\": \"Topic %d\", \"summary\": \"A topic.\",\n"
                 "\"section\": \"care\", \"slides\": [\n", i, i);
        text_add(&t, piece);
        for (int k = 0; k < 10; k++) {
            bool last = i == 499 && k == 9;
            if (last)
                bad_line = t.line;
            snprintf(piece, sizeof piece, "  {\"heading\": \"Slide %d.%d\", \"body\": \"Sit tall.\"%s}%s\n", i, k,
                     last ? ", \"bodyy\": \"x\"" : "", k < 9 ? "," : "");
            text_add(&t, piece);
        }
        text_add(&t, i < 499 ? "]},\n" : "]}\n");
    }
    text_add(&t, "]\n}\n");
    snprintf(path, sizeof path, "%s/topics.json", dir);
    write_file(path, &t);
    Text manifest = {0, 0, 0, 1};
    text_add(&manifest, "{\"format\": 1, \"id\": \"large\", \"title\": \"Large\", \"version\": \"1.0\", "
                        "\"language\": \"en\", \"author\": \"Blue Align\", \"updated\": \"2026-01-15\", "
                        "\"include\": [\"topics.json\"]}\n");
    char manifest_path[256];
    snprintf(manifest_path, sizeof manifest_path, "%s/pack.json", dir);
    write_file(manifest_path, &manifest);

    ProblemList problems;
    problems_init(&problems);
    Pack *pack = pack_load(dir, &problems);
    CHECK(pack != NULL);
    CHECK_INT(pack ? pack->item_count : 0, 500);
    CHECK_INT(problems.count, 1);
    /* The bad key's quote follows `  {"heading": "Slide 499.9", "body": "Sit tall.", `: column 51. */
    snprintf(expected, sizeof expected,
             "%s:%d:51: warning: items[499].slides[9].bodyy: unknown key \"bodyy\" is ignored; did you mean "
             "\"body\"?",
             path, bad_line);
    CHECK_STR(format_first(&problems), expected);
    pack_free(pack);
    problems_free(&problems);
    unlink(path);
    unlink(manifest_path);
    rmdir(dir);
    free(t.s);
    free(manifest.s);
}

static const char *const no_keys[] = {NULL};

static void a_duplicate_among_20000_keys_should_have_its_exact_position(void)
{
    Text t = {0, 0, 0, 1};
    text_add(&t, "{\n");
    for (int i = 0; i < 20000; i++) {
        char piece[64];
        snprintf(piece, sizeof piece, "\"x-note-%05d\": %d,\n", i, i);
        text_add(&t, piece);
    }
    int last_line = t.line;
    text_add(&t, "  \"x-note-00000\": \"again\", \"name\": 1\n}\n");
    ProblemList problems;
    problems_init(&problems);
    JsonDoc *doc = json_doc_parse("big.json", t.s, t.len, &problems);
    CHECK(doc != NULL);
    if (doc)
        json_doc_check_keys(doc, "big.json", json_doc_root(doc), "", no_keys, &problems);
    CHECK_INT(problems.count, 2);
    char expected[2][300], got[300];
    snprintf(expected[0], sizeof expected[0],
             "big.json:%d:3: warning: x-note-00000: \"x-note-00000\" appears twice in this object; the first one "
             "is used. Remove one of them",
             last_line);
    snprintf(expected[1], sizeof expected[1],
             "big.json:%d:28: warning: name: unknown key \"name\" is ignored. Remove it, or start its name with "
             "\"x-\" to keep it as a note",
             last_line);
    for (size_t i = 0; i < 2 && i < problems.count; i++) {
        problem_format(&problems.items[i], got, sizeof got);
        CHECK_STR(got, expected[i]);
    }
    json_doc_free(doc);
    problems_free(&problems);
    free(t.s);
}

static void columns_on_a_long_line_should_count_characters_across_the_whole_line(void)
{
    /* One line of 3,000 entries, each with a two-byte character, crossing many checkpoints. */
    Text t = {0, 0, 0, 1};
    text_add(&t, "\n[");
    for (int i = 0; i < 3000; i++)
        text_add(&t, i ? ", \"caf\xC3\xA9\"" : "\"caf\xC3\xA9\"");
    text_add(&t, "]\n");
    ProblemList problems;
    problems_init(&problems);
    JsonDoc *doc = json_doc_parse("long.json", t.s, t.len, &problems);
    CHECK(doc != NULL);
    int i = 0, line = 0, col = 0;
    for (const cJSON *e = doc ? json_doc_root(doc)->child : NULL; e; e = e->next, i++) {
        json_doc_position(doc, e, &line, &col);
        if (line != 2 || col != 2 + i * 8) {
            CHECK_INT(line, 2);
            CHECK_INT(col, 2 + i * 8); /* each entry is "café", plus ", ": 8 characters */
            break;
        }
    }
    CHECK_INT(i, 3000);
    json_doc_free(doc);
    problems_free(&problems);
    free(t.s);
}

int main(void)
{
    RUN(a_problem_at_the_end_of_5000_slides_should_have_its_exact_position);
    RUN(a_duplicate_among_20000_keys_should_have_its_exact_position);
    RUN(columns_on_a_long_line_should_count_characters_across_the_whole_line);
    return CHECK_SUMMARY();
}
