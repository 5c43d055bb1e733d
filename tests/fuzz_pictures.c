/* fuzz_pictures.c: a fuzz target for the readers of picture and sound headers, which see whatever bytes
 * a pack's files hold. Every reader is asked directly, whatever the content looks like (so the fuzzer
 * need not first find a signature), and then the file goes through pack_file_check as the loader would
 * send it, sniffing and WAV length included. */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_support.h"
#include "pack_files.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"file"};
    static const PackFileKind kinds[] = {FILE_KIND_PNG, FILE_KIND_JPEG, FILE_KIND_SVG};
    int width, height;
    pack_file_sniff(data, size);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        pack_file_picture_size(kinds[i], data, size, &width, &height);

    char dir[256];
    if (!fuzz_scratch_make(dir, sizeof dir) || !fuzz_scratch_write(dir, names[0], data, size))
        abort(); /* no scratch folder: every run would test nothing */
    unsigned every_kind = (1u << FILE_KIND_PNG) | (1u << FILE_KIND_JPEG) | (1u << FILE_KIND_SVG) |
                          (1u << FILE_KIND_WAV);
    PackFileInfo info;
    pack_file_check(dir, names[0], every_kind, &info);
    free(info.full_path);
    fuzz_scratch_remove(dir, names, 1);
    return 0;
}
