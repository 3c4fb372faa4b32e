// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Traffic generator, run by BPF_PROG_TEST_RUN in live-frames mode. The
 * kernel recycles its pages without resetting them and the router rewrites
 * frames in place (TTL, MACs), so every header is written from scratch on
 * every frame. Each frame gets the next destination from the dsts table
 * (a strided walk, so consecutive frames hit unrelated routes) and the next
 * source port: many flows, as the router's hash and caches would see them.
 * XDP_TX in live mode transmits on the ingress device; on a veth that means
 * into the router's end.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "traffic_gen.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by the runner before load. */
const volatile __u8 ipv6 = 0;
const volatile __u8 smac[ETH_ALEN] = {};
const volatile __u8 dmac[ETH_ALEN] = {};
const volatile __u8 saddr[16] = {};
const volatile __u32 dst_mask = 0; /* dsts holds dst_mask + 1 entries */
/* Non-zero: every frame's source port, so the flows are exactly one per
 * destination (the stateful mode's conntrack entries). */
const volatile __u16 fixed_sport = 0;
/* Non-zero: the reply direction of the same flows (addresses and ports
 * swapped: from the destinations to saddr), to make the router's
 * conntrack see each flow replied. Both checksums are sums over the
 * swapped fields, so they stay valid. */
const volatile __u8 reverse = 0;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct gen_dst);
	__uint(max_entries, 1); /* resized by the runner */
} dsts SEC(".maps");

/* One CPU runs the generator: a plain counter is enough. */
__u64 seq = 0;

static __always_inline __u16 csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

static __always_inline __u32 csum_add16(__u32 sum, const void *p, int words)
{
	const __u16 *w = p;

#pragma unroll
	for (int i = 0; i < words; i++)
		sum += w[i];
	return sum;
}

/* Byte by byte through the volatile: a memcpy that casts it away lets the
 * compiler fold the (zero) initial value of the constant. */
static __always_inline void copy_saddr(__u8 *to, int len)
{
#pragma unroll
	for (int i = 0; i < len; i++)
		to[i] = saddr[i];
}

static __always_inline void write_eth(struct ethhdr *eth, __u16 proto)
{
#pragma unroll
	for (int i = 0; i < ETH_ALEN; i++) {
		eth->h_dest[i] = dmac[i];
		eth->h_source[i] = smac[i];
	}
	eth->h_proto = bpf_htons(proto);
}

static __always_inline int gen_v4(void *data, void *end, const __u8 *dst,
				  __u16 sport)
{
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct udphdr *udp = (void *)(iph + 1);

	if ((void *)(udp + 1) > end)
		return XDP_ABORTED;
	write_eth(eth, ETH_P_IP);
	iph->version = 4;
	iph->ihl = 5;
	iph->tos = 0;
	iph->tot_len = bpf_htons(GEN_FRAME_V4 - sizeof(*eth));
	iph->id = 0;
	iph->frag_off = bpf_htons(0x4000); /* DF */
	iph->ttl = 64;
	iph->protocol = IPPROTO_UDP;
	iph->check = 0;
	copy_saddr((__u8 *)&iph->saddr, 4);
	__builtin_memcpy(&iph->daddr, dst, 4);
	iph->check = csum_fold(csum_add16(0, iph, sizeof(*iph) / 2));
	udp->source = bpf_htons(sport);
	udp->dest = bpf_htons(GEN_UDP_DPORT);
	udp->len = bpf_htons(GEN_FRAME_V4 - sizeof(*eth) - sizeof(*iph));
	udp->check = 0; /* "no checksum" is valid UDP over IPv4 */
	return XDP_TX;
}

static __always_inline int gen_v6(void *data, void *end, const __u8 *dst,
				  __u16 sport)
{
	const __u16 udp_len =
		GEN_FRAME_V6 - sizeof(struct ethhdr) - sizeof(struct ipv6hdr);
	struct ethhdr *eth = data;
	struct ipv6hdr *ip6h = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip6h + 1);
	__u8 *payload = (void *)(udp + 1);
	__u32 sum;

	if ((void *)(payload + udp_len - sizeof(*udp)) > end)
		return XDP_ABORTED;
	write_eth(eth, ETH_P_IPV6);
	*(__be32 *)ip6h = bpf_htonl(0x60000000);
	ip6h->payload_len = bpf_htons(udp_len);
	ip6h->nexthdr = IPPROTO_UDP;
	ip6h->hop_limit = 64;
	copy_saddr((__u8 *)&ip6h->saddr, 16);
	__builtin_memcpy(&ip6h->daddr, dst, 16);
	udp->source = bpf_htons(sport);
	udp->dest = bpf_htons(GEN_UDP_DPORT);
	udp->len = bpf_htons(udp_len);
	udp->check = 0;
	__builtin_memset(payload, 0, udp_len - sizeof(*udp));
	/* IPv6 requires the UDP checksum: pseudo-header, header, payload
	 * (zeros, so it adds nothing). */
	sum = csum_add16(0, &ip6h->saddr, 16);
	sum += bpf_htons(IPPROTO_UDP) + udp->len + udp->len;
	sum += udp->source + udp->dest;
	udp->check = csum_fold(sum) ?: 0xffff;
	return XDP_TX;
}

static __always_inline void swap_bytes(__u8 *a, __u8 *b, int len)
{
#pragma unroll
	for (int i = 0; i < len; i++) {
		__u8 t = a[i];

		a[i] = b[i];
		b[i] = t;
	}
}

/* A frame gen_v4/gen_v6 wrote, turned into its reply. */
static __always_inline void swap_flow(void *data, void *end)
{
	struct ethhdr *eth = data;
	struct ipv6hdr *ip6h = (void *)(eth + 1);
	struct iphdr *iph = (void *)(eth + 1);
	struct udphdr *udp;

	if (ipv6) {
		udp = (void *)(ip6h + 1);
		if ((void *)(udp + 1) > end)
			return;
		swap_bytes((__u8 *)&ip6h->saddr, (__u8 *)&ip6h->daddr, 16);
	} else {
		udp = (void *)(iph + 1);
		if ((void *)(udp + 1) > end)
			return;
		swap_bytes((__u8 *)&iph->saddr, (__u8 *)&iph->daddr, 4);
	}
	swap_bytes((__u8 *)&udp->source, (__u8 *)&udp->dest, 2);
}

SEC("xdp")
int traffic_gen(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u64 n = seq++;
	/* An odd multiplier permutes the table: every slot is visited, in
	 * an order with no locality. */
	__u32 slot = ((__u32)n * 2654435761u) & dst_mask;
	struct gen_dst *d = bpf_map_lookup_elem(&dsts, &slot);
	__u16 sport = fixed_sport ?: 1024 + (__u16)(n >> 3) % 16384;

	int rc;

	if (!d)
		return XDP_ABORTED;
	rc = ipv6 ? gen_v6(data, end, d->addr, sport)
		  : gen_v4(data, end, d->addr, sport);
	if (reverse && rc == XDP_TX)
		swap_flow(data, end);
	return rc;
}
