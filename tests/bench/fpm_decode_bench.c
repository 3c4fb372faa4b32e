// SPDX-License-Identifier: GPL-2.0-only
/*
 * Decode throughput: a synthesised stream of N routes (default 1M), one
 * RTM_NEWROUTE per FPM frame as zebra sends them, built in memory and fed
 * to the decoder in 64 KiB chunks as the listener would. Prints routes/s.
 * Not a pass/fail test: see docs/fpm.md for the figures.
 *
 *	fpm_decode_bench [ROUTES] [PATHS]   PATHS 0 = nexthop id, 1 = gateway,
 *	                                    >1 = RTA_MULTIPATH of that width
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/rtnetlink.h>

#include "fpm_decode.h"

static uint64_t routes_seen;

static void on_event(const struct fpm_event *ev, void *arg)
{
	(void)arg;
	routes_seen += ev->type == FPM_EV_ROUTE_ADD;
}

static size_t put_attr(uint8_t *p, uint16_t type, const void *data, size_t len)
{
	struct rtattr *rta = (struct rtattr *)p;

	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	memcpy(RTA_DATA(rta), data, len);
	return RTA_SPACE(len);
}

static size_t build_route(uint8_t *frame, uint32_t i, int paths)
{
	uint8_t *msg = frame + FPM_HDR_LEN, *p;
	struct nlmsghdr *nlh = (struct nlmsghdr *)msg;
	struct rtmsg *rtm = NLMSG_DATA(nlh);
	uint32_t dst = htonl(0x0a000000 | i << 8), v;

	memset(msg, 0, NLMSG_SPACE(sizeof(*rtm)));
	nlh->nlmsg_type = RTM_NEWROUTE;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE | NLM_F_REQUEST;
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 24;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = 186;
	rtm->rtm_type = RTN_UNICAST;
	p = msg + NLMSG_SPACE(sizeof(*rtm));
	p += put_attr(p, RTA_DST, &dst, 4);
	v = 20;
	p += put_attr(p, RTA_PRIORITY, &v, 4);
	if (paths == 0) {
		v = 1000 + i % 64;
		p += put_attr(p, RTA_NH_ID, &v, 4);
	} else if (paths == 1) {
		v = htonl(0xc0a80001 + i % 200);
		p += put_attr(p, RTA_GATEWAY, &v, 4);
		v = 2;
		p += put_attr(p, RTA_OIF, &v, 4);
	} else {
		struct rtattr *mp = (struct rtattr *)p;

		mp->rta_type = RTA_MULTIPATH;
		p += RTA_LENGTH(0);
		for (int k = 0; k < paths; k++) {
			struct rtnexthop *rtnh = (struct rtnexthop *)p;

			memset(rtnh, 0, sizeof(*rtnh));
			rtnh->rtnh_ifindex = 2 + k;
			p += RTNH_ALIGN(sizeof(*rtnh));
			v = htonl(0xc0a80001 + k);
			p += put_attr(p, RTA_GATEWAY, &v, 4);
			rtnh->rtnh_len = p - (uint8_t *)rtnh;
		}
		mp->rta_len = p - (uint8_t *)mp;
	}
	nlh->nlmsg_len = p - msg;
	fpm_frame_put_header(frame, FPM_MSG_NETLINK, nlh->nlmsg_len);
	return FPM_HDR_LEN + nlh->nlmsg_len;
}

int main(int argc, char **argv)
{
	uint32_t n = argc > 1 ? strtoul(argv[1], NULL, 0) : 1000000;
	int paths = argc > 2 ? atoi(argv[2]) : 1;
	size_t cap = (size_t)n * (96 + 24 * (paths > 1 ? paths : 0)), len = 0;
	uint8_t *stream = malloc(cap);
	struct fpm_decoder *d = fpm_decoder_new(on_event, NULL);
	struct timespec t0, t1;
	double secs;

	if (!stream || !d || paths < 0 || paths > FPM_MAX_PATHS) {
		fprintf(stderr,
			"usage: fpm_decode_bench [ROUTES] [PATHS 0..%d]\n",
			FPM_MAX_PATHS);
		return 1;
	}
	for (uint32_t i = 0; i < n; i++)
		len += build_route(stream + len, i, paths);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (size_t off = 0; off < len; off += 65536) {
		size_t chunk = len - off < 65536 ? len - off : 65536;

		if (fpm_decoder_feed(d, stream + off, chunk)) {
			fprintf(stderr, "framing error at %llu\n",
				(unsigned long long)d->err_offset);
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%u routes (%s), %.1f MB stream: %.3f s, %.2f M routes/s, "
	       "%.0f MB/s\n",
	       n,
	       paths == 0   ? "nexthop id"
	       : paths == 1 ? "gateway+oif"
			    : "multipath",
	       len / 1e6, secs, routes_seen / secs / 1e6, len / secs / 1e6);
	free(stream);
	fpm_decoder_free(d);
	return routes_seen == n ? 0 : 1;
}
