/* json_doc.c: strict JSON checking with helpful messages, and positions for every value.
 *
 * One linear pass (the scanner) checks the text against the JSON grammar itself, because cJSON is
 * lenient in places (raw line breaks inside strings, "01") and only says where it stopped. The
 * scanner knows what it expected, so it can say "a comma is missing" or "remove the comma after the
 * last entry". While scanning it records the offsets of every key and value in document order. cJSON
 * then builds the tree, and a pre-order walk pairs each node with the recorded offsets (cJSON keeps
 * object members and array elements in document order, duplicates included).
 */
#include "json_doc.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pack_files.h"
#include "text_util.h"

#define JSON_MAX_DEPTH 64 /* packs nest about 6 deep; more means a broken or hostile file */
#define NO_OFFSET UINT32_MAX

typedef struct {
    uint32_t key;   /* offset of the key's opening quote, or NO_OFFSET */
    uint32_t value; /* offset of the value's first character */
} NodeOffsets;

typedef struct {
    const cJSON *node;
    uint32_t index;
} NodeSlot;

/* A known line and column at an offset: one at every line start, and one every CHECKPOINT_BYTES
 * within long lines, so that finding a position scans at most that many bytes. */
typedef struct {
    uint32_t offset;
    int line, col;
} Checkpoint;

#define CHECKPOINT_BYTES 1024

struct JsonDoc {
    char *file;
    char *text;        /* our copy, NUL-terminated, without the byte-order mark */
    size_t len;
    cJSON *root;
    NodeOffsets *offsets;
    size_t offset_count;
    NodeSlot *slots;   /* open addressing, size slot_mask + 1 */
    size_t slot_mask;
    Checkpoint *checkpoints; /* ascending offsets; NULL when out of memory (positions fall back to 1:1) */
    size_t checkpoint_count;
};

/* ---- positions ---------------------------------------------------------------------------- */

/* One pass over the text, so that each later position costs a binary search and a short scan instead
 * of a scan from the start of the file (which made loading quadratic in the file's size). */
static bool add_checkpoint(JsonDoc *doc, size_t *capacity, size_t offset, int line, int col)
{
    if (doc->checkpoint_count == *capacity) {
        size_t grown_capacity = *capacity ? *capacity * 2 : 64;
        Checkpoint *grown = realloc(doc->checkpoints, grown_capacity * sizeof *grown);
        if (!grown)
            return false;
        doc->checkpoints = grown;
        *capacity = grown_capacity;
    }
    doc->checkpoints[doc->checkpoint_count++] = (Checkpoint){(uint32_t)offset, line, col};
    return true;
}

static void build_checkpoints(JsonDoc *doc)
{
    size_t capacity = 0, last = 0;
    int line = 1, col = 1;
    bool ok = add_checkpoint(doc, &capacity, 0, line, col);
    for (size_t i = 0; ok && i < doc->len; i++) {
        char ch = doc->text[i];
        if (ch == '\n') {
            line++;
            col = 1;
        } else if (((unsigned char)ch & 0xC0) != 0x80) {
            col++;
        }
        if (ch == '\n' || i + 1 - last >= CHECKPOINT_BYTES) {
            last = i + 1;
            ok = add_checkpoint(doc, &capacity, last, line, col);
        }
    }
    if (!ok) {
        free(doc->checkpoints);
        doc->checkpoints = NULL;
        doc->checkpoint_count = 0;
    }
}

/* The line and column of an offset, from the last checkpoint at or before it. */
static void doc_line_col(const JsonDoc *doc, size_t offset, int *line, int *col)
{
    *line = 1;
    *col = 1;
    if (!doc->checkpoints || offset > doc->len)
        return;
    size_t lo = 0, hi = doc->checkpoint_count; /* the answer is in [lo, hi) */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (doc->checkpoints[mid].offset <= offset)
            lo = mid;
        else
            hi = mid;
    }
    const Checkpoint *cp = &doc->checkpoints[lo];
    int c = cp->col;
    for (size_t i = cp->offset; i < offset; i++)
        if (((unsigned char)doc->text[i] & 0xC0) != 0x80)
            c++;
    *line = cp->line;
    *col = c;
}

/* ---- the strict scanner ------------------------------------------------------------------- */

/* Where the scanner is, one frame per open container, so that a message can name its field. */
typedef struct {
    bool object;
    size_t key_at; /* the current member's key (objects) */
    int index;     /* the current element (arrays) */
} ScanFrame;

typedef struct {
    const JsonDoc *doc;
    const char *s;
    size_t len;
    size_t i;
    int depth;
    ScanFrame frames[JSON_MAX_DEPTH + 1];
    NodeOffsets *out;
    size_t count, capacity;
    bool failed;
    size_t error_at;
    char error[400];
    char error_path[256]; /* empty unless the message is about one field's value */
} Scanner;

static void scan_fail(Scanner *sc, size_t at, const char *message)
{
    if (sc->failed)
        return;
    sc->failed = true;
    sc->error_at = at;
    snprintf(sc->error, sizeof sc->error, "%s", message);
}

/* The JSON path ("items[2].slides[0].body") of where the scanner is, from its frames. */
static void scan_path(const Scanner *sc, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (int d = 1; d <= sc->depth && d <= JSON_MAX_DEPTH && used + 1 < size; d++) {
        const ScanFrame *f = &sc->frames[d];
        int n;
        if (f->object) {
            const char *key = sc->s + f->key_at + 1;
            const char *close = memchr(key, '"', sc->len - f->key_at - 1);
            int key_len = close ? (int)(close - key) : 0;
            n = snprintf(out + used, size - used, "%s%.*s", used ? "." : "", key_len, key);
        } else {
            n = snprintf(out + used, size - used, "[%d]", f->index);
        }
        used = n < 0 || (size_t)n >= size - used ? size - 1 : used + (size_t)n;
    }
}

static void skip_space(Scanner *sc)
{
    while (sc->i < sc->len) {
        char c = sc->s[sc->i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        sc->i++;
    }
}

static bool is_curly_quote(const Scanner *sc, size_t at)
{
    const unsigned char *u = (const unsigned char *)sc->s + at;
    return sc->len - at >= 3 && u[0] == 0xE2 && u[1] == 0x80 && (u[2] >= 0x98 && u[2] <= 0x9D);
}

/* Explains a character that cannot start what was expected. `what` is "a key" or "a value". */
static void scan_fail_unexpected(Scanner *sc, const char *what)
{
    size_t at = sc->i;
    char msg[300];
    if (at >= sc->len) {
        snprintf(msg, sizeof msg, "the file ends where %s was expected; something is missing at the end",
                 what);
    } else if (is_curly_quote(sc, at)) {
        snprintf(msg, sizeof msg,
                 "this is a curly quote, which word processors put in; JSON needs plain straight "
                 "quotes \". Retype the quote, or edit the file in a plain-text editor");
    } else if (sc->s[at] == '\'') {
        snprintf(msg, sizeof msg, "JSON needs double quotes \" around text, not single quotes '");
    } else if (sc->s[at] == '/' && at + 1 < sc->len && (sc->s[at + 1] == '/' || sc->s[at + 1] == '*')) {
        snprintf(msg, sizeof msg,
                 "JSON does not allow comments. Remove it, or keep the note in a key whose name "
                 "starts with \"x-\", like \"x-note\": \"...\"");
    } else if (strcmp(what, "a key") == 0 && ((sc->s[at] >= 'a' && sc->s[at] <= 'z') ||
                                               (sc->s[at] >= 'A' && sc->s[at] <= 'Z'))) {
        snprintf(msg, sizeof msg, "key names need double quotes around them, like \"title\"");
    } else if ((sc->s[at] >= 'a' && sc->s[at] <= 'z') || (sc->s[at] >= 'A' && sc->s[at] <= 'Z')) {
        snprintf(msg, sizeof msg,
                 "text needs double quotes around it, like \"Sit tall\" (only numbers, true, false "
                 "and null go without quotes)");
    } else {
        snprintf(msg, sizeof msg, "'%c' cannot start %s here", sc->s[at], what);
    }
    scan_fail(sc, at, msg);
}

static void record(Scanner *sc, size_t key, size_t value)
{
    if (sc->count == sc->capacity) {
        size_t capacity = sc->capacity ? sc->capacity * 2 : 256;
        NodeOffsets *grown = realloc(sc->out, capacity * sizeof *grown);
        if (!grown) {
            scan_fail(sc, value, "out of memory while reading this file");
            return;
        }
        sc->out = grown;
        sc->capacity = capacity;
    }
    sc->out[sc->count++] = (NodeOffsets){key == SIZE_MAX ? NO_OFFSET : (uint32_t)key, (uint32_t)value};
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static unsigned escape_value(const char *hex)
{
    unsigned v = 0;
    for (int k = 0; k < 4; k++)
        v = v * 16 + (unsigned)hex_value(hex[k]);
    return v;
}

/* \uD800 to \uDFFF are halves of a pair that together write one character (an emoji, say); a half
 * on its own is no character at all, and cJSON would only say it cannot read the file. `at` is the
 * backslash of a checked \u escape. Returns how many bytes the escape (or pair) takes, 0 after failing. */
static size_t scan_unicode_escape(Scanner *sc, size_t at)
{
    unsigned v = escape_value(sc->s + at + 2);
    if (v < 0xD800 || v > 0xDFFF)
        return 6;
    const char *next = sc->s + at + 6;
    bool paired = v <= 0xDBFF && sc->len - at >= 12 && next[0] == '\\' && next[1] == 'u' &&
                  hex_value(next[2]) >= 0 && hex_value(next[3]) >= 0 && hex_value(next[4]) >= 0 &&
                  hex_value(next[5]) >= 0 && escape_value(next + 2) >= 0xDC00 && escape_value(next + 2) <= 0xDFFF;
    if (paired)
        return 12;
    char msg[300];
    if (v <= 0xDBFF)
        snprintf(msg, sizeof msg,
                 "\\u%.4s is the first half of a pair of escapes that together write one character (such as an "
                 "emoji), but its second half (\\uDC00 to \\uDFFF) does not follow; type the character itself, or "
                 "remove the escape",
                 sc->s + at + 2);
    else
        snprintf(msg, sizeof msg,
                 "\\u%.4s is the second half of a pair of escapes that together write one character (such as an "
                 "emoji), but its first half (\\uD800 to \\uDBFF) is missing; type the character itself, or "
                 "remove the escape",
                 sc->s + at + 2);
    scan_fail(sc, at, msg);
    scan_path(sc, sc->error_path, sizeof sc->error_path);
    return 0;
}

static void scan_string(Scanner *sc)
{
    size_t open = sc->i++;
    while (sc->i < sc->len) {
        unsigned char c = (unsigned char)sc->s[sc->i];
        if (c == '"') {
            sc->i++;
            return;
        }
        if (c < 0x20) {
            scan_fail(sc, sc->i,
                      c == '\n' ? "a line break inside text is not allowed in JSON; keep the text on "
                                  "one line, or make a list of paragraphs [\"...\", \"...\"]"
                                : "a control character (such as a tab) inside text is not allowed; "
                                  "replace it with a space");
            return;
        }
        if (c == '\\') {
            if (sc->i + 1 >= sc->len)
                break;
            char e = sc->s[sc->i + 1];
            if (e == 'u') {
                for (int k = 2; k < 6; k++) {
                    if (sc->i + (size_t)k >= sc->len || hex_value(sc->s[sc->i + (size_t)k]) < 0) {
                        scan_fail(sc, sc->i, "\\u must be followed by four hexadecimal digits, like \\u00e9");
                        return;
                    }
                }
                if (memcmp(sc->s + sc->i + 2, "0000", 4) == 0) {
                    /* cJSON would end the C string there and silently drop the rest. */
                    scan_fail(sc, sc->i, "\\u0000 (a zero character) is not allowed in text; remove it");
                    return;
                }
                size_t taken = scan_unicode_escape(sc, sc->i);
                if (!taken)
                    return;
                sc->i += taken;
                continue;
            }
            if (!strchr("\"\\/bfnrt", e) || e == '\0') {
                scan_fail(sc, sc->i,
                          "a backslash \\ starts an escape and must be followed by \", \\, /, b, f, n, "
                          "r, t or u; to write a backslash itself, write \\\\");
                return;
            }
            sc->i += 2;
            continue;
        }
        sc->i++;
    }
    scan_fail(sc, open, "this text has no closing quote \"; add one where the text ends");
}

static void scan_number(Scanner *sc)
{
    size_t start = sc->i;
    const char *s = sc->s;
    size_t i = sc->i;
    if (i < sc->len && s[i] == '-')
        i++;
    if (i < sc->len && s[i] == '0') {
        i++;
    } else if (i < sc->len && s[i] >= '1' && s[i] <= '9') {
        while (i < sc->len && s[i] >= '0' && s[i] <= '9')
            i++;
    } else {
        scan_fail(sc, start, "this is not a number; write numbers with digits, like 30 or 2.5");
        return;
    }
    if (i < sc->len && s[i] == '.') {
        i++;
        if (i >= sc->len || s[i] < '0' || s[i] > '9') {
            scan_fail(sc, start, "a decimal point must have digits after it, like 2.5");
            return;
        }
        while (i < sc->len && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (i < sc->len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < sc->len && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i >= sc->len || s[i] < '0' || s[i] > '9') {
            scan_fail(sc, start, "this is not a number; write numbers with digits, like 30 or 2.5");
            return;
        }
        while (i < sc->len && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (i < sc->len && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))) {
        scan_fail(sc, start, "numbers are written without units or letters: write 30, not 30s");
        return;
    }
    if (i < sc->len && s[i] >= '0' && s[i] <= '9') {
        scan_fail(sc, start, "a number cannot start with 0 followed by more digits; write 7, not 07");
        return;
    }
    sc->i = i;
}

static void scan_value(Scanner *sc, size_t key_at);

static void scan_container(Scanner *sc, bool object)
{
    size_t open = sc->i++;
    char close = object ? '}' : ']';
    if (++sc->depth > JSON_MAX_DEPTH) {
        scan_fail(sc, open, "the JSON is nested too deeply");
        return;
    }
    sc->frames[sc->depth] = (ScanFrame){object, SIZE_MAX, 0};
    skip_space(sc);
    if (sc->i < sc->len && sc->s[sc->i] == close) {
        sc->i++;
        sc->depth--;
        return;
    }
    for (;;) {
        size_t key_at = SIZE_MAX;
        if (object) {
            skip_space(sc);
            if (sc->i >= sc->len || sc->s[sc->i] != '"') {
                scan_fail_unexpected(sc, "a key");
                return;
            }
            key_at = sc->i;
            sc->frames[sc->depth].key_at = key_at;
            scan_string(sc);
            if (sc->failed)
                return;
            skip_space(sc);
            if (sc->i >= sc->len || sc->s[sc->i] != ':') {
                scan_fail(sc, sc->i >= sc->len ? key_at : sc->i,
                          "a colon : is missing after the key; write \"key\": value");
                return;
            }
            sc->i++;
        }
        scan_value(sc, key_at);
        if (sc->failed)
            return;
        size_t value_end = sc->i;
        skip_space(sc);
        if (sc->i >= sc->len) {
            int line, col;
            doc_line_col(sc->doc, open, &line, &col);
            char msg[200];
            snprintf(msg, sizeof msg, "the %c opened at line %d, column %d is never closed; add a %c",
                     object ? '{' : '[', line, col, close);
            scan_fail(sc, open, msg);
            return;
        }
        char c = sc->s[sc->i];
        if (c == close) {
            sc->i++;
            sc->depth--;
            return;
        }
        if (c == ',') {
            size_t comma = sc->i++;
            sc->frames[sc->depth].index++;
            skip_space(sc);
            if (sc->i < sc->len && (sc->s[sc->i] == '}' || sc->s[sc->i] == ']')) {
                scan_fail(sc, comma,
                          "remove this comma: JSON does not allow a comma after the last entry of a "
                          "list or object");
                return;
            }
            continue;
        }
        if (c == '"' || c == '{' || c == '[' || c == '-' || (c >= '0' && c <= '9') || c == 't' ||
            c == 'f' || c == 'n' || is_curly_quote(sc, sc->i)) {
            scan_fail(sc, value_end, "a comma , is missing here, between two entries");
            return;
        }
        if (c == '}' || c == ']') {
            char msg[160];
            snprintf(msg, sizeof msg, "this %c does not match the %c opened before it; expected %c", c,
                     object ? '{' : '[', close);
            scan_fail(sc, sc->i, msg);
            return;
        }
        if (c == '/' && sc->i + 1 < sc->len && (sc->s[sc->i + 1] == '/' || sc->s[sc->i + 1] == '*')) {
            scan_fail_unexpected(sc, "a value");
            return;
        }
        char msg[160];
        snprintf(msg, sizeof msg, "expected a comma , or %c here", close);
        scan_fail(sc, sc->i, msg);
        return;
    }
}

static void scan_value(Scanner *sc, size_t key_at)
{
    skip_space(sc);
    if (sc->i >= sc->len) {
        scan_fail_unexpected(sc, "a value");
        return;
    }
    record(sc, key_at, sc->i);
    if (sc->failed)
        return;
    char c = sc->s[sc->i];
    if (c == '{' || c == '[') {
        scan_container(sc, c == '{');
    } else if (c == '"') {
        scan_string(sc);
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        scan_number(sc);
    } else {
        static const char *const literals[] = {"true", "false", "null"};
        for (int k = 0; k < 3; k++) {
            size_t n = strlen(literals[k]);
            if (sc->len - sc->i >= n && memcmp(sc->s + sc->i, literals[k], n) == 0) {
                char after = sc->i + n < sc->len ? sc->s[sc->i + n] : ' ';
                if (!((after >= 'a' && after <= 'z') || (after >= 'A' && after <= 'Z'))) {
                    sc->i += n;
                    return;
                }
            }
        }
        scan_fail_unexpected(sc, "a value");
    }
}

/* ---- pairing nodes with offsets ----------------------------------------------------------- */

static size_t hash_pointer(const void *p)
{
    uintptr_t x = (uintptr_t)p;
    x ^= x >> 17;
    x *= (uintptr_t)0x9E3779B97F4A7C15ull;
    return (size_t)(x ^ (x >> 29));
}

static void slot_put(JsonDoc *doc, const cJSON *node, uint32_t index)
{
    size_t h = hash_pointer(node) & doc->slot_mask;
    while (doc->slots[h].node)
        h = (h + 1) & doc->slot_mask;
    doc->slots[h] = (NodeSlot){node, index};
}

static bool pair_nodes(JsonDoc *doc, const cJSON *node, size_t *next)
{
    if (*next >= doc->offset_count)
        return false; /* the scanner and cJSON disagree; positions fall back to 1:1 */
    slot_put(doc, node, (uint32_t)(*next)++);
    for (const cJSON *child = node->child; child; child = child->next)
        if (!pair_nodes(doc, child, next))
            return false;
    return true;
}

static const NodeOffsets *offsets_of(const JsonDoc *doc, const cJSON *node)
{
    if (!doc || !doc->slots || !node)
        return NULL;
    size_t h = hash_pointer(node) & doc->slot_mask;
    while (doc->slots[h].node) {
        if (doc->slots[h].node == node)
            return &doc->offsets[doc->slots[h].index];
        h = (h + 1) & doc->slot_mask;
    }
    return NULL;
}

/* ---- encodings ---------------------------------------------------------------------------- */

/* Windows Notepad's "Unicode" is UTF-16, with or without a byte-order mark. Without one, JSON text
 * (ASCII punctuation and mostly ASCII letters) shows as a zero byte in every other place: at even
 * offsets for big-endian, odd ones for little-endian. Returns the kind in words, or NULL. */
static const char *utf16_kind(const char *text, size_t len)
{
    const unsigned char *u = (const unsigned char *)text;
    if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE)
        return "little-endian, with a byte-order mark";
    if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF)
        return "big-endian, with a byte-order mark";
    size_t sample = len < 512 ? len & ~(size_t)1 : 512, even = 0, odd = 0;
    for (size_t i = 0; i < sample; i += 2) {
        even += u[i] == 0;
        odd += u[i + 1] == 0;
    }
    if (sample >= 2 && odd * 4 >= sample && even == 0)
        return "little-endian";
    if (sample >= 2 && even * 4 >= sample && odd == 0)
        return "big-endian";
    return NULL;
}

/* ---- public ------------------------------------------------------------------------------- */

JsonDoc *json_doc_parse(const char *file, const char *text, size_t len, ProblemList *problems)
{
    Scanner sc = {0};
    JsonDoc *doc = calloc(1, sizeof *doc);
    if (!doc)
        goto fail;
    doc->file = text_dup(file);
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) { /* a byte-order mark, as Notepad writes */
        text += 3;
        len -= 3;
    }
    doc->text = malloc(len + 1);
    if (!doc->file || !doc->text)
        goto fail;
    memcpy(doc->text, text, len);
    doc->text[len] = '\0';
    doc->len = len;
    build_checkpoints(doc);

    const char *utf16 = utf16_kind(doc->text, len);
    if (utf16) {
        problems_add(problems, PROBLEM_ERROR, file, 0, 0, "",
                     "the file is saved as UTF-16 (%s), but it must be saved as UTF-8. Open it in a text "
                     "editor and save it again as UTF-8 (in Notepad: File, Save As, then Encoding: UTF-8)",
                     utf16);
        goto fail;
    }
    const char *nul = memchr(doc->text, '\0', len);
    if (nul) {
        int line, col;
        doc_line_col(doc, (size_t)(nul - doc->text), &line, &col);
        problems_add(problems, PROBLEM_ERROR, file, line, col, "",
                     "the file contains a NUL (zero) byte, so it is not plain text; it may be damaged. "
                     "Save it again from a text editor");
        goto fail;
    }
    size_t bad = utf8_invalid_offset(doc->text, len);
    if (bad < len) {
        int line, col;
        doc_line_col(doc, bad, &line, &col);
        problems_add(problems, PROBLEM_ERROR, file, line, col, "",
                     "this text is not valid UTF-8 (byte 0x%02X); save the file with the UTF-8 "
                     "encoding (in most editors: Save As, then Encoding: UTF-8)",
                     (unsigned char)doc->text[bad]);
        goto fail;
    }

    sc.doc = doc;
    sc.s = doc->text;
    sc.len = len;
    skip_space(&sc);
    if (sc.i >= len) {
        problems_add(problems, PROBLEM_ERROR, file, 0, 0, "",
                     "the file is empty; a pack file holds one JSON object, starting with { and ending "
                     "with }");
        goto fail;
    }
    scan_value(&sc, SIZE_MAX);
    if (!sc.failed) {
        skip_space(&sc);
        if (sc.i < len)
            scan_fail(&sc, sc.i,
                      "there is more text after the end of the JSON; everything must be inside the "
                      "outer { }");
    }
    if (sc.failed) {
        int line, col;
        doc_line_col(doc, sc.error_at, &line, &col);
        problems_add(problems, PROBLEM_ERROR, file, line, col, sc.error_path, "%s", sc.error);
        goto fail;
    }

    /* cJSON needs the terminating NUL counted in the length when it must end the text. */
    const char *end = NULL;
    doc->root = cJSON_ParseWithLengthOpts(doc->text, len + 1, &end, 1);
    if (!doc->root) {
        int line = 1, col = 1;
        if (end)
            doc_line_col(doc, (size_t)(end - doc->text), &line, &col);
        problems_add(problems, PROBLEM_ERROR, file, line, col, "", "the JSON could not be read here");
        goto fail;
    }

    doc->offsets = sc.out;
    doc->offset_count = sc.count;
    sc.out = NULL;
    size_t slots = 16;
    while (slots < doc->offset_count * 2)
        slots *= 2;
    doc->slots = calloc(slots, sizeof *doc->slots);
    if (!doc->slots)
        goto fail;
    doc->slot_mask = slots - 1;
    size_t next = 0;
    if (!pair_nodes(doc, doc->root, &next)) {
        free(doc->slots);
        doc->slots = NULL;
    }
    return doc;

fail:
    free(sc.out);
    json_doc_free(doc);
    return NULL;
}

JsonDoc *json_doc_load(const char *path, ProblemList *problems)
{
    char *text = NULL;
    size_t len = 0;
    PackFileStatus status = pack_file_read(path, PACK_MAX_JSON_BYTES, &text, &len);
    if (status != PACK_FILE_OK) {
        if (status == PACK_FILE_TOO_LARGE)
            problems_add(problems, PROBLEM_ERROR, path, 0, 0, "",
                         "the file is larger than %u MiB; split the items over several files with "
                         "\"include\"",
                         PACK_MAX_JSON_BYTES / (1024 * 1024));
        else
            problems_add(problems, PROBLEM_ERROR, path, 0, 0, "", "the file %s",
                         pack_file_status_text(status));
        return NULL;
    }
    JsonDoc *doc = json_doc_parse(path, text, len, problems);
    free(text);
    return doc;
}

void json_doc_free(JsonDoc *doc)
{
    if (!doc)
        return;
    cJSON_Delete(doc->root);
    free(doc->slots);
    free(doc->checkpoints);
    free(doc->offsets);
    free(doc->text);
    free(doc->file);
    free(doc);
}

const cJSON *json_doc_root(const JsonDoc *doc)
{
    return doc->root;
}

const char *json_doc_file(const JsonDoc *doc)
{
    return doc->file;
}

const char *json_doc_text(const JsonDoc *doc, size_t *len)
{
    *len = doc->len;
    return doc->text;
}

size_t json_doc_value_offset(const JsonDoc *doc, const cJSON *node)
{
    const NodeOffsets *o = offsets_of(doc, node);
    return o ? o->value : SIZE_MAX;
}

void json_doc_position(const JsonDoc *doc, const cJSON *node, int *line, int *col)
{
    const NodeOffsets *o = offsets_of(doc, node);
    *line = 1;
    *col = 1;
    if (o)
        doc_line_col(doc, o->value, line, col);
}

void json_doc_key_position(const JsonDoc *doc, const cJSON *node, int *line, int *col)
{
    const NodeOffsets *o = offsets_of(doc, node);
    *line = 1;
    *col = 1;
    if (o)
        doc_line_col(doc, o->key != NO_OFFSET ? o->key : o->value, line, col);
}

/* Adds `key` to the open-addressing set `slots` (mask + 1 entries); false if it was already there. */
static bool key_set_add(const char **slots, size_t mask, const char *key)
{
    size_t h = text_hash(key) & mask;
    while (slots[h]) {
        if (strcmp(slots[h], key) == 0)
            return false;
        h = (h + 1) & mask;
    }
    slots[h] = key;
    return true;
}

/* The "did you mean" for an unknown key, or NULL when nothing allowed is close; *known when allowed. */
static const char *closest_allowed(const char *key, const char *const allowed[], bool *known)
{
    const char *closest = NULL;
    int best = 3;
    *known = false;
    for (int i = 0; allowed[i] && !*known; i++) {
        if (strcmp(allowed[i], key) == 0) {
            *known = true;
            break;
        }
        int d = text_edit_distance(key, allowed[i], 2);
        if (d < best) {
            best = d;
            closest = allowed[i];
        }
    }
    return closest;
}

static void check_one_key(const JsonDoc *doc, const char *file, const cJSON *m, const char *path, bool twice,
                          const char *const allowed[], ProblemList *problems)
{
    const char *key = m->string;
    bool known = true;
    const char *closest = strncmp(key, "x-", 2) == 0 ? NULL : closest_allowed(key, allowed, &known);
    if (!twice && known)
        return; /* the usual case: no message, so no position to work out */
    char at[256];
    if (snprintf(at, sizeof at, "%s%s%s", path, path[0] ? "." : "", key) >= (int)sizeof at)
        at[sizeof at - 1] = '\0'; /* a cut path is still a useful message */
    int line, col;
    json_doc_key_position(doc, m, &line, &col);
    if (twice)
        problems_add(problems, PROBLEM_WARNING, file, line, col, at,
                     "\"%s\" appears twice in this object; the first one is used. Remove one of them", key);
    if (known)
        return;
    if (closest)
        problems_add(problems, PROBLEM_WARNING, file, line, col, at,
                     "unknown key \"%s\" is ignored; did you mean \"%s\"?", key, closest);
    else
        problems_add(problems, PROBLEM_WARNING, file, line, col, at,
                     "unknown key \"%s\" is ignored. Remove it, or start its name with \"x-\" to keep it as a note",
                     key);
}

void json_doc_check_keys(const JsonDoc *doc, const char *file, const cJSON *obj, const char *path,
                         const char *const allowed[], ProblemList *problems)
{
    /* Duplicates are found with a set of the keys seen so far, so an object of many keys costs time
     * in proportion to its size; most objects are small and use the table on the stack. */
    const char *local[64] = {0};
    const char **slots = local;
    size_t members = 0, size = 64;
    for (const cJSON *m = obj->child; m; m = m->next)
        members++;
    while (size < members * 2)
        size *= 2;
    if (size > 64)
        slots = calloc(size, sizeof *slots);
    for (const cJSON *m = obj->child; m; m = m->next) {
        bool twice = false;
        if (slots)
            twice = !key_set_add(slots, size - 1, m->string);
        else /* out of memory: still check every key, only without the duplicate warning */
            twice = false;
        check_one_key(doc, file, m, path, twice, allowed, problems);
    }
    if (slots != local)
        free(slots);
}

void json_doc_report(const JsonDoc *doc, const char *file, ProblemList *problems, ProblemSeverity severity,
                     const cJSON *at, bool at_key, const char *path, const char *fmt, ...)
{
    char message[900];
    va_list args;
    va_start(args, fmt);
    vsnprintf(message, sizeof message, fmt, args);
    va_end(args);
    int line = 0, col = 0;
    if (at && at_key)
        json_doc_key_position(doc, at, &line, &col);
    else if (at)
        json_doc_position(doc, at, &line, &col);
    problems_add(problems, severity, file, line, col, path, "%s", message);
}

bool json_text_is_number(const char *s)
{
    /* The scanner's own number rule, so the advice and the parser agree. */
    Scanner sc = {0};
    sc.s = s;
    sc.len = strlen(s);
    scan_number(&sc);
    return sc.len > 0 && !sc.failed && sc.i == sc.len;
}

const char *json_type_words(const cJSON *v)
{
    if (cJSON_IsString(v))
        return "text";
    if (cJSON_IsNumber(v))
        return "a number";
    if (cJSON_IsBool(v))
        return "true or false";
    if (cJSON_IsNull(v))
        return "null";
    if (cJSON_IsArray(v))
        return "a list [ ... ]";
    return "an object { ... }";
}
