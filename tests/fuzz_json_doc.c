/* fuzz_json_doc.c: a fuzz target for the JSON layer, which reads everything staff (or a damaged USB
 * stick) can put in a pack file.
 *
 * Built with clang -fsanitize=fuzzer, LLVMFuzzerTestOneInput is driven by libFuzzer. Built normally,
 * the main() below replays the files named on the command line (ctest gives it every JSON file in the
 * fixtures), so every crash found once stays fixed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "json_doc.h"
#include "pack_files.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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

#ifndef BA_LIBFUZZER
int main(int argc, char **argv)
{
    int replayed = 0;
    for (int i = 1; i < argc; i++) {
        char *data = NULL;
        size_t len = 0;
        if (pack_file_read(argv[i], PACK_MAX_JSON_BYTES, &data, &len) != PACK_FILE_OK)
            continue; /* a fixture that is deliberately not a readable file */
        LLVMFuzzerTestOneInput((const uint8_t *)data, len);
        /* And every prefix, as an interrupted copy would leave it. */
        for (size_t n = 0; n < len; n += 7)
            LLVMFuzzerTestOneInput((const uint8_t *)data, n);
        free(data);
        replayed++;
    }
    printf("%d passed, 0 failed\n", replayed);
    return replayed > 0 ? 0 : 1;
}
#endif
