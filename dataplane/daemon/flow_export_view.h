/* SPDX-License-Identifier: GPL-2.0-only */
/* The flow exporter's part of the status answer (control_view_status). */
#ifndef XR_FLOW_EXPORT_VIEW_H
#define XR_FLOW_EXPORT_VIEW_H

#include <json-c/json.h>

struct daemon;

/* sFlow's state at the top ("off" without it), the program's sample
 * counters, and IPFIX's under "ipfix". */
struct json_object *flow_export_json(const struct daemon *d);

#endif /* XR_FLOW_EXPORT_VIEW_H */
