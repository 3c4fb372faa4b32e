// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>

#include "xdp_router_abi.h"
#include "kernel/nft_plan.h"

#define PUNT_IN (XR_IF_F_PUNT_IN_V4 | XR_IF_F_PUNT_IN_V6)
#define PUNT_OUT (XR_IF_F_PUNT_OUT_V4 | XR_IF_F_PUNT_OUT_V6)

struct scope_walk {
	struct nft_rule_scope *out;
	uint32_t reg, key; /* the meta key last loaded, and where */
	bool have_key, done;
};

/* Loads and matches: what may come before the interface match without the
 * rule having done anything to a packet that fails it. */
static bool is_pure_match(struct nftnl_expr *e, const char *name)
{
	if (!strcmp(name, "meta"))
		return nftnl_expr_is_set(e, NFTNL_EXPR_META_DREG);
	if (!strcmp(name, "lookup"))
		return !nftnl_expr_is_set(e, NFTNL_EXPR_LOOKUP_DREG);
	return !strcmp(name, "cmp") || !strcmp(name, "payload") ||
	       !strcmp(name, "bitwise") || !strcmp(name, "range") ||
	       !strcmp(name, "ct") || !strcmp(name, "exthdr");
}

static void scope_cmp(struct scope_walk *w, struct nftnl_expr *e)
{
	struct nft_rule_scope *s = w->out;
	uint32_t len = 0;
	const char *data;

	if (!w->have_key ||
	    nftnl_expr_get_u32(e, NFTNL_EXPR_CMP_SREG) != w->reg ||
	    nftnl_expr_get_u32(e, NFTNL_EXPR_CMP_OP) != NFT_CMP_EQ)
		return;
	data = nftnl_expr_get(e, NFTNL_EXPR_CMP_DATA, &len);
	if (!data)
		return;
	memset(&s->where, 0, sizeof(s->where));
	switch (w->key) {
	case NFT_META_IIF:
	case NFT_META_OIF:
		if (len != sizeof(uint32_t))
			return;
		s->where.kind = NFT_IF_INDEX;
		memcpy(&s->where.ifindex, data, sizeof(uint32_t));
		break;
	case NFT_META_IIFNAME:
	case NFT_META_OIFNAME: {
		/* nft compares the name with its NUL; a wildcard "eth*"
		 * compares the prefix only */
		size_t n = strnlen(data, len);

		if (!n || n > IFNAMSIZ)
			return;
		s->where.kind = n < len ? NFT_IF_NAME : NFT_IF_PREFIX;
		memcpy(s->where.ifname, data, n);
		s->where.ifname[n] = 0;
		break;
	}
	default:
		return;
	}
	s->limited = true;
	s->out = w->key == NFT_META_OIF || w->key == NFT_META_OIFNAME;
	w->done = true;
}

static int scope_expr(struct nftnl_expr *e, void *arg)
{
	struct scope_walk *w = arg;
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);

	if (w->done)
		return 0;
	if (!name || !is_pure_match(e, name)) {
		w->done = true; /* an effect before any interface match */
		return 0;
	}
	if (!strcmp(name, "cmp")) {
		scope_cmp(w, e);
		return 0;
	}
	/* anything else writing a register hides what was loaded there */
	w->have_key = false;
	if (!strcmp(name, "meta")) {
		w->key = nftnl_expr_get_u32(e, NFTNL_EXPR_META_KEY);
		w->reg = nftnl_expr_get_u32(e, NFTNL_EXPR_META_DREG);
		w->have_key = true;
	}
	return 0;
}

void nft_rule_scope(struct nftnl_rule *r, struct nft_rule_scope *out)
{
	struct scope_walk w = {.out = out};

	memset(out, 0, sizeof(*out));
	nftnl_expr_foreach(r, scope_expr, &w);
}

/* What a chain at this hook could see: the side it punts, the families,
 * and whether interface matches can narrow it. 0 = a hook no forwarded
 * packet crosses. */
static uint32_t hook_punts(const struct nft_chain_view *c, bool *narrow_in,
			   bool *narrow_out)
{
	uint32_t fam, side;

	*narrow_in = *narrow_out = false;
	switch (c->family) {
	case NFPROTO_IPV4:
		fam = XR_IF_F_PUNT_IN_V4 | XR_IF_F_PUNT_OUT_V4;
		break;
	case NFPROTO_IPV6:
		fam = XR_IF_F_PUNT_IN_V6 | XR_IF_F_PUNT_OUT_V6;
		break;
	case NFPROTO_INET:
	case NFPROTO_BRIDGE: /* bridged ports: both, conservatively */
	case NFPROTO_NETDEV:
		fam = PUNT_IN | PUNT_OUT;
		break;
	default:
		return 0; /* arp: never forwarded */
	}
	if (c->family == NFPROTO_NETDEV) {
		if (c->hooknum == NF_NETDEV_INGRESS)
			side = PUNT_IN;
		else if (c->hooknum == NF_NETDEV_EGRESS)
			side = PUNT_OUT;
		else
			return 0;
		return fam & side;
	}
	switch (c->hooknum) {
	case NF_INET_PRE_ROUTING:
		/* no output interface is known before routing */
		*narrow_in = true;
		side = PUNT_IN;
		break;
	case NF_INET_FORWARD:
		*narrow_in = *narrow_out = true;
		side = PUNT_IN;
		break;
	case NF_INET_POST_ROUTING:
		*narrow_in = *narrow_out = true;
		side = PUNT_OUT;
		break;
	case NF_INET_INGRESS:
		side = c->family == NFPROTO_INET ? PUNT_IN : 0;
		break;
	default:
		return 0; /* input, output: local traffic, punted anyway */
	}
	return fam & side;
}

const char *nft_family_name(uint32_t f)
{
	switch (f) {
	case NFPROTO_IPV4:
		return "ip";
	case NFPROTO_IPV6:
		return "ip6";
	case NFPROTO_INET:
		return "inet";
	case NFPROTO_NETDEV:
		return "netdev";
	case NFPROTO_BRIDGE:
		return "bridge";
	case NFPROTO_ARP:
		return "arp";
	}
	return "?";
}

static void add_punt(struct nft_chain_plan *out, const struct nft_punt *where,
		     uint32_t flags)
{
	struct nft_punt *p;

	for (size_t i = 0; i < out->n; i++) {
		p = &out->punt[i];
		if (p->kind == where->kind && p->ifindex == where->ifindex &&
		    !strcmp(p->ifname, where->ifname)) {
			p->flags |= flags;
			return;
		}
	}
	if (out->n == NFT_PUNTS_MAX) {
		/* too many to list: all of them, which is what they could
		 * add up to */
		struct nft_punt all = {.kind = NFT_IF_ALL};
		uint32_t sum = flags;

		for (size_t i = 0; i < out->n; i++)
			sum |= out->punt[i].flags;
		out->punt[0] = all;
		out->punt[0].flags = sum;
		out->n = 1;
		return;
	}
	p = &out->punt[out->n++];
	*p = *where;
	p->flags = flags;
}

static void punt_chain_scope(const struct nft_chain_view *c, uint32_t flags,
			     struct nft_chain_plan *out)
{
	struct nft_punt where = {.kind = NFT_IF_ALL};

	if (!c->ndevs) {
		add_punt(out, &where, flags);
		return;
	}
	for (size_t i = 0; i < c->ndevs; i++) {
		where.kind = NFT_IF_NAME;
		snprintf(where.ifname, sizeof(where.ifname), "%s", c->devs[i]);
		add_punt(out, &where, flags);
	}
}

/* The same families on the ingress or the egress side. */
static uint32_t side_of(uint32_t flags, bool out)
{
	bool v4 = flags & (XR_IF_F_PUNT_IN_V4 | XR_IF_F_PUNT_OUT_V4);
	bool v6 = flags & (XR_IF_F_PUNT_IN_V6 | XR_IF_F_PUNT_OUT_V6);

	if (out)
		return (v4 ? XR_IF_F_PUNT_OUT_V4 : 0) |
		       (v6 ? XR_IF_F_PUNT_OUT_V6 : 0);
	return (v4 ? XR_IF_F_PUNT_IN_V4 : 0) | (v6 ? XR_IF_F_PUNT_IN_V6 : 0);
}

bool nft_chain_after_conntrack(const struct nft_chain_view *c)
{
	if (c->family != NFPROTO_IPV4 && c->family != NFPROTO_IPV6 &&
	    c->family != NFPROTO_INET)
		return false; /* netdev: before it; bridge: its own */
	switch (c->hooknum) {
	case NF_INET_PRE_ROUTING:
		/* equal priorities run in no promised order */
		return c->priority > NFT_PRI_CONNTRACK;
	case NF_INET_FORWARD:
	case NF_INET_POST_ROUTING:
		return true;
	default:
		return false;
	}
}

/* A proven chain's punts become conntrack checks, family by family: the
 * checks made, XR_IF_F_CT_*. */
static uint32_t to_conntrack(const struct nft_chain_view *c,
			     struct nft_chain_plan *out)
{
	uint32_t v4 =
		c->ct_accepts_v4 ? XR_IF_F_PUNT_IN_V4 | XR_IF_F_PUNT_OUT_V4 : 0;
	uint32_t v6 =
		c->ct_accepts_v6 ? XR_IF_F_PUNT_IN_V6 | XR_IF_F_PUNT_OUT_V6 : 0;
	uint32_t made = 0;

	if (out->unparsed || !(v4 | v6) || !nft_chain_after_conntrack(c))
		return 0;
	for (size_t i = 0; i < out->n; i++) {
		uint32_t *f = &out->punt[i].flags, ct = 0;

		if (*f & v4 & XR_IF_F_PUNT_IN_V4)
			ct |= XR_IF_F_CT_IN_V4;
		if (*f & v4 & XR_IF_F_PUNT_OUT_V4)
			ct |= XR_IF_F_CT_OUT_V4;
		if (*f & v6 & XR_IF_F_PUNT_IN_V6)
			ct |= XR_IF_F_CT_IN_V6;
		if (*f & v6 & XR_IF_F_PUNT_OUT_V6)
			ct |= XR_IF_F_CT_OUT_V6;
		*f = (*f & ~(v4 | v6)) | ct;
		made |= ct;
	}
	return made;
}

/* ", conntrack check", naming the family when the chain sees both and only
 * one is checked. */
static const char *ct_text(const struct nft_chain_view *c, uint32_t made)
{
	bool v4 = made & (XR_IF_F_CT_IN_V4 | XR_IF_F_CT_OUT_V4);
	bool v6 = made & (XR_IF_F_CT_IN_V6 | XR_IF_F_CT_OUT_V6);

	if (!made)
		return "";
	if (c->family != NFPROTO_INET || (v4 && v6))
		return ", conntrack check";
	return v4 ? ", conntrack check ipv4" : ", conntrack check ipv6";
}

void nft_chain_plan(const struct nft_chain_view *c, struct nftnl_rule **rules,
		    size_t nrules, struct nft_chain_plan *out)
{
	bool narrow_in, narrow_out;
	uint32_t flags = hook_punts(c, &narrow_in, &narrow_out), ct;
	int off;

	memset(out, 0, sizeof(*out));
	if (!flags || (!nrules && !c->policy_drop))
		return;
	off = snprintf(out->why, sizeof(out->why),
		       "nftables %s %s %s: ", nft_family_name(c->family),
		       c->table, c->name);
	if (off < 0 || (size_t)off >= sizeof(out->why))
		off = sizeof(out->why) - 1;
	for (size_t i = 0; i < nrules; i++)
		if (!rules[i])
			out->unparsed++;
	if (c->policy_drop || out->unparsed || c->ndevs) {
		/* the policy sees everything; an unreadable rule could
		 * match anything; a device's chain is that device's */
		punt_chain_scope(c, flags, out);
	} else {
		for (size_t i = 0; i < nrules; i++) {
			struct nft_rule_scope s;

			nft_rule_scope(rules[i], &s);
			if (s.limited && (s.out ? narrow_out : narrow_in))
				add_punt(out, &s.where, side_of(flags, s.out));
			else
				punt_chain_scope(c, flags, out);
		}
	}
	ct = to_conntrack(c, out);
	snprintf(out->why + off, sizeof(out->why) - off, "%zu rule%s%s%s%s",
		 nrules, nrules == 1 ? "" : "s",
		 c->policy_drop ? ", policy drop" : "",
		 out->unparsed ? ", unreadable" : "", ct_text(c, ct));
}
