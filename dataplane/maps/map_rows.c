// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <sys/mman.h>
#include <bpf/bpf.h>

#include "util/grace.h"
#include "maps/maps.h"
#include "maps/map_rows.h"

/* An earlier process may have retired any row just before it exited, so
 * a new one starts with every row in grace: it waits once, on its first
 * write. */
static int rows_known(struct map_rows *t)
{
	uint64_t until;
	size_t n = (size_t)t->owners * t->per_owner;

	if (t->free_at)
		return 0;
	t->free_at = malloc(n * sizeof(*t->free_at));
	if (!t->free_at)
		return -ENOMEM;
	until = xr_mono_ns() + XR_GRACE_NS;
	for (size_t i = 0; i < n; i++)
		t->free_at[i] = until;
	return 0;
}

static void row_wait(struct map_rows *t, uint32_t row)
{
	uint64_t now = xr_mono_ns(), d;
	struct timespec ts;

	if (t->free_at[row] <= now)
		return;
	d = t->free_at[row] - now;
	ts.tv_sec = d / 1000000000ULL;
	ts.tv_nsec = d % 1000000000ULL;
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

void map_rows_owner_wait(struct map_rows *t, uint32_t owner)
{
	if (!owner || owner >= t->owners || rows_known(t))
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

int map_rows_publish(struct map_rows *t, int index_fd, int rows_fd,
		     uint32_t key, uint32_t owner, const void *value)
{
	uint32_t first = owner * t->per_owner, cur = 0, row, old = 0;
	int err;

	if (key >= t->keys || !owner || owner >= t->owners)
		return -ERANGE;
	err = rows_known(t);
	if (err)
		return err;
	if (bpf_map_lookup_elem(index_fd, &key, &cur))
		return -errno;
	/* The owner's next row after the one in use. */
	row = first;
	if (cur >= first && cur < first + t->per_owner)
		row = first + (cur - first + 1) % t->per_owner;
	row_wait(t, row);
	if (bpf_map_update_elem(rows_fd, &row, value, BPF_ANY))
		return -errno;
	err = index_store(t, index_fd, key, row, &old);
	if (err)
		return err;
	row_retire(t, old);
	return 0;
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
	if (!err)
		row_retire(t, old);
	return err;
}
