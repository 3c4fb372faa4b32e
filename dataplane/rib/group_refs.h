/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XR_GROUP_REFS_H
#define XR_GROUP_REFS_H

#include <stdint.h>

#include "util/hashtab.h"

/*
 * Which zebra groups name a nexthop id, so a nexthop that changes rewrites
 * the groups that use it without a walk of every object (a flood of N
 * nexthops would cost N^2 then). One entry per member id named by some
 * group, holding a group id per naming (a group naming an id twice is there
 * twice): at most FPM_MAX_GROUP per group.
 */
struct group_refs {
	uint32_t member; /* first: the hash key */
	uint32_t n, cap;
	uint32_t *groups;
};

/* tab: a hashtab of struct group_refs (key_len 4). 0 or -ENOMEM. */
int group_refs_add(struct hashtab *tab, uint32_t member, uint32_t group);
void group_refs_del(struct hashtab *tab, uint32_t member, uint32_t group);
/* NULL when no group names member. */
const struct group_refs *group_refs_of(const struct hashtab *tab,
				       uint32_t member);
void group_refs_free(struct hashtab *tab);

#endif /* XR_GROUP_REFS_H */
