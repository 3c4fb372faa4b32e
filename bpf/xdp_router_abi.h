/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The one ABI shared by the XDP program and userspace: every map key and
 * value, the verdict reasons and their names, the limits. A layout changes
 * here and nowhere else; the _Static_asserts catch an accidental change of
 * size, which would break maps pinned by an older build.
 */
#ifndef XDP_ROUTER_ABI_H
#define XDP_ROUTER_ABI_H

#include <linux/types.h>
#include <linux/bpf.h>

#define XR_ABI_VERSION 4 /* 4: xr_ip_rule gained vrf, xr_iface vlan_tci */

/* Limits. Map sizes are defaults; the loader may resize before load. */
#define XR_MAX_ECMP 16	      /* members of one nexthop group */
#define XR_GROUP_BUCKETS 128U /* hash buckets a group spreads flows over */
#define XR_ROUTE_V4_MAX (1U << 21)
#define XR_ROUTE_V6_MAX (1U << 19)
#define XR_NEXTHOP_MAX 65536
#define XR_GROUP_MAX 16384
#define XR_NEIGH_MAX 65536
#define XR_IFACE_MAX 1024
/*
 * The program reads interfaces, nexthops and groups through arrays, not the
 * hashes userspace keeps: an index by key naming a row, rows used in turn so
 * that none is rewritten while a packet may read it
 * (dataplane/maps/map_rows.h). Interfaces with an ifindex at or above
 * XR_IFINDEX_MAX stay with the kernel; nexthop ids are below XR_NEXTHOP_MAX,
 * group ids (their own space) below XR_GROUP_MAX.
 */
#define XR_IFINDEX_MAX 65536
#define XR_IF_ROWS_PER_SLOT 4
#define XR_NH_ROWS_PER_ID 2
#define XR_GROUP_ROWS_PER_ID 2

#define XR_PIN_DIR_DEFAULT "/sys/fs/bpf/xdp-router"

/*
 * Verdict reasons: one list, expanded into the enum and the name table. The
 * third column is the XDP action the reason implies.
 */
#define XR_REASONS(X)                                              \
	X(FORWARD, "forwarded", XDP_REDIRECT)                      \
	X(PUNT_NOT_IP, "not-ip", XDP_PASS)                         \
	X(PUNT_ARP, "arp", XDP_PASS)                               \
	X(PUNT_ND, "neighbour-discovery", XDP_PASS)                \
	X(PUNT_OTHER_HOST, "not-our-mac", XDP_PASS)                \
	X(PUNT_INGRESS_UNKNOWN, "ingress-unknown", XDP_PASS)       \
	X(PUNT_LOCAL, "local-destination", XDP_PASS)               \
	X(PUNT_MCAST, "multicast-broadcast-linklocal", XDP_PASS)   \
	X(PUNT_MARTIAN, "martian-address", XDP_PASS)               \
	X(PUNT_TTL, "ttl-expired", XDP_PASS)                       \
	X(PUNT_OPTIONS, "ip-options", XDP_PASS)                    \
	X(PUNT_FRAGMENT, "fragment", XDP_PASS)                     \
	X(PUNT_BAD_HEADER, "bad-ip-header", XDP_PASS)              \
	X(PUNT_MTU, "mtu-exceeded", XDP_PASS)                      \
	X(PUNT_NO_ROUTE, "lpm-miss", XDP_PASS)                     \
	X(PUNT_NO_NEXTHOP, "nexthop-missing", XDP_PASS)            \
	X(PUNT_NEIGH_UNRESOLVED, "neighbour-unresolved", XDP_PASS) \
	X(PUNT_EGRESS_NO_XDP, "egress-not-xdp", XDP_PASS)          \
	X(PUNT_UNREACHABLE, "unreachable-route", XDP_PASS)         \
	X(PUNT_FEATURE_OFF, "feature-disabled", XDP_PASS)          \
	X(PUNT_FORWARDING_OFF, "forwarding-disabled", XDP_PASS)    \
	X(PUNT_POLICY_IN, "ingress-policy", XDP_PASS)              \
	X(PUNT_POLICY_OUT, "egress-policy", XDP_PASS)              \
	X(PUNT_HAIRPIN, "hairpin-redirect", XDP_PASS)              \
	X(PUNT_CT_PROTO, "conntrack-not-tcp-udp", XDP_PASS)        \
	X(PUNT_CT_TCP_FLAGS, "conntrack-syn-fin-rst", XDP_PASS)    \
	X(PUNT_CT_MISS, "conntrack-miss", XDP_PASS)                \
	X(PUNT_CT_UNREPLIED, "conntrack-unreplied", XDP_PASS)      \
	X(PUNT_CT_RELATED, "conntrack-related", XDP_PASS)          \
	X(PUNT_CT_NAT, "conntrack-nat", XDP_PASS)                  \
	X(PUNT_CT_HELPER, "conntrack-helper", XDP_PASS)            \
	X(PUNT_CT_STATE, "conntrack-not-established", XDP_PASS)    \
	X(PUNT_CT_TCP_WINDOW, "conntrack-tcp-window", XDP_PASS)    \
	X(PUNT_RPF, "rp-filter", XDP_PASS)                         \
	X(PUNT_RPF_UNPROVEN, "rp-filter-unproven", XDP_PASS)       \
	X(PUNT_IP_RULE, "ip-rule", XDP_PASS)                       \
	X(PUNT_VLAN_UNKNOWN, "vlan-unknown", XDP_PASS)             \
	X(PUNT_VLAN_STACKED, "vlan-stacked", XDP_PASS)             \
	X(PUNT_VLAN_PRIORITY, "vlan-priority-tagged", XDP_PASS)    \
	X(PUNT_VLAN_UNUSUAL, "vlan-unusual", XDP_PASS)             \
	X(DROP_BLACKHOLE, "blackhole", XDP_DROP)                   \
	X(DROP_MALFORMED, "malformed-frame", XDP_DROP)             \
	X(DROP_TX_FAILED, "redirect-failed", XDP_DROP)             \
	X(DROP_IP_RULE, "ip-rule-blackhole", XDP_DROP)

#define XR_REASON_ENUM(name, str, action) XR_##name,
enum xr_reason { XR_REASONS(XR_REASON_ENUM) XR_REASON_MAX };
#undef XR_REASON_ENUM

/* Route actions: what a longest-prefix match tells the forwarder to do. */
#define XR_ROUTE_ACTIONS(X)                                                  \
	X(NEXTHOP, "nexthop")	  /* id = nexthop id */                      \
	X(GROUP, "group")	  /* id = nexthop group id */                \
	X(CONNECTED, "connected") /* id = ifindex; dst looked up as neigh */ \
	X(BLACKHOLE, "blackhole") /* drop */                                 \
	X(UNREACHABLE, "unreachable") /* punt: kernel sends the ICMP */      \
	X(LOCAL, "local")	      /* punt: addressed to the router */

#define XR_ROUTE_ENUM(name, str) XR_ROUTE_##name,
enum xr_route_action { XR_ROUTE_ACTIONS(XR_ROUTE_ENUM) XR_ROUTE_ACTION_MAX };
#undef XR_ROUTE_ENUM

/*
 * LPM keys. prefixlen counts the vrf bits too: a route of length L is stored
 * with prefixlen 32 + L so the VRF id is always matched exactly. The VRF id is
 * big-endian, like the address, because the trie compares bytes in order.
 */
#define XR_LPM_VRF_BITS 32

struct xr_lpm_v4_key {
	__u32 prefixlen;
	__be32 vrf;
	__u8 addr[4];
};

struct xr_lpm_v6_key {
	__u32 prefixlen;
	__be32 vrf;
	__u8 addr[16];
};

struct xr_route {
	__u8 action; /* enum xr_route_action */
	__u8 pad[3];
	__u32 id; /* nexthop id, group id or ifindex, by action */
};

/* Nexthops are keyed by zebra's nexthop id (__u32). */
enum xr_nexthop_flags {
	XR_NH_F_RESOLVED = 1 << 0, /* dmac is valid: forward; else punt */
	XR_NH_F_GATEWAY = 1 << 1,  /* gw holds the gateway's address */
};

struct xr_nexthop {
	__u32 ifindex; /* egress */
	__u32 flags;   /* enum xr_nexthop_flags */
	__u32 mtu;     /* route MTU, 0 = the egress interface's */
	__u8 dmac[6];  /* the gateway's (or host's) MAC, when resolved */
	__u8 family;   /* AF_INET or AF_INET6 of gw */
	__u8 pad;
	__u8 gw[16]; /* for display and neighbour tracking */
};

/*
 * A group spreads flows over its members by hash bucket; the bucket table
 * encodes the weights. A change is a new row (map_rows.h), so a packet sees
 * either the old group or the new one.
 */
struct xr_nh_group {
	__u32 n_members;
	__u32 member[XR_MAX_ECMP]; /* nexthop ids */
	__u8 weight[XR_MAX_ECMP];
	__u8 bucket[XR_GROUP_BUCKETS]; /* index into member[] */
};

/* Neighbours of connected routes: (ifindex, family, address) -> MAC. */
struct xr_neigh_key {
	__u32 ifindex;
	__u8 family;
	__u8 pad[3];
	__u8 addr[16]; /* IPv4 in the first 4 bytes, rest zero */
};

struct xr_neigh {
	__u8 mac[6];
	__u16 pad;
};

/*
 * Per-interface facts the forwarder needs. Userspace keeps them in the hash
 * `ifaces` by ifindex; the program reads a copy in arrays (if_index names a
 * row of if_rows, see dataplane/maps/map_rows.h), as it does for nexthops.
 */
enum xr_iface_flags {
	XR_IF_F_INGRESS = 1 << 0, /* our program is attached here */
	XR_IF_F_TX = 1 << 1,	  /* in tx_ports and can take XDP frames */
	XR_IF_F_UP = 1 << 2,
};

/*
 * The plan: what the kernel's configuration (sysctls, ip rules, netfilter,
 * qdiscs and tc filters, xfrm) lets the fast path do with a packet entering
 * (_IN) or leaving (_OUT) an interface, compiled by the daemon into the
 * same flags word (dataplane/kernel/plan.h). A clear bit costs the program
 * nothing but its test; a set bit is a check it makes or a punt. Columns:
 * name, bit, the name operators read.
 */
#define XR_IF_PLAN_FLAGS(X)                                                   \
	X(NOFWD_V4, 3, "ipv4-forwarding-off") /* in: sysctl forwarding=0 */   \
	X(NOFWD_V6, 4, "ipv6-forwarding-off")                                 \
	X(RPF_STRICT_V4, 5, "rp-filter-strict")	  /* in: uRPF, rp_filter=1 */ \
	X(RPF_LOOSE_V4, 6, "rp-filter-loose")	  /* in: rp_filter=2 */       \
	X(REDIRECTS_V4, 7, "ipv4-send-redirects") /* in: hairpins punt */     \
	X(REDIRECTS_V6, 8, "ipv6-send-redirects")                             \
	X(PUNT_IN_V4, 9, "ipv4-punt-in") /* in: a policy may see it */        \
	X(PUNT_IN_V6, 10, "ipv6-punt-in")                                     \
	X(PUNT_OUT_V4, 11, "ipv4-punt-out") /* out: a policy may see it */    \
	X(PUNT_OUT_V6, 12, "ipv6-punt-out")                                   \
	X(CT_IN_V4, 13, "ipv4-conntrack-in") /* only established flows */     \
	X(CT_IN_V6, 14, "ipv6-conntrack-in")                                  \
	X(CT_OUT_V4, 15, "ipv4-conntrack-out")                                \
	X(CT_OUT_V6, 16, "ipv6-conntrack-out")                                \
	X(RULES_V4, 17, "ipv4-ip-rules") /* in: a rule may match: punt */     \
	X(RULES_V6, 18, "ipv6-ip-rules")                                      \
	X(RULE_CHECK_V4, 19, "ipv4-rule-check") /* in: the compiled rules */  \
	X(RULE_CHECK_V6, 20, "ipv6-rule-check")                               \
	/* in/out: conntrack tracks TCP windows (tcp_be_liberal=0): TCP of a  \
	 * pair with a conntrack check punts unless its entry is liberal */   \
	X(CT_TCP_STRICT, 21, "conntrack-tcp-window-strict")

#define XR_IF_PLAN_ENUM(name, bit, str) XR_IF_F_##name = 1U << (bit),
enum xr_iface_plan_flags { XR_IF_PLAN_FLAGS(XR_IF_PLAN_ENUM) };
#undef XR_IF_PLAN_ENUM
#define XR_IF_PLAN_BITS(name, bit, str) | XR_IF_F_##name
#define XR_IF_PLAN_MASK (0 XR_IF_PLAN_FLAGS(XR_IF_PLAN_BITS))
/* The conntrack checks, which CT_TCP_STRICT gates. */
#define XR_IF_PLAN_CT_CHECK                                        \
	(XR_IF_F_CT_IN_V4 | XR_IF_F_CT_IN_V6 | XR_IF_F_CT_OUT_V4 | \
	 XR_IF_F_CT_OUT_V6)
/* Until every source of the plan has been read, nothing is proven. */
#define XR_IF_PLAN_PUNT_ALL                                              \
	(XR_IF_F_PUNT_IN_V4 | XR_IF_F_PUNT_IN_V6 | XR_IF_F_PUNT_OUT_V4 | \
	 XR_IF_F_PUNT_OUT_V6)

struct xr_iface {
	__u8 mac[6];
	/* An 802.1Q sub-interface: the tag its frames leave with, in network
	 * order (the VID, priority 0, as the kernel's vlan device sends a
	 * forwarded packet without an egress-qos-map); its slot's tx_ports
	 * entry is the parent. 0: not a VLAN. */
	__be16 vlan_tci;
	__u32 mtu;
	__u32 flags; /* enum xr_iface_flags */
	__be32 vrf;  /* VRF id routes of this ingress are looked up in */
	/* Its row of if_counters, an array: two hash lookups a packet fewer
	 * than counters keyed by ifindex. 0 = unattributed. Set by the map
	 * layer (xr_iface_set), not by callers. */
	__u32 slot;
};

/*
 * The compiled IPv4 FIB (DIR-24-8), used for VRF 0 when the loader selects
 * it: the top 24 bits of the destination index a 16-bit entry, which is a
 * leaf (an index into fib4_leaves, 0 = no route) or, with XR_DIR24_BLOCK set,
 * a 256-entry block of fib4_tbl8 indexed by the last 8 bits. Entries are
 * grouped 256 to an array element because the kernel rounds every array
 * element up to 8 bytes.
 */
#define XR_DIR24_CHUNK 256
#define XR_DIR24_CHUNKS (1U << 16) /* 2^24 entries / 256 */
#define XR_DIR24_BLOCK 0x8000
#define XR_DIR24_MAX_LEAVES 0x8000 /* leaf ids 1..32767 */
#define XR_DIR24_MAX_BLOCKS 0x8000
#define XR_DIR24_BLOCKS_DEFAULT 4096

struct xr_dir24_chunk {
	__u16 e[XR_DIR24_CHUNK];
};

enum xr_fib_kind {
	XR_FIB_LPM = 0,	  /* LPM tries only */
	XR_FIB_DIR24 = 1, /* IPv4 VRF 0 in the compiled FIB */
};

/*
 * The compiled IPv6 FIB, a multibit trie (MBT) for VRF 0: the top 20 bits
 * of the destination index fib6_root, each further 4 bits a 16-entry node
 * of fib6_nodes. An entry is a leaf (an index into fib6_leaves, 0 = no
 * route) or, with XR_MBT_NODE set, the index of the node for the next 4
 * bits. A node is one 64-byte cache line, and a sparse table costs at most
 * one node per 4 bits of a prefix beyond /20: IPv6 tables are sparse below
 * /32, where 8-bit blocks would be mostly copies. The root is grouped 256
 * entries to an array element, like tbl24.
 */
#define XR_MBT_ROOT_BITS 20
#define XR_MBT_STRIDE 4
#define XR_MBT_FANOUT (1U << XR_MBT_STRIDE)
#define XR_MBT_LEVELS ((128 - XR_MBT_ROOT_BITS) / XR_MBT_STRIDE)
#define XR_MBT_ROOT_CHUNK 256
#define XR_MBT_ROOT_CHUNKS ((1U << XR_MBT_ROOT_BITS) / XR_MBT_ROOT_CHUNK)
#define XR_MBT_NODE 0x80000000U
#define XR_MBT_MAX_LEAVES 0x10000	/* leaf ids 1..65535 */
#define XR_MBT_NODES_DEFAULT (1U << 19) /* 32 MiB */

struct xr_mbt_chunk {
	__u32 e[XR_MBT_ROOT_CHUNK];
};

struct xr_mbt_node {
	__u32 e[XR_MBT_FANOUT];
};

enum xr_fib6_kind {
	XR_FIB6_LPM = 0, /* the route_v6 trie only */
	XR_FIB6_MBT = 1, /* IPv6 VRF 0 in the multibit trie */
};

/*
 * ip rules the program evaluates itself (bpf/rules.h), compiled by the
 * daemon (kernel/rules_follow.c) where the ingress's plan has
 * XR_IF_F_RULE_CHECK_*: the rules between the kernel's local and main
 * rules, in the kernel's order. A rule whose selectors match decides: the
 * main table, another table the daemon proved equal to the kernel's
 * (XR_RULE_TABLE: that table's VRF in route_v4/route_v6), a drop as the
 * kernel's blackhole, or a punt (a table not proven, unreachable,
 * prohibit, a selector the program cannot see). No rule
 * matching leaves the main table's route. Each family's rules are in one
 * of two banks, used in turn, so a change never rewrites the rules a
 * packet may be reading; rule_heads names the live bank.
 */
#define XR_RULES_MAX 64 /* rules per family and bank */
#define XR_RULE_BANKS 2

#define XR_RULE_ACTIONS(X)                                                   \
	X(MAIN, "lookup-main")	  /* the main table's route; a miss punts */ \
	X(BLACKHOLE, "blackhole") /* drop */                                 \
	X(PUNT, "punt")		  /* the kernel decides */                   \
	X(TABLE, "lookup-table")  /* vrf's route; a miss punts */

#define XR_RULE_ENUM(name, str) XR_RULE_##name,
enum xr_rule_action { XR_RULE_ACTIONS(XR_RULE_ENUM) XR_RULE_ACTION_MAX };
#undef XR_RULE_ENUM

enum xr_rule_flags {
	XR_RULE_F_INVERT = 1 << 0, /* `not`: the match inverted */
	XR_RULE_F_IIF = 1 << 1,	   /* iif must be the ingress */
};
#define XR_RULE_IIF_NONE 0xffffffffU /* a name no link has: never equal */

struct xr_ip_rule {
	__u8 action; /* enum xr_rule_action */
	__u8 flags;  /* enum xr_rule_flags */
	__u8 src_len;
	__u8 dst_len;
	__u32 iif;
	__be32 src[4]; /* IPv4 in the first word */
	__be32 dst[4];
	__be32 vrf; /* XR_RULE_TABLE: the VRF id, as route keys hold it */
};

/* Per family (0 IPv4, 1 IPv6): the live bank and each bank's rule count.
 * Rule i of a bank is ip_rules[(family * XR_RULE_BANKS + bank) *
 * XR_RULES_MAX + i]. The daemon writes a bank's count, then its rules,
 * then flips bank, each write changing one word a reader may use. */
struct xr_rule_head {
	__u32 bank;
	__u32 n[XR_RULE_BANKS];
	__u32 pad;
};

/* Counters: per CPU, {packets, bytes}; per reason and per interface (by the
 * interface's slot). */
struct xr_counter {
	__u64 packets;
	__u64 bytes;
};

struct xr_if_counters {
	struct xr_counter rx_forwarded;
	struct xr_counter rx_punted;
	struct xr_counter rx_dropped;
	struct xr_counter tx_forwarded; /* as the egress of a redirect */
};

/*
 * Load-time switches: const volatile in the program, so the verifier prunes
 * what is off. The object keeps them in .rodata; the loader logs them.
 */
struct xr_features {
	__u8 ipv6; /* forward IPv6 (else punt it as feature-disabled) */
	__u8 ecmp; /* use nexthop groups (else punt group routes) */
	__u8 fib;  /* enum xr_fib_kind for IPv4 */
	__u8 fib6; /* enum xr_fib6_kind */
	/* Forward established flows where the plan asks for a conntrack
	 * check (XR_IF_F_CT_*); off, those packets punt as feature-disabled
	 * and conntrack sees them all (bpf/conntrack.h). */
	__u8 conntrack;
	/* Parse one 802.1Q tag and route the frame as arriving on its
	 * sub-interface (vlan_rx); push, rewrite or pop the tag on egress
	 * (xr_iface.vlan_tci). Off, tagged frames punt as feature-disabled
	 * and the untagged path has no VLAN test at all. */
	__u8 vlan;
	__u8 pad[2];
};

/*
 * 802.1Q sub-interfaces by (parent, VID): vlan_rx names the sub-interface
 * a tagged frame arriving on the parent is routed as, written by the
 * daemon (kernel/vlan_links.c) only for the VLANs the fast path can treat
 * as the kernel does; a miss punts.
 */
#define XR_VLAN_MAX 4096
#define XR_VLAN_VID_MASK 0x0fff

struct xr_vlan_key {
	__u32 parent_ifindex;
	__u16 vid;
	__u16 pad;
};

/*
 * The timeouts the kernel gives an established entry, which an accelerated
 * packet refreshes as the kernel would (nf_conntrack_proto_udp.c,
 * nf_conntrack_proto_tcp.c): net.netfilter.nf_conntrack_udp_timeout_stream
 * and nf_conntrack_tcp_timeout_established of the router's namespace, read
 * by the loader when it loads the program.
 */
struct xr_ct_timeouts {
	__u32 udp_stream_ms;
	__u32 tcp_established_ms;
};
#define XR_CT_UDP_STREAM_MS_DEFAULT (120U * 1000)
#define XR_CT_TCP_ESTABLISHED_MS_DEFAULT (5U * 24 * 3600 * 1000)

#ifndef __bpf__
/* Names the CLI and the metrics print, from the same list as the enum. */
static inline const char *xr_reason_name(unsigned int reason)
{
#define XR_REASON_STR(name, str, action) [XR_##name] = str,
	static const char *const names[XR_REASON_MAX] = {
		XR_REASONS(XR_REASON_STR)};
#undef XR_REASON_STR
	return reason < XR_REASON_MAX ? names[reason] : "unknown";
}

static inline unsigned int xr_reason_action(unsigned int reason)
{
#define XR_REASON_ACT(name, str, action) [XR_##name] = action,
	static const unsigned int actions[XR_REASON_MAX] = {
		XR_REASONS(XR_REASON_ACT)};
#undef XR_REASON_ACT
	return reason < XR_REASON_MAX ? actions[reason] : XDP_ABORTED;
}

static inline const char *xr_route_action_name(unsigned int action)
{
#define XR_ROUTE_STR(name, str) [XR_ROUTE_##name] = str,
	static const char *const names[XR_ROUTE_ACTION_MAX] = {
		XR_ROUTE_ACTIONS(XR_ROUTE_STR)};
#undef XR_ROUTE_STR
	return action < XR_ROUTE_ACTION_MAX ? names[action] : "unknown";
}
#endif

_Static_assert(sizeof(struct xr_lpm_v4_key) == 12, "lpm v4 key");
_Static_assert(sizeof(struct xr_lpm_v6_key) == 24, "lpm v6 key");
_Static_assert(sizeof(struct xr_route) == 8, "route");
_Static_assert(sizeof(struct xr_nexthop) == 36, "nexthop");
_Static_assert(sizeof(struct xr_nh_group) ==
		       4 + 4 * XR_MAX_ECMP + XR_MAX_ECMP + XR_GROUP_BUCKETS,
	       "nh group");
_Static_assert(sizeof(struct xr_neigh_key) == 24, "neigh key");
_Static_assert(sizeof(struct xr_neigh) == 8, "neigh");
_Static_assert(sizeof(struct xr_iface) == 24, "iface");
_Static_assert(sizeof(struct xr_vlan_key) == 8, "vlan key");
_Static_assert(sizeof(struct xr_if_counters) == 64, "if counters");
_Static_assert(sizeof(struct xr_features) == 8, "features");
_Static_assert(sizeof(struct xr_ip_rule) == 44, "ip rule");
_Static_assert(sizeof(struct xr_rule_head) == 16, "rule head");
_Static_assert(sizeof(struct xr_ct_timeouts) == 8, "ct timeouts");
_Static_assert(sizeof(struct xr_dir24_chunk) == 512, "dir24 chunk");
_Static_assert(sizeof(struct xr_mbt_chunk) == 1024, "mbt root chunk");
_Static_assert(sizeof(struct xr_mbt_node) == 64, "mbt node");
_Static_assert((128 - XR_MBT_ROOT_BITS) % XR_MBT_STRIDE == 0, "mbt strides");

/*
 * Flow sampling (bpf/flow_sample.h, read by dataplane/export/): 1 in
 * sample_rates[slot] frames entering the interface of that slot, chosen by
 * a random skip, goes to the ring flow_samples with the first
 * XR_SAMPLE_HEADER_BYTES of the frame as the program leaves it (a
 * forwarded frame already rewritten: new MACs, TTL - 1). Forwarded, punted
 * (sampled at XDP before the kernel sees it) and dropped frames alike; the
 * action says which path it took. A full ring is counted in sample_stats,
 * never waited for. Off, the loader runs the build without it
 * (xdp_router_nosample.bpf.o, see bpf/flow_sample.h).
 */
#define XR_SAMPLE_HEADER_BYTES 128
#define XR_SAMPLE_RING_BYTES (256U * 1024)
#define XR_SAMPLE_RATE_MAX (1U << 24)

struct xr_flow_sample {
	__u32 in_ifindex;
	__u32 out_ifindex; /* the egress of a forwarded frame, else 0 */
	__u32 frame_len;   /* on the wire, all fragments */
	__u32 rate;	   /* the 1-in-N it was sampled at */
	__u16 reason;	   /* enum xr_reason */
	__u8 action;	   /* the path: XDP_REDIRECT fast path, XDP_PASS the
			    * kernel, XDP_DROP dropped */
	__u8 header_len;   /* bytes of header[] taken */
	__u32 pad;
	__u8 header[XR_SAMPLE_HEADER_BYTES];
};

struct xr_sample_stats {
	__u64 sampled;	 /* records written to the ring */
	__u64 ring_full; /* chosen, but the ring had no room */
};

_Static_assert(sizeof(struct xr_flow_sample) == 24 + XR_SAMPLE_HEADER_BYTES,
	       "flow sample");
_Static_assert(sizeof(struct xr_sample_stats) == 16, "sample stats");

#endif /* XDP_ROUTER_ABI_H */
