/* watchdog.h: telling systemd the kiosk is alive.
 *
 * Under a systemd unit with WatchdogSec=, the main loop feeds the watchdog (sd_notify "WATCHDOG=1")
 * at half the interval systemd asks for; if the loop ever hangs, systemd restarts the app. Outside
 * systemd every call does nothing and costs nothing.
 */
#ifndef BA_WATCHDOG_H
#define BA_WATCHDOG_H

#include <stdint.h>

/* Reads the watchdog interval from the environment systemd sets. */
void watchdog_init(void);
/* READY=1, once the first frame is on screen. */
void watchdog_ready(void);
/* Feeds the watchdog if it is due at `now_ms`; returns when it is next due, or INT64_MAX when there
 * is no watchdog. The main loop folds this into its next deadline. */
int64_t watchdog_feed(int64_t now_ms);
/* STOPPING=1, when the app ends cleanly (SIGTERM). */
void watchdog_stopping(void);

#endif
