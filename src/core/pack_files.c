/* pack_files.c: checks every file a pack names before anything else touches it.
 *
 * Pack content is written by clinic staff and may arrive on a USB stick, so a path from a pack is
 * treated as hostile: it must stay inside the pack folder (also through symbolic links), name a
 * regular file (never a FIFO or device, which could block or never end), stay under the size limits,
 * and have the magic bytes and header of the kind the field expects. Only the first 256 KiB are read
 * for this, plus a few small WAV chunk headers; every header field is bounds-checked against the bytes
 * actually held, so no input can make these checks hang, crash or read out of bounds.
 */
#define _XOPEN_SOURCE 700 /* POSIX 2008 with realpath() */

#include "pack_files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <libxml/xmlreader.h>
#include <zlib.h>

#define PACK_MAX_PATH_BYTES 512
#define SNIFF_BYTES (256u * 1024)
#define WAV_MAX_CHUNKS 4096
#define NOT_FOUND SIZE_MAX
#define PICTURE_KINDS ((1u << FILE_KIND_PNG) | (1u << FILE_KIND_JPEG) | (1u << FILE_KIND_SVG))
#define SVG_NUMBER_CAP 1e9 /* SVG sizes are clamped here, far beyond PACK_MAX_PICTURE_SIDE */

#define SVG_COUNT_CAP 100000000L /* counting stops here, so no count can overflow */

static const unsigned char png_signature[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

/* ---- small byte helpers, all bounds-checked by their callers or themselves ---- */

static uint32_t read_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static unsigned read_be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | (unsigned)p[1];
}

static uint32_t read_le32(const unsigned char *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | (uint32_t)p[0];
}

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* True when `literal` appears at bytes[pos], entirely within len. */
static bool has_at(const unsigned char *bytes, size_t len, size_t pos, const char *literal)
{
    size_t n = strlen(literal);
    return pos <= len && len - pos >= n && memcmp(bytes + pos, literal, n) == 0;
}

/* Index of the first `literal` at or after pos, or NOT_FOUND. */
static size_t find_from(const unsigned char *bytes, size_t len, size_t pos, const char *literal)
{
    for (; pos < len; pos++)
        if (has_at(bytes, len, pos, literal))
            return pos;
    return NOT_FOUND;
}

static size_t skip_bom_and_space(const unsigned char *bytes, size_t len)
{
    size_t pos = has_at(bytes, len, 0, "\xEF\xBB\xBF") ? 3 : 0;
    while (pos < len && is_space(bytes[pos]))
        pos++;
    return pos;
}

/* ---- SVG ---- */

/* Index just past the '>' closing a <!DOCTYPE that starts before pos, or NOT_FOUND. The internal
 * subset in [...] and quoted strings may hold '>' characters. */
static size_t doctype_end(const unsigned char *bytes, size_t len, size_t pos)
{
    int depth = 0;
    unsigned char quote = 0;
    for (; pos < len; pos++) {
        unsigned char c = bytes[pos];
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '[') {
            depth++;
        } else if (c == ']' && depth > 0) {
            depth--;
        } else if (c == '>' && depth == 0) {
            return pos + 1;
        }
    }
    return NOT_FOUND;
}

/* Index of "<svg" after an optional BOM and any XML declarations, comments, doctype and white space,
 * or NOT_FOUND. Every step moves forward, so this always ends. */
static size_t svg_start_tag(const unsigned char *bytes, size_t len)
{
    size_t pos = has_at(bytes, len, 0, "\xEF\xBB\xBF") ? 3 : 0;
    for (;;) {
        size_t end;
        while (pos < len && is_space(bytes[pos]))
            pos++;
        if (has_at(bytes, len, pos, "<?")) {
            end = find_from(bytes, len, pos + 2, "?>");
            if (end == NOT_FOUND)
                return NOT_FOUND;
            pos = end + 2;
        } else if (has_at(bytes, len, pos, "<!--")) {
            end = find_from(bytes, len, pos + 4, "-->");
            if (end == NOT_FOUND)
                return NOT_FOUND;
            pos = end + 3;
        } else if (has_at(bytes, len, pos, "<!DOCTYPE")) {
            end = doctype_end(bytes, len, pos + 9);
            if (end == NOT_FOUND)
                return NOT_FOUND;
            pos = end;
        } else if (has_at(bytes, len, pos, "<svg")) {
            if (pos + 4 < len && (is_space(bytes[pos + 4]) || bytes[pos + 4] == '>' ||
                                  bytes[pos + 4] == '/'))
                return pos;
            return NOT_FOUND;
        } else {
            return NOT_FOUND;
        }
    }
}

/* Parses a number ("12", "-3.5", ".5", "1e3") at s[*pos], within n bytes, without the C library (so
 * the locale cannot change the decimal point). The result is clamped to +-SVG_NUMBER_CAP. */
static bool parse_number(const unsigned char *s, size_t n, size_t *pos, double *out)
{
    size_t i = *pos;
    double value = 0.0, scale = 1.0;
    bool negative = false, digits = false;

    if (i < n && (s[i] == '+' || s[i] == '-'))
        negative = s[i++] == '-';
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
        value = value * 10.0 + (s[i] - '0');
        digits = true;
    }
    if (i < n && s[i] == '.') {
        for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
            scale /= 10.0;
            value += (s[i] - '0') * scale;
            digits = true;
        }
    }
    if (!digits)
        return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        bool exp_negative = false;
        int exponent = 0;
        if (j < n && (s[j] == '+' || s[j] == '-'))
            exp_negative = s[j++] == '-';
        if (j < n && s[j] >= '0' && s[j] <= '9') {
            for (; j < n && s[j] >= '0' && s[j] <= '9'; j++)
                if (exponent < 1000)
                    exponent = exponent * 10 + (s[j] - '0');
            for (int k = 0; k < exponent && value != 0.0 && value <= SVG_NUMBER_CAP; k++)
                value = exp_negative ? value / 10.0 : value * 10.0;
            i = j;
        }
    }
    if (value > SVG_NUMBER_CAP)
        value = SVG_NUMBER_CAP;
    *out = negative ? -value : value;
    *pos = i;
    return true;
}

/* A width or height attribute: a plain number, optionally in "px". Anything else ("50%", "10cm")
 * is not usable, and the viewBox decides instead. */
static bool svg_length(const unsigned char *s, size_t n, double *out)
{
    size_t pos = 0;
    while (pos < n && is_space(s[pos]))
        pos++;
    if (!parse_number(s, n, &pos, out))
        return false;
    if (has_at(s, n, pos, "px"))
        pos += 2;
    while (pos < n && is_space(s[pos]))
        pos++;
    return pos == n && *out >= 0.0;
}

/* viewBox="min-x min-y width height", separated by white space and/or commas; width and height > 0. */
static bool svg_view_box(const unsigned char *s, size_t n, double *width, double *height)
{
    double values[4];
    size_t pos = 0;
    for (int i = 0; i < 4; i++) {
        while (pos < n && (is_space(s[pos]) || s[pos] == ','))
            pos++;
        if (!parse_number(s, n, &pos, &values[i]))
            return false;
    }
    while (pos < n && is_space(s[pos]))
        pos++;
    if (pos != n || !(values[2] > 0.0) || !(values[3] > 0.0))
        return false;
    *width = values[2];
    *height = values[3];
    return true;
}

/* Rounds a non-negative size up to whole pixels, clamped far above any allowed size. */
static int round_up(double value)
{
    if (!(value > 0.0))
        return 0;
    if (value >= SVG_NUMBER_CAP)
        return (int)SVG_NUMBER_CAP;
    long whole = (long)value;
    return (int)(whole + ((double)whole < value ? 1 : 0));
}

static bool attribute_is(const unsigned char *name, size_t name_len, const char *wanted)
{
    return name_len == strlen(wanted) && memcmp(name, wanted, name_len) == 0;
}

static const char *svg_size(const unsigned char *bytes, size_t len, int *width, int *height)
{
    const unsigned char *w_text = NULL, *h_text = NULL, *vb_text = NULL;
    size_t w_len = 0, h_len = 0, vb_len = 0;
    bool closed = false;
    size_t pos = svg_start_tag(bytes, len);

    if (pos == NOT_FOUND)
        return "it does not start like an SVG picture";
    pos += 4;
    while (pos < len) {
        while (pos < len && is_space(bytes[pos]))
            pos++;
        if (pos >= len)
            break;
        if (bytes[pos] == '>') {
            closed = true;
            break;
        }
        if (bytes[pos] == '/') {
            pos++;
            continue;
        }
        size_t name_start = pos;
        while (pos < len && !is_space(bytes[pos]) && bytes[pos] != '=' && bytes[pos] != '>' &&
               bytes[pos] != '/')
            pos++;
        size_t name_len = pos - name_start;
        while (pos < len && is_space(bytes[pos]))
            pos++;
        if (pos >= len || bytes[pos] != '=')
            continue; /* an attribute without a value: nothing to read */
        pos++;
        while (pos < len && is_space(bytes[pos]))
            pos++;
        if (pos >= len)
            break;
        size_t value_start, value_len;
        if (bytes[pos] == '"' || bytes[pos] == '\'') {
            unsigned char quote = bytes[pos++];
            value_start = pos;
            while (pos < len && bytes[pos] != quote)
                pos++;
            if (pos >= len)
                break;
            value_len = pos - value_start;
            pos++;
        } else {
            value_start = pos;
            while (pos < len && !is_space(bytes[pos]) && bytes[pos] != '>')
                pos++;
            value_len = pos - value_start;
        }
        if (attribute_is(bytes + name_start, name_len, "width")) {
            w_text = bytes + value_start;
            w_len = value_len;
        } else if (attribute_is(bytes + name_start, name_len, "height")) {
            h_text = bytes + value_start;
            h_len = value_len;
        } else if (attribute_is(bytes + name_start, name_len, "viewBox")) {
            vb_text = bytes + value_start;
            vb_len = value_len;
        }
    }
    if (!closed)
        return "the <svg> tag is cut short";

    double w = 0.0, h = 0.0, vb_w = 0.0, vb_h = 0.0;
    bool has_w = w_text && svg_length(w_text, w_len, &w);
    bool has_h = h_text && svg_length(h_text, h_len, &h);
    bool has_vb = vb_text && svg_view_box(vb_text, vb_len, &vb_w, &vb_h);
    if (!has_w || !has_h) {
        if (!has_vb)
            return "the SVG picture has no viewBox and no usable width and height";
        if (has_w)
            h = w * vb_h / vb_w; /* keep the viewBox's proportions, as renderers do */
        else if (has_h)
            w = h * vb_w / vb_h;
        else {
            w = vb_w;
            h = vb_h;
        }
    }
    *width = round_up(w);
    *height = round_up(h);
    return NULL;
}

/* ---- PNG and JPEG ---- */

static int clamp_to_int(uint32_t value)
{
    return value > INT32_MAX ? INT32_MAX : (int)value;
}

static const char *png_size(const unsigned char *bytes, size_t len, int *width, int *height)
{
    if (len < 8 || memcmp(bytes, png_signature, 8) != 0)
        return "it does not start like a PNG picture";
    if (len < 8 + 8 + 13)
        return "the PNG header is cut short";
    if (memcmp(bytes + 12, "IHDR", 4) != 0 || read_be32(bytes + 8) != 13)
        return "the PNG picture has no proper header (IHDR) where it should be";
    *width = clamp_to_int(read_be32(bytes + 16));
    *height = clamp_to_int(read_be32(bytes + 20));
    return NULL;
}

static bool jpeg_is_frame_marker(unsigned marker)
{
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

/* Walks the JPEG markers up to the first frame (SOF) marker, which holds the size. */
static const char *jpeg_size(const unsigned char *bytes, size_t len, int *width, int *height)
{
    size_t pos = 2;

    if (len < 3 || bytes[0] != 0xFF || bytes[1] != 0xD8)
        return "it does not start like a JPEG picture";
    while (pos < len) {
        if (bytes[pos] != 0xFF) {
            pos++; /* a stray byte between segments: skipped, as libjpeg does */
            continue;
        }
        while (pos < len && bytes[pos] == 0xFF)
            pos++; /* fill bytes */
        if (pos >= len)
            break;
        unsigned marker = bytes[pos++];
        if (marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8))
            continue; /* markers without a length */
        if (marker == 0xD9)
            return "the JPEG picture ends before giving its size (no SOF marker)";
        if (marker == 0xDA)
            return "the JPEG picture gives no size (SOF marker) before its picture data";
        if (len - pos < 2)
            break;
        size_t segment = read_be16(bytes + pos);
        if (segment < 2)
            return "the JPEG header is damaged";
        if (jpeg_is_frame_marker(marker)) {
            /* length(2) precision(1) height(2) width(2) components(1) */
            if (segment < 8)
                return "the JPEG size (SOF) marker is damaged";
            if (len - pos < 8)
                break;
            *height = (int)read_be16(bytes + pos + 3);
            *width = (int)read_be16(bytes + pos + 5);
            return NULL;
        }
        if (segment > len - pos)
            break;
        pos += segment;
    }
    return "the JPEG header is cut short";
}

/* NULL on success, else a short reason for the staff. */
static const char *picture_size_detail(PackFileKind kind, const unsigned char *bytes, size_t len,
                                       int *width, int *height)
{
    static const unsigned char nothing[1] = {0};

    *width = 0;
    *height = 0;
    if (!bytes) {
        bytes = nothing;
        len = 0;
    }
    switch (kind) {
    case FILE_KIND_PNG:
        return png_size(bytes, len, width, height);
    case FILE_KIND_JPEG:
        return jpeg_size(bytes, len, width, height);
    case FILE_KIND_SVG:
        return svg_size(bytes, len, width, height);
    case FILE_KIND_WAV:
    case FILE_KIND_JSON:
    case FILE_KIND_UNKNOWN:
        break;
    }
    return "it is not a picture";
}

/* ---- WAV ---- */

/* The WAV header may be read from the bytes already held or, for chunks further in, from the file. */
typedef struct {
    const unsigned char *bytes;
    size_t len;
    int fd; /* -1: only `bytes` */
    uint64_t file_size;
} WavSource;

static bool wav_read_at(const WavSource *src, uint64_t offset, unsigned char *out, size_t n)
{
    if (offset > src->file_size || src->file_size - offset < n)
        return false;
    if (offset <= src->len && src->len - offset >= n) {
        memcpy(out, src->bytes + offset, n);
        return true;
    }
    if (src->fd < 0)
        return false;
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(src->fd, out + got, n - got, (off_t)(offset + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        got += (size_t)r;
    }
    return true;
}

static const char *wav_seconds(const WavSource *src, double *seconds)
{
    unsigned char header[12];
    uint64_t pos = 12, data_size = 0;
    uint32_t byte_rate = 0;
    bool have_fmt = false, have_data = false;

    *seconds = 0.0;
    if (!wav_read_at(src, 0, header, sizeof header) || memcmp(header, "RIFF", 4) != 0 ||
        memcmp(header + 8, "WAVE", 4) != 0)
        return "it does not start like a WAV sound";
    for (int i = 0; i < WAV_MAX_CHUNKS && !(have_fmt && have_data); i++) {
        unsigned char chunk[8];
        if (!wav_read_at(src, pos, chunk, sizeof chunk))
            break;
        uint32_t size = read_le32(chunk + 4);
        uint64_t body = pos + 8;
        if (memcmp(chunk, "fmt ", 4) == 0) {
            unsigned char fmt[16];
            if (size < sizeof fmt || !wav_read_at(src, body, fmt, sizeof fmt))
                return "the WAV sound's format (fmt) chunk is damaged";
            byte_rate = read_le32(fmt + 8);
            if (byte_rate == 0)
                return "the WAV sound's format (fmt) chunk says 0 bytes per second";
            have_fmt = true;
        } else if (memcmp(chunk, "data", 4) == 0) {
            uint64_t available = src->file_size - body; /* body <= file_size: the read above */
            if (size > available)
                return "the WAV sound's data chunk claims more bytes than the file holds; it is cut short "
                       "or damaged";
            data_size = size;
            have_data = true;
        }
        pos = body + size + (size & 1u);
    }
    if (!have_fmt)
        return "the WAV sound has no format (fmt) chunk";
    if (!have_data)
        return "the WAV sound has no data chunk";
    *seconds = (double)data_size / (double)byte_rate;
    return NULL;
}

/* ---- paths and file checks ---- */

static PackFileStatus fail(PackFileInfo *info, PackFileStatus status, const char *detail)
{
    info->status = status;
    snprintf(info->detail, sizeof info->detail, "%s", detail);
    return status;
}

/* Rejects a path as written in the pack, before it touches the file system. */
static PackFileStatus check_relative_path(const char *relative, PackFileInfo *info)
{
    size_t len;

    if (!relative || !relative[0])
        return fail(info, PACK_FILE_BAD_PATH, "the path is empty");
    len = strnlen(relative, PACK_MAX_PATH_BYTES + 1);
    if (len > PACK_MAX_PATH_BYTES)
        return fail(info, PACK_FILE_BAD_PATH, "the path is longer than 512 bytes");
    /* A C string ends at its first NUL, so the JSON reader must refuse "\u0000" itself; other
     * control characters are refused here. */
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)relative[i] < 0x20 || relative[i] == 0x7F)
            return fail(info, PACK_FILE_BAD_PATH, "the path contains an invisible control character");
    if (relative[0] == '/')
        return fail(info, PACK_FILE_BAD_PATH,
                    "the path starts with \"/\"; write it from the pack folder instead");
    if (strchr(relative, '\\'))
        return fail(info, PACK_FILE_BAD_PATH,
                    "the path contains \"\\\"; use \"/\" between folder names instead");
    if (((relative[0] >= 'A' && relative[0] <= 'Z') || (relative[0] >= 'a' && relative[0] <= 'z')) &&
        relative[1] == ':') {
        info->status = PACK_FILE_BAD_PATH;
        snprintf(info->detail, sizeof info->detail,
                 "the path starts with the drive \"%c:\"; write it from the pack folder instead",
                 relative[0]);
        return info->status;
    }
    for (const char *part = relative; *part;) {
        size_t part_len = strcspn(part, "/");
        if (part_len == 2 && part[0] == '.' && part[1] == '.')
            return fail(info, PACK_FILE_BAD_PATH,
                        "the path uses \"..\"; files must be inside the pack folder");
        part += part_len;
        if (*part == '/')
            part++;
    }
    return PACK_FILE_OK;
}

static char *join_path(const char *dir, const char *relative)
{
    if (!dir[0])
        dir = ".";
    size_t dir_len = strlen(dir), rel_len = strlen(relative);
    bool slash = dir[dir_len - 1] != '/';
    char *full = malloc(dir_len + (slash ? 1 : 0) + rel_len + 1);
    if (!full)
        return NULL;
    memcpy(full, dir, dir_len);
    if (slash)
        full[dir_len++] = '/';
    memcpy(full + dir_len, relative, rel_len + 1);
    return full;
}

/* True when `path` is `dir` itself or below it; both are already resolved by realpath. */
static bool path_is_inside(const char *dir, const char *path)
{
    size_t n = strlen(dir);
    if (n == 1 && dir[0] == '/')
        return path[0] == '/';
    return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* Status for a failed realpath, stat or open on the pack file. */
static PackFileStatus fail_errno(PackFileInfo *info, int error)
{
    if (error == ENOENT || error == ENOTDIR) {
        struct stat link_st;
        if (lstat(info->full_path, &link_st) == 0 && S_ISLNK(link_st.st_mode))
            return fail(info, PACK_FILE_MISSING, "it is a link to a file that does not exist");
        return fail(info, PACK_FILE_MISSING, "");
    }
    if (error == ELOOP)
        return fail(info, PACK_FILE_UNREADABLE, "it is a link that leads round in a circle");
    if (error == ENOMEM)
        return fail(info, PACK_FILE_UNREADABLE, "the app ran out of memory");
    return fail(info, PACK_FILE_UNREADABLE, strerror(error));
}

static PackFileStatus fail_not_regular(PackFileInfo *info, mode_t mode)
{
    if (S_ISDIR(mode))
        return fail(info, PACK_FILE_NOT_REGULAR, "it is a folder");
    if (S_ISFIFO(mode))
        return fail(info, PACK_FILE_NOT_REGULAR, "it is a named pipe");
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return fail(info, PACK_FILE_NOT_REGULAR, "it is a device");
    if (S_ISSOCK(mode))
        return fail(info, PACK_FILE_NOT_REGULAR, "it is a socket");
    return fail(info, PACK_FILE_NOT_REGULAR, "");
}

static size_t kind_limit(PackFileKind kind)
{
    switch (kind) {
    case FILE_KIND_WAV:
        return PACK_MAX_SOUND_BYTES;
    case FILE_KIND_JSON:
        return PACK_MAX_JSON_BYTES;
    case FILE_KIND_PNG:
    case FILE_KIND_JPEG:
    case FILE_KIND_SVG:
    case FILE_KIND_UNKNOWN:
        break;
    }
    return PACK_MAX_PICTURE_BYTES;
}

/* The largest limit among the allowed kinds: anything above it is too large whatever it holds. */
static size_t allowed_limit(unsigned allowed)
{
    size_t limit = 0;
    for (int kind = FILE_KIND_PNG; kind <= FILE_KIND_UNKNOWN; kind++)
        if ((allowed & (1u << kind)) && kind_limit((PackFileKind)kind) > limit)
            limit = kind_limit((PackFileKind)kind);
    return limit ? limit : PACK_MAX_PICTURE_BYTES;
}

static PackFileStatus fail_too_large(PackFileInfo *info, size_t limit)
{
    size_t whole = info->size >> 20, tenths = ((info->size & 0xFFFFFu) * 10) >> 20;
    info->status = PACK_FILE_TOO_LARGE;
    snprintf(info->detail, sizeof info->detail, "it is %zu.%zu MB, more than the %zu MB allowed",
             whole, tenths, limit >> 20);
    return info->status;
}

static void append(char *text, size_t size, const char *more)
{
    size_t used = strlen(text), n = strlen(more);
    if (used + n >= size)
        n = size - used - 1;
    memcpy(text + used, more, n);
    text[used + n] = '\0';
}

static PackFileStatus fail_wrong_kind(PackFileInfo *info, size_t bytes_read, unsigned allowed)
{
    static const char *const picture_names[] = {"PNG", "JPEG", "SVG"};
    static const PackFileKind picture_kinds[] = {FILE_KIND_PNG, FILE_KIND_JPEG, FILE_KIND_SVG};
    const char *names[3];
    char wanted[100] = "";
    size_t count = 0;

    info->status = PACK_FILE_WRONG_KIND;
    if (info->kind != FILE_KIND_UNKNOWN) {
        snprintf(info->detail, sizeof info->detail, "it is %s %s",
                 info->kind == FILE_KIND_SVG ? "an" : "a", pack_file_kind_name(info->kind));
        return info->status;
    }
    if (bytes_read == 0)
        return fail(info, PACK_FILE_WRONG_KIND, "it is empty");

    for (size_t i = 0; i < 3; i++)
        if (allowed & (1u << picture_kinds[i]))
            names[count++] = picture_names[i];
    for (size_t i = 0; i < count; i++) {
        if (i > 0)
            append(wanted, sizeof wanted, i + 1 == count ? " or " : ", ");
        append(wanted, sizeof wanted, names[i]);
    }
    if (count)
        append(wanted, sizeof wanted, " picture");
    if (allowed & (1u << FILE_KIND_WAV))
        append(wanted, sizeof wanted, wanted[0] ? " or a WAV sound" : "WAV sound");
    if (allowed & (1u << FILE_KIND_JSON))
        append(wanted, sizeof wanted, wanted[0] ? " or a JSON file" : "JSON file");
    if (!wanted[0])
        return fail(info, PACK_FILE_WRONG_KIND, "it is not a kind of file the app can use");
    /* "a PNG ... picture", "an SVG picture", "a WAV sound or a JSON file" */
    snprintf(info->detail, sizeof info->detail, "it is not %s %s", wanted[0] == 'S' ? "an" : "a",
             wanted);
    return info->status;
}

/* Reads up to `want` bytes, looping on short reads; stops early at the end of the file. */
static bool read_fully(int fd, unsigned char *buffer, size_t want, size_t *got)
{
    *got = 0;
    while (*got < want) {
        ssize_t r = read(fd, buffer + *got, want - *got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return false;
        if (r == 0)
            break;
        *got += (size_t)r;
    }
    return true;
}

/* Checks what was read against the kind's rules: size limit, picture header or sound length. */
static PackFileStatus check_content(PackFileInfo *info, const unsigned char *head, size_t head_len,
                                    int fd)
{
    const char *problem;

    if (info->size > kind_limit(info->kind))
        return fail_too_large(info, kind_limit(info->kind));
    switch (info->kind) {
    case FILE_KIND_PNG:
    case FILE_KIND_JPEG:
    case FILE_KIND_SVG:
        return pack_file_check_picture(info->kind, head, head_len, info);
    case FILE_KIND_WAV: {
        WavSource src = {head, head_len, fd, info->size};
        problem = wav_seconds(&src, &info->seconds);
        if (problem)
            return fail(info, PACK_FILE_BAD_HEADER, problem);
        if (info->seconds > PACK_MAX_SOUND_SECONDS) {
            info->status = PACK_FILE_TOO_LARGE;
            snprintf(info->detail, sizeof info->detail, "%d seconds long", round_up(info->seconds));
            return info->status;
        }
        break;
    }
    case FILE_KIND_JSON:
    case FILE_KIND_UNKNOWN:
        break;
    }
    info->status = PACK_FILE_OK;
    return info->status;
}

PackFileStatus pack_file_check(const char *pack_dir, const char *relative, unsigned allowed,
                               PackFileInfo *info)
{
    char *real_dir = NULL, *real_file = NULL;
    unsigned char *head = NULL;
    size_t head_len = 0;
    int fd = -1;
    struct stat st;

    memset(info, 0, sizeof *info);
    info->kind = FILE_KIND_UNKNOWN;
    if (!pack_dir) {
        fail(info, PACK_FILE_BAD_PATH, "there is no pack folder");
        goto done;
    }
    if (check_relative_path(relative, info) != PACK_FILE_OK)
        goto done;
    info->full_path = join_path(pack_dir, relative);
    if (!info->full_path) {
        fail(info, PACK_FILE_UNREADABLE, "the app ran out of memory");
        goto done;
    }

    /* Where does it really lead? realpath fails on missing files and dangling links. */
    real_file = realpath(info->full_path, NULL);
    if (!real_file) {
        fail_errno(info, errno);
        goto done;
    }
    real_dir = realpath(pack_dir[0] ? pack_dir : ".", NULL);
    if (!real_dir) {
        fail(info, PACK_FILE_UNREADABLE, "the pack folder cannot be found");
        goto done;
    }
    if (!path_is_inside(real_dir, real_file)) {
        info->status = PACK_FILE_OUTSIDE;
        /* The target is not named: its full path means nothing to staff and differs per machine. */
        snprintf(info->detail, sizeof info->detail, "a symbolic link points out of it");
        goto done;
    }

    /* Decide the type before opening anything: opening a FIFO or device could block or act. */
    if (stat(real_file, &st) != 0) {
        fail_errno(info, errno);
        goto done;
    }
    if (!S_ISREG(st.st_mode)) {
        fail_not_regular(info, st.st_mode);
        goto done;
    }
    info->size = (uintmax_t)st.st_size > SIZE_MAX ? SIZE_MAX : (size_t)st.st_size;
    if (info->size > allowed_limit(allowed)) {
        fail_too_large(info, allowed_limit(allowed));
        goto done;
    }

    /* real_file holds no links, so O_NOFOLLOW refuses one swapped in since realpath. */
    fd = open(real_file, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        fail_errno(info, errno);
        goto done;
    }
    if (fstat(fd, &st) != 0) {
        fail(info, PACK_FILE_UNREADABLE, strerror(errno));
        goto done;
    }
    if (!S_ISREG(st.st_mode)) {
        fail_not_regular(info, st.st_mode);
        goto done;
    }
    info->size = (uintmax_t)st.st_size > SIZE_MAX ? SIZE_MAX : (size_t)st.st_size;
    if (info->size > allowed_limit(allowed)) {
        fail_too_large(info, allowed_limit(allowed));
        goto done;
    }

    /* Pictures are read whole (at most 16 MiB): checksums and drawing budgets need every byte. */
    head_len = info->size < SNIFF_BYTES || (allowed & PICTURE_KINDS) ? info->size : SNIFF_BYTES;
    head = malloc(head_len ? head_len : 1);
    if (!head) {
        fail(info, PACK_FILE_UNREADABLE, "the app ran out of memory");
        goto done;
    }
    if (!read_fully(fd, head, head_len, &head_len)) {
        fail(info, PACK_FILE_UNREADABLE, strerror(errno));
        goto done;
    }
    info->kind = pack_file_sniff(head, head_len);
    if (!(allowed & (1u << info->kind))) {
        fail_wrong_kind(info, head_len, allowed);
        goto done;
    }
    check_content(info, head, head_len, fd);

done:
    if (fd >= 0 && close(fd) != 0 && info->status == PACK_FILE_OK)
        fail(info, PACK_FILE_UNREADABLE, strerror(errno));
    free(head);
    free(real_dir);
    free(real_file);
    return info->status;
}

/* ---- picture content: what a decoder would choke on, found before it runs ---- */

/* Feeds one IDAT chunk to the decompressor, throwing the output away: only whether the compressed data
 * is whole and sound matters. The pixel budget bounds the work (at most about 67 MB of output). */
static int inflate_chunk(z_stream *z, const unsigned char *data, uint32_t size)
{
    unsigned char scratch[16384];
    int result = Z_OK;
    z->next_in = (Bytef *)(uintptr_t)data; /* zlib does not write through next_in */
    z->avail_in = size;
    while (result == Z_OK && (z->avail_in > 0 || z->avail_out == 0)) {
        z->next_out = scratch;
        z->avail_out = sizeof scratch;
        result = inflate(z, Z_NO_FLUSH);
        if (result == Z_BUF_ERROR)
            result = Z_OK; /* no progress possible: this chunk is used up */
        if (result == Z_OK && z->avail_in == 0 && z->avail_out != 0)
            break;
    }
    return result;
}

/* What is wrong with the compressed picture data once every IDAT has been fed, or NULL. */
static const char *inflate_verdict(int result)
{
    if (result == Z_STREAM_END)
        return NULL;
    if (result == Z_OK)
        return "the PNG picture's compressed data is cut short";
    return "the PNG picture's compressed data is damaged";
}

/* Walks every PNG chunk: each must fit in the file and pass its CRC, the compressed data must be whole,
 * and the file must end with IEND after at least one IDAT. SDL_image shows nothing for a damaged PNG,
 * so staff must hear of it here. */
static PackFileStatus check_png_chunks(const unsigned char *bytes, size_t len, PackFileInfo *info)
{
    size_t pos = 8;
    bool have_data = false;
    int inflated = Z_OK;
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit(&z) != Z_OK)
        return fail(info, PACK_FILE_UNREADABLE, "the app ran out of memory");
    info->status = PACK_FILE_OK;
    while (len - pos >= 12) {
        uint32_t size = read_be32(bytes + pos);
        char name[5] = {0};
        memcpy(name, bytes + pos + 4, 4);
        for (int i = 0; i < 4; i++)
            if (!((name[i] >= 'A' && name[i] <= 'Z') || (name[i] >= 'a' && name[i] <= 'z')))
                name[i] = '?';
        if (size > len - pos - 12) {
            fail(info, PACK_FILE_DAMAGED, "the PNG picture is cut short");
            break;
        }
        uLong crc = crc32(0L, bytes + pos + 4, (uInt)size + 4);
        if (crc != read_be32(bytes + pos + 8 + size)) {
            info->status = PACK_FILE_DAMAGED;
            snprintf(info->detail, sizeof info->detail,
                     "the PNG picture's %s chunk at byte %zu fails its checksum", name, pos);
            break;
        }
        if (memcmp(name, "IDAT", 4) == 0) {
            have_data = true;
            if (inflated == Z_OK)
                inflated = inflate_chunk(&z, bytes + pos + 8, size);
        }
        if (memcmp(name, "IEND", 4) == 0)
            break;
        pos += 12 + size;
    }
    inflateEnd(&z);
    if (info->status != PACK_FILE_OK)
        return info->status;
    if (len - pos < 12)
        return fail(info, PACK_FILE_DAMAGED, "the PNG picture is cut short (it has no end, IEND)");
    if (!have_data)
        return fail(info, PACK_FILE_DAMAGED, "the PNG picture has no picture data (IDAT)");
    if (inflate_verdict(inflated))
        return fail(info, PACK_FILE_DAMAGED, inflate_verdict(inflated));
    return PACK_FILE_OK;
}

/* The number of colour components in the JPEG's frame (SOF) marker: 4 means CMYK or YCCK, which
 * SDL_image hands over unconverted, so the picture shows in inverted colours. */
static int jpeg_components(const unsigned char *bytes, size_t len)
{
    size_t pos = 2;
    while (pos + 4 <= len) {
        if (bytes[pos] != 0xFF) {
            pos++;
            continue;
        }
        unsigned marker = bytes[pos + 1];
        if (marker == 0xFF || marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
            pos++;
            continue;
        }
        if (marker == 0xD9 || marker == 0xDA)
            break;
        size_t segment = read_be16(bytes + pos + 2);
        if (jpeg_is_frame_marker(marker))
            return pos + 9 < len ? bytes[pos + 9] : 0;
        pos += 2 + segment;
    }
    return 0;
}

/* Path data ("M10 20L30 40") and polygon points: numbers as SVG writes them, counted without
 * converting them. "1.5.5" is two numbers and "1-2" is two, as in renderers. */
static long count_numbers(const unsigned char *s)
{
    long count = 0;
    size_t i = 0;
    while (s[i]) {
        bool sign = (s[i] == '-' || s[i] == '+') &&
                    ((s[i + 1] >= '0' && s[i + 1] <= '9') || s[i + 1] == '.');
        if (!sign && !(s[i] >= '0' && s[i] <= '9') && !(s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9')) {
            i++;
            continue;
        }
        i += sign ? 1 : 0;
        while (s[i] >= '0' && s[i] <= '9')
            i++;
        if (s[i] == '.')
            for (i++; s[i] >= '0' && s[i] <= '9';)
                i++;
        if ((s[i] == 'e' || s[i] == 'E') &&
            ((s[i + 1] >= '0' && s[i + 1] <= '9') ||
             ((s[i + 1] == '-' || s[i + 1] == '+') && s[i + 2] >= '0' && s[i + 2] <= '9')))
            for (i += 2; s[i] >= '0' && s[i] <= '9';)
                i++;
        count++;
    }
    return count;
}

typedef struct {
    long elements, numbers, stops;
    int error_line;
    char error[100];
} SvgCounts;

/* libxml2 reports each problem here; the first one is what staff need. */
static void svg_xml_error(void *data, xmlErrorPtr error)
{
    SvgCounts *counts = data;
    if (counts->error[0] || !error || !error->message)
        return;
    snprintf(counts->error, sizeof counts->error, "%s", error->message);
    counts->error[strcspn(counts->error, "\r\n")] = '\0';
    counts->error_line = error->line;
}

static void count_svg_element(xmlTextReaderPtr reader, SvgCounts *counts)
{
    const xmlChar *name = xmlTextReaderConstLocalName(reader);
    if (counts->elements < SVG_COUNT_CAP)
        counts->elements++;
    if (name && xmlStrEqual(name, BAD_CAST "stop") && counts->stops < SVG_COUNT_CAP)
        counts->stops++;
    while (xmlTextReaderMoveToNextAttribute(reader) == 1) {
        const xmlChar *attribute = xmlTextReaderConstLocalName(reader);
        const xmlChar *value = xmlTextReaderConstValue(reader);
        if (attribute && value &&
            (xmlStrEqual(attribute, BAD_CAST "d") || xmlStrEqual(attribute, BAD_CAST "points")) &&
            counts->numbers < SVG_COUNT_CAP)
            counts->numbers += count_numbers(value);
    }
}

/* Reads the SVG as XML (streaming, no network, no external entities or DTDs) and counts what makes
 * it slow to draw. Returns false when it is not well-formed. */
static bool count_svg(const unsigned char *bytes, size_t len, SvgCounts *counts)
{
    memset(counts, 0, sizeof *counts);
    if (len > INT32_MAX)
        return false;
    xmlTextReaderPtr reader = xmlReaderForMemory((const char *)bytes, (int)len, NULL, NULL,
                                                 XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    int result = -1;
    if (reader) {
        xmlTextReaderSetStructuredErrorHandler(reader, svg_xml_error, counts);
        while ((result = xmlTextReaderRead(reader)) == 1)
            if (xmlTextReaderNodeType(reader) == XML_READER_TYPE_ELEMENT)
                count_svg_element(reader, counts);
        xmlFreeTextReader(reader);
    }
    return result == 0 && !counts->error[0];
}

static PackFileStatus too_complex(PackFileInfo *info, long count, const char *measure, long limit)
{
    info->status = PACK_FILE_TOO_COMPLEX;
    snprintf(info->detail, sizeof info->detail, "it has %ld %s, more than the %ld allowed", count,
             measure, limit);
    return info->status;
}

static PackFileStatus check_svg_content(const unsigned char *bytes, size_t len, PackFileInfo *info)
{
    SvgCounts counts;
    if (!count_svg(bytes, len, &counts)) {
        info->status = PACK_FILE_DAMAGED;
        if (counts.error[0])
            snprintf(info->detail, sizeof info->detail, "it is not well-formed XML: line %d: %s",
                     counts.error_line, counts.error);
        else
            snprintf(info->detail, sizeof info->detail, "it is not well-formed XML");
        return info->status;
    }
    long points = (counts.numbers + 1) / 2;
    if (counts.elements > PACK_MAX_SVG_ELEMENTS)
        return too_complex(info, counts.elements, "elements", PACK_MAX_SVG_ELEMENTS);
    if (points > PACK_MAX_SVG_PATH_POINTS)
        return too_complex(info, points, "path points", PACK_MAX_SVG_PATH_POINTS);
    if (counts.stops > PACK_MAX_SVG_GRADIENT_STOPS)
        return too_complex(info, counts.stops, "gradient stops", PACK_MAX_SVG_GRADIENT_STOPS);
    return PACK_FILE_OK;
}

PackFileStatus pack_file_check_picture(PackFileKind kind, const unsigned char *bytes, size_t len,
                                       PackFileInfo *info)
{
    const char *problem = picture_size_detail(kind, bytes, len, &info->width, &info->height);
    if (problem)
        return fail(info, PACK_FILE_BAD_HEADER, problem);
    info->status = PACK_FILE_OK;
    info->detail[0] = '\0';
    if (info->width <= 0 || info->height <= 0) {
        info->status = PACK_FILE_BAD_HEADER;
        snprintf(info->detail, sizeof info->detail,
                 "it says it is %dx%d pixels; a picture needs at least 1 pixel each way", info->width,
                 info->height);
    } else if (info->width > PACK_MAX_PICTURE_SIDE || info->height > PACK_MAX_PICTURE_SIDE) {
        info->status = PACK_FILE_TOO_BIG_IMAGE;
        snprintf(info->detail, sizeof info->detail, "%dx%d pixels", info->width, info->height);
    } else if (kind != FILE_KIND_SVG && (long)info->width * info->height > PACK_MAX_PICTURE_PIXELS) {
        info->status = PACK_FILE_TOO_BIG_IMAGE;
        long tenths = (PACK_MAX_PICTURE_PIXELS + 50000) / 100000; /* megapixels, one decimal */
        snprintf(info->detail, sizeof info->detail, "%dx%d pixels, more than the %ld.%ld megapixels allowed",
                 info->width, info->height, tenths / 10, tenths % 10);
    } else if (kind == FILE_KIND_PNG) {
        check_png_chunks(bytes, len, info);
    } else if (kind == FILE_KIND_JPEG && jpeg_components(bytes, len) == 4) {
        fail(info, PACK_FILE_CMYK, "it is a CMYK JPEG");
    } else if (kind == FILE_KIND_SVG) {
        check_svg_content(bytes, len, info);
    }
    return info->status;
}

PackFileStatus pack_file_check_picture_cost(PackFileKind kind, const unsigned char *bytes, size_t len,
                                            PackFileInfo *info)
{
    if (kind != FILE_KIND_SVG)
        return pack_file_check_picture(kind, bytes, len, info);
    info->status = PACK_FILE_OK;
    info->detail[0] = '\0';
    return check_svg_content(bytes, len, info);
}

/* ---- the rest of the public functions ---- */

const char *pack_file_status_text(PackFileStatus status)
{
    switch (status) {
    case PACK_FILE_OK:
        return "is fine";
    case PACK_FILE_BAD_PATH:
        return "is not a usable path";
    case PACK_FILE_MISSING:
        return "does not exist";
    case PACK_FILE_OUTSIDE:
        return "leads outside the pack folder";
    case PACK_FILE_NOT_REGULAR:
        return "is not a regular file";
    case PACK_FILE_TOO_LARGE:
        return "is too large";
    case PACK_FILE_UNREADABLE:
        return "cannot be read";
    case PACK_FILE_WRONG_KIND:
        return "is not the right kind of file";
    case PACK_FILE_BAD_HEADER:
        return "has a damaged header";
    case PACK_FILE_TOO_BIG_IMAGE:
        return "is too large in pixels";
    case PACK_FILE_DAMAGED:
        return "is damaged";
    case PACK_FILE_TOO_COMPLEX:
        return "is too complex to draw";
    case PACK_FILE_CMYK:
        return "uses printers' CMYK colours";
    }
    return "has an unknown problem";
}

const char *pack_file_kind_name(PackFileKind kind)
{
    switch (kind) {
    case FILE_KIND_PNG:
        return "PNG picture";
    case FILE_KIND_JPEG:
        return "JPEG picture";
    case FILE_KIND_SVG:
        return "SVG picture";
    case FILE_KIND_WAV:
        return "WAV sound";
    case FILE_KIND_JSON:
        return "JSON file";
    case FILE_KIND_UNKNOWN:
        break;
    }
    return "unknown file";
}

PackFileStatus pack_file_read(const char *path, size_t max_bytes, char **out, size_t *out_len)
{
    PackFileStatus status = PACK_FILE_UNREADABLE;
    unsigned char *buffer = NULL;
    size_t got = 0;
    int fd = -1;
    struct stat st;

    if (out)
        *out = NULL;
    if (out_len)
        *out_len = 0;
    if (!path || !path[0] || !out) {
        status = PACK_FILE_BAD_PATH;
        goto done;
    }
    /* Refuse FIFOs and devices before opening them; the open below cannot block either. */
    if (stat(path, &st) != 0) {
        status = (errno == ENOENT || errno == ENOTDIR) ? PACK_FILE_MISSING : PACK_FILE_UNREADABLE;
        goto done;
    }
    if (!S_ISREG(st.st_mode)) {
        status = PACK_FILE_NOT_REGULAR;
        goto done;
    }
    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        status = (errno == ENOENT || errno == ENOTDIR) ? PACK_FILE_MISSING : PACK_FILE_UNREADABLE;
        goto done;
    }
    if (fstat(fd, &st) != 0)
        goto done;
    if (!S_ISREG(st.st_mode)) {
        status = PACK_FILE_NOT_REGULAR;
        goto done;
    }
    if (st.st_size < 0 || (uintmax_t)st.st_size > max_bytes || (uintmax_t)st.st_size >= SIZE_MAX) {
        status = PACK_FILE_TOO_LARGE;
        goto done;
    }
    buffer = malloc((size_t)st.st_size + 1);
    if (!buffer)
        goto done;
    if (!read_fully(fd, buffer, (size_t)st.st_size, &got))
        goto done;
    buffer[got] = '\0';
    *out = (char *)buffer;
    buffer = NULL;
    if (out_len)
        *out_len = got;
    status = PACK_FILE_OK;

done:
    if (fd >= 0 && close(fd) != 0 && status == PACK_FILE_OK) {
        free(*out);
        *out = NULL;
        if (out_len)
            *out_len = 0;
        status = PACK_FILE_UNREADABLE;
    }
    free(buffer);
    return status;
}

PackFileKind pack_file_sniff(const unsigned char *bytes, size_t len)
{
    size_t pos;

    if (!bytes)
        return FILE_KIND_UNKNOWN;
    if (len >= 8 && memcmp(bytes, png_signature, 8) == 0)
        return FILE_KIND_PNG;
    if (len >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF)
        return FILE_KIND_JPEG;
    if (len >= 12 && memcmp(bytes, "RIFF", 4) == 0 && memcmp(bytes + 8, "WAVE", 4) == 0)
        return FILE_KIND_WAV;
    if (svg_start_tag(bytes, len) != NOT_FOUND)
        return FILE_KIND_SVG;
    pos = skip_bom_and_space(bytes, len);
    if (pos < len && (bytes[pos] == '{' || bytes[pos] == '['))
        return FILE_KIND_JSON;
    /* JSON saved as UTF-16 (Notepad's "Unicode") is still JSON: its reader says how to re-save it. */
    pos = len >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)) ? 2 : 0;
    if (len >= pos + 2 && ((bytes[pos] == '{' && bytes[pos + 1] == 0) || (bytes[pos] == 0 && bytes[pos + 1] == '{')))
        return FILE_KIND_JSON;
    return FILE_KIND_UNKNOWN;
}

bool pack_file_picture_size(PackFileKind kind, const unsigned char *bytes, size_t len, int *width,
                            int *height)
{
    int w, h;
    bool ok = picture_size_detail(kind, bytes, len, &w, &h) == NULL;
    if (width)
        *width = w;
    if (height)
        *height = h;
    return ok;
}
