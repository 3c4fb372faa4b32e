/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * ip rules, evaluated where the ingress's plan asks (XR_IF_F_RULE_CHECK_*):
 * the rules the daemon compiled (struct xr_ip_rule), in the kernel's order,
 * as fib_rules_lookup walks them after the local rule. The main table's
 * route is looked up first: a local destination stays the local rule's
 * (punted as before), whatever the rules say.
 */
#ifndef XR_BPF_RULES_H
#define XR_BPF_RULES_H

#include "xdp_router_abi.h"
#include "map_defs.h"
#include "rule_match.h"
#include "lookup.h"

/*
 * A `lookup T` rule's route: T's VRF in the LPM tries, which the daemon
 * compiles only while the kernel's table T equals it. A miss punts: the
 * kernel goes on to the next rule (a throw route too, which the daemon
 * never proves). Where main's route is connected the destination may be
 * that subnet's broadcast or anycast address, the local table's, which the
 * rule never reaches: punted, as is a local or connected route of T (its
 * neighbour is resolved only through main's connected routes).
 */
static __always_inline __u32 rule_table(const struct xr_ip_rule *r,
					__u32 family, const __be32 *dst,
					struct xr_route **route)
{
	struct xr_route *main = *route, *t;

	if (main && main->action == XR_ROUTE_CONNECTED)
		return XR_PUNT_IP_RULE;
	if (family)
		t = route6_lookup(r->vrf, (const struct in6_addr *)dst);
	else
		t = route4_lookup(r->vrf, dst[0]);
	if (!t || t->action == XR_ROUTE_LOCAL ||
	    t->action == XR_ROUTE_CONNECTED)
		return XR_PUNT_IP_RULE;
	*route = t;
	return XR_FORWARD;
}

/* The rules' verdict: XR_FORWARD to go on with *route (main's route, or
 * none, or the route of the table a rule chose), else a punt or a drop. A
 * rule's main lookup that misses punts: the kernel goes on to the next
 * rules, which the maps cannot follow on a guess. A blackhole drops only
 * what the main table routes elsewhere than the router itself (a connected
 * subnet's broadcast is the local table's, which the maps do not hold). */
static __always_inline __u32 rules_eval(__u32 family, __u32 ifindex,
					const __be32 *src, const __be32 *dst,
					struct xr_route **route)
{
	__u32 words = family ? 4 : 1, b, base, n, i, k, key = family;
	struct xr_route *main = *route;
	struct xr_rule_head *h;
	struct xr_ip_rule *r;

	if (main && main->action == XR_ROUTE_LOCAL)
		return XR_FORWARD; /* the local rule's: punted as local */
	/* A copy for the key: with family's own address taken, the compiler
	 * reloads it from that 4-byte slot, where 6.12's verifier no longer
	 * knows it is constant, and walks the IPv6 lookup with an IPv4
	 * packet's bounds ("invalid access to packet"). */
	h = bpf_map_lookup_elem(&rule_heads, &key);
	if (!h)
		return XR_PUNT_IP_RULE;
	b = h->bank & (XR_RULE_BANKS - 1);
	base = (family * XR_RULE_BANKS + b) * XR_RULES_MAX;
	n = h->n[b];
	for (i = 0; i < XR_RULES_MAX; i++) {
		if (i >= n)
			break;
		k = base + i;
		r = bpf_map_lookup_elem(&ip_rules, &k);
		if (!r)
			return XR_PUNT_IP_RULE;
		if (!rule_matches(r, ifindex, src, dst, words))
			continue;
		if (r->action == XR_RULE_MAIN)
			return main ? XR_FORWARD : XR_PUNT_IP_RULE;
		if (r->action == XR_RULE_TABLE)
			return rule_table(r, family, dst, route);
		if (r->action == XR_RULE_BLACKHOLE && main &&
		    main->action != XR_ROUTE_CONNECTED)
			return XR_DROP_IP_RULE;
		return XR_PUNT_IP_RULE;
	}
	return XR_FORWARD;
}

#endif /* XR_BPF_RULES_H */
