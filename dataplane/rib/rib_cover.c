// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>
#include <string.h>

#include "rib/rib_cover.h"

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

#define SPLIT6 20 /* per /20, the multibit trie's root entries */

struct cover6 {
	uint32_t routes[129]; /* routes of each length */
	uint64_t (*seen)[2];  /* per /20: lengths >= SPLIT6 inside */
};

static uint32_t top20(const uint8_t a[16])
{
	return (uint32_t)a[0] << 12 | a[1] << 4 | a[2] >> 4;
}

struct cover6 *cover6_new(void)
{
	struct cover6 *c = calloc(1, sizeof(*c));

	if (c) /* zeroed pages: only the /20s with routes are touched */
		c->seen = calloc(1U << SPLIT6, sizeof(*c->seen));
	if (c && !c->seen) {
		free(c);
		return NULL;
	}
	return c;
}

void cover6_free(struct cover6 *c)
{
	if (!c)
		return;
	free(c->seen);
	free(c);
}

void cover6_add(struct cover6 *c, const uint8_t addr[16], uint8_t plen)
{
	if (plen > 128)
		return;
	c->routes[plen]++;
	if (plen >= SPLIT6)
		c->seen[top20(addr)][plen / 64] |= 1ULL << (plen % 64);
}

void cover6_del(struct cover6 *c, const uint8_t addr[16], uint8_t plen)
{
	(void)addr;
	if (plen <= 128 && c->routes[plen])
		c->routes[plen]--;
}

bool cover6_may(const struct cover6 *c, const uint8_t addr[16], uint8_t l)
{
	if (l > 128 || !c->routes[l])
		return false;
	return l < SPLIT6 || (c->seen[top20(addr)][l / 64] >> (l % 64) & 1);
}
