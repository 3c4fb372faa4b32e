/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
#ifndef XR_CSUM_H
#define XR_CSUM_H

#include <linux/ip.h>
#include <bpf/bpf_endian.h>

static __always_inline __u16 csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

/* The header is exactly 20 bytes here: options were punted before. Summed
 * as 32-bit words and folded, as the kernel's ip_fast_csum: the one's
 * complement sum does not depend on the width of the words. */
static __always_inline int ipv4_csum_ok(const struct iphdr *iph)
{
	const __u32 *w = (const __u32 *)iph;
	__u64 sum = (__u64)w[0] + w[1] + w[2] + w[3] + w[4];

	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffffffff) + (sum >> 32);
	return csum_fold(sum) == 0;
}

/* RFC 1624 incremental update, as the kernel's ip_decrease_ttl. */
static __always_inline void ipv4_decrease_ttl(struct iphdr *iph)
{
	__u32 check = iph->check;

	check += bpf_htons(0x0100);
	iph->check = (__u16)(check + (check >= 0xffff));
	iph->ttl--;
}

#endif /* XR_CSUM_H */
