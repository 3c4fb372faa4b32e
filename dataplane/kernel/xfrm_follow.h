/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xfrm (IPsec) policies, followed for the plan (source XFRM): a forwarded
 * packet is checked against the fwd policies and looked up in the out
 * policies, so any policy of those directions punts its family (on every
 * interface, or on the egress its selector names); a default policy of
 * block for fwd or out punts everything. Dumped at start and again on
 * every XFRMNLGRP_POLICY notification.
 */
#ifndef XR_XFRM_FOLLOW_H
#define XR_XFRM_FOLLOW_H

#include <event2/event.h>

#include "kernel/plan.h"

struct xfrm_follow;

int xfrm_follow_new(struct xfrm_follow **out, struct event_base *base,
		    struct plan *pl);
void xfrm_follow_free(struct xfrm_follow *xf);

#endif /* XR_XFRM_FOLLOW_H */
