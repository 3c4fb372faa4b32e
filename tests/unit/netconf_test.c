// SPDX-License-Identifier: GPL-2.0-only
/* The sysctl rules of kernel/netconf.c that need no kernel: rp_filter is
 * max(all, device) (IN_DEV_MAXCONF), and loose on a device without an IPv4
 * address acts as strict (fib_validate_source's no_addr goes to its last
 * resort, which drops unless the route back is through the ingress). */
#include "xdp_router_abi.h"
#include "kernel/netconf.h"
#include "unit_test.h"

static void test_rp_filter_is_the_max(void)
{
	CHECK_EQ(netconf_rpf_flags(0, 0, true), 0);
	CHECK_EQ(netconf_rpf_flags(1, 0, true), XR_IF_F_RPF_STRICT_V4);
	CHECK_EQ(netconf_rpf_flags(0, 1, true), XR_IF_F_RPF_STRICT_V4);
	CHECK_EQ(netconf_rpf_flags(2, 0, true), XR_IF_F_RPF_LOOSE_V4);
	/* max(2, 1) = 2: the device's strict loses to all's loose */
	CHECK_EQ(netconf_rpf_flags(2, 1, true), XR_IF_F_RPF_LOOSE_V4);
	CHECK_EQ(netconf_rpf_flags(1, 2, true), XR_IF_F_RPF_LOOSE_V4);
}

static void test_loose_without_address_is_strict(void)
{
	CHECK_EQ(netconf_rpf_flags(0, 2, false), XR_IF_F_RPF_STRICT_V4);
	CHECK_EQ(netconf_rpf_flags(2, 0, false), XR_IF_F_RPF_STRICT_V4);
	CHECK_EQ(netconf_rpf_flags(0, 0, false), 0);
}

int main(void)
{
	RUN(test_rp_filter_is_the_max);
	RUN(test_loose_without_address_is_strict);
	return unit_done();
}
