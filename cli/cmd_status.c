// SPDX-License-Identifier: GPL-2.0-only
/* status: is the daemon up, is zebra connected, what is offloaded. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "map_walk.h"
#include "params.h"

static const struct param status_params[] = {PARAM_END};

static struct json_object *map_counts(struct cli *c)
{
	struct json_object *o = json_object_new_object();
	uint64_t n;

#define XR_MAP_COUNT(name)                \
	if (!map_count(c->maps.name, &n)) \
		xr_jadd_u64(o, #name, n);
	XR_MAP_COUNT(route_v4)
	XR_MAP_COUNT(route_v6)
	XR_MAP_COUNT(nexthops)
	XR_MAP_COUNT(nh_groups)
	XR_MAP_COUNT(neighbours)
	XR_MAP_COUNT(ifaces)
#undef XR_MAP_COUNT
	return o;
}

struct ifs_ctx {
	struct json_object *arr;
	uint32_t prog_id;
};

static void ingress_iface(uint32_t ifindex, const void *value, void *arg)
{
	const struct xr_iface *i = value;
	struct ifs_ctx *x = arg;
	struct json_object *o;
	const char *mode;
	uint32_t prog;
	char ifn[16];

	if (!(i->flags & XR_IF_F_INGRESS))
		return;
	prog = cli_xdp_attached(ifindex, &mode);
	if (prog && !x->prog_id)
		x->prog_id = prog;
	o = json_object_new_object();
	xr_jadd_u64(o, "ifindex", ifindex);
	xr_jadd_str(o, "name", cli_ifname(ifindex, ifn));
	xr_jadd_bool(o, "attached", prog != 0);
	xr_jadd_str(o, "xdpMode", mode);
	xr_jadd_u64(o, "programId", prog);
	json_object_array_add(x->arr, o);
}

/* A plan flag's family, by its name: "ipv4-...", "rp-filter-..." (IPv4
 * only in Linux), "ipv6-...". */
static int flag_family(const char *f)
{
	if (!strncmp(f, "ipv6-", 5))
		return 6;
	return 4;
}

/* Punts everything of the family; the other flags are checks the fast
 * path makes itself (uRPF, hairpins, conntrack). */
static bool flag_punts(const char *f)
{
	return strstr(f, "forwarding-off") || strstr(f, "punt-in") ||
	       strstr(f, "punt-out") || strstr(f, "ip-rules");
}

/* "ipv4: accelerated", "ipv4: accelerated, checks rp-filter-strict
 * (net.ipv4.conf.eth1.rp_filter=1, all=0)" or "ipv4: punt (nftables inet
 * filter forward: 3 rules)": from the daemon's plan.because. */
static void print_family(struct json_object *because, int fam)
{
	char punts[512] = "", checks[512] = "";
	size_t np = 0, nc = 0;

	for (size_t i = 0; i < json_object_array_length(because); i++) {
		struct json_object *b = json_object_array_get_idx(because, i);
		struct json_object *fl =
			json_object_object_get(b, XR_KEY_flags);
		const char *obj = xr_jget_str(b, XR_KEY_object);

		for (size_t k = 0; k < json_object_array_length(fl); k++) {
			const char *f = json_object_get_string(
				json_object_array_get_idx(fl, k));

			if (!f || flag_family(f) != fam)
				continue;
			if (flag_punts(f) && np < sizeof(punts))
				np += snprintf(punts + np, sizeof(punts) - np,
					       "%s%s: %s", np ? "; " : "",
					       xr_jget_str(b, XR_KEY_source),
					       obj);
			else if (!flag_punts(f) && nc < sizeof(checks))
				nc += snprintf(checks + nc, sizeof(checks) - nc,
					       "%s%s (%s)", nc ? ", " : "", f,
					       obj);
			break; /* one mention of an object per family */
		}
	}
	if (np)
		printf("  ipv%d: punt (%s)", fam, punts);
	else if (nc)
		printf("  ipv%d: accelerated, checks %s", fam, checks);
	else
		printf("  ipv%d: accelerated", fam);
}

/* One line per interface: from the daemon when it answers (its names and
 * modes are right from any namespace), else from the pinned maps. */
static void print_interfaces(struct json_object *ifs)
{
	printf("interfaces:");
	if (!json_object_array_length(ifs))
		printf("   none");
	printf("\n");
	for (size_t i = 0; i < json_object_array_length(ifs); i++) {
		struct json_object *e = json_object_array_get_idx(ifs, i);
		struct json_object *plan =
			json_object_object_get(e, XR_KEY_plan);
		const char *na = xr_jget_str(e, XR_KEY_notAttached);

		printf("  %-12s %-8s", xr_jget_str(e, XR_KEY_name),
		       xr_jget_str(e, XR_KEY_xdpMode));
		if (na && *na)
			printf("  not attached: %s", na);
		else if (plan) {
			struct json_object *bc =
				json_object_object_get(plan, XR_KEY_because);

			print_family(bc, 4);
			print_family(bc, 6);
		}
		printf("\n");
	}
}

static void print_collectors(struct json_object *cs);

/* IPFIX: its state, then each collector's. */
static void print_ipfix(struct json_object *x)
{
	struct json_object *cs = json_object_object_get(x, XR_KEY_collectors);

	if (!x)
		return;
	printf("IPFIX:        %s", xr_jget_str(x, XR_KEY_state));
	if (cs)
		printf(", %llu flows exported in %llu messages, %llu send "
		       "errors, %llu in the cache",
		       (unsigned long long)xr_jget_u64(x, XR_KEY_flowsExported),
		       (unsigned long long)xr_jget_u64(x, XR_KEY_messagesSent),
		       (unsigned long long)xr_jget_u64(x, XR_KEY_sendErrors),
		       (unsigned long long)xr_jget_u64(x, XR_KEY_cacheFlows));
	printf("\n");
	if (cs)
		print_collectors(cs);
}

/* The sFlow exporter: its state, then each collector's. */
static void print_flow_export(struct json_object *fx)
{
	struct json_object *cs = json_object_object_get(fx, XR_KEY_collectors);

	if (!fx)
		return;
	printf("sFlow:        %s", xr_jget_str(fx, XR_KEY_state));
	if (!cs) {
		printf("\n");
		print_ipfix(json_object_object_get(fx, XR_KEY_ipfix));
		return;
	}
	printf(", sampling 1 in %llu, agent %s, %llu flow and %llu counter "
	       "samples, %llu datagrams sent, %llu send errors, %llu ring "
	       "full\n",
	       (unsigned long long)xr_jget_u64(fx, XR_KEY_sampling),
	       xr_jget_str(fx, XR_KEY_agentAddress),
	       (unsigned long long)xr_jget_u64(fx, XR_KEY_flowSamples),
	       (unsigned long long)xr_jget_u64(fx, XR_KEY_counterSamples),
	       (unsigned long long)xr_jget_u64(fx, XR_KEY_datagramsSent),
	       (unsigned long long)xr_jget_u64(fx, XR_KEY_sendErrors),
	       (unsigned long long)xr_jget_u64(fx, XR_KEY_ringFull));
	print_collectors(cs);
	print_ipfix(json_object_object_get(fx, XR_KEY_ipfix));
}

static void print_collectors(struct json_object *cs)
{
	for (size_t i = 0; i < json_object_array_length(cs); i++) {
		struct json_object *c = json_object_array_get_idx(cs, i);

		printf("  collector %s (%s): %s\n",
		       xr_jget_str(c, XR_KEY_collector),
		       xr_jget_str(c, XR_KEY_address),
		       xr_jget_str(c, XR_KEY_state));
	}
}

static void print_text(struct json_object *j)
{
	struct json_object *d = json_object_object_get(j, "daemon");
	struct json_object *rib = json_object_object_get(j, XR_KEY_rib);
	struct json_object *maps = json_object_object_get(j, "maps");
	struct json_object *ifs = json_object_object_get(j, XR_KEY_interfaces);
	struct json_object *fpm = json_object_object_get(j, XR_KEY_fpm);
	struct json_object *fb =
		json_object_object_get(j, XR_KEY_offloadFeedback);

	if (json_object_get_boolean(json_object_object_get(d, "running")))
		printf("xdp-routerd:  running (pid %llu, up %llus, version "
		       "%s)\n",
		       (unsigned long long)xr_jget_u64(d, XR_KEY_pid),
		       (unsigned long long)xr_jget_u64(d, XR_KEY_uptimeSeconds),
		       xr_jget_str(d, XR_KEY_version));
	else
		printf("xdp-routerd:  not running (showing the pinned maps "
		       "only)\n");
	printf("pin path:     %s\n", xr_jget_str(j, XR_KEY_pinPath));
	printf("program:      %s%llu\n",
	       xr_jget_u64(j, XR_KEY_programId) ? "id " : "not attached ",
	       (unsigned long long)xr_jget_u64(j, XR_KEY_programId));
	if (fpm) {
		printf("FPM:          %s, %s", xr_jget_str(fpm, XR_KEY_listen),
		       xr_jget_str(fpm, XR_KEY_state));
		if (xr_jget_u64(fpm, XR_KEY_peersRefused))
			printf(", %llu peers refused (not an allowed user)",
			       (unsigned long long)xr_jget_u64(
				       fpm, XR_KEY_peersRefused));
		printf("\n");
	}
	if (rib) {
		struct json_object *no =
			json_object_object_get(rib, XR_KEY_notOffloaded);

		printf("routes:       %llu in the RIB, %llu offloaded, %llu "
		       "left to the kernel",
		       (unsigned long long)xr_jget_u64(rib, XR_KEY_routes),
		       (unsigned long long)xr_jget_u64(rib,
						       XR_KEY_routesOffloaded),
		       (unsigned long long)xr_jget_u64(rib,
						       "routesNotOffloaded"));
		json_object_object_foreach(no, why,
					   n) if (json_object_get_int64(n))
			printf(" (%s: %lld)", why,
			       (long long)json_object_get_int64(n));
		printf("\nnexthops:     %llu, groups %llu\n",
		       (unsigned long long)xr_jget_u64(rib, XR_KEY_nexthops),
		       (unsigned long long)xr_jget_u64(rib, XR_KEY_groups));
	}
	printf("IPv4 FIB:     %s\n", xr_jget_str(j, "ipv4Fib"));
	printf("IPv6 FIB:     %s\n", xr_jget_str(j, "ipv6Fib"));
	printf("maps:        ");
	json_object_object_foreach(maps, name, n)
		printf(" %s %lld", name, (long long)json_object_get_int64(n));
	printf("\n");
	print_interfaces(ifs);
	if (fb &&
	    json_object_get_boolean(json_object_object_get(fb, XR_KEY_enabled)))
		printf("feedback:     on: %llu of %llu zebra routes reported "
		       "offloaded\n",
		       (unsigned long long)xr_jget_u64(fb, "reportedOffloaded"),
		       (unsigned long long)xr_jget_u64(fb, XR_KEY_zebraRoutes));
	else if (fb)
		printf("feedback:     off\n");
	print_flow_export(json_object_object_get(j, XR_KEY_flowExport));
}

int cmd_status(struct cli *c, int argc, char **argv)
{
	struct json_object *j, *d, *s;
	struct ifs_ctx x;
	struct xr_iface v;
	int err = params_parse(status_params, argc, argv, NULL, "status");

	if (err)
		return err;
	j = json_object_new_object();
	d = json_object_new_object();
	s = cli_daemon_up(c) ? c->status : NULL;
	xr_jadd_bool(d, "running", s != NULL);
	if (s) {
		xr_jadd_u64(d, "pid", xr_jget_u64(s, XR_KEY_pid));
		xr_jadd_str(d, "version", xr_jget_str(s, XR_KEY_version));
		xr_jadd_u64(d, "uptimeSeconds",
			    xr_jget_u64(s, XR_KEY_uptimeSeconds));
		xr_jadd_str(d, "metricsListen",
			    xr_jget_str(s, XR_KEY_metricsListen));
		xr_jadd_u64(d, "metricsConnectionsRefused",
			    xr_jget_u64(s, XR_KEY_metricsConnectionsRefused));
	}
	xr_jadd_str(d, "controlSocket", c->socket);
	xr_jadd(j, "daemon", d);
	xr_jadd_str(j, "pinPath", cli_pin_dir(c));
	err = cli_open_maps(c);
	if (err) {
		json_object_put(j);
		return err;
	}
	if (s) {
		xr_jadd(j, "fpm",
			json_object_get(json_object_object_get(s, XR_KEY_fpm)));
		xr_jadd(j, "rib",
			json_object_get(json_object_object_get(s, XR_KEY_rib)));
		xr_jadd(j, "offloadFeedback",
			json_object_get(json_object_object_get(
				s, XR_KEY_offloadFeedback)));
		xr_jadd(j, XR_KEY_flowExport,
			json_object_get(
				json_object_object_get(s, XR_KEY_flowExport)));
	}
	cli_note_daemon_down(c);
	xr_jadd_str(j, "ipv4Fib",
		    c->maps.fib == XR_FIB_DIR24 ? "dir24" : "lpm");
	xr_jadd_str(j, "ipv6Fib", c->maps.fib6 == XR_FIB6_MBT ? "mbt" : "lpm");
	xr_jadd(j, "maps", map_counts(c));
	x.arr = json_object_new_array();
	x.prog_id = 0;
	walk_u32_map(c->maps.ifaces, &v, ingress_iface, &x);
	xr_jadd_u64(j, "programId",
		    s && xr_jget_u64(s, XR_KEY_programId)
			    ? xr_jget_u64(s, XR_KEY_programId)
			    : x.prog_id);
	/* The daemon's own view when it runs: names from its namespace, right
	 * from any namespace, and each interface's plan with the kernel
	 * objects behind it. */
	if (s && json_object_object_get(s, XR_KEY_interfaces)) {
		json_object_put(x.arr);
		x.arr = json_object_get(
			json_object_object_get(s, XR_KEY_interfaces));
	}
	xr_jadd(j, "interfaces", x.arr);
	if (c->json)
		cli_print_json(j);
	else
		print_text(j);
	json_object_put(j);
	return EXIT_OK;
}
