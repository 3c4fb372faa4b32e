/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XR_XDP_FEATURES_H
#define XR_XDP_FEATURES_H

#include <stdint.h>

/* enum netdev_xdp_act of linux/netdev.h (6.3+); Debian 12's headers are 6.1. */
#define XR_XDP_ACT_BASIC (1ULL << 0)
#define XR_XDP_ACT_REDIRECT (1ULL << 1)
#define XR_XDP_ACT_NDO_XMIT (1ULL << 2)
#define XR_XDP_ACT_RX_SG (1ULL << 5)
#define XR_XDP_ACT_NDO_XMIT_SG (1ULL << 6)

/*
 * The interface's xdp_features from the netdev generic netlink family.
 * NDO_XMIT is what a redirect target needs: a veth sets it only while its
 * peer has an XDP program or GRO, and silently drops frames otherwise.
 * Returns 0, -ENODEV, or -EOPNOTSUPP on kernels without the family.
 */
int xr_xdp_features_get(uint32_t ifindex, uint64_t *features);

#endif /* XR_XDP_FEATURES_H */
