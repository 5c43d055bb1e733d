/* text_util.h: small text helpers shared by the loader and the app: UTF-8 checks and counts, word
 * counts, case-insensitive comparison and the edit distance behind "did you mean ...?". */
#ifndef BA_TEXT_UTIL_H
#define BA_TEXT_UTIL_H

#include <stdbool.h>
#include <stddef.h>

/* Offset of the first byte that is not valid UTF-8 (overlong forms, surrogates and code points above
 * U+10FFFF count as invalid), or `len` when all is valid. */
size_t utf8_invalid_offset(const char *s, size_t len);

/* Number of code points in a valid UTF-8 string. */
size_t utf8_length(const char *s);

/* Number of whitespace-separated words. */
int text_word_count(const char *s);

/* Levenshtein distance, capped: returns cap + 1 as soon as it exceeds `cap`. */
int text_edit_distance(const char *a, const char *b, int cap);

/* A hash of a string for hash tables (FNV-1a): spreads short keys and ids well enough. */
size_t text_hash(const char *s);

/* Duplicates a string with malloc; NULL in gives NULL out. */
char *text_dup(const char *s);

/* printf into a new malloc'd string. */
char *text_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
