/* progress_screen.c: "My progress": the streak, this week day by day and the last 8 weeks as bar
 * charts drawn by the app (exercise and breathing stacked), the minutes of each, and saving the history
 * as a CSV file to show a practitioner. The figures come from src/core/progress.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app_paths.h"
#include "chrome.h"
#include "progress.h"
#include "screens.h"
#include "ui/draw.h"

enum { ID_BACK = 1, ID_EXPORT = 2, ID_OPEN_FOLDER = 3 };

typedef struct {
    Screen base;
    HotList hot;
    Scroller scroll;
    ProgressSummary summary;
    char saved[1600];
    char folder[1024];  /* where the last file was saved */
    bool saved_ok;
    bool tap_is_scroll;
} Progress;

static SDL_Color kind_colour(App *app, int kind)
{
    return kind == KIND_EXERCISE ? app->palette.accent : draw_mix(app->palette.accent, app->palette.surface, 0.55f);
}

/* A bar chart of `count` stacked bars in `box`; labels under the bars, minutes over them. */
static void bar_chart(App *app, SDL_FRect box, const int (*values)[2], int count, const char *const *labels, int highlight)
{
    const Layout *l = &app->layout;
    const Palette *p = &app->palette;
    TextStyle label = ui_text_style(app, l->small_px, WEIGHT_REGULAR, p->muted);
    label.align = ALIGN_CENTER;
    label.max_lines = 1;
    int lh = text_line_height(app->text, &label);
    float chart_h = box.h - 2 * lh - l->unit;
    int max = 1;
    for (int i = 0; i < count; i++)
        if (values[i][0] + values[i][1] > max)
            max = values[i][0] + values[i][1];
    float slot = box.w / count;
    float bar_w = slot * 0.6f;
    float base = box.y + lh + chart_h;
    draw_fill_rect(app->renderer, (SDL_FRect){box.x, base, box.w, l->unit * 0.15f + 1}, p->line);
    for (int i = 0; i < count; i++) {
        float x = box.x + i * slot + (slot - bar_w) / 2;
        float y = base;
        for (int k = 0; k < 2; k++) {
            float h = chart_h * (float)values[i][k] / (float)max;
            if (h >= 1.0f) {
                y -= h;
                draw_fill_rounded(app->renderer, (SDL_FRect){x, y, bar_w, h}, bar_w * 0.15f < h / 2 ? bar_w * 0.15f : h / 2,
                                  kind_colour(app, k));
            }
        }
        int total = values[i][0] + values[i][1];
        if (total > 0) {
            char n[16];
            snprintf(n, sizeof n, "%d", total);
            TextStyle v = label;
            v.color = p->text;
            text_draw(app->text, n, &v, (int)(box.x + i * slot), (int)(y - lh), (int)slot);
        }
        TextStyle lab = label;
        if (i == highlight) {
            lab.weight = WEIGHT_BOLD;
            lab.color = p->text;
        }
        text_draw(app->text, labels[i], &lab, (int)(box.x + i * slot), (int)(base + l->unit * 0.4f), (int)slot);
    }
}

static float lay_out(Progress *pr, App *app, bool draw)
{
    const Layout *l = &app->layout;
    const Palette *p = &app->palette;
    hot_clear(&pr->hot);
    float view_top = l->touch + l->unit * 1.2f;
    float x = l->margin, w = l->w - 2 * l->margin;
    float y = view_top + l->unit * 1.5f - pr->scroll.offset;
    SavedClip clip = {0};
    if (draw)
        clip = ui_push_clip(app, (SDL_FRect){0, view_top, (float)l->w, l->h - view_top});
    const ProgressSummary *s = &pr->summary;
    char line[240];

    TextStyle big = ui_text_style(app, l->heading_px, WEIGHT_BOLD, p->text);
    TextStyle body = ui_text_style(app, l->text_px, WEIGHT_REGULAR, p->text);
    if (s->streak > 0)
        snprintf(line, sizeof line, "%d day%s in a row", s->streak, s->streak == 1 ? "" : "s");
    else
        snprintf(line, sizeof line, "Start a routine today");
    if (draw)
        ui_icon(app, "heart", (SDL_FRect){x, y, (float)l->heading_px * 1.2f, (float)l->heading_px * 1.2f}, p->accent);
    TextMetrics m = draw ? text_draw(app->text, line, &big, (int)(x + l->heading_px * 1.5f), (int)y, (int)(w - l->heading_px * 1.5f))
                         : text_measure(app->text, line, &big, (int)(w - l->heading_px * 1.5f));
    y += m.height + l->unit * 0.5f;
    snprintf(line, sizeof line, "In the last 8 weeks: %d minute%s of exercise and %d minute%s of breathing.",
             s->total[KIND_EXERCISE], s->total[KIND_EXERCISE] == 1 ? "" : "s", s->total[KIND_BREATHING],
             s->total[KIND_BREATHING] == 1 ? "" : "s");
    m = draw ? text_draw(app->text, line, &body, (int)x, (int)y, (int)w) : text_measure(app->text, line, &body, (int)w);
    y += m.height + l->unit * 1.5f;

    /* Legend. */
    TextStyle small = ui_text_style(app, l->small_px, WEIGHT_REGULAR, p->text);
    float sw = (float)l->small_px;
    if (draw) {
        draw_fill_rounded(app->renderer, (SDL_FRect){x, y + sw * 0.2f, sw, sw}, sw * 0.2f, kind_colour(app, KIND_EXERCISE));
        int ew = text_draw(app->text, "Exercise", &small, (int)(x + sw * 1.4f), (int)y, (int)(w / 2)).width;
        float x2 = x + sw * 1.4f + ew + l->unit * 2;
        draw_fill_rounded(app->renderer, (SDL_FRect){x2, y + sw * 0.2f, sw, sw}, sw * 0.2f, kind_colour(app, KIND_BREATHING));
        text_draw(app->text, "Breathing", &small, (int)(x2 + sw * 1.4f), (int)y, (int)(w / 2));
    }
    y += text_line_height(app->text, &small) + l->unit;

    TextStyle h = ui_text_style(app, l->text_px, WEIGHT_BOLD, p->text);
    int hh = text_line_height(app->text, &h);
    float chart_h = l->unit * 16 > l->h * 0.4f ? l->unit * 16 : l->h * 0.4f;
    if (draw)
        text_draw(app->text, "This week (minutes)", &h, (int)x, (int)y, (int)w);
    y += hh + l->unit * 0.5f;
    static const char *const days[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    if (draw)
        bar_chart(app, (SDL_FRect){x, y, w, chart_h}, s->week, 7, days, s->today_index);
    y += chart_h + l->unit * 2;
    if (draw)
        text_draw(app->text, "The last 8 weeks (minutes)", &h, (int)x, (int)y, (int)w);
    y += hh + l->unit * 0.5f;
    /* Each week by the date it starts on ("3 Nov"), the way a patient and a practitioner talk about it. */
    static const char *const months[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char week_text[PROGRESS_WEEKS][16];
    const char *weeks[PROGRESS_WEEKS];
    for (int i = 0; i < PROGRESS_WEEKS; i++) {
        int month = s->week_month[i] >= 1 && s->week_month[i] <= 12 ? s->week_month[i] - 1 : 0;
        snprintf(week_text[i], sizeof week_text[i], "%d %s", s->week_day[i], months[month]);
        weeks[i] = week_text[i];
    }
    if (draw)
        bar_chart(app, (SDL_FRect){x, y, w, chart_h}, s->weeks, PROGRESS_WEEKS, weeks, PROGRESS_WEEKS - 1);
    y += chart_h + l->unit * 2;

    TextStyle bl = ui_text_style(app, l->text_px, WEIGHT_BOLD, p->text);
    float bw = (float)text_measure(app->text, "Save for my practitioner", &bl, l->w).width + l->unit * 4;
    SDL_FRect button = {x, y, bw < w ? bw : w, l->touch};
    if (button.y + button.h > view_top && button.y < l->h)
        hot_add(&pr->hot, button, ID_EXPORT);
    if (draw)
        ui_button(app, &pr->hot, ID_EXPORT, button, NULL, "Save for my practitioner", BUTTON_PRIMARY);
    if (pr->saved_ok) {
        float ow = (float)text_measure(app->text, "Open the folder", &bl, l->w).width + l->unit * 4;
        SDL_FRect open = {button.x + button.w + l->unit, y, ow, l->touch};
        if (open.x + open.w > x + w) { /* no room beside it: under it */
            y += l->touch + l->unit;
            open = (SDL_FRect){x, y, ow < w ? ow : w, l->touch};
        }
        if (open.y + open.h > view_top && open.y < l->h)
            hot_add(&pr->hot, open, ID_OPEN_FOLDER);
        if (draw)
            ui_button(app, &pr->hot, ID_OPEN_FOLDER, open, NULL, "Open the folder", BUTTON_SECONDARY);
    }
    y += l->touch + l->unit;
    const char *note = pr->saved[0] ? pr->saved
                                    : "Saves your history as a spreadsheet file (CSV) you can show or send to your practitioner.";
    TextStyle ns = ui_text_style(app, l->small_px, WEIGHT_REGULAR, p->muted);
    m = draw ? text_draw(app->text, note, &ns, (int)x, (int)y, (int)w) : text_measure(app->text, note, &ns, (int)w);
    y += m.height + l->unit * 2;

    float content_h = y + pr->scroll.offset - view_top;
    if (draw)
        ui_pop_clip(app, clip);
    pr->scroll.view_h = l->h - view_top;
    pr->scroll.content_h = content_h;
    chrome_top_bar(app, &pr->hot, ID_BACK, "Back", "My progress", draw);
    if (draw)
        scroller_draw_bar(app, &pr->scroll, (SDL_FRect){0, view_top, (float)l->w, l->h - view_top});
    return content_h;
}

/* Saves the history where the patient keeps their own files, under a name that says what it is, and
 * says where; the folder can then be opened from here to attach or print the file. */
static void export_csv(Progress *pr, App *app)
{
    char *dir = app_documents_dir();
    time_t now = time(NULL);
    struct tm local;
    localtime_r(&now, &local);
    char path[1200];
    snprintf(path, sizeof path, "%s/Blue Align history %04d-%02d-%02d.csv", dir ? dir : ".", local.tm_year + 1900,
             local.tm_mon + 1, local.tm_mday);
    snprintf(pr->folder, sizeof pr->folder, "%s", dir ? dir : ".");
    free(dir);
    FILE *f = fopen(path, "w");
    bool ok = f && history_export_csv(app->history, f);
    if (f)
        ok = fclose(f) == 0 && ok;
    pr->saved_ok = ok;
    if (ok)
        snprintf(pr->saved, sizeof pr->saved, "Saved as \"%s\" in %s.", strrchr(path, '/') + 1, pr->folder);
    else
        snprintf(pr->saved, sizeof pr->saved, "The file could not be saved as %s: %s.", path, strerror(errno));
    SDL_Log("history: %s", pr->saved);
}

static void open_folder(Progress *pr)
{
    char url[1300];
    snprintf(url, sizeof url, "file://%s", pr->folder);
    if (SDL_OpenURL(url) != 0)
        snprintf(pr->saved + strlen(pr->saved), sizeof pr->saved - strlen(pr->saved),
                 " The folder could not be opened here: open %s yourself.", pr->folder);
}

static void progress_input(Screen *screen, App *app, const Input *input)
{
    Progress *pr = (Progress *)screen;
    lay_out(pr, app, false);
    if (input->type == INPUT_PRESS)
        pr->tap_is_scroll = false;
    if (scroller_input(&pr->scroll, app, input)) {
        if (input->type == INPUT_DRAG)
            pr->tap_is_scroll = true;
        return;
    }
    if (input->type == INPUT_TAP && pr->tap_is_scroll)
        return;
    if (input->type == INPUT_KEY && input->key == KEY_BACK) {
        app_pop(app);
        return;
    }
    int id = hot_handle(&pr->hot, app, input);
    if (id == ID_BACK) {
        app_pop(app);
    } else if (id == ID_EXPORT) {
        export_csv(pr, app);
        app_set_dirty(app);
    } else if (id == ID_OPEN_FOLDER) {
        open_folder(pr);
        app_set_dirty(app);
    }
}

static void progress_draw(Screen *screen, App *app)
{
    Progress *pr = (Progress *)screen;
    lay_out(pr, app, false);
    scroller_clamp(&pr->scroll);
    lay_out(pr, app, true);
}

static void progress_enter(Screen *screen, App *app)
{
    Progress *pr = (Progress *)screen;
    if (app->history)
        progress_summarize(app->history, (time_t)app_wall_time(app), &pr->summary);
    app_set_dirty(app);
}

static void progress_describe(Screen *screen, App *app, char *out, size_t size)
{
    Progress *pr = (Progress *)screen;
    const ProgressSummary *s = &pr->summary;
    (void)app;
    snprintf(out, size, "progress streak=%d exercise=%d breathing=%d today=%d", s->streak, s->total[KIND_EXERCISE],
             s->total[KIND_BREATHING], s->week[s->today_index][0] + s->week[s->today_index][1]);
}

static void progress_destroy(Screen *screen)
{
    free(screen);
}

static const ScreenClass progress_class = {
    .enter = progress_enter,
    .input = progress_input,
    .draw = progress_draw,
    .describe = progress_describe,
    .destroy = progress_destroy,
    .name = "progress",
};

Screen *progress_screen_create(App *app)
{
    (void)app;
    Progress *pr = calloc(1, sizeof *pr);
    if (!pr)
        return NULL;
    pr->base.cls = &progress_class;
    hot_init(&pr->hot);
    return &pr->base;
}
