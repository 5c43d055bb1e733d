/* fuzz_pack_load.c: a fuzz target for the whole pack loader, from the bytes of its files to the model.
 *
 * One input makes one pack folder: the input is split on the line "--8<--" into pack.json, items.json
 * (which pack.json may list in "include") and pictures/p.png (which a slide may name), so the fuzzer
 * can reach includes, cross-file ids and picture checks, not only the manifest. Every problem is also
 * printed, since the printed form is what staff read.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"
#include "pack.h"
#include "problems.h"

static const char *const part_names[] = {"pack.json", "items.json", "pictures/p.png"};
#define PART_COUNT 3
#define SEPARATOR "\n--8<--\n"

static const uint8_t *find_separator(const uint8_t *from, const uint8_t *end)
{
    size_t n = strlen(SEPARATOR);
    for (const uint8_t *p = from; end - p >= (long)n; p++)
        if (memcmp(p, SEPARATOR, n) == 0)
            return p;
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char dir[256];
    int written = 0;
    if (!fuzz_scratch_make(dir, sizeof dir))
        abort(); /* no scratch folder: every run would test nothing */
    const uint8_t *at = data, *end = data + size;
    while (written < PART_COUNT && at) {
        const uint8_t *cut = written < PART_COUNT - 1 ? find_separator(at, end) : NULL;
        const uint8_t *stop = cut ? cut : end;
        if (!fuzz_scratch_write(dir, part_names[written], at, (size_t)(stop - at)))
            abort();
        written++;
        at = cut ? cut + strlen(SEPARATOR) : NULL;
    }
    ProblemList problems;
    problems_init(&problems);
    Pack *pack = pack_load(dir, &problems);
    char line[2048];
    for (size_t i = 0; i < problems.count; i++)
        problem_format(&problems.items[i], line, sizeof line);
    pack_free(pack);
    problems_free(&problems);
    fuzz_scratch_remove(dir, part_names, PART_COUNT);
    return 0;
}
