// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "fpm_encode.h"
#include "util/addr.h"
#include "util/hashtab.h"
#include "util/list.h"
#include "util/log.h"
#include "daemon/offload_feedback.h"
#include "rib/rib_view.h"

enum reported { REP_NONE, REP_OFFLOADED, REP_FAILED };

struct fb_key {
	uint8_t family;
	uint8_t plen;
	uint16_t pad;
	uint32_t table;
	uint8_t dst[16];
};

struct fb_route {
	struct fb_key key; /* first: the hash key */
	uint8_t type, protocol;
	uint8_t reported; /* enum reported */
	uint32_t metric;
	uint32_t nh_id;
	uint16_t n_paths;
	struct fpm_nh_path *paths;
	struct list pending; /* on f->pending while not yet reported */
};

struct offload_feedback {
	struct hashtab routes;
	struct list pending;
	bool walk_all;
	uint64_t n_offloaded;
	struct rib_counters seen; /* rib counters at the last tick */
	uint32_t seq;
	struct offload_feedback_counters cnt;
	struct fpm_route scratch; /* large: not on the stack */
	uint8_t frame[FPM_ENCODE_ROUTE_MAX];
};

int offload_feedback_new(struct offload_feedback **out)
{
	struct offload_feedback *f = calloc(1, sizeof(*f));

	if (!f)
		return -ENOMEM;
	if (hashtab_init(&f->routes, sizeof(struct fb_key))) {
		free(f);
		return -ENOMEM;
	}
	list_init(&f->pending);
	*out = f;
	return 0;
}

static void route_free(struct offload_feedback *f, struct fb_route *r)
{
	if (r->reported == REP_OFFLOADED)
		f->n_offloaded--;
	list_del(&r->pending);
	free(r->paths);
	free(r);
}

static void forget_all(struct offload_feedback *f)
{
	struct fb_route *r;
	size_t i;

	hashtab_for_each(&f->routes, i, r)
	{
		hashtab_remove(&f->routes, &r->key);
		route_free(f, r);
	}
}

void offload_feedback_free(struct offload_feedback *f)
{
	if (!f)
		return;
	forget_all(f);
	hashtab_free(&f->routes);
	free(f);
}

static void key_of(struct fb_key *k, const struct fpm_route *fr)
{
	memset(k, 0, sizeof(*k));
	k->family = fr->family;
	k->plen = fr->prefixlen;
	k->table = fr->table;
	memcpy(k->dst, fr->dst, fr->family == AF_INET ? 4 : 16);
	xr_prefix_mask(k->dst, xr_family_bits(fr->family), fr->prefixlen);
}

static void route_update(struct offload_feedback *f, const struct fpm_route *fr)
{
	struct fb_route *r;
	struct fb_key k;

	key_of(&k, fr);
	r = hashtab_find(&f->routes, &k);
	if (!r) {
		r = calloc(1, sizeof(*r));
		if (!r)
			return;
		r->key = k;
		list_init(&r->pending);
		if (hashtab_insert(&f->routes, r)) {
			free(r);
			return;
		}
	}
	free(r->paths);
	r->paths = NULL;
	r->n_paths = 0;
	if (fr->n_nexthops) {
		r->paths = malloc(fr->n_nexthops * sizeof(*r->paths));
		if (r->paths) {
			memcpy(r->paths, fr->nh,
			       fr->n_nexthops * sizeof(*r->paths));
			r->n_paths = fr->n_nexthops;
		}
	}
	r->type = fr->type;
	r->protocol = fr->protocol;
	r->metric = fr->metric;
	r->nh_id = fr->nh_id;
	/* zebra starts a re-sent route afresh: report it again */
	if (r->reported == REP_OFFLOADED)
		f->n_offloaded--;
	r->reported = REP_NONE;
	list_del(&r->pending);
	list_add(&f->pending, &r->pending);
}

void offload_feedback_fpm_event(struct offload_feedback *f,
				const struct fpm_event *ev)
{
	struct fb_route *r;
	struct fb_key k;

	switch (ev->type) {
	case FPM_EV_ROUTE_ADD:
		if (ev->route.family == AF_INET || ev->route.family == AF_INET6)
			route_update(f, &ev->route);
		break;
	case FPM_EV_ROUTE_DEL:
		key_of(&k, &ev->route);
		r = hashtab_remove(&f->routes, &k);
		if (r)
			route_free(f, r);
		break;
	case FPM_EV_PEER_UP:
		/* zebra replays every route it has; the rest are gone */
		forget_all(f);
		break;
	default:
		/* a nexthop change moves routes the RIB decides: walk all */
		f->walk_all = true;
		break;
	}
}

static int report(struct offload_feedback *f, struct fb_route *r,
		  bool offloaded, struct fpm_server *srv)
{
	struct fpm_route *fr = &f->scratch;
	int len, err;

	memset(fr, 0, offsetof(struct fpm_route, nh));
	fr->family = r->key.family;
	fr->prefixlen = r->key.plen;
	fr->type = r->type;
	fr->protocol = r->protocol;
	memcpy(fr->dst, r->key.dst, 16);
	fr->table = r->key.table;
	fr->metric = r->metric;
	fr->nh_id = r->nh_id;
	fr->n_nexthops = r->n_paths;
	memcpy(fr->nh, r->paths, r->n_paths * sizeof(*r->paths));
	len = fpm_encode_route_offload(f->frame, sizeof(f->frame), fr,
				       offloaded, ++f->seq);
	if (len < 0) {
		f->cnt.send_errors++;
		return len;
	}
	err = fpm_server_send(srv, f->frame, len);
	if (err) {
		if (err != -ENOTCONN)
			f->cnt.send_errors++;
		return err;
	}
	if (offloaded)
		f->cnt.offload_sent++;
	else
		f->cnt.offload_failed_sent++;
	return 0;
}

/* 0: reported or nothing to say; negative: stop, try again next tick. */
static int route_check(struct offload_feedback *f, struct fb_route *r,
		       const struct rib *rib, struct fpm_server *srv)
{
	struct rib_route_view v;
	enum reported want;
	int err;

	if (rib_route_get(rib, r->key.family, rib_table_vrf(r->key.table),
			  r->key.dst, r->key.plen, &v))
		return 0; /* the RIB skipped it (family, shape) */
	want = v.why == XR_NOFF_NONE ? REP_OFFLOADED : REP_FAILED;
	if (want == r->reported)
		return 0;
	err = report(f, r, want == REP_OFFLOADED, srv);
	if (err)
		return err;
	if (r->reported == REP_OFFLOADED)
		f->n_offloaded--;
	if (want == REP_OFFLOADED)
		f->n_offloaded++;
	r->reported = want;
	return 0;
}

void offload_feedback_tick(struct offload_feedback *f, const struct rib *rib,
			   struct fpm_server *srv)
{
	const struct rib_counters *c = rib_counters(rib);
	struct list *pos, *tmp;
	struct fb_route *r;
	size_t i;

	if (!fpm_server_connected(srv))
		return;
	/* Counters move on every RIB change that can flip a route which
	 * zebra did not just send: nexthops, map errors, shadowing. */
	if (c->nexthops_added != f->seen.nexthops_added ||
	    c->nexthops_deleted != f->seen.nexthops_deleted ||
	    c->route_map_errors != f->seen.route_map_errors ||
	    c->nexthop_map_errors != f->seen.nexthop_map_errors ||
	    c->routes_shadowed != f->seen.routes_shadowed ||
	    c->routes_not_offloaded != f->seen.routes_not_offloaded)
		f->walk_all = true;
	f->seen = *c;

	if (f->walk_all) {
		f->cnt.full_walks++;
		hashtab_for_each(
			&f->routes, i,
			r) if (route_check(f, r, rib,
					   srv)) return; /* walk_all stays set
							  */
		f->walk_all = false;
		list_for_each_safe(pos, tmp, &f->pending) list_del(pos);
		return;
	}
	list_for_each_safe(pos, tmp, &f->pending)
	{
		r = list_entry(pos, struct fb_route, pending);
		if (route_check(f, r, rib, srv))
			return;
		list_del(pos);
	}
}

const struct offload_feedback_counters *
offload_feedback_counters(const struct offload_feedback *f)
{
	return &f->cnt;
}

void offload_feedback_state(const struct offload_feedback *f, uint64_t *routes,
			    uint64_t *reported_offloaded)
{
	*routes = f->routes.used;
	*reported_offloaded = f->n_offloaded;
}
