/* chrome.h: pieces several screens share: the top bar with its back button, section titles and the
 * vertical scroller used by lists that can grow past the screen. */
#ifndef BA_CHROME_H
#define BA_CHROME_H

#include "ui/widgets.h"

/* Top bar with a back button (icon-less chevron) and a title; returns the bar's height. */
float chrome_top_bar(App *app, HotList *hot, int back_id, const char *back_label, const char *title, bool draw);

/* A favourite star at the right end of the top bar for `item`, when the app keeps a store; returns
 * true when the tap at `id` toggled it. Call with draw to draw, and in input with the activated id. */
void chrome_star(App *app, HotList *hot, int id, const PackItem *item, bool draw);
bool chrome_star_toggle(App *app, int id, int activated, const PackItem *item);

/* Draws a chevron pointing left (dir -1) or right (dir 1) centred in box. */
void chrome_chevron(App *app, SDL_FRect box, int dir, SDL_Color color);

/* A language as a patient looks for it: its own name ("Español"), or its English name where the font
 * cannot show that script. */
const char *chrome_language_label(App *app, const char *code);

/* Vertical scrolling for content taller than its viewport. */
typedef struct {
    float offset;      /* pixels scrolled from the top */
    float content_h;
    float view_h;
    float drag_start;  /* offset when the drag began */
    bool dragging;
} Scroller;

void scroller_clamp(Scroller *s);
/* Feeds drags and the wheel; returns true when the offset changed (the caller redraws). A drag that
 * scrolls is not a tap: callers ignore the tap that follows a scroll. */
bool scroller_input(Scroller *s, App *app, const Input *input);
/* Scrolls just enough to show [top, bottom] (content coordinates). */
void scroller_reveal(Scroller *s, float top, float bottom, float margin);
void scroller_draw_bar(App *app, const Scroller *s, SDL_FRect viewport);

#endif
