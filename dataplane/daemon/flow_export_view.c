// SPDX-License-Identifier: GPL-2.0-only
#include <stddef.h>

#include "daemon/control_protocol.h"
#include "daemon/daemon.h"
#include "daemon/flow_export_view.h"
#include "export/ipfix.h"
#include "export/sample_feed.h"
#include "export/sflow.h"
#include "util/json_build.h"

static void collectors_json(struct json_object *o,
			    const struct collector_view *c, unsigned int n)
{
	struct json_object *cs = json_object_new_array();

	for (unsigned int i = 0; i < n; i++) {
		struct json_object *j = json_object_new_object();

		xr_jadd_str(j, XR_KEY_collector, c[i].spec);
		xr_jadd_str(j, XR_KEY_address, c[i].address);
		xr_jadd_str(j, XR_KEY_state, c[i].state);
		json_object_array_add(cs, j);
	}
	json_object_object_add(o, XR_KEY_collectors, cs);
}

static void sflow_json(struct json_object *o, const struct sflow *s)
{
	struct sflow_view v;

	sflow_view_get(s, &v);
	xr_jadd_str(o, XR_KEY_state, v.state);
	xr_jadd_str(o, XR_KEY_agentAddress, v.agent);
	xr_jadd_u64(o, XR_KEY_subAgentId, v.opts.sub_agent_id);
	xr_jadd_u64(o, XR_KEY_sampling, v.opts.sampling);
	xr_jadd_u64(o, XR_KEY_counterInterval, v.opts.counter_interval);
	collectors_json(o, v.c, v.opts.n_collectors);
	xr_jadd_u64(o, XR_KEY_flowSamples, v.st.flow_samples);
	xr_jadd_u64(o, XR_KEY_counterSamples, v.st.counter_samples);
	xr_jadd_u64(o, XR_KEY_datagramsSent, v.st.datagrams_sent);
	xr_jadd_u64(o, XR_KEY_sendErrors, v.st.send_errors);
	xr_jadd_u64(o, XR_KEY_addressChanges, v.st.address_changes);
}

static struct json_object *ipfix_json(const struct ipfix *x)
{
	struct json_object *o = json_object_new_object();
	struct ipfix_view v;

	if (!x) {
		xr_jadd_str(o, XR_KEY_state, "off");
		return o;
	}
	ipfix_view_get(x, &v);
	xr_jadd_str(o, XR_KEY_state, v.state);
	xr_jadd_u64(o, XR_KEY_domainId, v.opts.domain);
	collectors_json(o, v.c, v.opts.n_collectors);
	xr_jadd_u64(o, XR_KEY_flowsExported, v.st.flows_exported);
	xr_jadd_u64(o, XR_KEY_messagesSent, v.st.messages_sent);
	xr_jadd_u64(o, XR_KEY_sendErrors, v.st.send_errors);
	xr_jadd_u64(o, XR_KEY_addressChanges, v.st.address_changes);
	xr_jadd_u64(o, XR_KEY_cacheFlows, v.st.cache_flows);
	xr_jadd_u64(o, XR_KEY_cacheEvicted, v.st.cache_evicted);
	xr_jadd_u64(o, XR_KEY_unparsed, v.st.unparsed);
	return o;
}

struct json_object *flow_export_json(const struct daemon *d)
{
	struct json_object *o = json_object_new_object();
	struct xr_sample_stats st = {0};

	if (d->sflow)
		sflow_json(o, d->sflow);
	else
		xr_jadd_str(o, XR_KEY_state, "off");
	if (d->samples)
		sample_feed_stats(d->samples, &st);
	xr_jadd_u64(o, XR_KEY_sampled, st.sampled);
	xr_jadd_u64(o, XR_KEY_ringFull, st.ring_full);
	json_object_object_add(o, XR_KEY_ipfix, ipfix_json(d->ipfix));
	return o;
}
