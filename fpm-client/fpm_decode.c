// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fpm_decode.h"
#include "fpm_log.h"

struct fpm_decoder *fpm_decoder_new(fpm_event_fn cb, void *arg)
{
	struct fpm_decoder *d = malloc(sizeof(*d));

	if (d)
		fpm_decoder_init(d, cb, arg);
	return d;
}

void fpm_decoder_free(struct fpm_decoder *d)
{
	free(d);
}

void fpm_decoder_init(struct fpm_decoder *d, fpm_event_fn cb, void *arg)
{
	d->cb = cb;
	d->arg = arg;
	d->tap = NULL;
	d->tap_arg = NULL;
	memset(&d->stats, 0, sizeof(d->stats));
	d->err_offset = 0;
	fpm_reasm_reset(&d->reasm);
}

void fpm_decoder_set_tap(struct fpm_decoder *d, fpm_frame_tap_fn tap, void *arg)
{
	d->tap = tap;
	d->tap_arg = arg;
}

void fpm_decoder_reset(struct fpm_decoder *d)
{
	fpm_reasm_reset(&d->reasm);
}

void fpm_decoder_emit(struct fpm_decoder *d, const struct fpm_event *ev)
{
	switch (ev->type) {
	case FPM_EV_ROUTE_ADD:
		d->stats.ev_route_add++;
		break;
	case FPM_EV_ROUTE_DEL:
		d->stats.ev_route_del++;
		break;
	case FPM_EV_NH_ADD:
		d->stats.ev_nh_add++;
		break;
	case FPM_EV_NH_DEL:
		d->stats.ev_nh_del++;
		break;
	default:
		break;
	}
	if (d->cb)
		d->cb(ev, d->arg);
}

static void count_frame_error(struct fpm_decoder *d, int err)
{
	switch (err) {
	case -EPROTO:
		d->stats.err_frame_version++;
		break;
	case -EPROTONOSUPPORT:
		d->stats.err_frame_type++;
		break;
	case -EBADMSG:
		d->stats.err_frame_length++;
		break;
	case -ENOMSG:
		d->stats.err_frame_empty++;
		break;
	case -ENODATA:
	case -EAGAIN:
		d->stats.err_frame_truncated++;
		break;
	}
}

/* Decode one frame whose header was validated; payload errors are counted */
static int decode_payload(struct fpm_decoder *d,
			  const struct fpm_frame_hdr *hdr, const uint8_t *frame)
{
	const uint8_t *payload = frame + FPM_HDR_LEN;
	size_t len = hdr->len - FPM_HDR_LEN;

	d->stats.frames++;
	if (d->tap)
		d->tap(frame, hdr->len, d->tap_arg);
	if (hdr->type == FPM_MSG_PROTOBUF) {
		d->stats.frames_protobuf++;
		return fpm_decode_protobuf(d, payload, len);
	}
	d->stats.frames_netlink++;
	/* netlink structs need 4-byte alignment; the stream gives none */
	if ((uintptr_t)payload & 3) {
		memcpy(d->aligned, payload, len);
		payload = (const uint8_t *)d->aligned;
	}
	return fpm_decode_netlink(d, payload, len);
}

int fpm_decode_frame(struct fpm_decoder *d, const uint8_t *frame, size_t len)
{
	struct fpm_frame_hdr hdr;
	int err;

	err = fpm_frame_parse_header(frame, len, &hdr);
	if (!err && hdr.len > len)
		err = -ENODATA;
	if (err) {
		count_frame_error(d, err);
		return err;
	}
	err = decode_payload(d, &hdr, frame);
	if (hdr.len < len) {
		d->stats.err_frame_trailing++;
		return err ? err : -EBADMSG;
	}
	return err;
}

static int stream_frame(const struct fpm_frame_hdr *hdr, const uint8_t *frame,
			void *arg)
{
	struct fpm_decoder *d = arg;

	/* A bad payload costs one message, not the connection */
	decode_payload(d, hdr, frame);
	return 0;
}

int fpm_decoder_feed(struct fpm_decoder *d, const uint8_t *data, size_t len)
{
	int was = d->reasm.err;
	int err;

	d->stats.bytes += len;
	err = fpm_reasm_feed(&d->reasm, data, len, stream_frame, d);
	if (err && !was) {
		count_frame_error(d, err);
		d->err_offset = d->reasm.offset;
		fpm_log(LOG_WARNING, "framing error at stream offset %llu: %s",
			(unsigned long long)d->err_offset, strerror(-err));
	}
	return err;
}

int fpm_decoder_end(struct fpm_decoder *d)
{
	int err = fpm_reasm_finish(&d->reasm);

	if (err && !d->reasm.err) {
		count_frame_error(d, err);
		d->err_offset = d->reasm.offset;
		fpm_log(LOG_WARNING,
			"stream ended inside a frame at offset %llu (%zu "
			"bytes)",
			(unsigned long long)d->err_offset, d->reasm.fill);
	}
	fpm_reasm_reset(&d->reasm);
	return err;
}
