/* gpu_probe.c: finding out whether a graphics card can draw the window, without touching OpenGL.
 *
 * Two facts, both cheap and neither loading a GL driver: the kernel exposes a DRM render node
 * (/dev/dri/renderD*) that this process may open, and, under X11, the X server offers direct rendering
 * (the DRI3 or DRI2 extension). Xvfb, Xvnc and X forwarded over ssh offer neither, so there even a
 * machine with a card draws in software. Asking OpenGL instead (its renderer string) would load Mesa,
 * LLVM and their threads into every process on a machine without a card, for nothing.
 */
#define _POSIX_C_SOURCE 200809L
#include "gpu_probe.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <SDL_syswm.h>
#if defined(SDL_VIDEO_DRIVER_X11)
#include <X11/Xlib.h>
#endif

bool gpu_parse_choice(const char *text, RendererChoice *out)
{
    static const char *const names[] = {"auto", "software", "gpu"};
    for (int i = 0; i < 3; i++) {
        if (strcmp(text, names[i]) == 0) {
            *out = (RendererChoice)i;
            return true;
        }
    }
    return false;
}

/* True when some /dev/dri/renderD* opens for reading and writing, as a GL driver would open it. */
static bool render_node_usable(void)
{
    bool usable = false;
    DIR *dir = opendir("/dev/dri");
    struct dirent *entry;
    while (dir && !usable && (entry = readdir(dir)) != NULL) {
        if (strncmp(entry->d_name, "renderD", 7) != 0)
            continue;
        char path[300];
        snprintf(path, sizeof path, "/dev/dri/%s", entry->d_name);
        int fd = open(path, O_RDWR | O_CLOEXEC);
        if (fd >= 0) {
            usable = true;
            close(fd);
        }
    }
    if (dir)
        closedir(dir);
    return usable;
}

/* False only when the window is on an X server that offers no direct rendering. */
static bool x_server_renders_directly(SDL_Window *window)
{
    bool direct = true;
#if defined(SDL_VIDEO_DRIVER_X11)
    SDL_SysWMinfo info;
    SDL_VERSION(&info.version);
    if (SDL_GetWindowWMInfo(window, &info) && info.subsystem == SDL_SYSWM_X11 && info.info.x11.display) {
        int opcode, event, error;
        Display *display = info.info.x11.display;
        direct = XQueryExtension(display, "DRI3", &opcode, &event, &error) ||
                 XQueryExtension(display, "DRI2", &opcode, &event, &error);
    }
#else
    (void)window;
#endif
    return direct;
}

bool gpu_probe(SDL_Window *window, char *why, size_t size)
{
    bool present = false;
    if (!render_node_usable())
        snprintf(why, size, "no usable /dev/dri/renderD* device");
    else if (!x_server_renders_directly(window))
        snprintf(why, size, "the X server offers no direct rendering (no DRI3 or DRI2), as Xvfb");
    else
        present = true;
    return present;
}
