/* chrome.c: the top bar, chevrons and the scroller shared by screens (see chrome.h). */
#include "chrome.h"

#include "ui/draw.h"

void chrome_star(App *app, HotList *hot, int id, const PackItem *item, bool draw)
{
    char ref[200];
    if (!app->history || !app_item_ref(app, item, ref, sizeof ref))
        return;
    const Layout *l = &app->layout;
    SDL_FRect star = {l->w - l->margin * 0.5f - l->touch, l->unit * 0.6f, l->touch, l->touch};
    hot_add(hot, star, id);
    if (!draw)
        return;
    bool on = history_is_favourite(app->history, ref);
    if (hot->pressed_id == id)
        draw_fill_rounded(app->renderer, star, l->unit, app->palette.accent_soft);
    ui_focus_ring(app, hot, id, star, l->unit);
    float inset = l->touch * 0.2f;
    ui_icon(app, on ? "star" : "star-outline", (SDL_FRect){star.x + inset, star.y + inset, star.w - 2 * inset, star.h - 2 * inset},
            on ? app->palette.focus : app->palette.accent);
}

bool chrome_star_toggle(App *app, int id, int activated, const PackItem *item)
{
    char ref[200];
    if (id != activated || !app->history || !app_item_ref(app, item, ref, sizeof ref))
        return false;
    history_favourite_set(app->history, ref, !history_is_favourite(app->history, ref));
    app_set_dirty(app);
    return true;
}

void chrome_chevron(App *app, SDL_FRect box, int dir, SDL_Color color)
{
    float s = (box.w < box.h ? box.w : box.h) * 0.32f;
    float cx = box.x + box.w / 2, cy = box.y + box.h / 2;
    float t = app->layout.unit * 0.4f < 2.5f ? 2.5f : app->layout.unit * 0.4f;
    /* dir -1 draws "<", dir 1 draws ">": the tip is on the side the chevron points to. */
    float tip = cx + dir * s * 0.5f, tail = cx - dir * s * 0.5f;
    draw_line(app->renderer, tail, cy - s, tip, cy, t, color);
    draw_line(app->renderer, tip, cy, tail, cy + s, t, color);
    draw_fill_circle(app->renderer, tip, cy, t / 2, color);
}

float chrome_top_bar(App *app, HotList *hot, int back_id, const char *back_label, const char *title, bool draw)
{
    const Layout *l = &app->layout;
    float bar_h = l->touch + l->unit * 1.2f;
    float pad = l->unit * 0.6f;
    TextStyle label = ui_text_style(app, l->text_px, WEIGHT_BOLD, app->palette.accent);
    label.max_lines = 1;
    float label_w = back_label ? (float)text_measure(app->text, back_label, &label, (int)(l->w * 0.3f)).width : 0;
    SDL_FRect back = {l->margin * 0.5f, pad, l->touch + (back_label ? label_w + l->unit : 0), l->touch};
    hot_add(hot, back, back_id);
    if (!draw)
        return bar_h;
    draw_fill_rect(app->renderer, (SDL_FRect){0, 0, (float)l->w, bar_h}, app->palette.surface);
    draw_fill_rect(app->renderer, (SDL_FRect){0, bar_h - 1, (float)l->w, 1 + l->unit * 0.08f}, app->palette.line);
    if (hot->pressed_id == back_id)
        draw_fill_rounded(app->renderer, back, l->unit, app->palette.accent_soft);
    ui_focus_ring(app, hot, back_id, back, l->unit);
    chrome_chevron(app, (SDL_FRect){back.x, back.y, l->touch * 0.8f, l->touch}, -1, app->palette.accent);
    int lh = text_line_height(app->text, &label);
    if (back_label)
        text_draw(app->text, back_label, &label, (int)(back.x + l->touch * 0.8f), (int)(back.y + (back.h - lh) / 2),
                  (int)(label_w + l->unit));
    if (title) {
        TextStyle t = ui_text_style(app, l->text_px, WEIGHT_BOLD, app->palette.text);
        t.max_lines = 1;
        t.align = ALIGN_CENTER;
        float left = back.x + back.w + l->unit;
        float width = l->w - 2 * left;
        if (width > l->unit * 4)
            text_draw(app->text, title, &t, (int)left, (int)(pad + (l->touch - lh) / 2), (int)width);
    }
    return bar_h;
}

void scroller_clamp(Scroller *s)
{
    float max = s->content_h - s->view_h;
    if (max < 0)
        max = 0;
    if (s->offset > max)
        s->offset = max;
    if (s->offset < 0)
        s->offset = 0;
}

bool scroller_input(Scroller *s, App *app, const Input *input)
{
    float before = s->offset;
    switch (input->type) {
    case INPUT_PRESS:
        s->drag_start = s->offset;
        s->dragging = false;
        break;
    case INPUT_DRAG:
        if (s->dragging || SDL_fabsf(input->dy) > app->layout.touch * 0.35f) {
            s->dragging = true;
            s->offset = s->drag_start - input->dy;
        }
        break;
    case INPUT_SCROLL:
        s->offset -= input->dy;
        break;
    case INPUT_TAP:
    case INPUT_RELEASE:
    case INPUT_SWIPE:
        break;
    case INPUT_KEY:
        if (input->key == KEY_PAGE_DOWN)
            s->offset += s->view_h * 0.85f;
        else if (input->key == KEY_PAGE_UP)
            s->offset -= s->view_h * 0.85f;
        else if (input->key == KEY_HOME)
            s->offset = 0;
        else if (input->key == KEY_END)
            s->offset = s->content_h;
        break;
    }
    scroller_clamp(s);
    if (s->offset != before) {
        app_set_dirty(app);
        return true;
    }
    return false;
}

void scroller_reveal(Scroller *s, float top, float bottom, float margin)
{
    if (top - margin < s->offset)
        s->offset = top - margin;
    else if (bottom + margin > s->offset + s->view_h)
        s->offset = bottom + margin - s->view_h;
    scroller_clamp(s);
}

void scroller_draw_bar(App *app, const Scroller *s, SDL_FRect viewport)
{
    if (s->content_h <= s->view_h + 1)
        return;
    float w = app->layout.unit * 0.45f;
    float track = viewport.h - 2 * w;
    float h = track * s->view_h / s->content_h;
    if (h < app->layout.unit * 2)
        h = app->layout.unit * 2;
    float y = viewport.y + w + (track - h) * (s->offset / (s->content_h - s->view_h));
    draw_fill_rounded(app->renderer, (SDL_FRect){viewport.x + viewport.w - w * 2, y, w, h}, w / 2,
                      draw_mix(app->palette.text, app->palette.background, 0.7f));
}

const char *chrome_language_label(App *app, const char *code)
{
    const char *native, *english;
    library_language_names(code, &native, &english);
    return text_can_show(app->text, native) ? native : english;
}
