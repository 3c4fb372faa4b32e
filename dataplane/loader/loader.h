/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Loads the XDP program, pins its maps (reusing maps pinned by an earlier
 * run, so state and forwarding survive a restart) and attaches it, replacing
 * an attached copy atomically. A program it did not load is never replaced.
 */
#ifndef XR_LOADER_H
#define XR_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "maps/maps.h"

enum xr_xdp_mode {
	XR_XDP_AUTO, /* native, generic if the driver refuses */
	XR_XDP_NATIVE,
	XR_XDP_GENERIC,
};

struct xr_loader_opts {
	const char *pin_dir; /* default XR_PIN_DIR_DEFAULT */
	struct xr_features features;
	/* Sizes of maps created by this load; pinned maps keep theirs. */
	uint32_t route_v4_max, route_v6_max, nexthop_max, neigh_max;
	uint32_t fib4_blocks; /* DIR-24-8 second-level blocks */
	uint32_t fib6_nodes;  /* IPv6 multibit trie nodes */
	/* Flow sampling (bpf/flow_sample.h): the build with it; off, the
	 * build without it (xdp_router_nosample.bpf.o). The rates are the
	 * exporter's (dataplane/export/). */
	bool flow_sample;
};

struct xr_loader;

int xr_loader_parse_mode(const char *s, enum xr_xdp_mode *mode);
const char *xr_loader_mode_name(enum xr_xdp_mode mode);
int xr_loader_parse_fib(const char *s, __u8 *fib);
int xr_loader_parse_fib6(const char *s, __u8 *fib6);
const char *xr_loader_fib6_name(unsigned int fib6);
/* The IPv6 structure that goes with an IPv4 one when only --fib is given:
 * compiled with compiled, trie with trie. */
__u8 xr_loader_fib6_for(__u8 fib);

/* Default opts: every feature on, default sizes. */
void xr_loader_opts_default(struct xr_loader_opts *o);
/* The timeouts an accelerated established packet refreshes its conntrack
 * entry to: the sysctls of the calling thread's namespace, read at load
 * and set again with xr_loader_ct_timeouts_set when they change. */
void xr_loader_ct_timeouts_read(struct xr_ct_timeouts *t);
int xr_loader_load(struct xr_loader **out, const struct xr_loader_opts *o);
/* The loaded program's timeouts, in place (no reload). */
void xr_loader_ct_timeouts_set(struct xr_loader *l,
			       const struct xr_ct_timeouts *t);
const struct xr_maps *xr_loader_maps(const struct xr_loader *l);
int xr_loader_prog_fd(const struct xr_loader *l);
/* Whether a program we did not load is attached to ifindex (in any mode):
 * 1 with what it is in why, else 0. */
int xr_loader_foreign(uint32_t ifindex, char *why, size_t len);
/* Attaches, atomically replacing an attached copy of ours; -EBUSY if
 * another program is there (xr_loader_foreign). *used tells the mode. */
int xr_loader_attach(struct xr_loader *l, uint32_t ifindex,
		     enum xr_xdp_mode mode, enum xr_xdp_mode *used);
/* Detaches only an xdp-router program; anything else is left alone. */
int xr_loader_detach(struct xr_loader *l, uint32_t ifindex);
void xr_loader_free(struct xr_loader *l);

#endif /* XR_LOADER_H */
