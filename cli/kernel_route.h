/* SPDX-License-Identifier: GPL-2.0-only */
/* The kernel's answer to "ip route get ADDRESS", over rtnetlink. */
#ifndef XR_KERNEL_ROUTE_H
#define XR_KERNEL_ROUTE_H

#include "fastpath_verdict.h"

/* 0 with k filled (k->error holds the lookup's own error), or a negative
 * errno if netlink itself failed. */
int kernel_route_get(const struct xr_addr *dst, struct kernel_route *k);
const char *kernel_route_type_name(uint8_t type);

#endif /* XR_KERNEL_ROUTE_H */
