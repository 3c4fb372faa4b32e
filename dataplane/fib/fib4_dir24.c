// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <bpf/bpf.h>

#include "fib/fib4_dir24.h"
#include "fib/fib_leaves.h"
#include "maps/fib_read.h"
#include "maps/maps.h"
#include "util/id_slots.h"

struct fib4 {
	struct xr_dir24_chunk *tbl24, *tbl8;
	size_t tbl24_len, tbl8_len;
	uint32_t n_blocks;
	/* Owner of each entry: its prefix length + 1; 0 = no route (a /0
	 * route must not look unowned). */
	uint8_t *depth24;
	uint8_t *depth8; /* ... of each block entry */
	struct id_slots blocks;
	struct fib_leaves leaves;
	struct fib_stats st;
};

static uint16_t *e24(struct fib4 *f, uint32_t i)
{
	return &f->tbl24[i >> 8].e[i & 0xff];
}

static uint16_t *e8(struct fib4 *f, uint32_t b, uint32_t i)
{
	return &f->tbl8[b].e[i];
}

static void store(uint16_t *e, uint16_t v)
{
	/* Readers see the old or the new 16 bits; release orders the block
	 * or leaf it names before it. */
	__atomic_store_n(e, v, __ATOMIC_RELEASE);
}

/* What an earlier run left stays in use (and keeps forwarding) until the
 * orphan sweep: its blocks and leaves are not handed out before. */
static void adopt(struct fib4 *f)
{
	for (uint32_t i = 0; i < (1U << 24); i++) {
		uint16_t e = *e24(f, i);

		if (!(e & XR_DIR24_BLOCK)) {
			id_slots_adopt(&f->leaves.slots, e);
			continue;
		}
		e &= ~XR_DIR24_BLOCK;
		if (e >= f->n_blocks ||
		    id_slots_is(&f->blocks, e, SLOT_ADOPTED))
			continue;
		id_slots_adopt(&f->blocks, e);
		f->st.blocks++;
		for (int j = 0; j < XR_DIR24_CHUNK; j++)
			id_slots_adopt(&f->leaves.slots, *e8(f, e, j));
	}
	id_slots_seal(&f->blocks);
	id_slots_seal(&f->leaves.slots);
}

int fib4_open(struct fib4 **out, int tbl24_fd, int tbl8_fd, int leaves_fd)
{
	struct fib4 *f = calloc(1, sizeof(*f));
	int err = -EINVAL;

	if (!f)
		return -ENOMEM;
	f->tbl24 = xr_map_mmap(tbl24_fd, &f->tbl24_len);
	f->tbl8 = xr_map_mmap(tbl8_fd, &f->tbl8_len);
	if (!f->tbl24 || !f->tbl8 ||
	    f->tbl24_len != XR_DIR24_CHUNKS * sizeof(struct xr_dir24_chunk))
		goto fail;
	err = fib_leaves_open(&f->leaves, leaves_fd, XR_DIR24_MAX_LEAVES);
	if (err)
		goto fail;
	err = -ENOMEM;
	f->n_blocks = f->tbl8_len / sizeof(struct xr_dir24_chunk);
	if (f->n_blocks > XR_DIR24_MAX_BLOCKS)
		f->n_blocks = XR_DIR24_MAX_BLOCKS;
	f->depth24 = calloc(1, 1U << 24);
	f->depth8 = calloc(f->n_blocks, XR_DIR24_CHUNK);
	if (!f->depth24 || !f->depth8 ||
	    id_slots_init(&f->blocks, f->n_blocks, 0))
		goto fail;
	f->st.blocks_max = f->n_blocks;
	adopt(f);
	*out = f;
	return 0;
fail:
	fib4_close(f);
	return err;
}

void fib4_close(struct fib4 *f)
{
	if (!f)
		return;
	if (f->tbl24)
		munmap(f->tbl24, f->tbl24_len);
	if (f->tbl8)
		munmap(f->tbl8, f->tbl8_len);
	fib_leaves_close(&f->leaves);
	id_slots_fini(&f->blocks);
	free(f->depth24);
	free(f->depth8);
	free(f);
}

/* Paint entries: set mode takes those owned by plen or shorter, delete mode
 * those owned by exactly plen. */
struct paint {
	uint16_t leaf;
	uint8_t depth; /* written with the leaf: owner length + 1 */
	uint8_t plen;
	int del;
};

static int paint_applies(const struct paint *p, uint8_t depth)
{
	return p->del ? depth == p->plen + 1 : depth <= p->plen + 1;
}

static void paint_block(struct fib4 *f, uint32_t b, uint32_t first,
			uint32_t count, const struct paint *p)
{
	uint8_t *depth = f->depth8 + (size_t)b * XR_DIR24_CHUNK;

	for (uint32_t i = first; i < first + count; i++)
		if (paint_applies(p, depth[i])) {
			depth[i] = p->depth;
			store(e8(f, b, i), p->leaf);
		}
}

static void paint24(struct fib4 *f, uint32_t first, uint32_t count,
		    const struct paint *p)
{
	for (uint32_t i = first; i < first + count; i++) {
		uint16_t e = *e24(f, i);

		if (e & XR_DIR24_BLOCK) {
			paint_block(f, e & ~XR_DIR24_BLOCK, 0, XR_DIR24_CHUNK,
				    p);
		} else if (paint_applies(p, f->depth24[i])) {
			f->depth24[i] = p->depth;
			store(e24(f, i), p->leaf);
		}
	}
}

/* The block under tbl24 entry idx, made from its current leaf if needed. */
static int block_for(struct fib4 *f, uint32_t idx)
{
	uint16_t e = *e24(f, idx);
	uint8_t *depth;
	int b;

	if (e & XR_DIR24_BLOCK)
		return e & ~XR_DIR24_BLOCK;
	b = id_slots_alloc(&f->blocks);
	if (b < 0)
		return b;
	depth = f->depth8 + (size_t)b * XR_DIR24_CHUNK;
	memset(depth, f->depth24[idx], XR_DIR24_CHUNK);
	for (int i = 0; i < XR_DIR24_CHUNK; i++)
		store(e8(f, b, i), e);
	/* Filled before it is pointed to. */
	store(e24(f, idx), XR_DIR24_BLOCK | b);
	f->st.blocks++;
	f->st.block_allocs++;
	return b;
}

/* A block whose entries all say the same thing, owned by a prefix of 24
 * bits or less, folds back into its tbl24 entry. */
static void block_fold(struct fib4 *f, uint32_t idx)
{
	uint16_t e = *e24(f, idx), first;
	uint8_t *depth;
	uint32_t b;

	if (!(e & XR_DIR24_BLOCK))
		return;
	b = e & ~XR_DIR24_BLOCK;
	depth = f->depth8 + (size_t)b * XR_DIR24_CHUNK;
	first = *e8(f, b, 0);
	if (depth[0] > 24 + 1)
		return;
	for (int i = 1; i < XR_DIR24_CHUNK; i++)
		if (*e8(f, b, i) != first || depth[i] != depth[0])
			return;
	f->depth24[idx] = depth[0];
	store(e24(f, idx), first);
	id_slots_free(&f->blocks, b);
	f->st.blocks--;
	f->st.block_frees++;
}

static void paint(struct fib4 *f, uint32_t addr, uint8_t plen,
		  const struct paint *p)
{
	uint32_t idx = addr >> 8;

	if (plen <= 24) {
		paint24(f, idx, 1U << (24 - plen), p);
		return;
	}
	/* the caller made sure the block exists */
	paint_block(f, *e24(f, idx) & ~XR_DIR24_BLOCK, addr & 0xff,
		    1U << (32 - plen), p);
}

static uint32_t mask(uint32_t addr, uint8_t plen)
{
	return plen ? addr & (~0U << (32 - plen)) : 0;
}

int fib4_set(struct fib4 *f, uint32_t addr, uint8_t plen,
	     const struct xr_route *v, const struct xr_route *old)
{
	struct paint p = {.depth = plen + 1, .plen = plen};
	int leaf;

	if (plen > 32)
		return -EINVAL;
	addr = mask(addr, plen);
	leaf = fib_leaves_get(&f->leaves, v);
	if (leaf >= 0 && plen > 24) {
		int b = block_for(f, addr >> 8);

		if (b < 0) {
			fib_leaves_put(&f->leaves, v);
			leaf = b;
		}
	}
	if (leaf < 0) {
		f->st.full_errors++;
		return leaf;
	}
	p.leaf = leaf;
	paint(f, addr, plen, &p);
	if (old)
		fib_leaves_put(&f->leaves, old);
	f->st.sets++;
	return 0;
}

int fib4_del(struct fib4 *f, uint32_t addr, uint8_t plen,
	     const struct xr_route *old, const struct xr_route *cover,
	     uint8_t cover_len)
{
	struct paint p = {.plen = plen, .del = 1};

	if (plen > 32 || (cover && cover_len >= plen))
		return -EINVAL;
	addr = mask(addr, plen);
	p.leaf = fib_leaves_id(&f->leaves, cover);
	p.depth = p.leaf ? cover_len + 1 : 0;
	if (plen > 24 && !(*e24(f, addr >> 8) & XR_DIR24_BLOCK))
		return -ENOENT;
	paint(f, addr, plen, &p);
	if (plen > 24)
		block_fold(f, addr >> 8);
	if (old)
		fib_leaves_put(&f->leaves, old);
	f->st.dels++;
	return 0;
}

int fib4_lookup(const struct fib4 *f, uint32_t addr, struct xr_route *v)
{
	uint32_t e = xr_dir24_leaf(f->tbl24, f->tbl8, f->n_blocks, addr);

	if (!e)
		return -ENOENT;
	*v = f->leaves.map[e];
	return 0;
}

void fib4_sweep_orphans(struct fib4 *f)
{
	for (uint32_t i = 0; i < (1U << 24); i++) {
		uint16_t e = *e24(f, i);

		if (e & XR_DIR24_BLOCK) {
			uint32_t b = e & ~XR_DIR24_BLOCK;
			uint8_t *depth = f->depth8 + (size_t)b * XR_DIR24_CHUNK;

			for (int j = 0; j < XR_DIR24_CHUNK; j++)
				if (!depth[j] && *e8(f, b, j))
					store(e8(f, b, j), 0);
			id_slots_claim(&f->blocks, b);
			block_fold(f, i);
		} else if (e && !f->depth24[i]) {
			store(e24(f, i), 0);
		}
	}
	/* What is still marked adopted is referenced by nothing now. */
	f->st.blocks -= id_slots_release_adopted(&f->blocks);
	id_slots_release_adopted(&f->leaves.slots);
}

void fib4_get_stats(const struct fib4 *f, struct fib_stats *st)
{
	*st = f->st;
	st->leaves = f->leaves.count;
}
