/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * IPFIX messages (RFC 7011) of the flows xdp-router's flow cache builds
 * from its samples: one template per address family, data records of that
 * template. Pure functions on a buffer, no I/O. Information elements from
 * IANA's registry (RFC 7012), forwardingStatus from RFC 7270.
 */
#ifndef XR_IPFIX_ENCODE_H
#define XR_IPFIX_ENCODE_H

#include <stddef.h>
#include <stdint.h>

#define IPFIX_VERSION 10
#define IPFIX_MESSAGE_MAX 1400
#define IPFIX_SET_TEMPLATE 2
#define IPFIX_TEMPLATE_V4 256
#define IPFIX_TEMPLATE_V6 257
/* forwardingStatus (RFC 7270): the top two bits */
#define IPFIX_FWD_UNKNOWN 0x00
#define IPFIX_FWD_FORWARDED 0x40
#define IPFIX_FWD_DROPPED 0x80

struct ipfix_flow {
	uint8_t family;		  /* 4 or 6 */
	uint8_t src[16], dst[16]; /* network order; IPv4 in the first 4 */
	uint8_t proto;
	uint16_t sport, dport;
	uint32_t in_ifindex, out_ifindex;
	uint8_t forwarding_status;
	uint64_t octets, packets;  /* estimated: sampled x rate */
	uint64_t start_ms, end_ms; /* Unix epoch, milliseconds */
};

struct ipfix_message {
	uint8_t buf[IPFIX_MESSAGE_MAX];
	size_t len;
	size_t set_at; /* the open data set's header, 0 if none */
	uint16_t set_id;
	uint32_t records; /* data records in this message */
};

/* Starts a message: version, export time, sequence (data records sent
 * before this message), observation domain. */
void ipfix_message_begin(struct ipfix_message *m, uint32_t export_time,
			 uint32_t seq, uint32_t domain);
/* Both templates, in one template set: 0 or -ENOSPC. */
int ipfix_add_templates(struct ipfix_message *m);
/* A data record, in a set of its family's template: 0 or -ENOSPC. */
int ipfix_add_flow(struct ipfix_message *m, const struct ipfix_flow *f);
/* Closes the open set and writes the message length; the message is
 * m->buf[0 .. m->len). */
void ipfix_message_end(struct ipfix_message *m);

#endif /* XR_IPFIX_ENCODE_H */
