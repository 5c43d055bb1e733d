/* test_session_record.c: a session's record says what the patient did, never more.
 *
 * A hand-made timeline of a 5 s get-ready and three 10 s steps (the second one in two rounds of 5 s
 * would be the same arithmetic): each test plays, pauses, skips and goes back through it as a patient
 * would and checks each step's outcome and the active time.
 */
#include "check.h"
#include "session_record.h"

/* get-ready [0,5000), step 0 [5000,15000), step 1 [15000,25000), step 2 [25000,35000) */
static TimelineUnit units[] = {
    {0, 5000, -1, 0}, {5000, 15000, 0, 0}, {15000, 25000, 1, 0}, {25000, 35000, 2, 0}};
static Timeline timeline = {.units = units, .unit_count = 4, .total_ms = 35000};

static void playing_every_step_to_its_end_should_complete_the_routine(void)
{
    SessionRecord s;
    CHECK(session_record_init(&s, &timeline, 3, 0, NULL, 0));
    CHECK_STR(s.outcomes, "---");
    for (int64_t t = 33; t <= 35000; t += 33)
        session_record_played_to(&s, t);
    session_record_played_to(&s, 35000);
    CHECK_STR(s.outcomes, "DDD");
    CHECK(session_record_completed(&s));
    CHECK_INT(s.active_ms, 35000);
    session_record_free(&s);
}

static void skipping_through_every_step_should_do_none_of_them(void)
{
    SessionRecord s;
    CHECK(session_record_init(&s, &timeline, 3, 0, NULL, 0));
    int64_t starts[] = {5000, 15000, 25000, 35000};
    int64_t at = 0;
    for (int i = 0; i < 4; i++) {
        session_record_played_to(&s, at + 500); /* half a second, then Skip */
        session_record_jumped_to(&s, starts[i]);
        at = starts[i];
    }
    CHECK_STR(s.outcomes, "SSS");
    CHECK(!session_record_completed(&s));
    CHECK_INT(session_record_count(&s, OUTCOME_DONE), 0);
    CHECK_INT(s.active_ms, 4 * 500);
    session_record_free(&s);
}

static void skipping_late_in_a_step_should_cut_it_short_and_leaving_should_too(void)
{
    SessionRecord s;
    CHECK(session_record_init(&s, &timeline, 3, 0, NULL, 0));
    session_record_played_to(&s, 15000);     /* get-ready and step 0 played through */
    session_record_played_to(&s, 21000);     /* 6 of step 1's 10 seconds */
    session_record_jumped_to(&s, 25000);     /* Skip */
    session_record_played_to(&s, 26000);     /* a second of step 2, then Leave */
    CHECK_STR(s.outcomes, "DCC");
    CHECK_INT(s.active_ms, 22000);
    CHECK_INT(session_record_current_step(&s), 2);
    session_record_free(&s);
}

static void pausing_should_add_no_time(void)
{
    SessionRecord s;
    CHECK(session_record_init(&s, &timeline, 3, 0, NULL, 0));
    session_record_played_to(&s, 8000);
    /* Paused for ten minutes: the routine's time stands still, so the same position comes again. */
    for (int i = 0; i < 600; i++)
        session_record_played_to(&s, 8000);
    CHECK_INT(s.active_ms, 8000);
    session_record_free(&s);
}

static void a_step_skipped_into_and_played_through_should_be_done(void)
{
    SessionRecord s;
    CHECK(session_record_init(&s, &timeline, 3, 0, NULL, 0));
    session_record_jumped_to(&s, 5000);      /* skip the get-ready */
    session_record_played_to(&s, 15000);     /* step 0 whole */
    CHECK_STR(s.outcomes, "D--");
    session_record_played_to(&s, 17000);
    session_record_jumped_to(&s, 15000);     /* Back to the start of step 1 */
    session_record_played_to(&s, 25000);     /* and all of it */
    CHECK_STR(s.outcomes, "DD-");
    CHECK_INT(s.active_ms, 22000);
    session_record_free(&s);
}

static void going_back_over_half_a_step_twice_should_not_make_it_done(void)
{
    SessionRecord s;
    CHECK(session_record_init(&s, &timeline, 3, 5000, NULL, 0));
    session_record_played_to(&s, 10000);     /* first half of step 0 */
    session_record_jumped_to(&s, 5000);      /* Back */
    session_record_played_to(&s, 10000);     /* first half again */
    session_record_jumped_to(&s, 15000);     /* Skip */
    CHECK_STR(s.outcomes, "C--");
    session_record_free(&s);
}

static void a_continued_session_should_keep_what_was_done_before(void)
{
    SessionRecord s;
    CHECK(session_record_init(&s, &timeline, 3, 25000, "DS-", 14000));
    session_record_played_to(&s, 35000);
    CHECK_STR(s.outcomes, "DSD");
    CHECK_INT(s.active_ms, 24000);
    CHECK(!session_record_completed(&s));
    session_record_free(&s);
    /* Junk in a stored string is read as "not reached", never as done. */
    CHECK(session_record_init(&s, &timeline, 3, 0, "x", 0));
    CHECK_STR(s.outcomes, "---");
    session_record_free(&s);
}

int main(void)
{
    RUN(playing_every_step_to_its_end_should_complete_the_routine);
    RUN(skipping_through_every_step_should_do_none_of_them);
    RUN(skipping_late_in_a_step_should_cut_it_short_and_leaving_should_too);
    RUN(pausing_should_add_no_time);
    RUN(a_step_skipped_into_and_played_through_should_be_done);
    RUN(going_back_over_half_a_step_twice_should_not_make_it_done);
    RUN(a_continued_session_should_keep_what_was_done_before);
    return CHECK_SUMMARY();
}
