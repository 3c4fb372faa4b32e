// SPDX-License-Identifier: GPL-2.0-only
#include <arpa/inet.h>

#include "util/json_build.h"

void xr_jadd(struct json_object *o, const char *k, struct json_object *v)
{
	if (v)
		json_object_object_add(o, k, v);
}

void xr_jadd_u64(struct json_object *o, const char *k, uint64_t v)
{
	xr_jadd(o, k, json_object_new_int64((int64_t)v));
}

void xr_jadd_bool(struct json_object *o, const char *k, bool v)
{
	xr_jadd(o, k, json_object_new_boolean(v));
}

void xr_jadd_str(struct json_object *o, const char *k, const char *v)
{
	if (v)
		xr_jadd(o, k, json_object_new_string(v));
}

struct json_object *xr_jaddr(const struct xr_addr *a)
{
	char buf[INET6_ADDRSTRLEN];

	if (a->family != AF_INET && a->family != AF_INET6)
		return NULL;
	return json_object_new_string(xr_addr_str(a, buf, sizeof(buf)));
}

struct json_object *xr_jmac(const uint8_t mac[6])
{
	char buf[18];

	return json_object_new_string(xr_mac_str(mac, buf, sizeof(buf)));
}

uint64_t xr_jget_u64(struct json_object *o, const char *k)
{
	struct json_object *v = o ? json_object_object_get(o, k) : NULL;

	return v ? (uint64_t)json_object_get_int64(v) : 0;
}

const char *xr_jget_str(struct json_object *o, const char *k)
{
	struct json_object *v = o ? json_object_object_get(o, k) : NULL;

	return v ? json_object_get_string(v) : NULL;
}
