// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "daemon/metrics_http.h"
#include "util/list.h"
#include "util/log.h"

struct metrics_http {
	struct event_base *base;
	struct evconnlistener *listener;
	unsigned int max_conns;
	metrics_http_render_fn render;
	void *arg;
	struct list conns;
	struct metrics_http_stats st;
	bool refusal_logged;
};

struct conn {
	struct list node;
	struct metrics_http *h;
	struct bufferevent *bev;
	bool answered; /* the reply is queued: read no more, close once sent */
};

static void conn_free(struct conn *c)
{
	list_del(&c->node);
	bufferevent_free(c->bev);
	c->h->st.live--;
	free(c);
}

static bool has_prefix(const char *s, size_t len, const char *p)
{
	size_t n = strlen(p);

	return len >= n && !memcmp(s, p, n);
}

int metrics_http_parse(const char *buf, size_t len)
{
	const char *sp1, *sp2, *eol, *uri;
	size_t ulen;

	eol = memchr(buf, '\n', len);
	if (!eol)
		eol = buf + len;
	len = eol - buf;
	if (len && buf[len - 1] == '\r')
		len--;
	sp1 = memchr(buf, ' ', len);
	if (!sp1)
		return 400;
	uri = sp1 + 1;
	sp2 = memchr(uri, ' ', buf + len - uri);
	if (!sp2 || !has_prefix(sp2 + 1, buf + len - sp2 - 1, "HTTP/1."))
		return 400;
	if (sp1 - buf != 3 || memcmp(buf, "GET", 3))
		return 405;
	ulen = sp2 - uri;
	if (!(ulen == 8 && !memcmp(uri, "/metrics", 8)) &&
	    !has_prefix(uri, ulen, "/metrics?"))
		return 404;
	return 200;
}

static const char *status_text(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 431:
		return "Request Header Fields Too Large";
	default:
		return "Bad Request";
	}
}

static void answer(struct conn *c, int status)
{
	struct evbuffer *out = bufferevent_get_output(c->bev);
	struct evbuffer *body = evbuffer_new();

	if (!body) {
		conn_free(c);
		return;
	}
	if (status == 200)
		c->h->render(c->h->arg, body);
	else
		evbuffer_add_printf(body, "%d %s: try GET /metrics\n", status,
				    status_text(status));
	evbuffer_add_printf(out,
			    "HTTP/1.1 %d %s\r\n"
			    "Content-Type: text/plain; version=0.0.4\r\n"
			    "Content-Length: %zu\r\n"
			    "Connection: close\r\n\r\n",
			    status, status_text(status),
			    evbuffer_get_length(body));
	evbuffer_add_buffer(out, body);
	evbuffer_free(body);
	c->answered = true;
	/* A body the client sends is never read: the reply ends it. */
	bufferevent_disable(c->bev, EV_READ);
	bufferevent_enable(c->bev, EV_WRITE);
}

static void on_read(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t have = evbuffer_get_length(in), head;
	struct evbuffer_ptr end;
	char buf[METRICS_HTTP_HEAD_MAX];

	if (c->answered)
		return;
	end = evbuffer_search(in, "\r\n\r\n", 4, NULL);
	if (end.pos < 0)
		end = evbuffer_search(in, "\n\n", 2, NULL);
	if (end.pos < 0) {
		if (have >= METRICS_HTTP_HEAD_MAX)
			answer(c, 431);
		return;
	}
	head = (size_t)end.pos;
	if (head >= METRICS_HTTP_HEAD_MAX) {
		answer(c, 431);
		return;
	}
	evbuffer_copyout(in, buf, head);
	answer(c, metrics_http_parse(buf, head));
}

static void on_written(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;

	(void)bev;
	if (c->answered)
		conn_free(c);
}

/* EOF, error or the idle timeout: the connection goes. An EOF after the
 * request (a client that shut down its side) still gets the reply. */
static void on_event(struct bufferevent *bev, short what, void *arg)
{
	struct conn *c = arg;

	(void)bev;
	if (c->answered && (what & BEV_EVENT_EOF) && (what & BEV_EVENT_READING))
		return;
	conn_free(c);
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd,
		      struct sockaddr *sa, int salen, void *arg)
{
	struct metrics_http *h = arg;
	struct timeval idle = {.tv_sec = METRICS_HTTP_IDLE_SECONDS};
	struct conn *c;

	(void)l;
	(void)sa;
	(void)salen;
	if (h->st.live >= h->max_conns) {
		close(fd);
		h->st.refused++;
		if (!h->refusal_logged)
			xr_warn("metrics: %u connections open "
				"(metrics-max-connections), closing new ones "
				"until they go; counted in "
				"metrics_connections_refused",
				h->max_conns);
		h->refusal_logged = true;
		return;
	}
	c = calloc(1, sizeof(*c));
	if (c)
		c->bev = bufferevent_socket_new(h->base, fd,
						BEV_OPT_CLOSE_ON_FREE);
	if (!c || !c->bev) {
		free(c);
		close(fd);
		return;
	}
	c->h = h;
	list_add(&h->conns, &c->node);
	h->st.live++;
	bufferevent_setcb(c->bev, on_read, on_written, on_event, c);
	bufferevent_set_timeouts(c->bev, &idle, &idle);
	/* stop reading past the head limit: on_read answers 431 there */
	bufferevent_setwatermark(c->bev, EV_READ, 0, METRICS_HTTP_HEAD_MAX);
	bufferevent_enable(c->bev, EV_READ);
}

int metrics_http_new(struct event_base *base, const struct sockaddr *sa,
		     socklen_t len, unsigned int max_conns,
		     metrics_http_render_fn render, void *arg,
		     struct metrics_http **out)
{
	struct metrics_http *h = calloc(1, sizeof(*h));

	if (!h)
		return -ENOMEM;
	h->base = base;
	h->max_conns = max_conns;
	h->render = render;
	h->arg = arg;
	list_init(&h->conns);
	h->listener = evconnlistener_new_bind(base, on_accept, h,
					      LEV_OPT_CLOSE_ON_FREE |
						      LEV_OPT_REUSEABLE |
						      LEV_OPT_CLOSE_ON_EXEC,
					      -1, sa, (int)len);
	if (!h->listener) {
		int err = errno ? -errno : -EADDRINUSE;

		free(h);
		return err;
	}
	*out = h;
	return 0;
}

void metrics_http_free(struct metrics_http *h)
{
	struct list *pos, *tmp;

	if (!h)
		return;
	evconnlistener_free(h->listener);
	list_for_each_safe(pos, tmp, &h->conns)
		conn_free(list_entry(pos, struct conn, node));
	free(h);
}

void metrics_http_stats(const struct metrics_http *h,
			struct metrics_http_stats *st)
{
	*st = h->st;
}
