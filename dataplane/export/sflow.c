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

#include "export/sample_ring.h"
#include "export/sflow.h"
#include "export/sflow_encode.h"
#include "util/log.h"

/* How often a collector's name is looked up again, to follow a change. */
#define SFLOW_RESOLVE_SECONDS 30
/* Seconds without a send error before a failing collector counts as back:
 * a send to a closed port fails only when an ICMP error came back since
 * the last one, and the collector's host rate-limits those, so a send
 * that succeeds proves nothing and must not log each time. */
#define SFLOW_RECOVERED_AFTER 30

struct collector {
	char spec[128]; /* as configured */
	char host[128], port[16];
	int fd; /* connected UDP socket, -1 until resolved */
	struct sockaddr_storage addr;
	socklen_t addrlen;
	bool failing; /* logged; quiet until SFLOW_RECOVERED_AFTER seconds */
	bool unresolved_logged;
	struct timespec last_error; /* CLOCK_MONOTONIC */
};

struct sflow {
	struct sflow_opts o;
	const struct xr_maps *maps;
	struct sample_ring *ring;
	struct event *ring_ev, *counter_ev, *resolve_ev;
	struct sflow_agent agent;
	bool agent_configured;
	struct timespec started;
	uint32_t datagram_seq;
	struct sflow_datagram d;
	struct collector c[SFLOW_COLLECTORS_MAX];
	/* By ifindex (below XR_IFINDEX_MAX, as the program's interfaces) */
	uint32_t *flow_seq, *counter_seq, *pool, *pool_gen;
	uint32_t gen; /* one per drain: the pools read once in it */
	struct xr_sample_stats prog;
	struct sflow_stats st;
};

static int split_host_port(const char *v, char *host, size_t hlen, char *port,
			   size_t plen)
{
	const char *colon, *end;
	size_t n;

	if (v[0] == '[') { /* [V6]:PORT */
		end = strchr(v, ']');
		if (!end)
			return -EINVAL;
		n = end - v - 1;
		colon = end[1] == ':' ? end + 1 : NULL;
		if (end[1] && !colon)
			return -EINVAL;
		v++;
	} else {
		colon = strrchr(v, ':');
		/* a bare IPv6 address has more than one colon */
		if (colon && strchr(v, ':') != colon)
			colon = NULL;
		n = colon ? (size_t)(colon - v) : strlen(v);
	}
	if (n == 0 || n >= hlen)
		return -EINVAL;
	memcpy(host, v, n);
	host[n] = '\0';
	snprintf(port, plen, "%s",
		 colon && colon[1] ? colon + 1 : SFLOW_PORT_DEFAULT);
	for (const char *p = port; *p; p++)
		if (*p < '0' || *p > '9')
			return -EINVAL;
	return atoi(port) > 0 && atoi(port) < 65536 ? 0 : -EINVAL;
}

int sflow_opts_add_collectors(struct sflow_opts *o, const char *v)
{
	char list[512], *save = NULL, *tok, host[128], port[16];

	if (strlen(v) >= sizeof(list))
		return -EINVAL;
	strcpy(list, v);
	for (tok = strtok_r(list, ", ", &save); tok;
	     tok = strtok_r(NULL, ", ", &save)) {
		if (strlen(tok) >= sizeof(o->collector[0]) ||
		    split_host_port(tok, host, sizeof(host), port,
				    sizeof(port)))
			return -EINVAL;
		if (o->n_collectors == SFLOW_COLLECTORS_MAX)
			return -E2BIG;
		strcpy(o->collector[o->n_collectors++], tok);
	}
	return 0;
}

static const char *addr_str(const struct sockaddr_storage *a, char *buf,
			    size_t len)
{
	char ip[INET6_ADDRSTRLEN] = "?";
	unsigned int port = 0;

	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const void *)a;

		inet_ntop(AF_INET, &s->sin_addr, ip, sizeof(ip));
		port = ntohs(s->sin_port);
	} else if (a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const void *)a;

		inet_ntop(AF_INET6, &s->sin6_addr, ip, sizeof(ip));
		port = ntohs(s->sin6_port);
	}
	snprintf(buf, len, a->ss_family == AF_INET6 ? "[%s]:%u" : "%s:%u", ip,
		 port);
	return buf;
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

/* Looks the collector up; a new address gets a new socket, logged once.
 * A failed lookup keeps the old address (and is logged once). */
static void collector_resolve(struct sflow *s, struct collector *c)
{
	struct addrinfo hints = {.ai_socktype = SOCK_DGRAM}, *res = NULL;
	char was[80] = "", now[80];
	bool moved;
	int fd, err;

	err = getaddrinfo(c->host, c->port, &hints, &res);
	if (err || !res) {
		if (!c->unresolved_logged)
			xr_warn("sflow: collector %s: cannot resolve: %s; "
				"retrying every %d s",
				c->spec, gai_strerror(err),
				SFLOW_RESOLVE_SECONDS);
		c->unresolved_logged = true;
		if (res)
			freeaddrinfo(res);
		return;
	}
	c->unresolved_logged = false;
	if (c->fd >= 0 && res->ai_addrlen == c->addrlen &&
	    !memcmp(res->ai_addr, &c->addr, c->addrlen)) {
		freeaddrinfo(res);
		return;
	}
	fd = socket(res->ai_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0 || connect(fd, res->ai_addr, res->ai_addrlen)) {
		xr_warn("sflow: collector %s: %s", c->spec, strerror(errno));
		if (fd >= 0)
			close(fd);
		freeaddrinfo(res);
		return;
	}
	moved = c->fd >= 0;
	if (moved) {
		addr_str(&c->addr, was, sizeof(was));
		close(c->fd);
		s->st.address_changes++;
	}
	c->fd = fd;
	memcpy(&c->addr, res->ai_addr, res->ai_addrlen);
	c->addrlen = res->ai_addrlen;
	freeaddrinfo(res);
	addr_str(&c->addr, now, sizeof(now));
	if (moved)
		xr_notice("sflow: collector %s moved from %s to %s", c->spec,
			  was, now);
	else
		xr_notice("sflow: exporting to %s (%s)", c->spec, now);
	if (c == &s->c[0])
		agent_from_collector(s);
}

static void collector_sent(struct sflow *s, struct collector *c, int err)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!err) {
		s->st.datagrams_sent++;
		if (c->failing && now.tv_sec - c->last_error.tv_sec >=
					  SFLOW_RECOVERED_AFTER) {
			c->failing = false;
			xr_notice("sflow: collector %s takes datagrams again",
				  c->spec);
		}
		return;
	}
	s->st.send_errors++;
	c->last_error = now;
	if (!c->failing)
		xr_warn("sflow: collector %s: %s; datagrams are counted as "
			"send errors until it takes them (forwarding is not "
			"affected)",
			c->spec, strerror(err));
	c->failing = true;
}

static void flush(struct sflow *s)
{
	if (!s->d.n_samples)
		return;
	for (unsigned int i = 0; i < s->o.n_collectors; i++) {
		struct collector *c = &s->c[i];
		int err = 0;

		if (c->fd < 0)
			err = EDESTADDRREQ;
		else if (send(c->fd, s->d.buf, s->d.len, 0) < 0)
			err = errno;
		collector_sent(s, c, err);
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

static void on_sample(void *arg, const struct xr_flow_sample *r)
{
	struct sflow *s = arg;
	struct sflow_flow f = {
		.source = r->in_ifindex & 0xffffff, /* type 0, ifIndex */
		.rate = r->rate,
		.pool = pool_of(s, r->in_ifindex),
		.drops = (uint32_t)s->prog.ring_full,
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

static void on_ring(evutil_socket_t fd, short what, void *arg)
{
	struct sflow *s = arg;

	(void)fd;
	(void)what;
	s->gen++;
	sample_ring_stats(s->ring, &s->prog);
	sample_ring_drain(s->ring);
	flush(s);
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
	for (unsigned int i = 0; i < s->o.n_collectors; i++)
		collector_resolve(s, &s->c[i]);
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
	      const struct xr_maps *maps, const char *pin_dir,
	      const struct sflow_opts *o)
{
	struct sflow *s = calloc(1, sizeof(*s));
	int err;

	if (!s)
		return -ENOMEM;
	s->o = *o;
	s->maps = maps;
	s->agent.addr_type = SFLOW_ADDR_IP4;
	s->agent.sub_agent_id = o->sub_agent_id;
	clock_gettime(CLOCK_MONOTONIC, &s->started);
	for (unsigned int i = 0; i < SFLOW_COLLECTORS_MAX; i++)
		s->c[i].fd = -1;
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
		struct collector *c = &s->c[i];

		snprintf(c->spec, sizeof(c->spec), "%s", o->collector[i]);
		if (split_host_port(c->spec, c->host, sizeof(c->host), c->port,
				    sizeof(c->port))) {
			err = -EINVAL;
			goto fail;
		}
		collector_resolve(s, c);
	}
	if (o->sampling) {
		err = sample_ring_open(&s->ring, pin_dir, on_sample, s);
		if (!err)
			err = sample_ring_set_rate(s->ring, o->sampling);
		if (err) {
			xr_err("sflow: the program's flow samples in %s: %s",
			       pin_dir, strerror(-err));
			goto fail;
		}
		s->ring_ev = event_new(base, sample_ring_fd(s->ring),
				       EV_READ | EV_PERSIST, on_ring, s);
		err = -ENOMEM;
		if (!s->ring_ev || event_add(s->ring_ev, NULL))
			goto fail;
	}
	err = timer(s, &s->resolve_ev, SFLOW_RESOLVE_SECONDS, on_resolve, base);
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
	if (s->ring) /* the program stops sampling with its reader gone */
		sample_ring_set_rate(s->ring, 0);
	if (s->ring_ev)
		event_free(s->ring_ev);
	if (s->counter_ev)
		event_free(s->counter_ev);
	if (s->resolve_ev)
		event_free(s->resolve_ev);
	sample_ring_free(s->ring);
	for (unsigned int i = 0; i < SFLOW_COLLECTORS_MAX; i++)
		if (s->c[i].fd >= 0)
			close(s->c[i].fd);
	free(s->flow_seq);
	free(s->counter_seq);
	free(s->pool);
	free(s->pool_gen);
	free(s);
}

void sflow_stats_get(const struct sflow *s, struct sflow_stats *st)
{
	struct xr_sample_stats p = {0};

	*st = s->st;
	if (s->ring && !sample_ring_stats(s->ring, &p)) {
		st->sampled = p.sampled;
		st->ring_full = p.ring_full;
	}
}

void sflow_view_get(const struct sflow *s, struct sflow_view *v)
{
	bool any_ok = false;

	memset(v, 0, sizeof(*v));
	sflow_stats_get(s, &v->st);
	v->opts = s->o;
	for (unsigned int i = 0; i < s->o.n_collectors; i++) {
		const struct collector *c = &s->c[i];

		snprintf(v->c[i].spec, sizeof(v->c[i].spec), "%s", c->spec);
		if (c->fd >= 0)
			addr_str(&c->addr, v->c[i].address,
				 sizeof(v->c[i].address));
		v->c[i].state = c->fd < 0    ? "unresolved"
				: c->failing ? "unreachable"
					     : "sending";
		any_ok |= c->fd >= 0 && !c->failing;
	}
	inet_ntop(s->agent.addr_type == SFLOW_ADDR_IP6 ? AF_INET6 : AF_INET,
		  s->agent.addr, v->agent, sizeof(v->agent));
	v->state = any_ok ? "exporting" : "no collector reachable";
}
