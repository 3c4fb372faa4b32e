/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * FPM framing: a 4-byte header {u8 version, u8 type, be16 length} where
 * length counts the header too. Pure functions, no I/O, no counters.
 */
#ifndef XR_FPM_FRAME_H
#define XR_FPM_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define FPM_HDR_LEN 4
#define FPM_VERSION 1
#define FPM_MSG_NETLINK 1
#define FPM_MSG_PROTOBUF 2
#define FPM_MAX_FRAME 65535

struct fpm_frame_hdr {
	uint8_t version;
	uint8_t type; /* FPM_MSG_NETLINK or FPM_MSG_PROTOBUF */
	uint16_t len; /* whole frame, header included */
};

/*
 * Each framing error has its own errno so callers can count them apart:
 *   -EAGAIN          fewer than FPM_HDR_LEN bytes available
 *   -EPROTO          version is not 1
 *   -EPROTONOSUPPORT type is neither netlink nor protobuf
 *   -EBADMSG         length < 4: the stream cannot advance
 *   -ENOMSG          length == 4: a header without a message
 */
int fpm_frame_parse_header(const uint8_t *buf, size_t avail,
			   struct fpm_frame_hdr *hdr);

/* Write a header for a payload of payload_len bytes; -EMSGSIZE if too big. */
int fpm_frame_put_header(uint8_t *buf, uint8_t type, size_t payload_len);

/*
 * Called for each complete frame (header included). A negative return stops
 * fpm_reasm_feed and is passed back to its caller.
 */
typedef int (*fpm_frame_fn)(const struct fpm_frame_hdr *hdr,
			    const uint8_t *frame, void *arg);

/*
 * Stream reassembler: fed arbitrary chunks, calls back once per complete
 * frame. Frames that arrive whole in one chunk are handed over in place;
 * only a frame split across chunks is copied. After a framing error the
 * reassembler stays failed until fpm_reasm_reset(): the rest of that stream
 * cannot be trusted.
 */
struct fpm_reasm {
	uint64_t offset; /* stream offset of the next frame's first byte */
	int err;	 /* sticky framing error, 0 if none */
	size_t fill;	 /* bytes of a split frame held in buf */
	uint8_t buf[FPM_MAX_FRAME];
};

void fpm_reasm_reset(struct fpm_reasm *r);
int fpm_reasm_feed(struct fpm_reasm *r, const uint8_t *data, size_t len,
		   fpm_frame_fn fn, void *arg);
/* At end of stream: -ENODATA if a frame was cut short, else 0. */
int fpm_reasm_finish(const struct fpm_reasm *r);

#endif
