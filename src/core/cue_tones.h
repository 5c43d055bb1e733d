/* cue_tones.h: sound cues as data, placed on the exact audio sample of their boundary.
 *
 * The timing engine says when boundaries fall (routine milliseconds); the player maps them onto the
 * app's monotonic clock; here they become short tones placed on the audio stream's sample clock and
 * mixed into float buffers. Nothing here touches an audio device, so the whole path from a routine's
 * boundary to the sample where its tone starts is tested on a simulated clock. The SDL audio callback
 * (src/app/audio.c) only calls tones_render().
 */
#ifndef BA_CUE_TONES_H
#define BA_CUE_TONES_H

#include <stdbool.h>
#include <stdint.h>

#include "routine_timing.h"

/* ---- which cues are due ------------------------------------------------------------------------
 * Called every time the main loop wakes (and it wakes at every boundary, see
 * player_next_boundary_clock), the scheduler returns each cue of the playing routine once, with the
 * clock time of its boundary, looking `lookahead_ms` ahead so that a tone can be queued before its
 * sample is played. Pause, skip, back and restart never replay or lose cues: after a jump the cue of
 * the position jumped to is given at the moment of the jump. */
typedef struct {
    bool started;
    int64_t scheduled_until;   /* routine ms up to which cues were already given */
    int64_t last_elapsed;      /* routine ms seen at the previous poll */
    bool last_paused;
} CueScheduler;

typedef struct {
    CueKind kind;
    int64_t routine_ms; /* the boundary in routine time */
    int64_t clock_ms;   /* the same boundary on the app's clock */
} ClockCue;

void cue_scheduler_reset(CueScheduler *scheduler);
/* Returns the number of cues written to out (at most max). */
int cue_scheduler_poll(CueScheduler *scheduler, const Timeline *timeline, const RoutinePlayer *player,
                       int64_t now_ms, int64_t lookahead_ms, ClockCue *out, int max);

/* ---- tones ------------------------------------------------------------------------------------- */
typedef struct {
    int64_t start_sample;  /* on the output stream's sample clock */
    int32_t length;        /* samples */
    float freq_start;      /* Hz; a glide to freq_end gives rising (breathe in) and falling (out) cues */
    float freq_end;
    float gain;            /* 0..1 */
    int notes;             /* 1, or 2 for a two-note cue (the second note a fifth higher) */
} Tone;

/* The tone for a cue: each kind distinct by pitch, glide and length, so a patient with eyes closed
 * can tell inhale from exhale from hold, and a new step from a rep. CUE_NONE gives length 0. */
Tone tone_for_cue(CueKind kind, int sample_rate, int64_t start_sample);

#define TONES_MAX 32
typedef struct {
    Tone tones[TONES_MAX];
    int count;
} ToneMixer;

void tones_clear(ToneMixer *mixer);
/* Queues a tone; when full, the oldest is dropped. */
void tones_add(ToneMixer *mixer, Tone tone);
/* Mixes every tone overlapping [first_sample, first_sample + frames) into out (mono, added to what is
 * there), at `volume` 0..1, with short attack and release ramps so nothing clicks; tones that have
 * finished are removed. */
void tones_render(ToneMixer *mixer, int64_t first_sample, float *out, int frames, float volume);

/* Maps a clock time to the output sample clock, given that sample `anchor_sample` plays at clock
 * `anchor_ms`. Rounds to the nearest sample. */
int64_t tones_sample_at(int64_t clock_ms, int64_t anchor_ms, int64_t anchor_sample, int sample_rate);

#endif
