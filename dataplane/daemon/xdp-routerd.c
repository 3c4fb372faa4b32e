// SPDX-License-Identifier: GPL-2.0-only
/*
 * xdp-routerd: receives zebra's routes over FPM, mirrors the kernel's links,
 * addresses and neighbours, and compiles both into the pinned maps of the
 * XDP fast path. One libevent loop feeds everything.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <event2/event.h>

#include "daemon/config_reload.h"
#include "daemon/control.h"
#include "daemon/daemon.h"
#include "daemon/file_trust.h"
#include "fpm_decode.h"
#include "fpm_log.h"
#include "fpm_server.h"
#include "kernel/iptables_legacy.h"
#include "kernel/ct_sysctl.h"
#include "kernel/kernel_state.h"
#include "kernel/netconf.h"
#include "kernel/nft_follow.h"
#include "kernel/rules_follow.h"
#include "kernel/table_follow.h"
#include "kernel/tc_follow.h"
#include "kernel/xfrm_follow.h"
#include "loader/loader.h"
#include "maps/maps.h"
#include "util/grace.h"
#include "util/log.h"
#include "daemon/metrics.h"
#include "daemon/offload_feedback.h"
#include "export/ipfix.h"
#include "export/sample_feed.h"
#include "export/sflow.h"
#include "kernel/ports.h"
#include "rib/rib.h"

static double since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t->tv_sec) + (now.tv_nsec - t->tv_nsec) / 1e9;
}

static void on_fpm_event(const struct fpm_event *ev, void *arg)
{
	struct daemon *d = arg;

	clock_gettime(CLOCK_MONOTONIC, &d->last_fpm);
	if (ev->type == FPM_EV_PEER_UP) {
		xr_notice("zebra connected: resync starts");
		d->resync_pending = true;
	} else if (ev->type == FPM_EV_PEER_DOWN) {
		/* Entries stay and keep forwarding: the kernel still holds
		 * the same routes while zebra is away. */
		xr_notice("zebra disconnected: keeping the maps as they are");
	}
	rib_fpm_event(d->rib, ev);
	if (d->feedback)
		offload_feedback_fpm_event(d->feedback, ev);
}

static bool rib_egress(void *rib, uint32_t ifindex)
{
	return rib_uses_ifindex(rib, ifindex);
}

static void rows_timer_at(struct daemon *d, uint64_t due_ns)
{
	uint64_t now = xr_mono_ns();
	/* a millisecond late: the grace is over when the timer fires */
	uint64_t wait = (due_ns > now ? due_ns - now : 0) + 1000000;
	struct timeval tv = {wait / 1000000000ULL, wait % 1000000000ULL / 1000};

	evtimer_add(d->rows_timer, &tv);
}

/* A nexthop or group id was withdrawn to wait for a row: the loop goes on
 * and publishes its newest value when the grace is over. */
static void rows_armed(void *arg)
{
	struct daemon *d = arg;

	if (!evtimer_pending(d->rows_timer, NULL))
		rows_timer_at(d, xr_mono_ns() + XR_GRACE_NS);
}

static void on_rows_timer(evutil_socket_t fd, short what, void *arg)
{
	struct daemon *d = arg;
	uint64_t next;

	(void)fd;
	(void)what;
	next = xr_maps_rows_flush(xr_loader_maps(d->loader));
	if (next)
		rows_timer_at(d, next);
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	static uint64_t last_changes;
	const struct rib_counters *c;
	struct daemon *d = arg;
	uint64_t changes;

	(void)fd;
	(void)what;
	if (d->resync_pending && since(&d->last_fpm) >= d->opts.resync_delay) {
		const struct rib_counters *c = rib_counters(d->rib);
		uint64_t r0 = c->routes_swept, n0 = c->nexthops_swept;

		d->resync_pending = false;
		rib_sweep_stale(d->rib);
		if (!d->orphans_swept) {
			rib_sweep_orphans(d->rib);
			d->orphans_swept = true;
		}
		xr_notice("resync done: %llu stale routes, %llu stale "
			  "nexthops swept",
			  (unsigned long long)(c->routes_swept - r0),
			  (unsigned long long)(c->nexthops_swept - n0));
	}
	/* Links that became the egress of a route are attached; only worth
	 * a look when routes or nexthops changed. */
	c = rib_counters(d->rib);
	changes = c->routes_added + c->routes_deleted + c->nexthops_added +
		  c->nexthops_deleted;
	if (changes != last_changes || ports_want_replay(d->ports)) {
		last_changes = changes;
		kstate_foreach_link(d->ks, ports_link_event, d->ports);
	}
	ports_refresh(d->ports);
	rib_retry_failed(d->rib);
	if (d->feedback)
		offload_feedback_tick(d->feedback, d->rib, d->fpm);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct daemon *d = arg;

	(void)what;
	xr_notice("signal %d: exiting%s", (int)sig,
		  d->opts.detach_on_exit ? " and detaching"
					 : ", the fast path keeps forwarding");
	event_base_loopbreak(d->base);
}

static void on_sighup(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	config_reload(arg);
}

static void fpm_log_bridge(int level, const char *fmt, va_list ap)
{
	xr_vlog(level, fmt, ap);
}

/* The kernel's side of the RIB's input, beside zebra's (on_fpm_event). */
static void on_kernel_event(void *arg, const struct kstate_event *ev)
{
	struct rib *rib = arg;

	if (ev->type == KSTATE_NEIGH)
		rib_kernel_neigh(rib, ev->ifindex, ev->family, ev->addr);
	else
		rib_kernel_addr(rib, ev->type == KSTATE_ADDR_ADD, ev->ifindex,
				ev->vrf, ev->family, ev->addr, ev->prefixlen);
}

/* Links: names in nftables rules and ip rules resolve anew before the ports act
 * on the link, so a new interface never runs a moment on a stale plan. */
static void on_link(void *arg, const struct kstate_link *l, bool gone)
{
	struct daemon *d = arg;

	nft_follow_links_changed(d->nft);
	rules_follow_links_changed(d->rules);
	ports_link_event(d->ports, l, gone);
}

/* A table a `lookup T` rule names became equal to zebra's, or stopped. */
static void tables_changed(void *arg)
{
	struct daemon *d = arg;

	rules_follow_tables_changed(d->rules);
}

/* The conntrack timeouts changed: the program refreshes entries to the
 * kernel's values from its next packet on. */
static void ct_timeouts_changed(void *arg, const struct xr_ct_timeouts *t)
{
	struct daemon *d = arg;

	xr_loader_ct_timeouts_set(d->loader, t);
}

/* Each source expects itself in the plan and reads the kernel before the
 * first link is attached. One that cannot follow its part stays unread:
 * everything punts, the fast path is only slower. */
static int plan_sources_start(struct daemon *d)
{
	int err;

	/* all expected before any reads: none may look complete alone */
	plan_expect(d->plan, XR_PLAN_NETCONF);
	plan_expect(d->plan, XR_PLAN_RULES);
	plan_expect(d->plan, XR_PLAN_NFTABLES);
	plan_expect(d->plan, XR_PLAN_IPTABLES);
	plan_expect(d->plan, XR_PLAN_TC);
	plan_expect(d->plan, XR_PLAN_XFRM);
	plan_expect(d->plan, XR_PLAN_CONNTRACK);
	/* the sysctls decide forwarding itself: without them, no start */
	if ((err = netconf_new(&d->netconf, d->base, d->plan)))
		return err;
	if ((err = rules_follow_new(&d->rules, d->base, d->plan,
				    xr_loader_maps(d->loader))))
		xr_err("plan: cannot follow ip rules: %s; everything punts",
		       strerror(-err));
	if ((err = nft_follow_new(&d->nft, d->base, d->plan)))
		xr_err("plan: cannot follow nftables: %s; everything punts",
		       strerror(-err));
	if ((err = iptables_legacy_new(&d->iptables, d->base, d->plan)))
		xr_err("plan: cannot watch iptables-legacy: %s; everything "
		       "punts",
		       strerror(-err));
	if ((err = ct_sysctl_new(&d->ct_sysctl, d->base, d->plan,
				 ct_timeouts_changed, d)))
		xr_err("plan: cannot watch conntrack's sysctls: %s; "
		       "everything punts",
		       strerror(-err));
	if ((err = tc_follow_new(&d->tc, d->base, d->plan)))
		xr_err("plan: cannot follow tc: %s; everything punts",
		       strerror(-err));
	if ((err = xfrm_follow_new(&d->xfrm, d->base, d->plan)))
		xr_err("plan: cannot follow xfrm: %s; everything punts",
		       strerror(-err));
	return 0;
}

/* sFlow and IPFIX, fed by the program's samples; a failure here is logged
 * and leaves forwarding as it is. */
static void flow_export_start(struct daemon *d)
{
	struct flow_consumer c;
	int err;

	if (d->opts.sflow.n_collectors) {
		err = sflow_new(&d->sflow, d->base, xr_loader_maps(d->loader),
				&d->opts.sflow);
		if (err)
			xr_warn("no sFlow export: %s", strerror(-err));
	}
	if (d->opts.ipfix.n_collectors) {
		err = ipfix_new(&d->ipfix, d->base, &d->opts.ipfix);
		if (err)
			xr_warn("no IPFIX export: %s", strerror(-err));
	}
	if (!d->opts.sflow.sampling || (!d->sflow && !d->ipfix))
		return;
	err = sample_feed_new(&d->samples, d->base, d->opts.pin_path,
			      d->opts.sflow.sampling);
	if (err) {
		xr_err("no flow samples from the program in %s: %s",
		       d->opts.pin_path, strerror(-err));
		return;
	}
	if (d->sflow) {
		c = sflow_consumer(d->sflow);
		sample_feed_add(d->samples, &c);
	}
	if (d->ipfix) {
		c = ipfix_consumer(d->ipfix);
		sample_feed_add(d->samples, &c);
	}
}

static int daemon_start(struct daemon *d)
{
	struct rib_kernel_ops kops = {
		.neigh_mac = kstate_neigh_mac,
		.neigh_track = kstate_neigh_track,
	};
	struct timeval one_second = {1, 0};
	char why[160];
	int err;

	clock_gettime(CLOCK_MONOTONIC, &d->started);
	d->base = event_base_new();
	if (!d->base)
		return -ENOMEM;
	err = file_trust_pin_dir(d->opts.pin_path, why, sizeof(why));
	if (err) {
		xr_err("refusing pin dir %s: %s", d->opts.pin_path, why);
		return err;
	}
	err = xr_loader_load(&d->loader, &d->opts.loader);
	if (err)
		return err;
	d->ports = ports_new(d->loader, &d->opts.ports);
	d->plan = plan_new();
	if (!d->ports || !d->plan)
		return -ENOMEM;
	/* The plan is in every row from the first one the ports write: each
	 * source of kernel configuration expects itself here, so nothing is
	 * accelerated before all of them have been read. */
	ports_set_plan(d->ports, d->plan);
	plan_set_listener(d->plan, ports_replan, d->ports);
	err = plan_sources_start(d);
	if (err)
		return err;
	err = kstate_new(&d->ks, d->base, on_link, d);
	if (err)
		return err;
	kops.arg = d->ks;
	d->rows_timer = evtimer_new(d->base, on_rows_timer, d);
	if (!d->rows_timer)
		return -ENOMEM;
	xr_maps_rows_defer(rows_armed, d);
	d->rib = rib_new(xr_loader_maps(d->loader), &kops);
	if (!d->rib)
		return -ENOMEM;
	rib_set_limits(d->rib, d->opts.rib_max_routes,
		       d->opts.rib_max_nexthops);
	if ((err = table_follow_new(&d->tables, d->base, d->rib, tables_changed,
				    d)))
		xr_err("plan: cannot follow the ip rules' tables: %s; lookup "
		       "of a table other than main punts",
		       strerror(-err));
	else
		rules_follow_set_tables(d->rules, d->tables);
	ports_set_egress_check(d->ports, rib_egress, d->rib);
	/* Links first (attach, ifaces), then addresses and neighbours. */
	kstate_foreach_link(d->ks, on_link, d);
	ports_sweep_orphans(d->ports);
	kstate_follow(d->ks, on_kernel_event, d->rib);

	err = fpm_server_create(&d->fpm, d->base, d->opts.fpm_listen,
				&d->opts.fpm_peers, on_fpm_event, d);
	if (err) {
		xr_err("cannot listen for FPM on %s: %s", d->opts.fpm_listen,
		       strerror(-err));
		return err;
	}
	fpm_server_set_frame_timeout(d->fpm, d->opts.fpm_frame_timeout);
	xr_notice("listening for zebra's FPM connection on %s",
		  d->opts.fpm_listen);
	if (d->opts.offload_feedback) {
		err = offload_feedback_new(&d->feedback);
		if (err)
			return err;
	}
	/* The reporting parts are not worth failing the fast path for */
	flow_export_start(d);
	err = control_start(d);
	if (err)
		xr_warn("no control socket at %s: %s%s", d->opts.control_socket,
			strerror(-err),
			err == -EADDRINUSE ? " (another xdp-routerd answers "
					     "there; see --control-socket)"
					   : "");
	err = metrics_start(d);
	if (err)
		xr_warn("no metrics endpoint on %s: %s", d->opts.metrics_listen,
			strerror(-err));
	else if (d->metrics)
		xr_notice("serving metrics at http://%s/metrics",
			  d->opts.metrics_listen);

	d->tick = event_new(d->base, -1, EV_PERSIST, on_tick, d);
	d->sig_int = evsignal_new(d->base, SIGINT, on_signal, d);
	d->sig_term = evsignal_new(d->base, SIGTERM, on_signal, d);
	d->sig_hup = evsignal_new(d->base, SIGHUP, on_sighup, d);
	if (!d->tick || !d->sig_int || !d->sig_term || !d->sig_hup ||
	    event_add(d->tick, &one_second) || event_add(d->sig_int, NULL) ||
	    event_add(d->sig_term, NULL) || event_add(d->sig_hup, NULL))
		return -ENOMEM;
	return 0;
}

static void daemon_stop(struct daemon *d)
{
	if (d->opts.detach_on_exit && d->ports)
		ports_detach_all(d->ports);
	metrics_stop(d);
	control_stop(d);
	sample_feed_free(d->samples);
	sflow_free(d->sflow);
	ipfix_free(d->ipfix);
	if (d->fpm)
		fpm_server_free(d->fpm);
	if (d->tick)
		event_free(d->tick);
	if (d->rows_timer)
		event_free(d->rows_timer);
	if (d->sig_int)
		event_free(d->sig_int);
	if (d->sig_term)
		event_free(d->sig_term);
	if (d->sig_hup)
		event_free(d->sig_hup);
	kstate_free(d->ks);
	netconf_free(d->netconf);
	offload_feedback_free(d->feedback);
	rib_free(d->rib);
	ports_free(d->ports);
	nft_follow_free(d->nft);
	iptables_legacy_free(d->iptables);
	ct_sysctl_free(d->ct_sysctl);
	tc_follow_free(d->tc);
	xfrm_follow_free(d->xfrm);
	rules_follow_free(d->rules);
	table_follow_free(d->tables); /* unused once rules_follow is gone */
	plan_free(d->plan);
	xr_loader_free(d->loader);
	if (d->base)
		event_base_free(d->base);
}

int main(int argc, char **argv)
{
	struct daemon d = {0};
	int err;

	d.argc = argc;
	d.argv = argv;
	err = daemon_opts_parse(&d.opts, argc, argv);
	if (err)
		return err > 0 ? 0 : 2;
	xr_log_setup_libbpf();
	fpm_set_log(fpm_log_bridge);
	signal(SIGPIPE, SIG_IGN);
	if (!d.opts.foreground && daemon(0, 0)) {
		xr_err("cannot daemonize: %s", strerror(errno));
		return 1;
	}
	err = daemon_start(&d);
	if (!err)
		event_base_dispatch(d.base);
	daemon_stop(&d);
	return err ? 1 : 0;
}
