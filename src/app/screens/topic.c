/* topic.c: one slide of a topic at a time: heading, body, bullets, the picture with callouts drawn by
 * the app, its caption, page dots, and next/back by swipe, tap and arrow keys.
 *
 * Landscape puts the picture beside the text, portrait above it. Text that does not fit at the normal
 * size is set a step smaller (down to the small size) and, only then, cut with an ellipsis: it never
 * runs out of its box. Callout labels sit beside the picture on the side nearer their point, with a
 * leader line to a dot on the point, so pictures need no words and can be translated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chrome.h"
#include "screens.h"
#include "ui/draw.h"

enum { ID_BACK = 1, ID_PREV = 2, ID_NEXT = 3, ID_STAR = 4 };

typedef struct {
    Screen base;
    HotList hot;
    const PackItem *item;
    int slide;
    Scroller words;      /* the slide's words, when they do not fit even set smaller */
    bool words_dragged;
} Topic;

typedef struct {
    float bar_h;
    SDL_FRect picture, text, nav;
} TopicGeometry;

static TopicGeometry geometry(App *app, const Topic *t, float bar_h)
{
    const Layout *l = &app->layout;
    TopicGeometry g = {.bar_h = bar_h};
    float nav_h = l->touch + l->unit * 2.0f;
    g.nav = (SDL_FRect){0, l->h - nav_h, (float)l->w, nav_h};
    SDL_FRect body = {l->margin, bar_h + l->unit * 1.5f, l->w - 2 * l->margin, g.nav.y - bar_h - l->unit * 2.5f};
    const PackSlide *s = &t->item->slides[t->slide];
    if (!s->picture) {
        float w = body.w < l->unit * 70 ? body.w : l->unit * 70;
        g.text = (SDL_FRect){body.x + (body.w - w) / 2, body.y, w, body.h};
        g.picture = (SDL_FRect){0, 0, 0, 0};
    } else if (l->portrait) {
        float ph = body.h * 0.46f;
        g.picture = (SDL_FRect){body.x, body.y, body.w, ph};
        g.text = (SDL_FRect){body.x, body.y + ph + l->unit * 1.5f, body.w, body.h - ph - l->unit * 1.5f};
    } else {
        float pw = body.w * 0.5f;
        g.picture = (SDL_FRect){body.x, body.y, pw, body.h};
        g.text = (SDL_FRect){body.x + pw + l->unit * 2.5f, body.y, body.w - pw - l->unit * 2.5f, body.h};
    }
    return g;
}

/* Lays out the slide's words at a scale; returns the height used, drawing when asked. */
static float draw_words(App *app, const PackSlide *s, SDL_FRect box, float scale, bool draw, int max_lines_last)
{
    const Layout *l = &app->layout;
    const Palette *p = &app->palette;
    float y = box.y;
    TextStyle heading = ui_text_style(app, (int)(l->heading_px * scale), WEIGHT_BOLD, p->text);
    TextStyle body = ui_text_style(app, (int)(l->text_px * scale), WEIGHT_REGULAR, p->text);
    body.line_spacing = 1.35f;
    TextMetrics m = draw ? text_draw(app->text, s->heading, &heading, (int)box.x, (int)y, (int)box.w)
                         : text_measure(app->text, s->heading, &heading, (int)box.w);
    y += m.height + l->unit * 1.2f * scale;
    for (int i = 0; i < s->paragraph_count; i++) {
        if (draw && max_lines_last > 0 && i == s->paragraph_count - 1 && !s->bullet_count)
            body.max_lines = max_lines_last;
        m = draw ? text_draw(app->text, s->paragraphs[i], &body, (int)box.x, (int)y, (int)box.w)
                 : text_measure(app->text, s->paragraphs[i], &body, (int)box.w);
        y += m.height + l->unit * 0.8f * scale;
    }
    float dot = body.px * 0.32f;
    float indent = body.px * 1.2f;
    for (int i = 0; i < s->bullet_count; i++) {
        int lh = text_line_height(app->text, &body);
        if (draw) {
            draw_fill_circle(app->renderer, box.x + dot * 1.2f, y + lh / 2.0f, dot, p->accent);
            m = text_draw(app->text, s->bullets[i], &body, (int)(box.x + indent), (int)y, (int)(box.w - indent));
        } else {
            m = text_measure(app->text, s->bullets[i], &body, (int)(box.w - indent));
        }
        y += m.height + l->unit * 0.5f * scale;
    }
    return y - box.y;
}

/* The largest scale, down to the small text size, at which the words fit their box. */
static float words_scale(const Topic *t, App *app, const PackSlide *s, SDL_FRect box)
{
    (void)t;
    const Layout *l = &app->layout;
    float scale = 1.0f;
    float min_scale = (float)l->small_px / (float)l->text_px;
    while (scale > min_scale && draw_words(app, s, box, scale, false, 0) > box.h)
        scale -= 0.08f;
    return scale < min_scale ? min_scale : scale;
}

static void draw_callouts(App *app, const PackPicture *pic, SDL_FRect shown, SDL_FRect pane)
{
    const Layout *l = &app->layout;
    const Palette *p = &app->palette;
    TextStyle s = ui_text_style(app, l->small_px, WEIGHT_BOLD, p->text);
    s.max_lines = 2;
    float pad = l->unit * 0.5f;
    float last_bottom[2] = {-1e9f, -1e9f};
    /* Labels go in the margins beside the drawn picture when there is room, otherwise over it. */
    for (int i = 0; i < pic->callout_count; i++) {
        const PackCallout *c = &pic->callouts[i];
        float px = shown.x + c->x * shown.w, py = shown.y + c->y * shown.h;
        int side = c->x < 0.5f ? 0 : 1;
        float room = side == 0 ? shown.x - pane.x : pane.x + pane.w - (shown.x + shown.w);
        float max_w = l->unit * 14;
        TextMetrics m = text_measure(app->text, c->label, &s, (int)max_w);
        float bw = m.width + 2 * pad, bh = m.height + pad;
        float bx;
        if (room >= bw + l->unit)
            bx = side == 0 ? shown.x - bw - l->unit * 0.5f : shown.x + shown.w + l->unit * 0.5f;
        else
            bx = side == 0 ? px - bw - l->unit * 2.5f : px + l->unit * 2.5f;
        if (bx < pane.x)
            bx = pane.x;
        if (bx + bw > pane.x + pane.w)
            bx = pane.x + pane.w - bw;
        float by = py - bh / 2;
        if (by < last_bottom[side] + pad)
            by = last_bottom[side] + pad;
        if (by + bh > pane.y + pane.h)
            by = pane.y + pane.h - bh;
        if (by < pane.y)
            by = pane.y;
        last_bottom[side] = by + bh;
        float ax = side == 0 ? bx + bw : bx, ay = by + bh / 2;
        float lw = l->unit * 0.22f < 2.0f ? 2.0f : l->unit * 0.22f;
        draw_line(app->renderer, ax, ay, px, py, lw, p->text);
        draw_fill_circle(app->renderer, px, py, l->unit * 0.65f, p->surface);
        draw_fill_circle(app->renderer, px, py, l->unit * 0.45f, p->accent);
        SDL_FRect label = {bx, by, bw, bh};
        draw_fill_rounded(app->renderer, label, l->unit * 0.5f, p->text);
        draw_fill_rounded(app->renderer, (SDL_FRect){bx + lw * 0.6f, by + lw * 0.6f, bw - lw * 1.2f, bh - lw * 1.2f},
                          l->unit * 0.4f, p->surface);
        text_draw(app->text, c->label, &s, (int)(bx + pad), (int)(by + pad / 2), (int)(bw - 2 * pad) + 1);
    }
}

static void lay_out(Topic *t, App *app, bool draw)
{
    const Layout *l = &app->layout;
    const Palette *p = &app->palette;
    hot_clear(&t->hot);
    float bar_h = chrome_top_bar(app, &t->hot, ID_BACK, "Home", t->item->title, draw);
    chrome_star(app, &t->hot, ID_STAR, t->item, draw);
    TopicGeometry g = geometry(app, t, bar_h);
    const PackSlide *s = &t->item->slides[t->slide];

    /* Navigation: back and next buttons either side of the page dots. */
    float bw = l->unit * 13 < l->w * 0.3f ? l->unit * 13 : l->w * 0.3f;
    SDL_FRect prev = {l->margin, g.nav.y + (g.nav.h - l->touch) / 2, bw, l->touch};
    SDL_FRect next = {l->w - l->margin - bw, prev.y, bw, l->touch};
    if (t->slide > 0)
        hot_add(&t->hot, prev, ID_PREV);
    hot_add(&t->hot, next, ID_NEXT);
    if (!draw)
        return;

    if (s->picture) {
        SDL_FRect pane = g.picture;
        float caption_h = 0;
        TextStyle cap = ui_text_style(app, l->small_px, WEIGHT_REGULAR, p->muted);
        cap.align = ALIGN_CENTER;
        cap.max_lines = 2;
        if (s->picture->caption)
            caption_h = text_measure(app->text, s->picture->caption, &cap, (int)pane.w).height + l->unit;
        /* Room for labels beside the picture, only on the sides that have them and only as wide as
         * their widest label; what does not fit goes over the picture instead. */
        float room[2] = {0, 0};
        TextStyle label = ui_text_style(app, l->small_px, WEIGHT_BOLD, p->text);
        label.max_lines = 2;
        for (int i = 0; i < s->picture->callout_count; i++) {
            const PackCallout *co = &s->picture->callouts[i];
            float w = (float)text_measure(app->text, co->label, &label, (int)(l->unit * 14)).width + l->unit * 2;
            int side = co->x < 0.5f ? 0 : 1;
            room[side] = w > room[side] ? w : room[side];
        }
        for (int k = 0; k < 2; k++)
            if (room[k] > pane.w * 0.26f)
                room[k] = pane.w * 0.26f;
        SDL_FRect art = {pane.x + room[0], pane.y, pane.w - room[0] - room[1], pane.h - caption_h};
        bool drawn = false;
        SDL_FRect shown = ui_picture_shown(app, s->picture, art, &drawn);
        if (drawn && s->picture->callout_count)
            draw_callouts(app, s->picture, shown, (SDL_FRect){pane.x, pane.y, pane.w, pane.h - caption_h});
        if (s->picture->caption) /* right under the picture, not at the foot of the pane */
            text_draw(app->text, s->picture->caption, &cap, (int)pane.x, (int)(shown.y + shown.h + l->unit * 0.6f),
                      (int)pane.w);
    }

    /* Set the words a step smaller until they fit. If they still do not (the largest text size on a
     * small screen), they scroll inside their box rather than run out of it or lose a word. */
    float scale = words_scale(t, app, s, g.text);
    float used = draw_words(app, s, g.text, scale, false, 0);
    t->words.view_h = g.text.h;
    t->words.content_h = used;
    scroller_clamp(&t->words);
    if (used > g.text.h) {
        SavedClip clip = ui_push_clip(app, g.text);
        draw_words(app, s, (SDL_FRect){g.text.x, g.text.y - t->words.offset, g.text.w, g.text.h}, scale, true, 0);
        ui_pop_clip(app, clip);
        scroller_draw_bar(app, &t->words, (SDL_FRect){g.text.x, g.text.y, g.text.w + l->unit * 1.5f, g.text.h});
    } else {
        float top = g.text.y + (!l->portrait ? (g.text.h - used) * 0.35f : 0);
        draw_words(app, s, (SDL_FRect){g.text.x, top, g.text.w, g.text.h}, scale, true, 0);
    }

    /* On "when to get help" topics the emergency number stays in view: it is the pack's setting, so
     * the same words serve every country. */
    const char *emergency = app->clinic_pack ? app->clinic_pack->clinic.emergency_number : NULL;
    /* The banner leaves room for the "N of M" counter, which must stay on one line beside it. */
    char widest[32];
    snprintf(widest, sizeof widest, "%d of %d", t->item->slide_count, t->item->slide_count);
    TextStyle counter_style = ui_text_style(app, l->small_px, WEIGHT_BOLD, p->muted);
    float banner_right = next.x - l->unit * 2 - (float)text_measure(app->text, widest, &counter_style, l->w).width;
    float dots_left = t->slide > 0 ? prev.x + prev.w : l->margin; /* page dots sit between this and Next */
    const char *crisis = app->clinic_pack ? app->clinic_pack->clinic.crisis_line : NULL;
    if (emergency && strcmp(t->item->section, "help") == 0) {
        /* The number never vanishes: where the full words do not fit beside the buttons (portrait, large
         * text), shorter ones are tried, down to the phone icon and the number alone. */
        char tries[3][96];
        snprintf(tries[0], sizeof tries[0], "Emergency: %s%s%s", emergency, crisis ? "   Crisis line: " : "", crisis ? crisis : "");
        snprintf(tries[1], sizeof tries[1], "Emergency: %s", emergency);
        snprintf(tries[2], sizeof tries[2], "%s", emergency);
        TextStyle es = ui_text_style(app, l->text_px, WEIGHT_BOLD, p->accent_text);
        es.max_lines = 1;
        float icon = (float)text_line_height(app->text, &es);
        float left = (t->slide > 0 ? prev.x + prev.w : l->margin) + l->unit;
        for (int k = crisis ? 0 : 1; k < 3; k++) {
            TextMetrics em = text_measure(app->text, tries[k], &es, l->w);
            SDL_FRect pill = {left, prev.y, em.width + icon + l->unit * 3, l->touch};
            if (pill.x + pill.w > banner_right && k < 2)
                continue;
            draw_fill_rounded(app->renderer, pill, pill.h / 2, p->danger);
            ui_icon(app, "phone", (SDL_FRect){pill.x + l->unit, pill.y + (pill.h - icon) / 2, icon, icon}, p->accent_text);
            text_draw(app->text, tries[k], &es, (int)(pill.x + l->unit * 1.8f + icon),
                      (int)(pill.y + (pill.h - text_line_height(app->text, &es)) / 2), em.width + 1);
            dots_left = pill.x + pill.w; /* the page dots go beside the banner, not under it */
            break;
        }
    }

    /* Navigation bar. */
    if (t->slide > 0)
        ui_button(app, &t->hot, ID_PREV, prev, NULL, "Back", BUTTON_SECONDARY);
    bool last = t->slide == t->item->slide_count - 1;
    ui_button(app, &t->hot, ID_NEXT, next, NULL, last ? "Done" : "Next", BUTTON_PRIMARY);
    int n = t->item->slide_count;
    float dot = l->unit * 0.6f, gap = l->unit * 2.6f;
    float dots_w = (n - 1) * gap;
    if (dots_w < next.x - dots_left - l->unit * 4) {
        float cx = dots_left + (next.x - dots_left) / 2.0f - dots_w / 2;
        for (int i = 0; i < n; i++)
            draw_fill_circle(app->renderer, cx + i * gap, g.nav.y + g.nav.h / 2, i == t->slide ? dot * 1.35f : dot,
                             i == t->slide ? p->accent : p->line);
    } else {
        char counter[32];
        snprintf(counter, sizeof counter, "%d of %d", t->slide + 1, n);
        TextStyle cs = counter_style;
        cs.align = ALIGN_CENTER;
        cs.max_lines = 1;
        text_draw(app->text, counter, &cs, (int)dots_left, (int)(g.nav.y + (g.nav.h - text_line_height(app->text, &cs)) / 2),
                  (int)(next.x - dots_left));
    }
}

SDL_FRect topic_text_box(Screen *screen, App *app)
{
    Topic *t = (Topic *)screen;
    HotList scratch;
    hot_init(&scratch);
    float bar_h = chrome_top_bar(app, &scratch, ID_BACK, "Home", NULL, false);
    return geometry(app, t, bar_h).text;
}

SDL_FRect topic_picture_box(Screen *screen, App *app)
{
    Topic *t = (Topic *)screen;
    HotList scratch;
    hot_init(&scratch);
    float bar_h = chrome_top_bar(app, &scratch, ID_BACK, "Home", NULL, false);
    return geometry(app, t, bar_h).picture;
}

static void go(Topic *t, App *app, int delta)
{
    int to = t->slide + delta;
    if (to < 0)
        return;
    if (to >= t->item->slide_count) {
        app_pop(app); /* "Done" on the last slide returns home */
        return;
    }
    t->slide = to;
    t->words.offset = 0;
    app_set_dirty(app);
}

static void topic_input(Screen *screen, App *app, const Input *input)
{
    Topic *t = (Topic *)screen;
    lay_out(t, app, false);
    /* Words that scroll take vertical drags, the wheel and Up/Down; a horizontal swipe still turns the
     * page. */
    if (t->words.content_h > t->words.view_h + 1) {
        if (input->type == INPUT_PRESS)
            t->words_dragged = false;
        Input scroll = *input;
        if (input->type == INPUT_KEY && (input->key == KEY_DOWN || input->key == KEY_UP) && !t->hot.show_focus) {
            scroll.type = INPUT_SCROLL;
            scroll.dy = (input->key == KEY_DOWN ? -1 : 1) * app->layout.unit * 6;
        }
        bool vertical = input->type != INPUT_DRAG || SDL_fabsf(input->dy) > SDL_fabsf(input->dx);
        if (vertical && scroller_input(&t->words, app, &scroll)) {
            if (input->type == INPUT_DRAG)
                t->words_dragged = true;
            return;
        }
        if (input->type == INPUT_TAP && t->words_dragged)
            return;
    }
    if (input->type == INPUT_SWIPE) {
        go(t, app, input->dx < 0 ? 1 : -1);
        return;
    }
    if (input->type == INPUT_KEY) {
        if (input->key == KEY_BACK) {
            app_pop(app);
            return;
        }
        if ((input->key == KEY_RIGHT || input->key == KEY_LEFT) && !t->hot.show_focus) {
            go(t, app, input->key == KEY_RIGHT ? 1 : -1);
            return;
        }
        if (input->key == KEY_PAGE_DOWN || input->key == KEY_PAGE_UP) {
            go(t, app, input->key == KEY_PAGE_DOWN ? 1 : -1);
            return;
        }
    }
    int id = hot_handle(&t->hot, app, input);
    if (chrome_star_toggle(app, ID_STAR, id, t->item))
        return;
    if (id == ID_BACK)
        app_pop(app);
    else if (id == ID_PREV)
        go(t, app, -1);
    else if (id == ID_NEXT)
        go(t, app, 1);
}

static void topic_draw(Screen *screen, App *app)
{
    lay_out((Topic *)screen, app, true);
}

static void topic_describe(Screen *screen, App *app, char *out, size_t size)
{
    Topic *t = (Topic *)screen;
    snprintf(out, size, "topic %s slide %d/%d", t->item->id, t->slide + 1, t->item->slide_count);
}

static void topic_destroy(Screen *screen)
{
    free(screen);
}

static const ScreenClass topic_class = {
    .input = topic_input,
    .draw = topic_draw,
    .describe = topic_describe,
    .destroy = topic_destroy,
    .name = "topic",
};

Screen *topic_screen_create(App *app, const PackItem *item, int slide)
{
    (void)app;
    Topic *t = calloc(1, sizeof *t);
    if (!t || item->kind != ITEM_TOPIC || item->slide_count == 0) {
        free(t);
        return NULL;
    }
    t->base.cls = &topic_class;
    hot_init(&t->hot);
    t->item = item;
    t->slide = slide < 0 ? 0 : slide >= item->slide_count ? item->slide_count - 1 : slide;
    return &t->base;
}
