/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Following a netlink family the way the plan's sources need it: subscribe
 * to its groups first, then dump, and dump again whenever anything arrives
 * on the groups (or the socket overran: ENOBUFS means a notification was
 * lost). Notifications are only a trigger; the dump is the truth, so a
 * source never accumulates state from deltas it might have missed. Used by
 * kernel/nft_follow.c, kernel/tc_follow.c, kernel/xfrm_follow.c and
 * kernel/rules_follow.c.
 */
#ifndef XR_NL_FOLLOW_H
#define XR_NL_FOLLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <event2/event.h>
#include <libmnl/libmnl.h>

struct nl_follow;

/* resync runs from the event loop, once per burst of notifications, and
 * once right after nl_follow_new (the first dump). */
int nl_follow_new(struct nl_follow **out, struct event_base *base, int proto,
		  const unsigned *groups, size_t ngroups,
		  void (*resync)(void *arg), void *arg, const char *what);
void nl_follow_free(struct nl_follow *f);
/* Only the notifications want says matter (an overrun always does, and is
 * told to want with nlh NULL): a source following a few kernel tables
 * ignores the main table's churn. */
void nl_follow_filter(struct nl_follow *f,
		      bool (*want)(const struct nlmsghdr *nlh, void *arg));
/* Asks for a resync from the event loop (e.g. after a link changed). */
void nl_follow_resync_soon(struct nl_follow *f);

/* One dump request on a socket of its own: cb for every message. Returns
 * 0, -EINTR when the kernel says the dump was inconsistent
 * (NLM_F_DUMP_INTR: try again), or a negative errno. */
int nl_dump(int proto, struct nlmsghdr *req, mnl_cb_t cb, void *arg);
/* nl_dump retried while inconsistent. */
int nl_dump_consistent(int proto, struct nlmsghdr *req, mnl_cb_t cb,
		       void (*reset)(void *arg), void *arg);
/* nl_dump with NETLINK_GET_STRICT_CHK: the kernel applies the request's
 * filters (RTA_TABLE of a route dump) instead of dumping everything. */
int nl_dump_strict(int proto, struct nlmsghdr *req, mnl_cb_t cb, void *arg);

#endif /* XR_NL_FOLLOW_H */
