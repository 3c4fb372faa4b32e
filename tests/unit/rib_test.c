// SPDX-License-Identifier: GPL-2.0-only
/*
 * The RIB without root: driven by FPM events and kernel addresses, writing
 * through rib_map_ops into a fake that keeps the maps in arrays and can
 * refuse a write. What the fake holds after each step is what the program
 * would read.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "rib/rib.h"
#include "rib/rib_view.h"
#include "unit_test.h"

/* The maps, as the fake keeps them. */
#define FAKE_ROUTES 64
static struct fake {
	struct {
		bool used;
		uint32_t vrf;
		struct xr_prefix p;
		struct xr_route r;
	} routes[FAKE_ROUTES];
	bool nh_used[XR_NEXTHOP_MAX];
	struct xr_nexthop nh[XR_NEXTHOP_MAX];
	bool grp_used[XR_GROUP_MAX];
	struct xr_nh_group grp[XR_GROUP_MAX];
	int neighs;
	/* route_set of this prefix fails with -ENOSPC */
	bool refuse;
	struct xr_prefix refused;
	unsigned int route_writes;
} fk;

static bool same_prefix(const struct xr_prefix *a, const struct xr_prefix *b)
{
	unsigned int n = a->addr.family == AF_INET ? 4 : 16;

	return a->addr.family == b->addr.family && a->len == b->len &&
	       !memcmp(a->addr.bytes, b->addr.bytes, n);
}

static int fake_slot(uint32_t vrf, const struct xr_prefix *p)
{
	for (int i = 0; i < FAKE_ROUTES; i++)
		if (fk.routes[i].used && fk.routes[i].vrf == vrf &&
		    same_prefix(&fk.routes[i].p, p))
			return i;
	return -1;
}

static int f_route_set(void *arg, uint32_t vrf, const struct xr_prefix *p,
		       const struct xr_route *r)
{
	int i = fake_slot(vrf, p);

	(void)arg;
	if (fk.refuse && same_prefix(p, &fk.refused))
		return -ENOSPC;
	for (int j = 0; i < 0 && j < FAKE_ROUTES; j++)
		if (!fk.routes[j].used)
			i = j;
	if (i < 0)
		return -ENOSPC;
	fk.routes[i].used = true;
	fk.routes[i].vrf = vrf;
	fk.routes[i].p = *p;
	fk.routes[i].r = *r;
	fk.route_writes++;
	return 0;
}

static int f_route_del(void *arg, uint32_t vrf, const struct xr_prefix *p)
{
	int i = fake_slot(vrf, p);

	(void)arg;
	if (i < 0)
		return -ENOENT;
	fk.routes[i].used = false;
	return 0;
}

static int f_nexthop_set(void *arg, uint32_t id, const struct xr_nexthop *nh)
{
	(void)arg;
	if (!id || id >= XR_NEXTHOP_MAX)
		return -ERANGE;
	fk.nh_used[id] = true;
	fk.nh[id] = *nh;
	return 0;
}

static int f_nexthop_del(void *arg, uint32_t id)
{
	(void)arg;
	if (id >= XR_NEXTHOP_MAX || !fk.nh_used[id])
		return -ENOENT;
	fk.nh_used[id] = false;
	return 0;
}

static int f_group_set(void *arg, uint32_t id, const struct xr_nh_group *g)
{
	(void)arg;
	if (!id || id >= XR_GROUP_MAX)
		return -ERANGE;
	fk.grp_used[id] = true;
	fk.grp[id] = *g;
	return 0;
}

static int f_group_del(void *arg, uint32_t id)
{
	(void)arg;
	if (id >= XR_GROUP_MAX || !fk.grp_used[id])
		return -ENOENT;
	fk.grp_used[id] = false;
	return 0;
}

static int f_neigh_set(void *arg, uint32_t ifindex, const struct xr_addr *a,
		       const uint8_t mac[6])
{
	(void)arg, (void)ifindex, (void)a, (void)mac;
	fk.neighs++;
	return 0;
}

static int f_neigh_del(void *arg, uint32_t ifindex, const struct xr_addr *a)
{
	(void)arg, (void)ifindex, (void)a;
	fk.neighs--;
	return 0;
}

static const struct rib_map_ops fake_ops = {
	f_route_set, f_route_del, f_nexthop_set, f_nexthop_del, f_group_set,
	f_group_del, f_neigh_set, f_neigh_del,	 NULL,
};

/* Every gateway resolves, to a MAC made of its last byte. */
static bool k_neigh_mac(void *arg, uint32_t ifindex, uint8_t family,
			const uint8_t *addr, uint8_t mac[6])
{
	static const uint8_t base[6] = {2, 0, 0, 0, 0, 0};

	(void)arg, (void)ifindex;
	memcpy(mac, base, 6);
	mac[5] = addr[family == AF_INET ? 3 : 15];
	return true;
}

static void k_neigh_track(void *arg, uint32_t ifindex, uint8_t family,
			  const uint8_t *addr, bool track)
{
	(void)arg, (void)ifindex, (void)family, (void)addr, (void)track;
}

static const struct rib_kernel_ops fake_kernel = {k_neigh_mac, k_neigh_track,
						  NULL};

static struct xr_maps no_maps; /* fds -1, no compiled FIB: nothing mapped */

static struct rib *fresh_rib(void)
{
	memset(&fk, 0, sizeof(fk));
	xr_maps_init(&no_maps);
	return rib_new_ops(&no_maps, &fake_ops, &fake_kernel);
}

static struct xr_prefix pfx(const char *s)
{
	struct xr_prefix p;

	if (xr_prefix_parse(s, &p))
		abort();
	return p;
}

/* What the fake's route map says for prefix s in the default VRF. */
static const struct xr_route *in_map(const char *s)
{
	struct xr_prefix p = pfx(s);
	int i = fake_slot(0, &p);

	return i < 0 ? NULL : &fk.routes[i].r;
}

static struct fpm_event ev; /* large: one, reused */

static void nh_event(struct rib *rib, bool add, uint32_t id, const char *gw,
		     uint32_t ifindex)
{
	memset(&ev, 0, sizeof(ev));
	ev.type = add ? FPM_EV_NH_ADD : FPM_EV_NH_DEL;
	ev.nh.id = id;
	if (gw) {
		ev.nh.family = AF_INET;
		ev.nh.has_gw = true;
		inet_pton(AF_INET, gw, ev.nh.gw);
	}
	ev.nh.ifindex = ifindex;
	rib_fpm_event(rib, &ev);
}

static void group_event(struct rib *rib, uint32_t id, const uint32_t *ids,
			unsigned int n)
{
	memset(&ev, 0, sizeof(ev));
	ev.type = FPM_EV_NH_ADD;
	ev.nh.id = id;
	ev.nh.family = AF_UNSPEC;
	ev.nh.n_group = n;
	for (unsigned int i = 0; i < n; i++) {
		ev.nh.group[i].id = ids[i];
		ev.nh.group[i].weight = 1;
	}
	rib_fpm_event(rib, &ev);
}

static void route_start(bool add, const char *s, uint8_t type)
{
	struct xr_prefix p = pfx(s);

	memset(&ev, 0, sizeof(ev));
	ev.type = add ? FPM_EV_ROUTE_ADD : FPM_EV_ROUTE_DEL;
	ev.route.family = p.addr.family;
	ev.route.prefixlen = p.len;
	ev.route.type = type;
	ev.route.table = 254;
	memcpy(ev.route.dst, p.addr.bytes, 16);
}

static void route_via_id(struct rib *rib, const char *s, uint32_t nh_id)
{
	route_start(true, s, FPM_RT_UNICAST);
	ev.route.nh_id = nh_id;
	rib_fpm_event(rib, &ev);
}

/* Inline paths: n gateways 10.0.0.<last[i]> out of ifindex 2. */
static void route_via_paths(struct rib *rib, const char *s, const uint8_t *last,
			    unsigned int n)
{
	route_start(true, s, FPM_RT_UNICAST);
	ev.route.n_nexthops = n;
	for (unsigned int i = 0; i < n; i++) {
		struct fpm_nh_path *h = &ev.route.nh[i];

		h->family = AF_INET;
		h->has_gw = true;
		h->weight = 1;
		h->ifindex = 2;
		h->gw[0] = 10, h->gw[3] = last[i];
	}
	rib_fpm_event(rib, &ev);
}

static void route_delete(struct rib *rib, const char *s)
{
	route_start(false, s, FPM_RT_UNICAST);
	rib_fpm_event(rib, &ev);
}

static void route_blackhole(struct rib *rib, const char *s)
{
	route_start(true, s, FPM_RT_BLACKHOLE);
	rib_fpm_event(rib, &ev);
}

static void peer_up(struct rib *rib)
{
	memset(&ev, 0, sizeof(ev));
	ev.type = FPM_EV_PEER_UP;
	rib_fpm_event(rib, &ev);
}

/* A nexthop object, then a route through it: the nexthop is in its map
 * (resolved, with its gateway) before the route names it. */
static void test_add_via_nexthop(void)
{
	struct rib *rib = fresh_rib();
	const struct xr_route *r;

	nh_event(rib, true, 10, "10.0.0.1", 2);
	route_via_id(rib, "192.0.2.0/24", 10);
	r = in_map("192.0.2.0/24");
	CHECK(r != NULL);
	if (r) {
		CHECK_EQ(r->action, XR_ROUTE_NEXTHOP);
		CHECK(fk.nh_used[r->id]);
		CHECK_EQ(fk.nh[r->id].ifindex, 2);
		CHECK(fk.nh[r->id].flags & XR_NH_F_RESOLVED);
		CHECK_EQ(fk.nh[r->id].dmac[5], 1);
	}
	CHECK_EQ(rib_counters(rib)->routes_added, 1);
	CHECK(rib_uses_ifindex(rib, 2));
	CHECK(!rib_uses_ifindex(rib, 3));
	rib_free(rib);
}

/* A route naming a nexthop id zebra never sent stays out of the maps. */
static void test_unknown_nexthop_left_out(void)
{
	struct rib *rib = fresh_rib();
	struct rib_stats st;

	route_via_id(rib, "192.0.2.0/24", 99);
	CHECK(in_map("192.0.2.0/24") == NULL);
	rib_stats(rib, &st);
	CHECK_EQ(st.routes, 1);
	CHECK_EQ(st.routes_offloaded, 0);
	CHECK_EQ(st.not_offloaded[XR_NOFF_NEXTHOP_UNKNOWN], 1);
	/* ... and goes in once the nexthop arrives */
	nh_event(rib, true, 99, "10.0.0.9", 2);
	CHECK(in_map("192.0.2.0/24") != NULL);
	rib_free(rib);
}

/* Replace: the route's entry changes in place to the new nexthop, and the
 * old nexthop, no longer used, leaves its map. */
static void test_replace_then_delete(void)
{
	struct rib *rib = fresh_rib();
	const struct xr_route *r;
	uint32_t first;

	route_blackhole(rib, "198.51.100.0/24");
	r = in_map("198.51.100.0/24");
	CHECK(r && r->action == XR_ROUTE_BLACKHOLE);
	uint8_t a[] = {1};
	route_via_paths(rib, "198.51.100.0/24", a, 1);
	r = in_map("198.51.100.0/24");
	CHECK(r && r->action == XR_ROUTE_NEXTHOP);
	first = r ? r->id : 0;
	uint8_t b[] = {2};
	route_via_paths(rib, "198.51.100.0/24", b, 1);
	r = in_map("198.51.100.0/24");
	CHECK(r && r->action == XR_ROUTE_NEXTHOP);
	if (r) {
		CHECK_EQ(fk.nh[r->id].gw[3], 2);
		CHECK(r->id == first || !fk.nh_used[first]);
	}
	route_delete(rib, "198.51.100.0/24");
	CHECK(in_map("198.51.100.0/24") == NULL);
	for (uint32_t id = 1; id < 64; id++)
		CHECK(!fk.nh_used[id]);
	rib_free(rib);
}

/* ECMP: inline paths become one group of their nexthops, shared by every
 * route with the same paths; a zebra group likewise. */
static void test_ecmp_groups(void)
{
	struct rib *rib = fresh_rib();
	const struct xr_route *r1, *r2;
	uint8_t gws[] = {1, 2, 3};
	uint32_t ids[] = {21, 22};

	route_via_paths(rib, "203.0.113.0/24", gws, 3);
	route_via_paths(rib, "203.0.114.0/24", gws, 3);
	r1 = in_map("203.0.113.0/24");
	r2 = in_map("203.0.114.0/24");
	CHECK(r1 && r2);
	if (r1 && r2) {
		CHECK_EQ(r1->action, XR_ROUTE_GROUP);
		CHECK_EQ(r1->id, r2->id);
		CHECK(fk.grp_used[r1->id]);
		CHECK_EQ(fk.grp[r1->id].n_members, 3);
		for (unsigned int i = 0; i < 3; i++)
			CHECK(fk.nh_used[fk.grp[r1->id].member[i]]);
	}
	nh_event(rib, true, 21, "10.0.0.21", 2);
	nh_event(rib, true, 22, "10.0.0.22", 3);
	group_event(rib, 20, ids, 2);
	route_via_id(rib, "203.0.115.0/24", 20);
	r1 = in_map("203.0.115.0/24");
	CHECK(r1 && r1->action == XR_ROUTE_GROUP);
	if (r1)
		CHECK_EQ(fk.grp[r1->id].n_members, 2);
	rib_free(rib);
}

/* A group follows its members, whichever comes first (group_refs finds
 * the groups naming a member); one wider than the program holds, or one the
 * decoder sent unusable, takes its routes out; a group turned gateway no
 * longer follows its old members. */
static void test_groups_follow_members(void)
{
	struct rib *rib = fresh_rib();
	uint32_t ids[XR_MAX_ECMP + 1] = {31, 32};
	const struct xr_route *r;

	group_event(rib, 30, ids, 2);
	route_via_id(rib, "203.0.120.0/24", 30);
	CHECK(in_map("203.0.120.0/24") == NULL);
	nh_event(rib, true, 31, "10.0.0.31", 2);
	CHECK(in_map("203.0.120.0/24") == NULL);
	nh_event(rib, true, 32, "10.0.0.32", 2);
	r = in_map("203.0.120.0/24");
	CHECK(r && r->action == XR_ROUTE_GROUP);
	nh_event(rib, false, 31, NULL, 0);
	CHECK(in_map("203.0.120.0/24") == NULL);
	nh_event(rib, true, 31, "10.0.0.31", 2);
	CHECK(in_map("203.0.120.0/24") != NULL);

	for (unsigned int i = 0; i <= XR_MAX_ECMP; i++) {
		ids[i] = 50 + i;
		nh_event(rib, true, ids[i], "10.0.0.50", 2);
	}
	group_event(rib, 40, ids, XR_MAX_ECMP);
	route_via_id(rib, "203.0.121.0/24", 40);
	CHECK(in_map("203.0.121.0/24") != NULL);
	group_event(rib, 40, ids, XR_MAX_ECMP + 1);
	CHECK(in_map("203.0.121.0/24") == NULL);
	CHECK_EQ(rib_counters(rib)->groups_too_wide, 1);

	/* unusable (fpm_events.h): no member, gateway or interface */
	group_event(rib, 30, ids, 0);
	CHECK(in_map("203.0.120.0/24") == NULL);
	ids[0] = 31, ids[1] = 32;
	group_event(rib, 30, ids, 2);
	CHECK(in_map("203.0.120.0/24") != NULL);
	nh_event(rib, true, 30, "10.0.0.30", 2);
	r = in_map("203.0.120.0/24");
	CHECK(r && r->action == XR_ROUTE_NEXTHOP);
	nh_event(rib, false, 31, NULL, 0);
	r = in_map("203.0.120.0/24");
	CHECK(r && r->action == XR_ROUTE_NEXTHOP);
	rib_free(rib);
}

/* A route the map refuses must not have its packets caught by its cover:
 * the cover is withdrawn (shadowed) while it is out, and both come back
 * once it can be written. */
static void test_failed_route_shadows_cover(void)
{
	struct rib *rib = fresh_rib();
	struct rib_stats st;
	uint8_t a[] = {1};

	route_via_paths(rib, "10.20.0.0/16", a, 1);
	CHECK(in_map("10.20.0.0/16") != NULL);
	fk.refuse = true;
	fk.refused = pfx("10.20.30.0/24");
	route_via_paths(rib, "10.20.30.0/24", a, 1);
	CHECK(in_map("10.20.30.0/24") == NULL);
	CHECK(in_map("10.20.0.0/16") == NULL);
	rib_stats(rib, &st);
	CHECK_EQ(st.not_offloaded[XR_NOFF_MAP_ERROR], 1);
	CHECK_EQ(st.not_offloaded[XR_NOFF_SHADOWED], 1);
	CHECK_EQ(rib_counters(rib)->routes_shadowed, 1);
	/* An unrelated route is not touched. */
	route_via_paths(rib, "10.21.0.0/16", a, 1);
	CHECK(in_map("10.21.0.0/16") != NULL);
	fk.refuse = false;
	rib_retry_failed(rib);
	CHECK(in_map("10.20.30.0/24") != NULL);
	CHECK(in_map("10.20.0.0/16") != NULL);
	rib_free(rib);
}

/* Deleting the more specific route uncovers the less specific one. */
static void test_more_specific_delete(void)
{
	struct rib *rib = fresh_rib();
	uint8_t a[] = {1}, b[] = {2};

	route_via_paths(rib, "10.30.0.0/16", a, 1);
	route_via_paths(rib, "10.30.1.0/24", b, 1);
	CHECK(in_map("10.30.0.0/16") && in_map("10.30.1.0/24"));
	route_delete(rib, "10.30.1.0/24");
	CHECK(in_map("10.30.1.0/24") == NULL);
	CHECK(in_map("10.30.0.0/16") != NULL);
	rib_free(rib);
}

/* Connected and local routes from the kernel's addresses. */
static void test_kernel_addresses(void)
{
	struct rib *rib = fresh_rib();
	uint8_t addr[4] = {10, 40, 0, 1};
	const struct xr_route *r;

	rib_kernel_addr(rib, true, 5, 0, AF_INET, addr, 24);
	r = in_map("10.40.0.0/24");
	CHECK(r && r->action == XR_ROUTE_CONNECTED && r->id == 5);
	r = in_map("10.40.0.1/32");
	CHECK(r && r->action == XR_ROUTE_LOCAL);
	rib_kernel_addr(rib, false, 5, 0, AF_INET, addr, 24);
	CHECK(in_map("10.40.0.0/24") == NULL);
	CHECK(in_map("10.40.0.1/32") == NULL);
	rib_free(rib);
}

/* After zebra reconnects, what it did not replay is swept; what it did
 * replay is not rewritten. */
static void test_sweep_after_resync(void)
{
	struct rib *rib = fresh_rib();
	uint8_t a[] = {1};
	unsigned int writes;

	route_via_paths(rib, "10.50.0.0/16", a, 1);
	route_via_paths(rib, "10.51.0.0/16", a, 1);
	peer_up(rib);
	writes = fk.route_writes;
	route_via_paths(rib, "10.50.0.0/16", a, 1);
	CHECK_EQ(fk.route_writes, writes);
	rib_sweep_stale(rib);
	CHECK(in_map("10.50.0.0/16") != NULL);
	CHECK(in_map("10.51.0.0/16") == NULL);
	CHECK_EQ(rib_counters(rib)->routes_swept, 1);
	rib_free(rib);
}

/* Table 100 (VRF 100): counted per family, a new generation on each change
 * of its routes, none for main's; zebra's nexthop compared by path. */
static void test_vrf_state(void)
{
	struct rib *rib = fresh_rib();
	uint64_t n, gen, gen2;
	uint8_t gw[4] = {10, 0, 0, 1};

	CHECK(rib_vrf_state(rib, 100, AF_INET, &n, &gen));
	CHECK_EQ(n, 0);
	CHECK(!rib_vrf_state(rib, 0, AF_INET, &n, &gen));
	nh_event(rib, true, 10, "10.0.0.1", 2);
	route_start(true, "192.0.2.0/24", FPM_RT_UNICAST);
	ev.route.table = 100;
	ev.route.nh_id = 10;
	rib_fpm_event(rib, &ev);
	CHECK(rib_vrf_state(rib, 100, AF_INET, &n, &gen));
	CHECK_EQ(n, 1);
	CHECK(rib_vrf_state(rib, 100, AF_INET6, &n, &gen2));
	CHECK_EQ(n, 0);
	/* a replace: still one, another generation */
	rib_fpm_event(rib, &ev);
	CHECK(rib_vrf_state(rib, 100, AF_INET, &n, &gen2));
	CHECK_EQ(n, 1);
	CHECK(gen2 != gen);
	/* main's routes change nothing of it */
	route_via_id(rib, "198.51.100.0/24", 10);
	CHECK(rib_vrf_state(rib, 100, AF_INET, &n, &gen));
	CHECK_EQ(gen, gen2);
	route_start(false, "192.0.2.0/24", FPM_RT_UNICAST);
	ev.route.table = 100;
	rib_fpm_event(rib, &ev);
	CHECK(rib_vrf_state(rib, 100, AF_INET, &n, &gen));
	CHECK_EQ(n, 0);
	CHECK(gen != gen2);
	CHECK(rib_zebra_nh_is(rib, 10, AF_INET, gw, 2));
	CHECK(!rib_zebra_nh_is(rib, 10, AF_INET, gw, 3));
	gw[3] = 2;
	CHECK(!rib_zebra_nh_is(rib, 10, AF_INET, gw, 2));
	CHECK(!rib_zebra_nh_is(rib, 11, AF_INET, gw, 2));
	rib_free(rib);
}

int main(void)
{
	RUN(test_add_via_nexthop);
	RUN(test_unknown_nexthop_left_out);
	RUN(test_replace_then_delete);
	RUN(test_ecmp_groups);
	RUN(test_groups_follow_members);
	RUN(test_failed_route_shadows_cover);
	RUN(test_more_specific_delete);
	RUN(test_kernel_addresses);
	RUN(test_sweep_after_resync);
	RUN(test_vrf_state);
	return unit_done();
}
