// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stddef.h>
#include <sys/mman.h>

#include "maps/fib_read.h"
#include "maps/maps.h"

/* Acquire pairs with the writers' release stores: the block, node or leaf
 * an entry names was written before the entry. */
static uint16_t load16(const uint16_t *e)
{
	return __atomic_load_n(e, __ATOMIC_ACQUIRE);
}

static uint32_t load32(const uint32_t *e)
{
	return __atomic_load_n(e, __ATOMIC_ACQUIRE);
}

uint32_t xr_dir24_leaf(const struct xr_dir24_chunk *tbl24,
		       const struct xr_dir24_chunk *tbl8, uint32_t n_blocks,
		       uint32_t addr)
{
	uint16_t e = load16(&tbl24[addr >> 16].e[(addr >> 8) & 0xff]);

	if (e & XR_DIR24_BLOCK) {
		uint32_t b = e & ~XR_DIR24_BLOCK;

		if (b >= n_blocks)
			return 0;
		e = load16(&tbl8[b].e[addr & 0xff]);
	}
	return e;
}

uint32_t xr_mbt_leaf(const struct xr_mbt_chunk *root,
		     const struct xr_mbt_node *nodes, uint32_t n_nodes,
		     const uint8_t addr[16])
{
	struct mbt_addr a = mbt_addr_of(addr);
	uint32_t i = mbt_root_index(a);
	uint32_t e =
		load32(&root[i / XR_MBT_ROOT_CHUNK].e[i % XR_MBT_ROOT_CHUNK]);

	for (int l = 0; l < XR_MBT_LEVELS && mbt_is_node(e); l++) {
		if (mbt_node_of(e) >= n_nodes)
			return 0;
		e = load32(&nodes[mbt_node_of(e)]
				    .e[mbt_nibble(a, mbt_level_bit(l))]);
	}
	if (mbt_is_node(e) || e >= XR_MBT_MAX_LEAVES)
		return 0;
	return e;
}

/* One pinned table mapped for reading. */
struct view {
	void *p;
	size_t len;
};

static int view_open(struct view *v, int fd)
{
	v->p = xr_map_mmap_read(fd, &v->len);
	return v->p ? 0 : -errno;
}

static void view_close(struct view *v)
{
	if (v->p)
		munmap(v->p, v->len);
}

/* Maps the three tables of a compiled FIB, reads leaf id *leaf with
 * find(), copies the leaf; -ENOENT when find() says 0 or the leaf lies
 * beyond the leaves array. */
static int read_pinned(int top_fd, int lower_fd, int leaves_fd,
		       size_t lower_size,
		       uint32_t (*find)(const void *top, const void *lower,
					uint32_t n_lower, const void *key),
		       const void *key, struct xr_route *r)
{
	struct view t = {0}, l = {0}, lv = {0};
	uint32_t leaf;
	int err;

	err = view_open(&t, top_fd);
	if (!err)
		err = view_open(&l, lower_fd);
	if (!err)
		err = view_open(&lv, leaves_fd);
	if (!err) {
		leaf = find(t.p, l.p, l.len / lower_size, key);
		if (!leaf || (leaf + 1) * sizeof(*r) > lv.len)
			err = -ENOENT;
		else
			*r = ((const struct xr_route *)lv.p)[leaf];
	}
	view_close(&lv);
	view_close(&l);
	view_close(&t);
	return err;
}

static uint32_t find4(const void *top, const void *lower, uint32_t n,
		      const void *key)
{
	return xr_dir24_leaf(top, lower, n, *(const uint32_t *)key);
}

static uint32_t find6(const void *top, const void *lower, uint32_t n,
		      const void *key)
{
	return xr_mbt_leaf(top, lower, n, key);
}

int xr_fib4_read_pinned(const struct xr_maps *m, uint32_t addr,
			struct xr_route *r)
{
	return read_pinned(m->fib4_tbl24, m->fib4_tbl8, m->fib4_leaves,
			   sizeof(struct xr_dir24_chunk), find4, &addr, r);
}

int xr_fib6_read_pinned(const struct xr_maps *m, const uint8_t addr[16],
			struct xr_route *r)
{
	return read_pinned(m->fib6_root, m->fib6_nodes, m->fib6_leaves,
			   sizeof(struct xr_mbt_node), find6, addr, r);
}
