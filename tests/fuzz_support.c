/* fuzz_support.c: the scratch folder that file-reading fuzz targets load their input from (see
 * fuzz_support.h). Paths are built with snprintf into fixed buffers and every call is checked: a fuzz
 * harness that fails quietly would report coverage it never had. */
#define _POSIX_C_SOURCE 200809L
#include "fuzz_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool fuzz_scratch_make(char *dir, size_t size)
{
    struct stat st;
    const char *base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : "/tmp";
    snprintf(dir, size, "%s/ba-fuzz-XXXXXX", base);
    return mkdtemp(dir) != NULL;
}

bool fuzz_scratch_write(const char *dir, const char *name, const uint8_t *data, size_t len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *slash = strrchr(path + strlen(dir) + 1, '/');
    if (slash) {
        *slash = '\0';
        mkdir(path, 0700); /* may already exist */
        *slash = '/';
    }
    FILE *f = fopen(path, "wb");
    bool ok = f != NULL;
    if (f) {
        ok = fwrite(data, 1, len, f) == len;
        ok = fclose(f) == 0 && ok;
    }
    return ok;
}

void fuzz_scratch_remove(const char *dir, const char *const *names, int count)
{
    char path[1024];
    for (int i = 0; i < count; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
        char *slash = strrchr(path + strlen(dir) + 1, '/');
        if (slash) {
            *slash = '\0';
            rmdir(path); /* fails harmlessly while another name still uses it */
        }
    }
    rmdir(dir);
}
