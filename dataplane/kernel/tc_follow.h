/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * qdiscs and tc filters, followed for the plan (source TC). A frame the
 * fast path redirects skips the egress qdisc and both tc hooks, so:
 * a qdisc the operator configured (any but the kernel's defaults, which
 * have handle 0) punts the egress of its device; filters on an ingress or
 * clsact qdisc punt that side of the device. Dumped at start and again on
 * every RTNLGRP_TC notification.
 */
#ifndef XR_TC_FOLLOW_H
#define XR_TC_FOLLOW_H

#include <event2/event.h>

#include "kernel/plan.h"

struct tc_follow;

int tc_follow_new(struct tc_follow **out, struct event_base *base,
		  struct plan *pl);
void tc_follow_free(struct tc_follow *tf);

#endif /* XR_TC_FOLLOW_H */
