// SPDX-License-Identifier: GPL-2.0-only
/*
 * Protobuf payloads, encoded here with protobuf-c from our fpm.proto, must
 * decode to exactly the events of their netlink twins.
 */
#include <errno.h>
#include <arpa/inet.h>

#include "fpm.pb-c.h"
#include "fpm_test_nl.h"
#include "unit_test.h"

static struct fpm_decoder d;
static struct collector pb, nl;
static struct nlb b;
static uint8_t frame[65536];

static void reset(void)
{
	memset(&pb, 0, sizeof(pb));
	memset(&nl, 0, sizeof(nl));
	memset(&b, 0, sizeof(b));
}

/* Pack msg into an FPM frame and decode it as a stream would. */
static int decode_pb(Fpm__Message *msg)
{
	size_t len = fpm__message__get_packed_size(msg);

	fpm__message__pack(msg, frame + FPM_HDR_LEN);
	fpm_frame_put_header(frame, FPM_MSG_PROTOBUF, len);
	fpm_decoder_init(&d, collect, &pb);
	return fpm_decode_frame(&d, frame, len + FPM_HDR_LEN);
}

static int decode_nl(void)
{
	size_t len = fpm_wrap(frame, FPM_MSG_NETLINK, b.buf, b.len);

	fpm_decoder_init(&d, collect, &nl);
	return fpm_decode_frame(&d, frame, len);
}

static int same_route(const struct fpm_event *a, const struct fpm_event *b2)
{
	const struct fpm_route *x = &a->route, *y = &b2->route;

	if (a->type != b2->type || x->family != y->family ||
	    x->prefixlen != y->prefixlen || memcmp(x->dst, y->dst, 16) ||
	    x->table != y->table || x->n_nexthops != y->n_nexthops)
		return 0;
	if (a->type == FPM_EV_ROUTE_DEL)
		return 1;
	if (x->type != y->type || x->protocol != y->protocol ||
	    x->metric != y->metric || x->nh_id != y->nh_id ||
	    x->flags != y->flags)
		return 0;
	for (int i = 0; i < x->n_nexthops; i++)
		if (x->nh[i].family != y->nh[i].family ||
		    x->nh[i].has_gw != y->nh[i].has_gw ||
		    memcmp(x->nh[i].gw, y->nh[i].gw, 16) ||
		    x->nh[i].ifindex != y->nh[i].ifindex ||
		    x->nh[i].weight != y->nh[i].weight)
			return 0;
	return 1;
}

static void test_add_v4_ecmp_twin(void)
{
	Qpb__Ipv4Address a1 = QPB__IPV4_ADDRESS__INIT,
			 a2 = QPB__IPV4_ADDRESS__INIT;
	Qpb__L3Address l1 = QPB__L3_ADDRESS__INIT, l2 = QPB__L3_ADDRESS__INIT;
	Qpb__IfIdentifier if1 = QPB__IF_IDENTIFIER__INIT,
			  if2 = QPB__IF_IDENTIFIER__INIT;
	Fpm__Nexthop n1 = FPM__NEXTHOP__INIT, n2 = FPM__NEXTHOP__INIT;
	Fpm__Nexthop *nhs[] = {&n1, &n2};
	Qpb__L3Prefix pfx = QPB__L3_PREFIX__INIT;
	Fpm__RouteKey key = FPM__ROUTE_KEY__INIT;
	Fpm__AddRoute add = FPM__ADD_ROUTE__INIT;
	Fpm__Message msg = FPM__MESSAGE__INIT;
	uint8_t dst[3] = {198, 51, 100};
	uint32_t gw1 = htonl(0x0a010102), gw2 = htonl(0x0a020202);

	reset();
	a1.value = 0x0a010102; /* host order, as zebra sends */
	a2.value = 0x0a020202;
	l1.v4 = &a1;
	l2.v4 = &a2;
	if1.has_index = if2.has_index = 1;
	if1.index = 3;
	if2.index = 5;
	n1.if_id = &if1;
	n1.address = &l1;
	n2.if_id = &if2;
	n2.address = &l2;
	pfx.length = 24;
	pfx.bytes.len = 3;
	pfx.bytes.data = dst;
	key.prefix = &pfx;
	add.vrf_id = 0;
	add.address_family = QPB__ADDRESS_FAMILY__IPV4;
	add.sub_address_family = QPB__SUB_ADDRESS_FAMILY__UNICAST;
	add.key = &key;
	add.has_route_type = 1;
	add.route_type = FPM__ROUTE_TYPE__NORMAL;
	add.protocol = QPB__PROTOCOL__STATIC;
	add.metric = 20;
	add.n_nexthops = 2;
	add.nexthops = nhs;
	msg.has_type = 1;
	msg.type = FPM__MESSAGE__TYPE__ADD_ROUTE;
	msg.add_route = &add;
	CHECK_EQ(decode_pb(&msg), 0);
	CHECK_EQ(d.stats.frames_protobuf, 1);
	CHECK_EQ(d.stats.msg_pb_add_route, 1);

	/* the netlink twin, as zebra's dplane_fpm_nl would send it */
	nlb_route(&b, RTM_NEWROUTE, AF_INET, 24, RTN_UNICAST);
	((struct nlmsghdr *)b.buf)->nlmsg_flags |= NLM_F_REPLACE;
	nlb_attr(&b, RTA_DST, (uint8_t[4]){198, 51, 100, 0}, 4);
	nlb_u32(&b, RTA_PRIORITY, 20);
	nlb_nest_start(&b, RTA_MULTIPATH);
	nlb_rtnh_start(&b, 3, 1);
	nlb_attr(&b, RTA_GATEWAY, &gw1, 4);
	nlb_rtnh_end(&b);
	nlb_rtnh_start(&b, 5, 1);
	nlb_attr(&b, RTA_GATEWAY, &gw2, 4);
	nlb_rtnh_end(&b);
	nlb_nest_end(&b);
	nlb_end(&b);
	CHECK_EQ(decode_nl(), 0);

	CHECK_EQ(pb.n, 1);
	CHECK_EQ(nl.n, 1);
	CHECK(same_route(&pb.ev[0], &nl.ev[0]));
}

static void test_add_v6_blackhole_twin(void)
{
	Qpb__L3Prefix pfx = QPB__L3_PREFIX__INIT;
	Fpm__RouteKey key = FPM__ROUTE_KEY__INIT;
	Fpm__AddRoute add = FPM__ADD_ROUTE__INIT;
	Fpm__Message msg = FPM__MESSAGE__INIT;
	uint8_t dst[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0x97};

	reset();
	pfx.length = 48;
	pfx.bytes.len = 6;
	pfx.bytes.data = dst;
	key.prefix = &pfx;
	add.vrf_id = 100;
	add.address_family = QPB__ADDRESS_FAMILY__IPV6;
	add.sub_address_family = QPB__SUB_ADDRESS_FAMILY__UNICAST;
	add.key = &key;
	add.has_route_type = 1;
	add.route_type = FPM__ROUTE_TYPE__BLACKHOLE;
	add.protocol = QPB__PROTOCOL__BGP;
	add.metric = 0;
	msg.has_type = 1;
	msg.type = FPM__MESSAGE__TYPE__ADD_ROUTE;
	msg.add_route = &add;
	CHECK_EQ(decode_pb(&msg), 0);

	nlb_route(&b, RTM_NEWROUTE, AF_INET6, 48, RTN_BLACKHOLE);
	((struct nlmsghdr *)b.buf)->nlmsg_flags |= NLM_F_REPLACE;
	((struct rtmsg *)NLMSG_DATA(b.buf))->rtm_protocol = 186;
	nlb_attr(&b, RTA_DST, dst, 16);
	nlb_u32(&b, RTA_TABLE, 100);
	nlb_end(&b);
	CHECK_EQ(decode_nl(), 0);
	CHECK_EQ(pb.n, 1);
	CHECK(same_route(&pb.ev[0], &nl.ev[0]));
	CHECK_EQ(pb.ev[0].route.type, FPM_RT_BLACKHOLE);
}

static void test_delete_twin(void)
{
	Qpb__L3Prefix pfx = QPB__L3_PREFIX__INIT;
	Fpm__RouteKey key = FPM__ROUTE_KEY__INIT;
	Fpm__DeleteRoute del = FPM__DELETE_ROUTE__INIT;
	Fpm__Message msg = FPM__MESSAGE__INIT;
	uint8_t dst[4] = {10, 0, 0, 0};

	reset();
	pfx.length = 8;
	pfx.bytes.len = 1;
	pfx.bytes.data = dst;
	key.prefix = &pfx;
	del.address_family = QPB__ADDRESS_FAMILY__IPV4;
	del.sub_address_family = QPB__SUB_ADDRESS_FAMILY__UNICAST;
	del.key = &key;
	msg.has_type = 1;
	msg.type = FPM__MESSAGE__TYPE__DELETE_ROUTE;
	msg.delete_route = &del;
	CHECK_EQ(decode_pb(&msg), 0);

	nlb_route(&b, RTM_DELROUTE, AF_INET, 8, RTN_UNICAST);
	nlb_attr(&b, RTA_DST, dst, 4);
	nlb_end(&b);
	CHECK_EQ(decode_nl(), 0);
	CHECK_EQ(pb.n, 1);
	CHECK_EQ(pb.ev[0].type, FPM_EV_ROUTE_DEL);
	CHECK(same_route(&pb.ev[0], &nl.ev[0]));
	CHECK_EQ(d.stats.ev_route_del, 1);
}

/* More paths than FPM_MAX_PATHS: counted, never truncated, sent unusable
 * (no path) so the key's old paths go, as netlink does. */
static void test_pb_too_many_paths(void)
{
	Qpb__IfIdentifier ifid = QPB__IF_IDENTIFIER__INIT;
	Fpm__Nexthop n = FPM__NEXTHOP__INIT;
	Fpm__Nexthop *nhs[FPM_MAX_PATHS + 1];
	Qpb__L3Prefix pfx = QPB__L3_PREFIX__INIT;
	Fpm__RouteKey key = FPM__ROUTE_KEY__INIT;
	Fpm__AddRoute add = FPM__ADD_ROUTE__INIT;
	Fpm__Message msg = FPM__MESSAGE__INIT;
	uint8_t dst[3] = {198, 51, 100};

	reset();
	ifid.has_index = 1;
	ifid.index = 3;
	n.if_id = &ifid;
	for (int i = 0; i <= FPM_MAX_PATHS; i++)
		nhs[i] = &n;
	pfx.length = 24;
	pfx.bytes.len = 3;
	pfx.bytes.data = dst;
	key.prefix = &pfx;
	add.address_family = QPB__ADDRESS_FAMILY__IPV4;
	add.sub_address_family = QPB__SUB_ADDRESS_FAMILY__UNICAST;
	add.key = &key;
	add.n_nexthops = FPM_MAX_PATHS + 1;
	add.nexthops = nhs;
	msg.has_type = 1;
	msg.type = FPM__MESSAGE__TYPE__ADD_ROUTE;
	msg.add_route = &add;
	CHECK(decode_pb(&msg) < 0);
	CHECK_EQ(d.stats.err_too_many_paths, 1);
	CHECK_EQ(pb.n, 1);
	CHECK_EQ(pb.ev[0].type, FPM_EV_ROUTE_ADD);
	CHECK_EQ(pb.ev[0].route.type, FPM_RT_UNICAST);
	CHECK_EQ(pb.ev[0].route.n_nexthops, 0);
	CHECK_EQ(pb.ev[0].route.prefixlen, 24);
}

static void test_pb_errors(void)
{
	Qpb__L3Prefix pfx = QPB__L3_PREFIX__INIT;
	Fpm__RouteKey key = FPM__ROUTE_KEY__INIT;
	Fpm__DeleteRoute del = FPM__DELETE_ROUTE__INIT;
	Fpm__Message msg = FPM__MESSAGE__INIT;
	uint8_t dst[5] = {10};
	size_t len;

	reset();
	/* not protobuf at all */
	fpm_decoder_init(&d, collect, &pb);
	memcpy(frame, "\x01\x02\x00\x09\xff\xff\xff\xff\xff", 9);
	CHECK_EQ(fpm_decode_frame(&d, frame, 9), -EBADMSG);
	CHECK_EQ(d.stats.err_pb_unpack, 1);

	/* well-formed protobuf, impossible prefix */
	pfx.length = 33;
	pfx.bytes.len = 5;
	pfx.bytes.data = dst;
	key.prefix = &pfx;
	del.address_family = QPB__ADDRESS_FAMILY__IPV4;
	del.sub_address_family = QPB__SUB_ADDRESS_FAMILY__UNICAST;
	del.key = &key;
	msg.has_type = 1;
	msg.type = FPM__MESSAGE__TYPE__DELETE_ROUTE;
	msg.delete_route = &del;
	CHECK_EQ(decode_pb(&msg), -EINVAL);
	CHECK_EQ(d.stats.err_pb_invalid, 1);

	/* unknown family */
	pfx.length = 8;
	pfx.bytes.len = 1;
	del.address_family = QPB__ADDRESS_FAMILY__UNKNOWN_AF;
	CHECK_EQ(decode_pb(&msg), -EINVAL);
	CHECK_EQ(d.stats.err_pb_invalid, 1);

	/* a type we do not know: counted, skipped */
	msg.type = FPM__MESSAGE__TYPE__UNKNOWN_MSG;
	CHECK_EQ(decode_pb(&msg), 0);
	CHECK_EQ(d.stats.skip_pb_type, 1);

	/* a required field missing does not unpack */
	msg.type = FPM__MESSAGE__TYPE__DELETE_ROUTE;
	del.key = NULL;
	len = fpm__message__get_packed_size(&msg);
	fpm__message__pack(&msg, frame + 4);
	fpm_frame_put_header(frame, FPM_MSG_PROTOBUF, len);
	fpm_decoder_init(&d, collect, &pb);
	CHECK(fpm_decode_frame(&d, frame, len + 4) < 0);
	CHECK_EQ(pb.n, 0);
}

int main(void)
{
	RUN(test_add_v4_ecmp_twin);
	RUN(test_add_v6_blackhole_twin);
	RUN(test_delete_twin);
	RUN(test_pb_errors);
	RUN(test_pb_too_many_paths);
	return unit_done();
}
