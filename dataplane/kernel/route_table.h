/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A kernel routing table other than main, as a `lookup T` rule reaches it,
 * and whether the fast path's copy of it (VRF T in the route tries, fed by
 * zebra over FPM) is the same table: the proof that lets the program look
 * T up itself (XR_RULE_TABLE). Pure: one RTM_NEWROUTE read into a struct,
 * then a comparison through ops, so it is tested without a kernel or maps.
 *
 * zebra mirrors most routes added behind its back, but not all: throw and
 * nat routes, encapsulations, a second route on a prefix (IPv6 metrics,
 * IPv4 tos), a route it lost or failed to install. Equal means: the same
 * prefixes on both sides, each with the same type and the same nexthop
 * (zebra's nexthop id the kernel's, or one path of the same gateway and
 * link), and nothing the kernel would do differently for a forwarded
 * packet (tos, metrics such as mtu, realms).
 */
#ifndef XR_ROUTE_TABLE_H
#define XR_ROUTE_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

struct table_route {
	uint8_t family, plen;
	uint8_t type;	 /* enum fpm_route_type, when provable */
	uint8_t dst[16]; /* network order, host bits cleared */
	uint32_t table;
	uint32_t nh_id; /* the kernel's nexthop object, 0 if inline */
	uint32_t oif;	/* an inline path's link */
	bool has_gw;
	uint8_t gw[16];
	/* why the fast path cannot model it (static text), NULL if it can */
	const char *unprovable;
};

/* Reads one RTM_NEWROUTE of a dump. Returns 0, -ENOENT for what is no
 * route of a table (a cached clone, another family), or -EBADMSG. */
int table_route_parse(const struct nlmsghdr *nlh, struct table_route *r);

/* The fast path's side of a table. */
struct route_table_ops {
	/* The route of vrf on k's exact prefix: 0 with its type (enum
	 * fpm_route_type) and zebra's nexthop id, or -ENOENT. */
	int (*route_get)(void *arg, uint32_t vrf, const struct table_route *k,
			 uint8_t *type, uint32_t *nh_id);
	/* Whether zebra's nexthop nh_id is exactly the path (k->gw, k->oif). */
	bool (*nexthop_is)(void *arg, uint32_t nh_id,
			   const struct table_route *k);
	/* How many routes of family vrf holds. */
	size_t (*count)(void *arg, uint8_t family, uint32_t vrf);
	void *arg;
};

/* Whether the kernel's routes v[0..n) of one family's table (as a dump gave
 * them, sorted here) equal the fast path's VRF for it. When not, why says
 * the first difference ("198.51.100.0/24 is a throw route"). */
bool route_table_equal(struct table_route *v, size_t n, uint8_t family,
		       uint32_t table, const struct route_table_ops *ops,
		       char *why, size_t len);

#endif /* XR_ROUTE_TABLE_H */
