// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <event2/util.h>

#include "fpm_log.h"
#include "fpm_peer.h"
#include "fpm_server.h"

/* Bounded work per wakeup so one busy peer cannot starve the loop: at
 * most READS_PER_WAKEUP chunks, and no new chunk once READ_BUDGET_NS has
 * gone by (what is left waits in the socket for the next turn, after the
 * control socket, metrics and kernel events had theirs). */
#define READ_CHUNK 65536
#define READS_PER_WAKEUP 16
#define READ_BUDGET_NS 5000000
/* A frame begun must end within this (seconds) unless frames still
 * complete: a peer that stops inside a frame is dropped. */
#define FRAME_TIMEOUT_DEFAULT 10
/* Frames to zebra wait here while the socket is full; past this we drop
 * them (zebra stops reading only when it is stuck). */
#define SEND_BACKLOG_MAX (4u << 20)
/* Refused users logged once each; the counter keeps counting. */
#define REFUSED_LOGGED_MAX 32

struct fpm_server {
	struct event_base *base;
	struct evconnlistener *listener;
	struct event *conn_ev;
	struct event *write_ev;
	struct event *frame_timer; /* armed while a frame is unfinished */
	uint64_t frames_at_arm;	   /* dec->stats.frames when it was armed */
	unsigned int frame_timeout;
	struct evbuffer *out;
	evutil_socket_t conn_fd;
	int port;
	struct fpm_server_tx_stats tx;
	struct fpm_decoder *dec;
	struct fpm_peer_policy policy;
	uid_t refused_logged[REFUSED_LOGGED_MAX];
	unsigned int n_refused_logged;
	uint8_t rbuf[READ_CHUNK];
};

int fpm_parse_addr(const char *str, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	char host[INET6_ADDRSTRLEN + 1];
	const char *port = NULL, *end;
	unsigned long p = 2620;
	size_t hlen;
	char *tail;

	if (!str || !*str)
		return -EINVAL;
	if (str[0] == '[') {
		end = strchr(str, ']');
		if (!end)
			return -EINVAL;
		hlen = end - str - 1;
		str++;
		if (end[1] == ':')
			port = end + 2;
		else if (end[1])
			return -EINVAL;
	} else {
		end = strchr(str, ':');
		if (end && strchr(end + 1, ':'))
			return -EINVAL; /* bare v6 needs brackets */
		hlen = end ? (size_t)(end - str) : strlen(str);
		if (end)
			port = end + 1;
	}
	if (hlen >= sizeof(host))
		return -EINVAL;
	memcpy(host, str, hlen);
	host[hlen] = '\0';
	if (port) {
		errno = 0;
		p = strtoul(port, &tail, 10);
		if (!*port || *tail || errno || p > 65535)
			return -EINVAL;
	}
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(p);
		*len = sizeof(*sin);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(p);
		*len = sizeof(*sin6);
		return 0;
	}
	return -EINVAL;
}

static void peer_event(struct fpm_server *s, enum fpm_event_type type)
{
	struct fpm_event ev = {.type = type};

	if (s->dec->cb)
		s->dec->cb(&ev, s->dec->arg);
}

static void conn_close(struct fpm_server *s, const char *why)
{
	if (!s->conn_ev)
		return;
	fpm_log(LOG_INFO, "closing zebra connection: %s", why);
	event_free(s->conn_ev);
	s->conn_ev = NULL;
	if (s->write_ev)
		event_free(s->write_ev);
	s->write_ev = NULL;
	event_del(s->frame_timer);
	evbuffer_drain(s->out, evbuffer_get_length(s->out));
	evutil_closesocket(s->conn_fd);
	s->conn_fd = -1;
	s->dec->stats.conn_closed++;
	peer_event(s, FPM_EV_PEER_DOWN);
}

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + t.tv_nsec;
}

/* Arm the frame timer when a frame is left unfinished, disarm it when the
 * stream is back on a frame boundary. */
static void frame_timer_update(struct fpm_server *s)
{
	struct timeval tv = {s->frame_timeout, 0};

	if (!s->dec->reasm.fill) {
		event_del(s->frame_timer);
		return;
	}
	if (evtimer_pending(s->frame_timer, NULL))
		return;
	s->frames_at_arm = s->dec->stats.frames;
	evtimer_add(s->frame_timer, &tv);
}

static void frame_timed_out(evutil_socket_t fd, short what, void *arg)
{
	struct fpm_server *s = arg;

	(void)fd;
	(void)what;
	if (!s->conn_ev || !s->dec->reasm.fill)
		return;
	if (s->dec->stats.frames != s->frames_at_arm) {
		/* slow, not stuck: frames still complete */
		frame_timer_update(s);
		return;
	}
	s->dec->stats.err_frame_timeout++;
	fpm_log(LOG_WARNING,
		"FPM peer sent %zu bytes of a frame at stream offset %llu and "
		"nothing that ends it for %u s (fpm-frame-timeout): dropping "
		"the connection; routes already programmed stay",
		s->dec->reasm.fill, (unsigned long long)s->dec->reasm.offset,
		s->frame_timeout);
	fpm_decoder_reset(s->dec);
	conn_close(s, "frame timeout");
}

static void conn_read(evutil_socket_t fd, short what, void *arg)
{
	struct fpm_server *s = arg;
	uint64_t start = now_ns();
	ssize_t n;

	(void)what;
	for (int i = 0; i < READS_PER_WAKEUP; i++) {
		if (i && now_ns() - start >= READ_BUDGET_NS) {
			s->dec->stats.read_yields++;
			break;
		}
		n = read(fd, s->rbuf, sizeof(s->rbuf));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		if (n < 0) {
			s->dec->stats.read_errors++;
			fpm_log(LOG_WARNING, "read from zebra: %s",
				strerror(errno));
			fpm_decoder_end(s->dec);
			conn_close(s, "read error");
			return;
		}
		if (n == 0) {
			fpm_decoder_end(s->dec);
			conn_close(s, "zebra closed the connection");
			return;
		}
		if (fpm_decoder_feed(s->dec, s->rbuf, n)) {
			fpm_log(LOG_ERR,
				"bad FPM frame at stream offset %llu, dropping "
				"the connection so zebra replays",
				(unsigned long long)s->dec->err_offset);
			conn_close(s, "framing error");
			return;
		}
	}
	frame_timer_update(s);
}

/* Write what the socket takes; wait for EV_WRITE for the rest. */
static int conn_flush(struct fpm_server *s)
{
	while (evbuffer_get_length(s->out)) {
		int n = evbuffer_write(s->out, s->conn_fd);

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		if (n <= 0) {
			s->tx.errors++;
			fpm_log(LOG_WARNING, "write to zebra: %s",
				n < 0 ? strerror(errno) : "closed");
			return -EPIPE;
		}
		s->tx.bytes += n;
	}
	if (evbuffer_get_length(s->out) && s->write_ev)
		event_add(s->write_ev, NULL);
	return 0;
}

static void conn_writable(evutil_socket_t fd, short what, void *arg)
{
	struct fpm_server *s = arg;

	(void)fd;
	(void)what;
	if (conn_flush(s))
		conn_close(s, "write error");
}

int fpm_server_send(struct fpm_server *s, const void *frame, size_t len)
{
	if (!s->conn_ev)
		return -ENOTCONN;
	if (evbuffer_get_length(s->out) + len > SEND_BACKLOG_MAX) {
		s->tx.dropped++;
		return -ENOBUFS;
	}
	if (evbuffer_add(s->out, frame, len))
		return -ENOMEM;
	s->tx.frames++;
	if (conn_flush(s)) {
		conn_close(s, "write error");
		return -EPIPE;
	}
	return 0;
}

const struct fpm_server_tx_stats *fpm_server_tx(const struct fpm_server *s)
{
	return &s->tx;
}

/* Log a refused user the first time only: a peer retrying every second
 * must not fill the journal (the counter says how often). */
static void log_refused(struct fpm_server *s, const char *host, uid_t uid,
			int err)
{
	if (err) {
		fpm_log(LOG_WARNING,
			"refused FPM connection from %s: the owner of its "
			"socket is unknown (%s)%s",
			host, strerror(-err),
			err == -ENOENT ? "; a peer on another host needs "
					 "fpm-allow-remote"
				       : "");
		return;
	}
	for (unsigned int i = 0; i < s->n_refused_logged; i++)
		if (s->refused_logged[i] == uid)
			return;
	if (s->n_refused_logged < REFUSED_LOGGED_MAX)
		s->refused_logged[s->n_refused_logged++] = uid;
	fpm_log(LOG_WARNING,
		"refused FPM connection from %s: its socket belongs to uid %u, "
		"not an fpm-allowed-users user (only counted from now on)",
		host, (unsigned int)uid);
}

/*
 * Before anything is read and before the current peer is touched: the
 * owner of the connecting socket must be an allowed user. A peer whose
 * socket the kernel does not know here is remote, allowed only when the
 * operator said so (and never from a loopback address, where it must be
 * ours to ask about).
 */
static bool peer_allowed(struct fpm_server *s, evutil_socket_t fd,
			 const struct sockaddr *sa, const char *host)
{
	uid_t uid = (uid_t)-1;
	int err = fpm_peer_uid(fd, &uid);

	if (!err && fpm_peer_uid_allowed(&s->policy, uid))
		return true;
	if (err == -ENOENT && s->policy.allow_remote &&
	    !fpm_addr_is_loopback(sa)) {
		fpm_log(LOG_NOTICE, "FPM peer %s is remote (fpm-allow-remote)",
			host);
		return true;
	}
	s->dec->stats.peers_refused++;
	log_refused(s, host, uid, err);
	return false;
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd,
		      struct sockaddr *sa, int salen, void *arg)
{
	struct fpm_server *s = arg;
	char host[INET6_ADDRSTRLEN] = "?";

	(void)l;
	(void)salen;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)sa)->sin_addr, host,
			  sizeof(host));
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)sa)->sin6_addr,
			  host, sizeof(host));
	if (!peer_allowed(s, fd, sa, host)) {
		evutil_closesocket(fd);
		return;
	}
	if (s->conn_ev) {
		/* zebra restarted, or a second peer: the newest one wins */
		s->dec->stats.conn_replaced++;
		fpm_log(LOG_NOTICE,
			"new FPM connection from %s replaces the "
			"current one",
			host);
		conn_close(s, "replaced by a new connection");
	}
	evutil_make_socket_nonblocking(fd);
	s->conn_ev = event_new(s->base, fd, EV_READ | EV_PERSIST, conn_read, s);
	s->write_ev = event_new(s->base, fd, EV_WRITE, conn_writable, s);
	if (!s->conn_ev || !s->write_ev) {
		if (s->conn_ev)
			event_free(s->conn_ev);
		if (s->write_ev)
			event_free(s->write_ev);
		s->conn_ev = s->write_ev = NULL;
		s->dec->stats.accept_errors++;
		evutil_closesocket(fd);
		return;
	}
	s->conn_fd = fd;
	s->dec->stats.connections++;
	fpm_decoder_reset(s->dec);
	fpm_log(LOG_INFO, "zebra connected from %s", host);
	peer_event(s, FPM_EV_PEER_UP);
	event_add(s->conn_ev, NULL);
}

static void on_accept_error(struct evconnlistener *l, void *arg)
{
	struct fpm_server *s = arg;
	int err = EVUTIL_SOCKET_ERROR();

	(void)l;
	s->dec->stats.accept_errors++;
	fpm_log(LOG_WARNING, "accept: %s", evutil_socket_error_to_string(err));
}

int fpm_server_create(struct fpm_server **out, struct event_base *base,
		      const char *addr, const struct fpm_peer_policy *policy,
		      fpm_event_fn cb, void *arg)
{
	struct sockaddr_storage ss;
	struct fpm_server *s;
	socklen_t sslen = sizeof(ss);
	int err;

	err = fpm_parse_addr(addr ? addr : FPM_DEFAULT_ADDR, &ss, &sslen);
	if (err) {
		fpm_log(LOG_ERR,
			"bad FPM listen address '%s': want ADDR:PORT "
			"or [V6ADDR]:PORT",
			addr);
		return err;
	}
	if (!fpm_addr_is_loopback(&ss) && !(policy && policy->allow_remote)) {
		fpm_log(LOG_ERR,
			"FPM listen address '%s' is not loopback: any host "
			"that reaches it could program the fast path; set "
			"fpm-allow-remote if that is meant",
			addr);
		return -EPERM;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	if (policy)
		s->policy = *policy;
	else
		fpm_peer_policy_default(&s->policy);
	if (!fpm_addr_is_loopback(&ss))
		fpm_log(LOG_WARNING,
			"FPM listens on %s, not loopback: peers from other "
			"hosts are taken unchecked (fpm-allow-remote)",
			addr);
	s->dec = fpm_decoder_new(cb, arg);
	s->out = evbuffer_new();
	if (!s->dec || !s->out) {
		if (s->dec)
			fpm_decoder_free(s->dec);
		if (s->out)
			evbuffer_free(s->out);
		free(s);
		return -ENOMEM;
	}
	s->base = base;
	s->conn_fd = -1;
	s->frame_timeout = FRAME_TIMEOUT_DEFAULT;
	s->frame_timer = evtimer_new(base, frame_timed_out, s);
	if (!s->frame_timer) {
		fpm_decoder_free(s->dec);
		evbuffer_free(s->out);
		free(s);
		return -ENOMEM;
	}
	s->listener = evconnlistener_new_bind(
		base, on_accept, s,
		LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE |
			LEV_OPT_CLOSE_ON_EXEC,
		16, (struct sockaddr *)&ss, sslen);
	if (!s->listener) {
		err = errno ? -errno : -EADDRNOTAVAIL;
		fpm_log(LOG_ERR, "cannot listen on %s: %s",
			addr ? addr : FPM_DEFAULT_ADDR, strerror(-err));
		fpm_decoder_free(s->dec);
		evbuffer_free(s->out);
		event_free(s->frame_timer);
		free(s);
		return err;
	}
	evconnlistener_set_error_cb(s->listener, on_accept_error);
	getsockname(evconnlistener_get_fd(s->listener), (struct sockaddr *)&ss,
		    &sslen);
	s->port = ntohs(ss.ss_family == AF_INET
				? ((struct sockaddr_in *)&ss)->sin_port
				: ((struct sockaddr_in6 *)&ss)->sin6_port);
	fpm_log(LOG_INFO, "listening for zebra FPM on %s (port %d)",
		addr ? addr : FPM_DEFAULT_ADDR, s->port);
	*out = s;
	return 0;
}

void fpm_server_free(struct fpm_server *s)
{
	if (!s)
		return;
	if (s->conn_ev) {
		event_free(s->conn_ev);
		evutil_closesocket(s->conn_fd);
	}
	if (s->write_ev)
		event_free(s->write_ev);
	event_free(s->frame_timer);
	evbuffer_free(s->out);
	evconnlistener_free(s->listener);
	fpm_decoder_free(s->dec);
	free(s);
}

struct fpm_decoder *fpm_server_decoder(struct fpm_server *s)
{
	return s->dec;
}

int fpm_server_port(const struct fpm_server *s)
{
	return s->port;
}

void fpm_server_set_frame_timeout(struct fpm_server *s, unsigned int seconds)
{
	if (seconds)
		s->frame_timeout = seconds;
}

int fpm_server_connected(const struct fpm_server *s)
{
	return s->conn_ev != NULL;
}
