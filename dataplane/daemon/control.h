/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The control socket xdp-routerctl talks to: a Unix stream socket, one
 * request line per connection ("status", "routes [ipv4|ipv6] [PREFIX]",
 * "nexthops", "groups", "counters", "match VRF ADDRESS"), answered with one
 * JSON object, then closed. What the pinned maps already say the CLI reads
 * itself; the daemon adds what only it knows: zebra's view, why a route is
 * not offloaded, FPM and RIB counters. The requests and the keys of the
 * answers: daemon/control_protocol.h, shared with the CLI.
 *
 * The socket is root's (0600), or root:control-group 0660: no request
 * changes anything, so the group reads and never writes. A line is at most
 * CONTROL_REQUEST_MAX bytes; a bad one gets {"error": ...}; at most 16
 * clients at a time, each closed after 5 s idle.
 */
#ifndef XR_CONTROL_H
#define XR_CONTROL_H

#include <stdint.h>

struct daemon;

/* Listen on d->opts.control_socket. Refuses (-EADDRINUSE) to take over
 * the socket of a daemon that still answers. */
int control_start(struct daemon *d);
void control_stop(struct daemon *d);
/* Connections closed at once: CLIENTS_MAX were already open. */
uint64_t control_refused(const struct daemon *d);

#endif /* XR_CONTROL_H */
