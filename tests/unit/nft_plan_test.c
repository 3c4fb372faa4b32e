// SPDX-License-Identifier: GPL-2.0-only
/* One nftables chain's verdict for the plan (dataplane/kernel/nft_plan.c),
 * over rules built with libnftnl as nft would send them: which interfaces
 * and families punt, on which side, and the reason text. */
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>

#include "xdp_router_abi.h"
#include "kernel/nft_plan.h"
#include "unit_test.h"

#define IN4 XR_IF_F_PUNT_IN_V4
#define IN6 XR_IF_F_PUNT_IN_V6
#define OUT4 XR_IF_F_PUNT_OUT_V4
#define OUT6 XR_IF_F_PUNT_OUT_V6

static void add_meta(struct nftnl_rule *r, uint32_t key)
{
	struct nftnl_expr *e = nftnl_expr_alloc("meta");

	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, NFT_REG_1);
	nftnl_rule_add_expr(r, e);
}

static void add_cmp(struct nftnl_rule *r, uint32_t op, const void *data,
		    uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("cmp");

	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, op);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
	nftnl_rule_add_expr(r, e);
}

static void add_named(struct nftnl_rule *r, const char *name)
{
	nftnl_rule_add_expr(r, nftnl_expr_alloc(name));
}

/* iifname/oifname "name" as nft encodes it: the name with its NUL, or for
 * "name*" the prefix alone */
static void add_ifname(struct nftnl_rule *r, uint32_t key, const char *name,
		       bool wildcard)
{
	char buf[IFNAMSIZ] = {0};

	strncpy(buf, name, sizeof(buf) - 1);
	add_meta(r, key);
	add_cmp(r, NFT_CMP_EQ, buf, strlen(name) + (wildcard ? 0 : 1));
}

/* ip daddr X udp dport 9 drop: matches, then a verdict */
static struct nftnl_rule *rule_drop_any(void)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	uint32_t daddr = htonl(0xc0a83201);

	add_named(r, "payload");
	add_cmp(r, NFT_CMP_EQ, &daddr, 4);
	add_named(r, "immediate");
	return r;
}

static struct nftnl_rule *rule_iface(uint32_t key, const char *name,
				     bool wildcard)
{
	struct nftnl_rule *r = nftnl_rule_alloc();

	add_ifname(r, key, name, wildcard);
	add_named(r, "counter");
	add_named(r, "immediate");
	return r;
}

static const struct nft_punt *find(const struct nft_chain_plan *p,
				   enum nft_iface_kind kind, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->punt[i].kind == kind &&
		    (!name || !strcmp(p->punt[i].ifname, name)))
			return &p->punt[i];
	return NULL;
}

static struct nft_chain_view chain(uint32_t family, uint32_t hook)
{
	return (struct nft_chain_view){.family = family,
				       .table = "filter",
				       .name = "forward",
				       .hooknum = hook};
}

static void free_rules(struct nftnl_rule **r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (r[i])
			nftnl_rule_free(r[i]);
}

static void test_empty_accept_changes_nothing(void)
{
	struct nft_chain_view c = chain(NFPROTO_INET, NF_INET_FORWARD);
	struct nft_chain_plan p;

	nft_chain_plan(&c, NULL, 0, &p);
	CHECK_EQ(p.n, 0);
	c.policy_drop = true;
	nft_chain_plan(&c, NULL, 0, &p);
	CHECK_EQ(p.n, 1);
	CHECK(find(&p, NFT_IF_ALL, NULL));
	CHECK_EQ(p.punt[0].flags, IN4 | IN6);
	CHECK(strstr(p.why, "policy drop"));
}

static void test_rules_punt_family_and_side(void)
{
	struct nftnl_rule *r[3] = {rule_drop_any(), rule_drop_any(),
				   rule_drop_any()};
	struct nft_chain_view c = chain(NFPROTO_INET, NF_INET_FORWARD);
	struct nft_chain_plan p;

	nft_chain_plan(&c, r, 3, &p);
	CHECK_EQ(p.n, 1);
	CHECK_EQ(p.punt[0].kind, NFT_IF_ALL);
	CHECK_EQ(p.punt[0].flags, IN4 | IN6);
	CHECK(!strcmp(p.why, "nftables inet filter forward: 3 rules"));

	c = chain(NFPROTO_IPV4, NF_INET_FORWARD);
	nft_chain_plan(&c, r, 1, &p);
	CHECK_EQ(p.punt[0].flags, IN4);
	CHECK(!strcmp(p.why, "nftables ip filter forward: 1 rule"));
	c = chain(NFPROTO_IPV6, NF_INET_POST_ROUTING);
	nft_chain_plan(&c, r, 1, &p);
	CHECK_EQ(p.punt[0].flags, OUT6);
	c = chain(NFPROTO_IPV4, NF_INET_PRE_ROUTING);
	nft_chain_plan(&c, r, 1, &p);
	CHECK_EQ(p.punt[0].flags, IN4);
	/* input and output: no forwarded packet crosses them */
	c = chain(NFPROTO_INET, NF_INET_LOCAL_IN);
	nft_chain_plan(&c, r, 3, &p);
	CHECK_EQ(p.n, 0);
	c = chain(NFPROTO_IPV4, NF_INET_LOCAL_OUT);
	nft_chain_plan(&c, r, 3, &p);
	CHECK_EQ(p.n, 0);
	c = chain(NFPROTO_ARP, NF_INET_PRE_ROUTING);
	nft_chain_plan(&c, r, 3, &p);
	CHECK_EQ(p.n, 0);
	free_rules(r, 3);
}

static void test_interface_matches_narrow(void)
{
	uint32_t idx = 7;
	struct nftnl_rule *r[4] = {
		rule_iface(NFT_META_IIFNAME, "eth1", false),
		rule_iface(NFT_META_OIFNAME, "eth2", false),
		rule_iface(NFT_META_IIFNAME, "vlan", true),
		nftnl_rule_alloc(),
	};
	struct nft_chain_view c = chain(NFPROTO_INET, NF_INET_FORWARD);
	struct nft_chain_plan p;
	const struct nft_punt *x;

	add_meta(r[3], NFT_META_OIF);
	add_cmp(r[3], NFT_CMP_EQ, &idx, 4);
	add_named(r[3], "immediate");
	nft_chain_plan(&c, r, 4, &p);
	CHECK_EQ(p.n, 4);
	CHECK(!find(&p, NFT_IF_ALL, NULL));
	x = find(&p, NFT_IF_NAME, "eth1");
	CHECK(x && x->flags == (IN4 | IN6));
	x = find(&p, NFT_IF_NAME, "eth2");
	CHECK(x && x->flags == (OUT4 | OUT6));
	x = find(&p, NFT_IF_PREFIX, "vlan");
	CHECK(x && x->flags == (IN4 | IN6));
	x = find(&p, NFT_IF_INDEX, NULL);
	CHECK(x && x->ifindex == 7 && x->flags == (OUT4 | OUT6));

	/* ip family, postrouting: an iifname rule punts that ingress, v4 */
	c = chain(NFPROTO_IPV4, NF_INET_POST_ROUTING);
	nft_chain_plan(&c, r, 1, &p);
	CHECK_EQ(p.n, 1);
	CHECK(find(&p, NFT_IF_NAME, "eth1") && p.punt[0].flags == IN4);
	/* prerouting knows no output interface: oifname narrows nothing */
	c = chain(NFPROTO_IPV4, NF_INET_PRE_ROUTING);
	nft_chain_plan(&c, &r[1], 1, &p);
	CHECK(find(&p, NFT_IF_ALL, NULL));
	/* policy drop sees every interface, whatever the rules match */
	c = chain(NFPROTO_INET, NF_INET_FORWARD);
	c.policy_drop = true;
	nft_chain_plan(&c, r, 1, &p);
	CHECK_EQ(p.n, 1);
	CHECK(find(&p, NFT_IF_ALL, NULL));
	free_rules(r, 4);
}

static void test_what_does_not_narrow(void)
{
	struct nftnl_rule *r[3] = {nftnl_rule_alloc(), nftnl_rule_alloc(),
				   rule_iface(NFT_META_IIFNAME, "eth1", false)};
	struct nft_chain_view c = chain(NFPROTO_INET, NF_INET_FORWARD);
	struct nft_chain_plan p;
	struct nft_rule_scope s;
	char name[IFNAMSIZ] = "eth1";

	/* iifname != eth1 matches every other interface */
	add_meta(r[0], NFT_META_IIFNAME);
	add_cmp(r[0], NFT_CMP_NEQ, name, 5);
	add_named(r[0], "immediate");
	nft_rule_scope(r[0], &s);
	CHECK(!s.limited);
	/* a counter before the match counts every packet */
	add_named(r[1], "counter");
	add_meta(r[1], NFT_META_IIFNAME);
	add_cmp(r[1], NFT_CMP_EQ, name, 5);
	nft_rule_scope(r[1], &s);
	CHECK(!s.limited);
	/* one unlimited rule among limited ones: everything */
	nft_chain_plan(&c, &r[1], 2, &p);
	CHECK(find(&p, NFT_IF_ALL, NULL));
	nft_rule_scope(r[2], &s);
	CHECK(s.limited && !s.out && s.where.kind == NFT_IF_NAME);
	free_rules(r, 3);
}

static void test_unreadable_rule_punts_chain(void)
{
	struct nftnl_rule *r[2] = {rule_iface(NFT_META_IIFNAME, "eth1", false),
				   NULL};
	struct nft_chain_view c = chain(NFPROTO_IPV6, NF_INET_FORWARD);
	struct nft_chain_plan p;

	nft_chain_plan(&c, r, 2, &p);
	CHECK_EQ(p.unparsed, 1);
	CHECK(find(&p, NFT_IF_ALL, NULL));
	CHECK_EQ(p.punt[0].flags, IN6);
	CHECK(strstr(p.why, "unreadable"));
	free_rules(r, 2);
}

static void test_netdev_chain_is_its_devices(void)
{
	const char *devs[] = {"eth1", "eth2"};
	struct nftnl_rule *r[1] = {rule_drop_any()};
	struct nft_chain_view c = chain(NFPROTO_NETDEV, NF_NETDEV_INGRESS);
	struct nft_chain_plan p;

	c.devs = devs;
	c.ndevs = 2;
	nft_chain_plan(&c, r, 1, &p);
	CHECK_EQ(p.n, 2);
	CHECK(find(&p, NFT_IF_NAME, "eth2"));
	CHECK_EQ(p.punt[0].flags, IN4 | IN6);
	c.hooknum = NF_NETDEV_EGRESS;
	nft_chain_plan(&c, r, 1, &p);
	CHECK_EQ(p.punt[1].flags, OUT4 | OUT6);
	/* an empty accept chain on a device: nothing */
	nft_chain_plan(&c, r, 0, &p);
	CHECK_EQ(p.n, 0);
	free_rules(r, 1);
}

static void test_many_interfaces_collapse_to_all(void)
{
	struct nftnl_rule *r[NFT_PUNTS_MAX + 1];
	struct nft_chain_view c = chain(NFPROTO_INET, NF_INET_FORWARD);
	struct nft_chain_plan p;
	char name[IFNAMSIZ];

	for (int i = 0; i <= NFT_PUNTS_MAX; i++) {
		snprintf(name, sizeof(name), "e%d", i);
		r[i] = rule_iface(NFT_META_IIFNAME, name, false);
	}
	nft_chain_plan(&c, r, NFT_PUNTS_MAX + 1, &p);
	CHECK_EQ(p.n, 1);
	CHECK(find(&p, NFT_IF_ALL, NULL));
	CHECK_EQ(p.punt[0].flags, IN4 | IN6);
	free_rules(r, NFT_PUNTS_MAX + 1);
}

/* A chain the stateful analysis proved: conntrack checks where conntrack
 * has looked the packet up before the chain, punts elsewhere. */
static void test_proven_chain_checks_conntrack(void)
{
	struct nftnl_rule *r[3] = {rule_drop_any(), rule_drop_any(),
				   rule_drop_any()};
	struct nft_chain_view c = chain(NFPROTO_INET, NF_INET_FORWARD);
	struct nft_chain_plan p;

	c.policy_drop = true;
	c.ct_accepts_v4 = c.ct_accepts_v6 = true;
	nft_chain_plan(&c, r, 3, &p);
	CHECK_EQ(p.n, 1);
	CHECK_EQ(p.punt[0].kind, NFT_IF_ALL);
	CHECK_EQ(p.punt[0].flags, XR_IF_F_CT_IN_V4 | XR_IF_F_CT_IN_V6);
	CHECK(!strcmp(p.why, "nftables inet filter forward: 3 rules, policy "
			     "drop, conntrack check"));
	/* proven for one family: the other still punts */
	c.ct_accepts_v6 = false;
	nft_chain_plan(&c, r, 3, &p);
	CHECK_EQ(p.punt[0].flags, XR_IF_F_CT_IN_V4 | IN6);
	CHECK(!strcmp(p.why, "nftables inet filter forward: 3 rules, policy "
			     "drop, conntrack check ipv4"));
	c.ct_accepts_v4 = false;
	nft_chain_plan(&c, r, 3, &p);
	CHECK_EQ(p.punt[0].flags, IN4 | IN6);
	CHECK(!strstr(p.why, "conntrack"));

	/* postrouting: the egress side */
	c = chain(NFPROTO_IPV4, NF_INET_POST_ROUTING);
	c.ct_accepts_v4 = true;
	nft_chain_plan(&c, r, 1, &p);
	CHECK_EQ(p.punt[0].flags, XR_IF_F_CT_OUT_V4);

	/* prerouting: only after conntrack's lookup (-200) */
	c = chain(NFPROTO_IPV6, NF_INET_PRE_ROUTING);
	c.ct_accepts_v6 = true;
	c.priority = -300; /* raw: no entry yet, ct state reads invalid */
	CHECK(!nft_chain_after_conntrack(&c));
	nft_chain_plan(&c, r, 1, &p);
	CHECK_EQ(p.punt[0].flags, IN6);
	c.priority = NFT_PRI_CONNTRACK; /* same priority: no order */
	nft_chain_plan(&c, r, 1, &p);
	CHECK_EQ(p.punt[0].flags, IN6);
	c.priority = -150; /* mangle */
	CHECK(nft_chain_after_conntrack(&c));
	nft_chain_plan(&c, r, 1, &p);
	CHECK_EQ(p.punt[0].flags, XR_IF_F_CT_IN_V6);

	/* ingress and egress hooks run before conntrack */
	c = chain(NFPROTO_INET, NF_INET_INGRESS);
	c.ct_accepts_v4 = c.ct_accepts_v6 = true;
	c.priority = 0;
	nft_chain_plan(&c, r, 1, &p);
	CHECK_EQ(p.punt[0].flags, IN4 | IN6);
	c = chain(NFPROTO_NETDEV, NF_NETDEV_EGRESS);
	c.ct_accepts_v4 = c.ct_accepts_v6 = true;
	nft_chain_plan(&c, r, 1, &p);
	CHECK_EQ(p.punt[0].flags, OUT4 | OUT6);
	free_rules(r, 3);
}

/* Narrowed and unreadable chains keep their scope and their punt. */
static void test_proven_chain_keeps_scope(void)
{
	struct nftnl_rule *r[2] = {rule_iface(NFT_META_IIFNAME, "lan0", false),
				   NULL};
	struct nft_chain_view c = chain(NFPROTO_IPV4, NF_INET_FORWARD);
	struct nft_chain_plan p;

	c.ct_accepts_v4 = true;
	nft_chain_plan(&c, r, 1, &p);
	CHECK_EQ(p.n, 1);
	CHECK(find(&p, NFT_IF_NAME, "lan0"));
	CHECK_EQ(p.punt[0].flags, XR_IF_F_CT_IN_V4);
	/* a rule it could not read: whatever was proven, it punts */
	nft_chain_plan(&c, r, 2, &p);
	CHECK(find(&p, NFT_IF_ALL, NULL));
	for (size_t i = 0; i < p.n; i++)
		CHECK_EQ(p.punt[i].flags &
				 (XR_IF_F_CT_IN_V4 | XR_IF_F_CT_IN_V6),
			 0);
	free_rules(r, 2);
}

int main(void)
{
	RUN(test_empty_accept_changes_nothing);
	RUN(test_rules_punt_family_and_side);
	RUN(test_interface_matches_narrow);
	RUN(test_what_does_not_narrow);
	RUN(test_unreadable_rule_punts_chain);
	RUN(test_netdev_chain_is_its_devices);
	RUN(test_many_interfaces_collapse_to_all);
	RUN(test_proven_chain_checks_conntrack);
	RUN(test_proven_chain_keeps_scope);
	return unit_done();
}
