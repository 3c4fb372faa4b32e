/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The program's copy of a table userspace keeps in a hash: an index array
 * by key, each entry naming a row of a row array (row 0 = absent). Array
 * lookups are inlined by the verifier; a hash lookup cost more than the
 * rest of the fast path. A change fills a row no packet can be reading and
 * then repoints the index with one aligned 32-bit store, so a packet sees
 * the old value or the new, never a mix of both.
 *
 * Each owner (an interface's slot, a nexthop's or group's id) has per_owner
 * rows; a retired row is rewritten only after a grace period. When one
 * owner changes more often than that, a writer waits the grace out, or,
 * with defer set (the daemon: its event loop must not sleep), withdraws
 * the key (the program punts on row 0: the map lacks the entry, never
 * holds a stale one) and leaves it pending until map_rows_flush() can
 * publish its newest value.
 */
#ifndef XR_MAP_ROWS_H
#define XR_MAP_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct map_rows_pend {
	uint32_t key, owner;
};

struct map_rows {
	uint32_t keys;	 /* entries of the index */
	uint32_t owners; /* rows = owners * per_owner */
	uint32_t per_owner;
	uint64_t *free_at;  /* per row, when it may be rewritten (this
			     * process's knowledge; allocated on first use) */
	uint64_t settle_at; /* until then any row may be an earlier
			     * process's, retired just before it exited */
	/* The index mapped for its stores, kept: mapping it costs a page
	 * walk of the whole array, and a flood writes thousands of entries.
	 * Known by fd and map id, so a reused fd is mapped anew. */
	uint8_t *index_base;
	size_t index_len;
	int index_fd;
	uint32_t index_id;
	/* Deferred writes: per key ROWS_PENDING/ROWS_LISTED, and the keys
	 * listed (a key at most once) with their owners. */
	bool defer;
	uint8_t *pend_flags;
	struct map_rows_pend *pend;
	uint32_t n_pend, cap_pend, n_waiting;
	uint64_t deferred;	  /* writes that withdrew their key to wait */
	void (*armed)(void *arg); /* a key started waiting */
	void *armed_arg;
};

#define MAP_ROWS_INIT(k, o, per)                               \
	{                                                      \
		.keys = (k), .owners = (o), .per_owner = (per) \
	}

/* Publishes value (value_size bytes, the rows map's) for key in rows owned
 * by owner (1..owners-1). -ERANGE: key or owner beyond the arrays. */
int map_rows_publish(struct map_rows *t, int index_fd, int rows_fd,
		     uint32_t key, uint32_t owner, const void *value);
/* The newest value of key (the caller's hash): 0, or -ENOENT when key was
 * deleted meanwhile. */
typedef int (*map_rows_fetch_fn)(void *arg, uint32_t key, void *value);
/* Publishes each pending key whose owner has a row out of grace, by the
 * value fetch gives now (only the newest value matters). Returns when the
 * next pending key can go (xr_mono_ns clock), 0 when none waits. */
uint64_t map_rows_flush(struct map_rows *t, int index_fd, int rows_fd,
			map_rows_fetch_fn fetch, void *arg, void *value);
/* Returns once no row of owner is in grace. */
void map_rows_owner_wait(struct map_rows *t, uint32_t owner);
/* The program stops seeing key. */
int map_rows_withdraw(struct map_rows *t, int index_fd, uint32_t key);

#endif /* XR_MAP_ROWS_H */
