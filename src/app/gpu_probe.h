/* gpu_probe.h: whether a window can be drawn by a graphics card, found out without OpenGL.
 *
 * The answer decides between SDL's accelerated renderer and drawing in software into the window's
 * own surface. It must be found without creating an OpenGL context: on a machine with no graphics
 * card that would load Mesa's software rasteriser (and LLVM) only to throw it away.
 */
#ifndef BA_GPU_PROBE_H
#define BA_GPU_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include <SDL.h>

typedef enum {
    RENDERER_AUTO,     /* a graphics card when one is usable, else software */
    RENDERER_SOFTWARE, /* always the window surface */
    RENDERER_GPU,      /* always SDL's accelerated renderer (which may itself be software OpenGL) */
} RendererChoice;

/* Parses "auto", "software" or "gpu"; false for anything else. */
bool gpu_parse_choice(const char *text, RendererChoice *out);

/* True when a graphics card can draw `window`: a DRM render node this process may open and, on X11,
 * an X server offering direct rendering (DRI3 or DRI2; Xvfb, Xvnc and X over ssh offer neither).
 * Otherwise false, with the reason in `why`. */
bool gpu_probe(SDL_Window *window, char *why, size_t size);

#endif
