/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Flow sampling for sFlow (struct xr_flow_sample in xdp_router_abi.h): at
 * the program's one exit, 1 in N frames of an ingress interface, chosen by
 * a random skip as sFlow v5 asks (not every Nth), is copied with its
 * verdict to the ring buffer flow_samples. A full ring is counted and the
 * frame goes on: sampling never holds the fast path.
 *
 * A frame not taken costs a per-CPU countdown decremented inline; only the
 * frame it reaches calls the subprogram, which takes the sample and draws
 * the next skip, uniform in 1..2N-1 (mean N) by bpf_get_prandom_u32.
 *
 * Compiled in by default (xdp_router.bpf.o, loaded when sampling is
 * configured; xr_flow_sample is then 1) and out with XR_FLOW_SAMPLE_BUILD=0
 * (xdp_router_nosample.bpf.o, loaded otherwise): off is the program
 * without the feature, which tests/bpf/test_flow_sample.py checks by tag.
 */
#ifndef XR_FLOW_SAMPLE_H
#define XR_FLOW_SAMPLE_H

#include "map_defs.h"

#ifndef XR_FLOW_SAMPLE_BUILD
#define XR_FLOW_SAMPLE_BUILD 1
#endif

#if XR_FLOW_SAMPLE_BUILD
/* Set by the loader before load (struct xr_loader_opts.flow_sample). */
const volatile __u8 xr_flow_sample = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, XR_SAMPLE_RING_BYTES);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} flow_samples SEC(".maps");

/* 1-in-N by the ingress interface's slot (struct xr_iface.slot; 0 for a
 * frame from an interface the maps do not know); 0 = not sampled. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, XR_IFACE_MAX);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} sample_rates SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct xr_sample_stats);
	__uint(max_entries, 1);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} sample_stats SEC(".maps");

/* Frames left until the next sample, by ingress slot and CPU: 1 = this
 * one, 0 = none drawn yet (the loader's zeroes, or sample_ring_set_rate's
 * reset after a new rate, so a skip drawn at the old one cannot hold it). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, XR_IFACE_MAX);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} sample_skip SEC(".maps");

/* At rate 0 the rate is read again after this many frames: a rate written
 * without the reset is still seen, for one call per 65536 frames. */
#define XR_SAMPLE_IDLE_SKIP 65536

/* The record is built here, not on the stack the pipeline already uses. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct xr_flow_sample);
	__uint(max_entries, 1);
} sample_scratch SEC(".maps");

/* The frames to the next sample: uniform in 1..2N-1, mean N (in 64 bits:
 * 2N-1 overflows 32 for N >= 2^31). */
static __always_inline __u32 flow_sample_skip(__u32 rate)
{
	return 1 + (__u32)(bpf_get_prandom_u32() % (2 * (__u64)rate - 1));
}

/* The countdown of in_slot reached this frame. A subprogram takes 5
 * arguments: verdict is action << 16 | reason, ifindexes in << 32 | out. */
static __noinline int flow_sample_take(struct xdp_md *ctx, __u32 verdict,
				       __u32 in_slot, __u64 ifindexes,
				       __u64 frame_len)
{
	__u32 action = verdict >> 16, zero = 0, *rate, *left, n;
	struct xr_sample_stats *st;
	struct xr_flow_sample *s;
	__u64 len;

	rate = bpf_map_lookup_elem(&sample_rates, &in_slot);
	left = bpf_map_lookup_elem(&sample_skip, &in_slot);
	if (!rate || !left)
		return 0;
	n = *rate;
	if (!n) {
		*left = XR_SAMPLE_IDLE_SKIP;
		return 0;
	}
	/* this frame is the first of a skip not yet drawn: count it in */
	if (!*left) {
		*left = flow_sample_skip(n);
		if (*left > 1) {
			*left -= 1;
			return 0;
		}
	}
	*left = flow_sample_skip(n);
	s = bpf_map_lookup_elem(&sample_scratch, &zero);
	st = bpf_map_lookup_elem(&sample_stats, &zero);
	if (!s || !st)
		return 0;
	s->in_ifindex = ifindexes >> 32;
	s->out_ifindex = action == XDP_REDIRECT ? (__u32)ifindexes : 0;
	s->frame_len = frame_len;
	s->rate = n;
	s->reason = verdict & 0xffff;
	s->action = action;
	len = XR_SAMPLE_HEADER_BYTES;
	if (frame_len < XR_SAMPLE_HEADER_BYTES) {
		len = frame_len;
		/* checked in the register passed, so the verifier sees the
		 * bounds the compiler would otherwise fold away */
		asm volatile("" : "+r"(len));
		if (len == 0 || len > XR_SAMPLE_HEADER_BYTES)
			len = 0;
	}
	if (len && bpf_xdp_load_bytes(ctx, 0, s->header, len))
		len = 0;
	s->header_len = len;
	if (bpf_ringbuf_output(&flow_samples, s, sizeof(*s), 0))
		st->ring_full++;
	else
		st->sampled++;
	return 0;
}

/* The hook at the exit, after the verdict is final: a frame not taken is
 * one inlined per-CPU lookup and a decrement. */
static __always_inline void
flow_sample_record(struct xdp_md *ctx, int action, __u32 reason, __u32 in_slot,
		   __u32 in_ifindex, __u32 out_ifindex, __u64 frame_len)
{
	__u32 *left;

	if (!xr_flow_sample)
		return;
	left = bpf_map_lookup_elem(&sample_skip, &in_slot);
	if (!left)
		return;
	if (*left > 1) {
		*left -= 1;
		return;
	}
	flow_sample_take(ctx, (__u32)action << 16 | reason, in_slot,
			 (__u64)in_ifindex << 32 | out_ifindex, frame_len);
}
#else
static __always_inline void
flow_sample_record(struct xdp_md *ctx, int action, __u32 reason, __u32 in_slot,
		   __u32 in_ifindex, __u32 out_ifindex, __u64 frame_len)
{
}
#endif

#endif /* XR_FLOW_SAMPLE_H */
