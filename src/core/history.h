/* history.h: what a patient has done, kept on their own computer in SQLite.
 *
 * Every routine started is a row (when, which routine, how far it got, minutes spent), written so that
 * a crash or a power cut never corrupts it: WAL journal, synchronous=FULL, and an integrity check when
 * the store opens. A damaged file is moved aside (never deleted) and a fresh one started, and the caller
 * is told so it can say so. Favourites and the patient's settings live in the same file. No SDL.
 */
#ifndef BA_HISTORY_H
#define BA_HISTORY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct History History;

typedef enum { HISTORY_OPENED, HISTORY_CREATED, HISTORY_RECOVERED } HistoryOpenResult;

/* Opens or creates the store at `path`. When the file is damaged it is renamed to
 * "<path>.damaged-<unix time>" and a new store is created: *result is HISTORY_RECOVERED and
 * `message` says where the old file went. Returns NULL (message set) only when no store can be made. */
History *history_open(const char *path, HistoryOpenResult *result, char *message, size_t message_size);
void history_close(History *history);

typedef enum { KIND_EXERCISE = 0, KIND_BREATHING = 1 } HistoryKind;

typedef struct {
    int64_t id;
    int64_t started;        /* unix time, seconds, UTC */
    char routine[160];      /* "pack-id/item-id" */
    char title[96];
    HistoryKind kind;
    bool completed;
    int steps_done;         /* steps played to their end (== step count when completed) */
    int steps_skipped;      /* passed over with little or nothing of them played */
    int steps_cut_short;    /* begun but not finished */
    int resume_step;        /* the step the patient was on when it stopped, 0-based */
    int step_count;
    int seconds;            /* active time: pauses and skipped-over time excluded */
} HistoryEntry;

/* How far a session got, as session_record.h counts it. */
typedef struct {
    const char *outcomes;   /* one letter per step ("DDSC--", see session_record.h), or NULL */
    int steps_done, steps_skipped, steps_cut_short;
    int resume_step;
    int seconds;            /* active time */
    bool completed;         /* stored only when steps_done reaches the step count */
} HistoryProgress;

/* Records that a routine started; returns its id (> 0), or 0 on failure. Committed before returning:
 * once this returns, the row survives a crash. */
int64_t history_start(History *history, int64_t started, const char *routine, const char *title, HistoryKind kind,
                      int step_count);
/* Updates how far it got; also committed before returning. */
bool history_progress(History *history, int64_t id, const HistoryProgress *progress);
/* One session by id, and its outcome letters into `outcomes` (when not NULL; false when they do not fit),
 * so a continued session picks up where it was. */
bool history_entry(History *history, int64_t id, HistoryEntry *out, char *outcomes, size_t outcomes_size);

/* Entries started in [from, to), newest first; returns how many were written to out. */
int history_entries(History *history, int64_t from, int64_t to, HistoryEntry *out, int max);
/* The most recent entry that was not completed and started within `within_s` of `now`, for "continue
 * where you left off". */
bool history_unfinished(History *history, int64_t now, int64_t within_s, HistoryEntry *out);

/* Per-day minutes, for the charts. day_start: local midnight of the first day (unix seconds);
 * fills minutes[kind][day] for `days` days. */
bool history_daily_minutes(History *history, int64_t day_start, int days, int minutes[2][64]);
/* Days in a row, ending today or yesterday, with at least one routine (started or finished). `today_start`
 * is local midnight today. */
int history_streak(History *history, int64_t today_start);

/* Writes every entry as CSV (RFC 4180; a header line; ISO local date and time; each step's outcome in
 * words) to `out`. */
bool history_export_csv(History *history, FILE *out);

/* Favourites: item refs ("pack/item"), in the order added. */
bool history_favourite_set(History *history, const char *item, bool favourite);
bool history_is_favourite(History *history, const char *item);
int history_favourites(History *history, char out[][160], int max);

/* Settings: small text values by key. */
bool history_setting_set(History *history, const char *key, const char *value);
bool history_setting_get(History *history, const char *key, char *out, size_t size);

#endif
