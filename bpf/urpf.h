/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Unicast reverse-path filtering as the kernel's fib_validate_source does it
 * for rp_filter=1 (strict) and 2 (loose), with one more lookup in the same
 * FIB the forward lookup used (the ingress's VRF): the route back to the
 * source must be unicast and, when strict, leave through the ingress (for
 * ECMP, through any of its paths). The daemon sets RPF_STRICT_V4 or
 * RPF_LOOSE_V4 on an ingress from max(all, device) (kernel/netconf.c).
 *
 * A source that fails is punted, never dropped here: the kernel drops it
 * and counts it (IPRPFILTER, or a martian source) as it would without us.
 * What the fast path cannot see, it punts too: ip rules (the kernel's
 * reverse lookup runs through them, with the forward egress as iif), a
 * local source (the kernel's local table), a row missing from the maps.
 */
#ifndef XR_BPF_URPF_H
#define XR_BPF_URPF_H

#include "lookup.h"
#include "plan_gates.h"

static __always_inline int urpf_nh_is(__u32 id, __u32 ifindex, int *missing)
{
	struct xr_nexthop *nh = row_lookup(&nh_index, &nh_rows, id);

	if (!nh) {
		*missing = 1;
		return 0;
	}
	return nh->ifindex == ifindex;
}

/* Whether any path of a group leaves through ifindex, as
 * fib_info_nh_uses_dev asks: every member, whatever the weights. */
static __always_inline __u32 urpf_group_uses(__u32 id, __u32 ifindex)
{
	struct xr_nh_group *g = row_lookup(&grp_index, &grp_rows, id);
	int missing = 0;

	if (!g)
		return XR_PUNT_RPF_UNPROVEN;
	for (__u32 i = 0; i < XR_MAX_ECMP; i++) {
		if (i >= g->n_members)
			break;
		if (urpf_nh_is(g->member[i], ifindex, &missing))
			return XR_FORWARD;
	}
	return missing ? XR_PUNT_RPF_UNPROVEN : XR_PUNT_RPF;
}

/*
 * A subprogram: only interfaces with rp_filter pay for it, and its
 * registers stay out of the forwarding path of the others. strict is the
 * mode: 1 strict, 0 loose. Returns XR_FORWARD or the punt reason.
 */
static __noinline __u32 urpf_check_v4(__be32 vrf, __be32 saddr,
				      __u32 in_ifindex, __u32 strict)
{
	struct xr_route *r = route4_lookup(vrf, saddr);
	__u32 match;
	int missing = 0;

	/* No route back: fib_validate_source's last resort drops it. The
	 * maps may lack a route the kernel has, so the kernel decides. */
	if (!r)
		return XR_PUNT_RPF;
	switch (r->action) {
	case XR_ROUTE_NEXTHOP:
		if (!strict) /* loose: any unicast route will do */
			return XR_FORWARD;
		match = urpf_nh_is(r->id, in_ifindex, &missing);
		break;
	case XR_ROUTE_GROUP:
		if (!strict)
			return XR_FORWARD;
		return urpf_group_uses(r->id, in_ifindex);
	case XR_ROUTE_CONNECTED:
		if (!strict)
			return XR_FORWARD;
		match = r->id == in_ifindex;
		break;
	case XR_ROUTE_LOCAL:
		/* Our own address as a source: a martian unless
		 * accept_local, which the kernel knows. */
		return XR_PUNT_RPF_UNPROVEN;
	default:
		/* Blackhole, unreachable, prohibit: not RTN_UNICAST, so
		 * the kernel refuses the source even in loose mode. */
		return XR_PUNT_RPF;
	}
	if (match)
		return XR_FORWARD;
	return missing ? XR_PUNT_RPF_UNPROVEN : XR_PUNT_RPF;
}

/* After the forward lookup, with the egress known: the kernel validates
 * the source once the destination's route is unicast. */
static __always_inline __u32 urpf_v4(const struct xr_iface *in,
				     const struct xr_iface *out,
				     __u32 in_ifindex, __be32 saddr)
{
	if (plan_rpf_through_rules(in, out))
		return XR_PUNT_RPF_UNPROVEN;
	return urpf_check_v4(in->vrf, saddr, in_ifindex,
			     !!(in->flags & XR_IF_F_RPF_STRICT_V4));
}

#endif /* XR_BPF_URPF_H */
