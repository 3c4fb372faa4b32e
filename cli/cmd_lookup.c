// SPDX-License-Identifier: GPL-2.0-only
/* lookup ADDRESS [--in IFACE] [--from SOURCE]: the fast path's verdict,
 * under the plan the daemon compiled into the ingress and egress rows,
 * beside the kernel's. */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "cli.h"
#include "kernel_route.h"
#include "map_walk.h"
#include "params.h"

struct lookup_args {
	struct xr_addr dst;
	struct param_ifname in;
	struct xr_addr src;
};

static const struct param lookup_params[] = {
	{"ADDRESS", P_ADDR, offsetof(struct lookup_args, dst), true, NULL,
	 "destination of the packet"},
	{"--in", P_IFNAME, offsetof(struct lookup_args, in), false, NULL,
	 "ingress interface (its VRF, whether XDP runs there, its plan)"},
	{"--from", P_ADDR, offsetof(struct lookup_args, src), false, NULL,
	 "source of the packet (uRPF, ip rules by source)"},
	PARAM_END,
};

/* The matched prefix: the daemon knows it at once; else walk the trie. */
static bool matched_prefix(struct cli *c, uint32_t vrf, const struct xr_addr *a,
			   char *buf, size_t len)
{
	struct json_object *ans, *route;
	struct xr_prefix p;
	char req[80], s[INET6_ADDRSTRLEN];

	snprintf(req, sizeof(req), "%s %u %s",
		 control_verb_name(CONTROL_VERB_match), vrf,
		 xr_addr_str(a, s, sizeof(s)));
	ans = cli_daemon_ask(c, req);
	if (ans) {
		route = json_object_object_get(ans, XR_KEY_route);
		if (route)
			snprintf(buf, len, "%s",
				 xr_jget_str(route, XR_KEY_prefix));
		json_object_put(ans);
		if (route)
			return true;
	}
	if (route_match_prefix(&c->maps, vrf, a, &p))
		return false;
	xr_prefix_str(&p, buf, len);
	return true;
}

#define NO_INGRESS_PLAN                                                \
	"for a packet from any XDP interface in VRF 0 but the egress " \
	"(give --in for one, and for a hairpin)"

static struct json_object *path_json(const struct fp_path *p)
{
	struct json_object *o = json_object_new_object();
	char ifn[16];

	if (p->nexthop_id)
		xr_jadd_u64(o, "nexthopId", p->nexthop_id);
	xr_jadd_u64(o, "interfaceIndex", p->ifindex);
	xr_jadd_str(o, "interfaceName", cli_ifname(p->ifindex, ifn));
	xr_jadd(o, "ip", xr_jaddr(&p->gw));
	xr_jadd_str(o, "verdict",
		    fastpath_result_verdict(p->reason, p->undecided));
	xr_jadd_str(o, "reason",
		    fastpath_result_reason(p->reason, p->undecided));
	if (p->reason == XR_FORWARD) {
		xr_jadd(o, "srcMac", xr_jmac(p->smac));
		xr_jadd(o, "dstMac", xr_jmac(p->dmac));
		xr_jadd_u64(o, "mtu", p->mtu);
	}
	xr_jadd_u64(o, "buckets", p->buckets);
	return o;
}

static struct json_object *kernel_json(const struct kernel_route *k)
{
	struct json_object *o = json_object_new_object();
	char ifn[16];

	if (k->error) {
		xr_jadd_str(o, "error", strerror(-k->error));
		return o;
	}
	xr_jadd_str(o, "type", kernel_route_type_name(k->type));
	if (k->oif) {
		xr_jadd_u64(o, "interfaceIndex", k->oif);
		xr_jadd_str(o, "interfaceName", cli_ifname(k->oif, ifn));
	}
	xr_jadd(o, "gateway", xr_jaddr(&k->gw));
	xr_jadd(o, "prefsrc", xr_jaddr(&k->prefsrc));
	xr_jadd_u64(o, "table", k->table);
	return o;
}

static void print_text(const struct lookup_args *a, const struct fp_result *r,
		       const char *prefix, const struct kernel_route *k,
		       bool agree, const char *why)
{
	char s[INET6_ADDRSTRLEN], ifn[16], m1[18], m2[18];

	printf("fast path: %s (%s)\n",
	       fastpath_result_verdict(r->reason, r->undecided),
	       fastpath_result_reason(r->reason, r->undecided));
	if (r->undecided)
		printf("  undecided %s\n",
		       fastpath_undecided_why(r->undecided));
	if (a->in.ifindex)
		printf("  ingress  %s, vrf %u\n", a->in.name, r->vrf);
	else
		printf("  plan     %s\n", NO_INGRESS_PLAN);
	if (r->route_found)
		printf("  route    %s vrf %u -> %s %u\n",
		       prefix[0] ? prefix : "?", r->vrf,
		       xr_route_action_name(r->route.action), r->route.id);
	for (unsigned int i = 0; i < r->n_paths; i++) {
		const struct fp_path *p = &r->paths[i];

		printf("  %-8s ", r->n_paths > 1 ? "member" : "egress");
		if (p->nexthop_id)
			printf("nh %u ", p->nexthop_id);
		printf("dev %s", cli_ifname(p->ifindex, ifn));
		if (p->gw.family)
			printf(" via %s", xr_addr_str(&p->gw, s, sizeof(s)));
		if (p->reason == XR_FORWARD)
			printf(" %s -> %s%s%s", xr_mac_str(p->smac, m1, 18),
			       xr_mac_str(p->dmac, m2, 18),
			       p->undecided ? " undecided: " : "",
			       p->undecided ? fastpath_result_reason(
						      p->reason, p->undecided)
					    : "");
		else
			printf(" punts: %s", xr_reason_name(p->reason));
		if (r->n_paths > 1)
			printf(" (%u/%u flows)", p->buckets, XR_GROUP_BUCKETS);
		printf("\n");
	}
	printf("kernel:    ");
	if (k->error) {
		printf("%s\n", strerror(-k->error));
	} else {
		printf("%s", kernel_route_type_name(k->type));
		if (k->gw.family)
			printf(" via %s", xr_addr_str(&k->gw, s, sizeof(s)));
		if (k->oif)
			printf(" dev %s", cli_ifname(k->oif, ifn));
		printf(" table %u\n", k->table);
	}
	printf("%s%s%s\n", agree ? "agree" : "MISMATCH", why ? ": " : "",
	       why ? why : "");
}

int cmd_lookup(struct cli *c, int argc, char **argv)
{
	struct lookup_args a = {0};
	struct kernel_route k;
	struct fp_result r;
	struct fp_ops ops;
	const char *why;
	char prefix[INET6_ADDRSTRLEN + 8] = "";
	bool agree;
	int err;

	err = params_parse(lookup_params, argc, argv, &a, "lookup");
	if (err)
		return err;
	err = cli_open_maps(c);
	if (err)
		return err;
	cli_note_daemon_down(c);
	fp_ops_from_maps(&ops, &c->maps);
	if (a.src.family && a.src.family != a.dst.family) {
		fprintf(stderr, "xdp-routerctl lookup: --from and ADDRESS "
				"must be of one family\n");
		return EXIT_USAGE;
	}
	if (fastpath_lookup(&ops, &a.dst, a.src.family ? &a.src : NULL,
			    a.in.ifindex, &r))
		return EXIT_ERR;
	if (r.route_found)
		matched_prefix(c, r.vrf, &a.dst, prefix, sizeof(prefix));
	err = kernel_route_get(&a.dst, &k);
	if (err) {
		fprintf(stderr, "xdp-routerctl lookup: asking the kernel: %s\n",
			strerror(-err));
		return EXIT_ERR;
	}
	agree = fastpath_agrees(&r, &k, &why);
	if (c->json) {
		struct json_object *j = json_object_new_object();
		struct json_object *fp = json_object_new_object();
		struct json_object *paths = json_object_new_array();

		xr_jadd(j, "address", xr_jaddr(&a.dst));
		if (a.in.ifindex)
			xr_jadd_str(j, "ingress", a.in.name);
		xr_jadd_u64(j, "vrf", r.vrf);
		if (a.src.family)
			xr_jadd(j, "source", xr_jaddr(&a.src));
		xr_jadd_str(fp, "verdict",
			    fastpath_result_verdict(r.reason, r.undecided));
		xr_jadd_str(fp, "reason",
			    fastpath_result_reason(r.reason, r.undecided));
		if (r.undecided)
			xr_jadd_str(fp, "undecided",
				    fastpath_undecided_why(r.undecided));
		xr_jadd_bool(fp, "ingressPlan", a.in.ifindex != 0);
		if (!a.in.ifindex)
			xr_jadd_str(fp, "planNote", NO_INGRESS_PLAN);
		if (r.route_found) {
			struct json_object *rt = json_object_new_object();

			xr_jadd_str(rt, "prefix", prefix[0] ? prefix : NULL);
			xr_jadd_str(rt, "action",
				    xr_route_action_name(r.route.action));
			xr_jadd_u64(rt, "id", r.route.id);
			xr_jadd(fp, "route", rt);
		}
		for (unsigned int i = 0; i < r.n_paths; i++)
			json_object_array_add(paths, path_json(&r.paths[i]));
		xr_jadd(fp, "paths", paths);
		xr_jadd(j, "fastPath", fp);
		xr_jadd(j, "kernel", kernel_json(&k));
		xr_jadd_bool(j, "agree", agree);
		xr_jadd_str(j, "note", why);
		cli_print_json(j);
		json_object_put(j);
	} else {
		print_text(&a, &r, prefix, &k, agree, why);
	}
	return EXIT_OK;
}
