/* script_parse.h: one line of a script (docs/scripts.md) turned into a command, with no SDL and no App.
 *
 * Parsing is kept apart from running so that it can be tested and fuzzed on its own: a script is a
 * file anyone can hand the app. Coordinates stay as written (pixels or a percentage) because the
 * screen size they refer to is only known when the command runs.
 */
#ifndef BA_SCRIPT_PARSE_H
#define BA_SCRIPT_PARSE_H

#include <stdbool.h>

typedef enum {
    SCRIPT_NOTHING, /* a blank line or a comment */
    SCRIPT_WAIT,
    SCRIPT_TAP,
    SCRIPT_SWIPE,
    SCRIPT_KEY,
    SCRIPT_SCREENSHOT,
    SCRIPT_SIZE,
    SCRIPT_OPEN,
    SCRIPT_LANG,
    SCRIPT_EXPECT,
    SCRIPT_QUIT
} ScriptVerb;

typedef enum { SCRIPT_MOD_NONE, SCRIPT_MOD_CTRL, SCRIPT_MOD_SHIFT } ScriptModifier;

typedef struct {
    float value;
    bool percent; /* value is a percentage of the width or height */
} ScriptCoord;

typedef struct {
    ScriptVerb verb;
    long ms;                   /* wait; swipe (default 250) */
    ScriptCoord x1, y1, x2, y2; /* tap uses x1 y1 */
    ScriptModifier mod;        /* key */
    int width, height;         /* size */
    char word[256];            /* key name; screenshot file; open spec; lang code */
    const char *rest;          /* expect: the words after the command, inside the parsed line */
    const char *shown;         /* the line without leading blanks, for messages; inside the parsed line */
} ScriptCommand;

/* Parses one line (without its newline). Returns false when the line is wrong, with `why` set to a
 * message for "file:line: why: detail" and `detail` to the part of the line to quote. `rest` and
 * `shown` point into `line`, which must outlive the command. */
bool script_parse_line(const char *line, ScriptCommand *command, const char **why, const char **detail);

/* The coordinate in pixels for an output `full` pixels wide (or high). */
float script_coord_pixels(ScriptCoord coord, float full);

#endif
