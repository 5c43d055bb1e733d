/* test_ui_draw.c: the anti-aliased shapes of draw.c, drawn by the software renderer into a surface.
 *
 * No window is needed: SDL_CreateSoftwareRenderer draws straight into an ARGB8888 surface cleared to
 * transparent black, so each test reads back exact pixels. "Anti-aliased" is checked as "some edge
 * pixels are neither empty nor solid"; "inside" as the exact colour at points well within the shape.
 */
#include "check.h"
#include "draw.h"

#include <math.h>
#include <stdbool.h>

#include <SDL.h>

enum { CANVAS_W = 200, CANVAS_H = 200 };

typedef struct {
    SDL_Surface *surface;
    SDL_Renderer *renderer;
} Canvas;

static Canvas canvas_open(void)
{
    Canvas c = {NULL, NULL};
    c.surface = SDL_CreateRGBSurfaceWithFormat(0, CANVAS_W, CANVAS_H, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!c.surface) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't create a surface: %s", SDL_GetError());
        return c;
    }
    c.renderer = SDL_CreateSoftwareRenderer(c.surface);
    if (!c.renderer) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't create a renderer: %s", SDL_GetError());
        return c;
    }
    if (SDL_SetRenderDrawColor(c.renderer, 0, 0, 0, 0) != 0 || SDL_RenderClear(c.renderer) != 0)
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't clear: %s", SDL_GetError());
    return c;
}

static void canvas_close(Canvas *c)
{
    if (c->renderer)
        SDL_DestroyRenderer(c->renderer);
    if (c->surface)
        SDL_FreeSurface(c->surface);
    c->renderer = NULL;
    c->surface = NULL;
}

static SDL_Color pixel_at(const Canvas *c, int x, int y)
{
    SDL_Color out = {0, 0, 0, 0};
    if (!c->surface || x < 0 || y < 0 || x >= c->surface->w || y >= c->surface->h)
        return out;
    SDL_RenderFlush(c->renderer);
    const Uint32 *row = (const Uint32 *)(const void *)((const Uint8 *)c->surface->pixels + y * c->surface->pitch);
    SDL_GetRGBA(row[x], c->surface->format, &out.r, &out.g, &out.b, &out.a);
    return out;
}

static bool same_colour(SDL_Color a, SDL_Color b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b && a.a == b.a;
}

static const SDL_Color TEAL = {20, 140, 160, 255};

static void filled_rounded_rect_should_cover_its_centre_with_the_exact_colour(void)
{
    Canvas c = canvas_open();
    CHECK(c.renderer != NULL);
    draw_fill_rounded(c.renderer, (SDL_FRect){20.0f, 30.0f, 160.0f, 120.0f}, 30.0f, TEAL);
    CHECK(same_colour(pixel_at(&c, 100, 90), TEAL));
    CHECK(same_colour(pixel_at(&c, 25, 90), TEAL));   /* near the straight left edge */
    CHECK(same_colour(pixel_at(&c, 100, 145), TEAL)); /* near the straight bottom edge */
    canvas_close(&c);
}

static void filled_rounded_rect_should_leave_its_corner_outside_the_radius_clear(void)
{
    Canvas c = canvas_open();
    draw_fill_rounded(c.renderer, (SDL_FRect){20.0f, 30.0f, 160.0f, 120.0f}, 30.0f, TEAL);
    /* The very corner of the bounding box lies 30 * (sqrt 2 - 1) = 12 px outside the curve. */
    CHECK_INT(pixel_at(&c, 20, 30).a, 0);
    CHECK_INT(pixel_at(&c, 179, 30).a, 0);
    CHECK_INT(pixel_at(&c, 179, 149).a, 0);
    CHECK_INT(pixel_at(&c, 20, 149).a, 0);
    CHECK_INT(pixel_at(&c, 24, 34).a, 0);
    /* and nothing at all outside the rectangle */
    CHECK_INT(pixel_at(&c, 100, 28).a, 0);
    CHECK_INT(pixel_at(&c, 18, 90).a, 0);
    canvas_close(&c);
}

static void filled_rounded_rect_should_have_partly_transparent_edge_pixels(void)
{
    Canvas c = canvas_open();
    draw_fill_rounded(c.renderer, (SDL_FRect){20.0f, 30.0f, 160.0f, 120.0f}, 30.0f, TEAL);
    int partial = 0;
    /* Walk the top-left corner's curve: anti-aliasing shows as pixels between empty and solid. */
    for (int y = 30; y < 60; y++)
        for (int x = 20; x < 50; x++) {
            Uint8 a = pixel_at(&c, x, y).a;
            partial += a > 0 && a < 255;
        }
    CHECK(partial >= 20);
    canvas_close(&c);
}

static void rect_edges_should_fade_out_within_one_pixel(void)
{
    Canvas c = canvas_open();
    draw_fill_rect(c.renderer, (SDL_FRect){10.0f, 10.0f, 50.0f, 40.0f}, TEAL);
    /* GPU renderers sample the feather at pixel centres and give a crisp edge; the software renderer
     * snaps vertices to whole pixels and gives a half-covered one. Both must stay within a pixel. */
    CHECK(same_colour(pixel_at(&c, 11, 11), TEAL));
    CHECK(same_colour(pixel_at(&c, 58, 48), TEAL));
    CHECK(pixel_at(&c, 9, 30).a < 255);
    CHECK(pixel_at(&c, 60, 30).a < 255);
    CHECK_INT(pixel_at(&c, 8, 30).a, 0);
    CHECK_INT(pixel_at(&c, 61, 30).a, 0);
    CHECK_INT(pixel_at(&c, 30, 51).a, 0);
    canvas_close(&c);
}

static void translucent_fill_should_have_no_seams_between_its_triangles(void)
{
    Canvas c = canvas_open();
    SDL_Color half = {200, 100, 50, 128};
    draw_fill_rounded(c.renderer, (SDL_FRect){20.0f, 20.0f, 160.0f, 160.0f}, 40.0f, half);
    /* Triangles that overlapped or left gaps would show as lines of a different alpha. */
    SDL_Color centre = pixel_at(&c, 100, 100);
    int odd = 0;
    for (int y = 30; y < 170; y++)
        for (int x = 30; x < 170; x++)
            if (!same_colour(pixel_at(&c, x, y), centre) && (x > 60 && x < 140 && y > 60 && y < 140))
                odd++;
    CHECK_INT(odd, 0);
    CHECK(centre.a >= 127 && centre.a <= 128); /* the software renderer rounds interpolated alpha down */
    canvas_close(&c);
}

static void stroked_rounded_rect_should_paint_its_border_and_leave_its_middle_empty(void)
{
    Canvas c = canvas_open();
    draw_stroke_rounded(c.renderer, (SDL_FRect){20.0f, 20.0f, 160.0f, 100.0f}, 16.0f, 6.0f, TEAL);
    CHECK(same_colour(pixel_at(&c, 100, 22), TEAL)); /* inside the top border */
    CHECK(same_colour(pixel_at(&c, 22, 70), TEAL));
    CHECK_INT(pixel_at(&c, 100, 70).a, 0);
    CHECK_INT(pixel_at(&c, 100, 30).a, 0);
    CHECK_INT(pixel_at(&c, 100, 17).a, 0);
    canvas_close(&c);
}

static void circle_should_fill_its_centre_and_stay_within_its_radius(void)
{
    Canvas c = canvas_open();
    const float cx = 90.0f, cy = 110.0f, radius = 40.0f;
    draw_fill_circle(c.renderer, cx, cy, radius, TEAL);
    CHECK(same_colour(pixel_at(&c, 90, 110), TEAL));
    CHECK(same_colour(pixel_at(&c, 90 + 35, 110), TEAL));
    int outside = 0, partial = 0;
    for (int y = 0; y < CANVAS_H; y++)
        for (int x = 0; x < CANVAS_W; x++) {
            Uint8 a = pixel_at(&c, x, y).a;
            float dx = (float)x + 0.5f - cx, dy = (float)y + 0.5f - cy;
            if (a > 0 && sqrtf(dx * dx + dy * dy) > radius + 1.0f)
                outside++;
            partial += a > 0 && a < 255;
        }
    CHECK_INT(outside, 0);
    CHECK(partial > 50);
    canvas_close(&c);
}

static void arc_of_a_quarter_turn_should_paint_the_upper_right_quadrant_only(void)
{
    Canvas c = canvas_open();
    draw_arc(c.renderer, 100.0f, 100.0f, 60.0f, 12.0f, 0.0f, 0.25f, TEAL);
    /* 45 degrees clockwise from 12 o'clock, on the ring's middle line */
    int mid = (int)(60.0f * 0.70710678f);
    CHECK(same_colour(pixel_at(&c, 100 + mid, 100 - mid), TEAL));
    CHECK_INT(pixel_at(&c, 100 - mid, 100 + mid).a, 0); /* lower left */
    CHECK_INT(pixel_at(&c, 100 - mid, 100 - mid).a, 0); /* upper left */
    CHECK_INT(pixel_at(&c, 100 + mid, 100 + mid).a, 0); /* lower right */
    CHECK_INT(pixel_at(&c, 100, 100).a, 0);             /* a ring, not a pie */
    int lower_left = 0;
    for (int y = 100; y < CANVAS_H; y++)
        for (int x = 0; x < 100; x++)
            lower_left += pixel_at(&c, x, y).a > 0;
    CHECK_INT(lower_left, 0);
    canvas_close(&c);
}

static void full_turn_arc_should_be_a_closed_ring(void)
{
    Canvas c = canvas_open();
    draw_arc(c.renderer, 100.0f, 100.0f, 50.0f, 10.0f, 0.0f, 1.0f, TEAL);
    CHECK(same_colour(pixel_at(&c, 100, 50), TEAL)); /* 12 o'clock, where start and end meet */
    CHECK(same_colour(pixel_at(&c, 150, 100), TEAL));
    CHECK(same_colour(pixel_at(&c, 100, 150), TEAL));
    CHECK(same_colour(pixel_at(&c, 50, 100), TEAL));
    CHECK_INT(pixel_at(&c, 100, 100).a, 0);
    canvas_close(&c);
}

static void thick_line_should_cover_its_midpoint_and_not_its_sides(void)
{
    Canvas c = canvas_open();
    draw_line(c.renderer, 20.0f, 30.0f, 180.0f, 170.0f, 8.0f, TEAL);
    CHECK(same_colour(pixel_at(&c, 100, 100), TEAL));
    CHECK_INT(pixel_at(&c, 100, 120).a, 0);
    CHECK_INT(pixel_at(&c, 100, 80).a, 0);
    canvas_close(&c);
}

static void degenerate_shapes_should_draw_nothing_and_not_crash(void)
{
    Canvas c = canvas_open();
    draw_fill_rounded(c.renderer, (SDL_FRect){10.0f, 10.0f, 0.0f, 50.0f}, 5.0f, TEAL);
    draw_fill_rounded(c.renderer, (SDL_FRect){10.0f, 10.0f, -5.0f, 50.0f}, 5.0f, TEAL);
    draw_fill_circle(c.renderer, 50.0f, 50.0f, 0.0f, TEAL);
    draw_line(c.renderer, 50.0f, 50.0f, 50.0f, 50.0f, 4.0f, TEAL);
    draw_arc(c.renderer, 50.0f, 50.0f, 20.0f, 4.0f, 0.3f, 0.3f, TEAL);
    draw_fill_circle(c.renderer, NAN, 50.0f, 10.0f, TEAL);
    int painted = 0;
    for (int y = 0; y < CANVAS_H; y++)
        for (int x = 0; x < CANVAS_W; x++)
            painted += pixel_at(&c, x, y).a > 0;
    CHECK_INT(painted, 0);
    canvas_close(&c);
}

static void huge_radii_should_still_draw_a_smooth_shape(void)
{
    Canvas c = canvas_open();
    /* Far more segments than the mesh holds would be needed without clamping. */
    draw_fill_circle(c.renderer, 100.0f, 5100.0f, 5000.0f, TEAL);
    draw_arc(c.renderer, 100.0f, 5100.0f, 4990.0f, 40.0f, 0.0f, 1.0f, TEAL);
    draw_fill_rounded(c.renderer, (SDL_FRect){-10000.0f, 150.0f, 20000.0f, 20000.0f}, 9000.0f, TEAL);
    CHECK(same_colour(pixel_at(&c, 100, 150), TEAL));
    CHECK_INT(pixel_at(&c, 100, 50).a, 0);
    canvas_close(&c);
}

static void rgb_should_unpack_red_green_and_blue(void)
{
    SDL_Color c = draw_rgb(0x12a4ff, 200);
    CHECK_INT(c.r, 0x12);
    CHECK_INT(c.g, 0xa4);
    CHECK_INT(c.b, 0xff);
    CHECK_INT(c.a, 200);
}

static void mix_should_return_its_endpoints_and_their_middle(void)
{
    SDL_Color a = {0, 100, 255, 255}, b = {255, 50, 0, 0};
    CHECK(same_colour(draw_mix(a, b, 0.0f), a));
    CHECK(same_colour(draw_mix(a, b, 1.0f), b));
    CHECK(same_colour(draw_mix(a, b, -3.0f), a)); /* clamped */
    CHECK(same_colour(draw_mix(a, b, 7.0f), b));
    SDL_Color m = draw_mix(a, b, 0.5f);
    CHECK_INT(m.r, 128);
    CHECK_INT(m.g, 75);
    CHECK_INT(m.b, 128);
    CHECK_INT(m.a, 128);
}

int main(void)
{
    SDL_setenv("SDL_VIDEODRIVER", "dummy", 1);
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't initialise SDL: %s", SDL_GetError());
        return 1;
    }
    RUN(filled_rounded_rect_should_cover_its_centre_with_the_exact_colour);
    RUN(filled_rounded_rect_should_leave_its_corner_outside_the_radius_clear);
    RUN(filled_rounded_rect_should_have_partly_transparent_edge_pixels);
    RUN(rect_edges_should_fade_out_within_one_pixel);
    RUN(translucent_fill_should_have_no_seams_between_its_triangles);
    RUN(stroked_rounded_rect_should_paint_its_border_and_leave_its_middle_empty);
    RUN(circle_should_fill_its_centre_and_stay_within_its_radius);
    RUN(arc_of_a_quarter_turn_should_paint_the_upper_right_quadrant_only);
    RUN(full_turn_arc_should_be_a_closed_ring);
    RUN(thick_line_should_cover_its_midpoint_and_not_its_sides);
    RUN(degenerate_shapes_should_draw_nothing_and_not_crash);
    RUN(huge_radii_should_still_draw_a_smooth_shape);
    RUN(rgb_should_unpack_red_green_and_blue);
    RUN(mix_should_return_its_endpoints_and_their_middle);
    SDL_Quit();
    return CHECK_SUMMARY();
}
