/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The HTTP side of /metrics: a listener that accepts at most max_conns
 * connections at a time (the next ones are closed at once and counted),
 * reads one GET of at most METRICS_HTTP_HEAD_MAX bytes per connection,
 * answers it and closes. libevent 2.1's evhttp cannot cap connections (no
 * evhttp_set_max_connections, and no way to hand it an accepted socket),
 * so this is its own small server: a scraper sends one short GET and goes.
 */
#ifndef XR_METRICS_HTTP_H
#define XR_METRICS_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct event_base;
struct evbuffer;
struct metrics_http;

#define METRICS_HTTP_HEAD_MAX 4096 /* request line and headers */
#define METRICS_HTTP_IDLE_SECONDS 5
#define METRICS_MAX_CONNECTIONS_DEFAULT 16

/* Fills body with the exposition. */
typedef void (*metrics_http_render_fn)(void *arg, struct evbuffer *body);

struct metrics_http_stats {
	uint64_t live;	  /* connections open now */
	uint64_t refused; /* closed at accept: max_conns were open */
};

/* 0 and *out, or a negative errno (bind, listen). */
int metrics_http_new(struct event_base *base, const struct sockaddr *sa,
		     socklen_t len, unsigned int max_conns,
		     metrics_http_render_fn render, void *arg,
		     struct metrics_http **out);
void metrics_http_free(struct metrics_http *h);
void metrics_http_stats(const struct metrics_http *h,
			struct metrics_http_stats *st);

/*
 * The request head buf[0..len) (up to and without the blank line): the
 * HTTP status to answer, 200 for "GET /metrics[?...] HTTP/1.x". Pure, for
 * the tests.
 */
int metrics_http_parse(const char *buf, size_t len);

#endif /* XR_METRICS_HTTP_H */
