/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The sysctls that decide whether and how a packet is forwarded, followed
 * as the plan's NETCONF source (kernel/plan.h), in the daemon's namespace:
 *
 *   IPv4 forwarding   the ingress device's own value (IN_DEV_FORWARD; a
 *                     write to all is copied to every device) -> NOFWD_V4
 *   IPv4 rp_filter    max(all, device) (IN_DEV_RPFILTER) -> RPF_STRICT_V4
 *                     or RPF_LOOSE_V4; loose on a device without an IPv4
 *                     address is strict (fib_validate_source's no_addr)
 *   send_redirects    all OR device (IN_DEV_TX_REDIRECTS) -> REDIRECTS_V4
 *   IPv6 forwarding   all, or the device's force_forwarding (ip6_forward)
 *                     -> NOFWD_V6; disable_ipv6 on a device -> NOFWD_V6
 *                     and PUNT_OUT_V6 (ipv6_rcv and ip6_output drop)
 *   IPv6 hairpins     ip6_forward sends a redirect with no sysctl to stop
 *                     it -> REDIRECTS_V6 everywhere
 *
 * forwarding and rp_filter come by netlink (RTM_NEWNETCONF, dumped at
 * start, then RTNLGRP_IPV4_NETCONF / IPV6_NETCONF). Netconf does not carry
 * send_redirects, force_forwarding or disable_ipv6: they are read from
 * /proc/sys/net/ipv{4,6}/conf/ at start, on every netconf, link or
 * address change, and once a second (a sysctl write notifies nothing).
 */
#ifndef XR_NETCONF_H
#define XR_NETCONF_H

#include <event2/event.h>

#include "kernel/plan.h"

struct netconf;

/* Dumps and states the NETCONF part of the plan before returning, then
 * follows it on base. */
int netconf_new(struct netconf **out, struct event_base *base,
		struct plan *plan);
void netconf_free(struct netconf *nc);

/* The pure rules, for the unit test: max(all, dev) for rp_filter, with an
 * address-less device's loose mode made strict. Returns the plan flags. */
uint32_t netconf_rpf_flags(int all, int dev, bool has_v4_addr);

#endif /* XR_NETCONF_H */
