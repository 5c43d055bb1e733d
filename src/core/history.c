/* history.c: the patient's history, favourites and settings in one SQLite file (see history.h).
 *
 * Durability comes from SQLite, not from us: WAL journal, synchronous=FULL and one autocommit
 * statement per write, so each write is on disk before its function returns and a crash at any moment
 * leaves the last committed state. What this file adds is deciding when a file is damaged, and it does
 * that conservatively, because moving a store aside hides the patient's history from them: only
 * SQLite's own verdict (not a database, corrupt, a failed quick_check) or an empty file counts. A file
 * we cannot open for any other reason (permissions, locked, made by a newer version, our own SQL
 * failing) is left exactly where it is and history_open returns NULL. For an empty file to be a safe
 * sign of damage we must never leave one ourselves, so a new store is built beside the real path and
 * renamed into place when complete: the path holds either nothing or a whole store.
 *
 * Days are local calendar days: each time is turned into its local date with localtime_r and compared
 * as a day number, never by adding 86400 to a midnight, so days of 23 or 25 hours count right.
 */
#define _XOPEN_SOURCE 700 /* localtime_r, fsync, O_DIRECTORY, lstat */
#include "history.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#define SCHEMA_VERSION 2     /* PRAGMA user_version of the schema below; migrate() climbs to it */
#define BUSY_TIMEOUT_MS 5000 /* another copy of the app checkpointing is the only expected holder */
#define PATH_LEN 4096
#define WHY_LEN 512
#define SECONDS_PER_DAY 86400

#define ROUTINE_SIZE sizeof(((HistoryEntry *)0)->routine)
#define TITLE_SIZE sizeof(((HistoryEntry *)0)->title)
#define ITEM_SIZE 160 /* history_favourites' char out[][160] */

#define SESSION_COLUMNS \
    "id, started, routine, title, kind, completed, steps_done, step_count, seconds, steps_skipped, steps_cut_short," \
    " resume_step, outcomes"

/* Version 1. Kept as written: a later schema is a new step in migrate(), never an edit here. */
static const char schema_v1[] =
    "CREATE TABLE IF NOT EXISTS sessions(id INTEGER PRIMARY KEY, started INTEGER NOT NULL, routine TEXT NOT NULL,"
    " title TEXT NOT NULL, kind INTEGER NOT NULL, completed INTEGER NOT NULL DEFAULT 0,"
    " steps_done INTEGER NOT NULL DEFAULT 0, step_count INTEGER NOT NULL DEFAULT 0,"
    " seconds INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS sessions_by_started ON sessions(started);"
    "CREATE TABLE IF NOT EXISTS favourites(item TEXT PRIMARY KEY, added INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);";

/* Version 2: what happened to each step, so the history never says more than the patient did. Rows
 * written by version 1 keep zero counts and an empty outcome string ("not recorded"). */
static const char schema_v2[] =
    "ALTER TABLE sessions ADD COLUMN steps_skipped INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE sessions ADD COLUMN steps_cut_short INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE sessions ADD COLUMN resume_step INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE sessions ADD COLUMN outcomes TEXT NOT NULL DEFAULT '';";

enum {
    ST_INSERT,
    ST_PROGRESS,
    ST_BY_ID,
    ST_RANGE,
    ST_UNFINISHED,
    ST_STARTED_BEFORE,
    ST_ALL,
    ST_FAV_ADD,
    ST_FAV_REMOVE,
    ST_FAV_IS,
    ST_FAV_LIST,
    ST_SETTING_SET,
    ST_SETTING_GET,
    ST_COUNT
};

static const char *const statement_sql[ST_COUNT] = {
    [ST_INSERT] = "INSERT INTO sessions(started, routine, title, kind, completed, steps_done, step_count, seconds)"
                  " VALUES(?1, ?2, ?3, ?4, 0, 0, ?5, 0)",
    /* Completed only when every step was done, whatever the caller says. */
    [ST_PROGRESS] = "UPDATE sessions SET steps_done = min(?2, step_count), seconds = ?3,"
                    " completed = (?4 AND ?2 >= step_count), steps_skipped = ?5, steps_cut_short = ?6,"
                    " resume_step = ?7, outcomes = ?8 WHERE id = ?1",
    [ST_BY_ID] = "SELECT " SESSION_COLUMNS " FROM sessions WHERE id = ?1",
    [ST_RANGE] = "SELECT " SESSION_COLUMNS " FROM sessions WHERE started >= ?1 AND started < ?2"
                 " ORDER BY started DESC, id DESC LIMIT ?3",
    [ST_UNFINISHED] = "SELECT " SESSION_COLUMNS " FROM sessions WHERE completed = 0 AND started >= ?1"
                      " AND started <= ?2 ORDER BY started DESC, id DESC LIMIT 1",
    [ST_STARTED_BEFORE] = "SELECT started FROM sessions WHERE started < ?1 ORDER BY started DESC",
    [ST_ALL] = "SELECT " SESSION_COLUMNS " FROM sessions ORDER BY started, id",
    [ST_FAV_ADD] = "INSERT OR IGNORE INTO favourites(item, added) VALUES(?1, ?2)",
    [ST_FAV_REMOVE] = "DELETE FROM favourites WHERE item = ?1",
    [ST_FAV_IS] = "SELECT 1 FROM favourites WHERE item = ?1",
    /* rowid, not `added`: the order of adding survives the clock being changed. */
    [ST_FAV_LIST] = "SELECT item FROM favourites ORDER BY rowid LIMIT ?1",
    [ST_SETTING_SET] = "INSERT INTO settings(key, value) VALUES(?1, ?2)"
                       " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    [ST_SETTING_GET] = "SELECT value FROM settings WHERE key = ?1",
};

struct History {
    sqlite3 *db;
    sqlite3_stmt *stmt[ST_COUNT];
};

typedef enum { STORE_OK, STORE_DAMAGED, STORE_FAILED } StoreStatus;

/* ---- small helpers ---------------------------------------------------------------------------- */

static void set_text(char *out, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void set_text(char *out, size_t size, const char *fmt, ...)
{
    if (!out || size == 0)
        return;
    va_list args;
    va_start(args, fmt);
    vsnprintf(out, size, fmt, args);
    va_end(args);
}

/* Bytes of `s` that fit in a buffer of `size` with its terminator, never splitting a UTF-8 sequence
 * (a title cut mid-character would show as a replacement box on screen). */
static size_t utf8_fit(const char *s, size_t len, size_t size)
{
    if (size == 0)
        return 0;
    if (len < size)
        return len;
    size_t n = size - 1;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

static void copy_text(char *out, size_t size, const unsigned char *text, int bytes)
{
    const char *s = text ? (const char *)text : "";
    size_t n = utf8_fit(s, text && bytes > 0 ? (size_t)bytes : 0, size);
    memcpy(out, s, n);
    out[n] = '\0';
}

/* Binds a string cut to what the reading struct can hold, so what is stored is what reads back. */
static int bind_fitted(sqlite3_stmt *stmt, int index, const char *s, size_t size)
{
    size_t n = utf8_fit(s, strlen(s), size);
    return sqlite3_bind_text(stmt, index, s, (int)n, SQLITE_TRANSIENT);
}

static int column_int(sqlite3_stmt *stmt, int column)
{
    sqlite3_int64 v = sqlite3_column_int64(stmt, column);
    return v < 0 ? 0 : v > INT_MAX ? INT_MAX : (int)v;
}

static HistoryKind column_kind(sqlite3_stmt *stmt, int column)
{
    return sqlite3_column_int(stmt, column) == KIND_BREATHING ? KIND_BREATHING : KIND_EXERCISE;
}

static void read_entry(sqlite3_stmt *stmt, HistoryEntry *out)
{
    memset(out, 0, sizeof *out);
    out->id = sqlite3_column_int64(stmt, 0);
    out->started = sqlite3_column_int64(stmt, 1);
    copy_text(out->routine, sizeof out->routine, sqlite3_column_text(stmt, 2), sqlite3_column_bytes(stmt, 2));
    copy_text(out->title, sizeof out->title, sqlite3_column_text(stmt, 3), sqlite3_column_bytes(stmt, 3));
    out->kind = column_kind(stmt, 4);
    out->completed = sqlite3_column_int(stmt, 5) != 0;
    out->steps_done = column_int(stmt, 6);
    out->step_count = column_int(stmt, 7);
    out->seconds = column_int(stmt, 8);
    out->steps_skipped = column_int(stmt, 9);
    out->steps_cut_short = column_int(stmt, 10);
    out->resume_step = column_int(stmt, 11);
}

/* Every statement is reset as soon as its caller is done: a statement left mid-result holds a WAL
 * read snapshot, which stops checkpoints and lets the -wal file grow without bound. */
static void finish(sqlite3_stmt *stmt)
{
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
}

/* Local calendar day of a unix time, as days since 1970-01-01 (Howard Hinnant's days_from_civil). */
static bool local_day(int64_t t, int64_t *day)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm))
        return false;
    int64_t y = (int64_t)tm.tm_year + 1900;
    unsigned m = (unsigned)tm.tm_mon + 1, d = (unsigned)tm.tm_mday;
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    *day = era * 146097 + (int64_t)doe - 719468;
    return true;
}

static bool path_exists(const char *path)
{
    struct stat st;
    /* Anything but a clear "no such file" counts as there, so we never rename over it. */
    return lstat(path, &st) == 0 || errno != ENOENT;
}

static bool join(char *out, size_t size, const char *path, const char *suffix)
{
    int n = snprintf(out, size, "%s%s", path, suffix);
    return n >= 0 && (size_t)n < size;
}

/* Makes renames in the folder durable. Some file systems refuse fsync on a folder; the rename has
 * still happened, so that is not worth failing over. */
static void sync_folder_of(const char *path)
{
    char dir[PATH_LEN];
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

static bool is_damage(int rc)
{
    int primary = rc & 0xff;
    return primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT;
}

/* ---- schema ----------------------------------------------------------------------------------- */

static bool exec_sql(sqlite3 *db, const char *sql, char *why, size_t why_size)
{
    char *error = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &error);
    if (rc != SQLITE_OK)
        set_text(why, why_size, "%s", error ? error : sqlite3_errstr(rc));
    sqlite3_free(error);
    return rc == SQLITE_OK;
}

static bool read_user_version(sqlite3 *db, int *version, int *rc_out)
{
    sqlite3_stmt *stmt = NULL;
    bool ok = false;
    int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        goto done;
    rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW)
        goto done;
    *version = sqlite3_column_int(stmt, 0);
    rc = SQLITE_OK;
    ok = true;
done:
    sqlite3_finalize(stmt);
    *rc_out = rc;
    return ok;
}

/* Brings the schema from `from` up to SCHEMA_VERSION in one transaction, so a crash half-way leaves
 * the old version to migrate again. Each future version adds one `if (from < N)` step. */
static bool migrate(sqlite3 *db, int from, char *why, size_t why_size)
{
    char version_sql[64];
    if (from >= SCHEMA_VERSION)
        return true;
    if (!exec_sql(db, "BEGIN IMMEDIATE", why, why_size))
        return false;
    if (from < 1 && !exec_sql(db, schema_v1, why, why_size))
        goto fail;
    if (from < 2 && !exec_sql(db, schema_v2, why, why_size))
        goto fail;
    snprintf(version_sql, sizeof version_sql, "PRAGMA user_version = %d", SCHEMA_VERSION);
    if (!exec_sql(db, version_sql, why, why_size) || !exec_sql(db, "COMMIT", why, why_size))
        goto fail;
    return true;
fail:
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return false;
}

/* ---- opening ---------------------------------------------------------------------------------- */

static void free_history(History *h)
{
    if (!h)
        return;
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(h->stmt[i]);
    sqlite3_close(h->db); /* every statement is finalized, so this cannot be busy */
    free(h);
}

/* Opens an existing store and checks it. STORE_DAMAGED only on SQLite's word that the file is broken. */
static StoreStatus open_store(const char *path, History **out, char *why, size_t why_size)
{
    StoreStatus status = STORE_FAILED;
    sqlite3_stmt *check = NULL;
    int version = 0;
    History *h = calloc(1, sizeof *h);
    if (!h) {
        set_text(why, why_size, "out of memory");
        goto done;
    }
    int rc = sqlite3_open_v2(path, &h->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        set_text(why, why_size, "%s", h->db ? sqlite3_errmsg(h->db) : sqlite3_errstr(rc));
        goto done;
    }
    sqlite3_extended_result_codes(h->db, 1);
    sqlite3_busy_timeout(h->db, BUSY_TIMEOUT_MS);

    /* The first statement reads the header, so this is where a file that is not a database shows.
     * Where WAL is impossible (no shared memory) journal_mode stays a rollback journal, which with
     * synchronous=FULL is just as safe, only slower; so its answer is not checked. */
    rc = sqlite3_exec(h->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", NULL, NULL,
                      NULL);
    if (rc != SQLITE_OK)
        goto sqlite_error;

    rc = sqlite3_prepare_v2(h->db, "PRAGMA quick_check", -1, &check, NULL);
    if (rc != SQLITE_OK)
        goto sqlite_error;
    rc = sqlite3_step(check);
    if (rc != SQLITE_ROW)
        goto sqlite_error;
    const char *verdict = (const char *)sqlite3_column_text(check, 0);
    if (!verdict || strcmp(verdict, "ok") != 0) {
        set_text(why, why_size, "the integrity check found: %s", verdict ? verdict : "(nothing)");
        status = STORE_DAMAGED;
        goto done;
    }
    sqlite3_finalize(check);
    check = NULL;

    if (!read_user_version(h->db, &version, &rc))
        goto sqlite_error;
    if (version > SCHEMA_VERSION) {
        /* Written by a newer app: not ours to touch, and certainly not damaged. */
        set_text(why, why_size, "it was written by a newer version of the app (schema %d, this one knows %d)", version,
                 SCHEMA_VERSION);
        goto done;
    }
    if (!migrate(h->db, version, why, why_size))
        goto done;
    for (int i = 0; i < ST_COUNT; i++) {
        rc = sqlite3_prepare_v3(h->db, statement_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &h->stmt[i], NULL);
        if (rc != SQLITE_OK) {
            /* The check passed, so the file is sound and the fault is ours (or a table of the same
             * name from someone else's schema): leave the file alone. */
            set_text(why, why_size, "%s", sqlite3_errmsg(h->db));
            goto done;
        }
    }
    status = STORE_OK;
    goto done;

sqlite_error:
    set_text(why, why_size, "%s", sqlite3_errmsg(h->db));
    status = is_damage(rc) ? STORE_DAMAGED : STORE_FAILED;
done:
    sqlite3_finalize(check);
    if (status == STORE_DAMAGED) {
        /* Closing the last connection would checkpoint the -wal into the damaged file and delete it;
         * both belong to the evidence moved aside, so they must stay as they are. */
        int keep = 1;
        sqlite3_db_config(h->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
        sqlite3_file_control(h->db, "main", SQLITE_FCNTL_PERSIST_WAL, &keep);
    }
    if (status != STORE_OK) {
        free_history(h);
        h = NULL;
    }
    *out = h;
    return status;
}

static void remove_store_files(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    char name[PATH_LEN];
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
        if (join(name, sizeof name, path, suffixes[i]))
            unlink(name);
}

/* Builds an empty store at "<path>.creating" and renames it to `path`, so a crash while creating
 * leaves no file at `path` (just a scratch file the next attempt removes), never an empty one. */
static bool create_store(const char *path, char *why, size_t why_size)
{
    bool ok = false;
    sqlite3 *db = NULL;
    char temp[PATH_LEN], temp_wal[PATH_LEN];
    if (!join(temp, sizeof temp, path, ".creating") || !join(temp_wal, sizeof temp_wal, temp, "-wal")) {
        set_text(why, why_size, "the path is too long");
        return false;
    }
    remove_store_files(temp); /* our own scratch files, left by a crash during an earlier attempt */

    int rc = sqlite3_open_v2(temp, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        set_text(why, why_size, "%s", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        goto fail;
    }
    sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
    if (!exec_sql(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", why, why_size) ||
        !migrate(db, 0, why, why_size))
        goto fail;
    /* Everything into the main file before it is renamed: the -wal would not follow it. */
    int wal_frames = 0, copied = 0;
    rc = sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &wal_frames, &copied);
    if (rc != SQLITE_OK || wal_frames != copied) {
        set_text(why, why_size, "couldn't complete the new file: %s", sqlite3_errmsg(db));
        goto fail;
    }
    rc = sqlite3_close(db);
    db = NULL;
    if (rc != SQLITE_OK) {
        set_text(why, why_size, "couldn't complete the new file: %s", sqlite3_errstr(rc));
        goto fail;
    }
    /* The checkpoint synced the file already; this makes sure its contents are on disk before the
     * rename is, whatever the file system's ordering. */
    int fd = open(temp, O_RDONLY);
    if (fd < 0 || fsync(fd) != 0) {
        set_text(why, why_size, "couldn't write the new file: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        goto fail;
    }
    close(fd);
    unlink(temp_wal);
    /* rename() would replace a store another copy of the app made meanwhile; the app runs once per
     * user, so that race is not worth link()'s lack of support on some file systems. */
    if (rename(temp, path) != 0) {
        set_text(why, why_size, "couldn't put the new file in place: %s", strerror(errno));
        goto fail;
    }
    sync_folder_of(path);
    ok = true;
fail:
    if (db)
        sqlite3_close(db);
    if (!ok)
        remove_store_files(temp);
    return ok;
}

/* Renames the store and its -wal and -shm to "<path>.damaged-<stamp>" (plus "-wal", "-shm"), keeping
 * SQLite's naming so the three still open together for anyone trying to rescue them. Never renames
 * over an existing file: a second recovery in the same second gets "-2" and so on. */
static bool move_aside(const char *path, int64_t stamp, char *moved_to, size_t moved_size, char *why, size_t why_size)
{
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    enum { SUFFIXES = sizeof suffixes / sizeof suffixes[0] };
    char base[PATH_LEN], from[PATH_LEN], to[PATH_LEN];
    bool free_name = false;
    for (int attempt = 1; attempt <= 100 && !free_name; attempt++) {
        int n = attempt == 1 ? snprintf(base, sizeof base, "%s.damaged-%lld", path, (long long)stamp)
                             : snprintf(base, sizeof base, "%s.damaged-%lld-%d", path, (long long)stamp, attempt);
        if (n < 0 || (size_t)n + 8 >= sizeof base) {
            set_text(why, why_size, "the path is too long to move the file aside");
            return false;
        }
        free_name = true;
        for (int i = 0; i < SUFFIXES; i++) {
            join(to, sizeof to, base, suffixes[i]);
            if (path_exists(to))
                free_name = false;
        }
    }
    if (!free_name) {
        set_text(why, why_size, "no free name to move the file aside to");
        return false;
    }
    for (int i = 0; i < SUFFIXES; i++) {
        join(from, sizeof from, path, suffixes[i]);
        join(to, sizeof to, base, suffixes[i]);
        if (rename(from, to) != 0 && errno != ENOENT) {
            /* A journal left behind would be replayed into the fresh store, so stop here. */
            set_text(why, why_size, "couldn't move %s aside: %s", from, strerror(errno));
            return false;
        }
    }
    sync_folder_of(path);
    set_text(moved_to, moved_size, "%s", base);
    return true;
}

History *history_open(const char *path, HistoryOpenResult *result, char *message, size_t message_size)
{
    History *h = NULL;
    HistoryOpenResult opened = HISTORY_OPENED;
    char why[WHY_LEN] = "", moved_to[PATH_LEN] = "", wal[PATH_LEN];
    bool damaged = false;
    struct stat st;

    set_text(message, message_size, "%s", "");
    if (result)
        *result = HISTORY_OPENED;
    if (!path || !*path || !join(wal, sizeof wal, path, "-wal")) {
        set_text(message, message_size, "Couldn't open the history: no usable file name was given.");
        return NULL;
    }

    if (stat(path, &st) != 0) {
        if (errno != ENOENT) {
            set_text(message, message_size, "Couldn't open the history file %s: %s", path, strerror(errno));
            return NULL;
        }
        if (path_exists(wal)) {
            /* The store is gone but its journal is not; replayed into a new store it would corrupt it. */
            damaged = true;
            set_text(why, sizeof why, "its journal was there but the file itself was missing");
        } else {
            opened = HISTORY_CREATED;
            if (!create_store(path, why, sizeof why))
                goto fail;
        }
    } else if (!S_ISREG(st.st_mode)) {
        set_text(message, message_size, "Couldn't open the history file %s: it is not a regular file.", path);
        return NULL;
    } else if (st.st_size == 0) {
        /* SQLite would take an empty file as a new database, but create_store never leaves one. */
        damaged = true;
        set_text(why, sizeof why, "the file is empty");
    } else {
        StoreStatus status = open_store(path, &h, why, sizeof why);
        if (status == STORE_FAILED)
            goto fail;
        damaged = status == STORE_DAMAGED;
    }

    if (damaged) {
        if (!move_aside(path, (int64_t)time(NULL), moved_to, sizeof moved_to, why, sizeof why) ||
            !create_store(path, why, sizeof why))
            goto fail;
        opened = HISTORY_RECOVERED;
    }
    if (!h && open_store(path, &h, why, sizeof why) != STORE_OK)
        goto fail;

    if (opened == HISTORY_RECOVERED)
        set_text(message, message_size,
                 "The history file %s could not be read (%s). It was moved to %s and a new history was started.", path,
                 why, moved_to);
    else if (opened == HISTORY_CREATED)
        set_text(message, message_size, "Started a new history in %s.", path);
    if (result)
        *result = opened;
    return h;

fail:
    set_text(message, message_size, "Couldn't open the history file %s: %s", path, why);
    return NULL;
}

void history_close(History *history)
{
    free_history(history);
}

/* ---- sessions --------------------------------------------------------------------------------- */

int64_t history_start(History *history, int64_t started, const char *routine, const char *title, HistoryKind kind,
                      int step_count)
{
    if (!history || !routine || (kind != KIND_EXERCISE && kind != KIND_BREATHING))
        return 0;
    sqlite3_stmt *stmt = history->stmt[ST_INSERT];
    int64_t id = 0;
    if (sqlite3_bind_int64(stmt, 1, started) == SQLITE_OK && bind_fitted(stmt, 2, routine, ROUTINE_SIZE) == SQLITE_OK &&
        bind_fitted(stmt, 3, title ? title : "", TITLE_SIZE) == SQLITE_OK &&
        sqlite3_bind_int(stmt, 4, (int)kind) == SQLITE_OK &&
        sqlite3_bind_int(stmt, 5, step_count < 0 ? 0 : step_count) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_DONE)
        id = sqlite3_last_insert_rowid(history->db);
    finish(stmt);
    return id;
}

bool history_progress(History *history, int64_t id, const HistoryProgress *p)
{
    if (!history || id <= 0 || !p)
        return false;
    sqlite3_stmt *stmt = history->stmt[ST_PROGRESS];
    bool ok = sqlite3_bind_int64(stmt, 1, id) == SQLITE_OK &&
              sqlite3_bind_int(stmt, 2, p->steps_done < 0 ? 0 : p->steps_done) == SQLITE_OK &&
              sqlite3_bind_int(stmt, 3, p->seconds < 0 ? 0 : p->seconds) == SQLITE_OK &&
              sqlite3_bind_int(stmt, 4, p->completed ? 1 : 0) == SQLITE_OK &&
              sqlite3_bind_int(stmt, 5, p->steps_skipped < 0 ? 0 : p->steps_skipped) == SQLITE_OK &&
              sqlite3_bind_int(stmt, 6, p->steps_cut_short < 0 ? 0 : p->steps_cut_short) == SQLITE_OK &&
              sqlite3_bind_int(stmt, 7, p->resume_step < 0 ? 0 : p->resume_step) == SQLITE_OK &&
              sqlite3_bind_text(stmt, 8, p->outcomes ? p->outcomes : "", -1, SQLITE_TRANSIENT) == SQLITE_OK &&
              sqlite3_step(stmt) == SQLITE_DONE && sqlite3_changes(history->db) == 1;
    finish(stmt);
    return ok;
}

bool history_entry(History *history, int64_t id, HistoryEntry *out, char *outcomes, size_t outcomes_size)
{
    if (!history || id <= 0 || !out)
        return false;
    sqlite3_stmt *stmt = history->stmt[ST_BY_ID];
    bool found = sqlite3_bind_int64(stmt, 1, id) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW;
    if (found) {
        read_entry(stmt, out);
        if (outcomes && outcomes_size > 0) {
            const unsigned char *text = sqlite3_column_text(stmt, 12);
            int n = sqlite3_column_bytes(stmt, 12);
            found = text ? (size_t)n < outcomes_size : outcomes_size > 0;
            if (found)
                snprintf(outcomes, outcomes_size, "%s", text ? (const char *)text : "");
        }
    }
    finish(stmt);
    return found;
}

int history_entries(History *history, int64_t from, int64_t to, HistoryEntry *out, int max)
{
    if (!history || !out || max <= 0)
        return 0;
    sqlite3_stmt *stmt = history->stmt[ST_RANGE];
    int count = 0;
    if (sqlite3_bind_int64(stmt, 1, from) == SQLITE_OK && sqlite3_bind_int64(stmt, 2, to) == SQLITE_OK &&
        sqlite3_bind_int(stmt, 3, max) == SQLITE_OK)
        while (count < max && sqlite3_step(stmt) == SQLITE_ROW)
            read_entry(stmt, &out[count++]);
    finish(stmt);
    return count;
}

bool history_unfinished(History *history, int64_t now, int64_t within_s, HistoryEntry *out)
{
    if (!history || !out || within_s < 0)
        return false;
    sqlite3_stmt *stmt = history->stmt[ST_UNFINISHED];
    bool found = false;
    int64_t from = now >= INT64_MIN + within_s ? now - within_s : INT64_MIN;
    if (sqlite3_bind_int64(stmt, 1, from) == SQLITE_OK && sqlite3_bind_int64(stmt, 2, now) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
        read_entry(stmt, out);
        found = true;
    }
    finish(stmt);
    return found;
}

bool history_daily_minutes(History *history, int64_t day_start, int days, int minutes[2][64])
{
    if (!minutes)
        return false;
    memset(minutes, 0, sizeof(int[2][64]));
    if (!history || days <= 0 || days > 64)
        return false;

    int64_t seconds[2][64] = {{0}};
    int64_t first_day;
    if (!local_day(day_start, &first_day))
        return false;
    /* Query a little wide (days are 23 to 25 hours, and day_start may not be exactly midnight) and
     * let each session's own local date decide where it goes. */
    sqlite3_stmt *stmt = history->stmt[ST_RANGE];
    bool ok = sqlite3_bind_int64(stmt, 1, day_start - 2 * SECONDS_PER_DAY) == SQLITE_OK &&
              sqlite3_bind_int64(stmt, 2, day_start + (int64_t)(days + 2) * SECONDS_PER_DAY) == SQLITE_OK &&
              sqlite3_bind_int(stmt, 3, -1) == SQLITE_OK;
    int rc = SQLITE_DONE;
    while (ok && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        int64_t day;
        if (!local_day(sqlite3_column_int64(stmt, 1), &day))
            continue;
        int64_t index = day - first_day;
        if (index >= 0 && index < days)
            seconds[column_kind(stmt, 4)][index] += column_int(stmt, 8);
    }
    ok = ok && rc == SQLITE_DONE;
    finish(stmt);
    if (!ok)
        return false;
    /* Seconds are summed before rounding, so three 20-second tries make a minute rather than nothing. */
    for (int kind = 0; kind < 2; kind++)
        for (int day = 0; day < days; day++) {
            int64_t m = (seconds[kind][day] + 30) / 60;
            minutes[kind][day] = m > INT_MAX ? INT_MAX : (int)m;
        }
    return true;
}

int history_streak(History *history, int64_t today_start)
{
    int64_t today;
    if (!history || !local_day(today_start, &today))
        return 0;
    /* Newest first, so local dates only go down: count while each is the same or the day before,
     * and stop at the first gap without reading the rest of the history. Today lasts at most 25 hours;
     * anything later on the clock is skipped by its date. */
    sqlite3_stmt *stmt = history->stmt[ST_STARTED_BEFORE];
    int streak = 0;
    int64_t current = 0;
    if (sqlite3_bind_int64(stmt, 1, today_start + 2 * SECONDS_PER_DAY) == SQLITE_OK)
        while (sqlite3_step(stmt) == SQLITE_ROW) {
            int64_t day;
            if (!local_day(sqlite3_column_int64(stmt, 0), &day) || day > today)
                continue;
            if (streak == 0) {
                if (day < today - 1)
                    break; /* nothing today or yesterday: the streak is over */
                streak = 1;
                current = day;
            } else if (day == current - 1) {
                streak++;
                current = day;
            } else if (day != current) {
                break;
            }
        }
    finish(stmt);
    return streak;
}

/* ---- export ----------------------------------------------------------------------------------- */

/* One CSV field, quoted (RFC 4180) only when it holds a comma, a quote or a line break. */
static bool write_csv_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n"))
        return fputs(s, out) >= 0;
    if (fputc('"', out) == EOF)
        return false;
    for (; *s; s++)
        if ((*s == '"' && fputc('"', out) == EOF) || fputc(*s, out) == EOF)
            return false;
    return fputc('"', out) != EOF;
}

/* Each step's outcome in words, "done; done; skipped; cut short", so a practitioner reads it as it is.
 * Empty for sessions recorded before outcomes were kept. */
static bool write_csv_outcomes(FILE *out, const unsigned char *outcomes)
{
    bool ok = true;
    for (const unsigned char *c = outcomes; c && *c && ok; c++) {
        const char *word = *c == 'D' ? "done" : *c == 'S' ? "skipped" : *c == 'C' ? "cut short" : "not reached";
        ok = fprintf(out, "%s%s", c == outcomes ? "" : "; ", word) >= 0;
    }
    return ok;
}

static bool write_csv_row(FILE *out, const HistoryEntry *e, const unsigned char *outcomes)
{
    time_t t = (time_t)e->started;
    struct tm tm;
    /* A time the C library cannot place (a clock gone wild) leaves date and time empty rather than
     * losing the row or the rest of the export. */
    bool dated = localtime_r(&t, &tm) != NULL;
    /* Minutes as whole tenths in integers: printf's %.1f would write a decimal comma in some locales. */
    int64_t tenths = ((int64_t)e->seconds * 10 + 30) / 60;
    return (dated ? fprintf(out, "%04d-%02d-%02d,%02d:%02d,", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                            tm.tm_min)
                  : fprintf(out, ",,")) >= 0 &&
           write_csv_field(out, e->routine) && fputc(',', out) != EOF && write_csv_field(out, e->title) &&
           fprintf(out, ",%s,%s,%d,%d,%d,%d,%lld.%lld,", e->kind == KIND_BREATHING ? "breathing" : "exercise",
                   e->completed ? "yes" : "no", e->steps_done, e->steps_skipped, e->steps_cut_short, e->step_count,
                   (long long)(tenths / 10), (long long)(tenths % 10)) >= 0 &&
           write_csv_outcomes(out, outcomes) && fputs("\r\n", out) >= 0;
}

bool history_export_csv(History *history, FILE *out)
{
    if (!history || !out)
        return false;
    /* RFC 4180 ends records with CRLF; spreadsheet programs read that everywhere. */
    bool ok = fputs("date,time,routine,title,kind,completed,steps_done,steps_skipped,steps_cut_short,"
                   "step_count,active_minutes,steps\r\n", out) >= 0;
    sqlite3_stmt *stmt = history->stmt[ST_ALL];
    HistoryEntry entry;
    int rc = SQLITE_DONE;
    while (ok && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        read_entry(stmt, &entry);
        ok = write_csv_row(out, &entry, sqlite3_column_text(stmt, 12));
    }
    ok = ok && rc == SQLITE_DONE;
    finish(stmt);
    return fflush(out) == 0 && !ferror(out) && ok;
}

/* ---- favourites and settings ------------------------------------------------------------------ */

bool history_favourite_set(History *history, const char *item, bool favourite)
{
    if (!history || !item)
        return false;
    sqlite3_stmt *stmt = history->stmt[favourite ? ST_FAV_ADD : ST_FAV_REMOVE];
    bool ok = bind_fitted(stmt, 1, item, ITEM_SIZE) == SQLITE_OK &&
              (!favourite || sqlite3_bind_int64(stmt, 2, (int64_t)time(NULL)) == SQLITE_OK) &&
              sqlite3_step(stmt) == SQLITE_DONE;
    finish(stmt);
    return ok;
}

bool history_is_favourite(History *history, const char *item)
{
    if (!history || !item)
        return false;
    sqlite3_stmt *stmt = history->stmt[ST_FAV_IS];
    bool found = bind_fitted(stmt, 1, item, ITEM_SIZE) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW;
    finish(stmt);
    return found;
}

int history_favourites(History *history, char out[][160], int max)
{
    if (!history || !out || max <= 0)
        return 0;
    sqlite3_stmt *stmt = history->stmt[ST_FAV_LIST];
    int count = 0;
    if (sqlite3_bind_int(stmt, 1, max) == SQLITE_OK)
        while (count < max && sqlite3_step(stmt) == SQLITE_ROW) {
            copy_text(out[count], sizeof out[count], sqlite3_column_text(stmt, 0), sqlite3_column_bytes(stmt, 0));
            count++;
        }
    finish(stmt);
    return count;
}

bool history_setting_set(History *history, const char *key, const char *value)
{
    if (!history || !key || !value)
        return false;
    sqlite3_stmt *stmt = history->stmt[ST_SETTING_SET];
    bool ok = sqlite3_bind_text(stmt, 1, key, -1, SQLITE_TRANSIENT) == SQLITE_OK &&
              sqlite3_bind_text(stmt, 2, value, -1, SQLITE_TRANSIENT) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_DONE;
    finish(stmt);
    return ok;
}

/* A value too long for `out` gives false and an empty string rather than half a value: the caller
 * falls back to its default instead of acting on a cut-off setting. */
bool history_setting_get(History *history, const char *key, char *out, size_t size)
{
    if (!out || size == 0)
        return false;
    out[0] = '\0';
    if (!history || !key)
        return false;
    sqlite3_stmt *stmt = history->stmt[ST_SETTING_GET];
    bool ok = false;
    if (sqlite3_bind_text(stmt, 1, key, -1, SQLITE_TRANSIENT) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
        const unsigned char *text = sqlite3_column_text(stmt, 0);
        int bytes = sqlite3_column_bytes(stmt, 0);
        if (text && (size_t)bytes < size) {
            memcpy(out, text, (size_t)bytes + 1);
            ok = true;
        }
    }
    finish(stmt);
    return ok;
}
