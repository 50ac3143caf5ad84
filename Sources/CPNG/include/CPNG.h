// LabelKit's C shim over libpng's simplified API (png_image). libpng reports
// errors with setjmp/longjmp; the simplified API catches them inside libpng and
// returns 0 with a message, so nothing here ever longjmps through Swift frames.
#ifndef LABELKIT_CPNG_H
#define LABELKIT_CPNG_H

#include <stddef.h>
#include <stdint.h>

/// Pixel layouts the shim reads and writes (8 bits per channel).
typedef enum {
    CPNG_GRAY = 1,
    CPNG_GRAY_ALPHA = 2,
    CPNG_RGB = 3,
    CPNG_RGBA = 4,
} cpng_layout;

/// Encodes 8-bit pixels as PNG. On success returns 1 and sets `*out` to a
/// malloc'ed buffer of `*out_size` bytes (free it with `cpng_free`).
int cpng_encode(const uint8_t *pixels, uint32_t width, uint32_t height, cpng_layout layout, uint8_t **out,
                size_t *out_size, char *message, size_t message_size);

/// Encodes 8-bit pixels as PNG with explicit zlib settings through libpng's
/// low-level API (errors are caught with setjmp here, in C): `level` 0...9,
/// `strategy` a zlib strategy (Z_RLE = 3 suits masks), no row filtering when
/// `filter_none` is set. Same contract as `cpng_encode`.
int cpng_encode_fast(const uint8_t *pixels, uint32_t width, uint32_t height, cpng_layout layout, int level,
                     int strategy, int filter_none, uint8_t **out, size_t *out_size, char *message,
                     size_t message_size);

/// Header facts of the low-level reader (`cpng_read_header`).
typedef struct {
    uint32_t width;
    uint32_t height;
    /// Channels after libpng's expansion transforms: palette -> RGB, tRNS -> alpha,
    /// so 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA.
    int channels;
    /// Bits per sample in the file (1, 2, 4, 8 or 16).
    int bit_depth;
    /// PNG colour type in the file (0 gray, 2 RGB, 3 palette, 4 gray + alpha, 6 RGBA).
    int color_type;
    /// 1 for Adam7-interlaced files.
    int interlaced;
} cpng_header;

/// Reads the chunks before the image data with libpng's low-level API (no pixel
/// is decoded and nothing of the image's size is allocated). Returns 1 or 0 + message.
int cpng_read_header(const uint8_t *data, size_t size, cpng_header *header, char *message, size_t message_size);

/// Decodes a PNG in memory to 8 bits per sample with libpng's transforms, sample
/// values as stored (no gamma conversion): palettes expanded to RGB, tRNS to an
/// alpha channel, gray below 8 bits scaled up, 16-bit samples reduced to their high
/// byte, Adam7 deinterlaced. `pixels` holds width * height * channels bytes (from
/// `cpng_read_header`). Returns 1 or 0 + message.
int cpng_decode_8bit(const uint8_t *data, size_t size, uint8_t *pixels, size_t pixels_size, char *message,
                     size_t message_size);

/// Encodes 8-bit palette indices (one byte per pixel, each < `palette_count`) as
/// an indexed PNG with `palette_count` (1...256) RGBA entries (a tRNS chunk is
/// written when some alpha is below 255), at zlib `level` 0...9. Same contract as
/// `cpng_encode`.
int cpng_encode_palette(const uint8_t *indices, uint32_t width, uint32_t height, const uint8_t *palette_rgba,
                        int palette_count, int level, uint8_t **out, size_t *out_size, char *message,
                        size_t message_size);

/// zlib's CRC-32 (for PNG chunks written outside libpng).
uint32_t cpng_crc32(uint32_t crc, const uint8_t *bytes, size_t count);

/// A non-interlaced PNG file decoded row by row (`png_read_row` over a `FILE`),
/// with the transforms of `cpng_decode_8bit`.
typedef struct cpng_stream cpng_stream;

/// Opens `path` and reads the chunks before the image data; libpng allocates
/// at most `max_chunk_bytes` for any one chunk. Returns NULL with `message` on
/// failure (not a PNG, a bad chunk).
cpng_stream *cpng_stream_open(const char *path, size_t max_chunk_bytes, cpng_header *header, char *message,
                              size_t message_size);

/// Decodes the next rows, at most `max_rows`, into `pixels` (rows of
/// `width * channels` bytes). Returns the rows written (0 once every row is
/// read), or -1 with `message` (a truncated or corrupt file).
int cpng_stream_read(cpng_stream *stream, uint8_t *pixels, int max_rows, char *message, size_t message_size);

/// Closes the file and frees the decoder.
void cpng_stream_close(cpng_stream *stream);

/// Frees a buffer returned by `cpng_encode`.
void cpng_free(void *buffer);

#endif
