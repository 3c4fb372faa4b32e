// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The sink: counts every frame and drops it. Attached to the sink's veth,
 * it also gives that veth the NAPI instance without which frames
 * redirected into its peer would be silently dropped.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct sink_count {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct sink_count);
	__uint(max_entries, 1);
} sink_stats SEC(".maps");

SEC("xdp")
int sink_count(struct xdp_md *ctx)
{
	__u32 key = 0;
	struct sink_count *c = bpf_map_lookup_elem(&sink_stats, &key);

	if (c) {
		c->packets++;
		c->bytes += ctx->data_end - ctx->data;
	}
	return XDP_DROP;
}
