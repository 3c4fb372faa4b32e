// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Program-cost wrapper. BPF_PROG_TEST_RUN with a repeat count runs the
 * program again and again on the same buffer without resetting it, so a
 * forwarder that rewrites MACs and TTL would, from the second run on,
 * measure its own "not our MAC" punt. The wrapper restores the frame from a
 * template and tail-calls the program under test; the same wrapper calling
 * a program that only returns XDP_PASS is the baseline, measured in the
 * same run and subtracted by the harness.
 *
 * Two copies: a tail call needs the caller and callee to agree on
 * multi-buffer support (xdp vs xdp.frags).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

#define TEMPLATE_MAX 128

struct template
{
	__u32 len;
	__u8 data[TEMPLATE_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct template);
	__uint(max_entries, 1);
} template SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 1);
} target SEC(".maps");

/* Runs of the wrapper: the locked add that drains the store buffer. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1);
} runs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 1);
} target_frags SEC(".maps");

/* n bytes, a multiple of 8, in 64-bit words: BPF_PROG_TEST_RUN's data is
 * 8-aligned (after XDP_PACKET_HEADROOM), so the stores are; the loads from
 * the template, after its 4-byte length, are not, which x86 does not mind. */
static __always_inline void copy_words(void *dst, const void *src, int n)
{
#pragma unroll
	for (int i = 0; i < n; i += 8)
		*(__u64 *)(dst + i) = *(const __u64 *)(src + i);
}

/*
 * Fixed sizes, so the copy unrolls: the 60-byte IPv4 and 66-byte IPv6
 * frames of program_cost.py. The program under test must then read a frame
 * at rest, as it reads one a NIC or a peer's veth delivered: its loads must
 * not be served from the stores just made, which costs whatever load spans
 * two of them (byte stores, as memcpy of unknown alignment made them, turned
 * every wider load into a stall). A locked add drains the store buffer
 * (x86: a full barrier); it is in the baseline too.
 */
static __always_inline int restore(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u32 key = 0;
	struct template *t = bpf_map_lookup_elem(&template, &key);
	__u64 *n = bpf_map_lookup_elem(&runs, &key);

	if (!t || !n)
		return -1;
	if (data + 66 <= end) {
		copy_words(data, t->data, 64);
		*(__u16 *)(data + 64) = *(__u16 *)(t->data + 64);
	} else if (data + 60 <= end) {
		copy_words(data, t->data, 56);
		*(__u32 *)(data + 56) = *(__u32 *)(t->data + 56);
	} else {
		return -1;
	}
	__sync_fetch_and_add(n, 1);
	return 0;
}

SEC("xdp")
int cost_wrap(struct xdp_md *ctx)
{
	if (restore(ctx))
		return XDP_ABORTED;
	bpf_tail_call(ctx, &target, 0);
	return XDP_ABORTED;
}

SEC("xdp.frags")
int cost_wrap_frags(struct xdp_md *ctx)
{
	if (restore(ctx))
		return XDP_ABORTED;
	bpf_tail_call(ctx, &target_frags, 0);
	return XDP_ABORTED;
}

SEC("xdp")
int cost_pass(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}

SEC("xdp.frags")
int cost_pass_frags(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}
