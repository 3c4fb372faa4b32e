// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/rtnetlink.h>

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

/* The checks of bpf/parse.h, on the destination only. */
static unsigned int special_dst(const struct xr_addr *a)
{
	const uint8_t *b = a->bytes;

	if (a->family == AF_INET) {
		uint32_t h =
			(uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];

		if ((h & 0xf0000000) == 0xe0000000 || h == 0xffffffff ||
		    (h & 0xffff0000) == 0xa9fe0000)
			return XR_PUNT_MCAST;
		if ((h & 0xff000000) == 0 || (h & 0xff000000) == 0x7f000000)
			return XR_PUNT_MARTIAN;
		return XR_FORWARD;
	}
	if (b[0] == 0xff || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80))
		return XR_PUNT_MCAST;
	{
		static const uint8_t zero[10];
		bool low = !memcmp(b, zero, 8);

		if (low && !memcmp(b + 8, zero, 4) &&
		    (!memcmp(b + 12, zero, 4) ||
		     (b[12] == 0 && b[13] == 0 && b[14] == 0 && b[15] == 1)))
			return XR_PUNT_MARTIAN;
		if (low && b[8] == 0 && b[9] == 0 && b[10] == 0xff &&
		    b[11] == 0xff)
			return XR_PUNT_MARTIAN;
	}
	return XR_FORWARD;
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
