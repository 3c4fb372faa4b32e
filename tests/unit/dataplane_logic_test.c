// SPDX-License-Identifier: GPL-2.0-only
/* Pure logic of dataplane/: group buckets, the hash table, the cover
 * index, prefix and number parsing. */
#include <stdlib.h>
#include <arpa/inet.h>

#include "rib/group_buckets.h"
#include "util/hashtab.h"
#include "util/parse_num.h"
#include "maps/maps.h"
#include "rib/rib_cover.h"
#include "unit_test.h"

static unsigned int count(const struct xr_nh_group *g, unsigned int member)
{
	unsigned int n = 0;

	for (unsigned int b = 0; b < XR_GROUP_BUCKETS; b++)
		n += g->bucket[b] == member;
	return n;
}

static void test_buckets_follow_weights(void)
{
	uint32_t ids[] = {10, 20, 30, 40};
	uint8_t w[] = {1, 2, 3, 2};
	struct xr_nh_group g;

	CHECK_EQ(xr_group_build(&g, ids, w, 4, NULL), 0);
	CHECK_EQ(g.n_members, 4);
	CHECK_EQ(count(&g, 0), 16);
	CHECK_EQ(count(&g, 1), 32);
	CHECK_EQ(count(&g, 2), 48);
	CHECK_EQ(count(&g, 3), 32);
}

static void test_buckets_round_by_largest_remainder(void)
{
	uint32_t ids[] = {1, 2, 3};
	uint8_t w[] = {1, 1, 1};
	struct xr_nh_group g;

	xr_group_build(&g, ids, w, 3, NULL);
	/* 128 / 3: 43 + 43 + 42, every bucket owned */
	CHECK_EQ(count(&g, 0) + count(&g, 1) + count(&g, 2), XR_GROUP_BUCKETS);
	CHECK(count(&g, 0) >= 42 && count(&g, 0) <= 43);
	CHECK(count(&g, 2) >= 42 && count(&g, 2) <= 43);
}

static void test_buckets_removal_keeps_survivors(void)
{
	uint32_t ids[] = {1, 2, 3, 4}, left[] = {1, 2, 4};
	uint8_t w[] = {1, 1, 1, 1};
	struct xr_nh_group before, after;
	int moved = 0;

	xr_group_build(&before, ids, w, 4, NULL);
	xr_group_build(&after, left, w, 3, &before);
	for (unsigned int b = 0; b < XR_GROUP_BUCKETS; b++) {
		uint32_t was = before.member[before.bucket[b]];
		uint32_t now = after.member[after.bucket[b]];

		if (was != 3 && was != now)
			moved++;
		CHECK(now != 3);
	}
	CHECK_EQ(moved, 0);
}

static void test_buckets_reject_bad_sizes(void)
{
	uint32_t ids[XR_MAX_ECMP + 1] = {0};
	uint8_t w[XR_MAX_ECMP + 1] = {0};
	struct xr_nh_group g;

	CHECK(xr_group_build(&g, ids, w, 0, NULL) < 0);
	CHECK(xr_group_build(&g, ids, w, XR_MAX_ECMP + 1, NULL) < 0);
	/* weight 0 counts as 1 */
	CHECK_EQ(xr_group_build(&g, ids, w, 2, NULL), 0);
	CHECK_EQ(count(&g, 0), 64);
}

struct entry {
	uint32_t key;
	int value;
};

static void test_hashtab_insert_find_remove_grow(void)
{
	enum { N = 100000 };
	struct entry *e = calloc(N, sizeof(*e));
	struct hashtab h;
	size_t i, seen = 0;
	struct entry *it;

	CHECK_EQ(hashtab_init(&h, sizeof(uint32_t)), 0);
	for (uint32_t k = 0; k < N; k++) {
		e[k].key = k * 2654435761u;
		e[k].value = k;
		CHECK_EQ(hashtab_insert(&h, &e[k]), 0);
	}
	CHECK_EQ(hashtab_insert(&h, &e[7]), -17 /* EEXIST */);
	CHECK_EQ(h.used, N);
	for (uint32_t k = 0; k < N; k += 2)
		CHECK(hashtab_remove(&h, &e[k].key) == &e[k]);
	for (uint32_t k = 0; k < N; k++) {
		struct entry *f = hashtab_find(&h, &e[k].key);

		CHECK(k % 2 ? f == &e[k] : f == NULL);
	}
	hashtab_for_each(&h, i, it) seen++;
	CHECK_EQ(seen, N / 2);
	/* tombstones are reused */
	CHECK_EQ(hashtab_insert(&h, &e[0]), 0);
	CHECK(hashtab_find(&h, &e[0].key) == &e[0]);
	hashtab_free(&h);
	free(e);
}

static uint32_t mask4(uint32_t a, unsigned int plen)
{
	return plen ? a & (0xffffffffu << (32 - plen)) : 0;
}

/* Against a list of the routes present: every cover of a query has its
 * length in the mask, the lengths below 16 exactly. */
/* Every real cover of an IPv6 prefix passes cover6_may(), through adds
 * and deletes; lengths no route has do not. */
static void test_cover6_may(void)
{
	enum { N = 2000, Q = 2000 };
	struct cover6 *c = cover6_new();
	uint8_t addr[N][16], plen[N];
	bool in[N] = {false};
	unsigned int seed = 3;

	CHECK(c != NULL);
	if (!c)
		return;
	for (int i = 0; i < N; i++) {
		/* 2001:db8::/32 and a few /20s beside it, so routes nest */
		memset(addr[i], 0, 16);
		addr[i][0] = 0x20, addr[i][1] = 0x01, addr[i][2] = 0x0d;
		addr[i][3] = 0xb8 ^ (rand_r(&seed) & 3);
		for (int b = 4; b < 16; b++)
			addr[i][b] = rand_r(&seed) & (b < 7 ? 0x0f : 0xff);
		plen[i] = rand_r(&seed) % 2 ? 48 : rand_r(&seed) % 129;
		for (int b = plen[i]; b < 128; b++)
			addr[i][b / 8] &= ~(0x80 >> (b % 8));
	}
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < N; i++) {
			if ((rand_r(&seed) & 1) == in[i])
				continue;
			if (in[i])
				cover6_del(c, addr[i], plen[i]);
			else
				cover6_add(c, addr[i], plen[i]);
			in[i] = !in[i];
		}
		for (int q = 0; q < Q; q++) {
			int i = rand_r(&seed) % N, bad = 0;

			for (int j = 0; j < N; j++) {
				int l = plen[j], whole = l / 8, rest = l % 8;

				if (!in[j] || l >= plen[i] ||
				    memcmp(addr[j], addr[i], whole) ||
				    (rest && (addr[j][whole] ^ addr[i][whole]) &
						     (0xff00 >> rest)))
					continue;
				bad += !cover6_may(c, addr[i], l);
			}
			CHECK_EQ(bad, 0);
		}
	}
	for (int i = 0; i < N; i++)
		if (in[i])
			cover6_del(c, addr[i], plen[i]);
	CHECK(!cover6_may(c, addr[0], 48));
	cover6_free(c);
}

static void test_cover4_lengths(void)
{
	enum { N = 3000, Q = 3000 };
	struct cover4 *c = cover4_new();
	uint32_t addr[N];
	uint8_t plen[N];
	bool in[N] = {false};
	unsigned int seed = 1;

	CHECK(c != NULL);
	if (!c)
		return;
	for (int i = 0; i < N; i++) {
		/* few /8s so that routes nest, every length 0..32 */
		uint32_t a = (uint32_t)rand_r(&seed) << 8 ^ rand_r(&seed);

		plen[i] = rand_r(&seed) % 33;
		addr[i] = mask4((a & 0x03ffffffu) | 0x0a000000u, plen[i]);
		for (int j = 0; j < i; j++)
			if (addr[j] == addr[i] && plen[j] == plen[i])
				plen[i] = 33; /* a duplicate: never added */
	}
	for (int round = 0; round < 4; round++) {
		for (int i = 0; i < N; i++) {
			if (plen[i] > 32 || (rand_r(&seed) & 1) == in[i])
				continue;
			if (in[i])
				cover4_del(c, addr[i], plen[i]);
			else
				cover4_add(c, addr[i], plen[i]);
			in[i] = !in[i];
		}
		for (int q = 0; q < Q; q++) {
			uint32_t a =
				(uint32_t)rand_r(&seed) << 8 ^ rand_r(&seed);
			uint8_t ql = rand_r(&seed) % 33;
			uint64_t want = 0, got;

			a = mask4((a & 0x03ffffffu) | 0x0a000000u, ql);
			for (int i = 0; i < N; i++)
				if (in[i] && plen[i] < ql &&
				    mask4(a, plen[i]) == addr[i])
					want |= 1ULL << plen[i];
			got = cover4_lengths(c, a, ql);
			CHECK_EQ(got & want, want);
			CHECK_EQ(got & 0xffff & ((1ULL << ql) - 1),
				 want & 0xffff);
			CHECK_EQ(got >> ql, 0);
		}
	}
	for (int i = 0; i < N; i++)
		if (in[i])
			cover4_del(c, addr[i], plen[i]);
	CHECK_EQ(cover4_lengths(c, 0x0a000000u, 32), 0);
	/* A count that would overflow sticks: the bit stays set for good. */
	for (uint32_t i = 0; i < 0xffff; i++)
		cover4_add(c, 0x0b000000u | i, 32);
	for (uint32_t i = 0; i < 0xffff; i++)
		cover4_del(c, 0x0b000000u | i, 32);
	CHECK_EQ(cover4_lengths(c, 0x0b000000u, 33), 1ULL << 32);
	cover4_free(c);
}

static void test_prefix_parse(void)
{
	struct xr_prefix p;
	char buf[64];

	CHECK_EQ(xr_prefix_parse("10.1.0.0/16", &p), 0);
	CHECK_EQ(p.addr.family, AF_INET);
	CHECK_EQ(p.len, 16);
	CHECK(!strcmp(xr_prefix_str(&p, buf, sizeof(buf)), "10.1.0.0/16"));
	CHECK_EQ(xr_prefix_parse("2001:db8::/32", &p), 0);
	CHECK_EQ(p.addr.family, AF_INET6);
	CHECK_EQ(xr_prefix_parse("10.0.0.1", &p), 0);
	CHECK_EQ(p.len, 32);
	/* host bits, lengths out of range, junk */
	CHECK(xr_prefix_parse("10.1.0.1/16", &p) < 0);
	CHECK(xr_prefix_parse("10.0.0.0/33", &p) < 0);
	CHECK(xr_prefix_parse("10.0.0.0/", &p) < 0);
	CHECK(xr_prefix_parse("10.0.0.0/8x", &p) < 0);
	CHECK(xr_prefix_parse("2001:db8::/129", &p) < 0);
	CHECK(xr_prefix_parse("banana/8", &p) < 0);
}

static void test_mac_parse(void)
{
	uint8_t mac[6];
	char buf[18];

	CHECK_EQ(xr_mac_parse("02:00:0a:ff:00:01", mac), 0);
	CHECK(!strcmp(xr_mac_str(mac, buf, sizeof(buf)), "02:00:0a:ff:00:01"));
	CHECK(xr_mac_parse("02:00:0a:ff:00", mac) < 0);
	CHECK(xr_mac_parse("02:00:0a:ff:00:01:02", mac) < 0);
}

static void test_parse_uint(void)
{
	unsigned long n = 7;

	CHECK_EQ(xr_parse_uint("42", 10, 100, &n), 0);
	CHECK_EQ(n, 42);
	CHECK_EQ(xr_parse_uint("0x10", 0, 100, &n), 0);
	CHECK_EQ(n, 16);
	CHECK_EQ(xr_parse_uint("100", 10, 100, &n), 0);
	CHECK_EQ(n, 100);
	/* refused, and n left as it was */
	n = 7;
	CHECK(xr_parse_uint("101", 10, 100, &n) < 0);
	CHECK(xr_parse_uint("-1", 10, ~0UL, &n) < 0);
	CHECK(xr_parse_uint(" 5", 10, 100, &n) < 0);
	CHECK(xr_parse_uint("+5", 10, 100, &n) < 0);
	CHECK(xr_parse_uint("", 10, 100, &n) < 0);
	CHECK(xr_parse_uint("5x", 10, 100, &n) < 0);
	CHECK(xr_parse_uint("0x10", 10, 100, &n) < 0);
	CHECK(xr_parse_uint("99999999999999999999999", 10, ~0UL, &n) < 0);
	CHECK(xr_parse_uint(NULL, 10, 100, &n) < 0);
	CHECK_EQ(n, 7);
}

static void test_reason_names(void)
{
	CHECK(!strcmp(xr_reason_name(XR_FORWARD), "forwarded"));
	CHECK(!strcmp(xr_reason_name(XR_DROP_BLACKHOLE), "blackhole"));
	CHECK(!strcmp(xr_reason_name(XR_REASON_MAX), "unknown"));
	CHECK_EQ(xr_reason_action(XR_PUNT_TTL), XDP_PASS);
	CHECK_EQ(xr_reason_action(XR_DROP_MALFORMED), XDP_DROP);
	for (int r = 0; r < XR_REASON_MAX; r++)
		CHECK(xr_reason_name(r) != NULL);
}

int main(void)
{
	RUN(test_buckets_follow_weights);
	RUN(test_buckets_round_by_largest_remainder);
	RUN(test_buckets_removal_keeps_survivors);
	RUN(test_buckets_reject_bad_sizes);
	RUN(test_hashtab_insert_find_remove_grow);
	RUN(test_cover4_lengths);
	RUN(test_cover6_may);
	RUN(test_prefix_parse);
	RUN(test_mac_parse);
	RUN(test_parse_uint);
	RUN(test_reason_names);
	return unit_done();
}
