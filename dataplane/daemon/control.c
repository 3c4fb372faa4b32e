// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "daemon/control.h"
#include "daemon/control_protocol.h"
#include "daemon/control_views.h"
#include "daemon/daemon.h"
#include "util/log.h"

#define REQUEST_MAX 512

struct control {
	struct daemon *d;
	struct evconnlistener *listener;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

static const struct control_request {
	const char *verb;
	struct json_object *(*view)(struct daemon *d, const char *args);
} requests[] = {
	{XR_REQ_STATUS, control_view_status},
	{XR_REQ_ROUTES, control_view_routes},
	{XR_REQ_NEXTHOPS, control_view_nexthops},
	{XR_REQ_GROUPS, control_view_groups},
	{XR_REQ_COUNTERS, control_view_counters},
	{XR_REQ_MATCH, control_view_match},
};

static struct json_object *answer(struct daemon *d, char *line)
{
	char *args = strchr(line, ' ');
	struct json_object *err;

	if (args)
		*args++ = '\0';
	for (size_t i = 0; i < sizeof(requests) / sizeof(requests[0]); i++)
		if (!strcmp(line, requests[i].verb))
			return requests[i].view(d, args ? args : "");
	err = json_object_new_object();
	json_object_object_add(err, XR_KEY_error,
			       json_object_new_string("unknown request"));
	return err;
}

static void on_written(struct bufferevent *bev, void *arg)
{
	(void)arg;
	bufferevent_free(bev);
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
	(void)what;
	(void)arg;
	bufferevent_free(bev);
}

static void on_request(struct bufferevent *bev, void *arg)
{
	struct control *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct json_object *j;
	size_t len;
	char *line;

	line = evbuffer_readln(in, &len, EVBUFFER_EOL_LF);
	if (!line) {
		if (evbuffer_get_length(in) > REQUEST_MAX)
			bufferevent_free(bev);
		return;
	}
	j = answer(c->d, line);
	free(line);
	bufferevent_disable(bev, EV_READ);
	bufferevent_setcb(bev, NULL, on_written, on_event, c);
	if (j) {
		const char *s = json_object_to_json_string_ext(
			j, JSON_C_TO_STRING_PLAIN);

		bufferevent_write(bev, s, strlen(s));
		bufferevent_write(bev, "\n", 1);
		json_object_put(j);
	} else {
		bufferevent_free(bev);
	}
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd,
		      struct sockaddr *sa, int salen, void *arg)
{
	struct control *c = arg;
	struct bufferevent *bev;

	(void)l;
	(void)sa;
	(void)salen;
	bev = bufferevent_socket_new(c->d->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (!bev) {
		close(fd);
		return;
	}
	bufferevent_setcb(bev, on_request, NULL, on_event, c);
	bufferevent_enable(bev, EV_READ);
}

/* A socket file nobody answers on is a crashed daemon's: remove it. */
static int take_path(const struct sockaddr_un *sun)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int err = 0;

	if (fd < 0)
		return -errno;
	if (!connect(fd, (const struct sockaddr *)sun, sizeof(*sun)))
		err = -EADDRINUSE;
	else if (errno == ECONNREFUSED)
		unlink(sun->sun_path);
	close(fd);
	return err;
}

static void make_parent_dir(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *slash;

	strcpy(dir, path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0755);
	}
}

int control_start(struct daemon *d)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	struct control *c;
	mode_t old;
	int err;

	if (strlen(d->opts.control_socket) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, d->opts.control_socket);
	make_parent_dir(sun.sun_path);
	err = take_path(&sun);
	if (err)
		return err;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->d = d;
	strcpy(c->path, sun.sun_path);
	/* root's tool: nobody else may ask (the answers name the network) */
	old = umask(0077);
	c->listener = evconnlistener_new_bind(
		d->base, on_accept, c,
		LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 16,
		(struct sockaddr *)&sun, sizeof(sun));
	err = -errno;
	umask(old);
	if (!c->listener) {
		free(c);
		return err ? err : -EINVAL;
	}
	d->control = c;
	return 0;
}

void control_stop(struct daemon *d)
{
	struct control *c = d->control;

	if (!c)
		return;
	evconnlistener_free(c->listener);
	unlink(c->path);
	free(c);
	d->control = NULL;
}
