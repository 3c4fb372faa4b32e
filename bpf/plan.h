/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The plan's gates (XR_IF_PLAN_FLAGS in xdp_router_abi.h): what the
 * kernel's configuration lets the fast path do with a packet, read from the
 * ingress and egress rows the program already holds. With no plan bit set
 * for the family each gate is one test of a word in cache.
 */
#ifndef XR_BPF_PLAN_H
#define XR_BPF_PLAN_H

#include "xdp_router_abi.h"

#define XR_PLAN_IN_V4 (XR_IF_F_NOFWD_V4 | XR_IF_F_PUNT_IN_V4 | XR_IF_F_RULES_V4)
#define XR_PLAN_IN_V6 (XR_IF_F_NOFWD_V6 | XR_IF_F_PUNT_IN_V6 | XR_IF_F_RULES_V6)

/* Before the lookup: what the ingress alone decides. */
static __always_inline __u32 plan_ingress(const struct xr_iface *in, int v6)
{
	__u32 f = in->flags & (v6 ? XR_PLAN_IN_V6 : XR_PLAN_IN_V4);

	if (__builtin_expect(!f, 1))
		return XR_FORWARD;
	/* The kernel does not forward from here (it may still deliver). */
	if (f & (XR_IF_F_NOFWD_V4 | XR_IF_F_NOFWD_V6))
		return XR_PUNT_FORWARDING_OFF;
	if (f & (XR_IF_F_PUNT_IN_V4 | XR_IF_F_PUNT_IN_V6))
		return XR_PUNT_POLICY_IN;
	/* an ip rule other than the kernel's may choose another table */
	return XR_PUNT_IP_RULE;
}

/* After the lookup: what the egress decides, and the pair. A hairpinned
 * packet punts while the ingress sends redirects: the kernel forwards it
 * and tells the sender of the better gateway. */
static __always_inline __u32 plan_egress(const struct xr_iface *in,
					 const struct xr_iface *out,
					 __u32 in_ifindex, __u32 out_ifindex,
					 int v6)
{
	if (out->flags & (v6 ? XR_IF_F_PUNT_OUT_V6 : XR_IF_F_PUNT_OUT_V4))
		return XR_PUNT_POLICY_OUT;
	if (in_ifindex == out_ifindex &&
	    (in->flags & (v6 ? XR_IF_F_REDIRECTS_V6 : XR_IF_F_REDIRECTS_V4)))
		return XR_PUNT_HAIRPIN;
	return XR_FORWARD;
}

#endif /* XR_BPF_PLAN_H */
