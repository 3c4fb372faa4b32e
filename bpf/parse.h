/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Header parsing with explicit bounds: every accessor returns NULL when the
 * header does not fit in the linear part of the frame. With multi-buffer
 * frames only the first buffer is linear; a header beyond it is treated as
 * unparseable and the frame goes to the kernel.
 */
#ifndef XR_PARSE_H
#define XR_PARSE_H

#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <linux/icmpv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* Kernel UAPI values, not exported to BPF builds by the libc headers. */
#ifndef AF_INET
#define AF_INET 2
#define AF_INET6 10
#endif
#define ND_ROUTER_SOLICIT 133
#define ND_REDIRECT 137

struct cursor {
	void *pos;
	void *end;
};

#define CURSOR_TAKE(c, type)                      \
	({                                        \
		type *__h = (c)->pos;             \
		if ((void *)(__h + 1) > (c)->end) \
			__h = NULL;               \
		else                              \
			(c)->pos = __h + 1;       \
		__h;                              \
	})

static __always_inline int mac_is_multicast(const __u8 *mac)
{
	return mac[0] & 1;
}

/*
 * MACs as one 32-bit and one 16-bit access: byte by byte, a compare and the
 * two copies of the L2 rewrite were ~50 instructions of the forwarding path.
 * The packet's addresses are only 2-aligned; the verifier allows unaligned
 * access where the CPU does it efficiently (x86, arm64), as Cilium relies on.
 */
struct mac_words {
	__u32 hi;
	__u16 lo;
};

static __always_inline int mac_equal(const __u8 *a, const __u8 *b)
{
	const struct mac_words *x = (const void *)a, *y = (const void *)b;

	return ((x->hi ^ y->hi) | (x->lo ^ y->lo)) == 0;
}

static __always_inline void mac_copy(__u8 *dst, const __u8 *src)
{
	struct mac_words *d = (void *)dst;
	const struct mac_words *s = (const void *)src;

	d->hi = s->hi;
	d->lo = s->lo;
}

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
	return (__u8)(a->in6_u.u6_addr8[0] + 2) <= 2;
}

static __always_inline int ipv6_is_mcast(const struct in6_addr *a)
{
	return a->in6_u.u6_addr8[0] == 0xff;
}

static __always_inline int ipv6_is_linklocal(const struct in6_addr *a)
{
	return a->in6_u.u6_addr8[0] == 0xfe &&
	       (a->in6_u.u6_addr8[1] & 0xc0) == 0x80;
}

/* :: and ::1 and the IPv4-mapped range never cross a router. */
static __always_inline int ipv6_is_martian(const struct in6_addr *a)
{
	const __u32 *w = a->in6_u.u6_addr32;
	if (w[0] || w[1])
		return 0;
	if (w[2] == 0)
		return w[3] == 0 || w[3] == bpf_htonl(1);
	return w[2] == bpf_htonl(0xffff);
}

#endif /* XR_PARSE_H */
