// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>
#include <string.h>

#include "rib_cover.h"

#define SPLIT 16 /* the masks are per /16 */
#define N_CHUNKS (1u << SPLIT)
#define N_LONG (32 - SPLIT + 1) /* lengths 16..32 are counted */
#define STUCK UINT16_MAX	/* a count this high stays: its bit too */

/* A /16's mask and counts share one cache line: a delete reads the mask
 * and updates a count with one miss. */
struct chunk {
	uint64_t mask;
	uint16_t count[N_LONG]; /* routes of each length >= 16 inside */
} __attribute__((aligned(64)));

struct cover4 {
	struct chunk *chunk; /* N_CHUNKS */
};

_Static_assert(sizeof(struct chunk) == 64, "one cache line a /16");

struct cover4 *cover4_new(void)
{
	struct cover4 *c = calloc(1, sizeof(*c));

	if (c && posix_memalign((void **)&c->chunk, 64,
				N_CHUNKS * sizeof(*c->chunk))) {
		free(c);
		return NULL;
	}
	if (c)
		memset(c->chunk, 0, N_CHUNKS * sizeof(*c->chunk));
	return c;
}

void cover4_free(struct cover4 *c)
{
	if (!c)
		return;
	free(c->chunk);
	free(c);
}

void cover4_add(struct cover4 *c, uint32_t addr, uint8_t plen)
{
	struct chunk *ch = &c->chunk[addr >> SPLIT];

	if (plen >= SPLIT) {
		uint16_t *n = &ch->count[plen - SPLIT];

		if (plen > 32)
			return;
		/* Past STUCK the count, and so the bit, never go down: the
		 * mask stays a superset. */
		if (*n < STUCK)
			++*n;
		ch->mask |= 1ULL << plen;
		return;
	}
	/* The only route of this length over these /16s: a bit in each. */
	for (uint32_t i = 0; i < 1u << (SPLIT - plen); i++)
		ch[i].mask |= 1ULL << plen;
}

void cover4_del(struct cover4 *c, uint32_t addr, uint8_t plen)
{
	struct chunk *ch = &c->chunk[addr >> SPLIT];

	if (plen >= SPLIT) {
		uint16_t *n = &ch->count[plen - SPLIT];

		if (plen <= 32 && *n && *n < STUCK && !--*n)
			ch->mask &= ~(1ULL << plen);
		return;
	}
	for (uint32_t i = 0; i < 1u << (SPLIT - plen); i++)
		ch[i].mask &= ~(1ULL << plen);
}

uint64_t cover4_lengths(const struct cover4 *c, uint32_t addr, uint8_t plen)
{
	return c->chunk[addr >> SPLIT].mask & ((1ULL << plen) - 1);
}
