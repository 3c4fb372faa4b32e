// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>

#include "rib_cover.h"

#define SPLIT 16 /* the masks are per /16 */
#define N_CHUNKS (1u << SPLIT)
#define N_LONG (32 - SPLIT + 1) /* lengths 16..32 are counted */

struct cover4 {
	uint64_t mask[N_CHUNKS];
	uint32_t (*count)[N_LONG]; /* routes of each length >= 16 inside */
};

struct cover4 *cover4_new(void)
{
	struct cover4 *c = calloc(1, sizeof(*c));

	if (c && !(c->count = calloc(N_CHUNKS, sizeof(*c->count)))) {
		free(c);
		c = NULL;
	}
	return c;
}

void cover4_free(struct cover4 *c)
{
	if (!c)
		return;
	free(c->count);
	free(c);
}

void cover4_add(struct cover4 *c, uint32_t addr, uint8_t plen)
{
	uint32_t chunk = addr >> SPLIT;

	if (plen >= SPLIT) {
		if (plen <= 32 && !c->count[chunk][plen - SPLIT]++)
			c->mask[chunk] |= 1ULL << plen;
		return;
	}
	/* The only route of this length over these /16s: a bit in each. */
	for (uint32_t i = 0; i < 1u << (SPLIT - plen); i++)
		c->mask[chunk + i] |= 1ULL << plen;
}

void cover4_del(struct cover4 *c, uint32_t addr, uint8_t plen)
{
	uint32_t chunk = addr >> SPLIT;

	if (plen >= SPLIT) {
		if (plen <= 32 && c->count[chunk][plen - SPLIT] &&
		    !--c->count[chunk][plen - SPLIT])
			c->mask[chunk] &= ~(1ULL << plen);
		return;
	}
	for (uint32_t i = 0; i < 1u << (SPLIT - plen); i++)
		c->mask[chunk + i] &= ~(1ULL << plen);
}

uint64_t cover4_lengths(const struct cover4 *c, uint32_t addr, uint8_t plen)
{
	return c->mask[addr >> SPLIT] & ((1ULL << plen) - 1);
}
