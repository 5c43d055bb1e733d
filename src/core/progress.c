/* progress.c: this week, the last 8 weeks and the streak (see progress.h).
 *
 * Days are local calendar days: the first day is found with mktime on a broken-down date, never by
 * subtracting 86400 seconds, so a daylight-saving change does not move a session to the wrong day.
 */
#define _POSIX_C_SOURCE 200809L
#include "progress.h"

#include <string.h>

/* Local midnight of the day `days` before the day of `t` (negative: after). */
static time_t local_midnight(time_t t, int days_before)
{
    struct tm day;
    localtime_r(&t, &day);
    day.tm_mday -= days_before;
    day.tm_hour = day.tm_min = day.tm_sec = 0;
    day.tm_isdst = -1;
    return mktime(&day);
}

bool progress_summarize(History *history, time_t now, ProgressSummary *out)
{
    memset(out, 0, sizeof *out);
    struct tm today;
    if (!history || !localtime_r(&now, &today))
        return false;
    out->today_index = (today.tm_wday + 6) % 7; /* Monday 0 */
    int days = PROGRESS_WEEKS * 7;
    int first_day_back = out->today_index + (PROGRESS_WEEKS - 1) * 7; /* Monday, 7 weeks before this one */
    int minutes[2][64];
    memset(minutes, 0, sizeof minutes);
    if (!history_daily_minutes(history, (int64_t)local_midnight(now, first_day_back), days, minutes))
        return false;
    for (int d = 0; d < days; d++) {
        for (int k = 0; k < 2; k++) {
            out->weeks[d / 7][k] += minutes[k][d];
            out->total[k] += minutes[k][d];
            if (d / 7 == PROGRESS_WEEKS - 1)
                out->week[d % 7][k] = minutes[k][d];
        }
    }
    for (int w = 0; w < PROGRESS_WEEKS; w++) {
        time_t monday = local_midnight(now, first_day_back - w * 7);
        struct tm m;
        if (localtime_r(&monday, &m)) {
            out->week_day[w] = m.tm_mday;
            out->week_month[w] = m.tm_mon + 1;
        }
    }
    out->streak = history_streak(history, (int64_t)local_midnight(now, 0));
    return true;
}
