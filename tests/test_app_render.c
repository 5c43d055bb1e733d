/* test_app_render.c: every kind of screen drawn headless at 800x480 and 1920x1080, checked by its
 * pixels: nothing is blank, headings are where the layout puts them, long words wrap inside their box,
 * a missing picture shows its placeholder (and a picture that fails to decode shows it without its
 * callouts), the breathing shape grows, holds and shrinks, and a partial frame (a countdown tick, a
 * step of the shape) redraws only what changed and matches a whole frame. */
#define _XOPEN_SOURCE 700 /* mkdtemp */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SDL_image.h>

#include "app.h"
#include "check.h"
#include "screens/screens.h"
#include "script.h"
#include "ui/draw.h"

static const int sizes[2][2] = {{800, 480}, {1920, 1080}};

static App *make_app(int w, int h, bool reduced_motion)
{
    static const char *const content[] = {"tests/packs/every-feature", "tests/packs/render-cases"};
    AppOptions options = {.content_dirs = content, .content_dir_count = 2, .language = "en", .width = w, .height = h,
                          .headless = true, .reduced_motion = reduced_motion};
    App *app = app_create(&options);
    CHECK(app != NULL);
    return app;
}

static void render(App *app)
{
    app_set_dirty(app);
    app_update_and_draw(app);
    SDL_RenderFlush(app->renderer);
}

static SDL_Color pixel(const App *app, int x, int y)
{
    const SDL_Surface *s = app->surface;
    Uint32 v = ((const Uint32 *)((const Uint8 *)s->pixels + y * s->pitch))[x];
    SDL_Color c;
    SDL_GetRGBA(v, s->format, &c.r, &c.g, &c.b, &c.a);
    return c;
}

static bool near(SDL_Color a, SDL_Color b, int tolerance)
{
    return abs(a.r - b.r) <= tolerance && abs(a.g - b.g) <= tolerance && abs(a.b - b.b) <= tolerance;
}

/* Pixels within `tolerance` of `color` inside the rect (clipped to the surface). */
static int count_in(const App *app, SDL_FRect r, SDL_Color color, int tolerance)
{
    int n = 0;
    int x0 = r.x < 0 ? 0 : (int)r.x, y0 = r.y < 0 ? 0 : (int)r.y;
    int x1 = (int)(r.x + r.w), y1 = (int)(r.y + r.h);
    if (x1 > app->surface->w)
        x1 = app->surface->w;
    if (y1 > app->surface->h)
        y1 = app->surface->h;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
            n += near(pixel(app, x, y), color, tolerance);
    return n;
}

/* Share of the screen that differs from the background. */
static float coverage(const App *app)
{
    int differ = 0, total = 0;
    for (int y = 0; y < app->surface->h; y += 2)
        for (int x = 0; x < app->surface->w; x += 2, total++)
            differ += !near(pixel(app, x, y), app->palette.background, 6);
    return (float)differ / (float)total;
}

static const char *describe(App *app)
{
    static char out[256];
    Screen *top = app_top(app);
    out[0] = '\0';
    if (top && top->cls->describe)
        top->cls->describe(top, app, out, sizeof out);
    return out;
}

static void check_drawn(App *app, const char *what)
{
    render(app);
    float c = coverage(app);
    SDL_FRect all = {0, 0, (float)app->layout.w, (float)app->layout.h};
    int ink = count_in(app, all, app->palette.text, 40);
    if (c < 0.05f || ink < 200)
        fprintf(stderr, "  %s at %dx%d: coverage %.3f, ink %d (%s)\n", what, app->layout.w, app->layout.h, c, ink,
                describe(app));
    CHECK(c >= 0.05f);
    CHECK(ink >= 200);
}

static void every_kind_of_screen_should_draw_text_and_shapes_at_both_sizes(void)
{
    for (int s = 0; s < 2; s++) {
        App *app = make_app(sizes[s][0], sizes[s][1], false);
        if (!app)
            continue;
        check_drawn(app, "home");
        CHECK(strstr(describe(app), "home") != NULL);
        CHECK(script_open(app, "your-spine"));
        check_drawn(app, "topic with picture");
        CHECK(script_open(app, "every-feature/your-spine:2"));
        check_drawn(app, "topic without picture");
        CHECK(script_open(app, "neck-and-shoulders"));
        check_drawn(app, "routine card");
        CHECK(strstr(describe(app), "card") != NULL);
        CHECK(script_open(app, "neck-and-shoulders:1"));
        check_drawn(app, "exercise step");
        CHECK(strstr(describe(app), "work set 1/2 rep 1/8 left") != NULL);
        CHECK(script_open(app, "neck-and-shoulders:2"));
        check_drawn(app, "rest step");
        CHECK(strstr(describe(app), "rest") != NULL);
        CHECK(script_open(app, "calm-breathing:1"));
        check_drawn(app, "breathing");
        CHECK(strstr(describe(app), "breath in cycle 1/6") != NULL);
        CHECK(script_open(app, "short-routine:3"));
        script_wait(app, 60000);
        check_drawn(app, "completion");
        CHECK(strstr(describe(app), "done") != NULL);
        app_pop_to_root(app);
        app_push(app, about_screen_create(app));
        check_drawn(app, "about");
        app_push(app, problems_screen_create(app));
        check_drawn(app, "content problems");
        CHECK(strstr(describe(app), "problems 1") != NULL);
        CHECK(script_open(app, "short-routine:1"));
        app_push(app, confirm_screen_create(app, "Leave this routine?", "detail", "Leave", "Keep going", NULL, NULL));
        check_drawn(app, "confirmation over a routine");
        app_destroy(app);
    }
}

static void the_heading_should_be_at_the_top_of_the_text_box_and_nothing_outside_it(void)
{
    for (int s = 0; s < 2; s++) {
        App *app = make_app(sizes[s][0], sizes[s][1], false);
        if (!app)
            continue;
        CHECK(script_open(app, "your-spine"));
        render(app);
        SDL_FRect box = topic_text_box(app_top(app), app);
        CHECK(box.w > 0 && box.h > 0);
        /* The heading's bold ink is in the box, above its middle. */
        SDL_FRect top_half = {box.x, box.y, box.w, box.h / 2};
        CHECK(count_in(app, top_half, app->palette.text, 40) > 300);
        /* Right of the box, to the screen's margin, there is no text. */
        SDL_FRect right = {box.x + box.w + 2, box.y, app->layout.w - (box.x + box.w) - 4, box.h};
        CHECK_INT(count_in(app, right, app->palette.text, 40), 0);
        app_destroy(app);
    }
}

static void long_words_should_wrap_inside_their_box(void)
{
    for (int s = 0; s < 2; s++) {
        App *app = make_app(sizes[s][0], sizes[s][1], false);
        if (!app)
            continue;
        CHECK(script_open(app, "long-words"));
        render(app);
        SDL_FRect box = topic_text_box(app_top(app), app);
        SDL_FRect left = {0, box.y, box.x - 2, box.h};
        SDL_FRect right = {box.x + box.w + 2, box.y, app->layout.w - (box.x + box.w) - 2, box.h};
        CHECK_INT(count_in(app, left, app->palette.text, 40), 0);
        CHECK_INT(count_in(app, right, app->palette.text, 40), 0);
        /* The 64-letter heading needed more than one line: ink reaches well down the box. */
        int lines_with_ink = 0;
        int band = app->layout.heading_px;
        for (float y = box.y; y + band <= box.y + box.h; y += band)
            lines_with_ink += count_in(app, (SDL_FRect){box.x, y, box.w, (float)band}, app->palette.text, 40) > 20;
        CHECK(lines_with_ink >= 4);
        app_destroy(app);
    }
}

static void a_missing_picture_should_show_a_placeholder_with_its_description(void)
{
    for (int s = 0; s < 2; s++) {
        App *app = make_app(sizes[s][0], sizes[s][1], false);
        if (!app)
            continue;
        CHECK(script_open(app, "missing-picture"));
        render(app);
        SDL_FRect pane = topic_picture_box(app_top(app), app);
        CHECK(pane.w > 0);
        int soft = count_in(app, pane, app->palette.accent_soft, 4);
        CHECK(soft > (int)(pane.w * pane.h * 0.4f)); /* the placeholder's panel fills the pane */
        CHECK(count_in(app, pane, app->palette.text, 40) > 100); /* with the alt text on it */
        SDL_FRect box = topic_text_box(app_top(app), app);
        CHECK(count_in(app, box, app->palette.text, 40) > 300); /* and the slide's words beside it */
        app_destroy(app);
    }
}

/* A pack of one topic whose picture (a plain grey PNG) has two callouts, in a fresh folder. */
static bool write_callout_pack(char *folder, size_t size, char *png_path, size_t png_size)
{
    static const char pack[] =
        "{\"format\": 1, \"id\": \"callouts\", \"title\": \"Callouts\", \"version\": \"1.0\", \"language\": \"en\","
        " \"author\": \"Blue Align Chiropractic\", \"updated\": \"2026-11-01\", \"items\": [{\"id\": \"pointed\","
        " \"type\": \"topic\", \"title\": \"Pointed\", \"slides\": [{\"heading\": \"H\", \"body\": \"b\", \"picture\":"
        " {\"file\": \"grey.png\", \"alt\": \"A grey square\", \"callouts\": [{\"x\": 0.3, \"y\": 0.4, \"label\": \"Here\"},"
        " {\"x\": 0.7, \"y\": 0.6, \"label\": \"There\"}]}}]}]}";
    snprintf(folder, size, "/tmp/ba_test_render_XXXXXX");
    if (!mkdtemp(folder))
        return false;
    char path[512];
    snprintf(path, sizeof path, "%s/callouts", folder);
    snprintf(png_path, png_size, "%s/callouts/grey.png", folder);
    SDL_Surface *grey = SDL_CreateRGBSurfaceWithFormat(0, 64, 64, 32, SDL_PIXELFORMAT_ARGB8888);
    bool ok = grey && mkdir(path, 0700) == 0 && SDL_FillRect(grey, NULL, 0xff808080u) == 0 &&
              IMG_SavePNG(grey, png_path) == 0;
    SDL_FreeSurface(grey);
    snprintf(path, sizeof path, "%s/callouts/pack.json", folder);
    FILE *f = ok ? fopen(path, "wb") : NULL;
    ok = f && fwrite(pack, 1, sizeof pack - 1, f) == sizeof pack - 1;
    if (f)
        ok = fclose(f) == 0 && ok;
    return ok;
}

/* Turns one checksum byte of a PNG, as a copy still being written might leave it. */
static void damage_png(const char *png)
{
    FILE *f = fopen(png, "r+b");
    CHECK(f != NULL);
    if (f) {
        fseek(f, -13, SEEK_END);
        int c = fgetc(f);
        fseek(f, -13, SEEK_END);
        fputc(c ^ 0xff, f);
        fclose(f);
    }
}

/* Pixels of the callout dots' colour on the slide's picture pane, drawn at 800x480; with `damage`, the
 * picture is damaged after the pack was loaded and checked, before it is drawn. */
static int callout_ink(const char *folder, const char *damage)
{
    const char *const content[] = {folder};
    AppOptions options = {.content_dirs = content, .content_dir_count = 1, .language = "en", .width = 800,
                          .height = 480, .headless = true};
    App *app = app_create(&options);
    int ink = -1;
    if (app && script_open(app, "pointed")) {
        if (damage)
            damage_png(damage);
        render(app);
        SDL_FRect pane = topic_picture_box(app_top(app), app);
        ink = count_in(app, pane, app->palette.accent, 4);
        bool placeholder = count_in(app, pane, app->palette.accent_soft, 4) > (int)(pane.w * pane.h * 0.3f);
        CHECK(placeholder == (damage != NULL));
    }
    if (app)
        app_destroy(app);
    return ink;
}

static void a_picture_that_fails_to_decode_should_show_the_placeholder_without_callouts(void)
{
    char folder[64], png[128], path[128];
    CHECK(write_callout_pack(folder, sizeof folder, png, sizeof png));
    CHECK(callout_ink(folder, NULL) > 20); /* the control: callouts drawn on the good picture */
    CHECK_INT(callout_ink(folder, png), 0);

    unlink(png);
    snprintf(path, sizeof path, "%s/callouts/pack.json", folder);
    unlink(path);
    snprintf(path, sizeof path, "%s/callouts", folder);
    rmdir(path);
    rmdir(folder);
}

/* The breathing shape's diameter: the longest horizontal run of the accent colour. (Counting all
 * accent pixels would also count the progress arc round the ring, which grows during a hold.) */
static int pacer_pixels(App *app)
{
    render(app);
    int best = 0;
    for (int y = 0; y < app->surface->h; y++) {
        int run = 0;
        for (int x = 0; x < app->surface->w; x++) {
            run = near(pixel(app, x, y), app->palette.accent, 3) ? run + 1 : 0;
            if (run > best)
                best = run;
        }
    }
    return best;
}

static void the_breathing_shape_should_grow_hold_and_shrink_with_the_phases(void)
{
    App *app = make_app(1280, 800, false);
    if (!app)
        return;
    CHECK(script_open(app, "short-breathing:1"));
    int start = pacer_pixels(app);
    script_wait(app, 2000);
    int middle = pacer_pixels(app);
    script_wait(app, 1990); /* just before the end of the 4 s inhale */
    int full = pacer_pixels(app);
    script_wait(app, 2000); /* holding */
    int held = pacer_pixels(app);
    CHECK(strstr(describe(app), "breath hold") != NULL);
    script_wait(app, 5000); /* 3 s into the 6 s exhale */
    int out = pacer_pixels(app);
    CHECK(strstr(describe(app), "breath out") != NULL);
    CHECK(start < middle);
    CHECK(middle < full);
    CHECK(abs(full - held) <= 2);
    CHECK(out < held);
    CHECK(out > start);
    app_destroy(app);
}

static void reduced_motion_should_keep_the_shape_still_and_fill_a_bar(void)
{
    App *app = make_app(1280, 800, true);
    if (!app)
        return;
    CHECK(script_open(app, "short-breathing:1"));
    int early = pacer_pixels(app);
    script_wait(app, 3000);
    int later = pacer_pixels(app);
    CHECK(later > early); /* the bar fills */
    /* No animation deadlines: the next wake-up is the next whole second, not a frame. */
    int64_t now = app_now(app);
    CHECK(app_next_deadline(app) - now >= 100);
    app_destroy(app);
}

static void a_still_screen_should_ask_for_no_wake_up(void)
{
    App *app = make_app(1280, 800, false);
    if (!app)
        return;
    render(app);
    CHECK(app_next_deadline(app) == APP_NO_DEADLINE);
    CHECK(script_open(app, "your-spine"));
    render(app);
    CHECK(app_next_deadline(app) == APP_NO_DEADLINE);
    CHECK(script_open(app, "neck-and-shoulders"));
    render(app);
    CHECK(app_next_deadline(app) == APP_NO_DEADLINE); /* the safety card waits for the patient */
    app_destroy(app);
}

/* ---- partial redraws ------------------------------------------------------------------------------ */

static SDL_Surface *copy_screen(const App *app)
{
    SDL_Surface *copy = SDL_ConvertSurface(app->surface, app->surface->format, 0);
    CHECK(copy != NULL);
    return copy;
}

/* The smallest box holding every pixel that differs between two pictures of the screen; empty when
 * none does. */
static SDL_Rect changed_box(const SDL_Surface *a, const SDL_Surface *b)
{
    int x0 = a->w, y0 = a->h, x1 = -1, y1 = -1;
    for (int y = 0; y < a->h; y++) {
        const Uint32 *pa = (const Uint32 *)((const Uint8 *)a->pixels + y * a->pitch);
        const Uint32 *pb = (const Uint32 *)((const Uint8 *)b->pixels + y * b->pitch);
        for (int x = 0; x < a->w; x++) {
            if (pa[x] != pb[x]) {
                x0 = x < x0 ? x : x0, x1 = x > x1 ? x : x1;
                y0 = y < y0 ? y : y0, y1 = y > y1 ? y : y1;
            }
        }
    }
    return x1 < 0 ? (SDL_Rect){0, 0, 0, 0} : (SDL_Rect){x0, y0, x1 - x0 + 1, y1 - y0 + 1};
}

static bool inside(SDL_Rect inner, SDL_Rect outer)
{
    return inner.w == 0 || (inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w &&
                            inner.y + inner.h <= outer.y + outer.h);
}

typedef struct {
    bool whole;      /* the screen asked to be redrawn whole */
    bool partial;    /* the screen asked for part of itself only */
    SDL_Rect region; /* that part */
    SDL_Rect changed; /* what changed on screen since the frame before */
    bool complete;   /* the partial frame equals a whole frame drawn at the same moment */
    long masked;     /* pixels of the region actually repainted (app_set_dirty_mask), or -1: all */
} Frame;

/* Lets `ms` pass and draws the next frame as the app would, then checks it against a whole frame. */
static Frame next_frame(App *app, int64_t ms)
{
    Frame f = {0};
    SDL_Surface *before = copy_screen(app);
    app->sim_now += ms;
    Screen *top = app_top(app);
    top->cls->update(top, app, app_now(app));
    f.whole = app->dirty;
    f.partial = app->dirty_partial && !app->dirty;
    f.region = app->dirty_rect;
    f.masked = f.partial && app->dirty_mask ? draw_mask_area(app->dirty_mask) : -1;
    app_update_and_draw(app);
    SDL_RenderFlush(app->renderer);
    SDL_Surface *drawn = copy_screen(app);
    render(app);
    SDL_Surface *whole = copy_screen(app);
    f.changed = changed_box(before, whole);
    f.complete = changed_box(drawn, whole).w == 0;
    SDL_FreeSurface(before);
    SDL_FreeSurface(drawn);
    SDL_FreeSurface(whole);
    return f;
}

static void a_countdown_tick_should_redraw_only_its_digits(void)
{
    App *app = make_app(1280, 800, false);
    if (!app)
        return;
    CHECK(script_open(app, "short-routine:3")); /* a timed step: its seconds count down */
    render(app);
    const char *before = describe(app);
    CHECK(strstr(before, "work") != NULL);
    Frame still = next_frame(app, 400);
    CHECK(!still.whole && !still.partial && still.changed.w == 0); /* within a second nothing changes */
    Frame tick = next_frame(app, 700);
    CHECK(strstr(describe(app), "left 3s") != NULL);
    CHECK(!tick.whole && tick.partial);
    CHECK(tick.complete);
    CHECK(tick.changed.w > 0);
    CHECK(inside(tick.changed, tick.region));
    /* The region is the digits' box: in the words' pane, right of the picture, and not much more than
     * the digits' own pixels (a line of text is taller than its figures). */
    CHECK(tick.region.x > app->layout.w / 2);
    CHECK(tick.region.w * tick.region.h <= 3 * tick.changed.w * tick.changed.h);
    CHECK(tick.region.w * tick.region.h < app->layout.w * app->layout.h / 30);
    app_destroy(app);
}

static void a_breathing_frame_should_redraw_only_the_shape(void)
{
    App *app = make_app(1280, 800, false);
    if (!app)
        return;
    CHECK(script_open(app, "short-breathing:1"));
    render(app);
    SDL_Surface *first = copy_screen(app);
    SDL_Rect shape = {0, 0, 0, 0}, region = {0, 0, 0, 0};
    int partial = 0;
    long masked = 0;
    for (int i = 0; i < 38; i++) { /* through the 4 s inhale */
        Frame f = next_frame(app, 100);
        CHECK(!f.whole);
        if (!f.partial)
            continue; /* the shape waits until its edge has moved 2 px */
        CHECK(f.complete);
        CHECK(inside(f.changed, f.region));
        partial += f.partial;
        region = f.region;
        /* Only the moving edges and the arc's new end are repainted: a thin ring, not the shape's box. */
        CHECK(f.masked > 0 && f.masked < f.region.w * f.region.h / 5);
        masked += f.masked;
        SDL_Surface *now = copy_screen(app);
        SDL_Rect since_start = changed_box(first, now);
        SDL_UnionRect(&shape, &since_start, &shape);
        SDL_FreeSurface(now);
    }
    CHECK(partial >= 30);
    CHECK(masked < (long)partial * region.w * region.h / 8); /* about a tenth on average */
    /* Over the inhale the shape grows and the ring fills round: the region is the box of all that,
     * give or take the few pixels of its margin, and nothing of the words beside it. */
    CHECK(inside(shape, region));
    CHECK(region.w <= shape.w + 8 && region.h <= shape.h + 8);
    CHECK(region.x + region.w < app->layout.w / 2 + app->layout.margin);
    SDL_FreeSurface(first);
    app_destroy(app);
}

/* Through the hold (only the arc and, each second, the seconds change) and the exhale (the shape
 * shrinks), with uneven frame times, every partial frame still equals a whole one. */
static void a_held_and_shrinking_shape_should_repaint_only_what_changed(void)
{
    App *app = make_app(1280, 800, false);
    if (!app)
        return;
    CHECK(script_open(app, "short-breathing:1"));
    render(app);
    int masked = 0, complete = 0, checked = 0;
    for (int i = 0; i < 150; i++) { /* 4 s in, 4 s held, 6 s out */
        Frame f = next_frame(app, 70 + (i * 37) % 90);
        if (!f.partial)
            continue;
        checked++;
        complete += f.complete;
        masked += f.masked > 0;
        CHECK(inside(f.changed, f.region));
    }
    CHECK(checked > 60);
    CHECK(complete == checked);
    CHECK(masked == checked);
    app_destroy(app);
}

int main(void)
{
    RUN(every_kind_of_screen_should_draw_text_and_shapes_at_both_sizes);
    RUN(the_heading_should_be_at_the_top_of_the_text_box_and_nothing_outside_it);
    RUN(long_words_should_wrap_inside_their_box);
    RUN(a_missing_picture_should_show_a_placeholder_with_its_description);
    RUN(a_picture_that_fails_to_decode_should_show_the_placeholder_without_callouts);
    RUN(the_breathing_shape_should_grow_hold_and_shrink_with_the_phases);
    RUN(reduced_motion_should_keep_the_shape_still_and_fill_a_bar);
    RUN(a_still_screen_should_ask_for_no_wake_up);
    RUN(a_countdown_tick_should_redraw_only_its_digits);
    RUN(a_breathing_frame_should_redraw_only_the_shape);
    RUN(a_held_and_shrinking_shape_should_repaint_only_what_changed);
    return CHECK_SUMMARY();
}
