// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "fpm_encode.h"
#include "fpm_frame.h"

/* Not in every libc's copy of the uapi headers. */
#ifndef RTM_F_OFFLOAD
#define RTM_F_OFFLOAD 0x4000
#endif
#ifndef RTM_F_OFFLOAD_FAILED
#define RTM_F_OFFLOAD_FAILED 0x20000000
#endif
#ifndef RTA_NH_ID
#define RTA_NH_ID 30
#endif

struct nl_buf {
	uint8_t *p;
	size_t size;
	size_t len; /* of the netlink message so far */
	int err;
};

static void *nl_reserve(struct nl_buf *b, size_t len)
{
	void *at;

	if (b->err || b->len + NLMSG_ALIGN(len) > b->size) {
		b->err = -ENOSPC;
		return NULL;
	}
	at = b->p + b->len;
	memset(at, 0, NLMSG_ALIGN(len));
	b->len += NLMSG_ALIGN(len);
	return at;
}

static struct rtattr *nl_attr(struct nl_buf *b, uint16_t type, const void *data,
			      size_t len)
{
	struct rtattr *rta = nl_reserve(b, RTA_LENGTH(len));

	if (!rta)
		return NULL;
	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(rta), data, len);
	return rta;
}

static void nl_attr_u32(struct nl_buf *b, uint16_t type, uint32_t v)
{
	nl_attr(b, type, &v, sizeof(v));
}

static unsigned int addr_len(uint8_t family)
{
	return family == AF_INET ? 4 : 16;
}

/* A gateway of the other family is RTA_VIA, as zebra sends it (RFC 5549). */
static void put_gateway(struct nl_buf *b, uint8_t route_family,
			const struct fpm_nh_path *p)
{
	if (p->family == route_family) {
		nl_attr(b, RTA_GATEWAY, p->gw, addr_len(p->family));
	} else {
		uint8_t via[2 + 16];
		uint16_t fam = p->family;

		memcpy(via, &fam, 2);
		memcpy(via + 2, p->gw, addr_len(p->family));
		nl_attr(b, RTA_VIA, via, 2 + addr_len(p->family));
	}
}

static void put_multipath(struct nl_buf *b, const struct fpm_route *r)
{
	struct rtattr *mp = nl_attr(b, RTA_MULTIPATH, NULL, 0);

	for (unsigned int i = 0; mp && i < r->n_nexthops; i++) {
		const struct fpm_nh_path *p = &r->nh[i];
		size_t start = b->len;
		struct rtnexthop *rtnh = nl_reserve(b, sizeof(*rtnh));

		if (!rtnh)
			return;
		rtnh->rtnh_ifindex = p->ifindex;
		rtnh->rtnh_hops = p->weight ? p->weight - 1 : 0;
		if (p->has_gw)
			put_gateway(b, r->family, p);
		/* b->p may not move: lengths are patched through offsets */
		((struct rtnexthop *)(b->p + start))->rtnh_len = b->len - start;
	}
	if (mp)
		mp->rta_len = (uint8_t *)b->p + b->len - (uint8_t *)mp;
}

static uint8_t rtm_type(uint8_t fpm_type)
{
	switch (fpm_type) {
	case FPM_RT_BLACKHOLE:
		return RTN_BLACKHOLE;
	case FPM_RT_UNREACHABLE:
		return RTN_UNREACHABLE;
	case FPM_RT_PROHIBIT:
		return RTN_PROHIBIT;
	case FPM_RT_LOCAL:
		return RTN_LOCAL;
	default:
		return RTN_UNICAST;
	}
}

int fpm_encode_route_offload(uint8_t *buf, size_t size,
			     const struct fpm_route *r, bool offloaded,
			     uint32_t seq)
{
	struct nl_buf b;
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	if ((r->family != AF_INET && r->family != AF_INET6) ||
	    r->prefixlen > addr_len(r->family) * 8 ||
	    r->n_nexthops > FPM_MAX_PATHS)
		return -EINVAL;
	if (size < FPM_HDR_LEN)
		return -ENOSPC;
	b = (struct nl_buf){.p = buf + FPM_HDR_LEN,
			    .size = size - FPM_HDR_LEN >
						    FPM_MAX_FRAME - FPM_HDR_LEN
					    ? FPM_MAX_FRAME - FPM_HDR_LEN
					    : size - FPM_HDR_LEN};

	nlh = nl_reserve(&b, NLMSG_HDRLEN);
	rtm = nl_reserve(&b, sizeof(*rtm));
	if (!nlh || !rtm)
		return -ENOSPC;
	nlh->nlmsg_type = RTM_NEWROUTE;
	/* dplane_fpm_nl skips any message that is not a request */
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = seq;
	rtm->rtm_family = r->family;
	rtm->rtm_dst_len = r->prefixlen;
	rtm->rtm_table = r->table < 256 ? r->table : RT_TABLE_UNSPEC;
	rtm->rtm_protocol = r->protocol;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = rtm_type(r->type);
	rtm->rtm_flags = offloaded ? RTM_F_OFFLOAD : RTM_F_OFFLOAD_FAILED;

	nl_attr_u32(&b, RTA_TABLE, r->table);
	nl_attr(&b, RTA_DST, r->dst, addr_len(r->family));
	nl_attr_u32(&b, RTA_PRIORITY, r->metric);
	if (r->nh_id) {
		nl_attr_u32(&b, RTA_NH_ID, r->nh_id);
	} else if (r->n_nexthops == 1) {
		if (r->nh[0].has_gw)
			put_gateway(&b, r->family, &r->nh[0]);
		if (r->nh[0].ifindex)
			nl_attr_u32(&b, RTA_OIF, r->nh[0].ifindex);
	} else if (r->n_nexthops > 1) {
		put_multipath(&b, r);
	}
	if (b.err)
		return b.err;
	nlh->nlmsg_len = b.len;
	fpm_frame_put_header(buf, FPM_MSG_NETLINK, b.len);
	return (int)(b.len + FPM_HDR_LEN);
}
