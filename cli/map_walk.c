// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>

#include "map_walk.h"

/* One loop for every walk: get_next_key from NULL until ENOENT. */
#define for_each_key(fd, key, next, more)                               \
	for ((more) = !bpf_map_get_next_key(fd, NULL, &(next)); (more); \
	     (more) = !bpf_map_get_next_key(fd, &(key), &(next)))

int map_count(int fd, uint64_t *n)
{
	uint8_t key[64], next[64];
	int more;

	*n = 0;
	for_each_key(fd, key, next, more)
	{
		memcpy(key, next, sizeof(key));
		(*n)++;
	}
	return errno == ENOENT || !errno ? 0 : -errno;
}

static void key_to_prefix(uint8_t family, uint32_t prefixlen, const void *vrf,
			  const uint8_t *addr, uint32_t *vrf_out,
			  struct xr_prefix *p)
{
	__be32 v;

	memcpy(&v, vrf, sizeof(v));
	*vrf_out = ntohl(v);
	memset(p, 0, sizeof(*p));
	p->addr.family = family;
	memcpy(p->addr.bytes, addr, family == AF_INET ? 4 : 16);
	p->len = prefixlen - XR_LPM_VRF_BITS;
}

int walk_routes(const struct xr_maps *m, uint8_t family,
		void (*fn)(uint32_t vrf, const struct xr_prefix *p,
			   const struct xr_route *r, void *arg),
		void *arg)
{
	struct xr_prefix p;
	struct xr_route r;
	uint32_t vrf;
	int more;

	if (family != AF_INET6) {
		struct xr_lpm_v4_key k, n;

		for_each_key(m->route_v4, k, n, more)
		{
			k = n;
			if (bpf_map_lookup_elem(m->route_v4, &k, &r))
				continue;
			key_to_prefix(AF_INET, k.prefixlen, &k.vrf, k.addr,
				      &vrf, &p);
			fn(vrf, &p, &r, arg);
		}
	}
	if (family != AF_INET) {
		struct xr_lpm_v6_key k, n;

		for_each_key(m->route_v6, k, n, more)
		{
			k = n;
			if (bpf_map_lookup_elem(m->route_v6, &k, &r))
				continue;
			key_to_prefix(AF_INET6, k.prefixlen, &k.vrf, k.addr,
				      &vrf, &p);
			fn(vrf, &p, &r, arg);
		}
	}
	return 0;
}

int walk_u32_map(int fd, void *value,
		 void (*fn)(uint32_t key, const void *value, void *arg),
		 void *arg)
{
	uint32_t k, n;
	int more;

	for_each_key(fd, k, n, more)
	{
		k = n;
		if (value && bpf_map_lookup_elem(fd, &k, value))
			continue;
		fn(k, value, arg);
	}
	return 0;
}

int walk_neighbours(const struct xr_maps *m,
		    void (*fn)(const struct xr_neigh_key *k,
			       const struct xr_neigh *n, void *arg),
		    void *arg)
{
	struct xr_neigh_key k, nk;
	struct xr_neigh v;
	int more;

	for_each_key(m->neighbours, k, nk, more)
	{
		k = nk;
		if (!bpf_map_lookup_elem(m->neighbours, &k, &v))
			fn(&k, &v, arg);
	}
	return 0;
}

struct match {
	uint32_t vrf;
	const struct xr_addr *a;
	bool found;
	struct xr_prefix best;
};

static bool covers(const struct xr_prefix *p, const struct xr_addr *a)
{
	unsigned int full = p->len / 8, rest = p->len % 8;

	if (p->addr.family != a->family ||
	    memcmp(p->addr.bytes, a->bytes, full))
		return false;
	return !rest ||
	       !((p->addr.bytes[full] ^ a->bytes[full]) & (0xff << (8 - rest)));
}

static void match_one(uint32_t vrf, const struct xr_prefix *p,
		      const struct xr_route *r, void *arg)
{
	struct match *m = arg;

	(void)r;
	if (vrf == m->vrf && covers(p, m->a) &&
	    (!m->found || p->len > m->best.len)) {
		m->best = *p;
		m->found = true;
	}
}

int route_match_prefix(const struct xr_maps *m, uint32_t vrf,
		       const struct xr_addr *a, struct xr_prefix *out)
{
	struct match mt = {.vrf = vrf, .a = a};

	walk_routes(m, a->family, match_one, &mt);
	if (!mt.found)
		return -ENOENT;
	*out = mt.best;
	return 0;
}

static int op_route(void *arg, uint32_t vrf, const struct xr_addr *a,
		    struct xr_route *out)
{
	return xr_route_lookup(arg, vrf, a, out) ? -ENOENT : 0;
}

static int op_nexthop(void *arg, uint32_t id, struct xr_nexthop *out)
{
	const struct xr_maps *m = arg;

	return bpf_map_lookup_elem(m->nexthops, &id, out) ? -ENOENT : 0;
}

static int op_group(void *arg, uint32_t id, struct xr_nh_group *out)
{
	const struct xr_maps *m = arg;

	return bpf_map_lookup_elem(m->nh_groups, &id, out) ? -ENOENT : 0;
}

static int op_neigh(void *arg, uint32_t ifindex, const struct xr_addr *a,
		    uint8_t mac[6])
{
	const struct xr_maps *m = arg;
	struct xr_neigh_key k = {.ifindex = ifindex, .family = a->family};
	struct xr_neigh n;

	memcpy(k.addr, a->bytes, a->family == AF_INET ? 4 : 16);
	if (bpf_map_lookup_elem(m->neighbours, &k, &n))
		return -ENOENT;
	memcpy(mac, n.mac, 6);
	return 0;
}

static int op_iface(void *arg, uint32_t ifindex, struct xr_iface *out)
{
	const struct xr_maps *m = arg;

	return bpf_map_lookup_elem(m->ifaces, &ifindex, out) ? -ENOENT : 0;
}

/* The live bank of the family's rules, as the program reads it. */
static int op_rules(void *arg, uint32_t family, struct xr_ip_rule *out,
		    unsigned int max)
{
	const struct xr_maps *m = arg;
	struct xr_rule_head h;
	uint32_t bank, n, base;

	if (bpf_map_lookup_elem(m->rule_heads, &family, &h))
		return -ENOENT;
	bank = h.bank & (XR_RULE_BANKS - 1);
	n = h.n[bank] < max ? h.n[bank] : max;
	base = (family * XR_RULE_BANKS + bank) * XR_RULES_MAX;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t k = base + i;

		if (bpf_map_lookup_elem(m->ip_rules, &k, &out[i]))
			return -ENOENT;
	}
	return n;
}

static uint32_t op_ingress_plan(void *arg, uint32_t except)
{
	const struct xr_maps *m = arg;
	uint32_t key, *prev = NULL, flags = 0;
	struct xr_iface v;

	while (!bpf_map_get_next_key(m->ifaces, prev, &key)) {
		if (key != except &&
		    !bpf_map_lookup_elem(m->ifaces, &key, &v) &&
		    (v.flags & XR_IF_F_INGRESS) && !v.vrf)
			flags |= v.flags;
		prev = &key;
	}
	return flags;
}

void fp_ops_from_maps(struct fp_ops *ops, const struct xr_maps *m)
{
	*ops = (struct fp_ops){
		.route = op_route,
		.nexthop = op_nexthop,
		.group = op_group,
		.neigh = op_neigh,
		.iface = op_iface,
		.rules = op_rules,
		.ingress_plan = op_ingress_plan,
		.arg = (void *)m,
	};
}
