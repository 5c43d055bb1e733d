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

int main(void)
{
    RUN(a_problem_should_print_as_file_line_col_severity_path_message);
    RUN(taking_problems_should_move_them_in_order);
    return CHECK_SUMMARY();
}
