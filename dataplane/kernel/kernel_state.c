// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <linux/neighbour.h>
#include <netlink/netlink.h>
#include <netlink/cache.h>
#include <netlink/route/link.h>
#include <netlink/route/link/vlan.h>
#include <netlink/route/link/vrf.h>
#include <netlink/route/addr.h>
#include <netlink/route/neighbour.h>

#include "addr_class.h"
#include "util/hashtab.h"
#include "kernel/kernel_state.h"
#include "util/log.h"

struct tracked {
	struct xr_neigh_key key; /* first: the hash key */
	int refs;
};

struct kstate {
	struct nl_cache_mngr *mngr;
	struct nl_cache *links, *addrs, *neighs;
	struct nl_sock *sync_sk; /* for dumps after an overrun */
	struct nl_sock *req_sk;	 /* for requests that wait for an ack */
	struct hashtab tracked;	 /* gateways kept managed */
	struct event *ev;
	kstate_link_fn on_link;
	void *arg;
	kstate_event_fn on_event; /* NULL until kstate_follow() */
	void *event_arg;
};

static uint32_t link_vrf(struct kstate *ks, struct rtnl_link *link)
{
	int master = rtnl_link_get_master(link);
	struct rtnl_link *m;
	uint32_t table = 0;

	if (!master)
		return 0;
	m = rtnl_link_get(ks->links, master);
	if (m && rtnl_link_is_vrf(m) && rtnl_link_vrf_get_tableid(m, &table))
		table = 0;
	if (m)
		rtnl_link_put(m);
	return table;
}

static int addr_on(struct nl_object *obj, void *ifindex)
{
	return rtnl_addr_get_ifindex((struct rtnl_addr *)obj) ==
	       *(int *)ifindex;
}

static bool link_has_addr(struct kstate *ks, int ifindex)
{
	bool found = false;

	for (struct nl_object *o = nl_cache_get_first(ks->addrs); o;
	     o = nl_cache_get_next(o))
		if (addr_on(o, &ifindex)) {
			struct nl_addr *a =
				rtnl_addr_get_local((struct rtnl_addr *)o);
			const uint8_t *b = nl_addr_get_binary_addr(a);

			/* An IPv6 link-local address alone does not make
			 * a routed interface. */
			if (rtnl_addr_get_family((struct rtnl_addr *)o) ==
				    AF_INET6 &&
			    ipv6_is_linklocal((const struct in6_addr *)b))
				continue;
			found = true;
			break;
		}
	return found;
}

static void vlan_view(struct rtnl_link *link, struct kstate_vlan *v)
{
	uint32_t *ingress = rtnl_link_vlan_get_ingress_map(link);
	int32_t netnsid;
	int n_egress = 0;

	v->is_vlan = rtnl_link_is_vlan(link);
	if (!v->is_vlan)
		return;
	v->id = rtnl_link_vlan_get_id(link);
	/* libnl keeps IFLA_VLAN_PROTOCOL as the kernel sends it, big-endian */
	v->protocol = ntohs((uint16_t)rtnl_link_vlan_get_protocol(link));
	v->flags = rtnl_link_vlan_get_flags(link);
	v->parent = rtnl_link_get_link(link);
	v->parent_other_netns = !rtnl_link_get_link_netnsid(link, &netnsid);
	for (int i = 0; ingress && i <= VLAN_PRIO_MAX; i++)
		if (ingress[i])
			v->qos_maps = true;
	if (rtnl_link_vlan_get_egress_map(link, &n_egress) && n_egress > 0)
		v->qos_maps = true;
}

static void link_view(struct kstate *ks, struct rtnl_link *link,
		      struct kstate_link *l)
{
	struct nl_addr *mac = rtnl_link_get_addr(link);
	unsigned int flags = rtnl_link_get_flags(link);

	memset(l, 0, sizeof(*l));
	l->ifindex = rtnl_link_get_ifindex(link);
	l->name = rtnl_link_get_name(link);
	if (mac && nl_addr_get_len(mac) == 6)
		memcpy(l->mac, nl_addr_get_binary_addr(mac), 6);
	l->mtu = rtnl_link_get_mtu(link);
	l->up = (flags & IFF_UP) && (flags & IFF_RUNNING);
	l->loopback = flags & IFF_LOOPBACK;
	l->has_addr = link_has_addr(ks, l->ifindex);
	l->vrf = link_vrf(ks, link);
	vlan_view(link, &l->vlan);
}

static void addr_apply(struct kstate *ks, struct rtnl_addr *a, bool add)
{
	struct nl_addr *local = rtnl_addr_get_local(a);
	struct kstate_event ev = {
		.type = add ? KSTATE_ADDR_ADD : KSTATE_ADDR_DEL,
		.ifindex = rtnl_addr_get_ifindex(a),
		.family = rtnl_addr_get_family(a),
		.prefixlen = rtnl_addr_get_prefixlen(a),
	};
	struct rtnl_link *link;

	if (!ks->on_event || !local ||
	    (ev.family != AF_INET && ev.family != AF_INET6) ||
	    nl_addr_get_len(local) > 16)
		return;
	memcpy(ev.addr, nl_addr_get_binary_addr(local), nl_addr_get_len(local));
	link = rtnl_link_get(ks->links, ev.ifindex);
	if (link) {
		ev.vrf = link_vrf(ks, link);
		rtnl_link_put(link);
	}
	ks->on_event(ks->event_arg, &ev);
}

static void neigh_apply(struct kstate *ks, struct rtnl_neigh *n)
{
	struct nl_addr *dst = rtnl_neigh_get_dst(n);
	struct kstate_event ev = {
		.type = KSTATE_NEIGH,
		.ifindex = rtnl_neigh_get_ifindex(n),
		.family = rtnl_neigh_get_family(n),
	};

	if (!ks->on_event || !dst ||
	    (ev.family != AF_INET && ev.family != AF_INET6) ||
	    nl_addr_get_len(dst) > 16)
		return;
	memcpy(ev.addr, nl_addr_get_binary_addr(dst), nl_addr_get_len(dst));
	ks->on_event(ks->event_arg, &ev);
}

static void link_apply(struct kstate *ks, struct rtnl_link *link, bool gone)
{
	struct kstate_link l;

	link_view(ks, link, &l);
	if (ks->on_link)
		ks->on_link(ks->arg, &l, gone);
}

static void on_change(struct nl_cache *cache, struct nl_object *obj, int action,
		      void *arg)
{
	struct kstate *ks = arg;
	bool gone = action == NL_ACT_DEL;

	if (cache == ks->links) {
		link_apply(ks, (struct rtnl_link *)obj, gone);
	} else if (cache == ks->addrs) {
		if (action == NL_ACT_NEW || gone)
			addr_apply(ks, (struct rtnl_addr *)obj, !gone);
		/* An interface with its first address becomes routed. */
		struct rtnl_link *link = rtnl_link_get(
			ks->links,
			rtnl_addr_get_ifindex((struct rtnl_addr *)obj));
		if (link) {
			link_apply(ks, link, false);
			rtnl_link_put(link);
		}
	} else if (cache == ks->neighs) {
		neigh_apply(ks, (struct rtnl_neigh *)obj);
	}
}

static void on_readable(evutil_socket_t fd, short what, void *arg)
{
	struct kstate *ks = arg;
	int err;

	(void)fd;
	(void)what;
	err = nl_cache_mngr_data_ready(ks->mngr);
	if (err < 0)
		/* An overrun loses events: resynchronise from a dump. */
		xr_warn("kernel netlink: %s; resynchronising",
			nl_geterror(err));
	if (err < 0 && ks->sync_sk) {
		/* resync reports every difference through on_change */
		nl_cache_resync(ks->sync_sk, ks->links, on_change, ks);
		nl_cache_resync(ks->sync_sk, ks->addrs, on_change, ks);
		nl_cache_resync(ks->sync_sk, ks->neighs, on_change, ks);
	}
}

int kstate_new(struct kstate **out, struct event_base *base,
	       kstate_link_fn on_link, void *arg)
{
	struct kstate *ks = calloc(1, sizeof(*ks));
	int err;

	if (!ks)
		return -ENOMEM;
	ks->on_link = on_link;
	ks->arg = arg;
	err = nl_cache_mngr_alloc(NULL, NETLINK_ROUTE, NL_AUTO_PROVIDE,
				  &ks->mngr);
	if (!err)
		err = nl_cache_mngr_add(ks->mngr, "route/link", on_change, ks,
					&ks->links);
	if (!err)
		err = nl_cache_mngr_add(ks->mngr, "route/addr", on_change, ks,
					&ks->addrs);
	if (!err)
		err = nl_cache_mngr_add(ks->mngr, "route/neigh", on_change, ks,
					&ks->neighs);
	if (err) {
		xr_err("kernel netlink: %s", nl_geterror(err));
		kstate_free(ks);
		return -EIO;
	}
	ks->sync_sk = nl_socket_alloc();
	if (ks->sync_sk && nl_connect(ks->sync_sk, NETLINK_ROUTE)) {
		nl_socket_free(ks->sync_sk);
		ks->sync_sk = NULL;
	}
	ks->req_sk = nl_socket_alloc();
	if (ks->req_sk && nl_connect(ks->req_sk, NETLINK_ROUTE)) {
		nl_socket_free(ks->req_sk);
		ks->req_sk = NULL;
	}
	if (hashtab_init(&ks->tracked, sizeof(struct xr_neigh_key))) {
		kstate_free(ks);
		return -ENOMEM;
	}
	ks->ev = event_new(base, nl_cache_mngr_get_fd(ks->mngr),
			   EV_READ | EV_PERSIST, on_readable, ks);
	if (!ks->ev || event_add(ks->ev, NULL)) {
		kstate_free(ks);
		return -ENOMEM;
	}
	*out = ks;
	return 0;
}

static void replay_addr(struct nl_object *o, void *arg)
{
	addr_apply(arg, (struct rtnl_addr *)o, true);
}

static void replay_neigh(struct nl_object *o, void *arg)
{
	neigh_apply(arg, (struct rtnl_neigh *)o);
}

void kstate_follow(struct kstate *ks, kstate_event_fn fn, void *arg)
{
	ks->on_event = fn;
	ks->event_arg = arg;
	nl_cache_foreach(ks->addrs, replay_addr, ks);
	nl_cache_foreach(ks->neighs, replay_neigh, ks);
}

struct foreach_ctx {
	struct kstate *ks;
	kstate_link_fn fn;
	void *arg;
};

static void foreach_link(struct nl_object *o, void *arg)
{
	struct foreach_ctx *c = arg;
	struct kstate_link l;

	link_view(c->ks, (struct rtnl_link *)o, &l);
	c->fn(c->arg, &l, false);
}

void kstate_foreach_link(struct kstate *ks, kstate_link_fn fn, void *arg)
{
	struct foreach_ctx c = {ks, fn, arg};

	nl_cache_foreach(ks->links, foreach_link, &c);
}

bool kstate_neigh_mac(void *arg, uint32_t ifindex, uint8_t family,
		      const uint8_t *addr, uint8_t mac[6])
{
	struct kstate *ks = arg;
	struct nl_addr *dst;
	struct rtnl_neigh *n;
	struct nl_addr *ll;
	bool ok = false;
	int state;

	dst = nl_addr_build(family, addr, family == AF_INET ? 4 : 16);
	if (!dst)
		return false;
	n = rtnl_neigh_get(ks->neighs, ifindex, dst);
	nl_addr_put(dst);
	if (!n)
		return false;
	state = rtnl_neigh_get_state(n);
	ll = rtnl_neigh_get_lladdr(n);
	/* STALE and DELAY entries are still the kernel's answer: it sends
	 * to them too while it re-confirms. */
	if ((state & (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE |
		      NUD_PERMANENT)) &&
	    ll && nl_addr_get_len(ll) == 6) {
		memcpy(mac, nl_addr_get_binary_addr(ll), 6);
		ok = true;
	}
	rtnl_neigh_put(n);
	return ok;
}

void kstate_free(struct kstate *ks)
{
	if (!ks)
		return;
	if (ks->ev)
		event_free(ks->ev);
	if (ks->mngr)
		nl_cache_mngr_free(ks->mngr);
	if (ks->sync_sk)
		nl_socket_free(ks->sync_sk);
	if (ks->req_sk)
		nl_socket_free(ks->req_sk);
	if (ks->tracked.slots) {
		struct tracked *t;
		size_t i;

		hashtab_for_each(&ks->tracked, i, t) free(t);
		hashtab_free(&ks->tracked);
	}
	free(ks);
}

/* RTM_NEWNEIGH as `ip neigh replace ADDR dev IF [managed]` sends it: state
 * NUD_NONE keeps a resolved entry as it is and starts resolving a new one. */
static int neigh_set_managed(struct kstate *ks, uint32_t ifindex,
			     uint8_t family, const uint8_t *addr, bool managed)
{
	struct ndmsg ndm = {
		.ndm_family = family,
		.ndm_ifindex = ifindex,
		.ndm_state = NUD_NONE,
	};
	struct nl_msg *msg;
	int err;

	if (!ks->req_sk)
		return -ENOTCONN;
	msg = nlmsg_alloc_simple(RTM_NEWNEIGH,
				 managed ? NLM_F_CREATE | NLM_F_REPLACE
					 : NLM_F_REPLACE);
	if (!msg)
		return -ENOMEM;
	if (nlmsg_append(msg, &ndm, sizeof(ndm), NLMSG_ALIGNTO) < 0 ||
	    nla_put(msg, NDA_DST, family == AF_INET ? 4 : 16, addr) < 0 ||
	    nla_put_u32(msg, NDA_FLAGS_EXT, managed ? NTF_EXT_MANAGED : 0) <
		    0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	err = nl_send_sync(ks->req_sk, msg);
	return err < 0 ? -EIO : 0;
}

void kstate_neigh_track(void *arg, uint32_t ifindex, uint8_t family,
			const uint8_t *addr, bool track)
{
	struct kstate *ks = arg;
	struct xr_neigh_key key = {.ifindex = ifindex, .family = family};
	struct tracked *t;

	memcpy(key.addr, addr, family == AF_INET ? 4 : 16);
	t = hashtab_find(&ks->tracked, &key);
	if (track) {
		if (t) {
			t->refs++;
			return;
		}
		t = calloc(1, sizeof(*t));
		if (!t)
			return;
		t->key = key;
		t->refs = 1;
		if (hashtab_insert(&ks->tracked, t)) {
			free(t);
			return;
		}
		if (neigh_set_managed(ks, ifindex, family, addr, true))
			xr_info("cannot mark a gateway neighbour managed on "
				"ifindex %u: the kernel resolves it on the "
				"first packet instead",
				ifindex);
		return;
	}
	if (!t || --t->refs > 0)
		return;
	hashtab_remove(&ks->tracked, &key);
	free(t);
	neigh_set_managed(ks, ifindex, family, addr, false);
}
