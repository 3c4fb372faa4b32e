// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>

#include "util/hashtab.h"
#include "util/log.h"
#include "kernel/plan.h"
#include "kernel/ports.h"
#include "kernel/xdp_features.h"

struct port {
	uint32_t ifindex; /* first: the hash key */
	char name[16];
	bool attached;
	bool written;
	enum xr_xdp_mode mode;
	char not_attached[96]; /* why not, when wanted and not attached */
	struct xr_iface value; /* as written */
	/* An 802.1Q sub-interface (vlan_links.h): never attached, routed by
	 * its parent's program when the parent is ours. */
	bool is_vlan;
	bool vlan_wanted; /* as a port would be: it makes its parent wanted */
	struct kstate_vlan vlan;
	struct vlan_sub sub;
};

struct ports {
	struct xr_loader *loader;
	const struct xr_maps *maps;
	struct ports_opts opts;
	struct hashtab tab;
	bool (*is_egress)(void *arg, uint32_t ifindex);
	void *egress_arg;
	const struct plan *plan;
	bool replay; /* a wanted VLAN waits for its parent's link event */
};

void ports_set_plan(struct ports *p, const struct plan *plan)
{
	p->plan = plan;
}

void ports_set_egress_check(struct ports *p,
			    bool (*is_egress)(void *arg, uint32_t ifindex),
			    void *arg)
{
	p->is_egress = is_egress;
	p->egress_arg = arg;
}

int ports_parse_list(struct ports_opts *o, const char *spec)
{
	char buf[1024], *save = NULL;

	o->all = !strcmp(spec, "auto");
	o->n_names = 0;
	if (o->all)
		return 0;
	if (strlen(spec) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, spec);
	for (char *t = strtok_r(buf, ", ", &save); t;
	     t = strtok_r(NULL, ", ", &save)) {
		if (o->n_names == XR_PORTS_MAX_NAMES || strlen(t) >= 16)
			return -EINVAL;
		strcpy(o->names[o->n_names++], t);
	}
	return o->n_names ? 0 : -EINVAL;
}

struct ports *ports_new(struct xr_loader *loader, const struct ports_opts *opts)
{
	struct ports *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->loader = loader;
	p->maps = xr_loader_maps(loader);
	p->opts = *opts;
	if (hashtab_init(&p->tab, sizeof(uint32_t))) {
		free(p);
		return NULL;
	}
	return p;
}

void ports_free(struct ports *p)
{
	struct port *e;
	size_t i;

	if (!p)
		return;
	hashtab_for_each(&p->tab, i, e) free(e);
	hashtab_free(&p->tab);
	free(p);
}

static bool wanted_itself(const struct ports *p, const struct kstate_link *l)
{
	for (int i = 0; i < p->opts.n_names; i++)
		if (!strcmp(p->opts.names[i], l->name))
			return true;
	return p->opts.all && !l->loopback &&
	       (l->has_addr ||
		(p->is_egress && p->is_egress(p->egress_arg, l->ifindex)));
}

/* A trunk is attached for its VLANs, whether or not it routes itself. */
static bool wanted(const struct ports *p, const struct kstate_link *l)
{
	struct port *pt;
	size_t i;

	if (wanted_itself(p, l))
		return true;
	hashtab_for_each(&p->tab, i, pt)
	{
		if (pt->is_vlan && pt->vlan_wanted &&
		    pt->vlan.parent == l->ifindex)
			return true;
	}
	return false;
}

static bool can_transmit(const struct port *pt)
{
	uint64_t f = 0;

	return !xr_xdp_features_get(pt->ifindex, &f) &&
	       (f & XR_XDP_ACT_NDO_XMIT);
}

/* The map layer keeps the order that never lets the fast path redirect
 * into a port missing from tx_ports (maps.h). */
static void port_write(struct ports *p, struct port *pt, struct xr_iface v)
{
	bool tx = v.flags & XR_IF_F_TX;
	int err;

	if (pt->written && !memcmp(&v, &pt->value, sizeof(v)))
		return;
	err = xr_iface_set(p->maps, pt->ifindex, &v);
	if (err && tx && errno != ERANGE && errno != ENOSPC) {
		xr_warn("%s: cannot add to tx_ports: %s; its traffic stays "
			"with the kernel",
			pt->name, strerror(errno));
		v.flags &= ~XR_IF_F_TX;
		tx = false;
		err = xr_iface_set(p->maps, pt->ifindex, &v);
	}
	if (err) {
		if (errno == ERANGE)
			xr_err("%s: ifindex %u is beyond the fast path's "
			       "table (%u): its traffic stays with the kernel",
			       pt->name, pt->ifindex, XR_IFINDEX_MAX);
		else
			xr_err("%s: cannot write ifaces: %s", pt->name,
			       strerror(errno));
		return;
	}
	if (pt->written &&
	    (v.flags & XR_IF_F_TX) != (pt->value.flags & XR_IF_F_TX))
		xr_notice("%s: %s XDP transmit", pt->name,
			  tx ? "can" : "can no longer");
	pt->value = v;
	pt->written = true;
}

static void port_update(struct ports *p, struct port *pt,
			const struct kstate_link *l)
{
	struct xr_iface v = {0};

	memcpy(v.mac, l->mac, 6);
	v.mtu = l->mtu;
	v.vrf = htonl(l->vrf);
	if (pt->attached)
		v.flags |= XR_IF_F_INGRESS;
	if (l->up)
		v.flags |= XR_IF_F_UP;
	if (pt->attached && l->up && can_transmit(pt))
		v.flags |= XR_IF_F_TX;
	v.flags |= plan_flags(p->plan, pt->ifindex);
	port_write(p, pt, v);
}

/*
 * A VLAN's entries: its row first, then vlan_rx naming it; withdrawn in the
 * other order, so a tagged frame never finds a sub-interface without a row.
 * Only for a VLAN the fast path can take (vlan_refusal) on a parent that
 * is one of our attached ports; any other VLAN's frames punt as unknown.
 */
static void vlan_withdraw(struct ports *p, struct port *pt)
{
	if (!pt->written)
		return;
	xr_vlan_del(p->maps, pt->vlan.parent, pt->vlan.id);
	xr_iface_del(p->maps, pt->ifindex);
	pt->written = false;
}

static void vlan_apply(struct ports *p, struct port *pt)
{
	struct port *parent = hashtab_find(&p->tab, &pt->vlan.parent);
	const char *why = vlan_refusal(&pt->vlan);
	struct xr_iface v;

	if (!why && (!parent || parent->is_vlan || !parent->attached ||
		     !parent->written))
		why = "its parent is not an XDP port of ours";
	if (why) {
		vlan_withdraw(p, pt);
		if (pt->vlan_wanted && strcmp(why, pt->not_attached))
			xr_notice("%s: VLAN %u stays with the kernel: %s",
				  pt->name, pt->vlan.id, why);
		snprintf(pt->not_attached, sizeof(pt->not_attached), "%s", why);
		return;
	}
	vlan_row(&pt->vlan, &pt->sub, plan_flags(p->plan, pt->ifindex),
		 &parent->value, &v);
	if (pt->written && !memcmp(&v, &pt->value, sizeof(v)))
		return;
	if (xr_iface_set_via(p->maps, pt->ifindex, &v, parent->ifindex) ||
	    xr_vlan_set(p->maps, parent->ifindex, pt->vlan.id, pt->ifindex)) {
		xr_err("%s: cannot write VLAN %u: %s; it stays with the kernel",
		       pt->name, pt->vlan.id, strerror(errno));
		pt->written = true; /* whatever was written goes */
		vlan_withdraw(p, pt);
		return;
	}
	if (!pt->written)
		xr_notice("%s: VLAN %u on %s in the fast path", pt->name,
			  pt->vlan.id, parent->name);
	pt->not_attached[0] = 0;
	pt->value = v;
	pt->written = true;
}

/* After any port changed: its VLANs follow its row. */
static void vlans_apply(struct ports *p)
{
	struct port *pt;
	size_t i;

	hashtab_for_each(&p->tab, i, pt)
	{
		if (pt->is_vlan)
			vlan_apply(p, pt);
	}
}

static void vlan_link_event(struct ports *p, struct port *pt,
			    const struct kstate_link *l)
{
	/* A VLAN keeps its parent and VID for life; entries made under
	 * other ones are withdrawn all the same. */
	if (pt->written &&
	    (pt->vlan.parent != l->vlan.parent || pt->vlan.id != l->vlan.id))
		vlan_withdraw(p, pt);
	pt->is_vlan = true;
	pt->vlan = l->vlan;
	pt->vlan_wanted = wanted_itself(p, l);
	memcpy(pt->sub.mac, l->mac, 6);
	pt->sub.mtu = l->mtu;
	pt->sub.up = l->up;
	pt->sub.vrf = l->vrf;
	if (pt->vlan_wanted && !vlan_refusal(&pt->vlan) &&
	    !hashtab_find(&p->tab, &pt->vlan.parent))
		p->replay = true;
	vlan_apply(p, pt);
}

bool ports_want_replay(struct ports *p)
{
	bool r = p->replay;

	p->replay = false;
	return r;
}

void ports_replan(void *arg)
{
	struct ports *p = arg;
	struct port *pt;
	size_t i;

	hashtab_for_each(&p->tab, i, pt)
	{
		struct xr_iface v = pt->value;

		if (!pt->written)
			continue;
		if (pt->is_vlan)
			continue;
		v.flags &= ~XR_IF_PLAN_MASK;
		v.flags |= plan_flags(p->plan, pt->ifindex);
		port_write(p, pt, v);
	}
	vlans_apply(p);
}

static void port_remove(struct ports *p, struct port *pt)
{
	bool was_port = !pt->is_vlan;
	struct port *c;
	size_t i;

	/* its VLANs first: none may redirect to a parent that went */
	hashtab_for_each(&p->tab, i, c)
	{
		if (c->is_vlan && (c == pt || c->vlan.parent == pt->ifindex))
			vlan_withdraw(p, c);
	}
	if (was_port)
		xr_iface_del(p->maps, pt->ifindex);
	hashtab_remove(&p->tab, &pt->ifindex);
	if (pt->written || pt->attached)
		xr_notice("%s: gone", pt->name);
	free(pt);
	if (was_port)
		vlans_apply(p);
}

/* An interface with a program of someone else's is left alone, said once
 * (and again if the program changes); tried again on later link events. */
static void port_attach(struct ports *p, struct port *pt)
{
	char why[sizeof(pt->not_attached)];
	int err;

	if (xr_loader_foreign(pt->ifindex, why, sizeof(why))) {
		if (strcmp(why, pt->not_attached))
			xr_warn("%s: not attached: %s; its traffic stays with "
				"the kernel and that program",
				pt->name, why);
		snprintf(pt->not_attached, sizeof(pt->not_attached), "%s", why);
		return;
	}
	err = xr_loader_attach(p->loader, pt->ifindex, p->opts.mode, &pt->mode);
	pt->attached = !err;
	if (pt->attached) {
		pt->not_attached[0] = 0;
		xr_notice("%s: attached (%s XDP)", pt->name,
			  xr_loader_mode_name(pt->mode));
	} else {
		snprintf(pt->not_attached, sizeof(pt->not_attached),
			 "attach failed: %s", strerror(-err));
	}
}

void ports_link_event(void *arg, const struct kstate_link *l, bool gone)
{
	struct ports *p = arg;
	struct port *pt = hashtab_find(&p->tab, &l->ifindex);

	if (gone) {
		if (pt)
			port_remove(p, pt);
		return;
	}
	if (!pt) {
		/* every VLAN is followed: it may make its parent wanted */
		if (!l->vlan.is_vlan && !wanted(p, l))
			return;
		pt = calloc(1, sizeof(*pt));
		if (!pt)
			return;
		pt->ifindex = l->ifindex;
		if (hashtab_insert(&p->tab, pt)) {
			free(pt);
			return;
		}
	}
	snprintf(pt->name, sizeof(pt->name), "%s", l->name);
	if (l->vlan.is_vlan) {
		vlan_link_event(p, pt, l);
		return;
	}
	if (!pt->attached && wanted(p, l))
		port_attach(p, pt);
	port_update(p, pt, l);
	vlans_apply(p);
}

void ports_refresh(struct ports *p)
{
	struct port *pt;
	size_t i;

	hashtab_for_each(&p->tab, i, pt)
	{
		struct xr_iface v = pt->value;

		if (!pt->written || !pt->attached || !(v.flags & XR_IF_F_UP))
			continue;
		v.flags &= ~XR_IF_F_TX;
		if (can_transmit(pt))
			v.flags |= XR_IF_F_TX;
		port_write(p, pt, v);
	}
	vlans_apply(p);
}

void ports_detach_all(struct ports *p)
{
	struct port *pt;
	size_t i;

	hashtab_for_each(&p->tab, i, pt) if (pt->attached)
	{
		xr_loader_detach(p->loader, pt->ifindex);
		pt->attached = false;
	}
}

/* vlan_rx entries no written VLAN of ours made (a previous run's). */
static void ports_sweep_vlans(struct ports *p)
{
	struct xr_vlan_key key, next, dead[XR_VLAN_MAX];
	int n = 0, more;
	uint32_t sub;

	for (more = !bpf_map_get_next_key(p->maps->vlan_rx, NULL, &next); more;
	     more = !bpf_map_get_next_key(p->maps->vlan_rx, &key, &next)) {
		struct port *pt;

		key = next;
		if (bpf_map_lookup_elem(p->maps->vlan_rx, &key, &sub))
			continue;
		pt = hashtab_find(&p->tab, &sub);
		if ((!pt || !pt->is_vlan || !pt->written ||
		     pt->vlan.parent != key.parent_ifindex ||
		     pt->vlan.id != key.vid) &&
		    n < XR_VLAN_MAX)
			dead[n++] = key;
	}
	for (int i = 0; i < n; i++)
		xr_vlan_del(p->maps, dead[i].parent_ifindex, dead[i].vid);
}

void ports_sweep_orphans(struct ports *p)
{
	uint32_t key, next, dead[XR_IFACE_MAX];
	int n = 0, more;

	for (more = !bpf_map_get_next_key(p->maps->ifaces, NULL, &next); more;
	     more = !bpf_map_get_next_key(p->maps->ifaces, &key, &next)) {
		struct port *pt;

		key = next;
		pt = hashtab_find(&p->tab, &key);
		/* a VLAN the fast path does not take has no row either */
		if ((!pt || (pt->is_vlan && !pt->written)) && n < XR_IFACE_MAX)
			dead[n++] = key;
	}
	for (int i = 0; i < n; i++)
		xr_iface_del(p->maps, dead[i]);
	ports_sweep_vlans(p);
}

void ports_foreach(const struct ports *p,
		   void (*fn)(const struct ports_view *v, void *arg), void *arg)
{
	struct port *pt;
	size_t i;

	hashtab_for_each(&p->tab, i, pt)
	{
		struct ports_view v = {
			.ifindex = pt->ifindex,
			.name = pt->name,
			.attached = pt->attached,
			.mode = pt->mode,
			.not_attached =
				pt->not_attached[0] ? pt->not_attached : NULL,
			.value = pt->value,
		};

		fn(&v, arg);
	}
}
