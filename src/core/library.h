/* library.h: all the content the app can show, gathered from one or more content folders.
 *
 * A content folder is a pack folder, or a folder of pack folders. Packs that share an id are
 * translations of one another; library_select() picks one per id for the reader's language, so the
 * rest of the app sees a single list of packs. Every problem met while loading is kept in `problems`
 * for the staff view and the log. A broken pack is left out; everything else loads. Two packs with
 * the same id and language are an error (only the first is shown), and a translation that lacks an
 * item of its original gets a warning per item, because both hide content without a word otherwise.
 */
#ifndef BA_LIBRARY_H
#define BA_LIBRARY_H

#include <stdbool.h>

#include "pack.h"
#include "problems.h"

/* What one pack folder gave when it was read, kept so that library_reload() can reuse it untouched. */
typedef struct {
    char *dir;            /* the pack folder as scanned */
    Pack *pack;           /* the pack in this library's `packs` (not owned here), or NULL: it failed */
    bool reusable;        /* false when the pack was read but not kept (a duplicate): read it again */
    ProblemList problems; /* what reading the folder said (a copy; cross-pack checks are not in it) */
} LibraryFolder;

typedef struct LibraryReuse LibraryReuse;

typedef struct {
    Pack **packs;      /* every pack that loaded, in every language, in folder then name order */
    int pack_count;
    int folders_scanned;
    int packs_found;   /* pack folders seen, including those that failed to load */
    char **failed_dirs; /* pack folders (as given) that have a pack.json but did not load */
    int failed_count;
    bool *carried;     /* per pack: carried over from the previous library by library_merge */
    ProblemList problems;
    LibraryFolder *loaded; /* every pack folder read or reused, in scan order */
    int loaded_count;
    int packs_reused;      /* pack folders taken from library_reload's base rather than read */
    const LibraryReuse *reuse; /* only while library_reload runs */
} Library;

/* Loads every pack under the given folders. Never returns NULL except when out of memory. */
Library *library_load(const char *const *folders, int folder_count);
void library_free(Library *library);

/* Live updates: makes `fresh` the library to show, keeping from `previous` every pack whose folder is
 * in fresh->failed_dirs (its new version has errors: the last good version stays on screen, with a
 * warning added to fresh->problems). Packs whose folders are gone, or that now load from elsewhere,
 * are not carried over. Carried packs are moved: free `previous` afterwards with
 * library_free_after_merge, which leaves them alone. */
void library_merge(Library *fresh, Library *previous);
void library_free_after_merge(Library *previous);

/* Live updates of one pack: loads the folders like library_load, but a pack folder that has a
 * LibraryFolder in `base` and lies under none of the `changed` paths (files or folders that changed
 * since `base` was loaded) is not read again: its Pack pointer and its problems are taken from `base`.
 * The scan of the content folders and the cross-pack checks (one pack per id and language) run over
 * the whole set, so the result equals a full library_load. With `base` NULL it is a full load.
 *
 * Ownership: a reused Pack is then held by both libraries; it belongs to whichever of them is kept.
 * Read `base` only while nothing frees it. Before freeing the library that is replaced, call
 * library_hand_over(fresh, replaced) (or free it with library_free_except), never plain library_free. */
Library *library_reload(const char *const *folders, int folder_count, const Library *base,
                        const char *const *changed, int changed_count);

/* Takes out of `previous` every Pack that `fresh` holds too, so that freeing `previous` leaves them
 * to `fresh`. */
void library_hand_over(Library *fresh, Library *previous);

/* Frees `library` and every pack of it that neither `keep_a` nor `keep_b` holds (either may be NULL). */
void library_free_except(Library *library, const Library *keep_a, const Library *keep_b);

/* How well a pack's language serves the wanted one: 4 exact, 3 same base language ("fr" for
 * "fr-CA" or the other way), 2 English, 1 anything else. Case-insensitive. */
int library_language_score(const char *pack_language, const char *wanted);

/* A language's name in itself ("Español", "العربية", "简体中文") and in English, for buttons that a
 * patient picks their own language from. Unknown codes get the code itself for both. */
void library_language_names(const char *code, const char **native, const char **english);

/* Fills `out` (room for `max`) with one pack per id, the best translation for `language`, in load
 * order. Returns how many were written. library->pack_count is always room enough. */
int library_select(const Library *library, const char *language, const Pack **out, int max);

/* The same selection in a new array of *count packs (never capped), or NULL when there is none or no
 * memory. The caller frees the array (not the packs, which stay the library's). */
const Pack **library_select_all(const Library *library, const char *language, int *count);

/* The languages available for a pack id (or for all packs when id is NULL), distinct, in load order;
 * returns the count written. */
int library_languages(const Library *library, const char *id, const char **out, int max);

#endif
