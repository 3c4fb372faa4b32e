/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Shared by the traffic generator's XDP program and its runner: one
 * destination address per slot of the dsts array. IPv4 uses the first
 * four bytes, so one layout serves both families.
 */
#ifndef XR_BENCH_TRAFFIC_GEN_H
#define XR_BENCH_TRAFFIC_GEN_H

#include <linux/types.h>

struct gen_dst {
	__u8 addr[16];
};

/* Frame sizes without the FCS: 64 and 70 bytes on the wire. */
#define GEN_FRAME_V4 60
#define GEN_FRAME_V6 66
#define GEN_UDP_DPORT 9 /* discard */

_Static_assert(sizeof(struct gen_dst) == 16, "gen_dst");

#endif /* XR_BENCH_TRAFFIC_GEN_H */
