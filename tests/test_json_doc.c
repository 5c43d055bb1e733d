/* test_json_doc.c: the strict JSON layer: positions of values and keys, and the advice given for the
 * mistakes people make when editing JSON by hand. */
#include <stdlib.h>

#include "check.h"
#include "json_doc.h"

/* Parses `text` and returns the single problem message formatted, or "" when it parsed. */
static const char *first_problem(const char *text, size_t len)
{
    static char out[1024];
    ProblemList problems;
    problems_init(&problems);
    JsonDoc *doc = json_doc_parse("f.json", text, len, &problems);
    out[0] = '\0';
    if (problems.count)
        problem_format(&problems.items[0], out, sizeof out);
    json_doc_free(doc);
    problems_free(&problems);
    return out;
}

#define PROBLEM_OF(literal) first_problem(literal, sizeof(literal) - 1)

static void positions_should_point_at_values_and_keys(void)
{
    const char *text = "{\n  \"a\": 1,\n  \"list\": [\n    {\"b\": \"x\"}, true\n  ]\n}\n";
    ProblemList problems;
    problems_init(&problems);
    JsonDoc *doc = json_doc_parse("f.json", text, strlen(text), &problems);
    CHECK(doc != NULL);
    CHECK_INT(problems.count, 0);
    const cJSON *root = json_doc_root(doc);
    int line, col;
    json_doc_position(doc, root, &line, &col);
    CHECK_INT(line, 1);
    CHECK_INT(col, 1);
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, "a");
    json_doc_position(doc, a, &line, &col);
    CHECK_INT(line, 2);
    CHECK_INT(col, 8);
    json_doc_key_position(doc, a, &line, &col);
    CHECK_INT(line, 2);
    CHECK_INT(col, 3);
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "list");
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(list, 0), "b");
    json_doc_position(doc, b, &line, &col);
    CHECK_INT(line, 4);
    CHECK_INT(col, 11);
    json_doc_position(doc, cJSON_GetArrayItem(list, 1), &line, &col);
    CHECK_INT(line, 4);
    CHECK_INT(col, 17);
    json_doc_free(doc);
    problems_free(&problems);
}

static void columns_should_count_characters_not_bytes(void)
{
    const char *text = "{\"t\": \"é\", \"u\": 2}";
    ProblemList problems;
    problems_init(&problems);
    JsonDoc *doc = json_doc_parse("f.json", text, strlen(text), &problems);
    int line, col;
    json_doc_position(doc, cJSON_GetObjectItemCaseSensitive(json_doc_root(doc), "u"), &line, &col);
    CHECK_INT(col, 17);
    json_doc_free(doc);
    problems_free(&problems);
}

static void duplicate_keys_should_each_get_their_own_position(void)
{
    const char *text = "{\"k\": 1,\n \"k\": 2}";
    ProblemList problems;
    problems_init(&problems);
    JsonDoc *doc = json_doc_parse("f.json", text, strlen(text), &problems);
    const cJSON *second = json_doc_root(doc)->child->next;
    int line, col;
    json_doc_key_position(doc, second, &line, &col);
    CHECK_INT(line, 2);
    CHECK_INT(col, 2);
    json_doc_free(doc);
    problems_free(&problems);
}

static void a_byte_order_mark_should_be_accepted(void)
{
    CHECK_STR(PROBLEM_OF("\xEF\xBB\xBF{\"a\": 1}"), "");
}

static void trailing_comma_should_point_at_the_comma(void)
{
    CHECK_STR(PROBLEM_OF("{\n  \"a\": 1,\n}"),
              "f.json:2:9: error: remove this comma: JSON does not allow a comma after the last entry of a "
              "list or object");
}

static void missing_comma_should_point_after_the_previous_entry(void)
{
    CHECK_STR(PROBLEM_OF("{\n  \"a\": \"x\"\n  \"b\": 2\n}"),
              "f.json:2:11: error: a comma , is missing here, between two entries");
}

static void curly_quotes_should_be_explained(void)
{
    CHECK_STR(PROBLEM_OF("{\"a\": \xE2\x80\x9Chello\xE2\x80\x9D}"),
              "f.json:1:7: error: this is a curly quote, which word processors put in; JSON needs plain "
              "straight quotes \". Retype the quote, or edit the file in a plain-text editor");
}

static void comments_should_be_explained(void)
{
    CHECK_STR(PROBLEM_OF("{\n// note\n\"a\": 1}"),
              "f.json:2:1: error: JSON does not allow comments. Remove it, or keep the note in a key whose "
              "name starts with \"x-\", like \"x-note\": \"...\"");
}

static void unquoted_keys_and_text_should_be_explained(void)
{
    CHECK_STR(PROBLEM_OF("{title: 1}"), "f.json:1:2: error: key names need double quotes around them, like \"title\"");
    CHECK_STR(PROBLEM_OF("{\"a\": hello}"),
              "f.json:1:7: error: text needs double quotes around it, like \"Sit tall\" (only numbers, true, "
              "false and null go without quotes)");
    CHECK_STR(PROBLEM_OF("{'a': 1}"), "f.json:1:2: error: JSON needs double quotes \" around text, not single quotes '");
}

static void unclosed_text_and_brackets_should_name_where_they_open(void)
{
    CHECK_STR(PROBLEM_OF("{\"a\": [1, 2\n"),
              "f.json:1:7: error: the [ opened at line 1, column 7 is never closed; add a ]");
    CHECK_STR(PROBLEM_OF("{\"a\": \"open"), "f.json:1:7: error: this text has no closing quote \"; add one where the text ends");
}

static void line_breaks_inside_text_should_be_refused(void)
{
    CHECK_STR(PROBLEM_OF("{\"a\": \"one\ntwo\"}"),
              "f.json:1:11: error: a line break inside text is not allowed in JSON; keep the text on one "
              "line, or make a list of paragraphs [\"...\", \"...\"]");
}

static void numbers_with_units_should_be_explained(void)
{
    CHECK_STR(PROBLEM_OF("{\"a\": 30s}"), "f.json:1:7: error: numbers are written without units or letters: write 30, not 30s");
    CHECK_STR(PROBLEM_OF("{\"a\": 07}"), "f.json:1:7: error: a number cannot start with 0 followed by more digits; write 7, not 07");
}

static void nul_bytes_and_bad_utf8_should_be_refused_with_their_position(void)
{
    CHECK_STR(PROBLEM_OF("{\"a\":\n \"x\0\"}"),
              "f.json:2:4: error: the file contains a NUL (zero) byte, so it is not plain text; it may be "
              "damaged. Save it again from a text editor");
    CHECK_STR(PROBLEM_OF("{\"a\": \"caf\xE9\"}"),
              "f.json:1:11: error: this text is not valid UTF-8 (byte 0xE9); save the file with the UTF-8 "
              "encoding (in most editors: Save As, then Encoding: UTF-8)");
    CHECK_STR(PROBLEM_OF("{\"a\": \"\xED\xA0\x80\"}"),
              "f.json:1:8: error: this text is not valid UTF-8 (byte 0xED); save the file with the UTF-8 "
              "encoding (in most editors: Save As, then Encoding: UTF-8)");
}

static void empty_files_and_trailing_text_should_be_refused(void)
{
    CHECK_STR(PROBLEM_OF("  \n"),
              "f.json: error: the file is empty; a pack file holds one JSON object, starting with { and "
              "ending with }");
    CHECK_STR(PROBLEM_OF("{\"a\": 1}\n}"),
              "f.json:2:1: error: there is more text after the end of the JSON; everything must be inside "
              "the outer { }");
}

static void deep_nesting_should_be_refused_not_overflow_the_stack(void)
{
    size_t depth = 100000;
    char *text = malloc(depth * 2 + 1);
    memset(text, '[', depth);
    memset(text + depth, ']', depth);
    text[depth * 2] = '\0';
    CHECK_STR(first_problem(text, depth * 2), "f.json:1:65: error: the JSON is nested too deeply");
    free(text);
}

static void every_prefix_of_a_document_should_be_handled(void)
{
    /* Truncated files, as left by an interrupted copy, must give a message and never crash. */
    const char *text = "{\"a\": [1, 2.5e3, -0.5, true, false, null, \"t\\u00e9\\n\"], \"b\": {\"c\": {}}}";
    size_t len = strlen(text);
    int refused = 0;
    for (size_t n = 0; n < len; n++)
        refused += first_problem(text, n)[0] != '\0';
    CHECK_INT(refused, (int)len);
    CHECK_STR(first_problem(text, len), "");
}

int main(void)
{
    RUN(positions_should_point_at_values_and_keys);
    RUN(columns_should_count_characters_not_bytes);
    RUN(duplicate_keys_should_each_get_their_own_position);
    RUN(a_byte_order_mark_should_be_accepted);
    RUN(trailing_comma_should_point_at_the_comma);
    RUN(missing_comma_should_point_after_the_previous_entry);
    RUN(curly_quotes_should_be_explained);
    RUN(comments_should_be_explained);
    RUN(unquoted_keys_and_text_should_be_explained);
    RUN(unclosed_text_and_brackets_should_name_where_they_open);
    RUN(line_breaks_inside_text_should_be_refused);
    RUN(numbers_with_units_should_be_explained);
    RUN(nul_bytes_and_bad_utf8_should_be_refused_with_their_position);
    RUN(empty_files_and_trailing_text_should_be_refused);
    RUN(deep_nesting_should_be_refused_not_overflow_the_stack);
    RUN(every_prefix_of_a_document_should_be_handled);
    return CHECK_SUMMARY();
}
