/* app_paths.c: finding the bundled content from the binary's own location (see app_paths.h). */
#define _DEFAULT_SOURCE
#include "app_paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text_util.h"

char *app_binary_dir(void)
{
    char path[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0)
        return NULL;
    path[n] = '\0';
    char *slash = strrchr(path, '/');
    if (!slash)
        return NULL;
    slash[1] = '\0';
    return text_dup(path);
}

static char *existing_dir(char *path)
{
    struct stat st;
    if (path && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        char *resolved = realpath(path, NULL);
        free(path);
        return resolved;
    }
    free(path);
    return NULL;
}

char *app_data_dir(const char *name)
{
    char *bin = app_binary_dir();
    char *found = NULL;
    if (bin)
        found = existing_dir(text_printf("%s%s/%s", bin, BA_BIN_TO_DATA, name));
#ifdef BA_SOURCE_DIR
    /* Running from the build tree: the files are in the source tree it was built from. */
    if (!found && bin && strncmp(bin, BA_BUILD_DIR, strlen(BA_BUILD_DIR)) == 0)
        found = existing_dir(text_printf("%s/%s", BA_SOURCE_DIR, name));
#endif
    free(bin);
    return found;
}

char *app_bundled_content_dir(void)
{
    return app_data_dir("content");
}

char *app_assets_dir(const char *name)
{
    char *sub = text_printf("assets/%s", name);
    char *found = sub ? app_data_dir(sub) : NULL;
    free(sub);
    return found;
}

/* XDG_DOCUMENTS_DIR from user-dirs.dirs, with $HOME expanded (the only variable the file may use). */
static char *documents_from_user_dirs(const char *home)
{
    const char *config = getenv("XDG_CONFIG_HOME");
    char *path = config && config[0] ? text_printf("%s/user-dirs.dirs", config) : text_printf("%s/.config/user-dirs.dirs", home);
    FILE *f = path ? fopen(path, "r") : NULL;
    char line[1024], *found = NULL;
    while (f && !found && fgets(line, sizeof line, f)) {
        const char *key = "XDG_DOCUMENTS_DIR=\"";
        if (strncmp(line, key, strlen(key)) != 0)
            continue;
        char *value = line + strlen(key), *end = strrchr(value, '"');
        if (!end)
            continue;
        *end = '\0';
        if (strncmp(value, "$HOME", 5) == 0)
            found = text_printf("%s%s", home, value + 5);
        else if (value[0] == '/')
            found = text_dup(value);
    }
    if (f)
        fclose(f);
    free(path);
    return found;
}

char *app_documents_dir(void)
{
    const char *home = getenv("HOME");
    if (!home || !home[0])
        return NULL;
    char *dir = documents_from_user_dirs(home);
    struct stat st;
    if (dir && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return dir;
    free(dir);
    dir = text_printf("%s/Documents", home);
    if (dir && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return dir;
    free(dir);
    return text_dup(home);
}
