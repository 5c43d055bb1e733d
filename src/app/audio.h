/* audio.h: the SDL audio device playing the cue tones.
 *
 * Opens the default output if there is one; with no device (a kiosk without speakers, CI) every call
 * still works and nothing is heard. The callback mixes the ToneMixer (src/core/cue_tones.h) under the
 * device lock; the main thread queues tones placed on the stream's sample clock.
 */
#ifndef BA_AUDIO_H
#define BA_AUDIO_H

#include <stdbool.h>
#include <stdint.h>

#include "cue_tones.h"

typedef struct Audio Audio;

Audio *audio_create(void);          /* never NULL unless out of memory; may have no device */
void audio_destroy(Audio *audio);
bool audio_has_device(const Audio *audio);
void audio_set_muted(Audio *audio, bool muted);
bool audio_muted(const Audio *audio);
void audio_set_volume(Audio *audio, float volume); /* 0..1 */
/* Queues the tone for a cue whose boundary is at clock_ms on the app's clock (SDL_GetTicks64). */
void audio_play_cue(Audio *audio, CueKind kind, int64_t clock_ms);
/* Drops queued tones (leaving a routine, pausing). */
void audio_cancel(Audio *audio);
/* Opens the device while a routine may cue and closes it otherwise: an open device wakes its thread
 * for every buffer, even paused, and a still screen must cost nothing. Starts inactive; queuing a
 * cue activates it. */
void audio_set_active(Audio *audio, bool active);

#endif
