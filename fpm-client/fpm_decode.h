/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * FPM decoder: bytes in, fpm_events out through a callback.
 *
 * Three entry points, from outer to inner:
 *   fpm_decoder_feed()    a TCP byte stream in arbitrary chunks
 *   fpm_decode_frame()    one whole FPM frame, header included
 *   fpm_decode_netlink()  / fpm_decode_protobuf(): one frame's payload
 *
 * Errors return a negative errno and bump the counter of their kind in
 * d->stats. A message that fails to decode emits nothing (never a partial
 * route) and does not stop the other messages of its frame. A framing error
 * in a stream is fatal for that stream: the caller closes the connection.
 */
#ifndef XR_FPM_DECODE_H
#define XR_FPM_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "fpm_events.h"
#include "fpm_frame.h"
#include "fpm_stats.h"

/* Sees every complete, well-framed frame of a stream (for recording). */
typedef void (*fpm_frame_tap_fn)(const uint8_t *frame, size_t len, void *arg);

struct fpm_decoder {
	fpm_event_fn cb;
	void *arg;
	fpm_frame_tap_fn tap;
	void *tap_arg;
	struct fpm_stats stats;
	uint64_t err_offset; /* stream offset of the last framing error */
	struct fpm_event ev; /* scratch: events are large */
	struct fpm_reasm reasm;
	/* payloads are copied here when not 4-byte aligned */
	uint32_t aligned[FPM_MAX_FRAME / 4 + 1];
};

/* The struct is ~70 KiB: allocate it, or embed it in something static. */
struct fpm_decoder *fpm_decoder_new(fpm_event_fn cb, void *arg);
void fpm_decoder_free(struct fpm_decoder *d);
void fpm_decoder_init(struct fpm_decoder *d, fpm_event_fn cb, void *arg);
void fpm_decoder_set_tap(struct fpm_decoder *d, fpm_frame_tap_fn tap,
			 void *arg);

/* Start a new stream (new connection); counters are kept. */
void fpm_decoder_reset(struct fpm_decoder *d);
/* Feed stream bytes; a framing error is sticky until reset. */
int fpm_decoder_feed(struct fpm_decoder *d, const uint8_t *data, size_t len);
/* End of stream: -ENODATA (counted) if it stopped inside a frame. */
int fpm_decoder_end(struct fpm_decoder *d);

int fpm_decode_frame(struct fpm_decoder *d, const uint8_t *frame, size_t len);
int fpm_decode_netlink(struct fpm_decoder *d, const uint8_t *buf, size_t len);
int fpm_decode_protobuf(struct fpm_decoder *d, const uint8_t *buf, size_t len);

/* Hand ev to the callback, counting it. */
void fpm_decoder_emit(struct fpm_decoder *d, const struct fpm_event *ev);

#endif
