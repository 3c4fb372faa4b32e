/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Conntrack's own sysctls, watched for the plan (source CONNTRACK).
 *
 * net.netfilter.nf_conntrack_tcp_be_liberal: TCP segments the fast path
 * forwards never reach conntrack's window tracking, so a later segment the
 * kernel does see (the FIN, any segment after a punt) may fall outside the
 * window it last knew; a strict kernel (0, the default) calls it INVALID and
 * `ct state invalid drop` or the policy drops it where Linux alone would
 * have accepted it. Unless the kernel is liberal itself (1), every
 * interface gets CT_TCP_STRICT: TCP of a pair with a conntrack check
 * punts unless its own entry is liberal (bpf/conntrack.h), UDP is still
 * accelerated. The sysctl is only ever read, never set.
 *
 * Sysctls send no notification: a timer reads it, as for iptables-legacy,
 * and with it the timeouts an accelerated packet refreshes its entry to
 * (nf_conntrack_udp_timeout_stream, nf_conntrack_tcp_timeout_established,
 * xr_loader_ct_timeouts_read), handing a change to timeouts_changed (the
 * daemon sets them in the loaded program).
 */
#ifndef XR_KERNEL_CT_SYSCTL_H
#define XR_KERNEL_CT_SYSCTL_H

#include <event2/event.h>

#include "xdp_router_abi.h"
#include "kernel/plan.h"

struct ct_sysctl;

typedef void (*ct_timeouts_fn)(void *arg, const struct xr_ct_timeouts *t);

int ct_sysctl_new(struct ct_sysctl **out, struct event_base *base,
		  struct plan *pl, ct_timeouts_fn timeouts_changed, void *arg);
void ct_sysctl_free(struct ct_sysctl *cs);

/* The source's statement for a value of nf_conntrack_tcp_be_liberal
 * (negative: it could not be read, conntrack not loaded). */
void ct_sysctl_state(struct plan *pl, int be_liberal);

#endif /* XR_KERNEL_CT_SYSCTL_H */
