// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>

#include "util/grace.h"
#include "util/id_slots.h"

int id_slots_init(struct id_slots *s, uint32_t n, uint32_t first)
{
	*s = (struct id_slots){.n = n};
	s->state = calloc(n ? n : 1, 1);
	s->free = calloc(n ? n : 1, sizeof(*s->free));
	s->grace = calloc(n ? n : 1, sizeof(*s->grace));
	s->grace_until = calloc(n ? n : 1, sizeof(*s->grace_until));
	if (!s->state || !s->free || !s->grace || !s->grace_until) {
		id_slots_fini(s);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < first && i < n; i++)
		s->state[i] = SLOT_USED;
	return 0;
}

void id_slots_fini(struct id_slots *s)
{
	free(s->state);
	free(s->free);
	free(s->grace);
	free(s->grace_until);
	*s = (struct id_slots){0};
}

void id_slots_adopt(struct id_slots *s, uint32_t i)
{
	if (i < s->n && s->state[i] == SLOT_FREE)
		s->state[i] = SLOT_ADOPTED;
}

void id_slots_claim(struct id_slots *s, uint32_t i)
{
	if (i < s->n && s->state[i] == SLOT_ADOPTED)
		s->state[i] = SLOT_USED;
}

void id_slots_seal(struct id_slots *s)
{
	s->n_free = 0;
	for (uint32_t i = s->n; i-- > 0;)
		if (s->state[i] == SLOT_FREE)
			s->free[s->n_free++] = i;
	s->sealed = true;
}

/* Slots whose grace is over become free again. */
static void grace_expire(struct id_slots *s)
{
	uint64_t now = xr_mono_ns();

	while (s->grace_len) {
		uint32_t i = s->grace[s->grace_head];

		if (s->grace_until[i] > now)
			break;
		s->grace_head = (s->grace_head + 1) % s->n;
		s->grace_len--;
		s->state[i] = SLOT_FREE;
		s->free[s->n_free++] = i;
	}
}

int id_slots_alloc(struct id_slots *s)
{
	uint32_t i;

	if (!s->sealed)
		id_slots_seal(s);
	if (!s->n_free)
		grace_expire(s);
	if (!s->n_free)
		return -ENOSPC;
	i = s->free[--s->n_free];
	s->state[i] = SLOT_USED;
	return i;
}

void id_slots_free(struct id_slots *s, uint32_t i)
{
	if (i >= s->n || s->state[i] == SLOT_FREE || s->state[i] == SLOT_GRACE)
		return;
	s->state[i] = SLOT_GRACE;
	s->grace_until[i] = xr_mono_ns() + XR_GRACE_NS;
	s->grace[(s->grace_head + s->grace_len) % s->n] = i;
	s->grace_len++;
}

uint32_t id_slots_release_adopted(struct id_slots *s)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < s->n; i++)
		if (s->state[i] == SLOT_ADOPTED) {
			id_slots_free(s, i);
			n++;
		}
	return n;
}
