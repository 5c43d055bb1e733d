/* library.c: scanning content folders, and choosing a translation per pack.
 *
 * Folder entries are sorted by name so that the same files always load in the same order, whatever
 * order the file system lists them in: the first pack with a given id and language wins, and
 * "first" must mean the same thing on every start.
 */
#define _POSIX_C_SOURCE 200809L
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

static bool add_pack(Library *library, Pack *pack)
{
    Pack **grown = realloc(library->packs, (size_t)(library->pack_count + 1) * sizeof *grown);
    if (!grown)
        return false;
    library->packs = grown;
    library->packs[library->pack_count++] = pack;
    return true;
}

static void load_one(Library *library, const char *dir)
{
    library->packs_found++;
    Pack *pack = pack_load(dir, &library->problems);
    if (!pack)
        return;
    for (int i = 0; i < library->pack_count; i++) {
        const Pack *other = library->packs[i];
        if (strcmp(other->id, pack->id) == 0 && strcasecmp(other->language, pack->language) == 0) {
            problems_add(&library->problems, PROBLEM_WARNING, pack->manifest, 0, 0, "id",
                         "another pack, %s, already has the id \"%s\" in language \"%s\"; this one is not "
                         "used. Give one of them a new id, or a different language",
                         other->manifest, pack->id, pack->language);
            pack_free(pack);
            return;
        }
    }
    if (!add_pack(library, pack))
        pack_free(pack);
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

Library *library_load(const char *const *folders, int folder_count)
{
    Library *library = calloc(1, sizeof *library);
    if (!library)
        return NULL;
    problems_init(&library->problems);
    for (int i = 0; i < folder_count; i++)
        scan_folder(library, folders[i]);
    return library;
}

void library_free(Library *library)
{
    if (!library)
        return;
    for (int i = 0; i < library->pack_count; i++)
        pack_free(library->packs[i]);
    free(library->packs);
    problems_free(&library->problems);
    free(library);
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
