/* session_record.c: step outcomes and active time from the player's movements (see the header).
 *
 * Played time is spread over the timeline's units (one step in one round, the get-ready countdown,
 * a rest between rounds), walking only the units it crosses, so following a routine costs nothing
 * per frame. A unit counts as done only when play ran from its start to its end without a jump; skip
 * and back always land on a unit's start, so a unit the patient skipped into and then played through
 * is done, and one they skipped out of is not. A step's outcome is worked out again from what was
 * played each time, so a step begun and then skipped early turns from cut short to skipped; what a
 * continued session did before is a floor it never falls below.
 */
#include "session_record.h"

#include <stdlib.h>
#include <string.h>

static int outcome_rank(char c)
{
    return c == OUTCOME_DONE ? 3 : c == OUTCOME_CUT_SHORT ? 2 : c == OUTCOME_SKIPPED ? 1 : 0;
}

bool session_record_init(SessionRecord *s, const Timeline *timeline, int step_count, int64_t position_ms,
                         const char *earlier, int64_t earlier_active_ms)
{
    memset(s, 0, sizeof *s);
    s->timeline = timeline;
    s->step_count = step_count;
    size_t n = step_count > 0 ? (size_t)step_count : 1;
    size_t units = timeline->unit_count > 0 ? (size_t)timeline->unit_count : 1;
    s->outcomes = calloc(n + 1, 1);
    s->earlier = calloc(n + 1, 1);
    s->step_played_ms = calloc(n, sizeof *s->step_played_ms);
    s->step_total_ms = calloc(n, sizeof *s->step_total_ms);
    s->step_end_ms = calloc(n, sizeof *s->step_end_ms);
    s->unit_done = calloc(units, sizeof *s->unit_done);
    if (!s->outcomes || !s->earlier || !s->step_played_ms || !s->step_total_ms || !s->step_end_ms || !s->unit_done) {
        session_record_free(s);
        return false;
    }
    for (int i = 0; i < step_count; i++) {
        char c = earlier && (int)strlen(earlier) > i ? earlier[i] : OUTCOME_NOT_REACHED;
        s->earlier[i] = s->outcomes[i] = outcome_rank(c) > 0 ? c : OUTCOME_NOT_REACHED;
    }
    for (int u = 0; u < timeline->unit_count; u++) {
        const TimelineUnit *unit = &timeline->units[u];
        if (unit->step < 0 || unit->step >= step_count)
            continue;
        s->step_total_ms[unit->step] += unit->end_ms - unit->start_ms;
        if (unit->end_ms > s->step_end_ms[unit->step])
            s->step_end_ms[unit->step] = unit->end_ms;
    }
    s->active_ms = earlier_active_ms > 0 ? earlier_active_ms : 0;
    s->position_ms = s->natural_from_ms = s->furthest_ms = position_ms;
    return true;
}

void session_record_free(SessionRecord *s)
{
    free(s->outcomes);
    free(s->earlier);
    free(s->step_played_ms);
    free(s->step_total_ms);
    free(s->step_end_ms);
    free(s->unit_done);
    memset(s, 0, sizeof *s);
}

/* The outcome a step has earned so far in this session. */
static char step_outcome_now(const SessionRecord *s, int step)
{
    bool all_done = true, any_unit = false;
    for (int u = 0; u < s->timeline->unit_count; u++) {
        if (s->timeline->units[u].step != step)
            continue;
        any_unit = true;
        all_done = all_done && s->unit_done[u];
    }
    if (any_unit && all_done)
        return OUTCOME_DONE;
    int64_t played = s->step_played_ms[step];
    bool passed = s->furthest_ms >= s->step_end_ms[step] && s->step_end_ms[step] > 0;
    if (passed && (double)played < SESSION_SKIPPED_BELOW * (double)s->step_total_ms[step])
        return OUTCOME_SKIPPED;
    if (played > 0)
        return OUTCOME_CUT_SHORT;
    return passed ? OUTCOME_SKIPPED : OUTCOME_NOT_REACHED;
}

static bool update_outcomes(SessionRecord *s)
{
    bool changed = false;
    for (int i = 0; i < s->step_count; i++) {
        char now = step_outcome_now(s, i);
        if (outcome_rank(s->earlier[i]) > outcome_rank(now))
            now = s->earlier[i];
        if (now != s->outcomes[i]) {
            s->outcomes[i] = now;
            changed = true;
        }
    }
    return changed;
}

bool session_record_played_to(SessionRecord *s, int64_t position_ms)
{
    if (!s->outcomes || position_ms <= s->position_ms)
        return false;
    const Timeline *t = s->timeline;
    int64_t from = s->position_ms, to = position_ms;
    s->active_ms += to - from;
    for (int u = timeline_unit_at(t, from); u >= 0 && u < t->unit_count; u++) {
        const TimelineUnit *unit = &t->units[u];
        if (unit->start_ms >= to)
            break;
        int64_t a = from > unit->start_ms ? from : unit->start_ms;
        int64_t b = to < unit->end_ms ? to : unit->end_ms;
        if (b > a && unit->step >= 0 && unit->step < s->step_count)
            s->step_played_ms[unit->step] += b - a;
        if (s->natural_from_ms <= unit->start_ms && to >= unit->end_ms)
            s->unit_done[u] = true;
    }
    s->position_ms = to;
    if (to > s->furthest_ms)
        s->furthest_ms = to;
    return update_outcomes(s);
}

bool session_record_jumped_to(SessionRecord *s, int64_t position_ms)
{
    if (!s->outcomes)
        return false;
    s->position_ms = s->natural_from_ms = position_ms;
    if (position_ms > s->furthest_ms)
        s->furthest_ms = position_ms;
    return update_outcomes(s);
}

int session_record_count(const SessionRecord *s, char outcome)
{
    int n = 0;
    for (int i = 0; i < s->step_count && s->outcomes; i++)
        n += s->outcomes[i] == outcome;
    return n;
}

bool session_record_completed(const SessionRecord *s)
{
    return s->step_count > 0 && session_record_count(s, OUTCOME_DONE) == s->step_count;
}

int session_record_current_step(const SessionRecord *s)
{
    const Timeline *t = s->timeline;
    for (int u = timeline_unit_at(t, s->position_ms); u >= 0 && u < t->unit_count; u++)
        if (t->units[u].step >= 0)
            return t->units[u].step;
    return s->step_count > 0 ? s->step_count - 1 : 0;
}
