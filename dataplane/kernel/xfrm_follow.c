// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/xfrm.h>

#include "xdp_router_abi.h"
#include "util/log.h"
#include "kernel/nl_follow.h"
#include "kernel/xfrm_follow.h"

struct xfrm_follow {
	struct plan *pl;
	struct nl_follow *nl;
	unsigned seq;
	size_t npolicies;
};

static uint32_t family_flags(uint16_t family, bool out)
{
	uint32_t v4 = out ? XR_IF_F_PUNT_OUT_V4 : XR_IF_F_PUNT_IN_V4;
	uint32_t v6 = out ? XR_IF_F_PUNT_OUT_V6 : XR_IF_F_PUNT_IN_V6;

	if (family == AF_INET)
		return v4;
	if (family == AF_INET6)
		return v6;
	return v4 | v6; /* unspecified: either */
}

static int on_policy(const struct nlmsghdr *nlh, void *arg)
{
	struct xfrm_follow *xf = arg;
	const struct xfrm_userpolicy_info *p = mnl_nlmsg_get_payload(nlh);
	char why[XR_PLAN_WHY_MAX], dst[INET6_ADDRSTRLEN] = "?";
	uint16_t fam;

	if (nlh->nlmsg_type != XFRM_MSG_NEWPOLICY)
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*p)) {
		plan_set(xf->pl, XR_PLAN_XFRM, XR_PLAN_ALL_IFACES,
			 XR_IF_PLAN_PUNT_ALL, "xfrm: unreadable policy");
		return MNL_CB_OK;
	}
	if (p->dir != XFRM_POLICY_FWD && p->dir != XFRM_POLICY_OUT)
		return MNL_CB_OK; /* in: local delivery only */
	xf->npolicies++;
	fam = p->sel.family;
	if (fam == AF_INET || fam == AF_INET6)
		inet_ntop(fam, &p->sel.daddr, dst, sizeof(dst));
	snprintf(why, sizeof(why), "xfrm policy %s dir %s index %u: dst %s/%u",
		 fam == AF_INET	   ? "ipv4"
		 : fam == AF_INET6 ? "ipv6"
				   : "any",
		 p->dir == XFRM_POLICY_FWD ? "fwd" : "out", p->index, dst,
		 p->sel.prefixlen_d);
	/* out with a device in its selector: only that egress */
	if (p->dir == XFRM_POLICY_OUT && p->sel.ifindex > 0)
		plan_set(xf->pl, XR_PLAN_XFRM, (uint32_t)p->sel.ifindex,
			 family_flags(fam, true), why);
	else
		plan_set(xf->pl, XR_PLAN_XFRM, XR_PLAN_ALL_IFACES,
			 family_flags(fam, false), why);
	return MNL_CB_OK;
}

static int on_default(const struct nlmsghdr *nlh, void *arg)
{
	struct xfrm_follow *xf = arg;
	const struct xfrm_userpolicy_default *d = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type != XFRM_MSG_GETDEFAULT ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*d))
		return MNL_CB_OK;
	if (d->fwd == XFRM_USERPOLICY_BLOCK || d->out == XFRM_USERPOLICY_BLOCK)
		plan_set(xf->pl, XR_PLAN_XFRM, XR_PLAN_ALL_IFACES,
			 XR_IF_PLAN_PUNT_ALL, "xfrm default policy block");
	return MNL_CB_OK;
}

static int read_defaults(struct xfrm_follow *xf)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	int err;

	nlh->nlmsg_type = XFRM_MSG_GETDEFAULT;
	nlh->nlmsg_flags = NLM_F_ACK;
	nlh->nlmsg_seq = ++xf->seq;
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct xfrm_userpolicy_default));
	err = nl_dump(NETLINK_XFRM, nlh, on_default, xf);
	/* kernels before 5.17 have no default policy: accept */
	return err == -EOPNOTSUPP || err == -EINVAL ? 0 : err;
}

static void resync(void *arg)
{
	struct xfrm_follow *xf = arg;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int err = -EINTR;

	for (int tries = 0; tries < 5 && err == -EINTR; tries++) {
		plan_begin(xf->pl, XR_PLAN_XFRM);
		xf->npolicies = 0;
		nlh = mnl_nlmsg_put_header(buf);
		nlh->nlmsg_type = XFRM_MSG_GETPOLICY;
		nlh->nlmsg_flags = NLM_F_DUMP;
		nlh->nlmsg_seq = ++xf->seq;
		mnl_nlmsg_put_extra_header(nlh,
					   sizeof(struct xfrm_userpolicy_id));
		err = nl_dump(NETLINK_XFRM, nlh, on_policy, xf);
	}
	if (!err)
		err = read_defaults(xf);
	if (err) {
		xr_err("plan: cannot read the xfrm policies: %s; punting "
		       "everything",
		       strerror(-err));
		plan_set(xf->pl, XR_PLAN_XFRM, XR_PLAN_ALL_IFACES,
			 XR_IF_PLAN_PUNT_ALL, "xfrm: policies not read");
	}
	plan_commit(xf->pl, XR_PLAN_XFRM);
}

int xfrm_follow_new(struct xfrm_follow **out, struct event_base *base,
		    struct plan *pl)
{
	static const unsigned groups[] = {XFRMNLGRP_POLICY};
	struct xfrm_follow *xf = calloc(1, sizeof(*xf));
	int err;

	if (!xf)
		return -ENOMEM;
	xf->pl = pl;
	xf->seq = time(NULL);
	plan_expect(pl, XR_PLAN_XFRM);
	err = nl_follow_new(&xf->nl, base, NETLINK_XFRM, groups, 1, resync, xf,
			    "xfrm");
	if (err) {
		free(xf);
		return err;
	}
	*out = xf;
	return 0;
}

void xfrm_follow_free(struct xfrm_follow *xf)
{
	if (!xf)
		return;
	nl_follow_free(xf->nl);
	free(xf);
}
