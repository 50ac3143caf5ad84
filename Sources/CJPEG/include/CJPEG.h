// LabelKit's C shim over the system libjpeg-turbo. libjpeg reports errors by
// calling an error_exit hook that must not return; the shim's hook longjmps back
// to a setjmp in the same C function, so nothing ever longjmps through Swift
// frames. Swift sees return codes and libjpeg's formatted message.
#ifndef LABELKIT_CJPEG_H
#define LABELKIT_CJPEG_H

#include <stddef.h>
#include <stdint.h>

/// The colour model of a JPEG's scans as libjpeg guesses it (`jpeg_color_space`).
typedef enum {
    CJPEG_SPACE_GRAY = 1,
    CJPEG_SPACE_YCBCR = 2,
    CJPEG_SPACE_RGB = 3,
    CJPEG_SPACE_CMYK = 4,
    CJPEG_SPACE_YCCK = 5,
    CJPEG_SPACE_OTHER = 6,
} cjpeg_space;

/// Header facts read without decoding pixels.
typedef struct {
    /// Full-size width and height from the frame header.
    uint32_t width;
    uint32_t height;
    /// Width and height of the decoded image at the requested scale (`ceil(width / scale_denom)`).
    uint32_t output_width;
    uint32_t output_height;
    /// Components in the file (1 gray, 3 YCbCr/RGB, 4 CMYK/YCCK).
    int components;
    /// Channels `cjpeg_decode` writes: 1 for gray, 3 (RGB) for everything else.
    int channels;
    cjpeg_space space;
    /// 1 when an Adobe APP14 marker was seen (CMYK samples are then stored inverted).
    int adobe;
    /// 1 for a file of several scans, progressive or not (decoding it holds every
    /// coefficient in memory before the first row).
    int progressive;
} cjpeg_info;

/// Reads the header of a JPEG in memory and computes the output size at
/// `1/scale_denom` (1, 2, 4 or 8). Returns 1 on success, 0 with `message`
/// (NUL-terminated, at most `message_size` bytes) on failure.
int cjpeg_read_info(const uint8_t *data, size_t size, int scale_denom, cjpeg_info *info, char *message,
                    size_t message_size);

/// What `cjpeg_decode` returns.
typedef enum {
    /// Corrupt, truncated or unsupported data (libjpeg's message follows).
    CJPEG_RESULT_INVALID = 0,
    /// The image was decoded.
    CJPEG_RESULT_OK = 1,
    /// The file has more scans than `cjpeg_limits.max_scans` (a scan bomb); decoding
    /// stopped at the first scan over the limit.
    CJPEG_RESULT_SCAN_LIMIT = 2,
    /// `cjpeg_limits.should_stop` returned non-zero.
    CJPEG_RESULT_STOPPED = 3,
} cjpeg_result;

/// Bounds on the work of one decode, checked by a libjpeg progress monitor
/// (`cinfo.progress`). libjpeg calls it once per iMCU row of every scan while
/// `jpeg_start_decompress` reads a multi-scan (progressive) file, and once per
/// `jpeg_read_scanlines` call (16 rows here) while writing pixels.
typedef struct {
    /// The most scans accepted (djpeg's `-maxscans`, TurboJPEG's
    /// `TJPARAM_SCANLIMIT`); 0 for no limit. Progressive files normally have
    /// about 10; each scan costs a walk over every block of its components.
    int max_scans;
    /// Polled at every progress call; a non-zero result stops the decode. May be NULL.
    int (*should_stop)(void *context);
    /// Passed to `should_stop`.
    void *context;
} cjpeg_limits;

/// Decodes a JPEG in memory at `1/scale_denom` into `pixels` (output_width *
/// output_height * channels bytes, row-major, from `cjpeg_read_info` with the
/// same scale): gray stays gray, YCbCr/RGB become RGB, CMYK/YCCK are converted
/// to RGB (`R = (255 - C)(255 - K) / 255`, Adobe-inverted samples handled).
/// A truncated file is an error. `limits` may be NULL (no limit, no stop).
/// Returns a `cjpeg_result`; anything but `CJPEG_RESULT_OK` comes with a message.
cjpeg_result cjpeg_decode(const uint8_t *data, size_t size, int scale_denom, const cjpeg_limits *limits,
                          uint8_t *pixels, size_t pixels_size, char *message, size_t message_size);

/// Encodes 8-bit gray (`channels` 1) or RGB (`channels` 3) pixels as a baseline
/// JPEG at `quality` 1...100 (4:2:0 chroma, optimised Huffman tables). On success
/// returns 1 and sets `*out` to a malloc'ed buffer of `*out_size` bytes (free it
/// with `cjpeg_free`).
int cjpeg_encode(const uint8_t *pixels, uint32_t width, uint32_t height, int channels, int quality, uint8_t **out,
                 size_t *out_size, char *message, size_t message_size);

/// Like `cjpeg_encode`, for rows `stride` bytes apart (a rectangle of a larger
/// image, no copy), with optimised Huffman tables only when `optimize_coding` is
/// non-zero (libjpeg's default tables are faster to write: tiles, previews).
int cjpeg_encode_rows(const uint8_t *pixels, uint32_t width, uint32_t height, size_t stride, int channels, int quality,
                      int optimize_coding, uint8_t **out, size_t *out_size, char *message, size_t message_size);

/// Frees a buffer returned by `cjpeg_encode`.
void cjpeg_free(void *buffer);

/// A JPEG file decoded row by row (libjpeg's scanline API over a `FILE`), so an
/// image far larger than memory passes through a few rows at a time.
typedef struct cjpeg_stream cjpeg_stream;

/// Opens `path` and reads its header, for decoding at full size (gray stays
/// gray, everything else becomes RGB as in `cjpeg_decode`); decoding starts at
/// the first `cjpeg_stream_read`. libjpeg's own memory (a multi-scan file's
/// coefficient buffer, about 2 bytes a sample) is capped at `max_memory` bytes:
/// past it the read fails with libjpeg's message instead of allocating.
/// Returns NULL with `*result` and `message` on failure.
cjpeg_stream *cjpeg_stream_open(const char *path, const cjpeg_limits *limits, size_t max_memory, cjpeg_info *info,
                                cjpeg_result *result, char *message, size_t message_size);

/// Decodes the next rows, at most `max_rows`, into `pixels` (rows of
/// `output_width * channels` bytes). Returns the rows written (0 once every row
/// is read), or -1 with `*result` and `message` (a truncated or corrupt file).
int cjpeg_stream_read(cjpeg_stream *stream, uint8_t *pixels, int max_rows, cjpeg_result *result, char *message,
                      size_t message_size);

/// Closes the file and frees the decoder (also after an error).
void cjpeg_stream_close(cjpeg_stream *stream);

#endif
