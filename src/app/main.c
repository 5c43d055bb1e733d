/* main.c: the blue-align command line.
 *
 * Without a mode it opens the app in a window (or full screen). `--validate` checks packs for staff
 * and needs no display: it prints every problem as "file:line:col: error|warning: json.path: message"
 * and exits 0 when there are no errors, 1 when there are, 2 when the command itself was wrong.
 * `--screenshot` and `--script` draw headless, with no display at all.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <SDL.h>

#include "app.h"
#include "app_paths.h"
#include "home_model.h"
#include "kiosk.h"
#include "kiosk_settings.h"
#include "library.h"
#include "problems.h"
#include "script.h"

#define EXIT_USAGE 2
#define MAX_CONTENT_DIRS 16

static void print_usage(FILE *out)
{
    fprintf(out,
            "Usage: blue-align [options]\n"
            "       blue-align --validate [--strict] [PATH...]\n"
            "       blue-align --screenshot FILE.png [--open ITEM[:N]] [--size WxH] [options]\n"
            "       blue-align --script FILE [--windowed] [options]\n"
            "       blue-align --kiosk [--settings FILE] [options]\n"
            "       blue-align --set-pin SETTINGS_FILE   (reads the new PIN from standard input)\n"
            "\n"
            "Blue Align Patient Guide: illustrated explanations, posture tips and guided breathing and\n"
            "exercise routines, all from content packs a clinic can edit.\n"
            "\n"
            "Options:\n"
            "  --content DIR       show the packs in DIR (a pack folder or a folder of packs); may be\n"
            "                      given several times; the default is the bundled content\n"
            "  --lang CODE         language of the content, such as en or fr-CA (default: the system's)\n"
            "  --windowed          open in a window (the default)\n"
            "  --fullscreen        fill the screen\n"
            "  --size WxH          window or picture size in pixels, such as 800x480\n"
            "  --reduced-motion    show the breathing pace as a filling bar instead of a moving shape\n"
            "  --text-size N       text size 1 (standard) to 4 (largest), for this run only\n"
            "  --high-contrast     high contrast, for this run only (neither is kept in the settings)\n"
            "  --mute              start with sound cues off\n"
            "  --display N         open on display N (counted from 0)\n"
            "  --renderer auto|software|gpu  how to draw: auto (the default) uses the graphics card\n"
            "                      when there is one and draws in software otherwise\n"
            "  --data DIR          keep the history, favourites and settings in DIR (default: the\n"
            "                      user's data folder, such as ~/.local/share/BlueAlign/PatientGuide)\n"
            "  --export-history FILE.csv  write the history as CSV (for your practitioner) and exit\n"
            "\n"
            "Waiting-room kiosk (see docs/kiosk.md):\n"
            "  --kiosk             full screen, cannot be closed from the screen, back to the start when\n"
            "                      left alone; staff open staff mode with a long press in the top-left\n"
            "                      corner and the PIN; SIGTERM ends it cleanly\n"
            "  --settings FILE     the kiosk settings file (docs/kiosk-settings.md)\n"
            "  --set-pin FILE      set the staff PIN in the settings file and exit\n"
            "\n"
            "Checking content packs:\n"
            "  --validate [PATH...] check pack folders, or folders of packs, and print every problem as\n"
            "                      file:line:col: error|warning: field: message; with no PATH, checks\n"
            "                      the content the app shows (the bundled content, or --content)\n"
            "  --strict            with --validate, treat warnings as errors\n"
            "  --list-items        list the tiles of home, in its order: pack/item, kind, section, title\n"
            "\n"
            "Previews and tests (no display needed):\n"
            "  --screenshot FILE   draw one screen into a PNG file and exit\n"
            "  --open ITEM[:N]     with --screenshot: open a topic (at slide N) or a routine (at step N);\n"
            "                      without N a routine shows its \"before you start\" card\n"
            "  --script FILE       run the timed input events in FILE (see docs/scripts.md) and exit\n"
            "  --quit-after-first-frame  open the window, draw once and exit (start-up benchmark)\n"
            "\n"
            "General:\n"
            "  --help              show this help and exit\n"
            "  --version           show the version and exit\n"
            "\n"
            "Exit status: 0 when all is well, 1 on errors, 2 when the command is wrong.\n"
            "The pack format is described in docs/content-packs.md.\n");
}

/* Reads a line from standard input without echo when it is a terminal. */
static bool read_secret(const char *prompt, char *out, size_t size)
{
    bool tty = isatty(STDIN_FILENO);
    struct termios old, quiet;
    if (tty) {
        fputs(prompt, stderr);
        tcgetattr(STDIN_FILENO, &old);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    bool ok = fgets(out, (int)size, stdin) != NULL;
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        fputc('\n', stderr);
    }
    out[strcspn(out, "\r\n")] = '\0';
    return ok;
}

static int set_pin(const char *path)
{
    char pin[64] = "", again[64] = "", hash[KIOSK_PIN_HASH_MAX], error[1024];
    int status = 1;
    if (!read_secret("New staff PIN (4 to 12 digits): ", pin, sizeof pin)) {
        fprintf(stderr, "blue-align: no PIN was given (standard input ended first); nothing was changed\n");
        goto done;
    }
    if (isatty(STDIN_FILENO) && (!read_secret("The same PIN again: ", again, sizeof again) || strcmp(pin, again) != 0)) {
        fprintf(stderr, "blue-align: the two PINs differ; nothing was changed\n");
        goto done;
    }
    if (!kiosk_pin_hash(pin, hash, sizeof hash)) {
        fprintf(stderr, "blue-align: a PIN is 4 to 12 digits; nothing was changed\n");
        goto done;
    }
    if (!kiosk_settings_write_pin(path, hash, error, sizeof error)) {
        fprintf(stderr, "blue-align: %s\n", error);
        goto done;
    }
    fprintf(stderr, "blue-align: the staff PIN is set in %s; restart the kiosk to use it\n", path);
    status = 0;
done:
    memset(pin, 0, sizeof pin);
    memset(again, 0, sizeof again);
    return status;
}

static int export_history(const char *data_dir, const char *path)
{
    char *dir = data_dir ? NULL : SDL_GetPrefPath("BlueAlign", "PatientGuide");
    char db[2048];
    snprintf(db, sizeof db, "%s%shistory.db", data_dir ? data_dir : dir ? dir : ".", data_dir ? "/" : "");
    SDL_free(dir);
    HistoryOpenResult result;
    char message[300];
    History *history = history_open(db, &result, message, sizeof message);
    if (!history) {
        fprintf(stderr, "blue-align: the history cannot be opened: %s\n", message);
        return 1;
    }
    FILE *out = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
    bool ok = out && history_export_csv(history, out);
    if (out && out != stdout)
        ok = fclose(out) == 0 && ok;
    history_close(history);
    if (!ok) {
        fprintf(stderr, "blue-align: could not write %s\n", path);
        return 1;
    }
    if (out != stdout)
        fprintf(stderr, "blue-align: the history is in %s\n", path);
    return 0;
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
    printf("%s%d pack%s checked (%d item%s loaded, %d pack%s skipped): %zu error%s, %zu warning%s\n",
           library->problems.count ? "\n" : "", library->packs_found, library->packs_found == 1 ? "" : "s", items,
           items == 1 ? "" : "s", skipped, skipped == 1 ? "" : "s", errors, errors == 1 ? "" : "s", warnings,
           warnings == 1 ? "" : "s");
    library_free(library);
    return errors || (strict && warnings) ? 1 : 0;
}

static bool parse_size(const char *s, int *w, int *h)
{
    char tail;
    return sscanf(s, "%dx%d%c", w, h, &tail) == 2 && *w >= 320 && *h >= 240 && *w <= 7680 && *h <= 4320;
}

int main(int argc, char **argv)
{
    const char *paths[MAX_CONTENT_DIRS + 64];
    int path_count = 0;
    const char *content[MAX_CONTENT_DIRS];
    int content_count = 0;
    int validate_mode = 0, strict = 0, list_items = 0;
    const char *screenshot = NULL, *script = NULL, *open = NULL, *settings_path = NULL, *export_path = NULL;
    AppOptions options = {0};
    char *bundled = NULL;
    int status = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes_value = strcmp(a, "--content") == 0 || strcmp(a, "--lang") == 0 || strcmp(a, "--size") == 0 ||
                           strcmp(a, "--screenshot") == 0 || strcmp(a, "--script") == 0 || strcmp(a, "--open") == 0 ||
                           strcmp(a, "--settings") == 0 || strcmp(a, "--set-pin") == 0 || strcmp(a, "--display") == 0 ||
                           strcmp(a, "--data") == 0 || strcmp(a, "--export-history") == 0 || strcmp(a, "--text-size") == 0 ||
                           strcmp(a, "--renderer") == 0;
        if (takes_value && !value) {
            fprintf(stderr, "blue-align: %s needs a value\n\n", a);
            print_usage(stderr);
            return EXIT_USAGE;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            print_usage(stdout);
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            printf("blue-align %s (content-pack format 1)\n", BA_VERSION);
            return 0;
        } else if (strcmp(a, "--validate") == 0) {
            validate_mode = 1;
        } else if (strcmp(a, "--strict") == 0) {
            strict = 1;
        } else if (strcmp(a, "--list-items") == 0) {
            list_items = 1;
        } else if (strcmp(a, "--content") == 0) {
            if (content_count == MAX_CONTENT_DIRS) {
                fprintf(stderr, "blue-align: at most %d --content folders\n", MAX_CONTENT_DIRS);
                return EXIT_USAGE;
            }
            content[content_count++] = argv[++i];
        } else if (strcmp(a, "--lang") == 0) {
            options.language = argv[++i];
        } else if (strcmp(a, "--size") == 0) {
            if (!parse_size(argv[++i], &options.width, &options.height)) {
                fprintf(stderr, "blue-align: --size takes WIDTHxHEIGHT, from 320x240 to 7680x4320, such as 800x480\n");
                return EXIT_USAGE;
            }
        } else if (strcmp(a, "--windowed") == 0) {
            options.windowed = true;
        } else if (strcmp(a, "--fullscreen") == 0) {
            options.fullscreen = true;
        } else if (strcmp(a, "--reduced-motion") == 0) {
            options.reduced_motion = true;
        } else if (strcmp(a, "--high-contrast") == 0) {
            options.high_contrast = true;
        } else if (strcmp(a, "--text-size") == 0) {
            char *end = NULL;
            long size = strtol(argv[++i], &end, 10);
            if (!end || *end || size < 1 || size > 4) {
                fprintf(stderr, "blue-align: --text-size takes 1 (standard) to 4 (largest), not \"%s\"\n", argv[i]);
                return EXIT_USAGE;
            }
            options.text_size = (int)size;
        } else if (strcmp(a, "--mute") == 0) {
            options.muted = true;
        } else if (strcmp(a, "--renderer") == 0) {
            if (!gpu_parse_choice(argv[++i], &options.renderer)) {
                fprintf(stderr, "blue-align: --renderer takes auto, software or gpu\n");
                return EXIT_USAGE;
            }
        } else if (strcmp(a, "--quit-after-first-frame") == 0) {
            options.quit_after_first_frame = true;
        } else if (strcmp(a, "--data") == 0) {
            options.data_dir = argv[++i];
        } else if (strcmp(a, "--export-history") == 0) {
            export_path = argv[++i];
        } else if (strcmp(a, "--kiosk") == 0) {
            options.kiosk = true;
        } else if (strcmp(a, "--settings") == 0) {
            settings_path = argv[++i];
        } else if (strcmp(a, "--set-pin") == 0) {
            return set_pin(argv[++i]);
        } else if (strcmp(a, "--display") == 0) {
            char *end = NULL;
            long n = strtol(argv[++i], &end, 10);
            if (!end || *end || n < 0 || n > 16) {
                fprintf(stderr, "blue-align: --display takes a display number, such as 0 or 1\n");
                return EXIT_USAGE;
            }
            options.display = (int)n;
        } else if (strcmp(a, "--screenshot") == 0) {
            screenshot = argv[++i];
        } else if (strcmp(a, "--script") == 0) {
            script = argv[++i];
        } else if (strcmp(a, "--open") == 0) {
            open = argv[++i];
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "blue-align: unknown option %s\n\n", a);
            print_usage(stderr);
            return EXIT_USAGE;
        } else if (validate_mode && path_count < (int)(sizeof paths / sizeof paths[0])) {
            paths[path_count++] = a;
        } else {
            fprintf(stderr, "blue-align: unexpected argument %s (content folders are given with --content)\n\n", a);
            print_usage(stderr);
            return EXIT_USAGE;
        }
    }
    if ((screenshot != NULL) + (script != NULL) + validate_mode > 1) {
        fprintf(stderr, "blue-align: choose one of --validate, --screenshot and --script\n");
        return EXIT_USAGE;
    }
    if (open && !screenshot) {
        fprintf(stderr, "blue-align: --open goes with --screenshot (scripts use the open command)\n");
        return EXIT_USAGE;
    }
    if (options.windowed && options.fullscreen) {
        fprintf(stderr, "blue-align: choose one of --windowed and --fullscreen\n");
        return EXIT_USAGE;
    }

    if (export_path)
        return export_history(options.data_dir, export_path);

    if (validate_mode) {
        for (int i = 0; i < content_count; i++)
            paths[path_count++] = content[i];
        if (path_count == 0) {
            bundled = app_bundled_content_dir();
            if (!bundled) {
                fprintf(stderr, "blue-align: the bundled content folder cannot be found next to %s\n", argv[0]);
                return 1;
            }
            paths[path_count++] = bundled;
        }
        status = validate(paths, path_count, strict);
        free(bundled);
        return status;
    }

    if (list_items) {
        const char *dirs[MAX_CONTENT_DIRS];
        int dir_count = 0;
        for (int i = 0; i < content_count; i++)
            dirs[dir_count++] = content[i];
        if (dir_count == 0 && (bundled = app_bundled_content_dir()) != NULL)
            dirs[dir_count++] = bundled;
        Library *library = library_load(dirs, dir_count);
        int n = 0;
        const Pack **packs = library ? library_select_all(library, options.language ? options.language : "en", &n) : NULL;
        /* The same model the home screen draws, so this list is exactly what a patient can reach. */
        HomeModel home;
        if (!home_model_build(&home, packs, n, NULL, 0))
            fprintf(stderr, "blue-align: out of memory\n");
        for (int t = 0; t < home.tile_count; t++) {
            const HomeTile *tile = &home.tiles[t];
            printf("%s/%s\t%s\t%s\t%s\n", tile->pack->id, tile->item->id, pack_item_kind_name(tile->item->kind),
                   tile->item->section, tile->item->title);
        }
        home_model_free(&home);
        free(packs);
        library_free(library);
        free(bundled);
        return 0;
    }

    KioskSettings settings;
    ProblemList settings_problems;
    problems_init(&settings_problems);
    kiosk_settings_defaults(&settings);
    if (options.kiosk || settings_path) {
        if (!kiosk_settings_load(settings_path ? settings_path : "/etc/blue-align/kiosk.json", &settings, &settings_problems)) {
            fprintf(stderr, "blue-align: out of memory\n");
            return 1;
        }
        char line[1200];
        for (size_t i = 0; i < settings_problems.count; i++) {
            problem_format(&settings_problems.items[i], line, sizeof line);
            fprintf(stderr, "blue-align: %s\n", line);
        }
        for (int i = 0; i < settings.content_dir_count && content_count == 0; i++)
            content[i] = settings.content_dirs[i];
        if (content_count == 0)
            content_count = settings.content_dir_count;
        if (!options.language)
            options.language = settings.language;
    }
    options.content_dirs = content;
    options.content_dir_count = content_count;
    options.headless = screenshot != NULL || (script != NULL && !options.windowed);
    App *app = app_create(&options);
    if (!app) {
        kiosk_settings_free(&settings);
        problems_free(&settings_problems);
        return 1;
    }
    if (options.kiosk) {
        /* Settings problems join the content problems in the staff view. */
        problems_take(&app->library->problems, &settings_problems);
        kiosk_start(app, &settings, settings_path ? settings_path : "/etc/blue-align/kiosk.json");
    }
    kiosk_settings_free(&settings);
    problems_free(&settings_problems);
    if (screenshot) {
        if (open && !script_open(app, open))
            status = EXIT_USAGE;
        else
            status = app_save_screenshot(app, screenshot) ? 0 : 1;
    } else if (script) {
        status = script_run(app, script);
    } else {
        status = app_run(app);
    }
    app_destroy(app);
    return status;
}
