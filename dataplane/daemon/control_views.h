/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The JSON answers of the control socket, one function per request; each
 * returns a new json-c object (NULL on allocation failure).
 */
#ifndef XR_CONTROL_VIEWS_H
#define XR_CONTROL_VIEWS_H

#include <json-c/json.h>

struct daemon;

/* args: the rest of the request line after the verb, may be empty. */
struct json_object *control_view_status(struct daemon *d, const char *args);
struct json_object *control_view_routes(struct daemon *d, const char *args);
struct json_object *control_view_nexthops(struct daemon *d, const char *args);
struct json_object *control_view_groups(struct daemon *d, const char *args);
struct json_object *control_view_counters(struct daemon *d, const char *args);
struct json_object *control_view_match(struct daemon *d, const char *args);

#endif /* XR_CONTROL_VIEWS_H */
