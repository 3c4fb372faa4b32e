// SPDX-License-Identifier: GPL-2.0-only
/*
 * Who may program the fast path: the allowed-users list, the kernel's answer
 * for the owner of a real loopback connection (IPv4, IPv6, v4 on a v6
 * listener), and the server refusing a peer of another user without
 * touching the established one. Run as root: the other user's peer is a
 * child that drops to nobody (65534) before it creates its socket.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/wait.h>
#include <event2/event.h>

#include "fpm_peer.h"
#include "fpm_server.h"
#include "fpm_test_nl.h"
#include "unit_test.h"

#define NOBODY 65534

static void test_policy_parse(void)
{
	struct fpm_peer_policy p = {0};

	CHECK_EQ(fpm_peer_policy_parse(&p, "root, 1000,1000"), 0);
	CHECK_EQ(p.n_uids, 2);
	CHECK(fpm_peer_uid_allowed(&p, 0));
	CHECK(fpm_peer_uid_allowed(&p, 1000));
	CHECK(!fpm_peer_uid_allowed(&p, NOBODY));
	CHECK_EQ(fpm_peer_policy_parse(&p, "no-such-user-xr"), -ENOENT);
	CHECK_EQ(fpm_peer_policy_parse(&p, ""), -EINVAL);
	CHECK_EQ(fpm_peer_policy_parse(&p, ","), -EINVAL);
	CHECK_EQ(fpm_peer_policy_parse(&p, "12x"), -EINVAL);
	CHECK_EQ(fpm_peer_policy_parse(&p, "4294967295"), -EINVAL);
	CHECK_EQ(fpm_peer_policy_parse(&p, "1,2,3,4,5,6,7,8,9,10,11,12,13,14,"
					   "15,16,17"),
		 -E2BIG);
	fpm_peer_policy_default(&p);
	CHECK(fpm_peer_uid_allowed(&p, 0));
	CHECK(!fpm_peer_uid_allowed(&p, NOBODY));
	CHECK(!p.allow_remote);
}

static int listener(int family, const char *addr, int *port)
{
	struct sockaddr_storage ss = {0};
	socklen_t len = sizeof(ss);
	int fd = socket(family, SOCK_STREAM, 0), zero = 0;

	if (family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
		s6->sin6_family = AF_INET6;
		inet_pton(AF_INET6, addr, &s6->sin6_addr);
		len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		inet_pton(AF_INET, addr, &s4->sin_addr);
		len = sizeof(*s4);
	}
	if (bind(fd, (struct sockaddr *)&ss, len) || listen(fd, 4))
		return -1;
	getsockname(fd, (struct sockaddr *)&ss, &len);
	*port = ntohs(((struct sockaddr_in *)&ss)->sin_port); /* same offset */
	return fd;
}

/* A connected socket to addr:port, created as uid (if not -1). */
static int connect_as(uid_t uid, int family, const char *addr, int port)
{
	struct sockaddr_storage ss = {0};
	socklen_t len;
	int fd;

	if (uid != (uid_t)-1 && setresuid(uid, uid, uid))
		return -1;
	if (family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		inet_pton(AF_INET6, addr, &s6->sin6_addr);
		len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		inet_pton(AF_INET, addr, &s4->sin_addr);
		len = sizeof(*s4);
	}
	fd = socket(family, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&ss, len))
		return -1;
	return fd;
}

/* A child that connects as uid and holds the socket until killed. */
static pid_t peer_child(uid_t uid, int family, const char *addr, int port,
			const void *frame, size_t flen)
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd = connect_as(uid, family, addr, port);

		if (fd < 0)
			_exit(1);
		if (flen && write(fd, frame, flen) != (ssize_t)flen)
			_exit(1);
		pause();
		_exit(0);
	}
	return pid;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void check_owner(int family, const char *listen_addr,
			const char *connect_addr, int cfamily)
{
	int port, l = listener(family, listen_addr, &port), c, a;
	uid_t uid = 12345;
	pid_t pid;

	CHECK(l >= 0);
	c = connect_as((uid_t)-1, cfamily, connect_addr, port);
	a = accept(l, NULL, NULL);
	CHECK(c >= 0 && a >= 0);
	CHECK_EQ(fpm_peer_uid(a, &uid), 0);
	CHECK_EQ(uid, getuid());
	close(a);
	close(c);
	if (getuid() == 0) {
		pid = peer_child(NOBODY, cfamily, connect_addr, port, NULL, 0);
		a = accept(l, NULL, NULL);
		CHECK(a >= 0);
		CHECK_EQ(fpm_peer_uid(a, &uid), 0);
		CHECK_EQ(uid, NOBODY);
		close(a);
		reap(pid);
	}
	close(l);
}

static void test_owner_v4(void)
{
	check_owner(AF_INET, "127.0.0.1", "127.0.0.1", AF_INET);
}

static void test_owner_v6(void)
{
	check_owner(AF_INET6, "::1", "::1", AF_INET6);
}

static void test_owner_v4_on_v6(void)
{
	check_owner(AF_INET6, "::", "127.0.0.1", AF_INET);
}

/* Gone before we ask: nobody to vouch for it. */
static void test_owner_gone(void)
{
	int port, l = listener(AF_INET, "127.0.0.1", &port), c, a;
	struct linger lg = {1, 0};
	uid_t uid;

	c = connect_as((uid_t)-1, AF_INET, "127.0.0.1", port);
	a = accept(l, NULL, NULL);
	setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(c); /* RST: the peer's socket is gone at once */
	usleep(10000);
	CHECK(fpm_peer_uid(a, &uid) < 0);
	close(a);
	close(l);
}

static struct event_base *base;
static struct collector col;

static void loop_for(int ms)
{
	for (int i = 0; i < ms; i++) {
		event_base_loop(base, EVLOOP_NONBLOCK);
		usleep(1000);
	}
}

static int wait_events(int n)
{
	for (int i = 0; i < 5000 && col.n < n; i++)
		loop_for(1);
	return col.n >= n ? 0 : -ETIMEDOUT;
}

static size_t blackhole_frame(uint8_t *out)
{
	static struct nlb b;

	memset(&b, 0, sizeof(b));
	nlb_route(&b, RTM_NEWROUTE, AF_INET, 0, RTN_BLACKHOLE);
	nlb_end(&b);
	return fpm_wrap(out, FPM_MSG_NETLINK, b.buf, b.len);
}

/*
 * zebra (root) is connected; nobody connects and writes a route: it is
 * closed unread, counted, and zebra's session goes on; a second allowed
 * peer still replaces zebra.
 */
static void test_server_refuses(void)
{
	struct fpm_peer_policy pol = {.uids = {0}, .n_uids = 1};
	struct fpm_server *srv;
	struct fpm_decoder *d;
	uint8_t f[256];
	size_t flen = blackhole_frame(f);
	int z, z2, port;
	pid_t pid;
	char ch;

	if (getuid() != 0) {
		printf("  (not root: the other-user peer is not tried)\n");
		return;
	}
	base = event_base_new();
	CHECK_EQ(fpm_server_create(&srv, base, "127.0.0.1:0", &pol, collect,
				   &col),
		 0);
	d = fpm_server_decoder(srv);
	port = fpm_server_port(srv);
	z = connect_as((uid_t)-1, AF_INET, "127.0.0.1", port);
	CHECK_EQ(wait_events(1), 0);
	CHECK_EQ(col.ev[0].type, FPM_EV_PEER_UP);

	for (int i = 0; i < 3; i++) {
		pid = peer_child(NOBODY, AF_INET, "127.0.0.1", port, f, flen);
		for (int t = 0; t < 2000 && d->stats.peers_refused < 1u + i;
		     t++)
			loop_for(1);
		reap(pid);
	}
	loop_for(20);
	CHECK_EQ(d->stats.peers_refused, 3);
	CHECK_EQ(col.n, 1); /* no PEER_DOWN, no route */
	CHECK_EQ(d->stats.conn_replaced, 0);
	CHECK_EQ(d->stats.frames, 0);
	CHECK(fpm_server_connected(srv));

	/* zebra's stream is still read */
	CHECK_EQ(write(z, f, flen), (ssize_t)flen);
	CHECK_EQ(wait_events(2), 0);
	CHECK_EQ(col.ev[1].type, FPM_EV_ROUTE_ADD);

	/* an allowed second peer replaces it, as before */
	z2 = connect_as((uid_t)-1, AF_INET, "127.0.0.1", port);
	CHECK_EQ(wait_events(4), 0);
	CHECK_EQ(col.ev[2].type, FPM_EV_PEER_DOWN);
	CHECK_EQ(col.ev[3].type, FPM_EV_PEER_UP);
	CHECK_EQ(d->stats.conn_replaced, 1);
	CHECK_EQ(read(z, &ch, 1), 0);
	close(z);
	close(z2);
	fpm_server_free(srv);
	event_base_free(base);
}

static void test_listen_not_loopback(void)
{
	struct fpm_peer_policy pol;
	struct fpm_server *s = NULL;
	struct event_base *b = event_base_new();

	CHECK_EQ(fpm_server_create(&s, b, "0.0.0.0:0", NULL, collect, &col),
		 -EPERM);
	CHECK(s == NULL);
	fpm_peer_policy_default(&pol);
	pol.allow_remote = true;
	CHECK_EQ(fpm_server_create(&s, b, "0.0.0.0:0", &pol, collect, &col), 0);
	fpm_server_free(s);
	event_base_free(b);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	RUN(test_policy_parse);
	RUN(test_owner_v4);
	RUN(test_owner_v6);
	RUN(test_owner_v4_on_v6);
	RUN(test_owner_gone);
	RUN(test_server_refuses);
	RUN(test_listen_not_loopback);
	return unit_done();
}
