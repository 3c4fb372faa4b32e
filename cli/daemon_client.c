// SPDX-License-Identifier: GPL-2.0-only
/* The control socket's client side: one request line, one JSON answer. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "cli.h"

#define ANSWER_TIMEOUT_MS 10000

static int connect_socket(const char *path)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static struct json_object *ask(const char *path, const char *request)
{
	struct json_tokener *tok;
	struct json_object *j = NULL;
	char buf[65536];
	int fd = connect_socket(path);

	if (fd < 0)
		return NULL;
	if (write(fd, request, strlen(request)) < 0 || write(fd, "\n", 1) < 0) {
		close(fd);
		return NULL;
	}
	tok = json_tokener_new();
	for (;;) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		ssize_t n;

		if (poll(&pfd, 1, ANSWER_TIMEOUT_MS) <= 0)
			break;
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			break;
		j = json_tokener_parse_ex(tok, buf, n);
		if (j || json_tokener_get_error(tok) != json_tokener_continue)
			break;
	}
	json_tokener_free(tok);
	close(fd);
	return j;
}

bool cli_daemon_up(struct cli *c)
{
	if (!c->daemon_checked) {
		c->daemon_checked = true;
		c->status =
			ask(c->socket, control_verb_name(CONTROL_VERB_status));
	}
	return c->status != NULL;
}

struct json_object *cli_daemon_ask(struct cli *c, const char *request)
{
	struct json_object *j;

	if (!cli_daemon_up(c))
		return NULL;
	j = ask(c->socket, request);
	if (j && json_object_object_get(j, XR_KEY_error)) {
		fprintf(stderr, "xdp-routerctl: the daemon refused '%s': %s\n",
			request, xr_jget_str(j, XR_KEY_error));
		json_object_put(j);
		return NULL;
	}
	return j;
}

void cli_note_daemon_down(struct cli *c)
{
	static bool said;

	if (said || cli_daemon_up(c))
		return;
	said = true;
	fprintf(stderr,
		"xdp-routerctl: xdp-routerd is not running (no answer "
		"on %s): showing the pinned maps only\n",
		c->socket);
}

const char *cli_pin_dir(struct cli *c)
{
	const char *p;

	if (c->pin_dir)
		return c->pin_dir;
	if (cli_daemon_up(c) && (p = xr_jget_str(c->status, XR_KEY_pinPath)))
		return p;
	return XR_PIN_DIR_DEFAULT;
}

int cli_open_maps(struct cli *c)
{
	int err;

	if (c->maps_open)
		return 0;
	err = xr_maps_open_pinned(&c->maps, cli_pin_dir(c));
	if (err) {
		fprintf(stderr,
			"xdp-routerctl: cannot open the pinned maps in "
			"%s: %s\n  (has xdp-routerd run on this host? "
			"is bpffs mounted? see --pin-path)\n",
			cli_pin_dir(c), strerror(-err));
		return EXIT_ERR;
	}
	c->maps_open = true;
	return 0;
}
