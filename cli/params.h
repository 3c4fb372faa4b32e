/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Typed arguments of a subcommand, declared as a table (as xdp-tools'
 * params.h and iproute2 do): options ("--in IFACE", "--watch") and
 * positionals, each with a type that parses and checks its value. Values
 * land in the command's own struct through offsetof().
 *
 * Returns 0, EXIT_USAGE (unknown option, missing or extra argument) or
 * EXIT_ERR (a value of the wrong kind: bad prefix, unknown interface);
 * the message is printed.
 */
#ifndef XR_PARAMS_H
#define XR_PARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "maps/maps.h"

enum param_type {
	P_FLAG,	   /* bool */
	P_UINT,	   /* unsigned int */
	P_IFNAME,  /* struct param_ifname: must exist */
	P_ADDR,	   /* struct xr_addr */
	P_PREFIX,  /* struct xr_prefix */
	P_KEYWORD, /* int: index into keywords, -1 if absent */
};

struct param_ifname {
	char name[16];
	uint32_t ifindex;
};

struct param {
	const char *name; /* "--in" for options, "ADDRESS" for positionals */
	enum param_type type;
	size_t offset; /* in the command's struct */
	bool required;
	const char *const *keywords; /* P_KEYWORD: NULL-terminated */
	const char *help;
};

#define PARAM_END                             \
	{                                     \
		NULL, 0, 0, false, NULL, NULL \
	}

/* An optional keyword positional that does not match is skipped, so
 * "routes [ipv4|ipv6] [PREFIX]" takes "routes 10.0.0.0/8". */
int params_parse(const struct param *p, int argc, char **argv, void *out,
		 const char *cmd);

#endif /* XR_PARAMS_H */
