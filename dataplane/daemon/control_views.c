// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>

#include "daemon/control_protocol.h"
#include "daemon/control_views.h"
#include "daemon/metrics.h"
#include "daemon/daemon.h"
#include "daemon/flow_export_view.h"
#include "fpm_stats.h"
#include "daemon/offload_feedback.h"
#include "kernel/nft_follow.h"
#include "kernel/rules_follow.h"
#include "kernel/plan.h"
#include "maps/maps.h"
#include "rib/rib_view.h"
#include "util/json_build.h"

#ifndef XR_VERSION
#define XR_VERSION "unknown"
#endif

static struct json_object *jstr(const char *s)
{
	return json_object_new_string(s);
}

/* A compiled FIB's use, under name, its blocks called what; nothing when
 * it is not in use. */
static void fib_json(struct json_object *o, const char *name, const char *what,
		     const struct fib_stats *st)
{
	struct json_object *f;
	char max[32];

	if (!st->blocks_max)
		return;
	f = json_object_new_object();
	snprintf(max, sizeof(max), "%sMax", what);
	xr_jadd_u64(f, what, st->blocks);
	xr_jadd_u64(f, max, st->blocks_max);
	xr_jadd_u64(f, XR_KEY_leaves, st->leaves);
	xr_jadd(o, name, f);
}

static uint32_t prog_id(struct daemon *d)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	int fd = xr_loader_prog_fd(d->loader);

	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len))
		return 0;
	return info.id;
}

struct ports_json {
	struct json_object *ifs;
	const struct plan *plan;
};

static struct json_object *plan_flags_json(uint32_t flags)
{
	struct json_object *a = json_object_new_array();

	for (uint32_t b = 1; b; b <<= 1)
		if ((flags & b) && plan_flag_name(b))
			json_object_array_add(a, jstr(plan_flag_name(b)));
	return a;
}

static void plan_why_json(void *arg, enum xr_plan_source src, uint32_t flags,
			  const char *why)
{
	struct json_object *o = json_object_new_object();

	xr_jadd(o, XR_KEY_source, jstr(plan_source_name(src)));
	xr_jadd(o, XR_KEY_flags, plan_flags_json(flags));
	xr_jadd(o, XR_KEY_object, jstr(why));
	json_object_array_add(arg, o);
}

/* The plan of an interface: its flags and, for each, the kernel object
 * that set it. */
static void port_json(const struct ports_view *v, void *arg)
{
	struct ports_json *pj = arg;
	struct json_object *o = json_object_new_object();
	struct json_object *plan = json_object_new_object();
	struct json_object *because = json_object_new_array();

	xr_jadd_u64(o, XR_KEY_ifindex, v->ifindex);
	xr_jadd(o, XR_KEY_name, jstr(v->name));
	xr_jadd_bool(o, XR_KEY_attached, v->attached);
	xr_jadd(o, XR_KEY_xdpMode,
		jstr(v->attached ? xr_loader_mode_name(v->mode) : "none"));
	if (!v->attached && v->not_attached)
		xr_jadd(o, XR_KEY_notAttached, jstr(v->not_attached));
	xr_jadd(plan, XR_KEY_flags,
		plan_flags_json(v->value.flags & XR_IF_PLAN_MASK));
	if (pj->plan)
		plan_foreach(pj->plan, v->ifindex, plan_why_json, because);
	xr_jadd(plan, XR_KEY_because, because);
	xr_jadd(o, XR_KEY_plan, plan);
	json_object_array_add(pj->ifs, o);
}

struct json_object *control_view_status(struct daemon *d, const char *args)
{
	struct json_object *o = json_object_new_object();
	struct json_object *fpm = json_object_new_object();
	struct json_object *rib = json_object_new_object();
	struct json_object *noff = json_object_new_object();
	struct json_object *ifs = json_object_new_array();
	struct json_object *fb = json_object_new_object();
	struct rib_stats st;
	struct timespec now;
	uint64_t not_off = 0;

	(void)args;
	clock_gettime(CLOCK_MONOTONIC, &now);
	xr_jadd_u64(o, XR_KEY_pid, getpid());
	xr_jadd(o, XR_KEY_version, jstr(XR_VERSION));
	xr_jadd_u64(o, XR_KEY_uptimeSeconds, now.tv_sec - d->started.tv_sec);
	xr_jadd(o, XR_KEY_pinPath, jstr(d->opts.pin_path));
	xr_jadd(o, XR_KEY_controlSocket, jstr(d->opts.control_socket));
	xr_jadd(o, XR_KEY_metricsListen,
		jstr(d->metrics ? d->opts.metrics_listen : "off"));
	xr_jadd_u64(o, XR_KEY_metricsConnectionsRefused,
		    metrics_connections_refused(d));
	xr_jadd_u64(o, XR_KEY_programId, prog_id(d));

	xr_jadd(fpm, XR_KEY_listen, jstr(d->opts.fpm_listen));
	xr_jadd_bool(fpm, XR_KEY_connected,
		     d->fpm && fpm_server_connected(d->fpm));
	xr_jadd(fpm, XR_KEY_state,
		jstr(!d->fpm			     ? "down"
		     : !fpm_server_connected(d->fpm) ? "waiting for zebra"
		     : d->resync_pending	     ? "resyncing"
						     : "established"));
	if (d->fpm)
		xr_jadd_u64(fpm, XR_KEY_peersRefused,
			    fpm_server_decoder(d->fpm)->stats.peers_refused);
	xr_jadd(o, XR_KEY_fpm, fpm);

	rib_stats(d->rib, &st);
	xr_jadd_u64(rib, XR_KEY_routes, st.routes);
	xr_jadd_u64(rib, XR_KEY_routesOffloaded, st.routes_offloaded);
	for (unsigned int w = XR_NOFF_NONE + 1; w <= XR_NOFF_SHADOWED; w++) {
		xr_jadd_u64(noff, rib_not_offloaded_name(w),
			    st.not_offloaded[w]);
		not_off += st.not_offloaded[w];
	}
	xr_jadd_u64(rib, XR_KEY_routesNotOffloaded, not_off);
	xr_jadd(rib, XR_KEY_notOffloaded, noff);
	xr_jadd_u64(rib, XR_KEY_nexthops, st.nexthops);
	xr_jadd_u64(rib, XR_KEY_groups, st.groups);
	fib_json(rib, "fib4", "blocks", &st.fib4);
	fib_json(rib, "fib6", "nodes", &st.fib6);
	xr_jadd(o, XR_KEY_rib, rib);

	xr_jadd_bool(fb, XR_KEY_enabled, d->feedback != NULL);
	if (d->feedback) {
		uint64_t routes, offloaded;

		offload_feedback_state(d->feedback, &routes, &offloaded);
		xr_jadd_u64(fb, XR_KEY_zebraRoutes, routes);
		xr_jadd_u64(fb, XR_KEY_reportedOffloaded, offloaded);
	}
	xr_jadd(o, XR_KEY_offloadFeedback, fb);
	xr_jadd(o, XR_KEY_flowExport, flow_export_json(d));

	xr_jadd_u64(o, "nftablesUnreadableRules",
		    nft_follow_unreadable(d->nft));
	xr_jadd_u64(o, XR_KEY_ipRulesUnreadable,
		    rules_follow_unreadable(d->rules));
	ports_foreach(d->ports, port_json,
		      &(struct ports_json){.ifs = ifs, .plan = d->plan});
	xr_jadd(o, XR_KEY_interfaces, ifs);
	return o;
}

struct route_filter {
	uint8_t family; /* 0: both */
	bool has_prefix;
	struct xr_prefix prefix;
	struct json_object *out;
};

static void route_json(const struct rib_route_view *v, void *arg)
{
	struct route_filter *f = arg;
	struct json_object *o;
	char buf[INET6_ADDRSTRLEN + 8];

	if (f->family && v->prefix.addr.family != f->family)
		return;
	if (f->has_prefix &&
	    (v->prefix.len != f->prefix.len ||
	     memcmp(&v->prefix.addr, &f->prefix.addr, sizeof(v->prefix.addr))))
		return;
	o = json_object_new_object();
	xr_jadd(o, XR_KEY_prefix,
		jstr(xr_prefix_str(&v->prefix, buf, sizeof(buf))));
	xr_jadd_u64(o, XR_KEY_vrf, v->vrf);
	xr_jadd(o, XR_KEY_source, jstr(v->from_kernel ? "kernel" : "zebra"));
	if (!v->from_kernel)
		xr_jadd(o, XR_KEY_zebraType,
			jstr(fpm_route_type_name(v->fpm_type)));
	if (v->nh_id)
		xr_jadd_u64(o, XR_KEY_zebraNexthopId, v->nh_id);
	xr_jadd_bool(o, XR_KEY_offloaded, v->why == XR_NOFF_NONE);
	if (v->why != XR_NOFF_NONE) {
		xr_jadd(o, XR_KEY_notOffloadedReason,
			jstr(rib_not_offloaded_name(v->why)));
	} else {
		xr_jadd(o, XR_KEY_action,
			jstr(xr_route_action_name(v->value.action)));
		xr_jadd_u64(o, XR_KEY_id, v->value.id);
	}
	json_object_array_add(f->out, o);
}

/* "[ipv4|ipv6] [PREFIX]" */
static int parse_route_filter(const char *args, struct route_filter *f)
{
	char buf[128], *save = NULL;

	if (strlen(args) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, args);
	for (char *t = strtok_r(buf, " ", &save); t;
	     t = strtok_r(NULL, " ", &save)) {
		if (!strcmp(t, "ipv4"))
			f->family = AF_INET;
		else if (!strcmp(t, "ipv6"))
			f->family = AF_INET6;
		else if (!xr_prefix_parse(t, &f->prefix))
			f->has_prefix = true;
		else
			return -EINVAL;
	}
	return 0;
}

static struct json_object *error_json(const char *msg)
{
	struct json_object *o = json_object_new_object();

	xr_jadd(o, XR_KEY_error, jstr(msg));
	return o;
}

struct json_object *control_view_routes(struct daemon *d, const char *args)
{
	struct route_filter f = {0};
	struct json_object *o;

	if (parse_route_filter(args, &f))
		return error_json("bad filter: want [ipv4|ipv6] [PREFIX]");
	o = json_object_new_object();
	f.out = json_object_new_array();
	rib_foreach_route(d->rib, route_json, &f);
	xr_jadd(o, XR_KEY_routes, f.out);
	return o;
}

struct nh_filter {
	bool groups_only;
	struct json_object *out;
};

static void zebra_nh_json(const struct rib_zebra_nh_view *v, void *arg)
{
	struct nh_filter *f = arg;
	struct json_object *o;

	if (f->groups_only && strcmp(v->kind, "group"))
		return;
	o = json_object_new_object();
	xr_jadd_u64(o, XR_KEY_zebraId, v->zebra_id);
	xr_jadd(o, XR_KEY_kind, jstr(v->kind));
	if (v->map_id)
		xr_jadd_u64(o, XR_KEY_mapId, v->map_id);
	xr_jadd_bool(o, XR_KEY_written, v->written);
	if (v->ifindex)
		xr_jadd_u64(o, XR_KEY_ifindex, v->ifindex);
	xr_jadd(o, XR_KEY_gateway, xr_jaddr(&v->gw));
	if (v->n_members) {
		struct json_object *m = json_object_new_array();

		for (unsigned int i = 0; i < v->n_members; i++) {
			struct json_object *e = json_object_new_object();

			xr_jadd_u64(e, XR_KEY_zebraId, v->member_ids[i]);
			xr_jadd_u64(e, XR_KEY_weight, v->member_weights[i]);
			json_object_array_add(m, e);
		}
		xr_jadd(o, XR_KEY_members, m);
	}
	json_object_array_add(f->out, o);
}

static void adj_json(const struct rib_adj_view *v, void *arg)
{
	struct json_object *o = json_object_new_object();

	xr_jadd_u64(o, XR_KEY_mapId, v->map_id);
	xr_jadd_u64(o, XR_KEY_ifindex, v->ifindex);
	xr_jadd(o, XR_KEY_gateway, xr_jaddr(&v->gw));
	xr_jadd_u64(o, XR_KEY_routes, v->refcnt);
	xr_jadd_bool(o, XR_KEY_written, v->written);
	json_object_array_add(arg, o);
}

struct json_object *control_view_nexthops(struct daemon *d, const char *args)
{
	struct json_object *o = json_object_new_object();
	struct json_object *adj = json_object_new_array();
	struct nh_filter f = {.out = json_object_new_array()};

	(void)args;
	rib_foreach_zebra_nexthop(d->rib, zebra_nh_json, &f);
	rib_foreach_adjacency(d->rib, adj_json, adj);
	xr_jadd(o, XR_KEY_zebra, f.out);
	xr_jadd(o, XR_KEY_adjacencies, adj);
	return o;
}

static void inline_group_json(const struct rib_group_view *v, void *arg)
{
	struct json_object *o = json_object_new_object();
	struct json_object *m = json_object_new_array();

	xr_jadd_u64(o, XR_KEY_mapId, v->map_id);
	xr_jadd_u64(o, XR_KEY_routes, v->refcnt);
	for (unsigned int i = 0; i < v->n_members; i++) {
		struct json_object *e = json_object_new_object();

		xr_jadd_u64(e, XR_KEY_mapId, v->member_map_id[i]);
		xr_jadd_u64(e, XR_KEY_weight, v->weight[i]);
		json_object_array_add(m, e);
	}
	xr_jadd(o, XR_KEY_members, m);
	json_object_array_add(arg, o);
}

struct json_object *control_view_groups(struct daemon *d, const char *args)
{
	struct json_object *o = json_object_new_object();
	struct json_object *inl = json_object_new_array();
	struct nh_filter f = {.groups_only = true,
			      .out = json_object_new_array()};

	(void)args;
	rib_foreach_zebra_nexthop(d->rib, zebra_nh_json, &f);
	rib_foreach_inline_group(d->rib, inline_group_json, inl);
	xr_jadd(o, XR_KEY_zebra, f.out);
	xr_jadd(o, XR_KEY_inline, inl);
	return o;
}

/* Nexthop and group ids withdrawn to wait out their rows' grace */
static struct json_object *maps_rows_json(void)
{
	struct json_object *o = json_object_new_object();
	struct xr_rows_counters c;

	xr_maps_rows_counters(&c);
	xr_jadd_u64(o, "rows_deferred", c.deferred);
	xr_jadd_u64(o, "rows_waiting", c.waiting);
	return o;
}

struct json_object *control_view_counters(struct daemon *d, const char *args)
{
	const struct rib_counters *rc = rib_counters(d->rib);
	struct json_object *o = json_object_new_object();
	struct json_object *rib = json_object_new_object();
	struct json_object *fpm = json_object_new_object();
	struct json_object *fb = json_object_new_object();

	(void)args;
#define XR_RIB_CNT_JSON(name, help) xr_jadd_u64(rib, #name, rc->name);
	XR_RIB_COUNTERS(XR_RIB_CNT_JSON)
#undef XR_RIB_CNT_JSON
	xr_jadd(o, XR_KEY_rib, rib);
	xr_jadd(o, XR_KEY_maps, maps_rows_json());
	if (d->fpm) {
		const struct fpm_stats *s = &fpm_server_decoder(d->fpm)->stats;
		const struct fpm_server_tx_stats *tx = fpm_server_tx(d->fpm);

		for (unsigned int i = 0; i < FPM_STAT__COUNT; i++)
			xr_jadd_u64(fpm, fpm_stat_name(i),
				    fpm_stat_value(s, i));
		xr_jadd_u64(fpm, "tx_frames", tx->frames);
		xr_jadd_u64(fpm, "tx_bytes", tx->bytes);
		xr_jadd_u64(fpm, "tx_dropped", tx->dropped);
		xr_jadd_u64(fpm, "tx_errors", tx->errors);
	}
	xr_jadd(o, XR_KEY_fpm, fpm);
	if (d->feedback) {
		const struct offload_feedback_counters *c =
			offload_feedback_counters(d->feedback);

#define XR_FB_JSON(name, help) xr_jadd_u64(fb, #name, c->name);
		XR_FEEDBACK_COUNTERS(XR_FB_JSON)
#undef XR_FB_JSON
	}
	xr_jadd(o, XR_KEY_offloadFeedback, fb);
	xr_jadd(o, XR_KEY_flowExport, flow_export_json(d));
	return o;
}

/* "VRF ADDRESS": the most specific offloaded route covering ADDRESS. */
struct json_object *control_view_match(struct daemon *d, const char *args)
{
	struct json_object *o;
	struct rib_route_view v;
	struct xr_addr a;
	char addr[INET6_ADDRSTRLEN + 1];
	unsigned int vrf;
	struct route_filter f = {0};

	if (sscanf(args, "%u %46s", &vrf, addr) != 2 || xr_addr_parse(addr, &a))
		return error_json("bad request: want match VRF ADDRESS");
	o = json_object_new_object();
	xr_jadd_bool(o, XR_KEY_found, !rib_route_match(d->rib, vrf, &a, &v));
	if (json_object_get_boolean(json_object_object_get(o, XR_KEY_found))) {
		f.out = json_object_new_array();
		route_json(&v, &f);
		xr_jadd(o, XR_KEY_route,
			json_object_get(json_object_array_get_idx(f.out, 0)));
		json_object_put(f.out);
	}
	return o;
}
