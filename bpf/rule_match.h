/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Whether a compiled ip rule (struct xr_ip_rule) matches a packet, as
 * fib_rule_match does for the selectors the daemon compiles: a pure
 * function of the rule and the packet's addresses, compiled into both the
 * XDP program (bpf/rules.h) and xdp-routerctl lookup.
 */
#ifndef XR_BPF_RULE_MATCH_H
#define XR_BPF_RULE_MATCH_H

#include <linux/types.h>
#include <bpf/bpf_endian.h>

#include "xdp_router_abi.h"

#ifndef __always_inline /* userspace: bpf_helpers.h defines it for BPF */
#define __always_inline inline __attribute__((always_inline))
#endif

/* Whether the first len bits of a (words 32-bit words) equal p's. */
static __always_inline int rule_prefix(const __be32 *a, const __be32 *p,
				       __u32 len, __u32 words)
{
	for (__u32 w = 0; w < 4; w++) {
		__u32 bits = len > 32 * w ? len - 32 * w : 0;
		__u32 mask;

		if (w >= words || !bits)
			break;
		mask = bits >= 32 ? 0xffffffffU
				  : bpf_htonl(0xffffffffU << (32 - bits));
		if ((a[w] ^ p[w]) & mask)
			return 0;
	}
	return 1;
}

/* fib_rule_match for the selectors the daemon compiled. */
static __always_inline int rule_matches(const struct xr_ip_rule *r,
					__u32 ifindex, const __be32 *src,
					const __be32 *dst, __u32 words)
{
	int m = (!(r->flags & XR_RULE_F_IIF) || r->iif == ifindex) &&
		rule_prefix(src, r->src, r->src_len, words) &&
		rule_prefix(dst, r->dst, r->dst_len, words);

	return (r->flags & XR_RULE_F_INVERT) ? !m : m;
}

#endif /* XR_BPF_RULE_MATCH_H */
