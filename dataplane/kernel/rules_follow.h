/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ip rules, followed for the plan (source RULES): every rule of both
 * families dumped at start and again on each RTNLGRP_IPV4_RULE /
 * IPV6_RULE notification, judged by kernel/ip_rules.h. The kernel's
 * default rules leave the fast path's lookup as it is. The rules between
 * the local and main rules are compiled for the program (bpf/rules.h),
 * which checks them where one could match (XR_IF_F_RULE_CHECK_V4/V6 on
 * its iif, or on every interface); a set it cannot evaluate (more than
 * XR_RULES_MAX, the local rule not first) punts what each rule could match
 * (XR_IF_F_RULES_V4/V6). A missing default rule or a rule that cannot be
 * read punts its family. A `lookup T` rule looks T up in the program
 * while kernel/table_follow.h proves T equal to zebra's VRF T, else it
 * punts what it matches, with why in the plan's reason.
 */
#ifndef XR_RULES_FOLLOW_H
#define XR_RULES_FOLLOW_H

#include <stdint.h>
#include <event2/event.h>

#include "kernel/plan.h"
#include "maps/maps.h"

struct rules_follow;

/* maps: where the program's rules are written (NULL: none are, and every
 * rule other than the defaults punts what it could match). */
int rules_follow_new(struct rules_follow **out, struct event_base *base,
		     struct plan *pl, const struct xr_maps *maps);
void rules_follow_free(struct rules_follow *rf);
/* The tables other than main `lookup T` may reach in the fast path, each
 * while kernel/table_follow.h proves it (NULL: none); restates. Call
 * rules_follow_free before table_follow_free. */
struct table_follow;
void rules_follow_set_tables(struct rules_follow *rf, struct table_follow *tf);
/* One of those tables' verdict changed: restate. */
void rules_follow_tables_changed(struct rules_follow *rf);
/* A rule's iif is a name, matched by the kernel against the link of the
 * moment: restate when a link appears, goes or is renamed. */
void rules_follow_links_changed(struct rules_follow *rf);
/* Rules that could not be read (each punted its family), over all dumps. */
uint64_t rules_follow_unreadable(const struct rules_follow *rf);

#endif /* XR_RULES_FOLLOW_H */
