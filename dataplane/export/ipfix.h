/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The IPFIX exporter of xdp-routerd (RFC 7011 over UDP): the program's
 * samples aggregated in a flow cache (export/flow_cache.h), each flow sent
 * as a data record when it has been idle or active long enough, packets
 * and octets scaled by the sampling rate. Both templates go in every
 * message: UDP may lose any of them, and a collector that starts late
 * decodes from the first message it gets.
 */
#ifndef XR_IPFIX_H
#define XR_IPFIX_H

#include <stdint.h>
#include <event2/event.h>

#include "export/collector.h"
#include "export/sample_feed.h"

#define IPFIX_COLLECTORS_MAX COLLECTORS_MAX
#define IPFIX_PORT_DEFAULT "4739"

struct ipfix_opts {
	char collector[IPFIX_COLLECTORS_MAX][128];
	unsigned int n_collectors;
	uint32_t domain;	     /* observation domain id */
	unsigned int idle_timeout;   /* seconds */
	unsigned int active_timeout; /* seconds */
};

struct ipfix_stats {
	uint64_t flows_exported; /* data records */
	uint64_t messages_sent;	 /* one per collector reached */
	uint64_t send_errors;
	uint64_t address_changes;
	uint64_t cache_flows, cache_evicted, unparsed;
};

struct ipfix;

int ipfix_opts_add_collectors(struct ipfix_opts *o, const char *v);
int ipfix_new(struct ipfix **out, struct event_base *base,
	      const struct ipfix_opts *o);
struct flow_consumer ipfix_consumer(struct ipfix *x);
/* As sflow_set_collectors: both templates go in every message, so a new
 * collector decodes from the first one it gets. */
void ipfix_set_collectors(struct ipfix *x, const struct ipfix_opts *o);
/* Sends what the cache holds, then frees. */
void ipfix_free(struct ipfix *x);

struct ipfix_view {
	const char *state;
	struct ipfix_opts opts;
	struct collector_view c[IPFIX_COLLECTORS_MAX];
	struct ipfix_stats st;
};
void ipfix_view_get(const struct ipfix *x, struct ipfix_view *v);

#endif /* XR_IPFIX_H */
