/* fuzz_support.h: what every fuzz target shares: a scratch folder for loaders that read files, and
 * (in the normal build) the replay main() in fuzz_replay.c.
 *
 * A target defines LLVMFuzzerTestOneInput. Built with -DBA_LIBFUZZER and -fsanitize=fuzzer, libFuzzer
 * drives it; otherwise fuzz_replay.c's main() feeds it every file (or every file in every folder) named
 * on the command line, and every prefix of each, so whatever a fuzzer once found stays fixed.
 */
#ifndef BA_FUZZ_SUPPORT_H
#define BA_FUZZ_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Makes a fresh, empty folder for one input; `dir` gets its path. Under /dev/shm when there is one, so
 * the disk is not worn by millions of runs. */
bool fuzz_scratch_make(char *dir, size_t size);

/* Writes `len` bytes to dir/name (name may hold one level of subfolder, e.g. "pictures/p.png"). */
bool fuzz_scratch_write(const char *dir, const char *name, const uint8_t *data, size_t len);

/* Removes dir/name for each of the `count` names, their subfolders, then the folder itself. */
void fuzz_scratch_remove(const char *dir, const char *const *names, int count);

#endif
