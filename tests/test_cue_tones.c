/* test_cue_tones.c: every boundary sounds once, on its exact sample, however the app wakes.
 *
 * A simulated main loop drives the player and the scheduler on a made-up clock: it wakes at every
 * boundary (player_next_boundary_clock), as the app does, and at random moments in between, and
 * it does what the app does when the patient presses a button (move the player, drop the tones not
 * yet started, poll). Expected clock times are worked out by hand from the routine's durations in
 * the comments, not taken from the timeline, so a wrong sum shows up. The mixer is checked on its
 * output samples.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "cue_tones.h"

/* ---- routines ---- */

/* The mixed routine of test_routine_timing.c. Times in ms:
 *   get ready 0..5000
 *   step 0 (unit 5000..67000): 3 reps x (2000 tempo + 1500 hold), both sides with a 5000 switch,
 *          2 sets, 10000 set rest; reps at 5000, 8500, 12000, holds at 7000, 10500, 14000 ...
 *   step 1: rest 67000..87000
 *   step 2: timed 30000, 2 sets, 5000 set rest: 87000..152000
 *   step 3: breathe 4000 in, 7000 hold, 8000 out, 2 cycles: 152000..190000
 *   step 4: 4 reps x 2500: 190000..200000
 *   3 rounds, 30000 round rests: 650000 in all, 126 segments. */
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
                                .sets = 2, .rest_between_sets_ms = 5000, .sides = SIDES_NONE};
    mixed_steps[3] = (PackStep){.kind = STEP_BREATHE, .name = (char *)"Breathe", .phases = mixed_phases,
                                .phase_count = 3, .cycles = 2};
    mixed_steps[4] = (PackStep){.kind = STEP_EXERCISE, .name = (char *)"Squat", .sets = 1, .reps = 4,
                                .tempo_ms = 2500, .sides = SIDES_NONE};
    return (PackItem){.kind = ITEM_EXERCISE, .id = (char *)"mixed", .title = (char *)"Mixed",
                      .get_ready_ms = 5000, .rounds = 3, .rest_between_rounds_ms = 30000,
                      .steps = mixed_steps, .step_count = 5};
}

/* 4.5 s in, 7 s hold, 8 s out = 19500 per cycle, 200 cycles after a 5000 get-ready. Cycle c starts at
 * 5000 + 19500 c; its hold at + 4500, its exhale at + 11500. */
static PackBreathPhase breath_phases[] = {
    {BREATH_INHALE, 4500, NULL},
    {BREATH_HOLD, 7000, NULL},
    {BREATH_EXHALE, 8000, NULL},
};
static PackStep breath_step = {.kind = STEP_BREATHE, .name = (char *)"4-7-8", .phases = breath_phases,
                               .phase_count = 3, .cycles = 200};

static PackItem make_breathing(void)
{
    return (PackItem){.kind = ITEM_BREATHING, .id = (char *)"478", .title = (char *)"4-7-8",
                      .get_ready_ms = 5000, .rounds = 1, .steps = &breath_step, .step_count = 1};
}

/* The cue a segment should give, from the routine itself rather than the engine's cue_for(). */
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

/* ---- the simulated main loop ---- */

#define SIM_CAP 2048
typedef struct {
    const Timeline *tl;
    RoutinePlayer player;
    CueScheduler scheduler;
    int64_t lookahead;
    uint32_t seed;
    int64_t now;
    /* every cue the scheduler returned, and the clock time of the poll that returned it */
    ClockCue given[SIM_CAP];
    int64_t given_at[SIM_CAP];
    int given_count;
    /* what a listener hears: given cues minus those dropped by a cancel before they started */
    ClockCue heard[SIM_CAP];
    int heard_count;
    bool overflow;
} Sim;

static Sim sim; /* large; one at a time */

static uint32_t sim_random(void)
{
    sim.seed = sim.seed * 1103515245u + 12345u;
    return sim.seed >> 16;
}

/* One wake-up of the app: poll until the scheduler has nothing more. A small `max` makes the
 * scheduler split its answer, as it must when many cues are due at once. */
static void sim_poll(void)
{
    ClockCue cues[3];
    int n;
    do {
        n = cue_scheduler_poll(&sim.scheduler, sim.tl, &sim.player, sim.now, sim.lookahead, cues, 3);
        for (int i = 0; i < n; i++) {
            if (sim.given_count >= SIM_CAP || sim.heard_count >= SIM_CAP) {
                sim.overflow = true;
                continue;
            }
            sim.given_at[sim.given_count] = sim.now;
            sim.given[sim.given_count++] = cues[i];
            sim.heard[sim.heard_count++] = cues[i];
        }
    } while (n == 3);
}

static void sim_start(const Timeline *tl, int64_t now, int64_t lookahead, uint32_t seed)
{
    memset(&sim, 0, sizeof sim);
    sim.tl = tl;
    sim.now = now;
    sim.lookahead = lookahead;
    sim.seed = seed;
    player_start(&sim.player, tl, now);
    cue_scheduler_reset(&sim.scheduler);
    sim_poll();
}

/* What audio_cancel() does when the app moves the player: tones not yet started are dropped. */
static void sim_cancel(void)
{
    int kept = 0;
    for (int i = 0; i < sim.heard_count; i++)
        if (sim.heard[i].clock_ms <= sim.now)
            sim.heard[kept++] = sim.heard[i];
    sim.heard_count = kept;
}

typedef enum { PRESS_PAUSE, PRESS_RESUME, PRESS_SKIP, PRESS_BACK, PRESS_RESTART } Press;

/* The patient presses a button at the current clock time. */
static void sim_press(Press press)
{
    switch (press) {
    case PRESS_PAUSE:
        player_pause(&sim.player, sim.now);
        break;
    case PRESS_RESUME:
        player_resume(&sim.player, sim.now);
        break;
    case PRESS_SKIP:
        player_skip(&sim.player, sim.now);
        break;
    case PRESS_BACK:
        player_back(&sim.player, sim.now);
        break;
    case PRESS_RESTART:
        player_restart(&sim.player, sim.now);
        break;
    }
    if (press != PRESS_RESUME)
        sim_cancel();
    sim_poll();
}

/* Runs the loop until the clock reads `until`: it wakes at every boundary, at random moments up to
 * three seconds apart, and now and then twice in the same millisecond (an input event). */
static void sim_run_until(int64_t until)
{
    while (sim.now < until) {
        int64_t wake = sim.now + 1 + (int64_t)(sim_random() % 3000);
        int64_t boundary = player_next_boundary_clock(&sim.player, sim.now);
        if (boundary < wake)
            wake = boundary;
        if (wake > until)
            wake = until;
        sim.now = wake;
        sim_poll();
        if (sim_random() % 7 == 0)
            sim_poll();
    }
}

/* Runs until the routine is at routine time `routine_ms` (playing). */
static void sim_run_to_routine(int64_t routine_ms)
{
    sim_run_until(sim.now + (routine_ms - player_elapsed(&sim.player, sim.now)));
    CHECK_INT(player_elapsed(&sim.player, sim.now), routine_ms);
}

static void check_heard(int index, CueKind kind, int64_t routine_ms, int64_t clock_ms)
{
    CHECK(index < sim.heard_count);
    if (index >= sim.heard_count)
        return;
    const ClockCue *c = &sim.heard[index];
    if (c->kind != kind || c->routine_ms != routine_ms || c->clock_ms != clock_ms) {
        fprintf(stderr, "heard cue %d: kind %d at routine %lld clock %lld\n  expected kind %d at "
                        "routine %lld clock %lld\n",
                index, c->kind, (long long)c->routine_ms, (long long)c->clock_ms, kind,
                (long long)routine_ms, (long long)clock_ms);
        check_failures_in_test++;
    }
}

/* ---- every boundary, once, on time ---- */

static void every_boundary_should_give_one_cue_at_its_exact_clock_ms_however_the_loop_wakes(void)
{
    PackItem item = make_mixed_routine();
    Timeline tl;
    CHECK(timeline_build(&tl, &item));
    CHECK_INT(tl.segment_count, 126);
    CHECK_INT(tl.total_ms, 650000);

    const int64_t t0 = 1700000000000LL; /* a clock far from zero, like a real monotonic one */
    /* The audio stream's sample 777 was played an hour and a bit before the routine started. */
    const int64_t anchor_ms = t0 - 3600000 - 123;
    const int64_t anchor_sample = 777;
    const int64_t lookaheads[] = {0, 1, 40, 250, 4000};
    for (size_t l = 0; l < sizeof lookaheads / sizeof lookaheads[0]; l++) {
        sim_start(&tl, t0, lookaheads[l], 1234u + (uint32_t)l);
        sim_run_until(t0 + 650000 + 5000);
        CHECK(!sim.overflow);
        /* One cue per segment plus the finish; nothing cancelled, so heard is given. */
        CHECK_INT(sim.given_count, 127);
        CHECK_INT(sim.heard_count, 127);
        int wrong = 0;
        for (int i = 0; i < sim.given_count && i < 127; i++) {
            const ClockCue *c = &sim.given[i];
            int64_t boundary = i < 126 ? tl.segments[i].start_ms : 650000;
            CueKind kind = i < 126 ? expected_cue(&tl, &item, i) : CUE_FINISH;
            int64_t boundary_clock = t0 + boundary;
            if (c->kind != kind || c->routine_ms != boundary || c->clock_ms != boundary_clock)
                wrong++;
            /* Given no later than the boundary, and no earlier than the lookahead allows. */
            if (sim.given_at[i] > boundary_clock || sim.given_at[i] < boundary_clock - lookaheads[l])
                wrong++;
            /* The tone lands on the boundary's own sample: 48 samples per ms after the anchor. */
            Tone tone = tone_for_cue(c->kind, 48000,
                                     tones_sample_at(c->clock_ms, anchor_ms, anchor_sample, 48000));
            if (tone.start_sample != anchor_sample + (boundary_clock - anchor_ms) * 48)
                wrong++;
        }
        CHECK_INT(wrong, 0);
        CHECK_INT(sim.given[0].kind, CUE_GET_READY);
        CHECK_INT(sim.given[0].clock_ms, t0);
        CHECK_INT(sim.given[1].kind, CUE_STEP);
        CHECK_INT(sim.given[1].clock_ms, t0 + 5000);
        CHECK_INT(sim.given[126].kind, CUE_FINISH);
        CHECK_INT(sim.given[126].clock_ms, t0 + 650000);
    }
    timeline_free(&tl);
}

static void a_loop_waking_late_should_still_give_every_cue_once(void)
{
    /* The app was busy for 20 s: the boundaries it slept through come late, once each, with their
     * true clock times (the audio starts tones in the past at once), and the finish comes once. */
    PackItem item = make_mixed_routine();
    Timeline tl;
    CHECK(timeline_build(&tl, &item));
    const int64_t t0 = 5000000;
    sim_start(&tl, t0, 50, 99u);
    sim.now = t0 + 20000;
    sim_poll();
    /* 0 get ready; 5000 step, 7000 hold, 8500 rep, 10500 hold, 12000 rep, 14000 hold, 15500 switch;
     * the right side's first rep at 20500 is beyond 20000 + 50. */
    CHECK_INT(sim.given_count, 8);
    check_heard(1, CUE_STEP, 5000, t0 + 5000);
    check_heard(7, CUE_REST, 15500, t0 + 15500);
    sim.now = t0 + 20450;
    sim_poll();
    CHECK_INT(sim.given_count, 9);
    check_heard(8, CUE_REP, 20500, t0 + 20500);
    sim.now = t0 + 900000; /* long after the end */
    sim_poll();
    sim_poll();
    CHECK_INT(sim.given_count, 127);
    check_heard(126, CUE_FINISH, 650000, t0 + 650000);
    timeline_free(&tl);
}

/* ---- pause ---- */

static void a_long_pause_mid_phase_should_shift_the_next_cue_by_exactly_the_pause(void)
{
    PackItem item = make_breathing();
    Timeline tl;
    CHECK(timeline_build(&tl, &item));
    const int64_t t0 = 1000000, pause = 3600000 + 17;
    sim_start(&tl, t0, 100, 7u);
    sim_run_to_routine(7000); /* mid inhale (5000..9500) */
    sim_press(PRESS_PAUSE);
    int given_before_pause = sim.given_count;
    sim_run_until(t0 + 7000 + pause);
    CHECK_INT(sim.given_count, given_before_pause); /* nothing at all while paused */
    sim_press(PRESS_RESUME);
    sim_run_to_routine(44000); /* the inhale of cycle 2 */

    /* Every cue once, in order, none lost, none repeated, each after the pause shifted by it. */
    CHECK_INT(sim.given_count, 8);
    CHECK_INT(sim.heard_count, 8);
    check_heard(0, CUE_GET_READY, 0, t0);
    check_heard(1, CUE_INHALE, 5000, t0 + 5000);
    check_heard(2, CUE_BREATH_HOLD, 9500, t0 + 9500 + pause);
    check_heard(3, CUE_EXHALE, 16500, t0 + 16500 + pause);
    check_heard(4, CUE_INHALE, 24500, t0 + 24500 + pause);
    check_heard(5, CUE_BREATH_HOLD, 29000, t0 + 29000 + pause);
    check_heard(6, CUE_EXHALE, 36000, t0 + 36000 + pause);
    check_heard(7, CUE_INHALE, 44000, t0 + 44000 + pause);
    for (int i = 0; i < 8 && i < sim.given_count; i++)
        CHECK(memcmp(&sim.given[i], &sim.heard[i], sizeof sim.given[i]) == 0);
    timeline_free(&tl);
}

static void a_pause_just_before_a_boundary_should_move_its_cue_past_the_pause(void)
{
    /* With 250 ms of lookahead, the hold at 9500 is given at 9300 for clock t0 + 9500. A pause at
     * 9400 drops its queued tone; after the resume it is given again for its new time. */
    PackItem item = make_breathing();
    Timeline tl;
    CHECK(timeline_build(&tl, &item));
    const int64_t t0 = 1000000, pause = 600000;
    sim_start(&tl, t0, 250, 8u);
    sim_run_to_routine(9400);
    CHECK_INT(sim.given_count, 3); /* get ready, inhale, and the hold ahead of time */
    sim_press(PRESS_PAUSE);
    CHECK_INT(sim.heard_count, 2);
    sim_run_until(sim.now + pause);
    sim_press(PRESS_RESUME);
    sim_run_to_routine(16500);
    CHECK_INT(sim.heard_count, 4);
    check_heard(2, CUE_BREATH_HOLD, 9500, t0 + 9500 + pause);
    check_heard(3, CUE_EXHALE, 16500, t0 + 16500 + pause);
    timeline_free(&tl);
}

/* ---- skip, back, restart ---- */

static void skip_during_get_ready_should_cue_the_first_step_at_once_and_not_what_it_skipped(void)
{
    PackItem item = make_mixed_routine();
    Timeline tl;
    CHECK(timeline_build(&tl, &item));
    const int64_t t0 = 2000000;
    sim_start(&tl, t0, 100, 3u);
    sim_run_until(t0 + 2000);
    CHECK_INT(sim.given_count, 1);
    sim_press(PRESS_SKIP); /* routine 2000 -> 5000, the first step */
    CHECK_INT(sim.given_count, 2);
    check_heard(1, CUE_STEP, 5000, t0 + 2000);
    /* The step goes on from there: its hold at 7000 is 2000 after the skip. */
    sim_run_until(t0 + 2000 + 2000);
    CHECK_INT(sim.heard_count, 3);
    check_heard(2, CUE_HOLD, 7000, t0 + 4000);
    timeline_free(&tl);
}

static void a_skip_inside_the_lookahead_should_still_cue_the_step_once_at_the_skip(void)
{
    /* 300 ms of lookahead: at 4800 the step's cue is already queued for t0 + 5000. Skipping there
     * drops it and cues the step at the moment of the skip instead: heard once, not twice. */
    PackItem item = make_mixed_routine();
    Timeline tl;
    CHECK(timeline_build(&tl, &item));
    const int64_t t0 = 2000000;
    sim_start(&tl, t0, 300, 4u);
    sim_run_to_routine(4800);
    CHECK_INT(sim.given_count, 2);
    sim_press(PRESS_SKIP);
    CHECK_INT(sim.heard_count, 2);
    check_heard(0, CUE_GET_READY, 0, t0);
    check_heard(1, CUE_STEP, 5000, t0 + 4800);
    sim_run_until(sim.now + 2000);
    CHECK_INT(sim.heard_count, 3);
    check_heard(2, CUE_HOLD, 7000, t0 + 4800 + 2000);
    timeline_free(&tl);
}

static void back_should_cue_the_unit_it_lands_on_and_restart_should_cue_get_ready(void)
{
    PackItem item = make_mixed_routine();
    Timeline tl;
    CHECK(timeline_build(&tl, &item));
    const int64_t t0 = 3000000;
    sim_start(&tl, t0, 100, 5u);

    /* 1000 into step 0 (within the grace period): back to get-ready. */
    sim_run_to_routine(6000);
    CHECK_INT(sim.heard_count, 2);
    int64_t back1 = sim.now;
    sim_press(PRESS_BACK);
    CHECK_INT(sim.heard_count, 3);
    check_heard(2, CUE_GET_READY, 0, back1);
    /* Get-ready plays again; the step comes 5000 after the press, then its hold. */
    sim_run_until(back1 + 7500);
    CHECK_INT(sim.heard_count, 5);
    check_heard(3, CUE_STEP, 5000, back1 + 5000);
    check_heard(4, CUE_HOLD, 7000, back1 + 7000);

    /* 2500 into step 0 (past the grace): back to the start of step 0. */
    int64_t back2 = sim.now;
    sim_press(PRESS_BACK);
    CHECK_INT(sim.heard_count, 6);
    check_heard(5, CUE_STEP, 5000, back2);
    sim_run_until(back2 + 2000);
    check_heard(6, CUE_HOLD, 7000, back2 + 2000);

    /* Into the rest step (67000..87000), 5000 in: back lands on the rest itself. */
    sim_run_to_routine(72000);
    int heard = sim.heard_count;
    int64_t back3 = sim.now;
    sim_press(PRESS_BACK);
    CHECK_INT(sim.heard_count, heard + 1);
    check_heard(heard, CUE_REST, 67000, back3);

    /* Restart: get-ready again at once, the first step 5000 later. */
    sim_run_until(sim.now + 1234);
    int64_t restart = sim.now;
    heard = sim.heard_count;
    sim_press(PRESS_RESTART);
    CHECK_INT(sim.heard_count, heard + 1);
    check_heard(heard, CUE_GET_READY, 0, restart);
    sim_run_until(restart + 5000);
    CHECK_INT(sim.heard_count, heard + 2);
    check_heard(heard + 1, CUE_STEP, 5000, restart + 5000);

    /* Nothing was ever given twice without a press between: given times never go backwards. */
    for (int i = 1; i < sim.given_count; i++)
        CHECK(sim.given_at[i] >= sim.given_at[i - 1]);
    timeline_free(&tl);
}

static void skip_while_paused_should_cue_at_once_and_resume_without_repeating(void)
{
    PackItem item = make_mixed_routine();
    Timeline tl;
    CHECK(timeline_build(&tl, &item));
    const int64_t t0 = 4000000;
    sim_start(&tl, t0, 100, 6u);
    sim_run_to_routine(20000);
    int heard = sim.heard_count;
    sim_press(PRESS_PAUSE);
    sim_run_until(sim.now + 30000);
    CHECK_INT(sim.heard_count, heard);
    int64_t skip = sim.now;
    sim_press(PRESS_SKIP); /* step 0 -> the rest step at 67000, still paused */
    CHECK(sim.player.paused);
    CHECK_INT(sim.heard_count, heard + 1);
    check_heard(heard, CUE_REST, 67000, skip);
    sim_run_until(sim.now + 10000);
    int64_t resume = sim.now;
    sim_press(PRESS_RESUME);
    CHECK_INT(sim.heard_count, heard + 1); /* the rest is not cued again */
    sim_run_until(resume + 20000);
    CHECK_INT(sim.heard_count, heard + 2);
    check_heard(heard + 1, CUE_STEP, 87000, resume + 20000);
    timeline_free(&tl);
}

static void a_poll_a_frame_after_the_start_or_a_skip_should_still_cue_where_it_landed(void)
{
    /* The app polls after drawing, so the first poll may come after player_start() and the poll
     * after a skip may come after the press. The landing cue still sounds, at once. */
    PackItem item = make_mixed_routine();
    Timeline tl;
    CHECK(timeline_build(&tl, &item));
    const int64_t t0 = 6000000;
    memset(&sim, 0, sizeof sim);
    sim.tl = &tl;
    sim.lookahead = 100;
    player_start(&sim.player, &tl, t0);
    cue_scheduler_reset(&sim.scheduler);
    sim.now = t0 + 16;
    sim_poll();
    CHECK_INT(sim.given_count, 1);
    check_heard(0, CUE_GET_READY, 0, t0 + 16);

    sim.now = t0 + 3000;
    sim_poll();
    player_skip(&sim.player, sim.now); /* to 5000, the first step */
    sim.now += 33;
    sim_poll();
    CHECK_INT(sim.given_count, 2);
    check_heard(1, CUE_STEP, 5000, t0 + 3033);
    /* A back press answered late: to get-ready (within grace), then get-ready from there. */
    sim.now += 500;
    sim_poll();
    player_back(&sim.player, sim.now);
    int64_t pressed = sim.now;
    sim.now += 40;
    sim_poll();
    CHECK_INT(sim.given_count, 3);
    check_heard(2, CUE_GET_READY, 0, pressed + 40);
    sim.now = pressed + 5000;
    sim_poll();
    CHECK_INT(sim.given_count, 4);
    check_heard(3, CUE_STEP, 5000, pressed + 5000);
    timeline_free(&tl);
}

static void skip_at_the_last_step_should_finish_once(void)
{
    PackItem item = make_mixed_routine();
    Timeline tl;
    CHECK(timeline_build(&tl, &item));
    const int64_t t0 = 0;
    sim_start(&tl, t0, 100, 9u);
    sim_run_to_routine(641000); /* step 4 of round 2: 640000..650000 */
    int heard = sim.heard_count;
    sim_press(PRESS_SKIP);
    CHECK_INT(sim.heard_count, heard + 1);
    check_heard(heard, CUE_FINISH, 650000, sim.now);
    sim_run_until(sim.now + 60000);
    CHECK_INT(sim.heard_count, heard + 1);
    int finishes = 0;
    for (int i = 0; i < sim.given_count; i++)
        finishes += sim.given[i].kind == CUE_FINISH;
    CHECK_INT(finishes, 1);
    timeline_free(&tl);
}

/* ---- an hour ---- */

static void an_hour_of_breathing_should_give_the_analytic_number_of_breath_cues(void)
{
    PackItem item = make_breathing();
    Timeline tl;
    CHECK(timeline_build(&tl, &item));
    const int64_t t0 = 1700000000000LL, hour = 3600000;
    sim_start(&tl, t0, 200, 2024u);
    sim_run_until(t0 + hour);
    CHECK(!sim.overflow);
    /* 3600000 - 5000 = 3595000 = 184 cycles * 19500 + 7000, and the last poll looked 200 ahead, to
     * 7200 into cycle 184 (starting at 3593000): its inhale (+0) and hold (+4500) are in, its exhale
     * (+11500) is not. So cycles 0..184 gave inhale and hold (185 each), cycles 0..183 exhale. */
    int counts[CUE_FINISH + 1] = {0};
    int out_of_place = 0;
    for (int i = 0; i < sim.given_count; i++) {
        const ClockCue *c = &sim.given[i];
        if (c->kind < CUE_NONE || c->kind > CUE_FINISH)
            continue;
        counts[c->kind]++;
        if (i > 0 && c->routine_ms <= sim.given[i - 1].routine_ms)
            out_of_place++;
        if (c->clock_ms != t0 + c->routine_ms)
            out_of_place++;
    }
    CHECK_INT(counts[CUE_GET_READY], 1);
    CHECK_INT(counts[CUE_INHALE], 185);
    CHECK_INT(counts[CUE_BREATH_HOLD], 185);
    CHECK_INT(counts[CUE_EXHALE], 184);
    CHECK_INT(sim.given_count, 1 + 185 + 185 + 184);
    CHECK_INT(out_of_place, 0);
    CHECK_INT(sim.given[sim.given_count - 1].kind, CUE_BREATH_HOLD);
    CHECK_INT(sim.given[sim.given_count - 1].routine_ms, 3593000 + 4500);
    timeline_free(&tl);
}

/* ---- tones ---- */

static const CueKind all_cues[] = {CUE_GET_READY, CUE_STEP,    CUE_REP,         CUE_HOLD,
                                   CUE_REST,      CUE_INHALE,  CUE_BREATH_HOLD, CUE_EXHALE,
                                   CUE_FINISH};
#define CUE_KINDS ((int)(sizeof all_cues / sizeof all_cues[0]))

static void every_cue_should_have_its_own_soft_tone(void)
{
    Tone none = tone_for_cue(CUE_NONE, 48000, 100);
    CHECK_INT(none.length, 0);
    Tone tones[CUE_KINDS];
    for (int k = 0; k < CUE_KINDS; k++) {
        tones[k] = tone_for_cue(all_cues[k], 48000, 1000);
        CHECK(tones[k].length > 0);
        CHECK_INT(tones[k].start_sample, 1000);
        CHECK(tones[k].gain > 0.0f && tones[k].gain <= 0.35f);
        CHECK(tones[k].notes == 1 || tones[k].notes == 2);
        CHECK(tones[k].freq_start >= 200.0f && tones[k].freq_start <= 1000.0f);
        for (int j = 0; j < k; j++)
            CHECK(tones[j].freq_start != tones[k].freq_start || tones[j].freq_end != tones[k].freq_end ||
                  tones[j].length != tones[k].length || tones[j].notes != tones[k].notes);
    }
    Tone in = tone_for_cue(CUE_INHALE, 48000, 0), out = tone_for_cue(CUE_EXHALE, 48000, 0);
    CHECK(in.freq_end > in.freq_start);  /* breathe in rises */
    CHECK(out.freq_end < out.freq_start); /* breathe out falls */
    CHECK_INT(tone_for_cue(CUE_STEP, 48000, 0).notes, 2);
    CHECK_INT(tone_for_cue(CUE_FINISH, 48000, 0).notes, 2);
    CHECK(tone_for_cue(CUE_FINISH, 48000, 0).length > tone_for_cue(CUE_STEP, 48000, 0).length);
    CHECK(tone_for_cue(CUE_REP, 48000, 0).length < tone_for_cue(CUE_BREATH_HOLD, 48000, 0).length);
    /* Lengths follow the sample rate: the inhale is 350 ms at either rate. */
    CHECK_INT(in.length, 350 * 48);
    CHECK_INT(tone_for_cue(CUE_INHALE, 44100, 0).length, 350 * 441 / 10);
}

/* Positive-going zero crossings of out[from, to): twice the crossings, twice the pitch. */
static int crossings(const float *out, int from, int to)
{
    int n = 0;
    for (int i = from + 1; i < to; i++)
        n += out[i - 1] < 0.0f && out[i] >= 0.0f;
    return n;
}

static void tones_should_start_on_their_sample_and_be_silent_elsewhere(void)
{
    enum { FRAMES = 48000 };
    float *out = calloc(FRAMES, sizeof *out);
    CHECK(out != NULL);
    if (!out)
        return;
    const int64_t first = 5000000000LL; /* a stream that has played for a day */
    for (int k = 0; k < CUE_KINDS; k++) {
        ToneMixer mixer;
        tones_clear(&mixer);
        Tone tone = tone_for_cue(all_cues[k], 48000, first + 1237);
        tones_add(&mixer, tone);
        memset(out, 0, FRAMES * sizeof *out);
        tones_render(&mixer, first, out, FRAMES, 1.0f);
        int first_loud = -1, last_loud = -1;
        float peak = 0.0f;
        for (int i = 0; i < FRAMES; i++) {
            if (out[i] != 0.0f) {
                if (first_loud < 0)
                    first_loud = i;
                last_loud = i;
            }
            if (fabsf(out[i]) > peak)
                peak = fabsf(out[i]);
        }
        CHECK_INT(first_loud, 1237);
        CHECK_INT(last_loud, 1237 + tone.length - 1);
        /* soft onset: the first millisecond stays well under the gain */
        for (int i = 1237; i < 1237 + 24; i++)
            CHECK(fabsf(out[i]) < 0.5f * tone.gain);
        CHECK(peak > 0.9f * tone.gain && peak <= tone.gain + 1e-6f);
        CHECK_INT(mixer.count, 0); /* finished within the buffer, so removed */
    }

    /* Pitch: the inhale rises (more crossings in its last quarter than its first), the exhale falls,
     * the second note of a step is a fifth above its first. */
    ToneMixer mixer;
    tones_clear(&mixer);
    Tone in = tone_for_cue(CUE_INHALE, 48000, 0);
    tones_add(&mixer, in);
    memset(out, 0, FRAMES * sizeof *out);
    tones_render(&mixer, 0, out, FRAMES, 1.0f);
    int q = in.length / 4;
    /* 87.5 ms at ~467 Hz vs ~632 Hz */
    CHECK(crossings(out, 3 * q, 4 * q) > crossings(out, 0, q) + 8);
    tones_clear(&mixer);
    Tone ex = tone_for_cue(CUE_EXHALE, 48000, 0);
    tones_add(&mixer, ex);
    memset(out, 0, FRAMES * sizeof *out);
    tones_render(&mixer, 0, out, FRAMES, 1.0f);
    CHECK(crossings(out, 0, q) > crossings(out, 3 * q, 4 * q) + 8);
    tones_clear(&mixer);
    Tone step = tone_for_cue(CUE_STEP, 48000, 0);
    tones_add(&mixer, step);
    memset(out, 0, FRAMES * sizeof *out);
    tones_render(&mixer, 0, out, FRAMES, 1.0f);
    int half = step.length / 2;
    int low = crossings(out, 0, half), high = crossings(out, half, step.length);
    CHECK(abs(2 * high - 3 * low) <= 4); /* high / low = 1.5, give or take a crossing */
    free(out);
}

static void rendering_in_small_chunks_should_equal_one_big_render(void)
{
    enum { FRAMES = 3 * 48000 };
    float *whole = calloc(FRAMES, sizeof *whole);
    float *chunked = calloc(FRAMES, sizeof *chunked);
    CHECK(whole && chunked);
    if (!whole || !chunked) {
        free(whole);
        free(chunked);
        return;
    }
    const int64_t first = 123456789;
    ToneMixer a, b;
    tones_clear(&a);
    uint32_t seed = 42;
    for (int i = 0; i < 20; i++) {
        seed = seed * 1103515245u + 12345u;
        int64_t start = first - 5000 + (int64_t)((seed >> 8) % (FRAMES - 20000));
        tones_add(&a, tone_for_cue(all_cues[i % CUE_KINDS], 48000, start));
    }
    b = a;
    /* Something already in the buffers, which the mixer must add to. */
    for (int i = 0; i < FRAMES; i++)
        whole[i] = chunked[i] = (i % 997) * 1e-4f;
    tones_render(&a, first, whole, FRAMES, 0.8f);
    int at = 0;
    while (at < FRAMES) {
        seed = seed * 1103515245u + 12345u;
        int n = 1 + (int)((seed >> 16) % 700);
        if (n > FRAMES - at)
            n = FRAMES - at;
        tones_render(&b, first + at, chunked + at, n, 0.8f);
        at += n;
    }
    int different = 0;
    for (int i = 0; i < FRAMES; i++)
        different += whole[i] != chunked[i];
    CHECK_INT(different, 0);
    CHECK_INT(a.count, b.count);
    /* ... and the tones really did make sound. */
    double energy = 0.0;
    for (int i = 0; i < FRAMES; i++)
        energy += fabs(whole[i] - (i % 997) * 1e-4f);
    CHECK(energy > 100.0);

    /* Volume scales, and a muted render adds nothing. */
    ToneMixer c;
    tones_clear(&c);
    tones_add(&c, tone_for_cue(CUE_FINISH, 48000, 0));
    ToneMixer d = c, e = c;
    memset(whole, 0, FRAMES * sizeof *whole);
    memset(chunked, 0, FRAMES * sizeof *chunked);
    tones_render(&c, 0, whole, 48000, 1.0f);
    tones_render(&d, 0, chunked, 48000, 0.25f);
    int off = 0;
    for (int i = 0; i < 48000; i++)
        off += fabsf(chunked[i] - 0.25f * whole[i]) > 1e-6f;
    CHECK_INT(off, 0);
    memset(whole, 0, FRAMES * sizeof *whole);
    tones_render(&e, 0, whole, 48000, 0.0f);
    int loud = 0;
    for (int i = 0; i < 48000; i++)
        loud += whole[i] != 0.0f;
    CHECK_INT(loud, 0);
    free(whole);
    free(chunked);
}

static void many_overlapping_tones_should_stay_within_full_scale(void)
{
    enum { FRAMES = 48000 };
    float *out = malloc(FRAMES * sizeof *out);
    CHECK(out != NULL);
    if (!out)
        return;
    ToneMixer mixer;
    tones_clear(&mixer);
    for (int i = 0; i < TONES_MAX; i++)
        tones_add(&mixer, tone_for_cue(CUE_FINISH, 48000, 100 + i % 3));
    for (int i = 0; i < FRAMES; i++)
        out[i] = i % 2 ? 0.9f : -0.9f;
    tones_render(&mixer, 0, out, FRAMES, 1.0f);
    int outside = 0, at_full_scale = 0;
    for (int i = 0; i < FRAMES; i++) {
        outside += !(out[i] >= -1.0f && out[i] <= 1.0f);
        at_full_scale += fabsf(out[i]) == 1.0f;
    }
    CHECK_INT(outside, 0);
    CHECK(at_full_scale > 1000); /* the sum really was over full scale, and was clamped */
    free(out);
}

static void a_full_mixer_should_drop_the_oldest_tone(void)
{
    ToneMixer mixer;
    tones_clear(&mixer);
    CHECK_INT(mixer.count, 0);
    for (int i = 0; i < TONES_MAX + 3; i++)
        tones_add(&mixer, tone_for_cue(CUE_REP, 48000, 1000 * i));
    CHECK_INT(mixer.count, TONES_MAX);
    /* tones 0, 1, 2 were dropped; the rest are kept in the order they came */
    for (int i = 0; i < mixer.count; i++)
        CHECK_INT(mixer.tones[i].start_sample, 1000 * (i + 3));
    /* A tone with nothing to hear takes no room. */
    tones_add(&mixer, tone_for_cue(CUE_NONE, 48000, 5));
    CHECK_INT(mixer.count, TONES_MAX);
    CHECK_INT(mixer.tones[0].start_sample, 3000);
    /* One more real tone drops the next oldest. */
    tones_add(&mixer, tone_for_cue(CUE_INHALE, 48000, 99999));
    CHECK_INT(mixer.count, TONES_MAX);
    CHECK_INT(mixer.tones[0].start_sample, 4000);
    CHECK_INT(mixer.tones[TONES_MAX - 1].start_sample, 99999);
    tones_clear(&mixer);
    CHECK_INT(mixer.count, 0);
}

static void finished_tones_should_leave_the_mixer_and_future_ones_stay(void)
{
    ToneMixer mixer;
    tones_clear(&mixer);
    Tone tick = tone_for_cue(CUE_REP, 48000, 1000); /* 60 ms = 2880 samples: 1000..3880 */
    tones_add(&mixer, tick);
    tones_add(&mixer, tone_for_cue(CUE_REP, 48000, 100000));
    float buf[1024];
    memset(buf, 0, sizeof buf);
    tones_render(&mixer, 3000, buf, 880, 1.0f); /* ends exactly at 3880 */
    CHECK_INT(mixer.count, 1);
    CHECK_INT(mixer.tones[0].start_sample, 100000);
    CHECK(buf[879] != 0.0f);
    memset(buf, 0, sizeof buf);
    tones_render(&mixer, 3880, buf, 1024, 1.0f);
    int loud = 0;
    for (int i = 0; i < 1024; i++)
        loud += buf[i] != 0.0f;
    CHECK_INT(loud, 0);
    CHECK_INT(mixer.count, 1);
}

static void sample_positions_should_round_to_the_nearest_sample_days_from_the_anchor(void)
{
    /* 48000 Hz: 48 samples per ms, exact. */
    CHECK_INT(tones_sample_at(1000, 1000, 500, 48000), 500);
    CHECK_INT(tones_sample_at(1001, 1000, 500, 48000), 548);
    CHECK_INT(tones_sample_at(999, 1000, 500, 48000), 452);
    /* 44100 Hz: 44.1 per ms. 1 ms -> 44.1 -> 44; 5 ms -> 220.5 -> 221; 9 ms -> 396.9 -> 397. */
    CHECK_INT(tones_sample_at(1, 0, 0, 44100), 44);
    CHECK_INT(tones_sample_at(5, 0, 0, 44100), 221);
    CHECK_INT(tones_sample_at(9, 0, 0, 44100), 397);
    CHECK_INT(tones_sample_at(-5, 0, 0, 44100), -221);
    CHECK_INT(tones_sample_at(-9, 0, 0, 44100), -397);
    /* Three days and 7 ms after an anchor on a clock far from zero, at 44100: 259200007 ms is
     * 259200 s * 44100 = 11430720000 samples plus 7 * 44.1 = 308.7 -> 309. */
    const int64_t anchor = 1700000000000LL;
    CHECK_INT(tones_sample_at(anchor + 259200007, anchor, 1000000, 44100),
              1000000 + 11430720000LL + 309);
    /* Every millisecond of a long span maps within half a sample of the exact position. */
    int off = 0;
    for (int64_t ms = 0; ms < 100000; ms += 7) {
        int64_t got = tones_sample_at(anchor + 86400000 * 2 + ms, anchor, 0, 44100);
        int64_t exact_x10 = (86400000LL * 2 + ms) * 441; /* ten times the exact sample */
        if (llabs(got * 10 - exact_x10) > 5)
            off++;
    }
    CHECK_INT(off, 0);
}

int main(void)
{
    RUN(every_boundary_should_give_one_cue_at_its_exact_clock_ms_however_the_loop_wakes);
    RUN(a_loop_waking_late_should_still_give_every_cue_once);
    RUN(a_long_pause_mid_phase_should_shift_the_next_cue_by_exactly_the_pause);
    RUN(a_pause_just_before_a_boundary_should_move_its_cue_past_the_pause);
    RUN(skip_during_get_ready_should_cue_the_first_step_at_once_and_not_what_it_skipped);
    RUN(a_skip_inside_the_lookahead_should_still_cue_the_step_once_at_the_skip);
    RUN(back_should_cue_the_unit_it_lands_on_and_restart_should_cue_get_ready);
    RUN(skip_while_paused_should_cue_at_once_and_resume_without_repeating);
    RUN(a_poll_a_frame_after_the_start_or_a_skip_should_still_cue_where_it_landed);
    RUN(skip_at_the_last_step_should_finish_once);
    RUN(an_hour_of_breathing_should_give_the_analytic_number_of_breath_cues);
    RUN(every_cue_should_have_its_own_soft_tone);
    RUN(tones_should_start_on_their_sample_and_be_silent_elsewhere);
    RUN(rendering_in_small_chunks_should_equal_one_big_render);
    RUN(many_overlapping_tones_should_stay_within_full_scale);
    RUN(a_full_mixer_should_drop_the_oldest_tone);
    RUN(finished_tones_should_leave_the_mixer_and_future_ones_stay);
    RUN(sample_positions_should_round_to_the_nearest_sample_days_from_the_anchor);
    return CHECK_SUMMARY();
}
