// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_vlan.h>

#include "kernel/vlan_links.h"

/* What changes nothing for a routed packet: GVRP and MVRP register VLANs
 * with control frames (punted as not IP); loose and bridge binding only
 * decide how the device's operstate follows others', and the row is up
 * only while the parent is too. */
#define VLAN_FLAGS_HONOURED                                                 \
	(VLAN_FLAG_REORDER_HDR | VLAN_FLAG_GVRP | VLAN_FLAG_LOOSE_BINDING | \
	 VLAN_FLAG_MVRP | VLAN_FLAG_BRIDGE_BINDING)

const char *vlan_refusal(const struct kstate_vlan *v)
{
	if (!v->is_vlan)
		return "not a vlan link";
	if (v->protocol != ETH_P_8021Q)
		return "not 802.1Q (802.1ad and QinQ stay with the kernel)";
	if (v->id == 0 || v->id >= XR_VLAN_VID_MASK)
		return "VID out of range";
	if (v->parent_other_netns || !v->parent)
		return "its parent is in another namespace";
	/* Without it the kernel hands the stack the frame with its tag
	 * in place, for taps and for packet sockets on the device. */
	if (!(v->flags & VLAN_FLAG_REORDER_HDR))
		return "reorder_hdr is off";
	if (v->flags & ~VLAN_FLAGS_HONOURED)
		return "flags the fast path does not know";
	/* The tag's priority would follow a mapping of skb priorities the
	 * program does not see; it sends priority 0, the kernel's with none. */
	if (v->qos_maps)
		return "an ingress or egress qos map is set";
	return NULL;
}

void vlan_row(const struct kstate_vlan *v, const struct vlan_sub *sub,
	      uint32_t plan, const struct xr_iface *parent,
	      struct xr_iface *out)
{
	const uint32_t parent_punts = XR_IF_F_PUNT_IN_V4 | XR_IF_F_PUNT_IN_V6 |
				      XR_IF_F_PUNT_OUT_V4 | XR_IF_F_PUNT_OUT_V6;
	bool up = sub->up && (parent->flags & XR_IF_F_UP);

	memset(out, 0, sizeof(*out));
	memcpy(out->mac, sub->mac, 6);
	out->mtu = sub->mtu;
	out->vrf = htonl(sub->vrf);
	out->vlan_tci = htons(v->id);
	/* the program routes its frames, though attached to the parent */
	out->flags = XR_IF_F_INGRESS;
	if (up)
		out->flags |= XR_IF_F_UP;
	if (up && (parent->flags & XR_IF_F_TX))
		out->flags |= XR_IF_F_TX;
	out->flags |= (plan & XR_IF_PLAN_MASK) | (parent->flags & parent_punts);
}
