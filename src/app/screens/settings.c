/* settings.c: the patient's settings: text size, contrast, movement, sound and language.
 *
 * Each setting is a heading and a row of choices; the chosen one is filled. A change applies at once
 * (the screen relays out around the new text size, so the patient sees the effect while choosing)
 * and is kept for the next start. Rows wrap and the page scrolls, so at the largest text size on the
 * smallest screen every choice is still reachable and nothing runs off the edge.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chrome.h"
#include "screens.h"
#include "ui/draw.h"

enum { ID_BACK = 1, ID_TEXT = 100, ID_CONTRAST = 200, ID_MOTION = 300, ID_SOUND = 400, ID_VOLUME = 500, ID_LANGUAGE = 600 };

static const int volumes[3] = {30, 65, 100};
static const char *const volume_names[3] = {"Quiet", "Medium", "Loud"};

typedef struct {
    Screen base;
    HotList hot;
    Scroller scroll;
    bool tap_is_scroll;
    const char *languages[12];
    int language_count;
} Settings;

/* Lays out one setting: its heading and a wrapping row of choices; returns the y below it. */
static float setting_row(Settings *s, App *app, bool draw, float y, const char *heading, int first_id, const char *const *names,
                         int count, int chosen, float view_top)
{
    const Layout *l = &app->layout;
    float x0 = l->margin, right = l->w - l->margin;
    TextStyle h = ui_text_style(app, l->text_px, WEIGHT_BOLD, app->palette.text);
    int lh = text_line_height(app->text, &h);
    if (draw && y + lh > view_top)
        text_draw(app->text, heading, &h, (int)x0, (int)y, (int)(right - x0));
    y += lh + l->unit * 0.6f;
    float x = x0;
    TextStyle label = ui_text_style(app, l->text_px, WEIGHT_BOLD, app->palette.text);
    for (int i = 0; i < count; i++) {
        float w = (float)text_measure(app->text, names[i], &label, l->w).width + l->unit * 3;
        if (w < l->touch * 1.6f)
            w = l->touch * 1.6f;
        if (w > right - x0)
            w = right - x0;
        if (x > x0 && x + w > right) { /* wrap to the next row */
            x = x0;
            y += l->touch + l->unit * 0.8f;
        }
        SDL_FRect r = {x, y, w, l->touch};
        if (r.y + r.h > view_top && r.y < l->h) {
            hot_add(&s->hot, r, first_id + i);
            if (draw)
                ui_button(app, &s->hot, first_id + i, r, NULL, names[i], i == chosen ? BUTTON_PRIMARY : BUTTON_SECONDARY);
        }
        x += w + l->unit * 0.8f;
    }
    return y + l->touch + l->unit * 2.0f;
}

static float lay_out(Settings *s, App *app, bool draw)
{
    const Layout *l = &app->layout;
    hot_clear(&s->hot);
    float view_top = l->touch + l->unit * 1.2f;
    float y = view_top + l->unit * 1.5f - s->scroll.offset;
    SavedClip clip = {0};
    if (draw)
        clip = ui_push_clip(app, (SDL_FRect){0, view_top, (float)l->w, l->h - view_top});
    static const char *const contrast[2] = {"Normal", "High contrast"};
    static const char *const motion[2] = {"Moving shape", "Still bar (less motion)"};
    static const char *const sound[2] = {"Sound cues on", "Sound cues off"};
    y = setting_row(s, app, draw, y, "Text size", ID_TEXT, app_text_size_names, APP_TEXT_STEPS, app->text_step, view_top);
    y = setting_row(s, app, draw, y, "Contrast", ID_CONTRAST, contrast, 2, app->high_contrast, view_top);
    y = setting_row(s, app, draw, y, "Breathing guide", ID_MOTION, motion, 2, app->reduced_motion, view_top);
    y = setting_row(s, app, draw, y, "Sound", ID_SOUND, sound, 2, app->muted, view_top);
    int chosen_volume = app->volume <= 40 ? 0 : app->volume <= 80 ? 1 : 2;
    y = setting_row(s, app, draw, y, "Volume", ID_VOLUME, volume_names, 3, chosen_volume, view_top);
    if (s->language_count > 1) {
        int chosen = -1;
        for (int i = 0; i < s->language_count; i++)
            if (app->pack_count && strcmp(s->languages[i], app->packs[0]->language) == 0)
                chosen = i;
        const char *labels[12];
        for (int i = 0; i < s->language_count; i++)
            labels[i] = chrome_language_label(app, s->languages[i]);
        y = setting_row(s, app, draw, y, "Language", ID_LANGUAGE, labels, s->language_count, chosen, view_top);
    }
    float content_h = y + s->scroll.offset - view_top;
    if (draw)
        ui_pop_clip(app, clip);
    s->scroll.view_h = l->h - view_top;
    s->scroll.content_h = content_h;
    chrome_top_bar(app, &s->hot, ID_BACK, "Back", "Settings", draw);
    if (draw)
        scroller_draw_bar(app, &s->scroll, (SDL_FRect){0, view_top, (float)l->w, l->h - view_top});
    return content_h;
}

static void settings_input(Screen *screen, App *app, const Input *input)
{
    Settings *s = (Settings *)screen;
    lay_out(s, app, false);
    if (input->type == INPUT_PRESS)
        s->tap_is_scroll = false;
    if (scroller_input(&s->scroll, app, input)) {
        if (input->type == INPUT_DRAG)
            s->tap_is_scroll = true;
        return;
    }
    if (input->type == INPUT_TAP && s->tap_is_scroll)
        return;
    if (input->type == INPUT_KEY && input->key == KEY_BACK) {
        app_pop(app);
        return;
    }
    int id = hot_handle(&s->hot, app, input);
    if (id == ID_BACK) {
        app_pop(app);
        return;
    }
    if (id >= ID_TEXT && id < ID_TEXT + APP_TEXT_STEPS)
        app->text_step = id - ID_TEXT;
    else if (id == ID_CONTRAST || id == ID_CONTRAST + 1)
        app->high_contrast = id == ID_CONTRAST + 1;
    else if (id == ID_MOTION || id == ID_MOTION + 1)
        app->reduced_motion = id == ID_MOTION + 1;
    else if (id == ID_SOUND || id == ID_SOUND + 1)
        app->muted = id == ID_SOUND + 1;
    else if (id >= ID_VOLUME && id < ID_VOLUME + 3)
        app->volume = volumes[id - ID_VOLUME];
    else if (id >= ID_LANGUAGE && id < ID_LANGUAGE + s->language_count)
        app_set_language(app, s->languages[id - ID_LANGUAGE]);
    else
        return;
    app_apply_settings(app);
    lay_out(s, app, false);
    scroller_clamp(&s->scroll);
}

static void settings_draw(Screen *screen, App *app)
{
    Settings *s = (Settings *)screen;
    lay_out(s, app, false);
    scroller_clamp(&s->scroll);
    lay_out(s, app, true);
}

static void settings_describe(Screen *screen, App *app, char *out, size_t size)
{
    (void)screen;
    snprintf(out, size, "settings text=%s contrast=%s motion=%s sound=%s volume=%d language=%s", app_text_size_names[app->text_step],
             app->high_contrast ? "high" : "normal", app->reduced_motion ? "reduced" : "full", app->muted ? "off" : "on",
             app->volume, app->language);
}

static void settings_destroy(Screen *screen)
{
    free(screen);
}

static const ScreenClass settings_class = {
    .input = settings_input,
    .draw = settings_draw,
    .describe = settings_describe,
    .destroy = settings_destroy,
    .name = "settings",
};

Screen *settings_screen_create(App *app)
{
    Settings *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->base.cls = &settings_class;
    hot_init(&s->hot);
    s->language_count = library_languages(app->library, NULL, s->languages, 12);
    return &s->base;
}
