/* test_kiosk_settings.c: the kiosk's settings file: defaults, a file that sets everything, the exact
 * message (with line:col and JSON path) for each bad value and the default used instead, the night
 * window, the PIN hash, and rewriting the file with a new PIN without losing anything else.
 *
 * Fixtures are in tests/fixtures-kiosk/ (ctest runs this from tests/); files that the tests write go
 * into a fresh mkdtemp() folder that is removed at the end.
 */
#define _XOPEN_SOURCE 700 /* mkdtemp, symlink, lstat */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "check.h"
#include "text_util.h"
#include "kiosk_settings.h"

#define GOOD_PIN "2468" /* the PIN whose hash is in fixtures-kiosk/good.json */

static char temp_dir[] = "/tmp/test-kiosk-settings-XXXXXX";

/* ---- helpers ---------------------------------------------------------------------------------- */

static char *temp_path(const char *name)
{
    static char paths[4][512];
    static int next;
    char *out = paths[next++ % 4];
    snprintf(out, sizeof paths[0], "%s/%s", temp_dir, name);
    return out;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs(text, f);
    fclose(f);
}

/* The whole file, malloc'd, or NULL. */
static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *text = calloc(1, 1 << 16);
    if (text && fread(text, 1, (1 << 16) - 1, f) == 0 && ferror(f)) {
        free(text);
        text = NULL;
    }
    fclose(f);
    return text;
}

static int files_in_temp_dir(void)
{
    DIR *d = opendir(temp_dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

static void empty_temp_dir(void)
{
    DIR *d = opendir(temp_dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            unlink(temp_path(e->d_name));
    }
    if (d)
        closedir(d);
}

/* Loads `path` and checks that its problems, formatted, are exactly `expected` (NULL-terminated). */
static void load_expecting(const char *path, KioskSettings *s, const char *const expected[])
{
    ProblemList problems;
    problems_init(&problems);
    CHECK(kiosk_settings_load(path, s, &problems));
    size_t n = 0;
    while (expected[n])
        n++;
    for (size_t i = 0; i < problems.count; i++) {
        char line[2048];
        problem_format(&problems.items[i], line, sizeof line);
        if (i < n)
            CHECK_STR(line, expected[i]);
        else
            fprintf(stderr, "unexpected: %s\n", line);
    }
    CHECK_INT(problems.count, n);
    problems_free(&problems);
}

static const char *const no_problems[] = {NULL};

/* ---- loading ---------------------------------------------------------------------------------- */

static void defaults_should_be_the_documented_values(void)
{
    KioskSettings s;
    kiosk_settings_defaults(&s);
    CHECK_INT(s.idle_prompt_s, 90);
    CHECK_INT(s.idle_reset_s, 20);
    CHECK_INT(s.routine_idle_s, 600);
    CHECK(s.pin_hash == NULL);
    CHECK_INT(s.lockout_attempts, 5);
    CHECK_INT(s.lockout_s, 300);
    CHECK_INT(s.relock_s, 120);
    CHECK_INT(s.night_mode, NIGHT_OFF);
    CHECK_INT(s.night_start_min, 20 * 60);
    CHECK_INT(s.night_end_min, 7 * 60);
    CHECK_INT(s.dim_percent, 20);
    CHECK_INT(s.content_dir_count, 0);
    CHECK(s.language == NULL);
    CHECK(s.attract_enabled);
    CHECK_INT(s.attract_item_s, 8);
    CHECK_INT(s.attract_item_count, 0);
    kiosk_settings_free(&s); /* harmless on defaults */
}

static void a_full_valid_file_should_load_every_value_without_a_problem(void)
{
    KioskSettings s;
    load_expecting("fixtures-kiosk/good.json", &s, no_problems);
    CHECK_INT(s.idle_prompt_s, 120);
    CHECK_INT(s.idle_reset_s, 30);
    CHECK_INT(s.routine_idle_s, 900);
    CHECK(s.pin_hash != NULL && strncmp(s.pin_hash, "$argon2id$", 10) == 0);
    CHECK_INT(s.lockout_attempts, 3);
    CHECK_INT(s.lockout_s, 600);
    CHECK_INT(s.relock_s, 60);
    CHECK_INT(s.night_mode, NIGHT_DIM);
    CHECK_INT(s.night_start_min, 21 * 60 + 30);
    CHECK_INT(s.night_end_min, 6 * 60 + 45);
    CHECK_INT(s.dim_percent, 10);
    CHECK_INT(s.content_dir_count, 3);
    CHECK_STR(s.content_dirs[0], "/srv/clinic/packs");
    CHECK_STR(s.language, "en-AU");
    CHECK(!s.attract_enabled);
    CHECK_INT(s.attract_item_s, 12);
    CHECK_INT(s.attract_item_count, 2);
    CHECK_STR(s.attract_items[0], "sot-blocks");
    CHECK_STR(s.attract_items[1], "posture/posture-desk-sitting");
    CHECK(kiosk_pin_check(s.pin_hash, GOOD_PIN));
    kiosk_settings_free(&s);
    CHECK(s.pin_hash == NULL);
    CHECK_INT(s.content_dir_count, 0);
}

static void a_missing_file_should_warn_once_and_give_the_defaults(void)
{
    static const char *const expected[] = {
        "fixtures-kiosk/no-such-file.json: warning: no settings file at fixtures-kiosk/no-such-file.json; "
        "the defaults are used",
        NULL};
    KioskSettings s;
    load_expecting("fixtures-kiosk/no-such-file.json", &s, expected);
    CHECK_INT(s.idle_prompt_s, 90);
    CHECK_INT(s.night_mode, NIGHT_OFF);
    kiosk_settings_free(&s);
}

static void each_bad_value_should_warn_where_it_is_and_fall_back_to_its_default(void)
{
    static const char *const expected[] = {
        "fixtures-kiosk/bad-values.json:2:26: warning: idle_prompt_seconds: \"idle_prompt_seconds\" must be "
        "between 15 and 3600; it is 5 (the default, 90, is used)",
        "fixtures-kiosk/bad-values.json:3:25: warning: idle_reset_seconds: \"idle_reset_seconds\" must be a "
        "number without quotes: write 30, not \"30\" (the default, 20, is used)",
        "fixtures-kiosk/bad-values.json:4:27: warning: routine_idle_seconds: \"routine_idle_seconds\" must be a "
        "whole number, like 600; it is 90.5 (the default, 600, is used)",
        "fixtures-kiosk/bad-values.json:5:15: warning: pin_hash: \"pin_hash\" is not a PIN hash made by "
        "blue-align --set-pin (those start with \"$argon2id$\"), so it is ignored and staff access is off. "
        "Never write the PIN itself here; set it with blue-align --set-pin SETTINGS_FILE",
        "fixtures-kiosk/bad-values.json:6:23: warning: lockout_attempts: \"lockout_attempts\" must be a number, "
        "like 5; it is true or false (the default, 5, is used)",
        "fixtures-kiosk/bad-values.json:7:22: warning: lockout_seconds: \"lockout_seconds\" must be between 10 "
        "and 86400; it is 5 (the default, 300, is used)",
        "fixtures-kiosk/bad-values.json:8:21: warning: relock_seconds: \"relock_seconds\" must be between 15 and "
        "3600; it is 99999 (the default, 120, is used)",
        "fixtures-kiosk/bad-values.json:9:21: warning: night.mode: \"mode\" must be one of \"off\", \"dim\" or "
        "\"blank\"; it is \"dimm\". Did you mean \"dim\"? (the default, \"off\", is used)",
        "fixtures-kiosk/bad-values.json:9:37: warning: night.from: \"from\" must be a time written HH:MM on the "
        "24-hour clock, from \"00:00\" to \"23:59\", like \"20:00\"; it is \"25:00\" (the default, \"20:00\", "
        "is used)",
        "fixtures-kiosk/bad-values.json:9:52: warning: night.to: \"to\" must be a time in double quotes, written "
        "HH:MM like \"07:00\"; it is a number (the default, \"07:00\", is used)",
        "fixtures-kiosk/bad-values.json:9:70: warning: night.dim_percent: \"dim_percent\" must be between 0 and "
        "90; it is 95 (the default, 20, is used)",
        "fixtures-kiosk/bad-values.json:10:36: warning: content[1]: each entry of \"content\" must be a folder in "
        "double quotes, like \"/srv/clinic/packs\"; this one is a number (it is left out)",
        "fixtures-kiosk/bad-values.json:10:40: warning: content[2]: each entry of \"content\" must be a folder in "
        "double quotes, like \"/srv/clinic/packs\"; this one is empty (it is left out)",
        "fixtures-kiosk/bad-values.json:11:15: warning: language: \"language\" must be a language code, like "
        "\"en\" or \"en-AU\"; it is \"English\" (the system's language is used)",
        "fixtures-kiosk/bad-values.json:12:26: warning: attract.enabled: \"enabled\" must be true or false; it "
        "is text (the default, true, is used)",
        "fixtures-kiosk/bad-values.json:12:53: warning: attract.seconds_per_item: \"seconds_per_item\" must be "
        "between 3 and 120; it is 1 (the default, 8, is used)",
        "fixtures-kiosk/bad-values.json:12:80: warning: attract.items[1]: each entry of \"items\" must be an "
        "item id, like \"sot-blocks\", or a pack id, a slash and an item id, like "
        "\"posture/posture-desk-sitting\" (lowercase letters a-z, digits and hyphens); this one is "
        "\"Posture Desk\" (it is left out)",
        "fixtures-kiosk/bad-values.json:12:96: warning: attract.items[2]: each entry of \"items\" must be an "
        "item id in double quotes, like \"sot-blocks\" or \"posture/posture-desk-sitting\"; this one is a "
        "number (it is left out)",
        NULL};
    KioskSettings s;
    load_expecting("fixtures-kiosk/bad-values.json", &s, expected);
    KioskSettings d;
    kiosk_settings_defaults(&d);
    CHECK_INT(s.idle_prompt_s, d.idle_prompt_s);
    CHECK_INT(s.idle_reset_s, d.idle_reset_s);
    CHECK_INT(s.routine_idle_s, d.routine_idle_s);
    CHECK(s.pin_hash == NULL);
    CHECK_INT(s.lockout_attempts, d.lockout_attempts);
    CHECK_INT(s.lockout_s, d.lockout_s);
    CHECK_INT(s.relock_s, d.relock_s);
    CHECK_INT(s.night_mode, NIGHT_OFF);
    CHECK_INT(s.night_start_min, d.night_start_min);
    CHECK_INT(s.night_end_min, d.night_end_min);
    CHECK_INT(s.dim_percent, d.dim_percent);
    CHECK_INT(s.content_dir_count, 1); /* the good entry stays */
    CHECK_STR(s.content_dirs[0], "/srv/clinic/packs");
    CHECK(s.language == NULL);
    CHECK(s.attract_enabled);
    CHECK_INT(s.attract_item_s, d.attract_item_s);
    CHECK_INT(s.attract_item_count, 1);
    CHECK_STR(s.attract_items[0], "sot-blocks");
    kiosk_settings_free(&s);
}

static void values_of_the_wrong_kind_should_say_what_kind_is_needed(void)
{
    static const char *const expected[] = {
        "fixtures-kiosk/wrong-types.json:2:15: warning: pin_hash: \"pin_hash\" must be text made by blue-align "
        "--set-pin; it is a number, so it is ignored and staff access is off until a PIN is set",
        "fixtures-kiosk/wrong-types.json:3:12: warning: night: \"night\" must be an object like {\"mode\": "
        "\"dim\", \"from\": \"20:00\", \"to\": \"07:00\"}; it is text, so there is no night schedule",
        "fixtures-kiosk/wrong-types.json:4:14: warning: content: \"content\" must be a list in square brackets, "
        "like [\"/srv/clinic/packs\"]; it is text (the bundled content is used)",
        "fixtures-kiosk/wrong-types.json:5:15: warning: language: \"language\" must be a language code in "
        "double quotes, like \"en\" or \"en-AU\"; it is a number (the system's language is used)",
        "fixtures-kiosk/wrong-types.json:6:26: warning: attract.enabled: \"enabled\" must be true or false "
        "without quotes: write true, not \"true\" (the default, true, is used)",
        "fixtures-kiosk/wrong-types.json:6:43: warning: attract.items: \"items\" must be a list in square "
        "brackets, like [\"sot-blocks\", \"posture/posture-desk-sitting\"]; it is text (every topic is shown)",
        NULL};
    KioskSettings s;
    load_expecting("fixtures-kiosk/wrong-types.json", &s, expected);
    CHECK(s.pin_hash == NULL);
    CHECK_INT(s.night_mode, NIGHT_OFF);
    CHECK_INT(s.content_dir_count, 0);
    CHECK(s.attract_enabled);
    CHECK_INT(s.attract_item_count, 0);
    kiosk_settings_free(&s);
}

static void a_file_that_is_not_json_should_give_an_error_and_the_defaults(void)
{
    static const char *const expected[] = {
        "fixtures-kiosk/not-json.json:3:19: error: remove this comma: JSON does not allow a comma after the "
        "last entry of a list or object",
        "fixtures-kiosk/not-json.json: warning: none of the settings in this file are used until the error "
        "above is fixed; the defaults are used",
        NULL};
    KioskSettings s;
    load_expecting("fixtures-kiosk/not-json.json", &s, expected);
    CHECK_INT(s.idle_prompt_s, 90);
    CHECK(s.language == NULL);
    kiosk_settings_free(&s);
}

static void a_file_holding_a_list_should_give_an_error_and_the_defaults(void)
{
    static const char *const expected[] = {
        "fixtures-kiosk/not-an-object.json:1:1: error: the settings file must hold one object, starting with { "
        "and ending with }; it holds a list [ ... ] (the defaults are used)",
        NULL};
    KioskSettings s;
    load_expecting("fixtures-kiosk/not-an-object.json", &s, expected);
    CHECK_INT(s.idle_prompt_s, 90);
    kiosk_settings_free(&s);
}

static void misspelt_keys_should_be_named_in_reading_order_with_a_suggestion(void)
{
    static const char *const expected[] = {
        "fixtures-kiosk/misspelt.json:4:3: warning: idle_promt_seconds: unknown key \"idle_promt_seconds\" is "
        "ignored; did you mean \"idle_prompt_seconds\"?",
        "fixtures-kiosk/misspelt.json:5:3: warning: Language: unknown key \"Language\" is ignored; did you mean "
        "\"language\"?",
        "fixtures-kiosk/misspelt.json:6:28: warning: night.form: unknown key \"form\" is ignored; did you mean "
        "\"from\"?",
        "fixtures-kiosk/misspelt.json:7:15: warning: attract.enable: unknown key \"enable\" is ignored; did you "
        "mean \"enabled\"?",
        "fixtures-kiosk/misspelt.json:8:3: warning: colour: unknown key \"colour\" is ignored. Remove it, or "
        "start its name with \"x-\" to keep it as a note",
        "fixtures-kiosk/misspelt.json:10:3: warning: language: \"language\" appears twice in this object; the "
        "first one is used. Remove one of them",
        NULL};
    KioskSettings s;
    load_expecting("fixtures-kiosk/misspelt.json", &s, expected); /* "$schema" and "x-" keys: no problem */
    CHECK_INT(s.idle_prompt_s, 90);
    CHECK_STR(s.language, "fr");
    CHECK_INT(s.night_mode, NIGHT_DIM);
    CHECK_INT(s.night_start_min, 20 * 60); /* "form" is not "from": the default time */
    CHECK(s.attract_enabled);
    kiosk_settings_free(&s);
}

static void a_night_without_a_mode_should_say_so(void)
{
    static const char *expected[2] = {NULL, NULL};
    char message[512];
    snprintf(message, sizeof message,
             "%s:2:12: warning: night: \"night\" has no \"mode\", so there is no night schedule; add \"mode\": "
             "\"dim\" or \"mode\": \"blank\"",
             temp_path("settings.json"));
    expected[0] = message;
    write_text(temp_path("settings.json"), "{\n  \"night\": {\"from\": \"21:00\", \"to\": \"06:00\"}\n}\n");
    KioskSettings s;
    load_expecting(temp_path("settings.json"), &s, expected);
    CHECK_INT(s.night_mode, NIGHT_OFF);
    kiosk_settings_free(&s);
    empty_temp_dir();
}

static void the_same_from_and_to_should_mean_no_night(void)
{
    static const char *const expected[] = {
        "fixtures-kiosk/night-same-times.json:2:53: warning: night.to: \"from\" and \"to\" are both \"20:00\", "
        "so the night would last no time; there is no night schedule. Set \"to\" to the time the screen "
        "should wake",
        NULL};
    KioskSettings s;
    load_expecting("fixtures-kiosk/night-same-times.json", &s, expected);
    CHECK_INT(s.night_mode, NIGHT_OFF);
    CHECK(!kiosk_night_active(&s, 20 * 60));
    CHECK_INT(kiosk_night_next_change(&s, 20 * 60), 0);
    kiosk_settings_free(&s);
}

static void lists_longer_than_allowed_should_warn_and_keep_the_first_entries(void)
{
    static const char *const expected[] = {
        "fixtures-kiosk/too-many.json:2:14: warning: content: \"content\" has 9 entries; only the first 8 are "
        "used",
        "fixtures-kiosk/too-many.json:3:24: warning: attract.items: \"items\" has 33 entries; only the first 32 "
        "are used",
        NULL};
    KioskSettings s;
    load_expecting("fixtures-kiosk/too-many.json", &s, expected);
    CHECK_INT(s.content_dir_count, KIOSK_MAX_CONTENT_DIRS);
    CHECK_STR(s.content_dirs[KIOSK_MAX_CONTENT_DIRS - 1], "fixtures-kiosk/packs-8");
    CHECK_INT(s.attract_item_count, KIOSK_MAX_ATTRACT_ITEMS);
    CHECK_STR(s.attract_items[KIOSK_MAX_ATTRACT_ITEMS - 1], "item-32");
    kiosk_settings_free(&s);
}

static void relative_content_folders_should_resolve_against_the_settings_files_folder(void)
{
    KioskSettings s;
    load_expecting("fixtures-kiosk/good.json", &s, no_problems);
    CHECK_INT(s.content_dir_count, 3);
    CHECK_STR(s.content_dirs[0], "/srv/clinic/packs");      /* absolute: as written */
    CHECK_STR(s.content_dirs[1], "fixtures-kiosk/more-packs");
    CHECK_STR(s.content_dirs[2], "fixtures-kiosk/extra");   /* without the trailing slash */
    kiosk_settings_free(&s);

    write_text(temp_path("settings.json"), "{\"content\": [\"packs\", \"../shared/packs\", \"/media/usb\"]}");
    load_expecting(temp_path("settings.json"), &s, no_problems);
    CHECK_INT(s.content_dir_count, 3);
    char want[600];
    snprintf(want, sizeof want, "%s/packs", temp_dir);
    CHECK_STR(s.content_dirs[0], want);
    snprintf(want, sizeof want, "%s/../shared/packs", temp_dir);
    CHECK_STR(s.content_dirs[1], want);
    CHECK_STR(s.content_dirs[2], "/media/usb");
    kiosk_settings_free(&s);
    empty_temp_dir();
}

static void the_complete_example_in_the_guide_should_load_without_a_problem(void)
{
    char *guide = read_text("../docs/kiosk-settings.md");
    CHECK(guide != NULL);
    const char *start = guide ? strstr(guide, "## A complete example") : NULL;
    const char *block = start ? strstr(start, "```json\n") : NULL;
    const char *close = block ? strstr(block + 8, "\n```") : NULL;
    CHECK(close != NULL);
    if (close) {
        FILE *f = fopen(temp_path("example.json"), "wb");
        CHECK(f != NULL);
        if (f) {
            fwrite(block + 8, 1, (size_t)(close - block - 8) + 1, f);
            fclose(f);
        }
        KioskSettings s;
        load_expecting(temp_path("example.json"), &s, no_problems);
        CHECK(s.pin_hash != NULL);
        CHECK_INT(s.night_mode, NIGHT_DIM);
        CHECK_INT(s.content_dir_count, 2);
        CHECK_INT(s.attract_item_count, 2);
        kiosk_settings_free(&s);
    }
    free(guide);
    empty_temp_dir();
}

/* ---- the night window ------------------------------------------------------------------------- */

static KioskSettings night(NightMode mode, int from, int to)
{
    KioskSettings s;
    kiosk_settings_defaults(&s);
    s.night_mode = mode;
    s.night_start_min = from;
    s.night_end_min = to;
    return s;
}

static void a_night_window_across_midnight_should_be_active_from_evening_to_morning(void)
{
    KioskSettings s = night(NIGHT_DIM, 20 * 60, 7 * 60);
    CHECK(!kiosk_night_active(&s, 20 * 60 - 1));
    CHECK(kiosk_night_active(&s, 20 * 60));
    CHECK(kiosk_night_active(&s, 23 * 60 + 59));
    CHECK(kiosk_night_active(&s, 0));
    CHECK(kiosk_night_active(&s, 7 * 60 - 1));
    CHECK(!kiosk_night_active(&s, 7 * 60));
    CHECK(!kiosk_night_active(&s, 12 * 60));
}

static void a_night_window_within_one_day_should_be_active_between_its_times(void)
{
    KioskSettings s = night(NIGHT_BLANK, 13 * 60, 14 * 60); /* closed over lunch */
    CHECK(!kiosk_night_active(&s, 13 * 60 - 1));
    CHECK(kiosk_night_active(&s, 13 * 60));
    CHECK(kiosk_night_active(&s, 14 * 60 - 1));
    CHECK(!kiosk_night_active(&s, 14 * 60));
    CHECK(!kiosk_night_active(&s, 0));
}

static void next_change_should_count_the_minutes_to_the_next_boundary(void)
{
    KioskSettings s = night(NIGHT_DIM, 20 * 60, 7 * 60);
    CHECK_INT(kiosk_night_next_change(&s, 20 * 60 - 1), 1);
    CHECK_INT(kiosk_night_next_change(&s, 20 * 60), 11 * 60);    /* just started: until 07:00 */
    CHECK_INT(kiosk_night_next_change(&s, 23 * 60 + 30), 7 * 60 + 30);
    CHECK_INT(kiosk_night_next_change(&s, 0), 7 * 60);
    CHECK_INT(kiosk_night_next_change(&s, 7 * 60), 13 * 60);     /* just ended: until 20:00 */
    CHECK_INT(kiosk_night_next_change(&s, 12 * 60), 8 * 60);

    KioskSettings lunch = night(NIGHT_BLANK, 13 * 60, 14 * 60);
    CHECK_INT(kiosk_night_next_change(&lunch, 12 * 60), 60);
    CHECK_INT(kiosk_night_next_change(&lunch, 13 * 60 + 30), 30);
    CHECK_INT(kiosk_night_next_change(&lunch, 14 * 60), 23 * 60);

    KioskSettings one_minute = night(NIGHT_BLANK, 0, 1);
    CHECK_INT(kiosk_night_next_change(&one_minute, 0), 1);
    CHECK_INT(kiosk_night_next_change(&one_minute, 1), 1439);
}

static void no_night_schedule_should_never_be_active_nor_have_a_next_change(void)
{
    KioskSettings off = night(NIGHT_OFF, 20 * 60, 7 * 60);
    KioskSettings no_length = night(NIGHT_DIM, 20 * 60, 20 * 60);
    for (int m = 0; m < 1440; m += 7) {
        CHECK(!kiosk_night_active(&off, m));
        CHECK(!kiosk_night_active(&no_length, m));
    }
    CHECK_INT(kiosk_night_next_change(&off, 100), 0);
    CHECK_INT(kiosk_night_next_change(&no_length, 100), 0);
}

/* ---- the PIN ---------------------------------------------------------------------------------- */

static void a_hashed_pin_should_match_itself_and_nothing_else(void)
{
    char hash[KIOSK_PIN_HASH_MAX];
    CHECK(kiosk_pin_hash("4071", hash, sizeof hash));
    CHECK(strncmp(hash, "$argon2id$", 10) == 0);
    CHECK(strstr(hash, "4071") == NULL);
    CHECK(kiosk_pin_check(hash, "4071"));
    CHECK(!kiosk_pin_check(hash, "4072"));
    CHECK(!kiosk_pin_check(hash, "40710"));
    CHECK(!kiosk_pin_check(hash, ""));
    CHECK(!kiosk_pin_check(hash, NULL));

    char again[KIOSK_PIN_HASH_MAX];
    CHECK(kiosk_pin_hash("4071", again, sizeof again));
    CHECK(strcmp(hash, again) != 0); /* a fresh salt every time */
    CHECK(kiosk_pin_check(again, "4071"));

    CHECK(kiosk_pin_hash("012345678901", hash, sizeof hash)); /* 12 digits, leading zero */
    CHECK(kiosk_pin_check(hash, "012345678901"));
}

static void pins_that_are_not_4_to_12_digits_should_be_refused(void)
{
    static const char *const bad[] = {"", "123", "1234567890123", "12a4", " 1234", "1234 ", "١٢٣٤", "12.4"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char hash[KIOSK_PIN_HASH_MAX] = "untouched";
        CHECK(!kiosk_pin_hash(bad[i], hash, sizeof hash));
        CHECK_STR(hash, "");
    }
    char hash[KIOSK_PIN_HASH_MAX];
    CHECK(!kiosk_pin_hash(NULL, hash, sizeof hash));
    char small[16];
    CHECK(!kiosk_pin_hash("1234", small, sizeof small)); /* too small for the hash */
}

static void a_null_or_foreign_hash_should_never_match(void)
{
    CHECK(!kiosk_pin_check(NULL, "1234"));
    CHECK(!kiosk_pin_check("", "1234"));
    CHECK(!kiosk_pin_check("1234", "1234"));
    CHECK(!kiosk_pin_check("$2y$10$abcdefghijklmnopqrstuv", "1234"));
    CHECK(!kiosk_pin_check("$argon2id$v=19$m=65536,t=2,p=1$broken", "1234"));
}

/* ---- writing the PIN -------------------------------------------------------------------------- */

static void write_pin_should_replace_pin_hash_and_keep_every_other_key_in_order(void)
{
    const char *path = temp_path("settings.json");
    write_text(path, "{\n"
                     "  \"x-note\": \"kiosk 2\",\n"
                     "  \"idle_prompt_seconds\": 120,\n"
                     "  \"pin_hash\": \"$argon2id$old\",\n"
                     "  \"night\": {\"mode\": \"dim\", \"from\": \"21:00\", \"to\": \"06:00\"},\n"
                     "  \"content\": [\"packs\", \"/srv/clinic/packs\"],\n"
                     "  \"pin_hash\": \"$argon2id$older\"\n"
                     "}\n");
    chmod(path, 0640);
    char hash[KIOSK_PIN_HASH_MAX];
    CHECK(kiosk_pin_hash("97531", hash, sizeof hash));
    char error[512] = "not set";
    CHECK(kiosk_settings_write_pin(path, hash, error, sizeof error));
    CHECK_STR(error, "");

    char *text = read_text(path);
    /* Every other byte as it was: the layout a member of staff chose is theirs. */
    char *expected = text_printf("{\n"
                                 "  \"x-note\": \"kiosk 2\",\n"
                                 "  \"idle_prompt_seconds\": 120,\n"
                                 "  \"pin_hash\": \"%s\",\n"
                                 "  \"night\": {\"mode\": \"dim\", \"from\": \"21:00\", \"to\": \"06:00\"},\n"
                                 "  \"content\": [\"packs\", \"/srv/clinic/packs\"]\n"
                                 "}\n",
                                 hash);
    CHECK_STR(text, expected);
    free(expected);
    cJSON *root = text ? cJSON_Parse(text) : NULL;
    CHECK(root != NULL);
    static const char *const order[] = {"x-note", "idle_prompt_seconds", "pin_hash", "night", "content"};
    int i = 0;
    for (const cJSON *m = root ? root->child : NULL; m; m = m->next, i++)
        if (i < 5)
            CHECK_STR(m->string, order[i]);
    CHECK_INT(i, 5); /* the later duplicate "pin_hash" is gone */
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(root, "pin_hash")), hash);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(root, "x-note")), "kiosk 2");
    const cJSON *night_obj = cJSON_GetObjectItemCaseSensitive(root, "night");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(night_obj, "to")), "06:00");
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root, "content")), 2);
    cJSON_Delete(root);
    free(text);

    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0640); /* permissions kept */
    CHECK_INT(files_in_temp_dir(), 1);                            /* no temporary file left */

    KioskSettings s;
    load_expecting(path, &s, no_problems);
    CHECK_INT(s.idle_prompt_s, 120);
    CHECK(kiosk_pin_check(s.pin_hash, "97531"));
    CHECK(!kiosk_pin_check(s.pin_hash, GOOD_PIN));
    kiosk_settings_free(&s);
    empty_temp_dir();
}

static void write_pin_should_add_the_key_indented_as_the_file_is(void)
{
    const char *path = temp_path("four-spaces.json");
    write_text(path, "{\n    \"idle_prompt_seconds\": 60,\n    \"language\": \"en-AU\"\n}\n");
    char hash[KIOSK_PIN_HASH_MAX], error[512];
    CHECK(kiosk_pin_hash("2468", hash, sizeof hash));
    CHECK(kiosk_settings_write_pin(path, hash, error, sizeof error));
    char *text = read_text(path);
    char *expected = text_printf("{\n    \"idle_prompt_seconds\": 60,\n    \"language\": \"en-AU\",\n"
                                 "    \"pin_hash\": \"%s\"\n}\n", hash);
    CHECK_STR(text, expected);
    free(expected);
    free(text);
    write_text(path, "{}");
    CHECK(kiosk_settings_write_pin(path, hash, error, sizeof error));
    text = read_text(path);
    expected = text_printf("{\n  \"pin_hash\": \"%s\"\n}", hash);
    CHECK_STR(text, expected);
    free(expected);
    free(text);
    empty_temp_dir();
}

static void write_pin_should_create_a_missing_file_with_only_the_pin(void)
{
    const char *path = temp_path("new-settings.json");
    char hash[KIOSK_PIN_HASH_MAX];
    CHECK(kiosk_pin_hash("1357", hash, sizeof hash));
    char error[512];
    CHECK(kiosk_settings_write_pin(path, hash, error, sizeof error));
    KioskSettings s;
    load_expecting(path, &s, no_problems);
    CHECK(kiosk_pin_check(s.pin_hash, "1357"));
    CHECK_INT(s.idle_prompt_s, 90);
    kiosk_settings_free(&s);
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0644);
    CHECK_INT(files_in_temp_dir(), 1);
    empty_temp_dir();
}

static void write_pin_should_write_through_a_symbolic_link(void)
{
    write_text(temp_path("real.json"), "{\"language\": \"en\"}");
    CHECK(symlink("real.json", temp_path("link.json")) == 0);
    char hash[KIOSK_PIN_HASH_MAX];
    CHECK(kiosk_pin_hash("2580", hash, sizeof hash));
    char error[512];
    CHECK(kiosk_settings_write_pin(temp_path("link.json"), hash, error, sizeof error));
    struct stat st;
    CHECK(lstat(temp_path("link.json"), &st) == 0 && S_ISLNK(st.st_mode));
    char *text = read_text(temp_path("real.json"));
    CHECK(text && strstr(text, hash) && strstr(text, "\"language\""));
    free(text);
    CHECK_INT(files_in_temp_dir(), 2);
    empty_temp_dir();
}

static void write_pin_should_refuse_to_overwrite_a_file_that_is_not_valid_json(void)
{
    const char *path = temp_path("settings.json");
    const char *broken = "{\n  \"idle_prompt_seconds\": 60,\n  \"language\": \"en\",\n}\n";
    write_text(path, broken);
    char hash[KIOSK_PIN_HASH_MAX];
    CHECK(kiosk_pin_hash("2468", hash, sizeof hash));
    char error[1024] = "";
    CHECK(!kiosk_settings_write_pin(path, hash, error, sizeof error));
    char want[1024];
    snprintf(want, sizeof want,
             "the settings file is not valid JSON, so the PIN was not written and the file was left as it is: "
             "%s:3:19: error: remove this comma: JSON does not allow a comma after the last entry of a list or "
             "object",
             path);
    CHECK_STR(error, want);
    char *text = read_text(path);
    CHECK_STR(text, broken); /* unchanged */
    free(text);
    CHECK_INT(files_in_temp_dir(), 1);

    write_text(path, "[1, 2]\n");
    CHECK(!kiosk_settings_write_pin(path, hash, error, sizeof error));
    CHECK(strstr(error, "holds a list [ ... ], not one object") != NULL);
    text = read_text(path);
    CHECK_STR(text, "[1, 2]\n");
    free(text);
    empty_temp_dir();
}

static void write_pin_should_refuse_something_that_is_not_a_pin_hash(void)
{
    const char *path = temp_path("settings.json");
    write_text(path, "{}\n");
    char error[512] = "";
    CHECK(!kiosk_settings_write_pin(path, "1234", error, sizeof error));
    CHECK(error[0] != '\0');
    CHECK(strstr(error, "1234") == NULL); /* never repeats what might be a PIN */
    CHECK(!kiosk_settings_write_pin(path, NULL, error, sizeof error));
    char *text = read_text(path);
    CHECK_STR(text, "{}\n");
    free(text);

    char hash[KIOSK_PIN_HASH_MAX];
    CHECK(kiosk_pin_hash("1234", hash, sizeof hash));
    CHECK(!kiosk_settings_write_pin(temp_path("no-such-folder/settings.json"), hash, error, sizeof error));
    CHECK(strstr(error, "could not create a file in") != NULL);
    empty_temp_dir();
}

int main(void)
{
    if (!mkdtemp(temp_dir)) {
        fprintf(stderr, "mkdtemp failed: %s\n", strerror(errno));
        return 1;
    }
    RUN(defaults_should_be_the_documented_values);
    RUN(a_full_valid_file_should_load_every_value_without_a_problem);
    RUN(a_missing_file_should_warn_once_and_give_the_defaults);
    RUN(each_bad_value_should_warn_where_it_is_and_fall_back_to_its_default);
    RUN(values_of_the_wrong_kind_should_say_what_kind_is_needed);
    RUN(a_file_that_is_not_json_should_give_an_error_and_the_defaults);
    RUN(a_file_holding_a_list_should_give_an_error_and_the_defaults);
    RUN(misspelt_keys_should_be_named_in_reading_order_with_a_suggestion);
    RUN(a_night_without_a_mode_should_say_so);
    RUN(the_same_from_and_to_should_mean_no_night);
    RUN(lists_longer_than_allowed_should_warn_and_keep_the_first_entries);
    RUN(relative_content_folders_should_resolve_against_the_settings_files_folder);
    RUN(the_complete_example_in_the_guide_should_load_without_a_problem);
    RUN(a_night_window_across_midnight_should_be_active_from_evening_to_morning);
    RUN(a_night_window_within_one_day_should_be_active_between_its_times);
    RUN(next_change_should_count_the_minutes_to_the_next_boundary);
    RUN(no_night_schedule_should_never_be_active_nor_have_a_next_change);
    RUN(a_hashed_pin_should_match_itself_and_nothing_else);
    RUN(pins_that_are_not_4_to_12_digits_should_be_refused);
    RUN(a_null_or_foreign_hash_should_never_match);
    RUN(write_pin_should_replace_pin_hash_and_keep_every_other_key_in_order);
    RUN(write_pin_should_add_the_key_indented_as_the_file_is);
    RUN(write_pin_should_create_a_missing_file_with_only_the_pin);
    RUN(write_pin_should_write_through_a_symbolic_link);
    RUN(write_pin_should_refuse_to_overwrite_a_file_that_is_not_valid_json);
    RUN(write_pin_should_refuse_something_that_is_not_a_pin_hash);
    empty_temp_dir();
    rmdir(temp_dir);
    return CHECK_SUMMARY();
}
