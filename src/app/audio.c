/* audio.c: the SDL audio device playing the cue tones.
 *
 * The callback owns the stream's sample clock: it renders the ToneMixer at `samples_rendered` and
 * moves it on. To place a cue on the sample of its boundary, the first callback notes which clock
 * time (SDL_GetTicks64, plus one device buffer of latency) its first sample will be heard at; from
 * that anchor every clock time maps to a sample with integer arithmetic (tones_sample_at). The
 * mixer, the counter and the anchor are shared with the callback's thread, so they are only touched
 * under SDL_LockAudioDevice. With no device every function still works and does nothing audible.
 */
#include "audio.h"

#include <SDL.h>
#include <stdlib.h>

#define WANTED_RATE 48000
#define WANTED_BUFFER 1024 /* samples: about 21 ms at 48000 Hz, short enough for cues to feel prompt */

struct Audio {
    SDL_AudioDeviceID device; /* 0 when there is none: silent */
    bool subsystem;           /* SDL_INIT_AUDIO was initialised here and is quit in destroy */
    int sample_rate;          /* what the device gave */
    int64_t buffer_ms;        /* one device buffer: from rendering a sample to hearing it, roughly */
    int64_t slack_samples;    /* how far the stream may wander from the anchor before re-anchoring */

    /* Shared with the callback; under the device lock. */
    bool muted;
    float volume;
    ToneMixer mixer;
    int64_t samples_rendered; /* the next sample the callback renders */
    bool anchored;
    bool active;              /* a routine wants sound (audio_set_active) */
    bool failed_once;         /* opening failed: said once in the log, not again */
    int64_t anchor_ms;        /* sample anchor_sample is heard at clock anchor_ms */
    int64_t anchor_sample;
};

static void SDLCALL audio_callback(void *userdata, Uint8 *stream, int len)
{
    Audio *audio = userdata;
    float *out = (float *)(void *)stream; /* SDL converts to the AUDIO_F32SYS mono we asked for */
    int frames = len / (int)sizeof(float);

    /* The first sample of this buffer is heard once the buffer ahead of it has played. Anchor on the
     * first callback. Afterwards the sound card's crystal and the system clock drift apart (tens of
     * ppm), and a stalled device stops the stream while the clock goes on, so re-anchor when the
     * stream has wandered further than callback jitter explains. */
    int64_t heard_at = (int64_t)SDL_GetTicks64() + audio->buffer_ms;
    if (audio->anchored) {
        int64_t expected = tones_sample_at(heard_at, audio->anchor_ms, audio->anchor_sample,
                                           audio->sample_rate);
        int64_t wander = audio->samples_rendered - expected;
        if (wander > audio->slack_samples || wander < -audio->slack_samples)
            audio->anchored = false;
    }
    if (!audio->anchored) {
        audio->anchor_ms = heard_at;
        audio->anchor_sample = audio->samples_rendered;
        audio->anchored = true;
    }

    SDL_memset(stream, 0, (size_t)len);
    /* Rendered even when muted, at volume 0, so that finished tones still leave the mixer. */
    tones_render(&audio->mixer, audio->samples_rendered, out, frames, audio->muted ? 0.0f : audio->volume);
    audio->samples_rendered += frames;
}

/* Opens the default output. Only while a routine plays: an open device wakes its thread for every
 * buffer even when paused, and a still screen must cost nothing. */
static bool open_device(Audio *audio)
{
    SDL_AudioSpec want, have;
    SDL_zero(want);
    SDL_zero(have);
    want.freq = WANTED_RATE;
    want.format = AUDIO_F32SYS;
    want.channels = 1;
    want.samples = WANTED_BUFFER;
    want.callback = audio_callback;
    want.userdata = audio;
    /* Another rate is fine (tone_for_cue takes it); format and channels SDL converts for us. */
    audio->device = SDL_OpenAudioDevice(NULL, 0, &want, &have, SDL_AUDIO_ALLOW_FREQUENCY_CHANGE);
    if (audio->device == 0) {
        if (!audio->failed_once)
            SDL_Log("No sound: couldn't open an audio device: %s", SDL_GetError());
        audio->failed_once = true;
        return false;
    }
    if (have.freq <= 0 || have.samples == 0) {
        SDL_Log("No sound: the audio device reported %d Hz, %d samples", have.freq, (int)have.samples);
        SDL_CloseAudioDevice(audio->device);
        audio->device = 0;
        audio->failed_once = true;
        return false;
    }
    audio->sample_rate = have.freq;
    audio->buffer_ms = (int64_t)have.samples * 1000 / have.freq;
    /* Callbacks can come in bursts of two or three buffers; 50 ms is below what a patient notices. */
    audio->slack_samples = 3 * (int64_t)have.samples;
    if (audio->slack_samples < (int64_t)have.freq / 20)
        audio->slack_samples = (int64_t)have.freq / 20;
    audio->anchored = false; /* the first callback anchors the new stream */
    SDL_PauseAudioDevice(audio->device, 0);
    return true;
}

Audio *audio_create(void)
{
    Audio *audio = calloc(1, sizeof *audio);
    if (!audio)
        return NULL;
    audio->volume = 1.0f;
    audio->sample_rate = WANTED_RATE;
    tones_clear(&audio->mixer);
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        SDL_Log("No sound: couldn't start SDL audio: %s", SDL_GetError());
        return audio;
    }
    audio->subsystem = true;
    return audio;
}

void audio_destroy(Audio *audio)
{
    if (!audio)
        return;
    if (audio->device)
        SDL_CloseAudioDevice(audio->device); /* waits for the callback to return */
    if (audio->subsystem)
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
    free(audio);
}

bool audio_has_device(const Audio *audio)
{
    return audio && audio->subsystem && !audio->failed_once;
}

void audio_set_muted(Audio *audio, bool muted)
{
    if (!audio)
        return;
    if (audio->device)
        SDL_LockAudioDevice(audio->device);
    audio->muted = muted;
    if (audio->device)
        SDL_UnlockAudioDevice(audio->device);
}

bool audio_muted(const Audio *audio)
{
    return audio && audio->muted; /* written only by this thread */
}

void audio_set_volume(Audio *audio, float volume)
{
    if (!audio)
        return;
    if (!(volume >= 0.0f)) /* also NaN */
        volume = 0.0f;
    if (volume > 1.0f)
        volume = 1.0f;
    if (audio->device)
        SDL_LockAudioDevice(audio->device);
    audio->volume = volume;
    if (audio->device)
        SDL_UnlockAudioDevice(audio->device);
}

void audio_play_cue(Audio *audio, CueKind kind, int64_t clock_ms)
{
    if (audio && !audio->device)
        audio_set_active(audio, true);
    if (!audio || !audio->device || kind == CUE_NONE)
        return; /* silent: nothing is queued, so nothing grows */
    SDL_LockAudioDevice(audio->device);
    /* The earliest sample that can still change is the next one rendered: a cue whose sample has
     * gone by (or, before the first callback, any cue) starts there, at once. It is queued exactly
     * once either way; the scheduler gives each cue once. */
    int64_t start = audio->samples_rendered;
    if (audio->anchored) {
        int64_t at = tones_sample_at(clock_ms, audio->anchor_ms, audio->anchor_sample, audio->sample_rate);
        if (at > start)
            start = at;
    }
    tones_add(&audio->mixer, tone_for_cue(kind, audio->sample_rate, start));
    SDL_UnlockAudioDevice(audio->device);
}

void audio_set_active(Audio *audio, bool active)
{
    if (!audio || !audio->subsystem || audio->active == active)
        return;
    audio->active = active;
    if (active && !audio->device) {
        open_device(audio);
    } else if (!active && audio->device) {
        SDL_CloseAudioDevice(audio->device); /* waits for the callback to return */
        audio->device = 0;
        tones_clear(&audio->mixer);
    }
}

void audio_cancel(Audio *audio)
{
    if (!audio || !audio->device)
        return;
    SDL_LockAudioDevice(audio->device);
    /* Drop the tones that have not begun. One already sounding is left to finish its release:
     * cutting it off mid-wave would click. */
    ToneMixer *mixer = &audio->mixer;
    int kept = 0;
    for (int i = 0; i < mixer->count; i++)
        if (mixer->tones[i].start_sample < audio->samples_rendered)
            mixer->tones[kept++] = mixer->tones[i];
    mixer->count = kept;
    SDL_UnlockAudioDevice(audio->device);
}
