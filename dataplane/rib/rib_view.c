// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "rib/rib_internal.h"
#include "rib/rib_view.h"

static void route_to_view(const struct route *r, struct rib_route_view *v)
{
	memset(v, 0, sizeof(*v));
	v->prefix.addr.family = r->key.family;
	memcpy(v->prefix.addr.bytes, r->key.addr, 16);
	v->prefix.len = r->key.plen;
	v->vrf = r->key.vrf;
	v->from_kernel = r->kernel_refs > 0;
	v->fpm_type = r->fpm_type;
	v->nh_id = r->z ? r->z->zid : 0;
	v->why = r->in_map ? XR_NOFF_NONE : r->why;
	v->value = r->value;
}

int rib_route_get(const struct rib *rib, uint8_t family, uint32_t vrf,
		  const uint8_t *addr, uint8_t plen, struct rib_route_view *out)
{
	struct route_key k;
	struct route *r;

	if ((family != AF_INET && family != AF_INET6) ||
	    plen > (family == AF_INET ? 32 : 128))
		return -EINVAL;
	route_key_make(&k, family, vrf, addr, plen);
	r = hashtab_find(&rib->routes, &k);
	if (!r)
		return -ENOENT;
	route_to_view(r, out);
	return 0;
}

int rib_route_match(const struct rib *rib, uint32_t vrf,
		    const struct xr_addr *addr, struct rib_route_view *out)
{
	int max = addr->family == AF_INET ? 32 : 128;

	if (addr->family != AF_INET && addr->family != AF_INET6)
		return -EINVAL;
	/* At most 129 probes of the hash: cheap next to a trie walk. */
	for (int len = max; len >= 0; len--) {
		struct route_key k;
		struct route *r;

		route_key_make(&k, addr->family, vrf, addr->bytes, len);
		r = hashtab_find(&rib->routes, &k);
		if (r && r->in_map) {
			route_to_view(r, out);
			return 0;
		}
	}
	return -ENOENT;
}

static const char *zobj_kind_name(enum zobj_kind k)
{
	switch (k) {
	case Z_MISSING:
		return "missing";
	case Z_GATEWAY:
		return "gateway";
	case Z_DEVICE:
		return "device";
	case Z_BLACKHOLE:
		return "blackhole";
	case Z_GROUP:
		return "group";
	}
	return "?";
}

static void gw_addr(struct xr_addr *a, uint8_t family, const uint8_t *gw)
{
	memset(a, 0, sizeof(*a));
	if (family != AF_INET && family != AF_INET6)
		return;
	a->family = family;
	memcpy(a->bytes, gw, family == AF_INET ? 4 : 16);
}

void rib_foreach_zebra_nexthop(const struct rib *rib,
			       void (*fn)(const struct rib_zebra_nh_view *v,
					  void *arg),
			       void *arg)
{
	uint32_t ids[FPM_MAX_GROUP];
	uint16_t weights[FPM_MAX_GROUP];
	struct zobj *z;
	size_t i;

	hashtab_for_each(&rib->zobjs, i, z)
	{
		struct rib_zebra_nh_view v = {
			.zebra_id = z->zid,
			.kind = zobj_kind_name(z->kind),
			.member_ids = ids,
			.member_weights = weights,
		};

		switch (z->kind) {
		case Z_GATEWAY:
			v.map_id = z->nhe.map_id;
			v.written = z->nhe.written;
			v.ifindex = z->nhe.ifindex;
			gw_addr(&v.gw, z->nhe.family, z->nhe.gw);
			break;
		case Z_DEVICE:
			v.ifindex = z->ifindex;
			break;
		case Z_GROUP:
			v.map_id = z->group_written ? z->group_map_id : 0;
			v.written = z->group_written;
			v.n_members = z->n_members < FPM_MAX_GROUP
					      ? z->n_members
					      : FPM_MAX_GROUP;
			for (unsigned int m = 0; m < v.n_members; m++) {
				ids[m] = z->members[m].id;
				weights[m] = z->members[m].weight;
			}
			break;
		default:
			break;
		}
		fn(&v, arg);
	}
}

void rib_foreach_adjacency(const struct rib *rib,
			   void (*fn)(const struct rib_adj_view *v, void *arg),
			   void *arg)
{
	struct adj *a;
	size_t i;

	hashtab_for_each(&rib->adjs, i, a)
	{
		struct rib_adj_view v = {
			.map_id = a->nhe.map_id,
			.ifindex = a->nhe.ifindex,
			.refcnt = a->refcnt,
			.written = a->nhe.written,
		};

		gw_addr(&v.gw, a->nhe.family, a->nhe.gw);
		fn(&v, arg);
	}
}

void rib_foreach_inline_group(const struct rib *rib,
			      void (*fn)(const struct rib_group_view *v,
					 void *arg),
			      void *arg)
{
	struct grp *g;
	size_t i;

	hashtab_for_each(&rib->grps, i, g)
	{
		struct rib_group_view v = {
			.map_id = g->map_id,
			.refcnt = g->refcnt,
			.n_members = g->key.n,
		};

		for (unsigned int m = 0; m < g->key.n && m < XR_MAX_ECMP; m++) {
			v.member_map_id[m] = g->adj[m] ? g->adj[m]->nhe.map_id
						       : g->key.m[m].nhe_id;
			v.weight[m] = g->key.m[m].weight;
		}
		fn(&v, arg);
	}
}

bool rib_vrf_state(const struct rib *rib, uint32_t vrf, uint8_t family,
		   uint64_t *routes, uint64_t *gen)
{
	*routes = 0;
	*gen = 0;
	if (!vrf)
		return false;
	for (size_t i = 0; i < rib->n_vrfs; i++)
		if (rib->vrfs[i].vrf == vrf) {
			*routes = rib->vrfs[i].routes[family == AF_INET6];
			*gen = rib->vrfs[i].gen;
			return true;
		}
	/* never sent: empty, unless some went uncounted */
	return !rib->vrfs_full;
}

bool rib_zebra_nh_is(const struct rib *rib, uint32_t zid, uint8_t family,
		     const uint8_t *gw, uint32_t ifindex)
{
	const struct zobj *z = hashtab_find(&rib->zobjs, &zid);
	size_t alen = family == AF_INET ? 4 : 16;

	if (!z)
		return false;
	if (z->kind == Z_DEVICE)
		return !gw && z->ifindex == ifindex;
	if (z->kind != Z_GATEWAY || !gw)
		return false;
	return z->nhe.ifindex == ifindex && z->nhe.family == family &&
	       !memcmp(z->nhe.gw, gw, alen);
}
