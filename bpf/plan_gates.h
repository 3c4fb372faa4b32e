/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The plan's gates (XR_IF_PLAN_FLAGS in xdp_router_abi.h): what the
 * kernel's configuration lets the fast path do with a packet, read from the
 * ingress and egress rows the program already holds. With no plan bit set
 * for the family each gate is one test of a word in cache. Pure functions
 * of the two rows: xdp-routerctl lookup (cli/fastpath_verdict.c) calls the
 * same ones on the rows it reads from the maps.
 */
#ifndef XR_BPF_PLAN_GATES_H
#define XR_BPF_PLAN_GATES_H

#include "xdp_router_abi.h"

#ifndef __always_inline /* userspace: bpf_helpers.h defines it for BPF */
#define __always_inline inline __attribute__((always_inline))
#endif

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

/* uRPF on the ingress (bpf/urpf.h), from max(all, device) rp_filter. */
#define XR_RPF_V4 (XR_IF_F_RPF_STRICT_V4 | XR_IF_F_RPF_LOOSE_V4)

/* The kernel's reverse lookup runs through the ip rules, with iif = our
 * egress: where either row has rules the maps cannot prove the source. */
static __always_inline int plan_rpf_through_rules(const struct xr_iface *in,
						  const struct xr_iface *out)
{
	return (in->flags | out->flags) &
	       (XR_IF_F_RULES_V4 | XR_IF_F_RULE_CHECK_V4);
}

/* Does the plan ask for a conntrack check on this ingress/egress pair? */
static __always_inline int plan_wants_ct(const struct xr_iface *in,
					 const struct xr_iface *out, int v6)
{
	return (in->flags & (v6 ? XR_IF_F_CT_IN_V6 : XR_IF_F_CT_IN_V4)) ||
	       (out->flags & (v6 ? XR_IF_F_CT_OUT_V6 : XR_IF_F_CT_OUT_V4));
}

#endif /* XR_BPF_PLAN_GATES_H */
