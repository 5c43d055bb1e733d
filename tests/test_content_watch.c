/* test_content_watch.c: live content updates end to end, on a real folder and real inotify events.
 *
 * Only SDL's event queue is used (SDL_INIT_EVENTS; no display). Each test changes files under a fresh
 * mkdtemp folder the way staff would (an edit, a broken save, a flood of saves, a folder copied in
 * piece by piece, the whole content folder replaced) and waits, with a timeout, for the watch's event,
 * then swaps libraries exactly as the app does: take, free the old one with library_free_after_merge,
 * set_current.
 */
#define _XOPEN_SOURCE 700 /* mkdtemp, nftw */
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SDL.h>

#include "check.h"
#include "content_watch.h"

#define QUIET_MS 200
#define EVENT_TIMEOUT_MS 5000

static char root[64];     /* the run's folder */
static char content[128]; /* the content folder inside it, which a test may delete */

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path);
}

static void remove_tree(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void make_root(void)
{
    snprintf(root, sizeof root, "/tmp/ba-watch-XXXXXX");
    CHECK(mkdtemp(root) != NULL);
    snprintf(content, sizeof content, "%s/content", root);
    CHECK_INT(mkdir(content, 0755), 0);
}

static void pack_text(char *out, size_t size, const char *id, const char *title, const char *version)
{
    snprintf(out, size,
             "{\n"
             "  \"format\": 1, \"id\": \"%s\", \"title\": \"%s\", \"version\": \"%s\", \"language\": \"en\",\n"
             "  \"author\": \"Blue Align Chiropractic\", \"updated\": \"2026-10-15\",\n"
             "  \"items\": [{\n"
             "    \"id\": \"slow-breathing\", \"type\": \"breathing\", \"title\": \"Slow breathing\",\n"
             "    \"before_you_start\": [\"Breathe gently; never strain.\"],\n"
             "    \"steps\": [{ \"type\": \"breathe\", \"name\": \"Six breaths a minute\", \"cycles\": 6,\n"
             "      \"phases\": [{ \"breath\": \"in\", \"seconds\": 4 }, { \"breath\": \"out\", \"seconds\": 6 }] }]\n"
             "  }]\n"
             "}\n",
             id, title, version);
}

static const char *manifest_of(const char *folder)
{
    static char path[300];
    snprintf(path, sizeof path, "%s/%s/pack.json", content, folder);
    return path;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs(text, f);
    fclose(f);
}

static void write_pack(const char *folder, const char *id, const char *title, const char *version)
{
    char dir[256], text[2048];
    snprintf(dir, sizeof dir, "%s/%s", content, folder);
    mkdir(dir, 0755);
    pack_text(text, sizeof text, id, title, version);
    write_file(manifest_of(folder), text);
}

static const Pack *find(const Library *library, const char *id, int *index)
{
    for (int i = 0; library && i < library->pack_count; i++)
        if (strcmp(library->packs[i]->id, id) == 0) {
            if (index)
                *index = i;
            return library->packs[i];
        }
    return NULL;
}

/* The app's side of a reload. */
typedef struct {
    const char *dirs[1];
    Library *shown;
    ContentWatch *watch;
} Kiosk;

static void kiosk_start(Kiosk *k)
{
    k->dirs[0] = content;
    k->shown = library_load(k->dirs, 1);
    CHECK(k->shown != NULL);
    k->watch = content_watch_create(k->dirs, 1, QUIET_MS, k->shown);
    CHECK(k->watch != NULL);
    CHECK(content_watch_event_type != 0);
}

static void kiosk_stop(Kiosk *k)
{
    content_watch_destroy(k->watch);
    SDL_FlushEvent(content_watch_event_type); /* events naming the watch just destroyed */
    library_free(k->shown);
    remove_tree(root);
}

/* Waits up to `ms` for the watch's event; on it, swaps in the new library. Returns whether one came. */
static bool kiosk_wait_and_swap(Kiosk *k, Uint32 ms)
{
    Uint64 until = SDL_GetTicks64() + ms;
    for (;;) {
        Uint64 now = SDL_GetTicks64();
        if (now >= until)
            return false;
        SDL_Event event;
        if (!SDL_WaitEventTimeout(&event, (int)(until - now)))
            continue;
        if (event.type != content_watch_event_type)
            continue;
        CHECK(event.user.data1 == k->watch);
        Library *fresh = content_watch_take(k->watch);
        if (!fresh)
            continue; /* an event for a library already taken */
        library_free_after_merge(k->shown);
        k->shown = fresh;
        content_watch_set_current(k->watch, fresh);
        return true;
    }
}

/* Swaps in whatever else arrives within `ms`; returns how many libraries that was. */
static int kiosk_settle(Kiosk *k, Uint32 ms)
{
    int swaps = 0;
    Uint64 until = SDL_GetTicks64() + ms;
    while (SDL_GetTicks64() < until)
        swaps += kiosk_wait_and_swap(k, (Uint32)(until - SDL_GetTicks64()));
    return swaps;
}

static bool has_warning_about(const Library *library, const char *file, const char *text)
{
    for (size_t i = 0; i < library->problems.count; i++) {
        const Problem *p = &library->problems.items[i];
        if (p->severity == PROBLEM_WARNING && strcmp(p->file, file) == 0 && strstr(p->message, text))
            return true;
    }
    return false;
}

static void an_edited_pack_should_show_its_change_within_seconds(void)
{
    make_root();
    write_pack("a", "pack-a", "Pack A", "1");
    Kiosk k;
    kiosk_start(&k);
    CHECK(content_watch_take(k.watch) == NULL); /* nothing changed yet */
    write_pack("a", "pack-a", "Pack A, revised", "2");
    CHECK(kiosk_wait_and_swap(&k, EVENT_TIMEOUT_MS));
    const Pack *a = find(k.shown, "pack-a", NULL);
    CHECK(a && strcmp(a->title, "Pack A, revised") == 0);
    CHECK_INT(content_watch_reloads(k.watch), 1);
    kiosk_stop(&k);
}

static void a_broken_save_should_keep_the_last_good_version_with_a_warning(void)
{
    make_root();
    write_pack("a", "pack-a", "Pack A", "1");
    write_pack("b", "pack-b", "Pack B", "1");
    Kiosk k;
    kiosk_start(&k);
    write_file(manifest_of("a"), "{ \"format\": 1, \"id\": \"pack-a\", \"title\": ");
    CHECK(kiosk_wait_and_swap(&k, EVENT_TIMEOUT_MS));
    int index = -1;
    const Pack *a = find(k.shown, "pack-a", &index);
    CHECK(a != NULL);
    if (a) {
        CHECK_STR(a->title, "Pack A");
        CHECK(k.shown->carried[index]);
    }
    CHECK(find(k.shown, "pack-b", NULL) != NULL);
    CHECK(has_warning_about(k.shown, manifest_of("a"), "the last good version (version 1) is still shown"));

    /* Another save elsewhere: pack A is still broken, so it is carried again. */
    write_pack("b", "pack-b", "Pack B, revised", "2");
    CHECK(kiosk_wait_and_swap(&k, EVENT_TIMEOUT_MS));
    a = find(k.shown, "pack-a", NULL);
    CHECK(a && strcmp(a->title, "Pack A") == 0);
    const Pack *b = find(k.shown, "pack-b", NULL);
    CHECK(b && strcmp(b->title, "Pack B, revised") == 0);

    /* Fixed: the new version shows. */
    write_pack("a", "pack-a", "Pack A, fixed", "3");
    CHECK(kiosk_wait_and_swap(&k, EVENT_TIMEOUT_MS));
    a = find(k.shown, "pack-a", &index);
    CHECK(a && strcmp(a->title, "Pack A, fixed") == 0);
    if (a)
        CHECK(!k.shown->carried[index]);
    kiosk_stop(&k);
}

static void a_flood_of_saves_should_be_one_reload(void)
{
    make_root();
    write_pack("a", "pack-a", "Pack A", "1");
    Kiosk k;
    kiosk_start(&k);
    int before = content_watch_reloads(k.watch);
    for (int i = 0; i < 50; i++) {
        char title[32];
        snprintf(title, sizeof title, "Flood %d", i);
        write_pack("a", "pack-a", title, "1");
    }
    CHECK(kiosk_wait_and_swap(&k, EVENT_TIMEOUT_MS));
    kiosk_settle(&k, QUIET_MS * 4);
    int reloads = content_watch_reloads(k.watch) - before;
    CHECK(reloads >= 1 && reloads <= 2);
    const Pack *a = find(k.shown, "pack-a", NULL);
    CHECK(a && strcmp(a->title, "Flood 49") == 0);
    kiosk_stop(&k);
}

static void constant_churn_should_still_reload_before_it_stops(void)
{
    make_root();
    write_pack("a", "pack-a", "Pack A", "1");
    Kiosk k;
    kiosk_start(&k);
    /* A save every 50 ms for 3 s never leaves 200 ms of quiet; the cap (10 x quiet) reloads anyway. */
    bool reloaded_during_churn = false;
    for (int i = 0; i < 60; i++) {
        char title[32];
        snprintf(title, sizeof title, "Churn %d", i);
        write_pack("a", "pack-a", title, "1");
        SDL_Delay(50);
        reloaded_during_churn |= content_watch_reloads(k.watch) > 0;
    }
    CHECK(reloaded_during_churn);
    CHECK(content_watch_reloads(k.watch) <= 3);
    CHECK(kiosk_wait_and_swap(&k, EVENT_TIMEOUT_MS));
    kiosk_settle(&k, QUIET_MS * 4);
    const Pack *a = find(k.shown, "pack-a", NULL);
    CHECK(a && strcmp(a->title, "Churn 59") == 0);
    kiosk_stop(&k);
}

static void a_folder_copied_in_pieces_should_load_once_complete(void)
{
    make_root();
    write_pack("a", "pack-a", "Pack A", "1");
    Kiosk k;
    kiosk_start(&k);
    int before = content_watch_reloads(k.watch);

    char dir[256], text[2048];
    snprintf(dir, sizeof dir, "%s/new-pack", content);
    CHECK_INT(mkdir(dir, 0755), 0);
    SDL_Delay(QUIET_MS / 4);
    pack_text(text, sizeof text, "pack-new", "New pack", "1");
    FILE *f = fopen(manifest_of("new-pack"), "wb");
    CHECK(f != NULL);
    if (f) {
        size_t half = strlen(text) / 2;
        fwrite(text, 1, half, f);
        fflush(f);
        SDL_Delay(QUIET_MS / 4);
        fputs(text + half, f);
        fflush(f);
        SDL_Delay(QUIET_MS / 4);
        fclose(f);
    }

    CHECK(kiosk_wait_and_swap(&k, EVENT_TIMEOUT_MS));
    kiosk_settle(&k, QUIET_MS * 4);
    CHECK_INT(content_watch_reloads(k.watch) - before, 1);
    const Pack *added = find(k.shown, "pack-new", NULL);
    CHECK(added && strcmp(added->title, "New pack") == 0);
    CHECK(find(k.shown, "pack-a", NULL) != NULL);
    CHECK_INT(k.shown->failed_count, 0);
    kiosk_stop(&k);
}

static void a_file_in_a_pack_folder_added_later_should_be_seen(void)
{
    /* The new folder is watched as soon as it appears, so a change inside it after a reload counts. */
    make_root();
    write_pack("a", "pack-a", "Pack A", "1");
    Kiosk k;
    kiosk_start(&k);
    write_pack("b", "pack-b", "Pack B", "1");
    CHECK(kiosk_wait_and_swap(&k, EVENT_TIMEOUT_MS));
    CHECK(find(k.shown, "pack-b", NULL) != NULL);
    write_pack("b", "pack-b", "Pack B, revised", "2");
    CHECK(kiosk_wait_and_swap(&k, EVENT_TIMEOUT_MS));
    const Pack *b = find(k.shown, "pack-b", NULL);
    CHECK(b && strcmp(b->title, "Pack B, revised") == 0);
    kiosk_stop(&k);
}

static void a_replaced_content_folder_should_be_watched_again(void)
{
    make_root();
    write_pack("a", "pack-a", "Pack A", "1");
    Kiosk k;
    kiosk_start(&k);
    remove_tree(content);
    CHECK(kiosk_wait_and_swap(&k, EVENT_TIMEOUT_MS));
    CHECK_INT(k.shown->pack_count, 0);

    CHECK_INT(mkdir(content, 0755), 0);
    write_pack("b", "pack-b", "Pack B", "1");
    CHECK(kiosk_wait_and_swap(&k, EVENT_TIMEOUT_MS));
    kiosk_settle(&k, QUIET_MS * 3);
    CHECK(find(k.shown, "pack-b", NULL) != NULL);
    write_pack("b", "pack-b", "Pack B, revised", "2");
    CHECK(kiosk_wait_and_swap(&k, EVENT_TIMEOUT_MS));
    const Pack *b = find(k.shown, "pack-b", NULL);
    CHECK(b && strcmp(b->title, "Pack B, revised") == 0);
    kiosk_stop(&k);
}

static void nothing_changed_should_mean_no_reload(void)
{
    make_root();
    write_pack("a", "pack-a", "Pack A", "1");
    Kiosk k;
    kiosk_start(&k);
    write_pack("a", "pack-a", "Pack A, revised", "2");
    CHECK(kiosk_wait_and_swap(&k, EVENT_TIMEOUT_MS));
    int after_change = content_watch_reloads(k.watch);
    /* Loading reads every file; reading must not count as a change. Neither do other files in the
     * content folder's parent. */
    char other[200];
    snprintf(other, sizeof other, "%s/unrelated.txt", root);
    write_file(other, "not content");
    kiosk_settle(&k, QUIET_MS * 5);
    CHECK_INT(content_watch_reloads(k.watch), after_change);
    kiosk_stop(&k);
}

static void an_edit_to_one_pack_should_reuse_every_other_pack_as_it_is(void)
{
    make_root();
    write_pack("a", "pack-a", "Pack A", "1");
    write_pack("b", "pack-b", "Pack B", "1");
    write_pack("c", "pack-c", "Pack C", "1");
    Kiosk k;
    kiosk_start(&k);
    const Pack *a = find(k.shown, "pack-a", NULL), *b = find(k.shown, "pack-b", NULL);
    const Pack *c = find(k.shown, "pack-c", NULL);
    write_pack("a", "pack-a", "Pack A, revised", "2");
    CHECK(kiosk_wait_and_swap(&k, EVENT_TIMEOUT_MS));
    kiosk_settle(&k, QUIET_MS * 3);
    const Pack *new_a = find(k.shown, "pack-a", NULL);
    CHECK(new_a != a && new_a && strcmp(new_a->title, "Pack A, revised") == 0);
    CHECK(find(k.shown, "pack-b", NULL) == b); /* not read again, and alive after the old library went */
    CHECK(find(k.shown, "pack-c", NULL) == c);
    CHECK_STR(b->title, "Pack B");
    CHECK_INT(k.shown->packs_reused, 2);

    /* Two reloads before the kiosk takes either (a routine is on screen): the second is built on the
     * first, which it replaces; what they share must outlive the one freed. */
    int reloads = content_watch_reloads(k.watch);
    write_pack("b", "pack-b", "Pack B, revised", "2");
    Uint64 until = SDL_GetTicks64() + EVENT_TIMEOUT_MS;
    while (content_watch_reloads(k.watch) == reloads && SDL_GetTicks64() < until)
        SDL_Delay(20);
    write_pack("c", "pack-c", "Pack C, revised", "2");
    until = SDL_GetTicks64() + EVENT_TIMEOUT_MS;
    while (content_watch_reloads(k.watch) < reloads + 2 && SDL_GetTicks64() < until)
        SDL_Delay(20);
    CHECK(kiosk_wait_and_swap(&k, EVENT_TIMEOUT_MS));
    kiosk_settle(&k, QUIET_MS * 3);
    CHECK(find(k.shown, "pack-a", NULL) == new_a);
    const Pack *new_b = find(k.shown, "pack-b", NULL), *new_c = find(k.shown, "pack-c", NULL);
    CHECK(new_b && strcmp(new_b->title, "Pack B, revised") == 0);
    CHECK(new_c && strcmp(new_c->title, "Pack C, revised") == 0);
    kiosk_stop(&k);
}

static void destroy_should_free_a_library_never_taken(void)
{
    make_root();
    write_pack("a", "pack-a", "Pack A", "1");
    Kiosk k;
    kiosk_start(&k);
    write_pack("a", "pack-a", "Pack A, revised", "2");
    Uint64 until = SDL_GetTicks64() + EVENT_TIMEOUT_MS;
    while (content_watch_reloads(k.watch) == 0 && SDL_GetTicks64() < until)
        SDL_Delay(20);
    CHECK_INT(content_watch_reloads(k.watch), 1);
    kiosk_stop(&k); /* the pending library is freed here; ASan reports it otherwise */
}

static void destroy_right_after_create_should_be_clean(void)
{
    make_root();
    Kiosk k;
    kiosk_start(&k);
    kiosk_stop(&k);
    CHECK(content_watch_take(NULL) == NULL);
    content_watch_destroy(NULL);
}

int main(void)
{
    setenv("SDL_VIDEODRIVER", "dummy", 0);
    if (SDL_Init(SDL_INIT_EVENTS) < 0) {
        fprintf(stderr, "Couldn't initialise SDL: %s\n", SDL_GetError());
        return 1;
    }
    RUN(an_edited_pack_should_show_its_change_within_seconds);
    RUN(a_broken_save_should_keep_the_last_good_version_with_a_warning);
    RUN(a_flood_of_saves_should_be_one_reload);
    RUN(constant_churn_should_still_reload_before_it_stops);
    RUN(a_folder_copied_in_pieces_should_load_once_complete);
    RUN(a_file_in_a_pack_folder_added_later_should_be_seen);
    RUN(a_replaced_content_folder_should_be_watched_again);
    RUN(nothing_changed_should_mean_no_reload);
    RUN(an_edit_to_one_pack_should_reuse_every_other_pack_as_it_is);
    RUN(destroy_should_free_a_library_never_taken);
    RUN(destroy_right_after_create_should_be_clean);
    SDL_Quit();
    return CHECK_SUMMARY();
}
