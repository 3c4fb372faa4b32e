/* SPDX-License-Identifier: GPL-2.0-only */
/* Samples of the fast-path counters and the rates between two of them. */
#ifndef XR_STATS_RATES_H
#define XR_STATS_RATES_H

#include <time.h>

#include "maps/maps.h"

#define STATS_MAX_IFS XR_IFACE_MAX

struct stats_if {
	uint32_t ifindex;
	struct xr_if_counters c;
};

struct stats_sample {
	struct cli *cli;
	struct timespec when;
	struct xr_counter reasons[XR_REASON_MAX];
	unsigned int n_ifs;
	struct stats_if ifs[STATS_MAX_IFS];
};

struct stats_rate {
	double pps, bps; /* bytes per second */
};

double stats_seconds(const struct timespec *now, const struct timespec *then);
/* A counter that went down was cleared: its rate counts from zero. */
struct stats_rate stats_rate(const struct xr_counter *now,
			     const struct xr_counter *then, double seconds);
const struct stats_if *stats_find_if(const struct stats_sample *s,
				     uint32_t ifindex);

#endif /* XR_STATS_RATES_H */
