// SPDX-License-Identifier: GPL-2.0-only
#include <stddef.h>

#include "daemon/control_protocol.h"
#include "daemon/daemon.h"
#include "daemon/flow_export_view.h"
#include "export/ipfix.h"
#include "export/sample_feed.h"
#include "export/sflow.h"

static void add_str(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static void add_u64(struct json_object *o, const char *k, uint64_t v)
{
	json_object_object_add(o, k, json_object_new_int64((int64_t)v));
}

static void sflow_json(struct json_object *o, const struct sflow *s)
{
	struct json_object *cs;
	struct sflow_view v;

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
}

static struct json_object *ipfix_json(const struct ipfix *x)
{
	struct json_object *o = json_object_new_object(), *cs;
	struct ipfix_view v;

	if (!x) {
		add_str(o, XR_KEY_state, "off");
		return o;
	}
	ipfix_view_get(x, &v);
	add_str(o, XR_KEY_state, v.state);
	add_u64(o, XR_KEY_domainId, v.opts.domain);
	cs = json_object_new_array();
	for (unsigned int i = 0; i < v.opts.n_collectors; i++) {
		struct json_object *c = json_object_new_object();

		add_str(c, XR_KEY_collector, v.opts.collector[i]);
		add_str(c, XR_KEY_address, v.c[i].address);
		add_str(c, XR_KEY_state, v.c[i].state);
		json_object_array_add(cs, c);
	}
	json_object_object_add(o, XR_KEY_collectors, cs);
	add_u64(o, XR_KEY_flowsExported, v.st.flows_exported);
	add_u64(o, XR_KEY_messagesSent, v.st.messages_sent);
	add_u64(o, XR_KEY_sendErrors, v.st.send_errors);
	add_u64(o, XR_KEY_addressChanges, v.st.address_changes);
	add_u64(o, XR_KEY_cacheFlows, v.st.cache_flows);
	add_u64(o, XR_KEY_cacheEvicted, v.st.cache_evicted);
	add_u64(o, XR_KEY_unparsed, v.st.unparsed);
	return o;
}

struct json_object *flow_export_json(const struct daemon *d)
{
	struct json_object *o = json_object_new_object();
	struct xr_sample_stats st = {0};

	if (d->sflow)
		sflow_json(o, d->sflow);
	else
		add_str(o, XR_KEY_state, "off");
	if (d->samples)
		sample_feed_stats(d->samples, &st);
	add_u64(o, XR_KEY_sampled, st.sampled);
	add_u64(o, XR_KEY_ringFull, st.ring_full);
	json_object_object_add(o, XR_KEY_ipfix, ipfix_json(d->ipfix));
	return o;
}
