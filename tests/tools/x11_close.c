/* x11_close.c: sends the window manager's close request (WM_DELETE_WINDOW) to every window whose
 * title contains the given words, as a close button or Alt+F4 would. For the kiosk test under Xvfb,
 * where no window manager runs to send it. Usage: x11_close TITLE-WORDS; exit 1 if no window matched. */
#include <stdio.h>
#include <string.h>

#include <X11/Xlib.h>
#include <X11/Xutil.h>

static int close_matching(Display *d, Window w, const char *words, Atom protocols, Atom delete_window)
{
    int sent = 0;
    char *name = NULL;
    if (XFetchName(d, w, &name) && name) {
        if (strstr(name, words)) {
            XEvent e;
            memset(&e, 0, sizeof e);
            e.xclient.type = ClientMessage;
            e.xclient.window = w;
            e.xclient.message_type = protocols;
            e.xclient.format = 32;
            e.xclient.data.l[0] = (long)delete_window;
            e.xclient.data.l[1] = CurrentTime;
            XSendEvent(d, w, False, NoEventMask, &e);
            sent++;
        }
        XFree(name);
    }
    Window root, parent, *children = NULL;
    unsigned int n = 0;
    if (XQueryTree(d, w, &root, &parent, &children, &n)) {
        for (unsigned int i = 0; i < n; i++)
            sent += close_matching(d, children[i], words, protocols, delete_window);
        if (children)
            XFree(children);
    }
    return sent;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: x11_close TITLE-WORDS\n");
        return 2;
    }
    Display *d = XOpenDisplay(NULL);
    if (!d) {
        fprintf(stderr, "x11_close: cannot open the display\n");
        return 2;
    }
    int sent = close_matching(d, DefaultRootWindow(d), argv[1], XInternAtom(d, "WM_PROTOCOLS", False),
                              XInternAtom(d, "WM_DELETE_WINDOW", False));
    XSync(d, False);
    XCloseDisplay(d);
    printf("x11_close: sent %d close request%s\n", sent, sent == 1 ? "" : "s");
    return sent ? 0 : 1;
}
