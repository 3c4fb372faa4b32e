/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Neutral route and nexthop events decoded from zebra's FPM stream.
 *
 * This is the whole contract between fpm-client and its consumer (the
 * dataplane RIB mirror). Nothing here knows about netlink, protobuf or BPF:
 * both wire encodings decode to the same events.
 */
#ifndef XR_FPM_EVENTS_H
#define XR_FPM_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

/*
 * ECMP paths carried inline in one route, and members of one nexthop group;
 * more are counted (err_too_many_paths, err_too_many_group) and never
 * truncated: the event is sent "unusable", so the key or id stops holding
 * what it held before (zebra replaced it) and the consumer leaves it to the
 * kernel. An unusable ROUTE_ADD is unicast with neither nh_id nor
 * nexthops; an unusable NH_ADD has no member, gateway, interface or
 * blackhole. Routes and nexthops the kernel encapsulates by (lwtunnel),
 * and EVPN FDB nexthops, are sent unusable the same way.
 */
#define FPM_MAX_PATHS 64
#define FPM_MAX_GROUP 64

enum fpm_event_type {
	FPM_EV_ROUTE_ADD, /* add or replace the route with this key */
	FPM_EV_ROUTE_DEL,
	FPM_EV_NH_ADD, /* add or replace the nexthop with this id */
	FPM_EV_NH_DEL,
	FPM_EV_PEER_UP,	  /* zebra connected: a full replay follows */
	FPM_EV_PEER_DOWN, /* zebra went away: its state is now stale */
};

enum fpm_route_type {
	FPM_RT_UNICAST,
	FPM_RT_BLACKHOLE,
	FPM_RT_UNREACHABLE,
	FPM_RT_PROHIBIT,
	FPM_RT_LOCAL,
};

/* fpm_route.flags */
#define FPM_RTF_REPLACE 0x1 /* netlink NLM_F_REPLACE was set */

struct fpm_nh_path {
	uint8_t family; /* family of gw: AF_INET or AF_INET6 (RTA_VIA) */
	bool has_gw;
	uint16_t weight;  /* 1..256, rtnh_hops + 1; 1 when not multipath */
	uint32_t ifindex; /* 0 when not given */
	uint8_t gw[16];	  /* network order, first 4 bytes for IPv4 */
};

/*
 * Key: (family, table, dst, prefixlen). A ROUTE_ADD carries the full new
 * state of the route, never a delta. A route either points at a nexthop
 * object (nh_id != 0, n_nexthops == 0) or carries its paths inline.
 */
struct fpm_route {
	uint8_t family; /* AF_INET or AF_INET6 */
	uint8_t prefixlen;
	uint8_t type;	  /* enum fpm_route_type */
	uint8_t protocol; /* RTPROT_* as zebra set it */
	uint8_t flags;	  /* FPM_RTF_* */
	uint8_t dst[16];  /* network order, host bits as sent */
	uint32_t table;	  /* kernel table id, 254 = main */
	uint32_t metric;
	uint32_t nh_id; /* 0 if nexthops are inline */
	uint16_t n_nexthops;
	struct fpm_nh_path nh[FPM_MAX_PATHS];
};

struct fpm_nh_member {
	uint32_t id;
	uint16_t weight; /* 1..65535; weight_high makes 65536 possible, */
			 /* which is counted as a decode error */
};

/*
 * A nexthop object: a single gateway/interface, a blackhole, or a group
 * (n_group > 0) of other nexthop ids with weights.
 */
struct fpm_nexthop {
	uint32_t id;
	uint8_t family; /* AF_INET, AF_INET6, or AF_UNSPEC for groups */
	bool has_gw;
	bool blackhole;
	uint8_t gw[16];
	uint32_t ifindex;
	uint16_t n_group;
	struct fpm_nh_member group[FPM_MAX_GROUP];
};

struct fpm_event {
	enum fpm_event_type type;
	union {
		struct fpm_route route; /* ROUTE_ADD, ROUTE_DEL */
		struct fpm_nexthop nh;	/* NH_ADD, NH_DEL (only id is set) */
	};
};

typedef void (*fpm_event_fn)(const struct fpm_event *ev, void *arg);

const char *fpm_event_type_name(enum fpm_event_type type);
const char *fpm_route_type_name(uint8_t type);

#endif
