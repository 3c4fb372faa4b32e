/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The control socket xdp-routerctl talks to: a Unix stream socket, one
 * request line per connection ("status", "routes [ipv4|ipv6] [PREFIX]",
 * "nexthops", "groups", "counters", "match VRF ADDRESS"), answered with one
 * JSON object, then closed. What the pinned maps already say the CLI reads
 * itself; the daemon adds what only it knows: zebra's view, why a route is
 * not offloaded, FPM and RIB counters. The requests and the keys of the
 * answers: daemon/control_protocol.h, shared with the CLI.
 */
#ifndef XR_CONTROL_H
#define XR_CONTROL_H

struct daemon;

/* Listen on d->opts.control_socket. Refuses (-EADDRINUSE) to take over
 * the socket of a daemon that still answers. */
int control_start(struct daemon *d);
void control_stop(struct daemon *d);

#endif /* XR_CONTROL_H */
