// SPDX-License-Identifier: GPL-2.0-only
/*
 * xdp-routerctl: what the XDP fast path holds and does, asked the way an
 * FRR operator asks zebra. Reads the pinned maps through the shared
 * library, and the daemon's control socket for what only the daemon knows;
 * works from the maps alone when the daemon is down.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#ifndef XR_VERSION
#define XR_VERSION "unknown"
#endif

static const struct cli_cmd commands[] = {
	{"status", cmd_status, "",
	 "daemon, FPM peer, counts, attached interfaces, program"},
	{"routes", cmd_routes, "[ipv4|ipv6] [PREFIX]",
	 "routes in the fast path (and, from the daemon, those left out)"},
	{"nexthops", cmd_nexthops, "", "nexthops: egress, gateway, MAC"},
	{"groups", cmd_groups, "", "ECMP groups: members, weights, buckets"},
	{"neighbours", cmd_neighbours, "",
	 "neighbours of connected routes (address -> MAC)"},
	{"interfaces", cmd_interfaces, "",
	 "interfaces the fast path knows, XDP attach mode"},
	{"lookup", cmd_lookup, "ADDRESS [--in IFACE]",
	 "what the fast path does with a packet to ADDRESS, next to the "
	 "kernel"},
	{"stats", cmd_stats, "[clear] [--watch [--interval S] [--count N]]",
	 "per-interface and per-reason packet counters; clear resets them"},
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	fprintf(f,
		"usage: xdp-routerctl [OPTIONS] COMMAND [ARGS]\n\n"
		"Options:\n"
		"  -j, --json             JSON output, shaped like FRR's "
		"'show ... json'\n"
		"  -p, --pin-path DIR     bpffs dir of the maps (default: the "
		"daemon's, else " XR_PIN_DIR_DEFAULT ")\n"
		"  -s, --socket PATH      daemon control socket "
		"(default " XR_CONTROL_SOCKET_DEFAULT ")\n"
		"  -V, --version          print the version\n"
		"  -h, --help             this help; COMMAND --help for one "
		"command\n\nCommands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-11s %-44s\n      %s\n", commands[i].name,
			commands[i].args, commands[i].help);
	fprintf(f, "\nExit status: 0 ok, 1 error, 2 usage. See "
		   "xdp-routerctl(8).\n");
}

static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"json", no_argument, NULL, 'j'},
		{"pin-path", required_argument, NULL, 'p'},
		{"socket", required_argument, NULL, 's'},
		{"version", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	struct cli c = {.socket = XR_CONTROL_SOCKET_DEFAULT};
	const struct cli_cmd *cmd = NULL;
	int opt, ret;

	xr_maps_init(&c.maps);
	while ((opt = getopt_long(argc, argv, "+jp:s:Vh", longopts, NULL)) !=
	       -1) {
		switch (opt) {
		case 'j':
			c.json = true;
			break;
		case 'p':
			c.pin_dir = optarg;
			break;
		case 's':
			c.socket = optarg;
			break;
		case 'V':
			printf("xdp-routerctl %s\n", XR_VERSION);
			return EXIT_OK;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (!strcmp(argv[optind], commands[i].name))
			cmd = &commands[i];
	if (!cmd) {
		fprintf(stderr, "xdp-routerctl: unknown command '%s'\n\n",
			argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (wants_help(argc - optind, argv + optind)) {
		printf("usage: xdp-routerctl [-j] %s %s\n  %s\n", cmd->name,
		       cmd->args, cmd->help);
		return EXIT_OK;
	}
	ret = cmd->fn(&c, argc - optind - 1, argv + optind + 1);
	if (c.status)
		json_object_put(c.status);
	xr_maps_close(&c.maps);
	return ret;
}
