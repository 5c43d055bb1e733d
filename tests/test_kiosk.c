/* test_kiosk.c: staff access to a kiosk: the long press in the corner, wrong PINs and the lockout,
 * the right PIN, and staff mode locking itself again. Headless, on the simulated clock. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <time.h>

#include "app.h"
#include "check.h"
#include "kiosk.h"
#include "screens/screens.h"
#include "script.h"
#include "text_util.h"

static App *make_kiosk(const char *pin)
{
    static const char *const content[] = {"tests/packs/every-feature"};
    AppOptions options = {.content_dirs = content, .content_dir_count = 1, .language = "en", .width = 1280,
                          .height = 800, .headless = true, .kiosk = true};
    App *app = app_create(&options);
    CHECK(app != NULL);
    if (!app)
        return NULL;
    KioskSettings settings;
    kiosk_settings_defaults(&settings);
    settings.lockout_attempts = 3;
    settings.lockout_s = 60;
    settings.relock_s = 30;
    char hash[KIOSK_PIN_HASH_MAX];
    if (pin && kiosk_pin_hash(pin, hash, sizeof hash))
        settings.pin_hash = text_dup(hash);
    kiosk_start(app, &settings, "test-settings.json");
    kiosk_settings_free(&settings);
    return app;
}

static const char *top_name(App *app)
{
    Screen *top = app_top(app);
    return top ? top->cls->name : "";
}

static void mouse(App *app, Uint32 type, int x, int y)
{
    SDL_Event e = {0};
    e.type = type;
    e.button.button = SDL_BUTTON_LEFT;
    e.button.x = x;
    e.button.y = y;
    app_handle_sdl_event(app, &e);
}

static void key(App *app, SDL_Keycode sym)
{
    SDL_Event e = {0};
    e.type = SDL_KEYDOWN;
    e.key.state = SDL_PRESSED;
    e.key.keysym.sym = sym;
    app_handle_sdl_event(app, &e);
}

static const char *described(App *app)
{
    static char out[512];
    Screen *top = app_top(app);
    out[0] = '\0';
    if (top && top->cls->describe)
        top->cls->describe(top, app, out, sizeof out);
    return out;
}

static void type_pin(App *app, const char *digits)
{
    for (const char *d = digits; *d; d++)
        key(app, *d == '0' ? SDLK_KP_0 : SDLK_0 + (*d - '0'));
}

static void the_pin_pad_should_take_a_keyboard_and_count_a_lockout_down(void)
{
    App *app = make_kiosk("2468");
    if (!app)
        return;
    app_push(app, pin_screen_create(app));
    type_pin(app, "247");
    CHECK_STR(described(app), "staff-pin digits=3 ");
    key(app, SDLK_BACKSPACE); /* deletes the 7, and the pad stays */
    CHECK_STR(described(app), "staff-pin digits=2 ");
    for (int i = 0; i < 3; i++) {
        type_pin(app, "1111");
        key(app, SDLK_RETURN);
    }
    CHECK_STR(described(app), "staff-pin digits=0 Too many wrong PINs. Try again in 60 seconds.");
    script_wait(app, 32000);
    CHECK_STR(described(app), "staff-pin digits=0 Too many wrong PINs. Try again in 28 seconds.");
    type_pin(app, "2468"); /* not taken while locked */
    CHECK_STR(described(app), "staff-pin digits=0 Too many wrong PINs. Try again in 28 seconds.");
    script_wait(app, 29000);
    CHECK_STR(described(app), "staff-pin digits=0 ");
    type_pin(app, "2468");
    key(app, SDLK_KP_ENTER);
    CHECK_STR(top_name(app), "staff");
    /* "Leave kiosk mode" asks first, and its default answer keeps the kiosk running. */
    for (int i = 0; i < 3; i++)
        key(app, SDLK_TAB);
    key(app, SDLK_RETURN);
    CHECK_STR(described(app), "confirm Leave kiosk mode?");
    app->running = true; /* as in app_run, to see that it stays so */
    key(app, SDLK_RETURN); /* the first press shows where the focus is: on "Stay in kiosk mode" */
    key(app, SDLK_RETURN);
    CHECK_STR(top_name(app), "staff");
    CHECK(app->running);
    app_destroy(app);
}

static void a_long_press_in_the_corner_should_open_the_pin_pad(void)
{
    App *app = make_kiosk("2468");
    if (!app)
        return;
    mouse(app, SDL_MOUSEBUTTONDOWN, 6, 6);
    script_wait(app, 1000);
    mouse(app, SDL_MOUSEBUTTONUP, 6, 6); /* a short press does nothing */
    script_wait(app, 100);
    CHECK_STR(top_name(app), "home");
    mouse(app, SDL_MOUSEBUTTONDOWN, 6, 6);
    script_wait(app, KIOSK_CORNER_HOLD_MS + 50);
    CHECK_STR(top_name(app), "staff-pin");
    mouse(app, SDL_MOUSEBUTTONUP, 6, 6);
    /* A long press elsewhere does not. */
    app_pop_to_root(app);
    mouse(app, SDL_MOUSEBUTTONDOWN, 640, 400);
    script_wait(app, KIOSK_CORNER_HOLD_MS + 500);
    mouse(app, SDL_MOUSEBUTTONUP, 640, 400);
    CHECK(strcmp(top_name(app), "staff-pin") != 0);
    app_destroy(app);
}

static void wrong_pins_should_lock_staff_access_for_a_while(void)
{
    App *app = make_kiosk("2468");
    if (!app)
        return;
    char why[160];
    int64_t now = app_now(app);
    CHECK(!kiosk_try_pin(app, "1111", now));
    CHECK(!kiosk_try_pin(app, "2222", now));
    CHECK(kiosk_pin_allowed(app, now, why, sizeof why));
    CHECK(!kiosk_try_pin(app, "3333", now)); /* the third wrong PIN locks */
    CHECK(!kiosk_pin_allowed(app, now, why, sizeof why));
    CHECK(strstr(why, "Too many wrong PINs") != NULL);
    CHECK(!kiosk_try_pin(app, "2468", now + 1000)); /* even the right one, while locked */
    CHECK(!app->kiosk->staff);
    CHECK(kiosk_try_pin(app, "2468", now + 61000)); /* after the lockout */
    CHECK(app->kiosk->staff);
    app_destroy(app);
}

static void staff_mode_should_lock_again_after_inactivity(void)
{
    App *app = make_kiosk("2468");
    if (!app)
        return;
    CHECK(kiosk_try_pin(app, "2468", app_now(app)));
    app_push(app, staff_screen_create(app));
    CHECK_STR(top_name(app), "staff");
    script_wait(app, 29000);
    CHECK_STR(top_name(app), "staff");
    script_wait(app, 2000);
    CHECK(!app->kiosk->staff);
    CHECK_STR(top_name(app), "home");
    app_destroy(app);
}

static void without_a_pin_staff_access_should_be_refused(void)
{
    App *app = make_kiosk(NULL);
    if (!app)
        return;
    char why[160];
    CHECK(!kiosk_pin_allowed(app, app_now(app), why, sizeof why));
    CHECK(strstr(why, "--set-pin") != NULL);
    CHECK(!kiosk_try_pin(app, "0000", app_now(app)));
    app_destroy(app);
}

static void an_idle_reset_should_forget_the_visitor(void)
{
    App *app = make_kiosk("2468");
    if (!app)
        return;
    app->notice_dismissed = true;
    app->muted = true;
    CHECK(script_open(app, "your-spine:2"));
    kiosk_reset(app);
    CHECK_STR(top_name(app), "attract");
    CHECK(!app->notice_dismissed);
    CHECK(!app->muted);
    CHECK_INT(app->depth, 2); /* home, and the attract loop over it */
    app_destroy(app);
}

static int dark_pixels(App *app)
{
    app_set_dirty(app);
    app_update_and_draw(app);
    SDL_RenderFlush(app->renderer);
    int dark = 0;
    for (int y = 0; y < app->surface->h; y += 8)
        for (int x = 0; x < app->surface->w; x += 8) {
            Uint8 r, g, b;
            Uint32 v = ((Uint32 *)((Uint8 *)app->surface->pixels + y * app->surface->pitch))[x];
            SDL_GetRGB(v, app->surface->format, &r, &g, &b);
            dark += r < 60 && g < 60 && b < 70;
        }
    return dark;
}

static void at_night_the_screen_should_blank_until_touched(void)
{
    App *app = make_kiosk("2468");
    if (!app)
        return;
    int total = (app->surface->w / 8 + 1) * (app->surface->h / 8 + 1);
    int day = dark_pixels(app);
    CHECK(day < total / 4);
    time_t t = time(NULL);
    struct tm local;
    localtime_r(&t, &local);
    int now_min = local.tm_hour * 60 + local.tm_min;
    app->kiosk->settings.night_mode = NIGHT_BLANK;
    app->kiosk->settings.night_start_min = (now_min + 1440 - 5) % 1440; /* a window around now */
    app->kiosk->settings.night_end_min = (now_min + 60) % 1440;
    CHECK(dark_pixels(app) > total * 95 / 100);
    CHECK(app_next_deadline(app) != APP_NO_DEADLINE); /* it will wake for the morning */
    mouse(app, SDL_MOUSEBUTTONDOWN, 400, 300);
    mouse(app, SDL_MOUSEBUTTONUP, 400, 300);
    CHECK_STR(top_name(app), "home"); /* the waking touch opened nothing */
    CHECK(dark_pixels(app) < total / 4);
    app_destroy(app);
}

int main(void)
{
    RUN(a_long_press_in_the_corner_should_open_the_pin_pad);
    RUN(wrong_pins_should_lock_staff_access_for_a_while);
    RUN(the_pin_pad_should_take_a_keyboard_and_count_a_lockout_down);
    RUN(staff_mode_should_lock_again_after_inactivity);
    RUN(without_a_pin_staff_access_should_be_refused);
    RUN(an_idle_reset_should_forget_the_visitor);
    RUN(at_night_the_screen_should_blank_until_touched);
    return CHECK_SUMMARY();
}
