/* kiosk_settings.h: the settings of a waiting-room screen, read from a JSON file staff can edit.
 *
 * Validated like a content pack (src/core/pack_load.c): every problem is a Problem with file, line,
 * column, JSON path and a message that says how to fix it; a bad value falls back to its default with
 * a warning, so a typo never stops the kiosk. The PIN is never stored: only its libsodium
 * crypto_pwhash_str hash (Argon2id), checked with kiosk_pin_check.
 */
#ifndef BA_KIOSK_SETTINGS_H
#define BA_KIOSK_SETTINGS_H

#include <stdbool.h>
#include <stdint.h>

#include "problems.h"

#define KIOSK_MAX_CONTENT_DIRS 8
#define KIOSK_MAX_ATTRACT_ITEMS 32

typedef enum { NIGHT_OFF, NIGHT_DIM, NIGHT_BLANK } NightMode;

typedef struct {
    /* Idle reset (seconds): the "still there?" prompt after idle_prompt_s without input on an ordinary
     * screen, or routine_idle_s during a routine; back to the start idle_reset_s after the prompt. */
    int idle_prompt_s;     /* default 90, 15..3600 */
    int idle_reset_s;      /* default 20, 5..300 */
    int routine_idle_s;    /* default 600, 60..7200 */

    /* Staff access. */
    char *pin_hash;        /* crypto_pwhash_str string, or NULL: no PIN set, staff access disabled */
    int lockout_attempts;  /* wrong PINs before a lockout, default 5, 1..20 */
    int lockout_s;         /* default 300, 10..86400 */
    int relock_s;          /* staff mode ends after this much inactivity, default 120, 15..3600 */

    /* Overnight: from night_start to night_end (minutes after midnight, local time; may wrap midnight).
     * night_mode NIGHT_OFF when there is no schedule. */
    NightMode night_mode;  /* default NIGHT_OFF */
    int night_start_min;   /* "20:00" -> 1200 */
    int night_end_min;     /* "07:00" -> 420 */
    int dim_percent;       /* brightness kept when dimming, default 20, 0..90 */

    /* Content. */
    char *content_dirs[KIOSK_MAX_CONTENT_DIRS]; /* absolute or relative to the settings file's folder */
    int content_dir_count;                      /* 0: the bundled content */
    char *language;                             /* default content language, or NULL for the system's */

    /* Attract loop shown when idle. */
    bool attract_enabled;  /* default true */
    int attract_item_s;    /* seconds per highlight, default 8, 3..120 */
    char *attract_items[KIOSK_MAX_ATTRACT_ITEMS]; /* item refs ("item" or "pack/item"); none: every topic */
    int attract_item_count;
} KioskSettings;

/* Defaults for every field (no PIN, no night schedule, bundled content). */
void kiosk_settings_defaults(KioskSettings *settings);

/* Reads and validates `path`. A missing file gives the defaults and one warning; a file that is not
 * valid JSON gives the defaults and an error. Problems are appended to `problems`. Returns false only
 * when out of memory. Free with kiosk_settings_free(). */
bool kiosk_settings_load(const char *path, KioskSettings *settings, ProblemList *problems);
void kiosk_settings_free(KioskSettings *settings);

/* Is local time `minute_of_day` (0..1439) inside the night window? */
bool kiosk_night_active(const KioskSettings *settings, int minute_of_day);
/* Minutes from minute_of_day until the night window next starts or ends (1..1440), for the loop's
 * next deadline; 0 when there is no schedule. */
int kiosk_night_next_change(const KioskSettings *settings, int minute_of_day);

/* PINs are 4 to 12 digits. kiosk_pin_hash writes a crypto_pwhash_str string (at most
 * KIOSK_PIN_HASH_MAX bytes incl. NUL) into out; false if the PIN is not 4-12 digits or hashing fails.
 * kiosk_pin_check is false for a NULL hash. Both call sodium_init as needed. */
#define KIOSK_PIN_HASH_MAX 128
bool kiosk_pin_hash(const char *pin, char *out, size_t size);
bool kiosk_pin_check(const char *hash, const char *pin);

/* Writes `pin_hash` into the settings file at `path` (creating it with defaults if missing), keeping
 * every other key as it is; written to a temporary file and renamed, so a power cut never leaves a
 * half-written file. Returns false and sets a message on failure. */
bool kiosk_settings_write_pin(const char *path, const char *pin_hash, char *error, size_t error_size);

#endif
