// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <sys/mman.h>
#include <bpf/bpf.h>

#include "util/grace.h"
#include "maps/maps.h"
#include "maps/map_rows.h"

enum { ROWS_PENDING = 1, ROWS_LISTED = 2 };

/* An earlier process may have retired any row just before it exited, so
 * a new one waits the grace out once, before its first row write
 * (rows_settle), and then knows every row free. */
static int rows_known(struct map_rows *t)
{
	size_t n = (size_t)t->owners * t->per_owner;

	if (t->free_at)
		return 0;
	t->free_at = calloc(n, sizeof(*t->free_at));
	t->pend_flags = calloc(t->keys, 1);
	if (!t->free_at || !t->pend_flags) {
		free(t->free_at);
		free(t->pend_flags);
		t->free_at = NULL;
		t->pend_flags = NULL;
		return -ENOMEM;
	}
	t->settle_at = xr_mono_ns() + XR_GRACE_NS;
	return 0;
}

static void sleep_until(uint64_t at)
{
	uint64_t now = xr_mono_ns(), d;
	struct timespec ts;

	if (at <= now)
		return;
	d = at - now;
	ts.tv_sec = d / 1000000000ULL;
	ts.tv_nsec = d % 1000000000ULL;
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int rows_settle(struct map_rows *t)
{
	int err = rows_known(t);

	if (!err && t->settle_at) {
		sleep_until(t->settle_at);
		t->settle_at = 0;
	}
	return err;
}

static void row_wait(struct map_rows *t, uint32_t row)
{
	sleep_until(t->free_at[row]);
}

/* A row of owner no packet can be reading: not cur (the one the index
 * names), out of grace; the one after cur first. 0 when there is none;
 * *soonest says when one will be. */
static uint32_t row_free(const struct map_rows *t, uint32_t owner, uint32_t cur,
			 uint64_t *soonest)
{
	uint32_t first = owner * t->per_owner, start = 0, row;
	uint64_t now = xr_mono_ns();

	if (cur >= first && cur < first + t->per_owner)
		start = cur - first + 1;
	*soonest = UINT64_MAX;
	for (uint32_t i = 0; i < t->per_owner; i++) {
		row = first + (start + i) % t->per_owner;
		if (row == cur)
			continue;
		if (t->free_at[row] <= now)
			return row;
		if (t->free_at[row] < *soonest)
			*soonest = t->free_at[row];
	}
	return 0;
}

void map_rows_owner_wait(struct map_rows *t, uint32_t owner)
{
	if (!owner || owner >= t->owners || rows_settle(t))
		return;
	for (uint32_t i = 0; i < t->per_owner; i++)
		row_wait(t, owner * t->per_owner + i);
}

static void row_retire(struct map_rows *t, uint32_t row)
{
	if (row && row < (size_t)t->owners * t->per_owner)
		t->free_at[row] = xr_mono_ns() + XR_GRACE_NS;
}

static uint8_t *index_mapped(struct map_rows *t, int index_fd)
{
	struct bpf_map_info info = {};
	__u32 ilen = sizeof(info);

	if (bpf_obj_get_info_by_fd(index_fd, &info, &ilen))
		return NULL;
	if (t->index_base && t->index_fd == index_fd && t->index_id == info.id)
		return t->index_base;
	if (t->index_base)
		munmap(t->index_base, t->index_len);
	t->index_base = xr_map_mmap(index_fd, &t->index_len);
	t->index_fd = index_fd;
	t->index_id = info.id;
	return t->index_base;
}

/* One aligned 32-bit store through the mapped index; returns the old
 * row. */
static int index_store(struct map_rows *t, int index_fd, uint32_t key,
		       uint32_t row, uint32_t *old)
{
	const size_t stride = 8; /* the kernel's array element spacing */
	uint8_t *base = index_mapped(t, index_fd);
	uint32_t *e;

	if (!base)
		return -errno;
	if (key >= t->index_len / stride)
		return -ERANGE;
	e = (uint32_t *)(base + (size_t)key * stride);
	*old = __atomic_exchange_n(e, row, __ATOMIC_RELEASE);
	return 0;
}

static void pend_clear(struct map_rows *t, uint32_t key)
{
	if (t->pend_flags[key] & ROWS_PENDING) {
		t->pend_flags[key] &= ~ROWS_PENDING;
		t->n_waiting--;
	}
}

/* No row of owner is out of grace: the program stops seeing key (one
 * store, as any withdraw) and key waits for map_rows_flush(). Its owner is
 * the one it was listed with (nexthops and groups: the key itself). */
static int rows_defer(struct map_rows *t, int index_fd, uint32_t key,
		      uint32_t owner)
{
	uint8_t *f = &t->pend_flags[key];
	uint32_t old = 0;
	int err;

	err = index_store(t, index_fd, key, 0, &old);
	if (err)
		return err;
	row_retire(t, old);
	if (!(*f & ROWS_LISTED)) {
		if (t->n_pend == t->cap_pend) {
			uint32_t cap = t->cap_pend ? 2 * t->cap_pend : 64;
			void *p = realloc(t->pend, cap * sizeof(*t->pend));

			if (!p)
				return -ENOMEM; /* withdrawn: lacking, not stale
						 */
			t->pend = p;
			t->cap_pend = cap;
		}
		t->pend[t->n_pend++] = (struct map_rows_pend){key, owner};
		*f |= ROWS_LISTED;
	}
	if (!(*f & ROWS_PENDING)) {
		*f |= ROWS_PENDING;
		t->n_waiting++;
	}
	t->deferred++;
	if (t->armed)
		t->armed(t->armed_arg);
	return 0;
}

int map_rows_publish(struct map_rows *t, int index_fd, int rows_fd,
		     uint32_t key, uint32_t owner, const void *value)
{
	uint32_t first = owner * t->per_owner, cur = 0, row, old = 0;
	uint64_t soonest;
	int err;

	if (key >= t->keys || !owner || owner >= t->owners)
		return -ERANGE;
	err = rows_settle(t);
	if (err)
		return err;
	if (bpf_map_lookup_elem(index_fd, &key, &cur))
		return -errno;
	row = row_free(t, owner, cur, &soonest);
	if (!row && t->defer)
		return rows_defer(t, index_fd, key, owner);
	if (!row) {
		/* The owner's next row after the one in use. */
		row = first;
		if (cur >= first && cur < first + t->per_owner)
			row = first + (cur - first + 1) % t->per_owner;
		row_wait(t, row);
	}
	if (bpf_map_update_elem(rows_fd, &row, value, BPF_ANY))
		return -errno;
	err = index_store(t, index_fd, key, row, &old);
	if (err)
		return err;
	row_retire(t, old);
	pend_clear(t, key);
	return 0;
}

uint64_t map_rows_flush(struct map_rows *t, int index_fd, int rows_fd,
			map_rows_fetch_fn fetch, void *arg, void *value)
{
	uint64_t next = 0, soonest;
	uint32_t kept = 0;

	for (uint32_t i = 0; i < t->n_pend; i++) {
		struct map_rows_pend p = t->pend[i];
		uint8_t *f = &t->pend_flags[p.key];

		if (!(*f & ROWS_PENDING)) {
			*f &= ~ROWS_LISTED; /* published or deleted since */
			continue;
		}
		/* Withdrawn while it waits: no row is in use */
		if (!row_free(t, p.owner, 0, &soonest)) {
			t->pend[kept++] = p;
			if (!next || soonest < next)
				next = soonest;
			continue;
		}
		/* Gone, or the write failed: it stays withdrawn */
		if (fetch(arg, p.key, value) ||
		    map_rows_publish(t, index_fd, rows_fd, p.key, p.owner,
				     value))
			pend_clear(t, p.key);
		*f &= ~ROWS_LISTED;
	}
	t->n_pend = kept;
	return next;
}

int map_rows_withdraw(struct map_rows *t, int index_fd, uint32_t key)
{
	uint32_t old = 0;
	int err;

	if (key >= t->keys)
		return 0; /* never published */
	err = rows_known(t);
	if (!err)
		err = index_store(t, index_fd, key, 0, &old);
	if (!err) {
		row_retire(t, old);
		pend_clear(t, key);
	}
	return err;
}
