// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sFlow v5 encoder against the spec's layout (sflow_version_5.txt),
 * byte for byte: the expected datagrams are written out field by field
 * from the spec's structures, not from the encoder.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "export/sflow_encode.h"
#include "unit_test.h"

/* A 32-bit XDR word as 4 bytes, to write expected datagrams readably. */
#define W(v)                                                            \
	(uint8_t)((uint32_t)(v) >> 24), (uint8_t)((uint32_t)(v) >> 16), \
		(uint8_t)((uint32_t)(v) >> 8), (uint8_t)(v)

static const struct sflow_agent agent4 = {
	.addr_type = SFLOW_ADDR_IP4,
	.addr = {192, 0, 2, 1},
	.sub_agent_id = 7,
};

static void test_flow_sample(void)
{
	static const uint8_t hdr[6] = {1, 2, 3, 4, 5, 6};
	static struct sflow_datagram d;
	const struct sflow_flow f = {
		.seq = 42,
		.source = 3,
		.rate = 10,
		.pool = 420,
		.drops = 2,
		.input = 3,
		.output = 4,
		.frame_length = 64,
		.stripped = 4,
		.header = hdr,
		.header_len = sizeof(hdr),
	};
	const uint8_t want[] = {
		/* sample_datagram_v5 */
		W(5),	      /* version */
		W(1),	      /* address type IP_V4 */
		192, 0, 2, 1, /* agent_address */
		W(7),	      /* sub_agent_id */
		W(1000),      /* sequence_number */
		W(123456),    /* uptime, ms */
		W(1),	      /* samples */
		/* sample_record: data_format enterprise 0, format 1 */
		W(1), W(64),		/* flow_sample, its length */
		W(42),			/* sequence_number */
		W(3),			/* source_id: type 0 ifIndex, index 3 */
		W(10),			/* sampling_rate */
		W(420),			/* sample_pool */
		W(2),			/* drops */
		W(3),			/* input */
		W(4),			/* output */
		W(1),			/* flow_records */
		W(1), W(24),		/* sampled_header, its length */
		W(1),			/* header_protocol ETHERNET-ISO88023 */
		W(64),			/* frame_length */
		W(4),			/* stripped */
		W(6),			/* header<> length */
		1, 2, 3, 4, 5, 6, 0, 0, /* padded to 4 */
	};

	sflow_datagram_begin(&d, &agent4, 1000, 123456);
	CHECK_EQ(sflow_add_flow(&d, &f), 0);
	CHECK_EQ(d.len, sizeof(want));
	CHECK(d.len == sizeof(want) && !memcmp(d.buf, want, sizeof(want)));
	CHECK_EQ(sflow_flow_size(sizeof(hdr)), sizeof(want) - 28);
}

static void test_counters_sample_ip6(void)
{
	static struct sflow_datagram d;
	const struct sflow_agent a6 = {
		.addr_type = SFLOW_ADDR_IP6,
		.addr = {0x20, 0x01, 0x0d, 0xb8, [15] = 1},
		.sub_agent_id = 0,
	};
	const struct sflow_if_counters c = {
		.seq = 9,
		.ifindex = 5,
		.iftype = SFLOW_IFTYPE_ETHERNET,
		.speed = 10000000000ULL,
		.direction = 1,
		.status = 3,
		.in_octets = 0x100000002ULL,
		.in_ucast = 11,
		.in_mcast = 12,
		.in_bcast = 13,
		.in_discards = 14,
		.in_errors = 15,
		.in_unknown_protos = 16,
		.out_octets = 0x300000004ULL,
		.out_ucast = 21,
		.out_mcast = 22,
		.out_bcast = 23,
		.out_discards = 24,
		.out_errors = 25,
		.promiscuous = 0,
	};
	const uint8_t want[] = {
		W(5), W(2), /* version, address type IP_V6 */
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
		W(0), W(1), W(2), W(1), /* sub-agent, sequence, uptime, 1 */
		/* counters_sample: enterprise 0, format 2, its length */
		W(2), W(108), W(9),  /* sequence_number */
		W(5),		     /* source_id: ifIndex 5 */
		W(1),		     /* counter_records */
		W(1), W(88),	     /* if_counters, its length */
		W(5),		     /* ifIndex */
		W(6),		     /* ifType ethernetCsmacd */
		W(2), W(0x540be400), /* ifSpeed, 10^10 */
		W(1),		     /* ifDirection full-duplex */
		W(3),		     /* ifStatus admin and oper up */
		W(1), W(2),	     /* ifInOctets */
		W(11), W(12), W(13), W(14), W(15), W(16), W(3),
		W(4),					 /* ifOutOctets */
		W(21), W(22), W(23), W(24), W(25), W(0), /* ifPromiscuousMode */
	};

	sflow_datagram_begin(&d, &a6, 1, 2);
	CHECK_EQ(sflow_add_if_counters(&d, &c), 0);
	CHECK_EQ(d.len, sizeof(want));
	CHECK(d.len == sizeof(want) && !memcmp(d.buf, want, sizeof(want)));
}

/* Samples until the datagram is full: the count is patched each time, and
 * a sample that does not fit leaves the datagram as it was. */
static void test_full(void)
{
	static uint8_t hdr[128];
	static struct sflow_datagram d;
	struct sflow_flow f = {.header = hdr, .header_len = sizeof(hdr)};
	unsigned int n = 0;
	size_t len;

	sflow_datagram_begin(&d, &agent4, 1, 1);
	while (sflow_add_flow(&d, &f) == 0)
		n++;
	CHECK_EQ(n, (SFLOW_DATAGRAM_MAX - 28) / sflow_flow_size(128));
	CHECK_EQ(d.buf[27], n);
	len = d.len;
	CHECK_EQ(sflow_add_flow(&d, &f), -ENOSPC);
	CHECK_EQ(d.len, len);
	CHECK(d.len <= SFLOW_DATAGRAM_MAX);
}

int main(void)
{
	RUN(test_flow_sample);
	RUN(test_counters_sample_ip6);
	RUN(test_full);
	return unit_done();
}
