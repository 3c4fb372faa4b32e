/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iptables-legacy tables, watched for the plan (source IPTABLES). They send
 * no notifications, so a timer reads /proc/net/ip{,6}_tables_names (only
 * tables that exist are asked about: asking loads the module) and, for each,
 * the table's info over getsockopt: a built-in chain at prerouting, forward
 * or postrouting with rules, or with a policy other than ACCEPT, punts its
 * family everywhere (legacy rules are not read one by one).
 */
#ifndef XR_IPTABLES_LEGACY_H
#define XR_IPTABLES_LEGACY_H

#include <event2/event.h>

#include "kernel/plan.h"

struct iptables_legacy;

int iptables_legacy_new(struct iptables_legacy **out, struct event_base *base,
			struct plan *pl);
void iptables_legacy_free(struct iptables_legacy *il);

#endif /* XR_IPTABLES_LEGACY_H */
