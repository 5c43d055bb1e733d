/* main.c: the blue-align command line.
 *
 * `--validate` is for clinic staff checking packs before they put them on a screen: it prints every
 * problem as "file:line:col: error|warning: json.path: message" and exits 0 when there are no errors,
 * 1 when there are, 2 when the command itself was wrong. It needs no display, so it runs anywhere.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_paths.h"
#include "library.h"
#include "problems.h"

#define EXIT_USAGE 2

static void print_usage(FILE *out)
{
    fprintf(out,
            "Usage: blue-align [options]\n"
            "       blue-align --validate [--strict] [PATH...]\n"
            "\n"
            "Blue Align Patient Guide: illustrated explanations, posture tips and guided breathing and\n"
            "exercise routines, all from content packs a clinic can edit.\n"
            "\n"
            "Checking content packs:\n"
            "  --validate [PATH...] check pack folders, or folders of packs, and print every problem as\n"
            "                      file:line:col: error|warning: field: message; with no PATH, checks\n"
            "                      the content the app shows (the bundled content)\n"
            "  --strict            with --validate, treat warnings as errors\n"
            "\n"
            "General:\n"
            "  --help              show this help and exit\n"
            "  --version           show the version and exit\n"
            "\n"
            "Exit status: 0 when all is well, 1 when a pack has errors, 2 when the command is wrong.\n"
            "The pack format is described in docs/content-packs.md.\n");
}

static int validate(const char *const *paths, int count, int strict)
{
    Library *library = library_load(paths, count);
    if (!library) {
        fprintf(stderr, "blue-align: out of memory\n");
        return 1;
    }
    char line[2048];
    for (size_t i = 0; i < library->problems.count; i++) {
        problem_format(&library->problems.items[i], line, sizeof line);
        puts(line);
    }
    int items = 0;
    for (int i = 0; i < library->pack_count; i++)
        items += library->packs[i]->item_count;
    size_t errors = problems_count(&library->problems, PROBLEM_ERROR);
    size_t warnings = problems_count(&library->problems, PROBLEM_WARNING);
    int skipped = library->packs_found - library->pack_count;
    printf("%s%d pack%s checked (%d item%s loaded%s%d pack%s skipped): %zu error%s, %zu warning%s\n",
           library->problems.count ? "\n" : "", library->packs_found, library->packs_found == 1 ? "" : "s",
           items, items == 1 ? "" : "s", ", ", skipped, skipped == 1 ? "" : "s", errors,
           errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
    library_free(library);
    return errors || (strict && warnings) ? 1 : 0;
}

int main(int argc, char **argv)
{
    int validate_mode = 0, strict = 0;
    const char **paths = calloc((size_t)argc, sizeof *paths);
    int path_count = 0;
    int status = 0;
    char *bundled = NULL;
    if (!paths)
        return 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            print_usage(stdout);
            goto done;
        } else if (strcmp(a, "--version") == 0) {
            printf("blue-align %s (content-pack format 1)\n", BA_VERSION);
            goto done;
        } else if (strcmp(a, "--validate") == 0) {
            validate_mode = 1;
        } else if (strcmp(a, "--strict") == 0) {
            strict = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "blue-align: unknown option %s\n\n", a);
            print_usage(stderr);
            status = EXIT_USAGE;
            goto done;
        } else {
            paths[path_count++] = a;
        }
    }
    if (!validate_mode) {
        fprintf(stderr, "blue-align: say what to do, such as --validate content\n\n");
        print_usage(stderr);
        status = EXIT_USAGE;
        goto done;
    }
    if (path_count == 0) {
        bundled = app_bundled_content_dir();
        if (!bundled) {
            fprintf(stderr, "blue-align: the bundled content folder cannot be found next to %s\n", argv[0]);
            status = 1;
            goto done;
        }
        paths[path_count++] = bundled;
    }
    status = validate(paths, path_count, strict);
done:
    free(bundled);
    free(paths);
    return status;
}
