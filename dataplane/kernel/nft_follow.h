/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nftables, followed for the plan (source NFTABLES): every chain, rule and
 * set (with its elements) dumped at start and again whenever
 * NFNLGRP_NFTABLES says anything changed (set elements included); each base
 * chain judged by nft_chain_plan (kernel/nft_plan.h), with the stateful
 * analysis of its table (kernel/nft_stateful.h) where conntrack has looked
 * the packet up before the chain runs.
 * iptables-nft's rules land here too.
 */
#ifndef XR_NFT_FOLLOW_H
#define XR_NFT_FOLLOW_H

#include <stdint.h>
#include <event2/event.h>

#include "kernel/plan.h"

struct nft_follow;

int nft_follow_new(struct nft_follow **out, struct event_base *base,
		   struct plan *pl);
void nft_follow_free(struct nft_follow *nf);
/* Interface names in rules resolve to the links of the moment: restate
 * when a link appears, goes or is renamed. */
void nft_follow_links_changed(struct nft_follow *nf);
/* Rules that could not be read (each punted everything it could see). */
uint64_t nft_follow_unreadable(const struct nft_follow *nf);

#endif /* XR_NFT_FOLLOW_H */
