/* draw_mask.c: sets of pixels as spans per row, for redrawing only what moved.
 *
 * When the breathing shape grows by two pixels, what changes on screen is two thin rings (the shape's
 * edge and its rim's inner edge) and a sliver of the progress arc, a few per cent of the shape's box.
 * A mask holds that set as a handful of spans on each row; the scanline painters in draw.c then
 * repaint only those pixels, and draw_mask_rects gives the display a few rectangles covering them.
 * Every operation may only add pixels (spans merge or widen when a row is full), so a mask is always
 * a superset of what was asked for: overdrawing a pixel is harmless, missing one is not.
 */
#include "draw.h"

#include <limits.h>
#include <math.h>
#include <string.h>

static const float PI_F = 3.14159265358979f;

void draw_mask_clear(DrawMask *m, SDL_Rect bounds)
{
    int rows = bounds.h < 0 ? 0 : bounds.h > DRAW_MASK_ROWS ? DRAW_MASK_ROWS : bounds.h;
    m->y0 = bounds.y;
    m->rows = rows;
    m->x0 = bounds.x < SHRT_MIN ? SHRT_MIN : bounds.x;
    m->x1 = bounds.x + bounds.w > SHRT_MAX ? SHRT_MAX : bounds.x + bounds.w;
    memset(m->count, 0, (size_t)rows);
}

/* Adds [x0, x1) to a sorted row of *n spans, merging with the spans it meets; a full row widens its
 * nearest span over it instead. */
static void span_insert(Sint16 (*s)[2], int *n_io, int x0, int x1)
{
    int n = *n_io, i = 0;
    while (i < n && s[i][1] < x0)
        i++;
    int j = i;
    while (j < n && s[j][0] <= x1) { /* spans that touch or overlap [x0, x1) become one */
        x0 = s[j][0] < x0 ? s[j][0] : x0;
        x1 = s[j][1] > x1 ? s[j][1] : x1;
        j++;
    }
    if (j > i) {
        s[i][0] = (Sint16)x0, s[i][1] = (Sint16)x1;
        memmove(s + i + 1, s + j, (size_t)(n - j) * sizeof *s);
        n -= j - i - 1;
    } else if (n < DRAW_MASK_SPANS) {
        memmove(s + i + 1, s + i, (size_t)(n - i) * sizeof *s);
        s[i][0] = (Sint16)x0, s[i][1] = (Sint16)x1;
        n++;
    } else { /* it lies between spans i - 1 and i: the one with the smaller gap reaches over it */
        int gap_left = i > 0 ? x0 - s[i - 1][1] : INT_MAX, gap_right = i < n ? s[i][0] - x1 : INT_MAX;
        if (gap_left <= gap_right)
            s[i - 1][1] = (Sint16)x1;
        else
            s[i][0] = (Sint16)x0;
    }
    *n_io = n;
}

static void add_span(DrawMask *m, int y, int x0, int x1)
{
    x0 = x0 < m->x0 ? m->x0 : x0;
    x1 = x1 > m->x1 ? m->x1 : x1;
    if (y < m->y0 || y >= m->y0 + m->rows || x1 <= x0)
        return;
    int n = m->count[y - m->y0];
    span_insert(m->span[y - m->y0], &n, x0, x1);
    m->count[y - m->y0] = (Uint8)n;
}

void draw_mask_add_rect(DrawMask *m, SDL_Rect rect)
{
    for (int y = rect.y; y < rect.y + rect.h; y++)
        add_span(m, y, rect.x, rect.x + rect.w);
}

/* The ring's pixels on the rows and columns of `box`: every pixel whose square meets the ring. */
static void add_ring_in(DrawMask *m, float cx, float cy, float inner, float outer, SDL_Rect box)
{
    for (int y = box.y; y < box.y + box.h; y++) {
        float top = (float)y - cy, bottom = (float)y + 1.0f - cy;
        float near = top > 0.0f ? top : bottom < 0.0f ? -bottom : 0.0f; /* nearest the centre */
        float far = fmaxf(fabsf(top), fabsf(bottom));
        if (near >= outer)
            continue;
        float xo = sqrtf(outer * outer - near * near);
        float xi = far < inner ? sqrtf(inner * inner - far * far) : 0.0f;
        int left0 = (int)floorf(cx - xo), right1 = (int)ceilf(cx + xo);
        left0 = left0 < box.x ? box.x : left0;
        right1 = right1 > box.x + box.w ? box.x + box.w : right1;
        if (xi <= 0.0f) {
            add_span(m, y, left0, right1);
            continue;
        }
        int left1 = (int)ceilf(cx - xi), right0 = (int)floorf(cx + xi);
        add_span(m, y, left0, left1 < right1 ? left1 : right1);
        add_span(m, y, right0 > left0 ? right0 : left0, right1);
    }
}

/* The box of the part of a ring between two angles (turns) within one quarter turn: there x and y
 * change monotonically along each edge, so its four corners bound it. One pixel more all round. */
static SDL_Rect sector_box(float cx, float cy, float inner, float outer, float a, float b)
{
    float xs[4], ys[4];
    const float radii[2] = {inner, outer}, turns[2] = {a, b};
    for (int k = 0; k < 4; k++) {
        float t = turns[k / 2] * 2.0f * PI_F;
        xs[k] = cx + radii[k % 2] * sinf(t);
        ys[k] = cy - radii[k % 2] * cosf(t);
    }
    float x0 = xs[0], x1 = xs[0], y0 = ys[0], y1 = ys[0];
    for (int k = 1; k < 4; k++) {
        x0 = fminf(x0, xs[k]), x1 = fmaxf(x1, xs[k]);
        y0 = fminf(y0, ys[k]), y1 = fmaxf(y1, ys[k]);
    }
    int ix = (int)floorf(x0) - 1, iy = (int)floorf(y0) - 1;
    return (SDL_Rect){ix, iy, (int)ceilf(x1) + 1 - ix, (int)ceilf(y1) + 1 - iy};
}

void draw_mask_add_ring(DrawMask *m, float cx, float cy, float inner, float outer, float start, float end)
{
    if (!(outer > 0.0f) || !isfinite(cx) || !isfinite(cy) || !isfinite(inner) || !isfinite(outer))
        return;
    inner = inner > 0.0f ? inner : 0.0f;
    if (!(start < end) || end - start >= 1.0f) {
        int x = (int)floorf(cx - outer) - 1, y = (int)floorf(cy - outer) - 1;
        int side = (int)ceilf(2.0f * outer) + 3;
        add_ring_in(m, cx, cy, inner, outer, (SDL_Rect){x, y, side, side});
        return;
    }
    /* Cut the arc at quarter turns (counted so that a start below 0 wraps round). */
    float shift = floorf(start);
    start -= shift, end -= shift;
    while (start < end) {
        float quarter_end = (floorf(start * 4.0f) + 1.0f) / 4.0f;
        float piece_end = end < quarter_end ? end : quarter_end;
        add_ring_in(m, cx, cy, inner, outer, sector_box(cx, cy, inner, outer, start, piece_end));
        start = piece_end;
    }
}

long draw_mask_area(const DrawMask *m)
{
    long area = 0;
    for (int row = 0; row < m->rows; row++)
        for (int i = 0; i < m->count[row]; i++)
            area += m->span[row][i][1] - m->span[row][i][0];
    return area;
}

enum { BAND_ROWS = 16 };

int draw_mask_rects(const DrawMask *m, SDL_Rect *out, int max)
{
    int count = 0;
    for (int band = 0; band < m->rows && max > 0; band += BAND_ROWS) {
        /* The union of the band's spans, as at most DRAW_MASK_SPANS intervals. */
        Sint16 merged[DRAW_MASK_SPANS][2];
        int n = 0;
        int rows = m->rows - band < BAND_ROWS ? m->rows - band : BAND_ROWS;
        for (int row = band; row < band + rows; row++)
            for (int i = 0; i < m->count[row]; i++)
                span_insert(merged, &n, m->span[row][i][0], m->span[row][i][1]);
        for (int i = 0; i < n; i++) {
            SDL_Rect r = {merged[i][0], m->y0 + band, merged[i][1] - merged[i][0], rows};
            if (count < max)
                out[count++] = r;
            else /* out of room: the last rectangle grows to hold the rest */
                SDL_UnionRect(&out[max - 1], &r, &out[max - 1]);
        }
    }
    return count;
}
