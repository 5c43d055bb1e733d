/* pictures.h: pack pictures decoded once at the size they are shown.
 *
 * SVG is rasterised by SDL_image at exactly the size on screen (so it stays crisp at 800x480 and at
 * 3840x2160); PNG and JPEG are decoded once and scaled with a linear filter to that size. Results are
 * kept in an LRU cache bounded in bytes. A picture that cannot be loaded is remembered as broken (not
 * retried every frame) and the caller draws a placeholder with the alt text.
 */
#ifndef BA_PICTURES_H
#define BA_PICTURES_H

#include <stdbool.h>
#include <stddef.h>

#include <SDL.h>

typedef struct PictureCache PictureCache;

PictureCache *pictures_create(SDL_Renderer *renderer, size_t cache_bytes);
void pictures_destroy(PictureCache *cache);

/* The picture at `path`, fitted inside max_w x max_h keeping its proportions (intrinsic size
 * intrinsic_w x intrinsic_h when known, else read from the file). Writes the fitted size to out_w/out_h.
 * Returns NULL when the file cannot be decoded; owned by the cache, valid until the next call. */
SDL_Texture *pictures_get(PictureCache *cache, const char *path, int max_w, int max_h, int *out_w, int *out_h);

/* A white-on-transparent icon SVG (assets/icons/NAME.svg) at size x size, for colour-modulating. */
SDL_Texture *pictures_icon(PictureCache *cache, const char *icons_dir, const char *name, int size);

typedef struct {
    size_t entries, bytes, decodes, hits, failures;
} PictureCacheStats;
PictureCacheStats pictures_stats(const PictureCache *cache);
void pictures_clear(PictureCache *cache);

#endif
