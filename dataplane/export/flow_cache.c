// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>

#include "export/flow_cache.h"

/* The key: every field of struct ipfix_flow before the counters. */
#define FLOW_KEY_LEN offsetof(struct ipfix_flow, octets)

struct flow_entry {
	struct ipfix_flow f; /* first: the key */
};

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static int has_ports(uint8_t proto)
{
	return proto == 6 || proto == 17 || proto == 132; /* TCP UDP SCTP */
}

int flow_key_parse(const uint8_t *p, size_t len, struct ipfix_flow *f)
{
	size_t l4;
	uint16_t type;

	if (len < 14)
		return -EINVAL;
	type = be16(p + 12);
	p += 14;
	len -= 14;
	if (type == 0x0800 && len >= 20 && (p[0] >> 4) == 4) {
		f->family = 4;
		f->proto = p[9];
		memcpy(f->src, p + 12, 4);
		memcpy(f->dst, p + 16, 4);
		l4 = (p[0] & 0xf) * 4;
		/* a later fragment has no ports */
		if (be16(p + 6) & 0x1fff)
			return 0;
	} else if (type == 0x86dd && len >= 40 && (p[0] >> 4) == 6) {
		f->family = 6;
		f->proto = p[6];
		memcpy(f->src, p + 8, 16);
		memcpy(f->dst, p + 24, 16);
		l4 = 40;
	} else {
		return -EINVAL;
	}
	if (has_ports(f->proto) && len >= l4 + 4) {
		f->sport = be16(p + l4);
		f->dport = be16(p + l4 + 2);
	}
	return 0;
}

int flow_cache_init(struct flow_cache *c, size_t max, uint64_t idle_ms,
		    uint64_t active_ms, flow_out_fn out, void *arg)
{
	memset(c, 0, sizeof(*c));
	c->max = max;
	c->idle_ms = idle_ms;
	c->active_ms = active_ms;
	c->out = out;
	c->arg = arg;
	return hashtab_init(&c->flows, FLOW_KEY_LEN);
}

static void hand_out(struct flow_cache *c, struct flow_entry *e)
{
	hashtab_remove(&c->flows, &e->f);
	c->out(c->arg, &e->f);
	free(e);
}

void flow_cache_expire(struct flow_cache *c, uint64_t now_ms)
{
	struct flow_entry *e;
	size_t i;

	hashtab_for_each(&c->flows, i, e)
	{
		if (now_ms == UINT64_MAX ||
		    now_ms - e->f.end_ms >= c->idle_ms ||
		    now_ms - e->f.start_ms >= c->active_ms)
			hand_out(c, e);
	}
}

void flow_cache_free(struct flow_cache *c)
{
	if (!c->flows.slots)
		return;
	flow_cache_expire(c, UINT64_MAX);
	hashtab_free(&c->flows);
}

/* The oldest flow goes when there is no room for a new one. */
static void evict_oldest(struct flow_cache *c)
{
	struct flow_entry *e, *oldest = NULL;
	size_t i;

	hashtab_for_each(&c->flows, i, e)
	{
		if (!oldest || e->f.start_ms < oldest->f.start_ms)
			oldest = e;
	}
	if (oldest) {
		c->evicted++;
		hand_out(c, oldest);
	}
}

void flow_cache_add(struct flow_cache *c, const struct xr_flow_sample *s,
		    uint64_t now_ms)
{
	struct ipfix_flow key;
	struct flow_entry *e;
	uint32_t hlen = s->header_len < XR_SAMPLE_HEADER_BYTES
				? s->header_len
				: XR_SAMPLE_HEADER_BYTES;

	memset(&key, 0, sizeof(key));
	if (flow_key_parse(s->header, hlen, &key)) {
		c->unparsed++;
		return;
	}
	key.in_ifindex = s->in_ifindex;
	key.out_ifindex = s->action == XDP_REDIRECT ? s->out_ifindex : 0;
	key.forwarding_status = s->action == XDP_REDIRECT ? IPFIX_FWD_FORWARDED
				: s->action == XDP_DROP	  ? IPFIX_FWD_DROPPED
							  : IPFIX_FWD_UNKNOWN;
	e = hashtab_find(&c->flows, &key);
	if (!e) {
		if (c->flows.used >= c->max)
			evict_oldest(c);
		e = calloc(1, sizeof(*e));
		if (!e)
			return;
		memcpy(&e->f, &key, sizeof(key)); /* the key's padding too */
		e->f.start_ms = now_ms;
		if (hashtab_insert(&c->flows, e)) {
			free(e);
			return;
		}
	}
	/* each sample stands for rate frames of about its size; octets are
	 * IP's, without the Ethernet header (RFC 7012 octetDeltaCount) */
	e->f.packets += s->rate;
	e->f.octets +=
		(uint64_t)(s->frame_len > 14 ? s->frame_len - 14 : 0) * s->rate;
	e->f.end_ms = now_ms;
}
