// SPDX-License-Identifier: GPL-2.0-only
/* kernel/route_table.c without a kernel: RTM_NEWROUTE messages built as a
 * per-table dump gives them (rtm_table 252 and RTA_TABLE beyond 255,
 * RTA_PRIORITY, RTA_NH_ID or RTA_GATEWAY + RTA_OIF), read, then compared
 * with a fake fast path's VRF. */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "fpm_events.h"
#include "kernel/route_table.h"
#include "unit_test.h"

static char buf[8192];

static struct nlmsghdr *route(uint8_t family, const char *dst, uint8_t plen,
			      uint32_t table, uint8_t type)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;
	uint8_t a[16];

	nlh->nlmsg_type = RTM_NEWROUTE;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = family;
	rtm->rtm_dst_len = plen;
	rtm->rtm_table = table < 256 ? table : RT_TABLE_COMPAT;
	rtm->rtm_type = type;
	rtm->rtm_protocol = RTPROT_STATIC;
	mnl_attr_put_u32(nlh, RTA_TABLE, table);
	mnl_attr_put_u32(nlh, RTA_PRIORITY, 20);
	if (plen) {
		inet_pton(family, dst, a);
		mnl_attr_put(nlh, RTA_DST, family == AF_INET ? 4 : 16, a);
	}
	return nlh;
}

static void via(struct nlmsghdr *nlh, const char *gw, uint32_t oif)
{
	uint8_t a[16];
	int fam = ((struct rtmsg *)mnl_nlmsg_get_payload(nlh))->rtm_family;

	inet_pton(fam, gw, a);
	mnl_attr_put(nlh, RTA_GATEWAY, fam == AF_INET ? 4 : 16, a);
	mnl_attr_put_u32(nlh, RTA_OIF, oif);
}

/* The fast path's VRF 10000: 0.0.0.0/0 by nexthop 21 and 198.51.101.0/24
 * by nexthop 23 (10.0.2.2 on link 3), unicast, and 192.0.2.0/24 blackhole. */
static struct {
	const char *dst;
	uint8_t plen, type;
	uint32_t nh_id;
} zebra[] = {
	{"0.0.0.0", 0, FPM_RT_UNICAST, 21},
	{"198.51.101.0", 24, FPM_RT_UNICAST, 23},
	{"192.0.2.0", 24, FPM_RT_BLACKHOLE, 0},
};
static size_t zebra_n = 3;

static int fake_get(void *arg, uint32_t vrf, const struct table_route *k,
		    uint8_t *type, uint32_t *nh_id)
{
	(void)arg;
	for (size_t i = 0; vrf == 10000 && i < zebra_n; i++) {
		uint8_t a[4];

		inet_pton(AF_INET, zebra[i].dst, a);
		if (k->family == AF_INET && k->plen == zebra[i].plen &&
		    !memcmp(k->dst, a, 4)) {
			*type = zebra[i].type;
			*nh_id = zebra[i].nh_id;
			return 0;
		}
	}
	return -ENOENT;
}

static bool fake_nexthop_is(void *arg, uint32_t nh_id,
			    const struct table_route *k)
{
	uint8_t gw[4];

	(void)arg;
	inet_pton(AF_INET, "10.0.2.2", gw);
	return nh_id == 23 && k->has_gw && !memcmp(k->gw, gw, 4) && k->oif == 3;
}

static size_t fake_count(void *arg, uint8_t family, uint32_t vrf)
{
	(void)arg;
	return family == AF_INET && vrf == 10000 ? zebra_n : 0;
}

static const struct route_table_ops ops = {
	.route_get = fake_get,
	.nexthop_is = fake_nexthop_is,
	.count = fake_count,
};

/* The kernel's table 10000 as the fake's, in dump order. */
static size_t kernel_table(struct table_route *v)
{
	struct nlmsghdr *nlh;

	nlh = route(AF_INET, "198.51.101.0", 24, 10000, RTN_UNICAST);
	via(nlh, "10.0.2.2", 3);
	CHECK_EQ(table_route_parse(nlh, &v[0]), 0);
	nlh = route(AF_INET, NULL, 0, 10000, RTN_UNICAST);
	mnl_attr_put_u32(nlh, RTA_NH_ID, 21);
	CHECK_EQ(table_route_parse(nlh, &v[1]), 0);
	CHECK_EQ(table_route_parse(
			 route(AF_INET, "192.0.2.0", 24, 10000, RTN_BLACKHOLE),
			 &v[2]),
		 0);
	return 3;
}

static void test_parse(void)
{
	struct table_route v[4];
	struct nlmsghdr *nlh;

	kernel_table(v);
	CHECK_EQ(v[0].table, 10000);
	CHECK_EQ(v[0].plen, 24);
	CHECK_EQ(v[0].type, FPM_RT_UNICAST);
	CHECK(v[0].has_gw);
	CHECK_EQ(v[0].oif, 3);
	CHECK(!v[0].unprovable);
	CHECK_EQ(v[1].nh_id, 21);
	CHECK_EQ(v[2].type, FPM_RT_BLACKHOLE);
	/* what zebra does not model */
	CHECK_EQ(table_route_parse(
			 route(AF_INET, "198.51.102.0", 24, 10000, RTN_THROW),
			 &v[3]),
		 0);
	CHECK(v[3].unprovable && strstr(v[3].unprovable, "throw"));
	nlh = route(AF_INET, "198.51.102.0", 24, 10000, RTN_UNICAST);
	((struct rtmsg *)mnl_nlmsg_get_payload(nlh))->rtm_tos = 0x10;
	CHECK_EQ(table_route_parse(nlh, &v[3]), 0);
	CHECK(v[3].unprovable && strstr(v[3].unprovable, "tos"));
	/* a cache entry is no route; a cut message is refused */
	nlh = route(AF_INET6, "2001:db8::", 64, 10000, RTN_UNICAST);
	((struct rtmsg *)mnl_nlmsg_get_payload(nlh))->rtm_flags = RTM_F_CLONED;
	CHECK_EQ(table_route_parse(nlh, &v[3]), -ENOENT);
	nlh = route(AF_INET, "198.51.102.0", 24, 10000, RTN_UNICAST);
	nlh->nlmsg_len -= 4;
	CHECK_EQ(table_route_parse(nlh, &v[3]), -EBADMSG);
}

static void test_equal(void)
{
	struct table_route v[5];
	char why[128];
	size_t n = kernel_table(v);

	CHECK(route_table_equal(v, n, AF_INET, 10000, &ops, why, sizeof(why)));
	/* the other family: both sides empty */
	CHECK(route_table_equal(v, n, AF_INET6, 10000, &ops, why, sizeof(why)));
	/* another table: zebra's VRF 10001 is empty */
	CHECK(!route_table_equal(v, n, AF_INET, 10001, &ops, why, sizeof(why)));
}

static void test_differences(void)
{
	struct table_route v[5];
	char why[128];
	size_t n = kernel_table(v);
	struct nlmsghdr *nlh;

	/* a route behind zebra's back that zebra did not take */
	nlh = route(AF_INET, "192.168.50.0", 25, 10000, RTN_UNICAST);
	via(nlh, "10.0.2.2", 3);
	CHECK_EQ(table_route_parse(nlh, &v[n]), 0);
	CHECK(!route_table_equal(v, n + 1, AF_INET, 10000, &ops, why,
				 sizeof(why)));
	CHECK_EQ(strcmp(why, "192.168.50.0/25 is only in the kernel"), 0);
	/* a throw route, though zebra had the prefix */
	n = kernel_table(v);
	CHECK_EQ(table_route_parse(
			 route(AF_INET, "192.0.2.0", 24, 10000, RTN_THROW),
			 &v[2]),
		 0);
	CHECK(!route_table_equal(v, n, AF_INET, 10000, &ops, why, sizeof(why)));
	CHECK_EQ(strcmp(why, "192.0.2.0/24 is a throw route"), 0);
	/* a second route on a prefix (another tos or metric) */
	n = kernel_table(v);
	v[n] = v[1];
	CHECK(!route_table_equal(v, n + 1, AF_INET, 10000, &ops, why,
				 sizeof(why)));
	CHECK(strstr(why, "second route") != NULL);
	/* another nexthop, another path, another type */
	n = kernel_table(v);
	v[1].nh_id = 22;
	CHECK(!route_table_equal(v, n, AF_INET, 10000, &ops, why, sizeof(why)));
	CHECK(strstr(why, "0.0.0.0/0 has another nexthop") != NULL);
	n = kernel_table(v);
	v[0].oif = 4;
	CHECK(!route_table_equal(v, n, AF_INET, 10000, &ops, why, sizeof(why)));
	CHECK(strstr(why, "another path") != NULL);
	n = kernel_table(v);
	v[2].type = FPM_RT_UNREACHABLE;
	CHECK(!route_table_equal(v, n, AF_INET, 10000, &ops, why, sizeof(why)));
	/* a route only in zebra's (one it failed to install) */
	n = kernel_table(v);
	CHECK(!route_table_equal(v, n - 1, AF_INET, 10000, &ops, why,
				 sizeof(why)));
	CHECK(strstr(why, "zebra's has 3 routes, the kernel's 2") != NULL);
}

int main(void)
{
	RUN(test_parse);
	RUN(test_equal);
	RUN(test_differences);
	return unit_done();
}
