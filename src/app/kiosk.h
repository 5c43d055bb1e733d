/* kiosk.h: the waiting-room behaviours on top of the app: lock-down, idle reset, the attract loop,
 * the overnight schedule and the way into staff mode.
 *
 * Everything here is driven by the app's clock through deadlines, like the screens: the loop still
 * sleeps until the next thing is due (an idle prompt, the end of a highlight, the night boundary), so
 * an idle kiosk costs nothing between those moments.
 */
#ifndef BA_KIOSK_H
#define BA_KIOSK_H

#include <stdbool.h>
#include <stdint.h>

#include "app.h"
#include "kiosk_settings.h"

#define KIOSK_CORNER_HOLD_MS 3000 /* the hidden gesture: a long press in the top-left corner */

struct Kiosk {
    KioskSettings settings;
    char *settings_path;
    int64_t last_input_ms;
    bool staff;                /* staff mode is open */
    int64_t corner_press_ms;   /* when a press in the corner began, or -1 */
    int wrong_pins;
    int64_t locked_until_ms;   /* no PIN accepted before this */
    bool night_woken;          /* someone touched the screen at night: undimmed until the next reset */
    bool cursor_shown;
    int resets;                /* idle resets so far, for logs and tests */
};

/* Starts kiosk mode for the app: settings, cursor hidden, window close ignored. Takes ownership of
 * the settings. */
void kiosk_start(App *app, KioskSettings *settings, const char *settings_path);
void kiosk_stop(App *app);

/* Called for every input event before the screens see it; returns true when the kiosk consumed it
 * (a touch that only wakes the screen from the attract loop or the night). */
bool kiosk_input(App *app, const Input *input, bool from_mouse);
void kiosk_update(App *app, int64_t now);
int64_t kiosk_next_deadline(App *app, int64_t now);
/* Draws the night dimming over everything else. */
void kiosk_draw_overlay(App *app);

/* Back to the start for the next visitor: every screen closed, language, notice, sound and motion
 * settings back to their defaults, then the attract loop when enabled. */
void kiosk_reset(App *app);

/* Whether a PIN may be tried now; the message to show when not. */
bool kiosk_pin_allowed(App *app, int64_t now, char *why, size_t size);
/* Checks a PIN, counting wrong ones and locking out after too many. */
bool kiosk_try_pin(App *app, const char *pin, int64_t now);

#endif
