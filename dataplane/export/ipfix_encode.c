// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>

#include "export/ipfix_encode.h"

/* Information elements (IANA IPFIX registry): id, length. */
#define IE(id, len)     \
	{               \
		id, len \
	}
static const struct ie {
	uint16_t id, len;
} common_tail[] = {
	IE(4, 1),   /* protocolIdentifier */
	IE(7, 2),   /* sourceTransportPort */
	IE(11, 2),  /* destinationTransportPort */
	IE(10, 4),  /* ingressInterface */
	IE(14, 4),  /* egressInterface */
	IE(89, 1),  /* forwardingStatus */
	IE(1, 8),   /* octetDeltaCount */
	IE(2, 8),   /* packetDeltaCount */
	IE(152, 8), /* flowStartMilliseconds */
	IE(153, 8), /* flowEndMilliseconds */
};
#define N_TAIL (sizeof(common_tail) / sizeof(common_tail[0]))

static void put8(struct ipfix_message *m, uint8_t v)
{
	m->buf[m->len++] = v;
}

static void put16(struct ipfix_message *m, uint16_t v)
{
	put8(m, v >> 8);
	put8(m, (uint8_t)v);
}

static void put32(struct ipfix_message *m, uint32_t v)
{
	put16(m, v >> 16);
	put16(m, (uint16_t)v);
}

static void put64(struct ipfix_message *m, uint64_t v)
{
	put32(m, v >> 32);
	put32(m, (uint32_t)v);
}

static void patch16(struct ipfix_message *m, size_t at, uint16_t v)
{
	m->buf[at] = v >> 8;
	m->buf[at + 1] = (uint8_t)v;
}

static size_t addr_len(uint8_t family)
{
	return family == 6 ? 16 : 4;
}

static size_t record_len(uint8_t family)
{
	size_t n = 2 * addr_len(family);

	for (size_t i = 0; i < N_TAIL; i++)
		n += common_tail[i].len;
	return n;
}

void ipfix_message_begin(struct ipfix_message *m, uint32_t export_time,
			 uint32_t seq, uint32_t domain)
{
	m->len = 0;
	m->set_at = 0;
	m->set_id = 0;
	m->records = 0;
	put16(m, IPFIX_VERSION);
	put16(m, 0); /* length, at the end */
	put32(m, export_time);
	put32(m, seq);
	put32(m, domain);
}

static void set_close(struct ipfix_message *m)
{
	if (m->set_at)
		patch16(m, m->set_at + 2, m->len - m->set_at);
	m->set_at = 0;
	m->set_id = 0;
}

static void template(struct ipfix_message *m, uint16_t id, uint16_t src_ie,
		     uint16_t dst_ie, uint16_t alen)
{
	put16(m, id);
	put16(m, 2 + N_TAIL);
	put16(m, src_ie);
	put16(m, alen);
	put16(m, dst_ie);
	put16(m, alen);
	for (size_t i = 0; i < N_TAIL; i++) {
		put16(m, common_tail[i].id);
		put16(m, common_tail[i].len);
	}
}

int ipfix_add_templates(struct ipfix_message *m)
{
	size_t need = 4 + 2 * (4 + 4 * (2 + N_TAIL));

	if (m->len + need > sizeof(m->buf))
		return -ENOSPC;
	set_close(m);
	m->set_at = m->len;
	put16(m, IPFIX_SET_TEMPLATE);
	put16(m, 0);
	/* sourceIPv4Address, destinationIPv4Address */
	template(m, IPFIX_TEMPLATE_V4, 8, 12, 4);
	/* sourceIPv6Address, destinationIPv6Address */
	template(m, IPFIX_TEMPLATE_V6, 27, 28, 16);
	set_close(m);
	return 0;
}

int ipfix_add_flow(struct ipfix_message *m, const struct ipfix_flow *f)
{
	uint16_t id = f->family == 6 ? IPFIX_TEMPLATE_V6 : IPFIX_TEMPLATE_V4;
	size_t alen = addr_len(f->family);
	size_t need = record_len(f->family) + (m->set_id == id ? 0 : 4);

	if (m->len + need > sizeof(m->buf))
		return -ENOSPC;
	if (m->set_id != id) {
		set_close(m);
		m->set_at = m->len;
		m->set_id = id;
		put16(m, id);
		put16(m, 0);
	}
	memcpy(m->buf + m->len, f->src, alen);
	m->len += alen;
	memcpy(m->buf + m->len, f->dst, alen);
	m->len += alen;
	put8(m, f->proto);
	put16(m, f->sport);
	put16(m, f->dport);
	put32(m, f->in_ifindex);
	put32(m, f->out_ifindex);
	put8(m, f->forwarding_status);
	put64(m, f->octets);
	put64(m, f->packets);
	put64(m, f->start_ms);
	put64(m, f->end_ms);
	m->records++;
	return 0;
}

void ipfix_message_end(struct ipfix_message *m)
{
	set_close(m);
	patch16(m, 2, m->len);
}
