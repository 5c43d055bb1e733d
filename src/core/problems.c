/* problems.c: the growing list of content problems and their one printed form.
 *
 * The printed form follows the compiler convention "file:line:col: severity: ..." so that editors and
 * terminals can jump straight to the spot; staff see the same text in the app's problems view.
 */
#include "problems.h"

#include <stdarg.h>
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

static size_t file_rank(const ProblemList *list, size_t first, const char *file, const char *first_file)
{
    if (first_file && strcmp(file, first_file) == 0)
        return 0;
    for (size_t k = first; k < list->count; k++)
        if (strcmp(list->items[k].file, file) == 0)
            return k - first + 1;
    return list->count;
}

static long position_key(const Problem *p)
{
    return p->line == 0 ? 0x7fffffffL : (long)p->line * 100000L + p->col;
}

void problems_sort(ProblemList *list, size_t first, const char *first_file)
{
    /* Ranks come from the original order, so compute them before anything moves. */
    size_t n = list->count > first ? list->count - first : 0;
    size_t *ranks = malloc((n ? n : 1) * sizeof *ranks);
    if (!ranks)
        return;
    for (size_t i = 0; i < n; i++)
        ranks[i] = file_rank(list, first, list->items[first + i].file, first_file);
    for (size_t i = 1; i < n; i++) { /* insertion sort: stable, and lists are short */
        Problem p = list->items[first + i];
        size_t rank = ranks[i];
        size_t j = i;
        while (j > 0 && (ranks[j - 1] > rank ||
                         (ranks[j - 1] == rank && position_key(&list->items[first + j - 1]) > position_key(&p)))) {
            list->items[first + j] = list->items[first + j - 1];
            ranks[j] = ranks[j - 1];
            j--;
        }
        list->items[first + j] = p;
        ranks[j] = rank;
    }
    free(ranks);
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
