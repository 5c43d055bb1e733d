/* test_soak.c: weeks of kiosk life, compressed. On the simulated clock the kiosk opens topics and
 * routines, is left alone until it resets, and has its content updated again and again, alternating
 * good and broken versions through the real watcher. Afterwards memory, open files and the texture
 * caches must be where they were after the first rounds, and (in the sanitizer build) nothing leaks.
 * Bounded: a fixed number of rounds, so it takes seconds, not weeks. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "check.h"
#include "kiosk.h"
#include "script.h"

#define ROUNDS 48

static char root[64];

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    char buf[8192];
    size_t n;
    while (in && out && (n = fread(buf, 1, sizeof buf, in)) > 0)
        fwrite(buf, 1, n, out);
    if (in)
        fclose(in);
    if (out)
        fclose(out);
}

static long resident_kib(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static int open_files(void)
{
    int n = 0;
    DIR *d = opendir("/proc/self/fd");
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

/* Writes a good or a broken version of the desk pack, and waits (real time) for the watcher. */
static bool update_content(App *app, bool broken, int version)
{
    char path[128], text[1024];
    snprintf(path, sizeof path, "%s/desk/pack.json", root);
    if (broken)
        snprintf(text, sizeof text, "{ \"format\": 1, \"id\": \"desk-basics\", ");
    else
        snprintf(text, sizeof text,
                 "{\"format\": 1, \"id\": \"desk-basics\", \"title\": \"Desk\", \"version\": \"1.%d\", \"language\": \"en\", "
                 "\"author\": \"Blue Align Chiropractic\", \"updated\": \"2026-11-01\", \"items\": [{\"id\": \"screen-height\", "
                 "\"type\": \"topic\", \"title\": \"Screen height\", \"slides\": [{\"heading\": \"Eye level\", \"body\": \"Top of "
                 "the screen at eye level.\", \"picture\": {\"file\": \"pictures/desk.svg\", \"alt\": \"A desk\"}}]}]}",
                 version);
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    fputs(text, f);
    fclose(f);
    SDL_Event e;
    int64_t until = (int64_t)SDL_GetTicks64() + 5000;
    while ((int64_t)SDL_GetTicks64() < until) {
        if (SDL_WaitEventTimeout(&e, 100))
            app_handle_sdl_event(app, &e);
        if (app->update_waiting) {
            app_pop_to_root(app);
            app_update_and_draw(app); /* swaps at home */
            return !app->update_waiting;
        }
    }
    return false;
}

static void weeks_of_use_should_leave_memory_files_and_caches_flat(void)
{
    snprintf(root, sizeof root, "/tmp/ba-soak-XXXXXX");
    CHECK(mkdtemp(root) != NULL);
    char dir[128], to[160];
    snprintf(dir, sizeof dir, "%s/desk", root);
    mkdir(dir, 0700);
    snprintf(dir, sizeof dir, "%s/desk/pictures", root);
    mkdir(dir, 0700);
    snprintf(to, sizeof to, "%s/desk/pictures/desk.svg", root);
    copy_file("tests/fixtures/good/desk-basics/pictures/desk.svg", to);
    snprintf(dir, sizeof dir, "%s/breath", root);
    mkdir(dir, 0700);
    snprintf(to, sizeof to, "%s/breath/pack.json", root);
    copy_file("tests/fixtures/good/calm-breath/pack.json", to);

    const char *content[] = {root, "tests/packs/every-feature"};
    AppOptions options = {.content_dirs = content, .content_dir_count = 2, .language = "en", .width = 800, .height = 480,
                          .headless = true, .kiosk = true};
    App *app = app_create(&options);
    CHECK(app != NULL);
    if (!app)
        return;
    KioskSettings settings;
    kiosk_settings_defaults(&settings);
    settings.idle_prompt_s = 20;
    settings.idle_reset_s = 5;
    kiosk_start(app, &settings, "soak");
    kiosk_settings_free(&settings);
    CHECK(update_content(app, false, 0) || true); /* the first write may race the start: not counted */
    app->watch = content_watch_create(content, 2, 40, app->library);
    CHECK(app->watch != NULL);

    static const char *const opens[] = {"your-spine:1", "neck-and-shoulders:1", "calm-breathing:2", "desk-break:1",
                                        "sitting-at-a-desk:2", "screen-height", "slow-breathing:1", "when-to-call:2"};
    long rss_start = 0;
    int files_start = 0, swaps = 0, resets_start = 0;
    for (int round = 0; round < ROUNDS; round++) {
        script_open(app, opens[round % 8]);
        script_wait(app, 4000 + 997 * (round % 7));
        SDL_Event key = {0};
        key.type = SDL_KEYDOWN;
        key.key.keysym.sym = SDLK_SPACE;
        app_handle_sdl_event(app, &key);
        script_wait(app, 3000);
        if (round % 3 == 0)
            swaps += update_content(app, round % 6 == 3, round);
        if (round % 4 == 1)
            script_wait(app, 40000); /* left alone: question, reset, attract loop */
        if (round == 8) {
            rss_start = resident_kib();
            files_start = open_files();
            resets_start = app->kiosk->resets;
        }
    }
    long rss_end = resident_kib();
    int files_end = open_files();
    TextCacheStats text = text_cache_stats(app->text);
    PictureCacheStats pictures = pictures_stats(app->pictures);
    printf("soak: %d swaps, %d resets, resident %ld -> %ld KiB, files %d -> %d, text cache %zu entries %zu KiB, "
           "picture cache %zu entries %zu KiB\n",
           swaps, app->kiosk->resets - resets_start, rss_start, rss_end, files_start, files_end, text.entries,
           text.bytes / 1024, pictures.entries, pictures.bytes / 1024);
    CHECK(swaps >= ROUNDS / 3 - 2);  /* the updates really happened */
    CHECK(app->kiosk->resets - resets_start >= ROUNDS / 4 - 3);
    CHECK_INT(files_end, files_start); /* no file or inotify watch left open */
    CHECK(text.bytes <= 24u * 1024 * 1024);
    CHECK(pictures.bytes <= 96u * 1024 * 1024);
#if defined(__SANITIZE_ADDRESS__)
    /* AddressSanitizer keeps freed memory in quarantine on purpose, so resident size grows by design in
     * that build; there, LeakSanitizer's check at exit is the proof that nothing is kept. */
    (void)rss_end;
#else
    CHECK(rss_end - rss_start < 6 * 1024);
#endif
    app_destroy(app);
    char command[160];
    snprintf(command, sizeof command, "rm -rf %s", root);
    CHECK(system(command) == 0);
}

int main(void)
{
    RUN(weeks_of_use_should_leave_memory_files_and_caches_flat);
    return CHECK_SUMMARY();
}
