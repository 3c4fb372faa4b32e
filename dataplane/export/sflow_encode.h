/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sFlow version 5 datagrams (sflow.org, sflow_version_5.txt), encoded in
 * XDR as the spec draws them: pure functions on a buffer, no I/O. Only the
 * structures xdp-router sends: flow_sample (enterprise 0, format 1) with a
 * raw packet header record (0/1, header protocol ethernet), and
 * counters_sample (0/2) with the generic interface counters (0/1).
 */
#ifndef XR_SFLOW_ENCODE_H
#define XR_SFLOW_ENCODE_H

#include <stddef.h>
#include <stdint.h>

#define SFLOW_VERSION 5
/* A datagram fits an Ethernet MTU with room for IPv6 and UDP headers. */
#define SFLOW_DATAGRAM_MAX 1400
#define SFLOW_ADDR_IP4 1
#define SFLOW_ADDR_IP6 2
#define SFLOW_FLOW_SAMPLE 1	/* enterprise 0 */
#define SFLOW_COUNTERS_SAMPLE 2 /* enterprise 0 */
#define SFLOW_RAW_HEADER 1	/* flow record, enterprise 0 */
#define SFLOW_IF_COUNTERS 1	/* counter record, enterprise 0 */
#define SFLOW_PROTO_ETHERNET 1	/* header_protocol ETHERNET-ISO88023 */
/* output interface: the packet was discarded, the low bits say why */
#define SFLOW_OUTPUT_DISCARD 0x40000000U
#define SFLOW_DISCARD_UNKNOWN 256U
#define SFLOW_IFTYPE_ETHERNET 6 /* ethernetCsmacd */

struct sflow_agent {
	uint32_t addr_type; /* SFLOW_ADDR_IP4 or SFLOW_ADDR_IP6 */
	uint8_t addr[16];   /* network order, 4 or 16 bytes */
	uint32_t sub_agent_id;
};

struct sflow_flow {
	uint32_t seq;	 /* per data source */
	uint32_t source; /* the sampling ifIndex (data source type 0) */
	uint32_t rate;	 /* 1 in rate */
	uint32_t pool;	 /* frames that could have been sampled */
	uint32_t drops;	 /* samples lost for lack of resources */
	uint32_t input;	 /* ifIndex, 0 unknown */
	uint32_t output; /* ifIndex, 0 unknown, or SFLOW_OUTPUT_DISCARD | why */
	uint32_t frame_length; /* on the wire, with the FCS */
	uint32_t stripped;     /* bytes not in the frame: the FCS */
	const uint8_t *header;
	uint32_t header_len;
};

struct sflow_if_counters {
	uint32_t seq; /* per data source */
	uint32_t ifindex, iftype;
	uint64_t speed;
	uint32_t direction, status;
	uint64_t in_octets;
	uint32_t in_ucast, in_mcast, in_bcast, in_discards, in_errors,
		in_unknown_protos;
	uint64_t out_octets;
	uint32_t out_ucast, out_mcast, out_bcast, out_discards, out_errors;
	uint32_t promiscuous;
};

struct sflow_datagram {
	uint8_t buf[SFLOW_DATAGRAM_MAX];
	size_t len;
	size_t n_samples_at; /* where num_samples is, patched per sample */
	uint32_t n_samples;
};

/* Starts a datagram: version, agent, sub-agent, sequence, uptime (ms). */
void sflow_datagram_begin(struct sflow_datagram *d, const struct sflow_agent *a,
			  uint32_t seq, uint32_t uptime_ms);
/* 0, or -ENOSPC when the sample does not fit (send, begin anew). */
int sflow_add_flow(struct sflow_datagram *d, const struct sflow_flow *f);
int sflow_add_if_counters(struct sflow_datagram *d,
			  const struct sflow_if_counters *c);
/* What one flow sample of header_len bytes takes in a datagram. */
size_t sflow_flow_size(uint32_t header_len);

#endif /* XR_SFLOW_ENCODE_H */
