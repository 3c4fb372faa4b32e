// SPDX-License-Identifier: GPL-2.0-only
/*
 * Nexthops in the maps: zebra's nexthop objects by id, and inline paths
 * shared as refcounted adjacencies and groups. A zebra object keeps its own
 * map id, so zebra replacing a nexthop is one map write whatever the number
 * of routes using it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>

#include "rib/group_buckets.h"
#include "rib/group_refs.h"
#include "util/log.h"
#include "rib/rib_internal.h"

uint32_t rib_alloc_id(struct rib *rib, enum rib_id_kind kind)
{
	int id = id_slots_alloc(&rib->ids[kind]);

	if (id < 0) {
		rib->cnt.nexthop_map_errors++;
		return 0;
	}
	return id;
}

/* The id waits a grace before reuse: a packet that read a route or group
 * naming it may still be on its way to the nexthop. */
void rib_free_id(struct rib *rib, enum rib_id_kind kind, uint32_t id)
{
	if (id)
		id_slots_free(&rib->ids[kind], id);
}

void nhe_init(struct rib *rib, struct nhe *n, uint32_t ifindex, uint8_t family,
	      const uint8_t *gw)
{
	memset(n, 0, sizeof(*n));
	n->map_id = rib_alloc_id(rib, RIB_ID_NEXTHOP);
	n->ifindex = ifindex;
	n->family = family;
	memcpy(n->gw, gw, 16);
	list_add(&rib->nhes, &n->all);
	nhe_track(rib, n, true);
}

void nhe_track(struct rib *rib, const struct nhe *n, bool track)
{
	if (rib->kops.neigh_track)
		rib->kops.neigh_track(rib->kops.arg, n->ifindex, n->family,
				      n->gw, track);
}

/* Writes the nexthop with the neighbour's MAC when it is known; without,
 * the entry says unresolved and the fast path punts to the kernel, which
 * resolves it. */
int nhe_write(struct rib *rib, struct nhe *n)
{
	struct xr_nexthop v = {
		.ifindex = n->ifindex,
		.flags = XR_NH_F_GATEWAY,
		.family = n->family,
	};
	int err;

	memcpy(v.gw, n->gw, 16);
	if (rib->kops.neigh_mac &&
	    rib->kops.neigh_mac(rib->kops.arg, n->ifindex, n->family, n->gw,
				v.dmac))
		v.flags |= XR_NH_F_RESOLVED;
	if (n->written && !memcmp(&v, &n->value, sizeof(v)))
		return 0;
	err = rib->mops.nexthop_set(rib->mops.arg, n->map_id, &v);
	if (err) {
		rib->cnt.nexthop_map_errors++;
		return err;
	}
	n->value = v;
	n->written = true;
	return 0;
}

void nhe_fini(struct rib *rib, struct nhe *n)
{
	if (n->written)
		rib->mops.nexthop_del(rib->mops.arg, n->map_id);
	rib_free_id(rib, RIB_ID_NEXTHOP, n->map_id);
	n->map_id = 0;
	n->written = false;
	list_del(&n->all);
	nhe_track(rib, n, false);
}

struct adj *adj_get(struct rib *rib, uint32_t ifindex, uint8_t family,
		    const uint8_t *gw)
{
	struct adj_key key = {.ifindex = ifindex, .family = family};
	struct adj *a;

	memcpy(key.gw, gw, 16);
	a = hashtab_find(&rib->adjs, &key);
	if (a) {
		a->refcnt++;
		return a;
	}
	a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->key = key;
	nhe_init(rib, &a->nhe, ifindex, family, gw);
	if (nhe_write(rib, &a->nhe) || hashtab_insert(&rib->adjs, a)) {
		nhe_fini(rib, &a->nhe);
		free(a);
		return NULL;
	}
	a->refcnt = 1;
	return a;
}

void adj_put(struct rib *rib, struct adj *a)
{
	if (!a || --a->refcnt > 0)
		return;
	hashtab_remove(&rib->adjs, &a->key);
	nhe_fini(rib, &a->nhe);
	free(a);
}

static void group_from(struct xr_nh_group *g, const struct xr_nh_group *prev,
		       const uint32_t *ids, const uint32_t *weights,
		       unsigned int n)
{
	uint8_t w[XR_MAX_ECMP];

	/* Weights above 255 are scaled down keeping their proportions. */
	uint32_t max = 1;

	for (unsigned int i = 0; i < n; i++)
		if (weights[i] > max)
			max = weights[i];
	for (unsigned int i = 0; i < n; i++) {
		uint32_t v = max > 255 ? weights[i] * 255 / max : weights[i];

		w[i] = v ? v : 1;
	}
	xr_group_build(g, ids, w, n, prev);
}

struct grp *grp_get(struct rib *rib, struct adj **adjs, const uint8_t *weights,
		    unsigned int n)
{
	struct grp_key key = {.n = n};
	uint32_t ids[XR_MAX_ECMP], w[XR_MAX_ECMP];
	struct xr_nh_group value;
	struct grp *g;

	for (unsigned int i = 0; i < n; i++) {
		key.m[i].nhe_id = ids[i] = adjs[i]->nhe.map_id;
		key.m[i].weight = w[i] = weights[i];
	}
	g = hashtab_find(&rib->grps, &key);
	if (g) {
		g->refcnt++;
		for (unsigned int i = 0; i < n; i++)
			adj_put(rib, adjs[i]);
		return g;
	}
	g = calloc(1, sizeof(*g));
	if (!g)
		goto fail;
	g->key = key;
	g->map_id = rib_alloc_id(rib, RIB_ID_GROUP);
	group_from(&value, NULL, ids, w, n);
	if (rib->mops.group_set(rib->mops.arg, g->map_id, &value)) {
		rib->cnt.nexthop_map_errors++;
		goto fail;
	}
	if (hashtab_insert(&rib->grps, g)) {
		rib->mops.group_del(rib->mops.arg, g->map_id);
		goto fail;
	}
	memcpy(g->adj, adjs, n * sizeof(*adjs));
	g->refcnt = 1;
	return g;
fail:
	if (g)
		rib_free_id(rib, RIB_ID_GROUP, g->map_id);
	free(g);
	for (unsigned int i = 0; i < n; i++)
		adj_put(rib, adjs[i]);
	return NULL;
}

void grp_put(struct rib *rib, struct grp *g)
{
	if (!g || --g->refcnt > 0)
		return;
	hashtab_remove(&rib->grps, &g->key);
	rib->mops.group_del(rib->mops.arg, g->map_id);
	rib_free_id(rib, RIB_ID_GROUP, g->map_id);
	for (unsigned int i = 0; i < g->key.n; i++)
		adj_put(rib, g->adj[i]);
	free(g);
}

/* The object for a zebra id, created as Z_MISSING when unknown. */
struct zobj *zobj_ref(struct rib *rib, uint32_t zid)
{
	struct zobj *z = hashtab_find(&rib->zobjs, &zid);

	if (z)
		return z;
	z = calloc(1, sizeof(*z));
	if (!z)
		return NULL;
	z->zid = zid;
	z->kind = Z_MISSING;
	list_init(&z->routes);
	list_init(&z->nhe.all);
	if (hashtab_insert(&rib->zobjs, z)) {
		free(z);
		return NULL;
	}
	return z;
}

/* A missing object nobody names any more is forgotten. */
void zobj_unused(struct rib *rib, struct zobj *z)
{
	if (z->kind != Z_MISSING || !list_empty(&z->routes))
		return;
	hashtab_remove(&rib->zobjs, &z->zid);
	if (z->group_written)
		rib->mops.group_del(rib->mops.arg, z->group_map_id);
	rib_free_id(rib, RIB_ID_GROUP, z->group_map_id);
	free(z);
}

/* (Re)writes a group object from its members' current nexthop entries. */
static void zobj_group_write(struct rib *rib, struct zobj *z)
{
	uint32_t ids[XR_MAX_ECMP], w[XR_MAX_ECMP];
	struct xr_nh_group g;

	z->group_ok = false;
	if (z->n_members == 0 || z->n_members > XR_MAX_ECMP)
		return;
	for (unsigned int i = 0; i < z->n_members; i++) {
		struct zobj *m = hashtab_find(&rib->zobjs, &z->members[i].id);

		if (!m || m->kind != Z_GATEWAY || !m->nhe.written)
			return;
		ids[i] = m->nhe.map_id;
		w[i] = z->members[i].weight;
	}
	if (!z->group_map_id)
		z->group_map_id = rib_alloc_id(rib, RIB_ID_GROUP);
	group_from(&g, z->group_written ? &z->group : NULL, ids, w,
		   z->n_members);
	if (z->group_written && !memcmp(&g, &z->group, sizeof(g))) {
		z->group_ok = true;
		return;
	}
	if (rib->mops.group_set(rib->mops.arg, z->group_map_id, &g)) {
		rib->cnt.nexthop_map_errors++;
		return;
	}
	z->group = g;
	z->group_written = true;
	z->group_ok = true;
}

static void zobj_recompile_routes(struct rib *rib, struct zobj *z)
{
	struct list *pos, *tmp;

	list_for_each_safe(pos, tmp, &z->routes)
		route_compile(rib, list_entry(pos, struct route, zlink));
}

static bool group_has_member(const struct zobj *g, uint32_t zid)
{
	for (unsigned int i = 0; i < g->n_members; i++)
		if (g->members[i].id == zid)
			return true;
	return false;
}

/* Groups follow their members: rewrite those that name zid. */
static void groups_follow(struct rib *rib, uint32_t zid)
{
	const struct group_refs *refs = group_refs_of(&rib->group_refs, zid);

	for (uint32_t i = 0; refs && i < refs->n; i++) {
		struct zobj *g = hashtab_find(&rib->zobjs, &refs->groups[i]);
		bool was_ok;

		if (!g || g->kind != Z_GROUP || !group_has_member(g, zid))
			continue;
		was_ok = g->group_ok;
		zobj_group_write(rib, g);
		if (was_ok != g->group_ok)
			zobj_recompile_routes(rib, g);
	}
}

/* A group's members and the index of who names them change together. */
static int zobj_set_members(struct rib *rib, struct zobj *z,
			    const struct fpm_nh_member *m, unsigned int n)
{
	for (unsigned int i = 0; i < z->n_members; i++)
		group_refs_del(&rib->group_refs, z->members[i].id, z->zid);
	free(z->members);
	z->members = NULL;
	z->n_members = 0;
	if (!n)
		return 0;
	z->members = malloc(n * sizeof(*z->members));
	if (!z->members)
		return -ENOMEM;
	memcpy(z->members, m, n * sizeof(*z->members));
	z->n_members = n;
	for (unsigned int i = 0; i < n; i++) {
		if (group_refs_add(&rib->group_refs, m[i].id, z->zid)) {
			/* the refs added so far are this group's alone */
			z->n_members = i;
			zobj_set_members(rib, z, NULL, 0);
			return -ENOMEM;
		}
	}
	return 0;
}

void rib_zobj_delete(struct rib *rib, struct zobj *z)
{
	enum zobj_kind old = z->kind;

	/* Routes and groups leave the maps first, then what they named. */
	z->kind = Z_MISSING;
	zobj_recompile_routes(rib, z);
	groups_follow(rib, z->zid);
	if (old == Z_GATEWAY)
		nhe_fini(rib, &z->nhe);
	if (z->group_written) {
		rib->mops.group_del(rib->mops.arg, z->group_map_id);
		z->group_written = false;
	}
	zobj_set_members(rib, z, NULL, 0);
	z->group_ok = false;
	zobj_unused(rib, z);
}

/* A new id past rib-max-nexthops: routes that name it stay missing, not
 * offloaded, their covers withdrawn, as for any unknown id. */
static bool nexthop_refused(struct rib *rib, uint32_t zid)
{
	if (!rib->max_nexthops || rib->zobjs.used < rib->max_nexthops ||
	    hashtab_find(&rib->zobjs, &zid))
		return false;
	rib->cnt.nexthops_refused++;
	if (!rib->nh_refused_logged) {
		rib->nh_refused_logged = true;
		xr_warn("nexthop %u refused: the RIB holds rib-max-nexthops "
			"(%llu) nexthops; new ones are refused and counted "
			"(nexthops_refused), routes that name them are left to "
			"the kernel",
			zid, (unsigned long long)rib->max_nexthops);
	}
	return true;
}

void rib_nexthop_event(struct rib *rib, const struct fpm_nexthop *nh, bool add)
{
	struct zobj *z;
	enum zobj_kind old_kind;
	struct nhe old_nhe;
	bool retire_nhe;

	if (!add) {
		rib->cnt.nexthops_deleted++;
		z = hashtab_find(&rib->zobjs, &nh->id);
		if (z && z->kind != Z_MISSING)
			rib_zobj_delete(rib, z);
		return;
	}
	rib->cnt.nexthops_added++;
	if (nexthop_refused(rib, nh->id))
		return;
	z = zobj_ref(rib, nh->id);
	if (!z)
		return;
	z->gen = rib->gen;
	old_kind = z->kind;
	old_nhe = z->nhe;
	/* A gateway that becomes something else keeps its entry until no
	 * route or group points at it any more. */
	retire_nhe = false;

	if (nh->n_group) {
		/* Kept, so the group follows its members, but never written:
		 * the program holds XR_MAX_ECMP members, and no subset of the
		 * kernel's group is its answer. */
		if (nh->n_group > XR_MAX_ECMP)
			rib->cnt.groups_too_wide++;
		if (zobj_set_members(rib, z, nh->group, nh->n_group)) {
			rib_zobj_delete(rib, z);
			return;
		}
		retire_nhe = old_kind == Z_GATEWAY;
		z->kind = Z_GROUP;
		zobj_group_write(rib, z);
	} else if (nh->blackhole || (!nh->has_gw && nh->ifindex)) {
		retire_nhe = old_kind == Z_GATEWAY;
		z->kind = nh->blackhole ? Z_BLACKHOLE : Z_DEVICE;
		z->ifindex = nh->ifindex;
	} else if (nh->has_gw && nh->ifindex) {
		if (old_kind == Z_GATEWAY && old_nhe.ifindex == nh->ifindex &&
		    old_nhe.family == nh->family &&
		    !memcmp(old_nhe.gw, nh->gw, 16)) {
			nhe_write(rib, &z->nhe);
		} else if (old_kind == Z_GATEWAY) {
			/* Same map id, new gateway: one atomic value swap
			 * moves every route that uses it. */
			nhe_track(rib, &z->nhe, false);
			z->nhe.ifindex = nh->ifindex;
			z->nhe.family = nh->family;
			memcpy(z->nhe.gw, nh->gw, 16);
			nhe_track(rib, &z->nhe, true);
			nhe_write(rib, &z->nhe);
		} else {
			nhe_init(rib, &z->nhe, nh->ifindex, nh->family, nh->gw);
			z->kind = Z_GATEWAY;
			nhe_write(rib, &z->nhe);
		}
	} else {
		/* Neither gateway nor interface: nothing we can forward. */
		rib_zobj_delete(rib, z);
		return;
	}
	if (z->kind == Z_GATEWAY && !z->nhe.written) {
		/* The entry could not be written: its routes must not point
		 * at an id the map lacks. */
		nhe_fini(rib, &z->nhe);
		z->kind = Z_MISSING;
	}
	zobj_recompile_routes(rib, z);
	if (old_kind == Z_GATEWAY || z->kind == Z_GATEWAY)
		groups_follow(rib, z->zid);
	if (retire_nhe)
		nhe_fini(rib, &z->nhe);
	if (old_kind == Z_GROUP && z->kind != Z_GROUP) {
		zobj_set_members(rib, z, NULL, 0);
		if (z->group_written)
			rib->mops.group_del(rib->mops.arg, z->group_map_id);
		z->group_written = false;
	}
}
