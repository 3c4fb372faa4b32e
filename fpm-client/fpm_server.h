/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * TCP listener for zebra's FPM connection, on a libevent base owned by the
 * caller. One zebra at a time: a new connection of an allowed user
 * (fpm_peer.h) replaces the old one (PEER_DOWN for the old, then PEER_UP). A
 * framing error closes the connection (zebra reconnects and replays); the
 * listener keeps serving.
 */
#ifndef XR_FPM_SERVER_H
#define XR_FPM_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "fpm_decode.h"
#include "fpm_peer.h"

#define FPM_DEFAULT_ADDR "127.0.0.1:2620"

struct event_base;
struct fpm_server;

/*
 * Parse "ADDR:PORT", "[V6ADDR]:PORT", "ADDR" or "[V6ADDR]" (port 2620).
 * Returns 0 or -EINVAL.
 */
int fpm_parse_addr(const char *str, struct sockaddr_storage *ss,
		   socklen_t *len);

/*
 * addr NULL means FPM_DEFAULT_ADDR; policy NULL the default users (root and
 * FRR's). A connection whose socket is not an allowed user's is closed on
 * accept, counted (peers_refused) and never replaces the current peer.
 * A non-loopback addr needs policy->allow_remote (-EPERM otherwise).
 * Returns 0 or a negative errno.
 */
int fpm_server_create(struct fpm_server **out, struct event_base *base,
		      const char *addr, const struct fpm_peer_policy *policy,
		      fpm_event_fn cb, void *arg);
void fpm_server_free(struct fpm_server *s);

/* The decoder: counters, and a frame tap for recording. */
struct fpm_decoder *fpm_server_decoder(struct fpm_server *s);
/* Port actually bound (useful with port 0). */
int fpm_server_port(const struct fpm_server *s);
/*
 * A frame begun must end within seconds (default 10) while no other frame
 * completes; else the connection is closed (err_frame_timeout, PEER_DOWN:
 * what was programmed stays). Bounds what a peer that stops inside a frame
 * holds: one connection and one frame buffer, for that long.
 */
void fpm_server_set_frame_timeout(struct fpm_server *s, unsigned int seconds);
/* True while a zebra is connected. */
int fpm_server_connected(const struct fpm_server *s);

/*
 * Send a frame to the connected zebra (offload notifications). Queued when
 * the socket is full. -ENOTCONN without a peer, -ENOBUFS when the backlog
 * is full (the frame is dropped and counted), -EPIPE if the connection
 * failed (it is closed; zebra reconnects and replays).
 */
int fpm_server_send(struct fpm_server *s, const void *frame, size_t len);

struct fpm_server_tx_stats {
	uint64_t frames;  /* queued */
	uint64_t bytes;	  /* written */
	uint64_t dropped; /* backlog full */
	uint64_t errors;  /* write failures */
};
const struct fpm_server_tx_stats *fpm_server_tx(const struct fpm_server *s);

#endif
