/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Map definitions. All are pinned by name so a restarted daemon, the CLI and
 * a replaced program share them; max_entries are defaults the loader may
 * change before the first load.
 */
#ifndef XR_MAPS_H
#define XR_MAPS_H

#include "xdp_router_abi.h"

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__type(key, struct xr_lpm_v4_key);
	__type(value, struct xr_route);
	__uint(max_entries, XR_ROUTE_V4_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} route_v4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__type(key, struct xr_lpm_v6_key);
	__type(value, struct xr_route);
	__uint(max_entries, XR_ROUTE_V6_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} route_v6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, struct xr_nexthop);
	__uint(max_entries, XR_NEXTHOP_MAX);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nexthops SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u32); /* a row of nh_rows, 0 = none */
	__uint(max_entries, XR_NEXTHOP_MAX);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nh_index SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct xr_nexthop);
	__uint(max_entries, XR_NEXTHOP_MAX *XR_NH_ROWS_PER_ID);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nh_rows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, struct xr_nh_group);
	__uint(max_entries, XR_GROUP_MAX);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nh_groups SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u32); /* a row of grp_rows, 0 = none */
	__uint(max_entries, XR_GROUP_MAX);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} grp_index SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct xr_nh_group);
	__uint(max_entries, XR_GROUP_MAX *XR_GROUP_ROWS_PER_ID);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} grp_rows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct xr_neigh_key);
	__type(value, struct xr_neigh);
	__uint(max_entries, XR_NEIGH_MAX);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} neighbours SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, struct xr_iface);
	__uint(max_entries, XR_IFACE_MAX);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} ifaces SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u32); /* a row of if_rows, 0 = none */
	__uint(max_entries, XR_IFINDEX_MAX);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} if_index SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct xr_iface);
	__uint(max_entries, XR_IFACE_MAX *XR_IF_ROWS_PER_SLOT);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} if_rows SEC(".maps");

/* 802.1Q sub-interfaces: (parent ifindex, VID) -> the sub-interface's
 * ifindex, whose row of if_rows the frame is then routed by. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct xr_vlan_key);
	__type(value, __u32);
	__uint(max_entries, XR_VLAN_MAX);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} vlan_rx SEC(".maps");

/* ip rules compiled for the program (bpf/rules.h), by family and bank. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct xr_ip_rule);
	__uint(max_entries, 2 * XR_RULE_BANKS * XR_RULES_MAX);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} ip_rules SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct xr_rule_head);
	__uint(max_entries, 2);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} rule_heads SEC(".maps");

/* Keyed by the egress interface's slot. Pinned by the loader, not libbpf:
 * see tx_ports_adopt() in loader.c. */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
	__uint(max_entries, XR_IFACE_MAX);
} tx_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct xr_counter);
	__uint(max_entries, XR_REASON_MAX);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32); /* struct xr_iface's slot */
	__type(value, struct xr_if_counters);
	__uint(max_entries, XR_IFACE_MAX);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} if_counters SEC(".maps");

/* The compiled IPv4 FIB. Mmapable: the daemon writes entries in place. The
 * loader shrinks them to one element when the LPM tries are selected. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct xr_dir24_chunk);
	__uint(max_entries, XR_DIR24_CHUNKS);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} fib4_tbl24 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct xr_dir24_chunk);
	__uint(max_entries, XR_DIR24_BLOCKS_DEFAULT);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} fib4_tbl8 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct xr_route);
	__uint(max_entries, XR_DIR24_MAX_LEAVES);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} fib4_leaves SEC(".maps");

/* The compiled IPv6 FIB, likewise shrunk to one element with --fib6 lpm. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct xr_mbt_chunk);
	__uint(max_entries, XR_MBT_ROOT_CHUNKS);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} fib6_root SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct xr_mbt_node);
	__uint(max_entries, XR_MBT_NODES_DEFAULT);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} fib6_nodes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct xr_route);
	__uint(max_entries, XR_MBT_MAX_LEAVES);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} fib6_leaves SEC(".maps");

#endif /* XR_MAPS_H */
