// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <bpf/bpf.h>

#include "fib/fib_leaves.h"
#include "fib/fib6_mbt.h"
#include "maps/fib_read.h"
#include "maps/maps.h"
#include "util/addr.h"
#include "util/id_slots.h"

#define ROOT_ENTRIES (1U << XR_MBT_ROOT_BITS)

struct fib6 {
	struct xr_mbt_chunk *root;
	struct xr_mbt_node *nodes;
	size_t root_len, nodes_len;
	uint32_t n_nodes;
	/* Owner of each entry: its prefix length + 1; 0 = no route. */
	uint8_t *root_depth;
	uint8_t (*node_depth)[XR_MBT_FANOUT];
	struct id_slots node_slots;
	struct fib_leaves leaves;
	struct fib_stats st;
};

/* An entry and its owner's depth, in the root or in a node. */
struct slot {
	uint32_t *e;
	uint8_t *d;
};

/* The prefix addr/plen, host bits cleared, as two halves. */
static struct mbt_addr prefix6(const uint8_t addr[16], unsigned int plen)
{
	uint8_t x[16];

	memcpy(x, addr, 16);
	xr_prefix_mask(x, 128, plen);
	return mbt_addr_of(x);
}

static struct slot root_slot(struct fib6 *f, uint32_t i)
{
	return (struct slot){
		&f->root[i / XR_MBT_ROOT_CHUNK].e[i % XR_MBT_ROOT_CHUNK],
		&f->root_depth[i]};
}

static struct slot node_slot(struct fib6 *f, uint32_t n, uint32_t j)
{
	return (struct slot){&f->nodes[n].e[j], &f->node_depth[n][j]};
}

static void store(uint32_t *e, uint32_t v)
{
	/* Readers see the old or the new 32 bits; release orders the node
	 * or leaf it names before it. */
	__atomic_store_n(e, v, __ATOMIC_RELEASE);
}

/* What an earlier run left stays in use (and keeps forwarding) until the
 * orphan sweep: its nodes and leaves are not handed out before. */
static void adopt_entry(struct fib6 *f, uint32_t e, unsigned int depth)
{
	uint32_t n = mbt_node_of(e);

	if (!mbt_is_node(e)) {
		id_slots_adopt(&f->leaves.slots, e);
		return;
	}
	/* A tree: a node reached twice, or too deep, is not ours. */
	if (n >= f->n_nodes || depth >= XR_MBT_LEVELS ||
	    !id_slots_is(&f->node_slots, n, SLOT_FREE))
		return;
	id_slots_adopt(&f->node_slots, n);
	f->st.blocks++;
	for (uint32_t j = 0; j < XR_MBT_FANOUT; j++)
		adopt_entry(f, f->nodes[n].e[j], depth + 1);
}

static void adopt(struct fib6 *f)
{
	for (uint32_t i = 0; i < ROOT_ENTRIES; i++)
		adopt_entry(f, *root_slot(f, i).e, 0);
	id_slots_seal(&f->node_slots);
	id_slots_seal(&f->leaves.slots);
}

int fib6_open(struct fib6 **out, int root_fd, int nodes_fd, int leaves_fd)
{
	struct fib6 *f = calloc(1, sizeof(*f));
	int err = -EINVAL;

	if (!f)
		return -ENOMEM;
	f->root = xr_map_mmap(root_fd, &f->root_len);
	f->nodes = xr_map_mmap(nodes_fd, &f->nodes_len);
	if (!f->root || !f->nodes ||
	    f->root_len != XR_MBT_ROOT_CHUNKS * sizeof(struct xr_mbt_chunk))
		goto fail;
	err = fib_leaves_open(&f->leaves, leaves_fd, XR_MBT_MAX_LEAVES);
	if (err)
		goto fail;
	err = -ENOMEM;
	f->n_nodes = f->nodes_len / sizeof(struct xr_mbt_node);
	if (f->n_nodes > XR_MBT_NODE)
		f->n_nodes = XR_MBT_NODE;
	f->root_depth = calloc(1, ROOT_ENTRIES);
	f->node_depth = calloc(f->n_nodes, XR_MBT_FANOUT);
	if (!f->root_depth || !f->node_depth ||
	    id_slots_init(&f->node_slots, f->n_nodes, 0))
		goto fail;
	f->st.blocks_max = f->n_nodes;
	adopt(f);
	*out = f;
	return 0;
fail:
	fib6_close(f);
	return err;
}

void fib6_close(struct fib6 *f)
{
	if (!f)
		return;
	if (f->root)
		munmap(f->root, f->root_len);
	if (f->nodes)
		munmap(f->nodes, f->nodes_len);
	fib_leaves_close(&f->leaves);
	id_slots_fini(&f->node_slots);
	free(f->root_depth);
	free(f->node_depth);
	free(f);
}

/* Paint entries: set mode takes those owned by plen or shorter, delete mode
 * those owned by exactly plen. */
struct paint {
	uint32_t leaf;
	uint8_t depth; /* written with the leaf: owner length + 1 */
	uint8_t plen;
	bool del;
};

static bool paint_applies(const struct paint *p, uint8_t depth)
{
	return p->del ? depth == p->plen + 1 : depth <= p->plen + 1;
}

/* The node under slot s, made from its current leaf if needed. */
static int node_for(struct fib6 *f, struct slot s)
{
	uint32_t e = *s.e;
	int n;

	if (mbt_is_node(e))
		return mbt_node_of(e);
	n = id_slots_alloc(&f->node_slots);
	if (n < 0)
		return n;
	memset(f->node_depth[n], *s.d, XR_MBT_FANOUT);
	for (uint32_t j = 0; j < XR_MBT_FANOUT; j++)
		store(&f->nodes[n].e[j], e);
	/* Filled before it is pointed to. */
	store(s.e, XR_MBT_NODE | n);
	f->st.blocks++;
	f->st.block_allocs++;
	return n;
}

/*
 * The node under slot s, which starts at bit `bit`, folds back into s when
 * all its entries are one leaf owned by a prefix of at most `bit` bits.
 * Returns whether it did.
 */
static bool node_fold(struct fib6 *f, struct slot s, unsigned int bit)
{
	uint32_t n = mbt_node_of(*s.e), first;
	uint8_t *depth;

	if (!mbt_is_node(*s.e))
		return true;
	depth = f->node_depth[n];
	first = f->nodes[n].e[0];
	if (mbt_is_node(first) || depth[0] > bit + 1)
		return false;
	for (uint32_t j = 1; j < XR_MBT_FANOUT; j++)
		if (f->nodes[n].e[j] != first || depth[j] != depth[0])
			return false;
	*s.d = depth[0];
	store(s.e, first);
	id_slots_free(&f->node_slots, n);
	f->st.blocks--;
	f->st.block_frees++;
	return true;
}

static void paint_slot(struct fib6 *f, struct slot s, unsigned int bit,
		       const struct paint *p);

/* Entries [first, first + count) of node n, which starts at bit. */
static void paint_node(struct fib6 *f, uint32_t n, unsigned int bit,
		       uint32_t first, uint32_t count, const struct paint *p)
{
	for (uint32_t j = first; j < first + count; j++)
		paint_slot(f, node_slot(f, n, j), bit + XR_MBT_STRIDE, p);
}

/* A node under the slot (starting at bit) is painted through, each of its
 * entries owned on its own, and folds if that left it uniform. */
static void paint_slot(struct fib6 *f, struct slot s, unsigned int bit,
		       const struct paint *p)
{
	uint32_t e = *s.e;

	if (mbt_is_node(e)) {
		paint_node(f, mbt_node_of(e), bit, 0, XR_MBT_FANOUT, p);
		node_fold(f, s, bit);
	} else if (paint_applies(p, *s.d)) {
		*s.d = p->depth;
		store(s.e, p->leaf);
	}
}

/* The nodes from the root down to where a prefix is painted. */
struct path {
	struct slot parent[XR_MBT_LEVELS]; /* the slot naming node[L] */
	uint32_t node[XR_MBT_LEVELS];
	int levels; /* nodes on the path */
};

/* The level whose node holds the entries of a prefix longer than the
 * root's bits. */
static int prefix_level(uint8_t plen)
{
	return (plen - XR_MBT_ROOT_BITS - 1) / XR_MBT_STRIDE;
}

static void path_fold(struct fib6 *f, struct path *pa)
{
	for (int l = pa->levels - 1; l >= 0; l--)
		if (!node_fold(f, pa->parent[l], mbt_level_bit(l)))
			return;
}

/* Walks (and with create, builds) the nodes down to the prefix's level. */
static int path_walk(struct fib6 *f, struct mbt_addr a, uint8_t plen,
		     bool create, struct path *pa)
{
	struct slot s = root_slot(f, mbt_root_index(a));
	int target = prefix_level(plen);

	pa->levels = 0;
	for (int l = 0; l <= target; l++) {
		int n = mbt_is_node(*s.e) || create ? node_for(f, s) : -ENOENT;

		if (n < 0) {
			path_fold(f, pa);
			return n;
		}
		pa->parent[l] = s;
		pa->node[l] = n;
		pa->levels++;
		s = node_slot(f, n, mbt_nibble(a, mbt_level_bit(l)));
	}
	return 0;
}

static void paint(struct fib6 *f, struct mbt_addr a, uint8_t plen,
		  const struct path *pa, const struct paint *p)
{
	int l = pa->levels - 1;

	if (plen <= XR_MBT_ROOT_BITS) {
		uint32_t first = mbt_root_index(a);

		for (uint32_t i = 0; i < 1U << (XR_MBT_ROOT_BITS - plen); i++)
			paint_slot(f, root_slot(f, first + i), XR_MBT_ROOT_BITS,
				   p);
		return;
	}
	paint_node(f, pa->node[l], mbt_level_bit(l),
		   mbt_nibble(a, mbt_level_bit(l)),
		   1U << (mbt_level_bit(l) + XR_MBT_STRIDE - plen), p);
}

int fib6_set(struct fib6 *f, const uint8_t addr[16], uint8_t plen,
	     const struct xr_route *v, const struct xr_route *old)
{
	struct paint p = {.depth = plen + 1, .plen = plen};
	struct path pa = {0};
	struct mbt_addr a;
	int leaf, err = 0;

	if (plen > 128)
		return -EINVAL;
	a = prefix6(addr, plen);
	leaf = fib_leaves_get(&f->leaves, v);
	if (leaf < 0) {
		f->st.full_errors++;
		return leaf;
	}
	if (plen > XR_MBT_ROOT_BITS)
		err = path_walk(f, a, plen, true, &pa);
	if (err) {
		fib_leaves_put(&f->leaves, v);
		f->st.full_errors++;
		return err;
	}
	p.leaf = leaf;
	paint(f, a, plen, &pa, &p);
	if (old)
		fib_leaves_put(&f->leaves, old);
	f->st.sets++;
	return 0;
}

int fib6_del(struct fib6 *f, const uint8_t addr[16], uint8_t plen,
	     const struct xr_route *old, const struct xr_route *cover,
	     uint8_t cover_len)
{
	struct paint p = {.plen = plen, .del = true};
	struct path pa = {0};
	struct mbt_addr a;
	int err;

	if (plen > 128 || (cover && cover_len >= plen))
		return -EINVAL;
	a = prefix6(addr, plen);
	p.leaf = fib_leaves_id(&f->leaves, cover);
	p.depth = p.leaf ? cover_len + 1 : 0;
	if (plen > XR_MBT_ROOT_BITS) {
		err = path_walk(f, a, plen, false, &pa);
		if (err)
			return err;
	}
	paint(f, a, plen, &pa, &p);
	path_fold(f, &pa);
	if (old)
		fib_leaves_put(&f->leaves, old);
	f->st.dels++;
	return 0;
}

int fib6_lookup(const struct fib6 *f, const uint8_t addr[16],
		struct xr_route *v)
{
	uint32_t e = xr_mbt_leaf(f->root, f->nodes, f->n_nodes, addr);

	if (!e)
		return -ENOENT;
	*v = f->leaves.map[e];
	return 0;
}

/* Clears unowned entries under slot s, which starts at bit; folds what it
 * can on the way back up. */
static void sweep_slot(struct fib6 *f, struct slot s, unsigned int bit)
{
	uint32_t e = *s.e;

	if (!mbt_is_node(e)) {
		if (e && !*s.d)
			store(s.e, 0);
		return;
	}
	id_slots_claim(&f->node_slots, mbt_node_of(e));
	for (uint32_t j = 0; j < XR_MBT_FANOUT; j++)
		sweep_slot(f, node_slot(f, mbt_node_of(e), j),
			   bit + XR_MBT_STRIDE);
	node_fold(f, s, bit);
}

void fib6_sweep_orphans(struct fib6 *f)
{
	for (uint32_t i = 0; i < ROOT_ENTRIES; i++)
		sweep_slot(f, root_slot(f, i), XR_MBT_ROOT_BITS);
	/* What is still marked adopted is referenced by nothing now. */
	f->st.blocks -= id_slots_release_adopted(&f->node_slots);
	id_slots_release_adopted(&f->leaves.slots);
}

void fib6_get_stats(const struct fib6 *f, struct fib_stats *st)
{
	*st = f->st;
	st->leaves = f->leaves.count;
}
