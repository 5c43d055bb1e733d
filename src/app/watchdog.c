/* watchdog.c: telling systemd the kiosk is alive, through libsystemd's sd_notify.
 *
 * The one decision: the watchdog is fed from the main loop's own deadlines, never from a timer
 * thread. A thread would keep feeding while the loop is stuck, which is exactly the hang the
 * watchdog exists to catch; fed from the loop, a frozen loop stops the feeding and systemd restarts
 * the app. watchdog_feed hands back when it is next due so the loop, which sleeps in
 * SDL_WaitEventTimeout until its next deadline, wakes in time even on an idle screen.
 *
 * Outside systemd (no NOTIFY_SOCKET, no WATCHDOG_USEC) nothing is sent: each call tests a static
 * flag and returns. This module has no SDL in it so it builds and can be tried on its own; its few
 * messages go to stderr, which the kiosk unit sends to the journal. Main thread only.
 */
#include "watchdog.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <systemd/sd-daemon.h>

/* Never schedule feeds closer than this, whatever systemd asks: a zero interval would leave the
 * loop's deadline at "now" for ever, a busy loop. No sane WatchdogSec= comes near it. */
#define MIN_FEED_INTERVAL_MS 1

static bool notify_enabled;   /* NOTIFY_SOCKET is set: READY=1 and STOPPING=1 are worth sending */
static bool watchdog_enabled; /* WatchdogSec= is on for this process: WATCHDOG=1 must keep coming */
static int64_t feed_interval_ms;
static int64_t next_feed_ms;  /* clock time the next WATCHDOG=1 is due */
static bool feed_started;     /* next_feed_ms is meaningful (the first feed is due at once) */
static bool warned;           /* a failed sd_notify has been reported: say it once, not every second */

static void notify(const char *state)
{
    int r = sd_notify(0, state);
    /* 0 means "no socket", which notify_enabled already rules out; only a real failure is worth a
     * line, and only the first, or a broken socket would add one to the journal at every feed. */
    if (r < 0 && !warned) {
        fprintf(stderr, "blue-align: couldn't tell systemd \"%s\": %s\n", state, strerror(-r));
        warned = true;
    }
}

void watchdog_init(void)
{
    uint64_t usec = 0;
    int r;

    notify_enabled = getenv("NOTIFY_SOCKET") != NULL;
    watchdog_enabled = false;
    feed_started = false;
    warned = false;
    if (!notify_enabled)
        return;

    /* Keep the variables (0): nothing here execs children that could feed on our behalf, and
     * leaving them makes the environment of a running kiosk easy to inspect. sd_watchdog_enabled
     * returns 0 when WATCHDOG_PID names another process; under cage it names cage, which is why the
     * unit starts the app through `env -u WATCHDOG_PID` (tools/kiosk/blue-align-kiosk.service). */
    r = sd_watchdog_enabled(0, &usec);
    if (r < 0) {
        fprintf(stderr, "blue-align: ignoring the systemd watchdog setting: %s\n", strerror(-r));
        return;
    }
    if (r == 0 || usec == 0)
        return;

    /* Half the interval, as sd_watchdog_enabled(3) advises, so one late frame never costs a restart.
     * usec / 2000 is below 2^54 for any uint64_t, so even an absurd WATCHDOG_USEC fits, and adding
     * it to a monotonic clock in ms cannot overflow. */
    feed_interval_ms = (int64_t)(usec / 2000);
    if (feed_interval_ms < MIN_FEED_INTERVAL_MS)
        feed_interval_ms = MIN_FEED_INTERVAL_MS;
    watchdog_enabled = true;
    fprintf(stderr, "blue-align: systemd watchdog of %" PRIu64 " ms, fed every %" PRId64 " ms\n",
            usec / 1000, feed_interval_ms);
}

void watchdog_ready(void)
{
    if (notify_enabled)
        notify("READY=1");
}

int64_t watchdog_feed(int64_t now_ms)
{
    if (!watchdog_enabled)
        return INT64_MAX;
    /* The first call feeds at once: the clock the loop passes in has no known origin, and systemd's
     * timer has been running since the process started. */
    if (!feed_started || now_ms >= next_feed_ms) {
        notify("WATCHDOG=1");
        next_feed_ms = now_ms + feed_interval_ms;
        feed_started = true;
    }
    return next_feed_ms;
}

void watchdog_stopping(void)
{
    if (notify_enabled)
        notify("STOPPING=1");
}
