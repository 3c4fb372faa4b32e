// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <grp.h>
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
#include "daemon/control_request.h"
#include "daemon/control_views.h"
#include "daemon/daemon.h"
#include "util/log.h"

/* Bounds on clients: a stuck or hostile one costs at most a slot. */
#define CLIENTS_MAX 16
#define CLIENT_IDLE_SECONDS 5

struct control {
	struct daemon *d;
	struct evconnlistener *listener;
	unsigned int clients;
	uint64_t refused; /* over CLIENTS_MAX */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

static struct json_object *(*const views[])(struct daemon *d,
					    const char *args) = {
#define CONTROL_VIEW(name) control_view_##name,
	CONTROL_VERBS(CONTROL_VIEW)
#undef CONTROL_VIEW
};

static struct json_object *error_answer(const char *msg)
{
	struct json_object *err = json_object_new_object();

	json_object_object_add(err, XR_KEY_error, json_object_new_string(msg));
	return err;
}

static void client_free(struct control *c, struct bufferevent *bev)
{
	bufferevent_free(bev);
	c->clients--;
}

static void on_written(struct bufferevent *bev, void *arg)
{
	client_free(arg, bev);
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
	(void)what;
	client_free(arg, bev);
}

/* One answer, then the connection closes once it is written. */
static void reply(struct control *c, struct bufferevent *bev,
		  struct json_object *j)
{
	const char *s;

	bufferevent_disable(bev, EV_READ);
	bufferevent_setcb(bev, NULL, on_written, on_event, c);
	if (!j) {
		client_free(c, bev);
		return;
	}
	s = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN);
	bufferevent_write(bev, s, strlen(s));
	bufferevent_write(bev, "\n", 1);
	json_object_put(j);
}

static void on_request(struct bufferevent *bev, void *arg)
{
	struct control *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct evbuffer_ptr eol =
		evbuffer_search_eol(in, NULL, NULL, EVBUFFER_EOL_LF);
	struct control_request req;
	size_t len;
	char *line;
	int err;

	if (eol.pos < 0) {
		/* no line yet: wait, unless it can no longer be a request */
		if (evbuffer_get_length(in) >= CONTROL_REQUEST_MAX)
			reply(c, bev,
			      error_answer(control_request_error(-E2BIG)));
		return;
	}
	line = evbuffer_readln(in, &len, EVBUFFER_EOL_LF);
	if (!line) {
		reply(c, bev, NULL);
		return;
	}
	err = control_request_parse(line, len, &req);
	free(line);
	if (err) {
		reply(c, bev, error_answer(control_request_error(err)));
		return;
	}
	reply(c, bev, views[req.verb](c->d, req.args));
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd,
		      struct sockaddr *sa, int salen, void *arg)
{
	struct timeval idle = {CLIENT_IDLE_SECONDS, 0};
	struct control *c = arg;
	struct bufferevent *bev;

	(void)l;
	(void)sa;
	(void)salen;
	if (c->clients >= CLIENTS_MAX) {
		c->refused++;
		close(fd);
		return;
	}
	bev = bufferevent_socket_new(c->d->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (!bev) {
		close(fd);
		return;
	}
	c->clients++;
	bufferevent_setcb(bev, on_request, NULL, on_event, c);
	bufferevent_set_timeouts(bev, &idle, &idle);
	bufferevent_setwatermark(bev, EV_READ, 0, CONTROL_REQUEST_MAX);
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
	/* A group may read (every request only reads); mode 0660 */
	if (d->opts.control_group_set &&
	    (chown(c->path, 0, d->opts.control_gid) || chmod(c->path, 0660))) {
		err = -errno;
		control_stop(d);
		return err;
	}
	return 0;
}

uint64_t control_refused(const struct daemon *d)
{
	return d->control ? d->control->refused : 0;
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
