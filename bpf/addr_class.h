/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Addresses the kernel treats specially or refuses, and the punt reason
 * each gives a packet: pure functions on addresses as the packet carries
 * them (network order), compiled into both the XDP program and the CLI's
 * lookup, so the two cannot disagree about an address.
 */
#ifndef XR_ADDR_CLASS_H
#define XR_ADDR_CLASS_H

#include <linux/types.h>
#include <bpf/bpf_endian.h>

#include "xdp_router_abi.h"

#ifndef __always_inline /* userspace: bpf_helpers.h defines it for BPF */
#define __always_inline inline __attribute__((always_inline))
#endif

struct in6_addr;

/*
 * Destinations and sources the kernel treats specially or refuses. The
 * first octet rules out most addresses at once, so the full checks run only
 * for the few that may be special: IPv4 0, 127, 169 (link-local) and 224 up.
 */
static __always_inline int ipv4_maybe_special(__be32 a)
{
	__u8 o = bpf_ntohl(a) >> 24;

	return (__u8)(o - 1) >= 223 || o == 127 || o == 169;
}

static __always_inline int ipv4_is_mcast_or_bcast(__be32 a)
{
	__u32 h = bpf_ntohl(a);
	return (h & 0xf0000000) == 0xe0000000 || h == 0xffffffff;
}

static __always_inline int ipv4_is_linklocal(__be32 a)
{
	return (bpf_ntohl(a) & 0xffff0000) == 0xa9fe0000;
}

static __always_inline int ipv4_is_martian(__be32 a)
{
	__u32 h = bpf_ntohl(a);
	return (h & 0xff000000) == 0 || (h & 0xff000000) == 0x7f000000;
}

/* IPv6: 00 (::, ::1, IPv4-mapped), fe (link-local) and ff (multicast). */
static __always_inline int ipv6_maybe_special(const struct in6_addr *a)
{
	return (__u8)(((const __u8 *)a)[0] + 2) <= 2;
}

static __always_inline int ipv6_is_mcast(const struct in6_addr *a)
{
	return ((const __u8 *)a)[0] == 0xff;
}

static __always_inline int ipv6_is_linklocal(const struct in6_addr *a)
{
	const __u8 *b = (const __u8 *)a;

	return b[0] == 0xfe && (b[1] & 0xc0) == 0x80;
}

/* :: and ::1 and the IPv4-mapped range never cross a router. */
static __always_inline int ipv6_is_martian(const struct in6_addr *a)
{
	const __u32 *w = (const __u32 *)a;
	if (w[0] || w[1])
		return 0;
	if (w[2] == 0)
		return w[3] == 0 || w[3] == bpf_htonl(1);
	return w[2] == bpf_htonl(0xffff);
}

/* Multicast and link-local go to the kernel's multicast and local paths,
 * martians to its drop counters. */
static __always_inline __u32 ipv4_addr_reason(__be32 saddr, __be32 daddr)
{
	if (ipv4_is_mcast_or_bcast(daddr) || ipv4_is_linklocal(daddr) ||
	    ipv4_is_linklocal(saddr))
		return XR_PUNT_MCAST;
	if (ipv4_is_mcast_or_bcast(saddr) || ipv4_is_martian(saddr) ||
	    ipv4_is_martian(daddr))
		return XR_PUNT_MARTIAN;
	return XR_FORWARD;
}

static __always_inline __u32 ipv6_addr_reason(const struct in6_addr *saddr,
					      const struct in6_addr *daddr)
{
	if (ipv6_is_mcast(daddr) || ipv6_is_linklocal(daddr) ||
	    ipv6_is_linklocal(saddr))
		return XR_PUNT_MCAST;
	if (ipv6_is_mcast(saddr) || ipv6_is_martian(saddr) ||
	    ipv6_is_martian(daddr))
		return XR_PUNT_MARTIAN;
	return XR_FORWARD;
}

#endif /* XR_ADDR_CLASS_H */
