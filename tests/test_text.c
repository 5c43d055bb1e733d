/* test_text.c: wrapping, truncation, alignment, colour and the line cache of text.c, checked on real pixels.
 *
 * Everything runs headless: SDL's dummy video driver and a software renderer drawing into an ARGB
 * surface. Each drawing test clears the surface to black, draws, and looks at where the ink (any pixel
 * that is no longer black) landed, so the checks are about what a patient would see, not about internals.
 */
#include "check.h"
#include "text.h"

#include <SDL.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SURFACE_W = 640, SURFACE_H = 480, CACHE_BYTES = 4 << 20 };

static SDL_Surface *surface;
static SDL_Renderer *renderer;
static TextSystem *text;

static const char SENTENCE[] =
    "Gently tuck your chin and lengthen the back of your neck, hold for five slow breaths, then relax "
    "your shoulders and repeat the movement three times.";
static const char COMPOUND[] =
    "Donaudampfschifffahrtsgesellschaftskapitänsmützenträgerüberzieherknöpfeüberprüfungsverordnung";

typedef struct {
    int min_x, min_y, max_x, max_y; /* inclusive; min > max when there is no ink */
    long count;
} Ink;

static TextStyle style_of(int px)
{
    TextStyle s = {0};
    s.px = px;
    s.weight = WEIGHT_REGULAR;
    s.color = (SDL_Color){255, 255, 255, 255};
    s.align = ALIGN_LEFT;
    return s;
}

static void clear(void)
{
    SDL_SetRenderDrawColor(renderer, 0, 0, 0, 255);
    SDL_RenderClear(renderer);
}

static Uint32 pixel_at(int x, int y)
{
    const Uint8 *row = (const Uint8 *)surface->pixels + (size_t)y * (size_t)surface->pitch;
    Uint32 p;
    memcpy(&p, row + (size_t)x * 4, sizeof p);
    return p;
}

/* Finishes the frame and returns the box around every non-black pixel. */
static Ink ink(void)
{
    SDL_RenderPresent(renderer);
    Ink box = {SURFACE_W, SURFACE_H, -1, -1, 0};
    if (SDL_MUSTLOCK(surface))
        SDL_LockSurface(surface);
    for (int y = 0; y < SURFACE_H; y++) {
        for (int x = 0; x < SURFACE_W; x++) {
            if ((pixel_at(x, y) & 0x00FFFFFF) == 0)
                continue;
            box.count++;
            if (x < box.min_x)
                box.min_x = x;
            if (x > box.max_x)
                box.max_x = x;
            if (y < box.min_y)
                box.min_y = y;
            if (y > box.max_y)
                box.max_y = y;
        }
    }
    if (SDL_MUSTLOCK(surface))
        SDL_UnlockSurface(surface);
    return box;
}

static TextSystem *new_text_system(size_t cache_bytes)
{
    char error[256] = "";
    TextSystem *t = text_create(renderer, cache_bytes, error, sizeof error);
    if (!t)
        fprintf(stderr, "text_create failed: %s\n", error);
    return t;
}

/* ---------------------------------------------------------------------------------------------- */

static void font_path_should_name_a_readable_font_file(void)
{
    const char *path = text_font_path(text);
    CHECK(path && *path);
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    if (f)
        fclose(f);
    /* fonts-noto-core is installed on the build machines, so the first preference must win. */
    FILE *noto = fopen("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", "rb");
    if (noto) {
        fclose(noto);
        CHECK(strstr(path, "NotoSans-Regular") != NULL);
    }
}

static void empty_string_should_measure_zero_lines_and_draw_nothing(void)
{
    TextStyle s = style_of(24);
    TextMetrics m = text_measure(text, "", &s, 200);
    CHECK_INT(m.lines, 0);
    CHECK_INT(m.width, 0);
    CHECK_INT(m.height, 0);
    CHECK(!m.truncated);
    clear();
    m = text_draw(text, "", &s, 10, 10, 200);
    CHECK_INT(m.lines, 0);
    CHECK_INT(m.height, 0);
    CHECK_INT(ink().count, 0);
}

static void long_sentence_should_wrap_into_lines_no_wider_than_max_width(void)
{
    TextStyle s = style_of(24);
    const int x = 20, y = 10, max_width = 220;
    TextMetrics m = text_measure(text, SENTENCE, &s, max_width);
    CHECK(m.lines >= 4);
    CHECK(m.width <= max_width);
    CHECK(m.width > max_width / 2); /* greedy filling uses the width, not one word per line */
    CHECK_INT(m.height, m.lines * text_line_height(text, &s));
    CHECK(!m.truncated);

    clear();
    TextMetrics drawn = text_draw(text, SENTENCE, &s, x, y, max_width);
    CHECK_INT(drawn.lines, m.lines);
    CHECK_INT(drawn.width, m.width);
    Ink box = ink();
    CHECK(box.count > 0);
    CHECK(box.min_x >= x);
    CHECK(box.max_x < x + max_width);
    CHECK(box.min_y >= y);
    CHECK(box.max_y < y + m.height);
}

static void unlimited_width_should_keep_a_paragraph_on_one_line(void)
{
    TextStyle s = style_of(16);
    TextMetrics m = text_measure(text, SENTENCE, &s, 0);
    CHECK_INT(m.lines, 1);
    TextMetrics wrapped = text_measure(text, SENTENCE, &s, 300);
    CHECK(wrapped.lines > 1);
    CHECK(m.width > wrapped.width);
}

static void very_long_word_should_be_broken_and_never_overflow(void)
{
    char word[61];
    memset(word, 'W', 60);
    word[60] = '\0';
    TextStyle s = style_of(28);
    const int x = 30, y = 5, max_width = 150;
    TextMetrics m = text_measure(text, word, &s, max_width);
    CHECK(m.lines >= 5);
    CHECK(m.width <= max_width);
    CHECK(m.width > max_width - 40); /* each piece is as long as fits, not one letter per line */

    clear();
    text_draw(text, word, &s, x, y, max_width);
    Ink box = ink();
    CHECK(box.count > 0);
    CHECK(box.min_x >= x);
    CHECK(box.max_x < x + max_width);
    CHECK(box.max_y < y + m.height);
}

static void long_german_compound_should_break_between_characters_without_overflow(void)
{
    TextStyle s = style_of(22);
    s.weight = WEIGHT_BOLD;
    const int x = 10, y = 10;
    for (int max_width = 60; max_width <= 300; max_width += 37) {
        TextMetrics m = text_measure(text, COMPOUND, &s, max_width);
        CHECK(m.lines >= 2);
        CHECK(m.width <= max_width);
        clear();
        text_draw(text, COMPOUND, &s, x, y, max_width);
        Ink box = ink();
        CHECK(box.count > 0);
        CHECK(box.min_x >= x);
        CHECK(box.max_x < x + max_width);
        CHECK(box.max_y < y + m.height);
    }
}

static void box_narrower_than_a_letter_should_still_clip_the_ink(void)
{
    TextStyle s = style_of(40);
    const int x = 100, y = 10, max_width = 3;
    TextMetrics m = text_measure(text, "MW", &s, max_width);
    CHECK_INT(m.lines, 2); /* one letter per line: the layout always makes progress */
    CHECK(m.width <= max_width);
    clear();
    text_draw(text, "MW", &s, x, y, max_width);
    Ink box = ink();
    CHECK(box.count > 0);
    CHECK(box.min_x >= x);
    CHECK(box.max_x < x + max_width);
}

static void explicit_newlines_should_start_new_lines(void)
{
    TextStyle s = style_of(20);
    CHECK_INT(text_measure(text, "Inhale\nHold\nExhale", &s, 500).lines, 3);
    CHECK_INT(text_measure(text, "Inhale\n\nExhale", &s, 500).lines, 3); /* blank line kept */
    CHECK_INT(text_measure(text, "Inhale\n", &s, 500).lines, 1);        /* final newline ends a line */
    CHECK_INT(text_measure(text, "Inhale\r\nExhale", &s, 500).lines, 2);
    CHECK_INT(text_measure(text, "Inhale\nExhale", &s, 0).lines, 2);

    const int x = 10, y = 10;
    int line_height = text_line_height(text, &s);
    clear();
    text_draw(text, "Inhale\nHold\nExhale", &s, x, y, 500);
    Ink box = ink();
    CHECK(box.max_y >= y + 2 * line_height); /* the third line is below the first two */
    CHECK(box.max_y < y + 3 * line_height);
}

static void trailing_spaces_should_not_count_towards_width(void)
{
    TextStyle s = style_of(24);
    TextMetrics plain = text_measure(text, "Relax", &s, 400);
    TextMetrics spaced = text_measure(text, "Relax      ", &s, 400);
    CHECK(plain.width > 0);
    CHECK_INT(spaced.width, plain.width);
    CHECK_INT(spaced.lines, 1);
}

static void hyphenated_word_may_break_after_its_hyphen(void)
{
    TextStyle s = style_of(24);
    TextMetrics first = text_measure(text, "warm-", &s, 0);
    TextMetrics whole = text_measure(text, "warm-up", &s, 0);
    CHECK(first.width < whole.width);
    /* One pixel short of the whole word: cutting between letters would give "warm-u" and "p". */
    TextMetrics m = text_measure(text, "warm-up", &s, whole.width - 1);
    CHECK_INT(m.lines, 2);
    CHECK_INT(m.width, first.width); /* "warm-" then "up" */
}

static void max_lines_should_truncate_with_an_ellipsis_and_keep_the_ink_inside(void)
{
    TextStyle s = style_of(24);
    s.max_lines = 2;
    const int x = 15, y = 20, max_width = 200;
    int line_height = text_line_height(text, &s);
    TextMetrics m = text_measure(text, SENTENCE, &s, max_width);
    CHECK_INT(m.lines, 2);
    CHECK(m.truncated);
    CHECK_INT(m.height, 2 * line_height);
    CHECK(m.width <= max_width);

    clear();
    TextMetrics drawn = text_draw(text, SENTENCE, &s, x, y, max_width);
    CHECK(drawn.truncated);
    Ink box = ink();
    CHECK(box.count > 0);
    CHECK(box.max_y < y + 2 * line_height);
    CHECK(box.max_x < x + max_width);

    /* The long word is truncated too, and the last line ends with the ellipsis rather than a letter:
     * the ellipsis is three dots low on the line, so the rightmost ink sits in its lower half. */
    char word[61];
    memset(word, 'W', 60);
    word[60] = '\0';
    s.max_lines = 1;
    m = text_measure(text, word, &s, max_width);
    CHECK_INT(m.lines, 1);
    CHECK(m.truncated);
    clear();
    text_draw(text, word, &s, x, y, max_width);
    box = ink();
    CHECK(box.max_x < x + max_width);
    int top_ink_in_last_column = SURFACE_H;
    for (int yy = 0; yy < SURFACE_H; yy++) {
        if (pixel_at(box.max_x, yy) & 0x00FFFFFF) {
            top_ink_in_last_column = yy;
            break;
        }
    }
    CHECK(top_ink_in_last_column > (box.min_y + box.max_y) / 2);
}

static void text_that_fits_max_lines_should_not_be_truncated(void)
{
    TextStyle s = style_of(24);
    s.max_lines = 2;
    TextMetrics m = text_measure(text, "Stand tall", &s, 400);
    CHECK_INT(m.lines, 1);
    CHECK(!m.truncated);
    m = text_measure(text, "Stand\ntall", &s, 400);
    CHECK_INT(m.lines, 2);
    CHECK(!m.truncated);
    m = text_measure(text, "Stand\ntall\n", &s, 400);
    CHECK_INT(m.lines, 2);
    CHECK(!m.truncated);
}

static void center_alignment_should_centre_the_ink_in_the_box(void)
{
    TextStyle s = style_of(36);
    s.align = ALIGN_CENTER;
    const int x = 50, y = 40, max_width = 400;
    clear();
    text_draw(text, "HIH", &s, x, y, max_width);
    Ink box = ink();
    CHECK(box.count > 0);
    double ink_centre = (box.min_x + box.max_x + 1) / 2.0;
    double box_centre = x + max_width / 2.0;
    CHECK(ink_centre > box_centre - 2.5 && ink_centre < box_centre + 2.5);
}

static void right_alignment_should_end_each_line_at_the_box_edge(void)
{
    TextStyle s = style_of(24);
    s.align = ALIGN_RIGHT;
    const int x = 40, y = 10, max_width = 300;
    clear();
    text_draw(text, "Hold\nand breathe out slowly", &s, x, y, max_width);
    Ink box = ink();
    CHECK(box.max_x < x + max_width);
    CHECK(box.max_x >= x + max_width - 6);
    /* The short first line ends at the same edge as the long one. */
    int line_height = text_line_height(text, &s);
    int first_line_right = -1;
    for (int yy = y; yy < y + line_height; yy++) {
        for (int xx = SURFACE_W - 1; xx > first_line_right; xx--) {
            if (pixel_at(xx, yy) & 0x00FFFFFF) {
                first_line_right = xx;
                break;
            }
        }
    }
    CHECK(first_line_right >= x + max_width - 6);
    CHECK(first_line_right < x + max_width);
}

static void text_drawn_in_a_colour_should_produce_pixels_of_that_colour(void)
{
    TextStyle s = style_of(64);
    s.weight = WEIGHT_BOLD;
    const SDL_Color colours[] = {{30, 144, 255, 255}, {220, 40, 60, 255}};
    for (size_t c = 0; c < sizeof colours / sizeof colours[0]; c++) {
        s.color = colours[c];
        clear();
        text_draw(text, "HIM", &s, 20, 20, 600);
        Ink box = ink();
        CHECK(box.count > 100);
        long exact = 0;
        for (int y = box.min_y; y <= box.max_y; y++) {
            for (int x = box.min_x; x <= box.max_x; x++) {
                Uint8 r, g, b;
                SDL_GetRGB(pixel_at(x, y), surface->format, &r, &g, &b);
                if (abs(r - s.color.r) <= 3 && abs(g - s.color.g) <= 3 && abs(b - s.color.b) <= 3)
                    exact++;
            }
        }
        CHECK(exact > box.count / 3); /* solid stems of a bold 64 px font are the colour itself */
    }
    /* The same texture in a different colour: the tint does not stick to the cached texture. */
    s.color = (SDL_Color){255, 255, 255, 255};
    clear();
    text_draw(text, "HIM", &s, 20, 20, 600);
    Ink box = ink();
    Uint8 r, g, b;
    bool saw_white = false;
    for (int y = box.min_y; y <= box.max_y && !saw_white; y++) {
        for (int x = box.min_x; x <= box.max_x; x++) {
            SDL_GetRGB(pixel_at(x, y), surface->format, &r, &g, &b);
            if (r == 255 && g == 255 && b == 255) {
                saw_white = true;
                break;
            }
        }
    }
    CHECK(saw_white);
}

static void transparent_colour_should_leave_no_ink(void)
{
    TextStyle s = style_of(32);
    s.color = (SDL_Color){255, 255, 255, 0};
    clear();
    text_draw(text, "Rest", &s, 10, 10, 300);
    CHECK_INT(ink().count, 0);
}

static void line_height_should_follow_the_line_spacing(void)
{
    TextStyle s = style_of(20);
    int normal = text_line_height(text, &s);
    s.line_spacing = 1.0f;
    int tight = text_line_height(text, &s);
    s.line_spacing = 2.5f;
    int loose = text_line_height(text, &s);
    CHECK(tight > 0);
    CHECK(normal > tight);
    CHECK(loose >= 2 * tight);
    TextMetrics m = text_measure(text, "a\nb\nc", &s, 0);
    CHECK_INT(m.height, 3 * loose);
}

static void bold_text_should_be_wider_than_regular(void)
{
    TextStyle regular = style_of(32), bold = style_of(32);
    bold.weight = WEIGHT_BOLD;
    int rw = text_measure(text, "Shoulder rolls", &regular, 0).width;
    int bw = text_measure(text, "Shoulder rolls", &bold, 0).width;
    CHECK(rw > 0);
    CHECK(bw > rw);
}

static void measuring_should_not_create_textures(void)
{
    TextSystem *t = new_text_system(CACHE_BYTES);
    CHECK(t != NULL);
    if (!t)
        return;
    TextStyle s = style_of(24);
    for (int i = 0; i < 20; i++)
        text_measure(t, SENTENCE, &s, 100 + 10 * i);
    TextCacheStats st = text_cache_stats(t);
    CHECK_INT(st.entries, 0);
    CHECK_INT(st.bytes, 0);
    CHECK_INT(st.misses, 0);
    text_destroy(t);
}

static void second_identical_draw_should_hit_the_cache(void)
{
    TextSystem *t = new_text_system(CACHE_BYTES);
    CHECK(t != NULL);
    if (!t)
        return;
    TextStyle s = style_of(24);
    clear();
    TextMetrics m = text_draw(t, SENTENCE, &s, 0, 0, 250);
    TextCacheStats first = text_cache_stats(t);
    CHECK_INT(first.misses, m.lines);
    CHECK_INT(first.hits, 0);
    CHECK_INT(first.entries, m.lines);

    /* Same lines in another colour and position are still the same textures. */
    s.color = (SDL_Color){10, 200, 10, 255};
    text_draw(t, SENTENCE, &s, 7, 30, 250);
    TextCacheStats second = text_cache_stats(t);
    CHECK_INT(second.misses, first.misses);
    CHECK_INT(second.hits, first.hits + (size_t)m.lines);
    CHECK_INT(second.entries, first.entries);
    CHECK_INT(second.bytes, first.bytes);

    /* Another size is another texture. */
    s.px = 25;
    text_draw(t, "Relax", &s, 0, 0, 250);
    CHECK_INT(text_cache_stats(t).misses, second.misses + 1);
    ink();
    text_destroy(t);
}

static void cache_should_stay_within_its_byte_budget_after_hundreds_of_strings(void)
{
    const size_t budget = 64 * 1024;
    TextSystem *t = new_text_system(budget);
    CHECK(t != NULL);
    if (!t)
        return;
    TextStyle s = style_of(20);
    bool within = true;
    char line[96];
    for (int i = 0; i < 400; i++) {
        snprintf(line, sizeof line, "Exercise %d of 400: roll your shoulders back", i);
        clear();
        text_draw(t, line, &s, 0, 0, 600);
        if (text_cache_stats(t).bytes > budget)
            within = false;
    }
    TextCacheStats st = text_cache_stats(t);
    CHECK(within);
    CHECK(st.entries > 0);
    CHECK(st.misses >= 400);

    /* A line bigger than the whole budget is still drawn, just not kept. */
    s.px = 120;
    clear();
    text_draw(t, "Breathe in deeply", &s, 0, 0, 0);
    CHECK(ink().count > 0);
    CHECK(text_cache_stats(t).bytes <= budget);
    text_destroy(t);
}

static void recently_used_lines_should_survive_eviction(void)
{
    const size_t budget = 32 * 1024;
    TextSystem *t = new_text_system(budget);
    CHECK(t != NULL);
    if (!t)
        return;
    TextStyle s = style_of(16);
    char line[64];
    text_draw(t, "Keep me", &s, 0, 0, 600);
    for (int i = 0; i < 200; i++) {
        snprintf(line, sizeof line, "Filler line number %d", i);
        text_draw(t, line, &s, 0, 0, 600);
        text_draw(t, "Keep me", &s, 0, 0, 600);
    }
    TextCacheStats before = text_cache_stats(t);
    text_draw(t, "Keep me", &s, 0, 0, 600);
    TextCacheStats after = text_cache_stats(t);
    CHECK_INT(after.misses, before.misses);
    CHECK_INT(after.hits, before.hits + 1);
    CHECK(before.misses >= 201); /* the fillers did not all fit, yet "Keep me" missed only once */
    CHECK_INT(before.hits, 200);
    text_destroy(t);
}

static void cache_clear_should_drop_every_texture(void)
{
    TextSystem *t = new_text_system(CACHE_BYTES);
    CHECK(t != NULL);
    if (!t)
        return;
    TextStyle s = style_of(22);
    text_draw(t, SENTENCE, &s, 0, 0, 300);
    CHECK(text_cache_stats(t).entries > 0);
    text_cache_clear(t);
    TextCacheStats st = text_cache_stats(t);
    CHECK_INT(st.entries, 0);
    CHECK_INT(st.bytes, 0);
    size_t misses = st.misses;
    clear();
    TextMetrics m = text_draw(t, SENTENCE, &s, 0, 0, 300);
    CHECK_INT(text_cache_stats(t).misses, misses + (size_t)m.lines);
    CHECK(ink().count > 0);
    text_destroy(t);
}

static void stack_of_combining_marks_should_stay_inside_its_box(void)
{
    /* 4000 bytes: one letter and 1999 acute accents, which SDL_ttf alone stacks 11000 pixels high. */
    char stack[4001];
    size_t n = 0;
    stack[n++] = 'a';
    while (n + 2 <= 4000) {
        stack[n++] = (char)0xCC;
        stack[n++] = (char)0x81;
    }
    stack[n] = '\0';
    TextStyle s = style_of(24);
    const int x = 100, y = 150, max_width = 300;
    TextMetrics m = text_measure(text, stack, &s, max_width);
    CHECK_INT(m.lines, 1);
    clear();
    text_draw(text, stack, &s, x, y, max_width);
    Ink box = ink();
    CHECK(box.count > 0); /* the letter itself still shows */
    CHECK(box.min_x >= x && box.max_x < x + max_width);
    CHECK(box.min_y >= y && box.max_y < y + m.height);

    /* The same marks after words on two lines of a wider paragraph: still within the box. */
    char paragraph[4100];
    snprintf(paragraph, sizeof paragraph, "Sit tall and breathe %s slowly", stack);
    m = text_measure(text, paragraph, &s, max_width);
    clear();
    text_draw(text, paragraph, &s, x, y, max_width);
    box = ink();
    CHECK(box.count > 0);
    CHECK(box.min_y >= y && box.max_y < y + m.height);
}

static void invalid_utf8_should_neither_crash_nor_overflow(void)
{
    static const char *const samples[] = {
        "\xFF\xFE\xFD broken",
        "Caf\xC3",                     /* truncated two-byte sequence at the end */
        "\xE2\x82 euro cut short",
        "\xC0\xAF overlong slash",
        "\xED\xA0\x80 surrogate",
        "\xF4\x90\x80\x80 beyond U+10FFFF",
        "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80",
        "a\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81 stacked accents",
        "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD emoji",
    };
    TextStyle s = style_of(18);
    s.max_lines = 3;
    const int x = 5, y = 5;
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        for (int max_width = 1; max_width <= 121; max_width += 20) {
            TextMetrics m = text_measure(text, samples[i], &s, max_width);
            CHECK(m.lines >= 1 && m.lines <= 3);
            clear();
            text_draw(text, samples[i], &s, x, y, max_width);
            Ink box = ink();
            CHECK(box.count == 0 || (box.min_x >= x && box.max_x < x + max_width));
        }
    }

    /* Random bytes, seeded so a failure can be replayed. */
    srand(12345);
    char junk[200];
    s.max_lines = 0;
    for (int round = 0; round < 60; round++) {
        size_t len = (size_t)(rand() % (int)(sizeof junk - 1));
        for (size_t i = 0; i < len; i++)
            junk[i] = (char)(1 + rand() % 255);
        junk[len] = '\0';
        int max_width = 1 + rand() % 300;
        TextMetrics m = text_measure(text, junk, &s, max_width);
        if (max_width >= 40) /* wider than any single glyph at 18 px, so no line may exceed it */
            CHECK(m.width <= max_width);
        clear();
        text_draw(text, junk, &s, x, y, max_width);
        Ink box = ink();
        CHECK(box.count == 0 || (box.min_x >= x && box.max_x < x + max_width));
    }
}

static void odd_styles_should_be_tolerated(void)
{
    TextStyle s = style_of(0); /* no size: clamped rather than failing */
    s.line_spacing = -3.0f;
    s.max_lines = -1;
    s.weight = (FontWeight)42;
    TextMetrics m = text_measure(text, "Hello", &s, 100);
    CHECK_INT(m.lines, 1);
    CHECK(text_line_height(text, &s) > 0);
    CHECK_INT(text_measure(text, NULL, &s, 100).lines, 0);
    CHECK_INT(text_measure(text, "Hello", NULL, 100).lines, 0);
    CHECK_INT(text_measure(NULL, "Hello", &s, 100).lines, 0);
    text_destroy(NULL);
}

int main(void)
{
    SDL_setenv("SDL_VIDEODRIVER", "dummy", 1);
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "SDL_Init failed: %s\n", SDL_GetError());
        return 1;
    }
    surface = SDL_CreateRGBSurfaceWithFormat(0, SURFACE_W, SURFACE_H, 32, SDL_PIXELFORMAT_ARGB8888);
    renderer = surface ? SDL_CreateSoftwareRenderer(surface) : NULL;
    text = renderer ? new_text_system(CACHE_BYTES) : NULL;
    if (!text) {
        fprintf(stderr, "setup failed: %s\n", SDL_GetError());
        return 1;
    }

    RUN(font_path_should_name_a_readable_font_file);
    RUN(empty_string_should_measure_zero_lines_and_draw_nothing);
    RUN(long_sentence_should_wrap_into_lines_no_wider_than_max_width);
    RUN(unlimited_width_should_keep_a_paragraph_on_one_line);
    RUN(very_long_word_should_be_broken_and_never_overflow);
    RUN(long_german_compound_should_break_between_characters_without_overflow);
    RUN(box_narrower_than_a_letter_should_still_clip_the_ink);
    RUN(explicit_newlines_should_start_new_lines);
    RUN(trailing_spaces_should_not_count_towards_width);
    RUN(hyphenated_word_may_break_after_its_hyphen);
    RUN(max_lines_should_truncate_with_an_ellipsis_and_keep_the_ink_inside);
    RUN(text_that_fits_max_lines_should_not_be_truncated);
    RUN(center_alignment_should_centre_the_ink_in_the_box);
    RUN(right_alignment_should_end_each_line_at_the_box_edge);
    RUN(text_drawn_in_a_colour_should_produce_pixels_of_that_colour);
    RUN(transparent_colour_should_leave_no_ink);
    RUN(line_height_should_follow_the_line_spacing);
    RUN(bold_text_should_be_wider_than_regular);
    RUN(measuring_should_not_create_textures);
    RUN(second_identical_draw_should_hit_the_cache);
    RUN(cache_should_stay_within_its_byte_budget_after_hundreds_of_strings);
    RUN(recently_used_lines_should_survive_eviction);
    RUN(cache_clear_should_drop_every_texture);
    RUN(invalid_utf8_should_neither_crash_nor_overflow);
    RUN(stack_of_combining_marks_should_stay_inside_its_box);
    RUN(odd_styles_should_be_tolerated);

    text_destroy(text);
    SDL_DestroyRenderer(renderer);
    SDL_FreeSurface(surface);
    SDL_Quit();
    return CHECK_SUMMARY();
}
