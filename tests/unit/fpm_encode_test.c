// SPDX-License-Identifier: GPL-2.0-only
/*
 * The offload notification encoder (what xdp-routerd tells zebra a route's
 * offload state is), round-tripped through the FPM decoder.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "fpm_decode.h"
#include "fpm_encode.h"
#include "unit_test.h"

static struct fpm_event got;
static int n_events;

static void on_event(const struct fpm_event *ev, void *arg)
{
	(void)arg;
	got = *ev;
	n_events++;
}

static void test_offload_encode(void)
{
	static struct fpm_route rt;
	static uint8_t buf[FPM_ENCODE_ROUTE_MAX];
	struct fpm_decoder *d = fpm_decoder_new(on_event, NULL);
	const struct nlmsghdr *nlh = (const void *)(buf + 4);
	const struct rtmsg *rtm = NLMSG_DATA(nlh);
	int len;

	rt.family = AF_INET;
	rt.prefixlen = 24;
	rt.dst[0] = 192, rt.dst[1] = 168, rt.dst[2] = 50;
	rt.protocol = 196; /* RTPROT_ZSTATIC */
	rt.table = 254;
	rt.metric = 20;
	rt.n_nexthops = 2;
	for (int i = 0; i < 2; i++) {
		rt.nh[i].family = AF_INET;
		rt.nh[i].has_gw = true;
		rt.nh[i].weight = 1;
		rt.nh[i].ifindex = 3 + i;
		rt.nh[i].gw[0] = 10, rt.nh[i].gw[2] = 2 + i, rt.nh[i].gw[3] = 2;
	}
	len = fpm_encode_route_offload(buf, sizeof(buf), &rt, true, 7);
	CHECK(len > 0);
	CHECK_EQ(buf[0], 1);
	CHECK_EQ(buf[1], 1);
	CHECK_EQ(buf[2] << 8 | buf[3], len);
	CHECK_EQ(nlh->nlmsg_type, RTM_NEWROUTE);
	CHECK(nlh->nlmsg_flags & NLM_F_REQUEST);
	CHECK_EQ(nlh->nlmsg_seq, 7);
	CHECK_EQ(rtm->rtm_flags, 0x4000); /* RTM_F_OFFLOAD */
	CHECK_EQ(rtm->rtm_protocol, 196);
	CHECK(d && !fpm_decoder_feed(d, buf, len));
	CHECK_EQ(n_events, 1);
	CHECK_EQ(got.type, FPM_EV_ROUTE_ADD);
	CHECK_EQ(got.route.prefixlen, 24);
	CHECK_EQ(got.route.table, 254);
	CHECK_EQ(got.route.n_nexthops, 2);
	CHECK_EQ(got.route.nh[1].ifindex, 4);
	CHECK_EQ(got.route.nh[1].gw[2], 3);

	len = fpm_encode_route_offload(buf, sizeof(buf), &rt, false, 8);
	CHECK_EQ(rtm->rtm_flags, 0x20000000); /* RTM_F_OFFLOAD_FAILED */
	rt.n_nexthops = 0;
	rt.nh_id = 42;
	len = fpm_encode_route_offload(buf, sizeof(buf), &rt, true, 9);
	CHECK(!fpm_decoder_feed(d, buf, len));
	CHECK_EQ(got.route.nh_id, 42);
	CHECK_EQ(fpm_encode_route_offload(buf, 10, &rt, true, 1), -ENOSPC);
	rt.prefixlen = 33;
	CHECK_EQ(fpm_encode_route_offload(buf, sizeof(buf), &rt, true, 1),
		 -EINVAL);
	fpm_decoder_free(d);
}

int main(void)
{
	RUN(test_offload_encode);
	return unit_done();
}
