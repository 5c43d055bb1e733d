/* progress.h: the figures behind "My progress": this week day by day, the last 8 weeks week by week,
 * the streak and the minutes of breathing and of exercise, all in local time (weeks start on Monday).
 * Pure arithmetic over the history store, so the charts' figures are tested exactly. */
#ifndef BA_PROGRESS_H
#define BA_PROGRESS_H

#include <stdbool.h>
#include <time.h>

#include "history.h"

#define PROGRESS_WEEKS 8

typedef struct {
    int week[7][2];               /* this week, Monday first; [day][KIND_EXERCISE or KIND_BREATHING], minutes */
    int weeks[PROGRESS_WEEKS][2]; /* the last 8 weeks, oldest first, this week last */
    int total[2];                 /* minutes over those 8 weeks */
    int today_index;              /* 0 Monday .. 6 Sunday */
    int streak;                   /* days in a row, ending today or yesterday */
    int week_day[PROGRESS_WEEKS];   /* the date each of those weeks starts on (its Monday): day of month */
    int week_month[PROGRESS_WEEKS]; /* and month, 1..12, to label the chart with dates */
} ProgressSummary;

bool progress_summarize(History *history, time_t now, ProgressSummary *out);

#endif
