/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Addresses and prefixes of either family as the maps store them (network
 * order, IPv4 in the first 4 bytes), their text forms, and the one function
 * that clears a prefix's host bits.
 */
#ifndef XR_UTIL_ADDR_H
#define XR_UTIL_ADDR_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

struct xr_addr {
	uint8_t family; /* AF_INET or AF_INET6 */
	uint8_t bytes[16];
};

struct xr_prefix {
	struct xr_addr addr;
	uint8_t len;
};

/* Clears the bits of addr (network order, bits long) beyond plen. */
void xr_prefix_mask(uint8_t *addr, unsigned int bits, unsigned int plen);
/* 32 or 128 */
unsigned int xr_family_bits(uint8_t family);

int xr_addr_parse(const char *s, struct xr_addr *a);
int xr_prefix_parse(const char *s, struct xr_prefix *p);
int xr_mac_parse(const char *s, uint8_t mac[6]);
/* Buffers of at least INET6_ADDRSTRLEN + 4 and 18 bytes. */
const char *xr_prefix_str(const struct xr_prefix *p, char *buf, size_t len);
const char *xr_addr_str(const struct xr_addr *a, char *buf, size_t len);
const char *xr_mac_str(const uint8_t mac[6], char *buf, size_t len);

#endif /* XR_UTIL_ADDR_H */
