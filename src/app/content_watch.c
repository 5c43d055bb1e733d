/* content_watch.c: live content updates: inotify on a worker thread, a debounce, and a reload.
 *
 * The worker blocks in poll() on the inotify descriptor and a self-pipe (written once, by destroy),
 * so it costs nothing while nothing changes. It watches each content folder, the folders in it down to
 * MAX_DEPTH (pack folders and their picture folders) and, for the content folder's own name only, its
 * parent, so a content folder that is deleted and copied back is still seen. After a batch of events
 * it waits for quiet_ms of silence (a flood of events keeps postponing, but never past
 * MAX_DELAY_FACTOR x quiet_ms after the first), then rewatches everything and loads a fresh Library.
 * The events say which paths changed; library_reload() reads again only the pack folders under them
 * and reuses every other pack of the newest library (the pending one, else the one on screen) as it
 * is. Lost events (a queue overflow) or a content folder that came or went reload everything.
 *
 * The one decision to know: the worker never merges. library_merge() moves the last good version of
 * each broken pack out of the library on screen, which the main thread is drawing from that very
 * moment; so the worker only builds the fresh library (whose failed_dirs say which packs would be
 * carried) and leaves it pending, and content_watch_take() merges it into the library on screen on
 * the main thread, where it is a few pointer moves, just before the caller swaps libraries. That is
 * also why the worker reads `current` only under the mutex, or while nothing can free it.
 *
 * Ownership of packs shared between libraries (a reused Pack is held by the base and the fresh one):
 * a pack belongs to the newest library that holds it. The worker builds from `base` = pending, else
 * current, read without the lock: the main thread frees the library on screen only in a take, and
 * there is nothing to take while pending is NULL, while a pending one taken meanwhile becomes the
 * one on screen and lives until the next take. When a new library replaces a pending one never
 * taken, the worker (under the mutex) hands over to the new one and to the one on screen the packs
 * they hold and frees only the rest. content_watch_take hands the fresh library the packs it shares
 * with the one on screen, so the caller's library_free_after_merge frees only replaced packs.
 * destroy frees a pending library except the packs of the one on screen.
 */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700
#include "content_watch.h"

#include <SDL.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "text_util.h"

#define WATCH_MASK                                                                                   \
    (IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | \
     IN_MOVE_SELF | IN_ATTRIB)
/* On a content folder's parent only the arrival and departure of the folder itself matter. */
#define PARENT_MASK (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO)
#define MAX_DEPTH 2        /* content folder (0), pack folders (1), their picture folders (2) */
#define MAX_DELAY_FACTOR 10 /* constant churn still reloads after this many quiet periods */

uint32_t content_watch_event_type; /* 0 until the first watch registers it */

typedef struct {
    int wd;
    char *path;          /* the folder watched, as the scan spells it */
    char *only_name;     /* a parent's watch: only events about this name count; NULL for all */
    unsigned generation; /* the rescan that last asked for it */
} Watched;

struct ContentWatch {
    char **dirs;
    int dir_count;
    uint64_t quiet_ms;
    int inotify_fd;
    int wake[2]; /* self-pipe: destroy writes a byte to stop the worker */
    SDL_Thread *thread;

    /* The worker's alone once it runs (create fills it before starting the thread). */
    Watched *watched;
    int watched_count, watched_capacity;
    unsigned generation;
    bool limit_logged;
    char **changed; /* paths changed since the last reload, distinct */
    int changed_count, changed_capacity;
    bool changed_all; /* events were lost, or a content folder came or went: reload everything */

    /* Shared with the main thread; under `mutex`. */
    SDL_mutex *mutex;
    Library *pending;        /* loaded, not merged, not yet taken */
    Library *current;        /* on screen: only content_watch_take, on the main thread, touches it */
    int reloads;
};

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static bool is_directory(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static Watched *find_watched(ContentWatch *watch, int wd)
{
    for (int i = 0; i < watch->watched_count; i++)
        if (watch->watched[i].wd == wd)
            return &watch->watched[i];
    return NULL;
}

/* Asks inotify to watch `path` and records it for this rescan. inotify gives one watch per folder, so
 * a folder reached twice (as a parent and as a content folder) keeps one entry that lets everything
 * through. */
static void watch_path(ContentWatch *watch, const char *path, const char *only_name)
{
    /* A parent's mask is added to, never replacing, so it cannot narrow a folder also watched fully. */
    uint32_t mask = only_name ? PARENT_MASK | IN_MASK_ADD : WATCH_MASK;
    int wd = inotify_add_watch(watch->inotify_fd, path, mask);
    if (wd < 0) {
        /* Folders come and go (ENOENT, ENOTDIR); running out of watches is worth saying once. */
        if ((errno == ENOSPC || errno == ENOMEM) && !watch->limit_logged) {
            SDL_LogError(SDL_LOG_CATEGORY_APPLICATION,
                         "Couldn't watch %s for content changes: %s (raise fs.inotify.max_user_watches)",
                         path, strerror(errno));
            watch->limit_logged = true;
        }
        return;
    }
    Watched *known = find_watched(watch, wd);
    if (known) {
        if (known->generation == watch->generation) {
            if (!known->only_name || !only_name || strcmp(known->only_name, only_name) != 0) {
                free(known->only_name);
                known->only_name = NULL;
            }
        } else {
            free(known->only_name);
            known->only_name = only_name ? text_dup(only_name) : NULL;
            known->generation = watch->generation;
        }
        return;
    }
    if (watch->watched_count == watch->watched_capacity) {
        int capacity = watch->watched_capacity ? watch->watched_capacity * 2 : 32;
        Watched *grown = realloc(watch->watched, (size_t)capacity * sizeof *grown);
        if (!grown) {
            inotify_rm_watch(watch->inotify_fd, wd);
            return;
        }
        watch->watched = grown;
        watch->watched_capacity = capacity;
    }
    watch->watched[watch->watched_count++] =
        (Watched){wd, text_dup(path), only_name ? text_dup(only_name) : NULL, watch->generation};
}

static void watch_tree(ContentWatch *watch, const char *path, int depth)
{
    watch_path(watch, path, NULL);
    if (depth >= MAX_DEPTH)
        return;
    DIR *d = opendir(path);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue; /* ".", "..", and hidden folders, which the library skips too */
        char *child = text_printf("%s/%s", path, e->d_name);
        if (child && is_directory(child))
            watch_tree(watch, child, depth + 1);
        free(child);
    }
    closedir(d);
}

/* Splits a content folder as given into the folder to watch (a manifest named directly stands for its
 * pack folder) and that folder's parent and name. `parent` and `name` are NULL when there is no
 * useful parent ("." or "/"). The caller frees all three. */
static void split_content_dir(const char *given, char **root, char **parent, char **name)
{
    *parent = *name = NULL;
    *root = text_dup(given);
    if (!*root)
        return;
    size_t len = strlen(*root);
    while (len > 1 && (*root)[len - 1] == '/')
        (*root)[--len] = '\0';
    char *slash = strrchr(*root, '/');
    const char *base = slash ? slash + 1 : *root;
    if (strcmp(base, "pack.json") == 0 && !is_directory(*root)) {
        if (slash == *root)
            slash[1] = '\0';
        else if (slash)
            *slash = '\0';
        else
            strcpy(*root, ".");
        slash = strrchr(*root, '/');
        base = slash ? slash + 1 : *root;
    }
    if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
        return;
    *name = text_dup(base);
    if (!slash)
        *parent = text_dup(".");
    else if (slash == *root)
        *parent = text_dup("/");
    else
        *parent = text_printf("%.*s", (int)(slash - *root), *root);
}

/* Watches everything there is now and drops the watches of what is gone. New watches are added before
 * old ones are removed, so a folder that stays is never unwatched for a moment. */
static void rescan(ContentWatch *watch)
{
    watch->generation++;
    /* Parents first: a later full watch of the same folder then widens the mask again. */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < watch->dir_count; i++) {
            char *root, *parent, *name;
            split_content_dir(watch->dirs[i], &root, &parent, &name);
            if (pass == 0 && parent && name)
                watch_path(watch, parent, name);
            else if (pass == 1 && root)
                watch_tree(watch, root, 0);
            free(root);
            free(parent);
            free(name);
        }
    int kept = 0;
    for (int i = 0; i < watch->watched_count; i++) {
        Watched *w = &watch->watched[i];
        if (w->generation != watch->generation) {
            inotify_rm_watch(watch->inotify_fd, w->wd); /* EINVAL when the kernel dropped it already */
            free(w->path);
            free(w->only_name);
        } else {
            watch->watched[kept++] = *w;
        }
    }
    watch->watched_count = kept;
}

static void forget_watch(ContentWatch *watch, int wd)
{
    Watched *w = find_watched(watch, wd);
    if (!w)
        return;
    free(w->path);
    free(w->only_name);
    *w = watch->watched[--watch->watched_count];
}

/* Notes that `path` (a watched folder, or a file or folder in it when `name` is not empty) changed. */
static void note_changed(ContentWatch *watch, const char *folder, const char *name)
{
    char *path = !folder ? NULL : *name ? text_printf("%s/%s", folder, name) : text_dup(folder);
    for (int i = 0; path && i < watch->changed_count; i++)
        if (strcmp(watch->changed[i], path) == 0) {
            free(path); /* a flood of saves to one file is one path */
            return;
        }
    if (path && watch->changed_count == watch->changed_capacity) {
        int capacity = watch->changed_capacity ? watch->changed_capacity * 2 : 16;
        char **grown = realloc(watch->changed, (size_t)capacity * sizeof *grown);
        if (grown) {
            watch->changed = grown;
            watch->changed_capacity = capacity;
        }
    }
    if (path && watch->changed_count < watch->changed_capacity)
        watch->changed[watch->changed_count++] = path;
    else {
        free(path);
        watch->changed_all = true; /* out of memory: not knowing what changed, reload everything */
    }
}

static void forget_changes(ContentWatch *watch)
{
    for (int i = 0; i < watch->changed_count; i++)
        free(watch->changed[i]);
    watch->changed_count = 0;
    watch->changed_all = false;
}

/* Reads every queued event. Returns how many are about the content; sets *rescan_needed when folders
 * came or went, so that new ones are watched at once (before files are copied into them). */
static int drain_events(ContentWatch *watch, bool *rescan_needed)
{
    _Alignas(struct inotify_event) char buf[8192];
    int changes = 0;
    for (;;) {
        ssize_t len = read(watch->inotify_fd, buf, sizeof buf);
        if (len < 0 && errno == EINTR)
            continue;
        if (len <= 0)
            break; /* EAGAIN: all read */
        for (ssize_t at = 0; at + (ssize_t)sizeof(struct inotify_event) <= len;) {
            struct inotify_event ev;
            memcpy(&ev, buf + at, sizeof ev);
            const char *name = ev.len ? buf + at + sizeof ev : "";
            at += (ssize_t)(sizeof ev + ev.len);
            if (ev.mask & IN_Q_OVERFLOW) {
                changes++; /* events were lost: assume anything changed */
                watch->changed_all = true;
                *rescan_needed = true;
                continue;
            }
            if (ev.mask & IN_IGNORED) {
                forget_watch(watch, ev.wd);
                continue;
            }
            const Watched *w = find_watched(watch, ev.wd);
            if (!w || (w->only_name && strcmp(w->only_name, name) != 0))
                continue;
            changes++;
            if (w->only_name)
                watch->changed_all = true; /* a content folder itself came or went */
            else
                note_changed(watch, w->path, name);
            if (w->only_name || (ev.mask & (IN_DELETE_SELF | IN_MOVE_SELF)) ||
                ((ev.mask & IN_ISDIR) && (ev.mask & (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO))))
                *rescan_needed = true;
        }
    }
    return changes;
}

/* The library to build on: the newest there is. See the ownership note at the top. */
static const Library *reload_base(ContentWatch *watch)
{
    SDL_LockMutex(watch->mutex);
    const Library *base = watch->pending ? watch->pending : watch->current;
    SDL_UnlockMutex(watch->mutex);
    return base;
}

static void reload(ContentWatch *watch)
{
    rescan(watch); /* watch what will be loaded, so changes made during the load are not missed */
    const Library *base = watch->changed_all ? NULL : reload_base(watch);
    uint64_t started = now_ms();
    Library *fresh = library_reload((const char *const *)watch->dirs, watch->dir_count, base,
                                    (const char *const *)watch->changed, watch->changed_count);
    uint64_t took = now_ms() - started;
    forget_changes(watch);
    if (!fresh) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't reload the content: out of memory");
        return;
    }
    size_t errors = problems_count(&fresh->problems, PROBLEM_ERROR);
    size_t warnings = problems_count(&fresh->problems, PROBLEM_WARNING);
    int packs = fresh->pack_count, failed = fresh->failed_count, watched = watch->watched_count;
    int unchanged = fresh->packs_reused, read_again = fresh->loaded_count - fresh->packs_reused;

    SDL_LockMutex(watch->mutex);
    Library *older = watch->pending; /* never taken: this one replaces it */
    watch->pending = fresh;
    /* What `older` shares with the new library or the one on screen stays; the rest is freed. */
    library_hand_over(fresh, older);
    library_hand_over(watch->current, older);
    int reloads = ++watch->reloads;
    SDL_UnlockMutex(watch->mutex);
    library_free(older);

    SDL_Log("Content changed, reload %d in %llu ms: %d packs (%d pack folders read again, %d unchanged), "
            "%zu errors, %zu warnings, %d pack folders that failed to load; watching %d folders",
            reloads, (unsigned long long)took, packs, read_again, unchanged, errors,
            warnings, failed, watched);
    SDL_Event event;
    SDL_zero(event);
    event.type = content_watch_event_type;
    event.user.code = reloads;
    event.user.data1 = watch;
    if (SDL_PushEvent(&event) < 0)
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't post the content reload: %s", SDL_GetError());
}

static int run_worker(void *data)
{
    ContentWatch *watch = data;
    bool changed = false;
    uint64_t first = 0, last = 0;
    for (;;) {
        int timeout = -1; /* nothing pending: sleep until something happens */
        if (changed) {
            uint64_t due = last + watch->quiet_ms, cap = first + watch->quiet_ms * MAX_DELAY_FACTOR;
            if (cap < due)
                due = cap;
            uint64_t now = now_ms();
            timeout = due > now ? (int)(due - now) : 0;
        }
        struct pollfd fds[2] = {{watch->wake[0], POLLIN, 0}, {watch->inotify_fd, POLLIN, 0}};
        if (poll(fds, 2, timeout) < 0) {
            if (errno == EINTR)
                continue;
            SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Live content updates stopped: poll: %s", strerror(errno));
            break;
        }
        if (fds[0].revents)
            break; /* destroy */
        if (fds[1].revents & (POLLERR | POLLNVAL)) {
            SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Live content updates stopped: the inotify descriptor failed");
            break;
        }
        if (fds[1].revents & POLLIN) {
            bool rescan_needed = false;
            int changes = drain_events(watch, &rescan_needed);
            if (rescan_needed)
                rescan(watch);
            if (changes) {
                last = now_ms();
                if (!changed)
                    first = last;
                changed = true;
            }
        }
        if (changed) {
            uint64_t now = now_ms();
            if (now >= last + watch->quiet_ms || now >= first + watch->quiet_ms * MAX_DELAY_FACTOR) {
                changed = false;
                reload(watch);
            }
        }
    }
    return 0;
}

void content_watch_destroy(ContentWatch *watch)
{
    if (!watch)
        return;
    if (watch->thread) {
        char stop = 1;
        while (write(watch->wake[1], &stop, 1) < 0 && errno == EINTR)
            ;
        SDL_WaitThread(watch->thread, NULL);
    }
    for (int i = 0; i < 2; i++)
        if (watch->wake[i] >= 0)
            close(watch->wake[i]);
    if (watch->inotify_fd >= 0)
        close(watch->inotify_fd); /* drops every watch */
    for (int i = 0; i < watch->watched_count; i++) {
        free(watch->watched[i].path);
        free(watch->watched[i].only_name);
    }
    free(watch->watched);
    forget_changes(watch);
    free(watch->changed);
    library_free_except(watch->pending, watch->current, NULL); /* the thread has stopped */
    for (int i = 0; i < watch->dir_count; i++)
        free(watch->dirs[i]);
    free(watch->dirs);
    if (watch->mutex)
        SDL_DestroyMutex(watch->mutex);
    free(watch);
}

ContentWatch *content_watch_create(const char *const *dirs, int count, int quiet_ms, Library *current)
{
    ContentWatch *watch = calloc(1, sizeof *watch);
    if (!watch) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Live content updates are off: out of memory");
        return NULL;
    }
    watch->inotify_fd = watch->wake[0] = watch->wake[1] = -1;
    watch->quiet_ms = quiet_ms > 0 ? (uint64_t)quiet_ms : 1;
    watch->current = current;

    if (content_watch_event_type == 0) {
        Uint32 type = SDL_RegisterEvents(1);
        if (type == (Uint32)-1) {
            SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Live content updates are off: no SDL event type left");
            goto fail;
        }
        content_watch_event_type = type;
    }
    watch->dirs = calloc(count > 0 ? (size_t)count : 1, sizeof *watch->dirs);
    if (!watch->dirs)
        goto oom;
    for (; watch->dir_count < count; watch->dir_count++)
        if (!(watch->dirs[watch->dir_count] = text_dup(dirs[watch->dir_count])))
            goto oom;

    watch->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (watch->inotify_fd < 0) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Live content updates are off: inotify is not available: %s",
                     strerror(errno));
        goto fail;
    }
    if (pipe(watch->wake) < 0) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Live content updates are off: pipe: %s", strerror(errno));
        watch->wake[0] = watch->wake[1] = -1;
        goto fail;
    }
    for (int i = 0; i < 2; i++)
        fcntl(watch->wake[i], F_SETFD, FD_CLOEXEC);
    fcntl(watch->wake[1], F_SETFL, O_NONBLOCK); /* destroy must never block on it */
    watch->mutex = SDL_CreateMutex();
    if (!watch->mutex) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Live content updates are off: %s", SDL_GetError());
        goto fail;
    }

    rescan(watch); /* before returning, so a change made right after create is seen */
    int watched = watch->watched_count; /* the worker's from the next line on */
    watch->thread = SDL_CreateThread(run_worker, "content-watch", watch);
    if (!watch->thread) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Live content updates are off: couldn't start a thread: %s",
                     SDL_GetError());
        goto fail;
    }
    SDL_Log("Watching %d content folder%s for changes (%d folders watched)", count, count == 1 ? "" : "s",
            watched);
    return watch;

oom:
    SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Live content updates are off: out of memory");
fail:
    content_watch_destroy(watch);
    return NULL;
}

Library *content_watch_take(ContentWatch *watch)
{
    if (!watch)
        return NULL;
    SDL_LockMutex(watch->mutex);
    Library *fresh = watch->pending;
    watch->pending = NULL;
    /* The merge below moves packs out of the library on screen, on the caller's thread, at the one
     * moment the caller replaces it (and frees it with library_free_after_merge). */
    Library *shown = watch->current;
    if (fresh)
        watch->current = NULL; /* freed by the caller next: no merging into it again */
    SDL_UnlockMutex(watch->mutex);

    if (fresh && shown) {
        int before = fresh->pack_count;
        library_merge(fresh, shown);
        library_hand_over(fresh, shown); /* the packs not read again now belong to `fresh` */
        if (fresh->pack_count > before)
            SDL_Log("Kept the last good version of %d pack%s whose new version has errors",
                    fresh->pack_count - before, fresh->pack_count - before == 1 ? "" : "s");
    }
    return fresh;
}

void content_watch_set_current(ContentWatch *watch, Library *current)
{
    if (!watch)
        return;
    SDL_LockMutex(watch->mutex);
    watch->current = current;
    SDL_UnlockMutex(watch->mutex);
}

int content_watch_reloads(const ContentWatch *watch)
{
    if (!watch)
        return 0;
    SDL_LockMutex(watch->mutex);
    int reloads = watch->reloads;
    SDL_UnlockMutex(watch->mutex);
    return reloads;
}
