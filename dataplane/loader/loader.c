// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/if_link.h>
#include <linux/magic.h>
#include <net/if.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "loader/loader.h"
#include "util/log.h"
#include "xdp_router.skel.h"
#include "xdp_router_nosample.skel.h"

#define XR_PROG_PIN "xdp_router_prog"

/*
 * One of two builds of bpf/xdp_router.bpf.c is loaded: with flow sampling
 * (skel) when it is configured, else the one with sampling compiled out
 * (skel0), so that sampling off costs not one instruction. Both have the
 * same maps but the sampling ones, the same .rodata switches but that one
 * and the same .data: the loader reaches them by name and through obj.
 */
struct xr_loader {
	struct xdp_router *skel;
	struct xdp_router_nosample *skel0;
	struct bpf_object *obj;
	struct xr_maps maps;
	char pin_dir[256];
};

static struct bpf_map *map_of(const struct xr_loader *l, const char *name)
{
	return bpf_object__find_map_by_name(l->obj, name);
}

static struct bpf_program *prog_of(const struct xr_loader *l)
{
	return l->skel ? l->skel->progs.xdp_router : l->skel0->progs.xdp_router;
}

/* .data: the skeleton points it at the map's memory once loaded */
static struct xr_ct_timeouts *ct_of(const struct xr_loader *l)
{
	return l->skel ? &l->skel->data->xr_ct_timeouts
		       : &l->skel0->data->xr_ct_timeouts;
}

static int open_build(struct xr_loader *l, const struct xr_loader_opts *o,
		      const struct bpf_object_open_opts *open_opts)
{
	if (o->flow_sample) {
		l->skel = xdp_router__open_opts(open_opts);
		if (!l->skel)
			return -errno;
		l->skel->rodata->xr_features = o->features;
		l->skel->rodata->xr_flow_sample = 1;
		l->obj = l->skel->obj;
	} else {
		l->skel0 = xdp_router_nosample__open_opts(open_opts);
		if (!l->skel0)
			return -errno;
		l->skel0->rodata->xr_features = o->features;
		l->obj = l->skel0->obj;
	}
	return 0;
}

static int load_build(struct xr_loader *l)
{
	return l->skel ? xdp_router__load(l->skel)
		       : xdp_router_nosample__load(l->skel0);
}

int xr_loader_parse_mode(const char *s, enum xr_xdp_mode *mode)
{
	if (!strcmp(s, "auto"))
		*mode = XR_XDP_AUTO;
	else if (!strcmp(s, "native") || !strcmp(s, "drv"))
		*mode = XR_XDP_NATIVE;
	else if (!strcmp(s, "generic") || !strcmp(s, "skb"))
		*mode = XR_XDP_GENERIC;
	else
		return -EINVAL;
	return 0;
}

const char *xr_loader_mode_name(enum xr_xdp_mode mode)
{
	switch (mode) {
	case XR_XDP_NATIVE:
		return "native";
	case XR_XDP_GENERIC:
		return "generic";
	default:
		return "auto";
	}
}

int xr_loader_parse_fib(const char *s, __u8 *fib)
{
	if (!strcmp(s, "lpm"))
		*fib = XR_FIB_LPM;
	else if (!strcmp(s, "dir24"))
		*fib = XR_FIB_DIR24;
	else
		return -EINVAL;
	return 0;
}

static const char *xr_loader_fib_name(unsigned int fib)
{
	return fib == XR_FIB_DIR24 ? "dir24" : "lpm";
}

int xr_loader_parse_fib6(const char *s, __u8 *fib6)
{
	if (!strcmp(s, "lpm"))
		*fib6 = XR_FIB6_LPM;
	else if (!strcmp(s, "mbt"))
		*fib6 = XR_FIB6_MBT;
	else
		return -EINVAL;
	return 0;
}

const char *xr_loader_fib6_name(unsigned int fib6)
{
	return fib6 == XR_FIB6_MBT ? "mbt" : "lpm";
}

__u8 xr_loader_fib6_for(__u8 fib)
{
	return fib == XR_FIB_DIR24 ? XR_FIB6_MBT : XR_FIB6_LPM;
}

void xr_loader_opts_default(struct xr_loader_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->pin_dir = XR_PIN_DIR_DEFAULT;
	o->features.ipv6 = 1;
	o->features.ecmp = 1;
	o->features.fib = XR_FIB_DIR24;
	o->features.fib6 = XR_FIB6_MBT;
	o->features.conntrack = 1;
	o->features.vlan = 1;
}

/*
 * A sysctl of the namespace the program is loaded in, in seconds, as ms; the
 * kernel's default when conntrack is absent (then nothing is accelerated
 * through it anyway) or the value does not fit.
 */
static __u32 ct_timeout_ms(const char *name, __u32 dflt_ms)
{
	char path[128];
	unsigned long sec;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/proc/sys/net/netfilter/%s", name);
	f = fopen(path, "r");
	if (!f)
		return dflt_ms;
	n = fscanf(f, "%lu", &sec);
	fclose(f);
	if (n != 1 || sec > UINT32_MAX / 1000)
		return dflt_ms;
	return sec * 1000;
}

void xr_loader_ct_timeouts_read(struct xr_ct_timeouts *t)
{
	t->udp_stream_ms = ct_timeout_ms("nf_conntrack_udp_timeout_stream",
					 XR_CT_UDP_STREAM_MS_DEFAULT);
	t->tcp_established_ms =
		ct_timeout_ms("nf_conntrack_tcp_timeout_established",
			      XR_CT_TCP_ESTABLISHED_MS_DEFAULT);
}

/* Is bpffs mounted at the pin dir's parent? Creates the dir, root-only. */
static int xr_pin_dir_prepare(const char *pin_dir)
{
	char parent[PATH_MAX];
	struct statfs fs;
	char *slash;

	snprintf(parent, sizeof(parent), "%s", pin_dir);
	slash = strrchr(parent, '/');
	if (slash && slash != parent)
		*slash = '\0';
	if (statfs(parent, &fs) || fs.f_type != BPF_FS_MAGIC) {
		/* ip netns exec mounts a fresh /sys without bpffs. */
		xr_err("%s is not on a BPF filesystem: mount it with "
		       "'mount -t bpf bpf /sys/fs/bpf' (inside 'ip netns exec' "
		       "use 'nsenter --net=/run/netns/NAME' instead)",
		       parent);
		return -ENOTDIR;
	}
	if (mkdir(pin_dir, 0700) && errno != EEXIST) {
		int err = -errno;

		xr_err("cannot create pin dir %s: %s", pin_dir,
		       strerror(errno));
		return err;
	}
	return 0;
}

/*
 * A pinned map keeps its size: libbpf reuses a pinned map only when the
 * definitions match, so adopt the pinned size before load.
 */
static void map_size(struct xr_loader *l, struct bpf_map *map, uint32_t want)
{
	char path[PATH_MAX];
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	int fd;

	snprintf(path, sizeof(path), "%s/%s", l->pin_dir, bpf_map__name(map));
	fd = bpf_obj_get(path);
	if (fd >= 0) {
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) &&
		    info.max_entries != bpf_map__max_entries(map))
			bpf_map__set_max_entries(map, info.max_entries);
		close(fd);
		return;
	}
	if (want)
		bpf_map__set_max_entries(map, want);
}

/*
 * A map pinned by a build with another layout (XR_ABI_VERSION changed) is
 * refused by libbpf with a bare EINVAL: say which map and what to do.
 */
static int pinned_layouts_check(struct xr_loader *l)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, l->obj)
	{
		struct bpf_map_info info = {};
		__u32 len = sizeof(info);
		char path[PATH_MAX];
		int fd, err = 0;

		/* the maps pinned by name, and tx_ports (pinned by hand) */
		if (!bpf_map__pin_path(map) && map != map_of(l, "tx_ports"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", l->pin_dir,
			 bpf_map__name(map));
		fd = bpf_obj_get(path);
		if (fd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) &&
		    (info.type != bpf_map__type(map) ||
		     info.key_size != bpf_map__key_size(map) ||
		     info.value_size != bpf_map__value_size(map))) {
			xr_err("%s was pinned by another version of "
			       "xdp-router (its layout differs from ABI %u): "
			       "remove %s to start afresh (the fast path "
			       "stops until the new program is loaded)",
			       path, XR_ABI_VERSION, l->pin_dir);
			err = -EINVAL;
		}
		close(fd);
		if (err)
			return err;
	}
	return 0;
}

/*
 * The kernel adds BPF_F_RDONLY_PROG to every devmap it creates but refuses
 * that flag at creation, so libbpf's pinned-map compatibility check can never
 * accept a pinned devmap. Reuse or pin it here instead.
 */
static int tx_ports_adopt(struct xr_loader *l)
{
	struct bpf_map *map = map_of(l, "tx_ports");
	char path[PATH_MAX];
	int fd, err;

	snprintf(path, sizeof(path), "%s/%s", l->pin_dir, bpf_map__name(map));
	fd = bpf_obj_get(path);
	if (fd < 0)
		return 0;
	err = bpf_map__reuse_fd(map, fd);
	close(fd);
	if (err)
		xr_err("cannot reuse pinned %s: %s", path, strerror(-err));
	return err;
}

static int tx_ports_pin(struct xr_loader *l)
{
	struct bpf_map *map = map_of(l, "tx_ports");
	char path[PATH_MAX];
	int err;

	snprintf(path, sizeof(path), "%s/%s", l->pin_dir, bpf_map__name(map));
	if (access(path, F_OK) == 0)
		return 0;
	err = bpf_map__pin(map, path);
	if (err)
		xr_err("cannot pin %s: %s", path, strerror(-err));
	return err;
}

static int pin_prog(struct xr_loader *l)
{
	char path[PATH_MAX];
	int err;

	snprintf(path, sizeof(path), "%s/%s", l->pin_dir, XR_PROG_PIN);
	unlink(path);
	err = bpf_program__pin(prog_of(l), path);
	if (err)
		xr_err("cannot pin program at %s: %s", path, strerror(-err));
	return err;
}

void xr_loader_ct_timeouts_set(struct xr_loader *l,
			       const struct xr_ct_timeouts *t)
{
	/* the skeleton's .data is mapped: the program reads the new values
	 * from its next packet on */
	ct_of(l)->udp_stream_ms = t->udp_stream_ms;
	ct_of(l)->tcp_established_ms = t->tcp_established_ms;
}

int xr_loader_load(struct xr_loader **out, const struct xr_loader_opts *o)
{
	LIBBPF_OPTS(bpf_object_open_opts, open_opts);
	struct xr_ct_timeouts ct;
	struct xr_loader *l;
	int err;

	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	xr_maps_init(&l->maps);
	snprintf(l->pin_dir, sizeof(l->pin_dir), "%s",
		 o->pin_dir ? o->pin_dir : XR_PIN_DIR_DEFAULT);
	err = xr_pin_dir_prepare(l->pin_dir);
	if (err)
		goto fail;

	open_opts.pin_root_path = l->pin_dir;
	err = open_build(l, o, &open_opts);
	if (err) {
		xr_err("cannot open the BPF object: %s", strerror(-err));
		goto fail;
	}
	xr_loader_ct_timeouts_read(&ct);
	*ct_of(l) = ct;
	map_size(l, map_of(l, "route_v4"), o->route_v4_max);
	map_size(l, map_of(l, "route_v6"), o->route_v6_max);
	map_size(l, map_of(l, "nexthops"), o->nexthop_max);
	map_size(l, map_of(l, "neighbours"), o->neigh_max);
	/* With the tries alone the compiled FIB's 32 MiB are not needed. */
	map_size(l, map_of(l, "fib4_tbl24"),
		 o->features.fib == XR_FIB_DIR24 ? XR_DIR24_CHUNKS : 1);
	map_size(l, map_of(l, "fib4_tbl8"),
		 o->features.fib != XR_FIB_DIR24 ? 1
		 : o->fib4_blocks		 ? o->fib4_blocks
						 : XR_DIR24_BLOCKS_DEFAULT);
	map_size(l, map_of(l, "fib4_leaves"),
		 o->features.fib == XR_FIB_DIR24 ? XR_DIR24_MAX_LEAVES : 1);
	map_size(l, map_of(l, "fib6_root"),
		 o->features.fib6 == XR_FIB6_MBT ? XR_MBT_ROOT_CHUNKS : 1);
	map_size(l, map_of(l, "fib6_nodes"),
		 o->features.fib6 != XR_FIB6_MBT ? 1
		 : o->fib6_nodes		 ? o->fib6_nodes
						 : XR_MBT_NODES_DEFAULT);
	map_size(l, map_of(l, "fib6_leaves"),
		 o->features.fib6 == XR_FIB6_MBT ? XR_MBT_MAX_LEAVES : 1);
	if ((bpf_map__max_entries(map_of(l, "fib4_tbl24")) ==
	     XR_DIR24_CHUNKS) != (o->features.fib == XR_FIB_DIR24)) {
		xr_err("the maps pinned in %s were made for --fib %s; remove "
		       "the pin dir to change it",
		       l->pin_dir, xr_loader_fib_name(!o->features.fib));
		err = -EINVAL;
		goto fail;
	}
	if ((bpf_map__max_entries(map_of(l, "fib6_root")) ==
	     XR_MBT_ROOT_CHUNKS) != (o->features.fib6 == XR_FIB6_MBT)) {
		xr_err("the maps pinned in %s were made for --fib6 %s; remove "
		       "the pin dir to change it",
		       l->pin_dir, xr_loader_fib6_name(!o->features.fib6));
		err = -EINVAL;
		goto fail;
	}
	err = pinned_layouts_check(l);
	if (err)
		goto fail;
	err = tx_ports_adopt(l);
	if (err)
		goto fail;

	err = load_build(l);
	if (err) {
		xr_err("cannot load the XDP program (verifier or pinned maps "
		       "of another version in %s?): %s",
		       l->pin_dir, strerror(-err));
		goto fail;
	}
	xr_notice("loaded xdp_router abi %u: ipv6=%s ecmp=%s fib=%s fib6=%s "
		  "conntrack=%s (udp stream %u s, tcp established %u s) "
		  "vlan=%s flow-sample=%s, maps in %s",
		  XR_ABI_VERSION, o->features.ipv6 ? "on" : "off",
		  o->features.ecmp ? "on" : "off",
		  xr_loader_fib_name(o->features.fib),
		  xr_loader_fib6_name(o->features.fib6),
		  o->features.conntrack ? "on" : "off", ct.udp_stream_ms / 1000,
		  ct.tcp_established_ms / 1000, o->features.vlan ? "on" : "off",
		  o->flow_sample ? "on" : "off", l->pin_dir);
	err = tx_ports_pin(l);
	if (!err)
		err = pin_prog(l);
	if (err)
		goto fail;
	err = xr_maps_open_pinned(&l->maps, l->pin_dir);
	if (err) {
		xr_err("cannot open pinned maps in %s: %s", l->pin_dir,
		       strerror(-err));
		goto fail;
	}
	*out = l;
	return 0;
fail:
	xr_loader_free(l);
	return err;
}

const struct xr_maps *xr_loader_maps(const struct xr_loader *l)
{
	return &l->maps;
}

int xr_loader_prog_fd(const struct xr_loader *l)
{
	return bpf_program__fd(prog_of(l));
}

static int prog_info(int fd, struct bpf_prog_info *info, __u32 *map_ids,
		     __u32 n_maps)
{
	__u32 len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	info->nr_map_ids = n_maps;
	info->map_ids = (__u64)(unsigned long)map_ids;
	return bpf_obj_get_info_by_fd(fd, info, &len);
}

static int prog_is_ours(int fd)
{
	struct bpf_prog_info info;
	__u32 ids[16];

	return !prog_info(fd, &info, ids, 16) &&
	       !strcmp(info.name, "xdp_router");
}

int xr_loader_foreign(uint32_t ifindex, char *why, size_t len)
{
	static const char *const where[] = {"native", "generic", "offload"};
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	__u32 ids[3];

	if (bpf_xdp_query(ifindex, 0, &q))
		return 0;
	ids[0] = q.drv_prog_id;
	ids[1] = q.skb_prog_id;
	ids[2] = q.hw_prog_id;
	for (int i = 0; i < 3; i++) {
		struct bpf_prog_info info;
		__u32 maps[16];
		int fd;

		if (!ids[i])
			continue;
		fd = bpf_prog_get_fd_by_id(ids[i]);
		/* A program we cannot look at is not known to be ours. */
		if (fd < 0 || prog_info(fd, &info, maps, 16)) {
			snprintf(why, len, "XDP program id %u (%s) is not ours",
				 ids[i], where[i]);
			if (fd >= 0)
				close(fd);
			return 1;
		}
		close(fd);
		if (strcmp(info.name, "xdp_router")) {
			snprintf(why, len,
				 "another XDP program is attached: %s (id %u, "
				 "%s)",
				 info.name[0] ? info.name : "unnamed", ids[i],
				 where[i]);
			return 1;
		}
	}
	return 0;
}

static __u32 mode_flags(enum xr_xdp_mode mode)
{
	return mode == XR_XDP_GENERIC ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
}

static int attach_mode(struct xr_loader *l, uint32_t ifindex,
		       enum xr_xdp_mode mode)
{
	LIBBPF_OPTS(bpf_xdp_attach_opts, opts);
	int prog_fd = xr_loader_prog_fd(l);
	__u32 flags = mode_flags(mode);
	__u32 cur_id = 0;
	int cur_fd = -1, err;

	if (!bpf_xdp_query_id(ifindex, flags, &cur_id) && cur_id) {
		/* Atomic swap: the old program runs until the new one is in,
		 * so a restart never stops forwarding. */
		cur_fd = bpf_prog_get_fd_by_id(cur_id);
		if (cur_fd >= 0) {
			opts.old_prog_fd = cur_fd;
			flags |= XDP_FLAGS_REPLACE;
		}
	} else {
		flags |= XDP_FLAGS_UPDATE_IF_NOEXIST;
	}
	err = bpf_xdp_attach(ifindex, prog_fd, flags, &opts);
	if (cur_fd >= 0)
		close(cur_fd);
	return err < 0 ? err : 0;
}

int xr_loader_attach(struct xr_loader *l, uint32_t ifindex,
		     enum xr_xdp_mode mode, enum xr_xdp_mode *used)
{
	char name[IF_NAMESIZE] = "?", why[96];
	int err;

	if_indextoname(ifindex, name);
	/* Never swap out a program we did not load (say a DDoS filter):
	 * the operator put it there, and the kernel would have run it. */
	if (xr_loader_foreign(ifindex, why, sizeof(why)))
		return -EBUSY;
	err = attach_mode(l, ifindex,
			  mode == XR_XDP_AUTO ? XR_XDP_NATIVE : mode);
	if (err && mode == XR_XDP_AUTO) {
		xr_warn("%s: native XDP refused (%s), using generic XDP: "
			"slower, and redirects out of it are not zero-copy",
			name, strerror(-err));
		mode = XR_XDP_GENERIC;
		err = attach_mode(l, ifindex, mode);
	} else if (mode == XR_XDP_AUTO) {
		mode = XR_XDP_NATIVE;
	}
	if (err) {
		xr_err("%s: cannot attach XDP in %s mode: %s", name,
		       xr_loader_mode_name(mode), strerror(-err));
		return err;
	}
	if (used)
		*used = mode;
	xr_info("%s: xdp_router attached (%s)", name,
		xr_loader_mode_name(mode));
	return 0;
}

int xr_loader_detach(struct xr_loader *l, uint32_t ifindex)
{
	static const __u32 modes[] = {XDP_FLAGS_DRV_MODE, XDP_FLAGS_SKB_MODE};
	int err = 0;

	(void)l;
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		LIBBPF_OPTS(bpf_xdp_attach_opts, opts);
		__u32 id = 0;
		int fd;

		if (bpf_xdp_query_id(ifindex, modes[i], &id) || !id)
			continue;
		fd = bpf_prog_get_fd_by_id(id);
		if (fd < 0 || !prog_is_ours(fd)) {
			if (fd >= 0)
				close(fd);
			continue;
		}
		opts.old_prog_fd = fd;
		err = bpf_xdp_detach(ifindex, modes[i] | XDP_FLAGS_REPLACE,
				     &opts);
		close(fd);
	}
	return err;
}

void xr_loader_free(struct xr_loader *l)
{
	if (!l)
		return;
	xr_maps_close(&l->maps);
	xdp_router__destroy(l->skel);
	xdp_router_nosample__destroy(l->skel0);
	free(l);
}
