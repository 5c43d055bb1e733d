/* test_safety_cards.c: the "Before you start" card of every bundled routine, at every text size, in
 * high contrast, at 800x480, 1920x1080 and 480x800 portrait. The people who choose big text are the
 * ones who most need the safety advice, so every point must be readable and reachable: set at or
 * above the readable floor, and either all in view or scrolling, with the last point in view once
 * scrolled to the end. The card says what it shows in its description (see routine.c). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>

#include "app.h"
#include "check.h"
#include "screens/screens.h"
#include "script.h"

static int cards;

static void describe_top(App *app, char *out, size_t size)
{
    Screen *top = app_top(app);
    out[0] = '\0';
    if (top && top->cls->describe)
        top->cls->describe(top, app, out, size);
}

static void key(App *app, SDL_Keycode sym)
{
    SDL_Event e = {0};
    e.type = SDL_KEYDOWN;
    e.key.state = SDL_PRESSED;
    e.key.keysym.sym = sym;
    app_handle_sdl_event(app, &e);
}

static void check_card(App *app, const Pack *pack, const PackItem *item)
{
    char ref[200], shown[400];
    snprintf(ref, sizeof ref, "%s/%s", pack->id, item->id);
    CHECK(script_open(app, ref));
    app_set_dirty(app);
    app_update_and_draw(app);
    describe_top(app, shown, sizeof shown);
    int px = 0, points = 0, first = 0, last = 0;
    char scrolls[16] = "";
    int n = sscanf(strstr(shown, " card ") ? strstr(shown, " card ") : "", " card text=%dpx points=%d showing=%d-%d %15s", &px,
                   &points, &first, &last, scrolls);
    const char *where = app->layout.portrait ? "portrait" : "landscape";
    if (n < 4 || px < app->layout.min_text_px || points != item->caution_count || first != 1 ||
        (last != points && !scrolls[0]))
        fprintf(stderr, "  %s at %dx%d (%s), text %s%s: %s\n", ref, app->layout.w, app->layout.h, where,
                app_text_size_names[app->text_step], app->high_contrast ? ", high contrast" : "", shown);
    CHECK(n >= 4);
    CHECK(px >= app->layout.min_text_px);
    CHECK_INT(points, item->caution_count);
    CHECK_INT(first, 1);
    if (!scrolls[0]) {
        CHECK_INT(last, points); /* all in view */
    } else {
        for (int i = 0; i < 200 && last < points; i++) { /* the keys scroll it, a little at a time */
            key(app, SDLK_DOWN);
            app_update_and_draw(app);
            describe_top(app, shown, sizeof shown);
            sscanf(strstr(shown, " card "), " card text=%dpx points=%d showing=%d-%d", &px, &points, &first, &last);
        }
        CHECK_INT(last, points);
    }
    cards++;
}

static void every_safety_point_should_be_readable_and_reachable(void)
{
    static const char *const content[] = {"content"};
    static const int sizes[3][2] = {{800, 480}, {1920, 1080}, {480, 800}};
    for (int s = 0; s < 3; s++) {
        AppOptions options = {.content_dirs = content, .content_dir_count = 1, .language = "en", .width = sizes[s][0],
                              .height = sizes[s][1], .headless = true};
        App *app = app_create(&options);
        CHECK(app != NULL);
        if (!app)
            continue;
        for (int step = 0; step < APP_TEXT_STEPS; step++) {
            for (int contrast = 0; contrast < 2; contrast++) {
                if (contrast && step != APP_TEXT_STEPS - 1)
                    continue; /* high contrast changes colours, not sizes: the largest text is enough */
                app->text_step = step;
                app->high_contrast = contrast;
                app_apply_settings(app);
                for (int p = 0; p < app->pack_count; p++)
                    for (int i = 0; i < app->packs[p]->item_count; i++)
                        if (app->packs[p]->items[i].kind != ITEM_TOPIC)
                            check_card(app, app->packs[p], &app->packs[p]->items[i]);
            }
        }
        app_destroy(app);
    }
    printf("%d safety cards checked\n", cards);
    CHECK(cards > 100);
}

int main(void)
{
    RUN(every_safety_point_should_be_readable_and_reachable);
    return CHECK_SUMMARY();
}
