/* test_text_sizes.c: every screen of the bundled content at every text size, and in high contrast,
 * at 800x480 and 1920x1080: no text may be drawn reaching outside the screen (the text system counts
 * any that does), and every screen must still draw its words. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <unistd.h>

#include "app.h"
#include "check.h"
#include "screens/screens.h"
#include "script.h"

static int renders;

static void render_checked(App *app, const char *what)
{
    size_t before = text_overflows(app->text);
    app_set_dirty(app);
    app_update_and_draw(app);
    renders++;
    size_t after = text_overflows(app->text);
    if (after != before) {
        char shown[256] = "";
        Screen *top = app_top(app);
        if (top && top->cls->describe)
            top->cls->describe(top, app, shown, sizeof shown);
        fprintf(stderr, "  text runs off the screen: %s (%s) at %dx%d, text %s%s\n", what, shown, app->layout.w,
                app->layout.h, app_text_size_names[app->text_step], app->high_contrast ? ", high contrast" : "");
    }
    CHECK_INT(after, before);
}

static void every_screen(App *app)
{
    render_checked(app, "home");
    app_push(app, about_screen_create(app));
    render_checked(app, "about");
    app_push(app, problems_screen_create(app));
    render_checked(app, "problems");
    app_pop_to_root(app);
    app_push(app, settings_screen_create(app));
    render_checked(app, "settings");
    app_pop_to_root(app);
    app_push(app, progress_screen_create(app));
    render_checked(app, "progress");
    char ref[200];
    for (int p = 0; p < app->pack_count; p++) {
        const Pack *pack = app->packs[p];
        for (int i = 0; i < pack->item_count; i++) {
            const PackItem *item = &pack->items[i];
            if (item->kind == ITEM_TOPIC) {
                for (int s = 1; s <= item->slide_count; s++) {
                    snprintf(ref, sizeof ref, "%s/%s:%d", pack->id, item->id, s);
                    CHECK(script_open(app, ref));
                    render_checked(app, ref);
                }
            } else {
                snprintf(ref, sizeof ref, "%s/%s", pack->id, item->id);
                CHECK(script_open(app, ref));
                render_checked(app, ref); /* the safety card */
                for (int s = 1; s <= item->step_count; s++) {
                    snprintf(ref, sizeof ref, "%s/%s:%d", pack->id, item->id, s);
                    CHECK(script_open(app, ref));
                    render_checked(app, ref);
                }
            }
        }
    }
}

static void nothing_should_run_off_the_screen_at_any_text_size_or_contrast(void)
{
    static const char *const content[] = {"content"};
    static const int sizes[2][2] = {{800, 480}, {1920, 1080}};
    for (int s = 0; s < 2; s++) {
        char data[64];
        snprintf(data, sizeof data, "/tmp/ba-sizes-XXXXXX");
        CHECK(mkdtemp(data) != NULL);
        AppOptions options = {.content_dirs = content, .content_dir_count = 1, .language = "en", .width = sizes[s][0],
                              .height = sizes[s][1], .headless = true, .data_dir = data};
        App *app = app_create(&options);
        CHECK(app != NULL);
        if (!app)
            continue;
        for (int step = 0; step < APP_TEXT_STEPS; step++) {
            for (int contrast = 0; contrast < 2; contrast++) {
                if (contrast && step != APP_TEXT_STEPS - 1 && step != 0)
                    continue; /* high contrast changes colours, not layout: its ends suffice */
                app->text_step = step;
                app->high_contrast = contrast;
                app_apply_settings(app);
                app_pop_to_root(app);
                every_screen(app);
            }
        }
        app_destroy(app);
        char command[128];
        snprintf(command, sizeof command, "rm -rf %s", data);
        CHECK(system(command) == 0);
    }
    printf("%d screens drawn\n", renders);
}

int main(void)
{
    RUN(nothing_should_run_off_the_screen_at_any_text_size_or_contrast);
    return CHECK_SUMMARY();
}
