/* test_problems.c: the printed form of a problem, which editors and staff rely on. */
#include "check.h"
#include "problems.h"

static void a_problem_should_print_as_file_line_col_severity_path_message(void)
{
    ProblemList list;
    problems_init(&list);
    problems_add(&list, PROBLEM_ERROR, "p/pack.json", 12, 5, "items[2].title", "\"%s\" is missing", "title");
    problems_add(&list, PROBLEM_WARNING, "p/pack.json", 0, 0, "", "whole-file note");
    char out[256];
    problem_format(&list.items[0], out, sizeof out);
    CHECK_STR(out, "p/pack.json:12:5: error: items[2].title: \"title\" is missing");
    problem_format(&list.items[1], out, sizeof out);
    CHECK_STR(out, "p/pack.json: warning: whole-file note");
    CHECK_INT(problems_count(&list, PROBLEM_ERROR), 1);
    CHECK_INT(problems_count(&list, PROBLEM_WARNING), 1);
    problems_free(&list);
}

static void taking_problems_should_move_them_in_order(void)
{
    ProblemList a, b;
    problems_init(&a);
    problems_init(&b);
    problems_add(&a, PROBLEM_ERROR, "a", 1, 1, "", "first");
    for (int i = 0; i < 40; i++)
        problems_add(&b, PROBLEM_WARNING, "b", i + 1, 1, "", "n%d", i);
    problems_take(&a, &b);
    CHECK_INT(a.count, 41);
    CHECK_INT(b.count, 0);
    CHECK_STR(a.items[40].message, "n39");
    problems_free(&a);
    problems_free(&b);
}

static void control_characters_should_be_stored_as_visible_escapes(void)
{
    ProblemList list;
    problems_init(&list);
    problems_add(&list, PROBLEM_ERROR, "p\n0 errors/pack\x1b[2J.json", 3, 1, "items[0].a\tb",
                 "\"%s\" is odd", "x\r\x7f\xc2\x85y\xe2\x80\xae" "abc\xe2\x81\xa6\xe2\x80\xa8");
    char out[512];
    problem_format(&list.items[0], out, sizeof out);
    CHECK_STR(out, "p\\n0 errors/pack\\x1b[2J.json:3:1: error: items[0].a\\tb: "
                   "\"x\\r\\x7f\\u0085y\\u202eabc\\u2066\\u2028\" is odd");
    problems_free(&list);
}

static void text_that_is_not_utf8_should_show_its_bytes_and_good_text_should_stay_as_it_is(void)
{
    ProblemList list;
    problems_init(&list);
    /* Latin-1 e-acute, a lone continuation byte, an overlong "/", a surrogate; then real UTF-8. */
    problems_add(&list, PROBLEM_WARNING, "caf\xe9\x9b" ".json", 0, 0, "", "\xc0\xaf \xed\xa0\x80 é ñ 中 🙂 \\n");
    char out[256];
    problem_format(&list.items[0], out, sizeof out);
    CHECK_STR(out, "caf\\xe9\\x9b.json: warning: \\xc0\\xaf \\xed\\xa0\\x80 é ñ 中 🙂 \\n");
    problems_free(&list);
}

static void sorting_should_still_put_a_file_with_odd_characters_first(void)
{
    ProblemList list;
    problems_init(&list);
    problems_add(&list, PROBLEM_WARNING, "other.json", 1, 1, "", "later");
    problems_add(&list, PROBLEM_WARNING, "odd\npack.json", 5, 1, "", "first");
    problems_sort(&list, 0, "odd\npack.json");
    CHECK_STR(list.items[0].message, "first");
    problems_free(&list);
}

int main(void)
{
    RUN(control_characters_should_be_stored_as_visible_escapes);
    RUN(text_that_is_not_utf8_should_show_its_bytes_and_good_text_should_stay_as_it_is);
    RUN(sorting_should_still_put_a_file_with_odd_characters_first);
    RUN(a_problem_should_print_as_file_line_col_severity_path_message);
    RUN(taking_problems_should_move_them_in_order);
    return CHECK_SUMMARY();
}
