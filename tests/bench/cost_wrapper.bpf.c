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

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 1);
} target_frags SEC(".maps");

/* Fixed sizes, so the copy unrolls: the 60-byte IPv4 and 66-byte IPv6
 * frames of program_cost.py. */
static __always_inline int restore(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u32 key = 0;
	struct template *t = bpf_map_lookup_elem(&template, &key);

	if (!t)
		return -1;
	if (data + 66 <= end)
		__builtin_memcpy(data, t->data, 66);
	else if (data + 60 <= end)
		__builtin_memcpy(data, t->data, 60);
	else
		return -1;
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
