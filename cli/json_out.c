// SPDX-License-Identifier: GPL-2.0-only
/* Small helpers for building and printing xdp-routerctl's JSON. */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>

#include "cli.h"

void cli_print_json(struct json_object *j)
{
	printf("%s\n",
	       json_object_to_json_string_ext(
		       j, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
				  JSON_C_TO_STRING_NOSLASHESCAPE));
	fflush(stdout);
}

struct json_object *cli_jaddr(const struct xr_addr *a)
{
	char buf[INET6_ADDRSTRLEN];

	if (a->family != AF_INET && a->family != AF_INET6)
		return NULL;
	return json_object_new_string(xr_addr_str(a, buf, sizeof(buf)));
}

struct json_object *cli_jmac(const uint8_t mac[6])
{
	char buf[18];

	return json_object_new_string(xr_mac_str(mac, buf, sizeof(buf)));
}

const char *cli_ifname(uint32_t ifindex, char buf[16])
{
	if (!ifindex || !if_indextoname(ifindex, buf))
		snprintf(buf, 16, "if%u", ifindex);
	return buf;
}

void cli_jadd(struct json_object *o, const char *k, struct json_object *v)
{
	if (v)
		json_object_object_add(o, k, v);
}

void cli_jadd_u64(struct json_object *o, const char *k, uint64_t v)
{
	cli_jadd(o, k, json_object_new_int64((int64_t)v));
}

void cli_jadd_bool(struct json_object *o, const char *k, bool v)
{
	cli_jadd(o, k, json_object_new_boolean(v));
}

void cli_jadd_str(struct json_object *o, const char *k, const char *v)
{
	if (v)
		cli_jadd(o, k, json_object_new_string(v));
}

uint64_t cli_jget_u64(struct json_object *o, const char *k)
{
	struct json_object *v = o ? json_object_object_get(o, k) : NULL;

	return v ? (uint64_t)json_object_get_int64(v) : 0;
}

const char *cli_jget_str(struct json_object *o, const char *k)
{
	struct json_object *v = o ? json_object_object_get(o, k) : NULL;

	return v ? json_object_get_string(v) : NULL;
}
