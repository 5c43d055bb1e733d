/* home_model.h: what the home screen lists, worked out from the selected packs without a display.
 *
 * Sections are the built-in ones, overridden or extended by the packs' "sections", in (order, title)
 * order; each holds every item of every pack that names it, in (order, title, load) order. Nothing is
 * capped: the arrays grow with the content. The home screen draws this model and `--list-items`
 * prints it, so what staff are told is on home is exactly what a patient can reach.
 */
#ifndef BA_HOME_MODEL_H
#define BA_HOME_MODEL_H

#include <stdbool.h>

#include "pack.h"

typedef struct {
    const PackItem *item;
    const Pack *pack; /* the pack the item comes from */
} HomeTile;

typedef struct {
    const char *id, *title, *icon; /* borrowed from the packs or the built-in list */
    int order;
    int first_tile, tile_count;    /* a run of HomeModel.tiles */
} HomeSection;

typedef struct {
    HomeSection *sections;
    int section_count;
    HomeTile *tiles;
    int tile_count;
} HomeModel;

/* Builds the model for `packs`, with `favourites` (may be 0) first as a section "favourites" titled
 * "Your favourites". Returns false when out of memory, leaving an empty model. Every pointer in the
 * model borrows from the packs: rebuild it whenever they change. Free with home_model_free. */
bool home_model_build(HomeModel *model, const Pack *const *packs, int pack_count, const HomeTile *favourites,
                      int favourite_count);
void home_model_free(HomeModel *model);

/* Sections that have tiles, the ones home shows a heading for. */
int home_model_visible_sections(const HomeModel *model);

#endif
