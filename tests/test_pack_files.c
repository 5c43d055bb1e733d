/* test_pack_files.c: the checks every pack file goes through before a decoder sees it.
 *
 * Each run builds a throw-away pack in a mkdtemp() folder (binary headers come from byte arrays here,
 * not from files in the repository), with the awkward things staff and USB sticks produce: links out
 * of the folder, FIFOs, folders named like pictures, text files named .png, truncated headers, huge
 * sparse files. The fuzz test at the end is meant to run under AddressSanitizer.
 */
#define _XOPEN_SOURCE 700

#include <zlib.h>

#include "check.h"
#include "pack_files.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define KIND(k) (1u << (k))
#define PICTURES (KIND(FILE_KIND_PNG) | KIND(FILE_KIND_JPEG) | KIND(FILE_KIND_SVG))
#define SOUNDS KIND(FILE_KIND_WAV)
#define EVERYTHING (PICTURES | SOUNDS | KIND(FILE_KIND_JSON))

static char root_dir[PATH_MAX]; /* the mkdtemp() folder */
static char pack_dir[PATH_MAX]; /* <root>/pack */

/* ---- building the throw-away pack ---- */

static void path_in(char *out, size_t size, const char *dir, const char *name)
{
    int n = snprintf(out, size, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= size) {
        fprintf(stderr, "path too long: %s/%s\n", dir, name);
        exit(2);
    }
}

static void write_bytes(const char *dir, const char *name, const void *bytes, size_t len)
{
    char path[PATH_MAX + 64];
    path_in(path, sizeof path, dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "cannot create %s: %s\n", path, strerror(errno));
        exit(2);
    }
    if (len && fwrite(bytes, 1, len, f) != len) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(2);
    }
    if (fclose(f) != 0) {
        fprintf(stderr, "cannot close %s\n", path);
        exit(2);
    }
}

static void write_file(const char *name, const void *bytes, size_t len)
{
    write_bytes(pack_dir, name, bytes, len);
}

static void write_text(const char *name, const char *text)
{
    write_file(name, text, strlen(text));
}

static void make_link(const char *target, const char *name)
{
    char path[PATH_MAX + 64];
    path_in(path, sizeof path, pack_dir, name);
    if (symlink(target, path) != 0) {
        fprintf(stderr, "cannot link %s: %s\n", path, strerror(errno));
        exit(2);
    }
}

/* Writes `bytes` and then stretches the file to `size` bytes with a hole (no disk space used). */
static void write_sparse(const char *name, const void *bytes, size_t len, off_t size)
{
    char path[PATH_MAX + 64];
    path_in(path, sizeof path, pack_dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, bytes, len) != (ssize_t)len || ftruncate(fd, size) != 0 ||
        close(fd) != 0) {
        fprintf(stderr, "cannot make sparse %s: %s\n", path, strerror(errno));
        exit(2);
    }
}

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static void put_le32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

/* A PNG of signature, IHDR, an IDAT holding an empty zlib stream, and IEND, every chunk with its right
 * CRC: 65 bytes. (Its data does not match its size; only a decoder would notice.) */
enum { PNG_LEN = 65 };
static void make_png(unsigned char *out, uint32_t width, uint32_t height)
{
    static const unsigned char start[16] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A,
                                            0,    0,   0,   13,  'I',  'H',  'D',  'R'};
    static const unsigned char rest[] = {8,    6,    0,    0,    0,    0,    0,    0,    0,    0,    0,
                                         0,    8,    'I',  'D',  'A',  'T',  0x78, 0x9C, 0x03, 0x00, 0x00,
                                         0x00, 0x00, 0x01, 0,    0,    0,    0,    0,    0,    0,    0,
                                         'I',  'E',  'N',  'D',  0xAE, 0x42, 0x60, 0x82};
    memcpy(out, start, sizeof start);
    put_be32(out + 16, width);
    put_be32(out + 20, height);
    memcpy(out + 24, rest, sizeof rest);
    put_be32(out + 29, (uint32_t)crc32(0L, out + 12, 17));
    put_be32(out + 49, (uint32_t)crc32(0L, out + 37, 12));
}

/* SOI, APP0 (JFIF), fill bytes, DQT, SOF0 640x480, SOS, a little data, EOI. */
static const unsigned char good_jpeg[] = {
    0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J',  'F',  'I',  'F',  0x00, 0x01, 0x01, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xDB, 0x00, 0x05, 0x00, 0x10, 0x20, 0xFF,
    0xC0, 0x00, 0x11, 0x08, 0x01, 0xE0, 0x02, 0x80, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01,
    0x03, 0x11, 0x01, 0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x12, 0x34,
    0xFF, 0xD9};

/* A 44-byte header for PCM with `byte_rate`, an odd-sized LIST chunk (padded), then `data_len`
 * bytes of silence. The caller frees the result. */
static unsigned char *make_wav(uint32_t byte_rate, uint32_t junk_len, uint32_t data_len, size_t *len)
{
    size_t total = 12 + 24 + 8 + 3 + 1 + (junk_len ? 8 + junk_len : 0) + 8 + data_len;
    unsigned char *w = calloc(1, total);
    size_t p = 0;
    if (!w) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    memcpy(w, "RIFF", 4);
    put_le32(w + 4, (uint32_t)(total - 8));
    memcpy(w + 8, "WAVE", 4);
    p = 12;
    memcpy(w + p, "fmt ", 4);
    put_le32(w + p + 4, 16);
    w[p + 8] = 1;  /* PCM */
    w[p + 10] = 1; /* mono */
    put_le32(w + p + 12, byte_rate);
    put_le32(w + p + 16, byte_rate);
    w[p + 20] = 1;  /* block align */
    w[p + 22] = 8;  /* bits */
    p += 24;
    memcpy(w + p, "LIST", 4);
    put_le32(w + p + 4, 3); /* odd: one pad byte follows */
    p += 8 + 3 + 1;
    if (junk_len) {
        memcpy(w + p, "junk", 4);
        put_le32(w + p + 4, junk_len);
        p += 8 + junk_len;
    }
    memcpy(w + p, "data", 4);
    put_le32(w + p + 4, data_len);
    *len = total;
    return w;
}

static PackFileStatus check_in_pack(const char *relative, unsigned allowed, PackFileInfo *info)
{
    return pack_file_check(pack_dir, relative, allowed, info);
}

static bool contains(const char *text, const char *part)
{
    return text && strstr(text, part) != NULL;
}

static bool ends_with(const char *text, const char *end)
{
    size_t a = text ? strlen(text) : 0, b = strlen(end);
    return text && a >= b && strcmp(text + a - b, end) == 0;
}

/* ---- pictures that should pass ---- */

static void png_with_a_normal_header_should_be_fine(void)
{
    unsigned char png[PNG_LEN];
    PackFileInfo info;
    make_png(png, 640, 480);
    write_file("photo.png", png, sizeof png);
    CHECK_INT(check_in_pack("photo.png", PICTURES, &info), PACK_FILE_OK);
    CHECK_INT(info.kind, FILE_KIND_PNG);
    CHECK_INT(info.width, 640);
    CHECK_INT(info.height, 480);
    CHECK_INT(info.size, PNG_LEN);
    CHECK(ends_with(info.full_path, "/pack/photo.png"));
    free(info.full_path);
}

static void png_in_a_subfolder_with_dot_components_should_be_fine(void)
{
    unsigned char png[PNG_LEN];
    PackFileInfo info;
    char dir[PATH_MAX + 64];
    path_in(dir, sizeof dir, pack_dir, "pictures");
    CHECK_INT(mkdir(dir, 0755), 0);
    make_png(png, 10, 20);
    write_file("pictures/neck.png", png, sizeof png);
    CHECK_INT(check_in_pack("./pictures/./neck.png", PICTURES, &info), PACK_FILE_OK);
    CHECK_INT(info.height, 20);
    free(info.full_path);
}

static void jpeg_with_a_normal_header_should_be_fine(void)
{
    PackFileInfo info;
    write_file("back.jpg", good_jpeg, sizeof good_jpeg);
    CHECK_INT(check_in_pack("back.jpg", PICTURES, &info), PACK_FILE_OK);
    CHECK_INT(info.kind, FILE_KIND_JPEG);
    CHECK_INT(info.width, 640);
    CHECK_INT(info.height, 480);
    free(info.full_path);
}

static void svg_with_only_a_view_box_should_take_its_size_from_it(void)
{
    PackFileInfo info;
    write_text("view.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 120.5 80\">"
                           "<rect width=\"9999\" height=\"9999\"/></svg>");
    CHECK_INT(check_in_pack("view.svg", PICTURES, &info), PACK_FILE_OK);
    CHECK_INT(info.kind, FILE_KIND_SVG);
    CHECK_INT(info.width, 121);
    CHECK_INT(info.height, 80);
    free(info.full_path);

    write_text("commas.svg", "<svg viewBox=\"-10,-10 , 300,200\"></svg>");
    CHECK_INT(check_in_pack("commas.svg", PICTURES, &info), PACK_FILE_OK);
    CHECK_INT(info.width, 300);
    CHECK_INT(info.height, 200);
    free(info.full_path);
}

static void svg_with_width_and_height_should_use_them(void)
{
    PackFileInfo info;
    write_text("sized.svg", "<svg width=\"200px\" height=\"99.2\" viewBox=\"0 0 10 10\"></svg>");
    CHECK_INT(check_in_pack("sized.svg", PICTURES, &info), PACK_FILE_OK);
    CHECK_INT(info.width, 200);
    CHECK_INT(info.height, 100);
    free(info.full_path);
}

static void svg_with_single_quotes_across_lines_should_be_read(void)
{
    PackFileInfo info;
    write_text("quotes.svg", "<svg\n  xmlns='http://www.w3.org/2000/svg'\n  width = '300'\n"
                             "  height='150'\n  data-note='a > b'\n>\n</svg>\n");
    CHECK_INT(check_in_pack("quotes.svg", PICTURES, &info), PACK_FILE_OK);
    CHECK_INT(info.width, 300);
    CHECK_INT(info.height, 150);
    free(info.full_path);
}

static void svg_after_a_prolog_comment_and_doctype_should_be_recognised(void)
{
    PackFileInfo info;
    write_text("prolog.svg",
               "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<!-- Drawn by the clinic <svg width=\"1\"> not this one -->\n"
               "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" "
               "\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\" [ <!ENTITY a \"b>\"> ]>\n"
               "<svg width=\"64\" height=\"32\"></svg>");
    CHECK_INT(check_in_pack("prolog.svg", PICTURES, &info), PACK_FILE_OK);
    CHECK_INT(info.kind, FILE_KIND_SVG);
    CHECK_INT(info.width, 64);
    CHECK_INT(info.height, 32);
    free(info.full_path);
}

static void svg_with_percent_sizes_should_fall_back_to_the_view_box(void)
{
    PackFileInfo info;
    write_text("percent.svg", "<svg width=\"100%\" height=\"100%\" viewBox=\"0 0 40 30\"/>");
    CHECK_INT(check_in_pack("percent.svg", PICTURES, &info), PACK_FILE_OK);
    CHECK_INT(info.width, 40);
    CHECK_INT(info.height, 30);
    free(info.full_path);

    write_text("half.svg", "<svg width=\"400\" viewBox=\"0 0 40 30\"/>");
    CHECK_INT(check_in_pack("half.svg", PICTURES, &info), PACK_FILE_OK);
    CHECK_INT(info.width, 400);
    CHECK_INT(info.height, 300);
    free(info.full_path);
}

/* ---- sounds ---- */

static void wav_of_a_few_seconds_should_be_fine(void)
{
    size_t len;
    unsigned char *wav = make_wav(1000, 0, 2500, &len);
    PackFileInfo info;
    write_file("bell.wav", wav, len);
    CHECK_INT(check_in_pack("bell.wav", SOUNDS, &info), PACK_FILE_OK);
    CHECK_INT(info.kind, FILE_KIND_WAV);
    CHECK(info.seconds > 2.49 && info.seconds < 2.51);
    free(info.full_path);
    free(wav);
}

static void wav_longer_than_thirty_seconds_should_be_too_large(void)
{
    size_t len;
    unsigned char *wav = make_wav(1000, 0, 45000, &len);
    PackFileInfo info;
    write_file("long.wav", wav, len);
    CHECK_INT(check_in_pack("long.wav", SOUNDS, &info), PACK_FILE_TOO_LARGE);
    CHECK_STR(info.detail, "45 seconds long");
    free(info.full_path);
    free(wav);
}

static void wav_whose_data_chunk_lies_past_the_first_256_kib_should_still_be_measured(void)
{
    size_t len;
    unsigned char *wav = make_wav(8000, 300 * 1024, 8000 * 3, &len);
    PackFileInfo info;
    write_file("late.wav", wav, len);
    CHECK_INT(check_in_pack("late.wav", SOUNDS, &info), PACK_FILE_OK);
    CHECK(info.seconds > 2.99 && info.seconds < 3.01);
    free(info.full_path);
    free(wav);
}

static void wav_without_a_data_chunk_should_have_a_damaged_header(void)
{
    size_t len;
    unsigned char *wav = make_wav(1000, 0, 0, &len);
    PackFileInfo info;
    write_file("nodata.wav", wav, len - 8); /* cut off the data chunk header */
    CHECK_INT(check_in_pack("nodata.wav", SOUNDS, &info), PACK_FILE_BAD_HEADER);
    CHECK(contains(info.detail, "data"));
    free(info.full_path);

    memcpy(wav + 12, "fmX ", 4);
    write_file("nofmt.wav", wav, len);
    CHECK_INT(check_in_pack("nofmt.wav", SOUNDS, &info), PACK_FILE_BAD_HEADER);
    CHECK(contains(info.detail, "fmt"));
    free(info.full_path);
    free(wav);
}

static void wav_over_the_sound_size_limit_should_be_too_large_even_where_pictures_are_allowed(void)
{
    size_t len;
    unsigned char *wav = make_wav(1000, 0, 0, &len);
    PackFileInfo info;
    write_sparse("huge.wav", wav, len, 9 * 1024 * 1024);
    CHECK_INT(check_in_pack("huge.wav", PICTURES | SOUNDS, &info), PACK_FILE_TOO_LARGE);
    CHECK_INT(info.kind, FILE_KIND_WAV);
    CHECK(contains(info.detail, "8 MB"));
    free(info.full_path);
    free(wav);
}

/* ---- paths ---- */

static void expect_bad_path(const char *relative, const char *detail_part)
{
    PackFileInfo info;
    CHECK_INT(check_in_pack(relative, EVERYTHING, &info), PACK_FILE_BAD_PATH);
    CHECK(info.full_path == NULL);
    if (!contains(info.detail, detail_part)) {
        fprintf(stderr, "  path \"%s\": detail \"%s\" lacks \"%s\"\n", relative, info.detail,
                detail_part);
        check_failures_in_test++;
    }
    free(info.full_path);
}

static void unusable_paths_should_be_refused_before_touching_the_disk(void)
{
    char long_path[600];
    memset(long_path, 'a', sizeof long_path - 1);
    long_path[sizeof long_path - 1] = '\0';

    expect_bad_path("", "empty");
    expect_bad_path("/etc/passwd", "/");
    expect_bad_path("../outside.png", "..");
    expect_bad_path("pictures/../../outside.png", "..");
    expect_bad_path("pictures/..", "..");
    expect_bad_path("..", "..");
    expect_bad_path("pictures\\neck.png", "use \"/\"");
    expect_bad_path("C:/pictures/neck.png", "C:");
    expect_bad_path("c:neck.png", "c:");
    expect_bad_path(long_path, "512");
    expect_bad_path("neck\n.png", "control");

    PackFileInfo info;
    CHECK_INT(pack_file_check(pack_dir, NULL, PICTURES, &info), PACK_FILE_BAD_PATH);
    free(info.full_path);
}

static void names_with_dots_that_are_not_dot_dot_should_be_allowed(void)
{
    PackFileInfo info;
    CHECK_INT(check_in_pack("a..b.png", PICTURES, &info), PACK_FILE_MISSING);
    free(info.full_path);
    CHECK_INT(check_in_pack("...png", PICTURES, &info), PACK_FILE_MISSING);
    free(info.full_path);
}

static void missing_file_should_be_reported_with_its_full_path(void)
{
    PackFileInfo info;
    CHECK_INT(check_in_pack("nowhere.png", PICTURES, &info), PACK_FILE_MISSING);
    CHECK(ends_with(info.full_path, "/pack/nowhere.png"));
    free(info.full_path);
    CHECK_INT(check_in_pack("nowhere/deeper.png", PICTURES, &info), PACK_FILE_MISSING);
    free(info.full_path);
}

static void dangling_symlink_should_count_as_missing(void)
{
    PackFileInfo info;
    make_link("gone.png", "dangling.png");
    CHECK_INT(check_in_pack("dangling.png", PICTURES, &info), PACK_FILE_MISSING);
    CHECK(contains(info.detail, "link"));
    free(info.full_path);
}

static void symlink_that_stays_inside_the_pack_should_be_fine(void)
{
    unsigned char png[PNG_LEN];
    PackFileInfo info;
    make_png(png, 5, 6);
    write_file("real.png", png, sizeof png);
    make_link("real.png", "alias.png");
    make_link(".", "here"); /* a folder link inside the pack */
    CHECK_INT(check_in_pack("alias.png", PICTURES, &info), PACK_FILE_OK);
    CHECK_INT(info.width, 5);
    free(info.full_path);
    CHECK_INT(check_in_pack("here/here/alias.png", PICTURES, &info), PACK_FILE_OK);
    free(info.full_path);
}

static void symlink_leading_out_of_the_pack_should_be_refused(void)
{
    unsigned char png[PNG_LEN];
    char outside[PATH_MAX + 64];
    PackFileInfo info;
    make_png(png, 5, 6);
    write_bytes(root_dir, "outside.png", png, sizeof png);
    path_in(outside, sizeof outside, root_dir, "outside.png");

    make_link("../outside.png", "relative-out.png");
    CHECK_INT(check_in_pack("relative-out.png", PICTURES, &info), PACK_FILE_OUTSIDE);
    free(info.full_path);

    make_link(outside, "absolute-out.png");
    CHECK_INT(check_in_pack("absolute-out.png", PICTURES, &info), PACK_FILE_OUTSIDE);
    free(info.full_path);

    make_link(root_dir, "up"); /* a folder on the way leads out */
    CHECK_INT(check_in_pack("up/outside.png", PICTURES, &info), PACK_FILE_OUTSIDE);
    free(info.full_path);
}

static void symlink_to_dev_null_should_be_refused(void)
{
    PackFileInfo info;
    make_link("/dev/null", "null.png");
    CHECK_INT(check_in_pack("null.png", PICTURES, &info), PACK_FILE_OUTSIDE);
    free(info.full_path);
}

static void loop_of_links_should_be_refused_without_hanging(void)
{
    PackFileInfo info;
    make_link("loop-b.png", "loop-a.png");
    make_link("loop-a.png", "loop-b.png");
    CHECK(check_in_pack("loop-a.png", PICTURES, &info) != PACK_FILE_OK);
    free(info.full_path);
}

/* ---- things that are not regular files ---- */

static void folder_named_like_a_picture_should_not_be_a_regular_file(void)
{
    char dir[PATH_MAX + 64];
    PackFileInfo info;
    path_in(dir, sizeof dir, pack_dir, "folder.png");
    CHECK_INT(mkdir(dir, 0755), 0);
    CHECK_INT(check_in_pack("folder.png", PICTURES, &info), PACK_FILE_NOT_REGULAR);
    CHECK(contains(info.detail, "folder"));
    free(info.full_path);
}

static void fifo_should_be_refused_promptly_without_blocking(void)
{
    char path[PATH_MAX + 64];
    char *data = NULL;
    size_t len = 99;
    PackFileInfo info;
    path_in(path, sizeof path, pack_dir, "pipe.wav");
    CHECK_INT(mkfifo(path, 0644), 0);
    alarm(10); /* a blocking open or read kills the test instead of hanging it */
    CHECK_INT(check_in_pack("pipe.wav", SOUNDS, &info), PACK_FILE_NOT_REGULAR);
    CHECK(contains(info.detail, "pipe"));
    free(info.full_path);
    CHECK_INT(pack_file_read(path, 1024, &data, &len), PACK_FILE_NOT_REGULAR);
    alarm(0);
    CHECK(data == NULL);
    CHECK_INT(len, 0);
}

/* ---- wrong kinds, sizes and damaged headers ---- */

static void text_file_named_png_should_be_the_wrong_kind(void)
{
    PackFileInfo info;
    write_text("notes.png", "Remember to stretch gently.\n");
    CHECK_INT(check_in_pack("notes.png", PICTURES, &info), PACK_FILE_WRONG_KIND);
    CHECK_STR(info.detail, "it is not a PNG, JPEG or SVG picture");
    free(info.full_path);

    CHECK_INT(check_in_pack("notes.png", KIND(FILE_KIND_SVG), &info), PACK_FILE_WRONG_KIND);
    CHECK_STR(info.detail, "it is not an SVG picture");
    free(info.full_path);
}

static void png_named_svg_should_be_detected_as_png(void)
{
    unsigned char png[PNG_LEN];
    PackFileInfo info;
    make_png(png, 7, 8);
    write_file("really-png.svg", png, sizeof png);
    CHECK_INT(check_in_pack("really-png.svg", PICTURES, &info), PACK_FILE_OK);
    CHECK_INT(info.kind, FILE_KIND_PNG);
    free(info.full_path);
    CHECK_INT(check_in_pack("really-png.svg", KIND(FILE_KIND_SVG), &info), PACK_FILE_WRONG_KIND);
    CHECK_STR(info.detail, "it is a PNG picture");
    free(info.full_path);
}

static void jpeg_where_a_sound_is_expected_should_say_what_it_is(void)
{
    PackFileInfo info;
    write_file("sound.wav", good_jpeg, sizeof good_jpeg);
    CHECK_INT(check_in_pack("sound.wav", SOUNDS, &info), PACK_FILE_WRONG_KIND);
    CHECK_STR(info.detail, "it is a JPEG picture");
    free(info.full_path);
}

static void empty_file_should_be_the_wrong_kind(void)
{
    PackFileInfo info;
    write_file("empty.png", "", 0);
    CHECK_INT(check_in_pack("empty.png", PICTURES, &info), PACK_FILE_WRONG_KIND);
    CHECK_STR(info.detail, "it is empty");
    CHECK_INT(info.size, 0);
    free(info.full_path);
}

static void truncated_png_should_have_a_damaged_header(void)
{
    unsigned char png[PNG_LEN];
    PackFileInfo info;
    make_png(png, 640, 480);
    write_file("short.png", png, 20);
    CHECK_INT(check_in_pack("short.png", PICTURES, &info), PACK_FILE_BAD_HEADER);
    free(info.full_path);

    memcpy(png + 12, "IDAT", 4);
    write_file("noihdr.png", png, sizeof png);
    CHECK_INT(check_in_pack("noihdr.png", PICTURES, &info), PACK_FILE_BAD_HEADER);
    CHECK(contains(info.detail, "IHDR"));
    free(info.full_path);
}

static void truncated_jpeg_should_have_a_damaged_header(void)
{
    static const unsigned char no_sof[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00,
                                           0xFF, 0xDA, 0x00, 0x02, 0xFF, 0xD9};
    PackFileInfo info;
    write_file("cut.jpg", good_jpeg, 33); /* ends inside the SOF segment */
    CHECK_INT(check_in_pack("cut.jpg", PICTURES, &info), PACK_FILE_BAD_HEADER);
    free(info.full_path);

    write_file("nosof.jpg", no_sof, sizeof no_sof);
    CHECK_INT(check_in_pack("nosof.jpg", PICTURES, &info), PACK_FILE_BAD_HEADER);
    CHECK(contains(info.detail, "SOF"));
    free(info.full_path);
}

static void svg_with_no_size_at_all_should_have_a_damaged_header(void)
{
    PackFileInfo info;
    write_text("nosize.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"5\"/></svg>");
    CHECK_INT(check_in_pack("nosize.svg", PICTURES, &info), PACK_FILE_BAD_HEADER);
    CHECK(contains(info.detail, "viewBox"));
    free(info.full_path);
}

static void png_claiming_9000_by_10_pixels_should_be_too_big(void)
{
    unsigned char png[PNG_LEN];
    PackFileInfo info;
    make_png(png, 9000, 10);
    write_file("wide.png", png, sizeof png);
    CHECK_INT(check_in_pack("wide.png", PICTURES, &info), PACK_FILE_TOO_BIG_IMAGE);
    CHECK_STR(info.detail, "9000x10 pixels");
    free(info.full_path);

    make_png(png, 0, 10);
    write_file("zero.png", png, sizeof png);
    CHECK_INT(check_in_pack("zero.png", PICTURES, &info), PACK_FILE_BAD_HEADER);
    CHECK_STR(info.detail, "it says it is 0x10 pixels; a picture needs at least 1 pixel each way");
    free(info.full_path);

    make_png(png, 0xFFFFFFFFu, 10);
    write_file("enormous.png", png, sizeof png);
    CHECK_INT(check_in_pack("enormous.png", PICTURES, &info), PACK_FILE_TOO_BIG_IMAGE);
    free(info.full_path);
}

static void file_over_the_size_limit_should_be_too_large(void)
{
    unsigned char png[PNG_LEN];
    PackFileInfo info;
    make_png(png, 100, 100);
    write_sparse("big.png", png, sizeof png, 17 * 1024 * 1024);
    CHECK_INT(check_in_pack("big.png", PICTURES, &info), PACK_FILE_TOO_LARGE);
    CHECK_INT(info.size, 17 * 1024 * 1024);
    CHECK(contains(info.detail, "16 MB"));
    free(info.full_path);
}

/* ---- pack_file_read ---- */

static void reading_a_normal_file_should_give_its_bytes_nul_terminated(void)
{
    char path[PATH_MAX + 64];
    char *data = NULL;
    size_t len = 0;
    write_text("pack.json", "{\"title\": \"Posture\"}");
    path_in(path, sizeof path, pack_dir, "pack.json");
    CHECK_INT(pack_file_read(path, PACK_MAX_JSON_BYTES, &data, &len), PACK_FILE_OK);
    CHECK_INT(len, 20);
    CHECK_STR(data, "{\"title\": \"Posture\"}");
    free(data);

    write_file("nothing.json", "", 0);
    path_in(path, sizeof path, pack_dir, "nothing.json");
    CHECK_INT(pack_file_read(path, 10, &data, &len), PACK_FILE_OK);
    CHECK_INT(len, 0);
    CHECK(data && data[0] == '\0');
    free(data);
}

static void reading_a_file_over_the_limit_should_be_refused(void)
{
    char path[PATH_MAX + 64];
    char *data = NULL;
    size_t len = 7;
    write_sparse("big.json", "{", 1, PACK_MAX_JSON_BYTES + 1);
    path_in(path, sizeof path, pack_dir, "big.json");
    CHECK_INT(pack_file_read(path, PACK_MAX_JSON_BYTES, &data, &len), PACK_FILE_TOO_LARGE);
    CHECK(data == NULL);
    CHECK_INT(len, 0);

    write_text("eleven.txt", "eleven byte");
    path_in(path, sizeof path, pack_dir, "eleven.txt");
    CHECK_INT(pack_file_read(path, 10, &data, &len), PACK_FILE_TOO_LARGE);
    CHECK_INT(pack_file_read(path, 11, &data, &len), PACK_FILE_OK);
    free(data);
}

static void reading_a_missing_file_or_a_folder_should_be_refused(void)
{
    char path[PATH_MAX + 64];
    char *data = NULL;
    size_t len = 0;
    path_in(path, sizeof path, pack_dir, "absent.json");
    CHECK_INT(pack_file_read(path, 100, &data, &len), PACK_FILE_MISSING);
    CHECK_INT(pack_file_read(pack_dir, 100, &data, &len), PACK_FILE_NOT_REGULAR);
    CHECK_INT(pack_file_read("/dev/null", 100, &data, &len), PACK_FILE_NOT_REGULAR);
    CHECK(data == NULL);
}

/* ---- sniffing and picture sizes on buffers ---- */

static PackFileKind sniff_text(const char *text)
{
    return pack_file_sniff((const unsigned char *)text, strlen(text));
}

static void sniffing_should_go_by_content_not_name(void)
{
    CHECK_INT(sniff_text("{\"a\": 1}"), FILE_KIND_JSON);
    CHECK_INT(sniff_text("\xEF\xBB\xBF \n\t[1, 2]"), FILE_KIND_JSON);
    CHECK_INT(sniff_text("<svg>"), FILE_KIND_SVG);
    CHECK_INT(sniff_text("  <svg\n>"), FILE_KIND_SVG);
    CHECK_INT(sniff_text("<svgfoo>"), FILE_KIND_UNKNOWN);
    CHECK_INT(sniff_text("<svg"), FILE_KIND_UNKNOWN);
    CHECK_INT(sniff_text("<!-- never closed <svg>"), FILE_KIND_UNKNOWN);
    CHECK_INT(sniff_text("<?xml version=\"1.0\"?><html>"), FILE_KIND_UNKNOWN);
    CHECK_INT(pack_file_sniff((const unsigned char *)"RIFF\x24\0\0\0WAVE", 12), FILE_KIND_WAV);
    CHECK_INT(pack_file_sniff((const unsigned char *)"RIFF\x24\0\0\0AVI ", 12), FILE_KIND_UNKNOWN);
    CHECK_INT(pack_file_sniff((const unsigned char *)"RIFF\x24\0\0\0WAV", 11), FILE_KIND_UNKNOWN);
    CHECK_INT(sniff_text("hello"), FILE_KIND_UNKNOWN);
    CHECK_INT(pack_file_sniff(good_jpeg, 3), FILE_KIND_JPEG);
    CHECK_INT(pack_file_sniff(good_jpeg, 2), FILE_KIND_UNKNOWN);
    CHECK_INT(pack_file_sniff(NULL, 0), FILE_KIND_UNKNOWN);
}

static void picture_size_should_refuse_headers_of_another_kind(void)
{
    unsigned char png[PNG_LEN];
    int w = 1, h = 1;
    make_png(png, 3, 4);
    CHECK(!pack_file_picture_size(FILE_KIND_JPEG, png, sizeof png, &w, &h));
    CHECK(!pack_file_picture_size(FILE_KIND_SVG, png, sizeof png, &w, &h));
    CHECK(!pack_file_picture_size(FILE_KIND_WAV, png, sizeof png, &w, &h));
    CHECK(!pack_file_picture_size(FILE_KIND_PNG, NULL, 0, &w, &h));
    CHECK(pack_file_picture_size(FILE_KIND_PNG, png, sizeof png, &w, &h));
    CHECK_INT(w, 3);
    CHECK_INT(h, 4);
}

static void jpeg_size_should_skip_markers_without_a_length(void)
{
    static const unsigned char jpeg[] = {0xFF, 0xD8, 0xFF, 0x01, 0xFF, 0xD0, 0xFF, 0xC2,
                                         0x00, 0x0B, 0x08, 0x00, 0x20, 0x00, 0x40, 0x01,
                                         0x01, 0x11, 0x00};
    int w = 0, h = 0;
    CHECK(pack_file_picture_size(FILE_KIND_JPEG, jpeg, sizeof jpeg, &w, &h));
    CHECK_INT(w, 64);
    CHECK_INT(h, 32);
    CHECK(!pack_file_picture_size(FILE_KIND_JPEG, jpeg, 14, &w, &h));
}

static void status_and_kind_names_should_be_plain_words(void)
{
    CHECK_STR(pack_file_status_text(PACK_FILE_OK), "is fine");
    CHECK_STR(pack_file_status_text(PACK_FILE_MISSING), "does not exist");
    CHECK_STR(pack_file_status_text(PACK_FILE_OUTSIDE), "leads outside the pack folder");
    for (int s = PACK_FILE_OK; s <= PACK_FILE_TOO_BIG_IMAGE; s++)
        CHECK(strlen(pack_file_status_text((PackFileStatus)s)) > 0);
    CHECK_STR(pack_file_kind_name(FILE_KIND_PNG), "PNG picture");
    CHECK_STR(pack_file_kind_name(FILE_KIND_JPEG), "JPEG picture");
    CHECK_STR(pack_file_kind_name(FILE_KIND_SVG), "SVG picture");
    CHECK_STR(pack_file_kind_name(FILE_KIND_WAV), "WAV sound");
    CHECK_STR(pack_file_kind_name(FILE_KIND_JSON), "JSON file");
    CHECK_STR(pack_file_kind_name(FILE_KIND_UNKNOWN), "unknown file");
}

/* ---- fuzzing ---- */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint32_t next_random(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 32);
}

/* Makes a damaged copy of one of the seeds in a buffer of exactly its length, so AddressSanitizer
 * catches any read past the end. The caller frees it. */
static unsigned char *mutated_sample(size_t *len)
{
    static const char *const svg_seeds[] = {
        ("\xEF\xBB\xBF<?xml version='1.0'?><!-- c --><!DOCTYPE svg [<!ENTITY x 'y'>]>"
         "<svg width='12.5px' height=\"7\" viewBox='0,0,1e3,2E-2'>"),
        "<svg viewBox=\"0 0 100 50\" width=\"50%\">",
        "<svg width=1e400 height=-5 viewBox=\"1 2 3\">",
    };
    unsigned char png[PNG_LEN];
    const unsigned char *seed;
    size_t seed_len;
    unsigned choice = next_random() % 6;

    make_png(png, next_random(), next_random());
    if (choice == 0) {
        seed = png;
        seed_len = sizeof png;
    } else if (choice == 1) {
        seed = good_jpeg;
        seed_len = sizeof good_jpeg;
    } else if (choice <= 4) {
        const char *text = svg_seeds[choice - 2];
        seed = (const unsigned char *)text;
        seed_len = strlen(text);
    } else {
        seed = NULL;
        seed_len = 0;
    }

    size_t n = seed ? next_random() % (seed_len + 1) : next_random() % 64;
    unsigned char *out = malloc(n ? n : 1);
    if (!out) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    for (size_t i = 0; i < n; i++)
        out[i] = seed ? seed[i] : (unsigned char)next_random();
    unsigned flips = n ? next_random() % 4 : 0;
    for (unsigned i = 0; i < flips; i++) {
        size_t at = next_random() % n;
        static const unsigned char interesting[] = {0x00, 0xFF, 0xD8, 0xC0, 0xDA, '<', '>',
                                                    '"',  '\'', '=', ' ', '-', '.', 'e'};
        out[at] = next_random() % 2 ? (unsigned char)next_random()
                                    : interesting[next_random() % sizeof interesting];
    }
    if (n == 0) {
        free(out);
        out = malloc(0); /* a zero-sized block: any read of it is caught */
    }
    *len = n;
    return out;
}

static void random_and_truncated_headers_should_never_read_out_of_bounds(void)
{
    int successes[FILE_KIND_UNKNOWN + 1] = {0};
    for (int i = 0; i < 20000; i++) {
        size_t len;
        unsigned char *bytes = mutated_sample(&len);
        int w = -1, h = -1;
        PackFileKind kind = pack_file_sniff(bytes, len);
        CHECK(kind >= FILE_KIND_PNG && kind <= FILE_KIND_UNKNOWN);
        for (int k = FILE_KIND_PNG; k <= FILE_KIND_UNKNOWN; k++) {
            if (pack_file_picture_size((PackFileKind)k, bytes, len, &w, &h)) {
                CHECK(w >= 0 && h >= 0);
                successes[k]++;
            }
        }
        free(bytes);
    }
    /* The damaged seeds still parse sometimes, so the header code really ran. */
    CHECK(successes[FILE_KIND_PNG] > 0);
    CHECK(successes[FILE_KIND_JPEG] > 0);
    CHECK(successes[FILE_KIND_SVG] > 0);
    CHECK_INT(successes[FILE_KIND_WAV] + successes[FILE_KIND_JSON] + successes[FILE_KIND_UNKNOWN], 0);
}

static void damaged_files_of_every_kind_should_get_a_clear_status(void)
{
    size_t wav_len;
    unsigned char *wav = make_wav(1000, 0, 100, &wav_len);
    for (int i = 0; i < 300; i++) {
        size_t len;
        unsigned char *bytes;
        if (i % 2) {
            len = next_random() % (wav_len + 1);
            bytes = malloc(wav_len);
            if (!bytes)
                exit(2);
            memcpy(bytes, wav, wav_len);
            for (int f = 0; f < 3 && len; f++)
                bytes[next_random() % len] = (unsigned char)next_random();
        } else {
            bytes = mutated_sample(&len);
        }
        write_file("fuzz.bin", bytes, len);
        PackFileInfo info;
        PackFileStatus status = check_in_pack("fuzz.bin", EVERYTHING, &info);
        CHECK(status == PACK_FILE_OK || status == PACK_FILE_WRONG_KIND ||
              status == PACK_FILE_BAD_HEADER || status == PACK_FILE_TOO_BIG_IMAGE ||
              status == PACK_FILE_TOO_LARGE);
        CHECK(info.full_path != NULL);
        free(info.full_path);
        free(bytes);
    }
    free(wav);
}

/* ---- setup ---- */

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    if (remove(path) != 0)
        fprintf(stderr, "cannot remove %s: %s\n", path, strerror(errno));
    return 0;
}

/* An SVG of `count` copies of `shape`, written for the run (megabytes are not kept in the repository). */
static void write_svg_of_many(const char *name, const char *head, const char *shape, long count, const char *tail)
{
    size_t n = strlen(shape), total = strlen(head) + (size_t)count * n + strlen(tail) + 1;
    char *text = malloc(total);
    CHECK(text != NULL);
    if (!text)
        return;
    size_t used = (size_t)sprintf(text, "%s", head);
    for (long i = 0; i < count; i++, used += n)
        memcpy(text + used, shape, n);
    used += (size_t)sprintf(text + used, "%s", tail);
    write_file(name, text, used);
    free(text);
}

static double seconds_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static void svg_beyond_the_drawing_budget_should_say_what_to_simplify(void)
{
    static const char head[] = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1000 1000'>";
    PackFileInfo info;

    /* A million path points (7 MB): SDL_image would take over ten minutes to draw it. */
    write_svg_of_many("points.svg", "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1000 1000'><path d='M0 0",
                      " L10 20", 999999, "'/></svg>");
    double start = seconds_now();
    CHECK_INT(check_in_pack("points.svg", PICTURES, &info), PACK_FILE_TOO_COMPLEX);
    CHECK(seconds_now() - start < 5.0);
    CHECK_STR(info.detail, "it has 1000000 path points, more than the 20000 allowed");
    free(info.full_path);

    write_svg_of_many("lines.svg", head, "<line x1='0' y1='0' x2='1000' y2='1000' stroke='black'/>", 20000, "</svg>");
    CHECK_INT(check_in_pack("lines.svg", PICTURES, &info), PACK_FILE_TOO_COMPLEX);
    CHECK_STR(info.detail, "it has 20001 elements, more than the 2000 allowed");
    free(info.full_path);

    write_svg_of_many("stops.svg", "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 10 10'><linearGradient id='g'>",
                      "<stop offset='0.5'/>", 100000, "</linearGradient></svg>");
    CHECK_INT(check_in_pack("stops.svg", PICTURES, &info), PACK_FILE_TOO_COMPLEX);
    CHECK_STR(info.detail, "it has 100002 elements, more than the 2000 allowed");
    free(info.full_path);

    /* At the budget exactly: fine. 1999 shapes and the root; 10000 points in one path. */
    write_svg_of_many("at-budget.svg", head, "<rect width='1' height='1'/>", 1999, "</svg>");
    CHECK_INT(check_in_pack("at-budget.svg", PICTURES, &info), PACK_FILE_OK);
    free(info.full_path);
    write_svg_of_many("path-at-budget.svg", "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 10 10'><path d='M0 0",
                      "L1,2", 19999, "'/></svg>");
    CHECK_INT(check_in_pack("path-at-budget.svg", PICTURES, &info), PACK_FILE_OK);
    free(info.full_path);
}

static void svg_that_is_not_well_formed_should_give_the_line_of_the_problem(void)
{
    static const char text[] = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 10 10'>\n"
                               "<rect width='5' height='5' fill='red'>\n</svg>\n";
    PackFileInfo info;
    write_file("open-tag.svg", text, sizeof text - 1);
    CHECK_INT(check_in_pack("open-tag.svg", PICTURES, &info), PACK_FILE_DAMAGED);
    CHECK_STR(info.detail, "it is not well-formed XML: line 3: Opening and ending tag mismatch: rect line 2 and svg");
    free(info.full_path);
}

int main(void)
{
    snprintf(root_dir, sizeof root_dir, "%s", "/tmp/test_pack_files_XXXXXX");
    if (!mkdtemp(root_dir)) {
        fprintf(stderr, "mkdtemp failed: %s\n", strerror(errno));
        return 2;
    }
    path_in(pack_dir, sizeof pack_dir, root_dir, "pack");
    if (mkdir(pack_dir, 0755) != 0) {
        fprintf(stderr, "mkdir failed: %s\n", strerror(errno));
        return 2;
    }

    RUN(png_with_a_normal_header_should_be_fine);
    RUN(png_in_a_subfolder_with_dot_components_should_be_fine);
    RUN(jpeg_with_a_normal_header_should_be_fine);
    RUN(svg_with_only_a_view_box_should_take_its_size_from_it);
    RUN(svg_with_width_and_height_should_use_them);
    RUN(svg_with_single_quotes_across_lines_should_be_read);
    RUN(svg_after_a_prolog_comment_and_doctype_should_be_recognised);
    RUN(svg_with_percent_sizes_should_fall_back_to_the_view_box);
    RUN(wav_of_a_few_seconds_should_be_fine);
    RUN(wav_longer_than_thirty_seconds_should_be_too_large);
    RUN(wav_whose_data_chunk_lies_past_the_first_256_kib_should_still_be_measured);
    RUN(wav_without_a_data_chunk_should_have_a_damaged_header);
    RUN(wav_over_the_sound_size_limit_should_be_too_large_even_where_pictures_are_allowed);
    RUN(unusable_paths_should_be_refused_before_touching_the_disk);
    RUN(names_with_dots_that_are_not_dot_dot_should_be_allowed);
    RUN(missing_file_should_be_reported_with_its_full_path);
    RUN(dangling_symlink_should_count_as_missing);
    RUN(symlink_that_stays_inside_the_pack_should_be_fine);
    RUN(symlink_leading_out_of_the_pack_should_be_refused);
    RUN(symlink_to_dev_null_should_be_refused);
    RUN(loop_of_links_should_be_refused_without_hanging);
    RUN(folder_named_like_a_picture_should_not_be_a_regular_file);
    RUN(fifo_should_be_refused_promptly_without_blocking);
    RUN(text_file_named_png_should_be_the_wrong_kind);
    RUN(png_named_svg_should_be_detected_as_png);
    RUN(jpeg_where_a_sound_is_expected_should_say_what_it_is);
    RUN(empty_file_should_be_the_wrong_kind);
    RUN(truncated_png_should_have_a_damaged_header);
    RUN(truncated_jpeg_should_have_a_damaged_header);
    RUN(svg_with_no_size_at_all_should_have_a_damaged_header);
    RUN(png_claiming_9000_by_10_pixels_should_be_too_big);
    RUN(file_over_the_size_limit_should_be_too_large);
    RUN(reading_a_normal_file_should_give_its_bytes_nul_terminated);
    RUN(reading_a_file_over_the_limit_should_be_refused);
    RUN(reading_a_missing_file_or_a_folder_should_be_refused);
    RUN(sniffing_should_go_by_content_not_name);
    RUN(picture_size_should_refuse_headers_of_another_kind);
    RUN(jpeg_size_should_skip_markers_without_a_length);
    RUN(status_and_kind_names_should_be_plain_words);
    RUN(random_and_truncated_headers_should_never_read_out_of_bounds);
    RUN(damaged_files_of_every_kind_should_get_a_clear_status);
    RUN(svg_beyond_the_drawing_budget_should_say_what_to_simplify);
    RUN(svg_that_is_not_well_formed_should_give_the_line_of_the_problem);

    if (nftw(root_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
        fprintf(stderr, "cannot remove %s\n", root_dir);
    return CHECK_SUMMARY();
}
