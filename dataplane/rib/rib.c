// SPDX-License-Identifier: GPL-2.0-only
/* Routes of the RIB mirror and their compilation into route_v4/route_v6. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>

#include "addr_class.h"
#include "util/log.h"
#include "rib/group_refs.h"
#include "rib/rib_internal.h"

const char *rib_not_offloaded_name(unsigned int why)
{
#define XR_NOFF_STR(name, str) [XR_NOFF_##name] = str,
	static const char *const names[] = {XR_NOT_OFFLOADED(XR_NOFF_STR)};
#undef XR_NOFF_STR
	return why < sizeof(names) / sizeof(names[0]) ? names[why] : "?";
}

struct neigh_entry {
	struct xr_neigh_key key; /* first: the hash key */
	uint8_t mac[6];
};

void route_key_make(struct route_key *k, uint8_t family, uint32_t vrf,
		    const uint8_t *addr, uint8_t plen)
{
	memset(k, 0, sizeof(*k));
	k->family = family;
	k->plen = plen;
	k->vrf = vrf;
	memcpy(k->addr, addr, family == AF_INET ? 4 : 16);
	xr_prefix_mask(k->addr, xr_family_bits(family), plen);
}

static void key_prefix(const struct route_key *k, struct xr_prefix *p)
{
	memset(p, 0, sizeof(*p));
	p->addr.family = k->family;
	memcpy(p->addr.bytes, k->addr, 16);
	p->len = k->plen;
}

static const char *key_str(const struct route_key *k, char *buf, size_t len)
{
	struct xr_prefix p;

	key_prefix(k, &p);
	return xr_prefix_str(&p, buf, len);
}

/* The value the route should have in the map, taking references on what it
 * points to; or why it cannot be offloaded. */
static unsigned int route_value(struct rib *rib, struct route *r,
				struct xr_route *v, struct adj **adj,
				struct grp **grp)
{
	struct adj *adjs[XR_MAX_ECMP];
	uint8_t weights[XR_MAX_ECMP];

	memset(v, 0, sizeof(*v));
	*adj = NULL;
	*grp = NULL;
	if (r->kernel_refs > 0) {
		v->action = r->kernel_action;
		v->id = r->kernel_ifindex;
		return XR_NOFF_NONE;
	}
	switch (r->fpm_type) {
	case FPM_RT_BLACKHOLE:
		v->action = XR_ROUTE_BLACKHOLE;
		return XR_NOFF_NONE;
	case FPM_RT_UNREACHABLE:
	case FPM_RT_PROHIBIT:
		v->action = XR_ROUTE_UNREACHABLE;
		return XR_NOFF_NONE;
	case FPM_RT_LOCAL:
		v->action = XR_ROUTE_LOCAL;
		return XR_NOFF_NONE;
	case FPM_RT_UNICAST:
		break;
	default:
		return XR_NOFF_UNSUPPORTED;
	}
	if (r->z) {
		switch (r->z->kind) {
		case Z_GATEWAY:
			v->action = XR_ROUTE_NEXTHOP;
			v->id = r->z->nhe.map_id;
			return XR_NOFF_NONE;
		case Z_DEVICE:
			v->action = XR_ROUTE_CONNECTED;
			v->id = r->z->ifindex;
			return XR_NOFF_NONE;
		case Z_BLACKHOLE:
			v->action = XR_ROUTE_BLACKHOLE;
			return XR_NOFF_NONE;
		case Z_GROUP:
			if (!r->z->group_ok)
				return XR_NOFF_UNSUPPORTED;
			v->action = XR_ROUTE_GROUP;
			v->id = r->z->group_map_id;
			return XR_NOFF_NONE;
		case Z_MISSING:
			return XR_NOFF_NEXTHOP_UNKNOWN;
		}
	}
	if (r->n_paths == 1 && !r->paths[0].has_gw && r->paths[0].ifindex) {
		v->action = XR_ROUTE_CONNECTED;
		v->id = r->paths[0].ifindex;
		return XR_NOFF_NONE;
	}
	if (r->n_paths == 0 || r->n_paths > XR_MAX_ECMP)
		return XR_NOFF_UNSUPPORTED;
	for (unsigned int i = 0; i < r->n_paths; i++) {
		const struct fpm_nh_path *p = &r->paths[i];

		if (!p->has_gw || !p->ifindex ||
		    !(adjs[i] = adj_get(rib, p->ifindex, p->family, p->gw))) {
			while (i--)
				adj_put(rib, adjs[i]);
			return p->has_gw && p->ifindex ? XR_NOFF_MAP_ERROR
						       : XR_NOFF_UNSUPPORTED;
		}
		weights[i] = p->weight > 255 ? 255 : p->weight;
	}
	if (r->n_paths == 1) {
		*adj = adjs[0];
		v->action = XR_ROUTE_NEXTHOP;
		v->id = adjs[0]->nhe.map_id;
		return XR_NOFF_NONE;
	}
	*grp = grp_get(rib, adjs, weights, r->n_paths);
	if (!*grp)
		return XR_NOFF_MAP_ERROR;
	v->action = XR_ROUTE_GROUP;
	v->id = (*grp)->map_id;
	return XR_NOFF_NONE;
}

/* Routes of VRF 0 live in the compiled FIB of their family, if any. */
static bool in_fib4(const struct rib *rib, const struct route *r)
{
	return rib->fib4 && r->key.family == AF_INET && r->key.vrf == 0;
}

static bool in_fib6(const struct rib *rib, const struct route *r)
{
	return rib->fib6 && r->key.family == AF_INET6 && r->key.vrf == 0;
}

static uint32_t key_addr4(const struct route_key *k)
{
	uint32_t a;

	memcpy(&a, k->addr, 4);
	return ntohl(a);
}

/* The compiled IPv4 FIB's routes, whose covers rib->cover4 indexes. */
static bool cover4_indexed(const struct rib *rib, const struct route_key *k)
{
	return rib->cover4 && k->family == AF_INET && k->vrf == 0;
}

/* ... and the IPv6 FIB's, whose covers rib->cover6 filters. */
static bool cover6_indexed(const struct rib *rib, const struct route_key *k)
{
	return rib->cover6 && k->family == AF_INET6 && k->vrf == 0;
}

/*
 * The next route covering r, shorter than *len: call with *len = r's
 * length, then again, to walk from the most specific cover to /0. Where
 * rib->cover4 knows the lengths that can hold a cover, only those are
 * probed.
 */
static struct route *next_cover(struct rib *rib, const struct route *r,
				int *len)
{
	struct route_key k = r->key;
	uint64_t lens;

	if (!cover4_indexed(rib, &r->key)) {
		while (--*len >= 0) {
			struct route *c;

			if (cover6_indexed(rib, &k) &&
			    !cover6_may(rib->cover6, k.addr, *len))
				continue;
			k.plen = *len;
			xr_prefix_mask(k.addr, xr_family_bits(k.family), *len);
			c = hashtab_find(&rib->routes, &k);
			if (c)
				return c;
		}
		return NULL;
	}
	lens = *len > 0 ? cover4_lengths(rib->cover4, key_addr4(&k), *len) : 0;
	while (lens) {
		struct route *c;

		*len = 63 - __builtin_clzll(lens);
		lens &= ~(1ULL << *len);
		k.plen = *len;
		xr_prefix_mask(k.addr, 32, *len);
		c = hashtab_find(&rib->routes, &k);
		if (c)
			return c;
	}
	*len = -1;
	return NULL;
}

/* The longest route in the maps that covers r: what its addresses fall
 * back to when r goes. */
static struct route *route_cover(struct rib *rib, const struct route *r)
{
	int len = r->key.plen;
	struct route *c;

	while ((c = next_cover(rib, r, &len)))
		if (c->in_map)
			return c;
	return NULL;
}

static int route_write(struct rib *rib, struct route *r,
		       const struct xr_route *v)
{
	struct xr_prefix p;

	if (in_fib4(rib, r))
		return fib4_set(rib->fib4, key_addr4(&r->key), r->key.plen, v,
				r->in_map ? &r->value : NULL);
	if (in_fib6(rib, r))
		return fib6_set(rib->fib6, r->key.addr, r->key.plen, v,
				r->in_map ? &r->value : NULL);
	key_prefix(&r->key, &p);
	return rib->mops.route_set(rib->mops.arg, r->key.vrf, &p, v);
}

static void route_unmap(struct rib *rib, struct route *r)
{
	struct xr_prefix p;

	if (!r->in_map)
		return;
	if (in_fib4(rib, r) || in_fib6(rib, r)) {
		/* A compiled FIB repaints its entries with the cover. */
		struct route *c = route_cover(rib, r);
		const struct xr_route *cv = c ? &c->value : NULL;
		uint8_t clen = c ? c->key.plen : 0;

		if (in_fib4(rib, r))
			fib4_del(rib->fib4, key_addr4(&r->key), r->key.plen,
				 &r->value, cv, clen);
		else
			fib6_del(rib->fib6, r->key.addr, r->key.plen, &r->value,
				 cv, clen);
	} else {
		key_prefix(&r->key, &p);
		rib->mops.route_del(rib->mops.arg, r->key.vrf, &p);
	}
	r->in_map = false;
}

/* A route left out for these reasons would have its packets caught by a
 * less specific route: its covers must be withdrawn while it is out. */
static bool why_needs_covers_out(unsigned int why)
{
	return why == XR_NOFF_NEXTHOP_UNKNOWN || why == XR_NOFF_UNSUPPORTED ||
	       why == XR_NOFF_MAP_ERROR;
}

static void route_shadow_covering(struct rib *rib, const struct route *r);

/*
 * Bring the map in line with the route: write the new value (its nexthops
 * and groups already written), then drop the references of the old one.
 */
void route_compile(struct rib *rib, struct route *r)
{
	struct adj *adj, *old_adj = r->adj;
	struct grp *grp, *old_grp = r->grp;
	unsigned int old_why = r->why, why;
	struct xr_route v;
	char buf[64];

	why = route_value(rib, r, &v, &adj, &grp);
	if (why == XR_NOFF_NONE && r->shadowed)
		why = XR_NOFF_SHADOWED;
	if (why == XR_NOFF_NONE &&
	    (!r->in_map || memcmp(&v, &r->value, sizeof(v)))) {
		int err = route_write(rib, r, &v);

		if (err) {
			rib->cnt.route_map_errors++;
			if (old_why != XR_NOFF_MAP_ERROR)
				xr_warn("route %s not offloaded: %s; the "
					"kernel forwards it",
					key_str(&r->key, buf, sizeof(buf)),
					strerror(-err));
			why = XR_NOFF_MAP_ERROR;
		}
	}
	if (why != XR_NOFF_NONE) {
		adj_put(rib, adj);
		grp_put(rib, grp);
		adj = NULL;
		grp = NULL;
		/* Its covers leave first: while it goes, no packet of its may
		 * fall to a less specific route. */
		if (why_needs_covers_out(why)) {
			if (list_empty(&r->failed_link))
				list_add(&rib->failed, &r->failed_link);
			route_shadow_covering(rib, r);
		}
		route_unmap(rib, r);
	} else {
		r->in_map = true;
		r->value = v;
	}
	r->adj = adj;
	r->grp = grp;
	adj_put(rib, old_adj);
	grp_put(rib, old_grp);

	if (why != old_why && why != XR_NOFF_NONE && old_why == XR_NOFF_NONE)
		rib->cnt.routes_not_offloaded++;
	r->why = why;
	if (!why_needs_covers_out(why) && !list_empty(&r->failed_link))
		list_del(&r->failed_link);
}

/*
 * A route left out of the maps must not have its packets caught by a less
 * specific route that is in them: withdraw those too, so the fast path
 * misses and the kernel, which holds every route, forwards them.
 */
static void route_shadow_covering(struct rib *rib, const struct route *r)
{
	int len = r->key.plen;
	struct route *c;

	while ((c = next_cover(rib, r, &len))) {
		if (!c->shadowed) {
			c->shadowed = true;
			rib->n_shadowed++;
			rib->cnt.routes_shadowed++;
			route_compile(rib, c);
		}
	}
}

static bool covers(const struct route *c, const struct route *r)
{
	struct route_key k = r->key;

	if (c->key.family != k.family || c->key.vrf != k.vrf ||
	    c->key.plen >= k.plen)
		return false;
	xr_prefix_mask(k.addr, xr_family_bits(k.family), c->key.plen);
	return !memcmp(k.addr, c->key.addr, sizeof(k.addr));
}

void rib_retry_failed(struct rib *rib)
{
	struct list *pos, *tmp;
	struct route *r;
	size_t i;

	list_for_each_safe(pos, tmp, &rib->failed)
		route_compile(rib, list_entry(pos, struct route, failed_link));
	if (!rib->n_shadowed)
		return;
	/* A withdrawn route comes back once no route inside it is out. */
	hashtab_for_each(&rib->routes, i, r)
	{
		bool still = false;

		if (!r->shadowed || r->covers_refused)
			continue;
		list_for_each_safe(
			pos, tmp,
			&rib->failed) if (covers(r,
						 list_entry(pos, struct route,
							    failed_link)))
		{
			still = true;
			break;
		}
		if (!still) {
			r->shadowed = false;
			rib->n_shadowed--;
			route_compile(rib, r);
		}
	}
}

static void *route_make(const void *key, void *arg)
{
	struct route *r = calloc(1, sizeof(*r));
	struct rib *rib = arg;

	if (!r)
		return NULL;
	r->key = *(const struct route_key *)key;
	if (cover4_indexed(rib, &r->key))
		cover4_add(rib->cover4, key_addr4(&r->key), r->key.plen);
	if (cover6_indexed(rib, &r->key))
		cover6_add(rib->cover6, r->key.addr, r->key.plen);
	r->why = XR_NOFF_UNSUPPORTED; /* not in the map until compiled */
	list_init(&r->zlink);
	list_init(&r->failed_link);
	return r;
}

static struct route *route_get(struct rib *rib, const struct route_key *k)
{
	return hashtab_get_or_insert(&rib->routes, k, route_make, rib);
}

/* The count of a VRF other than 0, created on first use: NULL for VRF 0
 * or when full. */
static struct rib_vrf *vrf_slot(struct rib *rib, uint32_t vrf)
{
	if (!vrf)
		return NULL;
	for (size_t i = 0; i < rib->n_vrfs; i++)
		if (rib->vrfs[i].vrf == vrf)
			return &rib->vrfs[i];
	if (rib->n_vrfs == RIB_VRFS_MAX) {
		rib->vrfs_full = true;
		return NULL;
	}
	rib->vrfs[rib->n_vrfs].vrf = vrf;
	return &rib->vrfs[rib->n_vrfs++];
}

/* A route of zebra's came (d 1), went (-1) or changed (0). */
static void vrf_count(struct rib *rib, const struct route *r, int d)
{
	struct rib_vrf *v = vrf_slot(rib, r->key.vrf);

	if (!v)
		return;
	v->routes[r->key.family == AF_INET6] += (uint64_t)(int64_t)d;
	v->gen++;
}

static void route_fpm_clear(struct rib *rib, struct route *r)
{
	struct zobj *z = r->z;

	if (r->has_fpm)
		vrf_count(rib, r, -1);
	r->has_fpm = false;
	free(r->paths);
	r->paths = NULL;
	r->n_paths = 0;
	if (z) {
		list_del(&r->zlink);
		r->z = NULL;
	}
}

/* Forget a route nobody names any more, after taking it out of the map. */
static void route_maybe_free(struct rib *rib, struct route *r)
{
	if (r->has_fpm || r->kernel_refs > 0) {
		route_compile(rib, r);
		return;
	}
	route_unmap(rib, r);
	adj_put(rib, r->adj);
	grp_put(rib, r->grp);
	if (!list_empty(&r->failed_link))
		list_del(&r->failed_link);
	if (r->shadowed)
		rib->n_shadowed--;
	hashtab_remove(&rib->routes, &r->key);
	if (cover4_indexed(rib, &r->key))
		cover4_del(rib->cover4, key_addr4(&r->key), r->key.plen);
	if (cover6_indexed(rib, &r->key))
		cover6_del(rib->cover6, r->key.addr, r->key.plen);
	free(r);
}

/*
 * A route the mirror cannot hold: not in it, so the maps must not forward
 * its packets through a less specific route either. Its covers are
 * withdrawn and stay so (covers_refused) until a replay fits.
 */
static void route_shadow_refused(struct rib *rib, const struct route_key *k)
{
	struct route probe = {.key = *k};
	int len = k->plen;
	struct route *c;

	while ((c = next_cover(rib, &probe, &len))) {
		c->covers_refused = true;
		if (!c->shadowed) {
			c->shadowed = true;
			rib->n_shadowed++;
			rib->cnt.routes_shadowed++;
			route_compile(rib, c);
		}
	}
	rib->covers_refused = true;
}

/* A new key past rib-max-routes, or while this generation refuses. */
static bool route_refused(struct rib *rib, const struct route_key *k)
{
	char buf[64];

	if (!rib->max_routes ||
	    (!rib->refusing && rib->routes.used < rib->max_routes) ||
	    hashtab_find(&rib->routes, k))
		return false;
	rib->cnt.routes_refused++;
	rib->refusing = true;
	if (!rib->refused_logged) {
		rib->refused_logged = true;
		xr_warn("route %s refused: the RIB holds rib-max-routes (%llu) "
			"routes; new routes are refused and counted "
			"(routes_refused) until zebra's next replay fits, the "
			"kernel forwards them and the routes that cover them",
			key_str(k, buf, sizeof(buf)),
			(unsigned long long)rib->max_routes);
	}
	route_shadow_refused(rib, k);
	return true;
}

static void rib_route_event(struct rib *rib, const struct fpm_route *fr,
			    bool add)
{
	struct zobj *old_z;
	struct route_key k;
	struct route *r;

	if ((fr->family != AF_INET && fr->family != AF_INET6) ||
	    fr->prefixlen > xr_family_bits(fr->family))
		return;
	route_key_make(&k, fr->family, rib_table_vrf(fr->table), fr->dst,
		       fr->prefixlen);
	if (!add) {
		rib->cnt.routes_deleted++;
		r = hashtab_find(&rib->routes, &k);
		if (!r || !r->has_fpm)
			return;
		old_z = r->z;
		route_fpm_clear(rib, r);
		route_maybe_free(rib, r);
		if (old_z)
			zobj_unused(rib, old_z);
		return;
	}
	rib->cnt.routes_added++;
	if (route_refused(rib, &k))
		return;
	r = route_get(rib, &k);
	if (!r)
		return;
	old_z = r->z;
	route_fpm_clear(rib, r);
	r->has_fpm = true;
	vrf_count(rib, r, 1);
	r->gen = rib->gen;
	r->fpm_type = fr->type;
	if (fr->nh_id) {
		r->z = zobj_ref(rib, fr->nh_id);
		if (r->z)
			list_add(&r->z->routes, &r->zlink);
	} else if (fr->n_nexthops) {
		r->paths = malloc(fr->n_nexthops * sizeof(*r->paths));
		if (r->paths) {
			memcpy(r->paths, fr->nh,
			       fr->n_nexthops * sizeof(*r->paths));
			r->n_paths = fr->n_nexthops;
		}
	}
	route_compile(rib, r);
	if (old_z && old_z != r->z)
		zobj_unused(rib, old_z);
}

void rib_fpm_event(struct rib *rib, const struct fpm_event *ev)
{
	switch (ev->type) {
	case FPM_EV_ROUTE_ADD:
	case FPM_EV_ROUTE_DEL:
		rib_route_event(rib, &ev->route, ev->type == FPM_EV_ROUTE_ADD);
		break;
	case FPM_EV_NH_ADD:
	case FPM_EV_NH_DEL:
		rib_nexthop_event(rib, &ev->nh, ev->type == FPM_EV_NH_ADD);
		break;
	case FPM_EV_PEER_UP:
		/* What zebra replays from now on is fresh; the rest is swept
		 * once the stream has been quiet for a while. */
		rib->gen++;
		rib->refusing = false;
		break;
	case FPM_EV_PEER_DOWN:
		break;
	}
}

void rib_sweep_stale(struct rib *rib)
{
	struct route *r;
	struct zobj *z;
	size_t i;

	hashtab_for_each(&rib->routes, i, r)
	{
		struct zobj *old_z = r->z;

		if (!r->has_fpm || r->gen >= rib->gen)
			continue;
		rib->cnt.routes_swept++;
		route_fpm_clear(rib, r);
		route_maybe_free(rib, r);
		if (old_z)
			zobj_unused(rib, old_z);
	}
	hashtab_for_each(&rib->zobjs, i,
			 z) if (z->kind != Z_MISSING && z->gen < rib->gen)
	{
		rib->cnt.nexthops_swept++;
		rib_zobj_delete(rib, z);
	}
	/* The whole replay fit: what covered a refused route may return
	 * (rib_retry_failed puts it back once nothing else holds it out). */
	if (rib->covers_refused && !rib->refusing) {
		hashtab_for_each(&rib->routes, i, r) r->covers_refused = false;
		rib->covers_refused = false;
		rib->refused_logged = false;
		xr_notice("zebra's replay fits in rib-max-routes: routes that "
			  "covered refused ones return to the fast path");
	}
}

void rib_set_limits(struct rib *rib, uint64_t max_routes, uint64_t max_nexthops)
{
	rib->max_routes = max_routes;
	rib->max_nexthops = max_nexthops;
}

void rib_kernel_addr(struct rib *rib, bool add, uint32_t ifindex, uint32_t vrf,
		     uint8_t family, const uint8_t *addr, uint8_t prefixlen)
{
	unsigned int bits = xr_family_bits(family);
	struct route_key keys[2];
	uint8_t actions[2] = {XR_ROUTE_LOCAL, XR_ROUTE_CONNECTED};
	int n = prefixlen < bits ? 2 : 1;

	/* Link-local destinations never reach a route lookup (the program
	 * punts them first, bpf/addr_class.h). */
	if (family == AF_INET6 &&
	    ipv6_is_linklocal((const struct in6_addr *)addr))
		return;
	route_key_make(&keys[0], family, vrf, addr, bits);
	route_key_make(&keys[1], family, vrf, addr, prefixlen);
	for (int i = 0; i < n; i++) {
		struct route *r = add ? route_get(rib, &keys[i])
				      : hashtab_find(&rib->routes, &keys[i]);

		if (!r)
			continue;
		if (add) {
			r->kernel_refs++;
			r->kernel_action = actions[i];
			r->kernel_ifindex = i ? ifindex : 0;
			route_compile(rib, r);
		} else if (r->kernel_refs > 0) {
			r->kernel_refs--;
			route_maybe_free(rib, r);
		}
	}
}

void rib_kernel_neigh(struct rib *rib, uint32_t ifindex, uint8_t family,
		      const uint8_t *addr)
{
	struct xr_neigh_key key = {.ifindex = ifindex, .family = family};
	struct neigh_entry *e;
	struct list *pos, *tmp;
	uint8_t mac[6];
	bool usable;
	size_t alen = family == AF_INET ? 4 : 16;

	memcpy(key.addr, addr, alen);
	usable = rib->kops.neigh_mac &&
		 rib->kops.neigh_mac(rib->kops.arg, ifindex, family, addr, mac);
	e = hashtab_find(&rib->neighs, &key);
	if (usable && (!e || memcmp(e->mac, mac, 6))) {
		struct xr_addr a = {.family = family};

		memcpy(a.bytes, addr, alen);
		if (!e) {
			e = calloc(1, sizeof(*e));
			if (!e ||
			    (e->key = key, hashtab_insert(&rib->neighs, e))) {
				free(e);
				return;
			}
		}
		memcpy(e->mac, mac, 6);
		if (rib->mops.neigh_set(rib->mops.arg, ifindex, &a, mac))
			rib->cnt.nexthop_map_errors++;
		rib->cnt.neigh_updates++;
	} else if (!usable && e) {
		struct xr_addr a = {.family = family};

		memcpy(a.bytes, addr, alen);
		rib->mops.neigh_del(rib->mops.arg, ifindex, &a);
		hashtab_remove(&rib->neighs, &key);
		free(e);
		rib->cnt.neigh_updates++;
	}
	/* Every nexthop through this neighbour follows its MAC. */
	list_for_each_safe(pos, tmp, &rib->nhes)
	{
		struct nhe *n = list_entry(pos, struct nhe, all);

		if (n->ifindex == ifindex && n->family == family &&
		    !memcmp(n->gw, addr, alen))
			nhe_write(rib, n);
	}
}

/* Map ids an earlier run left in the maps are not handed out again before
 * the orphan sweep, so a new entry cannot alias an old route's. */
static void adopt_map_ids(struct id_slots *ids, int fd)
{
	uint32_t key, next;
	int more;

	for (more = !bpf_map_get_next_key(fd, NULL, &next); more;
	     more = !bpf_map_get_next_key(fd, &key, &next)) {
		key = next;
		id_slots_adopt(ids, key);
	}
}

struct rib *rib_new(const struct xr_maps *maps,
		    const struct rib_kernel_ops *kops)
{
	struct rib_map_ops mops = rib_pinned_map_ops(maps);

	return rib_new_ops(maps, &mops, kops);
}

struct rib *rib_new_ops(const struct xr_maps *maps,
			const struct rib_map_ops *mops,
			const struct rib_kernel_ops *kops)
{
	struct rib *rib = calloc(1, sizeof(*rib));

	if (!rib)
		return NULL;
	rib->maps = maps;
	rib->mops = *mops;
	if (kops)
		rib->kops = *kops;
	list_init(&rib->nhes);
	list_init(&rib->failed);
	if (maps->fib == XR_FIB_DIR24 &&
	    fib4_open(&rib->fib4, maps->fib4_tbl24, maps->fib4_tbl8,
		      maps->fib4_leaves)) {
		xr_err("cannot map the compiled FIB");
		free(rib);
		return NULL;
	}
	if (maps->fib6 == XR_FIB6_MBT &&
	    fib6_open(&rib->fib6, maps->fib6_root, maps->fib6_nodes,
		      maps->fib6_leaves)) {
		xr_err("cannot map the compiled IPv6 FIB");
		fib4_close(rib->fib4);
		free(rib);
		return NULL;
	}
	if (hashtab_init(&rib->routes, sizeof(struct route_key)) ||
	    hashtab_init(&rib->zobjs, sizeof(uint32_t)) ||
	    hashtab_init(&rib->adjs, sizeof(struct adj_key)) ||
	    hashtab_init(&rib->grps, sizeof(struct grp_key)) ||
	    hashtab_init(&rib->neighs, sizeof(struct xr_neigh_key)) ||
	    hashtab_init(&rib->group_refs, sizeof(uint32_t))) {
		rib_free(rib);
		return NULL;
	}
	/* Without it (out of memory) covers are found probing every length */
	if (rib->fib4)
		rib->cover4 = cover4_new();
	if (rib->fib6)
		rib->cover6 = cover6_new();
	if (id_slots_init(&rib->ids[RIB_ID_NEXTHOP], XR_NEXTHOP_MAX, 1) ||
	    id_slots_init(&rib->ids[RIB_ID_GROUP], XR_GROUP_MAX, 1)) {
		rib_free(rib);
		return NULL;
	}
	adopt_map_ids(&rib->ids[RIB_ID_NEXTHOP], maps->nexthops);
	adopt_map_ids(&rib->ids[RIB_ID_GROUP], maps->nh_groups);
	for (int k = 0; k < RIB_ID_KINDS; k++)
		id_slots_seal(&rib->ids[k]);
	return rib;
}

void rib_free(struct rib *rib)
{
	struct hashtab *tabs[5];
	void *e;
	size_t i;

	if (!rib)
		return;
	/* Memory only: the maps keep forwarding after the daemon exits. */
	tabs[0] = &rib->routes;
	tabs[1] = &rib->zobjs;
	tabs[2] = &rib->adjs;
	tabs[3] = &rib->grps;
	tabs[4] = &rib->neighs;
	hashtab_for_each(&rib->routes, i, e) free(((struct route *)e)->paths);
	hashtab_for_each(&rib->zobjs, i, e) free(((struct zobj *)e)->members);
	group_refs_free(&rib->group_refs);
	for (int t = 0; t < 5; t++) {
		if (tabs[t]->slots)
			hashtab_for_each(tabs[t], i, e) free(e);
		hashtab_free(tabs[t]);
	}
	fib4_close(rib->fib4);
	fib6_close(rib->fib6);
	for (int k = 0; k < RIB_ID_KINDS; k++)
		id_slots_fini(&rib->ids[k]);
	cover4_free(rib->cover4);
	cover6_free(rib->cover6);
	free(rib);
}

/* Does a route of this list carry traffic the fast path could forward?
 * Link-local destinations are punted before any lookup, so zebra's
 * fe80::/64 of an interface does not make it an egress. */
static bool forwards_through(const struct list *routes)
{
	const struct list *pos;

	for (pos = routes->next; pos != routes; pos = pos->next) {
		const struct route *r = list_entry(pos, struct route, zlink);

		if (r->key.family != AF_INET6 || r->key.plen < 10 ||
		    r->key.addr[0] != 0xfe || (r->key.addr[1] & 0xc0) != 0x80)
			return true;
	}
	return false;
}

/* A zebra object some route uses, directly or as a group member. */
static bool zobj_in_use(const struct rib *rib, const struct zobj *z)
{
	const struct group_refs *refs;

	if (forwards_through(&z->routes))
		return true;
	refs = group_refs_of(&rib->group_refs, z->zid);
	for (uint32_t i = 0; refs && i < refs->n; i++) {
		const struct zobj *g =
			hashtab_find(&rib->zobjs, &refs->groups[i]);

		if (g && g->kind == Z_GROUP && forwards_through(&g->routes))
			return true;
	}
	return false;
}

bool rib_uses_ifindex(const struct rib *rib, uint32_t ifindex)
{
	struct adj *a;
	struct zobj *z;
	size_t i;

	/* zebra also sends objects for connected interfaces that no route
	 * of the FIB uses: only what routes use counts. */
	hashtab_for_each(&rib->adjs, i,
			 a) if (a->nhe.ifindex == ifindex) return true;
	hashtab_for_each(
		&rib->zobjs, i,
		z) if (((z->kind == Z_GATEWAY && z->nhe.ifindex == ifindex) ||
			(z->kind == Z_DEVICE && z->ifindex == ifindex)) &&
		       zobj_in_use(rib, z)) return true;
	return false;
}

const struct rib_counters *rib_counters(const struct rib *rib)
{
	return &rib->cnt;
}

void rib_stats(const struct rib *rib, struct rib_stats *st)
{
	struct route *r;
	size_t i;

	memset(st, 0, sizeof(*st));
	hashtab_for_each(&rib->routes, i, r)
	{
		st->routes++;
		if (r->in_map)
			st->routes_offloaded++;
		else if (r->why <= XR_NOFF_SHADOWED)
			st->not_offloaded[r->why]++;
	}
	st->nexthops = rib->adjs.used;
	st->groups = rib->grps.used;
	{
		struct zobj *z;

		hashtab_for_each(&rib->zobjs, i, z)
		{
			st->nexthops += z->kind == Z_GATEWAY;
			st->groups += z->kind == Z_GROUP;
		}
	}
	if (rib->fib4)
		fib4_get_stats(rib->fib4, &st->fib4);
	if (rib->fib6)
		fib6_get_stats(rib->fib6, &st->fib6);
}

void rib_foreach_route(const struct rib *rib,
		       void (*fn)(const struct rib_route_view *v, void *arg),
		       void *arg)
{
	struct route *r;
	size_t i;

	hashtab_for_each(&rib->routes, i, r)
	{
		struct rib_route_view v = {
			.vrf = r->key.vrf,
			.from_kernel = r->kernel_refs > 0,
			.fpm_type = r->fpm_type,
			.nh_id = r->z ? r->z->zid : 0,
			.why = r->in_map ? XR_NOFF_NONE : r->why,
			.value = r->value,
		};

		key_prefix(&r->key, &v.prefix);
		fn(&v, arg);
	}
}
