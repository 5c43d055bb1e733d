/* widgets.c: hit areas, focus, buttons, cards and picture placeholders (see widgets.h). */
#include "widgets.h"

#include <math.h>
#include <string.h>

#include "draw.h"

void hot_init(HotList *hot)
{
    memset(hot, 0, sizeof *hot);
    hot->focus_id = -1;
    hot->pressed_id = -1;
}

void hot_clear(HotList *hot)
{
    hot->count = 0;
}

void hot_add(HotList *hot, SDL_FRect rect, int id)
{
    if (hot->count < HOT_MAX)
        hot->items[hot->count++] = (Hot){rect, id};
}

static bool inside(SDL_FRect r, float x, float y)
{
    return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}

int hot_at(const HotList *hot, float x, float y)
{
    for (int i = hot->count - 1; i >= 0; i--) /* later areas are drawn on top */
        if (inside(hot->items[i].rect, x, y))
            return hot->items[i].id;
    return -1;
}

const Hot *hot_find(const HotList *hot, int id)
{
    for (int i = 0; i < hot->count; i++)
        if (hot->items[i].id == id)
            return &hot->items[i];
    return NULL;
}

static int index_of(const HotList *hot, int id)
{
    for (int i = 0; i < hot->count; i++)
        if (hot->items[i].id == id)
            return i;
    return -1;
}

bool hot_move_focus(HotList *hot, KeyAction key)
{
    if (hot->count == 0)
        return false;
    int current = index_of(hot, hot->focus_id);
    if (current < 0) {
        hot->focus_id = hot->items[0].id;
        return true;
    }
    if (key == KEY_TAB || key == KEY_SHIFT_TAB) {
        int next = (current + (key == KEY_TAB ? 1 : hot->count - 1)) % hot->count;
        hot->focus_id = hot->items[next].id;
        return true;
    }
    /* Spatial: the nearest area whose centre lies in the direction of the key, preferring areas in
     * line with the current one. */
    const SDL_FRect *c = &hot->items[current].rect;
    float cx = c->x + c->w / 2, cy = c->y + c->h / 2;
    int best = -1;
    float best_score = 1e30f;
    for (int i = 0; i < hot->count; i++) {
        if (i == current)
            continue;
        const SDL_FRect *r = &hot->items[i].rect;
        float x = r->x + r->w / 2, y = r->y + r->h / 2;
        float along, across;
        switch (key) {
        case KEY_LEFT: along = cx - x; across = y - cy; break;
        case KEY_RIGHT: along = x - cx; across = y - cy; break;
        case KEY_UP: along = cy - y; across = x - cx; break;
        case KEY_DOWN: along = y - cy; across = x - cx; break;
        default: return false;
        }
        if (along <= 1.0f)
            continue;
        float score = along + 2.5f * fabsf(across);
        if (score < best_score) {
            best_score = score;
            best = i;
        }
    }
    if (best < 0)
        return false;
    hot->focus_id = hot->items[best].id;
    return true;
}

int hot_handle(HotList *hot, App *app, const Input *input)
{
    switch (input->type) {
    case INPUT_PRESS: {
        int id = hot_at(hot, input->x, input->y);
        if (id != hot->pressed_id || hot->show_focus) {
            hot->pressed_id = id;
            hot->show_focus = false;
            app_set_dirty(app);
        }
        return -1;
    }
    case INPUT_DRAG:
        return -1;
    case INPUT_TAP: {
        int id = hot_at(hot, input->x, input->y);
        if (hot->pressed_id != -1) {
            hot->pressed_id = -1;
            app_set_dirty(app);
        }
        if (id >= 0)
            hot->focus_id = id;
        return id;
    }
    case INPUT_SWIPE:
    case INPUT_RELEASE:
    case INPUT_SCROLL:
        if (hot->pressed_id != -1) {
            hot->pressed_id = -1;
            app_set_dirty(app);
        }
        return -1;
    case INPUT_KEY:
        if (input->key == KEY_ACTIVATE) {
            if (!hot->show_focus || !hot_find(hot, hot->focus_id)) {
                /* The first key press only reveals where focus is. */
                if (!hot_find(hot, hot->focus_id) && hot->count)
                    hot->focus_id = hot->items[0].id;
                hot->show_focus = true;
                app_set_dirty(app);
                return -1;
            }
            return hot->focus_id;
        }
        if (input->key == KEY_LEFT || input->key == KEY_RIGHT || input->key == KEY_UP || input->key == KEY_DOWN ||
            input->key == KEY_TAB || input->key == KEY_SHIFT_TAB) {
            bool was_hidden = !hot->show_focus;
            hot->show_focus = true;
            if (was_hidden && hot_find(hot, hot->focus_id)) {
                app_set_dirty(app);
                return -1;
            }
            hot_move_focus(hot, input->key);
            app_set_dirty(app);
        }
        return -1;
    }
    return -1;
}

SavedClip ui_push_clip(App *app, SDL_FRect r)
{
    SavedClip saved = {SDL_RenderIsClipEnabled(app->renderer), {0, 0, 0, 0}};
    SDL_Rect want = {(int)r.x, (int)r.y, (int)(r.w + 0.5f), (int)(r.h + 0.5f)};
    if (saved.had) {
        SDL_RenderGetClipRect(app->renderer, &saved.rect);
        if (!SDL_IntersectRect(&saved.rect, &want, &want))
            want = (SDL_Rect){want.x, want.y, 0, 0};
    }
    SDL_RenderSetClipRect(app->renderer, &want);
    return saved;
}

void ui_pop_clip(App *app, SavedClip saved)
{
    SDL_RenderSetClipRect(app->renderer, saved.had ? &saved.rect : NULL);
}

TextStyle ui_text_style(App *app, int px, FontWeight weight, SDL_Color color)
{
    (void)app;
    return (TextStyle){.px = px, .weight = weight, .color = color, .align = ALIGN_LEFT};
}

void ui_focus_ring(App *app, const HotList *hot, int id, SDL_FRect rect, float radius)
{
    if (!hot || !hot->show_focus || hot->focus_id != id)
        return;
    float gap = app->layout.unit * 0.35f;
    float width = app->layout.unit * 0.35f;
    if (width < 3.0f)
        width = 3.0f;
    SDL_FRect ring = {rect.x - gap - width, rect.y - gap - width, rect.w + 2 * (gap + width), rect.h + 2 * (gap + width)};
    draw_stroke_rounded(app->renderer, ring, radius + gap + width, width, app->palette.focus);
}

void ui_icon(App *app, const char *name, SDL_FRect box, SDL_Color color)
{
    if (!name || !app->icons_dir)
        return;
    int size = (int)(box.w < box.h ? box.w : box.h);
    if (size < 4)
        return;
    SDL_Texture *t = pictures_icon(app->pictures, app->icons_dir, name, size);
    if (!t)
        return;
    SDL_SetTextureColorMod(t, color.r, color.g, color.b);
    SDL_SetTextureAlphaMod(t, color.a);
    SDL_Rect dst = {(int)(box.x + (box.w - size) / 2), (int)(box.y + (box.h - size) / 2), size, size};
    SDL_RenderCopy(app->renderer, t, NULL, &dst);
}

void ui_card(App *app, SDL_FRect rect, float radius)
{
    if (app->high_contrast) {
        /* A solid edge instead of a soft shadow, which vanishes white on white. */
        float bw = app->layout.unit * 0.2f < 2.0f ? 2.0f : app->layout.unit * 0.2f;
        draw_fill_rounded(app->renderer, rect, radius, app->palette.line);
        draw_fill_rounded(app->renderer, (SDL_FRect){rect.x + bw, rect.y + bw, rect.w - 2 * bw, rect.h - 2 * bw},
                          radius - bw, app->palette.surface);
        return;
    }
    float s = app->layout.unit * 0.25f;
    SDL_Color shadow = {0, 0, 0, 18};
    draw_fill_rounded(app->renderer, (SDL_FRect){rect.x, rect.y + s, rect.w, rect.h}, radius, shadow);
    draw_fill_rounded(app->renderer, rect, radius, app->palette.surface);
}

void ui_button(App *app, const HotList *hot, int id, SDL_FRect rect, const char *icon, const char *label,
               ButtonStyle style)
{
    const Palette *p = &app->palette;
    SDL_Color fill = p->surface, ink = p->text, border = p->line;
    switch (style) {
    case BUTTON_PRIMARY: fill = p->accent; ink = p->accent_text; border = p->accent; break;
    case BUTTON_SECONDARY: fill = p->surface; ink = p->accent; border = p->line; break;
    /* In high contrast every button keeps a visible edge: white on white would hide where to press. */
    case BUTTON_QUIET: fill = p->background; ink = p->text; border = app->high_contrast ? p->line : p->background; break;
    case BUTTON_DANGER: fill = p->danger; ink = p->accent_text; border = p->danger; break;
    }
    if (hot && hot->pressed_id == id)
        fill = draw_mix(fill, p->text, 0.14f);
    float radius = rect.h * 0.5f < app->layout.unit * 1.2f ? rect.h * 0.5f : app->layout.unit * 1.2f;
    draw_fill_rounded(app->renderer, rect, radius, border);
    float bw = app->layout.unit * 0.18f < 2.0f ? 2.0f : app->layout.unit * 0.18f;
    draw_fill_rounded(app->renderer, (SDL_FRect){rect.x + bw, rect.y + bw, rect.w - 2 * bw, rect.h - 2 * bw},
                      radius - bw, fill);
    ui_focus_ring(app, hot, id, rect, radius);

    float pad = app->layout.unit * 1.0f;
    int px = app->layout.text_px;
    TextStyle style_text = ui_text_style(app, px, WEIGHT_BOLD, ink);
    style_text.max_lines = 1;
    float icon_size = px * 1.5f;
    if (icon_size > rect.h - pad)
        icon_size = rect.h - pad;
    float content_w = 0;
    TextMetrics m = {0};
    if (label) {
        m = text_measure(app->text, label, &style_text, (int)(rect.w - 2 * pad - (icon ? icon_size + pad * 0.5f : 0)));
        content_w += (float)m.width;
    }
    if (icon)
        content_w += icon_size + (label ? pad * 0.5f : 0);
    float x = rect.x + (rect.w - content_w) / 2;
    if (icon) {
        ui_icon(app, icon, (SDL_FRect){x, rect.y + (rect.h - icon_size) / 2, icon_size, icon_size}, ink);
        x += icon_size + pad * 0.5f;
    }
    if (label) {
        int lh = text_line_height(app->text, &style_text);
        text_draw(app->text, label, &style_text, (int)x, (int)(rect.y + (rect.h - lh) / 2),
                  (int)(rect.x + rect.w - pad - x) + 1);
    }
}

SDL_FRect ui_picture(App *app, const PackPicture *picture, SDL_FRect box)
{
    return ui_picture_shown(app, picture, box, NULL);
}

SDL_FRect ui_picture_shown(App *app, const PackPicture *picture, SDL_FRect box, bool *shown)
{
    int w = 0, h = 0;
    SDL_Texture *t = NULL;
    if (picture && picture->full_path && box.w >= 8 && box.h >= 8)
        t = pictures_get(app->pictures, picture->full_path, (int)box.w, (int)box.h, &w, &h);
    if (shown)
        *shown = t != NULL;
    if (t) {
        SDL_Rect dst = {(int)(box.x + (box.w - w) / 2), (int)(box.y + (box.h - h) / 2), w, h};
        SDL_RenderCopy(app->renderer, t, NULL, &dst);
        return (SDL_FRect){(float)dst.x, (float)dst.y, (float)w, (float)h};
    }
    /* A tidy placeholder: a soft panel with a picture glyph and the alt text, so the slide still
     * says what the picture would have shown. */
    const Palette *p = &app->palette;
    float r = app->layout.unit;
    draw_fill_rounded(app->renderer, box, r, p->accent_soft);
    draw_stroke_rounded(app->renderer, box, r, app->layout.unit * 0.15f + 1.0f, draw_mix(p->accent, p->surface, 0.6f));
    float glyph = app->layout.unit * 4.0f;
    if (glyph > box.h * 0.35f)
        glyph = box.h * 0.35f;
    SDL_FRect g = {box.x + (box.w - glyph) / 2, box.y + box.h * 0.12f, glyph, glyph * 0.75f};
    SDL_Color ink = draw_mix(p->accent, p->surface, 0.35f);
    draw_stroke_rounded(app->renderer, g, glyph * 0.1f, glyph * 0.07f, ink);
    draw_fill_circle(app->renderer, g.x + g.w * 0.3f, g.y + g.h * 0.35f, glyph * 0.08f, ink);
    draw_line(app->renderer, g.x + g.w * 0.15f, g.y + g.h * 0.8f, g.x + g.w * 0.45f, g.y + g.h * 0.5f, glyph * 0.06f, ink);
    draw_line(app->renderer, g.x + g.w * 0.45f, g.y + g.h * 0.5f, g.x + g.w * 0.85f, g.y + g.h * 0.8f, glyph * 0.06f, ink);
    if (picture && picture->alt) {
        TextStyle s = ui_text_style(app, app->layout.small_px, WEIGHT_REGULAR, p->text);
        s.align = ALIGN_CENTER;
        float top = g.y + g.h + app->layout.unit;
        int lh = text_line_height(app->text, &s);
        int lines = (int)((box.y + box.h - top - app->layout.unit) / (float)(lh > 0 ? lh : 1));
        if (lines >= 1) {
            s.max_lines = lines;
            text_draw(app->text, picture->alt, &s, (int)(box.x + app->layout.unit), (int)top,
                      (int)(box.w - 2 * app->layout.unit));
        }
    }
    return box;
}
