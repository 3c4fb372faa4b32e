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
 * Sysctls send no notification: a timer reads it, as for iptables-legacy.
 * It also notices the timeouts the program refreshes with
 * (nf_conntrack_udp_timeout_stream, nf_conntrack_tcp_timeout_established),
 * read once at load, changing: it says so, since only a restart reloads
 * them.
 */
#ifndef XR_KERNEL_CT_SYSCTL_H
#define XR_KERNEL_CT_SYSCTL_H

#include <event2/event.h>

#include "kernel/plan.h"

struct ct_sysctl;

int ct_sysctl_new(struct ct_sysctl **out, struct event_base *base,
		  struct plan *pl);
void ct_sysctl_free(struct ct_sysctl *cs);

/* The source's statement for a value of nf_conntrack_tcp_be_liberal
 * (negative: it could not be read, conntrack not loaded). */
void ct_sysctl_state(struct plan *pl, int be_liberal);

#endif /* XR_KERNEL_CT_SYSCTL_H */
