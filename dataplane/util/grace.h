/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one grace period of the daemon's recycled map entries (id slots of
 * the compiled FIBs, nexthop and group ids, the array rows of ifaces,
 * nexthops and groups) and the clock it is measured on. A packet holds
 * what it read for the microseconds of one program run; 100 ms is four
 * orders of magnitude above that.
 */
#ifndef XR_GRACE_H
#define XR_GRACE_H

#include <stdint.h>
#include <time.h>

#define XR_GRACE_NS (100ULL * 1000 * 1000)

static inline uint64_t xr_mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

#endif /* XR_GRACE_H */
