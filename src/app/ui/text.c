/* text.c: fonts from fontconfig, word-wrapped text and a bounded cache of rendered lines (see text.h).
 *
 * Three small caches keep a static screen away from SDL_ttf: open fonts per (pixel size, weight), bounded
 * to FONT_SLOTS and closed least recently used; layouts (where each line of a text starts and ends) per
 * (text, size, weight, width, line limit); and one white texture per laid-out line per (line text, size,
 * weight), tinted at draw time with colour and alpha modulation so one texture serves every colour. The
 * layout and texture caches share one LRU hash table type; the texture cache is bounded by the caller's
 * byte budget (w * h * 4 per texture), the layout cache by a fixed budget of its own.
 *
 * Wrapping is greedy: a line takes words (split at spaces, and after a hyphen inside a word) while the
 * line measured as a whole with TTF_SizeUTF8 still fits, so kerning is counted. A word wider than the
 * box is cut between code points (never inside a UTF-8 sequence, nor before a combining mark) at the
 * longest prefix that fits, found by binary search. Invalid UTF-8 bytes count as one character each;
 * SDL_ttf draws them as U+FFFD. A '\n' ends a paragraph; a single '\n' at the very end of the text does
 * not start an empty last line. Leading spaces of a paragraph are kept, those at a wrap are dropped.
 *
 * Text never draws outside its box. A character followed by hundreds of combining marks ("Zalgo" text)
 * is as narrow as the character but SDL_ttf stacks the marks into a glyph thousands of pixels tall: a
 * line is drawn with at most MAX_MARKS_PER_BASE marks on each character (they add no width, so the
 * layout is the same), and every line's texture is cropped to the text's box.
 *
 * A renderer of NULL makes a measuring-only system: text_draw() lays out but draws nothing.
 */
#include "text.h"

#include <fontconfig/fontconfig.h>
#include <SDL_ttf.h>

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    FONT_SLOTS = 16,        /* a screen uses a handful of sizes; 16 covers every screen with room */
    MAX_PX = 512,           /* a glyph cache for bigger text would cost more than it shows */
    PROBE_PX = 16,          /* size used to check at startup that a matched file really opens */
    BUCKETS_INITIAL = 64,   /* hash buckets; doubled when the load factor passes 1 */
    TEXTURE_MAX_ENTRIES = 4096,   /* bounds the keys' memory even when every texture is tiny */
    LAYOUT_MAX_ENTRIES = 1024,
    LAYOUT_MAX_BYTES = 1 << 20,
    MAX_MARKS_PER_BASE = 4, /* more stacked accents than any language writes; beyond them, dropped */
};

static const char ELLIPSIS[] = "\xE2\x80\xA6"; /* U+2026 */
static const float DEFAULT_SPACING = 1.25f;

/* ---------------------------------------------------------------------------------------------- */
/* An LRU cache with hash lookup, shared by layouts and line textures.                             */

typedef struct {
    size_t start, len; /* bytes of the source text shown on this line (trailing spaces excluded) */
    int width;         /* pixels, the ellipsis included */
    bool ellipsis;     /* the line is followed by U+2026 */
} LayoutLine;

typedef struct LruEntry LruEntry;
struct LruEntry {
    LruEntry *hash_next;
    LruEntry *newer, *older;
    uint64_t hash;
    size_t bytes; /* counted against the cache's budget */
    union {
        struct {
            SDL_Texture *texture;
            int w, h;
        } line;
        struct {
            LayoutLine *lines;
            int count, width;
            bool truncated;
        } layout;
    } value;
    size_t header_len, body_len;
    unsigned char key[]; /* header (fixed-size numbers) then body (text), no terminator */
};

typedef struct {
    LruEntry **buckets;
    size_t bucket_count; /* a power of two */
    size_t count, bytes;
    size_t max_bytes, max_entries;
    LruEntry *newest, *oldest;
    void (*release)(LruEntry *entry); /* frees what the value holds, not the entry */
} Lru;

/* FNV-1a, 64 bits: short keys, good spread, no table. Hashing header and body in turn avoids having to
 * copy a whole text next to its header just to look it up. */
static uint64_t hash_bytes(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static uint64_t hash_key(const void *header, size_t header_len, const char *body, size_t body_len)
{
    return hash_bytes(hash_bytes(14695981039346656037ULL, header, header_len), body, body_len);
}

static bool lru_init(Lru *lru, size_t max_bytes, size_t max_entries, void (*release)(LruEntry *))
{
    memset(lru, 0, sizeof *lru);
    lru->buckets = calloc(BUCKETS_INITIAL, sizeof *lru->buckets);
    if (!lru->buckets)
        return false;
    lru->bucket_count = BUCKETS_INITIAL;
    lru->max_bytes = max_bytes;
    lru->max_entries = max_entries;
    lru->release = release;
    return true;
}

static void lru_unlink_list(Lru *lru, LruEntry *e)
{
    if (e->newer)
        e->newer->older = e->older;
    else
        lru->newest = e->older;
    if (e->older)
        e->older->newer = e->newer;
    else
        lru->oldest = e->newer;
    e->newer = e->older = NULL;
}

static void lru_push_newest(Lru *lru, LruEntry *e)
{
    e->older = lru->newest;
    e->newer = NULL;
    if (lru->newest)
        lru->newest->newer = e;
    else
        lru->oldest = e;
    lru->newest = e;
}

static void lru_remove(Lru *lru, LruEntry *e)
{
    LruEntry **link = &lru->buckets[e->hash & (lru->bucket_count - 1)];
    while (*link && *link != e)
        link = &(*link)->hash_next;
    if (*link)
        *link = e->hash_next;
    lru_unlink_list(lru, e);
    lru->count--;
    lru->bytes -= e->bytes;
    lru->release(e);
    free(e);
}

static LruEntry *lru_find(Lru *lru, uint64_t hash, const void *header, size_t header_len, const char *body,
                          size_t body_len)
{
    for (LruEntry *e = lru->buckets[hash & (lru->bucket_count - 1)]; e; e = e->hash_next) {
        if (e->hash == hash && e->header_len == header_len && e->body_len == body_len &&
            memcmp(e->key, header, header_len) == 0 &&
            (body_len == 0 || memcmp(e->key + header_len, body, body_len) == 0)) {
            lru_unlink_list(lru, e);
            lru_push_newest(lru, e);
            return e;
        }
    }
    return NULL;
}

/* Whether an entry of `bytes` may be kept at all; one bigger than the whole budget is used once. */
static bool lru_can_hold(const Lru *lru, size_t bytes)
{
    return bytes <= lru->max_bytes && lru->max_entries > 0;
}

/* Evicts the oldest entries until one more of `bytes` fits the budget. */
static void lru_make_room(Lru *lru, size_t bytes)
{
    while (lru->oldest && (lru->bytes > lru->max_bytes - bytes || lru->count >= lru->max_entries))
        lru_remove(lru, lru->oldest);
}

static LruEntry *lru_new_entry(const void *header, size_t header_len, const char *body, size_t body_len)
{
    if (body_len > SIZE_MAX - sizeof(LruEntry) - header_len)
        return NULL;
    LruEntry *e = calloc(1, sizeof(LruEntry) + header_len + body_len);
    if (!e)
        return NULL;
    e->header_len = header_len;
    e->body_len = body_len;
    memcpy(e->key, header, header_len);
    if (body_len)
        memcpy(e->key + header_len, body, body_len);
    return e;
}

/* Doubles the bucket array. On allocation failure the table keeps working with longer chains. */
static void lru_grow(Lru *lru)
{
    if (lru->bucket_count > SIZE_MAX / 2 / sizeof *lru->buckets)
        return;
    size_t n = lru->bucket_count * 2;
    LruEntry **buckets = calloc(n, sizeof *buckets);
    if (!buckets)
        return;
    for (size_t i = 0; i < lru->bucket_count; i++) {
        LruEntry *e = lru->buckets[i];
        while (e) {
            LruEntry *next = e->hash_next;
            e->hash_next = buckets[e->hash & (n - 1)];
            buckets[e->hash & (n - 1)] = e;
            e = next;
        }
    }
    free(lru->buckets);
    lru->buckets = buckets;
    lru->bucket_count = n;
}

/* Takes ownership of `e`; the caller has made room (lru_make_room) for e->bytes. */
static void lru_insert(Lru *lru, LruEntry *e, uint64_t hash)
{
    e->hash = hash;
    LruEntry **bucket = &lru->buckets[hash & (lru->bucket_count - 1)];
    e->hash_next = *bucket;
    *bucket = e;
    lru_push_newest(lru, e);
    lru->count++;
    lru->bytes += e->bytes;
    if (lru->count > lru->bucket_count)
        lru_grow(lru);
}

static void lru_clear(Lru *lru)
{
    while (lru->oldest)
        lru_remove(lru, lru->oldest);
}

static void lru_free(Lru *lru)
{
    if (!lru->buckets)
        return;
    lru_clear(lru);
    free(lru->buckets);
    lru->buckets = NULL;
}

static void release_texture(LruEntry *e)
{
    SDL_DestroyTexture(e->value.line.texture);
}

static void release_layout(LruEntry *e)
{
    free(e->value.layout.lines);
}

/* ---------------------------------------------------------------------------------------------- */
/* The system.                                                                                      */

typedef struct {
    TTF_Font *font;
    int px;
    FontWeight weight;
    unsigned long long used; /* value of the use clock at the last lookup; 0 marks a free slot */
} FontSlot;

typedef struct {
    char path[4096];
    long index;       /* face index inside a collection (.ttc) */
    bool synth_bold;  /* the family has no bold face: SDL_ttf emboldens the regular one */
} FontFile;

struct TextSystem {
    SDL_Renderer *renderer;
    bool ttf_initialised_here;
    FontFile files[2]; /* by FontWeight */
    FontSlot fonts[FONT_SLOTS];
    unsigned long long font_clock;
    Lru textures;
    Lru layouts;
    size_t hits, misses;
    size_t overflows; /* text drawn (partly) outside the output: a layout bug, counted for the tests */
    char *buf; /* scratch for NUL-terminated pieces handed to SDL_ttf */
    size_t buf_size;
    size_t *bounds; /* scratch: character boundaries of the piece being cut */
    size_t bounds_size;
    LayoutLine *lines; /* scratch: the layout being built */
    size_t lines_size;
};

/* Layout of one text: either an entry of the layout cache or the scratch array; valid until the next
 * layout is computed. */
typedef struct {
    const LayoutLine *lines;
    int count, width;
    bool truncated;
} Layout;

static void set_error(char *error, size_t error_size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_error(char *error, size_t error_size, const char *fmt, ...)
{
    if (!error || error_size == 0)
        return;
    va_list args;
    va_start(args, fmt);
    vsnprintf(error, error_size, fmt, args);
    va_end(args);
}

static bool grow_array(void **array, size_t *size, size_t need, size_t item)
{
    if (need <= *size)
        return true;
    size_t n = *size ? *size : 64;
    while (n < need) {
        if (n > SIZE_MAX / 2 / item)
            return false;
        n *= 2;
    }
    void *p = realloc(*array, n * item);
    if (!p)
        return false;
    *array = p;
    *size = n;
    return true;
}

static bool buf_reserve(TextSystem *t, size_t need)
{
    void *p = t->buf;
    bool ok = grow_array(&p, &t->buf_size, need, 1);
    t->buf = p;
    return ok;
}

static int clamp_px(int px)
{
    return px < 1 ? 1 : px > MAX_PX ? MAX_PX : px;
}

static FontWeight clamp_weight(FontWeight weight)
{
    return weight == WEIGHT_BOLD ? WEIGHT_BOLD : WEIGHT_REGULAR;
}

static TTF_Font *open_font(const FontFile *file, int px)
{
    TTF_Font *font = TTF_OpenFontIndex(file->path, px, file->index);
    if (!font) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't open font %s at %d px: %s", file->path, px,
                     SDL_GetError());
        return NULL;
    }
    if (file->synth_bold)
        TTF_SetFontStyle(font, TTF_STYLE_BOLD);
    return font;
}

/* The font for (px, weight), opened on first use; evicts the least recently used slot when all are taken. */
static TTF_Font *get_font(TextSystem *t, int px, FontWeight weight)
{
    FontSlot *victim = &t->fonts[0];
    for (int i = 0; i < FONT_SLOTS; i++) {
        FontSlot *s = &t->fonts[i];
        if (s->font && s->px == px && s->weight == weight) {
            s->used = ++t->font_clock;
            return s->font;
        }
        if (s->used < victim->used)
            victim = s;
    }
    TTF_Font *font = open_font(&t->files[weight], px);
    if (!font)
        return NULL;
    if (victim->font)
        TTF_CloseFont(victim->font);
    victim->font = font;
    victim->px = px;
    victim->weight = weight;
    victim->used = ++t->font_clock;
    return font;
}

/* Checks that fontconfig's file exists and SDL_ttf can open it: a stale fontconfig cache can name a file
 * that a package upgrade removed. */
static bool font_file_usable(const FontFile *file)
{
    FILE *f = fopen(file->path, "rb");
    if (!f)
        return false;
    fclose(f);
    TTF_Font *font = TTF_OpenFontIndex(file->path, PROBE_PX, file->index);
    if (!font)
        return false;
    TTF_CloseFont(font);
    return true;
}

/* Asks fontconfig for `family` at `fc_weight`. FcFontMatch always returns its best guess, so for a named
 * family the match only counts when the family really is that one; otherwise "Noto Sans" would be
 * satisfied by whatever fontconfig falls back to and the preference order would mean nothing. */
static bool match_font(FcConfig *config, const char *family, int fc_weight, FontFile *out)
{
    bool ok = false;
    FcPattern *match = NULL;
    FcPattern *pattern = FcPatternCreate();
    if (!pattern)
        goto fail;
    if (!FcPatternAddString(pattern, FC_FAMILY, (const FcChar8 *)family) ||
        !FcPatternAddInteger(pattern, FC_WEIGHT, fc_weight) ||
        !FcPatternAddInteger(pattern, FC_SLANT, FC_SLANT_ROMAN) ||
        !FcPatternAddBool(pattern, FC_SCALABLE, FcTrue))
        goto fail;
    if (!FcConfigSubstitute(config, pattern, FcMatchPattern))
        goto fail;
    FcDefaultSubstitute(pattern);
    FcResult result = FcResultNoMatch;
    match = FcFontMatch(config, pattern, &result);
    if (!match || result != FcResultMatch)
        goto fail;

    if (strcmp(family, "sans-serif") != 0) {
        bool same_family = false;
        FcChar8 *name = NULL;
        for (int i = 0; FcPatternGetString(match, FC_FAMILY, i, &name) == FcResultMatch; i++) {
            if (FcStrCmpIgnoreCase(name, (const FcChar8 *)family) == 0) {
                same_family = true;
                break;
            }
        }
        if (!same_family)
            goto fail;
    }

    FcChar8 *file = NULL;
    if (FcPatternGetString(match, FC_FILE, 0, &file) != FcResultMatch || !file)
        goto fail;
    size_t len = strlen((const char *)file);
    if (len >= sizeof out->path)
        goto fail;
    memcpy(out->path, file, len + 1);
    int index = 0;
    if (FcPatternGetInteger(match, FC_INDEX, 0, &index) != FcResultMatch)
        index = 0;
    out->index = index;
    int weight = fc_weight;
    if (FcPatternGetInteger(match, FC_WEIGHT, 0, &weight) != FcResultMatch)
        weight = fc_weight;
    out->synth_bold = fc_weight >= FC_WEIGHT_BOLD && weight < FC_WEIGHT_DEMIBOLD;
    ok = font_file_usable(out);

fail:
    if (match)
        FcPatternDestroy(match);
    if (pattern)
        FcPatternDestroy(pattern);
    return ok;
}

static bool find_font(FcConfig *config, int fc_weight, FontFile *out)
{
    static const char *const families[] = {"Noto Sans", "DejaVu Sans", "sans-serif"};
    for (size_t i = 0; i < sizeof families / sizeof families[0]; i++) {
        if (match_font(config, families[i], fc_weight, out))
            return true;
    }
    return false;
}

TextSystem *text_create(SDL_Renderer *renderer, size_t cache_bytes, char *error, size_t error_size)
{
    char why[256] = ""; /* kept locally so the reason is logged even when the caller passes no buffer */
    FcConfig *config = NULL;
    TextSystem *t = calloc(1, sizeof *t);
    if (!t) {
        set_error(why, sizeof why, "Out of memory for the text system");
        goto fail;
    }
    t->renderer = renderer;

    if (!TTF_WasInit()) {
        if (TTF_Init() != 0) {
            set_error(why, sizeof why, "Couldn't initialise SDL_ttf: %s", SDL_GetError());
            goto fail;
        }
        t->ttf_initialised_here = true;
    }

    /* A config of our own, destroyed once the two paths are known, rather than fontconfig's global
     * current config, which would stay allocated for the life of the process. */
    config = FcInitLoadConfigAndFonts();
    if (!config) {
        set_error(why, sizeof why, "Couldn't load the fontconfig configuration");
        goto fail;
    }
    if (!find_font(config, FC_WEIGHT_REGULAR, &t->files[WEIGHT_REGULAR])) {
        set_error(why, sizeof why,
                  "No usable sans-serif font found (install fonts-noto-core or fonts-dejavu-core)");
        goto fail;
    }
    if (!find_font(config, FC_WEIGHT_BOLD, &t->files[WEIGHT_BOLD])) {
        /* A family without a bold face still reads fine emboldened by SDL_ttf. */
        t->files[WEIGHT_BOLD] = t->files[WEIGHT_REGULAR];
        t->files[WEIGHT_BOLD].synth_bold = true;
    }
    FcConfigDestroy(config);
    config = NULL;

    if (!lru_init(&t->textures, cache_bytes, TEXTURE_MAX_ENTRIES, release_texture) ||
        !lru_init(&t->layouts, LAYOUT_MAX_BYTES, LAYOUT_MAX_ENTRIES, release_layout)) {
        set_error(why, sizeof why, "Out of memory for the text caches");
        goto fail;
    }
    return t;

fail:
    SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't set up text: %s", why);
    set_error(error, error_size, "%s", why);
    if (config)
        FcConfigDestroy(config);
    text_destroy(t);
    return NULL;
}

void text_destroy(TextSystem *t)
{
    if (!t)
        return;
    /* Textures first: they belong to the renderer, which the caller destroys after us. */
    lru_free(&t->textures);
    lru_free(&t->layouts);
    for (int i = 0; i < FONT_SLOTS; i++) {
        if (t->fonts[i].font)
            TTF_CloseFont(t->fonts[i].font);
    }
    if (t->ttf_initialised_here)
        TTF_Quit();
    free(t->buf);
    free(t->bounds);
    free(t->lines);
    free(t);
}

const char *text_font_path(const TextSystem *t)
{
    return t ? t->files[WEIGHT_REGULAR].path : "";
}

/* ---------------------------------------------------------------------------------------------- */
/* Layout.                                                                                          */

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static size_t trim_right(const char *text, size_t start, size_t end)
{
    while (end > start && is_space(text[end - 1]))
        end--;
    return end;
}

/* Index after the character at `i` (< end), and its code point (U+FFFD for an invalid byte, which counts
 * as a character of its own: SDL_ttf shows one replacement glyph for it and cutting there is harmless). */
static size_t utf8_next(const char *text, size_t i, size_t end, uint32_t *cp_out)
{
    const unsigned char *s = (const unsigned char *)text;
    unsigned c = s[i];
    size_t n;
    uint32_t cp, min;
    *cp_out = 0xFFFD;
    if (c < 0x80) {
        *cp_out = c;
        return i + 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        n = 2, cp = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3, cp = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return i + 1;
    }
    if (n > end - i)
        return i + 1;
    for (size_t k = 1; k < n; k++) {
        if ((s[i + k] & 0xC0) != 0x80)
            return i + 1;
        cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return i + 1;
    *cp_out = cp;
    return i + n;
}

/* Code points that attach to the one before: cutting before them would strand an accent or split an
 * emoji sequence across lines. */
static bool attaches_to_previous(uint32_t cp)
{
    return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
           (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xFE20 && cp <= 0xFE2F) ||
           cp == 0x200D || (cp >= 0x1F3FB && cp <= 0x1F3FF) || (cp >= 0xE0100 && cp <= 0xE01EF);
}

/* Combining marks that stack on the character before them: those that cutting must respect, and the
 * common ones of Cyrillic, Hebrew, Arabic and Thai. */
static bool stacks_on_previous(uint32_t cp)
{
    return attaches_to_previous(cp) || (cp >= 0x0483 && cp <= 0x0489) || (cp >= 0x0591 && cp <= 0x05C7) ||
           (cp >= 0x0610 && cp <= 0x061A) || (cp >= 0x064B && cp <= 0x065F) || cp == 0x0E31 ||
           (cp >= 0x0E34 && cp <= 0x0E3A) || (cp >= 0x0E47 && cp <= 0x0E4E);
}

/* Copies text[start, start + len) to out (room for len bytes), keeping at most MAX_MARKS_PER_BASE
 * stacking marks in a row; returns the bytes written. Zero-width joiners and variation selectors are
 * among them, so an emoji sequence (never more than two in a row) keeps every part. */
static size_t copy_capping_marks(char *out, const char *text, size_t start, size_t len)
{
    size_t end = start + len, used = 0;
    int marks = 0;
    for (size_t i = start; i < end;) {
        uint32_t cp;
        size_t next = utf8_next(text, i, end, &cp);
        marks = stacks_on_previous(cp) ? marks + 1 : 0;
        if (marks <= MAX_MARKS_PER_BASE) {
            memcpy(out + used, text + i, next - i);
            used += next - i;
        }
        i = next;
    }
    return used;
}

/* Fills t->bounds with the places in (start, end] where a line may be cut inside a word; returns how
 * many (0 only on allocation failure). */
static size_t collect_bounds(TextSystem *t, const char *text, size_t start, size_t end)
{
    size_t n = 0;
    size_t i = start;
    while (i < end) {
        uint32_t cp;
        i = utf8_next(text, i, end, &cp);
        if (i < end) {
            uint32_t next_cp;
            utf8_next(text, i, end, &next_cp);
            if (attaches_to_previous(next_cp))
                continue;
        }
        void *p = t->bounds;
        bool ok = grow_array(&p, &t->bounds_size, n + 1, sizeof *t->bounds);
        t->bounds = p;
        if (!ok)
            return 0;
        t->bounds[n++] = i;
    }
    return n;
}

/* Width of text[start, end) followed by `suffix`, measured whole so that kerning counts. Returns false
 * when it cannot be measured, which callers treat as "does not fit". */
static bool span_width(TextSystem *t, TTF_Font *font, const char *text, size_t start, size_t end,
                       const char *suffix, int *width)
{
    size_t len = end - start, suffix_len = strlen(suffix);
    *width = 0;
    if (len == 0 && suffix_len == 0)
        return true;
    if (len > SIZE_MAX - suffix_len - 1 || !buf_reserve(t, len + suffix_len + 1))
        return false;
    memcpy(t->buf, text + start, len);
    memcpy(t->buf + len, suffix, suffix_len);
    t->buf[len + suffix_len] = '\0';
    int w = 0, h = 0;
    if (TTF_SizeUTF8(font, t->buf, &w, &h) != 0) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't measure text: %s", SDL_GetError());
        return false;
    }
    *width = w;
    return true;
}

static bool span_fits(TextSystem *t, TTF_Font *font, const char *text, size_t start, size_t end,
                      const char *suffix, int max_width, int *width)
{
    return span_width(t, font, text, start, end, suffix, width) && (max_width <= 0 || *width <= max_width);
}

/* Index into t->bounds[0, n) of the longest prefix text[start, bounds[k]) that, with trailing spaces
 * trimmed and `suffix` appended, fits; -1 when none does. Width grows with length, so bisect. */
static long longest_fit(TextSystem *t, TTF_Font *font, const char *text, size_t start, size_t n,
                        const char *suffix, int max_width, int *width)
{
    long lo = 0, hi = (long)n - 1, best = -1;
    while (lo <= hi) {
        long mid = lo + (hi - lo) / 2;
        int w;
        if (span_fits(t, font, text, start, trim_right(text, start, t->bounds[mid]), suffix, max_width, &w)) {
            best = mid;
            *width = w;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    return best;
}

/* Lays out the line starting at *pos and moves *pos to the next one; sets *done after the last. Always
 * makes progress, whatever the input and whatever fails, so layout terminates. */
static void next_line(TextSystem *t, TTF_Font *font, const char *text, size_t len, int max_width, size_t *pos,
                      bool *done, LayoutLine *line)
{
    size_t start = *pos;
    const char *nl = memchr(text + start, '\n', len - start);
    size_t para_end = nl ? (size_t)(nl - text) : len;
    size_t end = start, next = para_end;
    int width = 0;

    if (max_width <= 0) {
        end = trim_right(text, start, para_end);
        if (!span_width(t, font, text, start, end, "", &width))
            width = 0;
    } else {
        size_t i = start;
        bool have_words = false, overflow = false;
        for (;;) {
            size_t j = i;
            while (j < para_end && is_space(text[j]))
                j++;
            if (j == para_end)
                break;
            size_t word = j;
            while (j < para_end && !is_space(text[j])) {
                char c = text[j++];
                /* After a hyphen inside a word ("warm-up"), not after a leading one ("-5") or in "--". */
                if (c == '-' && j - 1 > word && j < para_end && !is_space(text[j]) && text[j] != '-')
                    break;
            }
            int w;
            if (!span_fits(t, font, text, start, j, "", max_width, &w)) {
                overflow = true;
                next = j; /* end of the piece that does not fit */
                break;
            }
            have_words = true;
            end = i = j;
            width = w;
        }
        if (have_words) {
            next = end;
            while (next < para_end && is_space(text[next]))
                next++;
        } else if (overflow) {
            /* The first word alone is too wide: cut it at the longest prefix that fits, at least one
             * character (if even that is wider than the box, text_draw clips it). */
            size_t piece_end = next;
            size_t n = collect_bounds(t, text, start, piece_end);
            long k = n > 1 ? longest_fit(t, font, text, start, n - 1, "", max_width, &width) : -1;
            if (k >= 0) {
                end = t->bounds[k];
            } else {
                uint32_t cp;
                end = n ? t->bounds[0] : utf8_next(text, start, piece_end, &cp);
                if (!span_width(t, font, text, start, end, "", &width))
                    width = 0;
                if (width > max_width)
                    width = max_width; /* what text_draw shows of it after clipping */
            }
            next = end;
            end = trim_right(text, start, end);
        } else {
            end = start; /* a paragraph of spaces only: an empty line */
        }
    }

    line->start = start;
    line->len = end - start;
    line->width = width;
    line->ellipsis = false;

    if (next >= para_end) {
        /* Paragraph finished. A '\n' that ends the text closes the last line rather than opening one. */
        if (para_end >= len || para_end + 1 >= len)
            *done = true;
        else
            next = para_end + 1;
    }
    *pos = next;
}

/* Shortens the last shown line so that it plus "…" fits. */
static void add_ellipsis(TextSystem *t, TTF_Font *font, const char *text, int max_width, LayoutLine *line)
{
    size_t start = line->start, end = trim_right(text, start, start + line->len);
    int width = 0;
    line->ellipsis = true;
    if (span_fits(t, font, text, start, end, ELLIPSIS, max_width, &width)) {
        line->len = end - start;
    } else {
        size_t n = collect_bounds(t, text, start, end);
        long k = n > 1 ? longest_fit(t, font, text, start, n - 1, ELLIPSIS, max_width, &width) : -1;
        if (k >= 0) {
            line->len = trim_right(text, start, t->bounds[k]) - start;
        } else {
            line->len = 0;
            if (!span_fits(t, font, text, start, start, ELLIPSIS, max_width, &width)) {
                line->ellipsis = false; /* a box narrower than "…" shows nothing rather than overflow */
                width = 0;
            }
        }
    }
    line->width = width;
}

static bool compute_layout(TextSystem *t, TTF_Font *font, const char *text, size_t len, int max_width,
                           int max_lines, Layout *out)
{
    size_t pos = 0;
    int count = 0, width = 0;
    bool done = len == 0, truncated = false;
    while (!done) {
        if ((max_lines > 0 && count == max_lines) || count == INT_MAX) {
            truncated = true;
            break;
        }
        void *p = t->lines;
        bool ok = grow_array(&p, &t->lines_size, (size_t)count + 1, sizeof *t->lines);
        t->lines = p;
        if (!ok) {
            SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Out of memory laying out text");
            truncated = true;
            break;
        }
        next_line(t, font, text, len, max_width, &pos, &done, &t->lines[count]);
        count++;
    }
    if (truncated && count > 0)
        add_ellipsis(t, font, text, max_width, &t->lines[count - 1]);
    for (int i = 0; i < count; i++) {
        if (t->lines[i].width > width)
            width = t->lines[i].width;
    }
    out->lines = t->lines;
    out->count = count;
    out->width = width;
    out->truncated = truncated;
    return true;
}

/* The layout of `utf8` at this size, weight, width and line limit, from the layout cache when possible. */
static bool get_layout(TextSystem *t, const char *utf8, int px, FontWeight weight, int max_width, int max_lines,
                       Layout *out)
{
    size_t len = strlen(utf8);
    if (max_width < 0)
        max_width = 0;
    if (max_lines < 0)
        max_lines = 0;
    const int header[4] = {px, (int)weight, max_width, max_lines};
    uint64_t hash = hash_key(header, sizeof header, utf8, len);
    LruEntry *e = lru_find(&t->layouts, hash, header, sizeof header, utf8, len);
    if (e) {
        out->lines = e->value.layout.lines;
        out->count = e->value.layout.count;
        out->width = e->value.layout.width;
        out->truncated = e->value.layout.truncated;
        return true;
    }

    TTF_Font *font = get_font(t, px, weight);
    if (!font || !compute_layout(t, font, utf8, len, max_width, max_lines, out))
        return false;

    /* Keep a copy in the cache; if that fails, the scratch layout still serves this call. */
    size_t lines_bytes = (size_t)out->count * sizeof(LayoutLine);
    if (len > SIZE_MAX / 2 || lines_bytes > SIZE_MAX / 4)
        return true;
    size_t bytes = sizeof(LruEntry) + sizeof header + len + lines_bytes;
    if (!lru_can_hold(&t->layouts, bytes))
        return true;
    LayoutLine *copy = NULL;
    if (out->count > 0) {
        copy = malloc(lines_bytes);
        if (!copy)
            return true;
        memcpy(copy, out->lines, lines_bytes);
    }
    e = lru_new_entry(header, sizeof header, utf8, len);
    if (!e) {
        free(copy);
        return true;
    }
    e->bytes = bytes;
    e->value.layout.lines = copy;
    e->value.layout.count = out->count;
    e->value.layout.width = out->width;
    e->value.layout.truncated = out->truncated;
    lru_make_room(&t->layouts, bytes);
    lru_insert(&t->layouts, e, hash);
    return true;
}

/* TTF_FontHeight times the spacing, rounded; the one formula for layout and text_line_height(). */
static int line_height_of(TTF_Font *font, float spacing)
{
    double s = spacing > 0.0f && spacing <= 100.0f ? (double)spacing : (double)DEFAULT_SPACING;
    double h = (double)TTF_FontHeight(font) * s + 0.5;
    return h < 1.0 ? 1 : h > (double)(INT_MAX / 2) ? INT_MAX / 2 : (int)h;
}

static TextMetrics metrics_of(const Layout *layout, int line_height)
{
    TextMetrics m = {0};
    m.lines = layout->count;
    m.width = layout->width;
    m.height = layout->count > INT_MAX / line_height ? INT_MAX : layout->count * line_height;
    m.truncated = layout->truncated;
    return m;
}

TextMetrics text_measure(TextSystem *t, const char *utf8, const TextStyle *style, int max_width)
{
    TextMetrics m = {0};
    if (!t || !style || !utf8 || !*utf8)
        return m;
    int px = clamp_px(style->px);
    FontWeight weight = clamp_weight(style->weight);
    Layout layout;
    if (!get_layout(t, utf8, px, weight, max_width, style->max_lines, &layout))
        return m;
    TTF_Font *font = get_font(t, px, weight);
    if (!font)
        return m;
    return metrics_of(&layout, line_height_of(font, style->line_spacing));
}

int text_line_height(TextSystem *t, const TextStyle *style)
{
    if (!t || !style)
        return 0;
    TTF_Font *font = get_font(t, clamp_px(style->px), clamp_weight(style->weight));
    return font ? line_height_of(font, style->line_spacing) : 0;
}

/* ---------------------------------------------------------------------------------------------- */
/* Drawing.                                                                                         */

/* The white texture of one laid-out line. Sets *owned when the texture is too big for the cache and the
 * caller must destroy it after use. */
static SDL_Texture *line_texture(TextSystem *t, const char *utf8, const LayoutLine *line, int px,
                                 FontWeight weight, bool *owned)
{
    SDL_Texture *texture = NULL;
    SDL_Surface *surface = NULL;
    *owned = false;

    /* The key's body is the line as drawn, ellipsis included, NUL-terminated for SDL_ttf. */
    size_t suffix_len = line->ellipsis ? sizeof ELLIPSIS - 1 : 0;
    size_t len = line->len + suffix_len;
    if (line->len > SIZE_MAX - suffix_len - 1 || !buf_reserve(t, len + 1))
        goto fail;
    len = copy_capping_marks(t->buf, utf8, line->start, line->len);
    memcpy(t->buf + len, ELLIPSIS, suffix_len);
    len += suffix_len;
    t->buf[len] = '\0';

    const int header[2] = {px, (int)weight};
    uint64_t hash = hash_key(header, sizeof header, t->buf, len);
    LruEntry *e = lru_find(&t->textures, hash, header, sizeof header, t->buf, len);
    if (e) {
        t->hits++;
        return e->value.line.texture;
    }
    t->misses++;

    TTF_Font *font = get_font(t, px, weight);
    if (!font)
        goto fail;
    const SDL_Color white = {255, 255, 255, 255};
    surface = TTF_RenderUTF8_Blended(font, t->buf, white);
    if (!surface) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't render text: %s", SDL_GetError());
        goto fail;
    }
    texture = SDL_CreateTextureFromSurface(t->renderer, surface);
    if (!texture) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't create a text texture: %s", SDL_GetError());
        goto fail;
    }
    if (SDL_SetTextureBlendMode(texture, SDL_BLENDMODE_BLEND) != 0) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't set a text texture's blend mode: %s",
                     SDL_GetError());
        goto fail;
    }
    size_t bytes = (size_t)surface->w * (size_t)surface->h * 4;
    int w = surface->w, h = surface->h;
    SDL_FreeSurface(surface);
    surface = NULL;

    if (!lru_can_hold(&t->textures, bytes) || !(e = lru_new_entry(header, sizeof header, t->buf, len))) {
        *owned = true;
        return texture;
    }
    e->bytes = bytes;
    e->value.line.texture = texture;
    e->value.line.w = w;
    e->value.line.h = h;
    lru_make_room(&t->textures, bytes);
    lru_insert(&t->textures, e, hash);
    return texture;

fail:
    if (surface)
        SDL_FreeSurface(surface);
    if (texture)
        SDL_DestroyTexture(texture);
    return NULL;
}

/* Draws a line's texture at x, y, cropped to max_width and to the box's bottom edge at bottom. */
static void draw_line_texture(TextSystem *t, SDL_Texture *texture, SDL_Color color, int x, int y, int max_width,
                              int bottom)
{
    int w = 0, h = 0;
    if (SDL_QueryTexture(texture, NULL, NULL, &w, &h) != 0) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't query a text texture: %s", SDL_GetError());
        return;
    }
    /* Layout keeps lines within max_width; clipping covers the one case it cannot (a single glyph wider
     * than the box), so the promise "nothing overflows" holds for drawing too. */
    if (max_width > 0 && w > max_width)
        w = max_width;
    if (h > bottom - y)
        h = bottom - y;
    if (w <= 0 || h <= 0)
        return;
    SDL_Rect src = {0, 0, w, h}, dst = {x, y, w, h};
    if (SDL_SetTextureColorMod(texture, color.r, color.g, color.b) != 0 ||
        SDL_SetTextureAlphaMod(texture, color.a) != 0) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't tint a text texture: %s", SDL_GetError());
        return;
    }
    if (SDL_RenderCopy(t->renderer, texture, &src, &dst) != 0)
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't draw text: %s", SDL_GetError());
}

TextMetrics text_draw(TextSystem *t, const char *utf8, const TextStyle *style, int x, int y, int max_width)
{
    TextMetrics m = {0};
    if (!t || !style || !utf8 || !*utf8)
        return m;
    int px = clamp_px(style->px);
    FontWeight weight = clamp_weight(style->weight);
    Layout layout;
    if (!get_layout(t, utf8, px, weight, max_width, style->max_lines, &layout))
        return m;
    TTF_Font *font = get_font(t, px, weight);
    if (!font)
        return m;
    int line_height = line_height_of(font, style->line_spacing);
    m = metrics_of(&layout, line_height);
    if (!t->renderer)
        return m;

    /* Half the extra spacing above each line, as CSS does, so a line sits in the middle of its slot. */
    int leading = (line_height - TTF_FontHeight(font)) / 2;
    if (leading < 0)
        leading = 0;
    int box = max_width > 0 ? max_width : layout.width;
    /* Reaching outside the screen is a layout bug, unless a scrolling view clips the text on purpose. */
    int out_w = 0, out_h = 0;
    if (!SDL_RenderIsClipEnabled(t->renderer) && SDL_GetRendererOutputSize(t->renderer, &out_w, &out_h) == 0 &&
        (x < 0 || y < 0 || x + m.width > out_w + 1 || y + m.height - leading > out_h + 1)) {
        t->overflows++;
        if (SDL_getenv("BA_DEBUG_OVERFLOW")) /* for whoever is hunting a layout bug */
            SDL_Log("text reaches off the screen: \"%.40s\" at %d,%d size %dx%d on %dx%d", utf8, x, y, m.width, m.height,
                    out_w, out_h);
    }
    /* The box's bottom: its lines, and the whole of the last line's glyphs when lines are set tighter
     * than the font's own height. */
    int bottom = y + m.height;
    if (layout.count > 0 && y + (layout.count - 1) * line_height + leading + TTF_FontHeight(font) > bottom)
        bottom = y + (layout.count - 1) * line_height + leading + TTF_FontHeight(font);
    for (int i = 0; i < layout.count; i++) {
        const LayoutLine *line = &layout.lines[i];
        if (line->width <= 0 || (line->len == 0 && !line->ellipsis))
            continue;
        int lx = x;
        if (style->align == ALIGN_CENTER)
            lx = x + (box - line->width) / 2;
        else if (style->align == ALIGN_RIGHT)
            lx = x + box - line->width;
        if (lx < x)
            lx = x;
        bool owned = false;
        SDL_Texture *texture = line_texture(t, utf8, line, px, weight, &owned);
        if (!texture)
            continue;
        draw_line_texture(t, texture, style->color, lx, y + i * line_height + leading, max_width, bottom);
        if (owned)
            SDL_DestroyTexture(texture);
    }
    return m;
}

TextCacheStats text_cache_stats(const TextSystem *t)
{
    TextCacheStats s = {0};
    if (!t)
        return s;
    s.entries = t->textures.count;
    s.bytes = t->textures.bytes;
    s.hits = t->hits;
    s.misses = t->misses;
    return s;
}

void text_cache_clear(TextSystem *t)
{
    if (!t)
        return;
    lru_clear(&t->textures);
    lru_clear(&t->layouts);
}

size_t text_overflows(const TextSystem *text)
{
    return text ? text->overflows : 0;
}

bool text_can_show(TextSystem *t, const char *utf8)
{
    TTF_Font *font = get_font(t, 16, WEIGHT_REGULAR);
    if (!font || !utf8)
        return false;
    const unsigned char *s = (const unsigned char *)utf8;
    while (*s) {
        Uint32 cp = *s, extra = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : cp >= 0xC0 ? 1 : 0;
        if (extra)
            cp &= 0x3Fu >> extra;
        s++;
        for (Uint32 k = 0; k < extra && (*s & 0xC0) == 0x80; k++, s++)
            cp = (cp << 6) | (*s & 0x3Fu);
        if (!TTF_GlyphIsProvided32(font, cp))
            return false;
    }
    return true;
}
