// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>

#include "export/sflow_encode.h"

/* XDR: big-endian 32-bit words, 64-bit hypers, opaque data padded to 4. */
static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void u32(struct sflow_datagram *d, uint32_t v)
{
	put32(d->buf + d->len, v);
	d->len += 4;
}

static void u64(struct sflow_datagram *d, uint64_t v)
{
	u32(d, v >> 32);
	u32(d, (uint32_t)v);
}

static void opaque(struct sflow_datagram *d, const uint8_t *p, uint32_t n)
{
	uint32_t padded = (n + 3) & ~3U;

	u32(d, n);
	memcpy(d->buf + d->len, p, n);
	memset(d->buf + d->len + n, 0, padded - n);
	d->len += padded;
}

static uint32_t format(uint32_t enterprise, uint32_t fmt)
{
	return enterprise << 12 | fmt;
}

void sflow_datagram_begin(struct sflow_datagram *d, const struct sflow_agent *a,
			  uint32_t seq, uint32_t uptime_ms)
{
	d->len = 0;
	d->n_samples = 0;
	u32(d, SFLOW_VERSION);
	u32(d, a->addr_type);
	memcpy(d->buf + d->len, a->addr,
	       a->addr_type == SFLOW_ADDR_IP6 ? 16 : 4);
	d->len += a->addr_type == SFLOW_ADDR_IP6 ? 16 : 4;
	u32(d, a->sub_agent_id);
	u32(d, seq);
	u32(d, uptime_ms);
	d->n_samples_at = d->len;
	u32(d, 0);
}

static void sample_done(struct sflow_datagram *d)
{
	put32(d->buf + d->n_samples_at, ++d->n_samples);
}

size_t sflow_flow_size(uint32_t header_len)
{
	/* sample: format, length, 7 words and the record count; record:
	 * format, length, protocol, frame_length, stripped, the header */
	return 8 + 32 + 8 + 16 + ((header_len + 3) & ~3U);
}

int sflow_add_flow(struct sflow_datagram *d, const struct sflow_flow *f)
{
	uint32_t padded = (f->header_len + 3) & ~3U;

	if (d->len + sflow_flow_size(f->header_len) > sizeof(d->buf))
		return -ENOSPC;
	u32(d, format(0, SFLOW_FLOW_SAMPLE));
	u32(d, 32 + 8 + 16 + padded);
	u32(d, f->seq);
	u32(d, f->source); /* type 0 (ifIndex) in the top byte */
	u32(d, f->rate);
	u32(d, f->pool);
	u32(d, f->drops);
	u32(d, f->input);
	u32(d, f->output);
	u32(d, 1); /* flow records */
	u32(d, format(0, SFLOW_RAW_HEADER));
	u32(d, 16 + padded);
	u32(d, SFLOW_PROTO_ETHERNET);
	u32(d, f->frame_length);
	u32(d, f->stripped);
	opaque(d, f->header, f->header_len);
	sample_done(d);
	return 0;
}

int sflow_add_if_counters(struct sflow_datagram *d,
			  const struct sflow_if_counters *c)
{
	if (d->len + 8 + 12 + 8 + 88 > sizeof(d->buf))
		return -ENOSPC;
	u32(d, format(0, SFLOW_COUNTERS_SAMPLE));
	u32(d, 12 + 8 + 88);
	u32(d, c->seq);
	u32(d, c->ifindex); /* type 0 (ifIndex) */
	u32(d, 1);	    /* counter records */
	u32(d, format(0, SFLOW_IF_COUNTERS));
	u32(d, 88);
	u32(d, c->ifindex);
	u32(d, c->iftype);
	u64(d, c->speed);
	u32(d, c->direction);
	u32(d, c->status);
	u64(d, c->in_octets);
	u32(d, c->in_ucast);
	u32(d, c->in_mcast);
	u32(d, c->in_bcast);
	u32(d, c->in_discards);
	u32(d, c->in_errors);
	u32(d, c->in_unknown_protos);
	u64(d, c->out_octets);
	u32(d, c->out_ucast);
	u32(d, c->out_mcast);
	u32(d, c->out_bcast);
	u32(d, c->out_discards);
	u32(d, c->out_errors);
	u32(d, c->promiscuous);
	sample_done(d);
	return 0;
}
