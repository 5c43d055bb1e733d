/* library.c: scanning content folders, choosing a translation per pack, and merging a reload with
 * the library on screen.
 *
 * Folder entries are sorted by name so that the same files always load in the same order, whatever
 * order the file system lists them in: the first pack with a given id and language wins, and
 * "first" must mean the same thing on every start. For the same reason library_merge() puts a
 * carried-over pack back where it stood among its neighbours rather than at the end: section titles
 * and the language list follow load order, and a pack that breaks on a live kiosk should not move.
 */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700 /* realpath() */
#include "library.h"

#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "text_util.h"

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_directory(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* Puts `pack` at index `at` (0..pack_count), keeping `carried` the same length as `packs`. */
static bool insert_pack(Library *library, int at, Pack *pack, bool carried)
{
    size_t n = (size_t)library->pack_count + 1;
    /* Grow `carried` first: if `packs` then fails, a longer `carried` is harmless. */
    bool *grown_carried = realloc(library->carried, n * sizeof *grown_carried);
    if (!grown_carried)
        return false;
    library->carried = grown_carried;
    Pack **grown = realloc(library->packs, n * sizeof *grown);
    if (!grown)
        return false;
    library->packs = grown;
    size_t tail = (size_t)(library->pack_count - at);
    memmove(&library->packs[at + 1], &library->packs[at], tail * sizeof *library->packs);
    memmove(&library->carried[at + 1], &library->carried[at], tail * sizeof *library->carried);
    library->packs[at] = pack;
    library->carried[at] = carried;
    library->pack_count++;
    return true;
}

static void add_failed_dir(Library *library, const char *dir)
{
    char **grown = realloc(library->failed_dirs, (size_t)(library->failed_count + 1) * sizeof *grown);
    if (!grown)
        return;
    library->failed_dirs = grown;
    char *copy = text_dup(dir);
    if (copy)
        library->failed_dirs[library->failed_count++] = copy;
}

/* ---- Reuse for library_reload: self-contained, load_one only calls obtain_pack and release_pack. */

struct LibraryReuse {
    const Library *base;
    const char *const *changed;
    int changed_count;
};

/* Whether `prefix` names `path` or a folder above it, component by component, so that runs of '/'
 * and trailing ones do not matter: the watch and the scan spell the same folder slightly differently
 * ("content//" gives "content/a" to one and "content//a" to the other). */
static bool path_within(const char *path, const char *prefix)
{
    if ((*path == '/') != (*prefix == '/'))
        return false;
    for (;;) {
        while (*path == '/')
            path++;
        while (*prefix == '/')
            prefix++;
        if (*prefix == '\0')
            return true;
        size_t n = strcspn(prefix, "/");
        if (strncmp(path, prefix, n) != 0 || (path[n] != '/' && path[n] != '\0'))
            return false;
        path += n;
        prefix += n;
    }
}

static bool folder_changed(const LibraryReuse *reuse, const char *dir)
{
    for (int i = 0; i < reuse->changed_count; i++)
        if (path_within(reuse->changed[i], dir) || path_within(dir, reuse->changed[i]))
            return true;
    return false;
}

/* The base's record of `dir`, when it may be reused as it is. */
static const LibraryFolder *reusable_folder(const Library *library, const char *dir)
{
    const LibraryReuse *reuse = library->reuse;
    const LibraryFolder *found = NULL;
    if (!reuse || !reuse->base || folder_changed(reuse, dir))
        return NULL;
    for (int i = 0; !found && i < reuse->base->loaded_count; i++) {
        const LibraryFolder *f = &reuse->base->loaded[i];
        if (f->reusable && strcmp(f->dir, dir) == 0)
            found = f;
    }
    return found;
}

static void copy_problems(ProblemList *to, const ProblemList *from)
{
    for (size_t i = 0; i < from->count; i++) {
        const Problem *p = &from->items[i];
        problems_add(to, p->severity, p->file, p->line, p->col, p->path, "%s", p->message);
    }
}

static LibraryFolder *add_loaded(Library *library, const char *dir)
{
    int count = library->loaded_count;
    /* The capacity doubles at each power of two (no field to keep it in), so a big library grows in
     * linear time. */
    if (count == 0 || (count >= 8 && (count & (count - 1)) == 0)) {
        size_t capacity = count ? (size_t)count * 2 : 8;
        LibraryFolder *grown = realloc(library->loaded, capacity * sizeof *grown);
        if (!grown)
            return NULL;
        library->loaded = grown;
    }
    LibraryFolder *grown = library->loaded;
    LibraryFolder *f = &grown[library->loaded_count];
    *f = (LibraryFolder){text_dup(dir), NULL, true, {0}};
    problems_init(&f->problems);
    if (!f->dir)
        return NULL;
    library->loaded_count++;
    return f;
}

/* The pack in `dir`: the base's own when it is unchanged (*reused set), else read from its files.
 * Either way its problems go to the library and into its LibraryFolder record. */
static Pack *obtain_pack(Library *library, const char *dir, bool *reused)
{
    const LibraryFolder *old = reusable_folder(library, dir);
    LibraryFolder *record = add_loaded(library, dir);
    ProblemList read;
    problems_init(&read);
    Pack *pack = old ? old->pack : pack_load(dir, &read);
    *reused = old && pack;
    if (old)
        library->packs_reused++;
    const ProblemList *said = old ? &old->problems : &read;
    if (record) {
        copy_problems(&record->problems, said);
        record->pack = pack;
    }
    copy_problems(&library->problems, said);
    problems_free(&read);
    return pack;
}

/* A pack obtain_pack gave that the library does not keep: freed unless it is the base's, and its
 * record can no longer be reused (the next reload reads it again). */
static void release_pack(Library *library, Pack *pack, bool reused)
{
    for (int i = 0; i < library->loaded_count; i++)
        if (library->loaded[i].pack == pack) {
            library->loaded[i].pack = NULL;
            library->loaded[i].reusable = false;
        }
    if (!reused)
        pack_free(pack);
}

static void load_one(Library *library, const char *dir)
{
    library->packs_found++;
    bool reused = false;
    Pack *pack = obtain_pack(library, dir, &reused);
    if (!pack) {
        /* Only a pack that is there and broken keeps its last good version; one whose manifest has
         * gone (or was named and never existed) is simply absent. */
        char *manifest = text_printf("%s/pack.json", dir);
        if (manifest && exists(manifest))
            add_failed_dir(library, dir);
        free(manifest);
        return;
    }
    for (int i = 0; i < library->pack_count; i++) {
        const Pack *other = library->packs[i];
        if (strcmp(other->id, pack->id) == 0 && strcasecmp(other->language, pack->language) == 0) {
            /* An error, not a warning: a whole pack is hidden, and which one depends on folder names. */
            problems_add(&library->problems, PROBLEM_ERROR, pack->manifest, 0, 0, "id",
                         "the packs in %s and %s both have the id \"%s\" in language \"%s\"; only %s is "
                         "shown. Give one of them a new \"id\" in its pack.json, set a different "
                         "\"language\" if it is a translation, or remove the copy you do not want",
                         other->dir, pack->dir, pack->id, pack->language, other->dir);
            release_pack(library, pack, reused);
            return;
        }
    }
    if (!insert_pack(library, library->pack_count, pack, false))
        release_pack(library, pack, reused);
}

static void scan_folder(Library *library, const char *folder)
{
    library->folders_scanned++;
    char *manifest = text_printf("%s/pack.json", folder);
    if (!manifest)
        return;
    size_t len = strlen(folder);
    if (!is_directory(folder) && len >= 9 && strcmp(folder + len - 9, "pack.json") == 0 &&
        (len == 9 || folder[len - 10] == '/')) {
        /* Someone pointed at the manifest itself: check the pack it belongs to. */
        char *dir = len == 9 ? text_dup(".") : text_printf("%.*s", (int)(len - 10), folder);
        free(manifest);
        if (dir)
            load_one(library, dir);
        free(dir);
        return;
    }
    if (!is_directory(folder)) {
        problems_add(&library->problems, PROBLEM_ERROR, folder, 0, 0, "",
                     exists(folder) ? "this is not a folder; give a pack folder or a folder of packs"
                                    : "this folder does not exist");
        free(manifest);
        return;
    }
    if (exists(manifest)) {
        free(manifest);
        load_one(library, folder);
        return;
    }
    free(manifest);

    DIR *d = opendir(folder);
    if (!d) {
        problems_add(&library->problems, PROBLEM_ERROR, folder, 0, 0, "", "this folder cannot be read");
        return;
    }
    char **names = NULL;
    size_t count = 0, capacity = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue; /* ".", "..", and hidden folders such as .git or a half-copied .tmp */
        if (count == capacity) {
            capacity = capacity ? capacity * 2 : 32;
            char **grown = realloc(names, capacity * sizeof *grown);
            if (!grown)
                break;
            names = grown;
        }
        names[count] = text_dup(e->d_name);
        if (names[count])
            count++;
    }
    closedir(d);
    if (count) /* names is NULL in an empty folder */
        qsort(names, count, sizeof *names, compare_names);
    int packs_before = library->packs_found;
    for (size_t i = 0; i < count; i++) {
        char *path = text_printf("%s%s%s", folder, folder[strlen(folder) - 1] == '/' ? "" : "/", names[i]);
        char *inner = path ? text_printf("%s/pack.json", path) : NULL;
        if (path && inner && is_directory(path)) {
            if (exists(inner))
                load_one(library, path);
            else
                problems_add(&library->problems, PROBLEM_WARNING, path, 0, 0, "",
                             "this folder has no pack.json, so it is not a pack; copy an existing pack "
                             "folder to start a new one");
        }
        free(inner);
        free(path);
        free(names[i]);
    }
    free(names);
    if (library->packs_found == packs_before)
        problems_add(&library->problems, PROBLEM_ERROR, folder, 0, 0, "",
                     "no packs here: a pack is a folder with a pack.json in it");
}

/* The pack others of its id are translated from: the first English one in load order, or the first. */
static const Pack *original_of(const Library *library, const char *id)
{
    const Pack *first = NULL, *english = NULL;
    for (int i = 0; i < library->pack_count && !english; i++) {
        const Pack *p = library->packs[i];
        if (strcmp(p->id, id) != 0)
            continue;
        if (!first)
            first = p;
        if (library_language_score(p->language, NULL) == 2)
            english = p;
    }
    return english ? english : first;
}

/* Readers of a translation see only its own items (library_select picks whole packs), so an item of
 * the original that the translation lacks is not shown to them: say so, item by item. */
static void check_translations(Library *library)
{
    for (int i = 0; i < library->pack_count; i++) {
        const Pack *translation = library->packs[i];
        const Pack *original = original_of(library, translation->id);
        if (original == translation)
            continue;
        for (int k = 0; k < original->item_count; k++) {
            const PackItem *item = &original->items[k];
            if (pack_find_item(translation, item->id))
                continue;
            problems_add(&library->problems, PROBLEM_WARNING, translation->manifest, 0, 0, "items",
                         "this translation (language \"%s\") has no item \"%s\", which the original pack "
                         "%s (language \"%s\") has, so readers of \"%s\" do not see it (it is left out); "
                         "add a translated copy with the same id",
                         translation->language, item->id, original->manifest, original->language,
                         translation->language);
        }
    }
}

static bool holds(const Library *library, const Pack *pack)
{
    for (int i = 0; library && i < library->pack_count; i++)
        if (library->packs[i] == pack)
            return true;
    return false;
}

Library *library_reload(const char *const *folders, int folder_count, const Library *base,
                        const char *const *changed, int changed_count)
{
    Library *library = calloc(1, sizeof *library);
    if (!library)
        return NULL;
    problems_init(&library->problems);
    LibraryReuse reuse = {base, changed, changed_count};
    library->reuse = &reuse;
    for (int i = 0; i < folder_count; i++)
        scan_folder(library, folders[i]);
    library->reuse = NULL;
    check_translations(library);
    return library;
}

void library_hand_over(Library *fresh, Library *previous)
{
    if (!fresh || !previous)
        return;
    int kept = 0;
    for (int i = 0; i < previous->pack_count; i++) {
        if (holds(fresh, previous->packs[i]))
            continue;
        previous->packs[kept] = previous->packs[i];
        if (previous->carried)
            previous->carried[kept] = previous->carried[i];
        kept++;
    }
    previous->pack_count = kept;
}

void library_free_except(Library *library, const Library *keep_a, const Library *keep_b)
{
    if (!library)
        return;
    library_hand_over((Library *)keep_a, library);
    library_hand_over((Library *)keep_b, library);
    library_free(library);
}


Library *library_load(const char *const *folders, int folder_count)
{
    return library_reload(folders, folder_count, NULL, NULL, 0);
}

void library_free(Library *library)
{
    if (!library)
        return;
    for (int i = 0; i < library->pack_count; i++)
        pack_free(library->packs[i]);
    free(library->packs);
    free(library->carried);
    for (int i = 0; i < library->failed_count; i++)
        free(library->failed_dirs[i]);
    free(library->failed_dirs);
    for (int i = 0; i < library->loaded_count; i++) {
        free(library->loaded[i].dir);
        problems_free(&library->loaded[i].problems);
    }
    free(library->loaded);
    problems_free(&library->problems);
    free(library);
}

/* Whether `dir` is one of the folders that failed in `fresh`: as given, or as the same folder reached
 * by another spelling ("content/x" and "./content//x", or through a symlink). `fresh_real` caches the
 * failed folders' real paths, computed on first use; NULL entries are folders realpath() could not
 * resolve. */
static bool failed_in(const Library *fresh, char **fresh_real, bool *resolved, const char *dir)
{
    for (int k = 0; k < fresh->failed_count; k++)
        if (strcmp(fresh->failed_dirs[k], dir) == 0)
            return true;
    if (!*resolved) {
        for (int k = 0; k < fresh->failed_count; k++)
            fresh_real[k] = realpath(fresh->failed_dirs[k], NULL);
        *resolved = true;
    }
    char *real = realpath(dir, NULL);
    bool found = false;
    for (int k = 0; real && !found && k < fresh->failed_count; k++)
        found = fresh_real[k] && strcmp(fresh_real[k], real) == 0;
    free(real);
    return found;
}

static bool has_pack(const Library *library, const Pack *pack)
{
    for (int i = 0; i < library->pack_count; i++) {
        const Pack *other = library->packs[i];
        if (strcmp(other->id, pack->id) == 0 && strcasecmp(other->language, pack->language) == 0)
            return true;
    }
    return false;
}

/* Where a pack carried over from previous->packs[index] goes in `fresh`: just after the nearest pack
 * that came before it in `previous` and is still in `fresh` (found by folder), or first. */
static int carry_position(const Library *fresh, const Library *previous, int index)
{
    for (int j = index - 1; j >= 0; j--) {
        const char *dir = previous->packs[j]->dir;
        for (int i = fresh->pack_count - 1; i >= 0; i--)
            if (strcmp(fresh->packs[i]->dir, dir) == 0)
                return i + 1;
    }
    return 0;
}

void library_merge(Library *fresh, Library *previous)
{
    if (!fresh || !previous || fresh->failed_count == 0 || previous->pack_count == 0)
        return;
    char **fresh_real = calloc((size_t)fresh->failed_count, sizeof *fresh_real);
    bool *moved = calloc((size_t)previous->pack_count, sizeof *moved);
    bool resolved = false;
    if (!fresh_real || !moved)
        goto done;

    for (int i = 0; i < previous->pack_count; i++) {
        Pack *pack = previous->packs[i];
        if (!failed_in(fresh, fresh_real, &resolved, pack->dir) || has_pack(fresh, pack))
            continue;
        if (!insert_pack(fresh, carry_position(fresh, previous, i), pack, true))
            continue; /* out of memory: the pack stays with `previous` and is freed with it */
        moved[i] = true;
        problems_add(&fresh->problems, PROBLEM_WARNING, pack->manifest, 0, 0, "",
                     "the new version of this pack has errors (see above), so the last good version "
                     "(version %s) is still shown",
                     pack->version);
    }

    /* Take the moved packs out of `previous`, so that freeing it leaves them alone. */
    int kept = 0;
    for (int i = 0; i < previous->pack_count; i++) {
        if (moved[i])
            continue;
        previous->packs[kept] = previous->packs[i];
        if (previous->carried)
            previous->carried[kept] = previous->carried[i];
        kept++;
    }
    previous->pack_count = kept;

done:
    if (fresh_real)
        for (int k = 0; k < fresh->failed_count; k++)
            free(fresh_real[k]);
    free(fresh_real);
    free(moved);
}

void library_free_after_merge(Library *previous)
{
    /* library_merge already took the carried packs out of previous->packs. */
    library_free(previous);
}

static size_t base_length(const char *tag)
{
    size_t n = 0;
    while (tag[n] && tag[n] != '-' && tag[n] != '_')
        n++;
    return n;
}

int library_language_score(const char *pack_language, const char *wanted)
{
    if (wanted && strcasecmp(pack_language, wanted) == 0)
        return 4;
    size_t a = base_length(pack_language);
    if (wanted && a == base_length(wanted) && strncasecmp(pack_language, wanted, a) == 0)
        return 3;
    if (a == 2 && tolower((unsigned char)pack_language[0]) == 'e' && tolower((unsigned char)pack_language[1]) == 'n')
        return 2;
    return 1;
}

int library_select(const Library *library, const char *language, const Pack **out, int max)
{
    int written = 0;
    for (int i = 0; i < library->pack_count && written < max; i++) {
        const Pack *candidate = library->packs[i];
        bool seen = false;
        for (int k = 0; k < written; k++)
            seen |= strcmp(out[k]->id, candidate->id) == 0;
        if (seen)
            continue;
        const Pack *best = candidate;
        int best_score = library_language_score(candidate->language, language);
        for (int j = i + 1; j < library->pack_count; j++) {
            const Pack *other = library->packs[j];
            int score = library_language_score(other->language, language);
            if (strcmp(other->id, candidate->id) == 0 && score > best_score) {
                best = other;
                best_score = score;
            }
        }
        out[written++] = best;
    }
    return written;
}

const Pack **library_select_all(const Library *library, const char *language, int *count)
{
    *count = 0;
    if (library->pack_count == 0)
        return NULL;
    const Pack **out = malloc((size_t)library->pack_count * sizeof *out);
    if (out)
        *count = library_select(library, language, out, library->pack_count);
    return out;
}

int library_languages(const Library *library, const char *id, const char **out, int max)
{
    int written = 0;
    for (int i = 0; i < library->pack_count && written < max; i++) {
        const Pack *p = library->packs[i];
        if (id && strcmp(p->id, id) != 0)
            continue;
        bool seen = false;
        for (int k = 0; k < written; k++)
            seen |= strcasecmp(out[k], p->language) == 0;
        if (!seen)
            out[written++] = p->language;
    }
    return written;
}

/* The languages a clinic is likely to add, by the code's language part (and script or region where
 * they name different written languages). */
static const struct {
    const char *code, *native, *english;
} language_names[] = {
    {"zh-hans", "简体中文", "Chinese (Simplified)"}, {"zh-hant", "繁體中文", "Chinese (Traditional)"},
    {"zh-cn", "简体中文", "Chinese (Simplified)"},  {"zh-tw", "繁體中文", "Chinese (Traditional)"},
    {"zh-hk", "繁體中文", "Chinese (Traditional)"}, {"pt-br", "Português (Brasil)", "Portuguese (Brazil)"},
    {"en", "English", "English"},                 {"fr", "Français", "French"},
    {"es", "Español", "Spanish"},                 {"de", "Deutsch", "German"},
    {"it", "Italiano", "Italian"},                {"pt", "Português", "Portuguese"},
    {"nl", "Nederlands", "Dutch"},                {"el", "Ελληνικά", "Greek"},
    {"ar", "العربية", "Arabic"},                  {"he", "עברית", "Hebrew"},
    {"fa", "فارسی", "Persian"},                   {"tr", "Türkçe", "Turkish"},
    {"vi", "Tiếng Việt", "Vietnamese"},           {"zh", "中文", "Chinese"},
    {"yue", "粵語", "Cantonese"},                  {"ja", "日本語", "Japanese"},
    {"ko", "한국어", "Korean"},                    {"hi", "हिन्दी", "Hindi"},
    {"pa", "ਪੰਜਾਬੀ", "Punjabi"},                  {"tl", "Tagalog", "Tagalog"},
    {"fil", "Filipino", "Filipino"},              {"pl", "Polski", "Polish"},
    {"ru", "Русский", "Russian"},                 {"uk", "Українська", "Ukrainian"},
    {"mi", "Te Reo Māori", "Māori"},              {"cy", "Cymraeg", "Welsh"},
};

void library_language_names(const char *code, const char **native, const char **english)
{
    *native = *english = code;
    if (!code)
        return;
    size_t n = sizeof language_names / sizeof language_names[0];
    for (int pass = 0; pass < 2; pass++) {
        /* First the whole code ("zh-Hans"), then its language part alone ("es" for "es-MX"). */
        size_t len = strcspn(code, pass == 0 ? "" : "-_");
        for (size_t i = 0; i < n; i++) {
            if (strlen(language_names[i].code) == len && strncasecmp(language_names[i].code, code, len) == 0) {
                *native = language_names[i].native;
                *english = language_names[i].english;
                return;
            }
        }
    }
}
