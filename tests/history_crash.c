/* history_crash.c: a victim for test_history's crash test. `history_crash DB` opens the store and
 * writes sessions for ever: each history_start and history_progress that returns success is
 * announced on stdout as "confirmed <id> <steps>" and flushed at once, so whatever the test has read
 * when it kills this process with SIGKILL is a promise the store must keep.
 *
 * Each session has ten steps and is completed by its tenth progress, then the next one starts. Any
 * failure is printed to stderr and ends the program with status 1, which the test notices as a
 * process that stopped writing before it was killed.
 */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <time.h>

#include "history.h"

/* How far a session got, in the common case of steps done in order with none skipped. */
static bool progress(History *h, int64_t id, int steps_done, int seconds, bool completed)
{
    return history_progress(h, id, &(HistoryProgress){.steps_done = steps_done, .seconds = seconds,
                                                      .completed = completed, .resume_step = steps_done});
}

#define STEPS 10

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: history_crash DB\n");
        return 2;
    }
    HistoryOpenResult result;
    char message[1024];
    History *history = history_open(argv[1], &result, message, sizeof message);
    if (!history) {
        fprintf(stderr, "history_crash: %s\n", message);
        return 1;
    }
    if (result == HISTORY_RECOVERED) /* the test fails on this too, when it reopens the store */
        fprintf(stderr, "history_crash: %s\n", message);
    for (unsigned n = 0;; n++) {
        int64_t id = history_start(history, (int64_t)time(NULL), "crash-pack/item", "Crash test routine",
                                   n % 2 ? KIND_BREATHING : KIND_EXERCISE, STEPS);
        if (id <= 0)
            break;
        printf("confirmed %lld 0\n", (long long)id);
        fflush(stdout);
        for (int steps = 1; steps <= STEPS; steps++) {
            if (!progress(history, id, steps, steps * 6, steps == STEPS))
                goto fail;
            printf("confirmed %lld %d\n", (long long)id, steps);
            fflush(stdout);
        }
    }
fail:
    fprintf(stderr, "history_crash: a write failed\n");
    history_close(history);
    return 1;
}
