/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Flow hash for ECMP: the 5-tuple when the protocol has ports, else the
 * 3-tuple. Stable per flow for the life of the program; the finaliser spreads
 * nearby addresses and ports over all buckets.
 */
#ifndef XR_FLOW_HASH_H
#define XR_FLOW_HASH_H

#include <linux/types.h>

static __always_inline __u32 hash_mix(__u32 h, __u32 v)
{
	v *= 0xcc9e2d51;
	v = (v << 15) | (v >> 17);
	v *= 0x1b873593;
	h ^= v;
	h = (h << 13) | (h >> 19);
	return h * 5 + 0xe6546b64;
}

static __always_inline __u32 hash_final(__u32 h)
{
	h ^= h >> 16;
	h *= 0x85ebca6b;
	h ^= h >> 13;
	h *= 0xc2b2ae35;
	h ^= h >> 16;
	return h;
}

static __always_inline int proto_has_ports(__u8 proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	       proto == IPPROTO_SCTP || proto == IPPROTO_UDPLITE;
}

/* ports: the first 4 bytes of the L4 header, or 0. */
static __always_inline __u32 flow_hash_v4(__be32 saddr, __be32 daddr,
					  __u8 proto, __u32 ports)
{
	__u32 h = 0x5eed4;

	h = hash_mix(h, saddr);
	h = hash_mix(h, daddr);
	h = hash_mix(h, proto);
	h = hash_mix(h, ports);
	return hash_final(h);
}

static __always_inline __u32 flow_hash_v6(const __u32 *saddr,
					  const __u32 *daddr, __u8 proto,
					  __u32 ports)
{
	__u32 h = 0x5eed6;

#pragma unroll
	for (int i = 0; i < 4; i++)
		h = hash_mix(h, saddr[i]);
#pragma unroll
	for (int i = 0; i < 4; i++)
		h = hash_mix(h, daddr[i]);
	h = hash_mix(h, proto);
	h = hash_mix(h, ports);
	return hash_final(h);
}

#endif /* XR_FLOW_HASH_H */
