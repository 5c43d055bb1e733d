/* reload_bench.c: times a live reload of one changed pack against a full reload of a library.
 *
 * It loads every pack under CONTENT_DIR, then reloads it in full and with library_reload() told that
 * one pack folder changed (the reuse a live kiosk does), each REPEAT times, and prints the median
 * wall time of each. Nothing is written; the "changed" pack is simply read again. Build and run:
 *
 *     cc -O2 -std=c11 -Isrc/core tools/bench/reload_bench.c build/src/core/libba_core.a \
 *        $(pkg-config --libs libcjson libsodium sqlite3) -lm -o /tmp/reload_bench && /tmp/reload_bench CONTENT_DIR
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "library.h"

#define REPEAT 9

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s CONTENT_DIR\n", argv[0]);
        return 2;
    }
    const char *folders[] = {argv[1]};
    Library *base = library_load(folders, 1);
    if (!base || base->pack_count == 0) {
        fprintf(stderr, "no packs under %s\n", argv[1]);
        library_free(base);
        return 1;
    }
    const char *changed[] = {base->packs[base->pack_count / 2]->dir};
    double full[REPEAT], one[REPEAT];
    for (int i = 0; i < REPEAT; i++) {
        double t0 = now_s();
        library_free(library_load(folders, 1));
        double t1 = now_s();
        Library *partial = library_reload(folders, 1, base, changed, 1);
        double t2 = now_s();
        library_free_except(partial, base, NULL);
        full[i] = t1 - t0;
        one[i] = t2 - t1;
    }
    qsort(full, REPEAT, sizeof *full, compare_doubles);
    qsort(one, REPEAT, sizeof *one, compare_doubles);
    printf("%d packs: full reload %.3f s, reload of one changed pack %.3f s (medians of %d)\n",
           base->pack_count, full[REPEAT / 2], one[REPEAT / 2], REPEAT);
    library_free(base);
    return 0;
}
