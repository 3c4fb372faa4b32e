/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * 802.1Q sub-interfaces. Ingress: a frame with one 802.1Q tag is routed as
 * if it had arrived on the sub-interface vlan_rx names for (port, VID), as
 * the kernel's vlan_do_receive hands it to the vlan device; what the
 * kernel would treat otherwise punts: a second tag or an 802.1ad outer tag
 * (QinQ), VID 0 (priority-tagged: the kernel delivers it untagged to the
 * port), a (port, VID) with no entry. Egress: a sub-interface's row
 * carries its tag (xr_iface.vlan_tci) and its slot's tx_ports entry is the
 * parent, so the frame leaves tagged through the parent; the tag is
 * pushed, rewritten or popped by what the frame came in with.
 */
#ifndef XR_BPF_VLAN_H
#define XR_BPF_VLAN_H

#include "lookup.h"
#include "parse.h"

#ifndef ETH_P_8021AD
#define ETH_P_8021AD 0x88A8
#endif

struct vlan_hdr {
	__be16 tci;
	__be16 proto; /* the encapsulated ethertype */
};

/* Ethernet with one tag, as it leaves through a sub-interface. */
struct vlan_ethhdr {
	__u8 dst[6];
	__u8 src[6];
	__be16 tpid;
	__be16 tci;
	__be16 proto;
};

/*
 * Called for an ethertype other than IPv4 and IPv6 only, so the untagged
 * path pays nothing. On XR_FORWARD, *proto is the encapsulated ethertype
 * and *ifindex the sub-interface's.
 */
static __always_inline __u32 vlan_ingress(struct cursor *c, __be16 *proto,
					  __u32 *ifindex)
{
	struct xr_vlan_key key = {.parent_ifindex = *ifindex};
	struct vlan_hdr *vh;
	__u32 *sub;

	if (*proto != bpf_htons(ETH_P_8021Q)) {
		if (*proto == bpf_htons(ETH_P_8021AD))
			return xr_features.vlan ? XR_PUNT_VLAN_STACKED
						: XR_PUNT_FEATURE_OFF;
		return XR_PUNT_NOT_IP;
	}
	if (!xr_features.vlan)
		return XR_PUNT_FEATURE_OFF;
	vh = CURSOR_TAKE(c, struct vlan_hdr);
	if (!vh)
		return XR_PUNT_VLAN_UNUSUAL; /* a tag cut short */
	if (vh->proto == bpf_htons(ETH_P_8021Q) ||
	    vh->proto == bpf_htons(ETH_P_8021AD))
		return XR_PUNT_VLAN_STACKED;
	key.vid = bpf_ntohs(vh->tci) & XR_VLAN_VID_MASK;
	if (!key.vid)
		return XR_PUNT_VLAN_PRIORITY;
	sub = bpf_map_lookup_elem(&vlan_rx, &key);
	if (!sub)
		return XR_PUNT_VLAN_UNKNOWN;
	*ifindex = *sub;
	*proto = vh->proto;
	if (*proto == bpf_htons(ETH_P_ARP))
		return XR_PUNT_ARP;
	if (*proto != bpf_htons(ETH_P_IP) && *proto != bpf_htons(ETH_P_IPV6))
		return XR_PUNT_NOT_IP;
	return XR_FORWARD;
}

/*
 * The L2 rewrite of a frame that came in tagged or leaves tagged: new
 * MACs and the egress's tag, in place, pushed before the MACs or popped
 * from behind them. The IP header is final by now; moving the head
 * invalidates the packet pointers, so nothing is read through them after.
 * A subprogram: the untagged path keeps its registers.
 */
static __noinline __u32 vlan_l2_rewrite(struct xdp_md *ctx, __u32 tagged_in,
					__be16 tci, const __u8 *dmac,
					const __u8 *smac)
{
	struct vlan_ethhdr *h;
	struct ethhdr *eth;
	int delta = 0;

	if (!tagged_in)
		delta = -(int)sizeof(struct vlan_hdr); /* push */
	else if (!tci)
		delta = sizeof(struct vlan_hdr); /* pop */
	if (delta < 0 && bpf_xdp_adjust_head(ctx, delta))
		/* no headroom: the IP header is already rewritten, so the
		 * frame may not go to the kernel */
		return XR_DROP_TX_FAILED;
	if (tci) {
		h = (void *)(long)ctx->data;
		if ((void *)(h + 1) > (void *)(long)ctx->data_end)
			return XR_DROP_TX_FAILED;
		mac_copy(h->dst, dmac);
		mac_copy(h->src, smac);
		h->tpid = bpf_htons(ETH_P_8021Q);
		h->tci = tci;
		return XR_FORWARD;
	}
	/* pop: the MACs just before the encapsulated ethertype */
	eth = (void *)(long)ctx->data + sizeof(struct vlan_hdr);
	if ((void *)(eth + 1) > (void *)(long)ctx->data_end)
		return XR_DROP_TX_FAILED;
	mac_copy(eth->h_dest, dmac);
	mac_copy(eth->h_source, smac);
	if (bpf_xdp_adjust_head(ctx, delta))
		return XR_DROP_TX_FAILED;
	return XR_FORWARD;
}

#endif /* XR_BPF_VLAN_H */
