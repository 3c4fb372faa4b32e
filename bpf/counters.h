/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
#ifndef XR_COUNTERS_H
#define XR_COUNTERS_H

#include "maps.h"

static __always_inline void counter_add(struct xr_counter *c, __u64 bytes)
{
	/* Per-CPU values: no atomics needed. */
	c->packets++;
	c->bytes += bytes;
}

static __always_inline struct xr_if_counters *if_counters_get(__u32 ifindex)
{
	struct xr_if_counters *c = bpf_map_lookup_elem(&if_counters, &ifindex);

	if (c)
		return c;
	/* First packet on this interface: create the slot; a racing CPU
	 * creating it too is harmless (NOEXIST keeps the first). */
	struct xr_if_counters zero = {};
	bpf_map_update_elem(&if_counters, &ifindex, &zero, BPF_NOEXIST);
	return bpf_map_lookup_elem(&if_counters, &ifindex);
}

/* The one place a verdict is recorded: per reason, per interface. */
static __always_inline void counters_record(int action, __u32 reason,
					    __u32 in_ifindex, __u32 out_ifindex,
					    __u64 bytes)
{
	struct xr_counter *c = bpf_map_lookup_elem(&counters, &reason);
	struct xr_if_counters *ic;

	if (c)
		counter_add(c, bytes);

	ic = if_counters_get(in_ifindex);
	if (ic) {
		if (action == XDP_REDIRECT)
			counter_add(&ic->rx_forwarded, bytes);
		else if (action == XDP_DROP)
			counter_add(&ic->rx_dropped, bytes);
		else
			counter_add(&ic->rx_punted, bytes);
	}
	if (action == XDP_REDIRECT) {
		ic = if_counters_get(out_ifindex);
		if (ic)
			counter_add(&ic->tx_forwarded, bytes);
	}
}

#endif /* XR_COUNTERS_H */
