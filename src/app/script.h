/* script.h: driving the app from a file of timed input events, for tests and documentation.
 * The language is described in docs/scripts.md. */
#ifndef BA_SCRIPT_H
#define BA_SCRIPT_H

#include "app.h"

/* Opens ITEM[:N] (N counted from 1: a topic's slide or a routine's step) on top of home. Returns
 * false, after saying why on stderr, when there is no such item. */
bool script_open(App *app, const char *spec);

/* Runs the script; returns 0 when it ran to the end with every expectation met, 1 when an expectation
 * failed, 2 when the script itself is wrong (with file:line: message on stderr). */
int script_run(App *app, const char *path);

/* Advances the app by `ms`: on the simulated clock in headless mode (stepping through every deadline
 * on the way, so nothing is skipped), in real time otherwise. */
void script_wait(App *app, int64_t ms);

#endif
