// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <event2/buffer.h>

#include "daemon/daemon.h"
#include "fpm_stats.h"
#include "maps/if_counter_names.h"
#include "maps/maps.h"
#include "daemon/metrics.h"
#include "daemon/metrics_http.h"
#include "daemon/offload_feedback.h"

#define NS "xdp_router_"

struct metrics {
	struct metrics_http *http;
	uint64_t scrapes;
};

static void family(struct evbuffer *b, const char *name, const char *type,
		   const char *help)
{
	evbuffer_add_printf(b, "# HELP " NS "%s %s\n# TYPE " NS "%s %s\n", name,
			    help, name, type);
}

static void value(struct evbuffer *b, const char *name, const char *labels,
		  uint64_t v)
{
	evbuffer_add_printf(b, NS "%s%s%s%s %llu\n", name, labels ? "{" : "",
			    labels ? labels : "", labels ? "}" : "",
			    (unsigned long long)v);
}

static const char *action_name(unsigned int act)
{
	switch (act) {
	case XDP_PASS:
		return "pass";
	case XDP_DROP:
		return "drop";
	case XDP_REDIRECT:
		return "redirect";
	case XDP_TX:
		return "tx";
	default:
		return "aborted";
	}
}

static void render_reasons(struct daemon *d, struct evbuffer *b)
{
	const struct xr_maps *m = xr_loader_maps(d->loader);
	struct xr_counter c[XR_REASON_MAX];
	char labels[128];

	if (xr_counters_read(m, c))
		return;
	family(b, "packets_total", "counter",
	       "Packets seen by the XDP fast path, by verdict reason.");
	for (unsigned int r = 0; r < XR_REASON_MAX; r++) {
		snprintf(labels, sizeof(labels), "reason=\"%s\",action=\"%s\"",
			 xr_reason_name(r), action_name(xr_reason_action(r)));
		value(b, "packets_total", labels, c[r].packets);
	}
	family(b, "bytes_total", "counter",
	       "Bytes seen by the XDP fast path, by verdict reason.");
	for (unsigned int r = 0; r < XR_REASON_MAX; r++) {
		snprintf(labels, sizeof(labels), "reason=\"%s\",action=\"%s\"",
			 xr_reason_name(r), action_name(xr_reason_action(r)));
		value(b, "bytes_total", labels, c[r].bytes);
	}
}

struct if_render {
	struct daemon *d;
	struct evbuffer *b;
	bool bytes;
};

static void if_lines(const struct ports_view *v, void *arg)
{
	struct if_render *r = arg;
	struct xr_if_counters c;
	const struct xr_counter *f = (const struct xr_counter *)&c;
	char labels[160];
	unsigned int i = 0;

	if (xr_if_counters_read(xr_loader_maps(r->d->loader), v->ifindex, &c))
		return;
#define XR_IF_LINE(field, dir, verdict)                                       \
	snprintf(labels, sizeof(labels),                                      \
		 "interface=\"%s\",ifindex=\"%u\",direction=\"%s\","          \
		 "verdict=\"%s\"",                                            \
		 v->name, v->ifindex, dir, verdict);                          \
	value(r->b,                                                           \
	      r->bytes ? "interface_bytes_total" : "interface_packets_total", \
	      labels, r->bytes ? f[i].bytes : f[i].packets);                  \
	i++;
	XR_IF_COUNTERS(XR_IF_LINE)
#undef XR_IF_LINE
}

static void render_interfaces(struct daemon *d, struct evbuffer *b)
{
	struct if_render r = {.d = d, .b = b};

	family(b, "interface_packets_total", "counter",
	       "Packets by interface, direction and fast-path verdict.");
	ports_foreach(d->ports, if_lines, &r);
	r.bytes = true;
	family(b, "interface_bytes_total", "counter",
	       "Bytes by interface, direction and fast-path verdict.");
	ports_foreach(d->ports, if_lines, &r);
}

static void attached_line(const struct ports_view *v, void *arg)
{
	char labels[128];

	snprintf(labels, sizeof(labels), "interface=\"%s\",mode=\"%s\"",
		 v->name, v->attached ? xr_loader_mode_name(v->mode) : "none");
	value(arg, "interface_attached", labels, v->attached);
}

static void not_attached_line(const struct ports_view *v, void *arg)
{
	char labels[192];

	if (v->attached || !v->not_attached)
		return;
	snprintf(labels, sizeof(labels), "interface=\"%s\",reason=\"%s\"",
		 v->name, v->not_attached);
	value(arg, "interface_not_attached", labels, 1);
}

static void render_rib(struct daemon *d, struct evbuffer *b)
{
	const struct rib_counters *rc = rib_counters(d->rib);
	struct rib_stats st;
	char labels[96];

#define XR_RIB_METRIC(name, help)                              \
	family(b, "rib_" #name "_total", "counter", help "."); \
	value(b, "rib_" #name "_total", NULL, rc->name);
	XR_RIB_COUNTERS(XR_RIB_METRIC)
#undef XR_RIB_METRIC

	rib_stats(d->rib, &st);
	family(b, "routes", "gauge",
	       "Routes in the RIB mirror, by whether the fast path has them.");
	value(b, "routes", "state=\"offloaded\"", st.routes_offloaded);
	family(b, "routes_not_offloaded", "gauge",
	       "Routes left to the kernel, by reason.");
	for (unsigned int w = XR_NOFF_NONE + 1; w <= XR_NOFF_SHADOWED; w++) {
		snprintf(labels, sizeof(labels), "reason=\"%s\"",
			 rib_not_offloaded_name(w));
		value(b, "routes_not_offloaded", labels, st.not_offloaded[w]);
	}
	family(b, "nexthops", "gauge", "Nexthops in the RIB mirror.");
	value(b, "nexthops", NULL, st.nexthops);
	family(b, "nexthop_groups", "gauge",
	       "Nexthop groups in the RIB mirror.");
	value(b, "nexthop_groups", NULL, st.groups);
}

static void render_rows(struct evbuffer *b)
{
	struct xr_rows_counters c;

	xr_maps_rows_counters(&c);
	family(b, "maps_rows_deferred_total", "counter",
	       "Nexthop and group writes that withdrew their id to wait out "
	       "its rows' grace.");
	value(b, "maps_rows_deferred_total", NULL, c.deferred);
	family(b, "maps_rows_waiting", "gauge",
	       "Nexthop and group ids withdrawn now, waiting for a row.");
	value(b, "maps_rows_waiting", NULL, c.waiting);
}

static void render_fpm(struct daemon *d, struct evbuffer *b)
{
	const struct fpm_stats *s = &fpm_server_decoder(d->fpm)->stats;
	const struct fpm_server_tx_stats *tx = fpm_server_tx(d->fpm);
	char name[96];

	family(b, "fpm_connected", "gauge", "1 while zebra is connected.");
	value(b, "fpm_connected", NULL, fpm_server_connected(d->fpm) ? 1 : 0);
	for (unsigned int i = 0; i < FPM_STAT__COUNT; i++) {
		snprintf(name, sizeof(name), "fpm_%s_total", fpm_stat_name(i));
		family(b, name, "counter", fpm_stat_help(i));
		value(b, name, NULL, fpm_stat_value(s, i));
	}
	family(b, "fpm_tx_frames_total", "counter",
	       "Frames queued to zebra (offload notifications).");
	value(b, "fpm_tx_frames_total", NULL, tx->frames);
	family(b, "fpm_tx_dropped_total", "counter",
	       "Frames to zebra dropped on a full backlog.");
	value(b, "fpm_tx_dropped_total", NULL, tx->dropped);
}

static void render_feedback(struct daemon *d, struct evbuffer *b)
{
	const struct offload_feedback_counters *c;
	uint64_t routes, offloaded;

	if (!d->feedback)
		return;
	c = offload_feedback_counters(d->feedback);
#define XR_FB_METRIC(name, help)                                    \
	family(b, "feedback_" #name "_total", "counter", help "."); \
	value(b, "feedback_" #name "_total", NULL, c->name);
	XR_FEEDBACK_COUNTERS(XR_FB_METRIC)
#undef XR_FB_METRIC
	offload_feedback_state(d->feedback, &routes, &offloaded);
	family(b, "routes_offloaded_reported", "gauge",
	       "Routes zebra has been told are offloaded.");
	value(b, "routes_offloaded_reported", NULL, offloaded);
}

/* The whole exposition, as served. */
static void metrics_render(struct daemon *d, struct evbuffer *b)
{
	family(b, "up", "gauge", "1: xdp-routerd is serving.");
	value(b, "up", NULL, 1);
	render_reasons(d, b);
	render_interfaces(d, b);
	family(b, "interface_attached", "gauge",
	       "1 if the XDP program is attached to the interface.");
	ports_foreach(d->ports, attached_line, b);
	family(b, "interface_not_attached", "gauge",
	       "1 for an interface xdp-routerd wants but left alone, by why "
	       "(another XDP program on it).");
	ports_foreach(d->ports, not_attached_line, b);
	render_rib(d, b);
	render_rows(b);
	if (d->fpm)
		render_fpm(d, b);
	render_feedback(d, b);
	if (d->metrics) {
		struct metrics_http_stats st;

		metrics_http_stats(d->metrics->http, &st);
		family(b, "scrapes_total", "counter",
		       "Scrapes of this endpoint.");
		value(b, "scrapes_total", NULL, d->metrics->scrapes);
		family(b, "metrics_connections", "gauge",
		       "Connections to this endpoint open now.");
		value(b, "metrics_connections", NULL, st.live);
		family(b, "metrics_connections_refused_total", "counter",
		       "Connections to this endpoint closed at accept: "
		       "metrics-max-connections were open.");
		value(b, "metrics_connections_refused_total", NULL, st.refused);
	}
}

static void on_scrape(void *arg, struct evbuffer *body)
{
	struct daemon *d = arg;

	d->metrics->scrapes++;
	metrics_render(d, body);
}

int metrics_start(struct daemon *d)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct metrics *m;
	int err;

	if (!d->opts.metrics_listen[0])
		return 0;
	/* Same syntax as the FPM address: ADDR:PORT or [V6]:PORT */
	err = fpm_parse_addr(d->opts.metrics_listen, &ss, &len);
	if (err)
		return err;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	/* Read-only, small requests, no idle clients, a bounded number of
	 * them: a scraper sends a GET of a few hundred bytes and is gone. */
	err = metrics_http_new(d->base, (struct sockaddr *)&ss, len,
			       d->opts.metrics_max_connections, on_scrape, d,
			       &m->http);
	if (err) {
		free(m);
		return err;
	}
	d->metrics = m;
	return 0;
}

uint64_t metrics_connections_refused(const struct daemon *d)
{
	struct metrics_http_stats st;

	if (!d->metrics)
		return 0;
	metrics_http_stats(d->metrics->http, &st);
	return st.refused;
}

void metrics_stop(struct daemon *d)
{
	if (!d->metrics)
		return;
	metrics_http_free(d->metrics->http);
	free(d->metrics);
	d->metrics = NULL;
}
