/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The program's flow samples (bpf/flow_sample.h) from userspace: the pinned
 * ring flow_samples drained through a callback, the 1-in-N rates written to
 * sample_rates, the per-CPU sample_stats summed.
 */
#ifndef XR_SAMPLE_RING_H
#define XR_SAMPLE_RING_H

#include <stdint.h>

#include "xdp_router_abi.h"

struct sample_ring;

typedef void (*sample_fn)(void *arg, const struct xr_flow_sample *s);

/* The maps pinned in pin_dir by a program loaded with flow_sample on. */
int sample_ring_open(struct sample_ring **out, const char *pin_dir,
		     sample_fn fn, void *arg);
void sample_ring_free(struct sample_ring *r);
/* 1 in rate frames of every ingress interface; 0 stops sampling. */
int sample_ring_set_rate(struct sample_ring *r, uint32_t rate);
/* For an event loop: readable when records wait. */
int sample_ring_fd(const struct sample_ring *r);
/* Hands every waiting record to the callback: how many, or -errno. */
int sample_ring_drain(struct sample_ring *r);
int sample_ring_stats(const struct sample_ring *r, struct xr_sample_stats *s);

#endif /* XR_SAMPLE_RING_H */
