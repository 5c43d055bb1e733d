/* routine.c: the exercise player and the breathing pacer.
 *
 * A routine starts at its "before you start" card, then plays its timeline (src/core/routine_timing.h)
 * against the app's clock: what is shown is a pure function of the elapsed time, so the countdown
 * never drifts, and pause, skip, back and restart are the player's. The screen asks to be woken only
 * when something visible changes: a segment boundary, the next whole second of the countdown, or, for
 * the breathing shape, the next animation step (never faster than 30 per second, and not at all while
 * holding or with reduced motion). Sound cues come from the cue scheduler, placed on their boundary.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chrome.h"
#include "cue_tones.h"
#include "routine_timing.h"
#include "session_record.h"
#include "screens.h"
#include "ui/draw.h"

#define ANIMATION_STEP_MS 33 /* at most 30 redraws a second while the shape moves */
#define PACER_STEP_PX 2      /* and only when it has moved this far: slow breaths need fewer frames */
#define CUE_LEAD_MS 120   /* how early cues are queued; the scheduler looks CUE_LOOKAHEAD_MS ahead */
#define CUE_LOOKAHEAD_MS 150

enum { ID_LEAVE = 1, ID_START, ID_BACK, ID_PAUSE, ID_SKIP, ID_RESTART, ID_SOUND, ID_AGAIN, ID_HOME, ID_STAR };

typedef enum { STAGE_CARD, STAGE_PLAYING, STAGE_DONE } Stage;

/* The words of the info pane while playing (see playing_words). */
typedef struct {
    char kicker[200], big[32], big_label[64], line[160];
    const char *name, *instruction; /* point into the pack */
} PlayingWords;

/* A text as last drawn: its style, its box and the width it had. */
typedef struct {
    TextStyle style;
    SDL_FRect box;
    int room;
} ShownText;

typedef struct {
    Screen base;
    HotList hot;
    const PackItem *item;
    Stage stage;
    Timeline timeline;
    RoutinePlayer player;
    CueScheduler cues;
    RoutineState state;
    bool paused_for_question; /* paused by the leave question, resumed when it is answered no */
    Audio *audio;             /* to silence the device when the screen goes */
    History *history;         /* where this session is recorded, or NULL (kiosk) */
    int64_t history_id;       /* this session's row */
    SessionRecord record;     /* what the patient really did, step by step (also at the kiosk) */
    int64_t done_at;          /* clock time the routine finished, to let the last chime ring out */
    /* What was last drawn, to decide whether anything visible changed. */
    int shown_segment;
    int64_t shown_seconds;
    int shown_radius;
    SDL_FRect visual;         /* the picture or pacer pane of the last layout */
    Scroller card_scroll;     /* the safety points, when they do not fit at a readable size */
    SDL_FRect card_view;      /* where they show */
    int card_px;              /* the size they are set at */
    int card_first_shown, card_last_shown; /* first point begun and last ended in view, -1: none */
    bool tap_is_scroll;       /* the tap that ends a scrolling drag presses nothing */
    SDL_FRect pacer_box;      /* what the pacer painted in it: the shape's box, or bar and seconds */
    bool shown_paused;
    PlayingWords shown_words;
    const PackPicture *shown_pose;
    ShownText digits;         /* the countdown's digits in the info pane; an empty box when there are none */
    /* The breathing shape as last drawn, and the pixels its next frame changes (ask_pacer_part). */
    float shown_pacer_radius;
    float shown_progress;
    SDL_Rect shown_pacer_digits;
    bool pacer_digits_masked; /* the mask holds the digits' whole box, so they may be drawn */
    DrawMask pacer_mask;
} Routine;

static bool is_breathing(const Routine *r)
{
    return r->stage == STAGE_PLAYING && r->state.kind == SEG_BREATH;
}

static const char *side_words(StepSides side)
{
    return side == SIDES_LEFT ? "Left side" : side == SIDES_RIGHT ? "Right side" : NULL;
}

static const char *phase_words(BreathKind kind)
{
    return kind == BREATH_INHALE ? "Breathe in" : kind == BREATH_EXHALE ? "Breathe out" : "Hold";
}

static int64_t seconds_left(int64_t ms)
{
    return (ms + 999) / 1000;
}

static void format_clock(int64_t seconds, char *out, size_t size)
{
    if (seconds > 99 * 3600) /* routines are at most 4 hours; this keeps the text short */
        seconds = 99 * 3600;
    if (seconds >= 60)
        snprintf(out, size, "%lld:%02lld", (long long)(seconds / 60), (long long)(seconds % 60));
    else
        snprintf(out, size, "%lld", (long long)seconds);
}

/* ---- the pacer's geometry ------------------------------------------------------------------------ */

static float pacer_max_radius(SDL_FRect pane)
{
    return (pane.w < pane.h ? pane.w : pane.h) * 0.46f;
}

static float pacer_radius(float rmax, float fullness)
{
    float rmin = rmax * 0.38f;
    return rmin + (rmax - rmin) * fullness;
}

/* The shape's radius in whole pixels as it would be drawn now, from the pane of the last layout. */
static int pacer_radius_px(const Routine *r, App *app)
{
    (void)app;
    if (r->stage != STAGE_PLAYING || r->state.kind != SEG_BREATH || r->visual.w <= 0)
        return 0;
    return (int)pacer_radius(pacer_max_radius(r->visual), r->state.breath_fullness);
}

/* ---- time --------------------------------------------------------------------------------------- */

static void refresh_state(Routine *r, App *app)
{
    if (r->stage != STAGE_PLAYING)
        return; /* before Start the player has no timeline yet */
    int64_t now = app_now(app);
    timeline_state_at(&r->timeline, r->item, player_elapsed(&r->player, now), &r->state);
}

static void play_cues(Routine *r, App *app)
{
    ClockCue cues[16];
    int n = cue_scheduler_poll(&r->cues, &r->timeline, &r->player, app_now(app), CUE_LOOKAHEAD_MS, cues, 16);
    for (int i = 0; i < n && app->audio; i++)
        audio_play_cue(app->audio, cues[i].kind, cues[i].clock_ms);
}

/* Writes how far the session got: whenever a step's outcome changes, so a crash loses at most the
 * step in hand, and when the routine ends or is left. */
static void record_progress(Routine *r)
{
    if (!r->history || !r->history_id || !r->record.outcomes)
        return;
    const SessionRecord *rec = &r->record;
    HistoryProgress progress = {
        .outcomes = rec->outcomes,
        .steps_done = session_record_count(rec, OUTCOME_DONE),
        .steps_skipped = session_record_count(rec, OUTCOME_SKIPPED),
        .steps_cut_short = session_record_count(rec, OUTCOME_CUT_SHORT),
        /* A session that reached the end offers no "continue" */
        .resume_step = r->stage == STAGE_DONE ? r->item->step_count : session_record_current_step(rec),
        .seconds = (int)(rec->active_ms / 1000),
        .completed = session_record_completed(rec),
    };
    history_progress(r->history, r->history_id, &progress);
}

static void item_ref(const Routine *r, App *app, char *ref, size_t size)
{
    ref[0] = '\0';
    for (int p = 0; p < app->pack_count && !ref[0]; p++)
        for (int i = 0; i < app->packs[p]->item_count; i++)
            if (&app->packs[p]->items[i] == r->item)
                snprintf(ref, size, "%s/%s", app->packs[p]->id, r->item->id);
    if (!ref[0])
        snprintf(ref, size, "%s", r->item->id);
}

/* "Continue where you left off" goes on with the same session, so the steps done before count once and
 * the session says, as a whole, what was done. Returns the session's id, or 0 when there is none. */
static int64_t continued_session(Routine *r, App *app, const char *ref, int seek_step, char *outcomes, size_t size,
                                 int64_t *active_ms)
{
    HistoryEntry e;
    if (seek_step < 0 || !history_unfinished(r->history, app_wall_time(app), 7 * 86400, &e) || strcmp(e.routine, ref) != 0 ||
        e.resume_step != seek_step || !history_entry(r->history, e.id, &e, outcomes, size))
        return 0;
    *active_ms = (int64_t)e.seconds * 1000;
    return e.id;
}

/* Begins following a session at routine time `position_ms`, and its row in the history (at home). */
static void record_start(Routine *r, App *app, int seek_step, int64_t position_ms)
{
    char ref[160], earlier[4096] = "";
    int64_t earlier_ms = 0;
    session_record_free(&r->record);
    r->history_id = 0;
    if (r->history) {
        item_ref(r, app, ref, sizeof ref);
        r->history_id = continued_session(r, app, ref, seek_step, earlier, sizeof earlier, &earlier_ms);
        if (!r->history_id)
            r->history_id = history_start(r->history, app_wall_time(app), ref, r->item->title,
                                          r->item->kind == ITEM_BREATHING ? KIND_BREATHING : KIND_EXERCISE,
                                          r->item->step_count);
    }
    if (!session_record_init(&r->record, &r->timeline, r->item->step_count, position_ms, earlier, earlier_ms))
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Out of memory: this session's steps are not recorded");
}

/* Follows the player as it plays on: time played counts, outcomes are written when they change. */
static void track_progress(Routine *r)
{
    if (session_record_played_to(&r->record, r->state.elapsed_ms))
        record_progress(r);
}

/* The player is about to jump: the time up to now counts; after the jump, where it landed. */
static void before_jump(Routine *r, App *app)
{
    if (session_record_played_to(&r->record, player_elapsed(&r->player, app_now(app))))
        record_progress(r);
}

static void after_jump(Routine *r, App *app)
{
    if (session_record_jumped_to(&r->record, player_elapsed(&r->player, app_now(app))))
        record_progress(r);
}

/* Starts from the beginning (seek_step < 0) or from the first unit of step `seek_step`. */
static void start_playing(Routine *r, App *app, int seek_step)
{
    r->stage = STAGE_PLAYING;
    int64_t now = app_now(app);
    player_start(&r->player, &r->timeline, now);
    if (seek_step >= 0) {
        for (int u = 0; u < r->timeline.unit_count; u++) {
            if (r->timeline.units[u].step == seek_step) {
                r->player.anchor_elapsed_ms = r->timeline.units[u].start_ms;
                break;
            }
        }
    }
    cue_scheduler_reset(&r->cues);
    if (app->audio)
        audio_cancel(app->audio);
    play_cues(r, app);
    refresh_state(r, app);
    record_progress(r); /* the session before a "Do it again" ends where it stopped */
    record_start(r, app, seek_step, player_elapsed(&r->player, now));
    app_set_dirty(app);
}

static int64_t routine_next_deadline(Screen *screen, App *app, int64_t now)
{
    Routine *r = (Routine *)screen;
    if (r->stage == STAGE_DONE && app->audio && now - r->done_at < 2000)
        return r->done_at + 2000; /* to switch the sound device off after the last chime */
    if (r->stage != STAGE_PLAYING || r->player.paused)
        return APP_NO_DEADLINE;
    int64_t boundary = player_next_boundary_clock(&r->player, now);
    int64_t remaining = r->state.segment_remaining_ms;
    int64_t to_next_second = remaining % 1000 ? remaining % 1000 : 1000;
    int64_t deadline = now + to_next_second;
    if (boundary < deadline)
        deadline = boundary;
    /* Wake a little before each boundary too, so its tone is queued ahead and starts on the
     * boundary's exact sample rather than one audio buffer late. */
    if (app->audio && boundary - CUE_LEAD_MS > now && boundary - CUE_LEAD_MS < deadline)
        deadline = boundary - CUE_LEAD_MS;
    if (is_breathing(r) && !app->reduced_motion) {
        const PackStep *step = &r->item->steps[r->state.step];
        if (step->phases[r->state.phase].kind != BREATH_HOLD && now + ANIMATION_STEP_MS < deadline)
            deadline = now + ANIMATION_STEP_MS;
    }
    return deadline;
}

/* ---- drawing helpers ---------------------------------------------------------------------------- */

static const PackPicture *pose_for(const Routine *r, const PackStep *step)
{
    if (step->picture_count == 0)
        return NULL;
    if (step->picture_count == 1 || r->stage != STAGE_PLAYING)
        return &step->pictures[0];
    const RoutineState *s = &r->state;
    int last = step->picture_count - 1;
    if (s->kind == SEG_HOLD)
        return &step->pictures[last];
    if (s->kind == SEG_WORK && s->rep >= 0) {
        /* Key poses in turn through each repetition: start pose first, end pose by the end. */
        int index = (int)(s->segment_progress * (float)step->picture_count);
        return &step->pictures[index > last ? last : index];
    }
    if (s->kind == SEG_WORK)
        return &step->pictures[s->segment_elapsed_ms < 2000 ? 0 : last];
    return &step->pictures[0];
}

/* The picture the visual pane shows now; NULL for the pacer or an icon. */
static const PackPicture *current_pose(const Routine *r)
{
    const RoutineState *s = &r->state;
    const PackStep *step = s->step >= 0 ? &r->item->steps[s->step] : NULL;
    const PackStep *next = s->next_step >= 0 ? &r->item->steps[s->next_step] : NULL;
    if (r->stage != STAGE_PLAYING || s->kind == SEG_BREATH)
        return NULL;
    const PackStep *shown = step && (s->kind == SEG_WORK || s->kind == SEG_HOLD) ? step
                            : s->kind == SEG_SET_REST || s->kind == SEG_SWITCH_SIDES ? step
                                                                                     : next;
    return shown ? pose_for(r, shown) : NULL;
}

/* Where the pacer's seconds go: `at` is the text's place and room, the result the box they paint
 * (with a margin for the glyphs' soft edges). The style is set to theirs. */
static SDL_Rect pacer_digits_box(const Routine *r, App *app, const char *number, TextStyle *big, SDL_Rect *at)
{
    const Layout *l = &app->layout;
    SDL_FRect pane = r->visual;
    float cx = pane.x + pane.w / 2, cy = pane.y + pane.h / 2;
    float rmax = pacer_max_radius(pane), rmin = rmax * 0.38f;
    big->color = app->palette.accent_text;
    big->px = (int)(rmin * 0.9f) < l->huge_px ? (int)(rmin * 0.9f) : l->huge_px;
    int lh = text_line_height(app->text, big);
    *at = (SDL_Rect){(int)(cx - rmax), (int)(cy - lh / 2.0f), (int)(2 * rmax), lh};
    TextMetrics m = text_measure(app->text, number, big, at->w);
    return (SDL_Rect){at->x + (at->w - m.width) / 2 - 4, at->y - 4, m.width + 8, m.height + 8};
}

static void draw_pacer(App *app, Routine *r, SDL_FRect pane)
{
    const Layout *l = &app->layout;
    const Palette *p = &app->palette;
    const PackStep *step = &r->item->steps[r->state.step];
    const PackBreathPhase *phase = &step->phases[r->state.phase];
    float cx = pane.x + pane.w / 2, cy = pane.y + pane.h / 2;
    float rmax = pacer_max_radius(pane);
    char number[32];
    format_clock(seconds_left(r->state.segment_remaining_ms), number, sizeof number);
    TextStyle big = ui_text_style(app, l->huge_px, WEIGHT_BOLD, p->text);
    big.align = ALIGN_CENTER;
    big.max_lines = 1;
    if (app->reduced_motion) {
        /* A bar that fills with the phase, and the seconds left: no movement across the screen. */
        float bw = pane.w * 0.8f, bh = l->unit * 3.0f;
        SDL_FRect bar = {cx - bw / 2, cy + l->unit * 2, bw, bh};
        draw_fill_rounded(app->renderer, bar, bh / 2, p->accent_soft);
        float f = r->state.segment_progress;
        if (phase->kind == BREATH_HOLD)
            f = 1.0f;
        if (f * bw >= bh)
            draw_fill_rounded(app->renderer, (SDL_FRect){bar.x, bar.y, bw * f, bh}, bh / 2, p->accent);
        int lh = text_line_height(app->text, &big);
        text_draw(app->text, number, &big, (int)pane.x, (int)(bar.y - lh - l->unit), (int)pane.w);
        r->pacer_box = (SDL_FRect){pane.x, bar.y - lh - l->unit, pane.w, lh + l->unit + bh};
        return;
    }
    /* Everything below stays inside the outer ring, whose edge is at rmax. */
    r->pacer_box = (SDL_FRect){cx - rmax - 1, cy - rmax - 1, 2 * rmax + 2, 2 * rmax + 2};
    float radius = pacer_radius(rmax, r->state.breath_fullness);
    /* Every pixel is painted once: this redraws up to 30 times a second, and on a machine without a
     * graphics card each painted pixel costs. So the soft field is a ring around the shape, not a
     * disc under it, and the shape's rim a ring around its core. The field's outer edge is exactly
     * rmax whatever the radius, so a frame that repaints only the moving edges leaves it right. */
    if (rmax - radius > 1.0f)
        draw_ring(app->renderer, cx, cy, radius, rmax, p->accent_soft);
    draw_arc(app->renderer, cx, cy, rmax - l->unit * 0.3f, l->unit * 0.4f, 0.0f, 1.0f,
             draw_mix(p->accent, p->surface, 0.7f));
    draw_arc(app->renderer, cx, cy, radius * 0.96f, radius * 0.08f, 0.0f, 1.0f, draw_mix(p->accent, p->surface, 0.15f));
    draw_fill_circle(app->renderer, cx, cy, radius * 0.92f, p->accent);
    /* The phase's progress runs round the outer ring. */
    draw_arc(app->renderer, cx, cy, rmax - l->unit * 0.3f, l->unit * 0.5f, 0.0f, r->state.segment_progress, p->accent);
    /* The seconds left sit inside the shape, sized to its smallest radius and centred on the pane so
     * they never jump as it moves. A frame that repaints only part of the shape draws them only when
     * it repaints all of their box. */
    SDL_Rect at;
    r->shown_pacer_digits = pacer_digits_box(r, app, number, &big, &at);
    if (app->dirty_mask != &r->pacer_mask || r->pacer_digits_masked)
        text_draw(app->text, number, &big, at.x, at.y, at.w);
    r->shown_pacer_radius = radius;
    r->shown_progress = r->state.segment_progress;
}

/* What the info pane says now: everything but the countdown's digits changes only with the segment
 * (and pause), which is what lets a countdown tick redraw the digits alone. */
static void playing_words(const Routine *r, PlayingWords *w)
{
    const RoutineState *s = &r->state;
    const PackStep *step = s->step >= 0 ? &r->item->steps[s->step] : NULL;
    const PackStep *next = s->next_step >= 0 ? &r->item->steps[s->next_step] : NULL;
    memset(w, 0, sizeof *w);
    w->name = step ? step->name : NULL;
    w->instruction = step ? step->instruction : NULL;
    format_clock(seconds_left(s->segment_remaining_ms), w->big, sizeof w->big);
    switch (s->kind) {
    case SEG_GET_READY:
        snprintf(w->kicker, sizeof w->kicker, "Get ready");
        w->name = next ? next->name : NULL;
        w->instruction = next ? next->instruction : NULL;
        snprintf(w->big_label, sizeof w->big_label, "seconds");
        break;
    case SEG_WORK:
    case SEG_HOLD: {
        const char *side = side_words(s->side);
        if (s->sets > 1 && side)
            snprintf(w->kicker, sizeof w->kicker, "%s  ·  Set %d of %d", side, s->set + 1, s->sets);
        else if (s->sets > 1)
            snprintf(w->kicker, sizeof w->kicker, "Set %d of %d", s->set + 1, s->sets);
        else if (side)
            snprintf(w->kicker, sizeof w->kicker, "%s", side);
        if (s->kind == SEG_HOLD) {
            snprintf(w->big_label, sizeof w->big_label, "Hold  ·  rep %d of %d", s->rep + 1, s->reps);
        } else if (s->reps > 0) {
            snprintf(w->big, sizeof w->big, "%d", s->rep + 1);
            snprintf(w->big_label, sizeof w->big_label, "of %d reps", s->reps);
        } else {
            snprintf(w->big_label, sizeof w->big_label, "seconds");
        }
        break;
    }
    case SEG_SET_REST:
        snprintf(w->kicker, sizeof w->kicker, "Rest");
        snprintf(w->line, sizeof w->line, "Next: set %d of %d", s->set + 2, s->sets);
        w->instruction = NULL;
        snprintf(w->big_label, sizeof w->big_label, "seconds");
        break;
    case SEG_SWITCH_SIDES:
        snprintf(w->kicker, sizeof w->kicker, "Switch sides");
        snprintf(w->line, sizeof w->line, "Next: right side");
        w->instruction = NULL;
        snprintf(w->big_label, sizeof w->big_label, "seconds");
        break;
    case SEG_REST:
    case SEG_ROUND_REST:
        snprintf(w->kicker, sizeof w->kicker, "%s", s->kind == SEG_ROUND_REST ? "Rest before the next round" : "Rest");
        w->name = step && s->kind == SEG_REST ? step->name : "Rest";
        w->instruction = step && s->kind == SEG_REST ? step->instruction : NULL;
        if (next)
            snprintf(w->line, sizeof w->line, "Next up: %s", next->name);
        snprintf(w->big_label, sizeof w->big_label, "seconds");
        break;
    case SEG_BREATH: {
        const PackBreathPhase *ph = &step->phases[s->phase];
        snprintf(w->kicker, sizeof w->kicker, "%s", phase_words(ph->kind));
        snprintf(w->big_label, sizeof w->big_label, "Breath %d of %d", s->cycle + 1, s->cycles);
        if (ph->text)
            snprintf(w->line, sizeof w->line, "%s", ph->text);
        break;
    }
    }
    if (s->rounds > 1) {
        char round[48];
        snprintf(round, sizeof round, "Round %d of %d", s->round + 1, s->rounds);
        if (w->kicker[0]) {
            char both[sizeof w->kicker];
            if (snprintf(both, sizeof both, "%s  ·  %s", round, w->kicker) < (int)sizeof both)
                memcpy(w->kicker, both, sizeof w->kicker);
        } else {
            snprintf(w->kicker, sizeof w->kicker, "%s", round);
        }
    }
    if (s->kind == SEG_BREATH)
        w->big[0] = '\0'; /* the seconds are inside the breathing shape */
}

static bool same_words_but_digits(const PlayingWords *a, const PlayingWords *b)
{
    return strcmp(a->kicker, b->kicker) == 0 && strcmp(a->big_label, b->big_label) == 0 && strcmp(a->line, b->line) == 0 &&
           a->name == b->name && a->instruction == b->instruction;
}

static void draw_progress(App *app, const Routine *r, float y)
{
    const Layout *l = &app->layout;
    float h = l->unit * 0.45f;
    SDL_FRect track = {0, y, (float)l->w, h};
    draw_fill_rect(app->renderer, track, app->palette.accent_soft);
    /* The bar moves on at each segment (a repetition, a rest, a breath's phase), not with every second:
     * a countdown tick then changes nothing but its digits. */
    const RoutineState *s = &r->state;
    float done = r->timeline.total_ms > 0 ? (float)(s->elapsed_ms - s->segment_elapsed_ms) / (float)r->timeline.total_ms : 0.0f;
    draw_fill_rect(app->renderer, (SDL_FRect){0, y, l->w * SDL_clamp(done, 0.0f, 1.0f), h}, app->palette.accent);
}

/* ---- stages ------------------------------------------------------------------------------------- */

/* Heights of the cautions laid out in `columns` columns of width col_w, and the index of the first
 * point of the second column: the split that makes the taller column as short as it can be. */
static float cautions_height(App *app, const Routine *r, const TextStyle *body, float col_w, int columns, int *split)
{
    int n = r->item->caution_count;
    float total = 0, best, first = 0;
    float *heights = n > 0 ? malloc((size_t)n * sizeof *heights) : NULL;
    *split = n;
    if (n > 0 && !heights)
        return 1e9f; /* out of memory: "does not fit", so the card scrolls */
    for (int i = 0; i < n; i++) {
        heights[i] = (float)text_measure(app->text, r->item->cautions[i], body, (int)(col_w - app->layout.unit * 2)).height +
                     app->layout.unit * 0.45f;
        total += heights[i];
    }
    best = total;
    for (int k = 1; columns == 2 && k < n; k++) {
        first += heights[k - 1];
        float taller = first > total - first ? first : total - first;
        if (taller < best) {
            best = taller;
            *split = k;
        }
    }
    free(heights);
    return best;
}

/* How the safety card is set: size, columns, and whether its points scroll. */
typedef struct {
    TextStyle body;
    int columns, split;
    float w, col_w, words_h;
    bool scrolls;
} CardFit;

/* The points are read whole and at a readable size, so they are never cut, dropped or set small. In
 * order: one column at the patient's size, two columns (landscape), then a step smaller at a time but
 * never below the layout's readable floor; and if that still does not fit, one column at the patient's
 * own size that scrolls, with a cue, by touch, wheel and keys. */
static CardFit fit_card(App *app, const Routine *r, float text_room)
{
    const Layout *l = &app->layout;
    CardFit f = {.body = ui_text_style(app, l->text_px, WEIGHT_REGULAR, app->palette.text)};
    int floor_px = (int)(l->text_px * 0.85f) > l->min_text_px ? (int)(l->text_px * 0.85f) : l->min_text_px;
    float pad = l->unit * 2;
    for (int attempt = 0;; attempt++) {
        f.columns = attempt % 2 == 0 || l->portrait ? 1 : 2;
        int px = (int)(l->text_px * (1.0f - 0.05f * (float)(attempt / 2)));
        f.body.px = px < floor_px ? floor_px : px;
        f.w = l->w - 2 * l->margin;
        if (f.w > l->unit * (f.columns == 2 ? 95 : 75))
            f.w = l->unit * (f.columns == 2 ? 95 : 75);
        f.col_w = (f.w - 2 * pad - (f.columns - 1) * l->unit * 2) / f.columns;
        f.words_h = cautions_height(app, r, &f.body, f.col_w, f.columns, &f.split);
        if (f.words_h <= text_room)
            return f;
        if (f.body.px == floor_px && (f.columns == 2 || l->portrait))
            break;
    }
    f.scrolls = true;
    f.columns = 1;
    f.body.px = l->text_px;
    f.w = l->w - 2 * l->margin < l->unit * 75 ? l->w - 2 * l->margin : l->unit * 75;
    f.col_w = f.w - 2 * pad;
    f.words_h = cautions_height(app, r, &f.body, f.col_w, 1, &f.split);
    return f;
}

/* Under scrolling points, a line that says whether more are below, so nobody thinks the list ended. */
static TextStyle card_cue_style(App *app, bool more)
{
    const Layout *l = &app->layout;
    TextStyle cue = ui_text_style(app, l->small_px > l->min_text_px ? l->small_px : l->min_text_px,
                                  more ? WEIGHT_BOLD : WEIGHT_REGULAR, more ? app->palette.accent : app->palette.muted);
    cue.max_lines = 1;
    return cue;
}

static void draw_card_cue(App *app, const Routine *r, SDL_FRect strip)
{
    bool more = r->card_scroll.offset < r->card_scroll.content_h - r->card_scroll.view_h - 1;
    TextStyle cue = card_cue_style(app, more);
    const char *words = more ? "More below: scroll down to read every point" : "That is every point.";
    text_draw(app->text, words, &cue, (int)strip.x, (int)(strip.y + (strip.h - text_line_height(app->text, &cue)) / 2),
              (int)strip.w);
}

static void lay_out_card(Routine *r, App *app, float top, bool draw)
{
    const Layout *l = &app->layout;
    const Palette *p = &app->palette;
    float bw = l->unit * 16;
    SDL_FRect start = {l->w - l->margin - bw, l->h - l->touch - l->unit * 1.5f, bw, l->touch};
    hot_add(&r->hot, start, ID_START);
    float pad = l->unit * 2;
    float icon = (float)l->heading_px * 1.2f;
    float room_top = top + l->unit * 1.5f, room_h = start.y - top - l->unit * 3;
    float text_room = room_h - pad * 2 - icon - l->unit;
    CardFit f = fit_card(app, r, text_room);
    float x = (l->w - f.w) / 2;
    /* The card is as tall as its words, centred in the room it has; a scrolling one fills the room. */
    float card_h = pad * 2 + icon + l->unit + f.words_h;
    if (card_h > room_h)
        card_h = room_h;
    SDL_FRect card = {x, room_top + (room_h - card_h) * 0.4f, f.w, card_h};
    TextStyle cue = card_cue_style(app, true);
    float cue_h = f.scrolls ? (float)text_line_height(app->text, &cue) + l->unit : 0;
    r->card_view = (SDL_FRect){card.x + pad, card.y + pad + icon + l->unit, card.w - 2 * pad,
                               card.h - 2 * pad - icon - l->unit - cue_h};
    r->card_scroll.view_h = r->card_view.h;
    r->card_scroll.content_h = f.scrolls ? f.words_h : r->card_view.h;
    scroller_clamp(&r->card_scroll);
    r->card_px = f.body.px;
    if (!draw)
        return;
    ui_card(app, card, l->unit);
    ui_icon(app, "alert", (SDL_FRect){card.x + pad, card.y + pad, icon, icon}, p->accent);
    TextStyle h = ui_text_style(app, l->heading_px, WEIGHT_BOLD, p->text);
    text_draw(app->text, "Before you start", &h, (int)(card.x + pad + icon + l->unit),
              (int)(card.y + pad + (icon - text_line_height(app->text, &h)) / 2), (int)(card.w - 2 * pad - icon));
    SavedClip clip = ui_push_clip(app, r->card_view);
    float dot = f.body.px * 0.3f;
    float y = r->card_view.y - r->card_scroll.offset, cx = r->card_view.x;
    r->card_first_shown = r->card_last_shown = -1;
    for (int i = 0; i < r->item->caution_count; i++) {
        int lh = text_line_height(app->text, &f.body);
        float hgt = (float)text_measure(app->text, r->item->cautions[i], &f.body, (int)(f.col_w - l->unit * 2)).height;
        if (f.columns == 2 && i == f.split) {
            y = r->card_view.y - r->card_scroll.offset;
            cx = r->card_view.x + f.col_w + l->unit * 2;
        }
        /* For tests and staff previews: the first point whose start is in view and the last whose end
         * is (a point taller than the view is read by scrolling through it). */
        if (r->card_first_shown < 0 && y >= r->card_view.y - 0.5f && y < r->card_view.y + r->card_view.h)
            r->card_first_shown = i;
        if (y + hgt <= r->card_view.y + r->card_view.h + 0.5f && y + hgt > r->card_view.y)
            r->card_last_shown = i;
        if (y + hgt > r->card_view.y && y < r->card_view.y + r->card_view.h) {
            draw_fill_circle(app->renderer, cx + dot, y + lh / 2.0f, dot, p->accent);
            text_draw(app->text, r->item->cautions[i], &f.body, (int)(cx + l->unit * 2), (int)y, (int)(f.col_w - l->unit * 2));
        }
        y += hgt + l->unit * 0.45f;
    }
    ui_pop_clip(app, clip);
    if (f.scrolls) {
        scroller_draw_bar(app, &r->card_scroll, (SDL_FRect){card.x, r->card_view.y, card.w - l->unit * 0.6f, r->card_view.h});
        draw_card_cue(app, r, (SDL_FRect){r->card_view.x, r->card_view.y + r->card_view.h, r->card_view.w, cue_h});
    }
    ui_button(app, &r->hot, ID_START, start, NULL, "Start", BUTTON_PRIMARY);
    TextStyle note = ui_text_style(app, l->small_px, WEIGHT_REGULAR, p->muted);
    note.max_lines = 2;
    int64_t minutes = (r->timeline.total_ms + 59999) / 60000;
    char about[160];
    snprintf(about, sizeof about, "%d step%s, about %lld minute%s", r->item->step_count, r->item->step_count == 1 ? "" : "s",
             (long long)minutes, minutes == 1 ? "" : "s");
    text_draw(app->text, about, &note, (int)l->margin, (int)(start.y + (start.h - text_line_height(app->text, &note)) / 2),
              (int)(start.x - l->margin * 2));
}

/* What the end screen says: what was really done, never more. Minutes are active time. */
static void done_summary(const Routine *r, char *out, size_t size)
{
    const SessionRecord *rec = &r->record;
    int steps = r->item->step_count, done = session_record_count(rec, OUTCOME_DONE);
    int skipped = session_record_count(rec, OUTCOME_SKIPPED), cut = session_record_count(rec, OUTCOME_CUT_SHORT);
    int64_t minutes = (rec->active_ms + 30000) / 60000;
    char took[64], extra[96] = "";
    if (minutes < 1)
        snprintf(took, sizeof took, "less than a minute");
    else
        snprintf(took, sizeof took, "about %lld minute%s", (long long)minutes, minutes == 1 ? "" : "s");
    if (skipped && cut)
        snprintf(extra, sizeof extra, " (%d skipped, %d cut short)", skipped, cut);
    else if (skipped || cut)
        snprintf(extra, sizeof extra, " (%d %s)", skipped ? skipped : cut, skipped ? "skipped" : "cut short");
    if (done == steps)
        snprintf(out, size, "You did all %d step%s of %s. That took %s.", steps, steps == 1 ? "" : "s", r->item->title, took);
    else
        snprintf(out, size, "You did %d of %d step%s of %s%s. That took %s.", done, steps, steps == 1 ? "" : "s",
                 r->item->title, extra, took);
}

static void lay_out_done(Routine *r, App *app, float top, bool draw)
{
    const Layout *l = &app->layout;
    const Palette *p = &app->palette;
    float bw = l->unit * 15;
    float y = l->h - l->touch - l->unit * 1.5f;
    SDL_FRect again = {l->w / 2.0f - bw - l->unit, y, bw, l->touch};
    SDL_FRect home = {l->w / 2.0f + l->unit, y, bw, l->touch};
    hot_add(&r->hot, again, ID_AGAIN);
    hot_add(&r->hot, home, ID_HOME);
    if (!draw)
        return;
    float cy = top + (y - top) * 0.42f;
    float rad = l->unit * 5;
    bool all_done = session_record_completed(&r->record);
    if (all_done) {
        draw_fill_circle(app->renderer, l->w / 2.0f, cy, rad, p->accent);
        float t = l->unit * 0.9f;
        draw_line(app->renderer, l->w / 2.0f - rad * 0.45f, cy, l->w / 2.0f - rad * 0.1f, cy + rad * 0.35f, t, p->accent_text);
        draw_line(app->renderer, l->w / 2.0f - rad * 0.1f, cy + rad * 0.35f, l->w / 2.0f + rad * 0.5f, cy - rad * 0.35f, t,
                  p->accent_text);
    } else {
        /* Not a tick: a ring filled as far as the steps really done, so the picture says no more than the words. */
        float share = r->item->step_count ? (float)session_record_count(&r->record, OUTCOME_DONE) / (float)r->item->step_count : 0;
        draw_arc(app->renderer, l->w / 2.0f, cy, rad * 0.85f, rad * 0.3f, 0.0f, 1.0f, p->accent_soft);
        if (share > 0)
            draw_arc(app->renderer, l->w / 2.0f, cy, rad * 0.85f, rad * 0.3f, 0.0f, share, p->accent);
    }
    TextStyle h = ui_text_style(app, l->title_px, WEIGHT_BOLD, p->text);
    h.align = ALIGN_CENTER;
    TextMetrics m = text_draw(app->text, all_done ? "Well done" : "You reached the end", &h, (int)l->margin,
                              (int)(cy + rad + l->unit * 1.5f), (int)(l->w - 2 * l->margin));
    char line[400];
    done_summary(r, line, sizeof line);
    TextStyle b = ui_text_style(app, l->text_px, WEIGHT_REGULAR, p->muted);
    b.align = ALIGN_CENTER;
    b.max_lines = 3;
    text_draw(app->text, line, &b, (int)l->margin, (int)(cy + rad + l->unit * 2 + m.height), (int)(l->w - 2 * l->margin));
    ui_button(app, &r->hot, ID_AGAIN, again, NULL, "Do it again", BUTTON_SECONDARY);
    ui_button(app, &r->hot, ID_HOME, home, NULL, "Home", BUTTON_PRIMARY);
}

static void lay_out_playing(Routine *r, App *app, float top, bool draw)
{
    const Layout *l = &app->layout;
    const Palette *p = &app->palette;
    const RoutineState *s = &r->state;
    /* Controls: back, pause, skip, restart, sound; in one row when their labels fit, else in two
     * (a narrow portrait screen), so no label is ever cut short. */
    const int ids[5] = {ID_BACK, ID_PAUSE, ID_SKIP, ID_RESTART, ID_SOUND};
    const char *labels[5] = {"Back", r->player.paused ? "Resume" : "Pause", "Skip", "Restart",
                             app->muted ? "Unmute" : "Mute"}; /* what pressing it does */
    int count = 5;
    float gap = l->unit;
    float avail = l->w - 2 * l->margin;
    TextStyle label_style = ui_text_style(app, l->text_px, WEIGHT_BOLD, p->text);
    float widest = 0;
    for (int i = 0; i < count; i++) {
        float lw = (float)text_measure(app->text, labels[i], &label_style, l->w).width;
        widest = lw > widest ? lw : widest;
    }
    /* As many per row as fit with every label whole: 5, then 4, 3, 2, 1. */
    float needed = widest + l->unit * 2;
    int per_row = count;
    while (per_row > 1 && (avail - gap * (per_row - 1)) / per_row < needed)
        per_row--;
    int rows = (count + per_row - 1) / per_row;
    float bw = (avail - gap * (per_row - 1)) / per_row;
    float cap = l->unit * 14 > needed ? l->unit * 14 : needed;
    if (bw > cap)
        bw = cap;
    float controls_h = rows * l->touch + (rows - 1) * gap + l->unit * 2;
    float cy = l->h - controls_h + l->unit;
    SDL_FRect rects[5];
    for (int i = 0; i < count; i++) {
        int row = i / per_row, col = i % per_row;
        int in_row = row == rows - 1 ? count - row * per_row : per_row;
        float x = (l->w - (bw * in_row + gap * (in_row - 1))) / 2;
        rects[i] = (SDL_FRect){x + col * (bw + gap), cy + row * (l->touch + gap), bw, l->touch};
        hot_add(&r->hot, rects[i], ids[i]);
    }
    float bar_top = top;
    top += l->unit * 0.45f;
    SDL_FRect area = {l->margin, top + l->unit, l->w - 2 * l->margin, cy - top - l->unit * 2};
    SDL_FRect visual, info;
    if (l->portrait) {
        visual = (SDL_FRect){area.x, area.y, area.w, area.h * 0.5f};
        info = (SDL_FRect){area.x, area.y + area.h * 0.5f + l->unit, area.w, area.h * 0.5f - l->unit};
    } else {
        visual = (SDL_FRect){area.x, area.y, area.w * 0.48f, area.h};
        info = (SDL_FRect){area.x + area.w * 0.48f + l->unit * 2.5f, area.y, area.w * 0.52f - l->unit * 2.5f, area.h};
    }
    r->visual = visual;
    if (!draw)
        return;
    draw_progress(app, r, bar_top);
    const PackStep *step = s->step >= 0 ? &r->item->steps[s->step] : NULL;

    /* The visual: the pacer, the current pose, or for rests and get-ready the step that comes next. */
    if (s->kind == SEG_BREATH) {
        draw_pacer(app, r, visual);
    } else {
        const PackPicture *pose = current_pose(r);
        if (pose)
            ui_picture(app, pose, visual);
        else
            ui_icon(app, s->kind == SEG_WORK || s->kind == SEG_HOLD ? "stretch" : "clock",
                    (SDL_FRect){visual.x + visual.w * 0.25f, visual.y + visual.h * 0.25f, visual.w * 0.5f, visual.h * 0.5f},
                    draw_mix(p->accent, p->background, 0.3f));
    }

    /* The words. */
    PlayingWords words;
    playing_words(r, &words);
    const char *kicker = words.kicker, *big = words.big, *big_label = words.big_label, *line = words.line;
    const char *name = words.name, *instruction = words.instruction;
    r->shown_words = words;
    r->shown_pose = current_pose(r);
    float y = info.y;
    TextStyle k = ui_text_style(app, l->text_px, WEIGHT_BOLD, p->accent);
    k.max_lines = 2;
    if (s->kind == SEG_BREATH)
        k = ui_text_style(app, l->title_px, WEIGHT_BOLD, p->accent), k.max_lines = 1;
    y += text_draw(app->text, kicker, &k, (int)info.x, (int)y, (int)info.w).height + l->unit * 0.4f;
    if (name) {
        TextStyle n = ui_text_style(app, l->heading_px, WEIGHT_BOLD, p->text);
        n.max_lines = 2;
        y += text_draw(app->text, name, &n, (int)info.x, (int)y, (int)info.w).height + l->unit * 0.6f;
    }
    if (s->kind != SEG_BREATH || app->reduced_motion || true) {
        TextStyle b = ui_text_style(app, s->kind == SEG_BREATH ? l->title_px : l->huge_px, WEIGHT_BOLD, p->text);
        b.max_lines = 1;
        if (b.px > info.h * 0.26f) /* at large text sizes the countdown gives way to the words */
            b.px = (int)(info.h * 0.26f);
        TextMetrics bm = big[0] ? text_draw(app->text, big, &b, (int)info.x, (int)y, (int)info.w) : (TextMetrics){0};
        r->digits = (ShownText){b, {info.x, y, (float)bm.width, (float)bm.height}, (int)info.w};
        TextStyle bl = ui_text_style(app, l->text_px, WEIGHT_REGULAR, p->muted);
        bl.max_lines = 1;
        if (big[0])
            text_draw(app->text, big_label, &bl, (int)(info.x + bm.width + l->unit),
                      (int)(y + bm.height - text_line_height(app->text, &bl) * 1.4f), (int)(info.w - bm.width - l->unit));
        else
            bm.height = text_draw(app->text, big_label, &bl, (int)info.x, (int)y, (int)info.w).height;
        y += bm.height + l->unit * 0.4f;
    }
    if (line[0]) {
        TextStyle ln = ui_text_style(app, l->text_px, WEIGHT_BOLD, p->text);
        int lh = text_line_height(app->text, &ln);
        ln.max_lines = (int)((info.y + info.h - y) / (float)(lh > 0 ? lh : 1));
        if (ln.max_lines > 2)
            ln.max_lines = 2;
        if (ln.max_lines > 0)
            y += text_draw(app->text, line, &ln, (int)info.x, (int)y, (int)info.w).height + l->unit * 0.6f;
    }
    /* A breathing step's picture shows how to sit or lie; the pacer has the big pane, so it goes
     * small under the words. */
    if (s->kind == SEG_BREATH && step->picture_count > 0 && info.y + info.h - y > l->unit * 7) {
        float h = info.y + info.h - y - l->unit;
        if (h > l->unit * 14)
            h = l->unit * 14;
        float w = h * 1.34f < info.w ? h * 1.34f : info.w;
        ui_picture(app, &step->pictures[0], (SDL_FRect){info.x, y + l->unit * 0.5f, w, h});
        instruction = NULL; /* its words were shown before the step began; the picture says it now */
    }
    if (instruction && y < info.y + info.h) {
        TextStyle in = ui_text_style(app, l->text_px, WEIGHT_REGULAR, p->text);
        int lh = text_line_height(app->text, &in);
        in.max_lines = (int)((info.y + info.h - y) / (float)(lh > 0 ? lh : 1));
        if (in.max_lines > 0)
            text_draw(app->text, instruction, &in, (int)info.x, (int)y, (int)info.w);
    }
    if (r->player.paused) {
        TextStyle ps = ui_text_style(app, l->text_px, WEIGHT_BOLD, p->accent_text);
        ps.max_lines = 1;
        TextMetrics pm = text_measure(app->text, "Paused", &ps, 400);
        SDL_FRect badge = {visual.x + visual.w / 2 - pm.width / 2.0f - l->unit, visual.y + l->unit,
                           pm.width + l->unit * 2, (float)pm.height + l->unit};
        draw_fill_rounded(app->renderer, badge, badge.h / 2, p->text);
        text_draw(app->text, "Paused", &ps, (int)(badge.x + l->unit), (int)(badge.y + l->unit / 2), pm.width + 1);
    }
    for (int i = 0; i < count; i++)
        ui_button(app, &r->hot, ids[i], rects[i], NULL, labels[i], ids[i] == ID_PAUSE ? BUTTON_PRIMARY : BUTTON_SECONDARY);
}

static SDL_Rect whole_pixels(SDL_FRect f)
{
    int x = (int)SDL_floorf(f.x), y = (int)SDL_floorf(f.y);
    return (SDL_Rect){x, y, (int)SDL_ceilf(f.x + f.w) - x, (int)SDL_ceilf(f.y + f.h) - y};
}

static bool mask_meets(const DrawMask *m, SDL_Rect box)
{
    bool meets = false;
    for (int y = box.y; y < box.y + box.h && !meets; y++) {
        int row = y - m->y0;
        for (int i = 0; row >= 0 && row < m->rows && i < m->count[row]; i++)
            meets = meets || (m->span[row][i][0] < box.x + box.w && m->span[row][i][1] > box.x);
    }
    return meets;
}

/* A pacer frame changes only where an edge moved: the shape's rim and its core's edge, each between
 * its last and its new radius, the progress arc between its last and new end, and the seconds when
 * they changed (or when a moving edge crosses their box). The mask takes every pixel whose square
 * meets those rings; a pixel and a half more covers the soft edges (half a pixel each side) and
 * the drawing moment differing from this one by a few milliseconds. */
static void ask_pacer_part(Routine *r, App *app, bool seconds_changed)
{
    const float margin = 1.5f;
    SDL_FRect pane = r->visual;
    float cx = pane.x + pane.w / 2, cy = pane.y + pane.h / 2;
    float rmax = pacer_max_radius(pane), unit = app->layout.unit;
    float now = pacer_radius(rmax, r->state.breath_fullness), was = r->shown_pacer_radius;
    float lo = fminf(now, was), hi = fmaxf(now, was);
    SDL_FRect b = r->pacer_box; /* the region as app_set_dirty_region rounds it */
    DrawMask *m = &r->pacer_mask;
    draw_mask_clear(m, (SDL_Rect){(int)b.x - 2, (int)b.y - 2, (int)b.w + 5, (int)b.h + 5});
    if (lo != hi) {
        draw_mask_add_ring(m, cx, cy, lo * 0.92f - margin, hi * 0.92f + margin, 0.0f, 0.0f);
        draw_mask_add_ring(m, cx, cy, lo - margin, hi + margin, 0.0f, 0.0f);
    }
    float p0 = r->shown_progress, p1 = r->state.segment_progress;
    if (p0 != p1) {
        float inner = rmax - unit * 0.55f - margin, outer = rmax - unit * 0.05f + margin;
        float turns = margin / (2.0f * 3.14159265f * inner);
        draw_mask_add_ring(m, cx, cy, inner, outer, fminf(p0, p1) - turns, fmaxf(p0, p1) + turns);
    }
    char number[32];
    format_clock(seconds_left(r->state.segment_remaining_ms), number, sizeof number);
    TextStyle big = ui_text_style(app, app->layout.huge_px, WEIGHT_BOLD, app->palette.text);
    big.align = ALIGN_CENTER;
    big.max_lines = 1;
    SDL_Rect at, digits = pacer_digits_box(r, app, number, &big, &at);
    r->pacer_digits_masked = seconds_changed || mask_meets(m, digits) || mask_meets(m, r->shown_pacer_digits);
    if (r->pacer_digits_masked) {
        draw_mask_add_rect(m, digits);
        draw_mask_add_rect(m, r->shown_pacer_digits);
    }
    /* The info pane's own countdown is drawn without regard to a mask: never let the two meet. */
    SDL_Rect words = whole_pixels(r->digits.box), box = whole_pixels(r->pacer_box);
    if (r->digits.box.w > 0 && SDL_HasIntersection(&words, &box))
        app_set_dirty_region(app, r->pacer_box);
    else
        app_set_dirty_mask(app, r->pacer_box, m);
}

/* Asks for what must be redrawn: the whole screen when the segment, the words or the picture changed;
 * otherwise only the breathing shape when it moved or its seconds changed, or only the countdown's
 * digits when they changed (and still fill the same box, so nothing beside them moves). */
static void ask_for_redraw(Routine *r, App *app)
{
    int64_t seconds = seconds_left(r->state.segment_remaining_ms);
    PlayingWords words;
    playing_words(r, &words);
    bool moved = is_breathing(r) && !app->reduced_motion && abs(pacer_radius_px(r, app) - r->shown_radius) >= PACER_STEP_PX;
    if (r->state.segment != r->shown_segment || r->player.paused != r->shown_paused ||
        !same_words_but_digits(&words, &r->shown_words) || current_pose(r) != r->shown_pose) {
        app_set_dirty(app);
    } else if (is_breathing(r)) {
        if ((moved || seconds != r->shown_seconds) && !app->reduced_motion)
            ask_pacer_part(r, app, seconds != r->shown_seconds);
        else if (moved || seconds != r->shown_seconds)
            app_set_dirty_region(app, r->pacer_box);
    } else if (strcmp(words.big, r->shown_words.big) != 0) {
        TextMetrics m = text_measure(app->text, words.big, &r->digits.style, r->digits.room);
        if ((float)m.width == r->digits.box.w && (float)m.height == r->digits.box.h)
            app_set_dirty_region(app, r->digits.box);
        else
            app_set_dirty(app);
    }
}

static void routine_update(Screen *screen, App *app, int64_t now)
{
    Routine *r = (Routine *)screen;
    /* Sound runs while playing, and a moment after the end for the last chime; muted, the device is
     * closed, since an open one wakes its thread for every buffer even when silent. */
    if (app->audio)
        audio_set_active(app->audio, !app->muted && ((r->stage == STAGE_PLAYING && !r->player.paused) ||
                                                     (r->stage == STAGE_DONE && now - r->done_at < 2000)));
    if (r->stage != STAGE_PLAYING)
        return;
    play_cues(r, app);
    refresh_state(r, app);
    track_progress(r);
    if (r->state.finished) {
        r->stage = STAGE_DONE;
        r->done_at = now;
        record_progress(r);
        app_set_dirty(app);
        return;
    }
    ask_for_redraw(r, app);
}

static void lay_out(Routine *r, App *app, bool draw)
{
    hot_clear(&r->hot);
    float top = chrome_top_bar(app, &r->hot, ID_LEAVE, r->stage == STAGE_PLAYING ? "Leave" : "Home", r->item->title, draw);
    chrome_star(app, &r->hot, ID_STAR, r->item, draw);
    if (r->stage == STAGE_CARD)
        lay_out_card(r, app, top, draw);
    else if (r->stage == STAGE_DONE)
        lay_out_done(r, app, top, draw);
    else
        lay_out_playing(r, app, top, draw);
    if (draw) {
        r->shown_segment = r->state.segment;
        r->shown_seconds = seconds_left(r->state.segment_remaining_ms);
        r->shown_radius = pacer_radius_px(r, app);
        r->shown_paused = r->player.paused;
    }
}

/* ---- input -------------------------------------------------------------------------------------- */

static void leave_now(App *app, void *context)
{
    (void)context;
    app_pop(app); /* the routine itself: the question has already closed */
}

static void ask_to_leave(Routine *r, App *app)
{
    if (r->stage != STAGE_PLAYING) {
        app_pop(app);
        return;
    }
    before_jump(r, app); /* the time played up to the question counts, even if the answer is Leave */
    if (!r->player.paused) {
        player_pause(&r->player, app_now(app));
        r->paused_for_question = true;
        if (app->audio)
            audio_cancel(app->audio);
    }
    app_push(app, confirm_screen_create(app, "Leave this routine?", "You can start it again at any time.", "Leave",
                                        "Keep going", leave_now, r));
}

static void restart_now(App *app, void *context)
{
    Routine *r = context;
    int64_t now = app_now(app);
    before_jump(r, app);
    player_restart(&r->player, now);
    after_jump(r, app);
    if (app->audio)
        audio_cancel(app->audio);
    play_cues(r, app);
    refresh_state(r, app);
    app_set_dirty(app);
}

/* Restart sits beside Skip: one stray tap must not throw the session's place away. */
static void ask_to_restart(Routine *r, App *app)
{
    before_jump(r, app);
    if (!r->player.paused) {
        player_pause(&r->player, app_now(app));
        r->paused_for_question = true;
        if (app->audio)
            audio_cancel(app->audio);
    }
    app_push(app, confirm_screen_create(app, "Start again from the beginning?",
                                        "What you have done so far stays in your history.", "Start again", "Keep going",
                                        restart_now, r));
}

static void control(Routine *r, App *app, int id)
{
    int64_t now = app_now(app);
    switch (id) {
    case ID_LEAVE: ask_to_leave(r, app); return;
    case ID_START: start_playing(r, app, -1); return;
    case ID_BACK:
        before_jump(r, app);
        player_back(&r->player, now);
        after_jump(r, app);
        break;
    case ID_SKIP:
        before_jump(r, app);
        player_skip(&r->player, now);
        after_jump(r, app);
        break;
    case ID_RESTART: ask_to_restart(r, app); return;
    case ID_PAUSE: player_toggle_pause(&r->player, now); break;
    case ID_SOUND:
        app->muted = !app->muted;
        app_apply_settings(app); /* the one way a setting changes: applied and kept for next time */
        break;
    case ID_AGAIN: start_playing(r, app, -1); return;
    case ID_HOME: app_pop(app); return;
    default: return;
    }
    if (app->audio && (id == ID_BACK || id == ID_SKIP || id == ID_RESTART || id == ID_PAUSE))
        audio_cancel(app->audio);
    play_cues(r, app);
    refresh_state(r, app);
    track_progress(r);
    if (r->state.finished) {
        r->stage = STAGE_DONE;
        record_progress(r);
    }
    app_set_dirty(app);
}

/* Drags, the wheel and the keys scroll the safety points when they do not fit; the tap that ends a
 * scrolling drag presses nothing. True when the input was taken. */
static bool card_scroll_input(Routine *r, App *app, const Input *input)
{
    Scroller *s = &r->card_scroll;
    if (input->type == INPUT_PRESS)
        r->tap_is_scroll = false;
    if (s->content_h <= s->view_h + 0.5f)
        return false;
    if (input->type == INPUT_KEY && (input->key == KEY_DOWN || input->key == KEY_UP)) {
        float before = s->offset;
        s->offset += (input->key == KEY_DOWN ? 1.0f : -1.0f) * (float)r->card_px * 3.0f;
        scroller_clamp(s);
        app_set_dirty(app);
        return s->offset != before; /* at either end the key moves the focus as usual */
    }
    if (scroller_input(s, app, input)) {
        r->tap_is_scroll = r->tap_is_scroll || input->type == INPUT_DRAG;
        return true;
    }
    return input->type == INPUT_TAP && r->tap_is_scroll;
}

static void routine_input(Screen *screen, App *app, const Input *input)
{
    Routine *r = (Routine *)screen;
    lay_out(r, app, false);
    if (input->type == INPUT_KEY) {
        switch (input->key) {
        case KEY_BACK: ask_to_leave(r, app); return;
        case KEY_PAUSE:
            if (r->stage == STAGE_PLAYING)
                control(r, app, ID_PAUSE);
            else if (r->stage == STAGE_CARD)
                control(r, app, ID_START);
            return;
        case KEY_MUTE: control(r, app, ID_SOUND); return;
        case KEY_LEFT:
        case KEY_RIGHT:
            if (r->stage == STAGE_PLAYING && !r->hot.show_focus) {
                control(r, app, input->key == KEY_LEFT ? ID_BACK : ID_SKIP);
                return;
            }
            break;
        default: break;
        }
    }
    if (r->stage == STAGE_CARD && card_scroll_input(r, app, input))
        return;
    if (input->type == INPUT_SWIPE && r->stage == STAGE_PLAYING) {
        control(r, app, input->dx < 0 ? ID_SKIP : ID_BACK);
        return;
    }
    int id = hot_handle(&r->hot, app, input);
    if (chrome_star_toggle(app, ID_STAR, id, r->item))
        return;
    if (id >= 0)
        control(r, app, id);
}

static void routine_enter(Screen *screen, App *app)
{
    Routine *r = (Routine *)screen;
    if (r->paused_for_question) {
        /* Back from the leave question with "Keep going". */
        r->paused_for_question = false;
        player_resume(&r->player, app_now(app));
        play_cues(r, app);
    }
    refresh_state(r, app);
    app_set_dirty(app);
}


/* A partial frame: only the breathing shape and the countdown's digits ever ask for one (see
 * ask_for_redraw), and nothing else lies in their boxes, so only what meets the region is drawn. */
static void draw_changed_part(Routine *r, App *app, const SDL_Rect *region)
{
    SDL_Rect box = whole_pixels(r->pacer_box);
    if (is_breathing(r) && SDL_HasIntersection(region, &box))
        draw_pacer(app, r, r->visual);
    PlayingWords words;
    playing_words(r, &words);
    box = whole_pixels(r->digits.box);
    if (words.big[0] && SDL_HasIntersection(region, &box))
        text_draw(app->text, words.big, &r->digits.style, (int)r->digits.box.x, (int)r->digits.box.y, r->digits.room);
    memcpy(r->shown_words.big, words.big, sizeof words.big);
    r->shown_seconds = seconds_left(r->state.segment_remaining_ms);
    r->shown_radius = pacer_radius_px(r, app);
}

static void routine_draw(Screen *screen, App *app)
{
    Routine *r = (Routine *)screen;
    const SDL_Rect *part = app_redraw_region(app);
    if (r->stage == STAGE_PLAYING)
        refresh_state(r, app);
    if (part && r->stage == STAGE_PLAYING)
        draw_changed_part(r, app, part);
    else
        lay_out(r, app, true);
}

static void routine_describe(Screen *screen, App *app, char *out, size_t size)
{
    Routine *r = (Routine *)screen;
    if (r->stage == STAGE_CARD) {
        snprintf(out, size, "routine %s card text=%dpx points=%d showing=%d-%d%s", r->item->id, r->card_px,
                 r->item->caution_count, r->card_first_shown + 1, r->card_last_shown + 1,
                 r->card_scroll.content_h > r->card_scroll.view_h + 0.5f ? " scrolls" : "");
        return;
    }
    if (r->stage == STAGE_DONE) {
        const SessionRecord *rec = &r->record;
        snprintf(out, size, "routine %s done did %d/%d skipped %d cut short %d active %llds", r->item->id,
                 session_record_count(rec, OUTCOME_DONE), r->item->step_count, session_record_count(rec, OUTCOME_SKIPPED),
                 session_record_count(rec, OUTCOME_CUT_SHORT), (long long)(rec->active_ms / 1000));
        return;
    }
    refresh_state(r, app);
    const RoutineState *s = &r->state;
    static const char *const kinds[] = {"get-ready", "work", "hold", "set-rest", "switch-sides", "rest", "round-rest", "breath"};
    int n = snprintf(out, size, "routine %s step %d/%d %s", r->item->id, s->step + 1, r->item->step_count, kinds[s->kind]);
    if (n < 0 || (size_t)n >= size)
        return;
    if (s->kind == SEG_BREATH) {
        const PackStep *step = &r->item->steps[s->step];
        n += snprintf(out + n, size - (size_t)n, " %s cycle %d/%d", pack_breath_kind_name(step->phases[s->phase].kind),
                      s->cycle + 1, s->cycles);
    } else if (s->kind == SEG_WORK || s->kind == SEG_HOLD) {
        n += snprintf(out + n, size - (size_t)n, " set %d/%d rep %d/%d%s%s", s->set + 1, s->sets, s->rep + 1, s->reps,
                      s->side == SIDES_LEFT ? " left" : s->side == SIDES_RIGHT ? " right" : "", "");
    }
    if ((size_t)n < size)
        snprintf(out + n, size - (size_t)n, " left %llds%s%s", (long long)seconds_left(s->segment_remaining_ms),
                 r->player.paused ? " paused" : "", app->muted ? " muted" : "");
}

static void routine_destroy(Screen *screen)
{
    Routine *r = (Routine *)screen;
    if (r->stage == STAGE_PLAYING) {
        /* Left part way: the time up to now counts, and how far it got is kept. */
        session_record_played_to(&r->record, r->state.elapsed_ms);
        record_progress(r);
    }
    session_record_free(&r->record);
    if (r->audio) {
        audio_cancel(r->audio);
        audio_set_active(r->audio, false);
    }
    timeline_free(&r->timeline);
    free(r);
}

static const ScreenClass routine_class = {
    .enter = routine_enter,
    .input = routine_input,
    .update = routine_update,
    .draw = routine_draw,
    .next_deadline = routine_next_deadline,
    .describe = routine_describe,
    .destroy = routine_destroy,
    .name = "routine",
};

bool routine_screen_is_playing(const Screen *screen)
{
    if (!screen || screen->cls != &routine_class)
        return false;
    const Routine *r = (const Routine *)screen;
    return r->stage == STAGE_PLAYING && !r->player.paused;
}

Screen *routine_screen_create(App *app, const PackItem *item, int start_step, bool paused)
{
    Routine *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->base.cls = &routine_class;
    hot_init(&r->hot);
    r->item = item;
    r->audio = app->audio;
    r->history = app->history;
    r->shown_segment = -1;
    if (!timeline_build(&r->timeline, item)) {
        free(r);
        return NULL;
    }
    r->stage = STAGE_CARD;
    if (start_step >= 0) {
        start_playing(r, app, start_step < item->step_count ? start_step : item->step_count - 1);
        if (paused)
            player_pause(&r->player, app_now(app));
    }
    return &r->base;
}
