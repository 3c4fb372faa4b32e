/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The control protocol between xdp-routerd and xdp-routerctl, in one place
 * for both: where the socket is, the requests, and the keys of the JSON
 * answers. A Unix stream socket, one request line per connection, answered
 * with one JSON object, then closed. A key spelt here and misspelt at a use
 * does not compile; a literal would silently read nothing.
 */
#ifndef XR_CONTROL_PROTOCOL_H
#define XR_CONTROL_PROTOCOL_H

#define XR_CONTROL_SOCKET_DEFAULT "/run/xdp-router/control.sock"

/* The requests, once: the first word of the line, each answered by
 * control_view_NAME (control.c). None changes state; changes go through the
 * pinned maps (root only). routes takes [ipv4|ipv6] [PREFIX], match takes
 * VRF ADDRESS. */
#define CONTROL_VERBS(X) \
	X(status)        \
	X(routes)        \
	X(nexthops)      \
	X(groups)        \
	X(counters)      \
	X(match)

enum control_verb {
#define CONTROL_VERB_ENUM(name) CONTROL_VERB_##name,
	CONTROL_VERBS(CONTROL_VERB_ENUM)
#undef CONTROL_VERB_ENUM
		CONTROL_VERB__COUNT
};

/* The verb as the line spells it; NULL beyond the list. */
static inline const char *control_verb_name(unsigned int verb)
{
	static const char *const names[] = {
#define CONTROL_VERB_NAME(name) #name,
		CONTROL_VERBS(CONTROL_VERB_NAME)
#undef CONTROL_VERB_NAME
	};

	return verb < CONTROL_VERB__COUNT ? names[verb] : NULL;
}

/* Keys of the answers; an answer with XR_KEY_error is a refusal. */
/* clang-format off */
#define XR_KEY_action "action"
#define XR_KEY_adjacencies "adjacencies"
#define XR_KEY_attached "attached"
#define XR_KEY_because "because"
#define XR_KEY_connected "connected"
#define XR_KEY_controlSocket "controlSocket"
#define XR_KEY_enabled "enabled"
#define XR_KEY_error "error"
#define XR_KEY_flags "flags"
#define XR_KEY_found "found"
#define XR_KEY_fpm "fpm"
#define XR_KEY_gateway "gateway"
#define XR_KEY_groups "groups"
#define XR_KEY_id "id"
#define XR_KEY_ifindex "ifindex"
#define XR_KEY_inline "inline"
#define XR_KEY_interfaces "interfaces"
#define XR_KEY_ipRulesUnreadable "ipRulesUnreadable"
#define XR_KEY_kind "kind"
#define XR_KEY_leaves "leaves"
#define XR_KEY_listen "listen"
#define XR_KEY_mapId "mapId"
#define XR_KEY_maps "maps"
#define XR_KEY_members "members"
#define XR_KEY_metricsConnectionsRefused "metricsConnectionsRefused"
#define XR_KEY_metricsListen "metricsListen"
#define XR_KEY_name "name"
#define XR_KEY_nexthops "nexthops"
#define XR_KEY_notAttached "notAttached"
#define XR_KEY_notOffloaded "notOffloaded"
#define XR_KEY_notOffloadedReason "notOffloadedReason"
#define XR_KEY_object "object"
#define XR_KEY_offloaded "offloaded"
#define XR_KEY_offloadFeedback "offloadFeedback"
#define XR_KEY_peersRefused "peersRefused"
#define XR_KEY_pid "pid"
#define XR_KEY_pinPath "pinPath"
#define XR_KEY_plan "plan"
#define XR_KEY_prefix "prefix"
#define XR_KEY_programId "programId"
#define XR_KEY_reportedOffloaded "reportedOffloaded"
#define XR_KEY_rib "rib"
#define XR_KEY_route "route"
#define XR_KEY_routes "routes"
#define XR_KEY_routesNotOffloaded "routesNotOffloaded"
#define XR_KEY_routesOffloaded "routesOffloaded"
#define XR_KEY_source "source"
#define XR_KEY_state "state"
#define XR_KEY_uptimeSeconds "uptimeSeconds"
#define XR_KEY_version "version"
#define XR_KEY_vrf "vrf"
#define XR_KEY_weight "weight"
#define XR_KEY_written "written"
#define XR_KEY_xdpMode "xdpMode"
#define XR_KEY_zebra "zebra"
#define XR_KEY_zebraId "zebraId"
#define XR_KEY_zebraNexthopId "zebraNexthopId"
#define XR_KEY_zebraRoutes "zebraRoutes"
#define XR_KEY_zebraType "zebraType"
/* status: flowExport, the sFlow exporter (daemon/flow_export_view.c) */
#define XR_KEY_flowExport "flowExport"
#define XR_KEY_agentAddress "agentAddress"
#define XR_KEY_subAgentId "subAgentId"
#define XR_KEY_sampling "sampling"
#define XR_KEY_counterInterval "counterInterval"
#define XR_KEY_collectors "collectors"
#define XR_KEY_collector "collector"
#define XR_KEY_address "address"
#define XR_KEY_flowSamples "flowSamples"
#define XR_KEY_counterSamples "counterSamples"
#define XR_KEY_datagramsSent "datagramsSent"
#define XR_KEY_sendErrors "sendErrors"
#define XR_KEY_addressChanges "addressChanges"
#define XR_KEY_sampled "sampled"
#define XR_KEY_ringFull "ringFull"
#define XR_KEY_ipfix "ipfix"
#define XR_KEY_domainId "domainId"
#define XR_KEY_flowsExported "flowsExported"
#define XR_KEY_messagesSent "messagesSent"
#define XR_KEY_cacheFlows "cacheFlows"
#define XR_KEY_cacheEvicted "cacheEvicted"
#define XR_KEY_unparsed "unparsed"
/* clang-format on */

#endif /* XR_CONTROL_PROTOCOL_H */
