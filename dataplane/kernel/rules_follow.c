// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <net/if.h>
#include <sys/socket.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "xdp_router_abi.h"
#include "util/log.h"
#include "kernel/ip_rules.h"
#include "kernel/nl_follow.h"
#include "kernel/rules_follow.h"

struct rules_follow {
	struct plan *pl;
	struct nl_follow *nl;
	unsigned seq;
	uint64_t unreadable;
	/* what the last dump found, so each problem is logged once */
	unsigned last_bad;
	int last_err;
};

/* One dump's findings, restarted when the dump was inconsistent. */
struct rules_dump {
	struct rules_follow *rf;
	unsigned seen_v4, seen_v6; /* default rules present */
	unsigned bad;
	uint32_t bad_flags; /* families with an unreadable rule */
};

static uint32_t family_flag(uint8_t family)
{
	return family == AF_INET ? XR_IF_F_RULES_V4 : XR_IF_F_RULES_V6;
}

static void dump_reset(void *arg)
{
	struct rules_dump *d = arg;

	plan_begin(d->rf->pl, XR_PLAN_RULES);
	d->seen_v4 = d->seen_v6 = 0;
	d->bad = 0;
	d->bad_flags = 0;
}

static void punt_rule(struct rules_follow *rf, const struct ip_rule *r)
{
	char why[XR_PLAN_WHY_MAX];
	unsigned ifindex = XR_PLAN_ALL_IFACES;

	ip_rule_describe(r, why, sizeof(why));
	if (ip_rule_classify(r) == IP_RULE_PUNT_IIF) {
		/* no such link yet: the rule matches nothing today, and a
		 * link event restates */
		ifindex = if_nametoindex(r->iif);
		if (!ifindex)
			return;
	}
	plan_set(rf->pl, XR_PLAN_RULES, ifindex, family_flag(r->family), why);
}

static int on_rule(const struct nlmsghdr *nlh, void *arg)
{
	struct rules_dump *d = arg;
	const struct fib_rule_hdr *frh = mnl_nlmsg_get_payload(nlh);
	struct ip_rule r;
	int err;

	if (nlh->nlmsg_type != RTM_NEWRULE)
		return MNL_CB_OK;
	err = ip_rule_parse(nlh, &r);
	if (err == -EAFNOSUPPORT)
		return MNL_CB_OK; /* multicast routing's rules */
	if (err) {
		d->bad++;
		/* a header too short to name the family: either */
		d->bad_flags |= mnl_nlmsg_get_payload_len(nlh) >= sizeof(*frh)
					? family_flag(frh->family)
					: XR_IF_F_RULES_V4 | XR_IF_F_RULES_V6;
		return MNL_CB_OK;
	}
	if (ip_rule_classify(&r) == IP_RULE_DEFAULT) {
		if (r.family == AF_INET)
			d->seen_v4 |= ip_rule_default_bit(&r);
		else
			d->seen_v6 |= ip_rule_default_bit(&r);
		return MNL_CB_OK;
	}
	punt_rule(d->rf, &r);
	return MNL_CB_OK;
}

static void punt_missing(struct rules_follow *rf, uint8_t family, unsigned seen)
{
	char missing[64], why[XR_PLAN_WHY_MAX];

	if (!ip_rule_defaults_missing(family, seen, missing, sizeof(missing)))
		return;
	snprintf(why, sizeof(why), "ip rules %s: missing %s",
		 family == AF_INET ? "ipv4" : "ipv6", missing);
	plan_set(rf->pl, XR_PLAN_RULES, XR_PLAN_ALL_IFACES, family_flag(family),
		 why);
}

static void resync(void *arg)
{
	struct rules_follow *rf = arg;
	struct rules_dump d = {.rf = rf};
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct fib_rule_hdr *frh;
	int err;

	nlh->nlmsg_type = RTM_GETRULE;
	nlh->nlmsg_flags = NLM_F_DUMP;
	nlh->nlmsg_seq = ++rf->seq;
	frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
	frh->family = AF_UNSPEC; /* every family's rules */
	err = nl_dump_consistent(NETLINK_ROUTE, nlh, on_rule, dump_reset, &d);
	if (err) {
		if (err != rf->last_err)
			xr_err("plan: cannot dump the ip rules: %s; punting "
			       "everything until they can be read",
			       strerror(-err));
		plan_set(rf->pl, XR_PLAN_RULES, XR_PLAN_ALL_IFACES,
			 XR_IF_F_RULES_V4 | XR_IF_F_RULES_V6,
			 "ip rules: not read");
		goto commit;
	}
	punt_missing(rf, AF_INET, d.seen_v4);
	punt_missing(rf, AF_INET6, d.seen_v6);
	if (d.bad) {
		if (d.bad != rf->last_bad)
			xr_warn("plan: cannot read %u ip rule%s; punting %s",
				d.bad, d.bad == 1 ? "" : "s",
				d.bad_flags == XR_IF_F_RULES_V4	  ? "ipv4"
				: d.bad_flags == XR_IF_F_RULES_V6 ? "ipv6"
								  : "both "
								    "families");
		rf->unreadable += d.bad;
		plan_set(rf->pl, XR_PLAN_RULES, XR_PLAN_ALL_IFACES, d.bad_flags,
			 "ip rules: unreadable rule");
	}
commit:
	rf->last_bad = d.bad;
	rf->last_err = err;
	plan_commit(rf->pl, XR_PLAN_RULES);
}

int rules_follow_new(struct rules_follow **out, struct event_base *base,
		     struct plan *pl)
{
	static const unsigned groups[] = {RTNLGRP_IPV4_RULE, RTNLGRP_IPV6_RULE};
	struct rules_follow *rf = calloc(1, sizeof(*rf));
	int err;

	if (!rf)
		return -ENOMEM;
	rf->pl = pl;
	rf->seq = time(NULL);
	plan_expect(pl, XR_PLAN_RULES);
	err = nl_follow_new(&rf->nl, base, NETLINK_ROUTE, groups, 2, resync, rf,
			    "ip rules");
	if (err) {
		free(rf);
		return err;
	}
	*out = rf;
	return 0;
}

void rules_follow_free(struct rules_follow *rf)
{
	if (!rf)
		return;
	nl_follow_free(rf->nl);
	free(rf);
}

void rules_follow_links_changed(struct rules_follow *rf)
{
	/* the iif names resolve anew in the dump's restatement */
	if (rf)
		resync(rf);
}

uint64_t rules_follow_unreadable(const struct rules_follow *rf)
{
	return rf ? rf->unreadable : 0;
}
