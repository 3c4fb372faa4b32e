// SPDX-License-Identifier: GPL-2.0-only
#include "stats_rates.h"

double stats_seconds(const struct timespec *now, const struct timespec *then)
{
	return (now->tv_sec - then->tv_sec) +
	       (now->tv_nsec - then->tv_nsec) / 1e9;
}

static double delta(uint64_t now, uint64_t then)
{
	return (double)(now >= then ? now - then : now);
}

struct stats_rate stats_rate(const struct xr_counter *now,
			     const struct xr_counter *then, double seconds)
{
	struct stats_rate r = {0, 0};

	if (seconds <= 0)
		return r;
	r.pps = delta(now->packets, then->packets) / seconds;
	r.bps = delta(now->bytes, then->bytes) / seconds;
	return r;
}

const struct stats_if *stats_find_if(const struct stats_sample *s,
				     uint32_t ifindex)
{
	for (unsigned int i = 0; i < s->n_ifs; i++)
		if (s->ifs[i].ifindex == ifindex)
			return &s->ifs[i];
	return NULL;
}
