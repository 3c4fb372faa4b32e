// SPDX-License-Identifier: GPL-2.0-only
/*
 * Netlink payloads of FPM frames: the rtnetlink route and nexthop messages
 * zebra's dplane_fpm_nl builds, parsed with libnl's attribute validator.
 * Everything else zebra may send is recognised, counted and skipped.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/neighbour.h>
#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "fpm_decode.h"

#ifndef AF_MPLS
#define AF_MPLS 28
#endif

/* Lengths checked by nla_parse; exact address sizes are checked below */
static const struct nla_policy route_policy[RTA_MAX + 1] = {
	[RTA_DST] = {.type = NLA_UNSPEC, .minlen = 4, .maxlen = 16},
	[RTA_GATEWAY] = {.type = NLA_UNSPEC, .minlen = 4, .maxlen = 16},
	[RTA_VIA] = {.type = NLA_UNSPEC, .minlen = 2 + 4, .maxlen = 2 + 16},
	[RTA_OIF] = {.type = NLA_U32},
	[RTA_PRIORITY] = {.type = NLA_U32},
	[RTA_TABLE] = {.type = NLA_U32},
	[RTA_NH_ID] = {.type = NLA_U32},
	[RTA_ENCAP_TYPE] = {.type = NLA_U16},
	[RTA_MULTIPATH] = {.type = NLA_UNSPEC,
			   .minlen = sizeof(struct rtnexthop)},
};

static const struct nla_policy nh_policy[NHA_MAX + 1] = {
	[NHA_ID] = {.type = NLA_U32},
	[NHA_GROUP] = {.type = NLA_UNSPEC,
		       .minlen = sizeof(struct nexthop_grp)},
	[NHA_GROUP_TYPE] = {.type = NLA_U16},
	[NHA_BLACKHOLE] = {.type = NLA_FLAG},
	[NHA_OIF] = {.type = NLA_U32},
	[NHA_GATEWAY] = {.type = NLA_UNSPEC, .minlen = 4, .maxlen = 16},
	[NHA_ENCAP_TYPE] = {.type = NLA_U16},
	[NHA_FDB] = {.type = NLA_FLAG},
};

/*
 * nla_parse() with the check it leaves out: it stops quietly at the first
 * attribute whose length runs past the end, so a lying length would just
 * hide the attributes after it. Here any bytes left over are an error.
 */
static int attrs_parse(struct nlattr **tb, int maxtype, const void *head,
		       int len, const struct nla_policy *policy)
{
	struct nlattr *nla;
	int rem;

	if (len < 0 || nla_parse(tb, maxtype, (struct nlattr *)head, len,
				 (struct nla_policy *)policy) < 0)
		return -EBADMSG;
	nla_for_each_attr(nla, (struct nlattr *)head, len, rem);
	return rem > 0 ? -EBADMSG : 0;
}

static int msg_attrs_parse(struct nlmsghdr *nlh, int hdrlen, struct nlattr **tb,
			   int maxtype, const struct nla_policy *policy)
{
	return attrs_parse(tb, maxtype, nlmsg_attrdata(nlh, hdrlen),
			   nlmsg_attrlen(nlh, hdrlen), policy);
}

static size_t family_addr_len(int family)
{
	switch (family) {
	case AF_INET:
		return 4;
	case AF_INET6:
		return 16;
	default:
		return 0;
	}
}

/* Count a family we do not forward; returns 0 so the frame goes on. */
static int skip_family(struct fpm_decoder *d, int family)
{
	if (family == AF_MPLS)
		d->stats.skip_mpls++;
	else if (family == AF_BRIDGE)
		d->stats.skip_bridge++;
	else
		d->stats.skip_family++;
	return 0;
}

static int route_type(uint8_t rtn, uint8_t *type)
{
	switch (rtn) {
	case RTN_UNICAST:
		*type = FPM_RT_UNICAST;
		return 0;
	case RTN_BLACKHOLE:
		*type = FPM_RT_BLACKHOLE;
		return 0;
	case RTN_UNREACHABLE:
		*type = FPM_RT_UNREACHABLE;
		return 0;
	case RTN_PROHIBIT:
		*type = FPM_RT_PROHIBIT;
		return 0;
	case RTN_LOCAL:
		*type = FPM_RT_LOCAL;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/*
 * Fill one path from RTA_GATEWAY / RTA_VIA in tb. Returns 0, or -EINVAL for
 * an address of the wrong size (counted by the caller).
 */
static int path_from_attrs(struct fpm_nh_path *p, struct nlattr **tb,
			   int family)
{
	size_t alen = family_addr_len(family);

	p->family = family;
	if (tb[RTA_GATEWAY]) {
		if ((size_t)nla_len(tb[RTA_GATEWAY]) != alen)
			return -EINVAL;
		memcpy(p->gw, nla_data(tb[RTA_GATEWAY]), alen);
		p->has_gw = true;
	}
	if (tb[RTA_VIA]) {
		const struct rtvia *via = nla_data(tb[RTA_VIA]);
		size_t vlen = family_addr_len(via->rtvia_family);

		if (!vlen || (size_t)nla_len(tb[RTA_VIA]) != 2 + vlen)
			return -EINVAL;
		p->family = via->rtvia_family;
		memset(p->gw, 0, sizeof(p->gw));
		memcpy(p->gw, via->rtvia_addr, vlen);
		p->has_gw = true;
	}
	return 0;
}

/*
 * RTA_MULTIPATH: a run of rtnexthop headers, each followed by its own
 * attributes. A zero or oversized rtnh_len would loop or overrun: rejected.
 */
static int decode_multipath(struct fpm_decoder *d, struct fpm_route *rt,
			    const struct nlattr *mp)
{
	const struct rtnexthop *rtnh = nla_data(mp);
	int rem = nla_len(mp);
	struct nlattr *tb[RTA_MAX + 1];
	struct fpm_nh_path *p;
	int err;

	while (rem >= (int)sizeof(*rtnh)) {
		if (rtnh->rtnh_len < sizeof(*rtnh) || rtnh->rtnh_len > rem) {
			d->stats.err_nl_multipath++;
			return -EBADMSG;
		}
		if (rt->n_nexthops == FPM_MAX_PATHS) {
			d->stats.err_too_many_paths++;
			return -E2BIG;
		}
		err = attrs_parse(tb, RTA_MAX, RTNH_DATA(rtnh),
				  rtnh->rtnh_len - sizeof(*rtnh), route_policy);
		if (err < 0) {
			d->stats.err_nl_attr++;
			return -EBADMSG;
		}
		if (tb[RTA_ENCAP] || tb[RTA_ENCAP_TYPE])
			return -EOPNOTSUPP; /* counted by the caller */
		p = &rt->nh[rt->n_nexthops++];
		memset(p, 0, sizeof(*p));
		p->ifindex = rtnh->rtnh_ifindex;
		p->weight = rtnh->rtnh_hops + 1;
		if (path_from_attrs(p, tb, rt->family)) {
			d->stats.err_nl_attr_size++;
			return -EBADMSG;
		}
		rem -= RTNH_ALIGN(rtnh->rtnh_len);
		rtnh = (const struct rtnexthop *)((const uint8_t *)rtnh +
						  RTNH_ALIGN(rtnh->rtnh_len));
	}
	if (rem > 0) {
		d->stats.err_nl_multipath++;
		return -EBADMSG;
	}
	return 0;
}

/* A route or nexthop the events cannot carry (too many paths, an
 * encapsulation) still replaces what its key or id held: without, the old
 * paths would stay in the fast path while the kernel has the new ones
 * (fpm_events.h, "unusable"). Returns ret. */
static int emit_unusable_route(struct fpm_decoder *d, struct fpm_event *ev,
			       int ret)
{
	if (ev->type == FPM_EV_ROUTE_ADD)
		ev->route.type = FPM_RT_UNICAST;
	ev->route.nh_id = 0;
	ev->route.n_nexthops = 0;
	fpm_decoder_emit(d, ev); /* a delete goes by its key alone */
	return ret;
}

static int decode_route(struct fpm_decoder *d, struct nlmsghdr *nlh)
{
	struct fpm_event *ev = &d->ev;
	struct fpm_route *rt = &ev->route;
	struct nlattr *tb[RTA_MAX + 1];
	const struct rtmsg *rtm;
	bool odd_type;
	size_t alen;
	int err;

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*rtm))) {
		d->stats.err_nl_truncated++;
		return -EBADMSG;
	}
	rtm = nlmsg_data(nlh);
	alen = family_addr_len(rtm->rtm_family);
	if (!alen)
		return skip_family(d, rtm->rtm_family);
	if (msg_attrs_parse(nlh, sizeof(*rtm), tb, RTA_MAX, route_policy)) {
		d->stats.err_nl_attr++;
		return -EBADMSG;
	}

	memset(rt, 0, offsetof(struct fpm_route, nh));
	ev->type = nlh->nlmsg_type == RTM_NEWROUTE ? FPM_EV_ROUTE_ADD
						   : FPM_EV_ROUTE_DEL;
	rt->family = rtm->rtm_family;
	rt->prefixlen = rtm->rtm_dst_len;
	rt->protocol = rtm->rtm_protocol;
	if (nlh->nlmsg_flags & NLM_F_REPLACE)
		rt->flags |= FPM_RTF_REPLACE;
	/* A delete is matched by key alone, whatever type it names. A type
	 * the fast path cannot honour (throw, multicast, nat...) still
	 * replaces what its key held: sent unusable once the key is read. */
	odd_type = route_type(rtm->rtm_type, &rt->type) &&
		   ev->type == FPM_EV_ROUTE_ADD;
	if (rt->prefixlen > alen * 8) {
		d->stats.err_nl_prefixlen++;
		return -EBADMSG;
	}
	if (tb[RTA_DST]) {
		if ((size_t)nla_len(tb[RTA_DST]) != alen) {
			d->stats.err_nl_attr_size++;
			return -EBADMSG;
		}
		memcpy(rt->dst, nla_data(tb[RTA_DST]), alen);
	}
	rt->table = tb[RTA_TABLE] ? nla_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
	if (tb[RTA_PRIORITY])
		rt->metric = nla_get_u32(tb[RTA_PRIORITY]);
	if (tb[RTA_NH_ID])
		rt->nh_id = nla_get_u32(tb[RTA_NH_ID]);
	if (odd_type) {
		d->stats.unusable_route_type++;
		return emit_unusable_route(d, ev, 0);
	}
	/* The kernel encapsulates by it; the fast path cannot (lwtunnel) */
	if (tb[RTA_ENCAP] || tb[RTA_ENCAP_TYPE]) {
		d->stats.unusable_encap++;
		return emit_unusable_route(d, ev, 0);
	}

	if (tb[RTA_MULTIPATH]) {
		err = decode_multipath(d, rt, tb[RTA_MULTIPATH]);
		if (err == -EOPNOTSUPP) {
			d->stats.unusable_encap++;
			return emit_unusable_route(d, ev, 0);
		}
		if (err == -E2BIG)
			return emit_unusable_route(d, ev, -E2BIG);
		if (err)
			return err;
	} else if (tb[RTA_GATEWAY] || tb[RTA_VIA] || tb[RTA_OIF]) {
		struct fpm_nh_path *p = &rt->nh[0];

		memset(p, 0, sizeof(*p));
		p->weight = 1;
		if (tb[RTA_OIF])
			p->ifindex = nla_get_u32(tb[RTA_OIF]);
		if (path_from_attrs(p, tb, rt->family)) {
			d->stats.err_nl_attr_size++;
			return -EBADMSG;
		}
		rt->n_nexthops = 1;
	}
	fpm_decoder_emit(d, ev);
	return 0;
}

static int decode_group(struct fpm_decoder *d, struct fpm_nexthop *nh,
			const struct nlattr *attr)
{
	const struct nexthop_grp *g = nla_data(attr);
	size_t n = nla_len(attr) / sizeof(*g);
	uint32_t weight;

	if (nla_len(attr) % sizeof(*g)) {
		d->stats.err_nl_group++;
		return -EBADMSG;
	}
	if (n > FPM_MAX_GROUP) {
		d->stats.err_too_many_group++;
		return -E2BIG;
	}
	for (size_t i = 0; i < n; i++) {
		weight = ((uint32_t)g[i].weight_high << 8 | g[i].weight) + 1;
		if (!g[i].id || weight > UINT16_MAX) {
			d->stats.err_nl_group++;
			return -EBADMSG;
		}
		nh->group[i].id = g[i].id;
		nh->group[i].weight = weight;
	}
	nh->n_group = n;
	return 0;
}

static int decode_nexthop(struct fpm_decoder *d, struct nlmsghdr *nlh)
{
	struct fpm_event *ev = &d->ev;
	struct fpm_nexthop *nh = &ev->nh;
	struct nlattr *tb[NHA_MAX + 1];
	const struct nhmsg *nhm;
	size_t alen;

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*nhm))) {
		d->stats.err_nl_truncated++;
		return -EBADMSG;
	}
	nhm = nlmsg_data(nlh);
	if (nhm->nh_family != AF_UNSPEC && !family_addr_len(nhm->nh_family))
		return skip_family(d, nhm->nh_family);
	if (msg_attrs_parse(nlh, sizeof(*nhm), tb, NHA_MAX, nh_policy)) {
		d->stats.err_nl_attr++;
		return -EBADMSG;
	}
	if (!tb[NHA_ID] || !nla_get_u32(tb[NHA_ID])) {
		d->stats.err_nl_missing++;
		return -EBADMSG;
	}

	memset(nh, 0, offsetof(struct fpm_nexthop, group));
	nh->id = nla_get_u32(tb[NHA_ID]);
	nh->family = nhm->nh_family;
	if (nlh->nlmsg_type == RTM_DELNEXTHOP) {
		ev->type = FPM_EV_NH_DEL;
		fpm_decoder_emit(d, ev);
		return 0;
	}
	ev->type = FPM_EV_NH_ADD;
	/* An EVPN FDB nexthop or one the kernel encapsulates by: the id no
	 * longer holds what it held, so it goes unusable (no member, gateway
	 * or interface) and groups and routes by it leave the fast path */
	if (tb[NHA_FDB] || tb[NHA_ENCAP] || tb[NHA_ENCAP_TYPE]) {
		if (tb[NHA_FDB])
			d->stats.unusable_fdb_nh++;
		else
			d->stats.unusable_encap++;
		nh->n_group = 0;
		fpm_decoder_emit(d, ev);
		return 0;
	}
	if (tb[NHA_GROUP]) {
		int err = decode_group(d, nh, tb[NHA_GROUP]);

		if (err == -E2BIG) {
			/* unusable: no member, gateway or interface */
			nh->n_group = 0;
			fpm_decoder_emit(d, ev);
		}
		if (err)
			return err;
	}
	nh->blackhole = !!tb[NHA_BLACKHOLE];
	if (tb[NHA_OIF])
		nh->ifindex = nla_get_u32(tb[NHA_OIF]);
	if (tb[NHA_GATEWAY]) {
		alen = family_addr_len(nh->family);
		if (!alen || (size_t)nla_len(tb[NHA_GATEWAY]) != alen) {
			d->stats.err_nl_attr_size++;
			return -EBADMSG;
		}
		memcpy(nh->gw, nla_data(tb[NHA_GATEWAY]), alen);
		nh->has_gw = true;
	}
	fpm_decoder_emit(d, ev);
	return 0;
}

static int decode_neigh(struct fpm_decoder *d, const struct nlmsghdr *nlh)
{
	const struct ndmsg *ndm = nlmsg_data(nlh);

	d->stats.msg_neigh++;
	if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(*ndm)) &&
	    ndm->ndm_family == AF_BRIDGE)
		d->stats.skip_bridge++;
	else
		d->stats.skip_neigh++;
	return 0;
}

static int decode_message(struct fpm_decoder *d, struct nlmsghdr *nlh)
{
	switch (nlh->nlmsg_type) {
	case RTM_NEWROUTE:
		d->stats.msg_newroute++;
		return decode_route(d, nlh);
	case RTM_DELROUTE:
		d->stats.msg_delroute++;
		return decode_route(d, nlh);
	case RTM_NEWNEXTHOP:
		d->stats.msg_newnexthop++;
		return decode_nexthop(d, nlh);
	case RTM_DELNEXTHOP:
		d->stats.msg_delnexthop++;
		return decode_nexthop(d, nlh);
	case RTM_NEWNEIGH:
	case RTM_DELNEIGH:
		return decode_neigh(d, nlh);
	case NLMSG_NOOP:
	case NLMSG_ERROR:
	case NLMSG_DONE:
	case NLMSG_OVERRUN:
		d->stats.msg_other++;
		d->stats.skip_nl_control++;
		return 0;
	default:
		d->stats.msg_other++;
		d->stats.skip_msg_type++;
		return 0;
	}
}

int fpm_decode_netlink(struct fpm_decoder *d, const uint8_t *buf, size_t len)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	size_t rem = len, step;
	int ret = 0, err;

	/* One frame may carry several messages (zebra: DELROUTE+NEWROUTE) */
	while (rem >= sizeof(*nlh)) {
		if (nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > rem) {
			d->stats.err_nl_truncated++;
			return ret ? ret : -EBADMSG;
		}
		err = decode_message(d, nlh);
		if (err && !ret)
			ret = err;
		step = NLMSG_ALIGN(nlh->nlmsg_len);
		if (step >= rem)
			return ret;
		rem -= step;
		nlh = (struct nlmsghdr *)((uint8_t *)nlh + step);
	}
	if (rem) {
		d->stats.err_nl_trailing++;
		return ret ? ret : -EBADMSG;
	}
	return ret;
}
