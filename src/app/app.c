/* app.c: creating the app, the screen stack, input and the main loop (see app.h).
 *
 * Touch, mouse and keys are reduced here to a handful of Input events, so every screen handles a tap
 * the same way whether it came from a finger, a mouse or a script. Synthetic mouse events from touch
 * (and touch events from the mouse) are switched off so nothing arrives twice.
 */
#include "app.h"
#include "stop_signal.h"

#include <limits.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_image.h>

#include "app_paths.h"
#include "gpu_probe.h"
#include "kiosk.h"
#include "watchdog.h"
#include "screens/screens.h"
#include "text_util.h"
#include "ui/draw.h"

enum { APP_MASK_RECTS = 512 }; /* bands of a masked frame sent to the display */

#define TEXT_CACHE_BYTES (24u * 1024 * 1024)
#define PICTURE_CACHE_BYTES (96u * 1024 * 1024)

/* ---- clock -------------------------------------------------------------------------------------- */

int64_t app_now(const App *app)
{
    return app->simulated_clock ? app->sim_now : (int64_t)SDL_GetTicks64();
}

int64_t app_wall_time(const App *app)
{
    if (!app->simulated_clock)
        return (int64_t)time(NULL);
    return app->wall_at_start + (app->sim_now - 1000) / 1000;
}

void app_set_dirty(App *app)
{
    app->dirty = true;
}

void app_set_dirty_region(App *app, SDL_FRect region)
{
    SDL_Rect r = {(int)region.x - 2, (int)region.y - 2, (int)region.w + 5, (int)region.h + 5};
    if (app->dirty_partial)
        SDL_UnionRect(&app->dirty_rect, &r, &app->dirty_rect);
    else
        app->dirty_rect = r;
    app->dirty_partial = true;
    app->dirty_mask = NULL;
}

void app_set_dirty_mask(App *app, SDL_FRect region, const struct DrawMask *mask)
{
    /* A screen asking again before the frame is drawn rebuilds the same mask from what it last drew. */
    bool alone = !app->dirty_partial || (app->dirty_mask == mask && !app->dirty);
    app_set_dirty_region(app, region);
    app->dirty_mask = alone ? mask : NULL;
}

const SDL_Rect *app_redraw_region(const App *app)
{
    return app->redrawing_part ? &app->dirty_rect : NULL;
}

/* ---- theme and layout --------------------------------------------------------------------------- */

const float app_text_scales[APP_TEXT_STEPS] = {1.0f, 1.2f, 1.4f, 1.65f};
const char *const app_text_size_names[APP_TEXT_STEPS] = {"Standard", "Large", "Larger", "Largest"};

static void make_palette(App *app)
{
    PackTheme theme = {0x1F6FB2, 0xF4F7FA, 0xFFFFFF, 0x1B2733, NULL};
    for (int i = 0; i < app->pack_count; i++) {
        const Pack *p = app->packs[i];
        if (p->has_theme && (!app->clinic_pack || p == app->clinic_pack)) {
            theme = p->theme;
            if (p == app->clinic_pack)
                break;
        }
    }
    Palette *c = &app->palette;
    c->background = draw_rgb(theme.background, 255);
    c->surface = draw_rgb(theme.surface, 255);
    c->text = draw_rgb(theme.text, 255);
    c->muted = draw_mix(c->text, c->surface, 0.38f);
    c->accent = draw_rgb(theme.accent, 255);
    c->accent_text = draw_rgb(0xFFFFFF, 255);
    c->accent_soft = draw_mix(c->accent, c->surface, 0.86f);
    c->line = draw_mix(c->text, c->background, 0.84f);
    c->danger = draw_rgb(0xB3261E, 255);
    c->focus = draw_rgb(0xE8A317, 255);
    if (app->high_contrast) {
        /* Black on white, a deep blue for actions and nothing half-tone: the clinic's colours give way
         * to what a patient with low vision can read. */
        c->background = draw_rgb(0xFFFFFF, 255);
        c->surface = draw_rgb(0xFFFFFF, 255);
        c->text = draw_rgb(0x000000, 255);
        c->muted = draw_rgb(0x1A1A1A, 255);
        c->accent = draw_rgb(0x0B3D91, 255);
        c->accent_text = draw_rgb(0xFFFFFF, 255);
        c->accent_soft = draw_rgb(0xE3EAF6, 255);
        c->line = draw_rgb(0x000000, 255);
        c->danger = draw_rgb(0x8B0000, 255);
        c->focus = draw_rgb(0xC75000, 255);
    }
}

static void make_layout(App *app)
{
    int w = 0, h = 0;
    if (SDL_GetRendererOutputSize(app->renderer, &w, &h) != 0 || w <= 0 || h <= 0) {
        w = app->surface ? app->surface->w : 1280;
        h = app->surface ? app->surface->h : 800;
    }
    Layout *l = &app->layout;
    l->w = w;
    l->h = h;
    l->portrait = h > w;
    int shorter = w < h ? w : h;
    l->unit = shorter / 45.0f;
    if (l->unit < 9.0f)
        l->unit = 9.0f;
    /* The patient's text size scales the words; headings and the big countdown grow less, so a
     * large setting makes reading easier without crowding everything else off the screen. */
    float s = app_text_scales[app->text_step < 0 ? 0 : app->text_step >= APP_TEXT_STEPS ? APP_TEXT_STEPS - 1 : app->text_step];
    float s_big = 1.0f + (s - 1.0f) * 0.5f;
    l->text_px = (int)(l->unit * 1.75f * s + 0.5f);
    l->small_px = (int)(l->unit * 1.4f * s + 0.5f);
    l->heading_px = (int)(l->unit * 2.5f * s_big + 0.5f);
    l->title_px = (int)(l->unit * 3.2f * s_big + 0.5f);
    l->huge_px = (int)(l->unit * 8.0f * s_big + 0.5f);
    /* Output pixels per window point: 2 on a high-DPI screen, so the floor stays the same to the eye. */
    int points_w = 0, points_h = 0;
    if (app->window)
        SDL_GetWindowSize(app->window, &points_w, &points_h);
    float density = points_w > 0 ? (float)w / (float)points_w : 1.0f;
    l->min_text_px = (int)(16.0f * (density > 1.0f ? density : 1.0f) + 0.5f);
    /* 9 mm at the display's density where it is known; otherwise assume a 7-inch 800x480 panel. */
    float dpi = 133.0f;
    if (app->window) {
        float ddpi, hdpi, vdpi;
        int display = SDL_GetWindowDisplayIndex(app->window);
        if (display >= 0 && SDL_GetDisplayDPI(display, &ddpi, &hdpi, &vdpi) == 0 && hdpi > 50.0f)
            dpi = hdpi;
    }
    float nine_mm = dpi * 9.0f / 25.4f;
    l->touch = l->unit * 4.6f;
    if (l->touch < nine_mm)
        l->touch = nine_mm;
    if (l->touch < l->text_px * 2.3f) /* a button always holds a line of its label comfortably */
        l->touch = l->text_px * 2.3f;
    l->margin = l->unit * 2.0f;
}

/* ---- content ------------------------------------------------------------------------------------ */

static void system_language(char *out, size_t size)
{
    snprintf(out, size, "en");
    SDL_Locale *locales = SDL_GetPreferredLocales();
    if (locales && locales[0].language) {
        if (locales[0].country)
            snprintf(out, size, "%s-%s", locales[0].language, locales[0].country);
        else
            snprintf(out, size, "%s", locales[0].language);
    }
    SDL_free(locales);
}

void app_set_language(App *app, const char *language)
{
    if (language && language[0])
        snprintf(app->language, sizeof app->language, "%s", language);
    else
        system_language(app->language, sizeof app->language);
    free(app->packs);
    app->packs = library_select_all(app->library, app->language, &app->pack_count);
    app->clinic_pack = NULL;
    for (int i = 0; i < app->pack_count && !app->clinic_pack; i++)
        if (app->packs[i]->has_clinic)
            app->clinic_pack = app->packs[i];
    make_palette(app);
    app->dirty = true;
}

bool app_item_ref(const App *app, const PackItem *item, char *out, size_t size)
{
    for (int p = 0; p < app->pack_count; p++) {
        const Pack *pack = app->packs[p];
        if (item >= pack->items && item < pack->items + pack->item_count) {
            snprintf(out, size, "%s/%s", pack->id, item->id);
            return true;
        }
    }
    return false;
}

const PackItem *app_find_item(const App *app, const char *ref, const Pack **pack_out)
{
    const char *slash = strchr(ref, '/');
    for (int i = 0; i < app->pack_count; i++) {
        const Pack *p = app->packs[i];
        if (slash && (strncmp(p->id, ref, (size_t)(slash - ref)) != 0 || p->id[slash - ref] != '\0'))
            continue;
        const PackItem *item = pack_find_item(p, slash ? slash + 1 : ref);
        if (item) {
            if (pack_out)
                *pack_out = p;
            return item;
        }
    }
    return NULL;
}

void app_apply_settings(App *app)
{
    make_palette(app);
    make_layout(app);
    if (app->audio) {
        audio_set_muted(app->audio, app->muted);
        audio_set_volume(app->audio, (float)app->volume / 100.0f);
    }
    app->dirty = true;
    if (!app->history || app->options.text_size || app->options.high_contrast)
        return; /* a kiosk keeps nothing, and a preview with --text-size or --high-contrast changes nothing */
    char value[32];
    snprintf(value, sizeof value, "%d", app->text_step);
    history_setting_set(app->history, "text_size", value);
    history_setting_set(app->history, "high_contrast", app->high_contrast ? "1" : "0");
    history_setting_set(app->history, "reduced_motion", app->reduced_motion ? "1" : "0");
    history_setting_set(app->history, "muted", app->muted ? "1" : "0");
    snprintf(value, sizeof value, "%d", app->volume);
    history_setting_set(app->history, "volume", value);
    if (app->pack_count)
        history_setting_set(app->history, "language", app->language);
}

/* The patient's store: their history, favourites and settings, kept between runs. */
static void open_history(App *app)
{
    if (app->options.kiosk || (app->options.headless && !app->options.data_dir))
        return;
    char *dir = app->options.data_dir ? text_dup(app->options.data_dir) : SDL_GetPrefPath("BlueAlign", "PatientGuide");
    if (!dir) {
        SDL_Log("No folder for the history (%s); nothing will be remembered", SDL_GetError());
        return;
    }
    size_t len = strlen(dir);
    char *path = text_printf("%s%shistory.db", dir, len && dir[len - 1] == '/' ? "" : "/");
    HistoryOpenResult result;
    char message[300] = "";
    app->history = path ? history_open(path, &result, message, sizeof message) : NULL;
    if (!app->history) {
        SDL_Log("The history cannot be kept: %s", message);
    } else if (result == HISTORY_RECOVERED) {
        SDL_Log("history: %s", message);
        snprintf(app->history_note, sizeof app->history_note, "%s", message); /* it says what happened and where */
    }
    free(path);
    if (app->options.data_dir)
        free(dir);
    else
        SDL_free(dir);
    if (!app->history)
        return;
    char value[64];
    if (history_setting_get(app->history, "text_size", value, sizeof value))
        app->text_step = SDL_clamp(atoi(value), 0, APP_TEXT_STEPS - 1);
    if (history_setting_get(app->history, "high_contrast", value, sizeof value))
        app->high_contrast = value[0] == '1';
    if (history_setting_get(app->history, "reduced_motion", value, sizeof value))
        app->reduced_motion = value[0] == '1' || app->options.reduced_motion;
    if (history_setting_get(app->history, "muted", value, sizeof value))
        app->muted = value[0] == '1' || app->options.muted;
    if (history_setting_get(app->history, "volume", value, sizeof value))
        app->volume = SDL_clamp(atoi(value), 0, 100);
    /* The "general information" notice is read once per install at home (About keeps it); a kiosk
     * keeps no store, so it shows it once per visitor. */
    if (history_setting_get(app->history, "notice_seen", value, sizeof value))
        app->notice_dismissed = value[0] == '1';
    if (app->options.text_size)
        app->text_step = app->options.text_size - 1;
    if (app->options.high_contrast)
        app->high_contrast = true;
    if (!app->options.language && history_setting_get(app->history, "language", value, sizeof value))
        app_set_language(app, value);
}

/* ---- creation ----------------------------------------------------------------------------------- */

/* Draws in software into the window's surface. The surface changes when the window is resized. */
static bool use_window_surface(App *app)
{
    /* Otherwise SDL may back the window surface with an OpenGL texture, loading the OpenGL this path
     * avoids; without it X11 gets the pixels through shared memory, rectangle by rectangle. Set
     * before the first SDL_GetWindowSurface, which is when SDL reads it. */
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    app->surface = SDL_GetWindowSurface(app->window);
    if (!app->surface) {
        SDL_Log("No window surface: %s", SDL_GetError());
        return false;
    }
    app->renderer = SDL_CreateSoftwareRenderer(app->surface);
    if (!app->renderer) {
        app->surface = NULL;
        return false;
    }
    app->window_surface = true;
    draw_bind_surface(app->renderer, app->surface);
    return true;
}

/* Whether to ask SDL for its accelerated renderer. Without a graphics card, OpenGL is a software
 * rasteriser that repaints and uploads the whole window every frame, and loading it costs start-up
 * time, tens of MiB and its threads; drawing into the window's surface sends only what changed. The
 * decision is made without creating any OpenGL context (src/app/gpu_probe.h). SDL_RENDER_DRIVER, when
 * set, is the user's choice and goes to SDL as it is; --renderer overrides the probe. */
static bool wants_gpu(App *app)
{
    bool gpu = true;
    char why[160] = "";
    if (SDL_getenv("SDL_RENDER_DRIVER"))
        gpu = true;
    else if (app->options.renderer == RENDERER_SOFTWARE)
        gpu = false, snprintf(why, sizeof why, "--renderer software");
    else if (app->options.renderer == RENDERER_AUTO)
        gpu = gpu_probe(app->window, why, sizeof why);
    if (!gpu)
        SDL_Log("Drawing in software into the window: %s", why);
    return gpu;
}

static bool open_output(App *app)
{
    int w = app->options.width > 0 ? app->options.width : 1280;
    int h = app->options.height > 0 ? app->options.height : 800;
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "1");
    if (app->options.headless) {
        app->surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
        if (!app->surface) {
            SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't create a %dx%d surface: %s", w, h, SDL_GetError());
            return false;
        }
        app->renderer = SDL_CreateSoftwareRenderer(app->surface);
        if (!app->renderer) {
            SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't create a software renderer: %s", SDL_GetError());
            return false;
        }
        draw_bind_surface(app->renderer, app->surface);
        return true;
    }
    Uint32 flags = SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI;
    if (app->options.fullscreen || app->options.kiosk)
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    int display = app->options.display;
    if (display < 0 || display >= SDL_GetNumVideoDisplays()) {
        SDL_Log("There is no display %d; using the first", display);
        display = 0;
    }
    int x = (int)SDL_WINDOWPOS_CENTERED_DISPLAY(display), y = x;
    SDL_Rect bounds;
    bool fill = (app->options.fullscreen || app->options.kiosk) && app->options.width <= 0;
    if (fill && SDL_GetDisplayBounds(display, &bounds) == 0) {
        /* Full screen asks the window manager; with none (a bare X server, as a kiosk may run) nothing
         * would resize the window. So it is made the display's own size and place, without a border,
         * and fills the display with or without a window manager or compositor. */
        x = bounds.x;
        y = bounds.y;
        w = bounds.w;
        h = bounds.h;
        flags |= SDL_WINDOW_BORDERLESS;
    }
    app->window = SDL_CreateWindow("Blue Align Patient Guide", x, y, w, h, flags);
    if (!app->window) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't open a window: %s", SDL_GetError());
        return false;
    }
    SDL_SetWindowMinimumSize(app->window, 480, 320);
    if (wants_gpu(app)) {
        app->renderer = SDL_CreateRenderer(app->window, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
        if (!app->renderer)
            SDL_Log("No accelerated renderer (%s); drawing in software into the window", SDL_GetError());
    }
    if (!app->renderer && !use_window_surface(app))
        app->renderer = SDL_CreateRenderer(app->window, -1, SDL_RENDERER_SOFTWARE);
    if (!app->renderer) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't create a renderer: %s", SDL_GetError());
        return false;
    }
    return true;
}

App *app_create(const AppOptions *options)
{
    App *app = calloc(1, sizeof *app);
    char error[256] = "";
    char *bundled = NULL;
    if (!app)
        return NULL;
    app->options = *options;
    app->simulated_clock = options->headless;
    app->sim_now = 1000;
    app->wall_at_start = (int64_t)time(NULL);
    app->watchdog_due = APP_NO_DEADLINE;
    app->reduced_motion = options->reduced_motion;
    app->muted = options->muted;
    app->volume = 65;
    app->text_step = options->text_size > 0 ? options->text_size - 1 : 0;
    app->high_contrast = options->high_contrast;

    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
    SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, options->kiosk ? "0" : "1");
    if (options->kiosk) {
        /* Closing the window (Alt+F4, the window manager's close) must not end a kiosk: without this
         * SDL turns the last window's close into SDL_QUIT. SIGTERM and SIGINT still give SDL_QUIT. */
        SDL_SetHint(SDL_HINT_QUIT_ON_LAST_WINDOW_CLOSE, "0");
    }
    if (options->headless)
        SDL_setenv("SDL_VIDEODRIVER", "dummy", 0);
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't initialise SDL: %s", SDL_GetError());
        goto fail;
    }
    stop_signal_install(); /* after SDL_Init, which installs the handlers it builds on */
    int img_flags = IMG_INIT_PNG | IMG_INIT_JPG;
    if ((IMG_Init(img_flags) & img_flags) != img_flags)
        SDL_Log("SDL_image could not set up every decoder: %s", IMG_GetError());

    const char *const *dirs = options->content_dirs;
    int dir_count = options->content_dir_count;
    if (dir_count == 0) {
        bundled = app_bundled_content_dir();
        if (!bundled) {
            SDL_LogError(SDL_LOG_CATEGORY_APPLICATION,
                         "The bundled content folder cannot be found; give one with --content DIR");
            goto fail;
        }
        dirs = (const char *const *)&bundled;
        dir_count = 1;
    }
    app->library = library_load(dirs, dir_count);
    if (!app->library)
        goto fail;
    for (size_t i = 0; i < app->library->problems.count; i++) {
        char line[1200];
        problem_format(&app->library->problems.items[i], line, sizeof line);
        SDL_Log("content: %s", line);
    }
    app->icons_dir = app_assets_dir("icons");

    if (!open_output(app))
        goto fail;
    SDL_SetRenderDrawBlendMode(app->renderer, SDL_BLENDMODE_BLEND);
    app->text = text_create(app->renderer, TEXT_CACHE_BYTES, error, sizeof error);
    if (!app->text) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't load a font: %s", error);
        goto fail;
    }
    if (!options->headless)
        SDL_Log("Text set in %s", text_font_path(app->text)); /* for staff: About shows patients no file paths */
    app->pictures = pictures_create(app->renderer, PICTURE_CACHE_BYTES);
    app->audio = options->headless ? NULL : audio_create();
    if (app->audio && options->muted)
        audio_set_muted(app->audio, true);
    if (!app->pictures)
        goto fail;

    app_set_language(app, options->language);
    open_history(app);
    make_palette(app);
    make_layout(app);
    if (app->audio) {
        audio_set_muted(app->audio, app->muted);
        audio_set_volume(app->audio, (float)app->volume / 100.0f);
    }
    if (!options->headless) /* staff can update packs while the app runs */
        app->watch = content_watch_create(dirs, dir_count, 2000, app->library);
    app_push(app, home_screen_create(app));
    free(bundled);
    return app;

fail:
    free(bundled);
    app_destroy(app);
    return NULL;
}

void app_destroy(App *app)
{
    if (!app)
        return;
    while (app->depth > 0)
        app_pop(app);
    kiosk_stop(app);
    content_watch_destroy(app->watch);
    history_close(app->history);
    audio_destroy(app->audio);
    pictures_destroy(app->pictures);
    text_destroy(app->text);
    if (app->renderer) {
        draw_bind_surface(app->renderer, NULL);
        SDL_DestroyRenderer(app->renderer);
    }
    if (app->surface && !app->window_surface) /* the window owns its surface */
        SDL_FreeSurface(app->surface);
    if (app->window)
        SDL_DestroyWindow(app->window);
    library_free(app->library);
    free(app->packs);
    free(app->icons_dir);
    free(app);
    IMG_Quit();
    SDL_Quit();
}

/* ---- screens ------------------------------------------------------------------------------------ */

void app_push(App *app, Screen *screen)
{
    if (!screen)
        return;
    if (app->depth == APP_MAX_SCREENS) {
        screen->cls->destroy(screen);
        return;
    }
    app->stack[app->depth++] = screen;
    if (screen->cls->enter)
        screen->cls->enter(screen, app);
    app->dirty = true;
}

void app_pop(App *app)
{
    if (app->depth == 0)
        return;
    Screen *top = app->stack[--app->depth];
    top->cls->destroy(top);
    if (app->depth > 0 && app->stack[app->depth - 1]->cls->enter)
        app->stack[app->depth - 1]->cls->enter(app->stack[app->depth - 1], app);
    app->dirty = true;
}

void app_pop_to_root(App *app)
{
    while (app->depth > 1)
        app_pop(app);
}

void app_replace_root(App *app, Screen *root)
{
    if (!root)
        return; /* out of memory: the old root stays, which is better than none */
    app_pop_to_root(app);
    if (app->depth == 1) {
        app->depth = 0;
        app->stack[0]->cls->destroy(app->stack[0]);
    }
    app_push(app, root);
}

Screen *app_top(App *app)
{
    return app->depth ? app->stack[app->depth - 1] : NULL;
}

int64_t app_next_deadline(App *app)
{
    Screen *top = app_top(app);
    int64_t now = app_now(app);
    int64_t deadline = top && top->cls->next_deadline ? top->cls->next_deadline(top, app, now) : APP_NO_DEADLINE;
    int64_t kiosk = kiosk_next_deadline(app, now);
    deadline = kiosk < deadline ? kiosk : deadline;
    if (app->watchdog_due < deadline)
        deadline = app->watchdog_due;
    return deadline;
}

static void draw_all(App *app)
{
    SDL_Color bg = app->palette.background;
    SDL_SetRenderDrawColor(app->renderer, bg.r, bg.g, bg.b, 255);
    if (app->redrawing_part && app->dirty_mask) {
        draw_fill_mask(app->renderer, bg);
    } else if (app->redrawing_part) {
        /* The background is opaque: without blending the software renderer fills whole rows at once
         * instead of blending every pixel, which cost more than all of the pacer's drawing. */
        SDL_BlendMode mode;
        SDL_GetRenderDrawBlendMode(app->renderer, &mode);
        SDL_SetRenderDrawBlendMode(app->renderer, SDL_BLENDMODE_NONE);
        SDL_RenderFillRect(app->renderer, &app->dirty_rect); /* a clear ignores the clip: all of it */
        SDL_SetRenderDrawBlendMode(app->renderer, mode);
    } else {
        SDL_RenderClear(app->renderer);
    }
    /* An overlay (a confirmation) is drawn over the screen below it. */
    int first = app->depth - 1;
    while (first > 0 && screen_is_overlay(app->stack[first]))
        first--;
    for (int i = first; i >= 0 && i < app->depth; i++)
        app->stack[i]->cls->draw(app->stack[i], app);
    kiosk_draw_overlay(app);
}

/* Swaps in new content, only between screens: at home, or behind the attract loop. Screens deeper in
 * the stack hold pointers into the packs on screen, and a routine in progress must not change under a
 * patient. */
static void swap_content(App *app)
{
    Screen *top = app_top(app);
    bool attract = top && strcmp(top->cls->name, "attract") == 0;
    if (!app->update_waiting || !(app->depth == 1 || (app->depth == 2 && attract)))
        return;
    Library *fresh = content_watch_take(app->watch);
    app->update_waiting = false;
    if (!fresh)
        return;
    if (attract)
        app_pop(app); /* it points into the old packs; it comes back below */
    Library *old = app->library;
    app->library = fresh;
    content_watch_set_current(app->watch, fresh);
    app_set_language(app, app->language);
    pictures_clear(app->pictures); /* a picture may have changed under the same name */
    app->content_generation++;
    Screen *home = app_top(app);
    if (home && home->cls->enter)
        home->cls->enter(home, app);
    library_free_after_merge(old);
    for (size_t i = 0; i < app->library->problems.count; i++) {
        char line[1200];
        problem_format(&app->library->problems.items[i], line, sizeof line);
        SDL_Log("content: %s", line);
    }
    char shown[1024] = "";
    for (int i = 0; i < app->pack_count; i++) {
        size_t used = strlen(shown);
        snprintf(shown + used, sizeof shown - used, "%s%s %s", i ? ", " : "", app->packs[i]->id, app->packs[i]->version);
    }
    SDL_Log("content: now showing %d pack%s: %s", app->pack_count, app->pack_count == 1 ? "" : "s", shown);
    if (attract)
        app_push(app, attract_screen_create(app));
}

/* A partial frame of only the mask's pixels, sent as a few bands of rectangles. False when there is
 * no mask, or something was drawn that could not keep to it (the night dimming, say): then the caller
 * redraws the region whole, over whatever this painted. */
static bool draw_masked_part(App *app)
{
    if (!app->dirty_mask)
        return false;
    draw_bind_mask(app->renderer, app->dirty_mask);
    draw_all(app);
    SDL_RenderFlush(app->renderer);
    bool kept = draw_bind_mask(app->renderer, NULL);
    if (kept && app->window_surface) {
        SDL_Rect rects[APP_MASK_RECTS];
        int n = draw_mask_rects(app->dirty_mask, rects, APP_MASK_RECTS);
        for (int i = 0; i < n; i++)
            SDL_IntersectRect(&rects[i], &app->dirty_rect, &rects[i]);
        if (n > 0)
            SDL_UpdateWindowSurfaceRects(app->window, rects, n);
    }
    return kept;
}

void app_update_and_draw(App *app)
{
    swap_content(app);
    kiosk_update(app, app_now(app));
    Screen *top = app_top(app);
    if (top && top->cls->update)
        top->cls->update(top, app, app_now(app));
    if (app->dirty_partial && !app->dirty && !app->surface)
        app->dirty = true; /* with a graphics card, a whole frame is the simple thing */
    if (app->dirty) {
        app->dirty = false;
        app->dirty_partial = false;
        app->dirty_mask = NULL;
        draw_all(app);
        SDL_RenderPresent(app->renderer);
        if (app->window_surface)
            SDL_UpdateWindowSurface(app->window);
    } else if (app->dirty_partial) {
        app->dirty_partial = false;
        SDL_Rect screen = {0, 0, app->layout.w, app->layout.h};
        if (!SDL_IntersectRect(&app->dirty_rect, &screen, &app->dirty_rect))
            return;
        /* The screens draw only what lies in the region (app_redraw_region), through the clip as a
         * safeguard, and only the region goes to the display. */
        SDL_RenderSetClipRect(app->renderer, &app->dirty_rect);
        app->redrawing_part = true;
        if (!draw_masked_part(app)) {
            app->dirty_mask = NULL;
            draw_all(app);
            SDL_RenderFlush(app->renderer);
            if (app->window_surface)
                SDL_UpdateWindowSurfaceRects(app->window, &app->dirty_rect, 1);
        }
        app->dirty_mask = NULL;
        app->redrawing_part = false;
        SDL_RenderSetClipRect(app->renderer, NULL);
    }
}

/* The window surface is replaced when the window changes size; so are the renderer and the textures
 * made with it. */
static void renew_window_surface(App *app)
{
    text_destroy(app->text);
    pictures_destroy(app->pictures);
    app->text = NULL;
    app->pictures = NULL;
    draw_bind_surface(app->renderer, NULL);
    SDL_DestroyRenderer(app->renderer);
    app->renderer = NULL;
    char error[256];
    if (use_window_surface(app)) {
        SDL_SetRenderDrawBlendMode(app->renderer, SDL_BLENDMODE_BLEND);
        app->text = text_create(app->renderer, TEXT_CACHE_BYTES, error, sizeof error);
        app->pictures = pictures_create(app->renderer, PICTURE_CACHE_BYTES);
    }
    if (!app->renderer || !app->text || !app->pictures) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't draw into the resized window: %s", SDL_GetError());
        app->running = false;
    }
}

bool app_resize(App *app, int w, int h)
{
    if (app->surface && !app->window_surface) {
        SDL_Surface *surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
        if (!surface)
            return false;
        /* Textures belong to the renderer, so both caches go with it. */
        text_destroy(app->text);
        pictures_destroy(app->pictures);
        draw_bind_surface(app->renderer, NULL);
        SDL_DestroyRenderer(app->renderer);
        SDL_FreeSurface(app->surface);
        app->surface = surface;
        app->renderer = SDL_CreateSoftwareRenderer(surface);
        draw_bind_surface(app->renderer, surface);
        char error[256];
        app->text = app->renderer ? text_create(app->renderer, TEXT_CACHE_BYTES, error, sizeof error) : NULL;
        app->pictures = app->renderer ? pictures_create(app->renderer, PICTURE_CACHE_BYTES) : NULL;
        if (!app->renderer || !app->text || !app->pictures)
            return false;
        SDL_SetRenderDrawBlendMode(app->renderer, SDL_BLENDMODE_BLEND);
    } else if (app->window) {
        SDL_SetWindowSize(app->window, w, h);
    }
    make_layout(app);
    app->dirty = true;
    return true;
}

bool app_save_screenshot(App *app, const char *path)
{
    bool ok = false;
    SDL_Surface *shot = NULL;
    app->dirty = true;
    Screen *top = app_top(app);
    if (top && top->cls->update)
        top->cls->update(top, app, app_now(app));
    app->dirty = false;
    draw_all(app);
    SDL_RenderFlush(app->renderer);
    if (app->surface && !app->window_surface) {
        shot = app->surface;
    } else if (app->surface) {
        shot = SDL_ConvertSurfaceFormat(app->surface, SDL_PIXELFORMAT_ARGB8888, 0);
        if (!shot)
            goto done;
    } else {
        shot = SDL_CreateRGBSurfaceWithFormat(0, app->layout.w, app->layout.h, 32, SDL_PIXELFORMAT_ARGB8888);
        if (!shot || SDL_RenderReadPixels(app->renderer, NULL, SDL_PIXELFORMAT_ARGB8888, shot->pixels, shot->pitch) != 0) {
            SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't read the screen: %s", SDL_GetError());
            goto done;
        }
    }
    if (IMG_SavePNG(shot, path) != 0) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't save %s: %s", path, IMG_GetError());
        goto done;
    }
    ok = true;
done:
    if (shot && shot != app->surface)
        SDL_FreeSurface(shot);
    SDL_RenderPresent(app->renderer);
    if (app->window_surface)
        SDL_UpdateWindowSurface(app->window);
    return ok;
}

/* ---- input -------------------------------------------------------------------------------------- */

static void send(App *app, const Input *input)
{
    if (app->kiosk && kiosk_input(app, input, app->input_from_mouse))
        return;
    Screen *top = app_top(app);
    if (top && top->cls->input)
        top->cls->input(top, app, input);
}

static void pointer_down(App *app, float x, float y)
{
    app->pointer_down = true;
    app->press_x = x;
    app->press_y = y;
    app->press_time = app_now(app);
    send(app, &(Input){.type = INPUT_PRESS, .x = x, .y = y});
}

static void pointer_move(App *app, float x, float y)
{
    if (!app->pointer_down)
        return;
    send(app, &(Input){.type = INPUT_DRAG, .x = x, .y = y, .dx = x - app->press_x, .dy = y - app->press_y});
}

static void pointer_up(App *app, float x, float y)
{
    if (!app->pointer_down)
        return;
    app->pointer_down = false;
    float dx = x - app->press_x, dy = y - app->press_y;
    float slop = app->layout.touch * 0.35f;
    Input input = {.x = x, .y = y, .dx = dx, .dy = dy};
    int64_t held = app_now(app) - app->press_time;
    if (dx * dx + dy * dy <= slop * slop) {
        input.type = INPUT_TAP;
        input.x = app->press_x;
        input.y = app->press_y;
    } else if (SDL_fabsf(dx) > app->layout.touch && SDL_fabsf(dx) > 1.5f * SDL_fabsf(dy) && held < 900) {
        input.type = INPUT_SWIPE;
    } else {
        input.type = INPUT_RELEASE;
    }
    send(app, &input);
}

/* 0-9 for a digit key (main row or keypad), else -1. */
static int key_digit(SDL_Keycode sym)
{
    if (sym >= SDLK_0 && sym <= SDLK_9)
        return (int)(sym - SDLK_0);
    if (sym == SDLK_KP_0)
        return 0;
    if (sym >= SDLK_KP_1 && sym <= SDLK_KP_9)
        return (int)(sym - SDLK_KP_1) + 1;
    return -1;
}

static KeyAction key_action(const SDL_KeyboardEvent *key)
{
    bool shift = (key->keysym.mod & KMOD_SHIFT) != 0;
    switch (key->keysym.sym) {
    case SDLK_LEFT: return KEY_LEFT;
    case SDLK_RIGHT: return KEY_RIGHT;
    case SDLK_UP: return KEY_UP;
    case SDLK_DOWN: return KEY_DOWN;
    case SDLK_RETURN:
    case SDLK_KP_ENTER: return KEY_ACTIVATE;
    case SDLK_ESCAPE:
    case SDLK_BACKSPACE:
    case SDLK_AC_BACK: return KEY_BACK;
    case SDLK_SPACE: return KEY_PAUSE;
    case SDLK_m: return KEY_MUTE;
    case SDLK_HOME: return KEY_HOME;
    case SDLK_END: return KEY_END;
    case SDLK_PAGEUP: return KEY_PAGE_UP;
    case SDLK_PAGEDOWN: return KEY_PAGE_DOWN;
    case SDLK_TAB: return shift ? KEY_SHIFT_TAB : KEY_TAB;
    default: return key_digit(key->keysym.sym) >= 0 ? KEY_DIGIT : KEY_NONE;
    }
}

void app_handle_sdl_event(App *app, const SDL_Event *e)
{
    float scale_x = 1.0f, scale_y = 1.0f;
    if (app->window) {
        /* Mouse coordinates are in window points; drawing is in output pixels (high-DPI). */
        int ww, wh;
        SDL_GetWindowSize(app->window, &ww, &wh);
        if (ww > 0 && wh > 0) {
            scale_x = (float)app->layout.w / (float)ww;
            scale_y = (float)app->layout.h / (float)wh;
        }
    }
    app->input_from_mouse = e->type == SDL_MOUSEMOTION || e->type == SDL_MOUSEBUTTONDOWN || e->type == SDL_MOUSEBUTTONUP ||
                            e->type == SDL_MOUSEWHEEL;
    switch (e->type) {
    case SDL_QUIT:
        /* In a kiosk this comes only from SIGTERM or SIGINT (window close is switched off): a service
         * manager stopping the app, which ends cleanly with status 0. */
        if (app->kiosk)
            SDL_Log("kiosk: asked to stop; ending cleanly");
        app->running = false;
        break;
    case SDL_WINDOWEVENT:
        if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED || e->window.event == SDL_WINDOWEVENT_RESIZED) {
            if (app->window_surface)
                renew_window_surface(app);
            make_layout(app);
            app->dirty = true;
        } else if (e->window.event == SDL_WINDOWEVENT_EXPOSED || e->window.event == SDL_WINDOWEVENT_SHOWN) {
            app->dirty = true;
        }
        break;
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.which != SDL_TOUCH_MOUSEID && e->button.button == SDL_BUTTON_LEFT)
            pointer_down(app, e->button.x * scale_x, e->button.y * scale_y);
        break;
    case SDL_MOUSEMOTION:
        if (e->motion.which != SDL_TOUCH_MOUSEID)
            pointer_move(app, e->motion.x * scale_x, e->motion.y * scale_y);
        break;
    case SDL_MOUSEBUTTONUP:
        if (e->button.which != SDL_TOUCH_MOUSEID && e->button.button == SDL_BUTTON_LEFT)
            pointer_up(app, e->button.x * scale_x, e->button.y * scale_y);
        break;
    case SDL_FINGERDOWN:
        if (!app->finger_active) {
            app->finger_active = true;
            app->finger = e->tfinger.fingerId;
            pointer_down(app, e->tfinger.x * app->layout.w, e->tfinger.y * app->layout.h);
        }
        break;
    case SDL_FINGERMOTION:
        if (app->finger_active && e->tfinger.fingerId == app->finger)
            pointer_move(app, e->tfinger.x * app->layout.w, e->tfinger.y * app->layout.h);
        break;
    case SDL_FINGERUP:
        if (app->finger_active && e->tfinger.fingerId == app->finger) {
            app->finger_active = false;
            pointer_up(app, e->tfinger.x * app->layout.w, e->tfinger.y * app->layout.h);
        }
        break;
    case SDL_MOUSEWHEEL:
        send(app, &(Input){.type = INPUT_SCROLL, .dy = e->wheel.preciseY * app->layout.unit * 6.0f});
        break;
    case SDL_KEYDOWN: {
        KeyAction action = key_action(&e->key);
        if (action == KEY_NONE && e->key.keysym.sym == SDLK_q && (e->key.keysym.mod & KMOD_CTRL))
            app->running = app->kiosk != NULL; /* Ctrl+Q quits, except in a kiosk */
        else if (action != KEY_NONE)
            send(app, &(Input){.type = INPUT_KEY, .key = action, .digit = key_digit(e->key.keysym.sym),
                               .erase = e->key.keysym.sym == SDLK_BACKSPACE});
        break;
    }
    default:
        if (app->watch && e->type == content_watch_event_type)
            app->update_waiting = true;
        break;
    }
}

int app_run(App *app)
{
    app->running = true;
    bool shown = false;
    watchdog_init();
    while (app->running) {
        bool drawing = app->dirty;
        app_update_and_draw(app);
        if (drawing && !shown) {
            shown = true;
            watchdog_ready(); /* systemd: started once the first frame is on screen */
        }
        /* The loop feeds the watchdog itself, so a hang anywhere in it is noticed. */
        app->watchdog_due = watchdog_feed(app_now(app));
        if (drawing && app->options.quit_after_first_frame) {
            SDL_Log("first frame presented %llu ms after SDL started", (unsigned long long)SDL_GetTicks64());
            break;
        }
        int64_t now = app_now(app);
        int64_t deadline = app_next_deadline(app);
        SDL_Event e;
        int got;
        if (deadline == APP_NO_DEADLINE) {
            got = SDL_WaitEvent(&e);
        } else {
            int64_t wait = deadline - now;
            got = SDL_WaitEventTimeout(&e, wait <= 0 ? 0 : wait > INT_MAX ? INT_MAX : (int)wait);
        }
        if (got) {
            app_handle_sdl_event(app, &e);
            while (app->running && SDL_PollEvent(&e))
                app_handle_sdl_event(app, &e);
        }
    }
    watchdog_stopping();
    return 0;
}
