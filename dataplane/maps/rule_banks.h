/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The compiled ip rules of one family (struct xr_ip_rule, bpf/rules.h),
 * written to the bank the program is not reading, then made live by one
 * write of the family's rule_heads entry: a packet sees the old rules or
 * the new ones, never a mix.
 */
#ifndef XR_MAPS_RULE_BANKS_H
#define XR_MAPS_RULE_BANKS_H

#include <stdint.h>

#include "maps/maps.h"

/* family: 0 IPv4, 1 IPv6. n at most XR_RULES_MAX. Returns 0 or a negative
 * errno (the live bank is then unchanged). */
int xr_rules_publish(const struct xr_maps *m, uint32_t family,
		     const struct xr_ip_rule *rules, uint32_t n);

#endif /* XR_MAPS_RULE_BANKS_H */
