/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Prometheus text metrics over HTTP (libevent evhttp) at /metrics, bound
 * to d->opts.metrics_listen (127.0.0.1 by default: the counters describe
 * the network). Fast-path counters carry the same names as
 * xdp-routerctl prints, as label values; control-plane counters (FPM
 * messages by type, decode errors, map errors, offload feedback) come from
 * the same X-macro lists as the CLI's.
 */
#ifndef XR_METRICS_H
#define XR_METRICS_H

#include <stdint.h>

struct daemon;

int metrics_start(struct daemon *d);
void metrics_stop(struct daemon *d);
/* Connections closed at accept (metrics-max-connections were open). */
uint64_t metrics_connections_refused(const struct daemon *d);

#endif /* XR_METRICS_H */
