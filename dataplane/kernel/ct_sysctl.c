// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "xdp_router_abi.h"
#include "util/log.h"
#include "loader/loader.h"
#include "kernel/ct_sysctl.h"

/* How often the sysctls are read: they have no notifications. */
#define CT_SYSCTL_POLL_MS 1000

struct ct_sysctl {
	struct plan *pl;
	struct event *timer;
	int be_liberal;
	struct xr_ct_timeouts timeouts; /* as last handed on */
	ct_timeouts_fn timeouts_changed;
	void *arg;
};

/* A sysctl of net.netfilter, -1 when it cannot be read. */
static long read_sysctl(const char *name)
{
	char path[128];
	long v;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/proc/sys/net/netfilter/%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fscanf(f, "%ld", &v);
	fclose(f);
	return n == 1 && v >= 0 ? v : -1;
}

void ct_sysctl_state(struct plan *pl, int be_liberal)
{
	char why[XR_PLAN_WHY_MAX];

	plan_begin(pl, XR_PLAN_CONNTRACK);
	if (be_liberal != 1) {
		if (be_liberal < 0)
			snprintf(why, sizeof(why),
				 "sysctl net.netfilter."
				 "nf_conntrack_tcp_be_liberal unreadable");
		else
			snprintf(why, sizeof(why),
				 "sysctl net.netfilter."
				 "nf_conntrack_tcp_be_liberal=%d",
				 be_liberal);
		plan_set(pl, XR_PLAN_CONNTRACK, XR_PLAN_ALL_IFACES,
			 XR_IF_F_CT_TCP_STRICT, why);
	}
	plan_commit(pl, XR_PLAN_CONNTRACK);
}

static void check(struct ct_sysctl *cs, bool first)
{
	int liberal = (int)read_sysctl("nf_conntrack_tcp_be_liberal");
	struct xr_ct_timeouts t;

	if (first || liberal != cs->be_liberal) {
		cs->be_liberal = liberal;
		ct_sysctl_state(cs->pl, liberal);
	}
	xr_loader_ct_timeouts_read(&t);
	if (first) {
		cs->timeouts = t;
	} else if (t.udp_stream_ms != cs->timeouts.udp_stream_ms ||
		   t.tcp_established_ms != cs->timeouts.tcp_established_ms) {
		xr_notice("conntrack: timeouts now udp stream %u s, tcp "
			  "established %u s: accelerated packets refresh "
			  "entries to them",
			  t.udp_stream_ms / 1000, t.tcp_established_ms / 1000);
		cs->timeouts = t;
		if (cs->timeouts_changed)
			cs->timeouts_changed(cs->arg, &t);
	}
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	check(arg, false);
}

int ct_sysctl_new(struct ct_sysctl **out, struct event_base *base,
		  struct plan *pl, ct_timeouts_fn timeouts_changed, void *arg)
{
	struct ct_sysctl *cs = calloc(1, sizeof(*cs));
	struct timeval every = {CT_SYSCTL_POLL_MS / 1000,
				(CT_SYSCTL_POLL_MS % 1000) * 1000};

	if (!cs)
		return -ENOMEM;
	cs->pl = pl;
	cs->timeouts_changed = timeouts_changed;
	cs->arg = arg;
	plan_expect(pl, XR_PLAN_CONNTRACK);
	cs->timer = event_new(base, -1, EV_PERSIST, on_timer, cs);
	if (!cs->timer || event_add(cs->timer, &every)) {
		ct_sysctl_free(cs);
		return -ENOMEM;
	}
	check(cs, true);
	*out = cs;
	return 0;
}

void ct_sysctl_free(struct ct_sysctl *cs)
{
	if (!cs)
		return;
	if (cs->timer)
		event_free(cs->timer);
	free(cs);
}
