/* bare_sdl.c: the yardstick for start-up time: a bare SDL program that opens a window like the app's,
 * draws one screen (a background and a few rectangles) and exits. tools/bench/run.sh times it beside
 * blue-align --quit-after-first-frame. Like the app without a graphics card, it draws in software
 * into the window's surface and never loads OpenGL, so the two start-ups compare like for like.
 * With --stay it keeps the window open until it is closed or stopped, for measuring its memory. */
#include <SDL.h>

int main(int argc, char **argv)
{
    int stay = argc > 1 && SDL_strcmp(argv[1], "--stay") == 0;
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't initialise SDL: %s", SDL_GetError());
        return 1;
    }
    SDL_Window *window = SDL_CreateWindow("bare", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, 1280, 800,
                                          SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0"); /* no OpenGL texture behind the surface */
    SDL_Surface *surface = window ? SDL_GetWindowSurface(window) : NULL;
    SDL_Renderer *renderer = surface ? SDL_CreateSoftwareRenderer(surface) : NULL;
    if (!renderer) {
        SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "Couldn't open a window: %s", SDL_GetError());
        SDL_Quit();
        return 1;
    }
    SDL_SetRenderDrawColor(renderer, 244, 247, 250, 255);
    SDL_RenderClear(renderer);
    SDL_SetRenderDrawColor(renderer, 31, 111, 178, 255);
    for (int i = 0; i < 6; i++) {
        SDL_Rect r = {40 + (i % 3) * 410, 160 + (i / 3) * 260, 380, 220};
        SDL_RenderFillRect(renderer, &r);
    }
    SDL_RenderPresent(renderer);
    SDL_UpdateWindowSurface(window);
    SDL_Log("first frame presented %llu ms after SDL started", (unsigned long long)SDL_GetTicks64());
    SDL_Event e;
    while (stay && SDL_WaitEvent(&e) && e.type != SDL_QUIT)
        continue;
    SDL_DestroyRenderer(renderer);
    SDL_DestroyWindow(window);
    SDL_Quit();
    return 0;
}
