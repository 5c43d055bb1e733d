/* script.c: scripted runs (see docs/scripts.md).
 *
 * Headless scripts run on the simulated clock: `wait 5000` takes no real time but steps the app
 * through every deadline in those five seconds, exactly as the real loop would wake. Input is fed as
 * synthetic SDL events through the same path as real ones, so a script exercises the real code. Each
 * line is parsed by script_parse.c, which knows nothing of SDL; this file only runs the commands.
 */
#include "script.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/screens.h"
#include "script_parse.h"

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

static int fail(const char *path, int line, const char *message, const char *detail)
{
    fprintf(stderr, "%s:%d: %s%s%s\n", path, line, message, detail ? ": " : "", detail ? detail : "");
    return 2;
}

static void run_key(App *app, const ScriptCommand *cmd)
{
    SDL_Event ev = {0};
    ev.type = SDL_KEYDOWN;
    ev.key.state = SDL_PRESSED;
    ev.key.keysym.sym = SDL_GetKeyFromName(cmd->word);
    ev.key.keysym.mod = (Uint16)(cmd->mod == SCRIPT_MOD_CTRL ? KMOD_LCTRL : cmd->mod == SCRIPT_MOD_SHIFT ? KMOD_LSHIFT : KMOD_NONE);
    app_handle_sdl_event(app, &ev);
    ev.type = SDL_KEYUP;
    ev.key.state = SDL_RELEASED;
    app_handle_sdl_event(app, &ev);
    app_update_and_draw(app);
}

static void run_swipe(App *app, const ScriptCommand *cmd)
{
    float x1 = script_coord_pixels(cmd->x1, (float)app->layout.w), y1 = script_coord_pixels(cmd->y1, (float)app->layout.h);
    float x2 = script_coord_pixels(cmd->x2, (float)app->layout.w), y2 = script_coord_pixels(cmd->y2, (float)app->layout.h);
    mouse(app, SDL_MOUSEBUTTONDOWN, x1, y1);
    for (int i = 1; i <= 8; i++) {
        script_wait(app, cmd->ms / 8);
        mouse(app, SDL_MOUSEMOTION, x1 + (x2 - x1) * i / 8.0f, y1 + (y2 - y1) * i / 8.0f);
    }
    mouse(app, SDL_MOUSEBUTTONUP, x2, y2);
    app_update_and_draw(app);
}

static int run_expect(App *app, const ScriptCommand *cmd, const char *path, int line_no)
{
    char shown[512] = "";
    Screen *top = app_top(app);
    if (top && top->cls->describe)
        top->cls->describe(top, app, shown, sizeof shown);
    if (strstr(shown, cmd->rest))
        return 0;
    fprintf(stderr, "%s:%d: expected \"%s\", but the screen is \"%s\"\n", path, line_no, cmd->rest, shown);
    return 1;
}

/* Runs one parsed command: 0 to go on, 1 when an expectation failed, 2 when the line cannot run. */
static int run_command(App *app, const ScriptCommand *cmd, const char *path, int line_no)
{
    int status = 0;
    float x = script_coord_pixels(cmd->x1, (float)app->layout.w), y = script_coord_pixels(cmd->y1, (float)app->layout.h);
    switch (cmd->verb) {
    case SCRIPT_WAIT:
        script_wait(app, cmd->ms);
        break;
    case SCRIPT_TAP:
        mouse(app, SDL_MOUSEBUTTONDOWN, x, y);
        script_wait(app, 80);
        mouse(app, SDL_MOUSEBUTTONUP, x, y);
        app_update_and_draw(app);
        break;
    case SCRIPT_SWIPE:
        run_swipe(app, cmd);
        break;
    case SCRIPT_KEY:
        if (SDL_GetKeyFromName(cmd->word) == SDLK_UNKNOWN)
            status = fail(path, line_no, "unknown key (use SDL key names such as Right, Return, Escape, Space)", cmd->shown);
        else
            run_key(app, cmd);
        break;
    case SCRIPT_SCREENSHOT:
        status = app_save_screenshot(app, cmd->word) ? 0 : 1;
        break;
    case SCRIPT_SIZE:
        status = app_resize(app, cmd->width, cmd->height) ? 0 : 1;
        app_update_and_draw(app);
        break;
    case SCRIPT_OPEN:
        if (!script_open(app, cmd->word))
            status = fail(path, line_no, "open takes an item id, optionally with :SLIDE or :STEP", cmd->shown);
        app_update_and_draw(app);
        break;
    case SCRIPT_LANG: {
        app_set_language(app, cmd->word);
        app_pop_to_root(app);
        Screen *home = app_top(app);
        if (home && home->cls->enter)
            home->cls->enter(home, app);
        break;
    }
    case SCRIPT_EXPECT:
        status = run_expect(app, cmd, path, line_no);
        break;
    case SCRIPT_NOTHING:
    case SCRIPT_QUIT:
        break;
    }
    return status;
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
        ScriptCommand cmd;
        const char *why = NULL, *detail = NULL;
        if (!script_parse_line(buffer, &cmd, &why, &detail))
            status = fail(path, line_no, why, detail);
        else if (cmd.verb == SCRIPT_QUIT)
            break;
        else
            status = run_command(app, &cmd, path, line_no);
    }
    fclose(f);
    return status;
}
