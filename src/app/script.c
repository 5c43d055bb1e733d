/* script.c: scripted runs (see docs/scripts.md).
 *
 * Headless scripts run on the simulated clock: `wait 5000` takes no real time but steps the app
 * through every deadline in those five seconds, exactly as the real loop would wake. Input is fed as
 * synthetic SDL events through the same path as real ones, so a script exercises the real code.
 */
#include "script.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/screens.h"

bool script_open(App *app, const char *spec)
{
    char ref[256];
    snprintf(ref, sizeof ref, "%s", spec);
    int index = 0;
    char *colon = strrchr(ref, ':');
    if (colon) {
        *colon = '\0';
        char *end = NULL;
        long n = strtol(colon + 1, &end, 10);
        if (!end || *end || n < 1) {
            fprintf(stderr, "blue-align: in --open %s, the number after ':' counts from 1\n", spec);
            return false;
        }
        index = (int)n;
    }
    const PackItem *item = app_find_item(app, ref, NULL);
    if (!item) {
        fprintf(stderr, "blue-align: there is no item \"%s\" in the content (ids are listed by --validate's packs)\n", ref);
        return false;
    }
    app_pop_to_root(app);
    if (item->kind == ITEM_TOPIC)
        app_push(app, topic_screen_create(app, item, index ? index - 1 : 0));
    else
        app_push(app, routine_screen_create(app, item, index ? index - 1 : -1, false));
    app->kiosk_fresh = false; /* an opened item is a visitor's: the kiosk has something to reset */
    return true;
}

void script_wait(App *app, int64_t ms)
{
    if (!app->simulated_clock) {
        int64_t until = app_now(app) + ms;
        while (app_now(app) < until) {
            app_update_and_draw(app);
            int64_t deadline = app_next_deadline(app);
            if (deadline > until)
                deadline = until;
            SDL_Event e;
            int64_t wait = deadline - app_now(app);
            if (SDL_WaitEventTimeout(&e, wait < 0 ? 0 : (int)wait))
                app_handle_sdl_event(app, &e);
        }
        return;
    }
    int64_t until = app->sim_now + ms;
    app_update_and_draw(app);
    while (app->sim_now < until) {
        int64_t deadline = app_next_deadline(app);
        int64_t next = deadline < until ? deadline : until;
        app->sim_now = next > app->sim_now ? next : app->sim_now + 1;
        app_update_and_draw(app);
    }
}

static void window_point(App *app, float x, float y, int *wx, int *wy)
{
    float sx = 1.0f, sy = 1.0f;
    if (app->window) {
        int ww, wh;
        SDL_GetWindowSize(app->window, &ww, &wh);
        sx = ww > 0 ? (float)app->layout.w / (float)ww : 1.0f;
        sy = wh > 0 ? (float)app->layout.h / (float)wh : 1.0f;
    }
    *wx = (int)(x / sx + 0.5f);
    *wy = (int)(y / sy + 0.5f);
}

static void mouse(App *app, Uint32 type, float x, float y)
{
    SDL_Event e = {0};
    int wx, wy;
    window_point(app, x, y, &wx, &wy);
    e.type = type;
    if (type == SDL_MOUSEMOTION) {
        e.motion.x = wx;
        e.motion.y = wy;
        e.motion.state = SDL_BUTTON_LMASK;
    } else {
        e.button.button = SDL_BUTTON_LEFT;
        e.button.x = wx;
        e.button.y = wy;
        e.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
        e.button.clicks = 1;
    }
    app_handle_sdl_event(app, &e);
}

/* A coordinate: pixels, or a percentage of the output's width or height. */
static bool coordinate(const char *word, float full, float *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(word, &end);
    if (end == word || errno)
        return false;
    if (*end == '%' && end[1] == '\0')
        v = v * full / 100.0;
    else if (*end)
        return false;
    *out = (float)v;
    return true;
}

static int fail(const char *path, int line, const char *message, const char *detail)
{
    fprintf(stderr, "%s:%d: %s%s%s\n", path, line, message, detail ? ": " : "", detail ? detail : "");
    return 2;
}

int script_run(App *app, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "blue-align: cannot open the script %s: %s\n", path, strerror(errno));
        return 2;
    }
    char buffer[1024];
    int line_no = 0, status = 0;
    app_update_and_draw(app);
    while (status == 0 && fgets(buffer, sizeof buffer, f)) {
        line_no++;
        buffer[strcspn(buffer, "\r\n")] = '\0';
        char *s = buffer;
        while (isspace((unsigned char)*s))
            s++;
        if (*s == '#' || *s == '\0')
            continue;
        char command[32] = "", a[256] = "", b[256] = "", c[64] = "", d[64] = "", e[64] = "";
        int n = sscanf(s, "%31s %255s %255s %63s %63s %63s", command, a, b, c, d, e);
        const char *rest = s + strlen(command);
        while (isspace((unsigned char)*rest))
            rest++;
        float x1, y1, x2, y2;
        if (strcmp(command, "wait") == 0) {
            char *end = NULL;
            long ms = n >= 2 ? strtol(a, &end, 10) : -1;
            if (n != 2 || *end || ms < 0)
                status = fail(path, line_no, "wait takes milliseconds", s);
            else
                script_wait(app, ms);
        } else if (strcmp(command, "tap") == 0) {
            if (n != 3 || !coordinate(a, (float)app->layout.w, &x1) || !coordinate(b, (float)app->layout.h, &y1)) {
                status = fail(path, line_no, "tap takes X Y (pixels or percentages)", s);
            } else {
                mouse(app, SDL_MOUSEBUTTONDOWN, x1, y1);
                script_wait(app, 80);
                mouse(app, SDL_MOUSEBUTTONUP, x1, y1);
                app_update_and_draw(app);
            }
        } else if (strcmp(command, "swipe") == 0) {
            long ms = n >= 6 ? strtol(e, NULL, 10) : 250;
            if ((n != 5 && n != 6) || !coordinate(a, (float)app->layout.w, &x1) ||
                !coordinate(b, (float)app->layout.h, &y1) || !coordinate(c, (float)app->layout.w, &x2) ||
                !coordinate(d, (float)app->layout.h, &y2) || ms <= 0) {
                status = fail(path, line_no, "swipe takes X1 Y1 X2 Y2 [MILLISECONDS]", s);
            } else {
                mouse(app, SDL_MOUSEBUTTONDOWN, x1, y1);
                for (int i = 1; i <= 8; i++) {
                    script_wait(app, ms / 8);
                    mouse(app, SDL_MOUSEMOTION, x1 + (x2 - x1) * i / 8.0f, y1 + (y2 - y1) * i / 8.0f);
                }
                mouse(app, SDL_MOUSEBUTTONUP, x2, y2);
                app_update_and_draw(app);
            }
        } else if (strcmp(command, "key") == 0) {
            SDL_Keymod mod = KMOD_NONE;
            char *name = a;
            if (strncmp(name, "ctrl+", 5) == 0) {
                mod = KMOD_LCTRL;
                name += 5;
            } else if (strncmp(name, "shift+", 6) == 0) {
                mod = KMOD_LSHIFT;
                name += 6;
            }
            SDL_Keycode key = n == 2 ? SDL_GetKeyFromName(name) : SDLK_UNKNOWN;
            if (key == SDLK_UNKNOWN) {
                status = fail(path, line_no, "unknown key (use SDL key names such as Right, Return, Escape, Space)", s);
            } else {
                SDL_Event ev = {0};
                ev.type = SDL_KEYDOWN;
                ev.key.state = SDL_PRESSED;
                ev.key.keysym.sym = key;
                ev.key.keysym.mod = (Uint16)mod;
                app_handle_sdl_event(app, &ev);
                ev.type = SDL_KEYUP;
                ev.key.state = SDL_RELEASED;
                app_handle_sdl_event(app, &ev);
                app_update_and_draw(app);
            }
        } else if (strcmp(command, "screenshot") == 0) {
            if (n != 2)
                status = fail(path, line_no, "screenshot takes a file name", s);
            else if (!app_save_screenshot(app, a))
                status = 1;
        } else if (strcmp(command, "size") == 0) {
            int w = 0, h = 0;
            if (n != 2 || sscanf(a, "%dx%d", &w, &h) != 2 || w < 320 || h < 240 || w > 7680 || h > 4320)
                status = fail(path, line_no, "size takes WIDTHxHEIGHT, from 320x240 to 7680x4320", s);
            else if (!app_resize(app, w, h))
                status = 1;
            app_update_and_draw(app);
        } else if (strcmp(command, "open") == 0) {
            if (n != 2 || !script_open(app, a))
                status = fail(path, line_no, "open takes an item id, optionally with :SLIDE or :STEP", s);
            app_update_and_draw(app);
        } else if (strcmp(command, "lang") == 0) {
            if (n != 2) {
                status = fail(path, line_no, "lang takes a language code", s);
            } else {
                app_set_language(app, a);
                app_pop_to_root(app);
                Screen *home = app_top(app);
                if (home && home->cls->enter)
                    home->cls->enter(home, app);
            }
        } else if (strcmp(command, "expect") == 0) {
            char shown[512] = "";
            Screen *top = app_top(app);
            if (top && top->cls->describe)
                top->cls->describe(top, app, shown, sizeof shown);
            if (!*rest) {
                status = fail(path, line_no, "expect takes the words the screen's description must contain", s);
            } else if (!strstr(shown, rest)) {
                fprintf(stderr, "%s:%d: expected \"%s\", but the screen is \"%s\"\n", path, line_no, rest, shown);
                status = 1;
            }
        } else if (strcmp(command, "quit") == 0) {
            break;
        } else {
            status = fail(path, line_no, "unknown command (wait, tap, swipe, key, screenshot, size, open, lang, expect, quit)",
                          command);
        }
    }
    fclose(f);
    return status;
}
