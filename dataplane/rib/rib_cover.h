/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Which prefix lengths can hold a route covering an IPv4 prefix, so that
 * looking for a route's cover probes the RIB at those lengths only instead
 * of at every shorter one.
 *
 * Per /16 of the address space, one mask: bit l < 16 is set when the one
 * prefix of length l that covers the /16 is a route; bit l >= 16 when a
 * route of length l lies inside the /16 (a count per length keeps it
 * exact on delete, up to 65535 routes of one length in one /16, when the
 * bit stays set for good). A route's covers all have their bit set in the mask
 * of its /16; the bits at 16 and above may also be set for routes beside it,
 * which only costs a probe that misses.
 */
#ifndef XR_RIB_COVER_H
#define XR_RIB_COVER_H

#include <stdbool.h>
#include <stdint.h>

struct cover4;

struct cover4 *cover4_new(void); /* NULL if out of memory */
void cover4_free(struct cover4 *c);
/* A route addr/plen (host order, host bits clear) joined or left. */
void cover4_add(struct cover4 *c, uint32_t addr, uint8_t plen);
void cover4_del(struct cover4 *c, uint32_t addr, uint8_t plen);
/* Bit l (l < plen): a route of length l may cover addr/plen. */
uint64_t cover4_lengths(const struct cover4 *c, uint32_t addr, uint8_t plen);

/*
 * The same question for IPv6, more coarsely: the routes of each length,
 * and per /20 (the multibit trie's root entry) the lengths of 20 and more
 * of the routes ever added inside it. Those bits are not cleared on delete
 * (a stale bit costs a probe that misses, never a cover missed), so churn
 * wears the filter down to the per-length counts.
 */
struct cover6;

struct cover6 *cover6_new(void); /* NULL if out of memory */
void cover6_free(struct cover6 *c);
void cover6_add(struct cover6 *c, const uint8_t addr[16], uint8_t plen);
void cover6_del(struct cover6 *c, const uint8_t addr[16], uint8_t plen);
/* May a route of length l cover addr (of a longer prefix)? */
bool cover6_may(const struct cover6 *c, const uint8_t addr[16], uint8_t l);

#endif /* XR_RIB_COVER_H */
