// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for everything zebra's bytes go through: the stream
 * reassembler (in chunk sizes the input picks), whole-frame decoding, and
 * the netlink and protobuf payload decoders on their own.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fpm_decode.h"

static uint32_t aligned[(FPM_MAX_FRAME + 3) / 4 + 1];
static volatile uint64_t sink;

static void on_event(const struct fpm_event *ev, void *arg)
{
	(void)arg;
	/* touch what a consumer reads, so sanitizers see any garbage */
	if (ev->type == FPM_EV_ROUTE_ADD || ev->type == FPM_EV_ROUTE_DEL) {
		for (int i = 0; i < ev->route.n_nexthops; i++)
			sink += ev->route.nh[i].ifindex +
				ev->route.nh[i].gw[15];
		sink += ev->route.dst[15] + ev->route.table;
	} else {
		for (int i = 0; i < ev->nh.n_group; i++)
			sink += ev->nh.group[i].id;
		sink += ev->nh.gw[15];
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fpm_decoder *d;
	size_t chunk, off, n;

	if (!d)
		d = fpm_decoder_new(on_event, NULL);
	if (!size)
		return 0;

	/* 1: as a TCP stream, cut in chunks of 1..64 bytes or whole */
	chunk = data[0] % 65;
	fpm_decoder_init(d, on_event, NULL);
	for (off = 1; off < size; off += n) {
		n = chunk ? chunk : size - off;
		if (n > size - off)
			n = size - off;
		if (fpm_decoder_feed(d, data + off, n))
			break;
	}
	fpm_decoder_end(d);

	/* 2: as one frame */
	fpm_decode_frame(d, data, size);

	/* 3: as bare payloads */
	if (size <= FPM_MAX_FRAME) {
		memcpy(aligned, data, size);
		fpm_decode_netlink(d, (const uint8_t *)aligned, size);
		fpm_decode_protobuf(d, data, size);
	}
	return 0;
}
