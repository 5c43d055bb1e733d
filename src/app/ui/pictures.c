/* pictures.c: pack pictures and icons as textures of exactly the size they are shown, in a bounded LRU.
 *
 * The one decision to know: a texture is made per (path, fitted size), never scaled by the renderer.
 * SVG is rasterised by SDL_image at the fitted size, so lines stay crisp on a 800x480 kiosk and on a 4K
 * screen alike; PNG and JPEG are decoded, scaled once with a linear filter (halving first when shrinking
 * a lot, so a large photo does not alias) and the decoded original is dropped straight away. To know
 * the fitted size before decoding, each path's intrinsic size is remembered in a small table; an SVG's
 * comes from its root element's width/height/viewBox without rasterising it. The same table remembers
 * broken files, so a missing picture costs one failed read, not one per frame.
 *
 * Hostile files are stopped twice before any decoder runs. The file is checked again with the validator's
 * own pack_file_check_picture (it may have changed since): a PNG or JPEG beyond the pixel budget is
 * refused from its header, so a legal 8192x8192 PNG never costs 256 MiB; damaged, CMYK and over-budget SVG
 * files are refused the same way. And since the cost of drawing an SVG grows with the area its shapes
 * cover, which no count can bound, an SVG is rasterised in a child process with a deadline
 * (RENDER_BUDGET_MS; small ones, such as icons, are drawn directly): past it the child is killed and the
 * placeholder shows, so the main loop always comes back to its events (a stop request, a touch) within
 * that time.
 *
 * Textures are held in a doubly linked list, most recently used first, bounded by cache_bytes
 * (w * h * 4 per texture). The one exception is a single picture larger than the whole budget: it is
 * kept alone, because the caller may draw it until its next call.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, kill() */
#include "pictures.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <SDL_image.h>

#include "pack_files.h"

enum {
    MAX_PATH_INFOS = 1024,  /* distinct files remembered; far more than all packs' pictures together */
    MAX_SIDE = 16384,       /* no screen needs more; keeps w * h * 4 well inside size_t and int */
    SVG_SNIFF_BYTES = 4096, /* how far into a file "<svg" may start (after an XML prolog, comments) */
    SVG_PROBE_SIDE = 1024,  /* box for measuring an SVG whose size its attributes do not tell */
    ICON_PATH_MAX = 4096,
    RENDER_BUDGET_MS = 2000, /* the longest an SVG may take to draw before the placeholder shows */
    RENDER_POLL_MS = 2,
    /* Up to this many pixels an SVG within the validator's budget draws in well under a second even in
     * the worst case measured (2000 large see-through shapes: about 0.2 s), so icons and small tiles are
     * drawn directly, without the cost of starting a child. */
    DIRECT_RENDER_PIXELS = 128 * 128,
    NUMBER_CAP = 1000000000, /* sizes beyond this are nonsense, and would overflow the fitting */
};

typedef enum { KIND_UNKNOWN, KIND_SVG, KIND_PNG, KIND_JPEG } PictureKind;

/* What is known about one file, whatever the size it is shown at. */
typedef struct {
    char *path;
    Uint32 hash;
    PictureKind kind;
    double width, height; /* intrinsic size; only its proportions matter */
    bool broken;
} PathInfo;

/* One texture of one file at one fitted size. */
typedef struct Entry {
    struct Entry *prev, *next;
    char *path;
    Uint32 hash;
    int w, h;
    size_t bytes;
    SDL_Texture *texture;
} Entry;

struct PictureCache {
    SDL_Renderer *renderer;
    size_t budget;
    int max_texture_w, max_texture_h;
    Entry *newest, *oldest;
    PathInfo infos[MAX_PATH_INFOS];
    int info_count;
    int info_replace; /* when the table is full, the slot to reuse next (round robin) */
    PictureCacheStats stats;
};

/* FNV-1a: a quick filter before strcmp when scanning the lists. */
static Uint32 hash_path(const char *s)
{
    Uint32 h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static char *copy_string(const char *s)
{
    size_t n = strlen(s) + 1;
    char *copy = SDL_malloc(n);
    if (copy)
        memcpy(copy, s, n);
    return copy;
}

PictureCache *pictures_create(SDL_Renderer *renderer, size_t cache_bytes)
{
    PictureCache *cache = NULL;
    if (!renderer) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't create the picture cache: no renderer");
        goto fail;
    }
    cache = SDL_calloc(1, sizeof *cache);
    if (!cache) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't create the picture cache: out of memory");
        goto fail;
    }
    cache->renderer = renderer;
    cache->budget = cache_bytes;
    cache->max_texture_w = cache->max_texture_h = MAX_SIDE;
    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(renderer, &info) != 0) {
        /* Not fatal: without the limits a texture too big for the GPU just fails to be created. */
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't query the renderer: %s", SDL_GetError());
    } else {
        if (info.max_texture_width > 0 && info.max_texture_width < MAX_SIDE)
            cache->max_texture_w = info.max_texture_width;
        if (info.max_texture_height > 0 && info.max_texture_height < MAX_SIDE)
            cache->max_texture_h = info.max_texture_height;
    }
    return cache;

fail:
    SDL_free(cache);
    return NULL;
}

static void entry_unlink(PictureCache *cache, Entry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        cache->newest = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        cache->oldest = e->prev;
    e->prev = e->next = NULL;
}

static void entry_push_newest(PictureCache *cache, Entry *e)
{
    e->prev = NULL;
    e->next = cache->newest;
    if (cache->newest)
        cache->newest->prev = e;
    cache->newest = e;
    if (!cache->oldest)
        cache->oldest = e;
}

static void entry_destroy(PictureCache *cache, Entry *e)
{
    entry_unlink(cache, e);
    cache->stats.entries--;
    cache->stats.bytes -= e->bytes;
    SDL_DestroyTexture(e->texture);
    SDL_free(e->path);
    SDL_free(e);
}

void pictures_clear(PictureCache *cache)
{
    if (!cache)
        return;
    while (cache->newest)
        entry_destroy(cache, cache->newest);
    /* Forget broken files too: clearing is what a caller does after the files may have changed. */
    for (int i = 0; i < cache->info_count; i++)
        SDL_free(cache->infos[i].path);
    cache->info_count = 0;
    cache->info_replace = 0;
}

void pictures_destroy(PictureCache *cache)
{
    if (!cache)
        return;
    pictures_clear(cache);
    SDL_free(cache);
}

PictureCacheStats pictures_stats(const PictureCache *cache)
{
    PictureCacheStats none = {0, 0, 0, 0, 0};
    return cache ? cache->stats : none;
}

/* ---- What kind of file, and how big ---- */

static bool starts_with(const unsigned char *data, size_t len, const char *magic, size_t magic_len)
{
    return len >= magic_len && memcmp(data, magic, magic_len) == 0;
}

static PictureKind sniff_kind(const unsigned char *data, size_t len)
{
    if (starts_with(data, len, "\x89PNG\r\n\x1a\n", 8))
        return KIND_PNG;
    if (starts_with(data, len, "\xff\xd8\xff", 3))
        return KIND_JPEG;
    /* SVG is text: an optional byte order mark and white space, then markup with an <svg element near
     * the start (after any <?xml ...?>, comments or DOCTYPE). */
    size_t i = starts_with(data, len, "\xef\xbb\xbf", 3) ? 3 : 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    if (i >= len || data[i] != '<')
        return KIND_UNKNOWN;
    size_t end = len < SVG_SNIFF_BYTES ? len : SVG_SNIFF_BYTES;
    for (; i + 4 <= end; i++)
        if (memcmp(data + i, "<svg", 4) == 0)
            return KIND_SVG;
    return KIND_UNKNOWN;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',';
}

/* A decimal number as SVG writes it. Hand-written because strtod follows the C locale, and a UI that
 * calls setlocale() for its texts would read "48.5" as 48 in many countries. */
static bool parse_number(const char **s, double *out)
{
    const char *p = *s;
    double sign = 1.0, value = 0.0;
    bool digits = false;
    if (*p == '+' || *p == '-')
        sign = *p++ == '-' ? -1.0 : 1.0;
    for (; *p >= '0' && *p <= '9'; p++, digits = true)
        value = value * 10.0 + (*p - '0');
    if (*p == '.') {
        double scale = 0.1;
        for (p++; *p >= '0' && *p <= '9'; p++, digits = true, scale *= 0.1)
            value += (*p - '0') * scale;
    }
    if (!digits)
        return false;
    if ((*p == 'e' || *p == 'E') && ((p[1] >= '0' && p[1] <= '9') || p[1] == '-' || p[1] == '+')) {
        const char *q = p + 1;
        int esign = 1, exponent = 0;
        if (*q == '+' || *q == '-')
            esign = *q++ == '-' ? -1 : 1;
        if (*q >= '0' && *q <= '9') {
            for (; *q >= '0' && *q <= '9'; q++)
                exponent = exponent < 400 ? exponent * 10 + (*q - '0') : exponent;
            for (int k = 0; k < exponent; k++)
                value = esign > 0 ? value * 10.0 : value / 10.0;
            p = q;
        }
    }
    /* "1e400" is infinite, and infinity in the fitting below would turn into NaN. */
    if (!isfinite(value) || value > NUMBER_CAP)
        return false;
    *out = sign * value;
    *s = p;
    return true;
}

/* The value of attribute `name` inside the tag text [tag, tag_end), copied into `out`. */
static bool tag_attribute(const char *tag, const char *tag_end, const char *name, char *out, size_t out_size)
{
    size_t name_len = strlen(name);
    for (const char *p = tag; p + name_len < tag_end; p++) {
        if (!is_space(p[-1]) || strncmp(p, name, name_len) != 0)
            continue;
        const char *q = p + name_len;
        while (q < tag_end && is_space(*q))
            q++;
        if (q >= tag_end || *q != '=')
            continue;
        for (q++; q < tag_end && is_space(*q);)
            q++;
        if (q >= tag_end || (*q != '"' && *q != '\''))
            continue;
        char quote = *q++;
        const char *close = memchr(q, quote, (size_t)(tag_end - q));
        if (!close || (size_t)(close - q) >= out_size)
            return false;
        memcpy(out, q, (size_t)(close - q));
        out[close - q] = '\0';
        return true;
    }
    return false;
}

/* A length in CSS pixels at 96 dpi, as SDL_image's SVG loader (nanosvg) reads it. Percentages and
 * font-relative units depend on context it does not have either, so they count as unknown. */
static bool parse_length(const char *text, double *out)
{
    static const struct {
        const char *unit;
        double px;
    } units[] = {{"", 1.0},   {"px", 1.0},           {"pt", 96.0 / 72.0}, {"pc", 16.0},
                 {"in", 96.0}, {"mm", 96.0 / 25.4}, {"cm", 96.0 / 2.54}};
    double value;
    while (is_space(*text))
        text++;
    if (!parse_number(&text, &value) || !(value > 0.0))
        return false;
    size_t len = strlen(text);
    while (len > 0 && is_space(text[len - 1]))
        len--;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strlen(units[i].unit) == len && strncmp(text, units[i].unit, len) == 0) {
            *out = value * units[i].px;
            return true;
        }
    return false;
}

typedef enum { SIZE_UNKNOWN, SIZE_DECLARED, SIZE_EMPTY } DeclaredSize;

/* A width or height attribute that is a plain number no greater than zero: nothing can be drawn. */
static bool zero_length(const char *text)
{
    double value;
    while (is_space(*text))
        text++;
    return parse_number(&text, &value) && !(value > 0.0);
}

/* The intrinsic size an SVG declares on its root element: width and height, else the viewBox. */
static DeclaredSize svg_declared_size(const char *text, size_t len, double *w, double *h)
{
    const char *end = text + len;
    const char *tag = NULL;
    for (const char *p = text; p + 4 < end; p++)
        if (memcmp(p, "<svg", 4) == 0 && is_space(p[4])) {
            tag = p + 4;
            break;
        }
    if (!tag)
        return SIZE_UNKNOWN;
    const char *tag_end = memchr(tag, '>', (size_t)(end - tag));
    if (!tag_end)
        return SIZE_UNKNOWN;

    char width[64], height[64], box[256];
    bool has_w = tag_attribute(tag, tag_end, "width", width, sizeof width);
    bool has_h = tag_attribute(tag, tag_end, "height", height, sizeof height);
    if ((has_w && zero_length(width)) || (has_h && zero_length(height)))
        return SIZE_EMPTY;
    if (has_w && has_h && parse_length(width, w) && parse_length(height, h))
        return SIZE_DECLARED;
    if (has_w || has_h)
        return SIZE_UNKNOWN; /* half given or in relative units: let the loader itself tell */
    if (!tag_attribute(tag, tag_end, "viewBox", box, sizeof box))
        return SIZE_UNKNOWN;
    double v[4];
    const char *p = box;
    for (int i = 0; i < 4; i++) {
        while (is_space(*p))
            p++;
        if (!parse_number(&p, &v[i]))
            return SIZE_UNKNOWN;
    }
    if (!(v[2] > 0.0) || !(v[3] > 0.0))
        return SIZE_EMPTY;
    *w = v[2];
    *h = v[3];
    return SIZE_DECLARED;
}

/* The largest w x h inside max_w x max_h with the proportions of iw x ih. The limiting side gets
 * exactly its maximum, so a 200x100 picture in a 100x100 box is 100x50, not 99x50 after rounding. */
static void fit_size(double iw, double ih, int max_w, int max_h, int *w, int *h)
{
    if (!(iw > 0.0 && ih > 0.0 && iw <= NUMBER_CAP && ih <= NUMBER_CAP))
        iw = ih = 1.0; /* never reached with sizes from the checks above; a square is a safe answer */
    if ((double)max_w * ih <= (double)max_h * iw) {
        *w = max_w;
        *h = (int)(max_w * ih / iw + 0.5);
    } else {
        *h = max_h;
        *w = (int)(max_h * iw / ih + 0.5);
    }
    *w = *w < 1 ? 1 : *w > max_w ? max_w : *w;
    *h = *h < 1 ? 1 : *h > max_h ? max_h : *h;
}

/* ---- Decoding ---- */

static SDL_Surface *decode_raster(PictureCache *cache, const void *data, size_t len, PictureKind kind)
{
    cache->stats.decodes++;
    if (len > INT32_MAX) {
        SDL_SetError("the file is too big");
        return NULL;
    }
    SDL_RWops *rw = SDL_RWFromConstMem(data, (int)len);
    if (!rw)
        return NULL;
    return IMG_LoadTyped_RW(rw, 1, kind == KIND_PNG ? "PNG" : "JPG");
}

/* Rasterises an SVG as large as fits in w x h, at the size the loader chooses.
 * Known SDL_image 2.6 leak: an SVG that has no size at all (no width, height or viewBox and nothing
 * drawn) makes IMG_LoadSizedSVG_RW fail without freeing its parse (16 bytes). Such a file is remembered
 * as broken, so this happens at most once per file, and SVGs that declare a zero size are turned away
 * before they reach the loader. */
static SDL_Surface *rasterise_svg_here(const void *data, size_t len, int w, int h)
{
    if (len > INT32_MAX) {
        SDL_SetError("the file is too big");
        return NULL;
    }
    SDL_RWops *rw = SDL_RWFromConstMem(data, (int)len);
    if (!rw)
        return NULL;
    SDL_Surface *drawn = IMG_LoadSizedSVG_RW(rw, w, h);
    SDL_RWclose(rw);
    return drawn;
}

/* What the drawing child hands back, at the start of the shared memory; the pixels follow. */
typedef struct {
    volatile int done; /* set last, after w, h and the pixels */
    int w, h;
} ChildResult;

static int64_t monotonic_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* In the child: draw, copy the pixels (ARGB8888, at most cap_w x cap_h) out, and end at once with
 * _exit, which runs no handlers and flushes nothing of the parent's. */
static void draw_in_child(const void *data, size_t len, int w, int h, ChildResult *out, int cap_w, int cap_h)
{
    int status = 1;
    prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive the app */
    SDL_Surface *drawn = rasterise_svg_here(data, len, w, h);
    SDL_Surface *argb = drawn ? SDL_ConvertSurfaceFormat(drawn, SDL_PIXELFORMAT_ARGB8888, 0) : NULL;
    if (argb) {
        out->w = argb->w < cap_w ? argb->w : cap_w;
        out->h = argb->h < cap_h ? argb->h : cap_h;
        Uint8 *pixels = (Uint8 *)(out + 1);
        for (int y = 0; y < out->h; y++)
            memcpy(pixels + (size_t)y * (size_t)out->w * 4, (Uint8 *)argb->pixels + (size_t)y * (size_t)argb->pitch,
                   (size_t)out->w * 4);
        out->done = 1;
        status = 0;
    }
    _exit(status);
}

/* Waits for the child until the deadline; kills it past that. True when it finished its drawing. */
static bool wait_for_child(pid_t pid, const ChildResult *result)
{
    int64_t deadline = monotonic_ms() + RENDER_BUDGET_MS;
    bool ended = false;
    while (!ended && monotonic_ms() < deadline) {
        pid_t r = waitpid(pid, NULL, WNOHANG);
        /* ECHILD: SIGCHLD is ignored, so the child was reaped already; its result says how it went. */
        ended = r == pid || (r < 0 && errno != EINTR);
        if (!ended) {
            struct timespec pause = {0, RENDER_POLL_MS * 1000000L};
            nanosleep(&pause, NULL);
        }
    }
    if (!ended) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        SDL_SetError("drawing it took longer than %d seconds; simplify the drawing or export it as PNG",
                     RENDER_BUDGET_MS / 1000);
        return false;
    }
    if (!result->done)
        SDL_SetError("SDL_image could not draw it");
    return result->done != 0;
}

/* Rasterises an SVG as large as fits in w x h, in a child process so that no drawing can hold the app
 * for longer than RENDER_BUDGET_MS. The loader may come out a pixel larger than asked (it rounds up),
 * so the shared memory leaves room for that. */
static SDL_Surface *rasterise_svg(PictureCache *cache, const void *data, size_t len, int w, int h)
{
    SDL_Surface *surface = NULL;
    int cap_w = w + 2, cap_h = h + 2;
    size_t bytes = sizeof(ChildResult) + (size_t)cap_w * (size_t)cap_h * 4;
    cache->stats.decodes++;
    if ((long)w * h <= DIRECT_RENDER_PIXELS)
        return rasterise_svg_here(data, len, w, h);
    ChildResult *result = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (result == MAP_FAILED) {
        SDL_SetError("no memory to draw it: %s", strerror(errno));
        return NULL;
    }
    result->done = 0;
    pid_t pid = fork();
    if (pid == 0)
        draw_in_child(data, len, w, h, result, cap_w, cap_h);
    if (pid < 0) {
        SDL_SetError("could not start drawing it: %s", strerror(errno));
        goto done;
    }
    if (!wait_for_child(pid, result))
        goto done;
    surface = SDL_CreateRGBSurfaceWithFormat(0, result->w, result->h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!surface)
        goto done;
    for (int y = 0; y < result->h; y++)
        memcpy((Uint8 *)surface->pixels + (size_t)y * (size_t)surface->pitch,
               (const Uint8 *)(result + 1) + (size_t)y * (size_t)result->w * 4, (size_t)result->w * 4);

done:
    munmap(result, bytes);
    return surface;
}

/* Rasterises an SVG fitted into w x h. The loader sizes its surface with ceilf, which can come out a
 * pixel larger (or, with its own reading of the size, smaller) than asked; the result is cropped or
 * padded onto an exact w x h canvas so that the texture is always exactly the size drawn. */
static SDL_Surface *render_svg(PictureCache *cache, const void *data, size_t len, int w, int h)
{
    SDL_Surface *exact = NULL;
    SDL_Surface *drawn = rasterise_svg(cache, data, len, w, h);
    if (!drawn)
        goto fail;
    if (drawn->w == w && drawn->h == h)
        return drawn;
    exact = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, drawn->format->format);
    if (!exact)
        goto fail;
    /* Copy, not blend: the new surface starts fully transparent and must take the pixels as they are. */
    if (SDL_SetSurfaceBlendMode(drawn, SDL_BLENDMODE_NONE) != 0 || SDL_BlitSurface(drawn, NULL, exact, NULL) != 0)
        goto fail;
    SDL_FreeSurface(drawn);
    return exact;

fail:
    SDL_FreeSurface(exact);
    SDL_FreeSurface(drawn);
    return NULL;
}

/* Linear filtering of straight (non-premultiplied) alpha pulls the colour of invisible pixels into the
 * visible edge: a dark fringe round every cut-out. Scaling in premultiplied form avoids it. */
static void premultiply(SDL_Surface *s)
{
    for (int y = 0; y < s->h; y++) {
        Uint32 *row = (Uint32 *)(void *)((Uint8 *)s->pixels + y * s->pitch);
        for (int x = 0; x < s->w; x++) {
            Uint32 p = row[x], a = p >> 24;
            if (a == 255)
                continue;
            Uint32 r = ((p >> 16) & 0xff) * a / 255, g = ((p >> 8) & 0xff) * a / 255, b = (p & 0xff) * a / 255;
            row[x] = (a << 24) | (r << 16) | (g << 8) | b;
        }
    }
}

static void unpremultiply(SDL_Surface *s)
{
    for (int y = 0; y < s->h; y++) {
        Uint32 *row = (Uint32 *)(void *)((Uint8 *)s->pixels + y * s->pitch);
        for (int x = 0; x < s->w; x++) {
            Uint32 p = row[x], a = p >> 24;
            if (a == 255 || a == 0)
                continue;
            Uint32 r = (((p >> 16) & 0xff) * 255 + a / 2) / a, g = (((p >> 8) & 0xff) * 255 + a / 2) / a,
                   b = ((p & 0xff) * 255 + a / 2) / a;
            r = r > 255 ? 255 : r;
            g = g > 255 ? 255 : g;
            b = b > 255 ? 255 : b;
            row[x] = (a << 24) | (r << 16) | (g << 8) | b;
        }
    }
}

/* Scales a decoded picture to exactly w x h. Takes ownership of `original` (freed on every path). */
static SDL_Surface *scale_raster(SDL_Surface *original, int w, int h)
{
    SDL_Surface *current = NULL, *next = NULL;
    /* SDL_SoftStretchLinear wants both sides in the same 32-bit format. */
    current = SDL_ConvertSurfaceFormat(original, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(original);
    if (!current)
        goto fail;
    if (current->w == w && current->h == h)
        return current;
    premultiply(current);
    /* A bilinear filter only looks at 2x2 source pixels; shrinking by more than half would skip
     * pixels and shimmer. Halving first averages every pixel, like a mipmap. */
    while (current->w != w || current->h != h) {
        bool halve = current->w >= 2 * w && current->h >= 2 * h;
        int step_w = halve ? current->w / 2 : w, step_h = halve ? current->h / 2 : h;
        next = SDL_CreateRGBSurfaceWithFormat(0, step_w, step_h, 32, SDL_PIXELFORMAT_ARGB8888);
        if (!next || SDL_SoftStretchLinear(current, NULL, next, NULL) != 0)
            goto fail;
        SDL_FreeSurface(current);
        current = next;
        next = NULL;
    }
    unpremultiply(current);
    return current;

fail:
    SDL_FreeSurface(next);
    SDL_FreeSurface(current);
    return NULL;
}

static SDL_Texture *make_texture(PictureCache *cache, SDL_Surface *surface)
{
    SDL_Texture *texture = SDL_CreateTextureFromSurface(cache->renderer, surface);
    if (!texture)
        goto fail;
    if (SDL_SetTextureBlendMode(texture, SDL_BLENDMODE_BLEND) != 0 ||
        SDL_SetTextureScaleMode(texture, SDL_ScaleModeLinear) != 0)
        goto fail;
    return texture;

fail:
    if (texture)
        SDL_DestroyTexture(texture);
    return NULL;
}

/* ---- The path table ---- */

static PathInfo *find_info(PictureCache *cache, const char *path, Uint32 hash)
{
    for (int i = 0; i < cache->info_count; i++)
        if (cache->infos[i].hash == hash && strcmp(cache->infos[i].path, path) == 0)
            return &cache->infos[i];
    return NULL;
}

static PathInfo *add_info(PictureCache *cache, const char *path, Uint32 hash)
{
    char *copy = copy_string(path);
    if (!copy)
        return NULL;
    PathInfo *info;
    if (cache->info_count < MAX_PATH_INFOS) {
        info = &cache->infos[cache->info_count++];
    } else {
        /* Forgetting a file only costs reading its header again next time. */
        info = &cache->infos[cache->info_replace];
        cache->info_replace = (cache->info_replace + 1) % MAX_PATH_INFOS;
        SDL_free(info->path);
    }
    *info = (PathInfo){copy, hash, KIND_UNKNOWN, 0.0, 0.0, false};
    return info;
}

static void mark_broken(PictureCache *cache, PathInfo *info, const char *why)
{
    SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't load picture %s: %s", info->path, why);
    info->broken = true;
    cache->stats.failures++;
}

/* The validator's own checks, run again on the bytes about to be decoded: the file may have changed since
 * the pack was loaded, and an icon or logo was never validated. */
static bool cheap_enough(PictureCache *cache, PathInfo *info, const void *data, size_t len)
{
    static const PackFileKind kinds[] = {FILE_KIND_UNKNOWN, FILE_KIND_SVG, FILE_KIND_PNG, FILE_KIND_JPEG};
    PackFileInfo check;
    memset(&check, 0, sizeof check);
    if (pack_file_check_picture_cost(kinds[info->kind], data, len, &check) == PACK_FILE_OK)
        return true;
    char why[240];
    snprintf(why, sizeof why, "it %s (%s)", pack_file_status_text(check.status), check.detail);
    mark_broken(cache, info, why);
    return false;
}

/* Reads a file seen for the first time: its kind and intrinsic size. A PNG or JPEG has to be decoded
 * for that; the decoded surface is handed back in *decoded so the same call need not decode it again. */
static void probe_file(PictureCache *cache, PathInfo *info, const void *data, size_t len, SDL_Surface **decoded)
{
    info->kind = sniff_kind(data, len);
    switch (info->kind) {
    case KIND_UNKNOWN:
        mark_broken(cache, info, "not a PNG, JPEG or SVG file");
        return;
    case KIND_PNG:
    case KIND_JPEG:
        if (!cheap_enough(cache, info, data, len))
            return;
        *decoded = decode_raster(cache, data, len, info->kind);
        if (!*decoded) {
            mark_broken(cache, info, SDL_GetError());
            return;
        }
        info->width = (*decoded)->w;
        info->height = (*decoded)->h;
        return;
    case KIND_SVG: {
        if (!cheap_enough(cache, info, data, len))
            return;
        DeclaredSize declared = svg_declared_size(data, len, &info->width, &info->height);
        if (declared == SIZE_DECLARED)
            return;
        if (declared == SIZE_EMPTY) {
            mark_broken(cache, info, "the SVG declares a width or height of zero");
            return;
        }
        /* No usable width/height/viewBox: let the loader measure it inside a bounded box. */
        SDL_Surface *probe = rasterise_svg(cache, data, len, SVG_PROBE_SIDE, SVG_PROBE_SIDE);
        if (!probe) {
            mark_broken(cache, info, SDL_GetError());
            return;
        }
        info->width = probe->w;
        info->height = probe->h;
        SDL_FreeSurface(probe);
        return;
    }
    }
}

/* ---- The texture cache ---- */

static Entry *find_entry(PictureCache *cache, const char *path, Uint32 hash, int w, int h)
{
    for (Entry *e = cache->newest; e; e = e->next)
        if (e->hash == hash && e->w == w && e->h == h && strcmp(e->path, path) == 0)
            return e;
    return NULL;
}

static Entry *insert_entry(PictureCache *cache, const char *path, Uint32 hash, SDL_Texture *texture, int w, int h)
{
    size_t bytes = (size_t)w * (size_t)h * 4;
    while (cache->oldest && cache->stats.bytes + bytes > cache->budget)
        entry_destroy(cache, cache->oldest);
    Entry *e = SDL_calloc(1, sizeof *e);
    char *copy = copy_string(path);
    if (!e || !copy) {
        SDL_free(e);
        SDL_free(copy);
        return NULL;
    }
    *e = (Entry){NULL, NULL, copy, hash, w, h, bytes, texture};
    entry_push_newest(cache, e);
    cache->stats.entries++;
    cache->stats.bytes += bytes;
    return e;
}

/* The whole file, NUL-terminated. SDL_LoadFile would replace the "Couldn't open" reason with a generic
 * one when the file is missing; opening it first keeps the message a staff member can act on. */
static void *load_file(const char *path, size_t *len)
{
    SDL_RWops *rw = SDL_RWFromFile(path, "rb");
    return rw ? SDL_LoadFile_RW(rw, len, 1) : NULL;
}

SDL_Texture *pictures_get(PictureCache *cache, const char *path, int max_w, int max_h, int *out_w, int *out_h)
{
    void *data = NULL;
    size_t len = 0;
    SDL_Surface *decoded = NULL, *fitted = NULL;
    SDL_Texture *texture = NULL, *result = NULL;
    PathInfo *info = NULL;
    Entry *hit = NULL;
    Uint32 hash = 0;
    int w = 0, h = 0;
    if (!cache || !path || !*path || max_w <= 0 || max_h <= 0)
        goto done;
    max_w = max_w > cache->max_texture_w ? cache->max_texture_w : max_w;
    max_h = max_h > cache->max_texture_h ? cache->max_texture_h : max_h;

    hash = hash_path(path);
    info = find_info(cache, path, hash);
    if (!info) {
        info = add_info(cache, path, hash);
        if (!info) {
            SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't load picture %s: out of memory", path);
            goto done;
        }
        data = load_file(path, &len);
        if (!data) {
            mark_broken(cache, info, SDL_GetError());
            goto done;
        }
        probe_file(cache, info, data, len, &decoded);
    }
    if (info->broken)
        goto done;

    fit_size(info->width, info->height, max_w, max_h, &w, &h);
    hit = find_entry(cache, path, hash, w, h);
    if (hit) {
        cache->stats.hits++;
        entry_unlink(cache, hit);
        entry_push_newest(cache, hit);
        result = hit->texture;
        goto done;
    }

    if (!data) { /* known file, new size: read it again (only fitted copies are kept) */
        data = load_file(path, &len);
        if (!data) {
            mark_broken(cache, info, SDL_GetError());
            goto done;
        }
        if (!cheap_enough(cache, info, data, len))
            goto done;
    }
    if (info->kind == KIND_SVG) {
        fitted = render_svg(cache, data, len, w, h);
    } else {
        if (!decoded)
            decoded = decode_raster(cache, data, len, info->kind);
        /* scale_raster frees the full-size original: only the fitted copy is kept. */
        fitted = decoded ? scale_raster(decoded, w, h) : NULL;
        decoded = NULL;
    }
    if (!fitted) {
        mark_broken(cache, info, SDL_GetError());
        goto done;
    }
    texture = make_texture(cache, fitted);
    if (!texture) {
        /* The file is fine; the renderer is not. Not remembered as broken, so it is tried again. */
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't make a texture for %s: %s", path, SDL_GetError());
        goto done;
    }
    if (!insert_entry(cache, path, hash, texture, w, h)) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't cache picture %s: out of memory", path);
        SDL_DestroyTexture(texture);
        goto done;
    }
    result = texture;

done:
    SDL_FreeSurface(fitted);
    SDL_FreeSurface(decoded);
    SDL_free(data);
    if (out_w)
        *out_w = result ? w : 0;
    if (out_h)
        *out_h = result ? h : 0;
    return result;
}

/* Icon names come from content packs; only plain names are allowed so none can reach outside the
 * icons folder ("../../etc/x"). */
static bool plain_icon_name(const char *name)
{
    if (!name || !*name)
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
              *p == '_'))
            return false;
    return true;
}

SDL_Texture *pictures_icon(PictureCache *cache, const char *icons_dir, const char *name, int size)
{
    char path[ICON_PATH_MAX];
    if (!cache || !icons_dir || !plain_icon_name(name) || size <= 0)
        return NULL;
    int n = snprintf(path, sizeof path, "%s/%s.svg", icons_dir, name);
    if (n < 0 || (size_t)n >= sizeof path) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't load icon %s: the path is too long", name);
        return NULL;
    }
    return pictures_get(cache, path, size, size, NULL, NULL);
}
