/* check.h: the tiny test harness every test program shares.
 *
 * A test is a function whose name reads as a sentence; RUN() calls it and counts failures. A failed
 * CHECK prints file:line and the values involved, and the test goes on so one run shows every failure.
 * CHECK_SUMMARY() prints "N passed, N failed" and gives the exit status.
 */
#ifndef BA_CHECK_H
#define BA_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int check_failures_in_test;
static int check_passed_tests;
static int check_failed_tests;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            check_failures_in_test++;                                                              \
        }                                                                                          \
    } while (0)

#define CHECK_INT(actual, expected)                                                                \
    do {                                                                                           \
        long long check_a_ = (long long)(actual), check_e_ = (long long)(expected);                \
        if (check_a_ != check_e_) {                                                                \
            fprintf(stderr, "%s:%d: %s is %lld, expected %lld\n", __FILE__, __LINE__, #actual,     \
                    check_a_, check_e_);                                                           \
            check_failures_in_test++;                                                              \
        }                                                                                          \
    } while (0)

#define CHECK_STR(actual, expected)                                                                \
    do {                                                                                           \
        const char *check_a_ = (actual), *check_e_ = (expected);                                   \
        if (!check_a_ || !check_e_ || strcmp(check_a_, check_e_) != 0) {                           \
            fprintf(stderr, "%s:%d: %s is\n    \"%s\"\n  expected\n    \"%s\"\n", __FILE__,         \
                    __LINE__, #actual, check_a_ ? check_a_ : "(null)",                             \
                    check_e_ ? check_e_ : "(null)");                                               \
            check_failures_in_test++;                                                              \
        }                                                                                          \
    } while (0)

#define RUN(test)                                                                                  \
    do {                                                                                           \
        check_failures_in_test = 0;                                                                \
        test();                                                                                    \
        if (check_failures_in_test) {                                                              \
            check_failed_tests++;                                                                  \
            fprintf(stderr, "FAIL %s\n", #test);                                                   \
        } else {                                                                                   \
            check_passed_tests++;                                                                  \
            printf("ok   %s\n", #test);                                                        \
        }                                                                                          \
    } while (0)

#define CHECK_SUMMARY()                                                                            \
    (printf("%d passed, %d failed\n", check_passed_tests, check_failed_tests),                     \
     check_failed_tests ? 1 : 0)

#endif
