/* kiosk_settings.c: reads the kiosk's settings file, checks every value, and writes the PIN hash.
 *
 * The readers here follow pack_load.c's rules and wording, but are written for this one small file:
 * every setting is optional, so a bad value is always a warning that names the default used instead,
 * and a file the app cannot use at all still leaves a working kiosk with the defaults. Writing goes the
 * other way round: kiosk_settings_write_pin refuses to touch a file it cannot parse, because rewriting
 * it would throw away whatever the staff member wrote, and replaces the file atomically (temporary file,
 * fsync, rename, fsync of the folder) so a power cut leaves the old file or the new one, never half.
 */
#define _XOPEN_SOURCE 700 /* realpath, mkstemp, fchown */
#include "kiosk_settings.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "json_doc.h"
#include "pack_files.h"
#include "text_util.h"

#define PATH_LEN 256
#define MINUTES_PER_DAY 1440

#define DEFAULT_IDLE_PROMPT_S 90
#define DEFAULT_IDLE_RESET_S 20
#define DEFAULT_ROUTINE_IDLE_S 600
#define DEFAULT_LOCKOUT_ATTEMPTS 5
#define DEFAULT_LOCKOUT_S 300
#define DEFAULT_RELOCK_S 120
#define DEFAULT_NIGHT_FROM (20 * 60)
#define DEFAULT_NIGHT_TO (7 * 60)
#define DEFAULT_DIM_PERCENT 20
#define DEFAULT_ATTRACT_ITEM_S 8

static const char argon2id_prefix[] = "$argon2id$";

typedef struct {
    const JsonDoc *doc;
    const char *file; /* the settings file as shown in messages */
    char *dir;        /* its folder, for relative content paths; NULL when it has none */
    ProblemList *problems;
    bool out_of_memory;
} Ctx;

/* ---- reporting (as in pack_load.c) ------------------------------------------------------------ */

static void report(Ctx *c, ProblemSeverity severity, const cJSON *at, bool at_key, const char *path,
                   const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void report(Ctx *c, ProblemSeverity severity, const cJSON *at, bool at_key, const char *path,
                   const char *fmt, ...)
{
    char message[900];
    va_list args;
    va_start(args, fmt);
    vsnprintf(message, sizeof message, fmt, args);
    va_end(args);
    json_doc_report(c->doc, c->file, c->problems, severity, at, at_key, path, "%s", message);
}

static void join_key(char *out, const char *parent, const char *key)
{
    snprintf(out, PATH_LEN, "%s%s%s", parent, parent[0] ? "." : "", key);
}

static void join_index(char *out, const char *parent, int index)
{
    snprintf(out, PATH_LEN, "%s[%d]", parent, index);
}

/* A copy the settings keep; a failed copy is remembered so kiosk_settings_load can return false. */
static char *keep(Ctx *c, const char *s)
{
    char *copy = text_dup(s);
    if (!copy)
        c->out_of_memory = true;
    return copy;
}

/* ---- keys ------------------------------------------------------------------------------------- */

static const char *const top_keys[] = {
    "$schema",        "idle_prompt_seconds", "idle_reset_seconds", "routine_idle_seconds", "pin_hash",
    "lockout_attempts", "lockout_seconds",   "relock_seconds",     "night",                "content",
    "language",       "attract",             NULL};
static const char *const night_keys[] = {"mode", "from", "to", "dim_percent", NULL};
static const char *const attract_keys[] = {"enabled", "seconds_per_item", "items", NULL};
static const char *const night_modes[] = {"off", "dim", "blank", NULL}; /* in NightMode order */

static void check_keys(Ctx *c, const cJSON *obj, const char *path, const char *const allowed[])
{
    json_doc_check_keys(c->doc, c->file, obj, path, allowed, c->problems);
}

/* ---- value readers: each leaves *out alone unless the value is good ---------------------------- */

/* A whole number in min..max. */
static void read_int(Ctx *c, const cJSON *obj, const char *path, const char *key, int min, int max, int *out)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!m)
        return;
    char at[PATH_LEN];
    join_key(at, path, key);
    char fallback[64];
    snprintf(fallback, sizeof fallback, " (the default, %d, is used)", *out);
    if (cJSON_IsString(m)) {
        if (json_text_is_number(m->valuestring)) {
            report(c, PROBLEM_WARNING, m, false, at,
                   "\"%s\" must be a number without quotes: write %s, not \"%s\"%s", key, m->valuestring,
                   m->valuestring, fallback);
            return;
        }
    }
    if (!cJSON_IsNumber(m)) {
        report(c, PROBLEM_WARNING, m, false, at, "\"%s\" must be a number, like %d; it is %s%s", key, *out,
               json_type_words(m), fallback);
        return;
    }
    double v = m->valuedouble;
    if (v != floor(v)) {
        report(c, PROBLEM_WARNING, m, false, at, "\"%s\" must be a whole number, like %d; it is %g%s", key,
               *out, v, fallback);
        return;
    }
    if (v < min || v > max) {
        report(c, PROBLEM_WARNING, m, false, at, "\"%s\" must be between %d and %d; it is %g%s", key, min,
               max, v, fallback);
        return;
    }
    *out = (int)v;
}

static void read_bool(Ctx *c, const cJSON *obj, const char *path, const char *key, bool *out)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!m)
        return;
    if (cJSON_IsBool(m)) {
        *out = cJSON_IsTrue(m);
        return;
    }
    char at[PATH_LEN];
    join_key(at, path, key);
    const char *fallback = *out ? "true" : "false";
    if (cJSON_IsString(m) && (strcmp(m->valuestring, "true") == 0 || strcmp(m->valuestring, "false") == 0))
        report(c, PROBLEM_WARNING, m, false, at,
               "\"%s\" must be true or false without quotes: write %s, not \"%s\" (the default, %s, is used)",
               key, m->valuestring, m->valuestring, fallback);
    else
        report(c, PROBLEM_WARNING, m, false, at,
               "\"%s\" must be true or false; it is %s (the default, %s, is used)", key, json_type_words(m),
               fallback);
}

static void read_choice(Ctx *c, const cJSON *obj, const char *path, const char *key,
                        const char *const choices[], int *out)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!m)
        return;
    char at[PATH_LEN];
    join_key(at, path, key);
    char list[256] = "";
    for (int i = 0; choices[i]; i++) {
        char one[48];
        snprintf(one, sizeof one, "%s\"%s\"", i == 0 ? "" : choices[i + 1] ? ", " : " or ", choices[i]);
        strncat(list, one, sizeof list - strlen(list) - 1);
    }
    char fallback[64];
    snprintf(fallback, sizeof fallback, " (the default, \"%s\", is used)", choices[*out]);
    if (!cJSON_IsString(m)) {
        report(c, PROBLEM_WARNING, m, false, at, "\"%s\" must be one of %s; it is %s%s", key, list,
               json_type_words(m), fallback);
        return;
    }
    const char *closest = NULL;
    int best = 3;
    for (int i = 0; choices[i]; i++) {
        if (strcmp(choices[i], m->valuestring) == 0) {
            *out = i;
            return;
        }
        int d = text_edit_distance(m->valuestring, choices[i], 2);
        if (d < best) {
            best = d;
            closest = choices[i];
        }
    }
    if (closest)
        report(c, PROBLEM_WARNING, m, false, at, "\"%s\" must be one of %s; it is \"%s\". Did you mean \"%s\"?%s",
               key, list, m->valuestring, closest, fallback);
    else
        report(c, PROBLEM_WARNING, m, false, at, "\"%s\" must be one of %s; it is \"%s\"%s", key, list,
               m->valuestring, fallback);
}

/* "HH:MM", 00:00 to 23:59, as minutes after midnight; -1 when it is not such a time. */
static int parse_time(const char *s)
{
    if (strlen(s) != 5 || s[2] != ':')
        return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int hours = (s[0] - '0') * 10 + (s[1] - '0');
    int minutes = (s[3] - '0') * 10 + (s[4] - '0');
    if (hours > 23 || minutes > 59)
        return -1;
    return hours * 60 + minutes;
}

static void read_time(Ctx *c, const cJSON *obj, const char *path, const char *key, int *out)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!m)
        return;
    char at[PATH_LEN];
    join_key(at, path, key);
    char fallback[64];
    snprintf(fallback, sizeof fallback, " (the default, \"%02d:%02d\", is used)", *out / 60, *out % 60);
    if (!cJSON_IsString(m)) {
        report(c, PROBLEM_WARNING, m, false, at,
               "\"%s\" must be a time in double quotes, written HH:MM like \"%02d:%02d\"; it is %s%s", key,
               *out / 60, *out % 60, json_type_words(m), fallback);
        return;
    }
    int minutes = parse_time(m->valuestring);
    if (minutes < 0) {
        report(c, PROBLEM_WARNING, m, false, at,
               "\"%s\" must be a time written HH:MM on the 24-hour clock, from \"00:00\" to \"23:59\", like "
               "\"%02d:%02d\"; it is \"%s\"%s",
               key, *out / 60, *out % 60, m->valuestring, fallback);
        return;
    }
    *out = minutes;
}

/* A list: NULL (after a warning naming what happens instead) when the value is not one; at most
 * `max_items` of its entries are used. */
static const cJSON *read_list(Ctx *c, const cJSON *obj, const char *path, const char *key, int max_items,
                              const char *example, const char *instead, int *count)
{
    *count = 0;
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!m)
        return NULL;
    char at[PATH_LEN];
    join_key(at, path, key);
    if (!cJSON_IsArray(m)) {
        report(c, PROBLEM_WARNING, m, false, at, "\"%s\" must be a list in square brackets, like %s; it is %s (%s)",
               key, example, json_type_words(m), instead);
        return NULL;
    }
    int n = cJSON_GetArraySize(m);
    if (n > max_items) {
        report(c, PROBLEM_WARNING, m, false, at, "\"%s\" has %d entries; only the first %d are used", key, n,
               max_items);
        n = max_items;
    }
    *count = n;
    return m;
}

/* ---- the settings ----------------------------------------------------------------------------- */

static bool language_is_valid(const char *s)
{
    size_t n = 0;
    while (s[n] >= 'a' && s[n] <= 'z')
        n++;
    if (n < 2 || n > 3)
        return false;
    s += n;
    while (*s == '-') {
        s++;
        size_t k = 0;
        while ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') || (s[k] >= '0' && s[k] <= '9'))
            k++;
        if (k < 2 || k > 8)
            return false;
        s += k;
    }
    return *s == '\0';
}

static bool id_is_valid(const char *s, size_t n)
{
    if (n == 0 || n > 64 || s[0] == '-')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    return true;
}

/* "item" or "pack/item", each an id as in pack.json. */
static bool item_ref_is_valid(const char *s)
{
    const char *slash = strchr(s, '/');
    if (!slash)
        return id_is_valid(s, strlen(s));
    return id_is_valid(s, (size_t)(slash - s)) && id_is_valid(slash + 1, strlen(slash + 1));
}

static void read_pin_hash(Ctx *c, const cJSON *root, KioskSettings *s)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(root, "pin_hash");
    if (!m)
        return;
    /* The value is never repeated in a message: someone may have typed the PIN itself here. */
    if (!cJSON_IsString(m)) {
        report(c, PROBLEM_WARNING, m, false, "pin_hash",
               "\"pin_hash\" must be text made by blue-align --set-pin; it is %s, so it is ignored and staff "
               "access is off until a PIN is set",
               json_type_words(m));
        return;
    }
    const char *h = m->valuestring;
    if (strncmp(h, argon2id_prefix, sizeof argon2id_prefix - 1) != 0 || strlen(h) >= KIOSK_PIN_HASH_MAX) {
        report(c, PROBLEM_WARNING, m, false, "pin_hash",
               "\"pin_hash\" is not a PIN hash made by blue-align --set-pin (those start with \"$argon2id$\"), "
               "so it is ignored and staff access is off. Never write the PIN itself here; set it with "
               "blue-align --set-pin SETTINGS_FILE");
        return;
    }
    s->pin_hash = keep(c, h);
}

static void read_night(Ctx *c, const cJSON *root, KioskSettings *s)
{
    const cJSON *night = cJSON_GetObjectItemCaseSensitive(root, "night");
    if (!night)
        return;
    if (!cJSON_IsObject(night)) {
        report(c, PROBLEM_WARNING, night, false, "night",
               "\"night\" must be an object like {\"mode\": \"dim\", \"from\": \"20:00\", \"to\": \"07:00\"}; "
               "it is %s, so there is no night schedule",
               json_type_words(night));
        return;
    }
    check_keys(c, night, "night", night_keys);
    int mode = NIGHT_OFF;
    read_choice(c, night, "night", "mode", night_modes, &mode);
    if (!cJSON_GetObjectItemCaseSensitive(night, "mode"))
        report(c, PROBLEM_WARNING, night, false, "night",
               "\"night\" has no \"mode\", so there is no night schedule; add \"mode\": \"dim\" or "
               "\"mode\": \"blank\"");
    read_time(c, night, "night", "from", &s->night_start_min);
    read_time(c, night, "night", "to", &s->night_end_min);
    read_int(c, night, "night", "dim_percent", 0, 90, &s->dim_percent);
    if (mode != NIGHT_OFF && s->night_start_min == s->night_end_min) {
        const cJSON *to = cJSON_GetObjectItemCaseSensitive(night, "to");
        report(c, PROBLEM_WARNING, to ? to : night, false, to ? "night.to" : "night",
               "\"from\" and \"to\" are both \"%02d:%02d\", so the night would last no time; there is no night "
               "schedule. Set \"to\" to the time the screen should wake",
               s->night_start_min / 60, s->night_start_min % 60);
        mode = NIGHT_OFF;
    }
    s->night_mode = (NightMode)mode;
}

/* The folder part of `path` ("a/b.json" -> "a", "/b.json" -> "/"), or NULL when there is none. */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return NULL;
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    char *dir = malloc(n + 1);
    if (dir) {
        memcpy(dir, path, n);
        dir[n] = '\0';
    }
    return dir;
}

static void read_content(Ctx *c, const cJSON *root, KioskSettings *s)
{
    int n;
    const cJSON *list = read_list(c, root, "", "content", KIOSK_MAX_CONTENT_DIRS, "[\"/srv/clinic/packs\"]",
                                  "the bundled content is used", &n);
    int i = 0;
    for (const cJSON *e = list ? list->child : NULL; e && i < n; e = e->next, i++) {
        char at[PATH_LEN];
        join_index(at, "content", i);
        if (!cJSON_IsString(e) || !e->valuestring[0]) {
            report(c, PROBLEM_WARNING, e, false, at,
                   "each entry of \"content\" must be a folder in double quotes, like \"/srv/clinic/packs\"; "
                   "this one is %s (it is left out)",
                   cJSON_IsString(e) ? "empty" : json_type_words(e));
            continue;
        }
        const char *dir = e->valuestring;
        size_t len = strlen(dir);
        while (len > 1 && dir[len - 1] == '/')
            len--;
        char *resolved;
        if (dir[0] == '/' || !c->dir)
            resolved = text_printf("%.*s", (int)len, dir);
        else
            resolved = text_printf("%s%s%.*s", c->dir, strcmp(c->dir, "/") == 0 ? "" : "/", (int)len, dir);
        if (!resolved) {
            c->out_of_memory = true;
            continue;
        }
        s->content_dirs[s->content_dir_count++] = resolved;
    }
}

static void read_language(Ctx *c, const cJSON *root, KioskSettings *s)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(root, "language");
    if (!m)
        return;
    if (!cJSON_IsString(m)) {
        report(c, PROBLEM_WARNING, m, false, "language",
               "\"language\" must be a language code in double quotes, like \"en\" or \"en-AU\"; it is %s (the "
               "system's language is used)",
               json_type_words(m));
        return;
    }
    if (!language_is_valid(m->valuestring)) {
        report(c, PROBLEM_WARNING, m, false, "language",
               "\"language\" must be a language code, like \"en\" or \"en-AU\"; it is \"%s\" (the system's "
               "language is used)",
               m->valuestring);
        return;
    }
    s->language = keep(c, m->valuestring);
}

static void read_attract(Ctx *c, const cJSON *root, KioskSettings *s)
{
    const cJSON *attract = cJSON_GetObjectItemCaseSensitive(root, "attract");
    if (!attract)
        return;
    if (!cJSON_IsObject(attract)) {
        report(c, PROBLEM_WARNING, attract, false, "attract",
               "\"attract\" must be an object like {\"enabled\": true, \"seconds_per_item\": 8}; it is %s (the "
               "defaults are used)",
               json_type_words(attract));
        return;
    }
    check_keys(c, attract, "attract", attract_keys);
    read_bool(c, attract, "attract", "enabled", &s->attract_enabled);
    read_int(c, attract, "attract", "seconds_per_item", 3, 120, &s->attract_item_s);
    int n;
    const cJSON *list = read_list(c, attract, "attract", "items", KIOSK_MAX_ATTRACT_ITEMS,
                                  "[\"sot-blocks\", \"posture/posture-desk-sitting\"]", "every topic is shown", &n);
    int i = 0;
    for (const cJSON *e = list ? list->child : NULL; e && i < n; e = e->next, i++) {
        char at[PATH_LEN];
        join_index(at, "attract.items", i);
        if (!cJSON_IsString(e)) {
            report(c, PROBLEM_WARNING, e, false, at,
                   "each entry of \"items\" must be an item id in double quotes, like \"sot-blocks\" or "
                   "\"posture/posture-desk-sitting\"; this one is %s (it is left out)",
                   json_type_words(e));
            continue;
        }
        if (!item_ref_is_valid(e->valuestring)) {
            report(c, PROBLEM_WARNING, e, false, at,
                   "each entry of \"items\" must be an item id, like \"sot-blocks\", or a pack id, a slash and "
                   "an item id, like \"posture/posture-desk-sitting\" (lowercase letters a-z, digits and "
                   "hyphens); this one is \"%s\" (it is left out)",
                   e->valuestring);
            continue;
        }
        char *ref = keep(c, e->valuestring);
        if (ref)
            s->attract_items[s->attract_item_count++] = ref;
    }
}

void kiosk_settings_defaults(KioskSettings *s)
{
    memset(s, 0, sizeof *s);
    s->idle_prompt_s = DEFAULT_IDLE_PROMPT_S;
    s->idle_reset_s = DEFAULT_IDLE_RESET_S;
    s->routine_idle_s = DEFAULT_ROUTINE_IDLE_S;
    s->pin_hash = NULL;
    s->lockout_attempts = DEFAULT_LOCKOUT_ATTEMPTS;
    s->lockout_s = DEFAULT_LOCKOUT_S;
    s->relock_s = DEFAULT_RELOCK_S;
    s->night_mode = NIGHT_OFF;
    s->night_start_min = DEFAULT_NIGHT_FROM;
    s->night_end_min = DEFAULT_NIGHT_TO;
    s->dim_percent = DEFAULT_DIM_PERCENT;
    s->content_dir_count = 0;
    s->language = NULL;
    s->attract_enabled = true;
    s->attract_item_s = DEFAULT_ATTRACT_ITEM_S;
    s->attract_item_count = 0;
}

bool kiosk_settings_load(const char *path, KioskSettings *settings, ProblemList *problems)
{
    kiosk_settings_defaults(settings);
    size_t first_problem = problems->count;
    Ctx c = {NULL, path, NULL, problems, false};
    struct stat st;
    if (stat(path, &st) != 0 && (errno == ENOENT || errno == ENOTDIR)) {
        problems_add(problems, PROBLEM_WARNING, path, 0, 0, "", "no settings file at %s; the defaults are used",
                     path);
        return true;
    }
    JsonDoc *doc = json_doc_load(path, problems);
    if (!doc) {
        problems_add(problems, PROBLEM_WARNING, path, 0, 0, "",
                     "none of the settings in this file are used until the error above is fixed; the defaults "
                     "are used");
        return true;
    }
    c.doc = doc;
    const cJSON *root = json_doc_root(doc);
    if (!cJSON_IsObject(root)) {
        report(&c, PROBLEM_ERROR, root, false, "",
               "the settings file must hold one object, starting with { and ending with }; it holds %s (the "
               "defaults are used)",
               json_type_words(root));
        goto done;
    }
    c.dir = folder_of(path);
    if (strchr(path, '/') && !c.dir) {
        c.out_of_memory = true;
        goto done;
    }
    check_keys(&c, root, "", top_keys);
    read_int(&c, root, "", "idle_prompt_seconds", 15, 3600, &settings->idle_prompt_s);
    read_int(&c, root, "", "idle_reset_seconds", 5, 300, &settings->idle_reset_s);
    read_int(&c, root, "", "routine_idle_seconds", 60, 7200, &settings->routine_idle_s);
    read_pin_hash(&c, root, settings);
    read_int(&c, root, "", "lockout_attempts", 1, 20, &settings->lockout_attempts);
    read_int(&c, root, "", "lockout_seconds", 10, 86400, &settings->lockout_s);
    read_int(&c, root, "", "relock_seconds", 15, 3600, &settings->relock_s);
    read_night(&c, root, settings);
    read_content(&c, root, settings);
    read_language(&c, root, settings);
    read_attract(&c, root, settings);

done:
    problems_sort(problems, first_problem, path); /* nested objects are checked after the top level */
    free(c.dir);
    json_doc_free(doc);
    return !c.out_of_memory;
}

void kiosk_settings_free(KioskSettings *settings)
{
    if (!settings)
        return;
    free(settings->pin_hash);
    for (int i = 0; i < settings->content_dir_count; i++)
        free(settings->content_dirs[i]);
    free(settings->language);
    for (int i = 0; i < settings->attract_item_count; i++)
        free(settings->attract_items[i]);
    kiosk_settings_defaults(settings);
}

/* ---- the night window ------------------------------------------------------------------------- */

static bool night_scheduled(const KioskSettings *s)
{
    return s->night_mode != NIGHT_OFF && s->night_start_min != s->night_end_min;
}

static int wrap_minute(int minute)
{
    minute %= MINUTES_PER_DAY;
    return minute < 0 ? minute + MINUTES_PER_DAY : minute;
}

bool kiosk_night_active(const KioskSettings *s, int minute_of_day)
{
    if (!night_scheduled(s))
        return false;
    int m = wrap_minute(minute_of_day);
    int from = s->night_start_min, to = s->night_end_min;
    if (from < to)
        return m >= from && m < to;
    return m >= from || m < to; /* wraps midnight, e.g. 20:00 -> 07:00 */
}

int kiosk_night_next_change(const KioskSettings *s, int minute_of_day)
{
    if (!night_scheduled(s))
        return 0;
    int m = wrap_minute(minute_of_day);
    int to_start = wrap_minute(s->night_start_min - m);
    int to_end = wrap_minute(s->night_end_min - m);
    if (to_start == 0) /* at a boundary now: the next one is the other, or this one tomorrow */
        to_start = MINUTES_PER_DAY;
    if (to_end == 0)
        to_end = MINUTES_PER_DAY;
    return to_start < to_end ? to_start : to_end;
}

/* ---- the PIN ---------------------------------------------------------------------------------- */

static bool pin_is_valid(const char *pin)
{
    if (!pin)
        return false;
    size_t n = strlen(pin);
    if (n < 4 || n > 12)
        return false;
    for (size_t i = 0; i < n; i++)
        if (pin[i] < '0' || pin[i] > '9')
            return false;
    return true;
}

bool kiosk_pin_hash(const char *pin, char *out, size_t size)
{
    char hash[crypto_pwhash_STRBYTES];
    bool ok = false;
    if (out && size)
        out[0] = '\0';
    if (!out || !pin_is_valid(pin) || sodium_init() < 0)
        goto done;
    /* Fails only when the memory Argon2id asks for cannot be had. */
    if (crypto_pwhash_str(hash, pin, strlen(pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        goto done;
    if (strlen(hash) >= size)
        goto done;
    memcpy(out, hash, strlen(hash) + 1);
    ok = true;
done:
    sodium_memzero(hash, sizeof hash);
    return ok;
}

bool kiosk_pin_check(const char *hash, const char *pin)
{
    if (!hash || !pin_is_valid(pin) || strncmp(hash, argon2id_prefix, sizeof argon2id_prefix - 1) != 0 ||
        strlen(hash) >= crypto_pwhash_STRBYTES || sodium_init() < 0)
        return false;
    return crypto_pwhash_str_verify(hash, pin, strlen(pin)) == 0;
}

/* ---- writing the PIN hash --------------------------------------------------------------------- */

static void set_error(char *error, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void set_error(char *error, size_t size, const char *fmt, ...)
{
    if (!error || !size)
        return;
    va_list args;
    va_start(args, fmt);
    vsnprintf(error, size, fmt, args);
    va_end(args);
}

static bool write_all(int fd, const char *bytes, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, bytes, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        bytes += n;
        len -= (size_t)n;
    }
    return true;
}

/* The settings file parsed, to change in place: NULL with *exists false when there is no file; NULL
 * with `error` set when it cannot be read or is not a JSON object. `st` is filled when it exists. */
static JsonDoc *read_for_update(const char *path, bool *exists, struct stat *st, char *error, size_t error_size)
{
    char *text = NULL;
    size_t len = 0;
    JsonDoc *doc = NULL;
    ProblemList problems;
    problems_init(&problems);

    *exists = false;
    if (stat(path, st) != 0 && (errno == ENOENT || errno == ENOTDIR))
        goto done;
    *exists = true;
    PackFileStatus status = pack_file_read(path, PACK_MAX_JSON_BYTES, &text, &len);
    if (status != PACK_FILE_OK) {
        set_error(error, error_size, "the settings file %s %s; the PIN was not written", path,
                  pack_file_status_text(status));
        goto done;
    }
    doc = json_doc_parse(path, text, len, &problems);
    if (!doc) {
        char what[1024] = "it is not valid JSON";
        if (problems.count)
            problem_format(&problems.items[0], what, sizeof what);
        set_error(error, error_size,
                  "the settings file is not valid JSON, so the PIN was not written and the file was left as it "
                  "is: %s",
                  what);
        goto done;
    }
    if (!cJSON_IsObject(json_doc_root(doc))) {
        set_error(error, error_size,
                  "the settings file %s holds %s, not one object { ... }, so the PIN was not written and the "
                  "file was left as it is",
                  path, json_type_words(json_doc_root(doc)));
        json_doc_free(doc);
        doc = NULL;
    }

done:
    problems_free(&problems);
    free(text);
    return doc;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Where the JSON value starting at `start` ends (one past its last byte): a string at its closing
 * quote, anything else at the next comma or closing bracket outside any nesting. */
static size_t value_end(const char *t, size_t len, size_t start)
{
    int depth = 0;
    bool in_string = false;
    size_t i = start;
    for (; i < len; i++) {
        char c = t[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"') {
                in_string = false;
                if (depth == 0)
                    return i + 1;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if ((c == '}' || c == ']') && depth-- == 0) {
            break;
        } else if (c == ',' && depth == 0) {
            break;
        }
    }
    while (i > start && is_blank(t[i - 1]))
        i--;
    return i;
}

/* The blanks before the first key on its line, so a new key is indented as the file is. */
static void first_key_indent(const JsonDoc *doc, const char *t, char *out, size_t size)
{
    const cJSON *first = json_doc_root(doc)->child;
    size_t at = first ? json_doc_value_offset(doc, first) : SIZE_MAX;
    snprintf(out, size, "  ");
    if (at == SIZE_MAX)
        return;
    size_t begin = at;
    while (begin > 0 && t[begin - 1] != '\n')
        begin--;
    size_t n = 0;
    while (n + 1 < size && (t[begin + n] == ' ' || t[begin + n] == '\t'))
        n++;
    if (begin > 0) { /* the first key is on a line of its own: indent like it */
        memcpy(out, t + begin, n);
        out[n] = '\0';
    }
}

/* One change to the text: bytes [start, end) become `with`. */
typedef struct {
    size_t start, end;
    const char *with;
} TextEdit;

/* The text with `edits` (in order, not overlapping) made; NULL when out of memory. */
static char *apply_edits(const char *t, size_t len, const TextEdit *edits, int count)
{
    size_t size = len + 1;
    for (int i = 0; i < count; i++)
        size += strlen(edits[i].with);
    char *out = malloc(size), *w = out;
    size_t at = 0;
    for (int i = 0; out && i < count; i++) {
        memcpy(w, t + at, edits[i].start - at);
        w += edits[i].start - at;
        size_t n = strlen(edits[i].with);
        memcpy(w, edits[i].with, n);
        w += n;
        at = edits[i].end;
    }
    if (out) {
        memcpy(w, t + at, len - at);
        w[len - at] = '\0';
    }
    return out;
}

/* The settings text with "pin_hash" set and every other byte as it was: staff edit this file by hand,
 * and a tool that rewrote its layout or order would surprise them. The first "pin_hash" gets the new
 * value, later ones (which the reader ignores) are taken out with the comma before them; with none,
 * the key is added after the last one, indented as the first is. */
static char *text_with_pin(const JsonDoc *doc, const char *pin_hash)
{
    char *quoted = NULL, *result = NULL, *added = NULL;
    TextEdit *edits = NULL;
    cJSON *value = cJSON_CreateString(pin_hash);
    if (!value || !(quoted = cJSON_PrintUnformatted(value)))
        goto done;
    if (!doc) {
        result = text_printf("{\n  \"pin_hash\": %s\n}\n", quoted);
        goto done;
    }
    size_t len;
    const char *t = json_doc_text(doc, &len);
    const cJSON *root = json_doc_root(doc);
    int members = cJSON_GetArraySize(root), count = 0;
    edits = calloc((size_t)members + 1, sizeof *edits);
    if (!edits)
        goto done;
    const cJSON *prev = NULL;
    for (const cJSON *m = root->child; m; prev = m, m = m->next) {
        size_t start = json_doc_value_offset(doc, m);
        if (strcmp(m->string, "pin_hash") != 0 || start == SIZE_MAX)
            continue;
        if (count == 0)
            edits[count++] = (TextEdit){start, value_end(t, len, start), quoted};
        else if (prev)
            edits[count++] = (TextEdit){value_end(t, len, json_doc_value_offset(doc, prev)), value_end(t, len, start), ""};
    }
    if (count == 0) {
        size_t close = len;
        while (close > 0 && t[close - 1] != '}')
            close--;
        if (close == 0)
            goto done;
        size_t at = close - 1; /* the root's closing brace; the new key goes after the last value */
        while (at > 0 && is_blank(t[at - 1]))
            at--;
        char indent[64];
        first_key_indent(doc, t, indent, sizeof indent);
        added = text_printf("%s\n%s\"pin_hash\": %s\n", members ? "," : "", indent, quoted);
        if (!added)
            goto done;
        edits[count++] = (TextEdit){at, close - 1, added};
    }
    result = apply_edits(t, len, edits, count);

done:
    cJSON_Delete(value);
    if (quoted)
        cJSON_free(quoted);
    free(added);
    free(edits);
    return result;
}

bool kiosk_settings_write_pin(const char *path, const char *pin_hash, char *error, size_t error_size)
{
    bool ok = false;
    bool exists = false;
    struct stat st;
    JsonDoc *doc = NULL;
    char *json = NULL;
    char *target = NULL;
    char *temp = NULL;
    char *dir = NULL;
    int fd = -1;
    int dir_fd = -1;

    set_error(error, error_size, "%s", "");
    if (!path || !path[0]) {
        set_error(error, error_size, "no settings file was named; nothing was written");
        goto done;
    }
    if (!pin_hash || strncmp(pin_hash, argon2id_prefix, sizeof argon2id_prefix - 1) != 0 ||
        strlen(pin_hash) >= KIOSK_PIN_HASH_MAX) {
        /* Not repeated: it may be a PIN passed by mistake. */
        set_error(error, error_size, "that is not a PIN hash from kiosk_pin_hash; nothing was written");
        goto done;
    }
    doc = read_for_update(path, &exists, &st, error, error_size);
    if (!doc && exists)
        goto done;
    /* Write through a symbolic link to the file it points at, rather than replacing the link. */
    target = exists ? realpath(path, NULL) : text_dup(path);
    if (!target) {
        set_error(error, error_size, "could not find where %s is: %s; the PIN was not written", path,
                  strerror(errno));
        goto done;
    }
    if (!(json = text_with_pin(doc, pin_hash)) ||
        !(temp = text_printf("%s.tmp-XXXXXX", target))) {
        set_error(error, error_size, "out of memory; the PIN was not written");
        goto done;
    }
    dir = folder_of(target);
    if (!dir && !(dir = text_dup("."))) {
        set_error(error, error_size, "out of memory; the PIN was not written");
        goto done;
    }

    fd = mkstemp(temp);
    if (fd < 0) {
        set_error(error, error_size, "could not create a file in %s: %s; the PIN was not written", dir,
                  strerror(errno));
        free(temp);
        temp = NULL; /* nothing to remove */
        goto done;
    }
    /* The new file keeps the old one's permissions and, where allowed, its owner, so a kiosk running as
     * another user can still read it; a new file is readable by all, like most settings files. */
    if (exists) {
        if (fchown(fd, st.st_uid, st.st_gid) != 0) {
            /* Only root may give a file away; anyone else keeps the new file as their own. */
        }
        if (fchmod(fd, st.st_mode & 07777) != 0) {
            set_error(error, error_size, "could not set the permissions of %s: %s; the PIN was not written",
                      temp, strerror(errno));
            goto done;
        }
    } else if (fchmod(fd, 0644) != 0) {
        set_error(error, error_size, "could not set the permissions of %s: %s; the PIN was not written", temp,
                  strerror(errno));
        goto done;
    }
    if (!write_all(fd, json, strlen(json)) || fsync(fd) != 0) {
        set_error(error, error_size, "could not write %s: %s; the PIN was not written", temp, strerror(errno));
        goto done;
    }
    int closed = close(fd);
    fd = -1;
    if (closed != 0) {
        set_error(error, error_size, "could not write %s: %s; the PIN was not written", temp, strerror(errno));
        goto done;
    }
    if (rename(temp, target) != 0) {
        set_error(error, error_size, "could not replace %s: %s; the PIN was not written", target,
                  strerror(errno));
        goto done;
    }
    free(temp);
    temp = NULL; /* renamed: nothing left to remove */
    /* The rename is only durable once the folder itself is on disk. EINVAL and ENOTSUP come from file
     * systems that cannot sync a folder; there the rename is all they offer. */
    dir_fd = open(dir, O_RDONLY | O_CLOEXEC);
    if (dir_fd < 0 || (fsync(dir_fd) != 0 && errno != EINVAL && errno != ENOTSUP)) {
        set_error(error, error_size,
                  "the PIN was written to %s, but the folder %s could not be synced to disk (%s); it may be lost "
                  "if the power fails now",
                  target, dir, strerror(errno));
        goto done;
    }
    ok = true;

done:
    if (fd >= 0)
        close(fd);
    if (dir_fd >= 0)
        close(dir_fd);
    if (temp)
        unlink(temp);
    free(temp);
    free(dir);
    free(target);
    free(json);
    json_doc_free(doc);
    return ok;
}
