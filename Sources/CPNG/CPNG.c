#include "CPNG.h"

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

static int begin(png_image *image, const uint8_t *data, size_t size, char *message, size_t message_size) {
    memset(image, 0, sizeof(*image));
    image->version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(image, data, size)) {
        copy_message(image->message[0] ? image->message : "not a PNG file", message, message_size);
        png_image_free(image);
        return 0;
    }
    return 1;
}

int cpng_read_info(const uint8_t *data, size_t size, cpng_info *info, char *message, size_t message_size) {
    png_image image;
    if (!begin(&image, data, size, message, message_size)) return 0;
    info->width = image.width;
    info->height = image.height;
    int color = (image.format & PNG_FORMAT_FLAG_COLOR) != 0;
    int alpha = (image.format & PNG_FORMAT_FLAG_ALPHA) != 0;
    info->layout = color ? (alpha ? CPNG_RGBA : CPNG_RGB) : (alpha ? CPNG_GRAY_ALPHA : CPNG_GRAY);
    png_image_free(&image);
    return 1;
}

int cpng_decode(const uint8_t *data, size_t size, cpng_layout layout, uint8_t *pixels, size_t pixels_size,
                char *message, size_t message_size) {
    png_image image;
    if (!begin(&image, data, size, message, message_size)) return 0;
    image.format = format_of(layout);
    size_t needed = (size_t)image.width * image.height * (size_t)layout;
    if (needed != pixels_size) {
        copy_message("pixel buffer size does not match the image", message, message_size);
        png_image_free(&image);
        return 0;
    }
    if (!png_image_finish_read(&image, NULL, pixels, 0, NULL)) {
        copy_message(image.message[0] ? image.message : "PNG decoding failed", message, message_size);
        png_image_free(&image);
        return 0;
    }
    png_image_free(&image);
    return 1;
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

uint32_t cpng_crc32(uint32_t crc, const uint8_t *bytes, size_t count) {
    return (uint32_t)crc32((uLong)crc, bytes, (uInt)count);
}

void cpng_free(void *buffer) { free(buffer); }
