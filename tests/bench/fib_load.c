// SPDX-License-Identifier: GPL-2.0-only
/*
 * fib-load: writes a route table into pinned maps as fast as the map code
 * allows, and times only that, for the update-rate figure (issue 8).
 *
 *   fib-load --pin DIR [--nexthop ID] [--del] FILE
 *
 * FILE holds one prefix per line. Every line is parsed before the clock
 * starts: text parsing is not what we measure (it dominated xr-dpctl's
 * line mode). IPv4 VRF-0 prefixes go where the pin dir's program reads
 * them, the compiled FIB (fib4_set) or the LPM trie (xr_route_set); IPv6
 * always goes to its trie. Each route is "nexthop ID". Prints
 *   add ROUTES SECONDS ROUTES_PER_S open=SECONDS blocks=N leaves=N
 * where open is fib4_open's adoption scan of the tables (dir24 only).
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

#include "fib_dir24.h"
#include "hashtab.h"
#include "maps.h"

/* A route of the file, as the hash of present routes keys it. */
struct entry {
	uint32_t addr; /* first: the hash key, host order, with plen */
	uint32_t plen;
};

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

/* The longest prefix of the table shorter than p that covers it, as the
 * daemon's RIB would answer it; 0 when there is none. */
static int cover_len(const struct hashtab *h, uint32_t addr, int plen)
{
	for (int len = plen - 1; len >= 0; len--) {
		struct entry k = {
			.addr = len ? addr & (~0U << (32 - len)) : 0,
			.plen = len,
		};

		if (hashtab_find(h, &k))
			return len;
	}
	return -1;
}

static int load(struct xr_maps *m, struct fib4 *fib, struct xr_prefix *p,
		size_t n, const struct xr_route *r, int del)
{
	struct hashtab present = {0};
	struct entry *e = NULL;
	int err = 0;

	if (del && fib) {
		/* Untimed set-up: the daemon's RIB already knows the covers. */
		e = calloc(n, sizeof(*e));
		if (!e || hashtab_init(&present, sizeof(uint32_t) * 2))
			return -ENOMEM;
		for (size_t i = 0; i < n; i++)
			if (p[i].addr.family == AF_INET) {
				e[i].addr = v4_addr(&p[i]);
				e[i].plen = p[i].len;
				hashtab_insert(&present, &e[i]);
			}
	}
	for (size_t i = 0; i < n && !err; i++) {
		if (fib && p[i].addr.family == AF_INET) {
			uint32_t a = v4_addr(&p[i]);

			if (!del) {
				err = fib4_set(fib, a, p[i].len, r, NULL);
				continue;
			}
			struct entry k = {a, p[i].len};
			int cl;

			hashtab_remove(&present, &k);
			cl = cover_len(&present, a, p[i].len);
			err = fib4_del(fib, a, p[i].len, r, cl < 0 ? NULL : r,
				       cl < 0 ? 0 : cl);
		} else if (del) {
			err = xr_route_del(m, 0, &p[i]);
		} else {
			err = xr_route_set(m, 0, &p[i], r);
		}
	}
	if (e) {
		hashtab_free(&present);
		free(e);
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
	struct fib4_stats st = {0};
	struct fib4 *fib = NULL;
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
	if (m.fib == XR_FIB_DIR24) {
		t0 = now();
		err = fib4_open(&fib, m.fib4_tbl24, m.fib4_tbl8, m.fib4_leaves);
		t_open = now() - t0;
		if (err) {
			fprintf(stderr, "fib-load: fib4_open: %s\n",
				strerror(-err));
			return 1;
		}
	}
	for (int phase = 0; phase <= del; phase++) {
		if (phase)
			qsort(p, n, sizeof(*p), by_len_desc);
		t0 = now();
		err = load(&m, fib, p, n, &r, phase);
		t1 = now();
		if (err) {
			fprintf(stderr, "fib-load: %s\n",
				strerror(err < 0 ? -err : errno));
			return 1;
		}
		if (fib)
			fib4_get_stats(fib, &st);
		printf("%s %zu %.6f %.0f open=%.6f blocks=%u leaves=%u\n",
		       phase ? "del" : "add", n, t1 - t0, n / (t1 - t0), t_open,
		       st.blocks, st.leaves);
	}
	fib4_close(fib);
	xr_maps_close(&m);
	free(p);
	return 0;
}
