// SPDX-License-Identifier: GPL-2.0-only
/*
 * xdp-routerctl's pure logic: typed arguments, the fast-path verdict over
 * fake maps and its comparison with the kernel, and rates.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <linux/rtnetlink.h> /* RTN_* of the kernel route compared with */

#include "cli.h"
#include "fastpath_verdict.h"
#include "params.h"
#include "stats_rates.h"
#include "unit_test.h"

struct args {
	int family;
	struct xr_prefix prefix;
	struct param_ifname in;
	unsigned int n;
	bool watch;
};

static const char *const fams[] = {"ipv4", "ipv6", NULL};
static const struct param params[] = {
	{"ipv4|ipv6", P_KEYWORD, offsetof(struct args, family), false, fams,
	 NULL},
	{"PREFIX", P_PREFIX, offsetof(struct args, prefix), false, NULL, NULL},
	{"--in", P_IFNAME, offsetof(struct args, in), false, NULL, NULL},
	{"--count", P_UINT, offsetof(struct args, n), false, NULL, NULL},
	{"--watch", P_FLAG, offsetof(struct args, watch), false, NULL, NULL},
	PARAM_END,
};

static int parse(const char *line, struct args *a)
{
	char buf[256], *argv[16], *save = NULL;
	int argc = 0;

	memset(a, 0, sizeof(*a));
	strcpy(buf, line);
	for (char *t = strtok_r(buf, " ", &save); t && argc < 16;
	     t = strtok_r(NULL, " ", &save))
		argv[argc++] = t;
	return params_parse(params, argc, argv, a, "test");
}

static void test_params(void)
{
	struct args a;

	CHECK_EQ(parse("ipv4 10.0.0.0/8", &a), 0);
	CHECK_EQ(a.family, 0);
	CHECK_EQ(a.prefix.len, 8);
	CHECK_EQ(parse("2001:db8::/32", &a), 0);
	CHECK_EQ(a.family, -1);
	CHECK_EQ(a.prefix.addr.family, AF_INET6);
	CHECK_EQ(parse("ipv6", &a), 0);
	CHECK_EQ(a.family, 1);
	CHECK_EQ(parse("--in lo --count 3 --watch", &a), 0);
	CHECK_EQ(a.in.ifindex, 1);
	CHECK_EQ(a.n, 3);
	CHECK(a.watch);
	CHECK_EQ(parse("10.0.0.0/33", &a), EXIT_ERR);
	CHECK_EQ(parse("10.0.0.1/8", &a), EXIT_ERR);
	CHECK_EQ(parse("--in nosuchif0", &a), EXIT_ERR);
	CHECK_EQ(parse("--count -1", &a), EXIT_ERR);
	CHECK_EQ(parse("--count", &a), EXIT_USAGE);
	CHECK_EQ(parse("--bogus", &a), EXIT_USAGE);
	CHECK_EQ(parse("10.0.0.0/8 10.1.0.0/16", &a), EXIT_USAGE);
}

/* Fake maps: one of each, enough for every branch. */
static struct xr_route fake_route;
static bool fake_route_found, nh_resolved = true, neigh_found, egress_tx = true;
/* The plan's flags of the ingress (ifindex 2) and of every other row. */
static uint32_t plan_in, plan_out;
static struct xr_ip_rule fake_rules[2];
static int n_fake_rules = -ENOENT;
static const uint8_t MAC_NH[6] = {2, 0, 0, 0, 0, 0x22};
static const uint8_t MAC_IF[6] = {2, 0, 0, 0, 0, 0x11};

static int f_route(void *arg, uint32_t vrf, const struct xr_addr *a,
		   struct xr_route *out)
{
	(void)arg, (void)vrf, (void)a;
	*out = fake_route;
	return fake_route_found ? 0 : -ENOENT;
}

static int f_nexthop(void *arg, uint32_t id, struct xr_nexthop *nh)
{
	(void)arg;
	memset(nh, 0, sizeof(*nh));
	nh->ifindex = 10 + id;
	nh->flags = XR_NH_F_GATEWAY | (nh_resolved ? XR_NH_F_RESOLVED : 0);
	nh->family = AF_INET;
	nh->gw[0] = 10, nh->gw[3] = id;
	memcpy(nh->dmac, MAC_NH, 6);
	return 0;
}

static int f_group(void *arg, uint32_t id, struct xr_nh_group *g)
{
	(void)arg, (void)id;
	memset(g, 0, sizeof(*g));
	g->n_members = 2;
	g->member[0] = 1, g->member[1] = 2;
	for (unsigned int b = 0; b < XR_GROUP_BUCKETS; b++)
		g->bucket[b] = b < 96 ? 0 : 1; /* weights 3:1 */
	return 0;
}

static int f_neigh(void *arg, uint32_t ifindex, const struct xr_addr *a,
		   uint8_t mac[6])
{
	(void)arg, (void)ifindex, (void)a;
	memcpy(mac, MAC_NH, 6);
	return neigh_found ? 0 : -ENOENT;
}

static int f_iface(void *arg, uint32_t ifindex, struct xr_iface *out)
{
	(void)arg;
	memset(out, 0, sizeof(*out));
	memcpy(out->mac, MAC_IF, 6);
	out->mtu = 1500;
	out->flags =
		XR_IF_F_UP | XR_IF_F_INGRESS | (egress_tx ? XR_IF_F_TX : 0);
	out->flags |= ifindex == 2 ? plan_in : plan_out;
	out->vrf = htonl(ifindex == 5 ? 7 : 0);
	return ifindex == 99 ? -ENOENT : 0;
}

static uint32_t f_ingress_plan(void *arg, uint32_t except)
{
	(void)arg;
	return except == 2 ? 0 : plan_in; /* the only ingress with a plan */
}

static int f_rules(void *arg, uint32_t family, struct xr_ip_rule *out,
		   unsigned int max)
{
	(void)arg, (void)family, (void)max;
	memcpy(out, fake_rules, sizeof(fake_rules));
	return n_fake_rules;
}

static const struct fp_ops ops = {.route = f_route,
				  .nexthop = f_nexthop,
				  .group = f_group,
				  .neigh = f_neigh,
				  .iface = f_iface,
				  .rules = f_rules,
				  .ingress_plan = f_ingress_plan};

static struct fp_result look_from(const char *addr, const char *src,
				  uint32_t in)
{
	struct fp_result r;
	struct xr_addr a, s;

	xr_addr_parse(addr, &a);
	if (src)
		xr_addr_parse(src, &s);
	fastpath_lookup(&ops, &a, src ? &s : NULL, in, &r);
	return r;
}

static struct fp_result look(const char *addr, uint32_t in)
{
	return look_from(addr, NULL, in);
}

static void test_verdicts(void)
{
	struct fp_result r;

	fake_route_found = false;
	CHECK_EQ(look("192.0.2.1", 0).reason, XR_PUNT_NO_ROUTE);
	CHECK_EQ(look("224.0.0.5", 0).reason, XR_PUNT_MCAST);
	CHECK_EQ(look("fe80::1", 0).reason, XR_PUNT_MCAST);
	CHECK_EQ(look("127.0.0.1", 0).reason, XR_PUNT_MARTIAN);
	CHECK_EQ(look("::ffff:1.2.3.4", 0).reason, XR_PUNT_MARTIAN);
	CHECK_EQ(look("192.0.2.1", 99).reason, XR_PUNT_INGRESS_UNKNOWN);
	CHECK_EQ(look("192.0.2.1", 5).vrf, 7);

	fake_route_found = true;
	fake_route = (struct xr_route){.action = XR_ROUTE_NEXTHOP, .id = 3};
	r = look("192.0.2.1", 0);
	CHECK_EQ(r.reason, XR_FORWARD);
	CHECK_EQ(r.n_paths, 1);
	CHECK_EQ(r.paths[0].ifindex, 13);
	CHECK(!memcmp(r.paths[0].smac, MAC_IF, 6));
	CHECK(!memcmp(r.paths[0].dmac, MAC_NH, 6));
	CHECK_EQ(r.paths[0].mtu, 1500);
	nh_resolved = false;
	CHECK_EQ(look("192.0.2.1", 0).reason, XR_PUNT_NEIGH_UNRESOLVED);
	nh_resolved = true;
	egress_tx = false;
	CHECK_EQ(look("192.0.2.1", 0).reason, XR_PUNT_EGRESS_NO_XDP);
	egress_tx = true;

	fake_route.action = XR_ROUTE_GROUP;
	r = look("192.0.2.1", 0);
	CHECK_EQ(r.n_paths, 2);
	CHECK_EQ(r.paths[0].buckets, 96);
	CHECK_EQ(r.paths[1].buckets, 32);
	CHECK_EQ(r.paths[1].ifindex, 12);

	fake_route = (struct xr_route){.action = XR_ROUTE_CONNECTED, .id = 4};
	neigh_found = false;
	CHECK_EQ(look("192.0.2.1", 0).reason, XR_PUNT_NEIGH_UNRESOLVED);
	neigh_found = true;
	r = look("192.0.2.1", 0);
	CHECK_EQ(r.reason, XR_FORWARD);
	CHECK_EQ(r.paths[0].ifindex, 4);

	fake_route.action = XR_ROUTE_BLACKHOLE;
	CHECK_EQ(look("192.0.2.1", 0).reason, XR_DROP_BLACKHOLE);
	fake_route.action = XR_ROUTE_UNREACHABLE;
	CHECK_EQ(look("192.0.2.1", 0).reason, XR_PUNT_UNREACHABLE);
	fake_route.action = XR_ROUTE_LOCAL;
	CHECK_EQ(look("192.0.2.1", 0).reason, XR_PUNT_LOCAL);
	CHECK(!strcmp(fastpath_verdict_name(XR_FORWARD), "forward"));
	CHECK(!strcmp(fastpath_verdict_name(XR_DROP_BLACKHOLE), "drop"));
	CHECK(!strcmp(fastpath_verdict_name(XR_PUNT_TTL), "punt"));
}

/* The plan's gates (bpf/plan_gates.h) in the program's order; what needs the
 * source or conntrack is undecided, never forward. */
static void test_plan(void)
{
	struct fp_result r;

	fake_route_found = true;
	fake_route = (struct xr_route){.action = XR_ROUTE_NEXTHOP, .id = 3};
	plan_in = XR_IF_F_NOFWD_V4;
	CHECK_EQ(look("192.0.2.1", 2).reason, XR_PUNT_FORWARDING_OFF);
	CHECK_EQ(look("2001:db8::1", 2).reason, XR_FORWARD);
	/* no --in: undecided while an ingress has a gate of the family */
	CHECK_EQ(look("192.0.2.1", 0).undecided, FP_NEEDS_INGRESS);
	CHECK_EQ(look("2001:db8::1", 0).undecided, FP_DECIDED);
	fake_route_found = false; /* a punt of the route's may be the gate's */
	CHECK_EQ(look("192.0.2.1", 0).undecided, FP_NEEDS_INGRESS);
	fake_route_found = true;
	plan_in = XR_IF_F_REDIRECTS_V4; /* a hairpin's, which needs --in */
	CHECK_EQ(look("192.0.2.1", 0).undecided, FP_DECIDED);
	plan_in = 0;
	plan_out = XR_IF_F_PUNT_OUT_V4; /* the egress row, 13 */
	CHECK_EQ(look("192.0.2.1", 2).reason, XR_PUNT_POLICY_OUT);
	CHECK_EQ(look("192.0.2.1", 0).reason, XR_PUNT_POLICY_OUT);
	plan_out = 0;

	plan_in = XR_IF_F_CT_IN_V4;
	r = look("192.0.2.1", 2);
	CHECK_EQ(r.reason, XR_FORWARD);
	CHECK_EQ(r.undecided, FP_NEEDS_CONNTRACK);
	CHECK(!strcmp(fastpath_result_verdict(r.reason, r.undecided),
		      "undecided"));
	CHECK(!strcmp(fastpath_result_reason(r.reason, r.undecided),
		      "needs-conntrack"));

	/* uRPF: the route back (the same fake) leaves by 13, not 2 */
	plan_in = XR_IF_F_RPF_STRICT_V4;
	CHECK_EQ(look("192.0.2.1", 2).undecided, FP_NEEDS_SOURCE);
	CHECK_EQ(look_from("192.0.2.1", "198.51.100.1", 2).reason, XR_PUNT_RPF);
	plan_in = XR_IF_F_RPF_LOOSE_V4;
	r = look_from("192.0.2.1", "198.51.100.1", 2);
	CHECK_EQ(r.reason, XR_FORWARD);
	CHECK_EQ(r.undecided, FP_DECIDED);
	plan_out = XR_IF_F_RULES_V4; /* the reverse lookup through rules */
	CHECK_EQ(look_from("192.0.2.1", "198.51.100.1", 2).reason,
		 XR_PUNT_RPF_UNPROVEN);
	plan_out = 0;

	/* the compiled rules where the ingress checks them */
	plan_in = XR_IF_F_RULE_CHECK_V4;
	CHECK_EQ(look("192.0.2.1", 2).reason, XR_PUNT_IP_RULE); /* no head */
	n_fake_rules = 1;
	fake_rules[0] =
		(struct xr_ip_rule){.action = XR_RULE_BLACKHOLE, .src_len = 24};
	inet_pton(AF_INET, "198.51.100.0", fake_rules[0].src);
	CHECK_EQ(look("192.0.2.1", 2).undecided, FP_NEEDS_SOURCE);
	CHECK_EQ(look_from("192.0.2.1", "198.51.100.9", 2).reason,
		 XR_DROP_IP_RULE);
	CHECK_EQ(look_from("192.0.2.1", "203.0.113.9", 2).reason, XR_FORWARD);
	/* not iif 7, from ...: iif 2 is not 7, so it matches whatever the
	 * source */
	fake_rules[0].flags = XR_RULE_F_INVERT | XR_RULE_F_IIF;
	fake_rules[0].iif = 7;
	fake_rules[0].action = XR_RULE_PUNT;
	CHECK_EQ(look("192.0.2.1", 2).reason, XR_PUNT_IP_RULE);
	fake_rules[0].iif = 2; /* now the source decides */
	CHECK_EQ(look("192.0.2.1", 2).undecided, FP_NEEDS_SOURCE);
	n_fake_rules = -ENOENT;
	plan_in = 0;
}

static void test_agree(void)
{
	struct kernel_route k = {.type = RTN_UNICAST, .oif = 13};
	struct fp_result r;
	const char *why;

	fake_route_found = true;
	fake_route = (struct xr_route){.action = XR_ROUTE_NEXTHOP, .id = 3};
	r = look("192.0.2.1", 0);
	k.gw.family = AF_INET;
	k.gw.bytes[0] = 10, k.gw.bytes[3] = 3;
	CHECK(fastpath_agrees(&r, &k, &why));
	k.oif = 14;
	CHECK(!fastpath_agrees(&r, &k, &why) && why);
	k.oif = 13;
	k.gw.bytes[3] = 9;
	CHECK(!fastpath_agrees(&r, &k, &why));
	fake_route.action = XR_ROUTE_GROUP; /* members 1 (if 11), 2 (if 12) */
	r = look("192.0.2.1", 0);
	k = (struct kernel_route){.type = RTN_UNICAST, .oif = 12};
	k.gw.family = AF_INET;
	k.gw.bytes[0] = 10, k.gw.bytes[3] = 2;
	CHECK(fastpath_agrees(&r, &k, &why));
	fake_route.action = XR_ROUTE_BLACKHOLE;
	r = look("192.0.2.1", 0);
	k = (struct kernel_route){.error = -EINVAL};
	CHECK(fastpath_agrees(&r, &k, &why));
	k = (struct kernel_route){.type = RTN_UNICAST, .oif = 1};
	CHECK(!fastpath_agrees(&r, &k, &why));
	fake_route_found = false;
	r = look("192.0.2.1", 0);
	CHECK(fastpath_agrees(&r, &k, &why) && why); /* left to the kernel */
}

static void test_rates(void)
{
	struct xr_counter then = {100, 1000}, now = {300, 5000};
	struct stats_rate r = stats_rate(&now, &then, 2.0);

	CHECK(r.pps == 100.0 && r.bps == 2000.0);
	r = stats_rate(&then, &now, 1.0); /* cleared in between */
	CHECK(r.pps == 100.0 && r.bps == 1000.0);
	r = stats_rate(&now, &then, 0);
	CHECK(r.pps == 0);
}

int main(void)
{
	RUN(test_params);
	RUN(test_verdicts);
	RUN(test_plan);
	RUN(test_agree);
	RUN(test_rates);
	return unit_done();
}
