// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "util/addr.h"

int xr_addr_parse(const char *s, struct xr_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->bytes) == 1) {
		a->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, a->bytes) == 1) {
		a->family = AF_INET6;
		return 0;
	}
	return -EINVAL;
}

void xr_prefix_mask(uint8_t *addr, unsigned int bits, unsigned int plen)
{
	for (unsigned int b = plen; b < bits; b++)
		addr[b / 8] &= ~(0x80 >> (b % 8));
}

unsigned int xr_family_bits(uint8_t family)
{
	return family == AF_INET ? 32 : 128;
}

int xr_prefix_parse(const char *s, struct xr_prefix *p)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(s, '/');
	unsigned int max;
	char *end;
	long len;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	if (slash)
		buf[slash - s] = '\0';
	if (xr_addr_parse(buf, &p->addr))
		return -EINVAL;
	max = p->addr.family == AF_INET ? 32 : 128;
	if (!slash) {
		p->len = max;
		return 0;
	}
	errno = 0;
	len = strtol(slash + 1, &end, 10);
	if (errno || *end || end == slash + 1 || len < 0 || len > (long)max)
		return -EINVAL;
	p->len = len;
	/* Host bits must be zero: a prefix means one thing only. */
	for (unsigned int bit = p->len; bit < max; bit++)
		if (p->addr.bytes[bit / 8] & (0x80 >> (bit % 8)))
			return -EINVAL;
	return 0;
}

int xr_mac_parse(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char tail;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &tail) != 6)
		return -EINVAL;
	for (int i = 0; i < 6; i++)
		mac[i] = b[i];
	return 0;
}

const char *xr_addr_str(const struct xr_addr *a, char *buf, size_t len)
{
	if (!inet_ntop(a->family, a->bytes, buf, len))
		snprintf(buf, len, "?");
	return buf;
}

const char *xr_prefix_str(const struct xr_prefix *p, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	snprintf(buf, len, "%s/%u", xr_addr_str(&p->addr, a, sizeof(a)),
		 p->len);
	return buf;
}

const char *xr_mac_str(const uint8_t mac[6], char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
		 mac[2], mac[3], mac[4], mac[5]);
	return buf;
}
