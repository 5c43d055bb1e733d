/* text.h: fonts from fontconfig, word-wrapped text, and a bounded cache of rendered lines.
 *
 * The font comes from a Debian fonts package found through fontconfig (never from a pack). Text is
 * wrapped at word boundaries to a width in pixels; a word wider than the width is broken between
 * characters, so nothing ever overflows its box. Each rendered line becomes a texture once and is reused
 * from an LRU cache bounded in bytes, so a static screen redraws without touching SDL_ttf.
 */
#ifndef BA_TEXT_H
#define BA_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include <SDL.h>

typedef struct TextSystem TextSystem;

typedef enum { WEIGHT_REGULAR, WEIGHT_BOLD } FontWeight;
typedef enum { ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT } TextAlign;

typedef struct {
    int px;            /* font size in pixels (SDL_ttf point size at 72 dpi) */
    FontWeight weight;
    SDL_Color color;
    TextAlign align;
    int max_lines;     /* 0: as many as needed; otherwise the last shown line ends with an ellipsis */
    float line_spacing; /* multiple of the font's line height; 0 means 1.25 */
} TextStyle;

typedef struct {
    int lines;       /* lines laid out (after max_lines) */
    int width;       /* widest line, pixels */
    int height;      /* lines * line height */
    bool truncated;  /* max_lines cut the text */
} TextMetrics;

/* Finds the fonts and prepares the cache. On failure returns NULL and writes why into `error`. */
TextSystem *text_create(SDL_Renderer *renderer, size_t cache_bytes, char *error, size_t error_size);
void text_destroy(TextSystem *text);

/* Path of the regular font in use, for the about screen and logs. */
const char *text_font_path(const TextSystem *text);

/* Lays out `utf8` within `max_width` pixels without drawing. */
TextMetrics text_measure(TextSystem *text, const char *utf8, const TextStyle *style, int max_width);

/* Draws `utf8` wrapped within `max_width`, the first line's top at (x, y); ALIGN_CENTER and ALIGN_RIGHT
 * align each line within max_width. Returns what was drawn. */
TextMetrics text_draw(TextSystem *text, const char *utf8, const TextStyle *style, int x, int y, int max_width);

/* Height in pixels of one line at this style. */
int text_line_height(TextSystem *text, const TextStyle *style);

/* Cache figures, for the benchmark and the soak test. */
typedef struct {
    size_t entries, bytes, hits, misses;
} TextCacheStats;
TextCacheStats text_cache_stats(const TextSystem *text);

/* How many texts were drawn reaching outside the output since the start: every screen must keep its
 * words on the screen at every text size, and the tests check this stays 0. */
size_t text_overflows(const TextSystem *text);

/* True when the font has a glyph for every character of `utf8`, so it will not draw as empty boxes. */
bool text_can_show(TextSystem *text, const char *utf8);

/* Drops every cached texture (after the renderer's output size changed a lot, or at idle reset). */
void text_cache_clear(TextSystem *text);

#endif
