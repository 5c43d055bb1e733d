/* widgets.h: what every screen is made of: hit areas with keyboard focus, buttons, cards and the
 * placeholder for a picture that cannot be shown.
 *
 * A screen lays itself out into a HotList each time it draws or handles input (layout is cheap and
 * pure), so hit testing always matches what is on screen. Keyboard focus moves between hit areas
 * spatially with the arrow keys and in order with Tab; Enter activates; the focused one gets a ring.
 */
#ifndef BA_WIDGETS_H
#define BA_WIDGETS_H

#include <stdbool.h>

#include "app.h"

#define HOT_MAX 96

typedef struct {
    SDL_FRect rect;
    int id;
} Hot;

typedef struct {
    Hot items[HOT_MAX];
    int count;
    int focus_id;     /* id of the focused area, -1 for none */
    bool show_focus;  /* only after a key was used: touch users never see a focus ring */
    int pressed_id;   /* area under a finger that is down, -1 for none */
} HotList;

void hot_init(HotList *hot);
void hot_clear(HotList *hot);
void hot_add(HotList *hot, SDL_FRect rect, int id);
int hot_at(const HotList *hot, float x, float y); /* id or -1 */
const Hot *hot_find(const HotList *hot, int id);
/* Moves focus for an arrow key or Tab; returns true when focus moved. Keeps focus valid. */
bool hot_move_focus(HotList *hot, KeyAction key);
/* Handles press/tap/key for activation: returns the id activated, or -1. Marks the app dirty when
 * the visible pressed or focus state changed. */
int hot_handle(HotList *hot, App *app, const Input *input);

typedef enum { BUTTON_PRIMARY, BUTTON_SECONDARY, BUTTON_QUIET, BUTTON_DANGER } ButtonStyle;

/* Draws a button with an optional built-in icon and a label (either may be NULL). */
void ui_button(App *app, const HotList *hot, int id, SDL_FRect rect, const char *icon, const char *label,
               ButtonStyle style);
/* The focus ring around a rect, when this id has visible focus. */
void ui_focus_ring(App *app, const HotList *hot, int id, SDL_FRect rect, float radius);
/* Draws a built-in icon, tinted. */
void ui_icon(App *app, const char *name, SDL_FRect box, SDL_Color color);
/* Draws a picture fitted and centred in `box`, or a tidy placeholder showing `alt`. Returns the rect
 * the picture occupies (for callouts). */
SDL_FRect ui_picture(App *app, const PackPicture *picture, SDL_FRect box);
/* The same, telling in *shown whether the picture itself was drawn (false: the placeholder was), so
 * that what belongs on the picture, such as callouts, is not drawn floating on a placeholder. */
SDL_FRect ui_picture_shown(App *app, const PackPicture *picture, SDL_FRect box, bool *shown);
/* A card: rounded surface with a soft shadow. */
void ui_card(App *app, SDL_FRect rect, float radius);

/* Clips drawing to `r` (intersected with any clip already set) until ui_pop_clip, for scrolling views.
 * Restores what was there before, so a partial redraw's clip survives. */
typedef struct {
    bool had;
    SDL_Rect rect;
} SavedClip;
SavedClip ui_push_clip(App *app, SDL_FRect r);
void ui_pop_clip(App *app, SavedClip saved);

/* Text helpers in the app's palette and sizes. */
TextStyle ui_text_style(App *app, int px, FontWeight weight, SDL_Color color);

#endif
