/* kiosk_screens.c: the screens only a kiosk has: the "still there?" question, the attract loop that
 * runs while nobody is using the screen, the staff PIN pad and the staff menu.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chrome.h"
#include "kiosk.h"
#include "screens.h"
#include "ui/draw.h"

/* ---- "still there?" ------------------------------------------------------------------------------ */

enum { ID_HERE = 1 };

typedef struct {
    Screen base;
    HotList hot;
    int64_t reset_at;
    int64_t shown_seconds;
} Prompt;

static int64_t prompt_seconds_left(const Prompt *p, App *app)
{
    int64_t left = p->reset_at - app_now(app);
    return left <= 0 ? 0 : (left + 999) / 1000;
}

static void prompt_lay_out(Prompt *p, App *app, bool draw)
{
    const Layout *l = &app->layout;
    const Palette *pal = &app->palette;
    hot_clear(&p->hot);
    float w = l->unit * 44 < l->w - 2 * l->margin ? l->unit * 44 : l->w - 2 * l->margin;
    float h = l->unit * 20;
    SDL_FRect box = {(l->w - w) / 2, (l->h - h) / 2, w, h};
    SDL_FRect here = {box.x + l->unit * 2, box.y + h - l->touch - l->unit * 2, w - l->unit * 4, l->touch};
    /* The whole screen answers: any touch means someone is there. */
    hot_add(&p->hot, (SDL_FRect){0, 0, (float)l->w, (float)l->h}, ID_HERE);
    if (!draw)
        return;
    draw_fill_rect(app->renderer, (SDL_FRect){0, 0, (float)l->w, (float)l->h}, (SDL_Color){0, 0, 0, 110});
    ui_card(app, box, l->unit * 1.2f);
    TextStyle q = ui_text_style(app, l->heading_px, WEIGHT_BOLD, pal->text);
    q.align = ALIGN_CENTER;
    TextMetrics m = text_draw(app->text, "Are you still there?", &q, (int)(box.x + l->unit * 2), (int)(box.y + l->unit * 2),
                              (int)(w - l->unit * 4));
    char words[160];
    int64_t left = prompt_seconds_left(p, app);
    snprintf(words, sizeof words, "The guide goes back to the start in %lld second%s.", (long long)left, left == 1 ? "" : "s");
    TextStyle d = ui_text_style(app, l->text_px, WEIGHT_REGULAR, pal->muted);
    d.align = ALIGN_CENTER;
    text_draw(app->text, words, &d, (int)(box.x + l->unit * 2), (int)(box.y + l->unit * 3 + m.height), (int)(w - l->unit * 4));
    ui_button(app, NULL, ID_HERE, here, NULL, "I'm still here", BUTTON_PRIMARY);
    p->shown_seconds = left;
}

static void prompt_input(Screen *screen, App *app, const Input *input)
{
    (void)screen;
    if (input->type == INPUT_TAP || input->type == INPUT_KEY || input->type == INPUT_SWIPE)
        app_pop(app);
}

static void prompt_update(Screen *screen, App *app, int64_t now)
{
    Prompt *p = (Prompt *)screen;
    if (now >= p->reset_at) {
        kiosk_reset(app); /* frees this screen */
        return;
    }
    if (prompt_seconds_left(p, app) != p->shown_seconds)
        app_set_dirty(app);
}

static int64_t prompt_deadline(Screen *screen, App *app, int64_t now)
{
    Prompt *p = (Prompt *)screen;
    int64_t left = p->reset_at - now;
    return left <= 0 ? now : now + (left % 1000 ? left % 1000 : 1000);
}

static void prompt_draw(Screen *screen, App *app)
{
    prompt_lay_out((Prompt *)screen, app, true);
}

static void prompt_describe(Screen *screen, App *app, char *out, size_t size)
{
    snprintf(out, size, "still-there %llds", (long long)prompt_seconds_left((Prompt *)screen, app));
}

static void free_screen(Screen *screen)
{
    free(screen);
}

static const ScreenClass prompt_class = {
    .input = prompt_input,
    .update = prompt_update,
    .draw = prompt_draw,
    .next_deadline = prompt_deadline,
    .describe = prompt_describe,
    .destroy = free_screen,
    .name = "still-there",
    .overlay = true,
};

Screen *idle_prompt_screen_create(App *app)
{
    Prompt *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->base.cls = &prompt_class;
    hot_init(&p->hot);
    p->reset_at = app_now(app) + (int64_t)app->kiosk->settings.idle_reset_s * 1000;
    p->shown_seconds = -1;
    return &p->base;
}

/* ---- the attract loop ---------------------------------------------------------------------------- */

#define ATTRACT_MAX 64

typedef struct {
    Screen base;
    const PackItem *items[ATTRACT_MAX];
    int count;
    int index;
    int64_t switch_at;
} Attract;

static void attract_collect(Attract *a, App *app)
{
    const KioskSettings *s = &app->kiosk->settings;
    a->count = 0;
    for (int i = 0; i < s->attract_item_count && a->count < ATTRACT_MAX; i++) {
        const PackItem *item = app_find_item(app, s->attract_items[i], NULL);
        if (item)
            a->items[a->count++] = item;
        else
            SDL_Log("kiosk: the attract item \"%s\" is not in the content; it is left out", s->attract_items[i]);
    }
    if (a->count)
        return;
    /* By default every topic whose first slide has a picture: a topic opener is the best invitation. */
    for (int p = 0; p < app->pack_count; p++)
        for (int i = 0; i < app->packs[p]->item_count && a->count < ATTRACT_MAX; i++) {
            const PackItem *item = &app->packs[p]->items[i];
            if (item->kind == ITEM_TOPIC && item->slide_count && item->slides[0].picture &&
                item->slides[0].picture->full_path && strcmp(item->section, "about") != 0)
                a->items[a->count++] = item;
        }
}

static void attract_draw(Screen *screen, App *app)
{
    Attract *a = (Attract *)screen;
    const Layout *l = &app->layout;
    const Palette *p = &app->palette;
    draw_fill_rect(app->renderer, (SDL_FRect){0, 0, (float)l->w, (float)l->h}, p->surface);
    float pill_h = l->touch * 1.1f;
    SDL_FRect art = {l->margin, l->margin, l->portrait ? l->w - 2 * l->margin : l->w * 0.55f - l->margin,
                     l->portrait ? l->h * 0.5f : l->h - 3 * l->margin - pill_h};
    SDL_FRect words = l->portrait ? (SDL_FRect){l->margin, art.y + art.h + l->unit * 2, l->w - 2 * l->margin, l->h * 0.25f}
                                  : (SDL_FRect){l->w * 0.55f + l->unit * 2, l->margin * 2, l->w * 0.45f - l->margin - l->unit * 2,
                                                art.h - l->margin};
    if (a->count) {
        const PackItem *item = a->items[a->index % a->count];
        const PackPicture *pic = item->slide_count && item->slides[0].picture ? item->slides[0].picture : item->picture;
        if (pic)
            ui_picture(app, pic, art);
        TextStyle t = ui_text_style(app, l->title_px, WEIGHT_BOLD, p->text);
        t.max_lines = 3;
        TextMetrics m = text_draw(app->text, item->title, &t, (int)words.x, (int)words.y, (int)words.w);
        if (item->summary) {
            TextStyle s = ui_text_style(app, l->heading_px, WEIGHT_REGULAR, p->muted);
            s.max_lines = 4;
            text_draw(app->text, item->summary, &s, (int)words.x, (int)(words.y + m.height + l->unit * 1.5f), (int)words.w);
        }
    } else {
        TextStyle t = ui_text_style(app, l->title_px, WEIGHT_BOLD, p->text);
        text_draw(app->text, app->clinic_pack ? app->clinic_pack->clinic.name : "Your patient guide", &t, (int)words.x,
                  (int)words.y, (int)words.w);
    }
    TextStyle cta = ui_text_style(app, l->heading_px, WEIGHT_BOLD, p->accent_text);
    cta.max_lines = 1;
    const char *invite = "Touch the screen to start";
    TextMetrics cm = text_measure(app->text, invite, &cta, l->w);
    SDL_FRect pill = {(l->w - cm.width) / 2.0f - l->unit * 2, l->h - l->margin - pill_h, cm.width + l->unit * 4, pill_h};
    draw_fill_rounded(app->renderer, pill, pill_h / 2, p->accent);
    text_draw(app->text, invite, &cta, (int)(pill.x + l->unit * 2), (int)(pill.y + (pill_h - text_line_height(app->text, &cta)) / 2),
              cm.width + 1);
}

static void attract_update(Screen *screen, App *app, int64_t now)
{
    Attract *a = (Attract *)screen;
    if (now >= a->switch_at && a->count > 1) {
        a->index = (a->index + 1) % a->count;
        a->switch_at = now + (int64_t)app->kiosk->settings.attract_item_s * 1000;
        app_set_dirty(app);
    }
}

static int64_t attract_deadline(Screen *screen, App *app, int64_t now)
{
    Attract *a = (Attract *)screen;
    return a->count > 1 ? a->switch_at : APP_NO_DEADLINE;
}

static void attract_input(Screen *screen, App *app, const Input *input)
{
    (void)screen;
    /* Only the end of a touch leaves, so the finger that lifts does not also press what is below. */
    if (input->type == INPUT_TAP || input->type == INPUT_SWIPE || input->type == INPUT_RELEASE || input->type == INPUT_KEY)
        app_pop(app);
}

static void attract_enter(Screen *screen, App *app)
{
    Attract *a = (Attract *)screen;
    a->switch_at = app_now(app) + (int64_t)app->kiosk->settings.attract_item_s * 1000;
}

static void attract_describe(Screen *screen, App *app, char *out, size_t size)
{
    Attract *a = (Attract *)screen;
    snprintf(out, size, "attract %s %d/%d", a->count ? a->items[a->index % a->count]->id : "-", a->count ? a->index % a->count + 1 : 0,
             a->count);
}

static const ScreenClass attract_class = {
    .enter = attract_enter,
    .input = attract_input,
    .update = attract_update,
    .draw = attract_draw,
    .next_deadline = attract_deadline,
    .describe = attract_describe,
    .destroy = free_screen,
    .name = "attract",
};

Screen *attract_screen_create(App *app)
{
    Attract *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->base.cls = &attract_class;
    attract_collect(a, app);
    return &a->base;
}

/* ---- PIN pad --------------------------------------------------------------------------------------- */

enum { ID_PIN_BACK = 1, ID_PIN_CLEAR = 10, ID_PIN_OK = 11, ID_DIGIT = 20 };

typedef struct {
    Screen base;
    HotList hot;
    char pin[16];
    char message[160];
    bool locked; /* as last shown */
} Pad;

/* The keys are as wide as "Clear" needs at the text size in force, so no label is ever cut. */
static float pad_key_width(App *app, float key)
{
    TextStyle label = ui_text_style(app, app->layout.text_px, WEIGHT_BOLD, app->palette.text);
    float need = (float)text_measure(app->text, "Clear", &label, 100000).width + app->layout.unit * 3;
    return need > key ? need : key;
}

static void pad_lay_out(Pad *pad, App *app, bool draw)
{
    const Layout *l = &app->layout;
    const Palette *p = &app->palette;
    hot_clear(&pad->hot);
    float top = chrome_top_bar(app, &pad->hot, ID_PIN_BACK, "Back", "Staff access", draw);
    float key = l->touch * 1.25f, gap = l->unit;
    float dots_y = top + l->unit * 2;
    float y0 = dots_y + l->unit * 5;
    if (y0 + 4 * key + 3 * gap > l->h - l->unit)
        key = (l->h - l->unit - y0 - 3 * gap) / 4;
    float key_w = pad_key_width(app, key);
    if (3 * key_w + 2 * gap > l->w - 2 * l->margin)
        key_w = (l->w - 2 * l->margin - 2 * gap) / 3;
    float x0 = (l->w - (3 * key_w + 2 * gap)) / 2;
    static const char *const labels[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "Clear", "0", "OK"};
    for (int i = 0; i < 12; i++) {
        int id = i == 9 ? ID_PIN_CLEAR : i == 11 ? ID_PIN_OK : ID_DIGIT + labels[i][0] - '0';
        SDL_FRect r = {x0 + (i % 3) * (key_w + gap), y0 + (i / 3) * (key + gap), key_w, key};
        hot_add(&pad->hot, r, id);
        if (draw)
            ui_button(app, &pad->hot, id, r, NULL, labels[i], id == ID_PIN_OK ? BUTTON_PRIMARY : BUTTON_SECONDARY);
    }
    if (!draw)
        return;
    TextStyle m = ui_text_style(app, l->text_px, WEIGHT_REGULAR, p->muted);
    m.align = ALIGN_CENTER;
    m.max_lines = 2;
    const char *line = pad->message[0] ? pad->message : "Enter the staff PIN";
    text_draw(app->text, line, &m, (int)l->margin, (int)dots_y, (int)(l->w - 2 * l->margin));
    int n = (int)strlen(pad->pin);
    float dot = l->unit * 0.8f;
    for (int i = 0; i < n; i++)
        draw_fill_circle(app->renderer, l->w / 2.0f + (i - (n - 1) / 2.0f) * dot * 3, dots_y + l->unit * 3.6f, dot, p->text);
}

/* While locked out the message counts down and no digit is taken; when the lock ends it says so. */
static bool pad_locked(Pad *pad, App *app)
{
    char why[160];
    bool locked = app->kiosk && app->kiosk->settings.pin_hash && !kiosk_pin_allowed(app, app_now(app), why, sizeof why);
    if (locked && strcmp(why, pad->message) != 0) {
        snprintf(pad->message, sizeof pad->message, "%s", why);
        app_set_dirty(app);
    } else if (!locked && pad->locked) {
        pad->message[0] = '\0';
        app_set_dirty(app);
    }
    pad->locked = locked;
    return locked;
}

static void pad_submit(Pad *pad, App *app)
{
    int64_t now = app_now(app);
    char why[160];
    if (!kiosk_pin_allowed(app, now, why, sizeof why)) {
        snprintf(pad->message, sizeof pad->message, "%s", why);
    } else if (kiosk_try_pin(app, pad->pin, now)) {
        memset(pad->pin, 0, sizeof pad->pin);
        app_pop(app);
        app_push(app, staff_screen_create(app));
        return;
    } else {
        snprintf(pad->message, sizeof pad->message, "That PIN is not right.");
        pad_locked(pad, app);
    }
    memset(pad->pin, 0, sizeof pad->pin);
    app_set_dirty(app);
}

static void pad_add_digit(Pad *pad, App *app, int digit)
{
    size_t n = strlen(pad->pin);
    if (pad_locked(pad, app) || n >= 12)
        return;
    pad->pin[n] = (char)('0' + digit);
    pad->pin[n + 1] = '\0';
    app_set_dirty(app);
}

static void pad_input(Screen *screen, App *app, const Input *input)
{
    Pad *pad = (Pad *)screen;
    pad_lay_out(pad, app, false);
    size_t n = strlen(pad->pin);
    if (input->type == INPUT_KEY && input->key == KEY_BACK && input->erase && n > 0) {
        pad->pin[n - 1] = '\0'; /* Backspace deletes a digit; with none left it leaves, like Escape */
        app_set_dirty(app);
        return;
    }
    if (input->type == INPUT_KEY && input->key == KEY_BACK) {
        app_pop(app);
        return;
    }
    if (input->type == INPUT_KEY && input->key == KEY_DIGIT) {
        pad_add_digit(pad, app, input->digit);
        return;
    }
    if (input->type == INPUT_KEY && input->key == KEY_ACTIVATE && n > 0 && hot_find(&pad->hot, pad->hot.focus_id) == NULL) {
        pad_submit(pad, app); /* Enter after typing on a keyboard: OK */
        return;
    }
    int id = hot_handle(&pad->hot, app, input);
    if (id == ID_PIN_BACK) {
        app_pop(app);
    } else if (id >= ID_DIGIT && id < ID_DIGIT + 10) {
        pad_add_digit(pad, app, id - ID_DIGIT);
    } else if (id == ID_PIN_CLEAR) {
        memset(pad->pin, 0, sizeof pad->pin);
        app_set_dirty(app);
    } else if (id == ID_PIN_OK) {
        pad_submit(pad, app);
    }
}

static void pad_update(Screen *screen, App *app, int64_t now)
{
    (void)now;
    pad_locked((Pad *)screen, app);
}

/* Wakes on each second of a lockout, so the count down is true and the end of it shows. */
static int64_t pad_deadline(Screen *screen, App *app, int64_t now)
{
    (void)screen;
    const Kiosk *k = app->kiosk;
    if (!k || now >= k->locked_until_ms)
        return APP_NO_DEADLINE;
    int64_t left = k->locked_until_ms - now;
    return now + (left % 1000 ? left % 1000 : 1000);
}

static void pad_draw(Screen *screen, App *app)
{
    pad_lay_out((Pad *)screen, app, true);
}

static void pad_describe(Screen *screen, App *app, char *out, size_t size)
{
    Pad *pad = (Pad *)screen;
    snprintf(out, size, "staff-pin digits=%zu %s", strlen(pad->pin), pad->message);
}

static void pad_destroy(Screen *screen)
{
    Pad *pad = (Pad *)screen;
    memset(pad->pin, 0, sizeof pad->pin); /* no PIN left lying in freed memory */
    free(pad);
}

static const ScreenClass pad_class = {
    .input = pad_input,
    .update = pad_update,
    .next_deadline = pad_deadline,
    .draw = pad_draw,
    .describe = pad_describe,
    .destroy = pad_destroy,
    .name = "staff-pin",
};

Screen *pin_screen_create(App *app)
{
    Pad *pad = calloc(1, sizeof *pad);
    if (!pad)
        return NULL;
    pad->base.cls = &pad_class;
    hot_init(&pad->hot);
    kiosk_pin_allowed(app, app_now(app), pad->message, sizeof pad->message);
    return &pad->base;
}

/* ---- staff menu ------------------------------------------------------------------------------------ */

enum { ID_STAFF_BACK = 1, ID_STAFF_PROBLEMS, ID_STAFF_QUIT };

typedef struct {
    Screen base;
    HotList hot;
} Staff;

static void staff_lay_out(Staff *s, App *app, bool draw)
{
    const Layout *l = &app->layout;
    const Palette *p = &app->palette;
    hot_clear(&s->hot);
    float top = chrome_top_bar(app, &s->hot, ID_STAFF_BACK, "Back to the guide", "Staff mode", draw);
    float w = l->unit * 40 < l->w - 2 * l->margin ? l->unit * 40 : l->w - 2 * l->margin;
    float x = (l->w - w) / 2, y = top + l->unit * 2;
    char label[96];
    snprintf(label, sizeof label, "Content problems (%zu)", app->library->problems.count);
    SDL_FRect problems = {x, y, w, l->touch};
    SDL_FRect quit = {x, y + l->touch + l->unit * 1.5f, w, l->touch};
    hot_add(&s->hot, problems, ID_STAFF_PROBLEMS);
    hot_add(&s->hot, quit, ID_STAFF_QUIT);
    if (!draw)
        return;
    ui_button(app, &s->hot, ID_STAFF_PROBLEMS, problems, NULL, label, BUTTON_SECONDARY);
    ui_button(app, &s->hot, ID_STAFF_QUIT, quit, NULL, "Leave kiosk mode", BUTTON_DANGER);
    const Kiosk *k = app->kiosk;
    char info[600];
    snprintf(info, sizeof info,
             "Settings: %s. Idle question after %d s (%d s in a routine), back to the start %d s later. Staff mode locks "
             "again after %d s without input. %d pack%s shown; %d reset%s since start.",
             k->settings_path ? k->settings_path : "defaults", k->settings.idle_prompt_s, k->settings.routine_idle_s,
             k->settings.idle_reset_s, k->settings.relock_s, app->pack_count, app->pack_count == 1 ? "" : "s", k->resets,
             k->resets == 1 ? "" : "s");
    TextStyle t = ui_text_style(app, l->small_px, WEIGHT_REGULAR, p->muted);
    text_draw(app->text, info, &t, (int)x, (int)(quit.y + quit.h + l->unit * 2), (int)w);
}

static void leave_kiosk_mode(App *app, void *context)
{
    (void)context;
    SDL_Log("kiosk: staff left kiosk mode");
    app->running = false;
}

static void staff_input(Screen *screen, App *app, const Input *input)
{
    Staff *s = (Staff *)screen;
    staff_lay_out(s, app, false);
    if (input->type == INPUT_KEY && input->key == KEY_BACK) {
        app->kiosk->staff = false;
        app_pop(app);
        return;
    }
    int id = hot_handle(&s->hot, app, input);
    if (id == ID_STAFF_BACK) {
        app->kiosk->staff = false;
        app_pop(app);
    } else if (id == ID_STAFF_PROBLEMS) {
        app_push(app, problems_screen_create(app));
    } else if (id == ID_STAFF_QUIT) {
        app_push(app, confirm_screen_create(app, "Leave kiosk mode?",
                                            "The guide closes, and whatever is behind it on this computer can be used "
                                            "by anyone in the waiting room.",
                                            "Leave kiosk mode", "Stay in kiosk mode", leave_kiosk_mode, NULL));
    }
}

static void staff_draw(Screen *screen, App *app)
{
    staff_lay_out((Staff *)screen, app, true);
}

static void staff_describe(Screen *screen, App *app, char *out, size_t size)
{
    (void)screen;
    snprintf(out, size, "staff problems=%zu", app->library->problems.count);
}

static const ScreenClass staff_class = {
    .input = staff_input,
    .draw = staff_draw,
    .describe = staff_describe,
    .destroy = free_screen,
    .name = "staff",
};

Screen *staff_screen_create(App *app)
{
    (void)app;
    Staff *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->base.cls = &staff_class;
    hot_init(&s->hot);
    return &s->base;
}

bool screen_is_kiosk_pad(const Screen *screen)
{
    return screen && (screen->cls == &pad_class || screen->cls == &staff_class);
}
