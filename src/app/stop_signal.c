/* stop_signal.c: a backstop so that a stop request is honoured within a second.
 *
 * The handler only does what is safe in a signal handler: it writes one byte into a pipe and passes
 * the signal on to the handler it replaced (SDL's, which queues SDL_QUIT for a clean end). A thread
 * blocked on the pipe wakes, waits the grace period and, if the process is still here, which means the
 * main loop is stuck in some long piece of work, ends it with _exit(0). The history database is
 * written crash-safe, so ending this way loses nothing a clean end would have kept.
 */
#define _POSIX_C_SOURCE 200809L
#include "stop_signal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <SDL.h>

static int wake_pipe[2] = {-1, -1};
static struct sigaction replaced_term, replaced_int;
static bool installed;

static void on_stop(int sig)
{
    int saved = errno;
    char byte = 1;
    ssize_t ignored = write(wake_pipe[1], &byte, 1); /* a full pipe means one is already on its way */
    (void)ignored;
    const struct sigaction *replaced = sig == SIGTERM ? &replaced_term : &replaced_int;
    if (!(replaced->sa_flags & SA_SIGINFO) && replaced->sa_handler != SIG_DFL && replaced->sa_handler != SIG_IGN)
        replaced->sa_handler(sig);
    errno = saved;
}

static int backstop(void *unused)
{
    (void)unused;
    char byte;
    while (read(wake_pipe[0], &byte, 1) < 0 && errno == EINTR)
        continue;
    SDL_Delay(STOP_SIGNAL_GRACE_MS);
    static const char message[] = "blue-align: asked to stop while busy; ending now\n";
    ssize_t ignored = write(STDERR_FILENO, message, sizeof message - 1);
    (void)ignored;
    _exit(0);
}

bool stop_signal_install(void)
{
    struct sigaction action;
    SDL_Thread *thread = NULL;
    if (installed)
        return true;
    if (pipe(wake_pipe) != 0) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't set up the stop signal: %s", strerror(errno));
        goto fail;
    }
    fcntl(wake_pipe[0], F_SETFD, FD_CLOEXEC);
    fcntl(wake_pipe[1], F_SETFD, FD_CLOEXEC);
    fcntl(wake_pipe[1], F_SETFL, O_NONBLOCK);
    thread = SDL_CreateThread(backstop, "stop-backstop", NULL);
    if (!thread) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't set up the stop signal: %s", SDL_GetError());
        goto fail;
    }
    SDL_DetachThread(thread);
    memset(&action, 0, sizeof action);
    action.sa_handler = on_stop;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, &replaced_term);
    sigaction(SIGINT, &action, &replaced_int);
    installed = true;
    return true;

fail:
    if (wake_pipe[0] >= 0) {
        close(wake_pipe[0]);
        close(wake_pipe[1]);
        wake_pipe[0] = wake_pipe[1] = -1;
    }
    return false;
}
