/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * 802.1Q sub-interfaces for the fast path (bpf/vlan.h): whether the
 * program can treat a vlan link as the kernel's vlan device does, and the
 * row it is routed by. Pure: kernel/ports.c keeps them in step with the
 * links and writes the maps (ifaces, tx_ports by way of the parent,
 * vlan_rx).
 */
#ifndef XR_VLAN_LINKS_H
#define XR_VLAN_LINKS_H

#include <stdbool.h>
#include <stdint.h>

#include "xdp_router_abi.h"

/* A vlan link's IFLA_LINKINFO and IFLA_LINK, as kernel_state reads them. */
struct kstate_vlan {
	bool is_vlan;
	uint16_t id;		 /* IFLA_VLAN_ID */
	uint16_t protocol;	 /* IFLA_VLAN_PROTOCOL, host order */
	uint32_t flags;		 /* IFLA_VLAN_FLAGS: VLAN_FLAG_* */
	bool qos_maps;		 /* an ingress or egress priority mapping */
	uint32_t parent;	 /* IFLA_LINK */
	bool parent_other_netns; /* IFLA_LINK_NETNSID: not ours to see */
};

/* The sub-interface's own facts, from its link. */
struct vlan_sub {
	uint8_t mac[6];
	uint32_t mtu;
	bool up;
	uint32_t vrf;
};

/* NULL when the fast path can take the VLAN, else why not (for the log). */
const char *vlan_refusal(const struct kstate_vlan *v);

/*
 * The sub-interface's row, from its facts, its own plan flags and its
 * parent's row: up only while both are, able to transmit while the parent
 * is, and with the parent's policy punts, as the parent's tc and netdev
 * hooks see the tagged frames before the vlan device does.
 */
void vlan_row(const struct kstate_vlan *v, const struct vlan_sub *sub,
	      uint32_t plan, const struct xr_iface *parent,
	      struct xr_iface *out);

#endif /* XR_VLAN_LINKS_H */
