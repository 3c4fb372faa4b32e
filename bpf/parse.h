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

#include "addr_class.h"

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

/* Which addresses the kernel treats specially: addr_class.h, shared with
 * the CLI. */

#endif /* XR_PARSE_H */
