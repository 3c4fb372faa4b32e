// SPDX-License-Identifier: GPL-2.0-only
/*
 * Replay of frames recorded from a real zebra 8.4 (tests/data/fpm/, made by
 * tests/e2e/fpm_zebra_e2e.py --save-recording): with next-hop groups,
 * without them, replace, delete and a reconnect replay.
 */
#include <arpa/inet.h>
#include <stdio.h>

#include "fpm_test_nl.h"
#include "unit_test.h"

static uint8_t data[1 << 20];
static size_t data_len;
static struct fpm_decoder d;

struct tally {
	int events;
	int nhg_route, inline_ecmp, table100, unreach, blackhole, v6;
	int groups, deletes;
	uint64_t hash;
};

static void tally(const struct fpm_event *ev, void *arg)
{
	struct tally *t = arg;
	const struct fpm_route *r = &ev->route;

	t->events++;
	/* order-sensitive digest of the event type and key */
	t->hash = t->hash * 31 + ev->type;
	if (ev->type == FPM_EV_NH_ADD) {
		t->groups += ev->nh.n_group == 2;
		t->hash = t->hash * 31 + ev->nh.id;
		return;
	}
	if (ev->type == FPM_EV_ROUTE_DEL) {
		t->deletes++;
		return;
	}
	if (ev->type != FPM_EV_ROUTE_ADD)
		return;
	t->hash = t->hash * 31 + r->dst[0] + r->dst[2] + r->prefixlen;
	t->nhg_route += r->nh_id != 0;
	t->inline_ecmp += r->n_nexthops == 2;
	t->table100 += r->table == 100;
	t->unreach += r->type == FPM_RT_UNREACHABLE;
	t->blackhole += r->type == FPM_RT_BLACKHOLE;
	t->v6 += r->family == AF_INET6;
}

static int load(const char *name)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", XR_FPM_DATA_DIR, name);
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "  cannot open %s\n", path);
		return -1;
	}
	data_len = fread(data, 1, sizeof(data), f);
	fclose(f);
	return 0;
}

static void check_clean(const struct fpm_stats *st)
{
	/* real zebra output: not one error or unexpected skip */
	for (unsigned int i = 0; i < FPM_STAT__COUNT; i++) {
		const char *name = fpm_stat_name(i);

		if (!strncmp(name, "err_", 4) || !strncmp(name, "skip_", 5)) {
			if (fpm_stat_value(st, i))
				fprintf(stderr, "  %s = %llu\n", name,
					(unsigned long long)fpm_stat_value(st,
									   i));
			CHECK_EQ(fpm_stat_value(st, i), 0);
		}
	}
}

static void test_replay_whole(void)
{
	struct tally t = {0};

	CHECK_EQ(load("zebra-8.4-static.fpm"), 0);
	fpm_decoder_init(&d, tally, &t);
	CHECK_EQ(fpm_decoder_feed(&d, data, data_len), 0);
	CHECK_EQ(fpm_decoder_end(&d), 0);
	check_clean(&d.stats);
	CHECK(d.stats.frames > 20);
	CHECK_EQ(d.stats.bytes, data_len);
	CHECK(t.nhg_route > 0);	  /* phase 1: use-next-hop-groups */
	CHECK(t.groups >= 2);	  /* v4 and v6 ECMP groups */
	CHECK(t.inline_ecmp > 0); /* phase 2: RTA_MULTIPATH */
	CHECK(t.table100 > 0);
	CHECK(t.unreach > 0);
	CHECK(t.blackhole > 0);
	CHECK(t.v6 > 0);
	CHECK(t.deletes > 0);
	CHECK_EQ(t.events, d.stats.ev_route_add + d.stats.ev_route_del +
				   d.stats.ev_nh_add + d.stats.ev_nh_del);
}

static void test_replay_byte_by_byte_same_events(void)
{
	struct tally whole = {0}, bytes = {0}, frames = {0};
	struct fpm_frame_hdr h;

	CHECK_EQ(load("zebra-8.4-static.fpm"), 0);
	fpm_decoder_init(&d, tally, &whole);
	fpm_decoder_feed(&d, data, data_len);
	fpm_decoder_init(&d, tally, &bytes);
	for (size_t i = 0; i < data_len; i++)
		CHECK_EQ(fpm_decoder_feed(&d, data + i, 1), 0);
	CHECK_EQ(fpm_decoder_end(&d), 0);
	/* and frame by frame through fpm_decode_frame */
	fpm_decoder_init(&d, tally, &frames);
	for (size_t off = 0; off < data_len; off += h.len) {
		CHECK_EQ(fpm_frame_parse_header(data + off, data_len - off, &h),
			 0);
		CHECK_EQ(fpm_decode_frame(&d, data + off, h.len), 0);
	}
	CHECK_EQ(bytes.events, whole.events);
	CHECK(bytes.hash == whole.hash);
	CHECK_EQ(frames.events, whole.events);
	CHECK(frames.hash == whole.hash);
}

int main(void)
{
	RUN(test_replay_whole);
	RUN(test_replay_byte_by_byte_same_events);
	return unit_done();
}
