/* fuzz_replay.c: the plain main() that ctest uses to run a fuzz target over its seeds and fixtures.
 *
 * Each argument is a file, or a folder whose files are all replayed (as libFuzzer's corpus folders
 * are). Each input is fed whole and then as prefixes, as an interrupted copy would leave it; a big
 * input gets about 64 prefixes so that pictures do not make the test slow.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_support.h"

#define REPLAY_MAX_BYTES (16u * 1024 * 1024)

static bool read_all(const char *path, uint8_t **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    bool ok = false;
    *out = NULL;
    *len = 0;
    if (!f)
        return false;
    uint8_t *data = malloc(REPLAY_MAX_BYTES);
    if (data) {
        *len = fread(data, 1, REPLAY_MAX_BYTES, f);
        ok = !ferror(f);
    }
    fclose(f);
    if (ok)
        *out = data;
    else
        free(data);
    return ok;
}

/* Returns 1 when the file was replayed, 0 when it could not be read (such as a FIFO fixture). */
static int replay_file(const char *path)
{
    struct stat st;
    uint8_t *data = NULL;
    size_t len = 0;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || !read_all(path, &data, &len))
        return 0;
    LLVMFuzzerTestOneInput(data, len);
    size_t step = len / 64 > 7 ? len / 64 : 7;
    for (size_t n = 0; n < len; n += step)
        LLVMFuzzerTestOneInput(data, n);
    free(data);
    return 1;
}

static int replay_folder(const char *dir)
{
    int replayed = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        char path[4096];
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        replayed += replay_file(path);
    }
    if (d)
        closedir(d);
    return replayed;
}

int main(int argc, char **argv)
{
    int replayed = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
            replayed += replay_folder(argv[i]);
        else
            replayed += replay_file(argv[i]);
    }
    printf("%d passed, 0 failed\n", replayed);
    return replayed > 0 ? 0 : 1;
}
