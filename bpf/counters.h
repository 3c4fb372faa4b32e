/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
#ifndef XR_COUNTERS_H
#define XR_COUNTERS_H

#include "map_defs.h"

static __always_inline void counter_add(struct xr_counter *c, __u64 bytes)
{
	/* Per-CPU values: no atomics needed. */
	c->packets++;
	c->bytes += bytes;
}

/* The one place a verdict is recorded: per reason, per interface slot. */
static __always_inline void counters_record(int action, __u32 reason,
					    __u32 in_slot, __u32 out_slot,
					    __u64 bytes)
{
	struct xr_counter *c = bpf_map_lookup_elem(&counters, &reason);
	struct xr_if_counters *ic;

	if (c)
		counter_add(c, bytes);

	ic = bpf_map_lookup_elem(&if_counters, &in_slot);
	if (ic) {
		if (action == XDP_REDIRECT)
			counter_add(&ic->rx_forwarded, bytes);
		else if (action == XDP_DROP)
			counter_add(&ic->rx_dropped, bytes);
		else
			counter_add(&ic->rx_punted, bytes);
	}
	if (action == XDP_REDIRECT) {
		ic = bpf_map_lookup_elem(&if_counters, &out_slot);
		if (ic)
			counter_add(&ic->tx_forwarded, bytes);
	}
}

#endif /* XR_COUNTERS_H */
