/* test_history.c: the history store: rows kept across reopening, progress, the queries behind the
 * charts and "continue where you left off" (on local days, across a change to summer time), favourites,
 * settings, the CSV export's exact text, damaged files moved aside, and the store surviving SIGKILL
 * in the middle of its writes.
 *
 * Usage: test_history HISTORY_CRASH_BINARY. The crash tests run that helper (tests/history_crash.c)
 * over and over and kill it; without the argument they fail. Times are checked in the UK's zone
 * (written as a POSIX TZ rule, so no tz database is needed), whose clocks went forward on
 * 2024-03-31 at 01:00, making that day 23 hours long. Files go into a fresh mkdtemp() folder that is
 * removed at the end.
 */
#define _XOPEN_SOURCE 700 /* mkdtemp, open_memstream, posix_spawn, kill, setenv */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "check.h"
#include "history.h"

/* How far a session got, in the common case of steps done in order with none skipped. */
static bool progress(History *h, int64_t id, int steps_done, int seconds, bool completed)
{
    return history_progress(h, id, &(HistoryProgress){.steps_done = steps_done, .seconds = seconds,
                                                      .completed = completed, .resume_step = steps_done});
}

#define UK_TIME "GMT0BST,M3.5.0/1,M10.5.0"
#define CRASH_RUNS 200
#define CREATE_CRASH_RUNS 30

extern char **environ;

static char temp_dir[] = "/tmp/test-history-XXXXXX";
static const char *crash_helper; /* argv[1] */

/* Unix times of local (UK) moments, worked out with `TZ=Europe/London date -d ... +%s`. */
#define T_2024_03_10_2359 1710115140
#define T_2024_03_11_0000 1710115200 /* Monday; the charts' first day below */
#define T_2024_03_11_0000_30 1710115230
#define T_2024_03_11_0805 1710144300
#define T_2024_03_15_235959 1710547199
#define T_2024_03_16_000001 1710547201
#define T_2024_03_28_1200 1711627200
#define T_2024_03_30_2330 1711841400
#define T_2024_03_31_0030 1711845000 /* still GMT: clocks go forward at 01:00 */
#define T_2024_03_31_2330 1711924200 /* BST from here on */
#define T_2024_04_01_0015 1711926900
#define T_2024_04_01_0800 1711954800
#define T_2024_04_01_1930 1711996200
#define T_2024_04_02_0000 1712012400
#define T_2024_04_02_0700 1712037600
#define T_2024_04_02_1000 1712048400
#define T_2024_04_03_0900 1712131200
#define T_2024_04_06_0030 1712359800
#define T_2024_05_05_2359 1714949940
#define T_2024_05_06_0001 1714950060

/* ---- helpers ---------------------------------------------------------------------------------- */

static char *temp_path(const char *name)
{
    static char paths[4][512];
    static int next;
    char *out = paths[next++ % 4];
    snprintf(out, sizeof paths[0], "%s/%s", temp_dir, name);
    return out;
}

static History *new_store(const char *name)
{
    HistoryOpenResult result = HISTORY_OPENED;
    char message[512];
    History *h = history_open(temp_path(name), &result, message, sizeof message);
    CHECK(h != NULL);
    CHECK_INT(result, HISTORY_CREATED);
    return h;
}

static History *reopen(const char *name, HistoryOpenResult expected)
{
    HistoryOpenResult result = HISTORY_CREATED;
    char message[1024];
    History *h = history_open(temp_path(name), &result, message, sizeof message);
    CHECK(h != NULL);
    CHECK_INT(result, expected);
    if (!h || result != expected)
        fprintf(stderr, "    message: %s\n", message);
    return h;
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f)
        return;
    CHECK_INT(fwrite(data, 1, len, f), len);
    CHECK_INT(fclose(f), 0);
}

static void overwrite(const char *path, long offset, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    CHECK_INT(pwrite(fd, data, len, offset), (long long)len);
    close(fd);
}

static char *read_whole(const char *path, size_t *len)
{
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *data = NULL;
    size_t cap = 0;
    for (;;) {
        if (*len == cap) {
            cap = cap ? cap * 2 : 4096;
            char *bigger = realloc(data, cap);
            if (!bigger)
                break;
            data = bigger;
        }
        size_t got = fread(data + *len, 1, cap - *len, f);
        if (got == 0)
            break;
        *len += got;
    }
    fclose(f);
    return data;
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Counts the moved-aside stores of `name` ("<name>.damaged-<digits>[-n]", not their -wal or -shm) and
 * gives the path of the last one seen. */
static int count_damaged(const char *name, char *found, size_t found_size)
{
    char prefix[256];
    snprintf(prefix, sizeof prefix, "%s.damaged-", name);
    int count = 0;
    DIR *dir = opendir(temp_dir);
    CHECK(dir != NULL);
    if (!dir)
        return 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (strncmp(e->d_name, prefix, strlen(prefix)) != 0 || ends_with(e->d_name, "-wal") ||
            ends_with(e->d_name, "-shm"))
            continue;
        const char *p = e->d_name + strlen(prefix);
        bool digits = *p != '\0';
        for (; *p; p++)
            if ((*p < '0' || *p > '9') && *p != '-')
                digits = false;
        if (!digits)
            continue;
        count++;
        if (found)
            snprintf(found, found_size, "%s/%s", temp_dir, e->d_name);
    }
    closedir(dir);
    return count;
}

static void remove_temp_dir(void)
{
    DIR *dir = opendir(temp_dir);
    if (!dir)
        return;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *path = temp_path(e->d_name);
        if (unlink(path) != 0)
            rmdir(path);
    }
    closedir(dir);
    rmdir(temp_dir);
}

static int64_t add_session(History *h, int64_t started, HistoryKind kind, int seconds)
{
    int64_t id = history_start(h, started, "pack/item", "Item", kind, 4);
    CHECK(id > 0);
    CHECK(progress(h, id, 4, seconds, true));
    return id;
}

/* A store that is more than a page or two, for corrupting its middle. */
static void fill_store(const char *name, int rows)
{
    History *h = new_store(name);
    char title[90];
    for (int i = 0; i < rows; i++) {
        snprintf(title, sizeof title, "Routine number %d with a title long enough to fill pages quickly", i);
        CHECK(history_start(h, 1700000000 + i, "pack/item", title, KIND_EXERCISE, 5) > 0);
    }
    history_close(h);
}

/* ---- opening, writing, reading ---------------------------------------------------------------- */

static void a_new_store_should_be_created_and_keep_its_rows_when_reopened(void)
{
    HistoryOpenResult result = HISTORY_OPENED;
    char message[512];
    History *h = history_open(temp_path("basic.db"), &result, message, sizeof message);
    CHECK(h != NULL);
    CHECK_INT(result, HISTORY_CREATED);
    int64_t a = history_start(h, 1000, "desk/neck", "Neck rolls", KIND_EXERCISE, 6);
    int64_t b = history_start(h, 2000, "calm/box", "Box breathing", KIND_BREATHING, 4);
    CHECK(a > 0 && b > 0 && a != b);
    history_close(h);
    CHECK(access(temp_path("basic.db.creating"), F_OK) != 0);

    h = reopen("basic.db", HISTORY_OPENED);
    HistoryEntry e[4];
    CHECK_INT(history_entries(h, 0, 10000, e, 4), 2);
    CHECK_INT(e[0].id, b);
    CHECK_INT(e[0].started, 2000);
    CHECK_STR(e[0].routine, "calm/box");
    CHECK_STR(e[0].title, "Box breathing");
    CHECK_INT(e[0].kind, KIND_BREATHING);
    CHECK_INT(e[0].step_count, 4);
    CHECK_INT(e[1].id, a);
    CHECK_STR(e[1].title, "Neck rolls");
    CHECK_INT(e[1].kind, KIND_EXERCISE);
    history_close(h);
    CHECK_INT(count_damaged("basic.db", NULL, 0), 0);
}

static void a_routine_should_be_recorded_from_start_to_completion(void)
{
    History *h = new_store("progress.db");
    int64_t id = history_start(h, 5000, "desk/shoulders", "Shoulders", KIND_EXERCISE, 8);
    HistoryEntry e;
    CHECK_INT(history_entries(h, 5000, 5001, &e, 1), 1);
    CHECK(!e.completed);
    CHECK_INT(e.steps_done, 0);
    CHECK_INT(e.seconds, 0);

    CHECK(progress(h, id, 3, 40, false));
    CHECK_INT(history_entries(h, 5000, 5001, &e, 1), 1);
    CHECK(!e.completed);
    CHECK_INT(e.steps_done, 3);
    CHECK_INT(e.seconds, 40);

    /* Completed only when every step was done, whatever the caller says. */
    CHECK(progress(h, id, 7, 95, true));
    CHECK_INT(history_entries(h, 5000, 5001, &e, 1), 1);
    CHECK(!e.completed);
    CHECK_INT(e.steps_done, 7);
    CHECK_INT(e.seconds, 95);
    CHECK(progress(h, id, 8, 99, true));
    CHECK_INT(history_entries(h, 5000, 5001, &e, 1), 1);
    CHECK(e.completed);
    CHECK_INT(e.steps_done, 8);

    CHECK(!progress(h, id + 100, 1, 1, false));
    CHECK(!progress(h, 0, 1, 1, false));
    CHECK_INT(history_start(h, 1, "x", "y", (HistoryKind)7, 1), 0);
    history_close(h);
}

/* A store written by the first version of the app (schema 1) opens with its rows, and their new
 * fields read as "not recorded" rather than as something the patient did. */
static void a_version_1_store_should_be_migrated_keeping_its_rows(void)
{
    sqlite3 *db = NULL;
    CHECK_INT(sqlite3_open(temp_path("v1.db"), &db), SQLITE_OK);
    CHECK_INT(sqlite3_exec(db,
                           "CREATE TABLE sessions(id INTEGER PRIMARY KEY, started INTEGER NOT NULL, routine TEXT NOT NULL,"
                           " title TEXT NOT NULL, kind INTEGER NOT NULL, completed INTEGER NOT NULL DEFAULT 0,"
                           " steps_done INTEGER NOT NULL DEFAULT 0, step_count INTEGER NOT NULL DEFAULT 0,"
                           " seconds INTEGER NOT NULL DEFAULT 0);"
                           "CREATE INDEX sessions_by_started ON sessions(started);"
                           "CREATE TABLE favourites(item TEXT PRIMARY KEY, added INTEGER NOT NULL);"
                           "CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                           "INSERT INTO sessions VALUES(1, 7000, 'p/old', 'Old', 0, 0, 2, 5, 130);"
                           "PRAGMA user_version = 1;",
                           NULL, NULL, NULL),
              SQLITE_OK);
    sqlite3_close(db);
    HistoryOpenResult result;
    char message[256];
    History *h = history_open(temp_path("v1.db"), &result, message, sizeof message);
    CHECK(h != NULL);
    CHECK_INT(result, HISTORY_OPENED);
    HistoryEntry e;
    char outcomes[16] = "x";
    CHECK(history_entry(h, 1, &e, outcomes, sizeof outcomes));
    CHECK_STR(e.routine, "p/old");
    CHECK_INT(e.steps_done, 2);
    CHECK_INT(e.steps_skipped, 0);
    CHECK_INT(e.seconds, 130);
    CHECK_STR(outcomes, "");
    history_close(h);
}

static void entries_should_come_newest_first_within_a_half_open_range(void)
{
    History *h = new_store("range.db");
    history_start(h, 1000, "p/a", "A", KIND_EXERCISE, 1);
    int64_t b = history_start(h, 2000, "p/b", "B", KIND_EXERCISE, 1);
    int64_t c = history_start(h, 3000, "p/c", "C", KIND_EXERCISE, 1);
    int64_t d = history_start(h, 3000, "p/d", "D", KIND_BREATHING, 1);
    history_start(h, 4000, "p/e", "E", KIND_EXERCISE, 1);

    HistoryEntry e[8];
    CHECK_INT(history_entries(h, 2000, 4000, e, 8), 3);
    CHECK_INT(e[0].id, d);
    CHECK_INT(e[1].id, c);
    CHECK_INT(e[2].id, b);
    CHECK_INT(history_entries(h, 2000, 4000, e, 2), 2);
    CHECK_INT(e[1].id, c);
    CHECK_INT(history_entries(h, 3000, 3000, e, 8), 0);
    CHECK_INT(history_entries(h, 0, 1, e, 8), 0);
    CHECK_INT(history_entries(h, 0, 5000, e, 0), 0);
    history_close(h);
}

static void unfinished_should_be_the_latest_routine_not_completed_within_the_window(void)
{
    const int64_t now = 1712048400;
    History *h = new_store("unfinished.db");
    HistoryEntry e;
    CHECK(!history_unfinished(h, now, 86400, &e));

    history_start(h, now - 100000, "p/old", "Too old", KIND_EXERCISE, 5);
    int64_t left = history_start(h, now - 7200, "p/left", "Left half-way", KIND_BREATHING, 5);
    progress(h, left, 2, 60, false);
    int64_t done = history_start(h, now - 3600, "p/done", "Finished", KIND_EXERCISE, 3);
    progress(h, done, 3, 90, true);
    history_start(h, now + 600, "p/future", "Clock was wrong", KIND_EXERCISE, 5);

    CHECK(history_unfinished(h, now, 86400, &e));
    CHECK_INT(e.id, left);
    CHECK_STR(e.title, "Left half-way");
    CHECK_INT(e.steps_done, 2);
    CHECK(!history_unfinished(h, now, 3600, &e));

    int64_t newer = history_start(h, now - 60, "p/newer", "Newer", KIND_EXERCISE, 5);
    CHECK(history_unfinished(h, now, 86400, &e));
    CHECK_INT(e.id, newer);
    history_close(h);
}

/* Eight weeks from Monday 2024-03-11, across the change to summer time on 2024-03-31 (day 20). */
static void daily_minutes_should_add_up_each_local_day_over_eight_weeks(void)
{
    History *h = new_store("daily.db");
    add_session(h, T_2024_03_10_2359, KIND_EXERCISE, 600);    /* the day before: not counted */
    add_session(h, T_2024_03_11_0000, KIND_EXERCISE, 300);    /* day 0: 5 */
    add_session(h, T_2024_03_11_0000_30, KIND_BREATHING, 89); /* day 0: 89 + 20 s = 1.8 min, so 2 */
    add_session(h, T_2024_03_11_0805, KIND_BREATHING, 20);
    add_session(h, T_2024_03_15_235959, KIND_EXERCISE, 150); /* day 4: 2.5, rounded up to 3 */
    add_session(h, T_2024_03_16_000001, KIND_EXERCISE, 60);  /* day 5: 1 */
    add_session(h, T_2024_03_31_0030, KIND_BREATHING, 120);  /* day 20, still GMT: 2 ... */
    add_session(h, T_2024_03_31_2330, KIND_BREATHING, 240);  /* ... + 4 in BST = 6 */
    add_session(h, T_2024_04_01_0015, KIND_EXERCISE, 600);   /* day 21 (20 days 23 h after day 0): 10 */
    add_session(h, T_2024_04_06_0030, KIND_EXERCISE, 29);    /* day 26: under half a minute, 0 */
    add_session(h, T_2024_05_05_2359, KIND_EXERCISE, 1200);  /* day 55, the last: 20 */
    add_session(h, T_2024_05_06_0001, KIND_EXERCISE, 600);   /* the day after (55 days 23 h): not counted */
    int64_t open_id = history_start(h, T_2024_03_16_000001 + 60, "p/x", "Left", KIND_EXERCISE, 4);
    progress(h, open_id, 1, 45, false); /* day 5: unfinished routines count too, 1 + 0.75 = 2 */

    int expected[2][64] = {{0}};
    expected[KIND_EXERCISE][0] = 5;
    expected[KIND_BREATHING][0] = 2;
    expected[KIND_EXERCISE][4] = 3;
    expected[KIND_EXERCISE][5] = 2;
    expected[KIND_BREATHING][20] = 6;
    expected[KIND_EXERCISE][21] = 10;
    expected[KIND_EXERCISE][55] = 20;

    int minutes[2][64];
    memset(minutes, 0x55, sizeof minutes);
    CHECK(history_daily_minutes(h, T_2024_03_11_0000, 56, minutes));
    for (int kind = 0; kind < 2; kind++)
        for (int day = 0; day < 64; day++)
            if (minutes[kind][day] != expected[kind][day]) {
                fprintf(stderr, "    kind %d day %d: %d minutes, expected %d\n", kind, day, minutes[kind][day],
                        expected[kind][day]);
                check_failures_in_test++;
            }

    /* One week starting on the short day: it runs to the end of 2024-04-06 local time. */
    CHECK(history_daily_minutes(h, T_2024_03_31_0030 - 1800, 7, minutes));
    CHECK_INT(minutes[KIND_BREATHING][0], 6);
    CHECK_INT(minutes[KIND_EXERCISE][1], 10);
    CHECK_INT(minutes[KIND_EXERCISE][6], 0);
    CHECK_INT(minutes[KIND_EXERCISE][7], 0);

    CHECK(!history_daily_minutes(h, T_2024_03_11_0000, 65, minutes));
    CHECK(!history_daily_minutes(h, T_2024_03_11_0000, 0, minutes));
    CHECK(!history_daily_minutes(NULL, T_2024_03_11_0000, 7, minutes));
    history_close(h);
}

static int streak_of(const char *name, const int64_t *times, int count)
{
    History *h = new_store(name);
    for (int i = 0; i < count; i++)
        add_session(h, times[i], KIND_EXERCISE, 60);
    int streak = history_streak(h, T_2024_04_02_0000);
    history_close(h);
    return streak;
}

/* Today is Tuesday 2024-04-02. Sunday 03-31 was 23 hours long, so counting back in steps of 86400 s
 * from today's midnight would put 03-30 23:30 on 03-31. */
static void streak_should_count_days_in_a_row_ending_today_or_yesterday(void)
{
    const int64_t four[] = {T_2024_04_02_1000, T_2024_04_01_0800, T_2024_04_01_1930, T_2024_03_31_0030,
                            T_2024_03_30_2330, T_2024_03_28_1200, T_2024_04_03_0900};
    CHECK_INT(streak_of("streak-four.db", four, 7), 4); /* 03-29 is the gap; 04-03 is tomorrow */
    const int64_t to_yesterday[] = {T_2024_04_01_0015, T_2024_03_31_2330, T_2024_03_30_2330};
    CHECK_INT(streak_of("streak-yesterday.db", to_yesterday, 3), 3);
    const int64_t two_days_ago[] = {T_2024_03_31_2330, T_2024_03_30_2330};
    CHECK_INT(streak_of("streak-lapsed.db", two_days_ago, 2), 0);
    const int64_t gap[] = {T_2024_04_02_0700, T_2024_03_31_0030};
    CHECK_INT(streak_of("streak-gap.db", gap, 2), 1);
    const int64_t just_today[] = {T_2024_04_02_0000, T_2024_04_02_1000};
    CHECK_INT(streak_of("streak-today.db", just_today, 2), 1);
    CHECK_INT(streak_of("streak-empty.db", NULL, 0), 0);
    CHECK_INT(history_streak(NULL, T_2024_04_02_0000), 0);
}

static void favourites_should_keep_the_order_they_were_added_in(void)
{
    History *h = new_store("favourites.db");
    char list[4][160];
    CHECK_INT(history_favourites(h, list, 4), 0);
    CHECK(history_favourite_set(h, "desk/neck", true));
    CHECK(history_favourite_set(h, "calm/box", true));
    CHECK(history_favourite_set(h, "desk/wrists", true));
    CHECK(history_favourite_set(h, "desk/neck", true)); /* already there: stays first */
    CHECK(history_is_favourite(h, "calm/box"));
    CHECK(!history_is_favourite(h, "calm/other"));

    CHECK(history_favourite_set(h, "calm/box", false));
    CHECK(!history_is_favourite(h, "calm/box"));
    CHECK(history_favourite_set(h, "calm/box", true)); /* added again: now last */
    CHECK(history_favourite_set(h, "never/added", false));
    history_close(h);

    h = reopen("favourites.db", HISTORY_OPENED);
    CHECK_INT(history_favourites(h, list, 4), 3);
    CHECK_STR(list[0], "desk/neck");
    CHECK_STR(list[1], "desk/wrists");
    CHECK_STR(list[2], "calm/box");
    CHECK_INT(history_favourites(h, list, 2), 2);
    CHECK_STR(list[1], "desk/wrists");
    CHECK(!history_favourite_set(h, NULL, true));
    CHECK(!history_is_favourite(h, NULL));
    history_close(h);
}

static void settings_should_be_set_read_and_overwritten(void)
{
    History *h = new_store("settings.db");
    char value[16];
    CHECK(!history_setting_get(h, "language", value, sizeof value));
    CHECK_STR(value, "");
    CHECK(history_setting_set(h, "language", "de"));
    CHECK(history_setting_set(h, "voice", "on"));
    CHECK(history_setting_set(h, "language", "fr"));
    history_close(h);

    h = reopen("settings.db", HISTORY_OPENED);
    CHECK(history_setting_get(h, "language", value, sizeof value));
    CHECK_STR(value, "fr");
    CHECK(history_setting_get(h, "voice", value, sizeof value));
    CHECK_STR(value, "on");
    CHECK(history_setting_set(h, "long", "a value that does not fit"));
    CHECK(!history_setting_get(h, "long", value, sizeof value)); /* not half a value */
    CHECK_STR(value, "");
    CHECK(history_setting_set(h, "empty", ""));
    CHECK(history_setting_get(h, "empty", value, sizeof value));
    CHECK_STR(value, "");
    CHECK(!history_setting_set(h, "voice", NULL));
    CHECK(!history_setting_get(h, NULL, value, sizeof value));
    history_close(h);
}

static void csv_export_should_quote_what_needs_quoting_in_time_order(void)
{
    History *h = new_store("export.db");
    int64_t box = history_start(h, T_2024_04_01_1930, "calm/box", "Box \"4-4-4-4\" breathing", KIND_BREATHING, 5);
    CHECK(history_progress(h, box, &(HistoryProgress){.outcomes = "DDSC-", .steps_done = 2, .steps_skipped = 1,
                                                      .steps_cut_short = 1, .resume_step = 3, .seconds = 40}));
    HistoryEntry e;
    char outcomes[8];
    CHECK(history_entry(h, box, &e, outcomes, sizeof outcomes));
    CHECK_STR(outcomes, "DDSC-");
    CHECK_INT(e.steps_skipped, 1);
    CHECK_INT(e.steps_cut_short, 1);
    CHECK_INT(e.resume_step, 3);
    CHECK(!history_entry(h, box, &e, outcomes, 3)); /* the letters do not fit: said, not cut */
    CHECK(!history_entry(h, box + 100, &e, NULL, 0));
    int64_t neck = history_start(h, T_2024_03_11_0805, "desk/neck-rolls", "Neck rolls, gently", KIND_EXERCISE, 6);
    progress(h, neck, 6, 95, true);
    int64_t two = history_start(h, T_2024_04_02_0700, "desk/stretch", "Two\nlines", KIND_EXERCISE, 8);
    progress(h, two, 8, 600, true);

    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    CHECK(out != NULL);
    if (out) {
        CHECK(history_export_csv(h, out));
        fclose(out);
        CHECK_STR(text, "date,time,routine,title,kind,completed,steps_done,steps_skipped,steps_cut_short,step_count,"
                        "active_minutes,steps\r\n"
                        "2024-03-11,08:05,desk/neck-rolls,\"Neck rolls, gently\",exercise,yes,6,0,0,6,1.6,\r\n"
                        "2024-04-01,19:30,calm/box,\"Box \"\"4-4-4-4\"\" breathing\",breathing,no,2,1,1,5,0.7,"
                        "done; done; skipped; cut short; not reached\r\n"
                        "2024-04-02,07:00,desk/stretch,\"Two\nlines\",exercise,yes,8,0,0,8,10.0,\r\n");
        free(text);
    }
    CHECK(!history_export_csv(h, NULL));
    CHECK(!history_export_csv(NULL, stdout));
    history_close(h);
}

static void long_text_should_be_cut_to_fit_without_splitting_a_character(void)
{
    History *h = new_store("long.db");
    char routine[400], title[300];
    memset(routine, 'r', sizeof routine - 1);
    routine[sizeof routine - 1] = '\0';
    title[0] = '\0';
    for (int i = 0; i < 120; i++)
        strcat(title, "\xC3\xA9"); /* é, two bytes */
    CHECK(history_start(h, 10, routine, title, KIND_EXERCISE, 1) > 0);
    CHECK(history_start(h, 11, "p/none", NULL, KIND_EXERCISE, 1) > 0);
    CHECK_INT(history_start(h, 12, NULL, "x", KIND_EXERCISE, 1), 0);
    HistoryEntry e[2];
    CHECK_INT(history_entries(h, 0, 100, e, 2), 2);
    CHECK_INT(strlen(e[1].routine), 159);
    CHECK_INT(strlen(e[1].title), 94); /* 47 whole characters; the 48th would need bytes 95 and 96 */
    CHECK(strncmp(e[1].title, title, 94) == 0);
    CHECK_STR(e[0].title, "");

    CHECK(history_favourite_set(h, routine, true));
    CHECK(history_is_favourite(h, routine));
    char list[1][160];
    CHECK_INT(history_favourites(h, list, 1), 1);
    CHECK_INT(strlen(list[0]), 159);
    history_close(h);
}

static void every_function_should_accept_null(void)
{
    HistoryOpenResult result;
    char message[128];
    CHECK(history_open(NULL, &result, message, sizeof message) == NULL);
    CHECK(strlen(message) > 0);
    CHECK(history_open("", NULL, NULL, 0) == NULL);
    history_close(NULL);
    HistoryEntry e;
    char list[1][160], value[8];
    int minutes[2][64];
    CHECK_INT(history_start(NULL, 1, "a", "b", KIND_EXERCISE, 1), 0);
    CHECK(!history_progress(NULL, 1, &(HistoryProgress){.steps_done = 1}));
    CHECK_INT(history_entries(NULL, 0, 10, &e, 1), 0);
    CHECK(!history_unfinished(NULL, 10, 10, &e));
    CHECK(!history_daily_minutes(NULL, 0, 7, minutes));
    CHECK(!history_export_csv(NULL, NULL));
    CHECK(!history_favourite_set(NULL, "a", true));
    CHECK(!history_is_favourite(NULL, "a"));
    CHECK_INT(history_favourites(NULL, list, 1), 0);
    CHECK(!history_setting_set(NULL, "a", "b"));
    CHECK(!history_setting_get(NULL, "a", value, sizeof value));

    History *h = new_store("null.db");
    CHECK_INT(history_entries(h, 0, 10, NULL, 1), 0);
    CHECK(!history_unfinished(h, 10, 10, NULL));
    CHECK(!history_daily_minutes(h, 0, 7, NULL));
    CHECK_INT(history_favourites(h, NULL, 1), 0);
    CHECK(!history_setting_get(h, "a", NULL, 8));
    history_close(h);
}

/* ---- damaged files ---------------------------------------------------------------------------- */

/* The damaged file is kept byte for byte under its new name, the message says where, and the fresh
 * store works and opens normally afterwards. */
static void expect_recovery(const char *name, const char *original, size_t original_len)
{
    HistoryOpenResult result = HISTORY_OPENED;
    char message[1024], moved[600];
    History *h = history_open(temp_path(name), &result, message, sizeof message);
    CHECK(h != NULL);
    CHECK_INT(result, HISTORY_RECOVERED);
    CHECK_INT(count_damaged(name, moved, sizeof moved), 1);
    CHECK(strstr(message, moved) != NULL);
    size_t len;
    char *kept = read_whole(moved, &len);
    CHECK(kept != NULL || original_len == 0);
    CHECK_INT(len, original_len);
    CHECK(len == original_len && (original_len == 0 || memcmp(kept, original, len) == 0));
    free(kept);

    HistoryEntry e[2];
    CHECK_INT(history_entries(h, 0, INT64_MAX, e, 2), 0);
    CHECK(history_start(h, 42, "p/fresh", "Fresh", KIND_EXERCISE, 2) > 0);
    history_close(h);
    h = reopen(name, HISTORY_OPENED);
    CHECK_INT(history_entries(h, 0, INT64_MAX, e, 2), 1);
    history_close(h);
    CHECK_INT(count_damaged(name, NULL, 0), 1);
}

static void a_store_with_garbage_over_its_header_should_be_moved_aside(void)
{
    fill_store("header.db", 50);
    unsigned char garbage[100];
    for (size_t i = 0; i < sizeof garbage; i++)
        garbage[i] = (unsigned char)(i * 37 + 11);
    overwrite(temp_path("header.db"), 0, garbage, sizeof garbage);
    size_t len;
    char *before = read_whole(temp_path("header.db"), &len);
    expect_recovery("header.db", before, len);
    free(before);
}

/* The last writes may still be in the -wal; it goes aside with the store, untouched. */
static void a_store_with_garbage_over_its_middle_pages_should_be_moved_aside_with_its_journal(void)
{
    fill_store("middle.db", 3000);
    sqlite3 *db = NULL;
    CHECK_INT(sqlite3_open(temp_path("middle.db"), &db), SQLITE_OK);
    sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
    CHECK_INT(sqlite3_exec(db,
                           "INSERT INTO sessions(started, routine, title, kind) VALUES(1, 'p/w', 'In the journal', 0)",
                           NULL, NULL, NULL),
              SQLITE_OK);
    sqlite3_close(db);
    char wal[600];
    snprintf(wal, sizeof wal, "%s-wal", temp_path("middle.db"));
    size_t wal_len;
    char *wal_before = read_whole(wal, &wal_len);
    CHECK(wal_before != NULL && wal_len > 4096);

    long size = file_size(temp_path("middle.db"));
    CHECK(size >= 40 * 4096);
    unsigned char garbage[2 * 4096];
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < sizeof garbage; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        garbage[i] = (unsigned char)x;
    }
    overwrite(temp_path("middle.db"), (size / 2) / 4096 * 4096, garbage, sizeof garbage);
    size_t len;
    char *before = read_whole(temp_path("middle.db"), &len);
    expect_recovery("middle.db", before, len);
    free(before);

    char moved[600], moved_wal[700];
    CHECK_INT(count_damaged("middle.db", moved, sizeof moved), 1);
    snprintf(moved_wal, sizeof moved_wal, "%s-wal", moved);
    char *wal_after = read_whole(moved_wal, &len);
    CHECK(wal_after && wal_before && len == wal_len && memcmp(wal_after, wal_before, len) == 0);
    free(wal_before);
    free(wal_after);
}

static void an_empty_file_should_be_moved_aside(void)
{
    write_file(temp_path("empty.db"), "", 0);
    expect_recovery("empty.db", "", 0);
}

static void a_text_file_should_be_moved_aside_with_its_journal(void)
{
    static const char text[] = "date,time,routine\n2024-03-11,08:05,desk/neck\n";
    static const char journal[] = "not a journal either";
    write_file(temp_path("text.db"), text, strlen(text));
    write_file(temp_path("text.db-wal"), journal, strlen(journal));
    expect_recovery("text.db", text, strlen(text));
    char moved[600], moved_wal[700];
    CHECK_INT(count_damaged("text.db", moved, sizeof moved), 1);
    snprintf(moved_wal, sizeof moved_wal, "%s-wal", moved);
    size_t len;
    char *kept = read_whole(moved_wal, &len);
    CHECK(kept != NULL && len == strlen(journal) && memcmp(kept, journal, len) == 0);
    free(kept);
}

static void a_second_recovery_should_not_replace_the_first_damaged_file(void)
{
    write_file(temp_path("twice.db"), "first", 5);
    History *h = reopen("twice.db", HISTORY_RECOVERED);
    history_close(h);
    write_file(temp_path("twice.db"), "second", 6);
    h = reopen("twice.db", HISTORY_RECOVERED);
    history_close(h);
    CHECK_INT(count_damaged("twice.db", NULL, 0), 2);
}

/* Only damage moves a file: anything else leaves it in place and gives NULL with a reason. */
static void a_store_that_cannot_be_opened_should_be_left_alone(void)
{
    HistoryOpenResult result;
    char message[1024];
    CHECK_INT(mkdir(temp_path("folder.db"), 0700), 0);
    CHECK(history_open(temp_path("folder.db"), &result, message, sizeof message) == NULL);
    CHECK(strstr(message, "folder.db") != NULL);
    CHECK_INT(count_damaged("folder.db", NULL, 0), 0);

    History *h = new_store("newer.db");
    CHECK(history_start(h, 1, "p/a", "A", KIND_EXERCISE, 1) > 0);
    history_close(h);
    sqlite3 *db = NULL;
    CHECK_INT(sqlite3_open(temp_path("newer.db"), &db), SQLITE_OK);
    CHECK_INT(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    CHECK(history_open(temp_path("newer.db"), &result, message, sizeof message) == NULL);
    CHECK(strstr(message, "newer version") != NULL);
    CHECK_INT(count_damaged("newer.db", NULL, 0), 0);
    CHECK(file_size(temp_path("newer.db")) > 0);

    CHECK(history_open(temp_path("no-such-folder/x.db"), &result, message, sizeof message) == NULL);
}

static void a_journal_without_its_store_should_be_moved_aside(void)
{
    static const char journal[] = "left over from a deleted store";
    write_file(temp_path("orphan.db-wal"), journal, strlen(journal));
    History *h = reopen("orphan.db", HISTORY_RECOVERED);
    CHECK(h != NULL);
    CHECK(history_start(h, 1, "p/a", "A", KIND_EXERCISE, 1) > 0);
    history_close(h);
    char wal[600];
    snprintf(wal, sizeof wal, "%s", temp_path("orphan.db-wal"));
    CHECK(access(wal, F_OK) != 0 || file_size(wal) == 0);
}

/* ---- crash safety ----------------------------------------------------------------------------- */

typedef struct {
    char *data;
    size_t len, cap;
} Output;

static bool output_read(Output *o, int fd)
{
    if (o->cap - o->len < 4096) {
        size_t cap = o->cap ? o->cap * 2 : 65536;
        char *bigger = realloc(o->data, cap);
        if (!bigger)
            return false;
        o->data = bigger;
        o->cap = cap;
    }
    ssize_t got = read(fd, o->data + o->len, o->cap - o->len - 1);
    if (got <= 0)
        return got < 0 && errno == EINTR;
    o->len += (size_t)got;
    return true;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* Runs the helper on `db`, kills it with SIGKILL `delay_ms` after starting it (or, when delay_ms is
 * negative, as soon as it has confirmed its first write), and collects what it printed. False if it
 * could not be run or stopped by itself. */
static bool run_and_kill(const char *db, double delay_ms, Output *out)
{
    int fds[2];
    if (pipe(fds) != 0)
        return false;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    posix_spawn_file_actions_addclose(&actions, fds[1]);
    char *argv[] = {(char *)crash_helper, (char *)db, NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, crash_helper, &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (rc != 0) {
        fprintf(stderr, "    couldn't run %s: %s\n", crash_helper, strerror(rc));
        close(fds[0]);
        return false;
    }
    /* Read while it runs, so a full pipe never slows the writes down. poll() counts whole
     * milliseconds, so the last one is spent polling with no wait. */
    bool first_line = delay_ms < 0;
    double deadline = now_ms() + (first_line ? 10000 : delay_ms);
    bool open = true;
    for (double left; open && (left = deadline - now_ms()) > 0;) {
        struct pollfd p = {.fd = fds[0], .events = POLLIN};
        if (poll(&p, 1, (int)left) > 0)
            open = output_read(out, fds[0]);
        if (first_line && out->data && memchr(out->data, '\n', out->len))
            break;
    }
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    while (open)
        open = output_read(out, fds[0]);
    close(fds[0]);
    if (out->data)
        out->data[out->len] = '\0';
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
        fprintf(stderr, "    the helper stopped by itself (status %d)\n", status);
        return false;
    }
    return true;
}

typedef struct {
    int *steps; /* by id; -1 for ids never confirmed */
    int64_t size;
} Confirmed;

static bool confirm(Confirmed *c, int64_t id, int steps)
{
    if (id <= 0 || id > 100000000)
        return false;
    if (id >= c->size) {
        int64_t size = c->size ? c->size : 1024;
        while (size <= id)
            size *= 2;
        int *bigger = realloc(c->steps, (size_t)size * sizeof *bigger);
        if (!bigger)
            return false;
        for (int64_t i = c->size; i < size; i++)
            bigger[i] = -1;
        c->steps = bigger;
        c->size = size;
    }
    if (steps > c->steps[id])
        c->steps[id] = steps;
    return true;
}

/* Checks every id in [first, last] that was confirmed against the store's rows started from `since`. */
static int verify(History *h, const Confirmed *c, int64_t since, int64_t first, int64_t last)
{
    int cap = 4096, count;
    HistoryEntry *rows = NULL;
    for (;;) {
        HistoryEntry *bigger = realloc(rows, (size_t)cap * sizeof *rows);
        if (!bigger) {
            free(rows);
            return -1;
        }
        rows = bigger;
        count = history_entries(h, since, INT64_MAX, rows, cap);
        if (count < cap)
            break;
        cap *= 2;
    }
    /* Steps found for each id in [first, last], -1 where there is no row. */
    int64_t span = last - first + 1;
    int *found = malloc((size_t)span * sizeof *found);
    if (!found) {
        free(rows);
        return -1;
    }
    for (int64_t i = 0; i < span; i++)
        found[i] = -1;
    for (int i = 0; i < count; i++)
        if (rows[i].id >= first && rows[i].id <= last)
            found[rows[i].id - first] = rows[i].steps_done;
    int missing = 0;
    for (int64_t id = first; id <= last && id < c->size; id++) {
        if (c->steps[id] >= 0 && found[id - first] < c->steps[id]) {
            fprintf(stderr, "    id %lld confirmed with %d steps but %s\n", (long long)id, c->steps[id],
                    found[id - first] < 0 ? "is missing" : "has fewer");
            missing++;
        }
    }
    free(found);
    free(rows);
    return missing;
}

static void the_store_should_keep_every_confirmed_write_when_killed_200_times(void)
{
    if (!crash_helper) {
        fprintf(stderr, "    no crash helper given: run as test_history PATH/history_crash\n");
        check_failures_in_test++;
        return;
    }
    History *h = new_store("crash.db");
    history_close(h);
    Confirmed confirmed = {0};
    Output out = {0};
    uint32_t seed = 20240402u;
    int killed_writing = 0, lines = 0;
    double began = now_ms();
    for (int run = 0; run < CRASH_RUNS && check_failures_in_test == 0; run++) {
        seed ^= seed << 13, seed ^= seed >> 17, seed ^= seed << 5;
        int delay = 1 + (int)(seed % 50);
        int64_t since = (int64_t)time(NULL);
        out.len = 0;
        CHECK(run_and_kill(temp_path("crash.db"), delay, &out));
        if (!out.data)
            continue;

        int64_t first = INT64_MAX, last = 0;
        for (char *line = out.data, *end; (end = strchr(line, '\n')) != NULL; line = end + 1) {
            long long id;
            int steps;
            *end = '\0';
            if (sscanf(line, "confirmed %lld %d", &id, &steps) == 2 && confirm(&confirmed, id, steps)) {
                lines++;
                first = id < first ? id : first;
                last = id > last ? id : last;
            } else {
                fprintf(stderr, "    run %d: unexpected output \"%s\"\n", run, line);
                check_failures_in_test++;
            }
        }
        killed_writing += last > 0;

        h = reopen("crash.db", HISTORY_OPENED);
        if (!h)
            break;
        if (last > 0)
            CHECK_INT(verify(h, &confirmed, since, first, last), 0);
        history_close(h);
    }
    /* Once more over everything, now that every later run has had its chance to spoil earlier rows. */
    h = reopen("crash.db", HISTORY_OPENED);
    CHECK_INT(verify(h, &confirmed, 0, 1, confirmed.size - 1), 0);
    history_close(h);
    CHECK(killed_writing >= CRASH_RUNS / 2);
    CHECK_INT(count_damaged("crash.db", NULL, 0), 0);
    printf("     %d kills in %.1f s; %d had confirmed writes, %d writes confirmed in all\n", CRASH_RUNS,
           (now_ms() - began) / 1000, killed_writing, lines);
    free(out.data);
    free(confirmed.steps);
}

/* Killed while it creates the store, the next start must find no store or a whole one, never a
 * damaged one. */
static void the_store_should_never_look_damaged_after_being_killed_while_created(void)
{
    if (!crash_helper) {
        check_failures_in_test++;
        return;
    }
    /* How long the helper takes from starting to its first write depends on the build (sanitizers
     * slow start-up a lot), so time it once and aim the kills across that span. */
    Output out = {0};
    double began = now_ms();
    CHECK(run_and_kill(temp_path("create-timing.db"), -1, &out));
    double span_ms = now_ms() - began;
    uint32_t seed = 31u;
    int created = 0;
    for (int run = 0; run < CREATE_CRASH_RUNS && check_failures_in_test == 0; run++) {
        seed ^= seed << 13, seed ^= seed >> 17, seed ^= seed << 5;
        char name[64];
        snprintf(name, sizeof name, "create-%d.db", run);
        out.len = 0;
        CHECK(run_and_kill(temp_path(name), span_ms * (seed % 1000) / 1000.0, &out));
        HistoryOpenResult result = HISTORY_RECOVERED;
        char message[1024];
        History *h = history_open(temp_path(name), &result, message, sizeof message);
        CHECK(h != NULL);
        CHECK(result == HISTORY_CREATED || result == HISTORY_OPENED);
        if (result != HISTORY_CREATED && result != HISTORY_OPENED)
            fprintf(stderr, "    run %d: %s\n", run, message);
        created += result == HISTORY_CREATED;
        history_close(h);
    }
    printf("     %d of %d kills within the first %.1f ms came before the store was in place\n", created,
           CREATE_CRASH_RUNS, span_ms);
    free(out.data);
}

int main(int argc, char **argv)
{
    crash_helper = argc > 1 ? argv[1] : NULL;
    setenv("TZ", UK_TIME, 1);
    tzset();
    if (!mkdtemp(temp_dir)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(a_new_store_should_be_created_and_keep_its_rows_when_reopened);
    RUN(a_routine_should_be_recorded_from_start_to_completion);
    RUN(a_version_1_store_should_be_migrated_keeping_its_rows);
    RUN(entries_should_come_newest_first_within_a_half_open_range);
    RUN(unfinished_should_be_the_latest_routine_not_completed_within_the_window);
    RUN(daily_minutes_should_add_up_each_local_day_over_eight_weeks);
    RUN(streak_should_count_days_in_a_row_ending_today_or_yesterday);
    RUN(favourites_should_keep_the_order_they_were_added_in);
    RUN(settings_should_be_set_read_and_overwritten);
    RUN(csv_export_should_quote_what_needs_quoting_in_time_order);
    RUN(long_text_should_be_cut_to_fit_without_splitting_a_character);
    RUN(every_function_should_accept_null);
    RUN(a_store_with_garbage_over_its_header_should_be_moved_aside);
    RUN(a_store_with_garbage_over_its_middle_pages_should_be_moved_aside_with_its_journal);
    RUN(an_empty_file_should_be_moved_aside);
    RUN(a_text_file_should_be_moved_aside_with_its_journal);
    RUN(a_second_recovery_should_not_replace_the_first_damaged_file);
    RUN(a_store_that_cannot_be_opened_should_be_left_alone);
    RUN(a_journal_without_its_store_should_be_moved_aside);
    RUN(the_store_should_keep_every_confirmed_write_when_killed_200_times);
    RUN(the_store_should_never_look_damaged_after_being_killed_while_created);
    remove_temp_dir();
    return CHECK_SUMMARY();
}
