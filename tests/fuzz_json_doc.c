/* fuzz_json_doc.c: a fuzz target for the JSON layer, which reads everything staff (or a damaged USB
 * stick) can put in a pack file.
 *
 * Built with clang -fsanitize=fuzzer, LLVMFuzzerTestOneInput is driven by libFuzzer (tools/fuzz.sh).
 * Built normally, fuzz_replay.c's main() replays the files named on the command line (ctest gives it
 * every JSON file in the fixtures), so every crash found once stays fixed.
 */
#include "fuzz_support.h"
#include "json_doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ProblemList problems;
    problems_init(&problems);
    JsonDoc *doc = json_doc_parse("fuzz.json", (const char *)data, size, &problems);
    if (doc) {
        /* Ask for the position of every node: each must be answerable. */
        const cJSON *stack[64];
        int depth = 0;
        stack[depth++] = json_doc_root(doc);
        while (depth > 0) {
            const cJSON *node = stack[--depth];
            int line, col;
            json_doc_position(doc, node, &line, &col);
            json_doc_key_position(doc, node, &line, &col);
            for (const cJSON *c = node->child; c && depth < 64; c = c->next)
                stack[depth++] = c;
        }
    }
    json_doc_free(doc);
    problems_free(&problems);
    return 0;
}
