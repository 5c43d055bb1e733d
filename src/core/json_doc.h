/* json_doc.h: a parsed JSON file that still knows where every value came from.
 *
 * cJSON keeps no positions, so after cJSON has parsed (and so validated) the text, one more pass walks
 * the text in step with the tree and records the offset of every key and value in a side table keyed
 * by node. Messages can then name line and column for any field. The same layer turns cJSON's bare
 * "failed here" into advice for people who edit JSON by hand: a trailing comma, a missing comma,
 * curly quotes from a word processor, comments, text saved in the wrong encoding.
 */
#ifndef BA_JSON_DOC_H
#define BA_JSON_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "problems.h"

typedef struct JsonDoc JsonDoc;

/* Parses `len` bytes of `text` (a UTF-8 byte-order mark is skipped). `file` names the file in
 * messages. Returns NULL after adding an error to `problems` when the text is not valid UTF-8,
 * contains a NUL byte or is not valid JSON. Free with json_doc_free(). */
JsonDoc *json_doc_parse(const char *file, const char *text, size_t len, ProblemList *problems);

/* Reads the file at `path` (a regular file of at most PACK_MAX_JSON_BYTES) and parses it. */
JsonDoc *json_doc_load(const char *path, ProblemList *problems);

void json_doc_free(JsonDoc *doc);

const cJSON *json_doc_root(const JsonDoc *doc);
const char *json_doc_file(const JsonDoc *doc);
/* The parsed text (after any byte-order mark) and its length: what the offsets below count in. */
const char *json_doc_text(const JsonDoc *doc, size_t *len);
/* Byte offset of a node's value in that text, or SIZE_MAX for an unknown node. For tools that change
 * one value of a hand-edited file and must keep the rest of it exactly as it was. */
size_t json_doc_value_offset(const JsonDoc *doc, const cJSON *node);

/* 1-based line and column (in characters) of a node's value; of its key for json_doc_key_position
 * (the value's position when the node has no key). Both are 1:1 for an unknown node. */
void json_doc_position(const JsonDoc *doc, const cJSON *node, int *line, int *col);
void json_doc_key_position(const JsonDoc *doc, const cJSON *node, int *line, int *col);

/* Adds a problem located at a node's value (or its key, when at_key): the one way every reader of
 * hand-edited JSON reports, so positions and wording stay alike. `at` may be NULL (no position). */
void json_doc_report(const JsonDoc *doc, const char *file, ProblemList *problems, ProblemSeverity severity,
                     const cJSON *at, bool at_key, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));

/* Whether `s` is written exactly as a JSON number (so "30" or "2.5", but not "NaN", "inf", "0x1E" or
 * " 30"): only then may advice say to write it without the quotes. */
bool json_text_is_number(const char *s);

/* What kind of value a node holds, in words for staff: "text", "a number", "a list [ ... ]"... */
const char *json_type_words(const cJSON *v);

/* Warns about every key of `obj` that is not in `allowed` (NULL-terminated), with a "did you mean"
 * when one is close, and about keys that appear twice. Keys starting with "x-" are notes and allowed.
 * `path` is obj's JSON path; messages are added to `problems` for `file`. Shared by every reader of
 * hand-edited JSON (packs, kiosk settings) so they word these alike. */
void json_doc_check_keys(const JsonDoc *doc, const char *file, const cJSON *obj, const char *path,
                         const char *const allowed[], ProblemList *problems);

#endif
