/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The interfaces the fast path runs on: which to attach (all routed ones by
 * default, or a list), their entries in ifaces and tx_ports, kept in step
 * with the kernel's links.
 */
#ifndef XR_PORTS_H
#define XR_PORTS_H

#include <stdbool.h>

#include "kernel/kernel_state.h"
#include "loader/loader.h"

#define XR_PORTS_MAX_NAMES 64

struct ports_opts {
	bool all; /* --interfaces auto */
	char names[XR_PORTS_MAX_NAMES][16];
	int n_names;
	enum xr_xdp_mode mode;
};

struct ports;

int ports_parse_list(struct ports_opts *o, const char *spec);
struct ports *ports_new(struct xr_loader *loader,
			const struct ports_opts *opts);
void ports_free(struct ports *p);
/* With --interfaces auto, an interface some route leaves through is
 * attached too (an unnumbered link has no address of its own). */
void ports_set_egress_check(struct ports *p,
			    bool (*is_egress)(void *arg, uint32_t ifindex),
			    void *arg);
/* Rows carry the plan's flags (kernel/plan.h); a NULL plan proves
 * everything, for tools that have no kernel configuration to follow. */
struct plan;
void ports_set_plan(struct ports *p, const struct plan *plan);
/* The plan's listener: rewrites every row whose plan flags changed. */
void ports_replan(void *ports);
/* Links, and the 802.1Q sub-interfaces among them (kernel/vlan_links.h):
 * a VLAN on one of our ports is routed by the port's program, its parent
 * attached for it when it would be wanted itself. */
void ports_link_event(void *ports, const struct kstate_link *l, bool gone);
/* Whether a VLAN waits for its parent to be seen again (its link event
 * came first): the caller replays the links, once. */
bool ports_want_replay(struct ports *p);
/* Re-probes whether each port can take redirected frames (a veth can
 * when its peer gains an XDP program or GRO). */
void ports_refresh(struct ports *p);
void ports_detach_all(struct ports *p);
/* Drops ifaces/tx_ports entries of links that no longer exist. */
void ports_sweep_orphans(struct ports *p);

struct ports_view {
	uint32_t ifindex;
	const char *name;
	bool attached;
	enum xr_xdp_mode mode;
	const char *not_attached; /* why, when it is not; else NULL */
	struct xr_iface value;
};
void ports_foreach(const struct ports *p,
		   void (*fn)(const struct ports_view *v, void *arg),
		   void *arg);

#endif /* XR_PORTS_H */
