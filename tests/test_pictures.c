/* test_pictures.c: the picture cache of pictures.c, headless, on pictures written for each run.
 *
 * Every test writes what it needs (an SVG as text, a PNG through IMG_SavePNG from a generated surface,
 * broken files) into a fresh mkdtemp folder, so nothing depends on the machine. The renderer is SDL's
 * software renderer drawing into a surface, which lets a test read back the pixels of a texture.
 * The icon test reads the real assets/icons folder: from BA_SOURCE_DIR when the build defines it, else
 * the current folder (the repository root) or its parent (tests/, where ctest runs).
 */
#define _XOPEN_SOURCE 700 /* mkdtemp, unlink, rmdir, getrusage */

#include "check.h"
#include "pictures.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <SDL.h>
#include <zlib.h>
#include <SDL_image.h>

#ifndef BA_SOURCE_DIR
#define BA_SOURCE_DIR "."
#endif

static const char *const icon_names[] = {"spine", "pelvis",   "head",  "jaw",   "breath",    "chair", "phone",
                                         "stand", "lift",     "bed",   "car",   "stretch",   "walk",  "alert",
                                         "info",  "question", "heart", "child", "pregnancy", "clock", "blocks"};

static char folder[256];
static bool folder_made;
static char file_paths[32][320];
static int file_count;

static SDL_Surface *target;
static SDL_Renderer *renderer;

/* A path inside the run's folder, remembered so the folder can be emptied at the end. */
static const char *temp_path(const char *name)
{
    if (file_count >= (int)(sizeof file_paths / sizeof file_paths[0]))
        return NULL;
    char *path = file_paths[file_count++];
    snprintf(path, sizeof file_paths[0], "%s/%s", folder, name);
    return path;
}

static const char *write_text(const char *name, const char *text)
{
    const char *path = temp_path(name);
    FILE *f = path ? fopen(path, "wb") : NULL;
    if (!f)
        return NULL;
    fwrite(text, 1, strlen(text), f);
    fclose(f);
    return path;
}

/* A w x h PNG: the first `white` columns opaque white, the rest fully transparent black. */
static const char *write_png(const char *name, int w, int h, int white)
{
    const char *path = temp_path(name);
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!path || !s)
        goto fail;
    for (int y = 0; y < h; y++) {
        Uint32 *row = (Uint32 *)(void *)((Uint8 *)s->pixels + y * s->pitch);
        for (int x = 0; x < w; x++)
            row[x] = x < white ? 0xffffffffu : 0x00000000u;
    }
    if (IMG_SavePNG(s, path) != 0)
        goto fail;
    SDL_FreeSurface(s);
    return path;

fail:
    SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't write %s: %s", name, SDL_GetError());
    SDL_FreeSurface(s);
    return NULL;
}

static const char SVG_200_BY_100[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"100\" viewBox=\"0 0 200 100\">\n"
    "  <rect x=\"10\" y=\"10\" width=\"180\" height=\"80\" rx=\"12\" fill=\"#2a7fbf\"/>\n"
    "</svg>\n";

static void texture_size(SDL_Texture *t, int *w, int *h)
{
    *w = *h = -1;
    if (t && SDL_QueryTexture(t, NULL, NULL, w, h) != 0)
        *w = *h = -1;
}

static void svg_should_be_rasterised_at_the_fitted_size(void)
{
    const char *path = write_text("wide.svg", SVG_200_BY_100);
    PictureCache *cache = pictures_create(renderer, 16u << 20);
    int w = 0, h = 0, tw, th;
    SDL_Texture *t = pictures_get(cache, path, 100, 100, &w, &h);
    CHECK(t != NULL);
    CHECK_INT(w, 100);
    CHECK_INT(h, 50);
    texture_size(t, &tw, &th); /* crisp: drawn at this size, not stretched by the renderer */
    CHECK_INT(tw, 100);
    CHECK_INT(th, 50);

    t = pictures_get(cache, path, 400, 400, &w, &h);
    CHECK(t != NULL);
    CHECK_INT(w, 400);
    CHECK_INT(h, 200);
    texture_size(t, &tw, &th);
    CHECK_INT(tw, 400);
    CHECK_INT(th, 200);

    t = pictures_get(cache, path, 1000, 30, &w, &h); /* the height limits this time */
    CHECK_INT(w, 60);
    CHECK_INT(h, 30);
    pictures_destroy(cache);
}

static void svg_size_should_come_from_its_view_box_or_units_when_needed(void)
{
    const char *box_only = write_text("box.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 30 60\">"
                                                 "<circle cx=\"15\" cy=\"30\" r=\"10\" fill=\"#fff\"/></svg>");
    const char *in_mm = write_text("mm.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"297mm\" "
                                             "height=\"210mm\" viewBox=\"0 0 297 210\">"
                                             "<rect width=\"297\" height=\"210\" fill=\"#fff\"/></svg>");
    const char *undeclared = write_text("bare.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\">"
                                                    "<rect x=\"0\" y=\"0\" width=\"40\" height=\"10\" "
                                                    "fill=\"#fff\"/></svg>");
    PictureCache *cache = pictures_create(renderer, 16u << 20);
    int w = 0, h = 0;
    CHECK(pictures_get(cache, box_only, 100, 100, &w, &h) != NULL);
    CHECK_INT(w, 50);
    CHECK_INT(h, 100);
    CHECK(pictures_get(cache, in_mm, 297, 297, &w, &h) != NULL);
    CHECK_INT(w, 297);
    CHECK_INT(h, 210);
    /* No width, height or viewBox: the loader measures the drawing itself. */
    CHECK(pictures_get(cache, undeclared, 80, 80, &w, &h) != NULL);
    CHECK_INT(w, 80);
    CHECK_INT(h, 20);
    pictures_destroy(cache);
}

static void png_should_be_scaled_once_to_the_fitted_size(void)
{
    const char *path = write_png("wide.png", 200, 100, 100);
    PictureCache *cache = pictures_create(renderer, 16u << 20);
    int w = 0, h = 0, tw, th;
    SDL_Texture *t = pictures_get(cache, path, 100, 100, &w, &h);
    CHECK(t != NULL);
    CHECK_INT(w, 100);
    CHECK_INT(h, 50);
    texture_size(t, &tw, &th);
    CHECK_INT(tw, 100);
    CHECK_INT(th, 50);
    t = pictures_get(cache, path, 400, 400, &w, &h);
    texture_size(t, &tw, &th);
    CHECK_INT(w, 400);
    CHECK_INT(h, 200);
    CHECK_INT(tw, 400);
    CHECK_INT(th, 200);
    CHECK_INT(pictures_stats(cache).decodes, 2); /* once per size: the full-size original is not kept */
    pictures_destroy(cache);
}

static SDL_Color texture_pixel(SDL_Texture *t, int x, int y);

static void jpeg_should_be_scaled_once_to_the_fitted_size(void)
{
    const char *path = temp_path("photo.jpg");
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, 90, 120, 32, SDL_PIXELFORMAT_RGB888);
    CHECK(s != NULL && path != NULL);
    if (!s || !path)
        return;
    SDL_FillRect(s, NULL, SDL_MapRGB(s->format, 40, 120, 200));
    int saved = IMG_SaveJPG(s, path, 90);
    SDL_FreeSurface(s);
    CHECK_INT(saved, 0);
    PictureCache *cache = pictures_create(renderer, 16u << 20);
    int w = 0, h = 0, tw, th;
    SDL_Texture *t = pictures_get(cache, path, 300, 300, &w, &h);
    texture_size(t, &tw, &th);
    CHECK_INT(w, 225);
    CHECK_INT(h, 300);
    CHECK_INT(tw, 225);
    CHECK_INT(th, 300);
    SDL_Color c = texture_pixel(t, 100, 150);
    CHECK(c.a == 255 && c.b > c.r);
    pictures_destroy(cache);
}

/* Reads the texture's pixel (x, y) by copying the texture, unblended, onto the cleared target. */
static SDL_Color texture_pixel(SDL_Texture *t, int x, int y)
{
    SDL_Color c = {0, 0, 0, 0};
    int w, h;
    texture_size(t, &w, &h);
    if (w <= 0 || SDL_SetRenderDrawColor(renderer, 0, 0, 0, 0) != 0 || SDL_RenderClear(renderer) != 0 ||
        SDL_SetTextureBlendMode(t, SDL_BLENDMODE_NONE) != 0 ||
        SDL_RenderCopy(renderer, t, NULL, &(SDL_Rect){0, 0, w, h}) != 0)
        return c;
    SDL_RenderFlush(renderer);
    SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
    const Uint32 *row = (const Uint32 *)(const void *)((const Uint8 *)target->pixels + y * target->pitch);
    SDL_GetRGBA(row[x], target->format, &c.r, &c.g, &c.b, &c.a);
    return c;
}

static void shrunk_png_should_keep_clean_edges_without_dark_fringes(void)
{
    /* 1000 x 500 into 100 x 100: halved three times, then filtered. The white part ends in the middle
     * of output column 50, so that column is partly covered. */
    const char *path = write_png("photo.png", 1000, 500, 505);
    PictureCache *cache = pictures_create(renderer, 16u << 20);
    int w = 0, h = 0;
    SDL_Texture *t = pictures_get(cache, path, 100, 100, &w, &h);
    CHECK(t != NULL);
    CHECK_INT(w, 100);
    CHECK_INT(h, 50);
    SDL_Color left = texture_pixel(t, 10, 25), right = texture_pixel(t, 90, 25), edge = texture_pixel(t, 50, 25);
    CHECK_INT(left.a, 255);
    CHECK_INT(left.r, 255);
    CHECK_INT(right.a, 0);
    /* Partly transparent, and still white: not darkened by the transparent black beside it. */
    CHECK(edge.a > 0 && edge.a < 255);
    CHECK(edge.r >= 250 && edge.g >= 250 && edge.b >= 250);
    pictures_destroy(cache);
}

static void second_request_should_come_from_the_cache(void)
{
    const char *path = write_text("again.svg", SVG_200_BY_100);
    PictureCache *cache = pictures_create(renderer, 16u << 20);
    int w = 0, h = 0;
    SDL_Texture *first = pictures_get(cache, path, 120, 120, &w, &h);
    PictureCacheStats before = pictures_stats(cache);
    SDL_Texture *second = pictures_get(cache, path, 120, 120, &w, &h);
    PictureCacheStats after = pictures_stats(cache);
    CHECK(first != NULL);
    CHECK(first == second);
    CHECK_INT(after.hits, before.hits + 1);
    CHECK_INT(after.decodes, before.decodes);
    CHECK_INT(after.entries, 1);
    CHECK_INT(after.bytes, 120 * 60 * 4);
    CHECK_INT(w, 120);
    CHECK_INT(h, 60);
    pictures_destroy(cache);
}

static void broken_files_should_return_null_and_not_be_decoded_again(void)
{
    const char *missing = temp_path("missing.png"); /* never written */
    const char *garbage = write_text("garbage.png", "this is not a picture at all");
    const char *bad_png = write_text("bad.png", "\x89PNG\r\n\x1a\nnot really a PNG after the signature");
    const char *empty_svg = write_text("empty.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"0\" "
                                                       "height=\"0\"><rect width=\"9\" height=\"9\"/></svg>");
    const char *paths[] = {missing, garbage, bad_png, empty_svg};
    PictureCache *cache = pictures_create(renderer, 16u << 20);
    int w = 7, h = 7;

    for (int i = 0; i < 4; i++) {
        CHECK(pictures_get(cache, paths[i], 100, 100, &w, &h) == NULL);
        CHECK_INT(w, 0);
        CHECK_INT(h, 0);
    }
    PictureCacheStats first = pictures_stats(cache);
    CHECK_INT(first.failures, 4);
    CHECK_INT(first.entries, 0);
    for (int frame = 0; frame < 3; frame++)
        for (int i = 0; i < 4; i++)
            CHECK(pictures_get(cache, paths[i], 100 + frame, 100, &w, &h) == NULL);
    PictureCacheStats later = pictures_stats(cache);
    CHECK_INT(later.decodes, first.decodes);
    CHECK_INT(later.failures, 4); /* each broken file counted once */
    pictures_destroy(cache);
}

static void cache_should_stay_within_its_byte_budget(void)
{
    const char *svg = write_text("budget.svg", SVG_200_BY_100);
    const char *png = write_png("budget.png", 64, 64, 32);
    const size_t budget = 512 * 1024;
    PictureCache *cache = pictures_create(renderer, budget);
    bool within = true;
    for (int size = 20; size <= 200; size += 4) {
        int w, h;
        CHECK(pictures_get(cache, svg, size, size, &w, &h) != NULL);
        CHECK(pictures_get(cache, png, size, size, &w, &h) != NULL);
        within = within && pictures_stats(cache).bytes <= budget;
    }
    PictureCacheStats s = pictures_stats(cache);
    CHECK(within);
    CHECK(s.entries > 1);
    CHECK(s.bytes <= budget);
    /* The newest survive: the last request is still a hit. */
    int w, h;
    size_t hits = s.hits;
    CHECK(pictures_get(cache, png, 200, 200, &w, &h) != NULL);
    CHECK_INT(pictures_stats(cache).hits, hits + 1);
    pictures_clear(cache);
    CHECK_INT(pictures_stats(cache).entries, 0);
    CHECK_INT(pictures_stats(cache).bytes, 0);
    pictures_destroy(cache);
}

static void picture_bigger_than_the_budget_should_still_be_returned(void)
{
    const char *svg = write_text("huge.svg", SVG_200_BY_100);
    PictureCache *cache = pictures_create(renderer, 1024);
    int w, h;
    CHECK(pictures_get(cache, svg, 100, 100, &w, &h) != NULL);
    CHECK_INT(pictures_stats(cache).entries, 1);
    CHECK(pictures_get(cache, svg, 120, 120, &w, &h) != NULL);
    CHECK_INT(pictures_stats(cache).entries, 1); /* the older one made room */
    pictures_destroy(cache);
}

static bool file_exists(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

static void every_builtin_icon_should_load_from_the_icons_folder(void)
{
    char icons[512];
    snprintf(icons, sizeof icons, "%s/assets/icons", BA_SOURCE_DIR);
    char probe[600];
    snprintf(probe, sizeof probe, "%s/spine.svg", icons);
    if (!file_exists(probe)) /* ctest runs in tests/ */
        snprintf(icons, sizeof icons, "../assets/icons");
    PictureCache *cache = pictures_create(renderer, 32u << 20);
    for (size_t i = 0; i < sizeof icon_names / sizeof icon_names[0]; i++) {
        const int sizes[] = {32, 96};
        for (int k = 0; k < 2; k++) {
            SDL_Texture *t = pictures_icon(cache, icons, icon_names[i], sizes[k]);
            int tw, th;
            texture_size(t, &tw, &th);
            if (!t)
                fprintf(stderr, "    icon \"%s\" did not load from %s\n", icon_names[i], icons);
            CHECK(t != NULL);
            CHECK_INT(tw, sizes[k]);
            CHECK_INT(th, sizes[k]);
        }
    }
    CHECK_INT(pictures_stats(cache).failures, 0);
    pictures_destroy(cache);
}

static void icon_names_should_not_reach_outside_the_icons_folder(void)
{
    PictureCache *cache = pictures_create(renderer, 1u << 20);
    CHECK(pictures_icon(cache, folder, "../wide", 32) == NULL);
    CHECK(pictures_icon(cache, folder, "", 32) == NULL);
    CHECK(pictures_icon(cache, folder, NULL, 32) == NULL);
    CHECK_INT(pictures_stats(cache).decodes, 0);
    pictures_destroy(cache);
}

static void bad_arguments_should_return_null(void)
{
    const char *svg = write_text("args.svg", SVG_200_BY_100);
    PictureCache *cache = pictures_create(renderer, 1u << 20);
    int w = 5, h = 5;
    CHECK(pictures_get(cache, svg, 0, 100, &w, &h) == NULL);
    CHECK_INT(w, 0);
    CHECK(pictures_get(cache, svg, 100, -1, NULL, NULL) == NULL);
    CHECK(pictures_get(cache, NULL, 100, 100, NULL, NULL) == NULL);
    CHECK(pictures_get(NULL, svg, 100, 100, NULL, NULL) == NULL);
    CHECK_INT(pictures_stats(cache).failures, 0);
    pictures_destroy(cache);
    pictures_destroy(NULL);
}

/* ---- Hostile but valid-looking files: refused or bounded, quickly and cheaply ---- */

static double seconds_now(void)
{
    return (double)SDL_GetPerformanceCounter() / (double)SDL_GetPerformanceFrequency();
}

static long peak_rss_kib(void)
{
    struct rusage usage;
    return getrusage(RUSAGE_SELF, &usage) == 0 ? usage.ru_maxrss : 0;
}

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static void write_chunk(FILE *f, const char *type, const unsigned char *data, uint32_t len)
{
    unsigned char head[8], crc[4];
    put_be32(head, len);
    memcpy(head + 4, type, 4);
    uLong sum = crc32(crc32(0L, (const Bytef *)type, 4), data, len);
    put_be32(crc, (uint32_t)sum);
    fwrite(head, 1, 8, f);
    fwrite(data, 1, len, f);
    fwrite(crc, 1, 4, f);
}

/* A legal grey side x side PNG (about 200 KB at 8192), written a row at a time so the test itself
 * never holds the picture. */
static const char *write_big_png(const char *name, uint32_t side)
{
    const char *path = temp_path(name);
    FILE *f = path ? fopen(path, "wb") : NULL;
    unsigned char ihdr[13] = {0}, *row = calloc(1, (size_t)side * 3 + 1), *out = malloc(1 << 20);
    z_stream z;
    memset(&z, 0, sizeof z);
    bool ok = f && row && out && deflateInit(&z, 9) == Z_OK;
    if (ok) {
        fwrite("\x89PNG\r\n\x1a\n", 1, 8, f);
        put_be32(ihdr, side);
        put_be32(ihdr + 4, side);
        ihdr[8] = 8;
        ihdr[9] = 2; /* RGB */
        write_chunk(f, "IHDR", ihdr, 13);
        for (uint32_t y = 0; y <= side; y++) {
            z.next_in = row;
            z.avail_in = y < side ? side * 3 + 1 : 0;
            do {
                z.next_out = out;
                z.avail_out = 1 << 20;
                deflate(&z, y < side ? Z_NO_FLUSH : Z_FINISH);
                if ((1u << 20) - z.avail_out > 0)
                    write_chunk(f, "IDAT", out, (1u << 20) - z.avail_out);
            } while (z.avail_out == 0);
        }
        write_chunk(f, "IEND", out, 0);
        deflateEnd(&z);
    }
    if (f)
        fclose(f);
    free(row);
    free(out);
    return ok ? path : NULL;
}

static void png_of_8192_pixels_a_side_should_be_refused_without_decoding_it(void)
{
    const char *path = write_big_png("big.png", 8192);
    CHECK(path != NULL);
    PictureCache *cache = pictures_create(renderer, 64u << 20);
    long before = peak_rss_kib();
    double start = seconds_now();
    int w = -1, h = -1;
    CHECK(pictures_get(cache, path, 400, 300, &w, &h) == NULL);
    CHECK(seconds_now() - start < 5.0);
    /* Decoding it would take 256 MiB at once; refused from its header, it costs nearly nothing. */
    CHECK(peak_rss_kib() - before < 32 * 1024);
    CHECK_INT(w, 0);
    CHECK_INT((int)pictures_stats(cache).decodes, 0);
    CHECK_INT((int)pictures_stats(cache).failures, 1);
    pictures_destroy(cache);
}

/* Text of an SVG with `count` copies of `shape` inside; the caller frees it. */
static char *svg_of_many(const char *shape, long count)
{
    const char *head = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1000 1000'>";
    size_t n = strlen(shape), total = strlen(head) + (size_t)count * n + 16;
    char *text = malloc(total);
    if (!text)
        return NULL;
    char *p = text + sprintf(text, "%s", head);
    for (long i = 0; i < count; i++, p += n)
        memcpy(p, shape, n);
    strcpy(p, "</svg>");
    return text;
}

static void svg_beyond_the_drawing_budget_should_be_refused_quickly(void)
{
    /* A million path points: SDL_image takes over ten minutes on it. */
    char *text = svg_of_many(" L10 20", 1000000);
    CHECK(text != NULL);
    memcpy(strstr(text, "> L") + 1, "<path d='M0 0", 13); /* opens the path over the first points */
    char *tail = strstr(text, "</svg>");
    strcpy(tail, "'/></svg>");
    const char *path = write_text("points.svg", text ? text : "");
    free(text);
    PictureCache *cache = pictures_create(renderer, 8u << 20);
    double start = seconds_now();
    CHECK(pictures_get(cache, path, 400, 400, NULL, NULL) == NULL);
    CHECK(seconds_now() - start < 5.0);
    CHECK_INT((int)pictures_stats(cache).decodes, 0);
    pictures_destroy(cache);
}

static void svg_that_draws_too_slowly_should_give_up_within_the_render_budget(void)
{
    /* Within every count, but each big translucent stroked circle covers most of the picture: drawn
     * at 2000x2000 this takes SDL_image half a minute. */
    char *text = svg_of_many("<circle cx='500' cy='500' r='450' fill='rgba(0,0,0,0.1)' stroke='red' "
                             "stroke-width='9'/>", 1500);
    const char *path = write_text("slow.svg", text ? text : "");
    free(text);
    PictureCache *cache = pictures_create(renderer, 64u << 20);
    double start = seconds_now();
    CHECK(pictures_get(cache, path, 2000, 2000, NULL, NULL) == NULL);
    CHECK(seconds_now() - start < 3.0);
    CHECK_INT((int)pictures_stats(cache).failures, 1);
    pictures_destroy(cache);
}

static void svg_with_absurd_numbers_for_its_size_should_not_break_the_fitting(void)
{
    const char *broken = write_text("broken-xml.svg", "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 10 10'>"
                                                      "<g><rect width='5' height='5'/></svg>");
    /* A comment before the real root element holding an <svg> tag with infinite sizes. */
    const char *commented = write_text("commented.svg", "<!-- <svg width='1e999' height='1e999'> -->"
                                                        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 20 10'>"
                                                        "<rect width='20' height='10'/></svg>");
    const char *infinite = write_text("infinite.svg", "<svg xmlns='http://www.w3.org/2000/svg' width='1e999' "
                                                      "height='NaN' viewBox='0 0 1e400 1e400'/>");
    PictureCache *cache = pictures_create(renderer, 8u << 20);
    CHECK(pictures_get(cache, broken, 100, 100, NULL, NULL) == NULL);
    int w = 0, h = 0;
    /* Unusable sizes are not read as numbers: the picture is measured by drawing it instead. */
    CHECK(pictures_get(cache, commented, 100, 100, &w, &h) != NULL);
    CHECK_INT(w, 100);
    CHECK_INT(h, 50);
    CHECK(pictures_get(cache, infinite, 100, 100, &w, &h) == NULL);
    pictures_destroy(cache);
}

int main(void)
{
    int status = 1;
    SDL_setenv("SDL_VIDEODRIVER", "dummy", 1);
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't initialise SDL: %s", SDL_GetError());
        return 1;
    }
    int want = IMG_INIT_PNG | IMG_INIT_JPG;
    if ((IMG_Init(want) & want) != want) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't initialise SDL_image: %s", SDL_GetError());
        goto done;
    }
    snprintf(folder, sizeof folder, "/tmp/ba_test_pictures_XXXXXX");
    if (!mkdtemp(folder)) {
        perror("mkdtemp");
        goto done;
    }
    folder_made = true;
    target = SDL_CreateRGBSurfaceWithFormat(0, 512, 512, 32, SDL_PIXELFORMAT_ARGB8888);
    renderer = target ? SDL_CreateSoftwareRenderer(target) : NULL;
    if (!renderer) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't create a renderer: %s", SDL_GetError());
        goto done;
    }

    RUN(svg_should_be_rasterised_at_the_fitted_size);
    RUN(svg_size_should_come_from_its_view_box_or_units_when_needed);
    RUN(png_should_be_scaled_once_to_the_fitted_size);
    RUN(jpeg_should_be_scaled_once_to_the_fitted_size);
    RUN(shrunk_png_should_keep_clean_edges_without_dark_fringes);
    RUN(second_request_should_come_from_the_cache);
    RUN(broken_files_should_return_null_and_not_be_decoded_again);
    RUN(cache_should_stay_within_its_byte_budget);
    RUN(picture_bigger_than_the_budget_should_still_be_returned);
    RUN(every_builtin_icon_should_load_from_the_icons_folder);
    RUN(icon_names_should_not_reach_outside_the_icons_folder);
    RUN(bad_arguments_should_return_null);
    RUN(png_of_8192_pixels_a_side_should_be_refused_without_decoding_it);
    RUN(svg_beyond_the_drawing_budget_should_be_refused_quickly);
    RUN(svg_that_draws_too_slowly_should_give_up_within_the_render_budget);
    RUN(svg_with_absurd_numbers_for_its_size_should_not_break_the_fitting);
    status = CHECK_SUMMARY();

done:
    for (int i = 0; i < file_count; i++)
        unlink(file_paths[i]);
    if (folder_made)
        rmdir(folder);
    if (renderer)
        SDL_DestroyRenderer(renderer);
    if (target)
        SDL_FreeSurface(target);
    IMG_Quit();
    SDL_Quit();
    return status;
}
