// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <net/if.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>

#include "xdp_router_abi.h"
#include "util/log.h"
#include "kernel/nft_plan.h"
#include "kernel/nft_stateful.h"
#include "kernel/nl_follow.h"
#include "kernel/nft_follow.h"

struct rule_entry {
	struct nftnl_rule *r; /* NULL: not even its chain could be read */
	bool unreadable;      /* its chain is known, its expressions not */
};

struct ruleset {
	struct nftnl_chain **chains;
	size_t nchains, cap_chains;
	struct rule_entry *rules;
	size_t nrules, cap_rules;
	/* with their elements: the stateful analysis reads the ct states a
	 * rule looks up (`ct state { established, related }`) */
	struct nftnl_set **sets;
	size_t nsets, cap_sets;
	bool lost; /* out of memory while reading: punt everything */
};

struct nft_follow {
	struct plan *pl;
	struct nl_follow *nl;
	struct ruleset rs;
	uint64_t unreadable;
	unsigned seq;
};

static void ruleset_clear(void *arg)
{
	struct ruleset *rs = arg;

	for (size_t i = 0; i < rs->nchains; i++)
		nftnl_chain_free(rs->chains[i]);
	for (size_t i = 0; i < rs->nrules; i++)
		if (rs->rules[i].r)
			nftnl_rule_free(rs->rules[i].r);
	for (size_t i = 0; i < rs->nsets; i++)
		nftnl_set_free(rs->sets[i]);
	rs->nchains = rs->nrules = rs->nsets = 0;
	rs->lost = false;
}

static bool grow(void **v, size_t *cap, size_t n, size_t size)
{
	void *nv;

	if (n < *cap)
		return true;
	nv = realloc(*v, (*cap ? 2 * *cap : 32) * size);
	if (!nv)
		return false;
	*v = nv;
	*cap = *cap ? 2 * *cap : 32;
	return true;
}

static int on_chain(const struct nlmsghdr *nlh, void *arg)
{
	struct ruleset *rs = arg;
	struct nftnl_chain *c = nftnl_chain_alloc();

	if (!c || !grow((void **)&rs->chains, &rs->cap_chains, rs->nchains,
			sizeof(*rs->chains))) {
		nftnl_chain_free(c);
		rs->lost = true;
		return MNL_CB_OK;
	}
	if (nftnl_chain_nlmsg_parse(nlh, c) < 0) {
		/* a chain we cannot read could be a base chain anywhere */
		nftnl_chain_free(c);
		rs->lost = true;
		return MNL_CB_OK;
	}
	rs->chains[rs->nchains++] = c;
	return MNL_CB_OK;
}

static int on_rule(const struct nlmsghdr *nlh, void *arg)
{
	struct ruleset *rs = arg;
	struct nftnl_rule *r = nftnl_rule_alloc();
	bool unreadable = false;

	if (!r || !grow((void **)&rs->rules, &rs->cap_rules, rs->nrules,
			sizeof(*rs->rules))) {
		nftnl_rule_free(r);
		rs->lost = true;
		return MNL_CB_OK;
	}
	if (nftnl_rule_nlmsg_parse(nlh, r) < 0) {
		/* Keep what identifies it, if anything: its chain punts
		 * whole. With no chain known it stays NULL: everything. */
		unreadable = true;
		if (!nftnl_rule_is_set(r, NFTNL_RULE_CHAIN) ||
		    !nftnl_rule_is_set(r, NFTNL_RULE_TABLE) ||
		    !nftnl_rule_is_set(r, NFTNL_RULE_FAMILY)) {
			nftnl_rule_free(r);
			r = NULL;
		}
	}
	rs->rules[rs->nrules].r = r;
	rs->rules[rs->nrules++].unreadable = unreadable;
	return MNL_CB_OK;
}

static int on_set(const struct nlmsghdr *nlh, void *arg)
{
	struct ruleset *rs = arg;
	struct nftnl_set *s = nftnl_set_alloc();

	if (!s ||
	    !grow((void **)&rs->sets, &rs->cap_sets, rs->nsets,
		  sizeof(*rs->sets)) ||
	    nftnl_set_nlmsg_parse(nlh, s) < 0) {
		/* a set we cannot read is one a rule may look up */
		nftnl_set_free(s);
		rs->lost = true;
		return MNL_CB_OK;
	}
	rs->sets[rs->nsets++] = s;
	return MNL_CB_OK;
}

static int on_elems(const struct nlmsghdr *nlh, void *arg)
{
	return nftnl_set_elems_nlmsg_parse(nlh, arg) < 0 ? MNL_CB_ERROR
							 : MNL_CB_OK;
}

static int dump(struct nft_follow *nf, uint16_t type, mnl_cb_t cb)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(buf, type, NFPROTO_UNSPEC,
						     NLM_F_DUMP, ++nf->seq);

	return nl_dump(NETLINK_NETFILTER, nlh, cb, &nf->rs);
}

static int dump_elems(struct nft_follow *nf, struct nftnl_set *s)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(
		buf, NFT_MSG_GETSETELEM, nftnl_set_get_u32(s, NFTNL_SET_FAMILY),
		NLM_F_DUMP, ++nf->seq);

	nftnl_set_elems_nlmsg_build_payload(nlh, s);
	return nl_dump(NETLINK_NETFILTER, nlh, on_elems, s);
}

static int read_ruleset(struct nft_follow *nf)
{
	int err = -EINTR;

	for (int tries = 0; tries < 5 && err == -EINTR; tries++) {
		ruleset_clear(&nf->rs);
		err = dump(nf, NFT_MSG_GETCHAIN, on_chain);
		if (!err)
			err = dump(nf, NFT_MSG_GETRULE, on_rule);
		if (!err)
			err = dump(nf, NFT_MSG_GETSET, on_set);
		for (size_t i = 0; !err && i < nf->rs.nsets; i++)
			err = dump_elems(nf, nf->rs.sets[i]);
	}
	return err;
}

static bool same_str(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static void plan_punt(struct nft_follow *nf, const struct nft_punt *p,
		      const char *why)
{
	struct if_nameindex *names, *n;
	uint32_t ifindex;

	switch (p->kind) {
	case NFT_IF_ALL:
		plan_set(nf->pl, XR_PLAN_NFTABLES, XR_PLAN_ALL_IFACES, p->flags,
			 why);
		return;
	case NFT_IF_INDEX:
		plan_set(nf->pl, XR_PLAN_NFTABLES, p->ifindex, p->flags, why);
		return;
	case NFT_IF_NAME:
		/* none of that name yet: nothing it could see today; a link
		 * event restates */
		ifindex = if_nametoindex(p->ifname);
		if (ifindex)
			plan_set(nf->pl, XR_PLAN_NFTABLES, ifindex, p->flags,
				 why);
		return;
	case NFT_IF_PREFIX:
		names = if_nameindex();
		if (!names) {
			plan_set(nf->pl, XR_PLAN_NFTABLES, XR_PLAN_ALL_IFACES,
				 p->flags, why);
			return;
		}
		for (n = names; n->if_index; n++)
			if (!strncmp(n->if_name, p->ifname, strlen(p->ifname)))
				plan_set(nf->pl, XR_PLAN_NFTABLES, n->if_index,
					 p->flags, why);
		if_freenameindex(names);
		return;
	}
}

/* Room for one table's objects, as the stateful analysis takes them. */
struct table_scratch {
	const struct nftnl_chain **chains;
	const struct nftnl_rule **rules;
	const struct nftnl_set **sets;
};

static bool in_table(uint32_t fam, const char *table, uint32_t of_fam,
		     const char *of_table)
{
	return fam == of_fam && same_str(table, of_table);
}

/* Whether chain c of that table accepts every established packet of the
 * family. A table with a rule it cannot read proves nothing: the rule may
 * be in any chain the walk reaches. */
static bool ct_accepts(struct nft_follow *nf, struct table_scratch *ts,
		       const struct nftnl_chain *c, uint32_t family)
{
	uint32_t fam = nftnl_chain_get_u32(c, NFTNL_CHAIN_FAMILY);
	const char *table = nftnl_chain_get_str(c, NFTNL_CHAIN_TABLE);
	struct nft_stateful_table t = {0};

	for (size_t i = 0; i < nf->rs.nchains; i++) {
		const struct nftnl_chain *o = nf->rs.chains[i];

		if (in_table(fam, table,
			     nftnl_chain_get_u32(o, NFTNL_CHAIN_FAMILY),
			     nftnl_chain_get_str(o, NFTNL_CHAIN_TABLE)))
			ts->chains[t.n_chains++] = o;
	}
	for (size_t i = 0; i < nf->rs.nrules; i++) {
		const struct nftnl_rule *r = nf->rs.rules[i].r;

		if (!r)
			return false; /* of no known chain: maybe this one */
		if (!in_table(fam, table,
			      nftnl_rule_get_u32(r, NFTNL_RULE_FAMILY),
			      nftnl_rule_get_str(r, NFTNL_RULE_TABLE)))
			continue;
		if (nf->rs.rules[i].unreadable)
			return false;
		ts->rules[t.n_rules++] = r;
	}
	for (size_t i = 0; i < nf->rs.nsets; i++) {
		const struct nftnl_set *s = nf->rs.sets[i];

		if (in_table(fam, table, nftnl_set_get_u32(s, NFTNL_SET_FAMILY),
			     nftnl_set_get_str(s, NFTNL_SET_TABLE)))
			ts->sets[t.n_sets++] = s;
	}
	t.chains = ts->chains;
	t.rules = ts->rules;
	t.sets = ts->sets;
	return nft_stateful_accepts(&t, c, family, NULL, 0);
}

static void plan_chain(struct nft_follow *nf, struct nftnl_chain *c,
		       struct nftnl_rule **tmp, struct table_scratch *ts)
{
	const char *family_table = nftnl_chain_get_str(c, NFTNL_CHAIN_TABLE);
	const char *name = nftnl_chain_get_str(c, NFTNL_CHAIN_NAME);
	uint32_t family = nftnl_chain_get_u32(c, NFTNL_CHAIN_FAMILY);
	const char *dev[1];
	struct nft_chain_view v = {
		.family = family,
		.table = family_table ? family_table : "?",
		.name = name ? name : "?",
		.hooknum = nftnl_chain_get_u32(c, NFTNL_CHAIN_HOOKNUM),
		.policy_drop =
			nftnl_chain_is_set(c, NFTNL_CHAIN_POLICY) &&
			nftnl_chain_get_u32(c, NFTNL_CHAIN_POLICY) == NF_DROP,
		.priority = nftnl_chain_get_s32(c, NFTNL_CHAIN_PRIO),
	};
	struct nft_chain_plan out;
	size_t n = 0;

	if (nftnl_chain_is_set(c, NFTNL_CHAIN_DEVICES)) {
		const char *const *devs =
			nftnl_chain_get_array(c, NFTNL_CHAIN_DEVICES);

		while (devs && devs[v.ndevs])
			v.ndevs++;
		v.devs = devs;
	} else if (nftnl_chain_is_set(c, NFTNL_CHAIN_DEV)) {
		dev[0] = nftnl_chain_get_str(c, NFTNL_CHAIN_DEV);
		v.devs = dev;
		v.ndevs = 1;
	}
	for (size_t i = 0; i < nf->rs.nrules; i++) {
		struct nftnl_rule *r = nf->rs.rules[i].r;

		if (!r || nftnl_rule_get_u32(r, NFTNL_RULE_FAMILY) != family ||
		    !same_str(nftnl_rule_get_str(r, NFTNL_RULE_TABLE),
			      family_table) ||
		    !same_str(nftnl_rule_get_str(r, NFTNL_RULE_CHAIN), name))
			continue;
		tmp[n++] = nf->rs.rules[i].unreadable ? NULL : r;
	}
	if (n && nft_chain_after_conntrack(&v)) {
		v.ct_accepts_v4 = family != NFPROTO_IPV6 &&
				  ct_accepts(nf, ts, c, NFPROTO_IPV4);
		v.ct_accepts_v6 = family != NFPROTO_IPV4 &&
				  ct_accepts(nf, ts, c, NFPROTO_IPV6);
	}
	nft_chain_plan(&v, tmp, n, &out);
	if (out.unparsed) {
		nf->unreadable += out.unparsed;
		xr_warn("plan: %s: cannot read %u rule%s; punting what the "
			"chain could see",
			out.why, out.unparsed, out.unparsed == 1 ? "" : "s");
	}
	for (size_t i = 0; i < out.n; i++)
		plan_punt(nf, &out.punt[i], out.why);
}

static void restate(struct nft_follow *nf)
{
	struct nftnl_rule **tmp =
		calloc(nf->rs.nrules + 1, sizeof(struct nftnl_rule *));
	struct table_scratch ts = {
		.chains = calloc(nf->rs.nchains + 1, sizeof(*ts.chains)),
		.rules = calloc(nf->rs.nrules + 1, sizeof(*ts.rules)),
		.sets = calloc(nf->rs.nsets + 1, sizeof(*ts.sets)),
	};
	size_t orphans = 0;

	plan_begin(nf->pl, XR_PLAN_NFTABLES);
	if (!tmp || !ts.chains || !ts.rules || !ts.sets || nf->rs.lost) {
		plan_set(nf->pl, XR_PLAN_NFTABLES, XR_PLAN_ALL_IFACES,
			 XR_IF_PLAN_PUNT_ALL, "nftables: ruleset not read");
		goto commit;
	}
	for (size_t i = 0; i < nf->rs.nrules; i++)
		orphans += !nf->rs.rules[i].r;
	if (orphans) {
		nf->unreadable += orphans;
		xr_warn("plan: nftables: %zu rule%s of no known chain cannot "
			"be read; punting everything",
			orphans, orphans == 1 ? "" : "s");
		plan_set(nf->pl, XR_PLAN_NFTABLES, XR_PLAN_ALL_IFACES,
			 XR_IF_PLAN_PUNT_ALL, "nftables: unreadable rule");
	}
	for (size_t i = 0; i < nf->rs.nchains; i++)
		if (nftnl_chain_is_set(nf->rs.chains[i], NFTNL_CHAIN_HOOKNUM))
			plan_chain(nf, nf->rs.chains[i], tmp, &ts);
commit:
	free(tmp);
	free(ts.chains);
	free(ts.rules);
	free(ts.sets);
	plan_commit(nf->pl, XR_PLAN_NFTABLES);
}

static void resync(void *arg)
{
	struct nft_follow *nf = arg;
	int err = read_ruleset(nf);

	if (err) {
		xr_err("plan: cannot dump the nftables ruleset: %s; punting "
		       "everything until it can be read",
		       strerror(-err));
		nf->rs.lost = true;
	}
	restate(nf);
}

int nft_follow_new(struct nft_follow **out, struct event_base *base,
		   struct plan *pl)
{
	static const unsigned groups[] = {NFNLGRP_NFTABLES};
	struct nft_follow *nf = calloc(1, sizeof(*nf));
	int err;

	if (!nf)
		return -ENOMEM;
	nf->pl = pl;
	plan_expect(pl, XR_PLAN_NFTABLES);
	err = nl_follow_new(&nf->nl, base, NETLINK_NETFILTER, groups, 1, resync,
			    nf, "nftables");
	if (err) {
		nft_follow_free(nf);
		return err;
	}
	*out = nf;
	return 0;
}

void nft_follow_free(struct nft_follow *nf)
{
	if (!nf)
		return;
	nl_follow_free(nf->nl);
	ruleset_clear(&nf->rs);
	free(nf->rs.chains);
	free(nf->rs.rules);
	free(nf->rs.sets);
	free(nf);
}

void nft_follow_links_changed(struct nft_follow *nf)
{
	/* the ruleset is unchanged: only the names resolve anew */
	if (nf)
		restate(nf);
}

uint64_t nft_follow_unreadable(const struct nft_follow *nf)
{
	return nf ? nf->unreadable : 0;
}
