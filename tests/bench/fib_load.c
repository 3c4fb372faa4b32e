// SPDX-License-Identifier: GPL-2.0-only
/*
 * fib-load: writes a route table into pinned maps as fast as the map code
 * allows, and times only that, for the update-rate figure (issue 8).
 *
 *   fib-load --pin DIR [--nexthop ID] [--del] FILE
 *
 * FILE holds one prefix per line. Every line is parsed before the clock
 * starts: text parsing is not what we measure (it dominated xr-dpctl's
 * line mode). VRF-0 prefixes go where the pin dir's program reads them:
 * the compiled FIB of their family (fib4_set, fib6_set) or the LPM trie
 * (xr_route_set). Each route is "nexthop ID". Prints
 *   add ROUTES SECONDS ROUTES_PER_S open=SECONDS blocks=N leaves=N nodes=N
 * where open is the compiled FIBs' adoption scan of their tables.
 *
 * The compiled FIB keeps its shadow (owning prefix lengths) in this process
 * only, so a later fib-load sees earlier entries as adopted, owner unknown:
 * to grow a table, pass the whole table, not only the new routes, so every
 * entry is repainted by its longest prefix. --del then deletes them again,
 * in the same process (which knows the leaves), longest first, each falling
 * back to its covering route in FILE, and prints a "del" line too.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

#include "fib/fib4_dir24.h"
#include "fib/fib6_mbt.h"
#include "util/hashtab.h"
#include "maps/maps.h"
#include "rib/rib_cover.h"

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int read_prefixes(const char *path, struct xr_prefix **out, size_t *n)
{
	char line[128];
	size_t cap = 1024;
	FILE *f = fopen(path, "r");
	struct xr_prefix *p = malloc(cap * sizeof(*p));

	if (!f || !p) {
		fprintf(stderr, "fib-load: %s: %s\n", path, strerror(errno));
		return -1;
	}
	*n = 0;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, " \t\n")] = '\0';
		if (!line[0])
			continue;
		if (*n == cap) {
			cap *= 2;
			p = realloc(p, cap * sizeof(*p));
			if (!p)
				return -1;
		}
		if (xr_prefix_parse(line, &p[*n])) {
			fprintf(stderr, "fib-load: bad prefix '%s'\n", line);
			return -1;
		}
		(*n)++;
	}
	fclose(f);
	*out = p;
	return 0;
}

static uint32_t v4_addr(const struct xr_prefix *p)
{
	uint32_t a;

	memcpy(&a, p->addr.bytes, 4);
	return ntohl(a);
}

static int by_len_desc(const void *a, const void *b)
{
	return ((const struct xr_prefix *)b)->len -
	       ((const struct xr_prefix *)a)->len;
}

/* The routes present while deleting, as the daemon's RIB holds them: a
 * hash by prefix, and the daemon's filters of the lengths that can hold
 * a cover (rib_cover.h). */
struct present {
	struct hashtab h;
	struct cover4 *v4;
	struct cover6 *v6;
};

static void present_count(struct present *t, const struct xr_prefix *p, int add)
{
	if (p->addr.family == AF_INET && add)
		cover4_add(t->v4, v4_addr(p), p->len);
	else if (p->addr.family == AF_INET)
		cover4_del(t->v4, v4_addr(p), p->len);
	else if (add)
		cover6_add(t->v6, p->addr.bytes, p->len);
	else
		cover6_del(t->v6, p->addr.bytes, p->len);
}

/* The longest prefix of the table shorter than p that covers it, as the
 * daemon's RIB would answer it; -1 when there is none. */
static int cover_len(const struct present *t, const struct xr_prefix *p)
{
	struct xr_prefix k = *p;
	uint64_t lens;

	if (p->addr.family != AF_INET) {
		/* IPv6, as the RIB: only lengths that may cover it */
		for (int len = p->len - 1; len >= 0; len--) {
			if (!cover6_may(t->v6, p->addr.bytes, len))
				continue;
			k.len = len;
			xr_prefix_mask(k.addr.bytes, 128, len);
			if (hashtab_find(&t->h, &k))
				return len;
		}
		return -1;
	}
	/* Probe only the lengths that can hold a cover, longest first. */
	for (lens = cover4_lengths(t->v4, v4_addr(p), p->len); lens;) {
		int len = 63 - __builtin_clzll(lens);

		lens &= ~(1ULL << len);
		k.len = len;
		xr_prefix_mask(k.addr.bytes, 128, len);
		if (hashtab_find(&t->h, &k))
			return len;
	}
	return -1;
}

struct fibs {
	struct fib4 *v4; /* NULL: IPv4 in the trie */
	struct fib6 *v6; /* NULL: IPv6 in the trie */
};

static int fib_write(const struct fibs *f, const struct xr_prefix *p,
		     const struct xr_route *r, int del, int cl)
{
	const struct xr_route *cover = cl < 0 ? NULL : r;
	uint8_t clen = cl < 0 ? 0 : cl;

	if (p->addr.family == AF_INET)
		return del ? fib4_del(f->v4, v4_addr(p), p->len, r, cover, clen)
			   : fib4_set(f->v4, v4_addr(p), p->len, r, NULL);
	return del ? fib6_del(f->v6, p->addr.bytes, p->len, r, cover, clen)
		   : fib6_set(f->v6, p->addr.bytes, p->len, r, NULL);
}

static int load(struct xr_maps *m, const struct fibs *f, struct xr_prefix *p,
		size_t n, const struct xr_route *r, int del)
{
	struct present present = {0};
	int err = 0;

	/* Untimed set-up: the daemon's RIB already knows the covers. */
	if (del &&
	    (hashtab_init(&present.h, sizeof(struct xr_prefix)) ||
	     !(present.v4 = cover4_new()) || !(present.v6 = cover6_new()))) {
		cover4_free(present.v4);
		hashtab_free(&present.h);
		return -ENOMEM;
	}
	for (size_t i = 0; del && i < n; i++)
		if (!hashtab_insert(&present.h, &p[i]))
			present_count(&present, &p[i], 1);
	for (size_t i = 0; i < n && !err; i++) {
		bool compiled = p[i].addr.family == AF_INET ? f->v4 != NULL
							    : f->v6 != NULL;

		if (del && hashtab_remove(&present.h, &p[i]))
			present_count(&present, &p[i], 0);
		if (compiled)
			err = fib_write(f, &p[i], r, del,
					del ? cover_len(&present, &p[i]) : -1);
		else if (del)
			err = xr_route_del(m, 0, &p[i]);
		else
			err = xr_route_set(m, 0, &p[i], r);
	}
	if (del) {
		hashtab_free(&present.h);
		cover4_free(present.v4);
		cover6_free(present.v6);
	}
	return err;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"pin", required_argument, NULL, 'p'},
		{"nexthop", required_argument, NULL, 'n'},
		{"del", no_argument, NULL, 'd'},
		{},
	};
	struct xr_route r = {.action = XR_ROUTE_NEXTHOP, .id = 1};
	const char *pin = NULL;
	struct fib_stats st = {0}, st6 = {0};
	struct fibs fib = {0};
	struct xr_prefix *p;
	struct xr_maps m;
	double t0, t1, t_open = 0;
	int opt, del = 0, err;
	size_t n;

	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (opt == 'p')
			pin = optarg;
		else if (opt == 'n')
			r.id = strtoul(optarg, NULL, 0);
		else if (opt == 'd')
			del = 1;
		else
			return 2;
	}
	if (!pin || optind != argc - 1) {
		fprintf(stderr, "usage: fib-load --pin DIR [--nexthop ID] "
				"[--del] FILE\n");
		return 2;
	}
	if (read_prefixes(argv[optind], &p, &n))
		return 1;
	xr_maps_init(&m);
	err = xr_maps_open_pinned(&m, pin);
	if (err) {
		fprintf(stderr, "fib-load: maps in %s: %s\n", pin,
			strerror(-err));
		return 1;
	}
	t0 = now();
	err = m.fib == XR_FIB_DIR24 ? fib4_open(&fib.v4, m.fib4_tbl24,
						m.fib4_tbl8, m.fib4_leaves)
				    : 0;
	if (!err && m.fib6 == XR_FIB6_MBT)
		err = fib6_open(&fib.v6, m.fib6_root, m.fib6_nodes,
				m.fib6_leaves);
	t_open = now() - t0;
	if (err) {
		fprintf(stderr, "fib-load: cannot map the compiled FIB: %s\n",
			strerror(-err));
		return 1;
	}
	for (int phase = 0; phase <= del; phase++) {
		if (phase)
			qsort(p, n, sizeof(*p), by_len_desc);
		t0 = now();
		err = load(&m, &fib, p, n, &r, phase);
		t1 = now();
		if (err) {
			fprintf(stderr, "fib-load: %s\n",
				strerror(err < 0 ? -err : errno));
			return 1;
		}
		if (fib.v4)
			fib4_get_stats(fib.v4, &st);
		if (fib.v6)
			fib6_get_stats(fib.v6, &st6);
		printf("%s %zu %.6f %.0f open=%.6f blocks=%u leaves=%u "
		       "nodes=%u\n",
		       phase ? "del" : "add", n, t1 - t0, n / (t1 - t0), t_open,
		       st.blocks, st.leaves, st6.blocks);
	}
	fib4_close(fib.v4);
	fib6_close(fib.v6);
	xr_maps_close(&m);
	free(p);
	return 0;
}
