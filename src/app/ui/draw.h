/* draw.h: anti-aliased shapes for the UI, drawn as triangles with SDL_RenderGeometry.
 *
 * SDL's own rectangles and lines are one pixel and hard-edged; a calm touch UI needs rounded tiles,
 * soft circles for the breathing pacer and thick rings for progress. Every shape gets a one-pixel
 * feathered edge (alpha falling to 0), which gives smooth edges on every renderer, including the
 * software renderer used for headless screenshots.
 */
#ifndef BA_DRAW_H
#define BA_DRAW_H

#include <SDL.h>
#include <stdbool.h>

void draw_fill_rect(SDL_Renderer *r, SDL_FRect rect, SDL_Color color);
void draw_fill_rounded(SDL_Renderer *r, SDL_FRect rect, float radius, SDL_Color color);
void draw_stroke_rounded(SDL_Renderer *r, SDL_FRect rect, float radius, float thickness, SDL_Color color);
void draw_fill_circle(SDL_Renderer *r, float cx, float cy, float radius, SDL_Color color);
/* An arc of a ring from start to end, in turns (0 = 12 o'clock, clockwise, 1 = full circle). */
void draw_arc(SDL_Renderer *r, float cx, float cy, float radius, float thickness, float start, float end,
              SDL_Color color);
/* A whole ring between two radii, given exactly (draw_arc takes a middle and a thickness). */
void draw_ring(SDL_Renderer *r, float cx, float cy, float inner, float outer, SDL_Color color);
void draw_line(SDL_Renderer *r, float x1, float y1, float x2, float y2, float thickness, SDL_Color color);

/* Declares that `renderer` is a software renderer drawing into `surface` (headless, or the window's
 * own surface without a graphics card), or forgets it when surface is NULL. Discs, rings and arcs are
 * then painted by scanline straight into the surface: solid spans filled at memory speed and only
 * the edge pixels blended. That is several times cheaper than SDL's software triangles, which scan
 * each triangle's whole bounding box, and the breathing shape is drawn up to 30 times a second. */
void draw_bind_surface(SDL_Renderer *renderer, SDL_Surface *surface);

/* A set of pixels as up to DRAW_MASK_SPANS spans [x0, x1) on each row: the part of the breathing
 * shape that changed between two frames, which is a thin ring rather than its whole box. Adding more
 * spans than a row holds widens them instead, so a mask can only grow past what was asked, never
 * miss a pixel. Sized once (it lives in the screen), filled every frame without allocating. */
enum { DRAW_MASK_ROWS = 4320, DRAW_MASK_SPANS = 6 };
typedef struct DrawMask {
    int y0, rows; /* the rows it may hold: y0 .. y0 + rows - 1 */
    int x0, x1;   /* and the columns, x0 .. x1 - 1 */
    Uint8 count[DRAW_MASK_ROWS];
    Sint16 span[DRAW_MASK_ROWS][DRAW_MASK_SPANS][2];
} DrawMask;
void draw_mask_clear(DrawMask *m, SDL_Rect bounds);
void draw_mask_add_rect(DrawMask *m, SDL_Rect rect);
/* The pixels whose centres lie between radii inner and outer of (cx, cy), and with start < end (in
 * turns, as draw_arc) only those of that arc, give or take a pixel. */
void draw_mask_add_ring(DrawMask *m, float cx, float cy, float inner, float outer, float start, float end);
/* Pixels in the mask. */
long draw_mask_area(const DrawMask *m);
/* Rectangles covering the mask, a band of rows at a time, for sending to the display; returns how many
 * (at most max). */
int draw_mask_rects(const DrawMask *m, SDL_Rect *out, int max);
/* While a mask is bound to a renderer, discs, rings and arcs paint only the pixels in it, and
 * draw_fill_mask paints all of them; NULL unbinds. Returns false if, while the mask it replaces was
 * bound, a shape was drawn that cannot keep to a mask (triangles), so the caller must redraw the
 * mask's whole box instead. Text and pictures do not know about masks either: a caller that draws
 * them must put their whole box in the mask. */
bool draw_bind_mask(SDL_Renderer *renderer, const DrawMask *mask);
/* Paints every pixel of the bound mask (within the clip) opaque `color`; false without a mask. */
bool draw_fill_mask(SDL_Renderer *renderer, SDL_Color color);
SDL_Color draw_rgb(unsigned rgb, unsigned char alpha); /* 0xRRGGBB */
SDL_Color draw_mix(SDL_Color a, SDL_Color b, float t); /* a..b, t in 0..1 */

#endif
