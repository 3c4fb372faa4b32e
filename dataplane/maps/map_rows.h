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
 * rows used in turn; a retired row is rewritten only after a grace period,
 * which a writer waits out when one owner changes more often than that.
 */
#ifndef XR_MAP_ROWS_H
#define XR_MAP_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct map_rows {
	uint32_t keys;	 /* entries of the index */
	uint32_t owners; /* rows = owners * per_owner */
	uint32_t per_owner;
	uint64_t *free_at; /* per row, when it may be rewritten (this
			    * process's knowledge; allocated on first use) */
	/* The index mapped for its stores, kept: mapping it costs a page
	 * walk of the whole array, and a flood writes thousands of entries.
	 * Known by fd and map id, so a reused fd is mapped anew. */
	uint8_t *index_base;
	size_t index_len;
	int index_fd;
	uint32_t index_id;
};

#define MAP_ROWS_INIT(k, o, per)                               \
	{                                                      \
		.keys = (k), .owners = (o), .per_owner = (per) \
	}

/* Publishes value (value_size bytes, the rows map's) for key in rows owned
 * by owner (1..owners-1). -ERANGE: key or owner beyond the arrays. */
int map_rows_publish(struct map_rows *t, int index_fd, int rows_fd,
		     uint32_t key, uint32_t owner, const void *value);
/* Returns once no row of owner is in grace. */
void map_rows_owner_wait(struct map_rows *t, uint32_t owner);
/* The program stops seeing key. */
int map_rows_withdraw(struct map_rows *t, int index_fd, uint32_t key);

#endif /* XR_MAP_ROWS_H */
