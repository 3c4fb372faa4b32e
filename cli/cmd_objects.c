// SPDX-License-Identifier: GPL-2.0-only
/* nexthops, groups, neighbours, interfaces: the fast path's tables. */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include "cli.h"
#include "map_walk.h"
#include "params.h"

static const struct param no_params[] = {PARAM_END};

uint32_t cli_xdp_attached(uint32_t ifindex, const char **mode)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);

	*mode = "none";
	if (bpf_xdp_query(ifindex, 0, &q))
		return 0;
	switch (q.attach_mode) {
	case XDP_ATTACHED_DRV:
		*mode = "native";
		return q.drv_prog_id;
	case XDP_ATTACHED_SKB:
		*mode = "generic";
		return q.skb_prog_id;
	case XDP_ATTACHED_HW:
		*mode = "offload";
		return q.hw_prog_id;
	case XDP_ATTACHED_MULTI:
		*mode = q.drv_prog_id ? "native" : "generic";
		return q.drv_prog_id ? q.drv_prog_id : q.skb_prog_id;
	default:
		return 0;
	}
}

/* Maps-only commands start the same way. */
static int begin(struct cli *c, int argc, char **argv, const char *name)
{
	int err = params_parse(no_params, argc, argv, NULL, name);

	if (err)
		return err;
	return cli_open_maps(c);
}

/* zebra ids of map ids, from the daemon's nexthops view. */
static struct json_object *daemon_zebra_ids(struct cli *c, const char *what)
{
	struct json_object *ans = cli_daemon_ask(c, what), *zebra, *idx;

	if (!ans)
		return NULL;
	idx = json_object_new_object();
	zebra = json_object_object_get(ans, XR_KEY_zebra);
	for (size_t i = 0; zebra && i < json_object_array_length(zebra); i++) {
		struct json_object *z = json_object_array_get_idx(zebra, i);
		char key[16];

		if (!json_object_object_get(z, XR_KEY_mapId))
			continue;
		snprintf(key, sizeof(key), "%llu",
			 (unsigned long long)xr_jget_u64(z, XR_KEY_mapId));
		json_object_object_add(idx, key, json_object_get(z));
	}
	json_object_put(ans);
	return idx;
}

struct nh_ctx {
	struct cli *c;
	struct json_object *out, *zids;
};

static void nexthop_one(uint32_t id, const void *value, void *arg)
{
	const struct xr_nexthop *nh = value;
	struct nh_ctx *x = arg;
	struct json_object *o = json_object_new_object(), *z;
	struct xr_addr gw = {.family = nh->family};
	char key[16], ifn[16], a[INET6_ADDRSTRLEN] = "-", mac[18];
	bool resolved = nh->flags & XR_NH_F_RESOLVED;

	memcpy(gw.bytes, nh->gw, 16);
	snprintf(key, sizeof(key), "%u", id);
	z = x->zids ? json_object_object_get(x->zids, key) : NULL;
	if (x->c->json) {
		xr_jadd_u64(o, "id", id);
		if (z)
			xr_jadd_u64(o, "zebraId",
				    xr_jget_u64(z, XR_KEY_zebraId));
		xr_jadd_u64(o, "interfaceIndex", nh->ifindex);
		xr_jadd_str(o, "interfaceName", cli_ifname(nh->ifindex, ifn));
		if (nh->flags & XR_NH_F_GATEWAY) {
			xr_jadd_str(o, "afi",
				    nh->family == AF_INET ? "ipv4" : "ipv6");
			xr_jadd(o, "ip", xr_jaddr(&gw));
		}
		xr_jadd_bool(o, "resolved", resolved);
		if (resolved)
			xr_jadd(o, "mac", xr_jmac(nh->dmac));
		xr_jadd_u64(o, "mtu", nh->mtu);
		json_object_object_add(x->out, key, o);
		return;
	}
	json_object_put(o);
	if (nh->flags & XR_NH_F_GATEWAY)
		xr_addr_str(&gw, a, sizeof(a));
	printf("%-8u %-8s %-10s %-26s %-17s %s\n", id,
	       z ? json_object_get_string(
			   json_object_object_get(z, XR_KEY_zebraId))
		 : "-",
	       cli_ifname(nh->ifindex, ifn), a,
	       resolved ? xr_mac_str(nh->dmac, mac, sizeof(mac)) : "unresolved",
	       nh->mtu ? "" : "");
}

int cmd_nexthops(struct cli *c, int argc, char **argv)
{
	struct nh_ctx x = {.c = c, .out = json_object_new_object()};
	struct xr_nexthop v;
	int err = begin(c, argc, argv, "nexthops");

	if (err)
		goto out;
	x.zids = daemon_zebra_ids(c, control_verb_name(CONTROL_VERB_nexthops));
	cli_note_daemon_down(c);
	if (!c->json)
		printf("%-8s %-8s %-10s %-26s %s\n", "ID", "ZEBRA", "DEV",
		       "GATEWAY", "MAC");
	walk_u32_map(c->maps.nexthops, &v, nexthop_one, &x);
	if (c->json)
		cli_print_json(x.out);
out:
	json_object_put(x.out);
	json_object_put(x.zids);
	return err;
}

static void group_one(uint32_t id, const void *value, void *arg)
{
	const struct xr_nh_group *g = value;
	struct nh_ctx *x = arg;
	unsigned int buckets[XR_MAX_ECMP] = {0};
	struct json_object *o, *m, *z;
	char key[16];

	for (unsigned int b = 0; b < XR_GROUP_BUCKETS; b++)
		if (g->bucket[b] < XR_MAX_ECMP)
			buckets[g->bucket[b]]++;
	snprintf(key, sizeof(key), "%u", id);
	z = x->zids ? json_object_object_get(x->zids, key) : NULL;
	if (!x->c->json) {
		printf("group %u%s%s: %u members\n", id, z ? " zebra " : "",
		       z ? json_object_get_string(
				   json_object_object_get(z, XR_KEY_zebraId))
			 : "",
		       g->n_members);
		for (unsigned int i = 0; i < g->n_members && i < XR_MAX_ECMP;
		     i++)
			printf("    nexthop %-8u weight %-3u buckets %u/%u\n",
			       g->member[i], g->weight[i], buckets[i],
			       XR_GROUP_BUCKETS);
		return;
	}
	o = json_object_new_object();
	m = json_object_new_array();
	xr_jadd_u64(o, "id", id);
	if (z)
		xr_jadd_u64(o, "zebraId", xr_jget_u64(z, XR_KEY_zebraId));
	for (unsigned int i = 0; i < g->n_members && i < XR_MAX_ECMP; i++) {
		struct json_object *e = json_object_new_object();

		xr_jadd_u64(e, "nexthopId", g->member[i]);
		xr_jadd_u64(e, "weight", g->weight[i]);
		xr_jadd_u64(e, "buckets", buckets[i]);
		json_object_array_add(m, e);
	}
	xr_jadd(o, "members", m);
	xr_jadd_u64(o, "buckets", XR_GROUP_BUCKETS);
	json_object_object_add(x->out, key, o);
}

int cmd_groups(struct cli *c, int argc, char **argv)
{
	struct nh_ctx x = {.c = c, .out = json_object_new_object()};
	struct xr_nh_group v;
	int err = begin(c, argc, argv, "groups");

	if (err)
		goto out;
	x.zids = daemon_zebra_ids(c, control_verb_name(CONTROL_VERB_groups));
	cli_note_daemon_down(c);
	walk_u32_map(c->maps.nh_groups, &v, group_one, &x);
	if (c->json)
		cli_print_json(x.out);
out:
	json_object_put(x.out);
	json_object_put(x.zids);
	return err;
}

static void neigh_one(const struct xr_neigh_key *k, const struct xr_neigh *n,
		      void *arg)
{
	struct nh_ctx *x = arg;
	struct xr_addr a = {.family = k->family};
	char ifn[16], s[INET6_ADDRSTRLEN], mac[18];

	memcpy(a.bytes, k->addr, 16);
	if (x->c->json) {
		struct json_object *o = json_object_new_object();

		xr_jadd_str(o, "interfaceName", cli_ifname(k->ifindex, ifn));
		xr_jadd_u64(o, "interfaceIndex", k->ifindex);
		xr_jadd_str(o, "afi", k->family == AF_INET ? "ipv4" : "ipv6");
		xr_jadd(o, "ip", xr_jaddr(&a));
		xr_jadd(o, "mac", xr_jmac(n->mac));
		json_object_array_add(x->out, o);
		return;
	}
	printf("%-10s %-40s %s\n", cli_ifname(k->ifindex, ifn),
	       xr_addr_str(&a, s, sizeof(s)), xr_mac_str(n->mac, mac, 18));
}

int cmd_neighbours(struct cli *c, int argc, char **argv)
{
	struct nh_ctx x = {.c = c, .out = json_object_new_array()};
	struct json_object *o = json_object_new_object();
	int err = begin(c, argc, argv, "neighbours");

	if (err)
		goto out;
	if (!c->json)
		printf("%-10s %-40s %s\n", "DEV", "ADDRESS", "MAC");
	walk_neighbours(&c->maps, neigh_one, &x);
	if (c->json) {
		json_object_object_add(o, "neighbours", json_object_get(x.out));
		cli_print_json(o);
	}
out:
	json_object_put(o);
	json_object_put(x.out);
	return err;
}

static void iface_one(uint32_t ifindex, const void *value, void *arg)
{
	const struct xr_iface *i = value;
	struct nh_ctx *x = arg;
	const char *mode;
	uint32_t prog = cli_xdp_attached(ifindex, &mode);
	char ifn[16], mac[18];

	cli_ifname(ifindex, ifn);
	if (x->c->json) {
		struct json_object *o = json_object_new_object();

		xr_jadd_u64(o, "ifindex", ifindex);
		xr_jadd(o, "mac", xr_jmac(i->mac));
		xr_jadd_u64(o, "mtu", i->mtu);
		xr_jadd_u64(o, "vrf", ntohl(i->vrf));
		xr_jadd_bool(o, "up", i->flags & XR_IF_F_UP);
		xr_jadd_bool(o, "ingress", i->flags & XR_IF_F_INGRESS);
		xr_jadd_bool(o, "txCapable", i->flags & XR_IF_F_TX);
		/* an 802.1Q sub-interface, routed by its parent's program */
		if (i->vlan_tci)
			xr_jadd_u64(o, "vlanId",
				    ntohs(i->vlan_tci) & XR_VLAN_VID_MASK);
		xr_jadd_str(o, "xdpMode", mode);
		xr_jadd_u64(o, "programId", prog);
		json_object_object_add(x->out, ifn, o);
		return;
	}
	printf("%-10s %-7u %-17s %-6u %-4u %-4s %-7s %-3s %-8s %u\n", ifn,
	       ifindex, xr_mac_str(i->mac, mac, sizeof(mac)), i->mtu,
	       ntohl(i->vrf), i->flags & XR_IF_F_UP ? "up" : "down",
	       i->flags & XR_IF_F_INGRESS ? "yes" : "no",
	       i->flags & XR_IF_F_TX ? "yes" : "no", mode, prog);
}

int cmd_interfaces(struct cli *c, int argc, char **argv)
{
	struct nh_ctx x = {.c = c, .out = json_object_new_object()};
	struct xr_iface v;
	int err = begin(c, argc, argv, "interfaces");

	if (err)
		goto out;
	if (!c->json)
		printf("%-10s %-7s %-17s %-6s %-4s %-4s %-7s %-3s %-8s %s\n",
		       "DEV", "IFINDEX", "MAC", "MTU", "VRF", "LINK", "INGRESS",
		       "TX", "XDP", "PROG");
	walk_u32_map(c->maps.ifaces, &v, iface_one, &x);
	if (c->json)
		cli_print_json(x.out);
out:
	json_object_put(x.out);
	return err;
}
