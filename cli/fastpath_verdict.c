// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/rtnetlink.h>

#include "addr_class.h"
#include "fastpath_verdict.h"

const char *fastpath_verdict_name(unsigned int reason)
{
	switch (xr_reason_action(reason)) {
	case XDP_REDIRECT:
		return "forward";
	case XDP_DROP:
		return "drop";
	default:
		return "punt";
	}
}

/* The program's own classification (bpf/addr_class.h). lookup knows no
 * source: with the destination in its place too, the program's rules give
 * the destination's class alone (a link-local or multicast destination is
 * caught by the first test, so the source tests add nothing). */
static unsigned int special_dst(const struct xr_addr *a)
{
	if (a->family == AF_INET) {
		__be32 d;

		memcpy(&d, a->bytes, 4);
		return ipv4_addr_reason(d, d);
	}
	return ipv6_addr_reason((const struct in6_addr *)a->bytes,
				(const struct in6_addr *)a->bytes);
}

static unsigned int egress_check(const struct fp_ops *ops, struct fp_path *p)
{
	struct xr_iface eif;

	/* As the program: XR_IF_F_TX stands for membership of tx_ports. */
	if (ops->iface(ops->arg, p->ifindex, &eif) ||
	    (eif.flags & (XR_IF_F_TX | XR_IF_F_UP)) !=
		    (XR_IF_F_TX | XR_IF_F_UP))
		return XR_PUNT_EGRESS_NO_XDP;
	memcpy(p->smac, eif.mac, 6);
	if (!p->mtu)
		p->mtu = eif.mtu;
	return XR_FORWARD;
}

static unsigned int nexthop_path(const struct fp_ops *ops, uint32_t id,
				 struct fp_path *p)
{
	struct xr_nexthop nh;

	p->nexthop_id = id;
	if (ops->nexthop(ops->arg, id, &nh))
		return XR_PUNT_NO_NEXTHOP;
	p->ifindex = nh.ifindex;
	p->mtu = nh.mtu;
	if (nh.flags & XR_NH_F_GATEWAY) {
		p->gw.family = nh.family;
		memcpy(p->gw.bytes, nh.gw, 16);
	}
	if (!(nh.flags & XR_NH_F_RESOLVED))
		return XR_PUNT_NEIGH_UNRESOLVED;
	memcpy(p->dmac, nh.dmac, 6);
	return egress_check(ops, p);
}

int fastpath_lookup(const struct fp_ops *ops, const struct xr_addr *dst,
		    uint32_t in_ifindex, struct fp_result *res)
{
	struct xr_nh_group g;
	struct fp_path *p;

	memset(res, 0, sizeof(*res));
	res->in_ifindex = in_ifindex;
	if (dst->family != AF_INET && dst->family != AF_INET6)
		return -EAFNOSUPPORT;
	if (in_ifindex) {
		struct xr_iface in;

		if (ops->iface(ops->arg, in_ifindex, &in) ||
		    !(in.flags & XR_IF_F_INGRESS)) {
			res->reason = XR_PUNT_INGRESS_UNKNOWN;
			return 0;
		}
		res->vrf = ntohl(in.vrf);
	}
	res->reason = special_dst(dst);
	if (res->reason != XR_FORWARD)
		return 0;
	if (ops->route(ops->arg, res->vrf, dst, &res->route)) {
		res->reason = XR_PUNT_NO_ROUTE;
		return 0;
	}
	res->route_found = true;
	p = &res->paths[0];
	switch (res->route.action) {
	case XR_ROUTE_NEXTHOP:
		res->n_paths = 1;
		p->buckets = XR_GROUP_BUCKETS;
		res->reason = nexthop_path(ops, res->route.id, p);
		break;
	case XR_ROUTE_GROUP:
		if (ops->group(ops->arg, res->route.id, &g) || !g.n_members ||
		    g.n_members > XR_MAX_ECMP) {
			res->reason = XR_PUNT_NO_NEXTHOP;
			break;
		}
		res->n_paths = g.n_members;
		for (unsigned int i = 0; i < g.n_members; i++)
			res->paths[i].reason =
				nexthop_path(ops, g.member[i], &res->paths[i]);
		for (unsigned int b = 0; b < XR_GROUP_BUCKETS; b++)
			if (g.bucket[b] < g.n_members)
				res->paths[g.bucket[b]].buckets++;
		res->reason = res->paths[0].reason;
		return 0;
	case XR_ROUTE_CONNECTED:
		res->n_paths = 1;
		p->ifindex = res->route.id;
		p->buckets = XR_GROUP_BUCKETS;
		if (ops->neigh(ops->arg, p->ifindex, dst, p->dmac))
			res->reason = XR_PUNT_NEIGH_UNRESOLVED;
		else
			res->reason = egress_check(ops, p);
		break;
	case XR_ROUTE_BLACKHOLE:
		res->reason = XR_DROP_BLACKHOLE;
		break;
	case XR_ROUTE_UNREACHABLE:
		res->reason = XR_PUNT_UNREACHABLE;
		break;
	case XR_ROUTE_LOCAL:
		res->reason = XR_PUNT_LOCAL;
		break;
	default:
		res->reason = XR_PUNT_NO_ROUTE;
	}
	if (res->n_paths)
		p->reason = res->reason;
	return 0;
}

static bool path_matches(const struct fp_path *p, const struct kernel_route *k)
{
	if (p->ifindex != k->oif)
		return false;
	if (!p->gw.family || !k->gw.family)
		return p->gw.family == k->gw.family;
	return p->gw.family == k->gw.family &&
	       !memcmp(p->gw.bytes, k->gw.bytes,
		       p->gw.family == AF_INET ? 4 : 16);
}

bool fastpath_agrees(const struct fp_result *fp, const struct kernel_route *k,
		     const char **why)
{
	*why = NULL;
	switch (fp->reason) {
	case XR_DROP_BLACKHOLE:
		/* the kernel answers a lookup of a blackhole with EINVAL */
		if (k->error == -EINVAL ||
		    (!k->error && k->type == RTN_BLACKHOLE))
			return true;
		*why = "the fast path drops (blackhole), the kernel does not";
		return false;
	case XR_PUNT_UNREACHABLE:
		if (k->error == -EHOSTUNREACH || k->error == -EACCES ||
		    (!k->error &&
		     (k->type == RTN_UNREACHABLE || k->type == RTN_PROHIBIT)))
			return true;
		*why = "the fast path has an unreachable route, the kernel "
		       "has not";
		return false;
	case XR_PUNT_LOCAL:
		if (!k->error && k->type == RTN_LOCAL)
			return true;
		*why = "the fast path thinks the address is the router's, the "
		       "kernel does not";
		return false;
	case XR_PUNT_NO_ROUTE:
		if (!k->error && k->type == RTN_UNICAST)
			*why = "not in the fast path: the kernel forwards it";
		return true;
	default:
		break;
	}
	if (xr_reason_action(fp->reason) == XDP_PASS)
		return true; /* the kernel decides, so they agree */
	if (k->error || k->type != RTN_UNICAST) {
		*why = "the fast path forwards, the kernel has no unicast "
		       "route";
		return false;
	}
	for (unsigned int i = 0; i < fp->n_paths; i++)
		if (path_matches(&fp->paths[i], k))
			return true;
	*why = "the kernel's egress or gateway is not the fast path's";
	return false;
}
