/* problems.h: content problems as data.
 *
 * Every mistake found in a content pack becomes a Problem that keeps where it is (file, line, column,
 * JSON path) and what to do about it, so the same record serves `--validate`, the log and the staff
 * "content problems" view. A ProblemList owns copies of every string it is given; callers keep theirs.
 * The copies are escaped so they are safe to print: control characters (C0, DEL, C1), U+2028/U+2029,
 * bidi overrides and isolates (U+202A-U+202E, U+2066-U+2069) and bytes that are not UTF-8 are stored
 * as \n, \r, \t, \xNN or \uNNNN, so nothing a pack contains can forge or hide a printed line.
 */
#ifndef BA_PROBLEMS_H
#define BA_PROBLEMS_H

#include <stddef.h>

typedef enum { PROBLEM_WARNING, PROBLEM_ERROR } ProblemSeverity;

typedef struct {
    ProblemSeverity severity;
    char *file;    /* path as the user gave it, e.g. "content/posture/pack.json" */
    int line;      /* 1-based; 0 when the problem is about the whole file or folder */
    int col;       /* 1-based, counted in characters */
    char *path;    /* JSON path such as "items[2].slides[0].heading", or "" */
    char *message; /* what is wrong, then how to fix it */
} Problem;

typedef struct {
    Problem *items;
    size_t count;
    size_t capacity;
} ProblemList;

void problems_init(ProblemList *list);
void problems_free(ProblemList *list);

/* Adds a problem; the message is printf-style. Out of memory drops the problem rather than crashing. */
void problems_add(ProblemList *list, ProblemSeverity severity, const char *file, int line, int col,
                  const char *path, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* Moves every problem of `from` to the end of `to`, leaving `from` empty. */
void problems_take(ProblemList *to, ProblemList *from);

/* Puts the problems from index `first` on in reading order, stably: `first_file` first, then other
 * files in the order they were first met; within a file by line and column, whole-file problems
 * (line 0) last. */
void problems_sort(ProblemList *list, size_t first, const char *first_file);

size_t problems_count(const ProblemList *list, ProblemSeverity severity);

/* "file:line:col: error: path: message" (line and column left out when 0, path when empty).
 * Writes at most `size` bytes including the NUL; returns what snprintf returns. */
int problem_format(const Problem *problem, char *out, size_t size);

#endif
