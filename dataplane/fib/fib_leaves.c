// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fib/fib_leaves.h"
#include "maps/maps.h"

struct leaf {
	struct xr_route v; /* first: the hash key */
	uint32_t id;
	uint32_t refs;
};

int fib_leaves_open(struct fib_leaves *l, int fd, uint32_t n)
{
	memset(l, 0, sizeof(*l));
	l->map = xr_map_mmap(fd, &l->map_len);
	if (!l->map || l->map_len < n * sizeof(struct xr_route)) {
		fib_leaves_close(l);
		return -EINVAL;
	}
	if (id_slots_init(&l->slots, n, 1) ||
	    hashtab_init(&l->by_value, sizeof(struct xr_route))) {
		fib_leaves_close(l);
		return -ENOMEM;
	}
	return 0;
}

void fib_leaves_close(struct fib_leaves *l)
{
	struct leaf *e;
	size_t i;

	if (l->by_value.slots) {
		hashtab_for_each(&l->by_value, i, e) free(e);
		hashtab_free(&l->by_value);
	}
	id_slots_fini(&l->slots);
	if (l->map)
		munmap(l->map, l->map_len);
	memset(l, 0, sizeof(*l));
}

static struct xr_route leaf_key(const struct xr_route *v)
{
	struct xr_route k = *v;

	memset(k.pad, 0, sizeof(k.pad));
	return k;
}

int fib_leaves_get(struct fib_leaves *l, const struct xr_route *v)
{
	struct xr_route key = leaf_key(v);
	struct leaf *e = hashtab_find(&l->by_value, &key);
	int id;

	if (e) {
		e->refs++;
		return e->id;
	}
	id = id_slots_alloc(&l->slots);
	if (id < 0)
		return id;
	e = calloc(1, sizeof(*e));
	if (e) {
		e->v = key;
		e->id = id;
		e->refs = 1;
	}
	if (!e || hashtab_insert(&l->by_value, e)) {
		free(e);
		id_slots_free(&l->slots, id);
		return -ENOMEM;
	}
	/* Written before any entry names it. */
	memcpy(&l->map[id], &key, sizeof(key));
	__atomic_thread_fence(__ATOMIC_RELEASE);
	l->count++;
	return id;
}

void fib_leaves_put(struct fib_leaves *l, const struct xr_route *v)
{
	struct xr_route key = leaf_key(v);
	struct leaf *e = hashtab_find(&l->by_value, &key);

	if (!e || --e->refs > 0)
		return;
	hashtab_remove(&l->by_value, &key);
	id_slots_free(&l->slots, e->id);
	l->count--;
	free(e);
}

uint32_t fib_leaves_id(const struct fib_leaves *l, const struct xr_route *v)
{
	struct xr_route key;
	struct leaf *e;

	if (!v)
		return 0;
	key = leaf_key(v);
	e = hashtab_find(&l->by_value, &key);
	return e ? e->id : 0;
}
