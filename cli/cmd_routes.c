// SPDX-License-Identifier: GPL-2.0-only
/* routes [ipv4|ipv6] [PREFIX]: the fast path's routes, with the daemon's
 * reasons for those it left to the kernel. */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>

#include "cli.h"
#include "map_walk.h"
#include "params.h"

struct routes_args {
	int family; /* 0 ipv4, 1 ipv6, -1 both */
	struct xr_prefix prefix;
	bool has_prefix;
};

static const char *const families[] = {"ipv4", "ipv6", NULL};

static const struct param routes_params[] = {
	{"ipv4|ipv6", P_KEYWORD, offsetof(struct routes_args, family), false,
	 families, "one address family only"},
	{"PREFIX", P_PREFIX, offsetof(struct routes_args, prefix), false, NULL,
	 "this prefix only (exact match)"},
	PARAM_END,
};

struct routes_ctx {
	struct cli *c;
	struct routes_args *a;
	struct json_object *out;    /* FRR shape: prefix -> [entries] */
	struct json_object *daemon; /* "vrf prefix" -> daemon's route */
	unsigned int n;
	bool in_compiled; /* listing the daemon's compiled routes */
};

static void key_of(char *buf, size_t len, uint32_t vrf, const char *prefix)
{
	snprintf(buf, len, "%u %s", vrf, prefix);
}

/* The nexthops a route leads to, as FRR lists them. */
static struct json_object *
route_nexthops(struct cli *c, const struct xr_route *r, char *text, size_t tlen)
{
	struct json_object *arr = json_object_new_array();
	uint32_t ids[XR_MAX_ECMP];
	unsigned int n = 0;
	char ifn[16], a[INET6_ADDRSTRLEN], mac[18];
	size_t off = 0;

	text[0] = '\0';
	if (r->action == XR_ROUTE_CONNECTED) {
		struct json_object *o = json_object_new_object();

		xr_jadd_bool(o, "directlyConnected", true);
		xr_jadd_u64(o, "interfaceIndex", r->id);
		xr_jadd_str(o, "interfaceName", cli_ifname(r->id, ifn));
		json_object_array_add(arr, o);
		snprintf(text, tlen, "dev %s", ifn);
		return arr;
	}
	if (r->action == XR_ROUTE_NEXTHOP) {
		ids[n++] = r->id;
	} else if (r->action == XR_ROUTE_GROUP) {
		struct xr_nh_group g;

		if (!bpf_map_lookup_elem(c->maps.nh_groups, &r->id, &g))
			for (unsigned int i = 0;
			     i < g.n_members && i < XR_MAX_ECMP; i++)
				ids[n++] = g.member[i];
	}
	for (unsigned int i = 0; i < n; i++) {
		struct json_object *o = json_object_new_object();
		struct xr_nexthop nh;
		struct xr_addr gw;

		xr_jadd_u64(o, "nexthopId", ids[i]);
		if (bpf_map_lookup_elem(c->maps.nexthops, &ids[i], &nh)) {
			xr_jadd_bool(o, "missing", true);
			json_object_array_add(arr, o);
			off += snprintf(text + off, tlen - off,
					"%snh %u missing", i ? ", " : "",
					ids[i]);
			continue;
		}
		gw.family = nh.family;
		memcpy(gw.bytes, nh.gw, 16);
		if (nh.flags & XR_NH_F_GATEWAY) {
			xr_jadd_str(o, "afi",
				    nh.family == AF_INET ? "ipv4" : "ipv6");
			xr_jadd(o, "ip", xr_jaddr(&gw));
		}
		xr_jadd_u64(o, "interfaceIndex", nh.ifindex);
		xr_jadd_str(o, "interfaceName", cli_ifname(nh.ifindex, ifn));
		xr_jadd_bool(o, "resolved", nh.flags & XR_NH_F_RESOLVED);
		if (nh.flags & XR_NH_F_RESOLVED)
			xr_jadd(o, "mac", xr_jmac(nh.dmac));
		json_object_array_add(arr, o);
		if (off < tlen)
			off += snprintf(
				text + off, tlen - off, "%svia %s %s %s",
				i ? ", " : "",
				nh.flags & XR_NH_F_GATEWAY
					? xr_addr_str(&gw, a, sizeof(a))
					: "-",
				ifn,
				nh.flags & XR_NH_F_RESOLVED
					? xr_mac_str(nh.dmac, mac, sizeof(mac))
					: "(unresolved)");
	}
	return arr;
}

static bool wanted(const struct routes_args *a, const struct xr_prefix *p)
{
	if (a->family >= 0 &&
	    p->addr.family != (a->family == 0 ? AF_INET : AF_INET6))
		return false;
	return !a->has_prefix ||
	       (p->len == a->prefix.len &&
		!memcmp(p->addr.bytes, a->prefix.addr.bytes, 16));
}

static void entry_text(bool offloaded, uint32_t vrf, const char *prefix,
		       const char *source, const char *action, const char *rest)
{
	printf("%s %-4u %-30s %-7s %-14s %s\n", offloaded ? ">" : "!", vrf,
	       prefix, source, action, rest);
}

static void map_route(uint32_t vrf, const struct xr_prefix *p,
		      const struct xr_route *r, void *arg)
{
	struct routes_ctx *x = arg;
	struct json_object *e, *list, *d = NULL;
	char pfx[INET6_ADDRSTRLEN + 8], key[80], text[512], action[32];

	if (!wanted(x->a, p))
		return;
	xr_prefix_str(p, pfx, sizeof(pfx));
	key_of(key, sizeof(key), vrf, pfx);
	if (x->daemon)
		d = json_object_object_get(x->daemon, key);
	e = json_object_new_object();
	xr_jadd_str(e, "prefix", pfx);
	xr_jadd_u64(e, "vrfId", vrf);
	xr_jadd_str(e, "protocol",
		    d ? xr_jget_str(d, XR_KEY_source) : "unknown");
	xr_jadd_bool(e, "offloaded", true);
	xr_jadd_str(e, "action", xr_route_action_name(r->action));
	if (r->action == XR_ROUTE_NEXTHOP)
		xr_jadd_u64(e, "nexthopId", r->id);
	else if (r->action == XR_ROUTE_GROUP)
		xr_jadd_u64(e, "groupId", r->id);
	if (d && json_object_object_get(d, XR_KEY_zebraNexthopId))
		xr_jadd_u64(e, "zebraNexthopId",
			    xr_jget_u64(d, XR_KEY_zebraNexthopId));
	xr_jadd(e, "nexthops", route_nexthops(x->c, r, text, sizeof(text)));
	if (d && !x->in_compiled)
		json_object_object_del(x->daemon, key);
	x->n++;
	if (!x->c->json) {
		snprintf(action, sizeof(action), "%s%s%.0u",
			 xr_route_action_name(r->action),
			 r->action == XR_ROUTE_NEXTHOP ||
					 r->action == XR_ROUTE_GROUP
				 ? " "
				 : "",
			 r->action == XR_ROUTE_NEXTHOP ||
					 r->action == XR_ROUTE_GROUP
				 ? r->id
				 : 0);
		entry_text(true, vrf, pfx,
			   d ? xr_jget_str(d, XR_KEY_source) : "?", action,
			   text);
		json_object_put(e);
		return;
	}
	list = json_object_object_get(x->out, pfx);
	if (!list) {
		list = json_object_new_array();
		json_object_object_add(x->out, pfx, list);
	}
	json_object_array_add(list, e);
}

/* Routes of VRF 0 live in the compiled FIBs (IPv4 DIR-24-8, IPv6
 * multibit trie), which keep ranges, not prefixes: the daemon names them. */
static bool compiled(struct cli *c, struct json_object *d)
{
	const char *p = xr_jget_str(d, XR_KEY_prefix);
	bool v6 = p && strchr(p, ':');

	return p &&
	       (v6 ? c->maps.fib6 == XR_FIB6_MBT
		   : c->maps.fib == XR_FIB_DIR24) &&
	       xr_jget_u64(d, XR_KEY_vrf) == 0 &&
	       json_object_get_boolean(
		       json_object_object_get(d, XR_KEY_offloaded));
}

static const char *action_str(const char *name)
{
	for (unsigned int a = 0; a < XR_ROUTE_ACTION_MAX; a++)
		if (name && !strcmp(xr_route_action_name(a), name))
			return xr_route_action_name(a);
	return NULL;
}

static void compiled_route(struct routes_ctx *x, struct json_object *d)
{
	struct xr_prefix p;
	struct xr_route r = {0};
	const char *act = action_str(xr_jget_str(d, XR_KEY_action));

	if (!act || xr_prefix_parse(xr_jget_str(d, XR_KEY_prefix), &p))
		return;
	while (strcmp(xr_route_action_name(r.action), act))
		r.action++;
	r.id = xr_jget_u64(d, XR_KEY_id);
	x->n--;
	x->in_compiled = true;
	map_route(0, &p, &r, x);
	x->in_compiled = false;
}

/* The daemon's routes that the maps do not hold: why not. */
static void left_out(struct routes_ctx *x)
{
	json_object_object_foreach(x->daemon, key, d)
	{
		const char *pfx = xr_jget_str(d, XR_KEY_prefix);
		struct json_object *e, *list;

		(void)key;
		x->n++;
		if (compiled(x->c, d)) {
			compiled_route(x, d);
			continue;
		}
		if (!x->c->json) {
			entry_text(
				false, xr_jget_u64(d, XR_KEY_vrf), pfx,
				xr_jget_str(d, XR_KEY_source), "-",
				json_object_get_boolean(json_object_object_get(
					d, XR_KEY_offloaded))
					? "in the RIB as offloaded, "
					  "missing from the map"
					: xr_jget_str(d, "notOffloadedReason"));
			continue;
		}
		e = json_object_new_object();
		xr_jadd_str(e, "prefix", pfx);
		xr_jadd_u64(e, "vrfId", xr_jget_u64(d, XR_KEY_vrf));
		xr_jadd_str(e, "protocol", xr_jget_str(d, XR_KEY_source));
		xr_jadd_bool(e, "offloaded", false);
		xr_jadd_str(e, "notOffloadedReason",
			    xr_jget_str(d, XR_KEY_notOffloadedReason));
		if (json_object_object_get(d, XR_KEY_zebraNexthopId))
			xr_jadd_u64(e, "zebraNexthopId",
				    xr_jget_u64(d, XR_KEY_zebraNexthopId));
		list = json_object_object_get(x->out, pfx);
		if (!list) {
			list = json_object_new_array();
			json_object_object_add(x->out, pfx, list);
		}
		json_object_array_add(list, e);
	}
}

static struct json_object *daemon_routes(struct cli *c,
					 const struct routes_args *a)
{
	struct json_object *ans, *routes, *idx;
	char req[160] = "routes", pfx[INET6_ADDRSTRLEN + 8];

	if (a->family >= 0)
		snprintf(req, sizeof(req), "%s %s",
			 control_verb_name(CONTROL_VERB_routes),
			 families[a->family]);
	if (a->has_prefix)
		snprintf(req + strlen(req), sizeof(req) - strlen(req), " %s",
			 xr_prefix_str(&a->prefix, pfx, sizeof(pfx)));
	ans = cli_daemon_ask(c, req);
	if (!ans)
		return NULL;
	idx = json_object_new_object();
	routes = json_object_object_get(ans, XR_KEY_routes);
	for (size_t i = 0; routes && i < json_object_array_length(routes);
	     i++) {
		struct json_object *r = json_object_array_get_idx(routes, i);
		char key[80];

		key_of(key, sizeof(key), xr_jget_u64(r, XR_KEY_vrf),
		       xr_jget_str(r, XR_KEY_prefix));
		json_object_object_add(idx, key, json_object_get(r));
	}
	json_object_put(ans);
	return idx;
}

int cmd_routes(struct cli *c, int argc, char **argv)
{
	struct routes_args a = {0};
	struct routes_ctx x = {.c = c, .a = &a};
	int err;

	a.prefix.len = 0xff;
	err = params_parse(routes_params, argc, argv, &a, "routes");
	if (err)
		return err;
	a.has_prefix = a.prefix.len != 0xff;
	if (a.has_prefix && a.family >= 0 &&
	    a.prefix.addr.family != (a.family == 0 ? AF_INET : AF_INET6)) {
		fprintf(stderr,
			"xdp-routerctl routes: %s is not an %s "
			"prefix\n",
			argv[argc - 1], families[a.family]);
		return EXIT_ERR;
	}
	err = cli_open_maps(c);
	if (err)
		return err;
	x.daemon = daemon_routes(c, &a);
	cli_note_daemon_down(c);
	x.out = json_object_new_object();
	if (!c->json)
		printf("Codes: > in the fast path, ! left to the kernel\n"
		       "  %-4s %-30s %-7s %-14s %s\n",
		       "VRF", "PREFIX", "SOURCE", "ACTION", "NEXTHOPS");
	walk_routes(&c->maps,
		    a.family < 0    ? 0
		    : a.family == 0 ? AF_INET
				    : AF_INET6,
		    map_route, &x);
	if (x.daemon)
		left_out(&x);
	else if ((c->maps.fib == XR_FIB_DIR24 && a.family != 1) ||
		 (c->maps.fib6 == XR_FIB6_MBT && a.family != 0))
		fprintf(stderr,
			"xdp-routerctl: routes of VRF 0 are compiled into "
			"the DIR-24-8 (IPv4) and multibit trie (IPv6) FIBs, "
			"which keep ranges, not prefixes: without the "
			"daemon, 'lookup ADDRESS' shows them\n");
	if (c->json)
		cli_print_json(x.out);
	else if (!x.n)
		printf("(no routes%s)\n",
		       a.has_prefix ? " with this prefix" : "");
	json_object_put(x.out);
	json_object_put(x.daemon);
	return EXIT_OK;
}
