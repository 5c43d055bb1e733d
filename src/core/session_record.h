/* session_record.h: what a patient really did in one go at a routine, step by step.
 *
 * A practitioner reads the history as adherence, so it must never say more than the patient did.
 * The player only knows where it is; this follows it and tells apart the time that was played from
 * the jumps that Skip, Back and Restart make. Each step ends up done (every part of it played to its
 * end), cut short (begun but not finished), skipped (passed over with less than a fifth of it played)
 * or not reached. Active time counts only routine time that played: pauses and jumps add nothing.
 * Outcomes are kept as one letter per step ("DDSC--") so the history can store them as they are.
 * Pure arithmetic on routine time, no SDL, no clock of its own.
 */
#ifndef BA_SESSION_RECORD_H
#define BA_SESSION_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "routine_timing.h"

#define OUTCOME_NOT_REACHED '-'
#define OUTCOME_SKIPPED 'S'
#define OUTCOME_CUT_SHORT 'C'
#define OUTCOME_DONE 'D'

/* A step played for less than this share of its length before the patient moved past it was skipped. */
#define SESSION_SKIPPED_BELOW 0.2

typedef struct {
    const Timeline *timeline;
    int step_count;
    char *outcomes;          /* step_count letters and a NUL */
    char *earlier;           /* the outcomes of the session this one continues, likewise */
    int64_t *step_played_ms; /* routine time played inside each step */
    int64_t *step_total_ms;  /* each step's length, all rounds */
    int64_t *step_end_ms;    /* where each step's last unit ends */
    bool *unit_done;         /* per timeline unit: played from its start to its end without a jump */
    int64_t active_ms;       /* routine time played, this session and any it continues */
    int64_t position_ms;     /* where the player was last seen */
    int64_t natural_from_ms; /* where it has played on from since the last jump */
    int64_t furthest_ms;     /* the furthest it has ever been */
} SessionRecord;

/* Starts following a routine at routine time `position_ms`. `earlier` (NULL for a fresh session) are
 * the outcomes of the session being continued, and `earlier_active_ms` its active time: a continued
 * session keeps what was done before. Returns false on out-of-memory. Free with session_record_free. */
bool session_record_init(SessionRecord *s, const Timeline *timeline, int step_count, int64_t position_ms,
                         const char *earlier, int64_t earlier_active_ms);
void session_record_free(SessionRecord *s);

/* The routine played on, without a jump, up to `position_ms` (earlier positions are ignored). Returns
 * true when a step's outcome changed, so the caller knows when to write it down. */
bool session_record_played_to(SessionRecord *s, int64_t position_ms);

/* The player jumped (skip, back, restart) and is now at `position_ms`. Call session_record_played_to
 * with the position just before the jump first, so the time up to it counts. Returns as above. */
bool session_record_jumped_to(SessionRecord *s, int64_t position_ms);

int session_record_count(const SessionRecord *s, char outcome);
/* Completed only when every step was done. */
bool session_record_completed(const SessionRecord *s);
/* Where "continue where you left off" should start: the step the patient was last on (0-based). */
int session_record_current_step(const SessionRecord *s);

#endif
