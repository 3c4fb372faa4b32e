// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include "util/log.h"
#include "kernel/nl_follow.h"

struct nl_follow {
	struct mnl_socket *nl;
	struct event *ev, *later;
	void (*resync)(void *arg);
	bool (*want)(const struct nlmsghdr *nlh, void *arg);
	void *arg;
	const char *what;
};

static void on_later(evutil_socket_t fd, short what, void *arg)
{
	struct nl_follow *f = arg;

	(void)fd;
	(void)what;
	f->resync(f->arg);
}

void nl_follow_resync_soon(struct nl_follow *f)
{
	struct timeval now = {0, 0};

	if (f && !event_pending(f->later, EV_TIMEOUT, NULL))
		event_add(f->later, &now);
}

static void on_readable(evutil_socket_t fd, short what, void *arg)
{
	struct nl_follow *f = arg;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	bool any = false;

	(void)fd;
	(void)what;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(f->nl, buf, sizeof(buf));

		if (n > 0) {
			const struct nlmsghdr *h = (const void *)buf;

			/* each one: want may note which of its objects */
			for (int left = (int)n; mnl_nlmsg_ok(h, left);
			     h = mnl_nlmsg_next(h, &left))
				any |= !f->want || f->want(h, f->arg);
			continue;
		}
		if (n < 0 && errno == ENOBUFS) {
			xr_warn("%s: notifications overran; dumping again",
				f->what);
			if (f->want)
				f->want(NULL, f->arg); /* some were lost */
			any = true;
			continue;
		}
		break; /* EAGAIN: drained */
	}
	if (any)
		nl_follow_resync_soon(f);
}

int nl_follow_new(struct nl_follow **out, struct event_base *base, int proto,
		  const unsigned *groups, size_t ngroups,
		  void (*resync)(void *arg), void *arg, const char *what)
{
	struct nl_follow *f = calloc(1, sizeof(*f));
	int fd, err = -ENOMEM;

	if (!f)
		return -ENOMEM;
	f->resync = resync;
	f->arg = arg;
	f->what = what;
	f->nl = mnl_socket_open2(proto, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (!f->nl || mnl_socket_bind(f->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		xr_err("%s: cannot open its netlink socket: %s", what,
		       strerror(errno));
		goto fail;
	}
	for (size_t i = 0; i < ngroups; i++)
		if (mnl_socket_setsockopt(f->nl, NETLINK_ADD_MEMBERSHIP,
					  (void *)&groups[i],
					  sizeof(groups[i])) < 0) {
			err = -errno;
			xr_err("%s: cannot join netlink group %u: %s", what,
			       groups[i], strerror(errno));
			goto fail;
		}
	fd = mnl_socket_get_fd(f->nl);
	f->ev = event_new(base, fd, EV_READ | EV_PERSIST, on_readable, f);
	f->later = evtimer_new(base, on_later, f);
	if (!f->ev || !f->later || event_add(f->ev, NULL))
		goto fail;
	*out = f;
	/* subscribed before the first dump: no change falls between */
	resync(arg);
	return 0;
fail:
	nl_follow_free(f);
	return err;
}

void nl_follow_filter(struct nl_follow *f,
		      bool (*want)(const struct nlmsghdr *nlh, void *arg))
{
	f->want = want;
}

void nl_follow_free(struct nl_follow *f)
{
	if (!f)
		return;
	if (f->ev)
		event_free(f->ev);
	if (f->later)
		event_free(f->later);
	if (f->nl)
		mnl_socket_close(f->nl);
	free(f);
}

static int dump(int proto, struct nlmsghdr *req, mnl_cb_t cb, void *arg,
		bool strict)
{
	struct mnl_socket *nl = mnl_socket_open2(proto, SOCK_CLOEXEC);
	char buf[32768]; /* a dump part: at most 32 KiB */
	unsigned portid;
	bool intr = false;
	int ret, on = 1;

	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    (strict && mnl_socket_setsockopt(nl, NETLINK_GET_STRICT_CHK, &on,
					     sizeof(on)) < 0)) {
		ret = -errno;
		goto out;
	}
	portid = mnl_socket_get_portid(nl);
	req->nlmsg_flags |= NLM_F_REQUEST;
	if (mnl_socket_sendto(nl, req, req->nlmsg_len) < 0) {
		ret = -errno;
		goto out;
	}
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		const struct nlmsghdr *h = (const void *)buf;

		if (n < 0) {
			ret = -errno;
			goto out;
		}
		for (int left = (int)n; mnl_nlmsg_ok(h, left);
		     h = mnl_nlmsg_next(h, &left))
			if (h->nlmsg_flags & NLM_F_DUMP_INTR)
				intr = true;
		ret = mnl_cb_run(buf, n, req->nlmsg_seq, portid, cb, arg);
		if (ret <= MNL_CB_STOP) {
			ret = ret < 0 ? -errno : 0;
			break;
		}
	}
	if (!ret && intr)
		ret = -EINTR;
out:
	mnl_socket_close(nl);
	return ret;
}

int nl_dump(int proto, struct nlmsghdr *req, mnl_cb_t cb, void *arg)
{
	return dump(proto, req, cb, arg, false);
}

int nl_dump_strict(int proto, struct nlmsghdr *req, mnl_cb_t cb, void *arg)
{
	return dump(proto, req, cb, arg, true);
}

int nl_dump_consistent(int proto, struct nlmsghdr *req, mnl_cb_t cb,
		       void (*reset)(void *arg), void *arg)
{
	int ret = -EINTR;

	for (int tries = 0; tries < 5 && ret == -EINTR; tries++) {
		if (reset)
			reset(arg);
		ret = nl_dump(proto, req, cb, arg);
	}
	return ret;
}
