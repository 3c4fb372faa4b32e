// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/rtnetlink.h>

#include "addr_class.h"
#include "fastpath_verdict.h"
#include "plan_gates.h"
#include "rule_match.h"

#define FP_UNDECIDED_NAME(name, str, why) str,
static const char *const undecided_names[] = {FP_UNDECIDED(FP_UNDECIDED_NAME)};
#define FP_UNDECIDED_WHY(name, str, why) why,
static const char *const undecided_whys[] = {FP_UNDECIDED(FP_UNDECIDED_WHY)};

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

const char *fastpath_result_verdict(unsigned int reason, unsigned int undecided)
{
	return undecided ? "undecided" : fastpath_verdict_name(reason);
}

const char *fastpath_result_reason(unsigned int reason, unsigned int undecided)
{
	return undecided ? undecided_names[undecided] : xr_reason_name(reason);
}

const char *fastpath_undecided_why(unsigned int undecided)
{
	return undecided_whys[undecided];
}

/* The program's own classification (bpf/addr_class.h). Without a source,
 * the destination in its place too gives the destination's class alone (a
 * link-local or multicast destination is caught by the first test, so the
 * source tests add nothing). */
static unsigned int special_addr(const struct xr_addr *a,
				 const struct xr_addr *src)
{
	const struct xr_addr *s = src ? src : a;

	if (a->family == AF_INET) {
		__be32 d, sa;

		memcpy(&d, a->bytes, 4);
		memcpy(&sa, s->bytes, 4);
		return ipv4_addr_reason(sa, d);
	}
	return ipv6_addr_reason((const struct in6_addr *)s->bytes,
				(const struct in6_addr *)a->bytes);
}

/* The plan flags an ingress row gates its own packets with. */
#define INGRESS_GATES_V4 \
	(XR_PLAN_IN_V4 | XR_IF_F_RULE_CHECK_V4 | XR_RPF_V4 | XR_IF_F_CT_IN_V4)
#define INGRESS_GATES_V6 \
	(XR_PLAN_IN_V6 | XR_IF_F_RULE_CHECK_V6 | XR_IF_F_CT_IN_V6)

/* What the lookup knows of the packet, and the ingress's row. */
struct fp_pkt {
	const struct xr_addr *dst, *src; /* src NULL: not known */
	bool v6;
	uint32_t in_ifindex; /* 0: no ingress */
	struct xr_iface in;
};

/* urpf_check_v4 of bpf/urpf.h over the ops: the route back to the source
 * in the ingress's VRF. */
static int urpf_nh_is(const struct fp_ops *ops, uint32_t id, uint32_t ifindex,
		      bool *missing)
{
	struct xr_nexthop nh;

	if (ops->nexthop(ops->arg, id, &nh)) {
		*missing = true;
		return 0;
	}
	return nh.ifindex == ifindex;
}

static unsigned int urpf_check(const struct fp_ops *ops, const struct fp_pkt *k)
{
	bool strict = k->in.flags & XR_IF_F_RPF_STRICT_V4, missing = false;
	struct xr_nh_group g;
	struct xr_route r;
	bool match;

	if (ops->route(ops->arg, ntohl(k->in.vrf), k->src, &r))
		return XR_PUNT_RPF;
	switch (r.action) {
	case XR_ROUTE_NEXTHOP:
		if (!strict)
			return XR_FORWARD;
		match = urpf_nh_is(ops, r.id, k->in_ifindex, &missing);
		break;
	case XR_ROUTE_GROUP:
		if (!strict)
			return XR_FORWARD;
		if (ops->group(ops->arg, r.id, &g))
			return XR_PUNT_RPF_UNPROVEN;
		for (unsigned int i = 0; i < g.n_members && i < XR_MAX_ECMP;
		     i++)
			if (urpf_nh_is(ops, g.member[i], k->in_ifindex,
				       &missing))
				return XR_FORWARD;
		return missing ? XR_PUNT_RPF_UNPROVEN : XR_PUNT_RPF;
	case XR_ROUTE_CONNECTED:
		if (!strict)
			return XR_FORWARD;
		match = r.id == k->in_ifindex;
		break;
	case XR_ROUTE_LOCAL:
		return XR_PUNT_RPF_UNPROVEN;
	default:
		return XR_PUNT_RPF;
	}
	if (match)
		return XR_FORWARD;
	return missing ? XR_PUNT_RPF_UNPROVEN : XR_PUNT_RPF;
}

/* After the egress is known, in the program's order: the egress's and the
 * pair's gates (plan_egress), uRPF, then the conntrack check, which no map
 * can answer. Without an ingress only the egress row's gates apply. */
static unsigned int path_gates(const struct fp_ops *ops, const struct fp_pkt *k,
			       const struct xr_iface *eif, struct fp_path *p)
{
	static const struct xr_iface none;
	const struct xr_iface *in = k->in_ifindex ? &k->in : &none;
	unsigned int reason;

	reason = plan_egress(in, eif, k->in_ifindex, p->ifindex, k->v6);
	if (reason != XR_FORWARD)
		return reason;
	if (!k->v6 && (in->flags & XR_RPF_V4)) {
		if (plan_rpf_through_rules(in, eif))
			return XR_PUNT_RPF_UNPROVEN;
		if (!k->src) {
			p->undecided = FP_NEEDS_SOURCE;
			return XR_FORWARD;
		}
		reason = urpf_check(ops, k);
		if (reason != XR_FORWARD)
			return reason;
	}
	if (plan_wants_ct(in, eif, k->v6))
		p->undecided = FP_NEEDS_CONNTRACK;
	return XR_FORWARD;
}

static unsigned int egress_check(const struct fp_ops *ops,
				 const struct fp_pkt *k, struct fp_path *p)
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
	return path_gates(ops, k, &eif, p);
}

/* rule_table of bpf/rules.h: the route of a proven table T (its VRF),
 * which then stands for main's; punted where the program punts. */
static unsigned int rule_table(const struct fp_ops *ops, const struct fp_pkt *k,
			       const struct xr_ip_rule *r,
			       struct fp_result *res)
{
	struct xr_route t;

	if (res->route_found && res->route.action == XR_ROUTE_CONNECTED)
		return XR_PUNT_IP_RULE;
	if (ops->route(ops->arg, ntohl(r->vrf), k->dst, &t) ||
	    t.action == XR_ROUTE_LOCAL || t.action == XR_ROUTE_CONNECTED)
		return XR_PUNT_IP_RULE;
	res->route = t;
	res->route_found = true;
	return XR_FORWARD;
}

/* rules_eval of bpf/rules.h over the ops, with rule_matches shared. A
 * rule that could match only by the unknown source leaves it undecided. */
static unsigned int rules_check(const struct fp_ops *ops,
				const struct fp_pkt *k, struct fp_result *res)
{
	const struct xr_route *main = res->route_found ? &res->route : NULL;
	unsigned int *undecided = &res->undecided;
	struct xr_ip_rule rules[XR_RULES_MAX];
	__be32 dst[4] = {0}, src[4] = {0};
	unsigned int words = k->v6 ? 4 : 1;
	int n;

	if (main && main->action == XR_ROUTE_LOCAL)
		return XR_FORWARD;
	n = ops->rules ? ops->rules(ops->arg, k->v6, rules, XR_RULES_MAX)
		       : -ENOENT;
	if (n < 0)
		return XR_PUNT_IP_RULE; /* as the program without its head */
	memcpy(dst, k->dst->bytes, 4 * words);
	if (k->src)
		memcpy(src, k->src->bytes, 4 * words);
	for (int i = 0; i < n; i++) {
		const struct xr_ip_rule *r = &rules[i];
		bool m;

		if (!k->src && r->src_len) {
			struct xr_ip_rule rest = *r;

			/* the other selectors alone: where they hold, the
			 * source decides; where they fail, the rule does not
			 * match (or, with not, matches) whatever it is */
			rest.src_len = 0;
			rest.flags &= ~XR_RULE_F_INVERT;
			if (rule_matches(&rest, k->in_ifindex, src, dst,
					 words)) {
				*undecided = FP_NEEDS_SOURCE;
				return XR_FORWARD;
			}
			m = r->flags & XR_RULE_F_INVERT;
		} else {
			m = rule_matches(r, k->in_ifindex, src, dst, words);
		}
		if (!m)
			continue;
		if (r->action == XR_RULE_MAIN)
			return main ? XR_FORWARD : XR_PUNT_IP_RULE;
		if (r->action == XR_RULE_BLACKHOLE && main &&
		    main->action != XR_ROUTE_CONNECTED)
			return XR_DROP_IP_RULE;
		if (r->action == XR_RULE_TABLE)
			return rule_table(ops, k, r, res);
		return XR_PUNT_IP_RULE;
	}
	return XR_FORWARD;
}

static unsigned int nexthop_path(const struct fp_ops *ops,
				 const struct fp_pkt *k, uint32_t id,
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
	return egress_check(ops, k, p);
}

/* Up to the route: the ingress, the addresses, the ingress's plan, the ip
 * rules where the plan checks them. XR_FORWARD to go on. */
static unsigned int before_route(const struct fp_ops *ops, struct fp_pkt *k,
				 struct fp_result *res)
{
	unsigned int reason;

	if (k->in_ifindex) {
		if (ops->iface(ops->arg, k->in_ifindex, &k->in) ||
		    !(k->in.flags & XR_IF_F_INGRESS))
			return XR_PUNT_INGRESS_UNKNOWN;
		res->vrf = ntohl(k->in.vrf);
	}
	reason = special_addr(k->dst, k->src);
	if (reason != XR_FORWARD || !k->in_ifindex)
		return reason;
	reason = plan_ingress(&k->in, k->v6);
	if (reason != XR_FORWARD)
		return reason;
	res->route_found = !ops->route(ops->arg, res->vrf, k->dst, &res->route);
	if (k->in.flags &
	    (k->v6 ? XR_IF_F_RULE_CHECK_V6 : XR_IF_F_RULE_CHECK_V4))
		return rules_check(ops, k, res);
	return XR_FORWARD;
}

/* The route and its paths, each through the egress's gates. */
static void route_paths(const struct fp_ops *ops, const struct fp_pkt *k,
			struct fp_result *res)
{
	const struct xr_addr *dst = k->dst;
	struct xr_nh_group g;
	struct fp_path *p;

	if (!k->in_ifindex)
		res->route_found =
			!ops->route(ops->arg, res->vrf, dst, &res->route);
	if (!res->route_found) {
		res->reason = XR_PUNT_NO_ROUTE;
		return;
	}
	p = &res->paths[0];
	switch (res->route.action) {
	case XR_ROUTE_NEXTHOP:
		res->n_paths = 1;
		p->buckets = XR_GROUP_BUCKETS;
		res->reason = nexthop_path(ops, k, res->route.id, p);
		break;
	case XR_ROUTE_GROUP:
		if (ops->group(ops->arg, res->route.id, &g) || !g.n_members ||
		    g.n_members > XR_MAX_ECMP) {
			res->reason = XR_PUNT_NO_NEXTHOP;
			break;
		}
		res->n_paths = g.n_members;
		for (unsigned int i = 0; i < g.n_members; i++)
			res->paths[i].reason = nexthop_path(ops, k, g.member[i],
							    &res->paths[i]);
		for (unsigned int b = 0; b < XR_GROUP_BUCKETS; b++)
			if (g.bucket[b] < g.n_members)
				res->paths[g.bucket[b]].buckets++;
		res->reason = res->paths[0].reason;
		res->undecided = res->paths[0].undecided;
		return;
	case XR_ROUTE_CONNECTED:
		res->n_paths = 1;
		p->ifindex = res->route.id;
		p->buckets = XR_GROUP_BUCKETS;
		if (ops->neigh(ops->arg, p->ifindex, dst, p->dmac))
			res->reason = XR_PUNT_NEIGH_UNRESOLVED;
		else
			res->reason = egress_check(ops, k, p);
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
	if (res->n_paths) {
		p->reason = res->reason;
		res->undecided = p->undecided;
	}
}

/* No --in: the answer for a packet from any XDP ingress in VRF 0 but the
 * egress (a hairpin is --in's). Where one of them has an ingress gate of
 * the family, its verdict may be another: undecided, whatever the route. */
static void any_ingress(const struct fp_ops *ops, const struct fp_pkt *k,
			struct fp_result *res)
{
	uint32_t gates = k->v6 ? INGRESS_GATES_V6 : INGRESS_GATES_V4;

	if (!ops->ingress_plan)
		return;
	if (!res->n_paths) {
		if (ops->ingress_plan(ops->arg, 0) & gates)
			res->undecided = FP_NEEDS_INGRESS;
		return;
	}
	for (unsigned int i = 0; i < res->n_paths; i++) {
		struct fp_path *p = &res->paths[i];

		if (!p->undecided &&
		    (ops->ingress_plan(ops->arg, p->ifindex) & gates))
			p->undecided = FP_NEEDS_INGRESS;
	}
	res->undecided = res->paths[0].undecided;
}

int fastpath_lookup(const struct fp_ops *ops, const struct xr_addr *dst,
		    const struct xr_addr *src, uint32_t in_ifindex,
		    struct fp_result *res)
{
	struct fp_pkt k = {.dst = dst, .in_ifindex = in_ifindex};

	memset(res, 0, sizeof(*res));
	res->in_ifindex = in_ifindex;
	if (dst->family != AF_INET && dst->family != AF_INET6)
		return -EAFNOSUPPORT;
	if (src && src->family != dst->family)
		return -EINVAL;
	k.src = src;
	k.v6 = dst->family == AF_INET6;
	res->reason = before_route(ops, &k, res);
	/* a rule that needs the source stops here, as the program may */
	if (res->reason != XR_FORWARD || res->undecided)
		return 0;
	route_paths(ops, &k, res);
	if (!in_ifindex)
		any_ingress(ops, &k, res);
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
	if (fp->undecided && !fp->n_paths) {
		*why = "undecided: no path to compare";
		return true;
	}
	switch (fp->reason) {
	case XR_DROP_IP_RULE:
		/* the kernel was asked for the destination alone */
		*why = "an ip rule drops it; the kernel's route for the "
		       "destination alone does not show the rule";
		return true;
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
