/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The program's flow samples fed to the exporters from the event loop:
 * the ring drained when it has records, each record handed to every
 * consumer (sFlow, IPFIX), then each told to flush.
 */
#ifndef XR_SAMPLE_FEED_H
#define XR_SAMPLE_FEED_H

#include <stdint.h>
#include <event2/event.h>

#include "xdp_router_abi.h"

#define SAMPLE_FEED_CONSUMERS 2

struct flow_consumer {
	/* prog: the program's counters, read once per drain */
	void (*sample)(void *arg, const struct xr_flow_sample *r,
		       const struct xr_sample_stats *prog);
	void (*flush)(void *arg);
	void *arg;
};

struct sample_feed;

/* Opens the sample maps pinned in pin_dir and sets 1 in rate; the rate
 * goes back to 0 when the feed is freed. */
int sample_feed_new(struct sample_feed **out, struct event_base *base,
		    const char *pin_dir, uint32_t rate);
int sample_feed_add(struct sample_feed *f, const struct flow_consumer *c);
void sample_feed_stats(const struct sample_feed *f, struct xr_sample_stats *s);
void sample_feed_free(struct sample_feed *f);

#endif /* XR_SAMPLE_FEED_H */
