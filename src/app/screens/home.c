/* home.c: the home screen: the clinic's name and logo, then a section of tiles for each part of the
 * content, built from the selected packs.
 *
 * Sections and their tiles come from the core's home model (src/core/home_model.c), which --list-items
 * prints too, so the two cannot disagree; nothing here has a fixed count. The list scrolls when it is
 * taller than the screen, by drag, wheel, page keys or by moving keyboard focus. From HOME_INDEX_FROM
 * tiles on, a Sections button opens an index of large section buttons (itself scrolling) that jumps
 * the list to the section chosen. The "general information" notice shows once per visit until dismissed.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chrome.h"
#include "home_model.h"
#include "screens.h"
#include "ui/draw.h"

/* Sections and tiles are not counted in advance, so their ids are far apart: a 4 MiB pack file cannot
 * hold the million sections it would take for ID_SECTION + s to reach ID_TILE. */
enum { ID_ABOUT = 1, ID_NOTICE_OK = 2, ID_SETTINGS = 3, ID_PROGRESS = 4, ID_CONTINUE = 5, ID_HISTORY_OK = 6, ID_INDEX = 7,
       ID_LANGUAGE = 100, ID_SECTION = 1000, ID_TILE = 1000000 };

/* From this many tiles on, home offers a section index, so nobody has to scroll through them all. */
#define HOME_INDEX_FROM 40

typedef struct {
    Screen base;
    HotList hot;
    Scroller scroll;
    HomeModel model;          /* sections and tiles, from src/core/home_model.c */
    float *section_top;       /* per section: where its heading is in the list (content coordinates) */
    int first_shown, last_shown; /* tiles on screen, or -1 */
    bool index_open;          /* the section index is shown instead of the list */
    Scroller index_scroll;
    const char *languages[12];
    int language_count;
    char built_for[32]; /* language the model was built for */
    const PackItem *resume;   /* "continue where you left off", or NULL */
    int resume_step;          /* the step to continue from, 0-based */
    int resume_steps;
    int built_generation; /* content generation it was built from */
    bool tap_is_scroll;
} Home;

static void build(Home *h, App *app)
{
    HomeTile favourites[32];
    int found = 0;
    if (app->history) {
        char refs[32][160];
        int n = history_favourites(app->history, refs, 32);
        for (int i = 0; i < n; i++) {
            const Pack *pack = NULL;
            const PackItem *item = app_find_item(app, refs[i], &pack);
            if (item)
                favourites[found++] = (HomeTile){item, pack};
        }
    }
    home_model_free(&h->model);
    if (!home_model_build(&h->model, app->packs, app->pack_count, favourites, found))
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't list the content for home: out of memory");
    free(h->section_top);
    h->section_top = calloc((size_t)(h->model.section_count ? h->model.section_count : 1), sizeof *h->section_top);
    if (!h->section_top)
        home_model_free(&h->model); /* an empty home rather than writing past an array */
    h->index_open = false;
    h->index_scroll.offset = 0;
    h->first_shown = h->last_shown = -1;
    h->language_count = library_languages(app->library, NULL, h->languages, 12);
    h->resume = NULL;
    HistoryEntry e;
    if (app->history && history_unfinished(app->history, app_wall_time(app), 7 * 86400, &e)) {
        const PackItem *item = app_find_item(app, e.routine, NULL);
        if (item && item->kind != ITEM_TOPIC && !e.completed && e.resume_step < item->step_count) {
            h->resume = item;
            h->resume_step = e.resume_step;
            h->resume_steps = item->step_count;
        }
    }
    snprintf(h->built_for, sizeof h->built_for, "%s", app->language);
    h->built_generation = app->content_generation;
}

/* ---- layout ------------------------------------------------------------------------------------- */

typedef struct {
    float header_h;
    SDL_FRect viewport; /* the scrolling area */
    int columns;
    float tile_w, tile_h, gap;
    float notice_h;
} HomeGeometry;

#define NOTICE_WORDS                                                                                     \
    "This guide gives general information. It does not replace advice from your own practitioner, who " \
    "will tell you what suits you."

/* Where the notice's words go beside its icon and its button, and how tall they are: the notice grows
 * to hold them whole at any text size (never cut short, it is the guide's one disclaimer). */
static float notice_words(App *app, float card_x, float card_w, SDL_FRect *ok, float *tx, float *tw)
{
    const Layout *l = &app->layout;
    TextStyle bs = ui_text_style(app, l->text_px, WEIGHT_BOLD, app->palette.accent_text);
    float bw = (float)text_measure(app->text, "I understand", &bs, l->w).width + l->unit * 3;
    *ok = (SDL_FRect){card_x + card_w - bw - l->unit, 0, bw, l->touch};
    *tx = card_x + l->touch + l->unit * 2;
    *tw = ok->x - *tx - l->unit;
    TextStyle s = ui_text_style(app, l->small_px, WEIGHT_REGULAR, app->palette.text);
    if (*tw < (float)s.px * 14) { /* too narrow beside the button (portrait, large text): button below */
        *tw = card_x + card_w - l->unit - *tx;
        ok->x = *tx;
        ok->y = -1; /* below the words */
    }
    return (float)text_measure(app->text, NOTICE_WORDS, &s, (int)*tw).height;
}

static HomeGeometry geometry(App *app, const Home *h)
{
    const Layout *l = &app->layout;
    HomeGeometry g;
    g.header_h = l->touch + l->unit * 2.4f;
    /* Tall enough for the clinic's name and the line under it at any text size. */
    TextStyle name = ui_text_style(app, l->heading_px, WEIGHT_BOLD, app->palette.text);
    TextStyle sub = ui_text_style(app, l->small_px, WEIGHT_REGULAR, app->palette.muted);
    float words = (float)(text_line_height(app->text, &name) + text_line_height(app->text, &sub)) + l->unit;
    if (g.header_h < words)
        g.header_h = words;
    g.viewport = (SDL_FRect){0, g.header_h, (float)l->w, l->h - g.header_h};
    float avail = l->w - 2 * l->margin;
    g.gap = l->unit * 1.2f;
    g.columns = (int)((avail + g.gap) / (l->unit * 24.0f + g.gap));
    if (g.columns < 1)
        g.columns = 1;
    if (g.columns > 4)
        g.columns = 4;
    g.tile_w = (avail - g.gap * (g.columns - 1)) / g.columns;
    g.tile_h = l->unit * 11.0f; /* room for a two-line title and a line of summary */
    if (g.tile_h < l->touch * 1.6f)
        g.tile_h = l->touch * 1.6f;
    g.notice_h = 0;
    if (!app->notice_dismissed) {
        SDL_FRect ok;
        float tx, tw, words_h = notice_words(app, l->margin, l->w - 2 * l->margin, &ok, &tx, &tw);
        g.notice_h = SDL_max(l->touch + l->unit * 5.0f, words_h + l->unit * 3.0f);
        if (ok.y < 0)
            g.notice_h = words_h + l->touch + l->unit * 4.0f;
    }
    (void)h;
    return g;
}

static bool has_index(const Home *h)
{
    return h->model.tile_count > HOME_INDEX_FROM && home_model_visible_sections(&h->model) > 1;
}

/* "5 topics, 3 routines" for a section's button in the index. */
static void section_counts(const Home *h, const HomeSection *sec, char *out, size_t size)
{
    int topics = 0, routines = 0;
    for (int t = 0; t < sec->tile_count; t++) {
        if (h->model.tiles[sec->first_tile + t].item->kind == ITEM_TOPIC)
            topics++;
        else
            routines++;
    }
    if (topics && routines)
        snprintf(out, size, "%d topic%s, %d routine%s", topics, topics == 1 ? "" : "s", routines, routines == 1 ? "" : "s");
    else if (routines)
        snprintf(out, size, "%d routine%s", routines, routines == 1 ? "" : "s");
    else
        snprintf(out, size, "%d topic%s", topics, topics == 1 ? "" : "s");
}

static void draw_index_button(Home *h, App *app, const HomeSection *sec, int id, SDL_FRect box)
{
    const Layout *l = &app->layout;
    const Palette *pal = &app->palette;
    float r = l->unit * 1.1f;
    ui_card(app, box, r);
    if (h->hot.pressed_id == id)
        draw_fill_rounded(app->renderer, box, r, draw_mix(pal->surface, pal->accent, 0.12f));
    ui_focus_ring(app, &h->hot, id, box, r);
    float pad = l->unit * 0.9f, side = box.h - 2 * pad;
    SDL_FRect art = {box.x + pad, box.y + pad, side, side};
    draw_fill_rounded(app->renderer, art, r * 0.8f, pal->accent_soft);
    ui_icon(app, sec->icon, (SDL_FRect){art.x + side * 0.2f, art.y + side * 0.2f, side * 0.6f, side * 0.6f}, pal->accent);
    TextStyle title = ui_text_style(app, (int)(l->text_px * 0.94f), WEIGHT_BOLD, pal->text);
    title.max_lines = 1;
    TextStyle sub = ui_text_style(app, l->small_px, WEIGHT_REGULAR, pal->muted);
    sub.max_lines = 1;
    char counts[80];
    section_counts(h, sec, counts, sizeof counts);
    float tx = art.x + side + pad, tw = box.x + box.w - pad - tx;
    int th = text_line_height(app->text, &title), sh = text_line_height(app->text, &sub);
    float ty = box.y + (box.h - th - sh) / 2;
    text_draw(app->text, sec->title, &title, (int)tx, (int)ty, (int)tw);
    text_draw(app->text, counts, &sub, (int)tx, (int)(ty + th), (int)tw);
}

/* The section index: one large button per section with tiles, scrolled by h->index_scroll when there
 * are more than fit. Returns the height of the content. */
static float lay_out_index(Home *h, App *app, bool draw, HomeGeometry g)
{
    const Layout *l = &app->layout;
    const Palette *pal = &app->palette;
    SavedClip clip = {0};
    if (draw) {
        clip = ui_push_clip(app, g.viewport);
        draw_fill_rect(app->renderer, g.viewport, pal->background);
    }
    float y = g.viewport.y + l->unit * 1.4f - h->index_scroll.offset;
    TextStyle ts = ui_text_style(app, (int)(l->heading_px * 0.82f), WEIGHT_BOLD, pal->text);
    ts.max_lines = 1;
    int lh = text_line_height(app->text, &ts);
    if (draw)
        text_draw(app->text, "Jump to a section", &ts, (int)l->margin, (int)y, (int)(l->w - 2 * l->margin));
    y += lh + l->unit * 0.8f;
    float button_h = l->touch * 1.5f > l->unit * 6.5f ? l->touch * 1.5f : l->unit * 6.5f;
    int shown = 0;
    for (int s = 0; s < h->model.section_count; s++) {
        const HomeSection *sec = &h->model.sections[s];
        if (sec->tile_count == 0)
            continue;
        int col = shown % g.columns;
        if (col == 0 && shown > 0)
            y += button_h + g.gap;
        shown++;
        SDL_FRect box = {l->margin + col * (g.tile_w + g.gap), y, g.tile_w, button_h};
        if (box.y + box.h <= g.viewport.y || box.y >= l->h)
            continue;
        hot_add(&h->hot, box, ID_SECTION + s);
        if (draw)
            draw_index_button(h, app, sec, ID_SECTION + s, box);
    }
    y += button_h + l->unit * 2.2f;
    if (draw)
        ui_pop_clip(app, clip);
    return y + h->index_scroll.offset - g.viewport.y;
}

/* The notices and the sections of tiles, scrolled by h->scroll; records where each section starts and
 * which tiles are on screen. Returns the height of the content. */
static float lay_out_list(Home *h, App *app, bool draw, HomeGeometry g)
{
    const Layout *l = &app->layout;
    const Palette *pal = &app->palette;
    SavedClip clip = {0};
    if (draw)
        clip = ui_push_clip(app, g.viewport);
    float y = g.viewport.y + l->unit * 1.4f - h->scroll.offset;
    float x0 = l->margin;
    h->first_shown = h->last_shown = -1;

    if (!app->notice_dismissed) {
        SDL_FRect card = {x0, y, l->w - 2 * l->margin, g.notice_h}, ok;
        float tx, tw, words_h = notice_words(app, card.x, card.w, &ok, &tx, &tw);
        bool below = ok.y < 0;
        float words_y = below ? card.y + l->unit * 1.5f : card.y + (card.h - words_h) / 2;
        ok.y = below ? words_y + words_h + l->unit : card.y + (card.h - l->touch) / 2;
        hot_add(&h->hot, ok, ID_NOTICE_OK);
        if (draw) {
            draw_fill_rounded(app->renderer, card, l->unit, pal->accent_soft);
            ui_icon(app, "info", (SDL_FRect){card.x + l->unit, card.y + (card.h - l->touch) / 2, l->touch, l->touch},
                    pal->accent);
            TextStyle s = ui_text_style(app, l->small_px, WEIGHT_REGULAR, pal->text);
            text_draw(app->text, NOTICE_WORDS, &s, (int)tx, (int)words_y, (int)tw);
            ui_button(app, &h->hot, ID_NOTICE_OK, ok, NULL, "I understand", BUTTON_PRIMARY);
        }
        y += g.notice_h + l->unit * 1.5f;
    }

    if (app->history_note[0]) {
        /* The store was damaged and started afresh: say so once, and where the old file is kept. */
        TextStyle s = ui_text_style(app, l->small_px, WEIGHT_REGULAR, pal->text);
        TextStyle bs = ui_text_style(app, l->text_px, WEIGHT_BOLD, pal->accent_text);
        float bw = (float)text_measure(app->text, "OK", &bs, l->w).width + l->unit * 4;
        float tw = l->w - 2 * l->margin - bw - l->unit * 4;
        TextMetrics m = text_measure(app->text, app->history_note, &s, (int)tw);
        float card_h = (float)m.height + l->unit * 2 > l->touch + l->unit * 2 ? (float)m.height + l->unit * 2 : l->touch + l->unit * 2;
        SDL_FRect card = {x0, y, l->w - 2 * l->margin, card_h};
        SDL_FRect ok = {card.x + card.w - bw - l->unit, card.y + (card_h - l->touch) / 2, bw, l->touch};
        hot_add(&h->hot, ok, ID_HISTORY_OK);
        if (draw) {
            draw_fill_rounded(app->renderer, card, l->unit, draw_mix(pal->focus, pal->surface, 0.8f));
            text_draw(app->text, app->history_note, &s, (int)(card.x + l->unit * 1.5f), (int)(card.y + (card_h - m.height) / 2),
                      (int)tw);
            ui_button(app, &h->hot, ID_HISTORY_OK, ok, NULL, "OK", BUTTON_PRIMARY);
        }
        y += card_h + l->unit * 1.5f;
    }

    if (h->resume) {
        TextStyle title = ui_text_style(app, l->text_px, WEIGHT_BOLD, pal->text);
        TextStyle sub = ui_text_style(app, l->small_px, WEIGHT_REGULAR, pal->muted);
        float bw = (float)text_measure(app->text, "Continue", &title, l->w).width + l->unit * 3;
        float card_h = l->touch + l->unit * 2;
        SDL_FRect card = {x0, y, l->w - 2 * l->margin, card_h};
        SDL_FRect go = {card.x + card.w - bw - l->unit, card.y + (card_h - l->touch) / 2, bw, l->touch};
        hot_add(&h->hot, go, ID_CONTINUE);
        if (draw) {
            ui_card(app, card, l->unit);
            char words[200];
            snprintf(words, sizeof words, "%s: step %d of %d", h->resume->title, h->resume_step + 1, h->resume_steps);
            title.max_lines = 1;
            sub.max_lines = 1;
            float tx = card.x + l->unit * 1.5f, tw = go.x - tx - l->unit;
            int th = text_line_height(app->text, &title), sh = text_line_height(app->text, &sub);
            float ty = card.y + (card_h - th - sh) / 2;
            text_draw(app->text, "Continue where you left off", &sub, (int)tx, (int)ty, (int)tw);
            text_draw(app->text, words, &title, (int)tx, (int)(ty + sh), (int)tw);
            ui_button(app, &h->hot, ID_CONTINUE, go, NULL, "Continue", BUTTON_PRIMARY);
        }
        y += card_h + l->unit * 1.5f;
    }

    for (int s = 0; s < h->model.section_count; s++) {
        const HomeSection *sec = &h->model.sections[s];
        if (sec->tile_count == 0)
            continue;
        h->section_top[s] = y + h->scroll.offset - g.viewport.y - l->unit * 0.8f;
        TextStyle ts = ui_text_style(app, (int)(l->heading_px * 0.82f), WEIGHT_BOLD, pal->text);
        ts.max_lines = 1;
        int lh = text_line_height(app->text, &ts);
        if (draw && y + lh > g.viewport.y && y < l->h) {
            float icon = (float)lh * 0.9f;
            ui_icon(app, sec->icon, (SDL_FRect){x0, y + (lh - icon) / 2, icon, icon}, pal->accent);
            text_draw(app->text, sec->title, &ts, (int)(x0 + icon + l->unit * 0.8f), (int)y,
                      (int)(l->w - 2 * l->margin - icon));
        }
        y += lh + l->unit * 0.8f;
        for (int t = 0; t < sec->tile_count; t++) {
            int col = t % g.columns;
            if (col == 0 && t > 0)
                y += g.tile_h + g.gap;
            SDL_FRect tile = {x0 + col * (g.tile_w + g.gap), y, g.tile_w, g.tile_h};
            int id = ID_TILE + sec->first_tile + t;
            bool visible = tile.y + tile.h > g.viewport.y && tile.y < l->h;
            if (visible) {
                hot_add(&h->hot, tile, id);
                if (h->first_shown < 0)
                    h->first_shown = sec->first_tile + t;
                h->last_shown = sec->first_tile + t;
            }
            if (!draw || !visible)
                continue;
            const PackItem *item = h->model.tiles[sec->first_tile + t].item;
            float r = l->unit * 1.1f;
            ui_card(app, tile, r);
            if (h->hot.pressed_id == id)
                draw_fill_rounded(app->renderer, tile, r, draw_mix(pal->surface, pal->accent, 0.12f));
            ui_focus_ring(app, &h->hot, id, tile, r);
            float pad = l->unit * 0.9f;
            /* The picture square gives way to the words on narrow tiles. */
            float art_side = tile.h - 2 * pad < tile.w * 0.28f ? tile.h - 2 * pad : tile.w * 0.28f;
            SDL_FRect art = {tile.x + pad, tile.y + (tile.h - art_side) / 2, art_side, art_side};
            draw_fill_rounded(app->renderer, art, r * 0.8f, pal->accent_soft);
            if (item->picture && item->picture->full_path) {
                SDL_FRect in = {art.x + art.w * 0.06f, art.y + art.h * 0.06f, art.w * 0.88f, art.h * 0.88f};
                ui_picture(app, item->picture, in);
            } else {
                const char *icon = item->icon ? item->icon
                                   : item->kind == ITEM_BREATHING ? "breath"
                                   : item->kind == ITEM_EXERCISE ? "stretch"
                                                                 : sec->icon;
                SDL_FRect in = {art.x + art.w * 0.2f, art.y + art.h * 0.2f, art.w * 0.6f, art.h * 0.6f};
                ui_icon(app, icon, in, pal->accent);
            }
            float tx = art.x + art.w + pad;
            float tw = tile.x + tile.w - pad - tx;
            TextStyle title = ui_text_style(app, (int)(l->text_px * 0.94f), WEIGHT_BOLD, pal->text);
            title.max_lines = 2;
            title.line_spacing = 1.1f; /* short blocks of text read better set a little tighter */
            TextStyle summary = ui_text_style(app, l->small_px, WEIGHT_REGULAR, pal->muted);
            summary.line_spacing = 1.1f;
            TextMetrics tm = text_measure(app->text, item->title, &title, (int)tw);
            int slh = text_line_height(app->text, &summary);
            float room = tile.h - 2 * pad - tm.height - l->unit * 0.3f;
            summary.max_lines = (int)(room / (float)(slh > 0 ? slh : 1));
            const char *kind = item->kind == ITEM_TOPIC ? NULL : item->kind == ITEM_BREATHING ? "Breathing routine" : "Exercise routine";
            const char *sub = item->summary ? item->summary : kind;
            float block = (float)tm.height + (sub && summary.max_lines > 0 ? l->unit * 0.3f +
                          (float)text_measure(app->text, sub, &summary, (int)tw).height : 0);
            float ty = tile.y + (tile.h - block) / 2;
            text_draw(app->text, item->title, &title, (int)tx, (int)ty, (int)tw);
            if (sub && summary.max_lines > 0)
                text_draw(app->text, sub, &summary, (int)tx, (int)(ty + tm.height + l->unit * 0.3f), (int)tw);
        }
        y += g.tile_h + l->unit * 2.2f;
    }
    float content_h = y + h->scroll.offset - g.viewport.y;
    if (draw)
        ui_pop_clip(app, clip);
    return content_h;
}

/* The clinic's name and the buttons along the top, which stay put while the list scrolls. */
static void lay_out_header(Home *h, App *app, bool draw, HomeGeometry g)
{
    const Layout *l = &app->layout;
    const Palette *pal = &app->palette;
    /* The header is drawn last so tiles scroll under it; its buttons are added last so they win. */
    if (draw) {
        draw_fill_rect(app->renderer, (SDL_FRect){0, 0, (float)l->w, g.header_h}, pal->surface);
        draw_fill_rect(app->renderer, (SDL_FRect){0, g.header_h - 1, (float)l->w, 1 + l->unit * 0.08f}, pal->line);
    }
    float hx = l->margin;
    float logo = l->touch + l->unit * 0.6f;
    const Pack *clinic = app->clinic_pack;
    if (draw) {
        PackPicture logo_picture = {0};
        logo_picture.full_path = clinic && clinic->has_theme ? clinic->theme.logo : NULL;
        SDL_FRect logo_box = {hx, (g.header_h - logo) / 2, logo, logo};
        if (logo_picture.full_path)
            ui_picture(app, &logo_picture, logo_box);
        else
            ui_icon(app, "spine", logo_box, pal->accent);
    }
    hx += logo + l->unit;
    float right = l->w - l->margin;
    float about_w = l->touch * 1.1f;
    SDL_FRect about = {right - about_w, (g.header_h - l->touch) / 2, about_w, l->touch};
    hot_add(&h->hot, about, ID_ABOUT);
    SDL_FRect settings = {about.x - about_w - l->unit * 0.5f, about.y, about_w, l->touch};
    hot_add(&h->hot, settings, ID_SETTINGS);
    right = settings.x - l->unit;
    SDL_FRect progress = {settings.x - about_w - l->unit * 0.5f, about.y, about_w, l->touch};
    if (app->history) {
        hot_add(&h->hot, progress, ID_PROGRESS);
        right = progress.x - l->unit;
    }
    if (has_index(h)) {
        /* Before the language chips, which give way first on a narrow screen. */
        const char *label = h->index_open ? "Close" : "Sections";
        TextStyle bs = ui_text_style(app, l->text_px, WEIGHT_BOLD, pal->text);
        float bw = (float)text_measure(app->text, label, &bs, l->w).width + l->unit * 3;
        SDL_FRect index = {right - bw, (g.header_h - l->touch) / 2, bw, l->touch};
        hot_add(&h->hot, index, ID_INDEX);
        if (draw)
            ui_button(app, &h->hot, ID_INDEX, index, NULL, label, h->index_open ? BUTTON_PRIMARY : BUTTON_SECONDARY);
        right = index.x - l->unit;
    }
    if (h->language_count > 1) {
        for (int i = h->language_count - 1; i >= 0; i--) {
            /* Measured as ui_button sets it (text size, bold, a unit's padding each side), so no name is cut. */
            TextStyle ls = ui_text_style(app, l->text_px, WEIGHT_BOLD, pal->text);
            const char *label = chrome_language_label(app, h->languages[i]);
            float lw = (float)text_measure(app->text, label, &ls, 400).width + l->unit * 3;
            if (lw < l->touch)
                lw = l->touch;
            SDL_FRect chip = {right - lw, (g.header_h - l->touch) / 2, lw, l->touch};
            if (chip.x < hx + l->unit * 10)
                break;
            hot_add(&h->hot, chip, ID_LANGUAGE + i);
            right = chip.x - l->unit * 0.5f;
            if (draw) {
                bool current = library_language_score(h->languages[i], app->language) >= 3 &&
                               strcmp(h->languages[i], app->pack_count ? app->packs[0]->language : "") == 0;
                ui_button(app, &h->hot, ID_LANGUAGE + i, chip, NULL, label,
                          current ? BUTTON_PRIMARY : BUTTON_SECONDARY);
            }
        }
    }
    if (draw) {
        ui_button(app, &h->hot, ID_ABOUT, about, "info", NULL, BUTTON_QUIET);
        ui_button(app, &h->hot, ID_SETTINGS, settings, "settings", NULL, BUTTON_QUIET);
        if (app->history)
            ui_button(app, &h->hot, ID_PROGRESS, progress, "progress", NULL, BUTTON_QUIET);
        TextStyle name = ui_text_style(app, l->heading_px, WEIGHT_BOLD, pal->text);
        name.max_lines = 1;
        TextStyle sub = ui_text_style(app, l->small_px, WEIGHT_REGULAR, pal->muted);
        sub.max_lines = 1;
        const char *clinic_name = clinic ? clinic->clinic.name : "Patient Guide";
        int room = (int)(right - hx);
        /* The clinic's name is shown whole where it can be: on one line with the subtitle, else on two
         * lines without it, a step smaller if need be. */
        bool subtitle = text_measure(app->text, clinic_name, &name, 100000).width <= room;
        if (!subtitle) {
            name.max_lines = 2;
            for (; name.px > l->small_px; name.px -= 2) {
                TextMetrics m = text_measure(app->text, clinic_name, &name, room);
                if (!m.truncated && m.width <= room && m.height <= g.header_h - l->unit)
                    break;
            }
        }
        int nh = subtitle ? text_line_height(app->text, &name) : text_measure(app->text, clinic_name, &name, room).height;
        int sh = subtitle ? text_line_height(app->text, &sub) : 0;
        float ty = (g.header_h - nh - sh) / 2;
        text_draw(app->text, clinic_name, &name, (int)hx, (int)ty, room);
        if (subtitle)
            text_draw(app->text, "Your patient guide", &sub, (int)hx, (int)(ty + nh), room);
        scroller_draw_bar(app, h->index_open ? &h->index_scroll : &h->scroll, g.viewport);
    }
}

/* Walks the screen, registering hit areas (in screen coordinates) and, when drawing, drawing it.
 * Returns the height of what scrolls: the list, or the section index when it is open. */
static float lay_out(Home *h, App *app, bool draw)
{
    HomeGeometry g = geometry(app, h);
    hot_clear(&h->hot);
    float content_h = h->index_open ? lay_out_index(h, app, draw, g) : lay_out_list(h, app, draw, g);
    lay_out_header(h, app, draw, g);
    return content_h;
}

/* ---- screen class ------------------------------------------------------------------------------- */

static void home_enter(Screen *screen, App *app)
{
    Home *h = (Home *)screen;
    if (strcmp(h->built_for, app->language) != 0 || h->model.tile_count == 0 || h->built_generation != app->content_generation ||
        app->history) /* favourites and "continue" change as the patient uses the guide */
        build(h, app);
    app_set_dirty(app);
}

static void relayout(Home *h, App *app)
{
    HomeGeometry g = geometry(app, h);
    Scroller *active = h->index_open ? &h->index_scroll : &h->scroll;
    active->view_h = g.viewport.h;
    active->content_h = lay_out(h, app, false);
    scroller_clamp(active);
}

/* Closes the index and scrolls the list so section `s` starts at the top. */
static void jump_to_section(Home *h, App *app, int s, bool by_key)
{
    h->index_open = false;
    relayout(h, app); /* the list's layout gives where the section starts */
    h->scroll.offset = h->section_top[s];
    relayout(h, app);
    if (by_key)
        h->hot.focus_id = ID_TILE + h->model.sections[s].first_tile;
    app_set_dirty(app);
}

static void reveal_focus(Home *h, App *app)
{
    const Hot *f = hot_find(&h->hot, h->hot.focus_id);
    Scroller *active = h->index_open ? &h->index_scroll : &h->scroll;
    if (!f || f->id < (h->index_open ? ID_SECTION : ID_TILE))
        return;
    HomeGeometry g = geometry(app, h);
    float top = f->rect.y - g.viewport.y + active->offset;
    scroller_reveal(active, top, top + f->rect.h, app->layout.unit * 2);
}

static void home_input(Screen *screen, App *app, const Input *input)
{
    Home *h = (Home *)screen;
    relayout(h, app);
    if (input->type == INPUT_PRESS)
        h->tap_is_scroll = false;
    if (h->index_open && input->type == INPUT_KEY && input->key == KEY_BACK) {
        h->index_open = false;
        app_set_dirty(app);
        return;
    }
    if (scroller_input(h->index_open ? &h->index_scroll : &h->scroll, app, input)) {
        if (input->type == INPUT_DRAG) {
            h->tap_is_scroll = true;
            h->hot.pressed_id = -1;
        }
        return;
    }
    if (input->type == INPUT_TAP && h->tap_is_scroll)
        return;
    int id = hot_handle(&h->hot, app, input);
    if (input->type == INPUT_KEY && input->key != KEY_ACTIVATE) {
        int focus_before = h->hot.focus_id;
        relayout(h, app);
        if (h->hot.focus_id != focus_before || true) {
            reveal_focus(h, app);
            app_set_dirty(app);
        }
    }
    if (id == ID_ABOUT) {
        app_push(app, about_screen_create(app));
    } else if (id == ID_SETTINGS) {
        app_push(app, settings_screen_create(app));
    } else if (id == ID_HISTORY_OK) {
        app->history_note[0] = '\0';
        app_set_dirty(app);
    } else if (id == ID_PROGRESS) {
        app_push(app, progress_screen_create(app));
    } else if (id == ID_CONTINUE && h->resume) {
        app_push(app, routine_screen_create(app, h->resume, h->resume_step, false));
    } else if (id == ID_NOTICE_OK) {
        app->notice_dismissed = true;
        if (app->history)
            history_setting_set(app->history, "notice_seen", "1");
        app_set_dirty(app);
    } else if (id >= ID_LANGUAGE && id < ID_LANGUAGE + h->language_count) {
        app_set_language(app, h->languages[id - ID_LANGUAGE]);
        build(h, app);
        h->scroll.offset = 0;
    } else if (id == ID_INDEX) {
        h->index_open = !h->index_open;
        h->index_scroll.offset = 0;
        app_set_dirty(app);
    } else if (id >= ID_SECTION && id < ID_SECTION + h->model.section_count) {
        jump_to_section(h, app, id - ID_SECTION, input->type == INPUT_KEY);
    } else if (id >= ID_TILE && id < ID_TILE + h->model.tile_count) {
        screens_open_item(app, h->model.tiles[id - ID_TILE].item);
    }
}

static void home_draw(Screen *screen, App *app)
{
    Home *h = (Home *)screen;
    relayout(h, app);
    lay_out(h, app, true);
}

static void home_describe(Screen *screen, App *app, char *out, size_t size)
{
    Home *h = (Home *)screen;
    int sections = home_model_visible_sections(&h->model);
    const Hot *f = hot_find(&h->hot, h->hot.focus_id);
    const char *focus = f && f->id >= ID_TILE && f->id < ID_TILE + h->model.tile_count ? h->model.tiles[f->id - ID_TILE].item->id : "-";
    if (h->index_open) {
        snprintf(out, size, "home index sections=%d", sections);
        return;
    }
    char first[160] = "-", last[160] = "-";
    if (h->first_shown >= 0) {
        const HomeTile *a = &h->model.tiles[h->first_shown], *b = &h->model.tiles[h->last_shown];
        snprintf(first, sizeof first, "%s/%s", a->pack->id, a->item->id);
        snprintf(last, sizeof last, "%s/%s", b->pack->id, b->item->id);
    }
    snprintf(out, size, "home language=%s sections=%d tiles=%d focus=%s shown=%s..%s scroll=%d notice=%s", app->language,
             sections, h->model.tile_count, focus, first, last, (int)h->scroll.offset,
             app->notice_dismissed ? "dismissed" : "shown");
}

static void home_destroy(Screen *screen)
{
    Home *h = (Home *)screen;
    home_model_free(&h->model);
    free(h->section_top);
    free(screen);
}

static const ScreenClass home_class = {
    .enter = home_enter,
    .input = home_input,
    .draw = home_draw,
    .describe = home_describe,
    .destroy = home_destroy,
    .name = "home",
};

Screen *home_screen_create(App *app)
{
    Home *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->base.cls = &home_class;
    hot_init(&h->hot);
    build(h, app);
    return &h->base;
}

void screens_open_item(App *app, const PackItem *item)
{
    if (item->kind == ITEM_TOPIC)
        app_push(app, topic_screen_create(app, item, 0));
    else
        app_push(app, routine_screen_create(app, item, -1, false));
}
