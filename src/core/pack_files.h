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
/* What a picture may cost to draw. Decoding a PNG or JPEG takes 4 bytes a pixel, so 16.8 megapixels
 * (4096x4096) is 64 MiB; SDL_image's SVG renderer slows sharply with the number of shapes, path
 * points and gradient stops, so those are bounded too (each measured to draw in well under a second
 * at 1920x1080). */
#define PACK_MAX_PICTURE_PIXELS (4096L * 4096L)
#define PACK_MAX_SVG_ELEMENTS 2000
#define PACK_MAX_SVG_PATH_POINTS 20000
#define PACK_MAX_SVG_GRADIENT_STOPS 1000

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
    PACK_FILE_TOO_BIG_IMAGE, /* a side beyond PACK_MAX_PICTURE_SIDE, or more than PACK_MAX_PICTURE_PIXELS */
    PACK_FILE_DAMAGED,       /* cut short, a failed checksum, or SVG that is not well-formed XML */
    PACK_FILE_TOO_COMPLEX,   /* an SVG beyond the element, path point or gradient stop budget */
    PACK_FILE_CMYK           /* a JPEG in printers' CMYK colours, which SDL_image draws inverted */
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

/* Checks a whole picture file held in `bytes` as `kind` (from pack_file_sniff): its size (side and
 * pixel limits), then its content: PNG chunk checksums and end, JPEG colours, SVG well-formed and
 * within the drawing budget. Fills info->width, height, status and detail; leaves the rest. Used by
 * the validator and again by the app just before it decodes, so a file changed since cannot slip by. */
PackFileStatus pack_file_check_picture(PackFileKind kind, const unsigned char *bytes, size_t len,
                                       PackFileInfo *info);

/* The same for the app, just before it decodes: an SVG's declared size does not matter there (it is drawn
 * to fit its box), so for SVG only its XML and drawing budget are checked. */
PackFileStatus pack_file_check_picture_cost(PackFileKind kind, const unsigned char *bytes, size_t len,
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
