/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fields of struct xr_if_counters by name, for everything that prints
 * them (xdp-routerctl, the metrics endpoint): one list, in struct order.
 * X(field, direction, verdict)
 */
#ifndef XR_IF_COUNTER_NAMES_H
#define XR_IF_COUNTER_NAMES_H

#include "xdp_router_abi.h"

#define XR_IF_COUNTERS(X)                  \
	X(rx_forwarded, "rx", "forwarded") \
	X(rx_punted, "rx", "punted")       \
	X(rx_dropped, "rx", "dropped")     \
	X(tx_forwarded, "tx", "forwarded")

#define XR_IF_CNT_COUNT(f, d, v) +1
_Static_assert(sizeof(struct xr_if_counters) ==
		       (0 XR_IF_COUNTERS(XR_IF_CNT_COUNT)) *
			       sizeof(struct xr_counter),
	       "XR_IF_COUNTERS lists every field of struct xr_if_counters");
#undef XR_IF_CNT_COUNT

#endif /* XR_IF_COUNTER_NAMES_H */
