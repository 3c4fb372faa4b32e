// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The xdp-router fast path: forward the plain common case of routed IPv4
 * and IPv6 at XDP, hand everything else to the kernel with its reason
 * counted. The pipeline reads top to bottom:
 *
 *   parse Ethernet (and one 802.1Q tag) -> sanity checks -> the plan's ingress
 * gate -> LPM lookup
 *   -> ip rules, where the plan asks -> nexthop/group/neighbour -> egress
 *   checks and the plan's egress gate -> uRPF where rp_filter is on ->
 * conntrack, where the plan asks (established flows only) -> rewrite (TTL,
 * MACs, the egress's VLAN tag) -> redirect through tx_ports, by the egress
 * interface's slot
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "xdp_router_abi.h"
#include "map_defs.h"
#include "parse.h"
#include "csum.h"
#include "flow_hash.h"
#include "counters.h"
#include "lookup.h"
#include "plan_gates.h"
#include "conntrack.h"
#include "urpf.h"
#include "rules.h"
#include "flow_sample.h"
#include "vlan.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by the loader before load; recorded in .rodata for the CLI. */
const volatile __u32 xr_abi_version = XR_ABI_VERSION;

struct pkt {
	struct xdp_md *ctx;
	struct cursor c;
	struct ethhdr *eth;
	struct xr_iface *in;
	/* The interface the frame is routed as arriving on: the port, or
	 * the sub-interface its 802.1Q tag names (vlan.h). */
	__u32 in_ifindex;
	/* Ethernet's header, and the tag's when it had one */
	__u32 l2_len;
	/* The linear part, until a datagram claims more (datagram_fits) */
	__u64 frame_len;
	struct egress out;
};

static __always_inline int reason_action(__u32 reason)
{
	switch (reason) {
#define XR_REASON_CASE(name, str, action) \
	case XR_##name:                   \
		return action;
		XR_REASONS(XR_REASON_CASE)
#undef XR_REASON_CASE
	}
	return XDP_PASS;
}

/* First 4 bytes after the IP header (the ports), 0 if absent. */
static __always_inline __u32 l4_ports(struct cursor *c, __u8 proto)
{
	__u32 *p = c->pos;

	if (!proto_has_ports(proto) || (void *)(p + 1) > c->end)
		return 0;
	return *p;
}

/* Egress checks and the L2 rewrite shared by both families. l3_len is the
 * IP datagram's length, compared with the egress MTU. */
static __always_inline __u32 egress_prepare(struct pkt *p, __u32 l3_len,
					    struct xr_iface **eif, int v6)
{
	__u32 reason = XR_FORWARD;
	__u32 mtu;

	*eif = egress_check(p->out.ifindex, &reason);
	if (!*eif)
		return reason;
	p->out.slot = (*eif)->slot;
	mtu = p->out.mtu ? p->out.mtu : (*eif)->mtu;
	if (l3_len > mtu)
		return XR_PUNT_MTU;
	return plan_egress(p->in, *eif, p->in_ifindex, p->out.ifindex, v6);
}

/*
 * Whether an IP datagram of l3_len bytes fits in the frame. Only a
 * multi-buffer frame can hold more than its linear part, so the kernel is
 * asked for the whole length only then, and a linear frame saves the
 * helper call.
 */
static __always_inline int datagram_fits(struct pkt *p, __u32 l3_len)
{
	if (l3_len <= p->frame_len - p->l2_len)
		return 1;
	p->frame_len = bpf_xdp_get_buff_len(p->ctx);
	return l3_len <= p->frame_len - p->l2_len;
}

/* The last write: after a tag is pushed or popped, no packet pointer holds. */
static __always_inline __u32 l2_rewrite(struct pkt *p, struct xr_iface *eif)
{
	if (xr_features.vlan && (eif->vlan_tci || p->l2_len != sizeof(*p->eth)))
		return vlan_l2_rewrite(p->ctx, p->l2_len != sizeof(*p->eth),
				       eif->vlan_tci, p->out.dmac, eif->mac);
	mac_copy(p->eth->h_dest, p->out.dmac);
	mac_copy(p->eth->h_source, eif->mac);
	return XR_FORWARD;
}

static __always_inline __u32 route_ipv4(struct pkt *p)
{
	struct xr_iface *eif;
	struct xr_route *r;
	struct iphdr *iph;
	__u32 tot_len, hash = 0, reason;

	iph = CURSOR_TAKE(&p->c, struct iphdr);
	if (!iph || iph->version != 4 || iph->ihl < 5)
		return XR_PUNT_BAD_HEADER;
	if (iph->ihl > 5)
		return XR_PUNT_OPTIONS;
	if (!ipv4_csum_ok(iph))
		return XR_PUNT_BAD_HEADER;
	tot_len = bpf_ntohs(iph->tot_len);
	if (tot_len < sizeof(*iph) || !datagram_fits(p, tot_len))
		return XR_PUNT_BAD_HEADER;
	if (iph->frag_off & bpf_htons(0x3fff)) /* MF or an offset */
		return XR_PUNT_FRAGMENT;
	if (ipv4_maybe_special(iph->saddr) || ipv4_maybe_special(iph->daddr)) {
		reason = ipv4_addr_reason(iph->saddr, iph->daddr);
		if (reason != XR_FORWARD)
			return reason;
	}
	if (iph->ttl <= 1)
		return XR_PUNT_TTL;
	reason = plan_ingress(p->in, 0);
	if (reason != XR_FORWARD)
		return reason;

	r = route4_lookup(p->in->vrf, iph->daddr);
	if (p->in->flags & XR_IF_F_RULE_CHECK_V4) {
		reason = rules_eval(0, p->in_ifindex, &iph->saddr, &iph->daddr,
				    &r);
		if (reason != XR_FORWARD)
			return reason;
	}
	if (!r)
		return XR_PUNT_NO_ROUTE;
	if (r->action == XR_ROUTE_GROUP)
		hash = flow_hash_v4(iph->saddr, iph->daddr, iph->protocol,
				    l4_ports(&p->c, iph->protocol));
	reason = route_resolve(r, hash, AF_INET, &iph->daddr, 4, &p->out);
	if (reason != XR_FORWARD)
		return reason;
	reason = egress_prepare(p, tot_len, &eif, 0);
	if (reason != XR_FORWARD)
		return reason;
	if (p->in->flags & XR_RPF_V4) {
		reason = urpf_v4(p->in, eif, p->in_ifindex, iph->saddr);
		if (reason != XR_FORWARD)
			return reason;
	}
	if (plan_wants_ct(p->in, eif, 0)) {
		reason = ct_check_v4(p->ctx, &p->c, iph,
				     plan_tcp_strict(p->in, eif));
		if (reason != XR_FORWARD)
			return reason;
	}

	ipv4_decrease_ttl(iph);
	return l2_rewrite(p, eif);
}

static __always_inline int icmp6_is_nd(struct cursor *c)
{
	struct icmp6hdr *icmp = c->pos;

	if ((void *)(icmp + 1) > c->end)
		return 0;
	return icmp->icmp6_type >= ND_ROUTER_SOLICIT &&
	       icmp->icmp6_type <= ND_REDIRECT;
}

static __always_inline __u32 route_ipv6(struct pkt *p)
{
	struct xr_iface *eif;
	struct ipv6hdr *ip6h;
	struct xr_route *r;
	__u32 l3_len, hash = 0, reason;

	if (!xr_features.ipv6)
		return XR_PUNT_FEATURE_OFF;
	ip6h = CURSOR_TAKE(&p->c, struct ipv6hdr);
	if (!ip6h || ip6h->version != 6)
		return XR_PUNT_BAD_HEADER;
	l3_len = sizeof(*ip6h) + bpf_ntohs(ip6h->payload_len);
	if (ip6h->nexthdr == IPPROTO_HOPOPTS)
		return XR_PUNT_OPTIONS;
	if (!datagram_fits(p, l3_len))
		return XR_PUNT_BAD_HEADER;
	if (ip6h->nexthdr == IPPROTO_FRAGMENT)
		return XR_PUNT_FRAGMENT;
	if (ip6h->nexthdr == IPPROTO_ICMPV6 && icmp6_is_nd(&p->c))
		return XR_PUNT_ND;
	if (ipv6_maybe_special(&ip6h->saddr) ||
	    ipv6_maybe_special(&ip6h->daddr)) {
		reason = ipv6_addr_reason(&ip6h->saddr, &ip6h->daddr);
		if (reason != XR_FORWARD)
			return reason;
	}
	if (ip6h->hop_limit <= 1)
		return XR_PUNT_TTL;
	reason = plan_ingress(p->in, 1);
	if (reason != XR_FORWARD)
		return reason;

	r = route6_lookup(p->in->vrf, &ip6h->daddr);
	if (p->in->flags & XR_IF_F_RULE_CHECK_V6) {
		reason = rules_eval(1, p->in_ifindex,
				    ip6h->saddr.in6_u.u6_addr32,
				    ip6h->daddr.in6_u.u6_addr32, &r);
		if (reason != XR_FORWARD)
			return reason;
	}
	if (!r)
		return XR_PUNT_NO_ROUTE;
	if (r->action == XR_ROUTE_GROUP)
		hash = flow_hash_v6(ip6h->saddr.in6_u.u6_addr32,
				    ip6h->daddr.in6_u.u6_addr32, ip6h->nexthdr,
				    l4_ports(&p->c, ip6h->nexthdr));
	reason = route_resolve(r, hash, AF_INET6, &ip6h->daddr, 16, &p->out);
	if (reason != XR_FORWARD)
		return reason;
	reason = egress_prepare(p, l3_len, &eif, 1);
	if (reason != XR_FORWARD)
		return reason;
	if (plan_wants_ct(p->in, eif, 1)) {
		reason = ct_check_v6(p->ctx, &p->c, ip6h,
				     plan_tcp_strict(p->in, eif));
		if (reason != XR_FORWARD)
			return reason;
	}

	ip6h->hop_limit--;
	return l2_rewrite(p, eif);
}

static __always_inline __u32 route_frame(struct pkt *p)
{
	__be16 proto;
	__u32 reason;

	p->eth = CURSOR_TAKE(&p->c, struct ethhdr);
	if (!p->eth)
		return XR_DROP_MALFORMED;
	proto = p->eth->h_proto;
	if (proto == bpf_htons(ETH_P_ARP))
		return XR_PUNT_ARP;
	if (proto != bpf_htons(ETH_P_IP) && proto != bpf_htons(ETH_P_IPV6)) {
		reason = vlan_ingress(&p->c, &proto, &p->in_ifindex);
		if (reason != XR_FORWARD)
			return reason;
		p->l2_len += sizeof(struct vlan_hdr);
	}
	if (mac_is_multicast(p->eth->h_dest))
		return XR_PUNT_MCAST;
	p->in = iface_lookup(p->in_ifindex);
	if (!p->in)
		return XR_PUNT_INGRESS_UNKNOWN;
	/* A router only routes what is addressed to it at L2. */
	if (!mac_equal(p->eth->h_dest, p->in->mac))
		return XR_PUNT_OTHER_HOST;
	if (proto == bpf_htons(ETH_P_IP))
		return route_ipv4(p);
	return route_ipv6(p);
}

SEC("xdp.frags")
int xdp_router(struct xdp_md *ctx)
{
	struct pkt p = {
		.ctx = ctx,
		.c =
			{
				.pos = (void *)(long)ctx->data,
				.end = (void *)(long)ctx->data_end,
			},
		.in_ifindex = ctx->ingress_ifindex,
		.l2_len = sizeof(struct ethhdr),
		.frame_len = ctx->data_end - ctx->data,
	};
	__u32 reason = route_frame(&p);
	int action = reason_action(reason);

	if (action == XDP_REDIRECT) {
		action = bpf_redirect_map(&tx_ports, p.out.slot, 0);
		if (action != XDP_REDIRECT) {
			/* The port left tx_ports after our check; the frame
			 * is already rewritten, so it may not go to the
			 * kernel. */
			reason = XR_DROP_TX_FAILED;
			action = XDP_DROP;
		}
	}
	/* A forwarded frame's datagram fit in frame_len, which is the whole
	 * frame but for a trailer in fragments no driver makes. A punted
	 * frame's stack costs far more than asking for its length. */
	if (action != XDP_REDIRECT)
		p.frame_len = bpf_xdp_get_buff_len(ctx);
	flow_sample_record(ctx, action, reason, p.in ? p.in->slot : 0,
			   p.in_ifindex, p.out.ifindex, p.frame_len);
	counters_record(action, reason, p.in ? p.in->slot : 0, p.out.slot,
			p.frame_len);
	return action;
}
