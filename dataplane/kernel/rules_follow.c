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
#include "maps/rule_banks.h"
#include "kernel/ip_rules.h"
#include "kernel/nl_follow.h"
#include "kernel/rules_follow.h"
#include "kernel/table_follow.h"

/* One family's rules as the last dump found them, in the kernel's order. */
struct family_rules {
	struct ip_rule *v;
	size_t n, cap;
	unsigned seen; /* default rules present */
	unsigned bad;  /* rules that could not be read */
	bool lost;     /* out of memory keeping them */
};

/* What the program holds for one family. */
struct live_rules {
	bool on; /* the plan asks for the check somewhere */
	uint32_t n;
	struct xr_ip_rule v[XR_RULES_MAX];
};

struct rules_follow {
	struct plan *pl;
	const struct xr_maps *maps; /* NULL: nothing compiled, rules punt */
	struct nl_follow *nl;
	struct table_follow *tables; /* NULL: no table but main is proven */
	unsigned seq;
	uint64_t unreadable;
	struct family_rules fam[2]; /* IPv4, IPv6 */
	struct live_rules live[2];
	/* the dump being stated: the rules compiled, each one's source */
	struct live_rules next[2];
	size_t from[2][XR_RULES_MAX];
	/* what the last dump found, so each problem is logged once */
	unsigned last_bad;
	int last_err, last_compile_err[2];
};

static const uint8_t families[2] = {AF_INET, AF_INET6};

static uint32_t punt_flag(int f)
{
	return f ? XR_IF_F_RULES_V6 : XR_IF_F_RULES_V4;
}

static uint32_t check_flag(int f)
{
	return f ? XR_IF_F_RULE_CHECK_V6 : XR_IF_F_RULE_CHECK_V4;
}

static void dump_reset(void *arg)
{
	struct rules_follow *rf = arg;

	for (int f = 0; f < 2; f++) {
		rf->fam[f].n = 0;
		rf->fam[f].seen = rf->fam[f].bad = 0;
		rf->fam[f].lost = false;
	}
}

static void keep(struct family_rules *fr, const struct ip_rule *r)
{
	if (fr->n == fr->cap) {
		size_t cap = fr->cap ? 2 * fr->cap : 32;
		struct ip_rule *v = realloc(fr->v, cap * sizeof(*v));

		if (!v) {
			fr->lost = true;
			return;
		}
		fr->v = v;
		fr->cap = cap;
	}
	fr->v[fr->n++] = *r;
}

static int on_rule(const struct nlmsghdr *nlh, void *arg)
{
	struct rules_follow *rf = arg;
	const struct fib_rule_hdr *frh = mnl_nlmsg_get_payload(nlh);
	struct ip_rule r;
	int err;

	if (nlh->nlmsg_type != RTM_NEWRULE)
		return MNL_CB_OK;
	err = ip_rule_parse(nlh, &r);
	if (err == -EAFNOSUPPORT)
		return MNL_CB_OK; /* multicast routing's rules */
	if (err) {
		/* a header too short to name the family: either */
		bool known = mnl_nlmsg_get_payload_len(nlh) >= sizeof(*frh);

		for (int f = 0; f < 2; f++)
			if (!known || frh->family == families[f])
				rf->fam[f].bad++;
		return MNL_CB_OK;
	}
	keep(&rf->fam[r.family == AF_INET6], &r);
	return MNL_CB_OK;
}

static uint32_t ifindex_of(const char *name)
{
	return if_nametoindex(name);
}

static bool table_proven(void *arg, uint8_t family, uint32_t table)
{
	struct rules_follow *rf = arg;
	char why[XR_PLAN_WHY_MAX];

	return table_follow_proven(rf->tables, family, table, why, sizeof(why));
}

/* The family's rules as the program would evaluate them; false when it
 * cannot (then every rule other than the defaults punts what it could
 * match). */
static bool compile(struct rules_follow *rf, int f, struct live_rules *out,
		    size_t *from)
{
	const struct ip_rules_env env = {.ifindex_of = ifindex_of,
					 .table_proven = table_proven,
					 .arg = rf};
	struct family_rules *fr = &rf->fam[f];
	int n;

	out->on = false;
	out->n = 0;
	if (!rf->maps)
		return false;
	n = ip_rules_compile(fr->v, fr->n, out->v, from, XR_RULES_MAX, &env);
	if (n < 0) {
		if (n != rf->last_compile_err[f])
			xr_notice("plan: the %s ip rules %s; they punt what "
				  "they could match",
				  f ? "ipv6" : "ipv4",
				  n == -E2BIG ? "are more than the fast path "
						"evaluates"
					      : "do not start with local and "
						"reach main");
		rf->last_compile_err[f] = n;
		return false;
	}
	rf->last_compile_err[f] = 0;
	out->n = (uint32_t)n;
	out->on = n > 0;
	return true;
}

/* Each non-default rule punts what it could match. */
static void state_punts(struct rules_follow *rf, int f)
{
	struct family_rules *fr = &rf->fam[f];
	char why[XR_PLAN_WHY_MAX];

	for (size_t i = 0; i < fr->n; i++) {
		const struct ip_rule *r = &fr->v[i];
		uint32_t ifindex = XR_PLAN_ALL_IFACES;

		switch (ip_rule_classify(r)) {
		case IP_RULE_DEFAULT:
			continue;
		case IP_RULE_PUNT_IIF:
			/* no such link yet: the rule matches nothing today,
			 * and a link event restates */
			ifindex = if_nametoindex(r->iif);
			if (!ifindex)
				continue;
			break;
		case IP_RULE_PUNT_FAMILY:
			break;
		}
		ip_rule_describe(r, why, sizeof(why));
		plan_set(rf->pl, XR_PLAN_RULES, ifindex, punt_flag(f), why);
	}
}

/* A rule as `ip rule` prints it; a lookup of a table that punts, with why
 * ("...: table 100 differs: 198.51.100.0/24 is a throw route"). */
static void describe(struct rules_follow *rf, const struct ip_rule *r,
		     char *why, size_t len)
{
	char t[XR_PLAN_WHY_MAX];
	size_t off;

	ip_rule_describe(r, why, len);
	if (r->action != FR_ACT_TO_TBL || r->table == RT_TABLE_MAIN ||
	    r->table == RT_TABLE_LOCAL)
		return;
	if (!rf->tables)
		snprintf(t, sizeof(t), "table %u not followed", r->table);
	else if (table_follow_proven(rf->tables, r->family, r->table, t,
				     sizeof(t)))
		return;
	off = strlen(why);
	if (off + 1 < len && snprintf(why + off, len - off, ": %s", t) < 0)
		why[off] = '\0';
}

/* Each compiled rule asks for the check where it could match. */
static void state_checks(struct rules_follow *rf, int f,
			 const struct live_rules *lr, const size_t *from)
{
	char why[XR_PLAN_WHY_MAX];

	for (uint32_t i = 0; i < lr->n; i++) {
		const struct xr_ip_rule *o = &lr->v[i];
		uint32_t ifindex = XR_PLAN_ALL_IFACES;

		if (ip_rule_compiled_iif_only(o)) {
			if (o->iif == XR_RULE_IIF_NONE)
				continue;
			ifindex = o->iif;
		}
		describe(rf, &rf->fam[f].v[from[i]], why, sizeof(why));
		plan_set(rf->pl, XR_PLAN_RULES, ifindex, check_flag(f), why);
	}
}

static bool family_readable(struct rules_follow *rf, int f)
{
	struct family_rules *fr = &rf->fam[f];
	char missing[64], why[XR_PLAN_WHY_MAX];

	if (fr->bad || fr->lost) {
		plan_set(rf->pl, XR_PLAN_RULES, XR_PLAN_ALL_IFACES,
			 punt_flag(f),
			 fr->lost ? "ip rules: not kept (out of memory)"
				  : "ip rules: unreadable rule");
		return false;
	}
	for (size_t i = 0; i < fr->n; i++)
		fr->seen |= ip_rule_default_bit(&fr->v[i]);
	if (ip_rule_defaults_missing(families[f], fr->seen, missing,
				     sizeof(missing))) {
		snprintf(why, sizeof(why), "ip rules %s: missing %s",
			 f ? "ipv6" : "ipv4", missing);
		plan_set(rf->pl, XR_PLAN_RULES, XR_PLAN_ALL_IFACES,
			 punt_flag(f), why);
		return false;
	}
	return true;
}

static void log_unreadable(struct rules_follow *rf)
{
	unsigned bad = rf->fam[0].bad + rf->fam[1].bad;

	if (bad && bad != rf->last_bad)
		xr_warn("plan: cannot read %u ip rule%s; punting %s", bad,
			bad == 1 ? "" : "s",
			!rf->fam[1].bad	  ? "ipv4"
			: !rf->fam[0].bad ? "ipv6"
					  : "both families");
	rf->unreadable += bad;
	rf->last_bad = bad;
}

/* The new rules go live before the plan's new flags. Each compiled rule
 * carries its own iif, so an interface checked under the old flags gets
 * the new rules' verdict, and one not yet checked the old one (no old rule
 * could match there): every packet sees the old configuration or the new,
 * as if it had come a moment earlier or later. ok[f] is cleared for a
 * family whose rules could not be written. */
static void publish(struct rules_follow *rf, struct live_rules *next, bool *ok)
{
	for (int f = 0; f < 2; f++) {
		int err;

		if (next[f].on == rf->live[f].on &&
		    next[f].n == rf->live[f].n &&
		    !memcmp(next[f].v, rf->live[f].v,
			    next[f].n * sizeof(next[f].v[0])))
			continue;
		err = xr_rules_publish(rf->maps, (uint32_t)f, next[f].v,
				       next[f].n);
		if (err) {
			xr_err("plan: cannot write the %s ip rules: %s; they "
			       "punt",
			       f ? "ipv6" : "ipv4", strerror(-err));
			ok[f] = false;
			continue;
		}
		rf->live[f] = next[f];
	}
}

static void resync(void *arg)
{
	struct rules_follow *rf = arg;
	struct live_rules *next = rf->next;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct fib_rule_hdr *frh;
	bool ok[2] = {false, false};
	int err;

	nlh->nlmsg_type = RTM_GETRULE;
	nlh->nlmsg_flags = NLM_F_DUMP;
	nlh->nlmsg_seq = ++rf->seq;
	frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
	frh->family = AF_UNSPEC; /* every family's rules */
	err = nl_dump_consistent(NETLINK_ROUTE, nlh, on_rule, dump_reset, rf);
	if (err) {
		if (err != rf->last_err)
			xr_err("plan: cannot dump the ip rules: %s; punting "
			       "everything until they can be read",
			       strerror(-err));
		rf->last_err = err;
		plan_begin(rf->pl, XR_PLAN_RULES);
		plan_set(rf->pl, XR_PLAN_RULES, XR_PLAN_ALL_IFACES,
			 XR_IF_F_RULES_V4 | XR_IF_F_RULES_V6,
			 "ip rules: not read");
		plan_commit(rf->pl, XR_PLAN_RULES);
		return;
	}
	rf->last_err = 0;
	log_unreadable(rf);
	for (int f = 0; f < 2; f++) {
		next[f] = (struct live_rules){0};
		if (!rf->fam[f].bad && !rf->fam[f].lost)
			ok[f] = compile(rf, f, &next[f], rf->from[f]);
	}
	if (rf->maps)
		publish(rf, next, ok);
	plan_begin(rf->pl, XR_PLAN_RULES);
	for (int f = 0; f < 2; f++) {
		if (!family_readable(rf, f))
			continue;
		if (ok[f])
			state_checks(rf, f, &next[f], rf->from[f]);
		else
			state_punts(rf, f);
	}
	plan_commit(rf->pl, XR_PLAN_RULES);
}

int rules_follow_new(struct rules_follow **out, struct event_base *base,
		     struct plan *pl, const struct xr_maps *maps)
{
	static const unsigned groups[] = {RTNLGRP_IPV4_RULE, RTNLGRP_IPV6_RULE};
	struct rules_follow *rf = calloc(1, sizeof(*rf));
	int err;

	if (!rf)
		return -ENOMEM;
	rf->pl = pl;
	rf->maps = maps;
	rf->seq = time(NULL);
	plan_expect(pl, XR_PLAN_RULES);
	err = nl_follow_new(&rf->nl, base, NETLINK_ROUTE, groups, 2, resync, rf,
			    "ip rules");
	if (err) {
		rules_follow_free(rf);
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
	for (int f = 0; f < 2; f++)
		free(rf->fam[f].v);
	free(rf);
}

void rules_follow_set_tables(struct rules_follow *rf, struct table_follow *tf)
{
	if (!rf)
		return;
	rf->tables = tf;
	resync(rf);
}

void rules_follow_tables_changed(struct rules_follow *rf)
{
	if (rf)
		resync(rf);
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
