/* SPDX-License-Identifier: GPL-2.0-only */
/* The RIB's data structures, shared by rib*.c only. */
#ifndef XR_RIB_INTERNAL_H
#define XR_RIB_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "fib/fib4_dir24.h"
#include "fib/fib6_mbt.h"
#include "util/id_slots.h"
#include "util/hashtab.h"
#include "util/list.h"
#include "rib/rib.h"
#include "rib/rib_cover.h"

/* One entry of the nexthops map: a gateway on an interface. */
struct nhe {
	uint32_t map_id;
	uint32_t ifindex;
	uint8_t family;
	uint8_t gw[16];
	bool written;
	struct xr_nexthop value; /* as written */
	struct list all;	 /* rib->nhes, for neighbour changes */
};

/* Inline paths deduplicated: an adjacency is shared by every route that
 * names the same gateway on the same interface. */
struct adj_key {
	uint32_t ifindex;
	uint8_t family;
	uint8_t pad[3];
	uint8_t gw[16];
};

struct adj {
	struct adj_key key; /* first: the hash key */
	struct nhe nhe;
	int refcnt;
};

struct grp_key {
	uint32_t n;
	struct {
		uint32_t nhe_id;
		uint32_t weight;
	} m[XR_MAX_ECMP];
};

struct grp {
	struct grp_key key; /* first: the hash key */
	uint32_t map_id;
	struct adj *adj[XR_MAX_ECMP];
	int refcnt;
};

/* A nexthop object of zebra's, by its id. */
enum zobj_kind {
	Z_MISSING, /* referenced by routes, never sent or deleted */
	Z_GATEWAY, /* a gateway on an interface: one nhe */
	Z_DEVICE,  /* an interface only: resolve like a connected route */
	Z_BLACKHOLE,
	Z_GROUP,
};

struct zobj {
	uint32_t zid; /* first: the hash key */
	enum zobj_kind kind;
	uint64_t gen;
	struct nhe nhe;	  /* Z_GATEWAY */
	uint32_t ifindex; /* Z_DEVICE */
	/* Z_GROUP: members by zebra id; group_ok when every member is a
	 * written gateway and there are at most XR_MAX_ECMP of them. */
	uint16_t n_members;
	struct fpm_nh_member *members;
	uint32_t group_map_id;
	bool group_ok;
	bool group_written;
	struct xr_nh_group group; /* as written */
	struct list routes;	  /* routes that name this id */
};

struct route_key {
	uint8_t family;
	uint8_t plen;
	uint16_t pad;
	uint32_t vrf;
	uint8_t addr[16];
};

/* The hash key of addr/plen in vrf: host bits cleared, padding zeroed. */
void route_key_make(struct route_key *k, uint8_t family, uint32_t vrf,
		    const uint8_t *addr, uint8_t plen);

struct route {
	struct route_key key; /* first: the hash key */
	/* From zebra */
	bool has_fpm;
	uint8_t fpm_type;
	uint64_t gen;
	struct zobj *z; /* when zebra named a nexthop id */
	struct list zlink;
	uint16_t n_paths; /* inline paths otherwise */
	struct fpm_nh_path *paths;
	/* From the kernel's addresses: local or connected */
	int kernel_refs;
	uint8_t kernel_action;
	uint32_t kernel_ifindex;
	/* In the maps */
	bool in_map;
	bool shadowed;
	bool covers_refused;	 /* a route inside it was refused (rib cap) */
	struct list failed_link; /* rib->failed while it needs covers out */
	uint8_t why;		 /* enum rib_not_offloaded */
	struct xr_route value;
	struct adj *adj; /* references the written value holds */
	struct grp *grp;
};

enum rib_id_kind { RIB_ID_NEXTHOP, RIB_ID_GROUP, RIB_ID_KINDS };

#define RIB_VRFS_MAX 32

struct rib {
	const struct xr_maps *maps;
	struct rib_map_ops mops;
	struct rib_kernel_ops kops;
	struct hashtab routes;	   /* struct route by route_key */
	struct hashtab zobjs;	   /* struct zobj by zebra id */
	struct hashtab adjs;	   /* struct adj by adj_key */
	struct hashtab grps;	   /* struct grp by grp_key */
	struct hashtab neighs;	   /* struct neigh_entry by xr_neigh_key */
	struct hashtab group_refs; /* struct group_refs by member id */
	struct list nhes;
	/* Map ids of nexthops and of groups, two spaces: the program indexes
	 * arrays by them, so ids are bounded and reused, after a grace. */
	struct id_slots ids[RIB_ID_KINDS];
	uint64_t gen;
	struct fib4 *fib4; /* the compiled IPv4 FIB, NULL with --fib lpm */
	struct fib6 *fib6; /* the compiled IPv6 FIB, NULL with --fib6 lpm */
	/* Routes left out of the maps whose covering routes were withdrawn
	 * (shadowed) so they cannot catch their packets. */
	struct list failed;
	uint64_t n_shadowed; /* routes withdrawn for a failed one */
	struct rib_counters cnt;
	/* The VRFs other than 0 (tables other than main) zebra sent routes
	 * for: per family, how many, and a generation bumped on each change
	 * of one of them, so a kernel table can be compared (rib_vrf_state).
	 * Beyond RIB_VRFS_MAX, vrfs_full: none of the others is counted. */
	struct rib_vrf {
		uint32_t vrf;
		uint64_t routes[2]; /* IPv4, IPv6 */
		uint64_t gen;
	} vrfs[RIB_VRFS_MAX];
	size_t n_vrfs;
	bool vrfs_full;
	/* rib_set_limits; refusing: a route was refused in this generation,
	 * so no new key is taken until the next PEER_UP (one that got in
	 * after a delete could cover a refused one). covers_refused: some
	 * route has covers_refused set, cleared by a sweep of a generation
	 * that refused nothing. */
	uint64_t max_routes, max_nexthops;
	bool refusing, covers_refused;
	bool refused_logged, nh_refused_logged;
	/* The lengths that can cover a route of fib4 (NULL: probe them all) */
	struct cover4 *cover4;
	struct cover6 *cover6; /* ... that may cover a route of fib6 */
};

/* rib_nexthops.c */
/* 0 when all are taken */
uint32_t rib_alloc_id(struct rib *rib, enum rib_id_kind kind);
void rib_free_id(struct rib *rib, enum rib_id_kind kind, uint32_t id);
int nhe_write(struct rib *rib, struct nhe *n);
void nhe_init(struct rib *rib, struct nhe *n, uint32_t ifindex, uint8_t family,
	      const uint8_t *gw);
void nhe_fini(struct rib *rib, struct nhe *n);
void nhe_track(struct rib *rib, const struct nhe *n, bool track);
struct adj *adj_get(struct rib *rib, uint32_t ifindex, uint8_t family,
		    const uint8_t *gw);
void adj_put(struct rib *rib, struct adj *a);
struct grp *grp_get(struct rib *rib, struct adj **adjs, const uint8_t *weights,
		    unsigned int n);
void grp_put(struct rib *rib, struct grp *g);
struct zobj *zobj_ref(struct rib *rib, uint32_t zid);
void zobj_unused(struct rib *rib, struct zobj *z);
void rib_nexthop_event(struct rib *rib, const struct fpm_nexthop *nh, bool add);
void rib_zobj_delete(struct rib *rib, struct zobj *z);

/* rib.c */
void route_compile(struct rib *rib, struct route *r);

#endif /* XR_RIB_INTERNAL_H */
