/* pack.h: the content-pack model, version 1.
 *
 * Plain data copied out of the JSON by the loader (pack_load.c); cJSON trees never outlive loading.
 * Every string and array here belongs to the Pack and is released by pack_free(). Durations are
 * whole milliseconds, already checked to lie within the limits in docs/content-packs.md, so the
 * timing engine and the app can trust them.
 */
#ifndef BA_PACK_H
#define BA_PACK_H

#include <stdbool.h>
#include <stdint.h>

#include "problems.h"

#define PACK_FORMAT_VERSION 1

typedef struct {
    float x, y;  /* 0..1, relative to the picture's width and height, from its top-left corner */
    char *label;
} PackCallout;

typedef struct {
    char *file;      /* as written in the pack, relative to the pack folder */
    char *full_path; /* resolved path the app can open; NULL when the file failed its checks */
    char *alt;
    char *caption;   /* may be NULL */
    PackCallout *callouts;
    int callout_count;
    int width, height; /* intrinsic size read from the file's header; 0 when unknown */
} PackPicture;

typedef struct {
    char *heading;
    char **paragraphs;
    int paragraph_count;
    char **bullets;
    int bullet_count;
    PackPicture *picture; /* NULL when the slide has none */
} PackSlide;

typedef enum { STEP_EXERCISE, STEP_REST, STEP_BREATHE } StepKind;
typedef enum { SIDES_NONE, SIDES_LEFT, SIDES_RIGHT, SIDES_BOTH } StepSides;
typedef enum { BREATH_INHALE, BREATH_HOLD, BREATH_EXHALE } BreathKind;

typedef struct {
    BreathKind kind;
    int32_t ms;
    char *text; /* optional instruction shown during the phase, may be NULL */
} PackBreathPhase;

typedef struct {
    StepKind kind;
    char *name;
    char *instruction; /* may be NULL */
    PackPicture *pictures; /* key poses, shown in turn */
    int picture_count;
    char *sound;           /* optional WAV cue: resolved path, or NULL */

    /* STEP_EXERCISE: either duration_ms (timed) or reps (counted), done `sets` times per side. */
    int32_t duration_ms;   /* timed exercise, rest, or a breathing step's total time (0 = use cycles) */
    int sets;              /* >= 1 */
    int reps;              /* 0 for a timed exercise */
    int32_t tempo_ms;      /* time for one repetition */
    int32_t hold_ms;       /* hold at the end of each repetition, or 0 */
    int32_t rest_between_sets_ms;
    int32_t switch_sides_ms; /* pause to change sides when sides == SIDES_BOTH */
    StepSides sides;

    /* STEP_BREATHE */
    PackBreathPhase *phases;
    int phase_count;
    int cycles;            /* whole cycles; derived from duration_ms when that was given */
} PackStep;

typedef enum { ITEM_TOPIC, ITEM_EXERCISE, ITEM_BREATHING } ItemKind;

typedef struct {
    ItemKind kind;
    char *id;
    char *title;
    char *summary;  /* may be NULL */
    char *section;  /* section id; defaults by kind */
    int order;
    char *icon;     /* built-in icon name, may be NULL */
    PackPicture *picture; /* tile picture, may be NULL */
    char *source_file;    /* file the item was read from, for messages */
    int line;

    /* ITEM_TOPIC */
    PackSlide *slides;
    int slide_count;

    /* ITEM_EXERCISE and ITEM_BREATHING */
    char **cautions;      /* the "before you start" points */
    int caution_count;
    int32_t get_ready_ms;
    int rounds;
    int32_t rest_between_rounds_ms;
    PackStep *steps;
    int step_count;
} PackItem;

typedef struct {
    char *id;
    char *title;
    int order;
    char *icon; /* may be NULL */
} PackSection;

typedef struct {
    uint32_t accent, background, surface, text; /* 0xRRGGBB */
    char *logo; /* resolved path, or NULL */
} PackTheme;

typedef struct {
    char *name;
    char *emergency_number; /* may be NULL */
    char *crisis_line;      /* a crisis support line (thoughts of self-harm), may be NULL */
    char *phone;            /* may be NULL */
    char *website;          /* may be NULL */
} PackClinic;

typedef struct {
    char *dir;       /* the pack folder as given */
    char *manifest;  /* dir + "/pack.json" */
    int format;
    char *id;
    char *title;
    char *version;
    char *language;
    char *author;
    char *updated;   /* YYYY-MM-DD */
    char *description; /* may be NULL */
    bool has_clinic;
    PackClinic clinic;
    bool has_theme;
    PackTheme theme;
    PackSection *sections;
    int section_count;
    PackItem *items;
    int item_count;
} Pack;

/* Loads and checks the pack in folder `dir`. Problems are appended to `problems`. Returns NULL when the
 * pack is unusable (its manifest is missing or broken, or no item survived); the caller frees the
 * result with pack_free(). */
Pack *pack_load(const char *dir, ProblemList *problems);
void pack_free(Pack *pack);

const PackItem *pack_find_item(const Pack *pack, const char *id);

/* Names for messages and the UI. */
const char *pack_item_kind_name(ItemKind kind);
const char *pack_breath_kind_name(BreathKind kind);

/* Built-in icons the app can draw, NULL-terminated. */
extern const char *const pack_icon_names[];

/* Built-in sections every pack may use without defining them. */
typedef struct {
    const char *id;
    const char *title;
    int order;
    const char *icon;
} PackBuiltinSection;
extern const PackBuiltinSection pack_builtin_sections[];
extern const int pack_builtin_section_count;

#endif
