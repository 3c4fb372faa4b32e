/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * From a longest-prefix match to an egress: nexthop, group member or
 * connected neighbour. Every miss is a punt reason, never a guess: the maps
 * may lack an entry, and the kernel then forwards the packet itself.
 */
#ifndef XR_LOOKUP_H
#define XR_LOOKUP_H

#include "map_defs.h"

/* Load-time switches, set by the loader before load. */
const volatile struct xr_features xr_features = {
	.ipv6 = 1,
	.ecmp = 1,
	.fib = XR_FIB_LPM,
	.fib6 = XR_FIB6_LPM,
	.conntrack = 1,
	.vlan = 1,
};

struct egress {
	__u32 ifindex;
	__u32 mtu;  /* 0: the interface's */
	__u32 slot; /* the interface's counters, once checked */
	/* In the nexthop's row or the neighbour's entry, both stable for the
	 * program's run (rows are retired after a grace, entries under RCU). */
	const __u8 *dmac;
};

/* An index entry, then its row: two array reads the verifier inlines. */
static __always_inline void *row_lookup(void *index, void *rows, __u32 key)
{
	__u32 *p = bpf_map_lookup_elem(index, &key);
	__u32 row;

	if (!p)
		return NULL;
	row = *(volatile __u32 *)p; /* once: userspace may repoint it */
	if (!row)
		return NULL;
	return bpf_map_lookup_elem(rows, &row);
}

static __always_inline struct xr_iface *iface_lookup(__u32 ifindex)
{
	return row_lookup(&if_index, &if_rows, ifindex);
}

static __always_inline __u32 nexthop_resolve(__u32 id, struct egress *out)
{
	struct xr_nexthop *nh = row_lookup(&nh_index, &nh_rows, id);

	if (!nh)
		return XR_PUNT_NO_NEXTHOP;
	if (!(nh->flags & XR_NH_F_RESOLVED))
		return XR_PUNT_NEIGH_UNRESOLVED;
	out->ifindex = nh->ifindex;
	out->mtu = nh->mtu;
	out->dmac = nh->dmac;
	return XR_FORWARD;
}

/* A subprogram, not inlined: inlined, its registers spilled into the path
 * of every other route (~10 ns on a nexthop hit). */
static __noinline __u32 group_resolve(__u32 id, __u32 hash, struct egress *out)
{
	struct xr_nh_group *g;
	__u32 idx;

	if (!xr_features.ecmp)
		return XR_PUNT_FEATURE_OFF;
	g = row_lookup(&grp_index, &grp_rows, id);
	if (!g)
		return XR_PUNT_NO_NEXTHOP;
	idx = g->bucket[hash & (XR_GROUP_BUCKETS - 1)];
	if (idx >= g->n_members || idx >= XR_MAX_ECMP)
		return XR_PUNT_NO_NEXTHOP;
	return nexthop_resolve(g->member[idx], out);
}

static __always_inline __u32 neigh_resolve(__u32 ifindex, __u8 family,
					   const void *addr, __u32 addr_len,
					   struct egress *out)
{
	struct xr_neigh_key key = {
		.ifindex = ifindex,
		.family = family,
	};
	struct xr_neigh *n;

	if (addr_len == 4)
		__builtin_memcpy(key.addr, addr, 4);
	else
		__builtin_memcpy(key.addr, addr, 16);
	n = bpf_map_lookup_elem(&neighbours, &key);
	if (!n)
		return XR_PUNT_NEIGH_UNRESOLVED;
	out->ifindex = ifindex;
	out->mtu = 0;
	out->dmac = n->mac;
	return XR_FORWARD;
}

/* hash is only read for group routes; callers compute it lazily. */
static __always_inline __u32 route_resolve(const struct xr_route *r, __u32 hash,
					   __u8 family, const void *daddr,
					   __u32 addr_len, struct egress *out)
{
	switch (r->action) {
	case XR_ROUTE_NEXTHOP:
		return nexthop_resolve(r->id, out);
	case XR_ROUTE_GROUP:
		return group_resolve(r->id, hash, out);
	case XR_ROUTE_CONNECTED:
		return neigh_resolve(r->id, family, daddr, addr_len, out);
	case XR_ROUTE_BLACKHOLE:
		return XR_DROP_BLACKHOLE;
	case XR_ROUTE_UNREACHABLE:
		return XR_PUNT_UNREACHABLE;
	case XR_ROUTE_LOCAL:
		return XR_PUNT_LOCAL;
	}
	return XR_PUNT_NO_ROUTE;
}

/*
 * The egress must be in tx_ports and able to take XDP frames: a redirect
 * into a port that cannot is dropped silently by the driver, so such a port
 * is left to the kernel. XR_IF_F_TX says both: the daemon sets it only
 * after adding the port to tx_ports and clears it before removing it (a
 * packet caught between is redirect-failed). Returns the egress interface
 * or NULL.
 */
static __always_inline struct xr_iface *egress_check(__u32 ifindex,
						     __u32 *reason)
{
	struct xr_iface *eif = iface_lookup(ifindex);

	if (!eif || (eif->flags & (XR_IF_F_TX | XR_IF_F_UP)) !=
			    (XR_IF_F_TX | XR_IF_F_UP)) {
		*reason = XR_PUNT_EGRESS_NO_XDP;
		return NULL;
	}
	return eif;
}

/* DIR-24-8: at most three array reads, whatever the size of the table. */
static __always_inline struct xr_route *fib4_lookup(__be32 daddr)
{
	__u32 a = bpf_ntohl(daddr), k = a >> 16, leaf;
	struct xr_dir24_chunk *c;
	__u16 e;

	c = bpf_map_lookup_elem(&fib4_tbl24, &k);
	if (!c)
		return NULL;
	e = c->e[(a >> 8) & 0xff];
	if (e & XR_DIR24_BLOCK) {
		k = e & ~XR_DIR24_BLOCK;
		c = bpf_map_lookup_elem(&fib4_tbl8, &k);
		if (!c)
			return NULL;
		e = c->e[a & 0xff];
	}
	if (!e)
		return NULL;
	leaf = e;
	return bpf_map_lookup_elem(&fib4_leaves, &leaf);
}

static __always_inline struct xr_route *route4_lookup(__be32 vrf, __be32 daddr)
{
	struct xr_lpm_v4_key key = {
		.prefixlen = XR_LPM_VRF_BITS + 32,
		.vrf = vrf,
	};

	/* Other VRFs stay in the trie: the compiled FIB holds VRF 0. */
	if (xr_features.fib == XR_FIB_DIR24 && vrf == 0)
		return fib4_lookup(daddr);
	__builtin_memcpy(key.addr, &daddr, 4);
	return bpf_map_lookup_elem(&route_v4, &key);
}

/*
 * The IPv6 multibit trie: the root entry, then one node read per 4 bits
 * until a leaf, so the cost follows the length of the matching prefix
 * (a /48: the root and 7 nodes), never the size of the table.
 */
static __always_inline struct xr_route *fib6_lookup(const struct in6_addr *d)
{
	__u64 hi = (__u64)bpf_ntohl(d->in6_u.u6_addr32[0]) << 32 |
		   bpf_ntohl(d->in6_u.u6_addr32[1]);
	__u64 lo = (__u64)bpf_ntohl(d->in6_u.u6_addr32[2]) << 32 |
		   bpf_ntohl(d->in6_u.u6_addr32[3]);
	__u32 k = hi >> (64 - XR_MBT_ROOT_BITS + 8), e, leaf;
	struct xr_mbt_chunk *root;
	struct xr_mbt_node *n;

	root = bpf_map_lookup_elem(&fib6_root, &k);
	if (!root)
		return NULL;
	e = root->e[(hi >> (64 - XR_MBT_ROOT_BITS)) & 0xff];
	for (__u32 i = 0; i < XR_MBT_LEVELS && (e & XR_MBT_NODE); i++) {
		__u32 bit = XR_MBT_ROOT_BITS + i * XR_MBT_STRIDE;
		__u64 w = bit < 64 ? hi << bit : lo << (bit - 64);

		k = e & ~XR_MBT_NODE;
		n = bpf_map_lookup_elem(&fib6_nodes, &k);
		if (!n)
			return NULL;
		e = n->e[w >> (64 - XR_MBT_STRIDE)];
	}
	if (!e || (e & XR_MBT_NODE))
		return NULL;
	leaf = e;
	return bpf_map_lookup_elem(&fib6_leaves, &leaf);
}

static __always_inline struct xr_route *route6_lookup(__be32 vrf,
						      const struct in6_addr *d)
{
	struct xr_lpm_v6_key key = {
		.prefixlen = XR_LPM_VRF_BITS + 128,
		.vrf = vrf,
	};

	if (xr_features.fib6 == XR_FIB6_MBT && vrf == 0)
		return fib6_lookup(d);
	__builtin_memcpy(key.addr, d, 16);
	return bpf_map_lookup_elem(&route_v6, &key);
}

#endif /* XR_LOOKUP_H */
