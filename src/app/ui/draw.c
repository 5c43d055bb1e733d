/* draw.c: anti-aliased rectangles, rings, arcs and lines built as triangle meshes for SDL_RenderGeometry.
 *
 * Every shape is a mesh whose solid part stops half a pixel inside the true edge and whose outer
 * "feather" row sits half a pixel outside it with alpha 0. The renderer interpolates vertex colours, so
 * each edge pixel gets roughly the fraction of it the shape covers: smooth edges on any renderer, the
 * software one included, with no multisampling and no textures. A pixel-aligned edge comes out exactly
 * crisp (the pixel inside is solid, the one outside empty).
 *
 * Meshes live on the stack with a fixed capacity; segment counts are clamped (32 per rounded corner, 256
 * per full circle), so a huge radius costs a bounded mesh instead of a malloc, and the error it leaves
 * on the curve stays below a pixel even at 4K sizes.
 */
#include "draw.h"

#include <math.h>
#include <stdbool.h>

/* M_PI is POSIX, not C11. */
static const float PI_F = 3.14159265358979f;

enum {
    MIN_CORNER_SEGMENTS = 4,
    MAX_CORNER_SEGMENTS = 32,
    MIN_CIRCLE_SEGMENTS = 12,
    MAX_CIRCLE_SEGMENTS = 256,
    BAND_ROWS = 4, /* outer feather, outer solid, inner solid, inner feather */
    /* The largest mesh is an arc: (256 segments + 1 + 2 fade columns) x 4 rows, 3 bands of quads. */
    MESH_VERTICES = (MAX_CIRCLE_SEGMENTS + 3) * BAND_ROWS,
    MESH_INDICES = (MAX_CIRCLE_SEGMENTS + 2) * (BAND_ROWS - 1) * 6,
};

typedef struct {
    SDL_Vertex vertices[MESH_VERTICES];
    int indices[MESH_INDICES];
    int vertex_count, index_count;
} Mesh;

/* A renderer that fails once fails every frame; one line in the log says it, sixty a second bury it. */
static void report_failure(const char *what)
{
    static bool reported;
    if (!reported) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't %s: %s", what, SDL_GetError());
        reported = true;
    }
}

static float clampf(float v, float lo, float hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static SDL_Color scaled_alpha(SDL_Color c, float scale)
{
    c.a = (Uint8)(c.a * clampf(scale, 0.0f, 1.0f) + 0.5f);
    return c;
}

static void mesh_vertex(Mesh *m, float x, float y, SDL_Color c)
{
    /* Callers size their meshes from the same clamped counts as MESH_VERTICES; this is a last guard. */
    if (m->vertex_count >= MESH_VERTICES)
        return;
    m->vertices[m->vertex_count++] = (SDL_Vertex){{x, y}, c, {0.0f, 0.0f}};
}

static void mesh_triangle(Mesh *m, int a, int b, int c)
{
    if (m->index_count + 3 > MESH_INDICES)
        return;
    m->indices[m->index_count++] = a;
    m->indices[m->index_count++] = b;
    m->indices[m->index_count++] = c;
}

/* Quads between `rows` consecutive rows of `count` vertices each, stored row after row from `first`;
 * `closed` also joins the last column to the first (rings). */
static void mesh_grid(Mesh *m, int first, int rows, int count, bool closed)
{
    int columns = closed ? count : count - 1;
    for (int row = 0; row + 1 < rows; row++) {
        int a0 = first + row * count, b0 = a0 + count;
        for (int k = 0; k < columns; k++) {
            int k2 = (k + 1) % count;
            mesh_triangle(m, a0 + k, a0 + k2, b0 + k2);
            mesh_triangle(m, a0 + k, b0 + k2, b0 + k);
        }
    }
}

static void note_triangles(SDL_Renderer *r);

static void mesh_submit(SDL_Renderer *r, const Mesh *m)
{
    if (m->index_count == 0)
        return;
    note_triangles(r);
    /* Geometry without a texture uses the renderer's draw blend mode; the feathered edges need BLEND. */
    if (SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND) != 0) {
        report_failure("set the blend mode");
        return;
    }
    if (SDL_RenderGeometry(r, NULL, m->vertices, m->vertex_count, m->indices, m->index_count) != 0)
        report_failure("draw geometry");
}

/* Offsets across a band of `thickness` centred on 0, from outside (positive) to inside, with the alpha
 * factor of the solid rows. Below one pixel the solid rows meet in the middle and the band fades
 * instead of thinning further, which is what a hairline's coverage would look like. */
static void band_offsets(float thickness, float offsets[BAND_ROWS], float *solid_alpha)
{
    float half = thickness * 0.5f;
    float solid = half > 0.5f ? half - 0.5f : 0.0f;
    offsets[0] = half + 0.5f;
    offsets[1] = solid;
    offsets[2] = -solid;
    offsets[3] = -(half + 0.5f);
    *solid_alpha = clampf(thickness, 0.0f, 1.0f);
}

static int corner_segments(float radius)
{
    if (radius < 1.0f)
        return 1; /* a square corner: more points would all land on the same spot */
    return (int)clampf(radius * 0.5f, MIN_CORNER_SEGMENTS, MAX_CORNER_SEGMENTS);
}

static int circle_segments(float radius)
{
    /* Enough segments that the chord strays at most 0.2 px from the true circle. */
    if (radius <= 0.2f)
        return MIN_CIRCLE_SEGMENTS;
    float step = acosf(1.0f - 0.2f / radius);
    return (int)clampf(ceilf(PI_F / step), MIN_CIRCLE_SEGMENTS, MAX_CIRCLE_SEGMENTS);
}

/* The outline of a rounded rectangle grown by `grow` (negative shrinks): one ring of 4 * (segs + 1)
 * vertices, clockwise from the top of the top-right corner. Growing moves the edges out and the corner
 * radius up by the same amount, so outlines at different offsets stay parallel; a shrink past the
 * radius leaves square corners, and a shrink past the middle collapses onto the centre line. */
static void rounded_ring(Mesh *m, SDL_FRect rect, float radius, float grow, int segs, SDL_Color c)
{
    float half_w = rect.w * 0.5f, half_h = rect.h * 0.5f;
    float inset = -grow;
    float rr = radius + grow;
    float room = (half_w < half_h ? half_w : half_h) - inset;
    rr = clampf(rr, 0.0f, room > 0.0f ? room : 0.0f);
    float centre_in_x = clampf(inset + rr, -1e9f, half_w);
    float centre_in_y = clampf(inset + rr, -1e9f, half_h);
    const float cx[4] = {rect.x + rect.w - centre_in_x, rect.x + rect.w - centre_in_x, rect.x + centre_in_x,
                         rect.x + centre_in_x};
    const float cy[4] = {rect.y + centre_in_y, rect.y + rect.h - centre_in_y, rect.y + rect.h - centre_in_y,
                         rect.y + centre_in_y};
    for (int corner = 0; corner < 4; corner++) {
        /* Screen angles grow clockwise because y points down; the top-right corner spans -90..0 degrees. */
        float base = (corner - 1) * PI_F * 0.5f;
        for (int k = 0; k <= segs; k++) {
            float a = base + PI_F * 0.5f * (float)k / (float)segs;
            mesh_vertex(m, cx[corner] + rr * cosf(a), cy[corner] + rr * sinf(a), c);
        }
    }
}

static bool usable_rect(SDL_FRect rect)
{
    return rect.w > 0.0f && rect.h > 0.0f && isfinite(rect.x) && isfinite(rect.y) && isfinite(rect.w) &&
           isfinite(rect.h);
}

void draw_fill_rounded(SDL_Renderer *r, SDL_FRect rect, float radius, SDL_Color color)
{
    if (!r || !usable_rect(rect) || color.a == 0)
        return;
    float shorter = rect.w < rect.h ? rect.w : rect.h;
    radius = clampf(isfinite(radius) ? radius : 0.0f, 0.0f, shorter * 0.5f);
    int segs = corner_segments(radius);
    int count = 4 * (segs + 1);
    /* Shapes thinner than a pixel have no solid core; fading them keeps their weight on screen right. */
    SDL_Color solid = scaled_alpha(color, shorter);
    SDL_Color clear = scaled_alpha(color, 0.0f);

    Mesh m;
    m.vertex_count = m.index_count = 0;
    mesh_vertex(&m, rect.x + rect.w * 0.5f, rect.y + rect.h * 0.5f, solid);
    rounded_ring(&m, rect, radius, -0.5f, segs, solid);
    rounded_ring(&m, rect, radius, 0.5f, segs, clear);
    for (int k = 0; k < count; k++) /* the solid ring is convex, so a fan from the centre covers it */
        mesh_triangle(&m, 0, 1 + k, 1 + (k + 1) % count);
    mesh_grid(&m, 1, 2, count, true);
    mesh_submit(r, &m);
}

void draw_fill_rect(SDL_Renderer *r, SDL_FRect rect, SDL_Color color)
{
    draw_fill_rounded(r, rect, 0.0f, color);
}

void draw_stroke_rounded(SDL_Renderer *r, SDL_FRect rect, float radius, float thickness, SDL_Color color)
{
    if (!r || !usable_rect(rect) || color.a == 0 || !(thickness > 0.0f))
        return;
    float shorter = rect.w < rect.h ? rect.w : rect.h;
    radius = clampf(isfinite(radius) ? radius : 0.0f, 0.0f, shorter * 0.5f);
    /* The stroke lies inside the rectangle, so a bordered tile is exactly as big as a filled one. */
    thickness = clampf(thickness, 0.0f, shorter * 0.5f);
    int segs = corner_segments(radius);
    int count = 4 * (segs + 1);
    float offsets[BAND_ROWS], solid_alpha;
    band_offsets(thickness, offsets, &solid_alpha);
    SDL_Color clear = scaled_alpha(color, 0.0f), solid = scaled_alpha(color, solid_alpha);

    Mesh m;
    m.vertex_count = m.index_count = 0;
    for (int row = 0; row < BAND_ROWS; row++) {
        bool feather = row == 0 || row == BAND_ROWS - 1;
        rounded_ring(&m, rect, radius, offsets[row] - thickness * 0.5f, segs, feather ? clear : solid);
    }
    mesh_grid(&m, 0, BAND_ROWS, count, true);
    mesh_submit(r, &m);
}

/* ---- scanline discs and rings for software targets --------------------------------------------- */

#define MAX_BOUND 4
static struct {
    SDL_Renderer *renderer;
    SDL_Surface *surface;
    const DrawMask *mask; /* while set, only its pixels are painted */
    bool mask_broken;     /* triangles were drawn while it was set */
} bound[MAX_BOUND];

void draw_bind_surface(SDL_Renderer *renderer, SDL_Surface *surface)
{
    int free_slot = -1;
    for (int i = 0; i < MAX_BOUND; i++) {
        if (bound[i].renderer == renderer) {
            bound[i].surface = surface;
            bound[i].mask = NULL;
            if (!surface)
                bound[i].renderer = NULL;
            return;
        }
        if (!bound[i].renderer && free_slot < 0)
            free_slot = i;
    }
    if (surface && free_slot >= 0)
        bound[free_slot].renderer = renderer, bound[free_slot].surface = surface, bound[free_slot].mask = NULL;
}

bool draw_bind_mask(SDL_Renderer *renderer, const DrawMask *mask)
{
    bool kept = true;
    for (int i = 0; i < MAX_BOUND; i++) {
        if (bound[i].renderer == renderer) {
            kept = !bound[i].mask_broken;
            bound[i].mask = mask;
            bound[i].mask_broken = false;
        }
    }
    return kept;
}

/* Triangles go wherever the clip lets them: a mask bound now is not kept. */
static void note_triangles(SDL_Renderer *r)
{
    for (int i = 0; i < MAX_BOUND; i++)
        if (bound[i].renderer == r && bound[i].mask)
            bound[i].mask_broken = true;
}

static const DrawMask *bound_mask(SDL_Renderer *r)
{
    for (int i = 0; i < MAX_BOUND; i++)
        if (bound[i].renderer == r)
            return bound[i].mask;
    return NULL;
}

static SDL_Surface *bound_surface(SDL_Renderer *r)
{
    for (int i = 0; i < MAX_BOUND; i++)
        if (bound[i].renderer == r)
            return bound[i].surface;
    return NULL;
}

/* One edge pixel blended by coverage. Called for every anti-aliased pixel of every disc and ring, so
 * for the usual 8-bit channels it unpacks and packs with the format's shifts inline; the arithmetic is
 * the same as through SDL_GetRGB / SDL_MapRGB, so the pixels are too. */
static inline Uint32 blend_pixel(Uint32 dst, const SDL_PixelFormat *f, SDL_Color c, float coverage)
{
    Uint8 r, g, b;
    bool eight_bit = f->Rloss == 0 && f->Gloss == 0 && f->Bloss == 0;
    if (eight_bit) {
        r = (Uint8)(dst >> f->Rshift), g = (Uint8)(dst >> f->Gshift), b = (Uint8)(dst >> f->Bshift);
    } else {
        SDL_GetRGB(dst, f, &r, &g, &b);
    }
    float a = coverage * (float)c.a / 255.0f;
    r = (Uint8)(r + (c.r - r) * a + 0.5f);
    g = (Uint8)(g + (c.g - g) * a + 0.5f);
    b = (Uint8)(b + (c.b - b) * a + 0.5f);
    if (eight_bit)
        return ((Uint32)r << f->Rshift) | ((Uint32)g << f->Gshift) | ((Uint32)b << f->Bshift) | f->Amask;
    return SDL_MapRGB(f, r, g, b);
}

/* One ring (or disc, inner 0) and one row of it: what scanline_ring works out once per row. */
typedef struct {
    float cx, dy, dy2, inner, outer;
    float out_solid, in_solid, in_reach; /* reaches from the centre column; -1: none on this row */
    float start, sweep;                  /* an arc's first angle and length in radians; sweep 0: whole */
    float sx, sy, ex, ey;                /* unit vectors from the centre towards the arc's two ends */
    const SDL_PixelFormat *format;
    SDL_Color color;
    Uint32 solid;
    bool opaque;
} RingRow;

/* Coverage of the pixel at dx (from the centre, signed) by the ring's radial band. */
static inline float unit_clamp(float v)
{
    return v < 0.0f ? 0.0f : v > 1.0f ? 1.0f : v; /* fminf/fmaxf are calls into libm here */
}

static float radial_coverage(const RingRow *g, float dx, float *d_out)
{
    float d = sqrtf(dx * dx + g->dy2);
    float coverage = unit_clamp(g->outer + 0.5f - d);
    if (g->inner > 0.0f)
        coverage *= unit_clamp(d - (g->inner - 0.5f));
    *d_out = d;
    return coverage;
}

/* Paints columns xa..xb of one row of a whole ring: solid runs filled, edge pixels blended. */
static void ring_row(Uint32 *row, const RingRow *g, int xa, int xb)
{
    float cx = g->cx;
    for (int x = xa; x <= xb; x++) {
        float sdx = (float)x + 0.5f - cx, dx = fabsf(sdx);
        if (g->in_reach >= 0.0f && dx < g->in_reach) {
            /* Inside the hole: jump to where the hole's edge band begins on the right. */
            int skip = (int)floorf(cx + g->in_reach - 0.5f);
            if (skip > x)
                x = skip;
            continue;
        }
        bool solid_here = dx <= g->out_solid && (g->in_solid < 0.0f || dx >= g->in_solid);
        if (solid_here && g->opaque) {
            /* A run of fully covered pixels: fill it in one go. */
            float run_end = g->in_solid >= 0.0f && sdx < 0.0f ? cx - g->in_solid : cx + g->out_solid;
            int last = (int)floorf(run_end - 0.5f);
            if (last > xb)
                last = xb;
            if (last < x)
                last = x;
            SDL_memset4(row + x, g->solid, (size_t)(last - x + 1));
            x = last;
            continue;
        }
        float d;
        float coverage = radial_coverage(g, dx, &d);
        if (coverage > 0.0f)
            row[x] = blend_pixel(row[x], g->format, g->color, coverage);
    }
}

/* The same for an arc: each pixel also by how far inside the arc's ends it lies, measured along the
 * ring, so the ends get the same one-pixel soft edge as the sides. */
static void arc_row(Uint32 *row, const RingRow *g, int xa, int xb)
{
    const float turn = 2.0f * PI_F;
    for (int x = xa; x <= xb; x++) {
        float dx = (float)x + 0.5f - g->cx;
        if (g->in_reach >= 0.0f && fabsf(dx) < g->in_reach) {
            int skip = (int)floorf(g->cx + g->in_reach - 0.5f);
            if (skip > x)
                x = skip;
            continue;
        }
        float d;
        float coverage = radial_coverage(g, fabsf(dx), &d);
        if (!(coverage > 0.0f))
            continue;
        /* Distances (at this radius) from the lines through the two ends: away from both ends a pixel
         * is wholly in or out, which the side of each line tells without an angle. */
        float dy = g->dy;
        float ps = g->sx * dy - g->sy * dx, pe = dx * g->ey - dy * g->ex;
        bool near_start = fabsf(ps) < 1.0f && g->sx * dx + g->sy * dy > 0.0f;
        bool near_end = fabsf(pe) < 1.0f && g->ex * dx + g->ey * dy > 0.0f;
        if (!near_start && !near_end) {
            bool in = g->sweep <= PI_F ? ps >= 0.0f && pe >= 0.0f : ps >= 0.0f || pe >= 0.0f;
            if (!in)
                continue;
        } else {
            /* Angle clockwise from 12 o'clock (y points down), from the arc's start, in 0..2pi. */
            float t = atan2f(dx, -dy) - g->start;
            t -= turn * floorf(t / turn);
            float inside = t <= g->sweep ? fminf(t, g->sweep - t) : -fminf(turn - t, t - g->sweep);
            coverage *= unit_clamp(0.5f + inside * d);
        }
        if (coverage >= 1.0f && g->opaque)
            row[x] = g->solid;
        else if (coverage > 0.0f)
            row[x] = blend_pixel(row[x], g->format, g->color, coverage);
    }
}

/* Paints the ring between radii inner and outer (inner 0: a disc) with one-pixel anti-aliased edges,
 * or with sweep > 0 only the arc of it from `start` (radians), within the clip and the bound mask.
 * Returns false when the target is not a 32-bit surface this can write, so the caller uses triangles. */
static bool scanline_ring(SDL_Renderer *r, float cx, float cy, float inner, float outer, float start, float sweep,
                          SDL_Color c)
{
    SDL_Surface *s = bound_surface(r);
    if (!s || s->format->BytesPerPixel != 4 || outer <= 0.5f)
        return false;
    const DrawMask *mask = bound_mask(r);
    /* The renderer queues its commands: paint after everything drawn before, and within its clip. */
    SDL_RenderFlush(r);
    SDL_Rect clip;
    SDL_RenderGetClipRect(r, &clip);
    if (SDL_RectEmpty(&clip))
        clip = (SDL_Rect){0, 0, s->w, s->h};
    SDL_Rect full = {0, 0, s->w, s->h};
    if (!SDL_IntersectRect(&clip, &full, &clip))
        return true;
    if (SDL_MUSTLOCK(s) && SDL_LockSurface(s) != 0)
        return false;
    RingRow g = {.cx = cx, .inner = inner, .outer = outer, .start = start, .sweep = sweep, .format = s->format,
                 .color = c, .solid = SDL_MapRGB(s->format, c.r, c.g, c.b), .opaque = c.a == 255};
    g.sx = sinf(start), g.sy = -cosf(start);
    g.ex = sinf(start + sweep), g.ey = -cosf(start + sweep);
    int y0 = (int)floorf(cy - outer - 1), y1 = (int)ceilf(cy + outer + 1);
    if (y0 < clip.y)
        y0 = clip.y;
    if (y1 > clip.y + clip.h - 1)
        y1 = clip.y + clip.h - 1;
    for (int y = y0; y <= y1; y++) {
        if (mask && (y < mask->y0 || y >= mask->y0 + mask->rows || mask->count[y - mask->y0] == 0))
            continue;
        Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch);
        g.dy = (float)y + 0.5f - cy;
        g.dy2 = g.dy * g.dy;
        float dy2 = g.dy2;
        if (dy2 > (outer + 0.5f) * (outer + 0.5f))
            continue;
        /* Horizontal reach of each edge band: pixels between reach_in and reach_out of the centre
         * column are partly covered, inside solid_* they are fully covered. */
        float out_reach = sqrtf(fmaxf(0.0f, (outer + 0.5f) * (outer + 0.5f) - dy2));
        g.out_solid = outer > 0.5f && dy2 < (outer - 0.5f) * (outer - 0.5f) ? sqrtf((outer - 0.5f) * (outer - 0.5f) - dy2) : -1.0f;
        g.in_solid = inner > 0.0f && dy2 < (inner + 0.5f) * (inner + 0.5f) ? sqrtf((inner + 0.5f) * (inner + 0.5f) - dy2) : -1.0f;
        g.in_reach = inner > 0.5f && dy2 < (inner - 0.5f) * (inner - 0.5f) ? sqrtf((inner - 0.5f) * (inner - 0.5f) - dy2) : -1.0f;
        int xa = (int)floorf(cx - out_reach), xb = (int)ceilf(cx + out_reach);
        if (xa < clip.x)
            xa = clip.x;
        if (xb > clip.x + clip.w - 1)
            xb = clip.x + clip.w - 1;
        int spans = mask ? mask->count[y - mask->y0] : 1;
        for (int i = 0; i < spans; i++) {
            int a = xa, b = xb;
            if (mask) {
                a = mask->span[y - mask->y0][i][0] > xa ? mask->span[y - mask->y0][i][0] : xa;
                b = mask->span[y - mask->y0][i][1] - 1 < xb ? mask->span[y - mask->y0][i][1] - 1 : xb;
            }
            if (sweep > 0.0f)
                arc_row(row, &g, a, b);
            else
                ring_row(row, &g, a, b);
        }
    }
    if (SDL_MUSTLOCK(s))
        SDL_UnlockSurface(s);
    return true;
}

bool draw_fill_mask(SDL_Renderer *r, SDL_Color color)
{
    SDL_Surface *s = bound_surface(r);
    const DrawMask *mask = bound_mask(r);
    bool filled = false;
    SDL_Rect clip;
    SDL_RenderGetClipRect(r, &clip);
    if (s && mask && s->format->BytesPerPixel == 4 && (!SDL_MUSTLOCK(s) || SDL_LockSurface(s) == 0)) {
        SDL_RenderFlush(r);
        SDL_Rect full = {0, 0, s->w, s->h};
        if (SDL_RectEmpty(&clip))
            clip = full;
        Uint32 pixel = SDL_MapRGB(s->format, color.r, color.g, color.b);
        bool visible = SDL_IntersectRect(&clip, &full, &clip);
        for (int row = 0; visible && row < mask->rows; row++) {
            int y = mask->y0 + row;
            if (y < clip.y || y >= clip.y + clip.h)
                continue;
            Uint32 *line = (Uint32 *)((Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch);
            for (int i = 0; i < mask->count[row]; i++) {
                int a = mask->span[row][i][0] > clip.x ? mask->span[row][i][0] : clip.x;
                int b = mask->span[row][i][1] < clip.x + clip.w ? mask->span[row][i][1] : clip.x + clip.w;
                if (b > a)
                    SDL_memset4(line + a, pixel, (size_t)(b - a));
            }
        }
        if (SDL_MUSTLOCK(s))
            SDL_UnlockSurface(s);
        filled = true;
    }
    return filled;
}

void draw_fill_circle(SDL_Renderer *r, float cx, float cy, float radius, SDL_Color color)
{
    if (!r || !(radius > 0.0f) || !isfinite(radius) || !isfinite(cx) || !isfinite(cy) || color.a == 0)
        return;
    if (radius >= 4.0f && scanline_ring(r, cx, cy, 0.0f, radius, 0.0f, 0.0f, color))
        return;
    int segs = circle_segments(radius);
    /* A dot smaller than a pixel: solid core of zero size, alpha by the area it would cover. */
    SDL_Color solid = scaled_alpha(color, radius >= 0.5f ? 1.0f : 4.0f * radius * radius);
    SDL_Color clear = scaled_alpha(color, 0.0f);
    float inner = radius > 0.5f ? radius - 0.5f : 0.0f;

    Mesh m;
    m.vertex_count = m.index_count = 0;
    mesh_vertex(&m, cx, cy, solid);
    for (int k = 0; k < segs; k++) {
        float a = 2.0f * PI_F * (float)k / (float)segs;
        mesh_vertex(&m, cx + inner * cosf(a), cy + inner * sinf(a), solid);
    }
    for (int k = 0; k < segs; k++) {
        float a = 2.0f * PI_F * (float)k / (float)segs;
        mesh_vertex(&m, cx + (radius + 0.5f) * cosf(a), cy + (radius + 0.5f) * sinf(a), clear);
    }
    for (int k = 0; k < segs; k++)
        mesh_triangle(&m, 0, 1 + k, 1 + (k + 1) % segs);
    mesh_grid(&m, 1, 2, segs, true);
    mesh_submit(r, &m);
}

/* `radius` is the middle of the ring, as when stroking a circle path: a progress ring of radius 100
 * and thickness 10 covers 95..105. */
void draw_arc(SDL_Renderer *r, float cx, float cy, float radius, float thickness, float start, float end,
              SDL_Color color)
{
    if (!r || !(radius > 0.0f) || !(thickness > 0.0f) || !isfinite(radius) || !isfinite(thickness) ||
        !isfinite(start) || !isfinite(end) || !isfinite(cx) || !isfinite(cy) || color.a == 0)
        return;
    if (end < start) {
        float t = start;
        start = end;
        end = t;
    }
    float sweep = end - start;
    if (sweep < 1e-5f)
        return;
    /* Software targets paint rings and arcs by scanline: SDL's software triangles scan each thin
     * triangle's whole box, which made the progress arc the dearest part of a pacer frame. */
    if (radius >= 4.0f && scanline_ring(r, cx, cy, fmaxf(0.0f, radius - thickness * 0.5f), radius + thickness * 0.5f,
                                        start * 2.0f * PI_F, sweep >= 1.0f ? 0.0f : sweep * 2.0f * PI_F, color))
        return;
    /* The ring must not cross its own centre: a thickness past twice the radius would fold it over. */
    thickness = clampf(thickness, 0.0f, radius * 2.0f);
    float offsets[BAND_ROWS], solid_alpha;
    band_offsets(thickness, offsets, &solid_alpha);
    SDL_Color clear = scaled_alpha(color, 0.0f);
    bool full = sweep >= 1.0f;
    int full_segs = circle_segments(radius + thickness * 0.5f);

    /* Columns of the grid, as (angle in radians, alpha factor). An open arc gets a fade column half a
     * pixel beyond each end and starts its solid part half a pixel inside, like every other edge. */
    float angles[MAX_CIRCLE_SEGMENTS + 3];
    float alphas[MAX_CIRCLE_SEGMENTS + 3];
    int columns = 0;
    float a0 = start * 2.0f * PI_F, a1 = end * 2.0f * PI_F;
    if (full) {
        for (int k = 0; k < full_segs; k++) {
            angles[columns] = a0 + 2.0f * PI_F * (float)k / (float)full_segs;
            alphas[columns++] = solid_alpha;
        }
    } else {
        float half_px = 0.5f / (radius + thickness * 0.5f); /* half a pixel of the outer edge, in radians */
        float s0 = a0 + half_px, s1 = a1 - half_px, short_scale = 1.0f;
        if (s1 < s0) { /* an arc shorter than a pixel: a faint sliver at its middle */
            s0 = s1 = (a0 + a1) * 0.5f;
            short_scale = (a1 - a0) / (2.0f * half_px);
        }
        int segs = (int)ceilf((float)full_segs * sweep);
        segs = segs < 1 ? 1 : segs > MAX_CIRCLE_SEGMENTS ? MAX_CIRCLE_SEGMENTS : segs;
        angles[columns] = a0 - half_px;
        alphas[columns++] = 0.0f;
        for (int k = 0; k <= segs; k++) {
            angles[columns] = s0 + (s1 - s0) * (float)k / (float)segs;
            alphas[columns++] = solid_alpha * short_scale;
        }
        angles[columns] = a1 + half_px;
        alphas[columns++] = 0.0f;
    }

    Mesh m;
    m.vertex_count = m.index_count = 0;
    for (int row = 0; row < BAND_ROWS; row++) {
        bool feather = row == 0 || row == BAND_ROWS - 1;
        float rr = radius + offsets[row];
        if (rr < 0.0f)
            rr = 0.0f;
        for (int k = 0; k < columns; k++) {
            /* Turns run clockwise from 12 o'clock: x grows with sin, y (pointing down) with -cos. */
            SDL_Color c = feather ? clear : scaled_alpha(color, alphas[k]);
            mesh_vertex(&m, cx + rr * sinf(angles[k]), cy - rr * cosf(angles[k]), c);
        }
    }
    mesh_grid(&m, 0, BAND_ROWS, columns, full);
    mesh_submit(r, &m);
}

void draw_ring(SDL_Renderer *r, float cx, float cy, float inner, float outer, SDL_Color color)
{
    if (!r || !isfinite(cx) || !isfinite(cy) || !isfinite(inner) || !isfinite(outer) || !(inner >= 0.0f) ||
        !(outer > inner) || color.a == 0)
        return;
    if (outer >= 4.0f && scanline_ring(r, cx, cy, inner, outer, 0.0f, 0.0f, color))
        return;
    draw_arc(r, cx, cy, (inner + outer) * 0.5f, outer - inner, 0.0f, 1.0f, color);
}

void draw_line(SDL_Renderer *r, float x1, float y1, float x2, float y2, float thickness, SDL_Color color)
{
    if (!r || !(thickness > 0.0f) || !isfinite(thickness) || !isfinite(x1) || !isfinite(y1) ||
        !isfinite(x2) || !isfinite(y2) || color.a == 0)
        return;
    float dx = x2 - x1, dy = y2 - y1;
    float length = sqrtf(dx * dx + dy * dy);
    if (length < 1e-4f)
        return;
    /* The unit normal; only the long edges are feathered, so lines meeting end to end leave no seam. */
    float nx = -dy / length, ny = dx / length;
    float offsets[BAND_ROWS], solid_alpha;
    band_offsets(thickness, offsets, &solid_alpha);
    SDL_Color clear = scaled_alpha(color, 0.0f), solid = scaled_alpha(color, solid_alpha);

    Mesh m;
    m.vertex_count = m.index_count = 0;
    for (int row = 0; row < BAND_ROWS; row++) {
        SDL_Color c = row == 0 || row == BAND_ROWS - 1 ? clear : solid;
        mesh_vertex(&m, x1 + nx * offsets[row], y1 + ny * offsets[row], c);
        mesh_vertex(&m, x2 + nx * offsets[row], y2 + ny * offsets[row], c);
    }
    mesh_grid(&m, 0, BAND_ROWS, 2, false);
    mesh_submit(r, &m);
}

SDL_Color draw_rgb(unsigned rgb, unsigned char alpha)
{
    return (SDL_Color){(Uint8)((rgb >> 16) & 0xff), (Uint8)((rgb >> 8) & 0xff), (Uint8)(rgb & 0xff), alpha};
}

SDL_Color draw_mix(SDL_Color a, SDL_Color b, float t)
{
    t = isfinite(t) ? clampf(t, 0.0f, 1.0f) : 0.0f;
    /* Rounded, not truncated, so t = 1 gives exactly b and a mix never drifts darker. */
    return (SDL_Color){(Uint8)(a.r + (b.r - a.r) * t + 0.5f), (Uint8)(a.g + (b.g - a.g) * t + 0.5f),
                       (Uint8)(a.b + (b.b - a.b) * t + 0.5f), (Uint8)(a.a + (b.a - a.a) * t + 0.5f)};
}
