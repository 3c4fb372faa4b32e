/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A flow collector the exporters (sFlow, IPFIX) send UDP datagrams to:
 * "HOST[:PORT]" or "[V6]:PORT", looked up again now and then to follow a
 * changed address. A collector that does not take datagrams, or moves, is
 * logged once and counted; a send never blocks.
 */
#ifndef XR_COLLECTOR_H
#define XR_COLLECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <sys/socket.h>

/* Collectors an exporter sends to, at most. */
#define COLLECTORS_MAX 4

/* How often a collector's name is looked up again. */
#define COLLECTOR_RESOLVE_SECONDS 30

struct collector {
	char what[8]; /* "sflow", "ipfix": for the log */
	char spec[128];
	char host[128], port[16];
	int fd; /* connected UDP socket, -1 until resolved */
	struct sockaddr_storage addr;
	socklen_t addrlen;
	bool failing; /* logged; quiet until a while without errors */
	bool unresolved_logged;
	struct timespec last_error; /* CLOCK_MONOTONIC */
};

/* Splits v; the port is default_port when v has none: 0 or -EINVAL. */
int collector_split(const char *v, const char *default_port, char *host,
		    size_t hlen, char *port, size_t plen);
/* Appends the comma-separated list v to list[*n] (at most max): 0,
 * -EINVAL or -E2BIG. */
int collector_list_add(char (*list)[128], unsigned int *n, unsigned int max,
		       const char *v, const char *default_port);
int collector_init(struct collector *c, const char *what, const char *spec,
		   const char *default_port);
/* Looks it up: 1 when its address changed (logged), else 0. */
int collector_resolve(struct collector *c);
/* 0, or the errno the datagram was lost to (logged once while failing). */
int collector_send(struct collector *c, const void *buf, size_t len);
/* The collectors c[0..*n) become spec[0..new_n) (a reload): one whose
 * spec is unchanged keeps its socket and state, the others are closed or
 * set up and looked up anew. The change is logged once; returns how many
 * collectors changed (0: none). */
unsigned int collectors_replace(struct collector *c, unsigned int *n,
				const char (*spec)[128], unsigned int new_n,
				const char *what, const char *default_port);
/* One collector as status shows it (both exporters' views hold these). */
struct collector_view {
	char spec[128];	   /* HOST[:PORT] as configured */
	char address[80];  /* "" until resolved */
	const char *state; /* "sending", "unreachable", "unresolved" */
};
/* Fills v from c; returns whether c is sending. */
bool collector_view_get(const struct collector *c, struct collector_view *v);
void collector_close(struct collector *c);

#endif /* XR_COLLECTOR_H */
