/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xdp-routerd's state, for the parts of the daemon that report on it (the
 * control socket, the metrics endpoint). Only xdp-routerd.c changes it.
 */
#ifndef XR_DAEMON_H
#define XR_DAEMON_H

#include <stdbool.h>
#include <time.h>
#include <event2/event.h>

#include "daemon/daemon_opts.h"
#include "fpm_server.h"
#include "kernel/kernel_state.h"
#include "kernel/plan.h"
#include "loader/loader.h"
#include "kernel/ports.h"
#include "rib/rib.h"

struct control;
struct nft_follow;
struct tc_follow;
struct xfrm_follow;
struct rules_follow;
struct iptables_legacy;
struct ct_sysctl;
struct metrics;
struct offload_feedback;
struct sflow;
struct ipfix;
struct sample_feed;

struct daemon {
	struct daemon_opts opts;
	int argc; /* the command line, read again on SIGHUP */
	char **argv;
	struct event_base *base;
	struct xr_loader *loader;
	struct rib *rib;
	struct kstate *ks;
	struct ports *ports;
	struct plan *plan; /* what kernel configuration lets us accelerate */
	/* sources of the plan */
	struct netconf *netconf; /* sysctls (kernel/netconf.h) */
	struct nft_follow *nft;
	struct tc_follow *tc;
	struct xfrm_follow *xfrm;
	struct rules_follow *rules;  /* ip rules */
	struct table_follow *tables; /* the tables of `lookup T` rules */
	struct iptables_legacy *iptables;
	struct ct_sysctl *ct_sysctl; /* tcp_be_liberal (kernel/ct_sysctl.h) */
	struct fpm_server *fpm;
	struct event *tick, *sig_int, *sig_term, *sig_hup;
	/* Publishes nexthop and group ids that changed faster than their
	 * rows' grace once it is over (maps.h xr_maps_rows_defer) */
	struct event *rows_timer;
	/* Resync: after zebra (re)connects, sweep what it did not replay once
	 * the stream has been quiet for resync_delay seconds. */
	bool resync_pending;
	bool orphans_swept;
	struct timespec last_fpm;
	/* Reporting: control socket, metrics endpoint, feedback to zebra */
	struct control *control;
	struct metrics *metrics;
	struct offload_feedback *feedback;
	struct sflow *sflow;	     /* sFlow export, NULL when off */
	struct ipfix *ipfix;	     /* IPFIX export, NULL when off */
	struct sample_feed *samples; /* the program's, NULL without sampling */
	struct timespec started;     /* CLOCK_MONOTONIC */
};

#endif /* XR_DAEMON_H */
