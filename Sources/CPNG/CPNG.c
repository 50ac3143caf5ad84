#include "CPNG.h"

#include <png.h>
#include <stdlib.h>
#include <string.h>

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

void cpng_free(void *buffer) { free(buffer); }
