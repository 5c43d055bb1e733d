/* stop_signal.h: SIGTERM and SIGINT end the app within a second, whatever it is doing.
 *
 * SDL turns these signals into SDL_QUIT, which the main loop sees the next time it looks at its events;
 * a long piece of work (a picture being drawn) would keep it from looking. stop_signal_install adds a
 * backstop next to SDL's handler: the signal also wakes a small thread which, if the app has not ended
 * by itself within STOP_SIGNAL_GRACE_MS, ends the process with status 0. Main thread, after SDL_Init.
 */
#ifndef BA_STOP_SIGNAL_H
#define BA_STOP_SIGNAL_H

#include <stdbool.h>

#define STOP_SIGNAL_GRACE_MS 800

/* Installs the backstop once per process (later calls do nothing). Returns false when it could not
 * (the app still stops through SDL, only without the guarantee). */
bool stop_signal_install(void);

#endif
