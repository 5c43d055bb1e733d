/* test_progress.c: the figures on "My progress", from sessions placed at known local times. Runs in a
 * fixed time zone with a daylight-saving change inside the 8 weeks, so day boundaries are tested where
 * they are hardest. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "progress.h"

/* How far a session got, in the common case of steps done in order with none skipped. */
static bool progress(History *h, int64_t id, int steps_done, int seconds, bool completed)
{
    return history_progress(h, id, &(HistoryProgress){.steps_done = steps_done, .seconds = seconds,
                                                      .completed = completed, .resume_step = steps_done});
}

static History *history;
static char dir[64];

/* Local time from a date and hour, in the test's time zone. */
static time_t at(int year, int month, int day, int hour, int minute)
{
    struct tm t = {0};
    t.tm_year = year - 1900;
    t.tm_mon = month - 1;
    t.tm_mday = day;
    t.tm_hour = hour;
    t.tm_min = minute;
    t.tm_isdst = -1;
    return mktime(&t);
}

static void session(time_t started, HistoryKind kind, int minutes, bool completed)
{
    int64_t id = history_start(history, (int64_t)started, kind == KIND_BREATHING ? "b/box" : "e/neck", "x", kind, 4);
    CHECK(id > 0);
    CHECK(progress(history, id, completed ? 4 : 2, minutes * 60, completed));
}

static void the_week_the_weeks_the_totals_and_the_streak_should_add_up(void)
{
    /* Wednesday 18 November 2026, noon. Europe/London leaves summer time on 25 October 2026, inside the
     * 8 weeks shown (which start on Monday 28 September). */
    time_t now = at(2026, 11, 18, 12, 0);
    session(at(2026, 11, 16, 7, 30), KIND_EXERCISE, 10, true);   /* Monday */
    session(at(2026, 11, 16, 21, 0), KIND_BREATHING, 5, true);   /* Monday evening */
    session(at(2026, 11, 17, 23, 59), KIND_BREATHING, 4, false); /* Tuesday, a minute before midnight */
    session(at(2026, 11, 18, 0, 1), KIND_EXERCISE, 6, true);     /* Wednesday, a minute after */
    session(at(2026, 11, 18, 9, 0), KIND_EXERCISE, 3, false);    /* Wednesday */
    session(at(2026, 11, 15, 18, 0), KIND_BREATHING, 7, true);   /* Sunday: last week */
    session(at(2026, 10, 25, 0, 30), KIND_EXERCISE, 12, true);   /* the night the clocks change */
    session(at(2026, 10, 26, 9, 0), KIND_BREATHING, 8, true);    /* the Monday after */
    session(at(2026, 9, 28, 8, 0), KIND_EXERCISE, 9, true);      /* the first day shown */
    session(at(2026, 9, 27, 8, 0), KIND_EXERCISE, 99, true);     /* the day before: not shown */

    ProgressSummary p;
    CHECK(progress_summarize(history, now, &p));
    CHECK_INT(p.today_index, 2);
    CHECK_INT(p.week[0][KIND_EXERCISE], 10);
    CHECK_INT(p.week[0][KIND_BREATHING], 5);
    CHECK_INT(p.week[1][KIND_BREATHING], 4);
    CHECK_INT(p.week[1][KIND_EXERCISE], 0);
    CHECK_INT(p.week[2][KIND_EXERCISE], 9);
    CHECK_INT(p.week[3][KIND_EXERCISE] + p.week[3][KIND_BREATHING], 0);
    CHECK_INT(p.weeks[7][KIND_EXERCISE], 19);
    CHECK_INT(p.weeks[7][KIND_BREATHING], 9);
    CHECK_INT(p.weeks[6][KIND_BREATHING], 7);   /* week of 9 November */
    CHECK_INT(p.weeks[3][KIND_EXERCISE], 12);   /* week of 19 October: Sunday 25, 00:30 */
    CHECK_INT(p.weeks[4][KIND_BREATHING], 8);   /* week of 26 October */
    CHECK_INT(p.weeks[0][KIND_EXERCISE], 9);    /* week of 28 September, not the 99 before it */
    /* The chart names each week by its Monday, across the clocks going back on 25 October. */
    CHECK_INT(p.week_day[0], 28);
    CHECK_INT(p.week_month[0], 9);
    CHECK_INT(p.week_day[3], 19);
    CHECK_INT(p.week_day[4], 26);
    CHECK_INT(p.week_month[4], 10);
    CHECK_INT(p.week_day[7], 16);
    CHECK_INT(p.week_month[7], 11);
    CHECK_INT(p.total[KIND_EXERCISE], 9 + 12 + 19);
    CHECK_INT(p.total[KIND_BREATHING], 8 + 7 + 9);
    CHECK_INT(p.streak, 4); /* Sunday, Monday, Tuesday, Wednesday */
}

static void a_streak_should_count_from_yesterday_when_today_is_empty(void)
{
    ProgressSummary p;
    CHECK(progress_summarize(history, at(2026, 11, 19, 10, 0), &p)); /* Thursday: nothing yet today */
    CHECK_INT(p.streak, 4);
    CHECK(progress_summarize(history, at(2026, 11, 20, 10, 0), &p)); /* Friday: the run has ended */
    CHECK_INT(p.streak, 0);
}

int main(void)
{
    setenv("TZ", "Europe/London", 1);
    tzset();
    snprintf(dir, sizeof dir, "/tmp/ba-progress-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    char path[128];
    snprintf(path, sizeof path, "%s/history.db", dir);
    HistoryOpenResult result;
    char message[256];
    history = history_open(path, &result, message, sizeof message);
    CHECK(history != NULL);
    if (history) {
        RUN(the_week_the_weeks_the_totals_and_the_streak_should_add_up);
        RUN(a_streak_should_count_from_yesterday_when_today_is_empty);
        history_close(history);
    }
    char command[160];
    snprintf(command, sizeof command, "rm -rf %s", dir);
    if (system(command) != 0)
        return 1;
    return CHECK_SUMMARY();
}
