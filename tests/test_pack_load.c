/* test_pack_load.c: the loader turns a pack that uses every feature into exactly the model the app
 * expects, picks translations by language, and the timeline of a loaded routine adds up. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "library.h"
#include "routine_timing.h"

static Pack *every_feature;
static ProblemList every_feature_problems;

static const PackItem *item(const char *id)
{
    const PackItem *found = pack_find_item(every_feature, id);
    CHECK(found != NULL);
    return found;
}

static void every_feature_pack_should_load_without_any_problem(void)
{
    CHECK(every_feature != NULL);
    for (size_t i = 0; i < every_feature_problems.count; i++) {
        char line[1024];
        problem_format(&every_feature_problems.items[i], line, sizeof line);
        fprintf(stderr, "unexpected: %s\n", line);
    }
    CHECK_INT(every_feature_problems.count, 0);
    CHECK_INT(every_feature->item_count, 6);
}

static void manifest_clinic_theme_and_sections_should_be_copied(void)
{
    CHECK_STR(every_feature->id, "every-feature");
    CHECK_STR(every_feature->version, "1.2.3");
    CHECK_STR(every_feature->updated, "2024-05-14");
    CHECK(every_feature->has_clinic);
    CHECK_STR(every_feature->clinic.emergency_number, "911");
    CHECK(every_feature->has_theme);
    CHECK_INT(every_feature->theme.accent, 0x1f6fb2);
    CHECK_INT(every_feature->theme.text, 0x17324d);
    CHECK(every_feature->theme.logo != NULL && strstr(every_feature->theme.logo, "pictures/logo.svg"));
    CHECK_INT(every_feature->section_count, 2);
    CHECK_STR(every_feature->sections[0].id, "desk-work");
    CHECK_INT(every_feature->sections[0].order, 25);
    CHECK_STR(every_feature->sections[1].icon, "phone");
}

static void items_from_included_files_should_follow_those_of_pack_json(void)
{
    CHECK_STR(every_feature->items[0].id, "your-spine");
    CHECK_STR(every_feature->items[3].id, "sitting-at-a-desk");
    CHECK(strstr(every_feature->items[3].source_file, "more-items.json") != NULL);
    CHECK_STR(item("sitting-at-a-desk")->section, "desk-work");
    CHECK_STR(item("calm-breathing")->section, "breathing"); /* the default for a breathing routine */
    CHECK_INT(item("calm-breathing")->order, 20);
    CHECK_INT(item("your-spine")->order, 10);
    CHECK_INT(item("neck-and-shoulders")->order, 100);
}

static void slides_should_keep_paragraphs_bullets_pictures_and_callouts(void)
{
    const PackItem *spine = item("your-spine");
    CHECK_INT(spine->kind, ITEM_TOPIC);
    CHECK_INT(spine->slide_count, 2);
    const PackSlide *first = &spine->slides[0];
    CHECK_INT(first->paragraph_count, 1);
    CHECK(first->picture != NULL);
    CHECK(first->picture->full_path != NULL);
    CHECK(first->picture->width > 0 && first->picture->height > 0);
    CHECK_INT(first->picture->callout_count, 3);
    CHECK(first->picture->callouts[0].x > 0.58f && first->picture->callouts[0].x < 0.60f);
    CHECK_STR(first->picture->callouts[2].label, "Lower back (lumbar)");
    CHECK_STR(first->picture->caption, "The spine seen from the left side.");
    CHECK_INT(spine->slides[1].paragraph_count, 2);
    CHECK_INT(spine->slides[1].bullet_count, 3);
    CHECK(spine->slides[1].picture == NULL);
}

static void exercise_steps_should_keep_every_dose_in_milliseconds(void)
{
    const PackItem *neck = item("neck-and-shoulders");
    CHECK_INT(neck->kind, ITEM_EXERCISE);
    CHECK_INT(neck->get_ready_ms, 10000);
    CHECK_INT(neck->rounds, 2);
    CHECK_INT(neck->rest_between_rounds_ms, 30000);
    CHECK_INT(neck->caution_count, 2);
    CHECK_INT(neck->step_count, 5);
    const PackStep *tucks = &neck->steps[0];
    CHECK_INT(tucks->kind, STEP_EXERCISE);
    CHECK_INT(tucks->reps, 8);
    CHECK_INT(tucks->sets, 2);
    CHECK_INT(tucks->tempo_ms, 4000);
    CHECK_INT(tucks->hold_ms, 2000);
    CHECK_INT(tucks->rest_between_sets_ms, 20000);
    CHECK_INT(tucks->sides, SIDES_BOTH);
    CHECK_INT(tucks->switch_sides_ms, 8000);
    CHECK_INT(tucks->picture_count, 2);
    const PackStep *stretch = &neck->steps[2];
    CHECK_INT(stretch->duration_ms, 30000);
    CHECK_INT(stretch->reps, 0);
    CHECK_INT(stretch->sides, SIDES_LEFT);
    CHECK_INT(stretch->switch_sides_ms, 0);
    CHECK_INT(stretch->tempo_ms, 0);
    CHECK_STR(neck->steps[3].name, "Rest"); /* a rest step's default name */
    CHECK_INT(item("desk-break")->get_ready_ms, 0);
    CHECK_INT(item("your-spine")->get_ready_ms, 0);
}

static void breathing_by_duration_should_round_to_whole_cycles(void)
{
    const PackItem *calm = item("calm-breathing");
    CHECK_INT(calm->get_ready_ms, 5000); /* the default */
    const PackStep *box = &calm->steps[0];
    CHECK_INT(box->phase_count, 4);
    CHECK_INT(box->phases[1].kind, BREATH_HOLD);
    CHECK_STR(box->phases[3].text, "Rest before the next breath");
    CHECK_INT(box->cycles, 6);
    const PackStep *long_out = &calm->steps[2];
    CHECK_INT(long_out->phases[1].ms, 7500);
    CHECK_INT(long_out->duration_ms, 120000);
    CHECK_INT(long_out->cycles, 10); /* 120 s / 11.5 s = 10.4, so 10 whole breaths */
}

static void a_loaded_routine_should_build_a_timeline_of_the_right_length(void)
{
    Timeline timeline;
    CHECK(timeline_build(&timeline, item("neck-and-shoulders")));
    /* get-ready 10 s; per round: tucks 2 sets x (left 8x6 s + switch 8 s + right 48 s) + 20 s set rest
     * = 228 s, rest 20 s, stretch 30 s, rest 15 s, breaths 3 x 10 s = 30 s: 323 s; 2 rounds and a 30 s
     * rest between them. */
    CHECK_INT(timeline.total_ms, 10000 + 2 * 323000 + 30000);
    timeline_free(&timeline);
    CHECK(!timeline_build(&timeline, item("your-spine")));
}

static void translations_should_be_chosen_by_language_with_fallbacks(void)
{
    CHECK_INT(library_language_score("fr-CA", "fr-CA"), 4);
    CHECK_INT(library_language_score("fr", "fr-CA"), 3);
    CHECK_INT(library_language_score("fr-CA", "fr"), 3);
    CHECK_INT(library_language_score("en", "fr"), 2);
    CHECK_INT(library_language_score("de", "fr"), 1);
    CHECK_INT(library_language_score("EN-au", "en-AU"), 4);
}

static void translated_packs_should_be_offered_once_in_the_best_language(void)
{
    const char *folders[] = {"packs/translated"};
    Library *library = library_load(folders, 1);
    CHECK_INT(library->problems.count, 0);
    CHECK_INT(library->pack_count, 3);
    const Pack *chosen[4];
    CHECK_INT(library_select(library, "fr-CA", chosen, 4), 1);
    CHECK_STR(chosen[0]->language, "fr");
    CHECK_INT(library_select(library, "es", chosen, 4), 1);
    CHECK_STR(chosen[0]->language, "es");
    CHECK_INT(library_select(library, "de", chosen, 4), 1);
    CHECK_STR(chosen[0]->language, "en");
    CHECK_STR(chosen[0]->items[0].title, "Sitting well");
    const char *languages[4];
    CHECK_INT(library_languages(library, "sitting", languages, 4), 3);
    library_free(library);
}

/* Thousands of forgotten files must each be named, not the first few with the rest dropped unseen. */
static void every_unlisted_json_file_should_get_its_warning(void)
{
    char dir[] = "/tmp/ba-unlisted-XXXXXX", path[600];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/pack.json", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs("{\"format\": 1, \"id\": \"strays\", \"title\": \"Strays\", \"version\": \"1.0\", \"language\": \"en\", \"author\": \"A\", "
          "\"updated\": \"2026-11-01\", "
          "\"items\": [{\"id\": \"t\", \"type\": \"topic\", \"title\": \"T\", "
          "\"slides\": [{\"heading\": \"H\", \"body\": \"B\"}]}]}\n",
          f);
    fclose(f);
    for (int i = 0; i < 2000; i++) {
        snprintf(path, sizeof path, "%s/stray-%04d.json", dir, i);
        f = fopen(path, "w");
        if (f)
            fclose(f);
    }
    ProblemList problems;
    problems_init(&problems);
    Pack *pack = pack_load(dir, &problems);
    CHECK(pack != NULL);
    size_t strays = 0;
    for (size_t i = 0; i < problems.count; i++)
        strays += strstr(problems.items[i].message, "is in the pack folder but not listed") != NULL;
    CHECK_INT(strays, 2000);
    CHECK_INT(problems.count, 2000);
    pack_free(pack);
    problems_free(&problems);
    for (int i = 0; i < 2000; i++) {
        snprintf(path, sizeof path, "%s/stray-%04d.json", dir, i);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/pack.json", dir);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    RUN(every_unlisted_json_file_should_get_its_warning);
    problems_init(&every_feature_problems);
    every_feature = pack_load("packs/every-feature", &every_feature_problems);
    RUN(every_feature_pack_should_load_without_any_problem);
    if (every_feature) {
        RUN(manifest_clinic_theme_and_sections_should_be_copied);
        RUN(items_from_included_files_should_follow_those_of_pack_json);
        RUN(slides_should_keep_paragraphs_bullets_pictures_and_callouts);
        RUN(exercise_steps_should_keep_every_dose_in_milliseconds);
        RUN(breathing_by_duration_should_round_to_whole_cycles);
        RUN(a_loaded_routine_should_build_a_timeline_of_the_right_length);
    }
    RUN(translations_should_be_chosen_by_language_with_fallbacks);
    RUN(translated_packs_should_be_offered_once_in_the_best_language);
    pack_free(every_feature);
    problems_free(&every_feature_problems);
    return CHECK_SUMMARY();
}
