// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "maps/fib_read.h"
#include "maps/map_rows.h"
#include "maps/maps.h"

static uint32_t map_max_entries(int fd)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.max_entries;
}

static int fib_kind(int tbl24_fd)
{
	return map_max_entries(tbl24_fd) == XR_DIR24_CHUNKS ? XR_FIB_DIR24
							    : XR_FIB_LPM;
}

static int fib6_kind(int root_fd)
{
	return map_max_entries(root_fd) == XR_MBT_ROOT_CHUNKS ? XR_FIB6_MBT
							      : XR_FIB6_LPM;
}

void xr_maps_init(struct xr_maps *m)
{
#define XR_MAP_INIT(name) m->name = -1;
	XR_MAP_NAMES(XR_MAP_INIT)
#undef XR_MAP_INIT
	m->fib = XR_FIB_LPM;
	m->fib6 = XR_FIB6_LPM;
}

int xr_maps_open_pinned(struct xr_maps *m, const char *pin_dir)
{
	char path[512];
	int err;

	xr_maps_init(m);
#define XR_MAP_OPEN(name)                                      \
	snprintf(path, sizeof(path), "%s/%s", pin_dir, #name); \
	m->name = bpf_obj_get(path);                           \
	if (m->name < 0) {                                     \
		err = -errno;                                  \
		xr_maps_close(m);                              \
		return err;                                    \
	}
	XR_MAP_NAMES(XR_MAP_OPEN)
#undef XR_MAP_OPEN
	m->fib = fib_kind(m->fib4_tbl24);
	m->fib6 = fib6_kind(m->fib6_root);
	return 0;
}

static void *map_mmap(int fd, size_t *len, int prot)
{
	struct bpf_map_info info = {};
	__u32 ilen = sizeof(info);
	void *p;

	if (bpf_obj_get_info_by_fd(fd, &info, &ilen))
		return NULL;
	/* the kernel lays array elements out 8 bytes apart at least */
	*len = (size_t)((info.value_size + 7) & ~7U) * info.max_entries;
	p = mmap(NULL, *len, prot, MAP_SHARED, fd, 0);
	return p == MAP_FAILED ? NULL : p;
}

void *xr_map_mmap(int fd, size_t *len)
{
	return map_mmap(fd, len, PROT_READ | PROT_WRITE);
}

void *xr_map_mmap_read(int fd, size_t *len)
{
	return map_mmap(fd, len, PROT_READ);
}

void xr_maps_close(struct xr_maps *m)
{
#define XR_MAP_CLOSE(name)      \
	if (m->name >= 0)       \
		close(m->name); \
	m->name = -1;
	XR_MAP_NAMES(XR_MAP_CLOSE)
#undef XR_MAP_CLOSE
}

/* bpf_map_* return -1/errno on old libbpf and -errno on new: normalise. */
static int ret_errno(int ret)
{
	return ret < 0 ? -errno : 0;
}

/* A -errno of our own, left in errno too, as the bpf calls do. */
static int set_errno(int err)
{
	if (err)
		errno = -err;
	return err;
}

static int route_key(uint32_t vrf, const struct xr_prefix *p, void *key,
		     int *fd, const struct xr_maps *m)
{
	if (p->addr.family == AF_INET) {
		struct xr_lpm_v4_key *k = key;

		if (p->len > 32)
			return -EINVAL;
		memset(k, 0, sizeof(*k));
		k->prefixlen = XR_LPM_VRF_BITS + p->len;
		k->vrf = htonl(vrf);
		memcpy(k->addr, p->addr.bytes, 4);
		*fd = m->route_v4;
		return 0;
	}
	if (p->addr.family == AF_INET6) {
		struct xr_lpm_v6_key *k = key;

		if (p->len > 128)
			return -EINVAL;
		memset(k, 0, sizeof(*k));
		k->prefixlen = XR_LPM_VRF_BITS + p->len;
		k->vrf = htonl(vrf);
		memcpy(k->addr, p->addr.bytes, 16);
		*fd = m->route_v6;
		return 0;
	}
	return -EAFNOSUPPORT;
}

int xr_route_set(const struct xr_maps *m, uint32_t vrf,
		 const struct xr_prefix *p, const struct xr_route *r)
{
	struct xr_lpm_v6_key key;
	int fd, err;

	err = route_key(vrf, p, &key, &fd, m);
	if (err)
		return err;
	return ret_errno(bpf_map_update_elem(fd, &key, r, BPF_ANY));
}

int xr_route_del(const struct xr_maps *m, uint32_t vrf,
		 const struct xr_prefix *p)
{
	struct xr_lpm_v6_key key;
	int fd, err;

	err = route_key(vrf, p, &key, &fd, m);
	if (err)
		return err;
	return ret_errno(bpf_map_delete_elem(fd, &key));
}

int xr_route_lookup(const struct xr_maps *m, uint32_t vrf,
		    const struct xr_addr *a, struct xr_route *r)
{
	struct xr_prefix p = {.addr = *a};
	struct xr_lpm_v6_key key;
	int fd, err;

	p.len = a->family == AF_INET ? 32 : 128;
	if (a->family == AF_INET && vrf == 0 && m->fib == XR_FIB_DIR24)
		return xr_fib4_read_pinned(m, ntohl(*(uint32_t *)a->bytes), r);
	if (a->family == AF_INET6 && vrf == 0 && m->fib6 == XR_FIB6_MBT)
		return xr_fib6_read_pinned(m, a->bytes, r);
	err = route_key(vrf, &p, &key, &fd, m);
	if (err)
		return err;
	return ret_errno(bpf_map_lookup_elem(fd, &key, r));
}

/* The program's copies of ifaces, nexthops and groups (map_rows.h). */
static struct map_rows if_rows =
	MAP_ROWS_INIT(XR_IFINDEX_MAX, XR_IFACE_MAX, XR_IF_ROWS_PER_SLOT);
static struct map_rows nh_rows =
	MAP_ROWS_INIT(XR_NEXTHOP_MAX, XR_NEXTHOP_MAX, XR_NH_ROWS_PER_ID);
static struct map_rows grp_rows =
	MAP_ROWS_INIT(XR_GROUP_MAX, XR_GROUP_MAX, XR_GROUP_ROWS_PER_ID);

/* After a failed publish: what userspace reads goes back to what the
 * program sees. */
static void hash_undo(int fd, const void *key, bool had, const void *cur)
{
	if (had)
		bpf_map_update_elem(fd, key, cur, BPF_ANY);
	else
		bpf_map_delete_elem(fd, key);
}

/* A hash userspace reads and the program's copy of it, keyed by an id
 * that owns its rows; its values are nexthops or groups. */
struct keyed {
	int hash, index, rows;
	struct map_rows *t;
};

static int keyed_set(const struct keyed *k, uint32_t id, const void *v)
{
	union {
		struct xr_nexthop nh;
		struct xr_nh_group g;
	} cur;
	bool had;
	int err;

	if (!id || id >= k->t->owners)
		return set_errno(-ERANGE);
	had = !bpf_map_lookup_elem(k->hash, &id, &cur);
	err = ret_errno(bpf_map_update_elem(k->hash, &id, v, BPF_ANY));
	if (err)
		return err;
	err = map_rows_publish(k->t, k->index, k->rows, id, id, v);
	if (err)
		hash_undo(k->hash, &id, had, &cur);
	return set_errno(err);
}

static int keyed_del(const struct keyed *k, uint32_t id)
{
	int err = set_errno(map_rows_withdraw(k->t, k->index, id));

	if (err)
		return err;
	return ret_errno(bpf_map_delete_elem(k->hash, &id));
}

static struct keyed nexthops_of(const struct xr_maps *m)
{
	return (struct keyed){m->nexthops, m->nh_index, m->nh_rows, &nh_rows};
}

static struct keyed groups_of(const struct xr_maps *m)
{
	return (struct keyed){m->nh_groups, m->grp_index, m->grp_rows,
			      &grp_rows};
}

int xr_nexthop_set(const struct xr_maps *m, uint32_t id,
		   const struct xr_nexthop *nh)
{
	struct keyed k = nexthops_of(m);

	return keyed_set(&k, id, nh);
}

int xr_nexthop_del(const struct xr_maps *m, uint32_t id)
{
	struct keyed k = nexthops_of(m);

	return keyed_del(&k, id);
}

int xr_group_set(const struct xr_maps *m, uint32_t id,
		 const struct xr_nh_group *g)
{
	struct keyed k = groups_of(m);

	return keyed_set(&k, id, g);
}

int xr_group_del(const struct xr_maps *m, uint32_t id)
{
	struct keyed k = groups_of(m);

	return keyed_del(&k, id);
}

void xr_maps_rows_defer(void (*armed)(void *arg), void *arg)
{
	struct map_rows *ts[] = {&nh_rows, &grp_rows};

	for (size_t i = 0; i < sizeof(ts) / sizeof(ts[0]); i++) {
		ts[i]->defer = true;
		ts[i]->armed = armed;
		ts[i]->armed_arg = arg;
	}
}

static int keyed_fetch(void *arg, uint32_t id, void *v)
{
	const struct keyed *k = arg;

	return bpf_map_lookup_elem(k->hash, &id, v) ? -ENOENT : 0;
}

uint64_t xr_maps_rows_flush(const struct xr_maps *m)
{
	/* nexthops first: a group published names members that are */
	struct keyed ks[] = {nexthops_of(m), groups_of(m)};
	union {
		struct xr_nexthop nh;
		struct xr_nh_group g;
	} v;
	uint64_t next = 0, n;

	for (size_t i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
		n = map_rows_flush(ks[i].t, ks[i].index, ks[i].rows,
				   keyed_fetch, &ks[i], &v);
		if (n && (!next || n < next))
			next = n;
	}
	return next;
}

void xr_maps_rows_counters(struct xr_rows_counters *c)
{
	c->deferred = nh_rows.deferred + grp_rows.deferred;
	c->waiting = nh_rows.n_waiting + grp_rows.n_waiting;
}

static void neigh_key(uint32_t ifindex, const struct xr_addr *a,
		      struct xr_neigh_key *k)
{
	memset(k, 0, sizeof(*k));
	k->ifindex = ifindex;
	k->family = a->family;
	memcpy(k->addr, a->bytes, a->family == AF_INET ? 4 : 16);
}

int xr_neigh_set(const struct xr_maps *m, uint32_t ifindex,
		 const struct xr_addr *a, const uint8_t mac[6])
{
	struct xr_neigh_key k;
	struct xr_neigh n = {};

	neigh_key(ifindex, a, &k);
	memcpy(n.mac, mac, 6);
	return ret_errno(bpf_map_update_elem(m->neighbours, &k, &n, BPF_ANY));
}

int xr_neigh_del(const struct xr_maps *m, uint32_t ifindex,
		 const struct xr_addr *a)
{
	struct xr_neigh_key k;

	neigh_key(ifindex, a, &k);
	return ret_errno(bpf_map_delete_elem(m->neighbours, &k));
}

/* A row of if_counters no interface uses, zeroed; 0 (unattributed) when
 * all are taken. */
static uint32_t if_slot_new(const struct xr_maps *m)
{
	int ncpu = libbpf_num_possible_cpus();
	struct xr_if_counters zero[ncpu > 0 ? ncpu : 1];
	bool used[XR_IFACE_MAX] = {true}; /* 0 is never handed out */
	struct xr_iface v;
	uint32_t key, next, slot;

	for (int more = !bpf_map_get_next_key(m->ifaces, NULL, &next); more;
	     more = !bpf_map_get_next_key(m->ifaces, &key, &next)) {
		key = next;
		if (!bpf_map_lookup_elem(m->ifaces, &key, &v) &&
		    v.slot < XR_IFACE_MAX)
			used[v.slot] = true;
	}
	for (slot = 1; slot < XR_IFACE_MAX && used[slot]; slot++)
		;
	if (slot == XR_IFACE_MAX)
		return 0;
	memset(zero, 0, sizeof(zero));
	bpf_map_update_elem(m->if_counters, &slot, zero, BPF_ANY);
	return slot;
}

/* The devmap is indexed by slot: a packet names its egress by the slot it
 * read in the interface's row, an array index. */
static int tx_port_set(const struct xr_maps *m, uint32_t slot, uint32_t ifindex)
{
	struct bpf_devmap_val val = {.ifindex = ifindex};

	return ret_errno(
		bpf_map_update_elem(m->tx_ports, &slot, &val, BPF_ANY));
}

static void tx_port_clear(const struct xr_maps *m, uint32_t slot)
{
	bpf_map_delete_elem(m->tx_ports, &slot);
}

int xr_iface_set(const struct xr_maps *m, uint32_t ifindex,
		 const struct xr_iface *ifc)
{
	return xr_iface_set_via(m, ifindex, ifc, ifindex);
}

int xr_iface_set_via(const struct xr_maps *m, uint32_t ifindex,
		     const struct xr_iface *ifc, uint32_t tx_ifindex)
{
	struct xr_iface v = *ifc, cur;
	bool had, fresh, was_tx;
	int err;

	if (ifindex >= XR_IFINDEX_MAX)
		return set_errno(-ERANGE);
	/* An interface keeps its slot (counters, rows, tx port) while in the
	 * map. */
	had = !bpf_map_lookup_elem(m->ifaces, &ifindex, &cur);
	fresh = !(had && cur.slot);
	/* the slot's tx port is in place only if the slot is not new */
	was_tx = !fresh && (cur.flags & XR_IF_F_TX);
	v.slot = fresh ? if_slot_new(m) : cur.slot;
	if (!v.slot)
		return set_errno(-ENOSPC);
	/* A packet that read the slot's previous owner may still redirect
	 * through it. */
	if (fresh)
		map_rows_owner_wait(&if_rows, v.slot);
	/* In tx_ports before the program sees XR_IF_F_TX, out after. */
	if ((v.flags & XR_IF_F_TX) && !was_tx &&
	    tx_port_set(m, v.slot, tx_ifindex))
		return -errno;
	err = ret_errno(bpf_map_update_elem(m->ifaces, &ifindex, &v, BPF_ANY));
	if (err)
		return err;
	err = map_rows_publish(&if_rows, m->if_index, m->if_rows, ifindex,
			       v.slot, &v);
	if (err) {
		hash_undo(m->ifaces, &ifindex, had, &cur);
		return set_errno(err);
	}
	if (!(v.flags & XR_IF_F_TX) && was_tx)
		tx_port_clear(m, v.slot);
	return 0;
}

int xr_iface_del(const struct xr_maps *m, uint32_t ifindex)
{
	struct xr_iface cur;
	int err = set_errno(map_rows_withdraw(&if_rows, m->if_index, ifindex));

	if (err)
		return err;
	if (!bpf_map_lookup_elem(m->ifaces, &ifindex, &cur) && cur.slot)
		tx_port_clear(m, cur.slot);
	return ret_errno(bpf_map_delete_elem(m->ifaces, &ifindex));
}

static int vlan_key(uint32_t parent, uint16_t vid, struct xr_vlan_key *k)
{
	memset(k, 0, sizeof(*k));
	k->parent_ifindex = parent;
	k->vid = vid;
	/* 0 is priority-tagged, 4095 reserved: no sub-interface has them */
	return vid == 0 || vid >= XR_VLAN_VID_MASK ? set_errno(-ERANGE) : 0;
}

int xr_vlan_set(const struct xr_maps *m, uint32_t parent, uint16_t vid,
		uint32_t sub)
{
	struct xr_vlan_key k;
	int err = vlan_key(parent, vid, &k);

	if (err)
		return err;
	return ret_errno(bpf_map_update_elem(m->vlan_rx, &k, &sub, BPF_ANY));
}

int xr_vlan_del(const struct xr_maps *m, uint32_t parent, uint16_t vid)
{
	struct xr_vlan_key k;
	int err = vlan_key(parent, vid, &k);

	if (err)
		return err;
	return ret_errno(bpf_map_delete_elem(m->vlan_rx, &k));
}

static int percpu_sum(int fd, const void *key, struct xr_counter *out,
		      unsigned int n_counters)
{
	int ncpu = libbpf_num_possible_cpus();
	struct xr_counter vals[ncpu > 0 ? ncpu * n_counters : 1];
	int err;

	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	err = ret_errno(bpf_map_lookup_elem(fd, key, vals));
	if (err)
		return err;
	memset(out, 0, sizeof(*out) * n_counters);
	for (int cpu = 0; cpu < ncpu; cpu++)
		for (unsigned int i = 0; i < n_counters; i++) {
			out[i].packets += vals[cpu * n_counters + i].packets;
			out[i].bytes += vals[cpu * n_counters + i].bytes;
		}
	return 0;
}

int xr_counters_read(const struct xr_maps *m,
		     struct xr_counter out[XR_REASON_MAX])
{
	for (uint32_t r = 0; r < XR_REASON_MAX; r++) {
		int err = percpu_sum(m->counters, &r, &out[r], 1);

		if (err)
			return err;
	}
	return 0;
}

int xr_if_counters_read(const struct xr_maps *m, uint32_t ifindex,
			struct xr_if_counters *out)
{
	struct xr_iface v;

	if (bpf_map_lookup_elem(m->ifaces, &ifindex, &v))
		return -errno;
	if (!v.slot)
		return -ENOENT; /* counted as unattributed */
	return percpu_sum(m->if_counters, &v.slot, (struct xr_counter *)out,
			  sizeof(*out) / sizeof(struct xr_counter));
}

int xr_counters_clear(const struct xr_maps *m)
{
	int ncpu = libbpf_num_possible_cpus();
	struct xr_if_counters zero_if[ncpu > 0 ? ncpu : 1];
	struct xr_counter zero[ncpu > 0 ? ncpu : 1];
	uint32_t key;
	int err;

	memset(zero, 0, sizeof(zero));
	memset(zero_if, 0, sizeof(zero_if));
	for (key = 0; key < XR_REASON_MAX; key++) {
		err = ret_errno(
			bpf_map_update_elem(m->counters, &key, zero, BPF_ANY));
		if (err)
			return err;
	}
	for (key = 0; key < XR_IFACE_MAX; key++)
		bpf_map_update_elem(m->if_counters, &key, zero_if, BPF_EXIST);
	return 0;
}
