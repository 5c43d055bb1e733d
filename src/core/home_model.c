/* home_model.c: the sections and tiles of the home screen (see home_model.h).
 *
 * Tiles are gathered section by section, then each section's run is sorted. Ties in (order, title)
 * keep load order through an explicit sequence number, because qsort is not stable and the same
 * content must always give the same home.
 */
#include "home_model.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    HomeTile tile;
    int sequence;
} Sortable;

static int compare_tiles(const void *a, const void *b)
{
    const Sortable *x = a, *y = b;
    if (x->tile.item->order != y->tile.item->order)
        return x->tile.item->order < y->tile.item->order ? -1 : 1;
    int by_title = strcmp(x->tile.item->title, y->tile.item->title);
    if (by_title != 0)
        return by_title;
    return x->sequence < y->sequence ? -1 : x->sequence > y->sequence;
}

static int compare_sections(const void *a, const void *b)
{
    const HomeSection *x = a, *y = b;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return strcmp(x->title, y->title);
}

static HomeSection *section_for(HomeModel *m, const char *id)
{
    for (int i = 0; i < m->section_count; i++)
        if (strcmp(m->sections[i].id, id) == 0)
            return &m->sections[i];
    return NULL;
}

/* The built-in sections, then each pack's: a pack may retitle, reorder or re-icon a section. */
static void gather_sections(HomeModel *m, const Pack *const *packs, int pack_count)
{
    for (int i = 0; i < pack_builtin_section_count; i++) {
        const PackBuiltinSection *b = &pack_builtin_sections[i];
        m->sections[m->section_count++] = (HomeSection){b->id, b->title, b->icon, b->order, 0, 0};
    }
    for (int p = 0; p < pack_count; p++) {
        for (int s = 0; s < packs[p]->section_count; s++) {
            const PackSection *ps = &packs[p]->sections[s];
            HomeSection *hs = section_for(m, ps->id);
            if (!hs) {
                m->sections[m->section_count++] = (HomeSection){ps->id, ps->title, ps->icon, ps->order, 0, 0};
                continue;
            }
            hs->title = ps->title;
            hs->order = ps->order;
            if (ps->icon)
                hs->icon = ps->icon;
        }
    }
    qsort(m->sections, (size_t)m->section_count, sizeof *m->sections, compare_sections);
}

static void gather_tiles(HomeModel *m, Sortable *scratch, const Pack *const *packs, int pack_count)
{
    for (int s = 0; s < m->section_count; s++) {
        HomeSection *hs = &m->sections[s];
        if (strcmp(hs->id, "favourites") == 0)
            continue; /* its tiles are already in place */
        int first = m->tile_count;
        for (int p = 0; p < pack_count; p++)
            for (int i = 0; i < packs[p]->item_count; i++)
                if (strcmp(packs[p]->items[i].section, hs->id) == 0) {
                    scratch[m->tile_count - first] = (Sortable){{&packs[p]->items[i], packs[p]}, m->tile_count - first};
                    m->tile_count++;
                }
        hs->first_tile = first;
        hs->tile_count = m->tile_count - first;
        qsort(scratch, (size_t)hs->tile_count, sizeof *scratch, compare_tiles);
        for (int t = 0; t < hs->tile_count; t++)
            m->tiles[first + t] = scratch[t].tile;
    }
}

bool home_model_build(HomeModel *model, const Pack *const *packs, int pack_count, const HomeTile *favourites,
                      int favourite_count)
{
    memset(model, 0, sizeof *model);
    size_t sections = (size_t)pack_builtin_section_count + 1, items = (size_t)favourite_count;
    for (int p = 0; p < pack_count; p++) {
        sections += (size_t)packs[p]->section_count;
        items += (size_t)packs[p]->item_count;
    }
    Sortable *scratch = malloc((items ? items : 1) * sizeof *scratch);
    model->sections = malloc(sections * sizeof *model->sections);
    model->tiles = malloc((items ? items : 1) * sizeof *model->tiles);
    bool ok = scratch && model->sections && model->tiles;
    if (!ok) {
        home_model_free(model);
        goto done;
    }
    gather_sections(model, packs, pack_count);
    if (favourite_count > 0) {
        /* The patient's favourites come first, in the order they were starred. */
        memmove(&model->sections[1], &model->sections[0], (size_t)model->section_count * sizeof *model->sections);
        model->section_count++;
        model->sections[0] = (HomeSection){"favourites", "Your favourites", "star", -100000, 0, favourite_count};
        memcpy(model->tiles, favourites, (size_t)favourite_count * sizeof *favourites);
        model->tile_count = favourite_count;
    }
    gather_tiles(model, scratch, packs, pack_count);
done:
    free(scratch);
    return ok;
}

void home_model_free(HomeModel *model)
{
    free(model->sections);
    free(model->tiles);
    memset(model, 0, sizeof *model);
}

int home_model_visible_sections(const HomeModel *model)
{
    int n = 0;
    for (int i = 0; i < model->section_count; i++)
        n += model->sections[i].tile_count > 0;
    return n;
}
