/* confirm.c: a modal question over the screen below it ("Leave this routine?"). Escape or the "no"
 * button closes it; only the "yes" button runs the action. */
#include <stdio.h>
#include <stdlib.h>

#include "screens.h"
#include "ui/draw.h"
#include "ui/widgets.h"

enum { ID_YES = 1, ID_NO = 2 };

typedef struct {
    Screen base;
    HotList hot;
    char question[160], detail[240], yes[48], no[48];
    ConfirmAction on_yes;
    void *context;
} Confirm;

static void lay_out(Confirm *c, App *app, bool draw)
{
    const Layout *l = &app->layout;
    const Palette *p = &app->palette;
    hot_clear(&c->hot);
    float w = l->unit * 46 < l->w - 2 * l->margin ? l->unit * 46 : l->w - 2 * l->margin;
    TextStyle q = ui_text_style(app, l->heading_px, WEIGHT_BOLD, p->text);
    q.align = ALIGN_CENTER;
    TextStyle d = ui_text_style(app, l->text_px, WEIGHT_REGULAR, p->muted);
    d.align = ALIGN_CENTER;
    float pad = l->unit * 2;
    TextMetrics qm = text_measure(app->text, c->question, &q, (int)(w - 2 * pad));
    TextMetrics dm = text_measure(app->text, c->detail, &d, (int)(w - 2 * pad));
    float h = pad * 2 + qm.height + l->unit + dm.height + l->unit * 2 + l->touch;
    SDL_FRect box = {(l->w - w) / 2, (l->h - h) / 2, w, h};
    float bw = (w - 2 * pad - l->unit) / 2;
    SDL_FRect no = {box.x + pad, box.y + h - pad - l->touch, bw, l->touch};
    SDL_FRect yes = {no.x + bw + l->unit, no.y, bw, l->touch};
    hot_add(&c->hot, no, ID_NO);
    hot_add(&c->hot, yes, ID_YES);
    if (!draw)
        return;
    draw_fill_rect(app->renderer, (SDL_FRect){0, 0, (float)l->w, (float)l->h}, (SDL_Color){0, 0, 0, 110});
    ui_card(app, box, l->unit * 1.2f);
    text_draw(app->text, c->question, &q, (int)(box.x + pad), (int)(box.y + pad), (int)(w - 2 * pad));
    text_draw(app->text, c->detail, &d, (int)(box.x + pad), (int)(box.y + pad + qm.height + l->unit), (int)(w - 2 * pad));
    ui_button(app, &c->hot, ID_NO, no, NULL, c->no, BUTTON_PRIMARY);
    ui_button(app, &c->hot, ID_YES, yes, NULL, c->yes, BUTTON_SECONDARY);
}

static void confirm_input(Screen *screen, App *app, const Input *input)
{
    Confirm *c = (Confirm *)screen;
    lay_out(c, app, false);
    if (input->type == INPUT_KEY && input->key == KEY_BACK) {
        app_pop(app);
        return;
    }
    int id = hot_handle(&c->hot, app, input);
    if (id == ID_NO) {
        app_pop(app);
    } else if (id == ID_YES) {
        ConfirmAction action = c->on_yes;
        void *context = c->context;
        app_pop(app); /* frees c */
        if (action)
            action(app, context);
    }
}

static void confirm_draw(Screen *screen, App *app)
{
    lay_out((Confirm *)screen, app, true);
}

static void confirm_describe(Screen *screen, App *app, char *out, size_t size)
{
    (void)app;
    snprintf(out, size, "confirm %s", ((Confirm *)screen)->question);
}

static void confirm_destroy(Screen *screen)
{
    free(screen);
}

static const ScreenClass confirm_class = {
    .input = confirm_input,
    .draw = confirm_draw,
    .describe = confirm_describe,
    .destroy = confirm_destroy,
    .name = "confirm",
    .overlay = true,
};

bool screen_is_overlay(const Screen *screen)
{
    return screen->cls->overlay;
}

Screen *confirm_screen_create(App *app, const char *question, const char *detail, const char *yes, const char *no,
                              ConfirmAction on_yes, void *context)
{
    (void)app;
    Confirm *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->base.cls = &confirm_class;
    hot_init(&c->hot);
    c->hot.focus_id = ID_NO; /* the safe answer is where Enter lands */
    snprintf(c->question, sizeof c->question, "%s", question);
    snprintf(c->detail, sizeof c->detail, "%s", detail ? detail : "");
    snprintf(c->yes, sizeof c->yes, "%s", yes);
    snprintf(c->no, sizeof c->no, "%s", no);
    c->on_yes = on_yes;
    c->context = context;
    return &c->base;
}
