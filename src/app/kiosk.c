/* kiosk.c: idle reset, attract loop, night schedule and the hidden way into staff mode (see kiosk.h).
 *
 * The idle timer is the time since the last input. After idle_prompt_s (routine_idle_s while a
 * routine plays, so a slow stretch is not cut short) the "still there?" question appears; if nobody
 * answers within idle_reset_s the guide goes back to the start and the attract loop runs until
 * someone touches the screen. At start and right after a reset the kiosk is "fresh": nothing personal
 * is on screen, so nobody is asked anything; left alone, it just starts the attract loop.
 */
#define _POSIX_C_SOURCE 200809L
#include "kiosk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "screens/screens.h"
#include "text_util.h"
#include "ui/draw.h"

static int minute_of_day(void)
{
    time_t t = time(NULL);
    struct tm local;
    if (!localtime_r(&t, &local))
        return 0;
    return local.tm_hour * 60 + local.tm_min;
}

static int seconds_into_minute(void)
{
    time_t t = time(NULL);
    struct tm local;
    return localtime_r(&t, &local) ? local.tm_sec : 0;
}

void kiosk_start(App *app, KioskSettings *settings, const char *settings_path)
{
    Kiosk *k = calloc(1, sizeof *k);
    if (!k)
        return;
    k->settings = *settings;
    memset(settings, 0, sizeof *settings);
    k->settings_path = text_dup(settings_path);
    k->last_input_ms = app_now(app);
    k->corner_press_ms = -1;
    app->kiosk = k;
    app->kiosk_fresh = true; /* nobody has touched it yet: an untouched start screen asks nobody anything */
    if (!app->options.headless)
        SDL_ShowCursor(SDL_DISABLE); /* a touch screen shows no pointer until a mouse is used */
    k->cursor_shown = false;
}

void kiosk_stop(App *app)
{
    Kiosk *k = app->kiosk;
    if (!k)
        return;
    kiosk_settings_free(&k->settings);
    free(k->settings_path);
    free(k);
    app->kiosk = NULL;
}

static bool in_corner(const App *app, float x, float y)
{
    float side = app->layout.touch * 1.2f;
    return x < side && y < side;
}

bool kiosk_input(App *app, const Input *input, bool from_mouse)
{
    Kiosk *k = app->kiosk;
    if (!k)
        return false;
    int64_t now = app_now(app);
    k->last_input_ms = now;
    app->kiosk_fresh = false;
    if (!app->options.headless && from_mouse != k->cursor_shown) {
        SDL_ShowCursor(from_mouse ? SDL_ENABLE : SDL_DISABLE);
        k->cursor_shown = from_mouse;
    }
    if (input->type == INPUT_PRESS && in_corner(app, input->x, input->y))
        k->corner_press_ms = now;
    else if (input->type != INPUT_PRESS && !(input->type == INPUT_DRAG && input->dx * input->dx + input->dy * input->dy <
                                                                         app->layout.touch * app->layout.touch * 0.1f))
        k->corner_press_ms = -1;
    /* At night the first touch only wakes the screen. */
    if (k->settings.night_mode != NIGHT_OFF && !k->night_woken && kiosk_night_active(&k->settings, minute_of_day())) {
        k->night_woken = true;
        app_set_dirty(app);
        return input->type != INPUT_KEY;
    }
    return false;
}

/* What is showing is read from the screen stack rather than kept in flags, which would go stale when a
 * screen is closed by code (a reset, an update) instead of by a touch. */
static bool top_is(App *app, const char *name)
{
    Screen *top = app_top(app);
    return top && strcmp(top->cls->name, name) == 0;
}

static int idle_limit_s(App *app)
{
    Screen *top = app_top(app);
    return top && routine_screen_is_playing(top) ? app->kiosk->settings.routine_idle_s
                                                  : app->kiosk->settings.idle_prompt_s;
}

/* Whether being left alone leads anywhere: to the question when someone has used the guide, or, on a
 * start screen nobody has touched, to the attract loop (when it is on). */
static bool idle_timer_runs(App *app)
{
    if (top_is(app, "still-there") || top_is(app, "attract") || screen_is_kiosk_pad(app_top(app)))
        return false;
    return !app->kiosk_fresh || app->kiosk->settings.attract_enabled;
}

void kiosk_reset(App *app)
{
    Kiosk *k = app->kiosk;
    app_pop_to_root(app);
    app_set_language(app, k ? k->settings.language : app->options.language);
    app->notice_dismissed = false;
    app->muted = app->options.muted;
    app->reduced_motion = app->options.reduced_motion;
    app->text_step = 0;
    app->high_contrast = false;
    app->volume = 65;
    app_apply_settings(app); /* a kiosk has no store, so nothing of this is kept */
    /* A new home, not the old one re-entered: its scroll position, focus and any half-made gesture go
     * with the visitor. */
    app_replace_root(app, home_screen_create(app));
    app->kiosk_fresh = true;
    if (!k)
        return;
    k->staff = false;
    k->night_woken = false;
    k->resets++;
    k->last_input_ms = app_now(app);
    if (!app->options.headless && k->cursor_shown) {
        SDL_ShowCursor(SDL_DISABLE);
        k->cursor_shown = false;
    }
    SDL_Log("kiosk: back to the start for the next visitor (reset %d)", k->resets);
    if (k->settings.attract_enabled)
        app_push(app, attract_screen_create(app));
}

void kiosk_update(App *app, int64_t now)
{
    Kiosk *k = app->kiosk;
    if (!k)
        return;
    if (k->corner_press_ms >= 0 && app->pointer_down && now - k->corner_press_ms >= KIOSK_CORNER_HOLD_MS) {
        k->corner_press_ms = -1;
        app->pointer_down = false; /* the long press is not also a tap on what lies under it */
        app_push(app, pin_screen_create(app));
        return;
    }
    if (k->staff) {
        if (now - k->last_input_ms >= (int64_t)k->settings.relock_s * 1000) {
            SDL_Log("kiosk: staff mode locked again after %d s without input", k->settings.relock_s);
            k->staff = false;
            app_pop_to_root(app);
        }
        return;
    }
    if (!idle_timer_runs(app) || now - k->last_input_ms < (int64_t)idle_limit_s(app) * 1000)
        return;
    if (app->kiosk_fresh) /* nothing of anyone's on screen: no question, just the attract loop */
        app_push(app, attract_screen_create(app));
    else
        app_push(app, idle_prompt_screen_create(app));
}

int64_t kiosk_next_deadline(App *app, int64_t now)
{
    Kiosk *k = app->kiosk;
    if (!k)
        return APP_NO_DEADLINE;
    int64_t deadline = APP_NO_DEADLINE;
    if (k->corner_press_ms >= 0 && app->pointer_down)
        deadline = k->corner_press_ms + KIOSK_CORNER_HOLD_MS;
    if (k->staff) {
        int64_t relock = k->last_input_ms + (int64_t)k->settings.relock_s * 1000;
        deadline = relock < deadline ? relock : deadline;
    } else if (idle_timer_runs(app)) {
        int64_t idle = k->last_input_ms + (int64_t)idle_limit_s(app) * 1000;
        deadline = idle < deadline ? idle : deadline;
    }
    if (k->settings.night_mode != NIGHT_OFF) {
        int minutes = kiosk_night_next_change(&k->settings, minute_of_day());
        if (minutes > 0) {
            int64_t at = now + ((int64_t)minutes * 60 - seconds_into_minute()) * 1000 + 500;
            deadline = at < deadline ? at : deadline;
        }
    }
    return deadline < now ? now : deadline;
}

void kiosk_draw_overlay(App *app)
{
    Kiosk *k = app->kiosk;
    if (!k || k->settings.night_mode == NIGHT_OFF || k->night_woken || k->staff ||
        !kiosk_night_active(&k->settings, minute_of_day()))
        return;
    int alpha = k->settings.night_mode == NIGHT_BLANK ? 255 : 255 * (100 - k->settings.dim_percent) / 100;
    draw_fill_rect(app->renderer, (SDL_FRect){0, 0, (float)app->layout.w, (float)app->layout.h},
                   (SDL_Color){0, 0, 0, (Uint8)alpha});
}

bool kiosk_pin_allowed(App *app, int64_t now, char *why, size_t size)
{
    Kiosk *k = app->kiosk;
    why[0] = '\0';
    if (!k || !k->settings.pin_hash) {
        snprintf(why, size, "No staff PIN is set. Set one with: blue-align --set-pin SETTINGS_FILE");
        return false;
    }
    if (now < k->locked_until_ms) {
        snprintf(why, size, "Too many wrong PINs. Try again in %lld seconds.",
                 (long long)((k->locked_until_ms - now + 999) / 1000));
        return false;
    }
    return true;
}

bool kiosk_try_pin(App *app, const char *pin, int64_t now)
{
    Kiosk *k = app->kiosk;
    char why[160];
    if (!kiosk_pin_allowed(app, now, why, sizeof why))
        return false;
    if (kiosk_pin_check(k->settings.pin_hash, pin)) {
        k->wrong_pins = 0;
        k->staff = true;
        k->last_input_ms = now;
        SDL_Log("kiosk: staff mode opened");
        return true;
    }
    k->wrong_pins++;
    SDL_Log("kiosk: wrong staff PIN (%d of %d)", k->wrong_pins, k->settings.lockout_attempts);
    if (k->wrong_pins >= k->settings.lockout_attempts) {
        k->wrong_pins = 0;
        k->locked_until_ms = now + (int64_t)k->settings.lockout_s * 1000;
        SDL_Log("kiosk: staff access locked for %d s", k->settings.lockout_s);
    }
    return false;
}
