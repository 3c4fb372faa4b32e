/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Frames we send back to zebra. Since FRR 8.5 dplane_fpm_nl reads
 * RTM_NEWROUTE messages on the FPM connection and treats them as route
 * notifications, like a kernel that offloads to hardware: RTM_F_OFFLOAD
 * says the route is in the fast path, RTM_F_OFFLOAD_FAILED that it is not.
 * zebra matches the notification to its route by table, prefix, protocol
 * and nexthops, so we send back what zebra sent us with only the flag
 * added. Pure functions, no I/O.
 */
#ifndef XR_FPM_ENCODE_H
#define XR_FPM_ENCODE_H

#include <stdbool.h>
#include <stddef.h>

#include "fpm_events.h"

/* Room for a route with FPM_MAX_PATHS IPv6 paths, header included. */
#define FPM_ENCODE_ROUTE_MAX 4096

/*
 * Write one FPM frame (header + netlink RTM_NEWROUTE with NLM_F_REQUEST)
 * for route r, with RTM_F_OFFLOAD when offloaded, RTM_F_OFFLOAD_FAILED
 * otherwise. Returns the frame length, or -EINVAL (bad route) or
 * -ENOSPC (buffer too small).
 */
int fpm_encode_route_offload(uint8_t *buf, size_t size,
			     const struct fpm_route *r, bool offloaded,
			     uint32_t seq);

#endif
