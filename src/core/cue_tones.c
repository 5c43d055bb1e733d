/* cue_tones.c: which cues are due, the tone each one makes, and the mixer that plays them.
 *
 * The scheduler keeps one number that matters, `scheduled_until`: every boundary up to that routine
 * time has been handed out. Each poll hands out the boundaries after it, up to a little ahead of the
 * current position, with their exact clock times, and moves it on. A jump (skip, back, restart)
 * throws that promise away and starts again from where the player landed. The tones are pure
 * functions of the absolute sample index, so a tone sounds the same however the audio callback
 * happens to slice the stream, and starts on the very sample its boundary maps to.
 */
#include "cue_tones.h"

#include <math.h>
#include <string.h>

/* M_PI is POSIX, not C11. */
static const double PI = 3.14159265358979323846;

/* ---- which cues are due ------------------------------------------------------------------------ */

void cue_scheduler_reset(CueScheduler *scheduler)
{
    memset(scheduler, 0, sizeof *scheduler);
}

/* The clock time of routine time `routine_ms` under the player's current positioning. While playing
 * this is now + (routine_ms - elapsed); it also holds while paused (boundaries reached just before the
 * pause get the clock time they were reached at) and after the end, where player_elapsed() is clamped
 * to total_ms and `now` would place the finish too late. */
static int64_t clock_of(const RoutinePlayer *player, int64_t routine_ms)
{
    return player->anchor_clock_ms + (routine_ms - player->anchor_elapsed_ms);
}

/* Did the player's position move other than by time passing since the last poll? */
static bool position_jumped(const CueScheduler *scheduler, const RoutinePlayer *player,
                            int64_t elapsed)
{
    if (!scheduler->started)
        return true; /* the first poll starts from wherever the player is */
    if (elapsed < scheduler->last_elapsed)
        return true; /* time only moves forwards: back or restart */
    if (player->paused && scheduler->last_paused)
        return elapsed != scheduler->last_elapsed; /* a paused routine only moves by a skip */
    if (player->paused)
        return false; /* paused since the last poll: frozen where time had taken it */
    /* Playing. The player's anchor is where it was last put (start, resume, skip, back, restart).
     * Anchored before the last poll, the anchor lies at or behind the position that poll saw; a
     * resume keeps the anchor where the pause left it, which the poll during the pause saw. An anchor
     * ahead of the last position seen was therefore put there since: a skip. (This struct keeps no
     * clock time of the last poll, so a skip is recognised by the player's anchor, not by comparing
     * how far the routine moved with how much time passed.) */
    return player->anchor_elapsed_ms > scheduler->last_elapsed;
}

int cue_scheduler_poll(CueScheduler *scheduler, const Timeline *timeline, const RoutinePlayer *player,
                       int64_t now_ms, int64_t lookahead_ms, ClockCue *out, int max)
{
    if (max <= 0 || timeline->segment_count <= 0)
        return 0;
    const int64_t total = timeline->total_ms;
    if (lookahead_ms < 0)
        lookahead_ms = 0;
    if (lookahead_ms > total)
        lookahead_ms = total; /* no overflow in elapsed + lookahead */

    const int64_t elapsed = player_elapsed(player, now_ms);
    const bool paused = player->paused;
    const bool jumped = position_jumped(scheduler, player, elapsed);

    /* Give out the boundaries in (from, to]. Normally `from` is where the last poll stopped. After a
     * jump, what was given beyond the old position is void (the caller drops queued tones when it
     * moves the player, see audio_cancel) and scheduling restarts at the landing point: the start of
     * the segment now under way, but not before where the player was put. Boundaries between the
     * landing point and the old position are never given: nobody played them. */
    int64_t landing = -1;
    int64_t from = scheduler->scheduled_until;
    if (jumped) {
        landing = elapsed >= total ? total
                                   : timeline->segments[timeline_segment_at(timeline, elapsed)].start_ms;
        if (landing < player->anchor_elapsed_ms)
            landing = player->anchor_elapsed_ms;
        from = landing - 1; /* (from, to] must include the landing boundary itself */
    }
    /* Nothing ahead while paused: a tone queued for a boundary ahead would sound during the pause. */
    int64_t to = paused ? elapsed : elapsed + lookahead_ms;
    if (to > total)
        to = total;

    int written = 0;
    int64_t cursor = from; /* routine time up to which everything has been written */
    while (written < max && cursor < to) {
        Cue batch[16];
        int want = max - written < 16 ? max - written : 16;
        int n = timeline_cues_between(timeline, cursor, to, batch, want);
        for (int i = 0; i < n; i++) {
            ClockCue *cue = &out[written++];
            cue->kind = batch[i].kind;
            cue->routine_ms = batch[i].at_ms;
            /* The boundary jumped to sounds at the moment of the jump, not when it nominally began. */
            cue->clock_ms = jumped && batch[i].at_ms == landing ? now_ms : clock_of(player, batch[i].at_ms);
        }
        /* A full batch may have stopped short of `to`; carry on from its last boundary. */
        cursor = n == want ? batch[n - 1].at_ms : to;
    }

    if (to >= from)
        scheduler->scheduled_until = cursor;
    else if (paused)
        /* Paused with cues already given beyond the pause position: they were given for clock times
         * that the pause has made wrong. Give them again, with their new times, after the resume;
         * the caller dropped the queued tones when it paused (audio_cancel). */
        scheduler->scheduled_until = to;
    /* else playing with a shorter lookahead than last time: what was given stays given. */

    scheduler->started = true;
    scheduler->last_elapsed = elapsed;
    scheduler->last_paused = paused;
    return written;
}

/* ---- tones ------------------------------------------------------------------------------------- */

/* The Tone and ToneMixer of the contract carry no sample rate, so tones_render() cannot know it.
 * It renders at this nominal rate (the one the app asks the device for), and tone_for_cue() scales
 * the frequencies it stores by RENDER_RATE / sample_rate, so that the pitch comes out right on a
 * stream of any other rate. At 48000 Hz the frequencies are plain Hz. */
#define RENDER_RATE 48000
#define ATTACK_SAMPLES (RENDER_RATE * 5 / 1000)   /* 5 ms: fast enough not to blur the onset */
#define RELEASE_SAMPLES (RENDER_RATE * 30 / 1000) /* 30 ms: long enough not to click */
#define FIFTH 1.5

typedef struct {
    float freq_start, freq_end; /* real Hz */
    int32_t ms;
    float gain;
    int notes;
} ToneRecipe;

/* Calm sines, none louder than 0.35. Inhale rises and exhale falls over the same interval, so the
 * pair is heard as one breath; holds are short and low; a new step is a two-note chime, a rep a
 * short tick, the end a longer, lower chime. */
static ToneRecipe recipe_for(CueKind kind)
{
    switch (kind) {
    case CUE_NONE:
        break;
    case CUE_GET_READY:
        return (ToneRecipe){523.25f, 523.25f, 300, 0.25f, 1};  /* C5 */
    case CUE_STEP:
        return (ToneRecipe){523.25f, 523.25f, 500, 0.28f, 2};  /* C5 then G5 */
    case CUE_REP:
        return (ToneRecipe){880.0f, 880.0f, 60, 0.18f, 1};     /* A5 tick */
    case CUE_HOLD:
        return (ToneRecipe){587.33f, 587.33f, 200, 0.22f, 1};  /* D5 */
    case CUE_REST:
        return (ToneRecipe){329.63f, 329.63f, 250, 0.22f, 1};  /* E4 */
    case CUE_INHALE:
        return (ToneRecipe){440.0f, 660.0f, 350, 0.30f, 1};    /* A4 up a fifth */
    case CUE_BREATH_HOLD:
        return (ToneRecipe){392.0f, 392.0f, 150, 0.22f, 1};    /* G4 */
    case CUE_EXHALE:
        return (ToneRecipe){660.0f, 440.0f, 350, 0.30f, 1};    /* down a fifth */
    case CUE_FINISH:
        return (ToneRecipe){392.0f, 392.0f, 900, 0.30f, 2};    /* G4 then D5 */
    }
    return (ToneRecipe){0.0f, 0.0f, 0, 0.0f, 1};
}

Tone tone_for_cue(CueKind kind, int sample_rate, int64_t start_sample)
{
    ToneRecipe r = recipe_for(kind);
    Tone tone = {.start_sample = start_sample, .notes = r.notes, .gain = r.gain};
    if (sample_rate <= 0 || r.ms <= 0)
        return (Tone){.start_sample = start_sample, .notes = 1}; /* length 0: nothing to hear */
    tone.length = (int32_t)((int64_t)r.ms * sample_rate / 1000);
    double scale = (double)RENDER_RATE / (double)sample_rate;
    tone.freq_start = (float)(r.freq_start * scale);
    tone.freq_end = (float)(r.freq_end * scale);
    return tone;
}

void tones_clear(ToneMixer *mixer)
{
    mixer->count = 0;
}

void tones_add(ToneMixer *mixer, Tone tone)
{
    if (tone.length <= 0)
        return; /* CUE_NONE: nothing would ever sound */
    if (mixer->count >= TONES_MAX) {
        memmove(&mixer->tones[0], &mixer->tones[1], (TONES_MAX - 1) * sizeof mixer->tones[0]);
        mixer->count = TONES_MAX - 1;
    }
    mixer->tones[mixer->count++] = tone;
}

/* Sample i (0-based) of one note of n samples, gliding linearly from f0 to f1 (in cycles per
 * RENDER_RATE samples). Each sample is taken at the middle of its interval, t = i + 0.5, so the first
 * and last samples are small but not zero: the note occupies exactly its n samples. The phase is the
 * integral of the frequency, f0 t + (f1 - f0) t^2 / 2n, so the glide has no jumps. */
static double note_sample(double f0, double f1, int32_t n, int32_t i)
{
    double t = (double)i + 0.5;
    double cycles = (f0 * t + (f1 - f0) * t * t / (2.0 * (double)n)) / RENDER_RATE;
    cycles -= floor(cycles); /* keep the argument of sin small and exact */

    int32_t attack = ATTACK_SAMPLES < n / 2 ? ATTACK_SAMPLES : n / 2;
    int32_t release = RELEASE_SAMPLES < n - attack ? RELEASE_SAMPLES : n - attack;
    double env = 1.0;
    if (t < (double)attack)
        env = 0.5 - 0.5 * cos(PI * t / (double)attack);
    double left = (double)n - t;
    if (left < (double)release)
        env *= 0.5 - 0.5 * cos(PI * left / (double)release);
    return env * sin(2.0 * PI * cycles);
}

/* Sample i of a whole tone, 0 <= i < length, before gain. A two-note tone is two notes in a row,
 * the second, a fifth higher, starting halfway; each has its own ramps so neither clicks. */
static double tone_sample(const Tone *tone, int32_t i)
{
    if (tone->notes != 2)
        return note_sample(tone->freq_start, tone->freq_end, tone->length, i);
    int32_t half = tone->length / 2;
    if (i < half)
        return note_sample(tone->freq_start, tone->freq_end, half, i);
    return note_sample(tone->freq_start * FIFTH, tone->freq_end * FIFTH, tone->length - half, i - half);
}

void tones_render(ToneMixer *mixer, int64_t first_sample, float *out, int frames, float volume)
{
    if (frames <= 0)
        return;
    if (!(volume >= 0.0f)) /* also catches NaN */
        volume = 0.0f;
    if (volume > 1.0f)
        volume = 1.0f;
    const int64_t end_sample = first_sample + frames;

    /* Per sample, every tone in queue order, summed in double: the same sum in the same order
     * whatever the chunk boundaries, so chunked output is bit-identical to one big render. */
    for (int f = 0; f < frames; f++) {
        int64_t s = first_sample + f;
        double sum = 0.0;
        for (int k = 0; k < mixer->count; k++) {
            const Tone *tone = &mixer->tones[k];
            int64_t i = s - tone->start_sample;
            if (i >= 0 && i < tone->length)
                sum += tone->gain * tone_sample(tone, (int32_t)i);
        }
        float v = out[f] + (float)(sum * volume);
        out[f] = v > 1.0f ? 1.0f : v < -1.0f ? -1.0f : v;
    }

    /* Drop the tones that have ended, keeping the others in order. */
    int kept = 0;
    for (int k = 0; k < mixer->count; k++) {
        const Tone *tone = &mixer->tones[k];
        if (tone->start_sample + tone->length > end_sample)
            mixer->tones[kept++] = *tone;
    }
    mixer->count = kept;
}

/* num / den rounded to the nearest integer, halves away from zero; den > 0. */
static int64_t div_round(int64_t num, int64_t den)
{
    return num >= 0 ? (num + den / 2) / den : -((-num + den / 2) / den);
}

int64_t tones_sample_at(int64_t clock_ms, int64_t anchor_ms, int64_t anchor_sample, int sample_rate)
{
    if (sample_rate <= 0)
        return anchor_sample;
    /* Whole seconds times the rate are exact; only the leftover milliseconds need rounding. Integer
     * arithmetic throughout, so an anchor days back is as exact as one a second back. The remainder
     * has the sign of delta, so rounding it rounds the whole. */
    int64_t delta = clock_ms - anchor_ms;
    int64_t seconds = delta / 1000, rest_ms = delta % 1000;
    return anchor_sample + seconds * sample_rate + div_round(rest_ms * sample_rate, 1000);
}
