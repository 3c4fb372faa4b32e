// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "fpm_events.h"
#include "util/addr.h"
#include "kernel/route_table.h"

static int attr_addr(const struct nlattr *a, uint8_t family, uint8_t *out)
{
	size_t alen = family == AF_INET ? 4 : 16;

	if (mnl_attr_get_payload_len(a) != alen)
		return -EBADMSG;
	memcpy(out, mnl_attr_get_payload(a), alen);
	return 0;
}

static int attr_u32(const struct nlattr *a, uint32_t *v)
{
	if (mnl_attr_get_payload_len(a) != sizeof(*v))
		return -EBADMSG;
	*v = mnl_attr_get_u32(a);
	return 0;
}

static void unprovable(struct table_route *r, const char *why)
{
	if (!r->unprovable)
		r->unprovable = why;
}

static int parse_attr(const struct nlattr *a, struct table_route *r)
{
	switch (mnl_attr_get_type(a)) {
	case RTA_DST:
		return attr_addr(a, r->family, r->dst);
	case RTA_TABLE:
		return attr_u32(a, &r->table);
	case RTA_NH_ID:
		return attr_u32(a, &r->nh_id);
	case RTA_OIF:
		return attr_u32(a, &r->oif);
	case RTA_GATEWAY:
		r->has_gw = true;
		return attr_addr(a, r->family, r->gw);
	case RTA_METRICS:
		/* an empty nest is no metric; mtu, hoplimit, ... change
		 * what a forwarded packet gets */
		if (mnl_attr_get_payload_len(a) > 0)
			unprovable(r, "has metrics (mtu, ...)");
		return 0;
	case RTA_MULTIPATH:
		unprovable(r, "has inline multipath");
		return 0;
	case RTA_ENCAP:
	case RTA_ENCAP_TYPE:
		unprovable(r, "has an encapsulation");
		return 0;
	case RTA_VIA:
		unprovable(r, "has a gateway of another family");
		return 0;
	case RTA_FLOW:
		unprovable(r, "has a realm");
		return 0;
	case RTA_PRIORITY:  /* one route per prefix is checked instead */
	case RTA_PREFSRC:   /* the source of the router's own packets */
	case RTA_PREF:	    /* IPv6 router preference */
	case RTA_CACHEINFO: /* statistics */
	case RTA_EXPIRES:   /* an expiry is a deletion, notified */
	case RTA_PAD:
		return 0;
	default:
		unprovable(r, "has an attribute the fast path does not read");
		return 0;
	}
}

static void type_of(struct table_route *r, uint8_t rtn)
{
	switch (rtn) {
	case RTN_UNICAST:
		r->type = FPM_RT_UNICAST;
		break;
	case RTN_BLACKHOLE:
		r->type = FPM_RT_BLACKHOLE;
		break;
	case RTN_UNREACHABLE:
		r->type = FPM_RT_UNREACHABLE;
		break;
	case RTN_PROHIBIT:
		r->type = FPM_RT_PROHIBIT;
		break;
	case RTN_LOCAL:
		r->type = FPM_RT_LOCAL;
		break;
	case RTN_THROW:
		/* the lookup goes on to the next rule: not zebra's */
		unprovable(r, "is a throw route");
		break;
	default:
		unprovable(r, "is of a type zebra does not send");
		break;
	}
}

int table_route_parse(const struct nlmsghdr *nlh, struct table_route *r)
{
	const struct rtmsg *rtm;
	const struct nlattr *a;
	int len;

	memset(r, 0, sizeof(*r));
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*rtm))
		return -EBADMSG;
	rtm = mnl_nlmsg_get_payload(nlh);
	if (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6)
		return -ENOENT;
	if (rtm->rtm_flags & RTM_F_CLONED)
		return -ENOENT; /* a cache entry, not a route */
	r->family = rtm->rtm_family;
	r->plen = rtm->rtm_dst_len;
	r->table = rtm->rtm_table;
	if (r->plen > xr_family_bits(r->family))
		return -EBADMSG;
	if (rtm->rtm_tos)
		unprovable(r, "has a tos");
	if (rtm->rtm_src_len)
		unprovable(r, "has a source prefix");
	type_of(r, rtm->rtm_type);
	a = mnl_nlmsg_get_payload_offset(nlh, sizeof(*rtm));
	len = (int)((const char *)mnl_nlmsg_get_payload_tail(nlh) -
		    (const char *)a);
	for (; mnl_attr_ok(a, len);
	     len -= MNL_ALIGN(a->nla_len), a = mnl_attr_next(a))
		if (parse_attr(a, r))
			return -EBADMSG;
	if (len >= (int)sizeof(struct nlattr))
		return -EBADMSG;
	xr_prefix_mask(r->dst, xr_family_bits(r->family), r->plen);
	return 0;
}

static int by_prefix(const void *a, const void *b)
{
	const struct table_route *x = a, *y = b;
	int c = memcmp(x->dst, y->dst, sizeof(x->dst));

	return c ? c : (int)x->plen - (int)y->plen;
}

static void say(char *why, size_t len, const struct table_route *r,
		const char *what)
{
	struct xr_prefix p = {.addr.family = r->family, .len = r->plen};
	char buf[INET6_ADDRSTRLEN + 4];

	memcpy(p.addr.bytes, r->dst, sizeof(r->dst));
	if (len)
		snprintf(why, len, "%s %s", xr_prefix_str(&p, buf, sizeof(buf)),
			 what);
}

/* One kernel route against the fast path's: NULL when the same. */
static const char *differs(const struct table_route *r, uint32_t vrf,
			   const struct route_table_ops *ops)
{
	uint32_t nh_id;
	uint8_t type;

	if (r->unprovable)
		return r->unprovable;
	if (ops->route_get(ops->arg, vrf, r, &type, &nh_id))
		return "is only in the kernel";
	if (type != r->type)
		return "is of another type in zebra's";
	if (r->type != FPM_RT_UNICAST)
		return NULL;
	if (r->nh_id)
		return r->nh_id == nh_id ? NULL
					 : "has another nexthop in zebra's";
	if (!nh_id || !ops->nexthop_is(ops->arg, nh_id, r))
		return "has another path in zebra's";
	return NULL;
}

bool route_table_equal(struct table_route *v, size_t n, uint8_t family,
		       uint32_t table, const struct route_table_ops *ops,
		       char *why, size_t len)
{
	/* the VRF id of the maps' keys (rib_table_vrf), never main's */
	uint32_t vrf = table;
	size_t mine = 0, theirs;
	const char *d;

	if (len)
		why[0] = '\0';
	qsort(v, n, sizeof(*v), by_prefix);
	for (size_t i = 0; i < n; i++) {
		if (v[i].family != family)
			continue;
		/* IPv6 metrics or IPv4 tos: zebra keeps one of them */
		if (i + 1 < n && v[i + 1].family == family &&
		    !by_prefix(&v[i], &v[i + 1])) {
			say(why, len, &v[i], "has a second route");
			return false;
		}
		d = differs(&v[i], vrf, ops);
		if (d) {
			say(why, len, &v[i], d);
			return false;
		}
		mine++;
	}
	theirs = ops->count(ops->arg, family, vrf);
	if (theirs != mine) {
		if (len)
			snprintf(why, len,
				 "zebra's has %zu route%s, the kernel's %zu",
				 theirs, theirs == 1 ? "" : "s", mine);
		return false;
	}
	return true;
}
