/* problems.c: the growing list of content problems and their one printed form.
 *
 * The printed form follows the compiler convention "file:line:col: severity: ..." so that editors and
 * terminals can jump straight to the spot; staff see the same text in the app's problems view.
 */
#include "problems.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_or_empty(const char *s)
{
    const char *src = s ? s : "";
    size_t len = strlen(src) + 1;
    char *copy = malloc(len);
    if (copy)
        memcpy(copy, src, len);
    return copy;
}

void problems_init(ProblemList *list)
{
    memset(list, 0, sizeof *list);
}

void problems_free(ProblemList *list)
{
    for (size_t i = 0; i < list->count; i++) {
        free(list->items[i].file);
        free(list->items[i].path);
        free(list->items[i].message);
    }
    free(list->items);
    problems_init(list);
}

void problems_add(ProblemList *list, ProblemSeverity severity, const char *file, int line, int col,
                  const char *path, const char *fmt, ...)
{
    char message[1024];
    va_list args;
    va_start(args, fmt);
    vsnprintf(message, sizeof message, fmt, args);
    va_end(args);

    if (list->count == list->capacity) {
        size_t capacity = list->capacity ? list->capacity * 2 : 16;
        Problem *grown = realloc(list->items, capacity * sizeof *grown);
        if (!grown)
            return;
        list->items = grown;
        list->capacity = capacity;
    }
    Problem p = {severity, dup_or_empty(file), line, col, dup_or_empty(path), dup_or_empty(message)};
    if (!p.file || !p.path || !p.message) {
        free(p.file);
        free(p.path);
        free(p.message);
        return;
    }
    list->items[list->count++] = p;
}

void problems_take(ProblemList *to, ProblemList *from)
{
    for (size_t i = 0; i < from->count; i++) {
        if (to->count == to->capacity) {
            size_t capacity = to->capacity ? to->capacity * 2 : 16;
            Problem *grown = realloc(to->items, capacity * sizeof *grown);
            if (!grown)
                break;
            to->items = grown;
            to->capacity = capacity;
        }
        to->items[to->count++] = from->items[i];
        from->items[i] = (Problem){0};
    }
    problems_free(from);
}

static long position_key(const Problem *p)
{
    return p->line == 0 ? 0x7fffffffL : (long)p->line * 100000L + p->col;
}

/* One problem's place in the sorted order: its file's rank, its position, and its original index
 * (which makes qsort stable). */
typedef struct {
    const Problem *problem;
    size_t rank, index;
    long position;
} SortEntry;

static int by_file_then_index(const void *a, const void *b)
{
    const SortEntry *x = a, *y = b;
    int c = strcmp(x->problem->file, y->problem->file);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

static int by_rank_then_position(const void *a, const void *b)
{
    const SortEntry *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    if (x->position != y->position)
        return x->position < y->position ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

void problems_sort(ProblemList *list, size_t first, const char *first_file)
{
    /* A file ranks by where its first problem was added (first_file before all), and within a file
     * problems go by position. Both steps sort, so thousands of problems sort in n log n time. */
    size_t n = list->count > first ? list->count - first : 0;
    SortEntry *entries = n > 1 ? malloc(n * sizeof *entries) : NULL;
    Problem *sorted = n > 1 ? malloc(n * sizeof *sorted) : NULL;
    if (!entries || !sorted) /* nothing to sort, or out of memory: the order stays as added */
        goto done;
    for (size_t i = 0; i < n; i++)
        entries[i] = (SortEntry){&list->items[first + i], 0, i, position_key(&list->items[first + i])};
    qsort(entries, n, sizeof *entries, by_file_then_index);
    for (size_t i = 0; i < n; i++) {
        bool same = i > 0 && strcmp(entries[i].problem->file, entries[i - 1].problem->file) == 0;
        if (first_file && strcmp(entries[i].problem->file, first_file) == 0)
            entries[i].rank = 0;
        else
            entries[i].rank = same ? entries[i - 1].rank : entries[i].index + 1;
    }
    qsort(entries, n, sizeof *entries, by_rank_then_position);
    for (size_t i = 0; i < n; i++)
        sorted[i] = *entries[i].problem;
    memcpy(list->items + first, sorted, n * sizeof *sorted);
done:
    free(sorted);
    free(entries);
}

size_t problems_count(const ProblemList *list, ProblemSeverity severity)
{
    size_t n = 0;
    for (size_t i = 0; i < list->count; i++)
        n += list->items[i].severity == severity;
    return n;
}

int problem_format(const Problem *p, char *out, size_t size)
{
    const char *sev = p->severity == PROBLEM_ERROR ? "error" : "warning";
    char where[64] = "";
    if (p->line > 0)
        snprintf(where, sizeof where, ":%d:%d", p->line, p->col > 0 ? p->col : 1);
    if (p->path[0])
        return snprintf(out, size, "%s%s: %s: %s: %s", p->file, where, sev, p->path, p->message);
    return snprintf(out, size, "%s%s: %s: %s", p->file, where, sev, p->message);
}
