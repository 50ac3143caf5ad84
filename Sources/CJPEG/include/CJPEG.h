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
} cjpeg_info;

/// Reads the header of a JPEG in memory and computes the output size at
/// `1/scale_denom` (1, 2, 4 or 8). Returns 1 on success, 0 with `message`
/// (NUL-terminated, at most `message_size` bytes) on failure.
int cjpeg_read_info(const uint8_t *data, size_t size, int scale_denom, cjpeg_info *info, char *message,
                    size_t message_size);

/// Decodes a JPEG in memory at `1/scale_denom` into `pixels` (output_width *
/// output_height * channels bytes, row-major, from `cjpeg_read_info` with the
/// same scale): gray stays gray, YCbCr/RGB become RGB, CMYK/YCCK are converted
/// to RGB (`R = (255 - C)(255 - K) / 255`, Adobe-inverted samples handled).
/// A truncated file is an error. Returns 1 or 0 + message.
int cjpeg_decode(const uint8_t *data, size_t size, int scale_denom, uint8_t *pixels, size_t pixels_size,
                 char *message, size_t message_size);

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

#endif
