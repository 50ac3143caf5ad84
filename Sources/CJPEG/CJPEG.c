#include "CJPEG.h"

#include <stdio.h>
// stdio.h must come before jpeglib.h (it uses FILE and size_t).
#include <jerror.h>
#include <jpeglib.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

/// libjpeg's error manager plus the jump target, the formatted message and the
/// result the setjmp branch returns (`CJPEG_RESULT_INVALID` unless a limit hit).
typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char text[JMSG_LENGTH_MAX];
    int result;
    /// Streams: data that ends before the last row (libjpeg would fill the
    /// rest with gray) is an error, so a header larger than its data is refused.
    int strict_end;
} cjpeg_error_mgr;

static void copy_message(const char *text, char *message, size_t message_size) {
    if (message == NULL || message_size == 0) return;
    strncpy(message, text, message_size - 1);
    message[message_size - 1] = '\0';
}

/// error_exit: format libjpeg's message and jump back to the setjmp of the
/// C function that started the operation (never into Swift).
static void on_error_exit(j_common_ptr cinfo) {
    cjpeg_error_mgr *error = (cjpeg_error_mgr *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, error->text);
    longjmp(error->jump, 1);
}

/// emit_message: a truncated file ("Premature end of JPEG file") is an error,
/// other warnings (extraneous bytes, ...) are tolerated as browsers do.
static void on_emit_message(j_common_ptr cinfo, int level) {
    if (level >= 0) return;
    cjpeg_error_mgr *error = (cjpeg_error_mgr *)cinfo->err;
    if (cinfo->err->msg_code == JWRN_JPEG_EOF) on_error_exit(cinfo);
    if (error->strict_end && cinfo->err->msg_code == JWRN_HIT_MARKER && cinfo->is_decompressor) {
        j_decompress_ptr d = (j_decompress_ptr)cinfo;
        snprintf(error->text, sizeof(error->text), "the data ends near row %u of %u (a header larger than its data)",
                 (unsigned)d->output_scanline, (unsigned)d->output_height);
        longjmp(error->jump, 1);
    }
}

static void install_errors(cjpeg_error_mgr *error, struct jpeg_error_mgr **slot) {
    *slot = jpeg_std_error(&error->pub);
    error->pub.error_exit = on_error_exit;
    error->pub.emit_message = on_emit_message;
    strcpy(error->text, "JPEG error");
    error->result = CJPEG_RESULT_INVALID;
    error->strict_end = 0;
}

/// libjpeg's progress manager plus the limits of one decode.
typedef struct {
    struct jpeg_progress_mgr pub;
    cjpeg_limits limits;
} cjpeg_progress_mgr;

/// progress_monitor: refuses the scan after `max_scans` (`input_scan_number`
/// counts the SOS markers read so far, so a bomb stops at scan max_scans + 1)
/// and polls `should_stop`. It leaves through the caller's setjmp as error_exit
/// does (the frames in between are libjpeg's, never Swift's).
static void on_progress(j_common_ptr cinfo) {
    cjpeg_progress_mgr *progress = (cjpeg_progress_mgr *)cinfo->progress;
    cjpeg_error_mgr *error = (cjpeg_error_mgr *)cinfo->err;
    int max_scans = progress->limits.max_scans;
    if (max_scans > 0 && cinfo->is_decompressor && ((j_decompress_ptr)cinfo)->input_scan_number > max_scans) {
        snprintf(error->text, sizeof(error->text), "JPEG has more than %d scans (max_scans = %d; a scan bomb)",
                 max_scans, max_scans);
        error->result = CJPEG_RESULT_SCAN_LIMIT;
        longjmp(error->jump, 1);
    }
    if (progress->limits.should_stop != NULL && progress->limits.should_stop(progress->limits.context)) {
        strcpy(error->text, "JPEG decoding stopped by its caller");
        error->result = CJPEG_RESULT_STOPPED;
        longjmp(error->jump, 1);
    }
}

static cjpeg_space space_of(J_COLOR_SPACE space) {
    switch (space) {
    case JCS_GRAYSCALE: return CJPEG_SPACE_GRAY;
    case JCS_YCbCr: return CJPEG_SPACE_YCBCR;
    case JCS_RGB: return CJPEG_SPACE_RGB;
    case JCS_CMYK: return CJPEG_SPACE_CMYK;
    case JCS_YCCK: return CJPEG_SPACE_YCCK;
    default: return CJPEG_SPACE_OTHER;
    }
}

static int valid_denominator(int scale_denom) {
    return scale_denom == 1 || scale_denom == 2 || scale_denom == 4 || scale_denom == 8;
}

/// Reads the header and sets the output colour space and scale; must run
/// inside the caller's setjmp scope.
static void prepare(struct jpeg_decompress_struct *cinfo, const uint8_t *data, size_t size, int scale_denom,
                    cjpeg_info *info) {
    jpeg_mem_src(cinfo, data, (unsigned long)size);
    jpeg_read_header(cinfo, TRUE);
    cinfo->scale_num = 1;
    cinfo->scale_denom = (unsigned int)scale_denom;
    int is_cmyk = cinfo->jpeg_color_space == JCS_CMYK || cinfo->jpeg_color_space == JCS_YCCK;
    if (cinfo->num_components == 1) {
        cinfo->out_color_space = JCS_GRAYSCALE;
    } else if (is_cmyk) {
        cinfo->out_color_space = JCS_CMYK;
    } else {
        cinfo->out_color_space = JCS_RGB;
    }
    jpeg_calc_output_dimensions(cinfo);
    info->width = cinfo->image_width;
    info->height = cinfo->image_height;
    info->output_width = cinfo->output_width;
    info->output_height = cinfo->output_height;
    info->components = cinfo->num_components;
    info->channels = cinfo->num_components == 1 ? 1 : 3;
    info->space = space_of(cinfo->jpeg_color_space);
    info->adobe = cinfo->saw_Adobe_marker ? 1 : 0;
    info->progressive = cinfo->progressive_mode ? 1 : 0;
}

int cjpeg_read_info(const uint8_t *data, size_t size, int scale_denom, cjpeg_info *info, char *message,
                    size_t message_size) {
    if (!valid_denominator(scale_denom)) {
        copy_message("scale denominator must be 1, 2, 4 or 8", message, message_size);
        return 0;
    }
    if (size == 0) {
        copy_message("empty JPEG data", message, message_size);
        return 0;
    }
    struct jpeg_decompress_struct cinfo;
    cjpeg_error_mgr error;
    memset(&cinfo, 0, sizeof(cinfo));
    install_errors(&error, &cinfo.err);
    if (setjmp(error.jump)) {
        copy_message(error.text, message, message_size);
        jpeg_destroy_decompress(&cinfo);
        return 0;
    }
    jpeg_create_decompress(&cinfo);
    prepare(&cinfo, data, size, scale_denom, info);
    jpeg_destroy_decompress(&cinfo);
    return 1;
}

/// CMYK (or YCCK decoded to CMYK) samples of one row to RGB. Adobe files store
/// the samples inverted (255 = no ink), the convention libvips and Pillow follow.
static void cmyk_to_rgb(const uint8_t *cmyk, uint8_t *rgb, uint32_t width, int inverted) {
    for (uint32_t x = 0; x < width; x++) {
        unsigned c = cmyk[0], m = cmyk[1], y = cmyk[2], k = cmyk[3];
        if (!inverted) {
            c = 255 - c;
            m = 255 - m;
            y = 255 - y;
            k = 255 - k;
        }
        // (255 - C)(255 - K) / 255 with rounding, on the "no ink" values.
        unsigned t;
        t = c * k + 128;
        rgb[0] = (uint8_t)((t + (t >> 8)) >> 8);
        t = m * k + 128;
        rgb[1] = (uint8_t)((t + (t >> 8)) >> 8);
        t = y * k + 128;
        rgb[2] = (uint8_t)((t + (t >> 8)) >> 8);
        cmyk += 4;
        rgb += 3;
    }
}

cjpeg_result cjpeg_decode(const uint8_t *data, size_t size, int scale_denom, const cjpeg_limits *limits,
                          uint8_t *pixels, size_t pixels_size, char *message, size_t message_size) {
    if (!valid_denominator(scale_denom)) {
        copy_message("scale denominator must be 1, 2, 4 or 8", message, message_size);
        return CJPEG_RESULT_INVALID;
    }
    if (size == 0) {
        copy_message("empty JPEG data", message, message_size);
        return CJPEG_RESULT_INVALID;
    }
    struct jpeg_decompress_struct cinfo;
    cjpeg_error_mgr error;
    cjpeg_progress_mgr progress;
    uint8_t *volatile scratch = NULL;
    memset(&cinfo, 0, sizeof(cinfo));
    memset(&progress, 0, sizeof(progress));
    install_errors(&error, &cinfo.err);
    if (setjmp(error.jump)) {
        copy_message(error.text, message, message_size);
        jpeg_destroy_decompress(&cinfo);
        free(scratch);
        return (cjpeg_result)error.result;
    }
    jpeg_create_decompress(&cinfo);
    if (limits != NULL && (limits->max_scans > 0 || limits->should_stop != NULL)) {
        progress.pub.progress_monitor = on_progress;
        progress.limits = *limits;
        cinfo.progress = &progress.pub;
    }
    cjpeg_info info;
    prepare(&cinfo, data, size, scale_denom, &info);
    size_t stride = (size_t)info.output_width * (size_t)info.channels;
    if (stride * info.output_height != pixels_size) {
        strcpy(error.text, "pixel buffer size does not match the image");
        longjmp(error.jump, 1);
    }
    int is_cmyk = cinfo.out_color_space == JCS_CMYK;
    if (is_cmyk) {
        scratch = malloc((size_t)info.output_width * 4 * 16);
        if (scratch == NULL) {
            strcpy(error.text, "out of memory");
            longjmp(error.jump, 1);
        }
    }
    jpeg_start_decompress(&cinfo);
    JSAMPROW rows[16];
    while (cinfo.output_scanline < cinfo.output_height) {
        JDIMENSION first = cinfo.output_scanline;
        JDIMENSION wanted = cinfo.output_height - first;
        if (wanted > 16) wanted = 16;
        for (JDIMENSION i = 0; i < wanted; i++) {
            rows[i] = is_cmyk ? scratch + (size_t)i * info.output_width * 4 : pixels + (size_t)(first + i) * stride;
        }
        JDIMENSION got = jpeg_read_scanlines(&cinfo, rows, wanted);
        if (is_cmyk) {
            for (JDIMENSION i = 0; i < got; i++) {
                cmyk_to_rgb(rows[i], pixels + (size_t)(first + i) * stride, info.output_width, info.adobe);
            }
        }
        if (got == 0) {
            strcpy(error.text, "JPEG decoding stalled");
            longjmp(error.jump, 1);
        }
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    free(scratch);
    return CJPEG_RESULT_OK;
}

int cjpeg_encode(const uint8_t *pixels, uint32_t width, uint32_t height, int channels, int quality, uint8_t **out,
                 size_t *out_size, char *message, size_t message_size) {
    return cjpeg_encode_rows(pixels, width, height, (size_t)width * (size_t)(channels < 0 ? 0 : channels), channels,
                             quality, 1, out, out_size, message, message_size);
}

int cjpeg_encode_rows(const uint8_t *pixels, uint32_t width, uint32_t height, size_t stride, int channels, int quality,
                      int optimize_coding, uint8_t **out, size_t *out_size, char *message, size_t message_size) {
    if ((channels != 1 && channels != 3) || width == 0 || height == 0 || width > JPEG_MAX_DIMENSION ||
        height > JPEG_MAX_DIMENSION || stride < (size_t)width * (size_t)channels) {
        copy_message("JPEG encoding needs 1 or 3 channels and 1...65500 pixels per side", message, message_size);
        return 0;
    }
    struct jpeg_compress_struct cinfo;
    cjpeg_error_mgr error;
    unsigned char *volatile buffer = NULL;
    unsigned long buffer_size = 0;
    memset(&cinfo, 0, sizeof(cinfo));
    install_errors(&error, &cinfo.err);
    if (setjmp(error.jump)) {
        copy_message(error.text, message, message_size);
        jpeg_destroy_compress(&cinfo);
        free(buffer);
        return 0;
    }
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, (unsigned char **)&buffer, &buffer_size);
    cinfo.image_width = width;
    cinfo.image_height = height;
    cinfo.input_components = channels;
    cinfo.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality < 1 ? 1 : quality > 100 ? 100 : quality, TRUE);
    cinfo.optimize_coding = optimize_coding ? TRUE : FALSE;
    jpeg_start_compress(&cinfo, TRUE);
    JSAMPROW rows[16];
    while (cinfo.next_scanline < cinfo.image_height) {
        JDIMENSION count = cinfo.image_height - cinfo.next_scanline;
        if (count > 16) count = 16;
        for (JDIMENSION i = 0; i < count; i++) {
            rows[i] = (JSAMPROW)(pixels + (size_t)(cinfo.next_scanline + i) * stride);
        }
        jpeg_write_scanlines(&cinfo, rows, count);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    *out = buffer;
    *out_size = buffer_size;
    return 1;
}

void cjpeg_free(void *buffer) { free(buffer); }

struct cjpeg_stream {
    struct jpeg_decompress_struct cinfo;
    cjpeg_error_mgr error;
    cjpeg_progress_mgr progress;
    FILE *file;
    uint8_t *scratch;
    cjpeg_info info;
    int started;
};

void cjpeg_stream_close(cjpeg_stream *stream) {
    if (stream == NULL) return;
    jpeg_destroy_decompress(&stream->cinfo);
    if (stream->file != NULL) fclose(stream->file);
    free(stream->scratch);
    free(stream);
}

cjpeg_stream *cjpeg_stream_open(const char *path, const cjpeg_limits *limits, size_t max_memory, cjpeg_info *info,
                                cjpeg_result *result, char *message, size_t message_size) {
    *result = CJPEG_RESULT_INVALID;
    cjpeg_stream *stream = calloc(1, sizeof(cjpeg_stream));
    if (stream == NULL) {
        copy_message("out of memory", message, message_size);
        return NULL;
    }
    stream->file = fopen(path, "rb");
    if (stream->file == NULL) {
        copy_message("cannot open the file", message, message_size);
        free(stream);
        return NULL;
    }
    install_errors(&stream->error, &stream->cinfo.err);
    stream->error.strict_end = 1;
    if (setjmp(stream->error.jump)) {
        copy_message(stream->error.text, message, message_size);
        *result = (cjpeg_result)stream->error.result;
        cjpeg_stream_close(stream);
        return NULL;
    }
    jpeg_create_decompress(&stream->cinfo);
    stream->cinfo.mem->max_memory_to_use = (long)(max_memory > 0x7fffffff ? 0x7fffffff : max_memory);
    if (limits != NULL && (limits->max_scans > 0 || limits->should_stop != NULL)) {
        stream->progress.pub.progress_monitor = on_progress;
        stream->progress.limits = *limits;
        stream->cinfo.progress = &stream->progress.pub;
    }
    jpeg_stdio_src(&stream->cinfo, stream->file);
    jpeg_read_header(&stream->cinfo, TRUE);
    int is_cmyk = stream->cinfo.jpeg_color_space == JCS_CMYK || stream->cinfo.jpeg_color_space == JCS_YCCK;
    stream->cinfo.out_color_space =
        stream->cinfo.num_components == 1 ? JCS_GRAYSCALE : (is_cmyk ? JCS_CMYK : JCS_RGB);
    jpeg_calc_output_dimensions(&stream->cinfo);
    stream->info.width = stream->cinfo.image_width;
    stream->info.height = stream->cinfo.image_height;
    stream->info.output_width = stream->cinfo.output_width;
    stream->info.output_height = stream->cinfo.output_height;
    stream->info.components = stream->cinfo.num_components;
    stream->info.channels = stream->cinfo.num_components == 1 ? 1 : 3;
    stream->info.space = space_of(stream->cinfo.jpeg_color_space);
    stream->info.adobe = stream->cinfo.saw_Adobe_marker ? 1 : 0;
    // Several scans (progressive or not): libjpeg buffers every coefficient
    // before the first row, so the caller may prefer another way.
    stream->info.progressive = (stream->cinfo.progressive_mode || jpeg_has_multiple_scans(&stream->cinfo)) ? 1 : 0;
    if (is_cmyk) {
        stream->scratch = malloc((size_t)stream->info.output_width * 4 * 16);
        if (stream->scratch == NULL) {
            strcpy(stream->error.text, "out of memory");
            longjmp(stream->error.jump, 1);
        }
    }
    // Decoding starts at the first read: a file the caller turns down (several
    // scans) costs only its header.
    *info = stream->info;
    *result = CJPEG_RESULT_OK;
    return stream;
}

int cjpeg_stream_read(cjpeg_stream *stream, uint8_t *pixels, int max_rows, cjpeg_result *result, char *message,
                      size_t message_size) {
    *result = CJPEG_RESULT_OK;
    if (setjmp(stream->error.jump)) {
        copy_message(stream->error.text, message, message_size);
        *result = (cjpeg_result)stream->error.result;
        return -1;
    }
    size_t stride = (size_t)stream->info.output_width * (size_t)stream->info.channels;
    if (!stream->started) {
        jpeg_start_decompress(&stream->cinfo);
        stream->started = 1;
    }
    size_t cmyk_stride = (size_t)stream->info.output_width * 4;
    int done = 0;
    JSAMPROW rows[16];
    while (done < max_rows && stream->cinfo.output_scanline < stream->cinfo.output_height) {
        int wanted = max_rows - done;
        if (wanted > 16) wanted = 16;
        for (int i = 0; i < wanted; i++) {
            rows[i] = stream->scratch != NULL ? stream->scratch + (size_t)i * cmyk_stride
                                              : pixels + (size_t)(done + i) * stride;
        }
        JDIMENSION got = jpeg_read_scanlines(&stream->cinfo, rows, (JDIMENSION)wanted);
        if (got == 0) {
            strcpy(stream->error.text, "JPEG decoding stalled");
            longjmp(stream->error.jump, 1);
        }
        if (stream->scratch != NULL) {
            for (JDIMENSION i = 0; i < got; i++) {
                cmyk_to_rgb(rows[i], pixels + (size_t)(done + (int)i) * stride, stream->info.output_width,
                            stream->info.adobe);
            }
        }
        done += (int)got;
    }
    if (done == 0 && stream->cinfo.output_scanline >= stream->cinfo.output_height && stream->started == 1) {
        jpeg_finish_decompress(&stream->cinfo);
        stream->started = 2;
    }
    return done;
}
