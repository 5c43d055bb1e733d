/* content_watch.h: live content updates on a running kiosk.
 *
 * A worker thread blocks on inotify for the content folders (and every pack folder inside them, added
 * and removed as folders come and go), so watching costs nothing while nothing changes. When changes
 * stop for `quiet_ms` (half-copied folders settle first; a flood of changes is one reload), it loads
 * a fresh Library off the drawing path and posts content_watch_event_type to wake the main loop. The
 * main loop takes it with content_watch_take() only between screens; the take merges it with the one
 * on screen there, on the main thread (library_merge: a pack whose new version fails keeps its last
 * good version). The event can come more than once for one library; a take then returns NULL.
 *
 * Only the pack folders whose files changed are read again; every other pack of the new library is
 * the same Pack object as in the library on screen (library_reload). Such a shared pack belongs to
 * the newest library holding it: the take hands it to the new library, so freeing the replaced one
 * frees only the packs that were replaced or removed.
 */
#ifndef BA_CONTENT_WATCH_H
#define BA_CONTENT_WATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "library.h"

typedef struct ContentWatch ContentWatch;

/* The SDL event type posted when a new library is ready (registered with SDL_RegisterEvents). */
extern uint32_t content_watch_event_type;

/* Starts watching. `current` is the library on screen, the merge base; only content_watch_take, on the
 * main thread, touches it. Returns NULL when inotify is not available, after logging why; the app then
 * runs without live updates. */
ContentWatch *content_watch_create(const char *const *dirs, int count, int quiet_ms, Library *current);
void content_watch_destroy(ContentWatch *watch);

/* The merged library waiting to be swapped in, or NULL. Ownership passes to the caller, who frees the
 * library it replaces (library_free_after_merge, since carried-over packs now belong to the new one)
 * and must call content_watch_set_current with the new one before the next take. */
Library *content_watch_take(ContentWatch *watch);
void content_watch_set_current(ContentWatch *watch, Library *current);

/* Reloads counted so far, for logs and tests. */
int content_watch_reloads(const ContentWatch *watch);

#endif
