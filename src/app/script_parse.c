/* script_parse.c: the script language's grammar, one line at a time (see script_parse.h).
 *
 * Every field is read with a bounded sscanf or strtol, so no line, however long or strange, can
 * overrun a buffer; a line that does not fit the grammar gets the same message it always had.
 */
#include "script_parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A coordinate: pixels, or a percentage of the output's width or height. */
static bool coordinate(const char *word, ScriptCoord *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(word, &end);
    bool ok = end != word && !errno && (*end == '\0' || (*end == '%' && end[1] == '\0'));
    out->value = (float)v;
    out->percent = ok && *end == '%';
    return ok;
}

float script_coord_pixels(ScriptCoord coord, float full)
{
    return coord.percent ? (float)((double)coord.value * full / 100.0) : coord.value;
}

static bool parse_key(ScriptCommand *cmd, const char *name, int n)
{
    cmd->mod = SCRIPT_MOD_NONE;
    if (strncmp(name, "ctrl+", 5) == 0) {
        cmd->mod = SCRIPT_MOD_CTRL;
        name += 5;
    } else if (strncmp(name, "shift+", 6) == 0) {
        cmd->mod = SCRIPT_MOD_SHIFT;
        name += 6;
    }
    snprintf(cmd->word, sizeof cmd->word, "%s", name);
    return n == 2 && cmd->word[0];
}

/* The commands' words after sscanf: `n` counts the command itself. */
static const char *parse_arguments(ScriptCommand *cmd, const char *command, int n, const char *a, const char *b,
                                   const char *c, const char *d, const char *e)
{
    const char *why = NULL;
    char *end = NULL;
    if (strcmp(command, "wait") == 0) {
        cmd->verb = SCRIPT_WAIT;
        cmd->ms = n >= 2 ? strtol(a, &end, 10) : -1;
        if (n != 2 || *end || cmd->ms < 0)
            why = "wait takes milliseconds";
    } else if (strcmp(command, "tap") == 0) {
        cmd->verb = SCRIPT_TAP;
        if (n != 3 || !coordinate(a, &cmd->x1) || !coordinate(b, &cmd->y1))
            why = "tap takes X Y (pixels or percentages)";
    } else if (strcmp(command, "swipe") == 0) {
        cmd->verb = SCRIPT_SWIPE;
        cmd->ms = n >= 6 ? strtol(e, NULL, 10) : 250;
        if ((n != 5 && n != 6) || !coordinate(a, &cmd->x1) || !coordinate(b, &cmd->y1) || !coordinate(c, &cmd->x2) ||
            !coordinate(d, &cmd->y2) || cmd->ms <= 0)
            why = "swipe takes X1 Y1 X2 Y2 [MILLISECONDS]";
    } else if (strcmp(command, "key") == 0) {
        cmd->verb = SCRIPT_KEY;
        if (!parse_key(cmd, a, n))
            why = "unknown key (use SDL key names such as Right, Return, Escape, Space)";
    } else if (strcmp(command, "size") == 0) {
        cmd->verb = SCRIPT_SIZE;
        if (n != 2 || sscanf(a, "%dx%d", &cmd->width, &cmd->height) != 2 || cmd->width < 320 || cmd->height < 240 ||
            cmd->width > 7680 || cmd->height > 4320)
            why = "size takes WIDTHxHEIGHT, from 320x240 to 7680x4320";
    } else if (strcmp(command, "screenshot") == 0 || strcmp(command, "open") == 0 || strcmp(command, "lang") == 0) {
        cmd->verb = command[0] == 's' ? SCRIPT_SCREENSHOT : command[0] == 'o' ? SCRIPT_OPEN : SCRIPT_LANG;
        snprintf(cmd->word, sizeof cmd->word, "%s", a);
        if (n != 2)
            why = cmd->verb == SCRIPT_SCREENSHOT ? "screenshot takes a file name"
                  : cmd->verb == SCRIPT_OPEN     ? "open takes an item id, optionally with :SLIDE or :STEP"
                                                 : "lang takes a language code";
    } else if (strcmp(command, "expect") == 0) {
        cmd->verb = SCRIPT_EXPECT;
        if (!*cmd->rest)
            why = "expect takes the words the screen's description must contain";
    } else if (strcmp(command, "quit") == 0) {
        cmd->verb = SCRIPT_QUIT;
    } else {
        snprintf(cmd->word, sizeof cmd->word, "%s", command); /* quoted in the message */
        why = "unknown command (wait, tap, swipe, key, screenshot, size, open, lang, expect, quit)";
    }
    return why;
}

bool script_parse_line(const char *line, ScriptCommand *cmd, const char **why, const char **detail)
{
    memset(cmd, 0, sizeof *cmd);
    *why = NULL;
    *detail = NULL;
    const char *s = line;
    while (isspace((unsigned char)*s))
        s++;
    cmd->shown = s;
    cmd->rest = s;
    if (*s == '#' || *s == '\0')
        return true;
    char command[32] = "", a[256] = "", b[256] = "", c[64] = "", d[64] = "", e[64] = "";
    int n = sscanf(s, "%31s %255s %255s %63s %63s %63s", command, a, b, c, d, e);
    cmd->rest = s + strlen(command);
    while (isspace((unsigned char)*cmd->rest))
        cmd->rest++;
    *why = parse_arguments(cmd, command, n, a, b, c, d, e);
    if (*why)
        *detail = cmd->verb == SCRIPT_NOTHING ? cmd->word : s; /* an unknown command quotes only itself */
    return *why == NULL;
}
