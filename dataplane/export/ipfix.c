// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "export/collector.h"
#include "export/flow_cache.h"
#include "export/ipfix.h"
#include "util/log.h"

struct ipfix {
	struct ipfix_opts o;
	struct flow_cache cache;
	struct event *tick;
	unsigned int resolve_in; /* ticks until the next lookup */
	struct collector c[IPFIX_COLLECTORS_MAX];
	struct ipfix_message m;
	uint32_t seq; /* data records sent: the next message's sequence */
	struct ipfix_stats st;
};

int ipfix_opts_add_collectors(struct ipfix_opts *o, const char *v)
{
	return collector_list_add(o->collector, &o->n_collectors,
				  IPFIX_COLLECTORS_MAX, v, IPFIX_PORT_DEFAULT);
}

static uint64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (uint64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void send_message(struct ipfix *x)
{
	if (!x->m.records)
		return;
	ipfix_message_end(&x->m);
	for (unsigned int i = 0; i < x->o.n_collectors; i++) {
		if (collector_send(&x->c[i], x->m.buf, x->m.len))
			x->st.send_errors++;
		else
			x->st.messages_sent++;
	}
	x->seq += x->m.records;
	x->st.flows_exported += x->m.records;
	x->m.records = 0;
	x->m.len = 0;
}

static void message_need(struct ipfix *x)
{
	if (x->m.len)
		return;
	ipfix_message_begin(&x->m, (uint32_t)(now_ms() / 1000), x->seq,
			    x->o.domain);
	ipfix_add_templates(&x->m);
}

static void on_flow(void *arg, const struct ipfix_flow *f)
{
	struct ipfix *x = arg;

	message_need(x);
	if (ipfix_add_flow(&x->m, f)) {
		send_message(x);
		message_need(x);
		ipfix_add_flow(&x->m, f);
	}
}

static void on_sample(void *arg, const struct xr_flow_sample *r,
		      const struct xr_sample_stats *prog)
{
	struct ipfix *x = arg;

	(void)prog;
	flow_cache_add(&x->cache, r, now_ms());
}

static void on_flush(void *arg)
{
	(void)arg; /* flows leave the cache on the tick */
}

struct flow_consumer ipfix_consumer(struct ipfix *x)
{
	return (struct flow_consumer){on_sample, on_flush, x};
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct ipfix *x = arg;

	(void)fd;
	(void)what;
	if (x->resolve_in-- == 0) {
		x->resolve_in = COLLECTOR_RESOLVE_SECONDS;
		for (unsigned int i = 0; i < x->o.n_collectors; i++)
			x->st.address_changes += collector_resolve(&x->c[i]);
	}
	flow_cache_expire(&x->cache, now_ms());
	send_message(x);
}

void ipfix_set_collectors(struct ipfix *x, const struct ipfix_opts *o)
{
	x->st.address_changes += collectors_replace(
		x->c, &x->o.n_collectors, (const char(*)[128])o->collector,
		o->n_collectors, "ipfix", IPFIX_PORT_DEFAULT);
	memcpy(x->o.collector, o->collector, sizeof(x->o.collector));
}

int ipfix_new(struct ipfix **out, struct event_base *base,
	      const struct ipfix_opts *o)
{
	struct timeval one_second = {1, 0};
	struct ipfix *x = calloc(1, sizeof(*x));
	int err;

	if (!x)
		return -ENOMEM;
	x->o = *o;
	for (unsigned int i = 0; i < IPFIX_COLLECTORS_MAX; i++)
		collector_init(&x->c[i], "ipfix", "", IPFIX_PORT_DEFAULT);
	err = flow_cache_init(&x->cache, FLOW_CACHE_MAX,
			      o->idle_timeout * 1000ULL,
			      o->active_timeout * 1000ULL, on_flow, x);
	if (err)
		goto fail;
	for (unsigned int i = 0; i < o->n_collectors; i++) {
		err = collector_init(&x->c[i], "ipfix", o->collector[i],
				     IPFIX_PORT_DEFAULT);
		if (err)
			goto fail;
		collector_resolve(&x->c[i]);
	}
	x->resolve_in = COLLECTOR_RESOLVE_SECONDS;
	x->tick = event_new(base, -1, EV_PERSIST, on_tick, x);
	err = -ENOMEM;
	if (!x->tick || event_add(x->tick, &one_second))
		goto fail;
	xr_notice("ipfix: flows idle %u s or active %u s exported, domain %u, "
		  "%u collector(s)",
		  o->idle_timeout, o->active_timeout, o->domain,
		  o->n_collectors);
	*out = x;
	return 0;
fail:
	ipfix_free(x);
	return err;
}

void ipfix_free(struct ipfix *x)
{
	if (!x)
		return;
	if (x->tick)
		event_free(x->tick);
	flow_cache_free(&x->cache);
	send_message(x);
	for (unsigned int i = 0; i < IPFIX_COLLECTORS_MAX; i++)
		collector_close(&x->c[i]);
	free(x);
}

void ipfix_view_get(const struct ipfix *x, struct ipfix_view *v)
{
	bool any_ok = false;

	memset(v, 0, sizeof(*v));
	v->opts = x->o;
	v->st = x->st;
	v->st.cache_flows = x->cache.flows.used;
	v->st.cache_evicted = x->cache.evicted;
	v->st.unparsed = x->cache.unparsed;
	for (unsigned int i = 0; i < x->o.n_collectors; i++)
		any_ok |= collector_view_get(&x->c[i], &v->c[i]);
	v->state = any_ok ? "exporting" : "no collector reachable";
}
