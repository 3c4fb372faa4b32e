/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xdp-routerctl's shared state and the command table's types. Exit codes:
 * 0 ok, 1 error (message on stderr), 2 usage.
 */
#ifndef XR_CLI_H
#define XR_CLI_H

#include <stdbool.h>
#include <json-c/json.h>

#include "daemon/control_protocol.h"
#include "maps/maps.h"
#include "util/json_build.h"

#define EXIT_OK 0
#define EXIT_ERR 1
#define EXIT_USAGE 2

struct cli {
	bool json;
	const char *pin_dir; /* NULL: the daemon's, else the default */
	const char *socket;
	struct xr_maps maps;
	bool maps_open;
	/* the daemon's "status" answer, NULL when it is not running */
	struct json_object *status;
	bool daemon_checked;
};

struct cli_cmd {
	const char *name;
	int (*fn)(struct cli *c, int argc, char **argv);
	const char *args; /* synopsis after the name */
	const char *help;
};

/* Connects once; true when the daemon answers. */
bool cli_daemon_up(struct cli *c);
/* A request to the daemon: its JSON answer (caller puts it) or NULL. */
struct json_object *cli_daemon_ask(struct cli *c, const char *request);
/* Opens the pinned maps; prints the error and returns EXIT_ERR. */
int cli_open_maps(struct cli *c);
const char *cli_pin_dir(struct cli *c);
/* Says once, on stderr, that the daemon is down and what that means. */
void cli_note_daemon_down(struct cli *c);

/* Output */
void cli_print_json(struct json_object *j);
const char *cli_ifname(uint32_t ifindex, char buf[16]);

/* The XDP program attached to an interface: its id (0 if none) and mode
 * ("native", "generic", "offload", "none"). */
uint32_t cli_xdp_attached(uint32_t ifindex, const char **mode);

/* Commands */
int cmd_status(struct cli *c, int argc, char **argv);
int cmd_routes(struct cli *c, int argc, char **argv);
int cmd_nexthops(struct cli *c, int argc, char **argv);
int cmd_groups(struct cli *c, int argc, char **argv);
int cmd_neighbours(struct cli *c, int argc, char **argv);
int cmd_interfaces(struct cli *c, int argc, char **argv);
int cmd_lookup(struct cli *c, int argc, char **argv);
int cmd_stats(struct cli *c, int argc, char **argv);

#endif /* XR_CLI_H */
