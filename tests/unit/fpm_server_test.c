// SPDX-License-Identifier: GPL-2.0-only
/*
 * The libevent listener in-process: split frames, a new connection replacing
 * the old, a malformed peer dropped and the next one served.
 */
#include <errno.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>
#include <event2/event.h>

#include "fpm_server.h"
#include "fpm_test_nl.h"
#include "unit_test.h"

static struct event_base *base;
static struct fpm_server *srv;
static struct collector c;

static int client(void)
{
	struct sockaddr_in sin = {.sin_family = AF_INET};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(fpm_server_port(srv));
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Run the loop until n events were seen or 5 s passed. */
static int run_until(int n)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (c.n < n) {
		event_base_loop(base, EVLOOP_NONBLOCK);
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > 5)
			return -ETIMEDOUT;
		usleep(1000);
	}
	return 0;
}

static size_t route_frame(uint8_t *out)
{
	static struct nlb b;

	memset(&b, 0, sizeof(b));
	nlb_route(&b, RTM_NEWROUTE, AF_INET, 0, RTN_BLACKHOLE);
	nlb_end(&b);
	return fpm_wrap(out, FPM_MSG_NETLINK, b.buf, b.len);
}

static void test_parse_addr(void)
{
	struct sockaddr_storage ss;
	socklen_t len;

	CHECK_EQ(fpm_parse_addr("127.0.0.1:2620", &ss, &len), 0);
	CHECK_EQ(ss.ss_family, AF_INET);
	CHECK_EQ(ntohs(((struct sockaddr_in *)&ss)->sin_port), 2620);
	CHECK_EQ(fpm_parse_addr("[::1]:9999", &ss, &len), 0);
	CHECK_EQ(ss.ss_family, AF_INET6);
	CHECK_EQ(ntohs(((struct sockaddr_in6 *)&ss)->sin6_port), 9999);
	CHECK_EQ(fpm_parse_addr("10.0.0.1", &ss, &len), 0);
	CHECK_EQ(ntohs(((struct sockaddr_in *)&ss)->sin_port), 2620);
	CHECK_EQ(fpm_parse_addr("[::1]", &ss, &len), 0);
	CHECK_EQ(fpm_parse_addr("::1:80", &ss, &len), -EINVAL);
	CHECK_EQ(fpm_parse_addr("1.2.3.4:70000", &ss, &len), -EINVAL);
	CHECK_EQ(fpm_parse_addr("1.2.3.4:", &ss, &len), -EINVAL);
	CHECK_EQ(fpm_parse_addr("[::1", &ss, &len), -EINVAL);
	CHECK_EQ(fpm_parse_addr("nohost:1", &ss, &len), -EINVAL);
	CHECK_EQ(fpm_parse_addr("", &ss, &len), -EINVAL);
}

static void test_server_lifecycle(void)
{
	uint8_t f[256];
	size_t flen = route_frame(f);
	struct fpm_decoder *d;
	int a, b2, g, n;
	char ch;

	/* this test's own user is the peer, whoever runs it */
	struct fpm_peer_policy me = {.uids = {getuid()}, .n_uids = 1};

	base = event_base_new();
	CHECK_EQ(fpm_server_create(&srv, base, "127.0.0.1:0", &me, collect, &c),
		 0);
	CHECK(fpm_server_port(srv) > 0);
	d = fpm_server_decoder(srv);

	/* a frame split over two writes */
	a = client();
	CHECK(a >= 0);
	CHECK_EQ(run_until(1), 0);
	CHECK_EQ(c.ev[0].type, FPM_EV_PEER_UP);
	CHECK_EQ(write(a, f, 3), 3);
	event_base_loop(base, EVLOOP_NONBLOCK);
	CHECK_EQ(write(a, f + 3, flen - 3), (ssize_t)(flen - 3));
	CHECK_EQ(run_until(2), 0);
	CHECK_EQ(c.ev[1].type, FPM_EV_ROUTE_ADD);

	/* a second peer replaces the first */
	b2 = client();
	CHECK_EQ(run_until(4), 0);
	CHECK_EQ(c.ev[2].type, FPM_EV_PEER_DOWN);
	CHECK_EQ(c.ev[3].type, FPM_EV_PEER_UP);
	CHECK_EQ(d->stats.conn_replaced, 1);
	CHECK_EQ(read(a, &ch, 1), 0); /* we closed it */
	close(a);

	/* garbage after a valid frame: counted, dropped */
	memcpy(f + flen, "\x05garbage", 8);
	CHECK_EQ(write(b2, f, flen + 8), (ssize_t)flen + 8);
	CHECK_EQ(run_until(6), 0);
	CHECK_EQ(c.ev[4].type, FPM_EV_ROUTE_ADD);
	CHECK_EQ(c.ev[5].type, FPM_EV_PEER_DOWN);
	CHECK_EQ(d->stats.err_frame_version, 1);
	CHECK_EQ(d->err_offset, flen);
	CHECK(!fpm_server_connected(srv));
	CHECK_EQ(read(b2, &ch, 1), 0);
	close(b2);

	/* and the listener serves the next one */
	g = client();
	CHECK_EQ(run_until(7), 0);
	CHECK_EQ(write(g, f, flen), (ssize_t)flen);
	CHECK_EQ(run_until(8), 0);
	CHECK_EQ(c.ev[7].type, FPM_EV_ROUTE_ADD);
	/* peer goes away mid-frame */
	CHECK_EQ(write(g, f, 5), 5);
	close(g);
	CHECK_EQ(run_until(9), 0);
	CHECK_EQ(c.ev[8].type, FPM_EV_PEER_DOWN);
	CHECK_EQ(d->stats.err_frame_truncated, 1);
	CHECK_EQ(d->stats.connections, 3);
	CHECK_EQ(d->stats.conn_closed, 3);
	n = c.n;
	CHECK_EQ(n, 9);

	fpm_server_free(srv);
	event_base_free(base);
}

static void test_bad_listen_addr(void)
{
	struct fpm_server *s = NULL;
	struct event_base *b = event_base_new();

	CHECK_EQ(fpm_server_create(&s, b, "not-an-address", NULL, collect, &c),
		 -EINVAL);
	CHECK(s == NULL);
	event_base_free(b);
}

int main(void)
{
	RUN(test_parse_addr);
	RUN(test_server_lifecycle);
	RUN(test_bad_listen_addr);
	return unit_done();
}
