// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "daemon/daemon_opts.h"
#include "daemon/file_trust.h"
#include "daemon/metrics_http.h"
#include "rib/rib.h"
#include "util/log.h"
#include "util/parse_num.h"

/* a number in a help string */
#define XR_STR_(x) #x
#define XR_STR(x) XR_STR_(x)

typedef int (*opt_fn)(struct daemon_opts *o, const char *v);

static int set_str(char *dst, size_t len, const char *v)
{
	if (strlen(v) >= len)
		return -ENAMETOOLONG;
	strcpy(dst, v);
	return 0;
}

static int parse_bool(const char *v, bool *out)
{
	if (!v || !strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"))
		*out = true;
	else if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0"))
		*out = false;
	else
		return -EINVAL;
	return 0;
}

static int o_config(struct daemon_opts *o, const char *v)
{
	return set_str(o->config, sizeof(o->config), v);
}

static int o_fpm(struct daemon_opts *o, const char *v)
{
	return set_str(o->fpm_listen, sizeof(o->fpm_listen), v);
}

static int o_fpm_users(struct daemon_opts *o, const char *v)
{
	return fpm_peer_policy_parse(&o->fpm_peers, v);
}

static int o_fpm_remote(struct daemon_opts *o, const char *v)
{
	return parse_bool(v, &o->fpm_peers.allow_remote);
}

static int o_pin(struct daemon_opts *o, const char *v)
{
	if (v[0] != '/')
		return -EINVAL;
	return set_str(o->pin_path, sizeof(o->pin_path), v);
}

static int o_interfaces(struct daemon_opts *o, const char *v)
{
	return ports_parse_list(&o->ports, v);
}

static int o_mode(struct daemon_opts *o, const char *v)
{
	return xr_loader_parse_mode(v, &o->ports.mode);
}

static int o_foreground(struct daemon_opts *o, const char *v)
{
	return parse_bool(v, &o->foreground);
}

static int o_detach(struct daemon_opts *o, const char *v)
{
	return parse_bool(v, &o->detach_on_exit);
}

static int o_log(struct daemon_opts *o, const char *v)
{
	int level = xr_log_level_parse(v);

	(void)o;
	if (level < 0)
		return level;
	xr_log_set_level(level);
	return 0;
}

static int o_resync(struct daemon_opts *o, const char *v)
{
	unsigned long n;
	int err = xr_parse_uint(v, 0, 3600, &n);

	if (!err)
		o->resync_delay = n;
	return err;
}

static int feature(const char *v, __u8 *f)
{
	bool b;
	int err = parse_bool(v, &b);

	if (!err)
		*f = b;
	return err;
}

static int o_ipv6(struct daemon_opts *o, const char *v)
{
	return feature(v, &o->loader.features.ipv6);
}

static int o_ecmp(struct daemon_opts *o, const char *v)
{
	return feature(v, &o->loader.features.ecmp);
}

static int o_stateful(struct daemon_opts *o, const char *v)
{
	return feature(v, &o->loader.features.conntrack);
}

static int size_opt(const char *v, uint32_t *out)
{
	unsigned long n;
	int err = xr_parse_uint(v, 0, 1UL << 26, &n);

	if (!err && n == 0)
		err = -EINVAL;
	if (!err)
		*out = n;
	return err;
}

static int o_fib(struct daemon_opts *o, const char *v)
{
	int err = xr_loader_parse_fib(v, &o->loader.features.fib);

	if (!err && !o->fib6_given)
		o->loader.features.fib6 =
			xr_loader_fib6_for(o->loader.features.fib);
	return err;
}

static int o_fib6(struct daemon_opts *o, const char *v)
{
	o->fib6_given = true;
	return xr_loader_parse_fib6(v, &o->loader.features.fib6);
}

static int o_fib6_nodes(struct daemon_opts *o, const char *v)
{
	int err = size_opt(v, &o->loader.fib6_nodes);

	if (!err && o->loader.fib6_nodes >= XR_MBT_NODE)
		err = -EINVAL;
	return err;
}

static int o_fib4_blocks(struct daemon_opts *o, const char *v)
{
	int err = size_opt(v, &o->loader.fib4_blocks);

	if (!err && o->loader.fib4_blocks > XR_DIR24_MAX_BLOCKS)
		err = -EINVAL;
	return err;
}

static int o_v4max(struct daemon_opts *o, const char *v)
{
	return size_opt(v, &o->loader.route_v4_max);
}

static int o_v6max(struct daemon_opts *o, const char *v)
{
	return size_opt(v, &o->loader.route_v6_max);
}

static int o_rib_routes(struct daemon_opts *o, const char *v)
{
	return size_opt(v, &o->rib_max_routes);
}

static int o_rib_nexthops(struct daemon_opts *o, const char *v)
{
	return size_opt(v, &o->rib_max_nexthops);
}

static int o_frame_timeout(struct daemon_opts *o, const char *v)
{
	unsigned long n;
	int err = xr_parse_uint(v, 0, 3600, &n);

	if (!err && n == 0)
		err = -EINVAL;
	if (!err)
		o->fpm_frame_timeout = n;
	return err;
}

static int o_nhmax(struct daemon_opts *o, const char *v)
{
	return size_opt(v, &o->loader.nexthop_max);
}

static int o_control(struct daemon_opts *o, const char *v)
{
	if (v[0] != '/')
		return -EINVAL;
	return set_str(o->control_socket, sizeof(o->control_socket), v);
}

static int o_control_group(struct daemon_opts *o, const char *v)
{
	struct group *g = getgrnam(v);

	if (!g)
		return -ENOENT;
	o->control_gid = g->gr_gid;
	o->control_group_set = true;
	return 0;
}

static int o_metrics(struct daemon_opts *o, const char *v)
{
	if (!strcmp(v, "off") || !strcmp(v, "no")) {
		o->metrics_listen[0] = '\0';
		return 0;
	}
	return set_str(o->metrics_listen, sizeof(o->metrics_listen), v);
}

static int o_metrics_conns(struct daemon_opts *o, const char *v)
{
	unsigned long n;
	int err = xr_parse_uint(v, 0, 4096, &n);

	if (!err && n == 0)
		err = -EINVAL;
	if (!err)
		o->metrics_max_connections = n;
	return err;
}

static int o_feedback(struct daemon_opts *o, const char *v)
{
	return parse_bool(v, &o->offload_feedback);
}

static int o_sflow_collector(struct daemon_opts *o, const char *v)
{
	return sflow_opts_add_collectors(&o->sflow, v);
}

static int o_sflow_sampling(struct daemon_opts *o, const char *v)
{
	unsigned long n;
	int err = xr_parse_uint(v, 0, XR_SAMPLE_RATE_MAX, &n);

	if (!err)
		o->sflow.sampling = n;
	return err;
}

static int o_sflow_agent(struct daemon_opts *o, const char *v)
{
	struct in6_addr a;

	if (inet_pton(AF_INET, v, &a) != 1 && inet_pton(AF_INET6, v, &a) != 1)
		return -EINVAL;
	return set_str(o->sflow.agent_address, sizeof(o->sflow.agent_address),
		       v);
}

static int o_sflow_sub_agent(struct daemon_opts *o, const char *v)
{
	unsigned long n;
	int err = xr_parse_uint(v, 0, UINT32_MAX, &n);

	if (!err)
		o->sflow.sub_agent_id = n;
	return err;
}

static int o_sflow_counters(struct daemon_opts *o, const char *v)
{
	unsigned long n;
	int err = xr_parse_uint(v, 0, 3600, &n);

	if (!err)
		o->sflow.counter_interval = n;
	return err;
}

static int o_ipfix_collector(struct daemon_opts *o, const char *v)
{
	return ipfix_opts_add_collectors(&o->ipfix, v);
}

static int o_ipfix_domain(struct daemon_opts *o, const char *v)
{
	unsigned long n;
	int err = xr_parse_uint(v, 0, UINT32_MAX, &n);

	if (!err)
		o->ipfix.domain = n;
	return err;
}

static int timeout_opt(const char *v, unsigned int *out)
{
	unsigned long n;
	int err = xr_parse_uint(v, 0, 3600, &n);

	if (!err && n == 0)
		err = -EINVAL;
	if (!err)
		*out = n;
	return err;
}

static int o_ipfix_idle(struct daemon_opts *o, const char *v)
{
	return timeout_opt(v, &o->ipfix.idle_timeout);
}

static int o_ipfix_active(struct daemon_opts *o, const char *v)
{
	return timeout_opt(v, &o->ipfix.active_timeout);
}

static const struct daemon_opt {
	const char *name;
	char short_name;
	int has_arg; /* no_argument: a flag, "yes"/"no" in a file */
	const char *arg;
	opt_fn fn;
	const char *help;
} options[] = {
	{"config", 'c', required_argument, "FILE", o_config,
	 "config file (default " XR_CONFIG_DEFAULT " if present)"},
	{"fpm-listen", 'l', required_argument, "ADDR:PORT", o_fpm,
	 "where zebra's FPM connects (default 127.0.0.1:2620; [::1]:2620)"},
	{"fpm-allowed-users", 0, required_argument, "USER,UID..", o_fpm_users,
	 "owners of the FPM peer's socket let in "
	 "(default " FPM_PEER_DEFAULT_USERS ")"},
	{"fpm-allow-remote", 0, required_argument, "yes|no", o_fpm_remote,
	 "let fpm-listen be a non-loopback address; remote peers unchecked "
	 "(no)"},
	{"pin-path", 'p', required_argument, "DIR", o_pin,
	 "bpffs dir of the pinned maps (default " XR_PIN_DIR_DEFAULT ")"},
	{"interfaces", 'i', required_argument, "auto|IF,IF..", o_interfaces,
	 "interfaces to attach; auto: every up interface with an address"},
	{"xdp-mode", 'm', required_argument, "auto|native|generic", o_mode,
	 "XDP attach mode; auto falls back to generic with a warning"},
	{"foreground", 'f', no_argument, NULL, o_foreground,
	 "stay in the foreground (systemd runs it so)"},
	{"detach-on-exit", 'd', no_argument, NULL, o_detach,
	 "detach XDP on exit; by default the fast path keeps forwarding"},
	{"log-level", 'L', required_argument, "error|warning|notice|info|debug",
	 o_log, "log level (notice)"},
	{"resync-delay", 'r', required_argument, "SECONDS", o_resync,
	 "quiet time after zebra's replay before stale routes go (5)"},
	{"ipv6", 0, required_argument, "yes|no", o_ipv6,
	 "forward IPv6 in XDP (yes)"},
	{"ecmp", 0, required_argument, "yes|no", o_ecmp,
	 "use nexthop groups in XDP (yes)"},
	{"stateful", 0, required_argument, "yes|no", o_stateful,
	 "forward established flows in XDP where the firewall accepts them, "
	 "checked against conntrack (yes); no: conntrack's accounting and TCP "
	 "window tracking see every packet of a firewalled path"},
	{"fib", 0, required_argument, "dir24|lpm", o_fib,
	 "lookup: the compiled FIBs (default: IPv4 DIR-24-8, IPv6 multibit "
	 "trie) or the LPM tries"},
	{"fib4-blocks", 0, required_argument, "N", o_fib4_blocks,
	 "DIR-24-8 blocks for prefixes longer than /24 (4096, max 32768)"},
	{"fib6", 0, required_argument, "mbt|lpm", o_fib6,
	 "IPv6 lookup alone: the multibit trie or the LPM trie (as --fib)"},
	{"fib6-nodes", 0, required_argument, "N", o_fib6_nodes,
	 "IPv6 multibit trie nodes, 64 bytes each (524288)"},
	{"route-v4-max", 0, required_argument, "N", o_v4max,
	 "IPv4 route map size, when the maps are first created"},
	{"route-v6-max", 0, required_argument, "N", o_v6max,
	 "IPv6 route map size, when the maps are first created"},
	{"nexthop-max", 0, required_argument, "N", o_nhmax,
	 "nexthop map size, when the maps are first created"},
	{"rib-max-routes", 0, required_argument, "N", o_rib_routes,
	 "routes the RIB mirror holds; new ones past it are refused and "
	 "left to the kernel (2000000)"},
	{"rib-max-nexthops", 0, required_argument, "N", o_rib_nexthops,
	 "zebra nexthop objects (gateways, groups) the RIB mirror holds; new "
	 "ones past it are refused and left to the kernel (1000000)"},
	{"fpm-frame-timeout", 0, required_argument, "SECONDS", o_frame_timeout,
	 "an FPM frame begun and not finished within this drops the "
	 "connection (10)"},
	{"control-socket", 0, required_argument, "PATH", o_control,
	 "xdp-routerctl's socket (default " XR_CONTROL_SOCKET_DEFAULT ")"},
	{"control-group", 0, required_argument, "GROUP", o_control_group,
	 "a group that may read the control socket (none: root only)"},
	{"metrics-listen", 0, required_argument, "ADDR:PORT|off", o_metrics,
	 "Prometheus /metrics (default " XR_METRICS_LISTEN_DEFAULT ")"},
	{"metrics-max-connections", 0, required_argument, "N", o_metrics_conns,
	 "metrics connections open at a time; more are closed at once and "
	 "counted (" XR_STR(METRICS_MAX_CONNECTIONS_DEFAULT) ")"},
	{"offload-feedback", 0, required_argument, "yes|no", o_feedback,
	 "tell zebra which routes are offloaded, FRR >= 8.5 only (no)"},
	{"sflow-collector", 0, required_argument, "HOST[:PORT],..",
	 o_sflow_collector,
	 "send sFlow v5 to these collectors (port 6343; up to 4, repeatable)"},
	{"sflow-sampling", 0, required_argument, "N", o_sflow_sampling,
	 "sample 1 in N frames of every interface, forwarded or punted, for "
	 "sFlow and IPFIX (0: sFlow counter samples only)"},
	{"sflow-agent-address", 0, required_argument, "ADDR", o_sflow_agent,
	 "the sFlow agent address (default: the source towards the first "
	 "collector)"},
	{"sflow-sub-agent-id", 0, required_argument, "N", o_sflow_sub_agent,
	 "the sFlow sub-agent id (0)"},
	{"sflow-counter-interval", 0, required_argument, "SECONDS",
	 o_sflow_counters,
	 "interface counter samples every SECONDS (20; 0: none)"},
	{"ipfix-collector", 0, required_argument, "HOST[:PORT],..",
	 o_ipfix_collector,
	 "send IPFIX flows built from the samples (sflow-sampling) to these "
	 "collectors (port 4739; up to 4)"},
	{"ipfix-domain-id", 0, required_argument, "N", o_ipfix_domain,
	 "the IPFIX observation domain id (0)"},
	{"ipfix-idle-timeout", 0, required_argument, "SECONDS", o_ipfix_idle,
	 "a flow without samples for SECONDS is exported (15)"},
	{"ipfix-active-timeout", 0, required_argument, "SECONDS",
	 o_ipfix_active, "a flow is exported every SECONDS while active (60)"},
};

#define N_OPTIONS (int)(sizeof(options) / sizeof(options[0]))

static void usage(FILE *f)
{
	fprintf(f, "usage: xdp-routerd [OPTION]...\n\n"
		   "Compiles zebra's FIB (over FPM) and the kernel's "
		   "neighbours into the XDP fast path.\n\n");
	for (int i = 0; i < N_OPTIONS; i++) {
		char left[64];

		snprintf(left, sizeof(left), "%c%c%s--%s%s%s",
			 options[i].short_name ? '-' : ' ',
			 options[i].short_name ? options[i].short_name : ' ',
			 options[i].short_name ? ", " : "  ", options[i].name,
			 options[i].arg ? " " : "",
			 options[i].arg ? options[i].arg : "");
		fprintf(f, "  %-44s %s\n", left, options[i].help);
	}
	fprintf(f,
		"  -h, --help%35s this help\n\nEvery long option can "
		"be set in the config file as 'name = value'.\n",
		"");
}

static const struct daemon_opt *opt_find(const char *name)
{
	for (int i = 0; i < N_OPTIONS; i++)
		if (!strcmp(options[i].name, name))
			return &options[i];
	return NULL;
}

static int opt_apply(struct daemon_opts *o, const struct daemon_opt *d,
		     const char *v, const char *where)
{
	int err = d->fn(o, v);

	if (err)
		fprintf(stderr,
			"xdp-routerd: %s: bad value '%s' for %s "
			"(expected %s)\n",
			where, v ? v : "", d->name, d->arg ? d->arg : "yes|no");
	return err;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
			 e[-1] == '\r'))
		*--e = '\0';
	return s;
}

int daemon_opts_load_stream(struct daemon_opts *o, FILE *f, const char *path)
{
	char line[512], where[300];
	int lineno = 0, err = 0;

	while (fgets(line, sizeof(line), f)) {
		char *s = trim(line), *eq, *name, *val;
		const struct daemon_opt *d;

		lineno++;
		snprintf(where, sizeof(where), "%s:%d", path, lineno);
		if (!*s || *s == '#')
			continue;
		eq = strchr(s, '=');
		if (!eq) {
			fprintf(stderr,
				"xdp-routerd: %s: expected 'name = "
				"value', got '%s'\n",
				where, s);
			err = -EINVAL;
			continue;
		}
		*eq = '\0';
		name = trim(s);
		val = trim(eq + 1);
		d = opt_find(name);
		if (!d || d->fn == o_config) {
			fprintf(stderr,
				"xdp-routerd: %s: unknown option '%s' "
				"(see xdp-routerd --help)\n",
				where, name);
			err = -EINVAL;
			continue;
		}
		if (opt_apply(o, d, val, where))
			err = -EINVAL;
	}
	return err;
}

static int config_load(struct daemon_opts *o, const char *path, bool must)
{
	char why[160];
	FILE *f = fopen(path, "r");
	int err;

	if (!f) {
		if (!must && errno == ENOENT)
			return 0;
		fprintf(stderr, "xdp-routerd: cannot read %s: %s\n", path,
			strerror(errno));
		return -errno;
	}
	err = file_trust_config(fileno(f), why, sizeof(why));
	if (err)
		fprintf(stderr, "xdp-routerd: refusing %s: %s\n", path, why);
	else
		err = daemon_opts_load_stream(o, f, path);
	fclose(f);
	return err;
}

void daemon_opts_defaults(struct daemon_opts *o)
{
	memset(o, 0, sizeof(*o));
	xr_loader_opts_default(&o->loader);
	strcpy(o->fpm_listen, "127.0.0.1:2620");
	fpm_peer_policy_default(&o->fpm_peers);
	strcpy(o->pin_path, XR_PIN_DIR_DEFAULT);
	strcpy(o->config, XR_CONFIG_DEFAULT);
	o->ports.all = true;
	o->resync_delay = 5;
	o->rib_max_routes = RIB_MAX_ROUTES_DEFAULT;
	o->rib_max_nexthops = RIB_MAX_NEXTHOPS_DEFAULT;
	o->fpm_frame_timeout = 10;
	strcpy(o->control_socket, XR_CONTROL_SOCKET_DEFAULT);
	strcpy(o->metrics_listen, XR_METRICS_LISTEN_DEFAULT);
	o->metrics_max_connections = METRICS_MAX_CONNECTIONS_DEFAULT;
	o->sflow.counter_interval = SFLOW_COUNTER_INTERVAL_DEFAULT;
	o->ipfix.idle_timeout = 15;
	o->ipfix.active_timeout = 60;
	/* Off: zebra 8.4 discards the notifications and Debian 13's 10.3
	 * drops them, while they cost a message per route. */
	o->offload_feedback = false;
}

int daemon_opts_parse(struct daemon_opts *o, int argc, char **argv)
{
	struct option longopts[N_OPTIONS + 2];
	char shortopts[2 * N_OPTIONS + 2], *sp = shortopts;
	bool config_given = false;
	int opt, idx, err;

	daemon_opts_defaults(o);

	for (int i = 0; i < N_OPTIONS; i++) {
		longopts[i] = (struct option){
			options[i].name, options[i].has_arg, NULL,
			options[i].short_name ? options[i].short_name
					      : 256 + i};
		if (options[i].short_name) {
			*sp++ = options[i].short_name;
			if (options[i].has_arg)
				*sp++ = ':';
		}
	}
	longopts[N_OPTIONS] = (struct option){"help", no_argument, NULL, 'h'};
	longopts[N_OPTIONS + 1] = (struct option){0};
	*sp++ = 'h';
	*sp = '\0';

	/* First pass: only the config file's name, so the command line
	 * overrides the file whatever the order. */
	optind = 1; /* a reload parses again */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, shortopts, longopts, &idx)) != -1)
		if (opt == 'c') {
			o_config(o, optarg);
			config_given = true;
		}
	err = config_load(o, o->config, config_given);
	if (err)
		return err;

	optind = 1;
	opterr = 1;
	while ((opt = getopt_long(argc, argv, shortopts, longopts, &idx)) !=
	       -1) {
		const struct daemon_opt *d = NULL;

		if (opt == 'h') {
			usage(stdout);
			return 1;
		}
		if (opt == '?') {
			usage(stderr);
			return -EINVAL;
		}
		for (int i = 0; i < N_OPTIONS; i++)
			if (options[i].short_name == opt || 256 + i == opt)
				d = &options[i];
		if (!d || d->fn == o_config)
			continue;
		if (opt_apply(o, d, d->has_arg ? optarg : NULL, "command line"))
			return -EINVAL;
	}
	if (optind < argc) {
		fprintf(stderr, "xdp-routerd: unexpected argument '%s'\n",
			argv[optind]);
		return -EINVAL;
	}
	if (o->sflow.sampling && !o->sflow.n_collectors &&
	    !o->ipfix.n_collectors) {
		fprintf(stderr, "xdp-routerd: sflow-sampling needs an "
				"sflow-collector or ipfix-collector to send "
				"the samples to\n");
		return -EINVAL;
	}
	if (o->ipfix.n_collectors && !o->sflow.sampling) {
		fprintf(stderr, "xdp-routerd: ipfix-collector needs "
				"sflow-sampling: its flows are built from the "
				"samples\n");
		return -EINVAL;
	}
	/* Compiled into the program only when samples have somewhere to go:
	 * off, the verifier removes it (bpf/flow_sample.h). */
	o->loader.flow_sample = o->sflow.sampling != 0;
	o->loader.pin_dir = o->pin_path;
	return 0;
}
