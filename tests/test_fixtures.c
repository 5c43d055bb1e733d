/* test_fixtures.c: one broken pack, loaded beside good ones, must give exactly the expected messages.
 *
 * Usage: test_fixtures NAME (run from tests/). Loads the content folders fixtures/good and
 * fixtures/NAME together, as the app would, and compares:
 *   - every problem, printed as --validate prints it, with the lines of fixtures/NAME/expected.txt
 *     that do not start with '#', in order;
 *   - the packs that loaded and their item counts with the line "# loads: id count, id count".
 * The good packs must always load whole, whatever the broken one does. Git cannot store a FIFO, so a
 * fixture lists the FIFOs it needs in a file named setup-fifo, and they are made before loading.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "library.h"

static const char *fixture;

static void broken_pack_should_give_its_exact_messages_and_leave_the_good_packs_loaded(void)
{
    char folder[512], expected_path[600];
    snprintf(folder, sizeof folder, "fixtures/%s", fixture);
    snprintf(expected_path, sizeof expected_path, "%s/expected.txt", folder);
    FILE *f = fopen(expected_path, "r");
    CHECK(f != NULL);
    if (!f)
        return;

    char setup_path[600];
    snprintf(setup_path, sizeof setup_path, "%s/setup-fifo", folder);
    FILE *setup = fopen(setup_path, "r");
    if (setup) {
        char fifo[512], fifo_path[1100];
        while (fgets(fifo, sizeof fifo, setup)) {
            fifo[strcspn(fifo, "\r\n")] = '\0';
            snprintf(fifo_path, sizeof fifo_path, "%s/%s", folder, fifo);
            CHECK(mkfifo(fifo_path, 0600) == 0 || errno == EEXIST);
        }
        fclose(setup);
    }

    const char *folders[] = {"fixtures/good", folder};
    Library *library = library_load(folders, 2);

    char loads[1024] = "";
    for (int i = 0; i < library->pack_count; i++) {
        char one[160];
        snprintf(one, sizeof one, "%s%s %d", i ? ", " : "", library->packs[i]->id, library->packs[i]->item_count);
        strncat(loads, one, sizeof loads - strlen(loads) - 1);
    }

    char line[2048];
    size_t index = 0;
    bool saw_loads = false;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strncmp(line, "# loads: ", 9) == 0) {
            CHECK_STR(loads, line + 9);
            saw_loads = true;
            continue;
        }
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char actual[2048] = "(no more problems)";
        if (index < library->problems.count)
            problem_format(&library->problems.items[index], actual, sizeof actual);
        CHECK_STR(actual, line);
        index++;
    }
    fclose(f);
    CHECK(saw_loads);
    for (; index < library->problems.count; index++) {
        problem_format(&library->problems.items[index], line, sizeof line);
        fprintf(stderr, "unexpected extra problem: %s\n", line);
        CHECK(!"no unexpected problems");
    }
    /* The good packs load whole beside any broken pack. */
    CHECK(strncmp(loads, "calm-breath 1, desk-basics 2", 28) == 0);
    library_free(library);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_fixtures NAME\n");
        return 2;
    }
    fixture = argv[1];
    RUN(broken_pack_should_give_its_exact_messages_and_leave_the_good_packs_loaded);
    return CHECK_SUMMARY();
}
