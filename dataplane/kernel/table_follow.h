/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel tables other than main that `lookup T` rules name, followed
 * so the program may look them up itself (XR_RULE_TABLE) while each equals
 * the fast path's VRF T (kernel/route_table.h). A table is followed from
 * the first time a rule's compilation asks for it: RTNLGRP_IPV4_ROUTE /
 * IPV6_ROUTE notifications of that table only (the main table's churn
 * wakes nothing), each answered by a dump of that table alone (strict
 * check, RTA_TABLE); zebra's side is polled by its generation
 * (rib_vrf_state). changed runs when a table's verdict changes: the rules
 * compile again.
 */
#ifndef XR_TABLE_FOLLOW_H
#define XR_TABLE_FOLLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <event2/event.h>

#include "rib/rib.h"

struct table_follow;

int table_follow_new(struct table_follow **out, struct event_base *base,
		     const struct rib *rib, void (*changed)(void *arg),
		     void *arg);
void table_follow_free(struct table_follow *tf);
/* Whether family's table (not main, not local) equals zebra's VRF for it
 * now; else why says how ("table 100 is not yet compared", "table 100
 * differs: 198.51.100.0/24 is a throw route"). Asking follows it. */
bool table_follow_proven(struct table_follow *tf, uint8_t family,
			 uint32_t table, char *why, size_t len);

#endif /* XR_TABLE_FOLLOW_H */
