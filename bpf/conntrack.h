/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Stateful acceleration: where the plan says a netfilter chain would see a
 * packet but accept every packet of an established flow (XR_IF_F_CT_*, set
 * by the daemon's ruleset analysis, dataplane/kernel/nft_stateful.h), the
 * fast path forwards a TCP or UDP packet only when the kernel's own
 * conntrack holds an entry for it that the chain would call established,
 * with nothing the kernel would do to the packet beyond refreshing the
 * entry's timeout, which the program then does as the kernel would.
 * Everything else goes to the kernel, which evaluates the rules and creates
 * or updates the entry; the flow's next packets come back here.
 *
 * The kernel's conntrack is reached through its kfuncs (net/netfilter/
 * nf_conntrack_bpf.c). Only the fields read below are declared, each
 * relocated against the kernel's BTF (CO-RE), so no vmlinux.h is needed.
 */
#ifndef XR_BPF_CONNTRACK_H
#define XR_BPF_CONNTRACK_H

#include <linux/tcp.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <bpf/bpf_core_read.h>

#include "xdp_router_abi.h"
#include "lookup.h"
#include "plan_gates.h"

/* The namespace's sysctls (xr_ct_timeouts): set by the loader at load and
 * again by the daemon whenever they change (kernel/ct_sysctl.c). Data, not
 * rodata, so that needs no reload; each field is one 32-bit store. */
struct xr_ct_timeouts xr_ct_timeouts = {
	.udp_stream_ms = XR_CT_UDP_STREAM_MS_DEFAULT,
	.tcp_established_ms = XR_CT_TCP_ESTABLISHED_MS_DEFAULT,
};

/* offset[] has NF_CT_EXT_NUM entries, and which ids exist (so how many
 * there are, and where TIMEOUT sits) depends on the target kernel's config:
 * the size, the offset and the ids are all taken from its BTF. */
struct nf_ct_ext {
	__u8 offset[1];
} __attribute__((preserve_access_index));

/* Only the names matter: the values are relocated (bpf_core_enum_value). */
enum nf_ct_ext_id {
	NF_CT_EXT_HELPER,
	NF_CT_EXT_TIMEOUT,
};

struct ip_ct_tcp_state {
	__u8 flags; /* IP_CT_TCP_FLAG_* */
} __attribute__((preserve_access_index));

struct ip_ct_tcp {
	struct ip_ct_tcp_state seen[2]; /* original, reply */
	__u8 state;
} __attribute__((preserve_access_index));

union nf_conntrack_proto {
	struct ip_ct_tcp tcp;
} __attribute__((preserve_access_index));

struct nf_conn {
	unsigned long status;
	struct nf_ct_ext *ext;
	union nf_conntrack_proto proto;
} __attribute__((preserve_access_index));

/* The kernel's opts as of 6.9 (16 bytes; it also takes the older 12). */
struct bpf_ct_opts {
	__s32 netns_id;
	__s32 error;
	__u8 l4proto;
	__u8 dir;
	__u16 ct_zone_id;
	__u8 ct_zone_dir;
	__u8 reserved[3];
};

/* Weak: with nf_conntrack a module not loaded (its kfuncs' BTF is the
 * module's) the program still loads, and every packet a conntrack check
 * would cover punts (ct_kfuncs_present). */
extern struct nf_conn *bpf_xdp_ct_lookup(struct xdp_md *ctx,
					 struct bpf_sock_tuple *tuple,
					 __u32 tuple_sz,
					 struct bpf_ct_opts *opts,
					 __u32 opts_sz) __ksym __weak;
extern int bpf_ct_change_timeout(struct nf_conn *ct,
				 __u32 timeout) __ksym __weak;
extern void bpf_ct_release(struct nf_conn *ct) __ksym __weak;

#ifndef bpf_ksym_exists /* libbpf < 1.2's bpf_helpers.h */
#define bpf_ksym_exists(sym) (!!(sym))
#endif

/* libbpf resolves a missing weak kfunc to 0, and the verifier drops the
 * calls this guards as dead code. */
static __always_inline int ct_kfuncs_present(void)
{
	return bpf_ksym_exists(bpf_xdp_ct_lookup) &&
	       bpf_ksym_exists(bpf_ct_change_timeout) &&
	       bpf_ksym_exists(bpf_ct_release);
}

/* NAT, the sequence adjustment a helper's mangling needs, and the NAT
 * clash the kernel resolved by keeping the entry short-lived (its
 * IPS_NAT_CLASH, internal, reuses the bit of the UAPI's IPS_UNTRACKED). */
#define XR_CT_STATUS_MANGLED (IPS_NAT_MASK | IPS_SEQ_ADJUST | IPS_UNTRACKED)

#define XR_TCP_FLAG_SYN_FIN_RST 0x07 /* byte 13 of the header */

/*
 * The TCP window hole: segments forwarded here never reach conntrack's
 * window tracking, so a later segment the kernel does see (the FIN, any
 * segment after a punt) can be out of the window it last knew, and a
 * strict kernel calls it INVALID, which `ct state invalid drop` or the
 * policy then drops where Linux alone would have accepted it. TCP is
 * accelerated only when the kernel would not check the window either:
 * nf_conntrack_tcp_be_liberal=1 (the plan's CT_TCP_STRICT is clear on both
 * rows), or the entry itself is liberal in both directions (conntrack picked
 * it up mid-stream, or was told so over ctnetlink).
 */
static __always_inline int plan_tcp_strict(const struct xr_iface *in,
					   const struct xr_iface *out)
{
	/* either row: while the plan rewrites them one by one, the stricter
	 * word wins */
	return (in->flags | out->flags) & XR_IF_F_CT_TCP_STRICT;
}

static __always_inline int ct_tcp_liberal(struct nf_conn *ct)
{
	return (ct->proto.tcp.seen[0].flags & IP_CT_TCP_FLAG_BE_LIBERAL) &&
	       (ct->proto.tcp.seen[1].flags & IP_CT_TCP_FLAG_BE_LIBERAL);
}

/*
 * Whether the entry carries extension id (the target's value). The byte is
 * read at a constant offset once libbpf has relocated the field's offset and
 * the id (a variable offset into a kernel struct is refused); an id beyond
 * the target's array cannot happen, and would punt.
 */
static __always_inline int ct_has_ext(struct nf_conn *ct, __u32 id)
{
	struct nf_ct_ext *ext = ct->ext;

	if (!ext)
		return 0;
	if (id >= bpf_core_field_size(ext->offset))
		return 1;
	return *((__u8 *)ext + bpf_core_field_offset(ext->offset) + id) != 0;
}

/* The extensions that make the kernel do more than count and refresh: a
 * helper (it may mangle payload, create expectations) and a timeout policy
 * of the ruleset's own (timeouts other than the sysctls'). An id the target
 * lacks (CONFIG_NF_CONNTRACK_TIMEOUT off) cannot be set on an entry. */
#define ct_has_ext_named(ct, name)                              \
	(bpf_core_enum_value_exists(enum nf_ct_ext_id, name) && \
	 ct_has_ext(ct, bpf_core_enum_value(enum nf_ct_ext_id, name)))

/*
 * What nft's `ct state established` and the kernel's packet path would make
 * of this entry. ctinfo is ESTABLISHED (or _REPLY) in either direction once
 * the reply has been seen; an entry the kernel would treat any other way,
 * or whose packets it would change, punts.
 */
static __always_inline __u32 ct_entry_reason(struct nf_conn *ct, __u8 proto,
					     int tcp_strict)
{
	unsigned long status = ct->status;

	if (!(status & IPS_CONFIRMED) || (status & IPS_DYING))
		return XR_PUNT_CT_STATE;
	if (status & IPS_EXPECTED)
		return XR_PUNT_CT_RELATED;
	if (!(status & IPS_SEEN_REPLY))
		return XR_PUNT_CT_UNREPLIED;
	if (status & XR_CT_STATUS_MANGLED)
		return XR_PUNT_CT_NAT;
	if ((status & IPS_HELPER) || ct_has_ext_named(ct, NF_CT_EXT_HELPER) ||
	    ct_has_ext_named(ct, NF_CT_EXT_TIMEOUT))
		return XR_PUNT_CT_HELPER;
	/* TCP: only the established state keeps its timeout on a plain
	 * segment. UDP: the kernel marks a replied flow assured after 2 s and
	 * only then gives it the stream timeout; until then it decides. */
	if (proto == IPPROTO_TCP) {
		if (ct->proto.tcp.state != TCP_CONNTRACK_ESTABLISHED)
			return XR_PUNT_CT_STATE;
		if (tcp_strict && !ct_tcp_liberal(ct))
			return XR_PUNT_CT_TCP_WINDOW;
	} else if (!(status & IPS_ASSURED)) {
		return XR_PUNT_CT_STATE;
	}
	return XR_FORWARD;
}

/* The kernel's refresh for the state ct_entry_reason accepted
 * (nf_ct_refresh_acct), but for an entry whose timeout is fixed. */
static __always_inline void ct_refresh(struct nf_conn *ct, __u8 proto)
{
	if (ct->status & IPS_FIXED_TIMEOUT)
		return;
	bpf_ct_change_timeout(ct, proto == IPPROTO_TCP
					  ? xr_ct_timeouts.tcp_established_ms
					  : xr_ct_timeouts.udp_stream_ms);
}

/*
 * The check for one packet: l4 is the transport header (c->pos after the IP
 * header), tuple holds the addresses; the ports are filled in here. The
 * lookup runs in the namespace of the device the frame came in on, the
 * router's, in conntrack zone 0. tcp_strict: plan_tcp_strict.
 */
static __always_inline __u32 ct_check(struct xdp_md *ctx, struct cursor *c,
				      __u8 proto, struct bpf_sock_tuple *tuple,
				      __u32 tuple_sz, __be16 *sport,
				      int tcp_strict)
{
	struct bpf_ct_opts opts = {
		.netns_id = BPF_F_CURRENT_NETNS,
		.l4proto = proto,
	};
	struct nf_conn *ct;
	__u32 reason;

	/* off, or nf_conntrack not loaded when the program was */
	if (!xr_features.conntrack || !ct_kfuncs_present())
		return XR_PUNT_FEATURE_OFF;
	if (proto == IPPROTO_TCP) {
		struct tcphdr *th = c->pos;

		if ((void *)(th + 1) > c->end)
			return XR_PUNT_BAD_HEADER;
		/* Conntrack must see every state change of the flow. */
		if (((__u8 *)th)[13] & XR_TCP_FLAG_SYN_FIN_RST)
			return XR_PUNT_CT_TCP_FLAGS;
	} else if (proto == IPPROTO_UDP) {
		if (c->pos + sizeof(struct udphdr) > c->end)
			return XR_PUNT_BAD_HEADER;
	} else {
		return XR_PUNT_CT_PROTO;
	}
	/* The ports lead both headers. */
	__builtin_memcpy(sport, c->pos, 4);

	ct = bpf_xdp_ct_lookup(ctx, tuple, tuple_sz, &opts, sizeof(opts));
	if (!ct)
		return XR_PUNT_CT_MISS;
	reason = ct_entry_reason(ct, proto, tcp_strict);
	if (reason == XR_FORWARD)
		ct_refresh(ct, proto);
	bpf_ct_release(ct);
	return reason;
}

static __always_inline __u32 ct_check_v4(struct xdp_md *ctx, struct cursor *c,
					 const struct iphdr *iph,
					 int tcp_strict)
{
	struct bpf_sock_tuple t;

	t.ipv4.saddr = iph->saddr;
	t.ipv4.daddr = iph->daddr;
	return ct_check(ctx, c, iph->protocol, &t, sizeof(t.ipv4),
			&t.ipv4.sport, tcp_strict);
}

static __always_inline __u32 ct_check_v6(struct xdp_md *ctx, struct cursor *c,
					 const struct ipv6hdr *ip6h,
					 int tcp_strict)
{
	struct bpf_sock_tuple t;

	__builtin_memcpy(t.ipv6.saddr, &ip6h->saddr, 16);
	__builtin_memcpy(t.ipv6.daddr, &ip6h->daddr, 16);
	/* Extension headers: the kernel's view of the transport is its own. */
	return ct_check(ctx, c, ip6h->nexthdr, &t, sizeof(t.ipv6),
			&t.ipv6.sport, tcp_strict);
}

#endif /* XR_BPF_CONNTRACK_H */
