/* fuzz_script.c: a fuzz target for the script parser (src/app/script_parse.c), which reads a file
 * anyone can pass to --script. The input is cut into lines as script_run cuts them (fgets into 1024
 * bytes, newline removed) and each line is parsed; a parsed command must point inside its line. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"
#include "script_parse.h"

static void parse_one(const char *line)
{
    ScriptCommand cmd;
    const char *why = NULL, *detail = NULL;
    bool ok = script_parse_line(line, &cmd, &why, &detail);
    size_t len = strlen(line);
    /* What the runner prints or compares must lie in the line (or, for a bad line, be said). */
    if (cmd.shown < line || cmd.shown > line + len || cmd.rest < line || cmd.rest > line + len || (!ok && !why))
        abort();
    if (ok)
        script_coord_pixels(cmd.x1, 1280.0f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char line[1024];
    size_t at = 0;
    while (at < size) {
        size_t n = 0;
        while (at < size && n < sizeof line - 1) {
            char c = (char)data[at++];
            line[n++] = c;
            if (c == '\n')
                break;
        }
        line[n] = '\0';
        line[strcspn(line, "\r\n")] = '\0';
        parse_one(line);
    }
    return 0;
}
