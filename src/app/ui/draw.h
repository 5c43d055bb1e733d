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

void draw_fill_rect(SDL_Renderer *r, SDL_FRect rect, SDL_Color color);
void draw_fill_rounded(SDL_Renderer *r, SDL_FRect rect, float radius, SDL_Color color);
void draw_stroke_rounded(SDL_Renderer *r, SDL_FRect rect, float radius, float thickness, SDL_Color color);
void draw_fill_circle(SDL_Renderer *r, float cx, float cy, float radius, SDL_Color color);
/* An arc of a ring from start to end, in turns (0 = 12 o'clock, clockwise, 1 = full circle). */
void draw_arc(SDL_Renderer *r, float cx, float cy, float radius, float thickness, float start, float end,
              SDL_Color color);
void draw_line(SDL_Renderer *r, float x1, float y1, float x2, float y2, float thickness, SDL_Color color);

/* Declares that `renderer` is a software renderer drawing into `surface` (headless, or the window's
 * own surface without a graphics card), or forgets it when surface is NULL. Discs and full rings are
 * then painted by scanline straight into the surface: solid spans filled at memory speed and only
 * the edge pixels blended. That is several times cheaper than SDL's software triangles, which scan
 * each triangle's whole bounding box, and the breathing shape is drawn up to 30 times a second. */
void draw_bind_surface(SDL_Renderer *renderer, SDL_Surface *surface);

SDL_Color draw_rgb(unsigned rgb, unsigned char alpha); /* 0xRRGGBB */
SDL_Color draw_mix(SDL_Color a, SDL_Color b, float t); /* a..b, t in 0..1 */

#endif
