/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Counters of the FPM client, declared once. The X-macro yields the struct
 * fields, the enum used to index them and the name table a CLI or metrics
 * endpoint iterates, so there is no second list to keep in sync.
 */
#ifndef XR_FPM_STATS_H
#define XR_FPM_STATS_H

#include <stddef.h>
#include <stdint.h>

/* X(name, help) */
#define FPM_STATS(X)                                                           \
	/* stream and connections */                                           \
	X(connections, "zebra connections accepted")                           \
	X(conn_replaced, "connections closed because a new one arrived")       \
	X(peers_refused, "connections refused: socket not an allowed user's")  \
	X(conn_closed, "connections closed (EOF, error or replaced)")          \
	X(accept_errors, "accept() failures")                                  \
	X(read_errors, "read() failures other than EAGAIN")                    \
	X(read_yields, "reads stopped by the time budget, rest left queued")   \
	X(bytes, "bytes received")                                             \
	X(frames, "complete FPM frames")                                       \
	X(frames_netlink, "frames with a netlink payload")                     \
	X(frames_protobuf, "frames with a protobuf payload")                   \
	/* framing errors: the stream cannot be trusted, connection closed */  \
	X(err_frame_version, "frame header with version != 1")                 \
	X(err_frame_type, "frame header with unknown message type")            \
	X(err_frame_length, "frame length < 4 (cannot advance)")               \
	X(err_frame_empty, "frame length 4 (header without message)")          \
	X(err_frame_truncated, "stream ended inside a frame")                  \
	X(err_frame_trailing, "bytes after the frame given to decode_frame")   \
	X(err_frame_timeout, "connections dropped inside an unfinished frame") \
	/* netlink messages seen, by type */                                   \
	X(msg_newroute, "RTM_NEWROUTE messages")                               \
	X(msg_delroute, "RTM_DELROUTE messages")                               \
	X(msg_newnexthop, "RTM_NEWNEXTHOP messages")                           \
	X(msg_delnexthop, "RTM_DELNEXTHOP messages")                           \
	X(msg_neigh, "RTM_NEWNEIGH/RTM_DELNEIGH messages")                     \
	X(msg_other, "netlink messages of any other type")                     \
	/* protobuf messages seen, by type */                                  \
	X(msg_pb_add_route, "protobuf AddRoute messages")                      \
	X(msg_pb_del_route, "protobuf DeleteRoute messages")                   \
	X(msg_pb_other, "protobuf messages of unknown type")                   \
	/* events emitted */                                                   \
	X(ev_route_add, "route add/replace events")                            \
	X(ev_route_del, "route delete events")                                 \
	X(ev_nh_add, "nexthop add/replace events")                             \
	X(ev_nh_del, "nexthop delete events")                                  \
	/* recognised, not forwarded */                                        \
	X(skip_mpls, "AF_MPLS routes and nexthops")                            \
	X(skip_bridge, "AF_BRIDGE (EVPN MAC/FDB) messages")                    \
	X(skip_neigh, "neighbour messages (RTM_*NEIGH)")                       \
	X(skip_family, "route/nexthop of another address family")              \
	X(skip_msg_type, "netlink message types we do not know")               \
	X(skip_nl_control, "NLMSG_NOOP/DONE/ERROR/OVERRUN")                    \
	X(skip_pb_type, "protobuf messages that are neither add nor delete")   \
	/* recognised, sent unusable (fpm_events.h): the kernel forwards */    \
	X(unusable_route_type,                                                 \
	  "routes of a type we do not forward (throw...)")                     \
	X(unusable_encap, "routes/nexthops with an encapsulation")             \
	X(unusable_fdb_nh, "NHA_FDB nexthops (EVPN)")                          \
	/* decode errors: message dropped, stream goes on */                   \
	X(err_nl_truncated, "netlink length runs past the frame")              \
	X(err_nl_trailing, "bytes after the last netlink message")             \
	X(err_nl_attr, "attribute lengths that lie (nla_parse failed)")        \
	X(err_nl_attr_size, "attribute of the wrong size for its type")        \
	X(err_nl_multipath, "RTA_MULTIPATH with bad rtnexthop lengths")        \
	X(err_nl_group, "NHA_GROUP of a bad size or weight")                   \
	X(err_nl_prefixlen, "prefix length longer than the address")           \
	X(err_nl_missing, "required attribute missing (NHA_ID)")               \
	X(err_too_many_paths, "routes with more than FPM_MAX_PATHS paths")     \
	X(err_too_many_group, "groups with more than FPM_MAX_GROUP members")   \
	X(err_pb_unpack, "protobuf payload that does not unpack")              \
	X(err_pb_invalid, "protobuf message with bad family/prefix/address")

enum fpm_stat_id {
#define FPM_STAT_ENUM(name, help) FPM_STAT_##name,
	FPM_STATS(FPM_STAT_ENUM)
#undef FPM_STAT_ENUM
		FPM_STAT__COUNT
};

struct fpm_stats {
#define FPM_STAT_FIELD(name, help) uint64_t name;
	FPM_STATS(FPM_STAT_FIELD)
#undef FPM_STAT_FIELD
};

_Static_assert(sizeof(struct fpm_stats) == FPM_STAT__COUNT * sizeof(uint64_t),
	       "fpm_stats must be a plain array of u64 counters");

/* Name and help of counter id, NULL past the end. */
const char *fpm_stat_name(unsigned int id);
const char *fpm_stat_help(unsigned int id);
/* Value of counter id (0 past the end). */
uint64_t fpm_stat_value(const struct fpm_stats *s, unsigned int id);

#endif
