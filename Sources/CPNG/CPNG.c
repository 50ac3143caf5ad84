#include "CPNG.h"

#include <stdio.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static void copy_message(const char *text, char *message, size_t message_size) {
    if (message == NULL || message_size == 0) return;
    strncpy(message, text, message_size - 1);
    message[message_size - 1] = '\0';
}

static png_uint_32 format_of(cpng_layout layout) {
    switch (layout) {
    case CPNG_GRAY: return PNG_FORMAT_GRAY;
    case CPNG_GRAY_ALPHA: return PNG_FORMAT_GA;
    case CPNG_RGB: return PNG_FORMAT_RGB;
    default: return PNG_FORMAT_RGBA;
    }
}

int cpng_encode(const uint8_t *pixels, uint32_t width, uint32_t height, cpng_layout layout, uint8_t **out,
                size_t *out_size, char *message, size_t message_size) {
    png_image image;
    memset(&image, 0, sizeof(image));
    image.version = PNG_IMAGE_VERSION;
    image.width = width;
    image.height = height;
    image.format = format_of(layout);
    png_alloc_size_t size = 0;
    if (!png_image_write_to_memory(&image, NULL, &size, 0, pixels, 0, NULL)) {
        copy_message(image.message[0] ? image.message : "PNG encoding failed", message, message_size);
        return 0;
    }
    uint8_t *buffer = malloc(size ? size : 1);
    if (buffer == NULL) {
        copy_message("out of memory", message, message_size);
        return 0;
    }
    if (!png_image_write_to_memory(&image, buffer, &size, 0, pixels, 0, NULL)) {
        copy_message(image.message[0] ? image.message : "PNG encoding failed", message, message_size);
        free(buffer);
        return 0;
    }
    *out = buffer;
    *out_size = size;
    return 1;
}

/// A growable output buffer for png_set_write_fn.
typedef struct {
    uint8_t *data;
    size_t size;
    size_t capacity;
    int failed;
} cpng_buffer;

static void buffer_write(png_structp png, png_bytep bytes, png_size_t length) {
    cpng_buffer *buffer = (cpng_buffer *)png_get_io_ptr(png);
    if (buffer->failed) return;
    if (buffer->size + length > buffer->capacity) {
        size_t capacity = buffer->capacity ? buffer->capacity * 2 : 65536;
        while (capacity < buffer->size + length) capacity *= 2;
        uint8_t *larger = realloc(buffer->data, capacity);
        if (larger == NULL) {
            buffer->failed = 1;
            png_error(png, "out of memory");
        }
        buffer->data = larger;
        buffer->capacity = capacity;
    }
    memcpy(buffer->data + buffer->size, bytes, length);
    buffer->size += length;
}

static void buffer_flush(png_structp png) { (void)png; }

static void error_handler(png_structp png, png_const_charp text) {
    char *message = (char *)png_get_error_ptr(png);
    if (message != NULL) copy_message(text, message, 256);
    png_longjmp(png, 1);
}

static void warning_handler(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

int cpng_encode_fast(const uint8_t *pixels, uint32_t width, uint32_t height, cpng_layout layout, int level,
                     int strategy, int filter_none, uint8_t **out, size_t *out_size, char *message,
                     size_t message_size) {
    char error_text[256] = "PNG encoding failed";
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, error_text, error_handler, warning_handler);
    if (png == NULL) {
        copy_message("cannot create a PNG writer", message, message_size);
        return 0;
    }
    png_infop info = png_create_info_struct(png);
    cpng_buffer buffer = {NULL, 0, 0, 0};
    png_bytep *rows = NULL;
    if (info == NULL || setjmp(png_jmpbuf(png))) {
        copy_message(error_text, message, message_size);
        png_destroy_write_struct(&png, info ? &info : NULL);
        free(rows);
        free(buffer.data);
        return 0;
    }
    int color_type = layout == CPNG_GRAY ? PNG_COLOR_TYPE_GRAY
                     : layout == CPNG_GRAY_ALPHA ? PNG_COLOR_TYPE_GRAY_ALPHA
                     : layout == CPNG_RGB ? PNG_COLOR_TYPE_RGB
                                          : PNG_COLOR_TYPE_RGBA;
    png_set_write_fn(png, &buffer, buffer_write, buffer_flush);
    png_set_IHDR(png, info, width, height, 8, color_type, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, level);
    png_set_compression_strategy(png, strategy);
    if (filter_none) png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    rows = malloc(sizeof(png_bytep) * (height ? height : 1));
    if (rows == NULL) png_error(png, "out of memory");
    size_t stride = (size_t)width * (size_t)layout;
    for (uint32_t y = 0; y < height; y++) rows[y] = (png_bytep)(pixels + (size_t)y * stride);
    png_set_rows(png, info, rows);
    png_write_png(png, info, PNG_TRANSFORM_IDENTITY, NULL);
    png_destroy_write_struct(&png, &info);
    free(rows);
    *out = buffer.data;
    *out_size = buffer.size;
    return 1;
}

/// A cursor over PNG bytes in memory for png_set_read_fn.
typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
} cpng_source;

static void source_read(png_structp png, png_bytep bytes, png_size_t length) {
    cpng_source *source = (cpng_source *)png_get_io_ptr(png);
    if (length > source->size - source->offset) png_error(png, "truncated PNG data");
    memcpy(bytes, source->data + source->offset, length);
    source->offset += length;
}

/// Sets the 8-bit transforms and reads the info chunks; runs inside the caller's setjmp scope.
static void read_expanded_info(png_structp png, png_infop info, cpng_header *header) {
    png_read_info(png, info);
    int bit_depth = png_get_bit_depth(png, info);
    int color_type = png_get_color_type(png, info);
    header->width = png_get_image_width(png, info);
    header->height = png_get_image_height(png, info);
    header->bit_depth = bit_depth;
    header->color_type = color_type;
    header->interlaced = png_get_interlace_type(png, info) != PNG_INTERLACE_NONE;
    png_set_expand(png);
    if (bit_depth == 16) png_set_strip_16(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    header->channels = png_get_channels(png, info);
}

int cpng_read_header(const uint8_t *data, size_t size, cpng_header *header, char *message, size_t message_size) {
    char error_text[256] = "not a PNG file";
    if (size < 8 || png_sig_cmp(data, 0, 8) != 0) {
        copy_message("not a PNG file (bad signature)", message, message_size);
        return 0;
    }
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, error_text, error_handler, warning_handler);
    if (png == NULL) {
        copy_message("cannot create a PNG reader", message, message_size);
        return 0;
    }
    png_infop info = png_create_info_struct(png);
    cpng_source source = {data, size, 0};
    if (info == NULL || setjmp(png_jmpbuf(png))) {
        copy_message(error_text, message, message_size);
        png_destroy_read_struct(&png, info ? &info : NULL, NULL);
        return 0;
    }
    png_set_read_fn(png, &source, source_read);
    read_expanded_info(png, info, header);
    png_destroy_read_struct(&png, &info, NULL);
    return 1;
}

int cpng_decode_8bit(const uint8_t *data, size_t size, uint8_t *pixels, size_t pixels_size, char *message,
                     size_t message_size) {
    char error_text[256] = "PNG decoding failed";
    if (size < 8 || png_sig_cmp(data, 0, 8) != 0) {
        copy_message("not a PNG file (bad signature)", message, message_size);
        return 0;
    }
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, error_text, error_handler, warning_handler);
    if (png == NULL) {
        copy_message("cannot create a PNG reader", message, message_size);
        return 0;
    }
    png_infop info = png_create_info_struct(png);
    cpng_source source = {data, size, 0};
    png_bytep *volatile rows = NULL;
    if (info == NULL || setjmp(png_jmpbuf(png))) {
        copy_message(error_text, message, message_size);
        png_destroy_read_struct(&png, info ? &info : NULL, NULL);
        free(rows);
        return 0;
    }
    png_set_read_fn(png, &source, source_read);
#ifdef PNG_IGNORE_ADLER32
    // Every IDAT byte is already covered by the chunk CRCs; skipping zlib's
    // Adler-32 saves a pass over the inflated data.
    png_set_option(png, PNG_IGNORE_ADLER32, PNG_OPTION_ON);
#endif
    cpng_header header;
    read_expanded_info(png, info, &header);
    size_t stride = (size_t)header.width * (size_t)header.channels;
    if (png_get_rowbytes(png, info) != stride || stride * header.height != pixels_size) {
        png_error(png, "pixel buffer size does not match the image");
    }
    if (!header.interlaced) {
        // Row by row: no row-pointer array, and the rows land where they belong.
        for (uint32_t y = 0; y < header.height; y++) png_read_row(png, pixels + (size_t)y * stride, NULL);
    } else {
        rows = malloc(sizeof(png_bytep) * (header.height ? header.height : 1));
        if (rows == NULL) png_error(png, "out of memory");
        for (uint32_t y = 0; y < header.height; y++) rows[y] = pixels + (size_t)y * stride;
        png_read_image(png, rows);
    }
    // No png_read_end: the chunks after the image data (text, IEND) are not needed,
    // so a file cut after its last IDAT still decodes, as in Pillow and libvips.
    png_destroy_read_struct(&png, &info, NULL);
    free(rows);
    return 1;
}

int cpng_encode_palette(const uint8_t *indices, uint32_t width, uint32_t height, const uint8_t *palette_rgba,
                        int palette_count, int level, uint8_t **out, size_t *out_size, char *message,
                        size_t message_size) {
    if (palette_count < 1 || palette_count > 256) {
        copy_message("a PNG palette has 1 to 256 entries", message, message_size);
        return 0;
    }
    char error_text[256] = "PNG encoding failed";
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, error_text, error_handler, warning_handler);
    if (png == NULL) {
        copy_message("cannot create a PNG writer", message, message_size);
        return 0;
    }
    png_infop info = png_create_info_struct(png);
    cpng_buffer buffer = {NULL, 0, 0, 0};
    if (info == NULL || setjmp(png_jmpbuf(png))) {
        copy_message(error_text, message, message_size);
        png_destroy_write_struct(&png, info ? &info : NULL);
        free(buffer.data);
        return 0;
    }
    png_color colors[256];
    png_byte alphas[256];
    int last_translucent = -1;
    for (int i = 0; i < palette_count; i++) {
        colors[i].red = palette_rgba[4 * i];
        colors[i].green = palette_rgba[4 * i + 1];
        colors[i].blue = palette_rgba[4 * i + 2];
        alphas[i] = palette_rgba[4 * i + 3];
        if (alphas[i] != 255) last_translucent = i;
    }
    png_set_write_fn(png, &buffer, buffer_write, buffer_flush);
    png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_PALETTE, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_PLTE(png, info, colors, palette_count);
    if (last_translucent >= 0) png_set_tRNS(png, info, alphas, last_translucent + 1, NULL);
    png_set_compression_level(png, level);
    // Label maps compress best unfiltered (filters on indices make no sense).
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    png_write_info(png, info);
    for (uint32_t y = 0; y < height; y++) png_write_row(png, (png_const_bytep)(indices + (size_t)y * width));
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    *out = buffer.data;
    *out_size = buffer.size;
    return 1;
}

uint32_t cpng_crc32(uint32_t crc, const uint8_t *bytes, size_t count) {
    return (uint32_t)crc32((uLong)crc, bytes, (uInt)count);
}

void cpng_free(void *buffer) { free(buffer); }

struct cpng_stream {
    png_structp png;
    png_infop info;
    FILE *file;
    char error_text[256];
    cpng_header header;
    uint32_t row;
};

void cpng_stream_close(cpng_stream *stream) {
    if (stream == NULL) return;
    if (stream->png != NULL) png_destroy_read_struct(&stream->png, stream->info ? &stream->info : NULL, NULL);
    if (stream->file != NULL) fclose(stream->file);
    free(stream);
}

cpng_stream *cpng_stream_open(const char *path, size_t max_chunk_bytes, cpng_header *header, char *message,
                              size_t message_size) {
    cpng_stream *stream = calloc(1, sizeof(cpng_stream));
    if (stream == NULL) {
        copy_message("out of memory", message, message_size);
        return NULL;
    }
    strcpy(stream->error_text, "PNG decoding failed");
    stream->file = fopen(path, "rb");
    if (stream->file == NULL) {
        copy_message("cannot open the file", message, message_size);
        free(stream);
        return NULL;
    }
    uint8_t signature[8];
    if (fread(signature, 1, 8, stream->file) != 8 || png_sig_cmp(signature, 0, 8) != 0) {
        copy_message("not a PNG file (bad signature)", message, message_size);
        cpng_stream_close(stream);
        return NULL;
    }
    stream->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, stream->error_text, error_handler, warning_handler);
    if (stream->png == NULL) {
        copy_message("cannot create a PNG reader", message, message_size);
        cpng_stream_close(stream);
        return NULL;
    }
    stream->info = png_create_info_struct(stream->png);
    if (stream->info == NULL || setjmp(png_jmpbuf(stream->png))) {
        copy_message(stream->error_text, message, message_size);
        cpng_stream_close(stream);
        return NULL;
    }
    png_init_io(stream->png, stream->file);
    png_set_sig_bytes(stream->png, 8);
    png_set_chunk_malloc_max(stream->png, (png_alloc_size_t)max_chunk_bytes);
#ifdef PNG_IGNORE_ADLER32
    png_set_option(stream->png, PNG_IGNORE_ADLER32, PNG_OPTION_ON);
#endif
    read_expanded_info(stream->png, stream->info, &stream->header);
    *header = stream->header;
    return stream;
}

int cpng_stream_read(cpng_stream *stream, uint8_t *pixels, int max_rows, char *message, size_t message_size) {
    if (setjmp(png_jmpbuf(stream->png))) {
        copy_message(stream->error_text, message, message_size);
        return -1;
    }
    size_t stride = (size_t)stream->header.width * (size_t)stream->header.channels;
    int done = 0;
    while (done < max_rows && stream->row < stream->header.height) {
        png_read_row(stream->png, pixels + (size_t)done * stride, NULL);
        stream->row++;
        done++;
    }
    return done;
}
