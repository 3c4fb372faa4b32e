/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The sFlow v5 exporter of xdp-routerd: the program's flow samples (the
 * ring of bpf/flow_sample.h) as flow_samples, and the program's
 * per-interface counters as counters_samples every counter interval, sent
 * over UDP to every collector. A collector that cannot be reached, or whose
 * name resolves to a new address, is counted and logged once; the fast path
 * never waits for the exporter.
 */
#ifndef XR_SFLOW_H
#define XR_SFLOW_H

#include <stdbool.h>
#include <stdint.h>
#include <event2/event.h>
#include <netinet/in.h>

#include "export/collector.h"
#include "export/sample_feed.h"
#include "maps/maps.h"

#define SFLOW_COLLECTORS_MAX COLLECTORS_MAX
#define SFLOW_PORT_DEFAULT "6343"
#define SFLOW_COUNTER_INTERVAL_DEFAULT 20 /* seconds, as hsflowd */

struct sflow_opts {
	char collector[SFLOW_COLLECTORS_MAX][128]; /* HOST[:PORT] */
	unsigned int n_collectors;
	uint32_t sampling;	/* 1 in N frames; 0: counters only */
	char agent_address[64]; /* "": the source towards the first */
	uint32_t sub_agent_id;
	unsigned int counter_interval; /* seconds, 0: none */
};

struct sflow_stats {
	uint64_t flow_samples;	  /* encoded into datagrams */
	uint64_t counter_samples; /* likewise */
	uint64_t datagrams_sent;  /* one per collector reached */
	uint64_t send_errors;	  /* a datagram a collector did not get */
	uint64_t address_changes; /* a collector's name resolved anew */
};

struct sflow;

/* Parses "HOST[:PORT]", "[V6]:PORT" or a comma list into o: 0 or -EINVAL
 * (-E2BIG past SFLOW_COLLECTORS_MAX). */
int sflow_opts_add_collectors(struct sflow_opts *o, const char *v);
/* Starts exporting in base: counter samples on their timer; flow samples
 * from the feed it is added to (sflow_consumer). */
int sflow_new(struct sflow **out, struct event_base *base,
	      const struct xr_maps *maps, const struct sflow_opts *o);
struct flow_consumer sflow_consumer(struct sflow *s);
/* The collectors of o from now on (a reload), the rest of o unread; each
 * one changed counts as an address change. */
void sflow_set_collectors(struct sflow *s, const struct sflow_opts *o);
void sflow_free(struct sflow *s);
/* The exporter's state, for xdp-routerctl status. */
struct sflow_view {
	const char *state; /* "exporting", "no collector reachable" */
	char agent[INET6_ADDRSTRLEN];
	struct sflow_opts opts;
	struct collector_view c[SFLOW_COLLECTORS_MAX];
	struct sflow_stats st;
};
void sflow_view_get(const struct sflow *s, struct sflow_view *v);

#endif /* XR_SFLOW_H */
