/* test_routine_timing.c: the routine timeline lands every boundary on the exact millisecond.
 *
 * Routines are built by hand here (no loader), and every expected time is worked out by hand in the
 * comments, not by re-running the engine's own sums, so a wrong sum in the engine shows up as a
 * mismatch. The player is driven by a simulated clock, never the real one.
 */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "routine_timing.h"

/* ---- routines used by several tests ---- */

/* The long mixed routine. Times in ms:
 *   get ready 5000
 *   step 0: 3 reps x (2000 tempo + 1500 hold), both sides with a 5000 switch, 2 sets, 10000 set rest
 *           one side = 3 * 3500 = 10500; one set = 10500 + 5000 + 10500 = 26000
 *           step = 26000 + 10000 + 26000 = 62000   (27 segments)
 *   step 1: rest 20000                                ( 1 segment)
 *   step 2: timed 30000, left side only, 2 sets, 5000 set rest, hold 9999 must be ignored
 *           step = 30000 + 5000 + 30000 = 65000     ( 3 segments)
 *   step 3: breathe in 4000, hold 7000, out 8000, 2 cycles = 38000  (6 segments)
 *   step 4: 4 reps x 2500, one set, no sides, rest_between_sets 7000 ignored (one set) = 10000 (4)
 *   round = 62000 + 20000 + 65000 + 38000 + 10000 = 195000 (41 segments)
 *   3 rounds with 30000 round rests: total = 5000 + 3 * 195000 + 2 * 30000 = 650000
 *   segments = 1 + 3 * 41 + 2 = 126; units = 1 + 3 * 5 + 2 = 18
 * Round r starts at 5000 + r * 225000 (5000, 230000, 455000); its first segment index is 1 + 42 * r.
 */
static PackBreathPhase mixed_phases[] = {
    {BREATH_INHALE, 4000, NULL},
    {BREATH_HOLD, 7000, NULL},
    {BREATH_EXHALE, 8000, NULL},
};

static PackStep mixed_steps[5];

static PackItem make_mixed_routine(void)
{
    memset(mixed_steps, 0, sizeof mixed_steps);
    mixed_steps[0] = (PackStep){.kind = STEP_EXERCISE, .name = (char *)"Bridge", .sets = 2, .reps = 3,
                                .tempo_ms = 2000, .hold_ms = 1500, .rest_between_sets_ms = 10000,
                                .switch_sides_ms = 5000, .sides = SIDES_BOTH};
    mixed_steps[1] = (PackStep){.kind = STEP_REST, .name = (char *)"Rest", .duration_ms = 20000};
    mixed_steps[2] = (PackStep){.kind = STEP_EXERCISE, .name = (char *)"Plank", .duration_ms = 30000,
                                .sets = 2, .hold_ms = 9999, .rest_between_sets_ms = 5000,
                                .switch_sides_ms = 5000, .sides = SIDES_LEFT};
    mixed_steps[3] = (PackStep){.kind = STEP_BREATHE, .name = (char *)"Breathe", .phases = mixed_phases,
                                .phase_count = 3, .cycles = 2};
    mixed_steps[4] = (PackStep){.kind = STEP_EXERCISE, .name = (char *)"Squat", .sets = 1, .reps = 4,
                                .tempo_ms = 2500, .rest_between_sets_ms = 7000, .sides = SIDES_NONE};
    return (PackItem){.kind = ITEM_EXERCISE, .id = (char *)"mixed", .title = (char *)"Mixed",
                      .get_ready_ms = 5000, .rounds = 3, .rest_between_rounds_ms = 30000,
                      .steps = mixed_steps, .step_count = 5};
}

/* 4-7-8 style breathing at half-second resolution: 4.5 s in, 7 s hold, 8 s out = 19500 per cycle,
 * 200 cycles after a 5000 get-ready: 3905000 in all, longer than the hour the drift test plays. */
static PackBreathPhase hour_phases[] = {
    {BREATH_INHALE, 4500, NULL},
    {BREATH_HOLD, 7000, NULL},
    {BREATH_EXHALE, 8000, NULL},
};
static PackStep hour_step = {.kind = STEP_BREATHE, .name = (char *)"4-7-8", .phases = hour_phases,
                             .phase_count = 3, .cycles = 200};

static PackItem make_hour_breathing(void)
{
    return (PackItem){.kind = ITEM_BREATHING, .id = (char *)"478", .title = (char *)"4-7-8",
                      .get_ready_ms = 5000, .rounds = 1, .steps = &hour_step, .step_count = 1};
}

/* ---- helpers ---- */

typedef struct {
    int index;
    int64_t start_ms;
    SegmentKind kind;
    int step, round, set, rep;
    StepSides side;
    int cycle, phase;
} ExpectedSegment;

static void check_segment(const Timeline *tl, const ExpectedSegment *e)
{
    CHECK(e->index < tl->segment_count);
    if (e->index >= tl->segment_count)
        return;
    const Segment *s = &tl->segments[e->index];
    if (s->start_ms != e->start_ms || s->kind != e->kind || s->step != e->step ||
        s->round != e->round || s->set != e->set || s->rep != e->rep || s->side != e->side ||
        s->cycle != e->cycle || s->phase != e->phase) {
        fprintf(stderr,
                "segment %d: start %lld kind %d step %d round %d set %d rep %d side %d cycle %d "
                "phase %d\n  expected start %lld kind %d step %d round %d set %d rep %d side %d "
                "cycle %d phase %d\n",
                e->index, (long long)s->start_ms, s->kind, s->step, s->round, s->set, s->rep,
                s->side, s->cycle, s->phase, (long long)e->start_ms, e->kind, e->step, e->round,
                e->set, e->rep, e->side, e->cycle, e->phase);
        check_failures_in_test++;
    }
}

/* A boundary at `ms` opens segment `index`: one ms earlier is the previous segment's last ms. */
static void check_boundary(const Timeline *tl, const PackItem *item, int index, int64_t ms)
{
    RoutineState st;
    timeline_state_at(tl, item, ms - 1, &st);
    CHECK_INT(st.segment, index - 1);
    CHECK_INT(st.segment_remaining_ms, 1);
    timeline_state_at(tl, item, ms, &st);
    CHECK_INT(st.segment, index);
    CHECK_INT(st.segment_elapsed_ms, 0);
    CHECK(st.segment_progress == 0.0f);
    timeline_state_at(tl, item, ms + 1, &st);
    CHECK_INT(st.segment, index);
    CHECK_INT(st.segment_elapsed_ms, 1);
    CHECK_INT(timeline_segment_at(tl, ms - 1), index - 1);
    CHECK_INT(timeline_segment_at(tl, ms), index);
}

static CueKind expected_cue(const Timeline *tl, const PackItem *item, int i)
{
    const Segment *s = &tl->segments[i];
    switch (s->kind) {
    case SEG_GET_READY:
        return CUE_GET_READY;
    case SEG_WORK:
        return (i == 0 || tl->segments[i - 1].unit != s->unit) ? CUE_STEP : CUE_REP;
    case SEG_HOLD:
        return CUE_HOLD;
    case SEG_BREATH: {
        BreathKind k = item->steps[s->step].phases[s->phase].kind;
        return k == BREATH_INHALE ? CUE_INHALE : k == BREATH_HOLD ? CUE_BREATH_HOLD : CUE_EXHALE;
    }
    default:
        return CUE_REST;
    }
}

/* ---- building ---- */

static void a_topic_should_not_build_a_timeline(void)
{
    PackItem topic = {.kind = ITEM_TOPIC, .id = (char *)"t", .title = (char *)"T"};
    Timeline tl;
    CHECK(!timeline_build(&tl, &topic));
    CHECK(tl.segments == NULL);
    CHECK_INT(tl.segment_count, 0);
    timeline_free(&tl);
}

static void mixed_routine_should_have_the_hand_counted_segments_units_and_total(void)
{
    PackItem item = make_mixed_routine();
    Timeline tl;
    CHECK(timeline_build(&tl, &item));
    CHECK_INT(tl.segment_count, 126);
    CHECK_INT(tl.unit_count, 18);
    CHECK_INT(tl.total_ms, 650000);
    /* Segments tile the timeline with no gaps and no zero-length pieces; units too. */
    for (int i = 0; i < tl.segment_count; i++) {
        CHECK(tl.segments[i].duration_ms > 0);
        if (i > 0)
            CHECK_INT(tl.segments[i].start_ms,
                      tl.segments[i - 1].start_ms + tl.segments[i - 1].duration_ms);
        CHECK(tl.segments[i].start_ms >= tl.units[tl.segments[i].unit].start_ms);
        CHECK(tl.segments[i].start_ms < tl.units[tl.segments[i].unit].end_ms);
    }
    for (int u = 1; u < tl.unit_count; u++)
        CHECK_INT(tl.units[u].start_ms, tl.units[u - 1].end_ms);
    CHECK_INT(tl.units[tl.unit_count - 1].end_ms, 650000);
    /* Units: get-ready, then per round 5 steps, round rests between rounds. */
    int64_t unit_starts[18] = {0,      5000,   67000,  87000,  152000, 190000,
                               200000, 230000, 292000, 312000, 377000, 415000,
                               425000, 455000, 517000, 537000, 602000, 640000};
    int unit_steps[18] = {-1, 0, 1, 2, 3, 4, -1, 0, 1, 2, 3, 4, -1, 0, 1, 2, 3, 4};
    for (int u = 0; u < 18 && u < tl.unit_count; u++) {
        CHECK_INT(tl.units[u].start_ms, unit_starts[u]);
        CHECK_INT(tl.units[u].step, unit_steps[u]);
    }
    CHECK_INT(tl.units[7].round, 1);
    CHECK_INT(tl.units[12].round, 1); /* the rest after round 1 */
    timeline_free(&tl);
    CHECK(tl.segments == NULL && tl.units == NULL);
}

static void every_boundary_of_a_mixed_routine_should_land_on_the_exact_millisecond(void)
{
    PackItem item = make_mixed_routine();
    Timeline tl;
    CHECK(timeline_build(&tl, &item));
    const ExpectedSegment expected[] = {
        {0, 0, SEG_GET_READY, -1, 0, 0, -1, SIDES_NONE, 0, 0},
        /* step 0, set 0, left: reps at 5000, 8500, 12000; holds 2000 after each */
        {1, 5000, SEG_WORK, 0, 0, 0, 0, SIDES_LEFT, 0, 0},
        {2, 7000, SEG_HOLD, 0, 0, 0, 0, SIDES_LEFT, 0, 0},
        {3, 8500, SEG_WORK, 0, 0, 0, 1, SIDES_LEFT, 0, 0},
        {5, 12000, SEG_WORK, 0, 0, 0, 2, SIDES_LEFT, 0, 0},
        {6, 14000, SEG_HOLD, 0, 0, 0, 2, SIDES_LEFT, 0, 0},
        /* left ends at 5000 + 10500 = 15500; switch 5000; right from 20500 */
        {7, 15500, SEG_SWITCH_SIDES, 0, 0, 0, -1, SIDES_RIGHT, 0, 0},
        {8, 20500, SEG_WORK, 0, 0, 0, 0, SIDES_RIGHT, 0, 0},
        {13, 29500, SEG_HOLD, 0, 0, 0, 2, SIDES_RIGHT, 0, 0},
        /* set 0 ends at 31000; set rest 10000; set 1 from 41000 */
        {14, 31000, SEG_SET_REST, 0, 0, 0, -1, SIDES_RIGHT, 0, 0},
        {15, 41000, SEG_WORK, 0, 0, 1, 0, SIDES_LEFT, 0, 0},
        {21, 51500, SEG_SWITCH_SIDES, 0, 0, 1, -1, SIDES_RIGHT, 0, 0},
        {22, 56500, SEG_WORK, 0, 0, 1, 0, SIDES_RIGHT, 0, 0},
        {27, 65500, SEG_HOLD, 0, 0, 1, 2, SIDES_RIGHT, 0, 0},
        /* step 1 rest at 5000 + 62000 = 67000 */
        {28, 67000, SEG_REST, 1, 0, 0, -1, SIDES_NONE, 0, 0},
        /* step 2 timed, left: 87000, set rest 117000, set 1 122000 */
        {29, 87000, SEG_WORK, 2, 0, 0, -1, SIDES_LEFT, 0, 0},
        {30, 117000, SEG_SET_REST, 2, 0, 0, -1, SIDES_LEFT, 0, 0},
        {31, 122000, SEG_WORK, 2, 0, 1, -1, SIDES_LEFT, 0, 0},
        /* step 3 breathing from 152000: 4000 in, 7000 hold, 8000 out */
        {32, 152000, SEG_BREATH, 3, 0, 0, -1, SIDES_NONE, 0, 0},
        {33, 156000, SEG_BREATH, 3, 0, 0, -1, SIDES_NONE, 0, 1},
        {34, 163000, SEG_BREATH, 3, 0, 0, -1, SIDES_NONE, 0, 2},
        {35, 171000, SEG_BREATH, 3, 0, 0, -1, SIDES_NONE, 1, 0},
        {36, 175000, SEG_BREATH, 3, 0, 0, -1, SIDES_NONE, 1, 1},
        {37, 182000, SEG_BREATH, 3, 0, 0, -1, SIDES_NONE, 1, 2},
        /* step 4 from 190000, reps every 2500 */
        {38, 190000, SEG_WORK, 4, 0, 0, 0, SIDES_NONE, 0, 0},
        {41, 197500, SEG_WORK, 4, 0, 0, 3, SIDES_NONE, 0, 0},
        /* round rest 200000..230000, round 1 from 230000 */
        {42, 200000, SEG_ROUND_REST, -1, 0, 0, -1, SIDES_NONE, 0, 0},
        {43, 230000, SEG_WORK, 0, 1, 0, 0, SIDES_LEFT, 0, 0},
        {56, 256000, SEG_SET_REST, 0, 1, 0, -1, SIDES_RIGHT, 0, 0},
        {74, 377000, SEG_BREATH, 3, 1, 0, -1, SIDES_NONE, 0, 0},
        {84, 425000, SEG_ROUND_REST, -1, 1, 0, -1, SIDES_NONE, 0, 0},
        {85, 455000, SEG_WORK, 0, 2, 0, 0, SIDES_LEFT, 0, 0},
        {113, 537000, SEG_WORK, 2, 2, 0, -1, SIDES_LEFT, 0, 0},
        {125, 647500, SEG_WORK, 4, 2, 0, 3, SIDES_NONE, 0, 0},
    };
    int n = (int)(sizeof expected / sizeof expected[0]);
    for (int i = 0; i < n; i++) {
        check_segment(&tl, &expected[i]);
        if (expected[i].index > 0)
            check_boundary(&tl, &item, expected[i].index, expected[i].start_ms);
    }

    /* The very end: the last ms is still running, total is finished. */
    RoutineState st;
    timeline_state_at(&tl, &item, 649999, &st);
    CHECK(!st.finished);
    CHECK_INT(st.segment, 125);
    CHECK_INT(st.segment_remaining_ms, 1);
    timeline_state_at(&tl, &item, 650000, &st);
    CHECK(st.finished);
    CHECK_INT(st.segment, 125);
    CHECK_INT(st.segment_remaining_ms, 0);
    CHECK_INT(st.unit_remaining_ms, 0);
    CHECK(st.overall_progress == 1.0f);
    timeline_state_at(&tl, &item, 650001, &st);
    CHECK(st.finished);
    CHECK_INT(st.elapsed_ms, 650000);

    /* Out-of-range lookups clamp. */
    CHECK_INT(timeline_segment_at(&tl, -50), 0);
    CHECK_INT(timeline_segment_at(&tl, 10000000), 125);
    CHECK_INT(timeline_unit_at(&tl, -1), 0);
    CHECK_INT(timeline_unit_at(&tl, 650000), 17);
    CHECK_INT(timeline_unit_at(&tl, 199999), 5);
    CHECK_INT(timeline_unit_at(&tl, 200000), 6);
    timeline_state_at(&tl, &item, -7, &st);
    CHECK_INT(st.segment, 0);
    CHECK_INT(st.elapsed_ms, 0);
    timeline_free(&tl);
}

static void zero_length_pieces_should_leave_no_segments(void)
{
    /* No get-ready, no hold, no switch, no set rest, no round rest: only the work remains. */
    PackStep steps[1] = {{.kind = STEP_EXERCISE, .sets = 2, .reps = 2, .tempo_ms = 1000,
                          .sides = SIDES_BOTH}};
    PackItem item = {.kind = ITEM_EXERCISE, .rounds = 2, .steps = steps, .step_count = 1};
    Timeline tl;
    CHECK(timeline_build(&tl, &item));
    /* 2 rounds x 2 sets x 2 sides x 2 reps = 16 work segments of 1000 */
    CHECK_INT(tl.segment_count, 16);
    CHECK_INT(tl.unit_count, 2);
    CHECK_INT(tl.total_ms, 16000);
    for (int i = 0; i < tl.segment_count; i++) {
        CHECK_INT(tl.segments[i].kind, SEG_WORK);
        CHECK_INT(tl.segments[i].start_ms, 1000 * i);
    }
    CHECK_INT(tl.segments[0].unit, 0);
    CHECK_INT(tl.segments[8].unit, 1);
    CHECK_INT(tl.segments[8].round, 1);
    CHECK_INT(tl.segments[4].side, SIDES_LEFT);
    CHECK_INT(tl.segments[4].set, 1);
    CHECK_INT(tl.segments[6].side, SIDES_RIGHT);
    timeline_free(&tl);
}

/* ---- state ---- */

static void exercise_with_sides_should_switch_after_all_reps_of_the_left_side(void)
{
    PackItem item = make_mixed_routine();
    Timeline tl;
    CHECK(timeline_build(&tl, &item));
    RoutineState st;
    /* 14500: the hold of rep 2 (0-based) on the left, 1000 before the switch at 15500 */
    timeline_state_at(&tl, &item, 14500, &st);
    CHECK_INT(st.kind, SEG_HOLD);
    CHECK_INT(st.side, SIDES_LEFT);
    CHECK_INT(st.rep, 2);
    CHECK_INT(st.reps, 3);
    CHECK_INT(st.set, 0);
    CHECK_INT(st.sets, 2);
    CHECK_INT(st.segment_remaining_ms, 1000);
    timeline_state_at(&tl, &item, 15500, &st);
    CHECK_INT(st.kind, SEG_SWITCH_SIDES);
    timeline_state_at(&tl, &item, 20500, &st);
    CHECK_INT(st.kind, SEG_WORK);
    CHECK_INT(st.side, SIDES_RIGHT);
    CHECK_INT(st.rep, 0);
    CHECK_INT(st.set, 0);
    timeline_free(&tl);
}

static void state_should_count_sets_reps_and_tell_the_next_step(void)
{
    PackItem item = make_mixed_routine();
    Timeline tl;
    CHECK(timeline_build(&tl, &item));
    RoutineState st;

    /* During get-ready */
    timeline_state_at(&tl, &item, 1000, &st);
    CHECK_INT(st.kind, SEG_GET_READY);
    CHECK_INT(st.step, -1);
    CHECK_INT(st.next_step, 0);
    CHECK_INT(st.rounds, 3);
    CHECK_INT(st.unit_remaining_ms, 4000);
    CHECK(st.breath_fullness == 0.0f);

    /* Step 0, set 1, right side, rep 1 work: 56500 + 3500 = 60000, 500 into it */
    timeline_state_at(&tl, &item, 60500, &st);
    CHECK_INT(st.kind, SEG_WORK);
    CHECK_INT(st.step, 0);
    CHECK_INT(st.set, 1);
    CHECK_INT(st.sets, 2);
    CHECK_INT(st.rep, 1);
    CHECK_INT(st.reps, 3);
    CHECK_INT(st.side, SIDES_RIGHT);
    CHECK_INT(st.next_step, 1);
    CHECK_INT(st.unit_remaining_ms, 67000 - 60500);
    CHECK_INT(st.segment_remaining_ms, 1500);
    CHECK(st.segment_progress == 0.25f);

    /* Step 2 timed, set 1: reps 0, rep -1 */
    timeline_state_at(&tl, &item, 130000, &st);
    CHECK_INT(st.step, 2);
    CHECK_INT(st.set, 1);
    CHECK_INT(st.sets, 2);
    CHECK_INT(st.reps, 0);
    CHECK_INT(st.rep, -1);
    CHECK_INT(st.side, SIDES_LEFT);
    CHECK_INT(st.next_step, 3);
    CHECK_INT(st.unit_remaining_ms, 152000 - 130000);

    /* Step 3 breathing, cycle 1 exhale */
    timeline_state_at(&tl, &item, 185000, &st);
    CHECK_INT(st.step, 3);
    CHECK_INT(st.cycle, 1);
    CHECK_INT(st.cycles, 2);
    CHECK_INT(st.phase, 2);
    CHECK_INT(st.sets, 0);
    CHECK_INT(st.unit_remaining_ms, 5000);

    /* Last step of round 0: the next step is step 0 of round 1, past the round rest */
    timeline_state_at(&tl, &item, 195000, &st);
    CHECK_INT(st.step, 4);
    CHECK_INT(st.round, 0);
    CHECK_INT(st.next_step, 0);

    /* Round rest after round 0 */
    timeline_state_at(&tl, &item, 210000, &st);
    CHECK_INT(st.kind, SEG_ROUND_REST);
    CHECK_INT(st.step, -1);
    CHECK_INT(st.round, 0);
    CHECK_INT(st.next_step, 0);
    CHECK_INT(st.unit_remaining_ms, 20000);

    /* Round 2 (last) step 4: nothing follows */
    timeline_state_at(&tl, &item, 645000, &st);
    CHECK_INT(st.step, 4);
    CHECK_INT(st.round, 2);
    CHECK_INT(st.next_step, -1);
    CHECK_INT(st.unit_remaining_ms, 5000);
    CHECK(!st.finished);

    /* Overall progress never goes backwards and reaches 1 exactly at the end */
    float last = -1.0f;
    bool monotonic = true;
    for (int64_t t = 0; t <= 650000; t += 250) {
        timeline_state_at(&tl, &item, t, &st);
        if (st.overall_progress < last || st.overall_progress < 0.0f || st.overall_progress > 1.0f)
            monotonic = false;
        last = st.overall_progress;
        if (st.finished != (t >= 650000))
            monotonic = false;
    }
    CHECK(monotonic);
    CHECK(last == 1.0f);
    timeline_free(&tl);
}

static void breath_fullness_should_follow_inhale_hold_exhale_hold(void)
{
    PackBreathPhase phases[] = {
        {BREATH_INHALE, 4000, NULL},
        {BREATH_HOLD, 2000, NULL},
        {BREATH_EXHALE, 4000, NULL},
        {BREATH_HOLD, 2000, NULL},
    };
    PackStep step = {.kind = STEP_BREATHE, .phases = phases, .phase_count = 4, .cycles = 2};
    PackItem item = {.kind = ITEM_BREATHING, .rounds = 1, .steps = &step, .step_count = 1};
    Timeline tl;
    CHECK(timeline_build(&tl, &item));
    CHECK_INT(tl.total_ms, 24000);
    RoutineState st;
#define FULLNESS_AT(ms) (timeline_state_at(&tl, &item, (ms), &st), st.breath_fullness)
    CHECK(FULLNESS_AT(0) == 0.0f);
    CHECK(FULLNESS_AT(2000) > 0.49f && st.breath_fullness < 0.51f);
    CHECK(FULLNESS_AT(3999) > 0.999f);
    /* inhale rises monotonically */
    float prev = -1.0f;
    for (int t = 0; t < 4000; t += 100) {
        CHECK(FULLNESS_AT(t) >= prev);
        prev = st.breath_fullness;
    }
    /* hold after inhale: full */
    CHECK(FULLNESS_AT(4000) == 1.0f);
    CHECK(FULLNESS_AT(5999) == 1.0f);
    /* exhale falls from 1 to 0 */
    CHECK(FULLNESS_AT(6000) == 1.0f);
    CHECK(FULLNESS_AT(8000) > 0.49f && st.breath_fullness < 0.51f);
    CHECK(FULLNESS_AT(9999) < 0.001f);
    prev = 2.0f;
    for (int t = 6000; t < 10000; t += 100) {
        CHECK(FULLNESS_AT(t) <= prev);
        prev = st.breath_fullness;
    }
    /* hold after exhale: empty */
    CHECK(FULLNESS_AT(10000) == 0.0f);
    CHECK(FULLNESS_AT(11999) == 0.0f);
    /* next cycle starts empty */
    CHECK(FULLNESS_AT(12000) == 0.0f);
    CHECK_INT(st.cycle, 1);
    /* the end of the last exhale hold */
    CHECK(FULLNESS_AT(24000) == 0.0f);
#undef FULLNESS_AT
    timeline_free(&tl);
}

static void a_hold_first_in_the_cycle_should_keep_the_fullness_of_the_last_phase(void)
{
    /* hold, exhale, hold, inhale: the first hold looks back cyclically to the inhale (full);
     * the middle hold follows the exhale (empty). */
    PackBreathPhase phases[] = {
        {BREATH_HOLD, 1000, NULL},
        {BREATH_EXHALE, 1000, NULL},
        {BREATH_HOLD, 1000, NULL},
        {BREATH_INHALE, 1000, NULL},
    };
    PackStep step = {.kind = STEP_BREATHE, .phases = phases, .phase_count = 4, .cycles = 1};
    PackItem item = {.kind = ITEM_BREATHING, .rounds = 1, .steps = &step, .step_count = 1};
    Timeline tl;
    CHECK(timeline_build(&tl, &item));
    RoutineState st;
    timeline_state_at(&tl, &item, 500, &st);
    CHECK(st.breath_fullness == 1.0f);
    timeline_state_at(&tl, &item, 2500, &st);
    CHECK(st.breath_fullness == 0.0f);
    timeline_free(&tl);

    PackBreathPhase holds[] = {{BREATH_HOLD, 1000, NULL}, {BREATH_HOLD, 1000, NULL}};
    step.phases = holds;
    step.phase_count = 2;
    CHECK(timeline_build(&tl, &item));
    timeline_state_at(&tl, &item, 1500, &st);
    CHECK(st.breath_fullness == 0.5f);
    timeline_free(&tl);
}

/* ---- cues ---- */

static void cues_should_name_each_boundary_of_the_mixed_routine(void)
{
    PackItem item = make_mixed_routine();
    Timeline tl;
    CHECK(timeline_build(&tl, &item));
    Cue cues[16];
    int n = timeline_cues_between(&tl, -1, 8500, cues, 16);
    CHECK_INT(n, 4);
    if (n == 4) {
        CHECK_INT(cues[0].kind, CUE_GET_READY);
        CHECK_INT(cues[0].at_ms, 0);
        CHECK_INT(cues[1].kind, CUE_STEP);
        CHECK_INT(cues[1].at_ms, 5000);
        CHECK_INT(cues[2].kind, CUE_HOLD);
        CHECK_INT(cues[2].at_ms, 7000);
        CHECK_INT(cues[3].kind, CUE_REP);
        CHECK_INT(cues[3].at_ms, 8500);
    }
    /* (from, to] excludes from: nothing new between 0 and 4999 */
    CHECK_INT(timeline_cues_between(&tl, 0, 4999, cues, 16), 0);
    CHECK_INT(timeline_cues_between(&tl, 5000, 5000, cues, 16), 0);
    /* switch, set rest, rest step and round rest all cue a rest */
    CHECK_INT(timeline_cues_between(&tl, 15499, 15500, cues, 16), 1);
    CHECK_INT(cues[0].kind, CUE_REST);
    CHECK_INT(timeline_cues_between(&tl, 30999, 31000, cues, 16), 1);
    CHECK_INT(cues[0].kind, CUE_REST);
    CHECK_INT(timeline_cues_between(&tl, 66999, 67000, cues, 16), 1);
    CHECK_INT(cues[0].kind, CUE_REST);
    CHECK_INT(timeline_cues_between(&tl, 199999, 200000, cues, 16), 1);
    CHECK_INT(cues[0].kind, CUE_REST);
    /* a timed step's first set is a step cue, its second set a rep cue */
    CHECK_INT(timeline_cues_between(&tl, 86999, 87000, cues, 16), 1);
    CHECK_INT(cues[0].kind, CUE_STEP);
    CHECK_INT(timeline_cues_between(&tl, 121999, 122000, cues, 16), 1);
    CHECK_INT(cues[0].kind, CUE_REP);
    /* breathing phases */
    n = timeline_cues_between(&tl, 151000, 171000, cues, 16);
    CHECK_INT(n, 4);
    if (n == 4) {
        CHECK_INT(cues[0].kind, CUE_INHALE);
        CHECK_INT(cues[1].kind, CUE_BREATH_HOLD);
        CHECK_INT(cues[2].kind, CUE_EXHALE);
        CHECK_INT(cues[3].kind, CUE_INHALE);
        CHECK_INT(cues[3].at_ms, 171000);
    }
    /* the end: last rep at 647500 then finish at 650000 */
    n = timeline_cues_between(&tl, 647000, 700000, cues, 16);
    CHECK_INT(n, 2);
    CHECK_INT(cues[0].kind, CUE_REP);
    CHECK_INT(cues[0].at_ms, 647500);
    CHECK_INT(cues[1].kind, CUE_FINISH);
    CHECK_INT(cues[1].at_ms, 650000);
    CHECK_INT(timeline_cues_between(&tl, 650000, 700000, cues, 16), 0);
    /* max is respected and the first ones come first */
    n = timeline_cues_between(&tl, -1, 650000, cues, 3);
    CHECK_INT(n, 3);
    CHECK_INT(cues[2].at_ms, 7000);
    /* all of it: one per segment plus the finish */
    Cue *all = malloc(200 * sizeof *all);
    CHECK(all != NULL);
    if (all) {
        CHECK_INT(timeline_cues_between(&tl, -1, 650000, all, 200), 127);
        free(all);
    }
    timeline_free(&tl);
}

/* ---- an hour of breathing ---- */

static void an_hour_of_breathing_with_irregular_frames_should_not_drift(void)
{
    PackItem item = make_hour_breathing();
    Timeline tl;
    CHECK(timeline_build(&tl, &item));
    CHECK_INT(tl.total_ms, 5000 + 200 * 19500);
    CHECK_INT(tl.segment_count, 1 + 600);

    const int64_t base = 1700000000000LL; /* a clock far from zero, like a real monotonic one */
    const int64_t hour = 3600000;
    RoutinePlayer player;
    player_start(&player, &tl, base);

    int cap = tl.segment_count + 2;
    Cue *cues = malloc((size_t)cap * sizeof *cues);
    CHECK(cues != NULL);
    if (!cues) {
        timeline_free(&tl);
        return;
    }
    int cue_count = 0;
    bool overflow = false;
    uint32_t seed = 12345;
    int64_t clock = base;
    int64_t prev = -1;
    long frames = 0;
    while (clock - base < hour) {
        seed = seed * 1103515245u + 12345u;
        int64_t dt = 1 + (int64_t)((seed >> 16) % 50);
        if (clock + dt - base > hour)
            dt = base + hour - clock;
        clock += dt;
        frames++;
        int64_t now = player_elapsed(&player, clock);
        Cue frame[8];
        int n = timeline_cues_between(&tl, prev, now, frame, 8);
        for (int i = 0; i < n; i++) {
            if (cue_count < cap)
                cues[cue_count++] = frame[i];
            else
                overflow = true;
        }
        prev = now;
    }
    CHECK(!overflow);
    CHECK(frames > 100000); /* the frames really were small */
    CHECK_INT(player_elapsed(&player, clock), hour);

    /* Analytic answer: 3600000 - 5000 = 3595000 = 184 cycles * 19500 + 7000; 7000 is past the
     * 4500 inhale, inside the 7000 hold (4500..11500). */
    RoutineState st;
    timeline_state_at(&tl, &item, player_elapsed(&player, clock), &st);
    CHECK_INT(st.cycle, 184);
    CHECK_INT(st.phase, 1);
    CHECK_INT(st.segment_elapsed_ms, 7000 - 4500);
    CHECK_INT(st.segment_remaining_ms, 11500 - 7000);
    CHECK_INT(st.segment, 1 + 184 * 3 + 1);
    CHECK(st.breath_fullness == 1.0f);

    /* Every boundary up to the hour exactly once, in order: the segment starts <= 3600000.
     * That is get-ready plus segments 1 .. 1 + 184 * 3 + 1 = 554, so 555 cues. */
    CHECK_INT(cue_count, 555);
    bool all_match = cue_count == 555;
    for (int i = 0; i < cue_count && i < tl.segment_count; i++) {
        if (cues[i].at_ms != tl.segments[i].start_ms || cues[i].kind != expected_cue(&tl, &item, i))
            all_match = false;
        if (i > 0 && cues[i].at_ms <= cues[i - 1].at_ms)
            all_match = false;
    }
    CHECK(all_match);
    CHECK_INT(cues[0].kind, CUE_GET_READY);
    CHECK_INT(cues[1].kind, CUE_INHALE);
    CHECK_INT(cues[1].at_ms, 5000);
    CHECK_INT(cues[554].kind, CUE_BREATH_HOLD);
    CHECK_INT(cues[554].at_ms, 5000 + 184 * 19500 + 4500);
    free(cues);
    timeline_free(&tl);
}

/* ---- the player ---- */

static void pausing_for_ten_minutes_should_keep_the_remaining_time(void)
{
    PackItem item = make_mixed_routine();
    Timeline tl;
    CHECK(timeline_build(&tl, &item));
    RoutinePlayer p;
    int64_t t0 = 1000;
    player_start(&p, &tl, t0);
    CHECK_INT(player_elapsed(&p, t0 + 100000), 100000);
    RoutineState before, after;
    timeline_state_at(&tl, &item, player_elapsed(&p, t0 + 100000), &before);

    player_pause(&p, t0 + 100000);
    CHECK(p.paused);
    CHECK_INT(player_next_boundary_clock(&p, t0 + 100000), INT64_MAX);
    CHECK_INT(player_elapsed(&p, t0 + 100000 + 600000), 100000);
    player_resume(&p, t0 + 700000);
    CHECK(!p.paused);
    timeline_state_at(&tl, &item, player_elapsed(&p, t0 + 700000), &after);
    CHECK_INT(after.segment, before.segment);
    CHECK_INT(after.segment_remaining_ms, before.segment_remaining_ms);
    CHECK_INT(after.unit_remaining_ms, before.unit_remaining_ms);
    CHECK_INT(player_elapsed(&p, t0 + 705000), 105000);

    /* Double pause and double resume do no harm. */
    player_pause(&p, t0 + 710000);       /* elapsed 110000 */
    player_pause(&p, t0 + 720000);       /* must not move the frozen position */
    CHECK_INT(player_elapsed(&p, t0 + 730000), 110000);
    player_resume(&p, t0 + 740000);
    player_resume(&p, t0 + 750000);      /* must not throw away the 10000 just played */
    CHECK_INT(player_elapsed(&p, t0 + 750000), 120000);

    /* toggle */
    player_toggle_pause(&p, t0 + 760000); /* 130000 */
    CHECK(p.paused);
    player_toggle_pause(&p, t0 + 800000);
    CHECK(!p.paused);
    CHECK_INT(player_elapsed(&p, t0 + 801000), 131000);
    timeline_free(&tl);
}

static void the_next_boundary_clock_should_be_the_end_of_the_current_segment(void)
{
    PackItem item = make_mixed_routine();
    Timeline tl;
    CHECK(timeline_build(&tl, &item));
    RoutinePlayer p;
    player_start(&p, &tl, 50);
    CHECK_INT(player_next_boundary_clock(&p, 50), 5050);
    CHECK_INT(player_next_boundary_clock(&p, 5049), 5050);
    CHECK_INT(player_next_boundary_clock(&p, 5050), 7050); /* the rep's 2000 */
    timeline_free(&tl);
}

static void skip_and_back_during_get_ready_should_move_between_get_ready_and_the_first_step(void)
{
    PackItem item = make_mixed_routine();
    Timeline tl;
    CHECK(timeline_build(&tl, &item));
    RoutinePlayer p;
    player_start(&p, &tl, 0);
    player_skip(&p, 1000);
    CHECK_INT(player_elapsed(&p, 1000), 5000);
    CHECK_INT(player_elapsed(&p, 1500), 5500);

    player_restart(&p, 2000);
    player_back(&p, 5000); /* 3000 into get-ready, no previous unit */
    CHECK_INT(player_elapsed(&p, 5000), 0);
    player_back(&p, 5000); /* at 0: stays at 0, never below */
    CHECK_INT(player_elapsed(&p, 5000), 0);
    CHECK(!p.paused);
    timeline_free(&tl);
}

static void back_at_the_first_step_should_respect_the_grace_period(void)
{
    PackItem item = make_mixed_routine();
    Timeline tl;
    CHECK(timeline_build(&tl, &item));
    RoutinePlayer p;
    player_start(&p, &tl, 0);
    /* 1999 ms into step 0: within grace, back to get-ready */
    player_back(&p, 5000 + 1999);
    CHECK_INT(player_elapsed(&p, 5000 + 1999), 0);
    /* exactly 2000 into step 0: past grace, back to the step start */
    player_restart(&p, 0);
    player_back(&p, 5000 + PLAYER_BACK_GRACE_MS);
    CHECK_INT(player_elapsed(&p, 5000 + PLAYER_BACK_GRACE_MS), 5000);
    /* and a second press straight away goes to get-ready */
    player_back(&p, 7100);
    CHECK_INT(player_elapsed(&p, 7100), 0);
    timeline_free(&tl);
}

static void skip_at_the_last_step_should_finish_the_routine(void)
{
    PackItem item = make_mixed_routine();
    Timeline tl;
    CHECK(timeline_build(&tl, &item));
    RoutinePlayer p;
    player_start(&p, &tl, 0);
    CHECK(!player_finished(&p, 641000));
    player_skip(&p, 641000); /* in step 4 of round 2 (640000..650000) */
    CHECK_INT(player_elapsed(&p, 641000), 650000);
    CHECK(player_finished(&p, 641000));
    CHECK(player_finished(&p, 999999));
    CHECK_INT(player_elapsed(&p, 999999), 650000); /* clamped */
    CHECK_INT(player_next_boundary_clock(&p, 641000), INT64_MAX);
    /* skipping again at the end stays at the end */
    player_skip(&p, 642000);
    CHECK_INT(player_elapsed(&p, 642000), 650000);
    /* back from the end goes to the start of the last step */
    player_back(&p, 643000);
    CHECK_INT(player_elapsed(&p, 643000), 640000);
    /* running off the end by time alone is finished too */
    player_restart(&p, 0);
    CHECK(player_finished(&p, 650000));
    CHECK(!player_finished(&p, 649999));
    CHECK_INT(player_next_boundary_clock(&p, 650000), INT64_MAX);
    timeline_free(&tl);
}

static void skip_and_back_during_rests_should_move_by_whole_units(void)
{
    PackItem item = make_mixed_routine();
    Timeline tl;
    CHECK(timeline_build(&tl, &item));
    RoutinePlayer p;
    /* rest step of round 0: 67000..87000 */
    player_start(&p, &tl, 0);
    player_skip(&p, 70000);
    CHECK_INT(player_elapsed(&p, 70000), 87000);
    player_restart(&p, 0);
    player_back(&p, 70000); /* 3000 in: to its start */
    CHECK_INT(player_elapsed(&p, 70000), 67000);
    player_restart(&p, 0);
    player_back(&p, 68000); /* 1000 in: to step 0 of round 0 */
    CHECK_INT(player_elapsed(&p, 68000), 5000);

    /* a set rest inside step 0 (31000..41000) skips the whole step */
    player_restart(&p, 0);
    player_skip(&p, 35000);
    CHECK_INT(player_elapsed(&p, 35000), 67000);

    /* round rest after round 0: 200000..230000 */
    player_restart(&p, 0);
    player_skip(&p, 210000);
    CHECK_INT(player_elapsed(&p, 210000), 230000);
    RoutineState st;
    timeline_state_at(&tl, &item, player_elapsed(&p, 210000), &st);
    CHECK_INT(st.step, 0);
    CHECK_INT(st.round, 1);
    player_restart(&p, 0);
    player_back(&p, 210000);
    CHECK_INT(player_elapsed(&p, 210000), 200000);
    player_restart(&p, 0);
    player_back(&p, 201000); /* within grace: to step 4 of round 0 */
    CHECK_INT(player_elapsed(&p, 201000), 190000);
    timeline_free(&tl);
}

static void skipping_while_paused_should_stay_paused(void)
{
    PackItem item = make_mixed_routine();
    Timeline tl;
    CHECK(timeline_build(&tl, &item));
    RoutinePlayer p;
    player_start(&p, &tl, 0);
    player_pause(&p, 10000);
    player_skip(&p, 20000);
    CHECK(p.paused);
    CHECK_INT(player_elapsed(&p, 20000), 67000);
    CHECK_INT(player_elapsed(&p, 90000), 67000);
    player_back(&p, 95000); /* 0 into the rest step: within grace, to step 0 */
    CHECK(p.paused);
    CHECK_INT(player_elapsed(&p, 96000), 5000);
    player_resume(&p, 100000);
    CHECK_INT(player_elapsed(&p, 101000), 6000);
    /* restart clears the pause */
    player_pause(&p, 102000);
    player_restart(&p, 103000);
    CHECK(!p.paused);
    CHECK_INT(player_elapsed(&p, 103000), 0);
    CHECK_INT(player_elapsed(&p, 104500), 1500);
    timeline_free(&tl);
}

int main(void)
{
    RUN(a_topic_should_not_build_a_timeline);
    RUN(mixed_routine_should_have_the_hand_counted_segments_units_and_total);
    RUN(every_boundary_of_a_mixed_routine_should_land_on_the_exact_millisecond);
    RUN(zero_length_pieces_should_leave_no_segments);
    RUN(exercise_with_sides_should_switch_after_all_reps_of_the_left_side);
    RUN(state_should_count_sets_reps_and_tell_the_next_step);
    RUN(breath_fullness_should_follow_inhale_hold_exhale_hold);
    RUN(a_hold_first_in_the_cycle_should_keep_the_fullness_of_the_last_phase);
    RUN(cues_should_name_each_boundary_of_the_mixed_routine);
    RUN(an_hour_of_breathing_with_irregular_frames_should_not_drift);
    RUN(pausing_for_ten_minutes_should_keep_the_remaining_time);
    RUN(the_next_boundary_clock_should_be_the_end_of_the_current_segment);
    RUN(skip_and_back_during_get_ready_should_move_between_get_ready_and_the_first_step);
    RUN(back_at_the_first_step_should_respect_the_grace_period);
    RUN(skip_at_the_last_step_should_finish_the_routine);
    RUN(skip_and_back_during_rests_should_move_by_whole_units);
    RUN(skipping_while_paused_should_stay_paused);
    return CHECK_SUMMARY();
}
