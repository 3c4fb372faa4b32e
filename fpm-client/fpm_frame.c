// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>

#include "fpm_frame.h"

int fpm_frame_parse_header(const uint8_t *buf, size_t avail,
			   struct fpm_frame_hdr *hdr)
{
	if (avail < FPM_HDR_LEN)
		return -EAGAIN;
	hdr->version = buf[0];
	hdr->type = buf[1];
	hdr->len = (uint16_t)(buf[2] << 8 | buf[3]);

	/* Each check stands alone: FRR's fpm_read joins two with && */
	if (hdr->version != FPM_VERSION)
		return -EPROTO;
	if (hdr->type != FPM_MSG_NETLINK && hdr->type != FPM_MSG_PROTOBUF)
		return -EPROTONOSUPPORT;
	if (hdr->len < FPM_HDR_LEN)
		return -EBADMSG;
	if (hdr->len == FPM_HDR_LEN)
		return -ENOMSG;
	return 0;
}

int fpm_frame_put_header(uint8_t *buf, uint8_t type, size_t payload_len)
{
	size_t len = payload_len + FPM_HDR_LEN;

	if (len > FPM_MAX_FRAME)
		return -EMSGSIZE;
	buf[0] = FPM_VERSION;
	buf[1] = type;
	buf[2] = (uint8_t)(len >> 8);
	buf[3] = (uint8_t)len;
	return 0;
}

void fpm_reasm_reset(struct fpm_reasm *r)
{
	r->offset = 0;
	r->err = 0;
	r->fill = 0;
}

/* Top up the held partial frame from data; returns bytes taken. */
static size_t reasm_top_up(struct fpm_reasm *r, const uint8_t *data, size_t len,
			   size_t want)
{
	size_t take = want - r->fill;

	if (take > len)
		take = len;
	memcpy(r->buf + r->fill, data, take);
	r->fill += take;
	return take;
}

/* Finish the frame held in buf, if data completes it. */
static int reasm_drain_held(struct fpm_reasm *r, const uint8_t **data,
			    size_t *len, fpm_frame_fn fn, void *arg)
{
	struct fpm_frame_hdr hdr;
	size_t took;
	int err;

	if (r->fill < FPM_HDR_LEN) {
		took = reasm_top_up(r, *data, *len, FPM_HDR_LEN);
		*data += took;
		*len -= took;
		if (r->fill < FPM_HDR_LEN)
			return 0;
	}
	err = fpm_frame_parse_header(r->buf, r->fill, &hdr);
	if (err)
		return err;
	took = reasm_top_up(r, *data, *len, hdr.len);
	*data += took;
	*len -= took;
	if (r->fill < hdr.len)
		return 0;
	r->fill = 0;
	r->offset += hdr.len;
	return fn(&hdr, r->buf, arg);
}

int fpm_reasm_feed(struct fpm_reasm *r, const uint8_t *data, size_t len,
		   fpm_frame_fn fn, void *arg)
{
	struct fpm_frame_hdr hdr;
	int err;

	if (r->err)
		return r->err;
	if (r->fill) {
		err = reasm_drain_held(r, &data, &len, fn, arg);
		if (err)
			goto fail;
	}
	/* Whole frames straight from the caller's buffer, no copy */
	while (len) {
		err = fpm_frame_parse_header(data, len, &hdr);
		if (err == -EAGAIN || (!err && hdr.len > len)) {
			memcpy(r->buf, data, len);
			r->fill = len;
			return 0;
		}
		if (err)
			goto fail;
		r->offset += hdr.len;
		err = fn(&hdr, data, arg);
		if (err)
			goto fail;
		data += hdr.len;
		len -= hdr.len;
	}
	return 0;
fail:
	/* Whatever stopped us, the rest of this chunk is lost: stay failed */
	r->err = err;
	return err;
}

int fpm_reasm_finish(const struct fpm_reasm *r)
{
	return r->fill ? -ENODATA : 0;
}
