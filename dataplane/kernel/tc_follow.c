// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/if_ether.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include "xdp_router_abi.h"
#include "util/log.h"
#include "kernel/nl_follow.h"
#include "kernel/tc_follow.h"

#define HOOKS_MAX 256

struct tc_follow {
	struct plan *pl;
	struct nl_follow *nl;
	unsigned seq;
	/* devices with an ingress or clsact qdisc: their filters are
	 * dumped after the qdiscs */
	struct {
		uint32_t ifindex;
		bool clsact;
	} hooks[HOOKS_MAX];
	size_t nhooks;
	bool lost;
};

struct filter_dump {
	struct tc_follow *tf;
	uint32_t ifindex;
	bool egress;
	size_t n;
	uint32_t flags;
};

static const char *ifname(uint32_t ifindex, char buf[IF_NAMESIZE])
{
	if (!if_indextoname(ifindex, buf))
		snprintf(buf, IF_NAMESIZE, "ifindex %u", ifindex);
	return buf;
}

static int on_qdisc(const struct nlmsghdr *nlh, void *arg)
{
	struct tc_follow *tf = arg;
	const struct tcmsg *tcm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	const char *kind = NULL;
	char why[XR_PLAN_WHY_MAX], name[IF_NAMESIZE];

	if (nlh->nlmsg_type != RTM_NEWQDISC ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*tcm))
		return MNL_CB_OK;
	mnl_attr_for_each(
		a, nlh,
		sizeof(*tcm)) if (mnl_attr_get_type(a) == TCA_KIND &&
				  mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >=
					  0) kind = mnl_attr_get_str(a);
	if (!kind) {
		tf->lost = true; /* a qdisc we cannot read */
		return MNL_CB_OK;
	}
	if (tcm->tcm_parent == TC_H_INGRESS) {
		/* ingress or clsact: only its filters matter */
		if (tf->nhooks == HOOKS_MAX) {
			tf->lost = true;
			return MNL_CB_OK;
		}
		tf->hooks[tf->nhooks].ifindex = tcm->tcm_ifindex;
		tf->hooks[tf->nhooks++].clsact = !strcmp(kind, "clsact");
		return MNL_CB_OK;
	}
	if (!tcm->tcm_handle)
		return MNL_CB_OK; /* the kernel's default */
	snprintf(why, sizeof(why), "tc qdisc %s %x: %s on %s", kind,
		 TC_H_MAJ(tcm->tcm_handle) >> 16,
		 tcm->tcm_parent == TC_H_ROOT ? "root" : "child",
		 ifname(tcm->tcm_ifindex, name));
	plan_set(tf->pl, XR_PLAN_TC, tcm->tcm_ifindex,
		 XR_IF_F_PUNT_OUT_V4 | XR_IF_F_PUNT_OUT_V6, why);
	return MNL_CB_OK;
}

static int on_filter(const struct nlmsghdr *nlh, void *arg)
{
	struct filter_dump *fd = arg;
	const struct tcmsg *tcm = mnl_nlmsg_get_payload(nlh);
	uint16_t proto;
	uint32_t v4, v6;

	if (nlh->nlmsg_type != RTM_NEWTFILTER ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*tcm))
		return MNL_CB_OK;
	fd->n++;
	proto = ntohs(TC_H_MIN(tcm->tcm_info));
	v4 = fd->egress ? XR_IF_F_PUNT_OUT_V4 : XR_IF_F_PUNT_IN_V4;
	v6 = fd->egress ? XR_IF_F_PUNT_OUT_V6 : XR_IF_F_PUNT_IN_V6;
	/* a filter for one protocol sees only it */
	if (proto == ETH_P_IP)
		fd->flags |= v4;
	else if (proto == ETH_P_IPV6)
		fd->flags |= v6;
	else
		fd->flags |= v4 | v6;
	return MNL_CB_OK;
}

static void dump_filters(struct tc_follow *tf, uint32_t ifindex,
			 uint32_t parent, bool egress)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], why[XR_PLAN_WHY_MAX];
	char name[IF_NAMESIZE];
	struct filter_dump fd = {
		.tf = tf, .ifindex = ifindex, .egress = egress};
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct tcmsg *tcm = mnl_nlmsg_put_extra_header(nlh, sizeof(*tcm));
	int err;

	nlh->nlmsg_type = RTM_GETTFILTER;
	nlh->nlmsg_flags = NLM_F_DUMP;
	nlh->nlmsg_seq = ++tf->seq;
	tcm->tcm_family = AF_UNSPEC;
	tcm->tcm_ifindex = ifindex;
	tcm->tcm_parent = parent;
	err = nl_dump(NETLINK_ROUTE, nlh, on_filter, &fd);
	if (err && err != -ENOENT && err != -EINVAL) {
		xr_warn("plan: cannot dump the tc filters of %s: %s; punting "
			"it",
			ifname(ifindex, name), strerror(-err));
		fd.n = 1;
		fd.flags = egress ? XR_IF_F_PUNT_OUT_V4 | XR_IF_F_PUNT_OUT_V6
				  : XR_IF_F_PUNT_IN_V4 | XR_IF_F_PUNT_IN_V6;
	}
	if (!fd.n)
		return;
	snprintf(why, sizeof(why), "tc %s filters on %s: %zu",
		 egress ? "egress" : "ingress", ifname(ifindex, name), fd.n);
	plan_set(tf->pl, XR_PLAN_TC, ifindex, fd.flags, why);
}

static void resync(void *arg)
{
	struct tc_follow *tf = arg;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct tcmsg *tcm;
	int err = -EINTR;

	for (int tries = 0; tries < 5 && err == -EINTR; tries++) {
		plan_begin(tf->pl, XR_PLAN_TC);
		tf->nhooks = 0;
		tf->lost = false;
		nlh = mnl_nlmsg_put_header(buf);
		nlh->nlmsg_type = RTM_GETQDISC;
		nlh->nlmsg_flags = NLM_F_DUMP;
		nlh->nlmsg_seq = ++tf->seq;
		tcm = mnl_nlmsg_put_extra_header(nlh, sizeof(*tcm));
		tcm->tcm_family = AF_UNSPEC;
		err = nl_dump(NETLINK_ROUTE, nlh, on_qdisc, tf);
	}
	if (err || tf->lost) {
		xr_err("plan: cannot read the qdiscs%s%s; punting everything",
		       err ? ": " : "", err ? strerror(-err) : "");
		plan_set(tf->pl, XR_PLAN_TC, XR_PLAN_ALL_IFACES,
			 XR_IF_PLAN_PUNT_ALL, "tc: qdiscs not read");
	}
	for (size_t i = 0; i < tf->nhooks; i++) {
		uint32_t ifindex = tf->hooks[i].ifindex;

		if (tf->hooks[i].clsact) {
			dump_filters(tf, ifindex,
				     TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS),
				     false);
			dump_filters(tf, ifindex,
				     TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS),
				     true);
		} else {
			dump_filters(tf, ifindex, TC_H_MAKE(TC_H_INGRESS, 0),
				     false);
		}
	}
	plan_commit(tf->pl, XR_PLAN_TC);
}

int tc_follow_new(struct tc_follow **out, struct event_base *base,
		  struct plan *pl)
{
	static const unsigned groups[] = {RTNLGRP_TC};
	struct tc_follow *tf = calloc(1, sizeof(*tf));
	int err;

	if (!tf)
		return -ENOMEM;
	tf->pl = pl;
	tf->seq = time(NULL);
	plan_expect(pl, XR_PLAN_TC);
	err = nl_follow_new(&tf->nl, base, NETLINK_ROUTE, groups, 1, resync, tf,
			    "tc");
	if (err) {
		free(tf);
		return err;
	}
	*out = tf;
	return 0;
}

void tc_follow_free(struct tc_follow *tf)
{
	if (!tf)
		return;
	nl_follow_free(tf->nl);
	free(tf);
}
