// SPDX-License-Identifier: GPL-2.0-only
/* kernel/vlan_links.c without a kernel (this one may have no 8021q): which
 * vlan links the fast path takes, and the row a taken one is routed by. */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_vlan.h>

#include "kernel/vlan_links.h"
#include "unit_test.h"

static struct kstate_vlan plain(void)
{
	return (struct kstate_vlan){
		.is_vlan = true,
		.id = 10,
		.protocol = ETH_P_8021Q,
		.flags = VLAN_FLAG_REORDER_HDR,
		.parent = 4,
	};
}

static void test_taken(void)
{
	struct kstate_vlan v = plain();

	CHECK(!vlan_refusal(&v));
	v.flags |= VLAN_FLAG_GVRP | VLAN_FLAG_MVRP | VLAN_FLAG_LOOSE_BINDING |
		   VLAN_FLAG_BRIDGE_BINDING;
	CHECK(!vlan_refusal(&v));
	v.id = 4094;
	CHECK(!vlan_refusal(&v));
}

static void test_refused(void)
{
	struct kstate_vlan v;

	v = plain();
	v.is_vlan = false;
	CHECK(vlan_refusal(&v));
	v = plain();
	v.protocol = ETH_P_8021AD;
	CHECK(vlan_refusal(&v));
	v = plain();
	v.protocol = 0; /* no IFLA_VLAN_PROTOCOL: unknown, not assumed */
	CHECK(vlan_refusal(&v));
	v = plain();
	v.id = 0;
	CHECK(vlan_refusal(&v));
	v = plain();
	v.id = 4095;
	CHECK(vlan_refusal(&v));
	v = plain();
	v.flags = 0; /* reorder_hdr off */
	CHECK(vlan_refusal(&v));
	v = plain();
	v.flags |= 0x20; /* a flag of a later kernel */
	CHECK(vlan_refusal(&v));
	v = plain();
	v.qos_maps = true;
	CHECK(vlan_refusal(&v));
	v = plain();
	v.parent_other_netns = true;
	CHECK(vlan_refusal(&v));
	v = plain();
	v.parent = 0;
	CHECK(vlan_refusal(&v));
}

static void test_row(void)
{
	struct kstate_vlan v = plain();
	struct vlan_sub sub = {.mac = {2, 0, 0, 0, 0x10, 1},
			       .mtu = 1496,
			       .up = true,
			       .vrf = 7};
	struct xr_iface parent = {
		.mac = {2, 0, 0, 0, 0, 1},
		.mtu = 1500,
		.flags = XR_IF_F_INGRESS | XR_IF_F_UP | XR_IF_F_TX |
			 XR_IF_F_PUNT_IN_V6 | XR_IF_F_RPF_STRICT_V4 |
			 XR_IF_F_NOFWD_V4,
		.slot = 3,
	};
	struct xr_iface r;

	vlan_row(&v, &sub, XR_IF_F_CT_IN_V4 | XR_IF_F_TX, &parent, &r);
	CHECK(!memcmp(r.mac, sub.mac, 6));
	CHECK_EQ(r.mtu, 1496);
	CHECK_EQ(ntohl(r.vrf), 7);
	CHECK_EQ(ntohs(r.vlan_tci), 10); /* priority 0 */
	CHECK_EQ(r.slot, 0);		 /* the map layer's */
	/* its own plan; of the parent's, only the punts its hooks make:
	 * not the parent's sysctls */
	CHECK_EQ(r.flags, XR_IF_F_INGRESS | XR_IF_F_UP | XR_IF_F_TX |
				  XR_IF_F_CT_IN_V4 | XR_IF_F_PUNT_IN_V6);

	parent.flags &= ~XR_IF_F_TX;
	vlan_row(&v, &sub, 0, &parent, &r);
	CHECK_EQ(r.flags & (XR_IF_F_UP | XR_IF_F_TX), XR_IF_F_UP);
	parent.flags |= XR_IF_F_TX;
	parent.flags &= ~XR_IF_F_UP; /* loose binding: the VLAN stays up */
	vlan_row(&v, &sub, 0, &parent, &r);
	CHECK_EQ(r.flags & (XR_IF_F_UP | XR_IF_F_TX), 0);
	parent.flags |= XR_IF_F_UP;
	sub.up = false;
	vlan_row(&v, &sub, 0, &parent, &r);
	CHECK_EQ(r.flags & (XR_IF_F_UP | XR_IF_F_TX), 0);
}

int main(void)
{
	RUN(test_taken);
	RUN(test_refused);
	RUN(test_row);
	return unit_done();
}
