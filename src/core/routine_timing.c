/* routine_timing.c: a routine compiled into a flat timeline, and the position in it at any millisecond.
 *
 * timeline_build() walks the routine once to count segments and units and once more to fill them, so
 * the arrays are allocated exactly once. Every start time is the running int64 sum of whole-millisecond
 * durations, so the last boundary of a four-hour routine is as exact as the first. Everything after
 * building (state, cues, the player) is a binary search over those start times plus arithmetic on an
 * elapsed value: no per-frame accumulation, hence no drift however irregular the frames are.
 */
#include "routine_timing.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* M_PI is POSIX, not C11. */
static const double PI = 3.14159265358979323846;

/* One pass of the walk over the routine. With segments == NULL it only counts. */
typedef struct {
    Segment *segments;
    TimelineUnit *units;
    size_t segment_count;
    size_t unit_count;
    int64_t now_ms;
    bool unit_open;  /* the unit begun last has received a segment */
    int unit_step;   /* step and round of the unit begun last */
    int unit_round;
    Segment where;   /* counters of the position being emitted (step, round, set, rep, side, ...) */
    BreathKind breath_kind; /* of the phase being emitted, for SEG_BREATH */
} Builder;

/* Starts a new unit. The unit is only created when its first segment arrives, so a unit whose
 * segments all have zero length (impossible with checked content) never exists as an empty span. */
static void begin_unit(Builder *b, int step, int round)
{
    b->unit_open = false;
    b->unit_step = step;
    b->unit_round = round;
    b->where = (Segment){.step = step, .round = round, .rep = -1, .side = SIDES_NONE};
}

static void emit(Builder *b, SegmentKind kind, int32_t duration_ms)
{
    if (duration_ms <= 0)
        return; /* zero-length segments would be boundaries nobody can see or skip to */
    if (!b->unit_open) {
        if (b->units)
            b->units[b->unit_count] = (TimelineUnit){b->now_ms, b->now_ms, b->unit_step, b->unit_round};
        b->unit_count++;
        b->unit_open = true;
    }
    if (b->segments) {
        Segment s = b->where;
        s.kind = kind;
        s.start_ms = b->now_ms;
        s.duration_ms = duration_ms;
        s.unit = (int)(b->unit_count - 1);
        s.breath = b->breath_kind;
        b->segments[b->segment_count] = s;
    }
    b->segment_count++;
    b->now_ms += duration_ms;
    if (b->units)
        b->units[b->unit_count - 1].end_ms = b->now_ms;
}

static void walk_exercise(Builder *b, const PackStep *step)
{
    StepSides side_list[2] = {step->sides, SIDES_NONE};
    int side_count = 1;
    if (step->sides == SIDES_BOTH) {
        side_list[0] = SIDES_LEFT;
        side_list[1] = SIDES_RIGHT;
        side_count = 2;
    }
    for (int set = 0; set < step->sets; set++) {
        b->where.set = set;
        for (int i = 0; i < side_count; i++) {
            if (i > 0) {
                /* The switch carries the side about to be done: the screen tells the patient to get
                 * into that position. */
                b->where.side = side_list[i];
                b->where.rep = -1;
                emit(b, SEG_SWITCH_SIDES, step->switch_sides_ms);
            }
            b->where.side = side_list[i];
            if (step->reps == 0) {
                b->where.rep = -1;
                emit(b, SEG_WORK, step->duration_ms); /* a hold means nothing in a timed step */
            } else {
                for (int rep = 0; rep < step->reps; rep++) {
                    b->where.rep = rep;
                    emit(b, SEG_WORK, step->tempo_ms);
                    emit(b, SEG_HOLD, step->hold_ms);
                }
            }
        }
        if (set + 1 < step->sets) {
            /* The rest belongs to the set just finished, so set and side stay as they were. */
            b->where.rep = -1;
            emit(b, SEG_SET_REST, step->rest_between_sets_ms);
        }
    }
}

static void walk_breathe(Builder *b, const PackStep *step)
{
    for (int cycle = 0; cycle < step->cycles; cycle++) {
        b->where.cycle = cycle;
        for (int p = 0; p < step->phase_count; p++) {
            b->where.phase = p;
            b->breath_kind = step->phases[p].kind;
            emit(b, SEG_BREATH, step->phases[p].ms);
        }
    }
}

static void walk_routine(Builder *b, const PackItem *routine)
{
    begin_unit(b, -1, 0);
    emit(b, SEG_GET_READY, routine->get_ready_ms);
    for (int round = 0; round < routine->rounds; round++) {
        for (int s = 0; s < routine->step_count; s++) {
            const PackStep *step = &routine->steps[s];
            begin_unit(b, s, round);
            switch (step->kind) {
            case STEP_EXERCISE:
                walk_exercise(b, step);
                break;
            case STEP_REST:
                emit(b, SEG_REST, step->duration_ms);
                break;
            case STEP_BREATHE:
                walk_breathe(b, step);
                break;
            }
        }
        if (round + 1 < routine->rounds) {
            begin_unit(b, -1, round);
            emit(b, SEG_ROUND_REST, routine->rest_between_rounds_ms);
        }
    }
}

bool timeline_build(Timeline *timeline, const PackItem *routine)
{
    memset(timeline, 0, sizeof *timeline);
    if (routine->kind != ITEM_EXERCISE && routine->kind != ITEM_BREATHING)
        return false;

    Builder count = {0};
    walk_routine(&count, routine);
    /* An empty timeline has no "current segment" for anything to report; checked content always
     * has at least one step of positive length, so this only guards against unchecked input. */
    if (count.segment_count == 0 || count.segment_count > INT_MAX || count.unit_count > INT_MAX ||
        count.segment_count > (SIZE_MAX - count.segment_count) / sizeof(Segment))
        goto fail;

    Builder fill = {0};
    fill.segments = calloc(count.segment_count, sizeof(Segment));
    fill.units = calloc(count.unit_count, sizeof *fill.units);
    timeline->segments = fill.segments;
    timeline->units = fill.units;
    if (!fill.segments || !fill.units)
        goto fail;
    timeline->segment_count = (int)count.segment_count;
    walk_routine(&fill, routine);

    timeline->segment_count = (int)fill.segment_count;
    timeline->unit_count = (int)fill.unit_count;
    timeline->total_ms = fill.now_ms;
    return true;

fail:
    timeline_free(timeline);
    return false;
}

void timeline_free(Timeline *timeline)
{
    free(timeline->segments);
    free(timeline->units);
    memset(timeline, 0, sizeof *timeline);
}

int timeline_segment_at(const Timeline *timeline, int64_t elapsed_ms)
{
    if (timeline->segment_count <= 0)
        return -1;
    if (elapsed_ms >= timeline->total_ms)
        return timeline->segment_count - 1;
    /* Last segment whose start is <= elapsed: the segments tile [0, total) without gaps. */
    int lo = 0, hi = timeline->segment_count - 1;
    while (lo < hi) {
        int mid = lo + (hi - lo + 1) / 2;
        if (timeline->segments[mid].start_ms <= elapsed_ms)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

int timeline_unit_at(const Timeline *timeline, int64_t elapsed_ms)
{
    if (timeline->unit_count <= 0)
        return -1;
    if (elapsed_ms >= timeline->total_ms)
        return timeline->unit_count - 1;
    int lo = 0, hi = timeline->unit_count - 1;
    while (lo < hi) {
        int mid = lo + (hi - lo + 1) / 2;
        if (timeline->units[mid].start_ms <= elapsed_ms)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

static float clamp01(double v)
{
    if (v < 0.0)
        return 0.0f;
    if (v > 1.0)
        return 1.0f;
    return (float)v;
}

/* A hold keeps the lungs as the last real breath left them: the nearest earlier inhale or exhale,
 * looking back cyclically because the first phase of a cycle follows the last of the one before. */
static float hold_fullness(const PackStep *step, int phase)
{
    for (int back = 1; back < step->phase_count; back++) {
        int p = ((phase - back) % step->phase_count + step->phase_count) % step->phase_count;
        if (step->phases[p].kind == BREATH_INHALE)
            return 1.0f;
        if (step->phases[p].kind == BREATH_EXHALE)
            return 0.0f;
    }
    return 0.5f; /* nothing but holds: no direction to take the fullness from, so half */
}

static float breath_fullness(const PackStep *step, int phase, float progress)
{
    if (phase < 0 || phase >= step->phase_count)
        return 0.0f;
    /* Eased so the pacer slows at full and empty lungs, as real breathing does. */
    float eased = (float)(0.5 - 0.5 * cos(PI * (double)progress));
    switch (step->phases[phase].kind) {
    case BREATH_INHALE:
        return clamp01(eased);
    case BREATH_EXHALE:
        return clamp01(1.0 - eased);
    case BREATH_HOLD:
        return hold_fullness(step, phase);
    }
    return 0.0f;
}

void timeline_state_at(const Timeline *timeline, const PackItem *routine, int64_t elapsed_ms,
                       RoutineState *out)
{
    memset(out, 0, sizeof *out);
    out->segment = -1;
    out->step = -1;
    out->next_step = -1;
    out->rep = -1;
    out->finished = true;
    if (timeline->segment_count <= 0)
        return;

    int64_t total = timeline->total_ms;
    int64_t elapsed = elapsed_ms < 0 ? 0 : elapsed_ms > total ? total : elapsed_ms;
    int index = timeline_segment_at(timeline, elapsed);
    const Segment *seg = &timeline->segments[index];
    const TimelineUnit *unit = &timeline->units[seg->unit];

    out->finished = elapsed >= total;
    out->segment = index;
    out->kind = seg->kind;
    out->step = seg->step;
    out->round = seg->round;
    out->rounds = routine->rounds;
    out->set = seg->set;
    out->rep = seg->rep;
    out->side = seg->side;
    out->cycle = seg->cycle;
    out->phase = seg->phase;

    const PackStep *step =
        seg->step >= 0 && seg->step < routine->step_count ? &routine->steps[seg->step] : NULL;
    if (step && step->kind == STEP_EXERCISE) {
        out->sets = step->sets;
        out->reps = step->reps;
    }
    if (step && step->kind == STEP_BREATHE)
        out->cycles = step->cycles;

    for (int u = seg->unit + 1; u < timeline->unit_count; u++) {
        if (timeline->units[u].step >= 0) {
            out->next_step = timeline->units[u].step;
            break;
        }
    }

    /* Finished means the end of the last segment, not its start, so elapsed runs to total_ms. */
    out->elapsed_ms = elapsed;
    out->segment_elapsed_ms = elapsed - seg->start_ms;
    out->segment_remaining_ms = seg->start_ms + seg->duration_ms - elapsed;
    out->unit_remaining_ms = unit->end_ms - elapsed;
    out->segment_progress = clamp01((double)out->segment_elapsed_ms / (double)seg->duration_ms);
    out->overall_progress = total > 0 ? clamp01((double)elapsed / (double)total) : 1.0f;
    if (out->finished) {
        out->segment_progress = 1.0f;
        out->overall_progress = 1.0f;
    }
    if (seg->kind == SEG_BREATH && step && step->kind == STEP_BREATHE)
        out->breath_fullness = breath_fullness(step, seg->phase, out->segment_progress);
}


static CueKind cue_for(const Timeline *timeline, int index)
{
    const Segment *seg = &timeline->segments[index];
    switch (seg->kind) {
    case SEG_GET_READY:
        return CUE_GET_READY;
    case SEG_WORK:
        /* Only the first repetition of a step announces the step; the rest just count. */
        return seg->start_ms == timeline->units[seg->unit].start_ms ? CUE_STEP : CUE_REP;
    case SEG_HOLD:
        return CUE_HOLD;
    case SEG_SET_REST:
    case SEG_SWITCH_SIDES:
    case SEG_REST:
    case SEG_ROUND_REST:
        return CUE_REST;
    case SEG_BREATH:
        switch (seg->breath) {
        case BREATH_INHALE:
            return CUE_INHALE;
        case BREATH_HOLD:
            return CUE_BREATH_HOLD;
        case BREATH_EXHALE:
            return CUE_EXHALE;
        }
        break;
    }
    return CUE_NONE;
}

int timeline_cues_between(const Timeline *timeline, int64_t from_ms, int64_t to_ms, Cue *out, int max)
{
    int written = 0;
    if (timeline->segment_count <= 0 || to_ms <= from_ms || max <= 0)
        return 0;

    /* First segment starting after from_ms (the app asks every frame, so no scan from the start). */
    int lo = 0, hi = timeline->segment_count;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (timeline->segments[mid].start_ms <= from_ms)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (int i = lo; i < timeline->segment_count && written < max; i++) {
        if (timeline->segments[i].start_ms > to_ms)
            break;
        out[written++] = (Cue){cue_for(timeline, i), timeline->segments[i].start_ms};
    }
    /* The end is a boundary too, after every segment start, so it comes last. */
    if (written < max && timeline->total_ms > from_ms && timeline->total_ms <= to_ms)
        out[written++] = (Cue){CUE_FINISH, timeline->total_ms};
    return written;
}

void player_start(RoutinePlayer *player, const Timeline *timeline, int64_t now_ms)
{
    *player = (RoutinePlayer){timeline, false, now_ms, 0};
}

int64_t player_elapsed(const RoutinePlayer *player, int64_t now_ms)
{
    int64_t elapsed = player->anchor_elapsed_ms;
    if (!player->paused)
        elapsed += now_ms - player->anchor_clock_ms;
    if (elapsed < 0)
        return 0;
    if (elapsed > player->timeline->total_ms)
        return player->timeline->total_ms;
    return elapsed;
}

bool player_finished(const RoutinePlayer *player, int64_t now_ms)
{
    return player_elapsed(player, now_ms) >= player->timeline->total_ms;
}

/* Re-anchors at routine time `elapsed_ms` from now on; paused or not is left as it was. */
static void player_seek(RoutinePlayer *player, int64_t elapsed_ms, int64_t now_ms)
{
    player->anchor_elapsed_ms = elapsed_ms;
    player->anchor_clock_ms = now_ms;
}

void player_pause(RoutinePlayer *player, int64_t now_ms)
{
    if (player->paused)
        return; /* re-anchoring again would be harmless, but there is nothing to freeze */
    player_seek(player, player_elapsed(player, now_ms), now_ms);
    player->paused = true;
}

void player_resume(RoutinePlayer *player, int64_t now_ms)
{
    /* Re-anchoring a running player would throw away the time since its anchor. */
    if (!player->paused)
        return;
    player->anchor_clock_ms = now_ms;
    player->paused = false;
}

void player_toggle_pause(RoutinePlayer *player, int64_t now_ms)
{
    if (player->paused)
        player_resume(player, now_ms);
    else
        player_pause(player, now_ms);
}

void player_skip(RoutinePlayer *player, int64_t now_ms)
{
    const Timeline *timeline = player->timeline;
    int64_t elapsed = player_elapsed(player, now_ms);
    int unit = timeline_unit_at(timeline, elapsed);
    if (unit < 0 || elapsed >= timeline->total_ms)
        return;
    player_seek(player, timeline->units[unit].end_ms, now_ms);
}

void player_back(RoutinePlayer *player, int64_t now_ms)
{
    const Timeline *timeline = player->timeline;
    int64_t elapsed = player_elapsed(player, now_ms);
    int unit = timeline_unit_at(timeline, elapsed);
    if (unit < 0)
        return;
    /* A press just after a unit began means "the one before", as on a music player; a second press
     * straight after the first therefore keeps stepping back. */
    if (elapsed - timeline->units[unit].start_ms < PLAYER_BACK_GRACE_MS && unit > 0)
        unit--;
    player_seek(player, timeline->units[unit].start_ms, now_ms);
}

void player_restart(RoutinePlayer *player, int64_t now_ms)
{
    player_seek(player, 0, now_ms);
    player->paused = false;
}

int64_t player_next_boundary_clock(const RoutinePlayer *player, int64_t now_ms)
{
    const Timeline *timeline = player->timeline;
    if (player->paused || timeline->segment_count <= 0)
        return INT64_MAX;
    int64_t elapsed = player_elapsed(player, now_ms);
    if (elapsed >= timeline->total_ms)
        return INT64_MAX;
    const Segment *seg = &timeline->segments[timeline_segment_at(timeline, elapsed)];
    return now_ms + (seg->start_ms + seg->duration_ms - elapsed);
}
