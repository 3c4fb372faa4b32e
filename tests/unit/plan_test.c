// SPDX-License-Identifier: GPL-2.0-only
/* The plan's pure logic (dataplane/kernel/plan.c): nothing is proven until
 * every expected source has been read, statements OR per interface, a
 * restatement replaces the old one, and a lost statement punts. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "xdp_router_abi.h"
#include "kernel/plan.h"
#include "kernel/ct_sysctl.h"
#include "unit_test.h"

static int changes;

static void count_change(void *arg)
{
	(void)arg;
	changes++;
}

static void test_nothing_proven_until_read(void)
{
	struct plan *pl = plan_new();

	CHECK_EQ(plan_flags(pl, 3), 0);
	plan_expect(pl, XR_PLAN_NETCONF);
	plan_expect(pl, XR_PLAN_NFTABLES);
	CHECK(!plan_complete(pl));
	CHECK_EQ(plan_flags(pl, 3), XR_IF_PLAN_PUNT_ALL);
	plan_begin(pl, XR_PLAN_NETCONF);
	plan_commit(pl, XR_PLAN_NETCONF);
	CHECK_EQ(plan_flags(pl, 3), XR_IF_PLAN_PUNT_ALL);
	plan_begin(pl, XR_PLAN_NFTABLES);
	plan_commit(pl, XR_PLAN_NFTABLES);
	CHECK(plan_complete(pl));
	CHECK_EQ(plan_flags(pl, 3), 0);
	plan_free(pl);
}

static void test_statements_or_and_restate(void)
{
	struct plan *pl = plan_new();

	plan_set_listener(pl, count_change, NULL);
	changes = 0;
	plan_begin(pl, XR_PLAN_NETCONF);
	plan_set(pl, XR_PLAN_NETCONF, 3, XR_IF_F_RPF_STRICT_V4, "rp_filter=1");
	plan_set(pl, XR_PLAN_NETCONF, 4, XR_IF_F_NOFWD_V4, "forwarding=0");
	plan_commit(pl, XR_PLAN_NETCONF);
	plan_begin(pl, XR_PLAN_XFRM);
	plan_set(pl, XR_PLAN_XFRM, XR_PLAN_ALL_IFACES,
		 XR_IF_F_PUNT_IN_V4 | XR_IF_F_INGRESS, "xfrm: 1 policy");
	plan_commit(pl, XR_PLAN_XFRM);
	CHECK_EQ(changes, 2);
	/* Bits outside the plan's mask are not the plan's to set. */
	CHECK_EQ(plan_flags(pl, 3), XR_IF_F_RPF_STRICT_V4 | XR_IF_F_PUNT_IN_V4);
	CHECK_EQ(plan_flags(pl, 4), XR_IF_F_NOFWD_V4 | XR_IF_F_PUNT_IN_V4);
	CHECK_EQ(plan_flags(pl, 5), XR_IF_F_PUNT_IN_V4);

	/* The same statement again changes nothing and says nothing. */
	plan_begin(pl, XR_PLAN_XFRM);
	plan_set(pl, XR_PLAN_XFRM, XR_PLAN_ALL_IFACES, XR_IF_F_PUNT_IN_V4,
		 "xfrm: 1 policy");
	plan_commit(pl, XR_PLAN_XFRM);
	CHECK_EQ(changes, 2);
	/* A restatement replaces: the policy is gone. */
	plan_begin(pl, XR_PLAN_XFRM);
	plan_commit(pl, XR_PLAN_XFRM);
	CHECK_EQ(changes, 3);
	CHECK_EQ(plan_flags(pl, 5), 0);
	CHECK_EQ(plan_flags(pl, 3), XR_IF_F_RPF_STRICT_V4);
	plan_free(pl);
}

static int seen;

static void count_why(void *arg, enum xr_plan_source src, uint32_t flags,
		      const char *why)
{
	(void)arg;
	(void)flags;
	if (src == XR_PLAN_NETCONF && !strcmp(why, "rp_filter=1"))
		seen++;
}

static void test_foreach_names_the_object(void)
{
	struct plan *pl = plan_new();

	plan_begin(pl, XR_PLAN_NETCONF);
	plan_set(pl, XR_PLAN_NETCONF, 3, XR_IF_F_RPF_STRICT_V4, "rp_filter=1");
	plan_commit(pl, XR_PLAN_NETCONF);
	seen = 0;
	plan_foreach(pl, 3, count_why, NULL);
	CHECK_EQ(seen, 1);
	seen = 0;
	plan_foreach(pl, 4, count_why, NULL);
	CHECK_EQ(seen, 0);
	CHECK(!strcmp(plan_flag_name(XR_IF_F_RPF_STRICT_V4),
		      "rp-filter-strict"));
	CHECK(plan_flag_name(XR_IF_F_UP) == NULL);
	CHECK(!strcmp(plan_source_name(XR_PLAN_NFTABLES), "nftables"));
	plan_free(pl);
}

static char last_why[XR_PLAN_WHY_MAX];

static void keep_why(void *arg, enum xr_plan_source src, uint32_t flags,
		     const char *why)
{
	(void)arg;
	(void)flags;
	if (src == XR_PLAN_CONNTRACK)
		snprintf(last_why, sizeof(last_why), "%s", why);
}

/* tcp_be_liberal: TCP of conntrack-checked pairs punts on every interface
 * unless the kernel is liberal itself; unreadable is strict. */
static void test_tcp_be_liberal_gates_tcp(void)
{
	struct plan *pl = plan_new();

	plan_expect(pl, XR_PLAN_CONNTRACK);
	plan_expect(pl, XR_PLAN_NFTABLES);
	plan_begin(pl, XR_PLAN_NFTABLES);
	plan_commit(pl, XR_PLAN_NFTABLES);
	ct_sysctl_state(pl, 0);
	/* no conntrack check on the row: nothing to gate, nothing said */
	CHECK_EQ(plan_flags(pl, 7), 0);
	plan_foreach(pl, 7, keep_why, NULL);
	CHECK(!last_why[0]);
	plan_begin(pl, XR_PLAN_NFTABLES);
	plan_set(pl, XR_PLAN_NFTABLES, 7, XR_IF_F_CT_IN_V4, "forward");
	plan_commit(pl, XR_PLAN_NFTABLES);
	CHECK_EQ(plan_flags(pl, 7), XR_IF_F_CT_IN_V4 | XR_IF_F_CT_TCP_STRICT);
	CHECK_EQ(plan_flags(pl, 8), 0);
	plan_foreach(pl, 7, keep_why, NULL);
	CHECK(!strcmp(last_why,
		      "sysctl net.netfilter.nf_conntrack_tcp_be_liberal=0"));
	ct_sysctl_state(pl, 1);
	CHECK_EQ(plan_flags(pl, 7), XR_IF_F_CT_IN_V4);
	ct_sysctl_state(pl, -1);
	CHECK_EQ(plan_flags(pl, 7), XR_IF_F_CT_IN_V4 | XR_IF_F_CT_TCP_STRICT);
	CHECK(!strcmp(plan_flag_name(XR_IF_F_CT_TCP_STRICT),
		      "conntrack-tcp-window-strict"));
	plan_free(pl);
}

int main(void)
{
	RUN(test_nothing_proven_until_read);
	RUN(test_statements_or_and_restate);
	RUN(test_foreach_names_the_object);
	RUN(test_tcp_be_liberal_gates_tcp);
	return unit_done();
}
