/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Ids handed out and taken back: the slots of the compiled FIBs' arrays
 * (blocks, nodes, leaves) and the RIB's nexthop and group ids. A freed slot
 * waits a grace period before reuse: a packet that read the entry naming it may
 * still be reading it. Allocation is O(1): a stack of free slots and a queue of
 * slots in grace, oldest first.
 */
#ifndef XR_ID_SLOTS_H
#define XR_ID_SLOTS_H

#include <stdbool.h>
#include <stdint.h>

enum id_slot_state { SLOT_FREE, SLOT_USED, SLOT_ADOPTED, SLOT_GRACE };

struct id_slots {
	uint32_t n;
	uint8_t *state;	 /* enum id_slot_state */
	uint32_t *free;	 /* stack of free slots, lowest on top */
	uint32_t n_free; /* ... before id_slots_seal(): 0 */
	uint32_t *grace; /* ring of slots in grace, oldest first */
	uint64_t *grace_until;
	uint32_t grace_head, grace_len;
	bool sealed;
};

/* All n slots free; slots below first are never handed out. */
int id_slots_init(struct id_slots *s, uint32_t n, uint32_t first);
void id_slots_fini(struct id_slots *s);
/* Before id_slots_seal(): slot i is in use by an earlier run. */
void id_slots_adopt(struct id_slots *s, uint32_t i);
/* An adopted slot found in use by this run. */
void id_slots_claim(struct id_slots *s, uint32_t i);
/* Adoption is over: the rest are free. */
void id_slots_seal(struct id_slots *s);
int id_slots_alloc(struct id_slots *s); /* -ENOSPC when none is free */
void id_slots_free(struct id_slots *s, uint32_t i);
/* Slots still adopted (referenced by nothing now) go to grace; returns how
 * many. */
uint32_t id_slots_release_adopted(struct id_slots *s);

/* What a compiled FIB holds: leaves, and blocks (DIR-24-8's second-level
 * blocks, the multibit trie's nodes) in use of how many. */
struct fib_stats {
	uint32_t leaves, blocks, blocks_max;
	uint64_t sets, dels, block_allocs, block_frees, full_errors;
};

static inline bool id_slots_is(const struct id_slots *s, uint32_t i,
			       enum id_slot_state st)
{
	return i < s->n && s->state[i] == st;
}

#endif /* XR_ID_SLOTS_H */
