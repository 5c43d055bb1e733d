/* problems.c: the growing list of content problems and their one printed form.
 *
 * The printed form follows the compiler convention "file:line:col: severity: ..." so that editors and
 * terminals can jump straight to the spot; staff see the same text in the app's problems view.
 *
 * File names, JSON keys and quoted values come from whoever made the pack, so a newline, a terminal
 * escape or a bidi override in them could forge a line such as "0 errors, 0 warnings" or hide the real
 * problem. Every string is therefore escaped once, here, as it is stored: control characters (C0, DEL,
 * C1), line separators, bidi overrides and bytes that are not UTF-8 become visible escapes (\n, \x1b,
 * \u202e). The printed line, the log and the staff view all use that stored text.
 */
#include "problems.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of the UTF-8 sequence at `s` (1 to 4) and its code point, or 0 when it is not well formed
 * (overlong forms and surrogates included, so a byte cannot sneak past as something else). */
static int utf8_sequence(const unsigned char *s, unsigned long *cp)
{
    int len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2;
    static const unsigned long least[] = {0, 0, 0x80, 0x800, 0x10000};
    unsigned long value = s[0] & (0x3F >> (len - 1));
    int ok = s[0] >= 0xC2 && s[0] <= 0xF4;
    for (int i = 1; ok && i < len; i++) {
        ok = (s[i] & 0xC0) == 0x80; /* also stops at the NUL */
        value = (value << 6) | (s[i] & 0x3F);
    }
    ok = ok && value >= least[len] && value <= 0x10FFFF && (value < 0xD800 || value > 0xDFFF);
    *cp = value;
    return ok ? len : 0;
}

/* Code points that move or break a line when printed: C1 controls, line and paragraph separators and
 * the bidi embeddings, overrides and isolates. */
static bool reorders_or_breaks(unsigned long cp)
{
    return (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

/* Writes the visible form of one character that must not be printed raw; `out` has room for 7. */
static size_t escape_one(const unsigned char *s, int len, unsigned long cp, char *out)
{
    int n;
    if (len > 1)
        n = snprintf(out, 8, "\\u%04lx", cp);
    else if (s[0] == '\n')
        n = snprintf(out, 8, "\\n");
    else if (s[0] == '\r')
        n = snprintf(out, 8, "\\r");
    else if (s[0] == '\t')
        n = snprintf(out, 8, "\\t");
    else
        n = snprintf(out, 8, "\\x%02x", s[0]);
    return (size_t)n;
}

/* A malloc'd copy of `s` (NULL meaning "") that is safe to print: see the top of this file. */
static char *escaped_copy(const char *s)
{
    const unsigned char *src = (const unsigned char *)(s ? s : "");
    char *copy = malloc(strlen((const char *)src) * 4 + 1); /* worst case: every byte as "\x01" */
    size_t out = 0;
    while (copy && *src) {
        unsigned long cp = *src;
        int len = *src < 0x80 ? 1 : utf8_sequence(src, &cp);
        bool raw = len > 1 ? !reorders_or_breaks(cp) : len == 1 && cp >= 0x20 && cp != 0x7F;
        if (len == 0)
            len = 1; /* a stray byte, escaped as \xNN */
        if (raw) {
            memcpy(copy + out, src, (size_t)len);
            out += (size_t)len;
        } else {
            out += escape_one(src, len, cp, copy + out);
        }
        src += len;
    }
    if (copy)
        copy[out] = '\0';
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
    Problem p = {severity, escaped_copy(file), line, col, escaped_copy(path), escaped_copy(message)};
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
    char *stored_first = first_file && n > 1 ? escaped_copy(first_file) : NULL; /* as the problems store it */
    if (!entries || !sorted || (first_file && !stored_first)) /* nothing to sort, or out of memory */
        goto done;
    for (size_t i = 0; i < n; i++)
        entries[i] = (SortEntry){&list->items[first + i], 0, i, position_key(&list->items[first + i])};
    qsort(entries, n, sizeof *entries, by_file_then_index);
    for (size_t i = 0; i < n; i++) {
        bool same = i > 0 && strcmp(entries[i].problem->file, entries[i - 1].problem->file) == 0;
        if (stored_first && strcmp(entries[i].problem->file, stored_first) == 0)
            entries[i].rank = 0;
        else
            entries[i].rank = same ? entries[i - 1].rank : entries[i].index + 1;
    }
    qsort(entries, n, sizeof *entries, by_rank_then_position);
    for (size_t i = 0; i < n; i++)
        sorted[i] = *entries[i].problem;
    memcpy(list->items + first, sorted, n * sizeof *sorted);
done:
    free(stored_first);
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
