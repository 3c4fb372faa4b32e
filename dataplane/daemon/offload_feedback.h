/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Offload feedback to zebra: for each route zebra sent, tell it whether the
 * fast path holds it (RTM_F_OFFLOAD) or not (RTM_F_OFFLOAD_FAILED), over the
 * FPM connection. FRR >= 8.5 reads these in dplane_fpm_nl; with zebra's
 * --asic-offload=notify_on_offload, "show ip route" then marks routes
 * offloaded and "bgp suppress-fib-pending" waits for them. Older zebras
 * read and ignore them.
 *
 * We keep, per route, what zebra sent (enough to echo it back: zebra
 * matches a notification to its route by table, prefix, protocol and
 * nexthops) and the state last reported. A route zebra (re)sends is
 * reported at the next tick; a change elsewhere in the RIB (nexthops, map
 * errors) makes the next tick check every route.
 */
#ifndef XR_OFFLOAD_FEEDBACK_H
#define XR_OFFLOAD_FEEDBACK_H

#include <stdint.h>

#include "fpm_events.h"
#include "fpm_server.h"
#include "rib/rib.h"

#define XR_FEEDBACK_COUNTERS(X)                                           \
	X(offload_sent, "RTM_F_OFFLOAD notifications sent to zebra")      \
	X(offload_failed_sent, "RTM_F_OFFLOAD_FAILED notifications sent") \
	X(send_errors, "notifications not sent (backlog full, encode)")   \
	X(full_walks, "checks of every route after a RIB-wide change")

struct offload_feedback_counters {
#define XR_FB_FIELD(name, help) uint64_t name;
	XR_FEEDBACK_COUNTERS(XR_FB_FIELD)
#undef XR_FB_FIELD
};

struct offload_feedback;

int offload_feedback_new(struct offload_feedback **out);
void offload_feedback_free(struct offload_feedback *f);
/* Every FPM event, before or after the RIB sees it. */
void offload_feedback_fpm_event(struct offload_feedback *f,
				const struct fpm_event *ev);
/* From the daemon's tick: send what changed since the last call. */
void offload_feedback_tick(struct offload_feedback *f, const struct rib *rib,
			   struct fpm_server *srv);
const struct offload_feedback_counters *
offload_feedback_counters(const struct offload_feedback *f);
/* Routes known, and how many zebra has been told are offloaded. */
void offload_feedback_state(const struct offload_feedback *f, uint64_t *routes,
			    uint64_t *reported_offloaded);

#endif /* XR_OFFLOAD_FEEDBACK_H */
