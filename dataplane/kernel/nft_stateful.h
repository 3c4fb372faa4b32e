/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ruleset analysis behind stateful acceleration (XR_IF_F_CT_*): is a
 * packet of an ESTABLISHED conntrack entry, without NAT and helpers (the
 * only packets bpf/conntrack.h forwards), certain to be accepted by a base
 * chain, with no side effect the fast path would skip other than counters?
 *
 * Pure: it reads libnftnl objects the caller dumped (the nftables follower,
 * kernel/nft_follow.c) and decides from the bytecode, with no netlink of
 * its own. The packet is known only by its conntrack state (ct state is
 * established, in either direction; ct status has SEEN_REPLY, ASSURED and
 * CONFIRMED and no NAT, EXPECTED or HELPER bit); everything else about it
 * is unknown, so any other match may or may not hold and both outcomes must
 * be safe. Rules are walked in order:
 *   - a rule that cannot match (its ct state test excludes established,
 *     e.g. `ct state invalid drop`, `ct state new ...`) is skipped;
 *   - a rule that may match must be harmless: only loads, compares and
 *     counters, and a verdict of accept, continue, or a jump to a chain
 *     that is itself harmless (followed, 16 deep at most);
 *   - the first rule certain to match decides: accept (typically
 *     `ct state established,related accept`) is certain; drop, reject,
 *     queue or a verdict map is not;
 *   - falling off the end (or `return`) leaves it to the chain's policy.
 * A nat chain is certain: the kernel consults nat chains only for a
 * connection's first packet. Anything not understood is not certain.
 */
#ifndef XR_KERNEL_NFT_STATEFUL_H
#define XR_KERNEL_NFT_STATEFUL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nftnl_chain;
struct nftnl_rule;
struct nftnl_set;

/* One table as dumped: its chains, its rules in the kernel's order (each
 * names its chain, NFTNL_RULE_CHAIN), and its sets with their elements
 * (anonymous sets such as `ct state { established, related }` are looked
 * up by the rules that use them). */
struct nft_stateful_table {
	const struct nftnl_chain *const *chains;
	size_t n_chains;
	const struct nftnl_rule *const *rules;
	size_t n_rules;
	const struct nftnl_set *const *sets;
	size_t n_sets;
};

/*
 * Whether base chain `chain` of table `t` certainly accepts an established
 * packet of `family` (NFPROTO_IPV4 or NFPROTO_IPV6: `meta nfproto` tests of
 * an inet chain are evaluated) with nothing but counters. When not, why (if
 * given) says which rule and what, for the plan's "because" ("rule 3: log",
 * "policy drop").
 */
bool nft_stateful_accepts(const struct nft_stateful_table *t,
			  const struct nftnl_chain *chain, uint32_t family,
			  char *why, size_t why_len);

#endif /* XR_KERNEL_NFT_STATEFUL_H */
