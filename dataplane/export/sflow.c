// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <bpf/bpf.h>

#include "export/collector.h"
#include "export/sflow.h"
#include "export/sflow_encode.h"
#include "util/log.h"

struct sflow {
	struct sflow_opts o;
	const struct xr_maps *maps;
	struct event *counter_ev, *resolve_ev;
	struct sflow_agent agent;
	bool agent_configured;
	struct timespec started;
	uint32_t datagram_seq;
	struct sflow_datagram d;
	struct collector c[SFLOW_COLLECTORS_MAX];
	/* By ifindex (below XR_IFINDEX_MAX, as the program's interfaces) */
	uint32_t *flow_seq, *counter_seq, *pool, *pool_gen;
	uint32_t gen; /* one per drain: the pools read once in it */
	struct sflow_stats st;
};

int sflow_opts_add_collectors(struct sflow_opts *o, const char *v)
{
	return collector_list_add(o->collector, &o->n_collectors,
				  SFLOW_COLLECTORS_MAX, v, SFLOW_PORT_DEFAULT);
}

/* The agent address, unless configured: the source the kernel picks
 * towards the first collector, so the collector sees the datagram's
 * sender as the agent. */
static void agent_from_collector(struct sflow *s)
{
	struct sockaddr_storage a;
	socklen_t len = sizeof(a);

	if (s->agent_configured || s->c[0].fd < 0 ||
	    getsockname(s->c[0].fd, (struct sockaddr *)&a, &len))
		return;
	memset(s->agent.addr, 0, sizeof(s->agent.addr));
	if (a.ss_family == AF_INET6) {
		s->agent.addr_type = SFLOW_ADDR_IP6;
		memcpy(s->agent.addr, &((struct sockaddr_in6 *)&a)->sin6_addr,
		       16);
	} else {
		s->agent.addr_type = SFLOW_ADDR_IP4;
		memcpy(s->agent.addr, &((struct sockaddr_in *)&a)->sin_addr, 4);
	}
}

static void resolve_all(struct sflow *s)
{
	for (unsigned int i = 0; i < s->o.n_collectors; i++)
		s->st.address_changes += collector_resolve(&s->c[i]);
	agent_from_collector(s);
}

static void flush(struct sflow *s)
{
	if (!s->d.n_samples)
		return;
	for (unsigned int i = 0; i < s->o.n_collectors; i++) {
		if (collector_send(&s->c[i], s->d.buf, s->d.len))
			s->st.send_errors++;
		else
			s->st.datagrams_sent++;
	}
	s->d.len = 0;
	s->d.n_samples = 0;
}

static uint32_t uptime_ms(const struct sflow *s)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - s->started.tv_sec) * 1000 +
	       (now.tv_nsec - s->started.tv_nsec) / 1000000;
}

static void datagram_need(struct sflow *s)
{
	if (!s->d.n_samples)
		sflow_datagram_begin(&s->d, &s->agent, ++s->datagram_seq,
				     uptime_ms(s));
}

static uint32_t ifindex_slot(uint32_t ifindex)
{
	return ifindex < XR_IFINDEX_MAX ? ifindex : 0;
}

/* Frames the program saw enter the interface: the sample pool. */
static uint32_t pool_of(struct sflow *s, uint32_t ifindex)
{
	uint32_t i = ifindex_slot(ifindex);
	struct xr_if_counters ic;

	if (s->pool_gen[i] != s->gen) {
		s->pool_gen[i] = s->gen;
		if (!xr_if_counters_read(s->maps, ifindex, &ic))
			s->pool[i] = ic.rx_forwarded.packets +
				     ic.rx_punted.packets +
				     ic.rx_dropped.packets;
	}
	return s->pool[i];
}

/* The path a frame took, in the output field: the egress ifIndex when the
 * fast path forwarded it, 0 (not known here) when the kernel got it, a
 * discard when the program dropped it. */
static uint32_t output_of(const struct xr_flow_sample *r)
{
	if (r->action == XDP_REDIRECT)
		return r->out_ifindex;
	if (r->action == XDP_DROP)
		return SFLOW_OUTPUT_DISCARD | SFLOW_DISCARD_UNKNOWN;
	return 0;
}

static void on_sample(void *arg, const struct xr_flow_sample *r,
		      const struct xr_sample_stats *prog)
{
	struct sflow *s = arg;
	struct sflow_flow f = {
		.source = r->in_ifindex & 0xffffff, /* type 0, ifIndex */
		.rate = r->rate,
		.pool = pool_of(s, r->in_ifindex),
		.drops = (uint32_t)prog->ring_full,
		.input = r->in_ifindex,
		.output = output_of(r),
		/* XDP sees no FCS; the wire had one */
		.frame_length = r->frame_len + 4,
		.stripped = 4,
		.header = r->header,
		.header_len = r->header_len < XR_SAMPLE_HEADER_BYTES
				      ? r->header_len
				      : XR_SAMPLE_HEADER_BYTES,
	};

	f.seq = ++s->flow_seq[ifindex_slot(r->in_ifindex)];
	datagram_need(s);
	if (sflow_add_flow(&s->d, &f)) {
		flush(s);
		datagram_need(s);
		sflow_add_flow(&s->d, &f);
	}
	s->st.flow_samples++;
}

static void on_flush(void *arg)
{
	struct sflow *s = arg;

	flush(s);
	s->gen++; /* the pools are read anew in the next drain */
}

struct flow_consumer sflow_consumer(struct sflow *s)
{
	return (struct flow_consumer){on_sample, on_flush, s};
}

static void counters_of(struct sflow *s, uint32_t ifindex,
			const struct xr_iface *v)
{
	struct sflow_if_counters c = {
		.ifindex = ifindex,
		.iftype = SFLOW_IFTYPE_ETHERNET,
		.status = v->flags & XR_IF_F_UP ? 3 : 0,
	};
	struct xr_if_counters ic;

	if (xr_if_counters_read(s->maps, ifindex, &ic))
		return;
	/* The fast path's view: every frame the program saw enter, and the
	 * frames it sent itself (the kernel's own sends are not seen). */
	c.in_octets = ic.rx_forwarded.bytes + ic.rx_punted.bytes +
		      ic.rx_dropped.bytes;
	c.in_ucast = ic.rx_forwarded.packets + ic.rx_punted.packets +
		     ic.rx_dropped.packets;
	c.in_discards = ic.rx_dropped.packets;
	c.out_octets = ic.tx_forwarded.bytes;
	c.out_ucast = ic.tx_forwarded.packets;
	c.seq = ++s->counter_seq[ifindex_slot(ifindex)];
	datagram_need(s);
	if (sflow_add_if_counters(&s->d, &c)) {
		flush(s);
		datagram_need(s);
		sflow_add_if_counters(&s->d, &c);
	}
	s->st.counter_samples++;
}

static void on_counters(evutil_socket_t fd, short what, void *arg)
{
	struct sflow *s = arg;
	uint32_t key, *prev = NULL;
	struct xr_iface v;

	(void)fd;
	(void)what;
	flush(s);
	while (!bpf_map_get_next_key(s->maps->ifaces, prev, &key)) {
		if (!bpf_map_lookup_elem(s->maps->ifaces, &key, &v) && v.slot)
			counters_of(s, key, &v);
		prev = &key;
	}
	flush(s);
}

static void on_resolve(evutil_socket_t fd, short what, void *arg)
{
	struct sflow *s = arg;

	(void)fd;
	(void)what;
	resolve_all(s);
}

void sflow_set_collectors(struct sflow *s, const struct sflow_opts *o)
{
	unsigned int changed;

	changed = collectors_replace(
		s->c, &s->o.n_collectors, (const char(*)[128])o->collector,
		o->n_collectors, "sflow", SFLOW_PORT_DEFAULT);
	memcpy(s->o.collector, o->collector, sizeof(s->o.collector));
	s->st.address_changes += changed;
	if (changed)
		agent_from_collector(s);
}

static int agent_parse(struct sflow *s)
{
	const char *a = s->o.agent_address;

	if (!a[0])
		return 0;
	s->agent_configured = true;
	if (inet_pton(AF_INET, a, s->agent.addr) == 1) {
		s->agent.addr_type = SFLOW_ADDR_IP4;
		return 0;
	}
	if (inet_pton(AF_INET6, a, s->agent.addr) == 1) {
		s->agent.addr_type = SFLOW_ADDR_IP6;
		return 0;
	}
	return -EINVAL;
}

static int timer(struct sflow *s, struct event **ev, unsigned int seconds,
		 event_callback_fn fn, struct event_base *base)
{
	struct timeval tv = {seconds, 0};

	*ev = event_new(base, -1, EV_PERSIST, fn, s);
	return *ev && !event_add(*ev, &tv) ? 0 : -ENOMEM;
}

int sflow_new(struct sflow **out, struct event_base *base,
	      const struct xr_maps *maps, const struct sflow_opts *o)
{
	struct sflow *s = calloc(1, sizeof(*s));
	int err;

	if (!s)
		return -ENOMEM;
	s->o = *o;
	s->maps = maps;
	s->agent.addr_type = SFLOW_ADDR_IP4;
	s->agent.sub_agent_id = o->sub_agent_id;
	s->gen = 1; /* pool_gen starts at 0: every pool is read first */
	clock_gettime(CLOCK_MONOTONIC, &s->started);
	for (unsigned int i = 0; i < SFLOW_COLLECTORS_MAX; i++)
		collector_init(&s->c[i], "sflow", "", SFLOW_PORT_DEFAULT);
	s->flow_seq = calloc(XR_IFINDEX_MAX, sizeof(uint32_t));
	s->counter_seq = calloc(XR_IFINDEX_MAX, sizeof(uint32_t));
	s->pool = calloc(XR_IFINDEX_MAX, sizeof(uint32_t));
	s->pool_gen = calloc(XR_IFINDEX_MAX, sizeof(uint32_t));
	err = -ENOMEM;
	if (!s->flow_seq || !s->counter_seq || !s->pool || !s->pool_gen)
		goto fail;
	err = agent_parse(s);
	if (err) {
		xr_err("sflow: agent address '%s' is not an IPv4 or IPv6 "
		       "address",
		       o->agent_address);
		goto fail;
	}
	for (unsigned int i = 0; i < o->n_collectors; i++) {
		err = collector_init(&s->c[i], "sflow", o->collector[i],
				     SFLOW_PORT_DEFAULT);
		if (err)
			goto fail;
	}
	resolve_all(s);
	err = timer(s, &s->resolve_ev, COLLECTOR_RESOLVE_SECONDS, on_resolve,
		    base);
	if (!err && o->counter_interval)
		err = timer(s, &s->counter_ev, o->counter_interval, on_counters,
			    base);
	if (err)
		goto fail;
	xr_notice("sflow: sampling %s%u, counters every %u s, agent %s, "
		  "%u collector(s)",
		  o->sampling ? "1 in " : "off ", o->sampling,
		  o->counter_interval,
		  o->agent_address[0] ? o->agent_address : "(auto)",
		  o->n_collectors);
	*out = s;
	return 0;
fail:
	sflow_free(s);
	return err;
}

void sflow_free(struct sflow *s)
{
	if (!s)
		return;
	if (s->counter_ev)
		event_free(s->counter_ev);
	if (s->resolve_ev)
		event_free(s->resolve_ev);
	for (unsigned int i = 0; i < SFLOW_COLLECTORS_MAX; i++)
		collector_close(&s->c[i]);
	free(s->flow_seq);
	free(s->counter_seq);
	free(s->pool);
	free(s->pool_gen);
	free(s);
}

void sflow_view_get(const struct sflow *s, struct sflow_view *v)
{
	bool any_ok = false;

	memset(v, 0, sizeof(*v));
	v->st = s->st;
	v->opts = s->o;
	for (unsigned int i = 0; i < s->o.n_collectors; i++)
		any_ok |= collector_view_get(&s->c[i], &v->c[i]);
	inet_ntop(s->agent.addr_type == SFLOW_ADDR_IP6 ? AF_INET6 : AF_INET,
		  s->agent.addr, v->agent, sizeof(v->agent));
	v->state = any_ok ? "exporting" : "no collector reachable";
}
