/*
 * glue.c: the small C interface that reader/faceimage calls inside the
 * WebAssembly sandbox. It decodes one JPEG 2000 image held in linear memory
 * with OpenJPEG and leaves the decoded components there for the Go side,
 * which checks every offset it reads.
 *
 * Layout of the info block returned by fi_info() (little-endian uint32):
 *   [0] width  [1] height  [2] number of components  [3] colour space
 *   then per component (at most FI_MAX_COMPS): w, h, dx, dy, prec, sgnd, data
 * where data is the address of w*h int32 samples.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "openjpeg.h"

#define FI_MAX_COMPS 4
#define FI_INFO_WORDS (4 + 7 * FI_MAX_COMPS)

/* Error codes shared with decode_wasm.go. */
enum {
    FI_OK = 0,
    FI_ERR_ARGS = -1,
    FI_ERR_HEADER = -2,
    FI_ERR_TOO_LARGE = -3,
    FI_ERR_COMPONENTS = -4,
    FI_ERR_DECODE = -5,
    FI_ERR_MEMORY = -6
};

typedef struct {
    const uint8_t *data;
    size_t len;
    size_t pos;
} mem_stream;

static uint32_t info[FI_INFO_WORDS];
static char last_error[256];
static opj_image_t *image;

static OPJ_SIZE_T mem_read(void *dst, OPJ_SIZE_T n, void *user)
{
    mem_stream *m = user;
    size_t left = m->len - m->pos;
    if (left == 0) {
        return (OPJ_SIZE_T)-1;
    }
    if (n > left) {
        n = left;
    }
    memcpy(dst, m->data + m->pos, n);
    m->pos += n;
    return n;
}

static OPJ_OFF_T mem_skip(OPJ_OFF_T n, void *user)
{
    mem_stream *m = user;
    if (n < 0) {
        if ((size_t)(-n) > m->pos) {
            return -1;
        }
        m->pos -= (size_t)(-n);
        return n;
    }
    if ((uint64_t)n > m->len - m->pos) {
        n = (OPJ_OFF_T)(m->len - m->pos);
    }
    m->pos += (size_t)n;
    return n;
}

static OPJ_BOOL mem_seek(OPJ_OFF_T n, void *user)
{
    mem_stream *m = user;
    if (n < 0 || (uint64_t)n > m->len) {
        return OPJ_FALSE;
    }
    m->pos = (size_t)n;
    return OPJ_TRUE;
}

static void on_error(const char *msg, void *user)
{
    (void)user;
    /* Keep the first error: later ones are usually consequences. */
    if (last_error[0] == 0) {
        strncpy(last_error, msg, sizeof last_error - 1);
    }
}

static void quiet(const char *msg, void *user)
{
    (void)msg;
    (void)user;
}

__attribute__((export_name("fi_alloc")))
void *fi_alloc(uint32_t n)
{
    return malloc(n);
}

__attribute__((export_name("fi_info")))
uint32_t *fi_info(void)
{
    return info;
}

__attribute__((export_name("fi_error")))
char *fi_error(void)
{
    return last_error;
}

/*
 * fi_decode decodes len bytes at buf, a raw codestream (jp2 == 0) or a JP2
 * file (jp2 == 1). It refuses, before decoding, an image of more than
 * max_pixels pixels or with more than FI_MAX_COMPS components, and it runs
 * OpenJPEG in strict mode so that a truncated codestream is an error
 * rather than a partly grey picture.
 */
__attribute__((export_name("fi_decode")))
int32_t fi_decode(const uint8_t *buf, uint32_t len, int32_t jp2, uint32_t max_pixels)
{
    mem_stream m = { buf, len, 0 };
    opj_dparameters_t params;
    opj_codec_t *codec;
    opj_stream_t *stream;
    int32_t rc = FI_OK;
    uint64_t w, h;
    uint32_t i;

    memset(info, 0, sizeof info);
    last_error[0] = 0;
    if (buf == NULL || len == 0 || image != NULL) {
        return FI_ERR_ARGS;
    }
    codec = opj_create_decompress(jp2 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K);
    stream = opj_stream_create(OPJ_J2K_STREAM_CHUNK_SIZE, OPJ_TRUE);
    if (codec == NULL || stream == NULL) {
        return FI_ERR_MEMORY;
    }
    opj_set_error_handler(codec, on_error, NULL);
    opj_set_warning_handler(codec, quiet, NULL);
    opj_set_info_handler(codec, quiet, NULL);
    opj_stream_set_user_data(stream, &m, NULL);
    opj_stream_set_user_data_length(stream, len);
    opj_stream_set_read_function(stream, mem_read);
    opj_stream_set_skip_function(stream, mem_skip);
    opj_stream_set_seek_function(stream, mem_seek);

    opj_set_default_decoder_parameters(&params);
    if (!opj_setup_decoder(codec, &params) ||
            !opj_decoder_set_strict_mode(codec, OPJ_TRUE) ||
            !opj_read_header(stream, codec, &image) || image == NULL) {
        rc = FI_ERR_HEADER;
        goto out;
    }
    w = (uint64_t)image->x1 - image->x0;
    h = (uint64_t)image->y1 - image->y0;
    if (image->x1 < image->x0 || image->y1 < image->y0 || w == 0 || h == 0 ||
            w * h > max_pixels) {
        rc = FI_ERR_TOO_LARGE;
        goto out;
    }
    if (image->numcomps == 0 || image->numcomps > FI_MAX_COMPS) {
        rc = FI_ERR_COMPONENTS;
        goto out;
    }
    if (!opj_decode(codec, stream, image) || !opj_end_decompress(codec, stream)) {
        rc = FI_ERR_DECODE;
        goto out;
    }
    info[0] = (uint32_t)w;
    info[1] = (uint32_t)h;
    info[2] = image->numcomps;
    info[3] = (uint32_t)image->color_space;
    for (i = 0; i < image->numcomps; i++) {
        opj_image_comp_t *c = &image->comps[i];
        uint32_t *o = &info[4 + 7 * i];
        if (c->data == NULL) {
            rc = FI_ERR_DECODE;
            goto out;
        }
        o[0] = c->w;
        o[1] = c->h;
        o[2] = c->dx;
        o[3] = c->dy;
        o[4] = c->prec;
        o[5] = c->sgnd;
        o[6] = (uint32_t)(uintptr_t)c->data;
    }
out:
    opj_stream_destroy(stream);
    opj_destroy_codec(codec);
    return rc;
}
