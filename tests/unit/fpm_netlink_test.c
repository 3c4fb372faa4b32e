// SPDX-License-Identifier: GPL-2.0-only
/* Netlink payload decoding: hand-built messages, good and malformed. */
#include <errno.h>
#include <arpa/inet.h>
#include <linux/neighbour.h>
#include <linux/nexthop.h>
#include <linux/lwtunnel.h>

#include "fpm_test_nl.h"
#include "unit_test.h"

#ifndef AF_MPLS
#define AF_MPLS 28
#endif

static struct fpm_decoder d;
static struct collector c;
static struct nlb b;

static void reset(void)
{
	memset(&c, 0, sizeof(c));
	memset(&b, 0, sizeof(b));
	fpm_decoder_init(&d, collect, &c);
}

static int decode(void)
{
	return fpm_decode_netlink(&d, (const uint8_t *)b.buf, b.len);
}

static uint32_t v4(const char *s)
{
	uint32_t a;

	inet_pton(AF_INET, s, &a);
	return a;
}

static void v6(const char *s, uint8_t *out)
{
	inet_pton(AF_INET6, s, out);
}

static void test_route_v4_gateway(void)
{
	const struct fpm_route *rt;
	struct rtmsg *rtm;
	uint32_t dst = v4("192.0.2.0"), gw = v4("10.1.1.2");

	reset();
	rtm = nlb_route(&b, RTM_NEWROUTE, AF_INET, 24, RTN_UNICAST);
	rtm->rtm_table = RT_TABLE_UNSPEC;
	((struct nlmsghdr *)b.buf)->nlmsg_flags |= NLM_F_REPLACE;
	nlb_attr(&b, RTA_DST, &dst, 4);
	nlb_u32(&b, RTA_TABLE, 1000); /* beats rtm_table */
	nlb_u32(&b, RTA_PRIORITY, 20);
	nlb_attr(&b, RTA_GATEWAY, &gw, 4);
	nlb_u32(&b, RTA_OIF, 3);
	nlb_end(&b);
	CHECK_EQ(decode(), 0);
	CHECK_EQ(c.n, 1);
	rt = &c.ev[0].route;
	CHECK_EQ(c.ev[0].type, FPM_EV_ROUTE_ADD);
	CHECK_EQ(rt->family, AF_INET);
	CHECK_EQ(rt->prefixlen, 24);
	CHECK(!memcmp(rt->dst, &dst, 4));
	CHECK_EQ(rt->table, 1000);
	CHECK_EQ(rt->metric, 20);
	CHECK_EQ(rt->protocol, 196);
	CHECK_EQ(rt->type, FPM_RT_UNICAST);
	CHECK_EQ(rt->flags, FPM_RTF_REPLACE);
	CHECK_EQ(rt->nh_id, 0);
	CHECK_EQ(rt->n_nexthops, 1);
	CHECK_EQ(rt->nh[0].family, AF_INET);
	CHECK(rt->nh[0].has_gw);
	CHECK(!memcmp(rt->nh[0].gw, &gw, 4));
	CHECK_EQ(rt->nh[0].ifindex, 3);
	CHECK_EQ(rt->nh[0].weight, 1);
	CHECK_EQ(d.stats.msg_newroute, 1);
	CHECK_EQ(d.stats.ev_route_add, 1);
}

static void test_route_v6_multipath_weights(void)
{
	const struct fpm_route *rt;
	uint8_t dst[16], gw1[16], gw2[16];

	reset();
	v6("2001:db8:99::", dst);
	v6("2001:db8:1::2", gw1);
	v6("2001:db8:2::2", gw2);
	nlb_route(&b, RTM_NEWROUTE, AF_INET6, 48, RTN_UNICAST);
	nlb_attr(&b, RTA_DST, dst, 16);
	nlb_nest_start(&b, RTA_MULTIPATH);
	nlb_rtnh_start(&b, 3, 1);
	nlb_attr(&b, RTA_GATEWAY, gw1, 16);
	nlb_rtnh_end(&b);
	nlb_rtnh_start(&b, 5, 200);
	nlb_attr(&b, RTA_GATEWAY, gw2, 16);
	nlb_rtnh_end(&b);
	nlb_rtnh_start(&b, 7, 256); /* device only, max weight */
	nlb_rtnh_end(&b);
	nlb_nest_end(&b);
	nlb_end(&b);
	CHECK_EQ(decode(), 0);
	CHECK_EQ(c.n, 1);
	rt = &c.ev[0].route;
	CHECK_EQ(rt->family, AF_INET6);
	CHECK_EQ(rt->table, RT_TABLE_MAIN);
	CHECK(!memcmp(rt->dst, dst, 16));
	CHECK_EQ(rt->flags, 0);
	CHECK_EQ(rt->n_nexthops, 3);
	CHECK(!memcmp(rt->nh[0].gw, gw1, 16));
	CHECK_EQ(rt->nh[0].ifindex, 3);
	CHECK_EQ(rt->nh[0].weight, 1);
	CHECK(!memcmp(rt->nh[1].gw, gw2, 16));
	CHECK_EQ(rt->nh[1].weight, 200);
	CHECK_EQ(rt->nh[1].family, AF_INET6);
	CHECK(!rt->nh[2].has_gw);
	CHECK_EQ(rt->nh[2].ifindex, 7);
	CHECK_EQ(rt->nh[2].weight, 256);
}

static void test_route_via_v6_gateway_for_v4(void)
{
	struct {
		uint16_t family;
		uint8_t addr[16];
	} __attribute__((packed)) via = {AF_INET6, {0}};
	const struct fpm_route *rt;

	reset();
	v6("fe80::1", via.addr);
	nlb_route(&b, RTM_NEWROUTE, AF_INET, 0, RTN_UNICAST);
	nlb_attr(&b, RTA_VIA, &via, sizeof(via));
	nlb_u32(&b, RTA_OIF, 4);
	nlb_end(&b);
	CHECK_EQ(decode(), 0);
	rt = &c.ev[0].route;
	CHECK_EQ(c.n, 1);
	CHECK_EQ(rt->prefixlen, 0); /* default route, no RTA_DST */
	CHECK_EQ(rt->nh[0].family, AF_INET6);
	CHECK(!memcmp(rt->nh[0].gw, via.addr, 16));
}

static void test_route_nh_id_and_types(void)
{
	static const struct {
		int rtn;
		int type;
	} types[] = {
		{RTN_UNICAST, FPM_RT_UNICAST},
		{RTN_BLACKHOLE, FPM_RT_BLACKHOLE},
		{RTN_UNREACHABLE, FPM_RT_UNREACHABLE},
		{RTN_PROHIBIT, FPM_RT_PROHIBIT},
		{RTN_LOCAL, FPM_RT_LOCAL},
	};
	uint32_t dst = v4("10.0.0.1");

	reset();
	for (size_t i = 0; i < 5; i++) {
		nlb_route(&b, RTM_NEWROUTE, AF_INET, 32, types[i].rtn);
		nlb_attr(&b, RTA_DST, &dst, 4);
		nlb_u32(&b, RTA_NH_ID, 100 + i);
		nlb_end(&b);
	}
	/* several messages in one payload */
	CHECK_EQ(decode(), 0);
	CHECK_EQ(c.n, 5);
	for (size_t i = 0; i < 5; i++) {
		CHECK_EQ(c.ev[i].route.type, types[i].type);
		CHECK_EQ(c.ev[i].route.nh_id, 100 + i);
		CHECK_EQ(c.ev[i].route.n_nexthops, 0);
	}
}

static void test_route_delete(void)
{
	uint32_t dst = v4("203.0.113.0");

	reset();
	/* zebra deletes with whatever type; the key is what counts */
	nlb_route(&b, RTM_DELROUTE, AF_INET, 24, RTN_UNSPEC);
	nlb_attr(&b, RTA_DST, &dst, 4);
	nlb_end(&b);
	nlb_route(&b, RTM_NEWROUTE, AF_INET, 24, RTN_UNICAST);
	nlb_attr(&b, RTA_DST, &dst, 4);
	nlb_u32(&b, RTA_OIF, 2);
	nlb_end(&b);
	CHECK_EQ(decode(), 0);
	CHECK_EQ(c.n, 2);
	CHECK_EQ(c.ev[0].type, FPM_EV_ROUTE_DEL);
	CHECK_EQ(c.ev[0].route.prefixlen, 24);
	CHECK_EQ(c.ev[1].type, FPM_EV_ROUTE_ADD);
	CHECK_EQ(d.stats.msg_delroute, 1);
	CHECK_EQ(d.stats.ev_route_del, 1);
}

static void test_nexthops(void)
{
	struct nexthop_grp grp[2] = {{.id = 10, .weight = 0},
				     {.id = 11, .weight = 9, .weight_high = 1}};
	uint32_t gw = v4("10.1.1.2");
	struct nhmsg *nhm;

	reset();
	nhm = nlb_msg(&b, RTM_NEWNEXTHOP, 0, sizeof(*nhm));
	nhm->nh_family = AF_INET;
	nlb_u32(&b, NHA_ID, 10);
	nlb_attr(&b, NHA_GATEWAY, &gw, 4);
	nlb_u32(&b, NHA_OIF, 3);
	nlb_end(&b);
	nhm = nlb_msg(&b, RTM_NEWNEXTHOP, 0, sizeof(*nhm));
	nhm->nh_family = AF_UNSPEC;
	nlb_u32(&b, NHA_ID, 12);
	nlb_attr(&b, NHA_GROUP, grp, sizeof(grp));
	nlb_end(&b);
	nhm = nlb_msg(&b, RTM_NEWNEXTHOP, 0, sizeof(*nhm));
	nhm->nh_family = AF_INET6;
	nlb_u32(&b, NHA_ID, 13);
	nlb_attr(&b, NHA_BLACKHOLE, NULL, 0);
	nlb_end(&b);
	nhm = nlb_msg(&b, RTM_DELNEXTHOP, 0, sizeof(*nhm));
	nlb_u32(&b, NHA_ID, 10);
	nlb_end(&b);
	CHECK_EQ(decode(), 0);
	CHECK_EQ(c.n, 4);
	CHECK_EQ(c.ev[0].type, FPM_EV_NH_ADD);
	CHECK_EQ(c.ev[0].nh.id, 10);
	CHECK_EQ(c.ev[0].nh.family, AF_INET);
	CHECK(c.ev[0].nh.has_gw);
	CHECK(!memcmp(c.ev[0].nh.gw, &gw, 4));
	CHECK_EQ(c.ev[0].nh.ifindex, 3);
	CHECK_EQ(c.ev[1].nh.n_group, 2);
	CHECK_EQ(c.ev[1].nh.group[0].id, 10);
	CHECK_EQ(c.ev[1].nh.group[0].weight, 1);
	CHECK_EQ(c.ev[1].nh.group[1].id, 11);
	CHECK_EQ(c.ev[1].nh.group[1].weight, 256 + 9 + 1);
	CHECK(c.ev[2].nh.blackhole);
	CHECK_EQ(c.ev[3].type, FPM_EV_NH_DEL);
	CHECK_EQ(c.ev[3].nh.id, 10);
	CHECK_EQ(d.stats.msg_newnexthop, 3);
	CHECK_EQ(d.stats.msg_delnexthop, 1);
}

/* Messages we recognise and skip, each counted by kind; a route of a type
 * the fast path cannot honour is not skipped but sent unusable (its key
 * leaves the fast path, as the kernel's route of that type replaces it) */
static void test_skipped_kinds(void)
{
	uint16_t encap = LWTUNNEL_ENCAP_MPLS;
	struct ndmsg *ndm;

	reset();
	nlb_route(&b, RTM_NEWROUTE, AF_MPLS, 20, RTN_UNICAST);
	nlb_end(&b);
	ndm = nlb_msg(&b, RTM_NEWNEIGH, 0, sizeof(*ndm));
	ndm->ndm_family = AF_BRIDGE;
	nlb_end(&b);
	ndm = nlb_msg(&b, RTM_DELNEIGH, 0, sizeof(*ndm));
	ndm->ndm_family = AF_INET;
	nlb_end(&b);
	nlb_route(&b, RTM_NEWROUTE, AF_INET, 0, RTN_MULTICAST);
	nlb_attr(&b, RTA_ENCAP_TYPE, &encap, 2);
	nlb_end(&b);
	nlb_route(&b, RTM_NEWROUTE, 99, 0, RTN_UNICAST);
	nlb_end(&b);
	nlb_msg(&b, RTM_NEWLINK, 0, 16);
	nlb_end(&b);
	nlb_msg(&b, NLMSG_NOOP, 0, 0);
	nlb_end(&b);
	CHECK_EQ(decode(), 0);
	CHECK_EQ(c.n, 1);
	CHECK_EQ(c.ev[0].type, FPM_EV_ROUTE_ADD);
	CHECK_EQ(c.ev[0].route.type, FPM_RT_UNICAST);
	CHECK_EQ(c.ev[0].route.n_nexthops, 0);
	CHECK_EQ(c.ev[0].route.nh_id, 0);
	CHECK_EQ(d.stats.skip_mpls, 1);
	CHECK_EQ(d.stats.skip_bridge, 1);
	CHECK_EQ(d.stats.skip_neigh, 1);
	CHECK_EQ(d.stats.msg_neigh, 2);
	CHECK_EQ(d.stats.unusable_encap, 0); /* the type went first */
	CHECK_EQ(d.stats.unusable_route_type, 1);
	CHECK_EQ(d.stats.skip_family, 1);
	CHECK_EQ(d.stats.skip_msg_type, 1);
	CHECK_EQ(d.stats.skip_nl_control, 1);
}

/*
 * Encapsulated routes and FDB/encap nexthops are sent unusable, never
 * dropped: one that replaces a plain route or nexthop must take the old
 * paths out of the fast path, since the kernel now encapsulates.
 */
static void test_encap_unusable(void)
{
	uint16_t encap = LWTUNNEL_ENCAP_MPLS;
	uint32_t dst = v4("192.0.2.0"), gw = v4("10.1.1.2");
	struct nhmsg *nhm;
	int i;

	reset();
	nlb_route(&b, RTM_NEWROUTE, AF_INET, 24, RTN_UNICAST);
	nlb_attr(&b, RTA_DST, &dst, 4);
	nlb_attr(&b, RTA_GATEWAY, &gw, 4);
	nlb_u32(&b, RTA_OIF, 3);
	nlb_attr(&b, RTA_ENCAP_TYPE, &encap, 2);
	nlb_end(&b);
	/* encap on one path of several */
	nlb_route(&b, RTM_NEWROUTE, AF_INET, 24, RTN_UNICAST);
	nlb_attr(&b, RTA_DST, &dst, 4);
	nlb_nest_start(&b, RTA_MULTIPATH);
	nlb_rtnh_start(&b, 3, 1);
	nlb_attr(&b, RTA_GATEWAY, &gw, 4);
	nlb_rtnh_end(&b);
	nlb_rtnh_start(&b, 4, 1);
	nlb_attr(&b, RTA_GATEWAY, &gw, 4);
	nlb_attr(&b, RTA_ENCAP_TYPE, &encap, 2);
	nlb_rtnh_end(&b);
	nlb_nest_end(&b);
	nlb_end(&b);
	nlb_route(&b, RTM_NEWROUTE, AF_INET, 24, RTN_UNICAST);
	nlb_attr(&b, RTA_DST, &dst, 4);
	nlb_u32(&b, RTA_NH_ID, 9);
	nlb_attr(&b, RTA_ENCAP_TYPE, &encap, 2);
	nlb_end(&b);
	nlb_route(&b, RTM_DELROUTE, AF_INET, 24, RTN_UNICAST);
	nlb_attr(&b, RTA_DST, &dst, 4);
	nlb_attr(&b, RTA_ENCAP_TYPE, &encap, 2);
	nlb_end(&b);
	nhm = nlb_msg(&b, RTM_NEWNEXTHOP, 0, sizeof(*nhm));
	nhm->nh_family = AF_INET;
	nlb_u32(&b, NHA_ID, 5);
	nlb_attr(&b, NHA_GATEWAY, &gw, 4);
	nlb_u32(&b, NHA_OIF, 3);
	nlb_attr(&b, NHA_FDB, NULL, 0);
	nlb_end(&b);
	nhm = nlb_msg(&b, RTM_NEWNEXTHOP, 0, sizeof(*nhm));
	nhm->nh_family = AF_INET;
	nlb_u32(&b, NHA_ID, 6);
	nlb_attr(&b, NHA_GATEWAY, &gw, 4);
	nlb_u32(&b, NHA_OIF, 3);
	nlb_attr(&b, NHA_ENCAP_TYPE, &encap, 2);
	nlb_end(&b);
	CHECK_EQ(decode(), 0);
	CHECK_EQ(c.n, 6);
	for (i = 0; i < 3; i++) {
		const struct fpm_route *rt = &c.ev[i].route;

		CHECK_EQ(c.ev[i].type, FPM_EV_ROUTE_ADD);
		CHECK_EQ(rt->type, FPM_RT_UNICAST);
		CHECK_EQ(rt->prefixlen, 24);
		CHECK(!memcmp(rt->dst, &dst, 4));
		CHECK_EQ(rt->n_nexthops, 0);
		CHECK_EQ(rt->nh_id, 0);
	}
	CHECK_EQ(c.ev[3].type, FPM_EV_ROUTE_DEL);
	CHECK_EQ(c.ev[3].route.prefixlen, 24);
	for (i = 4; i < 6; i++) {
		const struct fpm_nexthop *nh = &c.ev[i].nh;

		CHECK_EQ(c.ev[i].type, FPM_EV_NH_ADD);
		CHECK_EQ(nh->id, (uint32_t)i + 1);
		CHECK(!nh->has_gw && !nh->blackhole && !nh->ifindex);
		CHECK_EQ(nh->n_group, 0);
	}
	CHECK_EQ(d.stats.unusable_encap, 5);
	CHECK_EQ(d.stats.unusable_fdb_nh, 1);
	CHECK_EQ(d.stats.ev_route_add, 3);
}

/* A bad message is dropped whole, its neighbours in the frame still go */
static void add_good_route(void)
{
	nlb_route(&b, RTM_NEWROUTE, AF_INET, 0, RTN_BLACKHOLE);
	nlb_end(&b);
}

static void test_nlmsg_len_lies(void)
{
	reset();
	add_good_route();
	add_good_route();
	((struct nlmsghdr *)nlb_at(&b, b.msg))->nlmsg_len = 4000;
	CHECK_EQ(decode(), -EBADMSG);
	CHECK_EQ(c.n, 1);
	CHECK_EQ(d.stats.err_nl_truncated, 1);

	reset();
	add_good_route();
	((struct nlmsghdr *)b.buf)->nlmsg_len = 8; /* shorter than a header */
	CHECK_EQ(decode(), -EBADMSG);
	CHECK_EQ(d.stats.err_nl_truncated, 1);

	reset();
	nlb_msg(&b, RTM_NEWROUTE, 0, 0); /* no room for the rtmsg */
	nlb_end(&b);
	CHECK_EQ(decode(), -EBADMSG);
	CHECK_EQ(d.stats.err_nl_truncated, 1);
}

static void test_trailing_garbage(void)
{
	reset();
	add_good_route();
	nlb_put(&b, "junk", 4);
	CHECK_EQ(decode(), -EBADMSG);
	CHECK_EQ(c.n, 1);
	CHECK_EQ(d.stats.err_nl_trailing, 1);
}

static void test_attr_len_lies(void)
{
	struct nlattr *a;
	uint32_t dst = v4("10.0.0.0");

	/* runs past the message: libnl alone would stop quietly */
	reset();
	nlb_route(&b, RTM_NEWROUTE, AF_INET, 8, RTN_UNICAST);
	a = nlb_attr(&b, RTA_DST, &dst, 4);
	a->nla_len = 200;
	nlb_end(&b);
	add_good_route();
	CHECK_EQ(decode(), -EBADMSG);
	CHECK_EQ(c.n, 1); /* only the good one */
	CHECK_EQ(d.stats.err_nl_attr, 1);

	/* too short for its type (policy) */
	reset();
	nlb_route(&b, RTM_NEWROUTE, AF_INET, 8, RTN_UNICAST);
	nlb_attr(&b, RTA_OIF, &dst, 2);
	nlb_end(&b);
	CHECK_EQ(decode(), -EBADMSG);
	CHECK_EQ(d.stats.err_nl_attr, 1);

	/* nla_len 0 would loop forever in a naive parser */
	reset();
	nlb_route(&b, RTM_NEWROUTE, AF_INET, 8, RTN_UNICAST);
	a = nlb_attr(&b, RTA_DST, &dst, 4);
	a->nla_len = 0;
	nlb_end(&b);
	CHECK_EQ(decode(), -EBADMSG);
	CHECK_EQ(c.n, 0);
	CHECK_EQ(d.stats.err_nl_attr, 1);
}

static void test_attr_wrong_size(void)
{
	uint8_t dst6[16] = {0x20, 0x01};
	uint32_t dst = v4("10.0.0.0");

	reset();
	nlb_route(&b, RTM_NEWROUTE, AF_INET, 8, RTN_UNICAST);
	nlb_attr(&b, RTA_DST, dst6, 16); /* v6 address on a v4 route */
	nlb_end(&b);
	nlb_route(&b, RTM_NEWROUTE, AF_INET, 8, RTN_UNICAST);
	nlb_attr(&b, RTA_DST, &dst, 4);
	nlb_attr(&b, RTA_GATEWAY, dst6, 16);
	nlb_end(&b);
	CHECK_EQ(decode(), -EBADMSG);
	CHECK_EQ(c.n, 0);
	CHECK_EQ(d.stats.err_nl_attr_size, 2);

	reset();
	nlb_route(&b, RTM_NEWROUTE, AF_INET, 33, RTN_UNICAST);
	nlb_end(&b);
	CHECK_EQ(decode(), -EBADMSG);
	CHECK_EQ(d.stats.err_nl_prefixlen, 1);
}

static void test_multipath_lies(void)
{
	struct rtnexthop *rtnh;
	size_t off;

	/* rtnh_len 0: the classic infinite loop */
	reset();
	nlb_route(&b, RTM_NEWROUTE, AF_INET, 0, RTN_UNICAST);
	nlb_nest_start(&b, RTA_MULTIPATH);
	off = b.len;
	nlb_rtnh_start(&b, 3, 1);
	nlb_rtnh_end(&b);
	nlb_nest_end(&b);
	nlb_end(&b);
	rtnh = (struct rtnexthop *)nlb_at(&b, off);
	rtnh->rtnh_len = 0;
	CHECK_EQ(decode(), -EBADMSG);
	CHECK_EQ(d.stats.err_nl_multipath, 1);

	/* rtnh_len past the RTA_MULTIPATH attribute */
	rtnh->rtnh_len = 64;
	CHECK_EQ(decode(), -EBADMSG);
	CHECK_EQ(d.stats.err_nl_multipath, 2);

	/* nested attribute length that lies */
	reset();
	nlb_route(&b, RTM_NEWROUTE, AF_INET, 0, RTN_UNICAST);
	nlb_nest_start(&b, RTA_MULTIPATH);
	nlb_rtnh_start(&b, 3, 1);
	off = b.len;
	nlb_u32(&b, RTA_GATEWAY, 1);
	nlb_rtnh_end(&b);
	nlb_nest_end(&b);
	nlb_end(&b);
	((struct nlattr *)nlb_at(&b, off))->nla_len = 40;
	CHECK_EQ(decode(), -EBADMSG);
	CHECK_EQ(d.stats.err_nl_attr, 1);
	CHECK_EQ(c.n, 0);
}

static void test_too_many_paths(void)
{
	reset();
	nlb_route(&b, RTM_NEWROUTE, AF_INET, 0, RTN_UNICAST);
	nlb_nest_start(&b, RTA_MULTIPATH);
	for (int i = 0; i < FPM_MAX_PATHS + 1; i++) {
		nlb_rtnh_start(&b, i + 1, 1);
		nlb_rtnh_end(&b);
	}
	nlb_nest_end(&b);
	nlb_end(&b);
	CHECK_EQ(decode(), -E2BIG);
	/* never truncated: sent unusable, so the key's old paths go */
	CHECK_EQ(c.n, 1);
	CHECK_EQ(c.ev[0].type, FPM_EV_ROUTE_ADD);
	CHECK_EQ(c.ev[0].route.type, FPM_RT_UNICAST);
	CHECK_EQ(c.ev[0].route.n_nexthops, 0);
	CHECK_EQ(c.ev[0].route.nh_id, 0);
	CHECK_EQ(d.stats.err_too_many_paths, 1);
}

static void test_group_errors(void)
{
	struct nexthop_grp grp[FPM_MAX_GROUP + 1];
	struct nhmsg *nhm;

	memset(grp, 0, sizeof(grp));
	for (int i = 0; i <= FPM_MAX_GROUP; i++)
		grp[i].id = i + 1;
	reset();
	nhm = nlb_msg(&b, RTM_NEWNEXTHOP, 0, sizeof(*nhm));
	nlb_u32(&b, NHA_ID, 1000);
	nlb_attr(&b, NHA_GROUP, grp, sizeof(grp));
	nlb_end(&b);
	nhm = nlb_msg(&b, RTM_NEWNEXTHOP, 0, sizeof(*nhm));
	nlb_u32(&b, NHA_ID, 1001);
	nlb_attr(&b, NHA_GROUP, grp, sizeof(grp[0]) + 4); /* odd size */
	nlb_end(&b);
	grp[0].weight = 255;
	grp[0].weight_high = 255; /* 65536 does not fit u16 */
	nhm = nlb_msg(&b, RTM_NEWNEXTHOP, 0, sizeof(*nhm));
	nlb_u32(&b, NHA_ID, 1002);
	nlb_attr(&b, NHA_GROUP, grp, sizeof(grp[0]));
	nlb_end(&b);
	nhm = nlb_msg(&b, RTM_NEWNEXTHOP, 0, sizeof(*nhm)); /* no NHA_ID */
	nlb_u32(&b, NHA_OIF, 1);
	nlb_end(&b);
	nhm = nlb_msg(&b, RTM_NEWNEXTHOP, 0, sizeof(*nhm));
	nhm->nh_family = AF_INET;
	nlb_u32(&b, NHA_ID, 1003);
	nlb_attr(&b, NHA_GATEWAY, grp, 16); /* v6-sized gw on v4 */
	nlb_end(&b);
	CHECK(decode() < 0);
	/* only the group too wide is sent, unusable: its id's old members
	 * must go */
	CHECK_EQ(c.n, 1);
	CHECK_EQ(c.ev[0].type, FPM_EV_NH_ADD);
	CHECK_EQ(c.ev[0].nh.id, 1000);
	CHECK_EQ(c.ev[0].nh.n_group, 0);
	CHECK(!c.ev[0].nh.has_gw && !c.ev[0].nh.blackhole &&
	      !c.ev[0].nh.ifindex);
	CHECK_EQ(d.stats.err_too_many_group, 1);
	CHECK_EQ(d.stats.err_nl_group, 2);
	CHECK_EQ(d.stats.err_nl_missing, 1);
	CHECK_EQ(d.stats.err_nl_attr_size, 1);
}

/* Frames: alignment handling and header errors reach their counters */
static void test_decode_frame(void)
{
	static uint8_t frame[70000];
	size_t len;

	reset();
	add_good_route();
	len = fpm_wrap(frame + 1, FPM_MSG_NETLINK, b.buf, b.len); /* odd */
	CHECK_EQ(fpm_decode_frame(&d, frame + 1, len), 0);
	CHECK_EQ(c.n, 1);
	CHECK_EQ(d.stats.frames_netlink, 1);
	/* garbage after a valid frame */
	memcpy(frame + 1 + len, "xyz", 3);
	CHECK_EQ(fpm_decode_frame(&d, frame + 1, len + 3), -EBADMSG);
	CHECK_EQ(c.n, 2);
	CHECK_EQ(d.stats.err_frame_trailing, 1);
	/* header says more than there is */
	CHECK_EQ(fpm_decode_frame(&d, frame + 1, len - 1), -ENODATA);
	CHECK_EQ(d.stats.err_frame_truncated, 1);
	CHECK_EQ(fpm_decode_frame(&d, frame + 1, 3), -EAGAIN);
	CHECK_EQ(d.stats.err_frame_truncated, 2);
	frame[1] = 2;
	CHECK_EQ(fpm_decode_frame(&d, frame + 1, len), -EPROTO);
	CHECK_EQ(d.stats.err_frame_version, 1);
	frame[1] = 1;
	frame[2] = 9;
	CHECK_EQ(fpm_decode_frame(&d, frame + 1, len), -EPROTONOSUPPORT);
	CHECK_EQ(d.stats.err_frame_type, 1);
	frame[2] = 1;
	frame[3] = 0;
	frame[4] = 0;
	CHECK_EQ(fpm_decode_frame(&d, frame + 1, len), -EBADMSG);
	CHECK_EQ(d.stats.err_frame_length, 1);
	frame[4] = 4;
	CHECK_EQ(fpm_decode_frame(&d, frame + 1, len), -ENOMSG);
	CHECK_EQ(d.stats.err_frame_empty, 1);
	frame[3] = 0xff;
	frame[4] = 0xff;
	CHECK_EQ(fpm_decode_frame(&d, frame + 1, len), -ENODATA);
	CHECK_EQ(d.stats.err_frame_truncated, 3);
}

static void test_stream_errors_offset(void)
{
	static uint8_t s[4096];
	size_t len, off = 0;

	reset();
	add_good_route();
	for (int i = 0; i < 3; i++)
		off += fpm_wrap(s + off, FPM_MSG_NETLINK, b.buf, b.len);
	len = off;
	memcpy(s + off, "\x01\x01\x00\x03", 4);
	CHECK_EQ(fpm_decoder_feed(&d, s, len + 4), -EBADMSG);
	CHECK_EQ(c.n, 3);
	CHECK_EQ(d.err_offset, len);
	CHECK_EQ(d.stats.err_frame_length, 1);
	CHECK_EQ(d.stats.bytes, len + 4);
	/* counted once, however often the caller retries */
	CHECK_EQ(fpm_decoder_feed(&d, s, 4), -EBADMSG);
	CHECK_EQ(d.stats.err_frame_length, 1);
	fpm_decoder_reset(&d);
	CHECK_EQ(fpm_decoder_feed(&d, s, len - 1), 0);
	CHECK_EQ(fpm_decoder_end(&d), -ENODATA);
	CHECK_EQ(d.stats.err_frame_truncated, 1);
	CHECK_EQ(c.n, 5);
}

static void test_stats_names(void)
{
	struct fpm_stats st = {0};

	st.err_nl_attr = 7;
	CHECK(!strcmp(fpm_stat_name(FPM_STAT_connections), "connections"));
	CHECK(!strcmp(fpm_stat_name(FPM_STAT_err_nl_attr), "err_nl_attr"));
	CHECK_EQ(fpm_stat_value(&st, FPM_STAT_err_nl_attr), 7);
	CHECK(fpm_stat_name(FPM_STAT__COUNT) == NULL);
	for (unsigned int i = 0; i < FPM_STAT__COUNT; i++)
		CHECK(fpm_stat_name(i) && fpm_stat_help(i));
}

int main(void)
{
	RUN(test_route_v4_gateway);
	RUN(test_route_v6_multipath_weights);
	RUN(test_route_via_v6_gateway_for_v4);
	RUN(test_route_nh_id_and_types);
	RUN(test_route_delete);
	RUN(test_nexthops);
	RUN(test_skipped_kinds);
	RUN(test_encap_unusable);
	RUN(test_nlmsg_len_lies);
	RUN(test_trailing_garbage);
	RUN(test_attr_len_lies);
	RUN(test_attr_wrong_size);
	RUN(test_multipath_lies);
	RUN(test_too_many_paths);
	RUN(test_group_errors);
	RUN(test_decode_frame);
	RUN(test_stream_errors_offset);
	RUN(test_stats_names);
	return unit_done();
}
