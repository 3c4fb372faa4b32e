// SPDX-License-Identifier: GPL-2.0-only
/* The RIB's writer of the pinned maps: rib_map_ops over maps/maps.h. */
#include "rib/rib_internal.h"

static int route_set(void *m, uint32_t vrf, const struct xr_prefix *p,
		     const struct xr_route *r)
{
	return xr_route_set(m, vrf, p, r);
}

static int route_del(void *m, uint32_t vrf, const struct xr_prefix *p)
{
	return xr_route_del(m, vrf, p);
}

static int nexthop_set(void *m, uint32_t id, const struct xr_nexthop *nh)
{
	return xr_nexthop_set(m, id, nh);
}

static int nexthop_del(void *m, uint32_t id)
{
	return xr_nexthop_del(m, id);
}

static int group_set(void *m, uint32_t id, const struct xr_nh_group *g)
{
	return xr_group_set(m, id, g);
}

static int group_del(void *m, uint32_t id)
{
	return xr_group_del(m, id);
}

static int neigh_set(void *m, uint32_t ifindex, const struct xr_addr *a,
		     const uint8_t mac[6])
{
	return xr_neigh_set(m, ifindex, a, mac);
}

static int neigh_del(void *m, uint32_t ifindex, const struct xr_addr *a)
{
	return xr_neigh_del(m, ifindex, a);
}

struct rib_map_ops rib_pinned_map_ops(const struct xr_maps *maps)
{
	return (struct rib_map_ops){
		.route_set = route_set,
		.route_del = route_del,
		.nexthop_set = nexthop_set,
		.nexthop_del = nexthop_del,
		.group_set = group_set,
		.group_del = group_del,
		.neigh_set = neigh_set,
		.neigh_del = neigh_del,
		/* the ops only read the fds: const in spirit */
		.arg = (void *)maps,
	};
}
