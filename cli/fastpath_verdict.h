/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the XDP program would do with a packet to an address, step by step
 * as bpf/xdp_router.bpf.c and bpf/lookup.h do it, reading the maps through
 * a small table of functions (the pinned maps in xdp-routerctl, fakes in
 * the unit tests). With an ingress, its plan (the flags the daemon compiled
 * into the ingress and egress rows, bpf/plan_gates.h) gates the verdict as in
 * the program; a gate that needs what lookup does not know (the source, a
 * conntrack entry) leaves the verdict undecided, never "forward". And
 * whether the kernel's answer (ip route get) agrees.
 */
#ifndef XR_FASTPATH_VERDICT_H
#define XR_FASTPATH_VERDICT_H

#include <stdbool.h>
#include <stdint.h>

#include "maps/maps.h"

/* Each returns 0 or -ENOENT. */
struct fp_ops {
	int (*route)(void *arg, uint32_t vrf, const struct xr_addr *a,
		     struct xr_route *out);
	int (*nexthop)(void *arg, uint32_t id, struct xr_nexthop *out);
	int (*group)(void *arg, uint32_t id, struct xr_nh_group *out);
	int (*neigh)(void *arg, uint32_t ifindex, const struct xr_addr *a,
		     uint8_t mac[6]);
	int (*iface)(void *arg, uint32_t ifindex, struct xr_iface *out);
	/* The live compiled ip rules of family (0 IPv4, 1 IPv6), in order:
	 * how many were copied into out (at most max), or -ENOENT. */
	int (*rules)(void *arg, uint32_t family, struct xr_ip_rule *out,
		     unsigned int max);
	/* The plan flags of every XDP ingress in VRF 0 but except, or-ed:
	 * what a packet from any of them may meet (no --in). */
	uint32_t (*ingress_plan)(void *arg, uint32_t except);
	void *arg;
};

/* Why a verdict cannot be given: a gate of the plan needs what lookup is
 * not told. Columns: name, what, what to do. */
#define FP_UNDECIDED(X)                                                      \
	X(DECIDED, "", "")                                                   \
	X(NEEDS_SOURCE, "needs-source",                                      \
	  "uRPF or an ip rule decides on the source; give --from")           \
	X(NEEDS_CONNTRACK, "needs-conntrack",                                \
	  "the plan checks conntrack: forwarded only while the flow has an " \
	  "established entry the firewall accepted, else punted")            \
	X(NEEDS_INGRESS, "needs-ingress",                                    \
	  "an ingress's plan (forwarding, policy, ip rules, uRPF, "          \
	  "conntrack) may punt it; give --in")

#define FP_UNDECIDED_ENUM(name, str, why) FP_##name,
enum fp_undecided { FP_UNDECIDED(FP_UNDECIDED_ENUM) };
#undef FP_UNDECIDED_ENUM

/* One way out: a nexthop (or a group member, or a connected neighbour). */
struct fp_path {
	uint32_t nexthop_id; /* 0 for a connected route */
	uint32_t ifindex;
	struct xr_addr gw; /* family 0: the destination itself */
	uint8_t smac[6], dmac[6];
	uint32_t mtu;
	unsigned int reason;	/* XR_FORWARD or why this path punts */
	unsigned int undecided; /* enum fp_undecided: reason may not hold */
	unsigned int buckets;	/* of a group's XR_GROUP_BUCKETS */
};

struct fp_result {
	uint32_t vrf;
	uint32_t in_ifindex; /* 0: no ingress given: its plan not applied */
	bool route_found;
	struct xr_route route;
	/* The verdict when it does not depend on the flow hash; for a group
	 * every member is listed and reason is that of the first. */
	unsigned int reason;
	unsigned int undecided; /* likewise */
	unsigned int n_paths;
	struct fp_path paths[XR_MAX_ECMP];
};

/* src: the packet's source, NULL if not known. */
int fastpath_lookup(const struct fp_ops *ops, const struct xr_addr *dst,
		    const struct xr_addr *src, uint32_t in_ifindex,
		    struct fp_result *res);

/* "forward", "punt" or "drop" */
const char *fastpath_verdict_name(unsigned int reason);
/* The verdict of a result or a path: "undecided" where a gate is. */
const char *fastpath_result_verdict(unsigned int reason,
				    unsigned int undecided);
/* The reason printed: the program's, or the gate that is undecided. */
const char *fastpath_result_reason(unsigned int reason, unsigned int undecided);
/* What an undecided gate needs, for people. */
const char *fastpath_undecided_why(unsigned int undecided);

/* The kernel's route for the address (RTM_GETROUTE). */
struct kernel_route {
	int error;    /* 0, or the negative errno of the lookup */
	uint8_t type; /* RTN_* */
	uint32_t oif;
	struct xr_addr gw; /* family 0 if none */
	struct xr_addr prefsrc;
	uint32_t table;
};

/* Does the kernel send the packet the same way? why explains a no. */
bool fastpath_agrees(const struct fp_result *fp, const struct kernel_route *k,
		     const char **why);

#endif /* XR_FASTPATH_VERDICT_H */
