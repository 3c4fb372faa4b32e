/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Slots of a compiled FIB's arrays (blocks, nodes, leaves), handed out and
 * taken back. A freed slot waits a grace period before reuse: a packet that
 * read the entry naming it may still be reading it. Allocation is O(1): a
 * stack of free slots and a queue of slots in grace, oldest first.
 */
#ifndef XR_FIB_SLOTS_H
#define XR_FIB_SLOTS_H

#include <stdbool.h>
#include <stdint.h>

enum fib_slot_state { SLOT_FREE, SLOT_USED, SLOT_ADOPTED, SLOT_GRACE };

struct fib_slots {
	uint32_t n;
	uint8_t *state;	 /* enum fib_slot_state */
	uint32_t *free;	 /* stack of free slots, lowest on top */
	uint32_t n_free; /* ... before fib_slots_seal(): 0 */
	uint32_t *grace; /* ring of slots in grace, oldest first */
	uint64_t *grace_until;
	uint32_t grace_head, grace_len;
	bool sealed;
};

/* All n slots free; slots below first are never handed out. */
int fib_slots_init(struct fib_slots *s, uint32_t n, uint32_t first);
void fib_slots_fini(struct fib_slots *s);
/* Before fib_slots_seal(): slot i is in use by an earlier run. */
void fib_slots_adopt(struct fib_slots *s, uint32_t i);
/* An adopted slot found in use by this run. */
void fib_slots_claim(struct fib_slots *s, uint32_t i);
/* Adoption is over: the rest are free. */
void fib_slots_seal(struct fib_slots *s);
int fib_slots_alloc(struct fib_slots *s); /* -ENOSPC when none is free */
void fib_slots_free(struct fib_slots *s, uint32_t i);
/* Slots still adopted (referenced by nothing now) go to grace; returns how
 * many. */
uint32_t fib_slots_release_adopted(struct fib_slots *s);

/* What a compiled FIB holds: leaves, and blocks (DIR-24-8's second-level
 * blocks, the multibit trie's nodes) in use of how many. */
struct fib_stats {
	uint32_t leaves, blocks, blocks_max;
	uint64_t sets, dels, block_allocs, block_frees, full_errors;
};

static inline bool fib_slots_is(const struct fib_slots *s, uint32_t i,
				enum fib_slot_state st)
{
	return i < s->n && s->state[i] == st;
}

#endif /* XR_FIB_SLOTS_H */
