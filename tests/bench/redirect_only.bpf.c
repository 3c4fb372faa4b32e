// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The harness limit (issue 18): every frame redirected to the sink's port,
 * with no parsing, no lookup and no rewrite. What the router's vCPU can
 * push through the veth redirect and the sink on this host; each mode's
 * rate is also reported as a fraction of this one. A devmap, as our
 * forwarder's tx_ports, so the redirect itself costs the same.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

/* Slot 0: the router's egress towards the sink; the harness sets it. */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 1);
} tx_port SEC(".maps");

SEC("xdp")
int redirect_only(struct xdp_md *ctx)
{
	(void)ctx;
	return bpf_redirect_map(&tx_port, 0, 0);
}
