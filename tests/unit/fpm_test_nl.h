/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hand-built netlink messages and FPM frames for the fpm unit tests, and an
 * event collector. Building bytes by hand (not with libnl) lets a test lie
 * about any length it wants.
 */
#ifndef XR_FPM_TEST_NL_H
#define XR_FPM_TEST_NL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "fpm_decode.h"

struct nlb {
	uint32_t buf[16384]; /* aligned */
	size_t len;
	size_t msg; /* offset of the current nlmsghdr */
	size_t nest[4];
	int depth;
};

static inline uint8_t *nlb_at(struct nlb *b, size_t off)
{
	return (uint8_t *)b->buf + off;
}

static inline void *nlb_put(struct nlb *b, const void *data, size_t len)
{
	uint8_t *p = nlb_at(b, b->len);

	memset(p, 0, NLMSG_ALIGN(len));
	if (data)
		memcpy(p, data, len);
	b->len += NLMSG_ALIGN(len);
	return p;
}

static inline void *nlb_msg(struct nlb *b, uint16_t type, uint16_t flags,
			    size_t hdrlen)
{
	struct nlmsghdr *nlh;

	b->msg = b->len;
	nlh = nlb_put(b, NULL, sizeof(*nlh));
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	return nlb_put(b, NULL, hdrlen);
}

/* Close the current message: fix its nlmsg_len. */
static inline struct nlmsghdr *nlb_end(struct nlb *b)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)nlb_at(b, b->msg);

	nlh->nlmsg_len = b->len - b->msg;
	return nlh;
}

static inline struct nlattr *nlb_attr(struct nlb *b, uint16_t type,
				      const void *data, size_t len)
{
	struct nlattr *a = nlb_put(b, NULL, NLA_HDRLEN);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	nlb_put(b, data, len);
	return a;
}

static inline void nlb_u32(struct nlb *b, uint16_t type, uint32_t v)
{
	nlb_attr(b, type, &v, 4);
}

static inline void nlb_nest_start(struct nlb *b, uint16_t type)
{
	b->nest[b->depth++] = b->len;
	nlb_attr(b, type, NULL, 0);
}

static inline void nlb_nest_end(struct nlb *b)
{
	size_t off = b->nest[--b->depth];
	struct nlattr *a = (struct nlattr *)nlb_at(b, off);

	a->nla_len = b->len - off;
}

/* One rtnexthop; attributes added after it until nlb_rtnh_end. */
static inline void nlb_rtnh_start(struct nlb *b, int ifindex, int weight)
{
	struct rtnexthop *rtnh;

	b->nest[b->depth++] = b->len;
	rtnh = nlb_put(b, NULL, sizeof(*rtnh));
	rtnh->rtnh_ifindex = ifindex;
	rtnh->rtnh_hops = weight - 1;
}

static inline void nlb_rtnh_end(struct nlb *b)
{
	size_t off = b->nest[--b->depth];
	struct rtnexthop *rtnh = (struct rtnexthop *)nlb_at(b, off);

	rtnh->rtnh_len = b->len - off;
}

static inline struct rtmsg *nlb_route(struct nlb *b, uint16_t type, int family,
				      int dst_len, int rtn)
{
	struct rtmsg *rtm =
		nlb_msg(b, type, NLM_F_CREATE | NLM_F_REQUEST, sizeof(*rtm));

	rtm->rtm_family = family;
	rtm->rtm_dst_len = dst_len;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = 196;
	rtm->rtm_type = rtn;
	return rtm;
}

/* Wrap the netlink bytes of b into one FPM frame in out; returns length. */
static inline size_t fpm_wrap(uint8_t *out, uint8_t type, const void *payload,
			      size_t len)
{
	fpm_frame_put_header(out, type, len);
	memcpy(out + FPM_HDR_LEN, payload, len);
	return len + FPM_HDR_LEN;
}

/* Collects every event a decoder emits. */
struct collector {
	int n;
	struct fpm_event ev[64];
};

static inline void collect(const struct fpm_event *ev, void *arg)
{
	struct collector *c = arg;

	if (c->n < 64)
		c->ev[c->n] = *ev;
	c->n++;
}

#endif
