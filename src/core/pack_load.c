/* pack_load.c: reads a pack folder into the model, checking everything on the way.
 *
 * Validation and loading are one pass, so `--validate` and the running app can never disagree about
 * what a pack means. Each reader below takes a JSON object, its JSON path and whether the field is
 * required: a bad required field is an error that drops the item (or, in pack.json, the pack); a bad
 * optional field is a warning and its default is used. Every message names the field and says how to
 * fix it, in words for clinic staff rather than programmers.
 */
#define _POSIX_C_SOURCE 200809L
#include "pack.h"

#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_doc.h"
#include "pack_files.h"
#include "text_util.h"

#define MAX_TEXT_BYTES 4000
#define MAX_ROUTINE_MS (4LL * 60 * 60 * 1000)
#define PATH_LEN 256

const char *const pack_icon_names[] = {
    "spine", "pelvis", "head", "jaw",   "breath", "chair", "phone",     "stand", "lift",   "bed",    "car",
    "stretch", "walk", "alert", "info", "question", "heart", "child", "pregnancy", "clock", "blocks", NULL};

const PackBuiltinSection pack_builtin_sections[] = {
    {"care", "Understanding your care", 10, "spine"}, {"posture", "Posture and ergonomics", 20, "chair"},
    {"breathing", "Breathing", 30, "breath"},          {"exercises", "Home exercises", 40, "stretch"},
    {"help", "When to get help", 50, "alert"},         {"about", "About", 60, "info"},
};
const int pack_builtin_section_count = (int)(sizeof pack_builtin_sections / sizeof pack_builtin_sections[0]);

typedef enum { OPTIONAL, REQUIRED } Need;
enum { FIELD_BAD = -1, FIELD_ABSENT = 0, FIELD_OK = 1 };

typedef struct {
    const JsonDoc *doc;
    const char *file;     /* the JSON file as shown in messages */
    const char *pack_dir;
    ProblemList *problems;
    int errors;           /* errors reported so far through this context */
} Ctx;

/* ---- reporting -------------------------------------------------------------------------------- */

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
    if (severity == PROBLEM_ERROR)
        c->errors++;
}

static ProblemSeverity severity_for(Need need)
{
    return need == REQUIRED ? PROBLEM_ERROR : PROBLEM_WARNING;
}

/* What the app does with a bad optional value, said after the problem. */
static const char *consequence(Need need)
{
    return need == REQUIRED ? "" : " (it is left out)";
}

/* Writes what happens instead of a bad value into `buf`: nothing for a required field (the item is
 * skipped, which is said elsewhere), the default for an optional one. */
static void default_used(Need need, char *buf, size_t size, double value, const char *unit)
{
    buf[0] = '\0';
    if (need == OPTIONAL)
        snprintf(buf, size, " (the default, %g%s, is used)", value, unit);
}

/* JSON paths for messages. A path longer than PATH_LEN is cut short, which is harmless in a message
 * (and never happens with the nesting a pack has). */
static void append(char *out, size_t *used, const char *s)
{
    size_t n = strlen(s);
    if (n > PATH_LEN - 1 - *used)
        n = PATH_LEN - 1 - *used;
    memcpy(out + *used, s, n);
    *used += n;
    out[*used] = '\0';
}

static void join_key(char *out, const char *parent, const char *key)
{
    size_t used = 0;
    out[0] = '\0';
    append(out, &used, parent);
    if (parent[0])
        append(out, &used, ".");
    append(out, &used, key);
}

static void join_index(char *out, const char *parent, int index)
{
    char number[16];
    snprintf(number, sizeof number, "[%d]", index);
    size_t used = 0;
    out[0] = '\0';
    append(out, &used, parent);
    append(out, &used, number);
}

/* ---- keys ------------------------------------------------------------------------------------- */

static void check_keys(Ctx *c, const cJSON *obj, const char *path, const char *const allowed[])
{
    json_doc_check_keys(c->doc, c->file, obj, path, allowed, c->problems);
}

/* ---- field readers ---------------------------------------------------------------------------- */

static const cJSON *get_member(Ctx *c, const cJSON *obj, const char *path, const char *key, Need need,
                               const char *example)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!m && need == REQUIRED) {
        char at[PATH_LEN];
        join_key(at, path, key);
        report(c, PROBLEM_ERROR, obj, false, at, "\"%s\" is missing; add it, for example \"%s\": %s", key,
               key, example);
    }
    return m;
}

/* A string of at most max_chars characters (longer is a warning, kept); empty optional text counts
 * as absent. */
static int get_text(Ctx *c, const cJSON *obj, const char *path, const char *key, Need need, int max_chars,
                    const char *example, char **out)
{
    *out = NULL;
    const cJSON *m = get_member(c, obj, path, key, need, example);
    if (!m)
        return FIELD_ABSENT;
    char at[PATH_LEN];
    join_key(at, path, key);
    if (!cJSON_IsString(m)) {
        report(c, severity_for(need), m, false, at, "\"%s\" must be text in double quotes, like %s; it is %s%s",
               key, example, json_type_words(m), consequence(need));
        return FIELD_BAD;
    }
    const char *s = m->valuestring;
    if (strlen(s) > MAX_TEXT_BYTES) {
        report(c, severity_for(need), m, false, at,
               "this text is too long (%zu bytes; at most %d). Split it into shorter paragraphs or "
               "slides%s",
               strlen(s), MAX_TEXT_BYTES, consequence(need));
        return FIELD_BAD;
    }
    const char *p = s;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p) {
        if (need == OPTIONAL)
            return FIELD_ABSENT;
        report(c, PROBLEM_ERROR, m, false, at, "\"%s\" is empty; write some text in it", key);
        return FIELD_BAD;
    }
    size_t chars = utf8_length(s);
    if (max_chars > 0 && chars > (size_t)max_chars)
        report(c, PROBLEM_WARNING, m, false, at,
               "this is %zu characters long; keep it to %d or fewer so it fits on small screens", chars,
               max_chars);
    *out = text_dup(s);
    return *out ? FIELD_OK : FIELD_BAD;
}

static bool number_value(Ctx *c, const cJSON *m, const char *at, const char *key, Need need,
                         const char *unit_example, const char *fallback, double *value)
{
    if (cJSON_IsNumber(m)) {
        *value = m->valuedouble;
        return true;
    }
    if (cJSON_IsString(m)) {
        if (json_text_is_number(m->valuestring)) {
            report(c, severity_for(need), m, false, at,
                   "\"%s\" must be a number without quotes: write %s, not \"%s\"%s", key, m->valuestring,
                   m->valuestring, fallback);
            return false;
        }
    }
    report(c, severity_for(need), m, false, at, "\"%s\" must be a number, like %s; it is %s%s", key,
           unit_example, json_type_words(m), fallback);
    return false;
}

/* Seconds between min_s and max_s, stored as whole milliseconds. */
static int get_seconds(Ctx *c, const cJSON *obj, const char *path, const char *key, Need need, double min_s,
                       double max_s, int32_t default_ms, int32_t *out_ms)
{
    *out_ms = default_ms;
    char example[32];
    snprintf(example, sizeof example, "%g", min_s > 0 && min_s < 30 ? 30.0 : min_s);
    const cJSON *m = get_member(c, obj, path, key, need, example);
    if (!m)
        return FIELD_ABSENT;
    char at[PATH_LEN];
    join_key(at, path, key);
    char fallback[64];
    default_used(need, fallback, sizeof fallback, default_ms / 1000.0, " seconds");
    double v = 0;
    if (!number_value(c, m, at, key, need, example, fallback, &v))
        return FIELD_BAD;
    if (v <= 0 && min_s > 0) {
        report(c, severity_for(need), m, false, at, "\"%s\" must be more than 0 seconds; it is %g%s", key, v,
               fallback);
        return FIELD_BAD;
    }
    if (v < min_s || v > max_s) {
        report(c, severity_for(need), m, false, at, "\"%s\" must be between %g and %g seconds; it is %g%s", key,
               min_s, max_s, v, fallback);
        return FIELD_BAD;
    }
    *out_ms = (int32_t)llround(v * 1000.0);
    return FIELD_OK;
}

static int get_int(Ctx *c, const cJSON *obj, const char *path, const char *key, Need need, int min, int max,
                   int default_value, int *out)
{
    *out = default_value;
    char example[32];
    snprintf(example, sizeof example, "%d", min > 3 ? min : 3);
    const cJSON *m = get_member(c, obj, path, key, need, example);
    if (!m)
        return FIELD_ABSENT;
    char at[PATH_LEN];
    join_key(at, path, key);
    char fallback[64];
    default_used(need, fallback, sizeof fallback, default_value, "");
    double v = 0;
    if (!number_value(c, m, at, key, need, example, fallback, &v))
        return FIELD_BAD;
    if (v != floor(v)) {
        report(c, severity_for(need), m, false, at, "\"%s\" must be a whole number, like %s; it is %g%s", key,
               example, v, fallback);
        return FIELD_BAD;
    }
    if (v < min || v > max) {
        report(c, severity_for(need), m, false, at, "\"%s\" must be between %d and %d; it is %g%s", key, min,
               max, v, fallback);
        return FIELD_BAD;
    }
    *out = (int)v;
    return FIELD_OK;
}

static int get_choice(Ctx *c, const cJSON *obj, const char *path, const char *key, Need need,
                      const char *const choices[], int *out)
{
    char example[64];
    snprintf(example, sizeof example, "\"%s\"", choices[0]);
    const cJSON *m = get_member(c, obj, path, key, need, example);
    if (!m)
        return FIELD_ABSENT;
    char at[PATH_LEN];
    join_key(at, path, key);
    char list[256] = "";
    for (int i = 0; choices[i]; i++) {
        char one[48];
        snprintf(one, sizeof one, "%s\"%s\"", i == 0 ? "" : choices[i + 1] ? ", " : " or ", choices[i]);
        strncat(list, one, sizeof list - strlen(list) - 1);
    }
    if (!cJSON_IsString(m)) {
        report(c, severity_for(need), m, false, at, "\"%s\" must be one of %s; it is %s%s", key, list,
               json_type_words(m), consequence(need));
        return FIELD_BAD;
    }
    const char *closest = NULL;
    int best = 3;
    for (int i = 0; choices[i]; i++) {
        if (strcmp(choices[i], m->valuestring) == 0) {
            *out = i;
            return FIELD_OK;
        }
        int d = text_edit_distance(m->valuestring, choices[i], 2);
        if (d < best) {
            best = d;
            closest = choices[i];
        }
    }
    if (closest)
        report(c, severity_for(need), m, false, at, "\"%s\" must be one of %s; it is \"%s\". Did you mean \"%s\"?%s",
               key, list, m->valuestring, closest, consequence(need));
    else
        report(c, severity_for(need), m, false, at, "\"%s\" must be one of %s; it is \"%s\"%s", key, list,
               m->valuestring, consequence(need));
    return FIELD_BAD;
}

/* An array with at least min_items; more than max_items is a warning and only the first are used. */
static int get_array(Ctx *c, const cJSON *obj, const char *path, const char *key, Need need, int min_items,
                     int max_items, const char *example, const cJSON **out, int *count)
{
    *out = NULL;
    *count = 0;
    const cJSON *m = get_member(c, obj, path, key, need, example);
    if (!m)
        return FIELD_ABSENT;
    char at[PATH_LEN];
    join_key(at, path, key);
    if (!cJSON_IsArray(m)) {
        report(c, severity_for(need), m, false, at, "\"%s\" must be a list in square brackets, like %s; it is %s%s",
               key, example, json_type_words(m), consequence(need));
        return FIELD_BAD;
    }
    int n = cJSON_GetArraySize(m);
    if (n < min_items) {
        report(c, severity_for(need), m, false, at, "\"%s\" needs at least %d entr%s; it has %d", key, min_items,
               min_items == 1 ? "y" : "ies", n);
        return FIELD_BAD;
    }
    if (n > max_items) {
        report(c, PROBLEM_WARNING, m, false, at, "\"%s\" has %d entries; only the first %d are used", key, n,
               max_items);
        n = max_items;
    }
    *out = m;
    *count = n;
    return FIELD_OK;
}

/* A list of strings, e.g. paragraphs, bullets, cautions. A lone string is accepted when allow_single. */
static int get_text_list(Ctx *c, const cJSON *obj, const char *path, const char *key, Need need, int min_items,
                         int max_items, int max_chars, bool allow_single, char ***out, int *count)
{
    *out = NULL;
    *count = 0;
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (m && allow_single && cJSON_IsString(m)) {
        char *one = NULL;
        int r = get_text(c, obj, path, key, need, max_chars, "\"...\"", &one);
        if (r != FIELD_OK)
            return r;
        *out = malloc(sizeof **out);
        if (!*out) {
            free(one);
            return FIELD_BAD;
        }
        (*out)[0] = one;
        *count = 1;
        return FIELD_OK;
    }
    const cJSON *array;
    int n;
    int r = get_array(c, obj, path, key, need, min_items, max_items, "[\"First point.\", \"Second point.\"]",
                      &array, &n);
    if (r != FIELD_OK)
        return r;
    char at[PATH_LEN];
    join_key(at, path, key);
    *out = calloc((size_t)n > 0 ? (size_t)n : 1, sizeof **out);
    if (!*out)
        return FIELD_BAD;
    int bad = 0;
    int i = 0;
    for (const cJSON *e = array->child; e && i < n; e = e->next, i++) {
        char at_i[PATH_LEN];
        join_index(at_i, at, i);
        if (!cJSON_IsString(e) || !e->valuestring[0]) {
            report(c, severity_for(need), e, false, at_i, "each entry of \"%s\" must be text in double quotes; this one is %s%s",
                   key, cJSON_IsString(e) ? "empty" : json_type_words(e), need == REQUIRED ? "" : " (it is left out)");
            bad++;
            continue;
        }
        if (strlen(e->valuestring) > MAX_TEXT_BYTES) {
            report(c, severity_for(need), e, false, at_i, "this text is too long (%zu bytes; at most %d); split it",
                   strlen(e->valuestring), MAX_TEXT_BYTES);
            bad++;
            continue;
        }
        size_t chars = utf8_length(e->valuestring);
        if (chars > (size_t)max_chars)
            report(c, PROBLEM_WARNING, e, false, at_i,
                   "this is %zu characters long; keep it to %d or fewer so it fits on small screens", chars,
                   max_chars);
        (*out)[(*count)++] = text_dup(e->valuestring);
    }
    return bad && need == REQUIRED ? FIELD_BAD : FIELD_OK;
}

static void free_text_list(char **list, int count)
{
    for (int i = 0; i < count; i++)
        free(list[i]);
    free(list);
}

static bool id_is_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64 || s[0] == '-')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    return true;
}

static int get_id(Ctx *c, const cJSON *obj, const char *path, const char *key, Need need, char **out)
{
    int r = get_text(c, obj, path, key, need, 64, "\"sitting-at-a-desk\"", out);
    if (r != FIELD_OK)
        return r;
    if (!id_is_valid(*out)) {
        char at[PATH_LEN];
        join_key(at, path, key);
        report(c, severity_for(need), cJSON_GetObjectItemCaseSensitive(obj, key), false, at,
               "\"%s\" may use only lowercase letters a-z, digits and hyphens (at most 64), like "
               "\"sitting-at-a-desk\"; it is \"%s\"",
               key, *out);
        free(*out);
        *out = NULL;
        return FIELD_BAD;
    }
    return FIELD_OK;
}

/* ---- pictures and sounds ---------------------------------------------------------------------- */

static void picture_free(PackPicture *p)
{
    if (!p)
        return;
    free(p->file);
    free(p->full_path);
    free(p->alt);
    free(p->caption);
    for (int i = 0; i < p->callout_count; i++)
        free(p->callouts[i].label);
    free(p->callouts);
    free(p);
}

/* Checks a referenced file and reports what is wrong with it; returns the usable full path or NULL. */
static char *check_file(Ctx *c, const cJSON *at_node, const char *at, const char *relative, unsigned allowed,
                        const char *what, int *width, int *height)
{
    PackFileInfo info;
    PackFileStatus status = pack_file_check(c->pack_dir, relative, allowed, &info);
    if (status == PACK_FILE_OK) {
        if (width)
            *width = info.width;
        if (height)
            *height = info.height;
        return info.full_path;
    }
    const char *fix = "";
    switch (status) {
    case PACK_FILE_BAD_PATH:
        fix = "write a path inside the pack folder, such as \"pictures/desk.svg\"";
        break;
    case PACK_FILE_MISSING:
        fix = "check the spelling (upper and lower case matter) and that the file was copied into the "
              "pack folder";
        break;
    case PACK_FILE_OUTSIDE:
        fix = "copy the file into the pack folder and refer to it there";
        break;
    case PACK_FILE_NOT_REGULAR:
        fix = "point to a file, not a folder or device";
        break;
    case PACK_FILE_TOO_LARGE:
    case PACK_FILE_TOO_BIG_IMAGE:
        fix = "make it smaller (pictures at most 8192 pixels a side, 16.8 megapixels and 16 MiB; sounds at most 30 seconds "
              "and 8 MiB)";
        break;
    case PACK_FILE_TOO_COMPLEX:
        fix = "simplify the drawing (fewer shapes and points) or export it as PNG";
        break;
    case PACK_FILE_CMYK:
        fix = "save it again in RGB colours, as a JPEG or PNG";
        break;
    case PACK_FILE_WRONG_KIND:
    case PACK_FILE_BAD_HEADER:
    case PACK_FILE_DAMAGED:
        fix = allowed & (1u << FILE_KIND_WAV) ? "save it again as a WAV sound"
                                               : "save it again as a PNG, JPEG or SVG picture";
        break;
    case PACK_FILE_UNREADABLE:
        fix = "check the file's permissions";
        break;
    case PACK_FILE_OK:
        break;
    }
    /* An error staff must fix, but not one that drops the item: the app shows a placeholder with
     * the alt text where the picture would be. */
    int errors = c->errors;
    report(c, PROBLEM_ERROR, at_node, false, at, "the %s \"%s\" %s%s%s%s; %s", what, relative,
           pack_file_status_text(status), info.detail[0] ? " (" : "", info.detail,
           info.detail[0] ? ")" : "", fix);
    c->errors = errors;
    free(info.full_path);
    return NULL;
}

#define PICTURE_KINDS ((1u << FILE_KIND_PNG) | (1u << FILE_KIND_JPEG) | (1u << FILE_KIND_SVG))

static const char *const picture_keys[] = {"file", "alt", "caption", "callouts", NULL};
static const char *const callout_keys[] = {"x", "y", "label", NULL};

/* A picture object. Returns NULL when it is unusable (an error was reported). A picture whose file
 * fails its checks is still returned, with full_path NULL, so the app shows its alt text instead.
 * Picture problems are errors to fix, but never drop the item around them. */
static PackPicture *load_picture_checked(Ctx *c, const cJSON *node, const char *at);

static PackPicture *load_picture(Ctx *c, const cJSON *node, const char *at)
{
    int errors = c->errors;
    PackPicture *p = load_picture_checked(c, node, at);
    c->errors = errors;
    return p;
}

static PackPicture *load_picture_checked(Ctx *c, const cJSON *node, const char *at)
{
    if (!cJSON_IsObject(node)) {
        report(c, PROBLEM_ERROR, node, false, at,
               "a picture must be an object like {\"file\": \"pictures/desk.svg\", \"alt\": \"A desk set-up\"}; "
               "it is %s",
               json_type_words(node));
        return NULL;
    }
    check_keys(c, node, at, picture_keys);
    PackPicture *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    int errors = c->errors;
    get_text(c, node, at, "file", REQUIRED, 0, "\"pictures/desk.svg\"", &p->file);
    get_text(c, node, at, "alt", REQUIRED, 300, "\"A person sitting at a desk\"", &p->alt);
    get_text(c, node, at, "caption", OPTIONAL, 200, "\"...\"", &p->caption);
    if (c->errors != errors) {
        picture_free(p);
        return NULL;
    }
    char file_at[PATH_LEN];
    join_key(file_at, at, "file");
    p->full_path = check_file(c, cJSON_GetObjectItemCaseSensitive(node, "file"), file_at, p->file, PICTURE_KINDS,
                              "picture", &p->width, &p->height);

    const cJSON *callouts;
    int n;
    if (get_array(c, node, at, "callouts", OPTIONAL, 0, 12, "[{\"x\": 0.5, \"y\": 0.3, \"label\": \"Sacrum\"}]",
                  &callouts, &n) == FIELD_OK && n > 0) {
        char list_at[PATH_LEN];
        join_key(list_at, at, "callouts");
        p->callouts = calloc((size_t)n, sizeof *p->callouts);
        int i = 0;
        for (const cJSON *e = callouts->child; e && i < n && p->callouts; e = e->next, i++) {
            char e_at[PATH_LEN];
            join_index(e_at, list_at, i);
            if (!cJSON_IsObject(e)) {
                report(c, PROBLEM_WARNING, e, false, e_at,
                       "a callout must be an object like {\"x\": 0.5, \"y\": 0.3, \"label\": \"Sacrum\"}; it is "
                       "left out");
                continue;
            }
            check_keys(c, e, e_at, callout_keys);
            PackCallout co = {0};
            bool ok = true;
            const char *axes[2] = {"x", "y"};
            float *values[2] = {&co.x, &co.y};
            for (int k = 0; k < 2; k++) {
                char v_at[PATH_LEN];
                join_key(v_at, e_at, axes[k]);
                const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, axes[k]);
                if (!v) {
                    report(c, PROBLEM_WARNING, e, false, v_at,
                           "\"%s\" is missing; give the point as a fraction of the picture's %s from 0 to 1 "
                           "(the callout is left out)",
                           axes[k], k == 0 ? "width, from the left" : "height, from the top");
                    ok = false;
                } else if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 1) {
                    report(c, PROBLEM_WARNING, v, false, v_at,
                           "\"%s\" must be a number from 0 to 1 (a fraction of the picture's %s); the callout "
                           "is left out",
                           axes[k], k == 0 ? "width" : "height");
                    ok = false;
                } else {
                    *values[k] = (float)v->valuedouble;
                }
            }
            int before = c->errors;
            char *label = NULL;
            if (get_text(c, e, e_at, "label", OPTIONAL, 40, "\"Sacrum\"", &label) != FIELD_OK || !label) {
                if (!label && c->errors == before) {
                    char l_at[PATH_LEN];
                    join_key(l_at, e_at, "label");
                    report(c, PROBLEM_WARNING, e, false, l_at,
                           "\"label\" is missing; add the short words to show at this point (the callout "
                           "is left out)");
                }
                ok = false;
            }
            if (!ok) {
                free(label);
                continue;
            }
            co.label = label;
            p->callouts[p->callout_count++] = co;
        }
    }
    return p;
}

/* ---- slides, steps, items --------------------------------------------------------------------- */

static void slide_free(PackSlide *s)
{
    free(s->heading);
    free_text_list(s->paragraphs, s->paragraph_count);
    free_text_list(s->bullets, s->bullet_count);
    picture_free(s->picture);
}

static void step_free(PackStep *s)
{
    free(s->name);
    free(s->instruction);
    for (int i = 0; i < s->picture_count; i++) {
        PackPicture *p = &s->pictures[i];
        free(p->file);
        free(p->full_path);
        free(p->alt);
        free(p->caption);
        for (int k = 0; k < p->callout_count; k++)
            free(p->callouts[k].label);
        free(p->callouts);
    }
    free(s->pictures);
    free(s->sound);
    for (int i = 0; i < s->phase_count; i++)
        free(s->phases[i].text);
    free(s->phases);
}

static void item_free(PackItem *item)
{
    free(item->id);
    free(item->title);
    free(item->summary);
    free(item->section);
    free(item->icon);
    picture_free(item->picture);
    free(item->source_file);
    for (int i = 0; i < item->slide_count; i++)
        slide_free(&item->slides[i]);
    free(item->slides);
    free_text_list(item->cautions, item->caution_count);
    for (int i = 0; i < item->step_count; i++)
        step_free(&item->steps[i]);
    free(item->steps);
    memset(item, 0, sizeof *item);
}

static const char *const slide_keys[] = {"heading", "body", "bullets", "picture", NULL};

static void load_slide(Ctx *c, const cJSON *node, const char *at, PackSlide *slide)
{
    if (!cJSON_IsObject(node)) {
        report(c, PROBLEM_ERROR, node, false, at,
               "a slide must be an object like {\"heading\": \"...\", \"body\": \"...\"}; it is %s",
               json_type_words(node));
        return;
    }
    check_keys(c, node, at, slide_keys);
    get_text(c, node, at, "heading", REQUIRED, 100, "\"Sitting at a desk\"", &slide->heading);
    const cJSON *body = cJSON_GetObjectItemCaseSensitive(node, "body");
    get_text_list(c, node, at, "body", OPTIONAL, 1, 10, 600, true, &slide->paragraphs, &slide->paragraph_count);
    get_text_list(c, node, at, "bullets", OPTIONAL, 1, 12, 200, false, &slide->bullets, &slide->bullet_count);
    const cJSON *picture = cJSON_GetObjectItemCaseSensitive(node, "picture");
    if (picture) {
        char p_at[PATH_LEN];
        join_key(p_at, at, "picture");
        slide->picture = load_picture(c, picture, p_at);
    }
    int words = 0;
    for (int i = 0; i < slide->paragraph_count; i++)
        words += text_word_count(slide->paragraphs[i]);
    if (words > 90) {
        char b_at[PATH_LEN];
        join_key(b_at, at, "body");
        report(c, PROBLEM_WARNING, body, false, b_at,
               "the body has %d words, which is long for one slide; keep it to about 60 and move the "
               "rest to another slide",
               words);
    }
    if (slide->heading && !slide->paragraph_count && !slide->bullet_count && !picture)
        report(c, PROBLEM_ERROR, node, false, at,
               "this slide has only a heading; give it a \"body\", \"bullets\" or a \"picture\"");
}

static const char *const step_types[] = {"exercise", "rest", "breathe", NULL};
static const char *const sides_choices[] = {"left", "right", "both", NULL};
static const char *const breath_choices[] = {"in", "hold", "out", NULL};
static const char *const exercise_step_keys[] = {"type",  "name",  "instruction", "pictures", "sound",
                                                 "duration", "reps", "sets", "tempo", "hold",
                                                 "rest_between_sets", "sides", "switch_sides", NULL};
static const char *const rest_step_keys[] = {"type", "name", "instruction", "duration", NULL};
static const char *const breathe_step_keys[] = {"type", "name", "instruction", "pictures", "sound",
                                                "phases", "cycles", "duration", NULL};
static const char *const phase_keys[] = {"breath", "seconds", "text", NULL};

static void load_step_media(Ctx *c, const cJSON *node, const char *at, PackStep *step)
{
    const cJSON *pictures;
    int n;
    if (get_array(c, node, at, "pictures", OPTIONAL, 1, 6,
                  "[{\"file\": \"pictures/pose-1.svg\", \"alt\": \"...\"}]", &pictures, &n) == FIELD_OK) {
        char list_at[PATH_LEN];
        join_key(list_at, at, "pictures");
        step->pictures = calloc((size_t)n, sizeof *step->pictures);
        int i = 0;
        for (const cJSON *e = pictures->child; e && i < n && step->pictures; e = e->next, i++) {
            char e_at[PATH_LEN];
            join_index(e_at, list_at, i);
            PackPicture *p = load_picture(c, e, e_at);
            if (p) {
                step->pictures[step->picture_count++] = *p;
                free(p);
            }
        }
    }
    char *sound = NULL;
    if (get_text(c, node, at, "sound", OPTIONAL, 0, "\"sounds/bell.wav\"", &sound) == FIELD_OK) {
        char s_at[PATH_LEN];
        join_key(s_at, at, "sound");
        step->sound = check_file(c, cJSON_GetObjectItemCaseSensitive(node, "sound"), s_at, sound,
                                 1u << FILE_KIND_WAV, "sound", NULL, NULL);
    }
    free(sound);
}

static void load_step(Ctx *c, const cJSON *node, const char *at, PackStep *step)
{
    step->sets = 1;
    if (!cJSON_IsObject(node)) {
        report(c, PROBLEM_ERROR, node, false, at,
               "a step must be an object like {\"type\": \"exercise\", \"name\": \"...\", \"duration\": 30}; it is %s",
               json_type_words(node));
        return;
    }
    int type = 0;
    if (get_choice(c, node, at, "type", REQUIRED, step_types, &type) != FIELD_OK) {
        static const char *const any_step_keys[] = {"type", "name", "instruction", "pictures", "sound",
                                                    "duration", "reps", "sets", "tempo", "hold",
                                                    "rest_between_sets", "sides", "switch_sides", "phases",
                                                    "cycles", NULL};
        check_keys(c, node, at, any_step_keys);
        return;
    }
    step->kind = (StepKind)type;
    const cJSON *duration = cJSON_GetObjectItemCaseSensitive(node, "duration");
    char d_at[PATH_LEN];
    join_key(d_at, at, "duration");

    if (step->kind == STEP_REST) {
        check_keys(c, node, at, rest_step_keys);
        if (get_text(c, node, at, "name", OPTIONAL, 60, "\"Rest\"", &step->name) != FIELD_OK || !step->name)
            step->name = text_dup("Rest");
        get_text(c, node, at, "instruction", OPTIONAL, 400, "\"...\"", &step->instruction);
        get_seconds(c, node, at, "duration", REQUIRED, 1, 1800, 0, &step->duration_ms);
        return;
    }

    get_text(c, node, at, "name", REQUIRED, 60, "\"Shoulder rolls\"", &step->name);
    get_text(c, node, at, "instruction", OPTIONAL, 400, "\"...\"", &step->instruction);
    load_step_media(c, node, at, step);

    if (step->kind == STEP_EXERCISE) {
        check_keys(c, node, at, exercise_step_keys);
        const cJSON *reps = cJSON_GetObjectItemCaseSensitive(node, "reps");
        if (duration && reps) {
            report(c, PROBLEM_ERROR, reps, true, at,
                   "give either \"duration\" (a timed exercise) or \"reps\" (counted repetitions), not both");
        } else if (!duration && !reps) {
            report(c, PROBLEM_ERROR, node, false, at,
                   "this exercise needs a \"duration\" in seconds, like \"duration\": 30, or a number of "
                   "\"reps\", like \"reps\": 8");
        } else if (duration) {
            get_seconds(c, node, at, "duration", REQUIRED, 1, 3600, 0, &step->duration_ms);
        } else {
            get_int(c, node, at, "reps", REQUIRED, 1, 100, 0, &step->reps);
        }
        get_int(c, node, at, "sets", OPTIONAL, 1, 20, 1, &step->sets);
        get_seconds(c, node, at, "rest_between_sets", OPTIONAL, 0, 600, 0, &step->rest_between_sets_ms);
        int sides = -1;
        if (get_choice(c, node, at, "sides", OPTIONAL, sides_choices, &sides) == FIELD_OK)
            step->sides = sides == 0 ? SIDES_LEFT : sides == 1 ? SIDES_RIGHT : SIDES_BOTH;
        get_seconds(c, node, at, "switch_sides", OPTIONAL, 0, 60, 5000, &step->switch_sides_ms);
        get_seconds(c, node, at, "tempo", OPTIONAL, 0.5, 30, 3000, &step->tempo_ms);
        get_seconds(c, node, at, "hold", OPTIONAL, 0, 300, 0, &step->hold_ms);
        const char *only_with_reps[] = {"tempo", "hold"};
        for (int k = 0; k < 2 && duration && !reps; k++) {
            const cJSON *m = cJSON_GetObjectItemCaseSensitive(node, only_with_reps[k]);
            if (m) {
                char k_at[PATH_LEN];
                join_key(k_at, at, only_with_reps[k]);
                report(c, PROBLEM_WARNING, m, true, k_at,
                       "\"%s\" only applies to counted repetitions (\"reps\"); a timed exercise ignores it",
                       only_with_reps[k]);
            }
        }
        const cJSON *sw = cJSON_GetObjectItemCaseSensitive(node, "switch_sides");
        if (sw && step->sides != SIDES_BOTH) {
            char k_at[PATH_LEN];
            join_key(k_at, at, "switch_sides");
            report(c, PROBLEM_WARNING, sw, true, k_at,
                   "\"switch_sides\" only applies when \"sides\" is \"both\"; it is ignored here");
        }
        if (step->sides != SIDES_BOTH)
            step->switch_sides_ms = 0;
        if (step->duration_ms)
            step->tempo_ms = step->hold_ms = 0;
        return;
    }

    /* STEP_BREATHE */
    check_keys(c, node, at, breathe_step_keys);
    const cJSON *phases;
    int n;
    if (get_array(c, node, at, "phases", REQUIRED, 1, 8,
                  "[{\"breath\": \"in\", \"seconds\": 4}, {\"breath\": \"out\", \"seconds\": 6}]", &phases,
                  &n) == FIELD_OK) {
        char list_at[PATH_LEN];
        join_key(list_at, at, "phases");
        step->phases = calloc((size_t)n, sizeof *step->phases);
        int i = 0;
        int64_t cycle_ms = 0;
        int errors_before_phases = c->errors;
        for (const cJSON *e = phases->child; e && i < n && step->phases; e = e->next, i++) {
            char e_at[PATH_LEN];
            join_index(e_at, list_at, i);
            if (!cJSON_IsObject(e)) {
                report(c, PROBLEM_ERROR, e, false, e_at,
                       "a phase must be an object like {\"breath\": \"in\", \"seconds\": 4}; it is %s",
                       json_type_words(e));
                continue;
            }
            check_keys(c, e, e_at, phase_keys);
            PackBreathPhase ph = {0};
            int kind = 0;
            get_choice(c, e, e_at, "breath", REQUIRED, breath_choices, &kind);
            ph.kind = kind == 0 ? BREATH_INHALE : kind == 1 ? BREATH_HOLD : BREATH_EXHALE;
            get_seconds(c, e, e_at, "seconds", REQUIRED, 0.5, 60, 0, &ph.ms);
            get_text(c, e, e_at, "text", OPTIONAL, 80, "\"Breathe in through your nose\"", &ph.text);
            cycle_ms += ph.ms;
            step->phases[step->phase_count++] = ph;
        }
        if (c->errors == errors_before_phases && cycle_ms < 1000) {
            report(c, PROBLEM_ERROR, phases, false, list_at,
                   "one breath cycle lasts %.1f seconds in all, which is too fast to follow; make the "
                   "phases add up to at least 1 second",
                   (double)cycle_ms / 1000.0);
        }
        const cJSON *cycles = cJSON_GetObjectItemCaseSensitive(node, "cycles");
        if (cycles && duration) {
            report(c, PROBLEM_ERROR, cycles, true, at,
                   "give either \"cycles\" (how many breaths) or \"duration\" (how long in seconds), not both");
        } else if (!cycles && !duration) {
            report(c, PROBLEM_ERROR, node, false, at,
                   "this breathing step needs \"cycles\" (how many breaths, like \"cycles\": 6) or "
                   "\"duration\" (seconds, like \"duration\": 120)");
        } else if (cycles) {
            get_int(c, node, at, "cycles", REQUIRED, 1, 500, 0, &step->cycles);
        } else if (get_seconds(c, node, at, "duration", REQUIRED, 10, 3600, 0, &step->duration_ms) == FIELD_OK &&
                   cycle_ms > 0) {
            /* Whole cycles only, so a session never stops in the middle of a breath. */
            step->cycles = (int)llround((double)step->duration_ms / (double)cycle_ms);
            if (step->cycles < 1)
                step->cycles = 1;
        }
    }
}

static int64_t step_total_ms(const PackStep *s)
{
    switch (s->kind) {
    case STEP_REST:
        return s->duration_ms;
    case STEP_BREATHE: {
        int64_t cycle = 0;
        for (int i = 0; i < s->phase_count; i++)
            cycle += s->phases[i].ms;
        return cycle * s->cycles;
    }
    case STEP_EXERCISE: {
        int sides = s->sides == SIDES_BOTH ? 2 : 1;
        int64_t work = s->reps ? (int64_t)s->reps * (s->tempo_ms + s->hold_ms) : s->duration_ms;
        int64_t per_set = work * sides + (sides == 2 ? s->switch_sides_ms : 0);
        return per_set * s->sets + (int64_t)(s->sets - 1) * s->rest_between_sets_ms;
    }
    }
    return 0;
}

static const char *const item_types[] = {"topic", "exercise", "breathing", NULL};
static const char *const topic_keys[] = {"id", "type", "title", "summary", "section", "order", "icon",
                                         "picture", "slides", NULL};
static const char *const routine_keys[] = {"id", "type", "title", "summary", "section", "order", "icon",
                                           "picture", "before_you_start", "get_ready", "rounds",
                                           "rest_between_rounds", "steps", NULL};

static const char *const any_item_keys[] = {"id", "type", "title", "summary", "section", "order", "icon",
                                            "picture", "slides", "before_you_start", "get_ready", "rounds",
                                            "rest_between_rounds", "steps", NULL};

static const char *default_section(ItemKind kind)
{
    return kind == ITEM_TOPIC ? "care" : kind == ITEM_EXERCISE ? "exercises" : "breathing";
}

/* Loads one item; returns false (and frees it) when it has errors, so it is skipped. */
static bool load_item(Ctx *c, const cJSON *node, const char *at, PackItem *item)
{
    int errors = c->errors;
    memset(item, 0, sizeof *item);
    if (!cJSON_IsObject(node)) {
        report(c, PROBLEM_ERROR, node, false, at,
               "each item must be an object like {\"id\": \"...\", \"type\": \"topic\", ...}; this one is %s",
               json_type_words(node));
        return false;
    }
    json_doc_position(c->doc, node, &item->line, &(int){0});
    item->source_file = text_dup(c->file);
    int type = 0;
    bool typed = get_choice(c, node, at, "type", REQUIRED, item_types, &type) == FIELD_OK;
    item->kind = (ItemKind)type;
    check_keys(c, node, at, !typed ? any_item_keys : item->kind == ITEM_TOPIC ? topic_keys : routine_keys);
    get_id(c, node, at, "id", REQUIRED, &item->id);
    get_text(c, node, at, "title", REQUIRED, 80, "\"Sitting at a desk\"", &item->title);
    get_text(c, node, at, "summary", OPTIONAL, 160, "\"...\"", &item->summary);
    if (get_id(c, node, at, "section", OPTIONAL, &item->section) != FIELD_OK || !item->section)
        item->section = text_dup(default_section(item->kind));
    get_int(c, node, at, "order", OPTIONAL, -10000, 10000, 100, &item->order);
    if (get_text(c, node, at, "icon", OPTIONAL, 0, "\"spine\"", &item->icon) == FIELD_OK) {
        bool known = false;
        for (int i = 0; pack_icon_names[i]; i++)
            known |= strcmp(pack_icon_names[i], item->icon) == 0;
        if (!known) {
            char i_at[PATH_LEN];
            join_key(i_at, at, "icon");
            report(c, PROBLEM_WARNING, cJSON_GetObjectItemCaseSensitive(node, "icon"), false, i_at,
                   "\"%s\" is not one of the built-in icons (see docs/content-packs.md); the default "
                   "icon is used",
                   item->icon);
            free(item->icon);
            item->icon = NULL;
        }
    }
    const cJSON *picture = cJSON_GetObjectItemCaseSensitive(node, "picture");
    if (picture) {
        char p_at[PATH_LEN];
        join_key(p_at, at, "picture");
        item->picture = load_picture(c, picture, p_at);
    }
    if (!typed)
        goto done;

    if (item->kind == ITEM_TOPIC) {
        const cJSON *slides;
        int n;
        if (get_array(c, node, at, "slides", REQUIRED, 1, 40,
                      "[{\"heading\": \"...\", \"body\": \"...\"}]", &slides, &n) == FIELD_OK) {
            char list_at[PATH_LEN];
            join_key(list_at, at, "slides");
            item->slides = calloc((size_t)n, sizeof *item->slides);
            int i = 0;
            for (const cJSON *e = slides->child; e && i < n && item->slides; e = e->next, i++) {
                char e_at[PATH_LEN];
                join_index(e_at, list_at, i);
                load_slide(c, e, e_at, &item->slides[item->slide_count++]);
            }
        }
        goto done;
    }

    get_text_list(c, node, at, "before_you_start", REQUIRED, 1, 10, 200, false, &item->cautions,
                  &item->caution_count);
    get_seconds(c, node, at, "get_ready", OPTIONAL, 0, 60, 5000, &item->get_ready_ms);
    get_int(c, node, at, "rounds", OPTIONAL, 1, 20, 1, &item->rounds);
    get_seconds(c, node, at, "rest_between_rounds", OPTIONAL, 0, 600, 0, &item->rest_between_rounds_ms);
    const cJSON *steps;
    int n;
    if (get_array(c, node, at, "steps", REQUIRED, 1, 50,
                  "[{\"type\": \"exercise\", \"name\": \"...\", \"duration\": 30}]", &steps, &n) == FIELD_OK) {
        char list_at[PATH_LEN];
        join_key(list_at, at, "steps");
        item->steps = calloc((size_t)n, sizeof *item->steps);
        int i = 0;
        for (const cJSON *e = steps->child; e && i < n && item->steps; e = e->next, i++) {
            char e_at[PATH_LEN];
            join_index(e_at, list_at, i);
            load_step(c, e, e_at, &item->steps[item->step_count++]);
        }
        if (c->errors == errors) {
            int64_t total = (int64_t)item->get_ready_ms + (int64_t)(item->rounds - 1) * item->rest_between_rounds_ms;
            for (int k = 0; k < item->step_count; k++)
                total += step_total_ms(&item->steps[k]) * item->rounds;
            if (total > MAX_ROUTINE_MS)
                report(c, PROBLEM_ERROR, steps, false, list_at,
                       "this routine would last %lld minutes; keep a routine under 4 hours (240 minutes)",
                       (long long)(total / 60000));
        }
    }

done:
    if (c->errors != errors) {
        item_free(item);
        return false;
    }
    return true;
}

/* ---- the manifest ----------------------------------------------------------------------------- */

static const char *const manifest_keys[] = {"$schema", "format", "id", "title", "version", "language",
                                            "author", "updated", "description", "clinic", "theme",
                                            "sections", "include", "items", NULL};
static const char *const items_file_keys[] = {"$schema", "items", NULL};
/* A number to call, shown on every "when to get help" slide: digits, spaces and + only, since it is
 * read out in an emergency and must not carry words that could be misread. A bad one is left out. */
static void read_phone_number(Ctx *c, const cJSON *clinic, const char *key, const char *example, char **out)
{
    char path[64];
    snprintf(path, sizeof path, "clinic.%s", key);
    if (get_text(c, clinic, "clinic", key, OPTIONAL, 20, example, out) != FIELD_OK)
        return;
    const char *s = *out;
    bool ok = strlen(s) >= 2;
    for (; *s; s++)
        ok &= (*s >= '0' && *s <= '9') || *s == '+' || *s == ' ';
    if (ok)
        return;
    report(c, PROBLEM_WARNING, cJSON_GetObjectItemCaseSensitive(clinic, key), false, path,
           "\"%s\" may hold only digits, spaces and +, like %s; it is ignored", key, example);
    free(*out);
    *out = NULL;
}

static const char *const clinic_keys[] = {"name", "emergency_number", "crisis_line", "phone", "website", NULL};
static const char *const theme_keys[] = {"accent", "background", "surface", "text", "logo", NULL};
static const char *const section_keys[] = {"id", "title", "order", "icon", NULL};

static bool matches_version(const char *s)
{
    int parts = 0;
    while (*s) {
        if (*s < '0' || *s > '9')
            return false;
        while (*s >= '0' && *s <= '9')
            s++;
        parts++;
        if (*s == '.')
            s++;
        else if (*s)
            return false;
        else
            break;
        if (!*s)
            return false;
    }
    return parts >= 1 && parts <= 3;
}

static bool matches_language(const char *s)
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

static bool matches_date(const char *s)
{
    int y, m, d;
    char tail;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return false;
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 2000 || y > 2200 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

static bool parse_colour(const char *s, uint32_t *out)
{
    if (strlen(s) != 7 || s[0] != '#')
        return false;
    uint32_t v = 0;
    for (int i = 1; i < 7; i++) {
        char ch = s[i];
        int h = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
        if (h < 0)
            return false;
        v = v << 4 | (uint32_t)h;
    }
    *out = v;
    return true;
}

/* A required manifest text that must also match a pattern. */
static void get_patterned(Ctx *c, const cJSON *root, const char *key, int max_chars, const char *example,
                          bool (*valid)(const char *), const char *rule, char **out)
{
    if (get_text(c, root, "", key, REQUIRED, max_chars, example, out) != FIELD_OK || valid(*out))
        return;
    report(c, PROBLEM_ERROR, cJSON_GetObjectItemCaseSensitive(root, key), false, key, "\"%s\" %s, like %s; it is \"%s\"",
           key, rule, example, *out);
    free(*out);
    *out = NULL;
}

static void load_clinic_and_theme(Ctx *c, const cJSON *root, Pack *pack)
{
    pack->theme = (PackTheme){0x1F6FB2, 0xF4F7FA, 0xFFFFFF, 0x1B2733, NULL};
    const cJSON *clinic = cJSON_GetObjectItemCaseSensitive(root, "clinic");
    if (clinic && !cJSON_IsObject(clinic)) {
        report(c, PROBLEM_WARNING, clinic, false, "clinic",
               "\"clinic\" must be an object like {\"name\": \"...\"}; it is ignored");
    } else if (clinic) {
        check_keys(c, clinic, "clinic", clinic_keys);
        int errors = c->errors;
        get_text(c, clinic, "clinic", "name", REQUIRED, 80, "\"Blue Align Chiropractic\"", &pack->clinic.name);
        get_text(c, clinic, "clinic", "phone", OPTIONAL, 40, "\"...\"", &pack->clinic.phone);
        get_text(c, clinic, "clinic", "website", OPTIONAL, 200, "\"...\"", &pack->clinic.website);
        read_phone_number(c, clinic, "emergency_number", "\"000\" or \"112\"", &pack->clinic.emergency_number);
        read_phone_number(c, clinic, "crisis_line", "\"13 11 14\" or \"988\"", &pack->clinic.crisis_line);
        pack->has_clinic = c->errors == errors;
        if (!pack->has_clinic) {
            /* A clinic block without its name is not used; the pack itself still loads. */
            c->errors = errors;
            problems_add(c->problems, PROBLEM_WARNING, c->file, 0, 0, "clinic",
                         "the clinic block is not used until it has a \"name\"");
        }
    }
    const cJSON *theme = cJSON_GetObjectItemCaseSensitive(root, "theme");
    if (theme && !cJSON_IsObject(theme)) {
        report(c, PROBLEM_WARNING, theme, false, "theme",
               "\"theme\" must be an object like {\"accent\": \"#1f6fb2\"}; the default theme is used");
    } else if (theme) {
        check_keys(c, theme, "theme", theme_keys);
        pack->has_theme = true;
        const char *names[4] = {"accent", "background", "surface", "text"};
        uint32_t *slots[4] = {&pack->theme.accent, &pack->theme.background, &pack->theme.surface,
                              &pack->theme.text};
        for (int i = 0; i < 4; i++) {
            char *value = NULL;
            if (get_text(c, theme, "theme", names[i], OPTIONAL, 0, "\"#1f6fb2\"", &value) == FIELD_OK &&
                !parse_colour(value, slots[i])) {
                char t_at[PATH_LEN];
                join_key(t_at, "theme", names[i]);
                report(c, PROBLEM_WARNING, cJSON_GetObjectItemCaseSensitive(theme, names[i]), false, t_at,
                       "a colour is written as # and six hex digits, like \"#1f6fb2\"; it is \"%s\" (the "
                       "default colour is used)",
                       value);
            }
            free(value);
        }
        char *logo = NULL;
        if (get_text(c, theme, "theme", "logo", OPTIONAL, 0, "\"pictures/logo.svg\"", &logo) == FIELD_OK) {
            pack->theme.logo = check_file(c, cJSON_GetObjectItemCaseSensitive(theme, "logo"), "theme.logo", logo,
                                          PICTURE_KINDS, "logo", NULL, NULL);
        }
        free(logo);
    }
}

static void load_sections(Ctx *c, const cJSON *root, Pack *pack)
{
    const cJSON *sections;
    int n;
    if (get_array(c, root, "", "sections", OPTIONAL, 0, INT_MAX, "[{\"id\": \"desk\", \"title\": \"At your desk\"}]",
                  &sections, &n) != FIELD_OK || n == 0)
        return;
    pack->sections = calloc((size_t)n, sizeof *pack->sections);
    int i = 0;
    for (const cJSON *e = sections->child; e && i < n && pack->sections; e = e->next, i++) {
        char at[PATH_LEN];
        join_index(at, "sections", i);
        if (!cJSON_IsObject(e)) {
            report(c, PROBLEM_WARNING, e, false, at,
                   "a section must be an object like {\"id\": \"desk\", \"title\": \"At your desk\"}; it is left out");
            continue;
        }
        check_keys(c, e, at, section_keys);
        int errors = c->errors;
        PackSection s = {0};
        get_id(c, e, at, "id", REQUIRED, &s.id);
        get_text(c, e, at, "title", REQUIRED, 60, "\"At your desk\"", &s.title);
        get_int(c, e, at, "order", OPTIONAL, -10000, 10000, 100, &s.order);
        get_text(c, e, at, "icon", OPTIONAL, 0, "\"chair\"", &s.icon);
        if (c->errors != errors) {
            /* A broken section is dropped with a warning; its items fall back to their default section. */
            c->errors = errors;
            for (size_t k = c->problems->count; k-- > 0;) {
                if (c->problems->items[k].severity == PROBLEM_ERROR && strncmp(c->problems->items[k].path, at, strlen(at)) == 0)
                    c->problems->items[k].severity = PROBLEM_WARNING;
                else
                    break;
            }
            free(s.id);
            free(s.title);
            free(s.icon);
            continue;
        }
        pack->sections[pack->section_count++] = s;
    }
}

/* ---- whole pack ------------------------------------------------------------------------------- */

static char *trimmed_dir(const char *dir)
{
    char *d = text_dup(dir);
    size_t n = d ? strlen(d) : 0;
    while (n > 1 && d[n - 1] == '/')
        d[--n] = '\0';
    return d;
}

static bool section_known(const Pack *pack, const char *id)
{
    for (int i = 0; i < pack_builtin_section_count; i++)
        if (strcmp(pack_builtin_sections[i].id, id) == 0)
            return true;
    for (int i = 0; i < pack->section_count; i++)
        if (strcmp(pack->sections[i].id, id) == 0)
            return true;
    return false;
}

static bool add_item(Pack *pack, int *capacity, PackItem *item)
{
    if (pack->item_count == *capacity) {
        int grown_capacity = *capacity ? *capacity * 2 : 16;
        PackItem *grown = realloc(pack->items, (size_t)grown_capacity * sizeof *grown);
        if (!grown)
            return false;
        pack->items = grown;
        *capacity = grown_capacity;
    }
    pack->items[pack->item_count++] = *item;
    return true;
}

/* The ids of the items loaded so far, for the duplicate check: a hash table of indexes into
 * pack->items (indexes, because the array moves as it grows), so that a pack of many items is checked
 * in time proportional to its size rather than comparing each id with every earlier one. */
typedef struct {
    int *slots; /* -1 for an empty slot; size mask + 1 */
    size_t mask;
    size_t used;
} ItemIds;

static int *item_ids_slot(ItemIds *ids, const Pack *pack, const char *id)
{
    size_t h = text_hash(id) & ids->mask;
    while (ids->slots[h] >= 0 && strcmp(pack->items[ids->slots[h]].id, id) != 0)
        h = (h + 1) & ids->mask;
    return &ids->slots[h];
}

/* Makes room for one more id (keeping the table at most half full); false when out of memory. */
static bool item_ids_reserve(ItemIds *ids, const Pack *pack)
{
    if (ids->slots && (ids->used + 1) * 2 <= ids->mask + 1)
        return true;
    size_t size = ids->slots ? (ids->mask + 1) * 2 : 64;
    ItemIds grown = {malloc(size * sizeof *grown.slots), size - 1, 0};
    if (!grown.slots)
        return false;
    for (size_t i = 0; i < size; i++)
        grown.slots[i] = -1;
    for (int i = 0; i < pack->item_count; i++) {
        *item_ids_slot(&grown, pack, pack->items[i].id) = i;
        grown.used++;
    }
    free(ids->slots);
    *ids = grown;
    return true;
}

/* The item already using `id`, or NULL. */
static const PackItem *item_ids_find(ItemIds *ids, const Pack *pack, const char *id)
{
    if (!ids->slots)
        return pack_find_item(pack, id);
    int at = *item_ids_slot(ids, pack, id);
    return at >= 0 ? &pack->items[at] : NULL;
}

/* Loads the "items" array of one file (pack.json or an included file) into the pack. */
static void load_items(Ctx *c, const cJSON *root, Pack *pack, int *capacity, ItemIds *ids)
{
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(root, "items");
    int n;
    /* Not a list loses every item of the file, so it is an error, not a default. */
    if (items && !cJSON_IsArray(items)) {
        report(c, PROBLEM_ERROR, items, false, "items",
               "\"items\" must be a list [ ... ] of topics and routines, like \"items\": [{\"id\": \"...\", "
               "\"type\": \"topic\", ...}]; it is %s, so no items of this file are loaded",
               json_type_words(items));
        return;
    }
    /* No count limit: a file holds as many items as its size allows (see Limits in docs/content-packs.md). */
    if (get_array(c, root, "", "items", OPTIONAL, 0, INT_MAX, "[{\"id\": \"...\", \"type\": \"topic\", ...}]",
                  &items, &n) != FIELD_OK)
        return;
    int i = 0;
    for (const cJSON *e = items->child; e && i < n; e = e->next, i++) {
        char at[PATH_LEN];
        join_index(at, "items", i);
        PackItem item;
        if (!load_item(c, e, at, &item))
            continue;
        const PackItem *twin = item_ids_find(ids, pack, item.id);
        if (twin) {
            char id_at[PATH_LEN];
            join_key(id_at, at, "id");
            report(c, PROBLEM_ERROR, cJSON_GetObjectItemCaseSensitive(e, "id"), false, id_at,
                   "the id \"%s\" is already used by the item at %s:%d; give each item its own id (this one "
                   "is skipped)",
                   item.id, twin->source_file, twin->line);
            item_free(&item);
            continue;
        }
        if (!section_known(pack, item.section)) {
            char s_at[PATH_LEN];
            join_key(s_at, at, "section");
            report(c, PROBLEM_WARNING, cJSON_GetObjectItemCaseSensitive(e, "section"), false, s_at,
                   "there is no section \"%s\"; define it in \"sections\" in pack.json, or use one of care, "
                   "posture, breathing, exercises, help, about (the item goes in \"%s\" for now)",
                   item.section, default_section(item.kind));
            free(item.section);
            item.section = text_dup(default_section(item.kind));
        }
        if (!item_ids_reserve(ids, pack) || !add_item(pack, capacity, &item)) {
            item_free(&item);
            continue;
        }
        *item_ids_slot(ids, pack, item.id) = pack->item_count - 1;
        ids->used++;
    }
}

static bool listed_in(const char *name, char **list, int count)
{
    for (int i = 0; i < count; i++)
        if (strcmp(list[i], name) == 0)
            return true;
    return false;
}

/* JSON files lying in the pack folder that nothing loads are probably a forgotten "include". Every one
 * is named: a cap here would drop the rest without a word. */
static void warn_unlisted_json(const char *dir, const char *manifest, char **included, int count,
                               ProblemList *problems)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.' || n < 6 || strcmp(e->d_name + n - 5, ".json") != 0 ||
            strcmp(e->d_name, "pack.json") == 0 || listed_in(e->d_name, included, count))
            continue;
        problems_add(problems, PROBLEM_WARNING, manifest, 0, 0, "include",
                     "\"%s\" is in the pack folder but not listed in \"include\", so it is not loaded; "
                     "add it to \"include\" or move it out of the folder",
                     e->d_name);
    }
    closedir(d);
}

Pack *pack_load(const char *dir, ProblemList *problems)
{
    size_t first_problem = problems->count;
    Pack *pack = calloc(1, sizeof *pack);
    JsonDoc *doc = NULL;
    char **included = NULL;
    int included_count = 0;
    ItemIds ids = {0};
    if (!pack)
        return NULL;
    pack->dir = trimmed_dir(dir);
    pack->manifest = pack->dir ? text_printf("%s/pack.json", pack->dir) : NULL;
    if (!pack->manifest)
        goto fail;
    doc = json_doc_load(pack->manifest, problems);
    if (!doc)
        goto fail;
    Ctx c = {doc, pack->manifest, pack->dir, problems, 0};
    const cJSON *root = json_doc_root(doc);
    if (!cJSON_IsObject(root)) {
        report(&c, PROBLEM_ERROR, root, false, "",
               "pack.json must hold one object, starting with { and ending with }; it holds %s",
               json_type_words(root));
        goto fail;
    }

    /* The format comes first: a newer format may mean other keys, so nothing else is checked. */
    if (!cJSON_GetObjectItemCaseSensitive(root, "format")) {
        report(&c, PROBLEM_ERROR, root, false, "format",
               "\"format\" is missing; add \"format\": %d as the first entry of pack.json", PACK_FORMAT_VERSION);
        goto fail;
    }
    if (get_int(&c, root, "", "format", REQUIRED, INT32_MIN / 2, INT32_MAX / 2, 0, &pack->format) != FIELD_OK)
        goto fail;
    if (pack->format != PACK_FORMAT_VERSION) {
        report(&c, PROBLEM_ERROR, cJSON_GetObjectItemCaseSensitive(root, "format"), false, "format",
               "this pack is written in format %d, but this version of the app reads format %d; %s",
               pack->format, PACK_FORMAT_VERSION,
               pack->format > PACK_FORMAT_VERSION ? "update the app to show it"
                                                  : "set \"format\": 1 and check the pack against docs/content-packs.md");
        goto fail;
    }
    check_keys(&c, root, "", manifest_keys);
    get_id(&c, root, "", "id", REQUIRED, &pack->id);
    get_text(&c, root, "", "title", REQUIRED, 80, "\"Posture and ergonomics\"", &pack->title);
    get_patterned(&c, root, "version", 32, "\"1.2\"", matches_version, "must be numbers with dots", &pack->version);
    get_patterned(&c, root, "language", 20, "\"en\" or \"en-AU\"", matches_language,
                  "must be a language code", &pack->language);
    get_text(&c, root, "", "author", REQUIRED, 120, "\"Blue Align Chiropractic\"", &pack->author);
    get_patterned(&c, root, "updated", 10, "\"2026-11-21\"", matches_date, "must be a real date written YYYY-MM-DD",
                  &pack->updated);
    get_text(&c, root, "", "description", OPTIONAL, 400, "\"...\"", &pack->description);
    /* A pack with a broken manifest is not shown, but its items are still checked so that one run
     * of --validate lists every problem. */
    bool manifest_ok = c.errors == 0;

    load_clinic_and_theme(&c, root, pack);
    load_sections(&c, root, pack);
    int capacity = 0;
    load_items(&c, root, pack, &capacity, &ids);

    const cJSON *include = cJSON_GetObjectItemCaseSensitive(root, "include");
    int n = 0;
    bool include_bad = include && !cJSON_IsArray(include);
    if (include_bad && cJSON_IsString(include))
        report(&c, PROBLEM_ERROR, include, false, "include",
               "\"include\" must be a list of file names: [\"%s\"]; it is text, so \"%s\" is not loaded",
               include->valuestring, include->valuestring);
    else if (include_bad)
        report(&c, PROBLEM_ERROR, include, false, "include",
               "\"include\" must be a list of file names: [\"topics.json\"]; it is %s, so no file is included",
               json_type_words(include));
    else if (get_array(&c, root, "", "include", OPTIONAL, 0, INT_MAX, "[\"topics.json\"]", &include, &n) == FIELD_OK && n) {
        included = calloc((size_t)n, sizeof *included);
        int i = 0;
        for (const cJSON *e = include->child; e && i < n && included; e = e->next, i++) {
            char at[PATH_LEN];
            join_index(at, "include", i);
            if (!cJSON_IsString(e)) {
                report(&c, PROBLEM_ERROR, e, false, at, "each entry of \"include\" must be a file name in double quotes, like \"topics.json\"");
                continue;
            }
            included[included_count++] = text_dup(e->valuestring);
            PackFileInfo info;
            if (pack_file_check(pack->dir, e->valuestring, 1u << FILE_KIND_JSON, &info) != PACK_FILE_OK) {
                report(&c, PROBLEM_ERROR, e, false, at, "the included file \"%s\" %s%s%s%s; its items are not loaded",
                       e->valuestring, pack_file_status_text(info.status), info.detail[0] ? " (" : "", info.detail,
                       info.detail[0] ? ")" : "");
                free(info.full_path);
                continue;
            }
            JsonDoc *part = json_doc_load(info.full_path, problems);
            if (part) {
                Ctx pc = {part, info.full_path, pack->dir, problems, 0};
                const cJSON *part_root = json_doc_root(part);
                if (!cJSON_IsObject(part_root)) {
                    report(&pc, PROBLEM_ERROR, part_root, false, "",
                           "an included file must hold one object like {\"items\": [ ... ]}");
                } else {
                    check_keys(&pc, part_root, "", items_file_keys);
                    if (!cJSON_GetObjectItemCaseSensitive(part_root, "items"))
                        report(&pc, PROBLEM_ERROR, part_root, false, "items",
                               "\"items\" is missing; an included file holds {\"items\": [ ... ]}");
                    load_items(&pc, part_root, pack, &capacity, &ids);
                }
                json_doc_free(part);
            }
            free(info.full_path);
        }
    }
    if (!include_bad) /* the files are listed, only not as a list: said above */
        warn_unlisted_json(pack->dir, pack->manifest, included, included_count, problems);
    problems_sort(problems, first_problem, pack->manifest);

    if (!manifest_ok)
        goto fail;
    if (pack->item_count == 0) {
        problems_add(problems, PROBLEM_ERROR, pack->manifest, 0, 0, "items",
                     "this pack has no items that can be shown%s", 
                     cJSON_GetObjectItemCaseSensitive(root, "items") || included_count
                         ? "; fix the errors above"
                         : "; add topics or routines to \"items\"");
        goto fail;
    }
    free(ids.slots);
    free_text_list(included, included_count);
    json_doc_free(doc);
    return pack;

fail:
    free(ids.slots);
    free_text_list(included, included_count);
    json_doc_free(doc);
    pack_free(pack);
    return NULL;
}

void pack_free(Pack *pack)
{
    if (!pack)
        return;
    free(pack->dir);
    free(pack->manifest);
    free(pack->id);
    free(pack->title);
    free(pack->version);
    free(pack->language);
    free(pack->author);
    free(pack->updated);
    free(pack->description);
    free(pack->clinic.name);
    free(pack->clinic.emergency_number);
    free(pack->clinic.crisis_line);
    free(pack->clinic.phone);
    free(pack->clinic.website);
    free(pack->theme.logo);
    for (int i = 0; i < pack->section_count; i++) {
        free(pack->sections[i].id);
        free(pack->sections[i].title);
        free(pack->sections[i].icon);
    }
    free(pack->sections);
    for (int i = 0; i < pack->item_count; i++)
        item_free(&pack->items[i]);
    free(pack->items);
    free(pack);
}

const PackItem *pack_find_item(const Pack *pack, const char *id)
{
    for (int i = 0; i < pack->item_count; i++)
        if (strcmp(pack->items[i].id, id) == 0)
            return &pack->items[i];
    return NULL;
}

const char *pack_item_kind_name(ItemKind kind)
{
    return item_types[kind];
}

const char *pack_breath_kind_name(BreathKind kind)
{
    return kind == BREATH_INHALE ? "in" : kind == BREATH_HOLD ? "hold" : "out";
}
