/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small flow cache built from the program's samples, for IPFIX: each
 * sample's header parsed to its 5-tuple (Ethernet, IPv4 or IPv6, the ports
 * of TCP, UDP, SCTP), aggregated with its interfaces and path, packets and
 * bytes scaled by the sampling rate. A flow is handed out when it has been
 * idle for idle_ms, active for active_ms, or the cache is full.
 */
#ifndef XR_FLOW_CACHE_H
#define XR_FLOW_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "export/ipfix_encode.h"
#include "util/hashtab.h"
#include "xdp_router_abi.h"

#define FLOW_CACHE_MAX 4096

typedef void (*flow_out_fn)(void *arg, const struct ipfix_flow *f);

struct flow_cache {
	struct hashtab flows;
	size_t max;
	uint64_t idle_ms, active_ms;
	uint64_t unparsed; /* samples with no IP header to key on */
	uint64_t evicted;  /* handed out early: the cache was full */
	flow_out_fn out;
	void *arg;
};

int flow_cache_init(struct flow_cache *c, size_t max, uint64_t idle_ms,
		    uint64_t active_ms, flow_out_fn out, void *arg);
/* Hands out every flow, then frees. */
void flow_cache_free(struct flow_cache *c);
/* now_ms: Unix epoch, milliseconds. */
void flow_cache_add(struct flow_cache *c, const struct xr_flow_sample *s,
		    uint64_t now_ms);
/* Hands out the flows idle or active too long (all, with now_ms = ~0). */
void flow_cache_expire(struct flow_cache *c, uint64_t now_ms);
/* The 5-tuple of a sampled frame: 0, or -EINVAL without one. */
int flow_key_parse(const uint8_t *frame, size_t len, struct ipfix_flow *f);

#endif /* XR_FLOW_CACHE_H */
