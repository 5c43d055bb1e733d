/* pack_files.h: safe access to the files a pack refers to.
 *
 * Content comes from clinic staff and sometimes from a USB stick, so nothing a pack says may make the
 * app read outside the pack folder, block on a FIFO or device, or decode a huge picture. Every check
 * here works from the path and the first bytes of the file (magic numbers and header fields), before
 * any decoder sees it. Pure POSIX; no SDL.
 */
#ifndef BA_PACK_FILES_H
#define BA_PACK_FILES_H

#include <stdbool.h>
#include <stddef.h>

/* Limits, also documented in docs/content-packs.md. */
#define PACK_MAX_JSON_BYTES (4u * 1024 * 1024)
#define PACK_MAX_PICTURE_BYTES (16u * 1024 * 1024)
#define PACK_MAX_SOUND_BYTES (8u * 1024 * 1024)
#define PACK_MAX_PICTURE_SIDE 8192 /* pixels, either side */
#define PACK_MAX_SOUND_SECONDS 30

typedef enum {
    FILE_KIND_PNG,
    FILE_KIND_JPEG,
    FILE_KIND_SVG,
    FILE_KIND_WAV,
    FILE_KIND_JSON,
    FILE_KIND_UNKNOWN
} PackFileKind;

typedef enum {
    PACK_FILE_OK,
    PACK_FILE_BAD_PATH,     /* empty, absolute, contains "..", a backslash or a NUL */
    PACK_FILE_MISSING,
    PACK_FILE_OUTSIDE,      /* resolves (through symbolic links) outside the pack folder */
    PACK_FILE_NOT_REGULAR,  /* a directory, FIFO, device or socket */
    PACK_FILE_TOO_LARGE,
    PACK_FILE_UNREADABLE,
    PACK_FILE_WRONG_KIND,   /* content is not what the field expects */
    PACK_FILE_BAD_HEADER,   /* the header is truncated or inconsistent */
    PACK_FILE_TOO_BIG_IMAGE /* width or height beyond PACK_MAX_PICTURE_SIDE, or zero */
} PackFileStatus;

typedef struct {
    PackFileStatus status;
    PackFileKind kind;       /* detected from the content */
    char *full_path;         /* malloc'd "<pack_dir>/<relative>" when the path is usable, else NULL */
    size_t size;
    int width, height;       /* pictures: from the header (SVG: width/height or viewBox) */
    double seconds;          /* sounds: length from the WAV header */
    char detail[160];        /* extra words for the message, e.g. "it is a JPEG file" or "9000x200" */
} PackFileInfo;

/* Checks `relative` (as written in the pack) against the pack folder `pack_dir`, and that its content
 * is one of `allowed` (a bit set of 1u << PackFileKind). Fills `info`; the caller frees
 * info->full_path. Returns info->status. Never opens anything but regular files inside the folder. */
PackFileStatus pack_file_check(const char *pack_dir, const char *relative, unsigned allowed,
                               PackFileInfo *info);

/* A sentence fragment for a status, e.g. "does not exist". */
const char *pack_file_status_text(PackFileStatus status);
const char *pack_file_kind_name(PackFileKind kind);

/* Reads a whole regular file of at most `max_bytes` into a NUL-terminated buffer; the caller frees it.
 * Refuses anything but a regular file (without blocking on FIFOs). Returns the status. */
PackFileStatus pack_file_read(const char *path, size_t max_bytes, char **out, size_t *out_len);

/* Detects the kind of a buffer by its magic bytes (SVG: an <svg element after any XML prolog,
 * comments or doctype). */
PackFileKind pack_file_sniff(const unsigned char *bytes, size_t len);

/* Reads width and height from a PNG, JPEG or SVG header held in `bytes`. Returns false when the header
 * is truncated or malformed. SVG without width/height takes them from the viewBox. */
bool pack_file_picture_size(PackFileKind kind, const unsigned char *bytes, size_t len, int *width,
                            int *height);

#endif
