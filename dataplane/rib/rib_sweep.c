// SPDX-License-Identifier: GPL-2.0-only
/*
 * After a restart the maps still hold what the previous run wrote, and keep
 * forwarding with it while zebra replays. Once the replay has settled,
 * whatever the new RIB does not own is an orphan: removed here.
 */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>

#include "util/log.h"
#include "rib/rib_internal.h"

struct id_set {
	uint32_t *ids;
	size_t n, cap;
};

static void id_set_add(struct id_set *s, uint32_t id)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		uint32_t *ids = realloc(s->ids, cap * sizeof(*ids));

		if (!ids)
			return;
		s->ids = ids;
		s->cap = cap;
	}
	s->ids[s->n++] = id;
}

static int id_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int id_set_has(const struct id_set *s, uint32_t id)
{
	return bsearch(&id, s->ids, s->n, sizeof(id), id_cmp) != NULL;
}

/* Deletes every key of fd for which owned() says no; returns the count. */
static unsigned int sweep_map(int fd, size_t key_size,
			      int (*owned)(struct rib *, const void *),
			      struct rib *rib)
{
	uint8_t key[64], next[64];
	uint8_t *dead = NULL;
	size_t n_dead = 0, cap = 0;
	int more;

	for (more = !bpf_map_get_next_key(fd, NULL, next); more;
	     more = !bpf_map_get_next_key(fd, key, next)) {
		memcpy(key, next, key_size);
		if (owned(rib, key))
			continue;
		if (n_dead == cap) {
			uint8_t *d;

			cap = cap ? cap * 2 : 64;
			d = realloc(dead, cap * key_size);
			if (!d)
				break;
			dead = d;
		}
		memcpy(dead + n_dead++ * key_size, key, key_size);
	}
	for (size_t i = 0; i < n_dead; i++)
		bpf_map_delete_elem(fd, dead + i * key_size);
	free(dead);
	return n_dead;
}

static int route_owned(struct rib *rib, uint8_t family, uint32_t prefixlen,
		       __be32 vrf, const uint8_t *addr)
{
	struct route_key k = {.family = family, .vrf = ntohl(vrf)};
	struct route *r;

	if (prefixlen < XR_LPM_VRF_BITS)
		return 0;
	k.plen = prefixlen - XR_LPM_VRF_BITS;
	memcpy(k.addr, addr, family == AF_INET ? 4 : 16);
	r = hashtab_find(&rib->routes, &k);
	return r && r->in_map;
}

static int route_v4_owned(struct rib *rib, const void *key)
{
	const struct xr_lpm_v4_key *k = key;

	return route_owned(rib, AF_INET, k->prefixlen, k->vrf, k->addr);
}

static int route_v6_owned(struct rib *rib, const void *key)
{
	const struct xr_lpm_v6_key *k = key;

	return route_owned(rib, AF_INET6, k->prefixlen, k->vrf, k->addr);
}

static struct id_set live_nexthops, live_groups;

static int nexthop_owned(struct rib *rib, const void *key)
{
	(void)rib;
	return id_set_has(&live_nexthops, *(const uint32_t *)key);
}

static int group_owned(struct rib *rib, const void *key)
{
	(void)rib;
	return id_set_has(&live_groups, *(const uint32_t *)key);
}

static int neigh_owned(struct rib *rib, const void *key)
{
	return hashtab_find(&rib->neighs, key) != NULL;
}

void rib_sweep_orphans(struct rib *rib)
{
	struct list *pos, *tmp;
	struct grp *g;
	struct zobj *z;
	unsigned int n = 0;
	size_t i;

	list_for_each_safe(pos, tmp, &rib->nhes)
	{
		struct nhe *e = list_entry(pos, struct nhe, all);

		if (e->written)
			id_set_add(&live_nexthops, e->map_id);
	}
	hashtab_for_each(&rib->grps, i, g) id_set_add(&live_groups, g->map_id);
	hashtab_for_each(&rib->zobjs, i, z) if (z->group_written)
		id_set_add(&live_groups, z->group_map_id);
	qsort(live_nexthops.ids, live_nexthops.n, sizeof(uint32_t), id_cmp);
	qsort(live_groups.ids, live_groups.n, sizeof(uint32_t), id_cmp);

	/* Routes first: nothing may point at a nexthop being removed. */
	n += sweep_map(rib->maps->route_v4, sizeof(struct xr_lpm_v4_key),
		       route_v4_owned, rib);
	n += sweep_map(rib->maps->route_v6, sizeof(struct xr_lpm_v6_key),
		       route_v6_owned, rib);
	if (rib->fib4)
		fib4_sweep_orphans(rib->fib4);
	if (rib->fib6)
		fib6_sweep_orphans(rib->fib6);
	n += sweep_map(rib->maps->nh_groups, sizeof(uint32_t), group_owned,
		       rib);
	n += sweep_map(rib->maps->nexthops, sizeof(uint32_t), nexthop_owned,
		       rib);
	n += sweep_map(rib->maps->neighbours, sizeof(struct xr_neigh_key),
		       neigh_owned, rib);
	free(live_nexthops.ids);
	free(live_groups.ids);
	memset(&live_nexthops, 0, sizeof(live_nexthops));
	memset(&live_groups, 0, sizeof(live_groups));
	/* Their entries are gone: the ids go to grace, then back in use. */
	for (int k = 0; k < RIB_ID_KINDS; k++)
		id_slots_release_adopted(&rib->ids[k]);
	rib->cnt.orphans_removed += n;
	if (n)
		xr_notice("removed %u map entries of an earlier run", n);
}
