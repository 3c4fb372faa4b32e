/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xdp-routerd's options: one table serves the command line, the config
 * file (the same names, "name = value") and --help.
 */
#ifndef XR_DAEMON_OPTS_H
#define XR_DAEMON_OPTS_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "daemon/control_protocol.h"
#include "export/ipfix.h"
#include "export/sflow.h"
#include "fpm_peer.h"
#include "loader/loader.h"
#include "kernel/ports.h"

#define XR_CONFIG_DEFAULT "/etc/xdp-router/xdp-router.conf"
#define XR_METRICS_LISTEN_DEFAULT "127.0.0.1:9642"

struct daemon_opts {
	char config[256];
	char fpm_listen[128];
	struct fpm_peer_policy fpm_peers; /* who may connect to fpm_listen */
	char pin_path[256];
	struct xr_loader_opts loader;
	struct ports_opts ports;
	bool foreground;
	bool detach_on_exit;
	unsigned int resync_delay; /* seconds */
	char control_socket[108];  /* sun_path */
	bool control_group_set;	   /* else the socket is root's alone */
	gid_t control_gid;
	char metrics_listen[128];	      /* "" when off */
	unsigned int metrics_max_connections; /* open at a time */
	bool offload_feedback;
	/* What one FPM peer may make the RIB hold (rib_set_limits) */
	uint32_t rib_max_routes, rib_max_nexthops;
	/* A frame begun must end within this (fpm_server_set_frame_timeout) */
	unsigned int fpm_frame_timeout; /* seconds */
	bool fib6_given;	 /* --fib6 wins over what --fib implies */
	struct sflow_opts sflow; /* flow export, off without a collector */
	struct ipfix_opts ipfix;
};

void daemon_opts_defaults(struct daemon_opts *o);
/* "name = value" lines of f (named path in messages): 0, or -EINVAL after
 * every bad line was reported. */
int daemon_opts_load_stream(struct daemon_opts *o, FILE *f, const char *path);

/* 0: run; 1: done (help printed); negative: bad option (message printed). */
int daemon_opts_parse(struct daemon_opts *o, int argc, char **argv);

#endif /* XR_DAEMON_OPTS_H */
