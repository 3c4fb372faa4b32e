/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Building and reading the JSON that the daemon's control views write and
 * xdp-routerctl reads: one set of helpers for both sides. A NULL value is
 * left out rather than written as null, so a reader tells "absent" from a
 * value by the key alone.
 */
#ifndef XR_JSON_BUILD_H
#define XR_JSON_BUILD_H

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "util/addr.h"

void xr_jadd(struct json_object *o, const char *k, struct json_object *v);
void xr_jadd_u64(struct json_object *o, const char *k, uint64_t v);
void xr_jadd_bool(struct json_object *o, const char *k, bool v);
void xr_jadd_str(struct json_object *o, const char *k, const char *v);
/* NULL unless a is an IPv4 or IPv6 address. */
struct json_object *xr_jaddr(const struct xr_addr *a);
struct json_object *xr_jmac(const uint8_t mac[6]);
/* 0 or NULL when o or its key is absent. */
uint64_t xr_jget_u64(struct json_object *o, const char *k);
const char *xr_jget_str(struct json_object *o, const char *k);

#endif /* XR_JSON_BUILD_H */
