// SPDX-License-Identifier: GPL-2.0-only
#include <stddef.h>

#include "daemon/control_protocol.h"
#include "daemon/flow_export_view.h"
#include "export/sflow.h"

static void add_str(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static void add_u64(struct json_object *o, const char *k, uint64_t v)
{
	json_object_object_add(o, k, json_object_new_int64((int64_t)v));
}

struct json_object *flow_export_json(const struct sflow *s)
{
	struct json_object *o = json_object_new_object(), *cs;
	struct sflow_view v;

	if (!s) {
		add_str(o, XR_KEY_state, "off");
		return o;
	}
	sflow_view_get(s, &v);
	add_str(o, XR_KEY_state, v.state);
	add_str(o, XR_KEY_agentAddress, v.agent);
	add_u64(o, XR_KEY_subAgentId, v.opts.sub_agent_id);
	add_u64(o, XR_KEY_sampling, v.opts.sampling);
	add_u64(o, XR_KEY_counterInterval, v.opts.counter_interval);
	cs = json_object_new_array();
	for (unsigned int i = 0; i < v.opts.n_collectors; i++) {
		struct json_object *c = json_object_new_object();

		add_str(c, XR_KEY_collector, v.c[i].spec);
		add_str(c, XR_KEY_address, v.c[i].address);
		add_str(c, XR_KEY_state, v.c[i].state);
		json_object_array_add(cs, c);
	}
	json_object_object_add(o, XR_KEY_collectors, cs);
	add_u64(o, XR_KEY_flowSamples, v.st.flow_samples);
	add_u64(o, XR_KEY_counterSamples, v.st.counter_samples);
	add_u64(o, XR_KEY_datagramsSent, v.st.datagrams_sent);
	add_u64(o, XR_KEY_sendErrors, v.st.send_errors);
	add_u64(o, XR_KEY_addressChanges, v.st.address_changes);
	add_u64(o, XR_KEY_sampled, v.st.sampled);
	add_u64(o, XR_KEY_ringFull, v.st.ring_full);
	return o;
}
