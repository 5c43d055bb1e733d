/* routine_timing.h: where a routine is at any millisecond.
 *
 * A routine is compiled once into a flat timeline of segments (get-ready, each repetition or timed
 * set on each side, rests, side switches, every breathing phase of every cycle). Position is then a
 * pure function of elapsed milliseconds: a binary search over segment start times. Nothing counts
 * frames, so nothing drifts, and every boundary lands on the exact millisecond. The player
 * (RoutinePlayer) adds pause, resume, skip, back and restart on top of an injected clock value.
 */
#ifndef BA_ROUTINE_TIMING_H
#define BA_ROUTINE_TIMING_H

#include <stdbool.h>
#include <stdint.h>

#include "pack.h"

typedef enum {
    SEG_GET_READY,    /* countdown before the first step */
    SEG_WORK,         /* one repetition, or one timed set, of an exercise step */
    SEG_HOLD,         /* the hold at the end of a repetition */
    SEG_SET_REST,     /* rest between sets of the same exercise */
    SEG_SWITCH_SIDES, /* change from left to right */
    SEG_REST,         /* a rest step */
    SEG_ROUND_REST,   /* rest between rounds */
    SEG_BREATH        /* one phase of one breathing cycle */
} SegmentKind;

typedef struct {
    SegmentKind kind;
    int64_t start_ms;    /* from the start of the routine */
    int32_t duration_ms;
    int step;            /* index into the item's steps; -1 for get-ready and round rests */
    int unit;            /* index of the skip/back unit this segment belongs to (see below) */
    int round;           /* 0-based */
    int set;             /* 0-based, exercise steps */
    int rep;             /* 0-based, counted exercise steps; -1 for timed ones */
    StepSides side;      /* SIDES_LEFT or SIDES_RIGHT when the step is sided, else SIDES_NONE */
    int cycle;           /* 0-based, breathing */
    int phase;           /* index into the step's phases, breathing */
    BreathKind breath;   /* kind of that phase, so cues need not look back at the routine */
} Segment;

/* A unit is what skip and back move between: the get-ready countdown, one step in one round,
 * or one rest between rounds. */
typedef struct {
    int64_t start_ms;
    int64_t end_ms;
    int step;  /* -1 for get-ready and round rests */
    int round;
} TimelineUnit;

typedef struct {
    Segment *segments;
    int segment_count;
    TimelineUnit *units;
    int unit_count;
    int64_t total_ms;
} Timeline;

/* Builds the timeline of a routine item (ITEM_EXERCISE or ITEM_BREATHING). Returns false for a topic
 * or on out-of-memory; the caller frees with timeline_free(). */
bool timeline_build(Timeline *timeline, const PackItem *routine);
void timeline_free(Timeline *timeline);

/* Index of the segment that contains `elapsed_ms` (segments are half-open [start, end)); the last
 * segment for elapsed_ms >= total_ms. */
int timeline_segment_at(const Timeline *timeline, int64_t elapsed_ms);
int timeline_unit_at(const Timeline *timeline, int64_t elapsed_ms);

/* Everything the screens need to draw a routine at one moment. */
typedef struct {
    bool finished;
    int segment;             /* index, valid even when finished (the last one) */
    SegmentKind kind;
    int step;                /* current step index, -1 during get-ready and round rests */
    int next_step;           /* the step that comes after the current unit, -1 at the end */
    int round, rounds;
    int set, sets;
    int rep, reps;           /* rep is 0-based; reps 0 for timed steps */
    StepSides side;
    int cycle, cycles;
    int phase;
    int64_t elapsed_ms;      /* since the routine started, pauses excluded */
    int64_t segment_elapsed_ms;
    int64_t segment_remaining_ms;
    int64_t unit_remaining_ms; /* left in the current step (all its sets, sides and cycles) */
    float segment_progress;  /* 0..1 */
    float overall_progress;  /* 0..1 */
    float breath_fullness;   /* 0 empty .. 1 full lungs, for the pacer; eased; 0 outside breathing */
} RoutineState;

void timeline_state_at(const Timeline *timeline, const PackItem *routine, int64_t elapsed_ms,
                       RoutineState *out);

/* Cue a sound should mark; one per segment start. */
typedef enum {
    CUE_NONE,
    CUE_GET_READY,  /* the countdown begins */
    CUE_STEP,       /* a new exercise step begins (a breathing step starts with its first phase cue) */
    CUE_REP,        /* a new repetition or timed set begins within a step */
    CUE_HOLD,       /* a hold begins */
    CUE_REST,       /* any rest or side switch begins */
    CUE_INHALE,
    CUE_BREATH_HOLD,
    CUE_EXHALE,
    CUE_FINISH      /* the routine has ended */
} CueKind;

typedef struct {
    CueKind kind;
    int64_t at_ms;  /* routine time of the boundary */
} Cue;

/* Writes the cues whose boundary lies in (from_ms, to_ms] into `out` (at most `max`), in time order,
 * and returns how many were written. The routine's end (total_ms) yields CUE_FINISH. */
int timeline_cues_between(const Timeline *timeline, int64_t from_ms, int64_t to_ms, Cue *out, int max);

/* A routine being played against a clock the caller supplies (milliseconds, monotonic). */
typedef struct {
    const Timeline *timeline;
    bool paused;
    int64_t anchor_clock_ms;   /* clock value when position was last set */
    int64_t anchor_elapsed_ms; /* routine time at that moment */
} RoutinePlayer;

void player_start(RoutinePlayer *player, const Timeline *timeline, int64_t now_ms);
int64_t player_elapsed(const RoutinePlayer *player, int64_t now_ms); /* clamped to 0..total_ms */
bool player_finished(const RoutinePlayer *player, int64_t now_ms);
void player_pause(RoutinePlayer *player, int64_t now_ms);
void player_resume(RoutinePlayer *player, int64_t now_ms);
void player_toggle_pause(RoutinePlayer *player, int64_t now_ms);
/* Skip to the start of the next unit (or the end). */
void player_skip(RoutinePlayer *player, int64_t now_ms);
/* To the start of the current unit, or of the previous one when less than PLAYER_BACK_GRACE_MS into
 * the current unit (as music players do). Never before 0. */
#define PLAYER_BACK_GRACE_MS 2000
void player_back(RoutinePlayer *player, int64_t now_ms);
void player_restart(RoutinePlayer *player, int64_t now_ms);
/* Clock value of the next segment boundary while playing, or INT64_MAX when paused or finished:
 * the main loop sleeps until then. */
int64_t player_next_boundary_clock(const RoutinePlayer *player, int64_t now_ms);

#endif
