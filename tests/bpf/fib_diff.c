// SPDX-License-Identifier: GPL-2.0-only
/*
 * A compiled FIB (IPv4 DIR-24-8, or with -6 the IPv6 multibit trie)
 * against the kernel's LPM trie and a plain longest-match oracle, on the
 * same random table:
 *
 *   1. every address of a random sample (default 1M) gets the same answer
 *      from the compiled FIB, the BPF LPM trie and the oracle;
 *   2. the same while a second thread adds and removes 10k more specific
 *      routes whose value equals their cover's, so the right answer never
 *      changes: any transient state a packet could see shows as a mismatch;
 *   3. again after deleting a tenth of the table (covers take over, blocks
 *      fold, leaves are released).
 *
 * The kernel's own answers (ip route get) are compared in
 * fib_kernel_diff.py. Prints the closing "N passed, N failed" line. Needs
 * root and bpffs. usage: fib_diff [-6] [ROUTES [ADDRESSES]]
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>

#include "fib/fib4_dir24.h"
#include "fib/fib6_mbt.h"
#include "loader/loader.h"
#include "util/log.h"
#include "maps/maps.h"

/* Addresses of either family as integers; IPv4 in the low 32 bits. */
typedef unsigned __int128 u128;

struct pfx {
	u128 addr;
	uint8_t len;
	uint8_t live;
	uint32_t value; /* nexthop id */
};

static struct pfx *table;
static size_t n_table;
static struct xr_loader *loader;
static const struct xr_maps *maps;
static struct fib4 *fib4;
static struct fib6 *fib6;
static int passed, failed;
static unsigned int bits = 32; /* 128 with -6 */

/* Oracle: per length, the live prefixes sorted by address. */
static struct pfx **by_len[129];
static size_t n_by_len[129];

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng >> 16;
}

static u128 rnd_addr(void)
{
	u128 a = 0;

	for (unsigned int i = 0; i < bits; i += 16)
		a = a << 16 | (rnd() & 0xffff);
	return a;
}

static u128 mask(u128 a, unsigned int len)
{
	return len ? a & ((~(u128)0) << (bits - len)) : 0;
}

/* Host bits below len, at random. */
static u128 rnd_host(unsigned int len)
{
	return len < bits ? rnd_addr() & ~((~(u128)0) << (bits - len)) : 0;
}

static void addr_bytes(u128 a, struct xr_addr *x)
{
	memset(x, 0, sizeof(*x));
	x->family = bits == 32 ? AF_INET : AF_INET6;
	for (unsigned int i = 0; i < bits / 8; i++)
		x->bytes[i] = a >> (bits - 8 - 8 * i);
}

static void addr_print(u128 a, char *buf, size_t len)
{
	struct xr_addr x;

	addr_bytes(a, &x);
	xr_addr_str(&x, buf, len);
}

/* Per mille of routes longer than /24: each such /24 takes one of the
 * at most 32767 second-level blocks, so big tables get fewer (the
 * Internet's has almost none). */
static unsigned int long_per_mille = 70;

/* IPv6 as in a BGP table, mostly /48 and /32-/44, with the /56, /64 and
 * /128 of an edge router's own links and loopbacks. */
static unsigned int random_len6(void)
{
	static const struct {
		unsigned int per_mille, len, spread;
	} mix[] = {
		{500, 48, 1}, {120, 32, 1}, {90, 44, 1},  {70, 40, 1},
		{60, 36, 1},  {50, 33, 7},  {40, 41, 7},  {30, 56, 1},
		{20, 64, 1},  {10, 128, 1}, {10, 16, 16},
	};
	unsigned int r = rnd() % 1000;

	for (size_t i = 0; i < sizeof(mix) / sizeof(mix[0]); i++) {
		if (r < mix[i].per_mille)
			return mix[i].len + rnd() % mix[i].spread;
		r -= mix[i].per_mille;
	}
	return 48;
}

/* Lengths as in a BGP table: mostly /24 and /20-/23, a few short ones
 * and long_per_mille beyond /24. */
static unsigned int random_len(void)
{
	static const struct {
		unsigned int per_mille, len, spread;
	} mix[] = {
		{590, 24, 1}, {100, 22, 1}, {90, 23, 1}, {60, 21, 1},
		{50, 20, 1},  {80, 16, 4},  {30, 8, 8},
	};
	unsigned int r;

	if (bits == 128)
		return random_len6();
	if (rnd() % 1000 < long_per_mille)
		return 25 + rnd() % 8;
	r = rnd() % 1000;
	for (size_t i = 0; i < sizeof(mix) / sizeof(mix[0]); i++) {
		if (r < mix[i].per_mille)
			return mix[i].len + rnd() % mix[i].spread;
		r -= mix[i].per_mille;
	}
	return 24;
}

static int cmp_pfx(const void *a, const void *b)
{
	const struct pfx *x = *(struct pfx *const *)a;
	const struct pfx *y = *(struct pfx *const *)b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void oracle_build(void)
{
	for (int l = 0; l <= 128; l++) {
		free(by_len[l]);
		by_len[l] = NULL;
		n_by_len[l] = 0;
	}
	for (size_t i = 0; i < n_table; i++)
		if (table[i].live)
			n_by_len[table[i].len]++;
	for (int l = 0; l <= 128; l++) {
		by_len[l] = calloc(n_by_len[l] + 1, sizeof(struct pfx *));
		n_by_len[l] = 0;
	}
	for (size_t i = 0; i < n_table; i++)
		if (table[i].live)
			by_len[table[i].len][n_by_len[table[i].len]++] =
				&table[i];
	for (int l = 0; l <= 128; l++)
		qsort(by_len[l], n_by_len[l], sizeof(struct pfx *), cmp_pfx);
}

static uint32_t oracle(u128 a)
{
	for (int l = bits; l >= 0; l--) {
		struct pfx key = {.addr = mask(a, l)}, *kp = &key, **hit;

		hit = bsearch(&kp, by_len[l], n_by_len[l], sizeof(*hit),
			      cmp_pfx);
		if (hit)
			return (*hit)->value;
	}
	return 0;
}

static uint32_t via_fib(u128 a)
{
	struct xr_route r;
	struct xr_addr x;
	int err;

	if (bits == 32) {
		err = fib4_lookup(fib4, a, &r);
	} else {
		addr_bytes(a, &x);
		err = fib6_lookup(fib6, x.bytes, &r);
	}
	return err ? 0 : r.id;
}

static uint32_t via_trie(u128 a)
{
	struct xr_route r;
	struct xr_addr x;

	addr_bytes(a, &x);
	/* vrf 1 keeps the trie copy apart from the compiled FIB's vrf 0 */
	return xr_route_lookup(maps, 1, &x, &r) ? 0 : r.id;
}

static int fib_set(const struct pfx *p, const struct xr_route *v)
{
	struct xr_addr x;

	if (bits == 32)
		return fib4_set(fib4, p->addr, p->len, v, NULL);
	addr_bytes(p->addr, &x);
	return fib6_set(fib6, x.bytes, p->len, v, NULL);
}

static int fib_del(const struct pfx *p, const struct xr_route *v,
		   const struct xr_route *cover, uint8_t cover_len)
{
	struct xr_addr x;

	if (bits == 32)
		return fib4_del(fib4, p->addr, p->len, v, cover, cover_len);
	addr_bytes(p->addr, &x);
	return fib6_del(fib6, x.bytes, p->len, v, cover, cover_len);
}

static void check(int ok, const char *what, const char *detail)
{
	if (ok) {
		passed++;
	} else {
		failed++;
		printf("FAIL: %s %s\n", what, detail);
	}
}

static int install(struct pfx *p, int add)
{
	struct xr_route v = {.action = XR_ROUTE_NEXTHOP, .id = p->value};
	struct xr_prefix xp = {.len = p->len};
	int err;

	addr_bytes(p->addr, &xp.addr);
	if (add) {
		err = fib_set(p, &v);
		if (!err)
			err = xr_route_set(maps, 1, &xp, &v);
		return err;
	}
	/* the cover: the oracle's answer one bit up */
	struct pfx *cover = NULL;

	for (int l = p->len - 1; l >= 0 && !cover; l--) {
		struct pfx key = {.addr = mask(p->addr, l)}, *kp = &key, **hit;

		hit = bsearch(&kp, by_len[l], n_by_len[l], sizeof(*hit),
			      cmp_pfx);
		if (hit && (*hit)->live)
			cover = *hit;
	}
	struct xr_route cv = {.action = XR_ROUTE_NEXTHOP,
			      .id = cover ? cover->value : 0};
	err = fib_del(p, &v, cover ? &cv : NULL, cover ? cover->len : 0);
	if (!err)
		err = xr_route_del(maps, 1, &xp);
	return err;
}

/* Half the sample inside random routes, half anywhere. */
static u128 sample_addr(void)
{
	if (rnd() & 1) {
		struct pfx *p = &table[rnd() % n_table];

		return p->addr | rnd_host(p->len);
	}
	return rnd_addr();
}

static size_t compare(size_t n, int with_trie, const char *phase)
{
	size_t bad = 0;
	char detail[128];

	for (size_t i = 0; i < n; i++) {
		u128 a = sample_addr();
		uint32_t want = oracle(a), got = via_fib(a);
		uint32_t trie = with_trie ? via_trie(a) : want;
		char buf[INET6_ADDRSTRLEN];

		if ((got != want || trie != want) && bad++ < 5) {
			addr_print(a, buf, sizeof(buf));
			printf("  %s: %s oracle %u fib %u trie %u\n", phase,
			       buf, want, got, trie);
		}
	}
	snprintf(detail, sizeof(detail), "%zu of %zu addresses differ", bad, n);
	check(bad == 0, phase, detail);
	printf("%s: %zu addresses, %zu mismatches\n", phase, n, bad);
	return bad;
}

/* Churn: more specifics with their cover's value come and go. */
static struct pfx churn[10000];
static volatile int churn_done;
static size_t churn_ops;

static void *churn_thread(void *arg)
{
	(void)arg;
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < 10000; i++) {
			struct xr_route v = {.action = XR_ROUTE_NEXTHOP,
					     .id = churn[i].value};

			if (!fib_set(&churn[i], &v))
				churn_ops++;
		}
		for (size_t i = 0; i < 10000; i++) {
			struct xr_route v = {.action = XR_ROUTE_NEXTHOP,
					     .id = churn[i].value};
			struct xr_route cv = v;

			/* its cover has the same value: nothing changes */
			if (!fib_del(&churn[i], &v, &cv, churn[i].len - 1))
				churn_ops++;
		}
	}
	churn_done = 1;
	return NULL;
}

static void print_stats(const char *when)
{
	struct fib_stats st;

	if (bits == 32)
		fib4_get_stats(fib4, &st);
	else
		fib6_get_stats(fib6, &st);
	printf("%s: %u leaves, %u %s (%llu folded)\n", when, st.leaves,
	       st.blocks, bits == 32 ? "blocks" : "nodes",
	       (unsigned long long)st.block_frees);
}

int main(int argc, char **argv)
{
	struct xr_loader_opts o;
	size_t n_routes, n_addrs;
	char pin[64];
	pthread_t th;
	size_t errors = 0;
	int err;

	if (argc > 1 && !strcmp(argv[1], "-6")) {
		bits = 128;
		argc--;
		argv++;
	}
	n_routes = argc > 1 ? strtoul(argv[1], NULL, 0) : 100000;
	n_addrs = argc > 2 ? strtoul(argv[2], NULL, 0) : 1000000;
	xr_log_setup_libbpf();
	xr_loader_opts_default(&o);
	snprintf(pin, sizeof(pin), "/sys/fs/bpf/fib-diff-%d", getpid());
	o.pin_dir = pin;
	o.fib4_blocks = 32768;
	/* A random IPv6 table is as sparse as they come: up to one node per
	 * 4 bits beyond /20 for each route. */
	o.fib6_nodes = 8 * n_routes + 4096;
	o.route_v4_max = n_routes + 1024;
	o.route_v6_max = n_routes + 1024;
	if (xr_loader_load(&loader, &o)) {
		fprintf(stderr, "cannot load (root and bpffs needed)\n");
		return 1;
	}
	maps = xr_loader_maps(loader);
	if (bits == 32)
		err = fib4_open(&fib4, maps->fib4_tbl24, maps->fib4_tbl8,
				maps->fib4_leaves);
	else
		err = fib6_open(&fib6, maps->fib6_root, maps->fib6_nodes,
				maps->fib6_leaves);
	if (err) {
		fprintf(stderr, "cannot map the compiled FIB\n");
		return 1;
	}

	if (n_routes * long_per_mille / 1000 > 20000)
		long_per_mille = 20000 * 1000 / n_routes;
	/* A table of distinct prefixes (duplicates are skipped). */
	table = calloc(n_routes, sizeof(*table));
	/* a default route: its entries are owned like any other's */
	table[n_table++] = (struct pfx){.len = 0, .live = 1, .value = 250};
	for (size_t tries = 0; n_table < n_routes && tries < 4 * n_routes;
	     tries++) {
		struct pfx p = {.len = random_len(), .live = 1};

		p.addr = mask(rnd_addr(), p.len);
		p.value = 1 + rnd() % 200;
		table[n_table++] = p;
	}
	/* dedupe through the oracle's sort */
	oracle_build();
	for (int l = 0; l <= 32; l++)
		for (size_t i = 1; i < n_by_len[l]; i++)
			if (by_len[l][i]->addr == by_len[l][i - 1]->addr)
				by_len[l][i]->live = 0;
	oracle_build();
	for (size_t i = 0; i < n_table; i++)
		if (table[i].live && install(&table[i], 1))
			errors++;
	check(errors == 0, "table installed", "");
	printf("table: %zu IPv%d routes\n", n_table, bits == 32 ? 4 : 6);
	print_stats("table");
	compare(n_addrs, 1, "static table");
	/* What a restarted daemon's sweep does: only unowned entries go. */
	if (bits == 32)
		fib4_sweep_orphans(fib4);
	else
		fib6_sweep_orphans(fib6);
	compare(n_addrs / 4, 1, "after the orphan sweep");

	/* Churn prefixes one bit longer than a live route, same value. */
	for (size_t i = 0, k = 0; i < 10000; k++) {
		struct pfx *p = &table[rnd() % n_table];

		if (!p->live || p->len >= bits || k > 1000000)
			continue;
		churn[i] = *p;
		churn[i].len = p->len + 1;
		churn[i].addr = p->addr | (u128)(rnd() & 1)
						  << (bits - 1 - p->len);
		/* a live route of that exact prefix would be overwritten */
		struct pfx key = {.addr = churn[i].addr}, *kp = &key;
		if (bsearch(&kp, by_len[churn[i].len], n_by_len[churn[i].len],
			    sizeof(kp), cmp_pfx))
			continue;
		/* each churn prefix once, so every update has an effect */
		size_t j = 0;

		while (j < i && (churn[j].addr != churn[i].addr ||
				 churn[j].len != churn[i].len))
			j++;
		if (j < i)
			continue;
		i++;
	}
	pthread_create(&th, NULL, churn_thread, NULL);
	size_t during = 0, bad = 0;

	while (!churn_done) {
		bad += compare(5000, 0, "during churn (chunk)") ? 1 : 0;
		during += 5000;
	}
	pthread_join(th, NULL);
	printf("churn: %zu route updates while %zu addresses were checked, "
	       "%zu chunks with mismatches\n",
	       churn_ops, during, bad);
	check(churn_ops == 60000, "churn updates applied", "");
	compare(n_addrs, 1, "after churn");

	/* Delete a tenth: covers take over. Deleting from most specific
	 * first keeps every cover's bookkeeping true. */
	for (int l = bits; l >= 0; l--)
		for (size_t i = 0; i < n_by_len[l]; i++)
			if (rnd() % 10 == 0) {
				struct pfx *p = by_len[l][i];

				p->live = 0;
				if (install(p, 0))
					errors++;
			}
	oracle_build();
	check(errors == 0, "deletes applied", "");
	compare(n_addrs, 1, "after deleting a tenth");
	print_stats("after deletes");

	fib4_close(fib4);
	fib6_close(fib6);
	xr_loader_free(loader);
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", pin);
		if (system(cmd))
			fprintf(stderr, "could not remove %s\n", pin);
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
