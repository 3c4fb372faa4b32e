// SPDX-License-Identifier: GPL-2.0-only
/*
 * IPFIX messages against RFC 7011's layout, byte for byte (the expected
 * bytes written field by field from the RFC, not from the encoder), and
 * the flow cache that feeds them: 5-tuples parsed from sampled headers,
 * counts scaled by the rate, idle and active expiry, eviction when full.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <linux/bpf.h>

#include "export/flow_cache.h"
#include "export/ipfix_encode.h"
#include "unit_test.h"

#define H16(v) (uint8_t)((v) >> 8), (uint8_t)(v)
#define W(v) H16((uint32_t)(v) >> 16), H16((uint32_t)(v)&0xffff)
#define D(v) W((uint64_t)(v) >> 32), W((uint64_t)(v)&0xffffffff)
/* the fields after the addresses, in both templates */
#define TAIL_FIELDS                                                       \
	H16(4), H16(1), H16(7), H16(2), H16(11), H16(2), H16(10), H16(4), \
		H16(14), H16(4), H16(89), H16(1), H16(1), H16(8), H16(2), \
		H16(8), H16(152), H16(8), H16(153), H16(8)

static void test_templates_and_record(void)
{
	static struct ipfix_message m;
	const struct ipfix_flow f = {
		.family = 4,
		.src = {10, 0, 1, 2},
		.dst = {192, 168, 50, 1},
		.proto = 17,
		.sport = 40000,
		.dport = 9000,
		.in_ifindex = 2,
		.out_ifindex = 3,
		.forwarding_status = IPFIX_FWD_FORWARDED,
		.octets = 920,
		.packets = 10,
		.start_ms = 1700000000123ULL,
		.end_ms = 1700000000456ULL,
	};
	const uint8_t want[] = {
		/* message header */
		H16(10),
		H16(16 + 108 + 4 + 54), /* version, length */
		W(1700000000),		/* export time */
		W(77),			/* sequence number */
		W(5),			/* observation domain */
		/* template set: id 2, length 4 + 2 x (4 + 12 x 4) */
		H16(2),
		H16(108),
		H16(256),
		H16(12), /* template 256, 12 fields */
		H16(8),
		H16(4),
		H16(12),
		H16(4), /* IPv4 source, dest */
		TAIL_FIELDS,
		H16(257),
		H16(12),
		H16(27),
		H16(16),
		H16(28),
		H16(16), /* IPv6 source, dest */
		TAIL_FIELDS,
		/* data set of template 256: 4 + 54 */
		H16(256),
		H16(58),
		10,
		0,
		1,
		2,
		192,
		168,
		50,
		1, /* addresses */
		17,
		H16(40000),
		H16(9000), /* protocol, ports */
		W(2),
		W(3), /* ingress, egress */
		0x40, /* forwarded */
		D(920),
		D(10), /* octets, packets */
		D(1700000000123ULL),
		D(1700000000456ULL),
	};

	ipfix_message_begin(&m, 1700000000, 77, 5);
	CHECK_EQ(ipfix_add_templates(&m), 0);
	CHECK_EQ(ipfix_add_flow(&m, &f), 0);
	ipfix_message_end(&m);
	CHECK_EQ(m.len, sizeof(want));
	CHECK(m.len == sizeof(want) && !memcmp(m.buf, want, sizeof(want)));
	CHECK_EQ(m.records, 1);
}

/* A v6 record after a v4 one opens a set of template 257; full messages
 * refuse the record and stay valid. */
static void test_sets_and_full(void)
{
	static struct ipfix_message m;
	struct ipfix_flow v4 = {.family = 4}, v6 = {.family = 6};
	unsigned int n = 0;

	ipfix_message_begin(&m, 0, 0, 0);
	CHECK_EQ(ipfix_add_flow(&m, &v4), 0);
	CHECK_EQ(ipfix_add_flow(&m, &v6), 0);
	CHECK_EQ(m.len, 16 + 4 + 54 + 4 + 78);
	while (ipfix_add_flow(&m, &v6) == 0)
		n++;
	CHECK(n > 10);
	ipfix_message_end(&m);
	CHECK(m.len <= IPFIX_MESSAGE_MAX);
	CHECK_EQ(m.buf[2] << 8 | m.buf[3], m.len);
}

static struct ipfix_flow out[8];
static unsigned int n_out;

static void collect(void *arg, const struct ipfix_flow *f)
{
	(void)arg;
	if (n_out < 8)
		out[n_out] = *f;
	n_out++;
}

/* An Ethernet + IPv4 + UDP frame, sport varying. */
static void udp_sample(struct xr_flow_sample *s, uint16_t sport)
{
	static const uint8_t frame[] = {
		0,    1, 2, 3,	4,   5,	  6,	7, 8,  9,  10,	 11,   0x08,
		0x00,						    /* eth */
		0x45, 0, 0, 92, 0,   0,	  0x40, 0, 64, 17, 0,	 0, /* IPv4 */
		10,   0, 1, 2,	192, 168, 50,	1, 0,  0,  0x23, 0x28, 0,
		72,   0, 0, /* UDP, dport 9000 */
	};

	memset(s, 0, sizeof(*s));
	memcpy(s->header, frame, sizeof(frame));
	s->header[34] = sport >> 8;
	s->header[35] = (uint8_t)sport;
	s->header_len = sizeof(frame);
	s->frame_len = 106;
	s->rate = 10;
	s->in_ifindex = 2;
	s->out_ifindex = 3;
	s->action = XDP_REDIRECT;
}

static void test_cache(void)
{
	struct flow_cache c;
	struct xr_flow_sample s;

	n_out = 0;
	CHECK_EQ(flow_cache_init(&c, 2, 1000, 5000, collect, NULL), 0);
	udp_sample(&s, 40000);
	flow_cache_add(&c, &s, 10000);
	flow_cache_add(&c, &s, 10500);
	flow_cache_expire(&c, 11000); /* idle 500 ms: stays */
	CHECK_EQ(n_out, 0);
	flow_cache_expire(&c, 11600); /* idle 1.1 s: out */
	CHECK_EQ(n_out, 1);
	CHECK_EQ(out[0].packets, 20);
	CHECK_EQ(out[0].octets, 2 * 10 * 92);
	CHECK_EQ(out[0].sport, 40000);
	CHECK_EQ(out[0].dport, 9000);
	CHECK_EQ(out[0].proto, 17);
	CHECK_EQ(out[0].in_ifindex, 2);
	CHECK_EQ(out[0].out_ifindex, 3);
	CHECK_EQ(out[0].forwarding_status, IPFIX_FWD_FORWARDED);
	CHECK_EQ(out[0].start_ms, 10000);
	CHECK_EQ(out[0].end_ms, 10500);
	CHECK(!memcmp(out[0].dst, "\xc0\xa8\x32\x01", 4));

	/* a punted frame is a flow of its own, egress unknown */
	s.action = XDP_PASS;
	flow_cache_add(&c, &s, 20000);
	/* two more flows in a cache of two: the oldest goes */
	udp_sample(&s, 40001);
	flow_cache_add(&c, &s, 20001);
	udp_sample(&s, 40002);
	flow_cache_add(&c, &s, 20002);
	CHECK_EQ(n_out, 2);
	CHECK_EQ(out[1].out_ifindex, 0);
	CHECK_EQ(out[1].forwarding_status, IPFIX_FWD_UNKNOWN);
	CHECK_EQ(c.evicted, 1);
	/* active timeout: a busy flow is reported after 5 s */
	for (uint64_t t = 20003; t < 26000; t += 500)
		flow_cache_add(&c, &s, t);
	flow_cache_expire(&c, 26000);
	CHECK_EQ(n_out, 4);
	/* a frame without IP is counted, not cached */
	s.header[12] = 0x88;
	flow_cache_add(&c, &s, 26001);
	CHECK_EQ(c.unparsed, 1);
	flow_cache_free(&c);
	CHECK_EQ(n_out, 4);
}

int main(void)
{
	RUN(test_templates_and_record);
	RUN(test_sets_and_full);
	RUN(test_cache);
	return unit_done();
}
