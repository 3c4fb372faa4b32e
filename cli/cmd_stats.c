// SPDX-License-Identifier: GPL-2.0-only
/* stats [clear] [--watch [--interval S] [--count N]] */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "maps/if_counter_names.h"
#include "map_walk.h"
#include "params.h"
#include "stats_rates.h"

struct stats_args {
	int clear; /* keyword index, -1 if absent */
	bool watch;
	unsigned int interval;
	unsigned int count;
};

static const char *const clear_kw[] = {"clear", NULL};

static const struct param stats_params[] = {
	{"clear", P_KEYWORD, offsetof(struct stats_args, clear), false,
	 clear_kw, "reset every fast-path counter to zero"},
	{"--watch", P_FLAG, offsetof(struct stats_args, watch), false, NULL,
	 "print again every interval, with rates"},
	{"--interval", P_UINT, offsetof(struct stats_args, interval), false,
	 NULL, "seconds between samples with --watch (1)"},
	{"--count", P_UINT, offsetof(struct stats_args, count), false, NULL,
	 "stop after N samples with --watch (0: never)"},
	PARAM_END,
};

static void if_sample(uint32_t ifindex, const void *value, void *arg)
{
	struct stats_sample *s = arg;
	struct cli *c = s->cli;

	(void)value;
	if (s->n_ifs >= STATS_MAX_IFS)
		return;
	if (xr_if_counters_read(&c->maps, ifindex, &s->ifs[s->n_ifs].c))
		return;
	s->ifs[s->n_ifs++].ifindex = ifindex;
}

static int sample(struct cli *c, struct stats_sample *s)
{
	int err;

	memset(s, 0, sizeof(*s));
	s->cli = c;
	clock_gettime(CLOCK_MONOTONIC, &s->when);
	err = xr_counters_read(&c->maps, s->reasons);
	if (err)
		return err;
	/* Counters are rows of an array named by each interface's slot. */
	return walk_u32_map(c->maps.ifaces, NULL, if_sample, s);
}

static struct json_object *counter_json(const struct xr_counter *now,
					const struct xr_counter *before,
					double dt)
{
	struct json_object *o = json_object_new_object();

	xr_jadd_u64(o, "packets", now->packets);
	xr_jadd_u64(o, "bytes", now->bytes);
	if (before) {
		struct stats_rate r = stats_rate(now, before, dt);

		xr_jadd(o, "pps", json_object_new_double(r.pps));
		xr_jadd(o, "bps", json_object_new_double(r.bps));
	}
	return o;
}

static struct json_object *stats_json(struct cli *c,
				      const struct stats_sample *s,
				      const struct stats_sample *prev)
{
	struct json_object *j = json_object_new_object();
	struct json_object *ifs = json_object_new_object();
	struct json_object *rs = json_object_new_object();
	double dt = prev ? stats_seconds(&s->when, &prev->when) : 0;
	char ifn[16];

	for (unsigned int i = 0; i < s->n_ifs; i++) {
		struct json_object *o = json_object_new_object();
		const struct xr_counter *now = (const void *)&s->ifs[i].c;
		const struct stats_if *p =
			prev ? stats_find_if(prev, s->ifs[i].ifindex) : NULL;
		const struct xr_counter *was = p ? (const void *)&p->c : NULL;
		unsigned int f = 0;

		xr_jadd_u64(o, "ifindex", s->ifs[i].ifindex);
#define XR_IF_JSON(field, dir, verdict)                                      \
	xr_jadd(o, #field, counter_json(&now[f], was ? &was[f] : NULL, dt)); \
	f++;
		XR_IF_COUNTERS(XR_IF_JSON)
#undef XR_IF_JSON
		json_object_object_add(ifs, cli_ifname(s->ifs[i].ifindex, ifn),
				       o);
	}
	for (unsigned int r = 0; r < XR_REASON_MAX; r++) {
		struct json_object *o = counter_json(
			&s->reasons[r], prev ? &prev->reasons[r] : NULL, dt);

		xr_jadd_str(o, "verdict", fastpath_verdict_name(r));
		json_object_object_add(rs, xr_reason_name(r), o);
	}
	xr_jadd(j, "interfaces", ifs);
	xr_jadd(j, "reasons", rs);
	if (prev)
		xr_jadd(j, "intervalSeconds", json_object_new_double(dt));
	/* the daemon's own counters, the ones /metrics also serves */
	if (cli_daemon_up(c))
		xr_jadd(j, "daemon",
			cli_daemon_ask(
				c, control_verb_name(CONTROL_VERB_counters)));
	return j;
}

static void rate_text(const struct xr_counter *now,
		      const struct xr_counter *was, double dt)
{
	if (was) {
		struct stats_rate r = stats_rate(now, was, dt);

		printf(" %10.1f pps %12.1f bit/s", r.pps, r.bps * 8);
	}
}

static void stats_text(const struct stats_sample *s,
		       const struct stats_sample *prev)
{
	double dt = prev ? stats_seconds(&s->when, &prev->when) : 0;
	char ifn[16];

	printf("%-10s %-14s %14s %16s\n", "INTERFACE", "COUNTER", "PACKETS",
	       "BYTES");
	for (unsigned int i = 0; i < s->n_ifs; i++) {
		const struct xr_counter *now = (const void *)&s->ifs[i].c;
		const struct stats_if *p =
			prev ? stats_find_if(prev, s->ifs[i].ifindex) : NULL;
		const struct xr_counter *was = p ? (const void *)&p->c : NULL;
		unsigned int f = 0;

		cli_ifname(s->ifs[i].ifindex, ifn);
#define XR_IF_TEXT(field, dir, verdict)                  \
	printf("%-10s %-14s %14llu %16llu", ifn, #field, \
	       (unsigned long long)now[f].packets,       \
	       (unsigned long long)now[f].bytes);        \
	rate_text(&now[f], was ? &was[f] : NULL, dt);    \
	printf("\n");                                    \
	f++;
		XR_IF_COUNTERS(XR_IF_TEXT)
#undef XR_IF_TEXT
	}
	printf("\n%-30s %-8s %14s %16s\n", "REASON", "VERDICT", "PACKETS",
	       "BYTES");
	for (unsigned int r = 0; r < XR_REASON_MAX; r++) {
		printf("%-30s %-8s %14llu %16llu", xr_reason_name(r),
		       fastpath_verdict_name(r),
		       (unsigned long long)s->reasons[r].packets,
		       (unsigned long long)s->reasons[r].bytes);
		rate_text(&s->reasons[r], prev ? &prev->reasons[r] : NULL, dt);
		printf("\n");
	}
}

static int show(struct cli *c, const struct stats_sample *s,
		const struct stats_sample *prev)
{
	if (c->json) {
		struct json_object *j = stats_json(c, s, prev);

		cli_print_json(j);
		json_object_put(j);
	} else {
		stats_text(s, prev);
	}
	return 0;
}

int cmd_stats(struct cli *c, int argc, char **argv)
{
	static struct stats_sample samples[2];
	struct stats_args a = {.interval = 1};
	int err, cur = 0;

	err = params_parse(stats_params, argc, argv, &a, "stats");
	if (err)
		return err;
	if (a.clear >= 0 && a.watch) {
		fprintf(stderr, "xdp-routerctl stats: clear and --watch do "
				"not go together\n");
		return EXIT_USAGE;
	}
	if (!a.interval) {
		fprintf(stderr, "xdp-routerctl stats: --interval must be at "
				"least 1\n");
		return EXIT_ERR;
	}
	err = cli_open_maps(c);
	if (err)
		return err;
	if (a.clear >= 0) {
		err = xr_counters_clear(&c->maps);
		if (err) {
			fprintf(stderr, "xdp-routerctl stats clear: %s\n",
				strerror(-err));
			return EXIT_ERR;
		}
		if (c->json)
			printf("{ \"cleared\": true }\n");
		else
			printf("fast-path counters cleared\n");
		return EXIT_OK;
	}
	err = sample(c, &samples[cur]);
	if (err) {
		fprintf(stderr, "xdp-routerctl stats: reading counters: %s\n",
			strerror(-err));
		return EXIT_ERR;
	}
	if (!a.watch)
		return show(c, &samples[cur], NULL);
	for (unsigned int n = 0; !a.count || n < a.count; n++) {
		sleep(a.interval); /* --watch: the interval is the point */
		cur ^= 1;
		if (sample(c, &samples[cur]))
			return EXIT_ERR;
		if (!c->json)
			printf("--- every %us, sample %u\n", a.interval, n + 1);
		show(c, &samples[cur], &samples[cur ^ 1]);
		fflush(stdout);
	}
	return EXIT_OK;
}
