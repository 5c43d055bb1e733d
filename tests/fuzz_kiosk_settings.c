/* fuzz_kiosk_settings.c: a fuzz target for the kiosk settings reader, a file staff edit by hand on
 * the waiting-room machine. The input is written as settings.json in a scratch folder and read back
 * the way the app reads /etc/blue-align/kiosk.json; the settings must always come back usable. */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_support.h"
#include "kiosk_settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"settings.json"};
    char dir[256], path[300];
    if (!fuzz_scratch_make(dir, sizeof dir) || !fuzz_scratch_write(dir, names[0], data, size))
        abort(); /* no scratch folder: every run would test nothing */
    snprintf(path, sizeof path, "%s/%s", dir, names[0]);
    ProblemList problems;
    problems_init(&problems);
    KioskSettings settings;
    if (kiosk_settings_load(path, &settings, &problems)) {
        /* Whatever the file said, the schedule questions must have answers. */
        for (int minute = 0; minute < 24 * 60; minute += 97) {
            kiosk_night_active(&settings, minute);
            kiosk_night_next_change(&settings, minute);
        }
        kiosk_settings_free(&settings);
    }
    char line[2048];
    for (size_t i = 0; i < problems.count; i++)
        problem_format(&problems.items[i], line, sizeof line);
    problems_free(&problems);
    fuzz_scratch_remove(dir, names, 1);
    return 0;
}
