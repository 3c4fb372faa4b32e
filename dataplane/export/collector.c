// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "export/collector.h"
#include "util/log.h"

/* Seconds without a send error before a failing collector counts as back:
 * a send to a closed port fails only when an ICMP error came back since
 * the last one, and the collector's host rate-limits those, so a send
 * that succeeds proves nothing and must not log each time. */
#define COLLECTOR_RECOVERED_AFTER 30

int collector_split(const char *v, const char *default_port, char *host,
		    size_t hlen, char *port, size_t plen)
{
	const char *colon, *end;
	size_t n;

	if (v[0] == '[') { /* [V6]:PORT */
		end = strchr(v, ']');
		if (!end)
			return -EINVAL;
		n = end - v - 1;
		colon = end[1] == ':' ? end + 1 : NULL;
		if (end[1] && !colon)
			return -EINVAL;
		v++;
	} else {
		colon = strrchr(v, ':');
		/* a bare IPv6 address has more than one colon */
		if (colon && strchr(v, ':') != colon)
			colon = NULL;
		n = colon ? (size_t)(colon - v) : strlen(v);
	}
	if (n == 0 || n >= hlen)
		return -EINVAL;
	memcpy(host, v, n);
	host[n] = '\0';
	snprintf(port, plen, "%s",
		 colon && colon[1] ? colon + 1 : default_port);
	for (const char *p = port; *p; p++)
		if (*p < '0' || *p > '9')
			return -EINVAL;
	return atoi(port) > 0 && atoi(port) < 65536 ? 0 : -EINVAL;
}

int collector_list_add(char (*list)[128], unsigned int *n, unsigned int max,
		       const char *v, const char *default_port)
{
	char copy[512], *save = NULL, *tok, host[128], port[16];

	if (strlen(v) >= sizeof(copy))
		return -EINVAL;
	strcpy(copy, v);
	for (tok = strtok_r(copy, ", ", &save); tok;
	     tok = strtok_r(NULL, ", ", &save)) {
		if (strlen(tok) >= sizeof(list[0]) ||
		    collector_split(tok, default_port, host, sizeof(host), port,
				    sizeof(port)))
			return -EINVAL;
		if (*n == max)
			return -E2BIG;
		strcpy(list[(*n)++], tok);
	}
	return 0;
}

int collector_init(struct collector *c, const char *what, const char *spec,
		   const char *default_port)
{
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	snprintf(c->what, sizeof(c->what), "%s", what);
	snprintf(c->spec, sizeof(c->spec), "%s", spec);
	return collector_split(spec, default_port, c->host, sizeof(c->host),
			       c->port, sizeof(c->port));
}

static void addr_str(const struct sockaddr_storage *a, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN] = "?";
	unsigned int port = 0;

	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const void *)a;

		inet_ntop(AF_INET, &s->sin_addr, ip, sizeof(ip));
		port = ntohs(s->sin_port);
	} else if (a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const void *)a;

		inet_ntop(AF_INET6, &s->sin6_addr, ip, sizeof(ip));
		port = ntohs(s->sin6_port);
	}
	snprintf(buf, len, a->ss_family == AF_INET6 ? "[%s]:%u" : "%s:%u", ip,
		 port);
}

static void collector_address(const struct collector *c, char *buf, size_t len)
{
	if (c->fd < 0)
		snprintf(buf, len, "%s", "");
	else
		addr_str(&c->addr, buf, len);
}

int collector_resolve(struct collector *c)
{
	struct addrinfo hints = {.ai_socktype = SOCK_DGRAM}, *res = NULL;
	char was[80] = "", now[80];
	bool moved;
	int fd, err;

	err = getaddrinfo(c->host, c->port, &hints, &res);
	if (err || !res) {
		if (!c->unresolved_logged)
			xr_warn("%s: collector %s: cannot resolve: %s; "
				"retrying every %d s",
				c->what, c->spec, gai_strerror(err),
				COLLECTOR_RESOLVE_SECONDS);
		c->unresolved_logged = true;
		if (res)
			freeaddrinfo(res);
		return 0;
	}
	c->unresolved_logged = false;
	if (c->fd >= 0 && res->ai_addrlen == c->addrlen &&
	    !memcmp(res->ai_addr, &c->addr, c->addrlen)) {
		freeaddrinfo(res);
		return 0;
	}
	fd = socket(res->ai_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0 || connect(fd, res->ai_addr, res->ai_addrlen)) {
		xr_warn("%s: collector %s: %s", c->what, c->spec,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		freeaddrinfo(res);
		return 0;
	}
	moved = c->fd >= 0;
	if (moved) {
		addr_str(&c->addr, was, sizeof(was));
		close(c->fd);
	}
	c->fd = fd;
	memcpy(&c->addr, res->ai_addr, res->ai_addrlen);
	c->addrlen = res->ai_addrlen;
	freeaddrinfo(res);
	addr_str(&c->addr, now, sizeof(now));
	if (moved)
		xr_notice("%s: collector %s moved from %s to %s", c->what,
			  c->spec, was, now);
	else
		xr_notice("%s: exporting to %s (%s)", c->what, c->spec, now);
	return moved;
}

int collector_send(struct collector *c, const void *buf, size_t len)
{
	struct timespec now;
	int err = 0;

	if (c->fd < 0)
		err = EDESTADDRREQ;
	else if (send(c->fd, buf, len, 0) < 0)
		err = errno;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!err) {
		if (c->failing && now.tv_sec - c->last_error.tv_sec >=
					  COLLECTOR_RECOVERED_AFTER) {
			c->failing = false;
			xr_notice("%s: collector %s takes datagrams again",
				  c->what, c->spec);
		}
		return 0;
	}
	c->last_error = now;
	if (!c->failing)
		xr_warn("%s: collector %s: %s; datagrams are counted as send "
			"errors until it takes them (forwarding is not "
			"affected)",
			c->what, c->spec, strerror(err));
	c->failing = true;
	return err;
}

static void specs_str(const char (*spec)[128], unsigned int n, char *buf,
		      size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < n && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%s", i ? "," : "",
				 spec[i]);
	if (!n)
		snprintf(buf, len, "%s", "none");
}

unsigned int collectors_replace(struct collector *c, unsigned int *n,
				const char (*spec)[128], unsigned int new_n,
				const char *what, const char *default_port)
{
	char was[128 * COLLECTORS_MAX + 8], now[128 * COLLECTORS_MAX + 8];
	char old[COLLECTORS_MAX][128];
	unsigned int changed = 0, old_n = *n;

	for (unsigned int i = 0; i < old_n && i < COLLECTORS_MAX; i++)
		memcpy(old[i], c[i].spec, sizeof(old[i]));
	for (unsigned int i = 0; i < old_n || i < new_n; i++) {
		if (i < old_n && i < new_n && !strcmp(c[i].spec, spec[i]))
			continue;
		changed++;
		collector_close(&c[i]);
		/* specs were checked when the options were read */
		collector_init(&c[i], what, i < new_n ? spec[i] : "",
			       default_port);
	}
	*n = new_n;
	if (!changed)
		return 0;
	specs_str((const char(*)[128])old,
		  old_n < COLLECTORS_MAX ? old_n : COLLECTORS_MAX, was,
		  sizeof(was));
	specs_str(spec, new_n, now, sizeof(now));
	xr_notice("%s: collectors changed from %s to %s", what, was, now);
	for (unsigned int i = 0; i < new_n; i++)
		if (c[i].fd < 0)
			collector_resolve(&c[i]);
	return changed;
}

bool collector_view_get(const struct collector *c, struct collector_view *v)
{
	snprintf(v->spec, sizeof(v->spec), "%s", c->spec);
	collector_address(c, v->address, sizeof(v->address));
	v->state = c->fd < 0	? "unresolved"
		   : c->failing ? "unreachable"
				: "sending";
	return c->fd >= 0 && !c->failing;
}

void collector_close(struct collector *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}
