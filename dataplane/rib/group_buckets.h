/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XR_GROUP_BUCKETS_H
#define XR_GROUP_BUCKETS_H

#include <stdint.h>

#include "xdp_router_abi.h"

/*
 * Build a group from its members: each member owns a share of the hash
 * buckets proportional to its weight. With prev (the group as the fast path
 * sees it now), every bucket whose member stays keeps that member as long as
 * the member's share allows, so removing or adding one member moves only the
 * flows that must move. Weights of 0 count as 1. Returns 0 or -EINVAL.
 */
int xr_group_build(struct xr_nh_group *g, const uint32_t *ids,
		   const uint8_t *weights, unsigned int n,
		   const struct xr_nh_group *prev);

#endif /* XR_GROUP_BUCKETS_H */
