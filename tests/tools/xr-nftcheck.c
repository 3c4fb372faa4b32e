// SPDX-License-Identifier: GPL-2.0-only
/*
 * xr-nftcheck: dump the nftables ruleset of the current network namespace
 * with libnftnl (chains, rules, sets and their elements) and print, for
 * every base chain, the verdict of the stateful analysis
 * (dataplane/kernel/nft_stateful.h):
 *
 *   xr-nftcheck [4|6]       (the packet's family, IPv4 by default)
 *   FAMILY TABLE CHAIN certain
 *   FAMILY TABLE CHAIN uncertain: WHY
 *
 * A test tool: the daemon's nftables follower calls the analysis itself.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/chain.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>

#include "kernel/nft_plan.h"
#include "kernel/nft_stateful.h"

struct objs {
	void **v;
	size_t n, cap;
};

static int push(struct objs *o, void *p)
{
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 16;
		void **v = realloc(o->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		o->v = v;
		o->cap = cap;
	}
	o->v[o->n++] = p;
	return 0;
}

struct dump {
	struct mnl_socket *nl;
	uint32_t portid, seq;
};

typedef int (*parse_fn)(const struct nlmsghdr *nlh, void *obj);

struct collect {
	struct objs *out;
	void *(*alloc)(void);
	parse_fn parse;
	void *into; /* set elements: parsed into this set */
};

static int collect_cb(const struct nlmsghdr *nlh, void *data)
{
	struct collect *c = data;
	void *obj;

	if (c->into)
		return c->parse(nlh, c->into) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
	obj = c->alloc();
	if (!obj || c->parse(nlh, obj) < 0 || push(c->out, obj))
		return MNL_CB_ERROR;
	return MNL_CB_OK;
}

static int run(struct dump *d, struct nlmsghdr *nlh, struct collect *c)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int n;

	if (mnl_socket_sendto(d->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	while ((n = mnl_socket_recvfrom(d->nl, buf, sizeof(buf))) > 0) {
		n = mnl_cb_run(buf, n, d->seq, d->portid, collect_cb, c);
		if (n <= MNL_CB_STOP)
			break;
	}
	return n < 0 ? -errno : 0;
}

static void *chain_alloc(void)
{
	return nftnl_chain_alloc();
}
static void *rule_alloc(void)
{
	return nftnl_rule_alloc();
}
static void *set_alloc(void)
{
	return nftnl_set_alloc();
}
static int chain_parse(const struct nlmsghdr *n, void *o)
{
	return nftnl_chain_nlmsg_parse(n, o);
}
static int rule_parse(const struct nlmsghdr *n, void *o)
{
	return nftnl_rule_nlmsg_parse(n, o);
}
static int set_parse(const struct nlmsghdr *n, void *o)
{
	return nftnl_set_nlmsg_parse(n, o);
}
static int elems_parse(const struct nlmsghdr *n, void *o)
{
	return nftnl_set_elems_nlmsg_parse(n, o);
}

static int dump_all(struct dump *d, struct objs *chains, struct objs *rules,
		    struct objs *sets)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct collect c;
	int err;

	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETCHAIN, NFPROTO_UNSPEC,
				    NLM_F_DUMP, ++d->seq);
	c = (struct collect){chains, chain_alloc, chain_parse, NULL};
	err = run(d, nlh, &c);
	if (err)
		return err;
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETRULE, NFPROTO_UNSPEC,
				    NLM_F_DUMP, ++d->seq);
	c = (struct collect){rules, rule_alloc, rule_parse, NULL};
	err = run(d, nlh, &c);
	if (err)
		return err;
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETSET, NFPROTO_UNSPEC,
				    NLM_F_DUMP, ++d->seq);
	c = (struct collect){sets, set_alloc, set_parse, NULL};
	err = run(d, nlh, &c);
	if (err)
		return err;
	for (size_t i = 0; i < sets->n; i++) {
		struct nftnl_set *s = sets->v[i];

		nlh = nftnl_nlmsg_build_hdr(
			buf, NFT_MSG_GETSETELEM,
			nftnl_set_get_u32(s, NFTNL_SET_FAMILY), NLM_F_DUMP,
			++d->seq);
		nftnl_set_elems_nlmsg_build_payload(nlh, s);
		c = (struct collect){NULL, NULL, elems_parse, s};
		err = run(d, nlh, &c);
		if (err)
			return err;
	}
	return 0;
}

/* Objects of one table: the view the analysis takes. */
static void table_of(struct objs *all, uint32_t fam, const char *table,
		     uint16_t fam_attr, uint16_t table_attr,
		     const char *(*get_str)(const void *, uint16_t),
		     uint32_t (*get_u32)(const void *, uint16_t),
		     struct objs *out)
{
	out->n = 0;
	for (size_t i = 0; i < all->n; i++)
		if (get_u32(all->v[i], fam_attr) == fam &&
		    !strcmp(get_str(all->v[i], table_attr), table))
			push(out, all->v[i]);
}

static const char *c_str(const void *o, uint16_t a)
{
	return nftnl_chain_get_str(o, a);
}
static uint32_t c_u32(const void *o, uint16_t a)
{
	return nftnl_chain_get_u32(o, a);
}
static const char *r_str(const void *o, uint16_t a)
{
	return nftnl_rule_get_str(o, a);
}
static uint32_t r_u32(const void *o, uint16_t a)
{
	return nftnl_rule_get_u32(o, a);
}
static const char *s_str(const void *o, uint16_t a)
{
	return nftnl_set_get_str(o, a);
}
static uint32_t s_u32(const void *o, uint16_t a)
{
	return nftnl_set_get_u32(o, a);
}

int main(int argc, char **argv)
{
	uint32_t family = NFPROTO_IPV4;
	struct objs chains = {0}, rules = {0}, sets = {0};
	struct objs tc = {0}, tr = {0}, ts = {0};
	struct dump d = {.seq = (uint32_t)time(NULL)};
	int err;

	if (argc > 1 && !strcmp(argv[1], "6")) {
		family = NFPROTO_IPV6;
	} else if (argc > 1 && strcmp(argv[1], "4")) {
		fprintf(stderr, "usage: xr-nftcheck [4|6]\n");
		return 2;
	}
	d.nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!d.nl || mnl_socket_bind(d.nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("xr-nftcheck: netlink");
		return 1;
	}
	d.portid = mnl_socket_get_portid(d.nl);
	err = dump_all(&d, &chains, &rules, &sets);
	if (err) {
		fprintf(stderr, "xr-nftcheck: dump: %s\n", strerror(-err));
		return 1;
	}
	for (size_t i = 0; i < chains.n; i++) {
		struct nftnl_chain *c = chains.v[i];
		uint32_t fam = nftnl_chain_get_u32(c, NFTNL_CHAIN_FAMILY);
		const char *table = nftnl_chain_get_str(c, NFTNL_CHAIN_TABLE);
		struct nft_stateful_table t;
		char why[160];
		bool ok;

		if (!nftnl_chain_is_set(c, NFTNL_CHAIN_HOOKNUM))
			continue;
		table_of(&chains, fam, table, NFTNL_CHAIN_FAMILY,
			 NFTNL_CHAIN_TABLE, c_str, c_u32, &tc);
		table_of(&rules, fam, table, NFTNL_RULE_FAMILY,
			 NFTNL_RULE_TABLE, r_str, r_u32, &tr);
		table_of(&sets, fam, table, NFTNL_SET_FAMILY, NFTNL_SET_TABLE,
			 s_str, s_u32, &ts);
		t = (struct nft_stateful_table){
			.chains = (const struct nftnl_chain *const *)tc.v,
			.n_chains = tc.n,
			.rules = (const struct nftnl_rule *const *)tr.v,
			.n_rules = tr.n,
			.sets = (const struct nftnl_set *const *)ts.v,
			.n_sets = ts.n,
		};
		ok = nft_stateful_accepts(&t, c, family, why, sizeof(why));
		printf("%s %s %s %s%s%s\n", nft_family_name(fam), table,
		       nftnl_chain_get_str(c, NFTNL_CHAIN_NAME),
		       ok ? "certain" : "uncertain", ok ? "" : ": ",
		       ok ? "" : why);
	}
	for (size_t i = 0; i < chains.n; i++)
		nftnl_chain_free(chains.v[i]);
	for (size_t i = 0; i < rules.n; i++)
		nftnl_rule_free(rules.v[i]);
	for (size_t i = 0; i < sets.n; i++)
		nftnl_set_free(sets.v[i]);
	free(chains.v);
	free(rules.v);
	free(sets.v);
	free(tc.v);
	free(tr.v);
	free(ts.v);
	mnl_socket_close(d.nl);
	return 0;
}
