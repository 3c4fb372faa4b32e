/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What one nftables base chain means for the fast path: which interfaces
 * and families must punt because the chain could see (and change the fate
 * of) the packets the fast path would otherwise forward. Pure: a chain and
 * its rules (libnftnl objects) in, punt statements and the reason text out;
 * the follower (kernel/nft_follow.c) resolves names and feeds the plan.
 *
 * A chain with rules, or with policy drop, at a hook a forwarded packet
 * crosses (prerouting, forward, postrouting; netdev/inet ingress and netdev
 * egress of its devices) punts what it could see: the ingress side
 * (PUNT_IN) at prerouting, forward and ingress, the egress side (PUNT_OUT)
 * at postrouting and egress. Where every rule matches only some interfaces
 * (iifname/oifname/iif/oif, before anything with an effect) and the policy
 * is accept, only those punt. An empty chain with policy accept changes
 * nothing.
 *
 * A chain the stateful analysis proved (kernel/nft_stateful.h: it accepts
 * every packet of an established conntrack entry with nothing but counters)
 * asks for a conntrack check instead of a punt (PUNT_* becomes CT_* on the
 * same interfaces), but only where conntrack has already looked the packet
 * up when the chain runs: prerouting after NF_IP_PRI_CONNTRACK, forward,
 * postrouting. Before it (raw prerouting, netdev and inet ingress, netdev
 * egress) a packet has no entry yet, `ct state` reads invalid, and the
 * chain's verdict cannot be known from the entry: those still punt.
 */
#ifndef XR_NFT_PLAN_H
#define XR_NFT_PLAN_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/plan.h"

struct nftnl_rule;

struct nft_chain_view {
	uint32_t family; /* NFPROTO_* */
	const char *table, *name;
	uint32_t hooknum;
	bool policy_drop;
	const char *const *devs; /* netdev/inet ingress: its devices */
	size_t ndevs;
	int32_t priority; /* NFTNL_CHAIN_PRIO */
	/* The stateful analysis proved the chain for that family. */
	bool ct_accepts_v4, ct_accepts_v6;
};

/* nft's word for a family (NFPROTO_*): "ip", "inet", ...; "?" if none. */
const char *nft_family_name(uint32_t f);

/* Conntrack's lookup in prerouting (NF_IP_PRI_CONNTRACK, NF_IP6_PRI_...). */
#define NFT_PRI_CONNTRACK (-200)

/* Whether conntrack has looked a forwarded packet up before this chain
 * runs: only then can its verdict be read from the entry (and is the
 * analysis worth running). */
bool nft_chain_after_conntrack(const struct nft_chain_view *c);

/* Which interfaces a punt statement is for: every one, an ifindex, a name
 * or a name prefix (nft's "eth*"). */
enum nft_iface_kind { NFT_IF_ALL, NFT_IF_INDEX, NFT_IF_NAME, NFT_IF_PREFIX };

struct nft_punt {
	enum nft_iface_kind kind;
	uint32_t ifindex;
	char ifname[IFNAMSIZ + 1];
	uint32_t flags; /* XR_IF_F_PUNT_{IN,OUT}_V{4,6} */
};

#define NFT_PUNTS_MAX 16

struct nft_chain_plan {
	struct nft_punt punt[NFT_PUNTS_MAX];
	size_t n;
	unsigned unparsed; /* rules it could not read: punted whole */
	char why[XR_PLAN_WHY_MAX];
};

/* The interface one rule is limited to, if any. */
struct nft_rule_scope {
	bool limited;
	bool out;	       /* oif/oifname, else iif/iifname */
	struct nft_punt where; /* kind, ifindex or ifname; no flags */
};

/* Reads the interface restriction a rule starts with: a meta iif, iifname,
 * oif or oifname compared equal, with nothing but matches before it. */
void nft_rule_scope(struct nftnl_rule *r, struct nft_rule_scope *out);

/* The punts of one chain. rules[i] NULL is a rule that could not be
 * parsed: it punts everything the chain could see. */
void nft_chain_plan(const struct nft_chain_view *c, struct nftnl_rule **rules,
		    size_t nrules, struct nft_chain_plan *out);

#endif /* XR_NFT_PLAN_H */
