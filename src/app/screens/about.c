/* about.c: the About screen (the clinic, what this guide is and is not, the packs and their versions)
 * and, behind it, the content problems view for staff: every problem the loader kept, with file,
 * line, field and message, as `blue-align --validate` prints them.
 *
 * Both are scrolling lists of text blocks laid out top to bottom; one layout function measures and
 * draws them so the scroll range always matches what is drawn.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chrome.h"
#include "screens.h"
#include "ui/draw.h"

enum { ID_BACK = 1, ID_PROBLEMS = 2 };

typedef struct {
    Screen base;
    HotList hot;
    Scroller scroll;
    bool problems; /* the staff view rather than About */
    bool tap_is_scroll;
} About;

/* Draws (or measures) one block of text at y in content coordinates; returns its height. */
static float block(App *app, const About *a, const char *text, int px, FontWeight weight, SDL_Color color, float y,
                   float x, float w, bool draw, float view_top)
{
    TextStyle s = ui_text_style(app, px, weight, color);
    float screen_y = view_top + y - a->scroll.offset;
    TextMetrics m = text_measure(app->text, text, &s, (int)w);
    if (draw && screen_y + m.height > view_top && screen_y < app->layout.h)
        text_draw(app->text, text, &s, (int)x, (int)screen_y, (int)w);
    return (float)m.height;
}

static float lay_out(About *a, App *app, bool draw)
{
    const Layout *l = &app->layout;
    const Palette *p = &app->palette;
    hot_clear(&a->hot);
    float bar = l->touch + l->unit * 1.2f;
    float view_top = bar;
    float w = l->w - 2 * l->margin;
    if (w > l->unit * 80)
        w = l->unit * 80;
    float x = (l->w - w) / 2;
    float y = l->unit * 2;
    char line[1400];
    SavedClip clip = {0};
    if (draw)
        clip = ui_push_clip(app, (SDL_FRect){0, view_top, (float)l->w, l->h - view_top});

    if (!a->problems) {
        const Pack *clinic = app->clinic_pack;
        y += block(app, a, clinic ? clinic->clinic.name : "Blue Align Patient Guide", l->title_px, WEIGHT_BOLD, p->text, y, x,
                   w, draw, view_top) + l->unit;
        if (clinic && (clinic->clinic.phone || clinic->clinic.website)) {
            snprintf(line, sizeof line, "%s%s%s", clinic->clinic.phone ? clinic->clinic.phone : "",
                     clinic->clinic.phone && clinic->clinic.website ? "   ·   " : "",
                     clinic->clinic.website ? clinic->clinic.website : "");
            y += block(app, a, line, l->text_px, WEIGHT_REGULAR, p->muted, y, x, w, draw, view_top) + l->unit * 1.5f;
        }
        y += block(app, a, "About this guide", l->heading_px, WEIGHT_BOLD, p->text, y, x, w, draw, view_top) + l->unit * 0.6f;
        y += block(app, a,
                   "This guide gives general information about the care offered at this clinic, about posture, and "
                   "about breathing and exercise routines you can do at home. It does not replace advice from your own "
                   "practitioner. Your practitioner will tell you whether this care and these exercises suit you.",
                   l->text_px, WEIGHT_REGULAR, p->text, y, x, w, draw, view_top) + l->unit;
        /* Every "call" says what to call. */
        const char *emergency = clinic ? clinic->clinic.emergency_number : NULL;
        snprintf(line, sizeof line,
                 "If something hurts, makes you dizzy, or does not feel right, stop and ask your practitioner. "
                 "In an emergency, call %s%s.",
                 emergency ? emergency : "emergency services", emergency ? " (emergency services)" : "");
        y += block(app, a, line, l->text_px, WEIGHT_REGULAR, p->text, y, x, w, draw, view_top) + l->unit * 1.5f;
        y += block(app, a, "Content", l->heading_px, WEIGHT_BOLD, p->text, y, x, w, draw, view_top) + l->unit * 0.6f;
        for (int i = 0; i < app->pack_count; i++) {
            const Pack *pk = app->packs[i];
            snprintf(line, sizeof line, "%s — version %s, %s, updated %s, by %s", pk->title, pk->version, pk->language,
                     pk->updated, pk->author);
            y += block(app, a, line, l->small_px, WEIGHT_REGULAR, p->text, y, x, w, draw, view_top) + l->unit * 0.4f;
        }
        /* Patients see the version; where the font file lives is for staff (the journal names it). */
        snprintf(line, sizeof line, "Blue Align Patient Guide %s.", BA_VERSION);
        y += l->unit;
        y += block(app, a, line, l->small_px, WEIGHT_REGULAR, p->muted, y, x, w, draw, view_top) + l->unit * 1.5f;
        /* The staff view is reachable but quiet: a small button at the end of the page. */
        size_t count = app->library->problems.count;
        snprintf(line, sizeof line, "Content problems (%zu)", count);
        float bw = l->unit * 22 < w ? l->unit * 22 : w;
        SDL_FRect button = {x, view_top + y - a->scroll.offset, bw, l->touch};
        if (button.y + button.h > view_top && button.y < l->h)
            hot_add(&a->hot, button, ID_PROBLEMS);
        if (draw)
            ui_button(app, &a->hot, ID_PROBLEMS, button, NULL, line, count ? BUTTON_SECONDARY : BUTTON_QUIET);
        y += l->touch + l->unit * 2;
    } else {
        const ProblemList *list = &app->library->problems;
        size_t errors = problems_count(list, PROBLEM_ERROR), warnings = problems_count(list, PROBLEM_WARNING);
        snprintf(line, sizeof line, "%zu error%s, %zu warning%s", errors, errors == 1 ? "" : "s", warnings,
                 warnings == 1 ? "" : "s");
        y += block(app, a, line, l->heading_px, WEIGHT_BOLD, p->text, y, x, w, draw, view_top) + l->unit * 0.4f;
        y += block(app, a,
                   list->count ? "Errors mean something is not shown as written: an item or pack is left out, or a picture "
                                 "shows as a placeholder. Fix them in the pack files; check with blue-align --validate."
                               : "Every pack loaded without problems.",
                   l->small_px, WEIGHT_REGULAR, p->muted, y, x, w, draw, view_top) + l->unit * 1.2f;
        for (size_t i = 0; i < list->count; i++) {
            const Problem *pr = &list->items[i];
            bool error = pr->severity == PROBLEM_ERROR;
            float top = y;
            if (pr->line)
                snprintf(line, sizeof line, "%s %s, line %d, column %d%s%s", error ? "Error" : "Warning", pr->file, pr->line,
                         pr->col, pr->path[0] ? ", " : "", pr->path);
            else
                snprintf(line, sizeof line, "%s %s%s%s", error ? "Error" : "Warning", pr->file, pr->path[0] ? ", " : "", pr->path);
            float indent = l->unit * 1.2f;
            y += block(app, a, line, l->small_px, WEIGHT_BOLD, error ? p->danger : p->text, y, x + indent, w - indent, draw,
                       view_top) + l->unit * 0.2f;
            y += block(app, a, pr->message, l->small_px, WEIGHT_REGULAR, p->text, y, x + indent, w - indent, draw, view_top);
            if (draw) {
                float sy = view_top + top - a->scroll.offset;
                draw_fill_rounded(app->renderer, (SDL_FRect){x, sy, l->unit * 0.35f, y - top}, l->unit * 0.17f,
                                  error ? p->danger : p->focus);
            }
            y += l->unit * 1.2f;
        }
    }
    float content_h = y;
    if (draw)
        ui_pop_clip(app, clip);
    a->scroll.view_h = l->h - view_top;
    a->scroll.content_h = content_h;
    chrome_top_bar(app, &a->hot, ID_BACK, "Back", a->problems ? "Content problems" : "About", draw);
    if (draw)
        scroller_draw_bar(app, &a->scroll, (SDL_FRect){0, view_top, (float)l->w, l->h - view_top});
    return content_h;
}

static void about_input(Screen *screen, App *app, const Input *input)
{
    About *a = (About *)screen;
    lay_out(a, app, false);
    if (input->type == INPUT_PRESS)
        a->tap_is_scroll = false;
    if (input->type == INPUT_KEY && (input->key == KEY_DOWN || input->key == KEY_UP) && !a->hot.show_focus) {
        Input page = *input;
        a->scroll.offset += (input->key == KEY_DOWN ? 1 : -1) * app->layout.unit * 6;
        scroller_clamp(&a->scroll);
        app_set_dirty(app);
        (void)page;
        return;
    }
    if (scroller_input(&a->scroll, app, input)) {
        if (input->type == INPUT_DRAG)
            a->tap_is_scroll = true;
        return;
    }
    if (input->type == INPUT_TAP && a->tap_is_scroll)
        return;
    if (input->type == INPUT_KEY && input->key == KEY_BACK) {
        app_pop(app);
        return;
    }
    int id = hot_handle(&a->hot, app, input);
    if (id == ID_BACK)
        app_pop(app);
    else if (id == ID_PROBLEMS)
        app_push(app, problems_screen_create(app));
}

static void about_draw(Screen *screen, App *app)
{
    About *a = (About *)screen;
    lay_out(a, app, false);
    scroller_clamp(&a->scroll);
    lay_out(a, app, true);
}

static void about_describe(Screen *screen, App *app, char *out, size_t size)
{
    About *a = (About *)screen;
    if (a->problems)
        snprintf(out, size, "problems %zu", app->library->problems.count);
    else
        snprintf(out, size, "about packs=%d", app->pack_count);
}

static void about_destroy(Screen *screen)
{
    free(screen);
}

static const ScreenClass about_class = {
    .input = about_input,
    .draw = about_draw,
    .describe = about_describe,
    .destroy = about_destroy,
    .name = "about",
};

static Screen *create(bool problems)
{
    About *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->base.cls = &about_class;
    a->problems = problems;
    hot_init(&a->hot);
    return &a->base;
}

Screen *about_screen_create(App *app)
{
    (void)app;
    return create(false);
}

Screen *problems_screen_create(App *app)
{
    (void)app;
    return create(true);
}
