/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Typed access to the pinned maps, shared by the daemon, the CLI and the
 * test tools. Nothing here knows a layout beyond the ABI header.
 */
#ifndef XR_MAPS_H_USER
#define XR_MAPS_H_USER

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "util/addr.h"
#include "xdp_router_abi.h"

/* Every pinned map, by its pin name. */
/* One map a line: clang-format 14 reflows this list anew on every run. */
/* clang-format off */
#define XR_MAP_NAMES(X)	\
	X(route_v4)	\
	X(route_v6)	\
	X(nexthops)	\
	X(nh_index)	\
	X(nh_rows)	\
	X(nh_groups)	\
	X(grp_index)	\
	X(grp_rows)	\
	X(neighbours)	\
	X(ifaces)	\
	X(if_index)	\
	X(if_rows)	\
	X(tx_ports)	\
	X(counters)	\
	X(if_counters)	\
	X(fib4_tbl24)	\
	X(fib4_tbl8)	\
	X(fib4_leaves)	\
	X(fib6_root)	\
	X(fib6_nodes)	\
	X(fib6_leaves)	\
	X(ip_rules)	\
	X(rule_heads)	\
	X(vlan_rx)
/* clang-format on */

struct xr_maps {
#define XR_MAP_FD(name) int name;
	XR_MAP_NAMES(XR_MAP_FD)
#undef XR_MAP_FD
	/* enum xr_fib_kind: derived from the size fib4_tbl24 was created
	 * with, so every reader agrees with the program that uses it. */
	int fib;
	int fib6; /* enum xr_fib6_kind, from the size of fib6_root */
};

void xr_maps_init(struct xr_maps *m); /* all fds -1 */
int xr_maps_open_pinned(struct xr_maps *m, const char *pin_dir);
void xr_maps_close(struct xr_maps *m);
/* A BPF_F_MMAPABLE array mapped read-write, its length in *len; element i
 * starts at i * round_up(value_size, 8). */
void *xr_map_mmap(int fd, size_t *len);
/* The same, read-only: for tools that only look. */
void *xr_map_mmap_read(int fd, size_t *len);

int xr_route_set(const struct xr_maps *m, uint32_t vrf,
		 const struct xr_prefix *p, const struct xr_route *r);
int xr_route_del(const struct xr_maps *m, uint32_t vrf,
		 const struct xr_prefix *p);
/* Longest-prefix match, as the fast path does it (trie or compiled FIB). */
int xr_route_lookup(const struct xr_maps *m, uint32_t vrf,
		    const struct xr_addr *a, struct xr_route *r);

/* Also publishes the program's copy (map_rows.h): -ERANGE for id 0 or an
 * id from XR_NEXTHOP_MAX. */
int xr_nexthop_set(const struct xr_maps *m, uint32_t id,
		   const struct xr_nexthop *nh);
int xr_nexthop_del(const struct xr_maps *m, uint32_t id);
/* Also publishes the program's copy: -ERANGE for id 0 or from
 * XR_GROUP_MAX. */
int xr_group_set(const struct xr_maps *m, uint32_t id,
		 const struct xr_nh_group *g);
int xr_group_del(const struct xr_maps *m, uint32_t id);
/*
 * The caller's choice for nexthop and group writes when an id changes
 * faster than its rows' grace: by default (xr-dpctl, the bpf tests) a write
 * waits the grace out; after this call (the daemon, whose event loop must
 * not sleep) it withdraws the id instead (the program punts on it) and
 * armed(arg) asks for xr_maps_rows_flush() to publish the newest value,
 * the one in the hash, once a row is out of grace.
 */
void xr_maps_rows_defer(void (*armed)(void *arg), void *arg);
/* Returns when the next waiting id can go (util/grace.h clock), 0 when
 * none waits. */
uint64_t xr_maps_rows_flush(const struct xr_maps *m);
struct xr_rows_counters {
	uint64_t deferred; /* writes that withdrew their id to wait */
	uint64_t waiting;  /* ids withdrawn now, waiting for a row */
};
void xr_maps_rows_counters(struct xr_rows_counters *c);
int xr_neigh_set(const struct xr_maps *m, uint32_t ifindex,
		 const struct xr_addr *a, const uint8_t mac[6]);
int xr_neigh_del(const struct xr_maps *m, uint32_t ifindex,
		 const struct xr_addr *a);
/* Also publishes the program's copy (map_rows.h) and, with XR_IF_F_TX, the
 * interface's tx_ports entry (keyed by its slot): -ERANGE for an ifindex
 * from XR_IFINDEX_MAX, -ENOSPC when every interface slot is taken; the
 * devmap's error when the port cannot be added. */
int xr_iface_set(const struct xr_maps *m, uint32_t ifindex,
		 const struct xr_iface *ifc);
/* The same for an interface whose frames leave through another: an
 * 802.1Q sub-interface, whose tx_ports entry is its parent. */
int xr_iface_set_via(const struct xr_maps *m, uint32_t ifindex,
		     const struct xr_iface *ifc, uint32_t tx_ifindex);
int xr_iface_del(const struct xr_maps *m, uint32_t ifindex);

/* vlan_rx: a frame tagged vid arriving on parent is routed as arriving on
 * sub (whose row must be written first). -ERANGE for a VID outside
 * 1..4094. */
int xr_vlan_set(const struct xr_maps *m, uint32_t parent, uint16_t vid,
		uint32_t sub);
int xr_vlan_del(const struct xr_maps *m, uint32_t parent, uint16_t vid);

/* Sums over CPUs. */
int xr_counters_read(const struct xr_maps *m,
		     struct xr_counter out[XR_REASON_MAX]);
int xr_if_counters_read(const struct xr_maps *m, uint32_t ifindex,
			struct xr_if_counters *out);
int xr_counters_clear(const struct xr_maps *m);

#endif /* XR_MAPS_H_USER */
