/* app.h: the running app: window or headless surface, content, services and the screen stack.
 *
 * One App drives every mode: the real window, `--screenshot` and `--script` (both headless, drawing
 * with a software renderer into a surface, on a simulated clock). Screens sit on a stack; input goes
 * to the top screen only. Nothing is redrawn unless a screen marked the app dirty, and the loop sleeps
 * in SDL_WaitEventTimeout until the earliest deadline any screen asked for, so a still screen costs no
 * CPU. Time always comes from app_now(), never from counting frames.
 */
#ifndef BA_APP_H
#define BA_APP_H

#include <stdbool.h>
#include <stdint.h>

#include <SDL.h>

#include "audio.h"
#include "content_watch.h"
#include "gpu_probe.h"
#include "history.h"
#include "library.h"
#include "ui/pictures.h"
#include "ui/text.h"

#define APP_MAX_SCREENS 8
#define APP_NO_DEADLINE INT64_MAX
#define APP_TEXT_STEPS 4
extern const float app_text_scales[APP_TEXT_STEPS];
extern const char *const app_text_size_names[APP_TEXT_STEPS];

typedef struct App App;
typedef struct Screen Screen;
typedef struct Kiosk Kiosk;

/* Input after touch, mouse and keyboard have been reduced to what screens care about. */
typedef enum {
    INPUT_PRESS,    /* finger or button down at (x, y): show pressed feedback */
    INPUT_DRAG,     /* moved while pressed, (dx, dy) since the press */
    INPUT_TAP,      /* released near where it was pressed */
    INPUT_SWIPE,    /* released after a fast horizontal move; dx < 0 is a swipe to the left */
    INPUT_RELEASE,  /* released after a drag that was not a swipe */
    INPUT_SCROLL,   /* mouse wheel; dy > 0 scrolls content up (towards the start) */
    INPUT_KEY       /* a keyboard action */
} InputType;

typedef enum {
    KEY_NONE,
    KEY_LEFT,
    KEY_RIGHT,
    KEY_UP,
    KEY_DOWN,
    KEY_ACTIVATE, /* Enter */
    KEY_BACK,     /* Escape or Backspace */
    KEY_PAUSE,    /* Space */
    KEY_MUTE,     /* M */
    KEY_HOME,     /* Home */
    KEY_END,
    KEY_PAGE_UP,
    KEY_PAGE_DOWN,
    KEY_TAB,
    KEY_SHIFT_TAB,
    KEY_DIGIT     /* 0-9 on the main keys or the keypad; Input.digit says which */
} KeyAction;

typedef struct {
    InputType type;
    float x, y;   /* pixels in the output */
    float dx, dy;
    KeyAction key;
    int digit;    /* with KEY_DIGIT */
    bool erase;   /* with KEY_BACK: it was Backspace, which a PIN pad takes as "delete a digit" */
} Input;

typedef struct {
    void (*enter)(Screen *screen, App *app);
    void (*input)(Screen *screen, App *app, const Input *input);
    /* Advance to `now`; called before every draw and whenever the loop wakes. */
    void (*update)(Screen *screen, App *app, int64_t now);
    void (*draw)(Screen *screen, App *app);
    /* When this screen next changes by itself (a countdown, an animation), or APP_NO_DEADLINE. */
    int64_t (*next_deadline)(Screen *screen, App *app, int64_t now);
    /* A short description of what is shown, for scripted tests: "topic your-spine 2/3". */
    void (*describe)(Screen *screen, App *app, char *out, size_t size);
    void (*destroy)(Screen *screen);
    const char *name;
    bool overlay;   /* drawn over the screen below it (a question), which stays visible */
} ScreenClass;

struct Screen {
    const ScreenClass *cls;
};

/* Colours of the current theme, derived from the clinic pack's theme. */
typedef struct {
    SDL_Color background, surface, text, muted, accent, accent_text, accent_soft, line, danger, focus;
} Palette;

/* Sizes derived from the output size; every length on screen is a multiple of `unit`. */
typedef struct {
    int w, h;
    float unit;       /* about 1/45 of the shorter side, never below 9 px */
    bool portrait;
    int text_px, small_px, heading_px, title_px, huge_px;
    int min_text_px;  /* safety text is never set smaller: about 16 px at 96 dpi, scaled for high-DPI */
    float touch;      /* minimum touch target side, >= about 9 mm */
    float margin;
} Layout;

typedef struct {
    const char *const *content_dirs;
    int content_dir_count;
    const char *language; /* NULL: the system's preferred language */
    bool windowed, fullscreen;
    int width, height;    /* 0: default */
    bool headless;        /* draw into a surface (screenshot, script) */
    bool reduced_motion;
    bool muted;
    int text_size;        /* 1..4 from --text-size, 0: the patient's own setting */
    bool high_contrast;   /* --high-contrast */
    bool quit_after_first_frame; /* for the start-up benchmark */
    bool kiosk;           /* full screen, exits only by SIGTERM or staff (src/app/kiosk.h) */
    const char *data_dir; /* where history and settings are kept; NULL: the user's data folder
                             (none at all in a kiosk, or headless unless given) */
    int display;          /* which display to open on, counted from 0 */
    RendererChoice renderer; /* --renderer: auto (probe for a graphics card), software or gpu */
} AppOptions;

struct App {
    AppOptions options;
    SDL_Window *window;
    SDL_Renderer *renderer;
    SDL_Surface *surface;  /* headless target, or the window's own surface in surface mode */
    bool window_surface;   /* drawing in software straight into the window (no graphics card) */
    TextSystem *text;
    PictureCache *pictures;
    Audio *audio;
    char *icons_dir;
    Library *library;
    char language[32];
    const Pack **packs;               /* the selection for `language`, app_set_language's own array */
    int pack_count;
    const Pack *clinic_pack;          /* pack whose clinic and theme are used, or NULL */
    Palette palette;
    Layout layout;

    Screen *stack[APP_MAX_SCREENS];
    int depth;
    bool dirty;            /* everything must be redrawn */
    bool dirty_partial;    /* only dirty_rect must be redrawn */
    SDL_Rect dirty_rect;
    const struct DrawMask *dirty_mask; /* or only these pixels of it (app_set_dirty_mask) */
    bool redrawing_part;   /* set while a partial frame is drawn: only dirty_rect is on the way */
    bool running;
    bool simulated_clock;
    int64_t sim_now;
    int64_t wall_at_start;    /* unix seconds when the app started, for app_wall_time */
    bool notice_dismissed; /* the "general information" notice, once per visit */
    bool reduced_motion;
    bool muted;            /* sound cues off */
    int text_step;         /* text size: 0 standard .. APP_TEXT_STEPS - 1 largest */
    bool high_contrast;
    int volume;            /* sound cue volume, percent */
    Kiosk *kiosk;          /* kiosk mode, or NULL (src/app/kiosk.h) */
    bool kiosk_fresh;      /* just reset: nothing of the last visitor is on screen */
    int64_t watchdog_due;  /* when systemd's watchdog must next be fed (INT64_MAX: none) */
    ContentWatch *watch;   /* live content updates, or NULL (headless, or no inotify) */
    bool update_waiting;   /* a new version of the content is ready to swap in between screens */
    int content_generation; /* counts swaps, so screens know to rebuild */
    History *history;      /* the patient's history, favourites and settings, or NULL (kiosk) */
    char history_note[400]; /* said once on home when the store had to be started afresh */

    /* Pointer state for gestures. */
    bool input_from_mouse; /* the event being handled came from a real mouse, not a finger */
    bool pointer_down;
    float press_x, press_y;
    int64_t press_time;
    SDL_FingerID finger;
    bool finger_active;
};

/* Creates the app: loads content, opens the window (or the headless surface), fonts and audio.
 * Returns NULL after logging why. */
App *app_create(const AppOptions *options);
void app_destroy(App *app);

int64_t app_now(const App *app);
/* Wall-clock time (unix seconds) for the history: real, or moving with the simulated clock in scripts,
 * so a script can live through a week of use in seconds. */
int64_t app_wall_time(const App *app);
void app_set_dirty(App *app);
/* Only this part of the screen changed (an animation, a countdown's digits): when drawing in software
 * only this part is drawn and sent to the display; with a graphics card the whole frame is redrawn,
 * which costs it nothing. A screen that asks for a region must, while app_redraw_region gives it,
 * draw everything that lies in it; the app has already cleared it to the background. */
void app_set_dirty_region(App *app, SDL_FRect region);
/* The same when only the pixels of `mask` (inside region) changed, such as the rim of a growing disc:
 * in software only they are cleared, drawn and sent. The screen keeps the mask unchanged until it is
 * drawn and paints only with what keeps to a mask (ui/draw.h). Any other region asked for in the
 * same frame makes it an ordinary region. */
void app_set_dirty_mask(App *app, SDL_FRect region, const struct DrawMask *mask);
/* During a screen's draw: the part being redrawn, or NULL when the whole frame is. */
const SDL_Rect *app_redraw_region(const App *app);

/* Screen stack. app_push takes ownership of the screen. */
void app_push(App *app, Screen *screen);
void app_pop(App *app);
void app_pop_to_root(App *app);
/* Closes every screen, the root too, and makes `root` the new root (NULL: nothing changes). A kiosk
 * reset uses it so that nothing of the last visitor, not even how far home was scrolled, is kept. */
void app_replace_root(App *app, Screen *root);
Screen *app_top(App *app);

/* One pass of the loop for headless use: update the top screen and draw it if dirty. */
void app_update_and_draw(App *app);
/* Feeds one SDL event (real or scripted) to the app. */
void app_handle_sdl_event(App *app, const SDL_Event *event);
/* Runs until quit (real window). Returns the exit status. */
int app_run(App *app);

/* Saves what is on screen (headless surface or the window) as PNG. */
bool app_save_screenshot(App *app, const char *path);

/* Resizes the headless surface (or the window) to w x h and relays out. */
bool app_resize(App *app, int w, int h);

/* Re-chooses packs for a language ("" = system). */
void app_set_language(App *app, const char *language);

/* Applies the patient's settings (text size, contrast, motion, sound): relays out and redraws, and
 * saves them when the app keeps a store (not in a kiosk). */
void app_apply_settings(App *app);

/* "pack-id/item-id" for an item on screen; false when it is not in the selected packs. */
bool app_item_ref(const App *app, const PackItem *item, char *out, size_t size);

/* Finds an item by "item" or "pack-id/item" among the selected packs. */
const PackItem *app_find_item(const App *app, const char *ref, const Pack **pack_out);

/* Earliest deadline of the top screen. */
int64_t app_next_deadline(App *app);

#endif
