/* screens.h: the app's screens. Each is a ScreenClass (see app.h) with its state behind it. */
#ifndef BA_SCREENS_H
#define BA_SCREENS_H

#include "app.h"

Screen *home_screen_create(App *app);
/* A topic, opened at slide `slide` (0-based, clamped). */
Screen *topic_screen_create(App *app, const PackItem *item, int slide);
/* Where the topic's layout puts the words and the picture of the current slide (for tests). */
SDL_FRect topic_text_box(Screen *topic, App *app);
SDL_FRect topic_picture_box(Screen *topic, App *app);
/* A routine: at its "before you start" card when start_step < 0, otherwise already running from the
 * start of that step (paused, for previews and screenshots when `paused`). */
Screen *routine_screen_create(App *app, const PackItem *item, int start_step, bool paused);
Screen *about_screen_create(App *app);
Screen *settings_screen_create(App *app);
Screen *progress_screen_create(App *app);
Screen *problems_screen_create(App *app);

typedef void (*ConfirmAction)(App *app, void *context);
/* A modal question drawn over the screen below; `on_yes` runs after the overlay is closed. */
Screen *confirm_screen_create(App *app, const char *question, const char *detail, const char *yes, const char *no,
                              ConfirmAction on_yes, void *context);

bool screen_is_overlay(const Screen *screen);

/* Kiosk screens (src/app/screens/kiosk_screens.c). */
Screen *idle_prompt_screen_create(App *app);
Screen *attract_screen_create(App *app);
Screen *pin_screen_create(App *app);
Screen *staff_screen_create(App *app);
/* The PIN pad or the staff menu: the idle timer does not run under them (staff relock does). */
bool screen_is_kiosk_pad(const Screen *screen);

/* Whether this is a routine screen with a routine playing (not paused, not at its card). */
bool routine_screen_is_playing(const Screen *screen);

/* Opens an item the way a tap on its tile does. */
void screens_open_item(App *app, const PackItem *item);

#endif
