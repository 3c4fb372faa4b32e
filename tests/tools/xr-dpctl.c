// SPDX-License-Identifier: GPL-2.0-only
/*
 * xr-dpctl: fill the fast path's maps by hand and run packets through the
 * program. A test tool: the daemon fills the maps from FRR in production.
 *
 *   xr-dpctl [--pin DIR] [--no-ipv6] [--no-ecmp] [--no-conntrack]
 *            [--no-vlan] [--flow-sample] [--v4-max N] CMD ARGS...
 *   xr-dpctl [--pin DIR] ... -      one command per line on stdin; each
 *                                   answers "ok ...", or "err MESSAGE"
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/if_link.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "fib/fib4_dir24.h"
#include "fib/fib6_mbt.h"
#include "rib/group_buckets.h"
#include "util/hashtab.h"
#include "loader/loader.h"
#include "util/log.h"
#include "util/parse_num.h"
#include "maps/maps.h"
#include "maps/rule_banks.h"
#include "kernel/plan.h"
#include "kernel/ip_rules.h"
#include "kernel/nl_follow.h"
#include "kernel/xdp_features.h"
#include "export/sample_ring.h"

#define MAX_ARGS 64

/* A route written to a compiled FIB, remembered for its next change. */
struct fib_route {
	struct xr_prefix p; /* first: the hash key */
	struct xr_route v;
};

struct ctl {
	struct xr_loader_opts opts;
	bool fib6_given;
	struct fib4 *fib4;
	struct fib6 *fib6;
	struct hashtab fib_routes;
	struct xr_loader *loader;
	struct xr_maps maps;
	int maps_open;
	char pin_dir[256];
};

typedef int (*cmd_fn)(struct ctl *c, int argc, char **argv);

static int fail(const char *fmt, ...)
{
	va_list ap;

	printf("err ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return -1;
}

static int ok(void)
{
	printf("ok\n");
	return 0;
}

static int maps_need(struct ctl *c)
{
	int err;

	if (c->maps_open)
		return 0;
	err = xr_maps_open_pinned(&c->maps, c->pin_dir);
	if (err)
		return fail("no pinned maps in %s (%s): run 'load' first",
			    c->pin_dir, strerror(-err));
	c->maps_open = 1;
	return 0;
}

static int ifindex_arg(const char *name, uint32_t *ifindex)
{
	*ifindex = if_nametoindex(name);
	if (!*ifindex)
		return fail("unknown interface '%s'", name);
	return 0;
}

static int u32_arg(const char *s, uint32_t *v)
{
	unsigned long n = 0;
	int err = xr_parse_uint(s, 0, UINT32_MAX, &n);

	*v = n; /* 0 on an error too: callers need not initialise */
	return err ? fail("'%s' is not a number", s) : 0;
}

static int cmd_load(struct ctl *c, int argc, char **argv)
{
	int err;

	(void)argc;
	(void)argv;
	if (c->loader)
		return ok();
	err = xr_loader_load(&c->loader, &c->opts);
	if (err)
		return fail("load failed: %s", strerror(-err));
	return ok();
}

static int cmd_attach(struct ctl *c, int argc, char **argv)
{
	enum xr_xdp_mode mode = XR_XDP_AUTO, used;
	uint32_t ifindex;

	if (argc < 2)
		return fail("usage: attach IFNAME [auto|native|generic]");
	if (!c->loader && cmd_load(c, 0, NULL))
		return -1;
	if (ifindex_arg(argv[1], &ifindex))
		return -1;
	if (argc > 2 && xr_loader_parse_mode(argv[2], &mode))
		return fail("bad mode '%s'", argv[2]);
	if (xr_loader_attach(c->loader, ifindex, mode, &used))
		return fail("attach %s failed", argv[1]);
	printf("ok %s\n", xr_loader_mode_name(used));
	return 0;
}

static int cmd_detach(struct ctl *c, int argc, char **argv)
{
	uint32_t ifindex;

	if (argc < 2)
		return fail("usage: detach IFNAME");
	if (ifindex_arg(argv[1], &ifindex))
		return -1;
	if (xr_loader_detach(c->loader, ifindex))
		return fail("detach %s failed", argv[1]);
	return ok();
}

static int link_facts(const char *name, struct xr_iface *ifc)
{
	struct ifreq ifr = {0};
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	int err = 0;

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) == 0)
		memcpy(ifc->mac, ifr.ifr_hwaddr.sa_data, 6);
	else
		err = -errno;
	if (!err && ioctl(fd, SIOCGIFMTU, &ifr) == 0)
		ifc->mtu = ifr.ifr_mtu;
	else if (!err)
		err = -errno;
	if (!err && ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 &&
	    (ifr.ifr_flags & IFF_UP))
		ifc->flags |= XR_IF_F_UP;
	close(fd);
	return err;
}

/* The plan flags' names, comma-separated (kernel/plan.h). */
static int plan_arg(const char *arg, uint32_t *flags)
{
	char buf[512], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", arg);
	for (char *t = strtok_r(buf, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		uint32_t bit = plan_flag_by_name(t);

		if (!bit)
			return fail("unknown plan flag '%s'", t);
		*flags |= bit;
	}
	return 0;
}

/* PARENT:VID, for an interface standing in for an 802.1Q sub-interface
 * (this kernel may have no 8021q). */
static int vlan_arg(const char *arg, uint32_t *parent, uint32_t *vid)
{
	char name[IFNAMSIZ + 8];
	char *colon;

	snprintf(name, sizeof(name), "%s", arg);
	colon = strchr(name, ':');
	if (!colon)
		return fail("vlan wants PARENT:VID, not '%s'", arg);
	*colon = 0;
	if (ifindex_arg(name, parent) || u32_arg(colon + 1, vid))
		return -1;
	return *vid > UINT16_MAX ? fail("VID %u out of range", *vid) : 0;
}

/* iface IFNAME [vrf N] [tx auto|on|off] [plan FLAG,...] [vlan PARENT:VID] */
static int cmd_iface(struct ctl *c, int argc, char **argv)
{
	struct xr_iface ifc = {0};
	const char *tx = "auto";
	uint64_t features = 0;
	uint32_t ifindex, vrf = 0, plan = 0, parent = 0, vid = 0;
	int tx_ok;

	if (argc < 2)
		return fail("usage: iface IFNAME [vrf N] [tx auto|on|off] "
			    "[plan FLAG,...] [vlan PARENT:VID]");
	if (maps_need(c) || ifindex_arg(argv[1], &ifindex))
		return -1;
	for (int i = 2; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "vrf")) {
			if (u32_arg(argv[i + 1], &vrf))
				return -1;
		} else if (!strcmp(argv[i], "tx")) {
			tx = argv[i + 1];
		} else if (!strcmp(argv[i], "plan")) {
			if (plan_arg(argv[i + 1], &plan))
				return -1;
		} else if (!strcmp(argv[i], "vlan")) {
			if (vlan_arg(argv[i + 1], &parent, &vid))
				return -1;
		} else {
			return fail("unknown iface option '%s'", argv[i]);
		}
	}
	if (link_facts(argv[1], &ifc))
		return fail("cannot read %s: %s", argv[1], strerror(errno));
	ifc.vrf = htonl(vrf);
	ifc.flags |= XR_IF_F_INGRESS | plan;
	ifc.vlan_tci = htons(vid);
	/* a sub-interface's frames leave through its parent */
	if (!strcmp(tx, "auto"))
		tx_ok = !xr_xdp_features_get(parent ? parent : ifindex,
					     &features) &&
			(features & XR_XDP_ACT_NDO_XMIT);
	else
		tx_ok = !strcmp(tx, "on");
	if (tx_ok)
		ifc.flags |= XR_IF_F_TX;
	if (xr_iface_set_via(&c->maps, ifindex, &ifc,
			     parent ? parent : ifindex))
		return fail("ifaces set %s: %s", argv[1], strerror(errno));
	if (parent && xr_vlan_set(&c->maps, parent, vid, ifindex))
		return fail("vlan_rx set %s: %s", argv[1], strerror(errno));
	printf("ok ifindex %u tx %s\n", ifindex, tx_ok ? "yes" : "no");
	return 0;
}

/* vlan-del PARENT VID: the tag no longer names a sub-interface */
static int cmd_vlan_del(struct ctl *c, int argc, char **argv)
{
	uint32_t parent, vid;

	if (argc < 3)
		return fail("usage: vlan-del PARENT VID");
	if (maps_need(c) || ifindex_arg(argv[1], &parent) ||
	    u32_arg(argv[2], &vid))
		return -1;
	if (vid > UINT16_MAX || xr_vlan_del(&c->maps, parent, vid))
		return fail("vlan_rx del: %s", strerror(errno));
	return ok();
}

static int cmd_iface_del(struct ctl *c, int argc, char **argv)
{
	uint32_t ifindex;

	if (argc < 2 || maps_need(c) || ifindex_arg(argv[1], &ifindex))
		return argc < 2 ? fail("usage: iface-del IFNAME") : -1;
	xr_iface_del(&c->maps, ifindex);
	return ok();
}

/* nexthop ID IFNAME [via ADDR] [mac MAC] [mtu N] */
static int cmd_nexthop(struct ctl *c, int argc, char **argv)
{
	struct xr_nexthop nh = {0};
	struct xr_addr gw;
	uint32_t id = 0;

	if (argc < 3)
		return fail("usage: nexthop ID IFNAME [via ADDR] [mac MAC] "
			    "[mtu N]");
	if (maps_need(c) || u32_arg(argv[1], &id) ||
	    ifindex_arg(argv[2], &nh.ifindex))
		return -1;
	for (int i = 3; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "via")) {
			if (xr_addr_parse(argv[i + 1], &gw))
				return fail("bad address '%s'", argv[i + 1]);
			nh.family = gw.family;
			memcpy(nh.gw, gw.bytes, 16);
			nh.flags |= XR_NH_F_GATEWAY;
		} else if (!strcmp(argv[i], "mac")) {
			if (xr_mac_parse(argv[i + 1], nh.dmac))
				return fail("bad MAC '%s'", argv[i + 1]);
			nh.flags |= XR_NH_F_RESOLVED;
		} else if (!strcmp(argv[i], "mtu")) {
			if (u32_arg(argv[i + 1], &nh.mtu))
				return -1;
		} else {
			return fail("unknown nexthop option '%s'", argv[i]);
		}
	}
	if (xr_nexthop_set(&c->maps, id, &nh))
		return fail("nexthops set: %s", strerror(errno));
	return ok();
}

/* group ID NHID[:WEIGHT]... */
static int cmd_group(struct ctl *c, int argc, char **argv)
{
	uint32_t id, ids[XR_MAX_ECMP];
	uint8_t weights[XR_MAX_ECMP];
	struct xr_nh_group g, prev;
	unsigned int n = 0;
	int have_prev;

	if (argc < 3 || argc - 2 > XR_MAX_ECMP)
		return fail(
			"usage: group ID NHID[:WEIGHT]... (1 to %d members)",
			XR_MAX_ECMP);
	if (maps_need(c) || u32_arg(argv[1], &id))
		return -1;
	for (int i = 2; i < argc; i++, n++) {
		char *colon = strchr(argv[i], ':');
		uint32_t w = 1;

		if (colon) {
			*colon = '\0';
			if (u32_arg(colon + 1, &w))
				return -1;
			if (w < 1 || w > 255)
				return fail("weight %u out of 1..255", w);
		}
		if (u32_arg(argv[i], &ids[n]))
			return -1;
		weights[n] = w;
	}
	have_prev = !bpf_map_lookup_elem(c->maps.nh_groups, &id, &prev);
	if (xr_group_build(&g, ids, weights, n, have_prev ? &prev : NULL))
		return fail("bad group");
	if (xr_group_set(&c->maps, id, &g))
		return fail("nh_groups set: %s", strerror(errno));
	return ok();
}

static int cmd_neigh(struct ctl *c, int argc, char **argv)
{
	struct xr_addr a;
	uint8_t mac[6];
	uint32_t ifindex;

	if (argc < 4)
		return fail("usage: neigh IFNAME ADDR MAC");
	if (maps_need(c) || ifindex_arg(argv[1], &ifindex))
		return -1;
	if (xr_addr_parse(argv[2], &a) || xr_mac_parse(argv[3], mac))
		return fail("bad address or MAC");
	if (xr_neigh_set(&c->maps, ifindex, &a, mac))
		return fail("neighbours set: %s", strerror(errno));
	return ok();
}

static int cmd_neigh_del(struct ctl *c, int argc, char **argv)
{
	struct xr_addr a;
	uint32_t ifindex;

	if (argc < 3)
		return fail("usage: neigh-del IFNAME ADDR");
	if (maps_need(c) || ifindex_arg(argv[1], &ifindex))
		return -1;
	if (xr_addr_parse(argv[2], &a))
		return fail("bad address '%s'", argv[2]);
	if (xr_neigh_del(&c->maps, ifindex, &a))
		return fail("neighbours del: %s", strerror(errno));
	return ok();
}

static int vrf_opt(int argc, char **argv, int from, uint32_t *vrf)
{
	*vrf = 0;
	for (int i = from; i + 1 < argc; i++)
		if (!strcmp(argv[i], "vrf"))
			return u32_arg(argv[i + 1], vrf);
	return 0;
}

/*
 * VRF 0 in the compiled FIBs: written through this process's view of them,
 * so in one xr-dpctl process (line mode) routes of any lengths mix.
 */
static bool fib_used(struct ctl *c, const struct xr_prefix *p, uint32_t vrf)
{
	return vrf == 0 &&
	       ((p->addr.family == AF_INET && c->maps.fib == XR_FIB_DIR24) ||
		(p->addr.family == AF_INET6 && c->maps.fib6 == XR_FIB6_MBT));
}

static int fib_open(struct ctl *c)
{
	const struct xr_maps *m = &c->maps;
	int err = 0;

	if (c->fib_routes.slots)
		return 0;
	if (m->fib == XR_FIB_DIR24)
		err = fib4_open(&c->fib4, m->fib4_tbl24, m->fib4_tbl8,
				m->fib4_leaves);
	if (!err && m->fib6 == XR_FIB6_MBT)
		err = fib6_open(&c->fib6, m->fib6_root, m->fib6_nodes,
				m->fib6_leaves);
	if (!err && hashtab_init(&c->fib_routes, sizeof(struct xr_prefix)))
		err = -ENOMEM;
	return err;
}

static uint32_t addr4(const struct xr_prefix *p)
{
	uint32_t a;

	memcpy(&a, p->addr.bytes, 4);
	return ntohl(a);
}

static int fib_write(struct ctl *c, const struct xr_prefix *p,
		     const struct xr_route *v, const struct xr_route *old)
{
	if (p->addr.family == AF_INET)
		return fib4_set(c->fib4, addr4(p), p->len, v, old);
	return fib6_set(c->fib6, p->addr.bytes, p->len, v, old);
}

static int fib_unwrite(struct ctl *c, const struct fib_route *r,
		       const struct fib_route *cover)
{
	const struct xr_route *cv = cover ? &cover->v : NULL;
	uint8_t clen = cover ? cover->p.len : 0;

	if (r->p.addr.family == AF_INET)
		return fib4_del(c->fib4, addr4(&r->p), r->p.len, &r->v, cv,
				clen);
	return fib6_del(c->fib6, r->p.addr.bytes, r->p.len, &r->v, cv, clen);
}

static int fib_route(struct ctl *c, const struct xr_prefix *p,
		     const struct xr_route *v)
{
	struct fib_route key = {.p = *p}, *cur, *cover = NULL;
	int err = fib_open(c);

	if (err)
		return err;
	cur = hashtab_find(&c->fib_routes, &key);
	if (v) {
		err = fib_write(c, p, v, cur ? &cur->v : NULL);
		if (!err && !cur) {
			cur = malloc(sizeof(*cur));
			if (!cur)
				return -ENOMEM;
			*cur = key;
			hashtab_insert(&c->fib_routes, cur);
		}
		if (!err)
			cur->v = *v;
		return err;
	}
	if (!cur)
		return -ENOENT;
	for (int len = p->len - 1; len >= 0 && !cover; len--) {
		struct fib_route k = {.p = *p};

		k.p.len = len;
		xr_prefix_mask(k.p.addr.bytes, 128, len);
		cover = hashtab_find(&c->fib_routes, &k);
	}
	err = fib_unwrite(c, cur, cover);
	hashtab_remove(&c->fib_routes, &key);
	free(cur);
	return err;
}

/* route PREFIX nexthop ID|group ID|connected IFNAME|blackhole|unreachable|local
 * [vrf N] */
static int cmd_route(struct ctl *c, int argc, char **argv)
{
	static const char *const kinds[XR_ROUTE_ACTION_MAX] = {
		[XR_ROUTE_NEXTHOP] = "nexthop",
		[XR_ROUTE_GROUP] = "group",
		[XR_ROUTE_CONNECTED] = "connected",
		[XR_ROUTE_BLACKHOLE] = "blackhole",
		[XR_ROUTE_UNREACHABLE] = "unreachable",
		[XR_ROUTE_LOCAL] = "local",
	};
	struct xr_route r = {0};
	struct xr_prefix p;
	uint32_t vrf;
	int a, next = 3;

	if (argc < 3)
		return fail("usage: route PREFIX ACTION [ARG] [vrf N]");
	if (maps_need(c))
		return -1;
	if (xr_prefix_parse(argv[1], &p))
		return fail("bad prefix '%s'", argv[1]);
	for (a = 0; a < XR_ROUTE_ACTION_MAX; a++)
		if (!strcmp(argv[2], kinds[a]))
			break;
	if (a == XR_ROUTE_ACTION_MAX)
		return fail("unknown route action '%s'", argv[2]);
	r.action = a;
	if (a == XR_ROUTE_NEXTHOP || a == XR_ROUTE_GROUP) {
		if (argc < 4 || u32_arg(argv[3], &r.id))
			return argc < 4 ? fail("%s needs an id", argv[2]) : -1;
		next = 4;
	} else if (a == XR_ROUTE_CONNECTED) {
		if (argc < 4 || ifindex_arg(argv[3], &r.id))
			return argc < 4 ? fail("connected needs IFNAME") : -1;
		next = 4;
	}
	if (vrf_opt(argc, argv, next, &vrf))
		return -1;
	if (fib_used(c, &p, vrf)) {
		int err = fib_route(c, &p, &r);

		if (err)
			return fail("fib set %s: %s", argv[1], strerror(-err));
		return ok();
	}
	if (xr_route_set(&c->maps, vrf, &p, &r))
		return fail("route set %s: %s", argv[1], strerror(errno));
	return ok();
}

static int cmd_route_del(struct ctl *c, int argc, char **argv)
{
	struct xr_prefix p;
	uint32_t vrf;

	if (argc < 2)
		return fail("usage: route-del PREFIX [vrf N]");
	if (maps_need(c))
		return -1;
	if (xr_prefix_parse(argv[1], &p))
		return fail("bad prefix '%s'", argv[1]);
	if (vrf_opt(argc, argv, 2, &vrf))
		return -1;
	if (fib_used(c, &p, vrf)) {
		int err = fib_route(c, &p, NULL);

		if (err)
			return fail("fib del %s: %s", argv[1], strerror(-err));
		return ok();
	}
	if (xr_route_del(&c->maps, vrf, &p))
		return fail("route del %s: %s", argv[1], strerror(errno));
	return ok();
}

static int generic_del(struct ctl *c, int argc, char **argv,
		       int (*del)(const struct xr_maps *, uint32_t))
{
	uint32_t id = 0;

	if (argc < 2)
		return fail("usage: %s ID", argv[0]);
	if (maps_need(c) || u32_arg(argv[1], &id))
		return -1;
	if (del(&c->maps, id))
		return fail("%s %u: %s", argv[0], id, strerror(errno));
	return ok();
}

static int cmd_nexthop_del(struct ctl *c, int argc, char **argv)
{
	return generic_del(c, argc, argv, xr_nexthop_del);
}

static int cmd_group_del(struct ctl *c, int argc, char **argv)
{
	return generic_del(c, argc, argv, xr_group_del);
}

static int hex_decode(const char *hex, uint8_t *out, size_t max, size_t *len)
{
	size_t n = strlen(hex);

	if (n % 2 || n / 2 > max)
		return -EINVAL;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned int b;

		if (sscanf(hex + 2 * i, "%2x", &b) != 1)
			return -EINVAL;
		out[i] = b;
	}
	*len = n / 2;
	return 0;
}

static int prog_fd_get(struct ctl *c)
{
	char path[512];

	if (c->loader)
		return dup(xr_loader_prog_fd(c->loader));
	snprintf(path, sizeof(path), "%s/xdp_router_prog", c->pin_dir);
	return bpf_obj_get(path);
}

/*
 * run IFNAME HEX [repeat N]: prints "ok ACTION HEX_OUT NS_PER_RUN".
 * repeat above 1 is refused: BPF_PROG_TEST_RUN does not reset the frame
 * between repetitions, so from the second one on the program would see the
 * frame it rewrote itself (MACs, TTL) and the time would be of that punt.
 * Timing belongs to tests/bench/program_cost.py, whose wrapper restores the
 * frame before every run.
 */
static int cmd_run(struct ctl *c, int argc, char **argv)
{
	static uint8_t in[16384], out[16384];
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	struct xdp_md ctx = {0};
	uint32_t repeat = 1;
	size_t len;
	int fd, err;

	if (argc < 3)
		return fail("usage: run IFNAME HEX [repeat N]");
	if (ifindex_arg(argv[1], &ctx.ingress_ifindex))
		return -1;
	if (hex_decode(argv[2], in, sizeof(in), &len))
		return fail("bad packet hex");
	if (argc > 4 && !strcmp(argv[3], "repeat") && u32_arg(argv[4], &repeat))
		return -1;
	if (repeat > 1)
		return fail("repeat %u: the test run does not reset the frame "
			    "between repetitions, so later ones would time an "
			    "already rewritten frame; use "
			    "tests/bench/program_cost.py (its wrapper restores "
			    "the frame)",
			    repeat);
	fd = prog_fd_get(c);
	if (fd < 0)
		return fail("no program: run 'load' first");
	ctx.data_end = len;
	opts.data_in = in;
	opts.data_size_in = len;
	opts.data_out = out;
	opts.data_size_out = sizeof(out);
	opts.ctx_in = &ctx;
	opts.ctx_size_in = sizeof(ctx);
	opts.repeat = repeat;
	err = bpf_prog_test_run_opts(fd, &opts);
	close(fd);
	if (err)
		return fail("test run: %s", strerror(errno));
	printf("ok %u ", opts.retval);
	for (uint32_t i = 0; i < opts.data_size_out; i++)
		printf("%02x", out[i]);
	printf(" %u\n", opts.duration);
	return 0;
}

/* counters: "ok" then one line per reason: NAME PACKETS BYTES, then "end" */
static int cmd_counters(struct ctl *c, int argc, char **argv)
{
	struct xr_counter cnt[XR_REASON_MAX];

	(void)argc;
	(void)argv;
	if (maps_need(c))
		return -1;
	if (xr_counters_read(&c->maps, cnt))
		return fail("counters: %s", strerror(errno));
	printf("ok\n");
	for (int r = 0; r < XR_REASON_MAX; r++)
		printf("%s %llu %llu\n", xr_reason_name(r),
		       (unsigned long long)cnt[r].packets,
		       (unsigned long long)cnt[r].bytes);
	printf("end\n");
	return 0;
}

static int cmd_if_counters(struct ctl *c, int argc, char **argv)
{
	struct xr_if_counters ic;
	uint32_t ifindex;

	if (argc < 2)
		return fail("usage: if-counters IFNAME");
	if (maps_need(c) || ifindex_arg(argv[1], &ifindex))
		return -1;
	if (xr_if_counters_read(&c->maps, ifindex, &ic))
		memset(&ic, 0, sizeof(ic));
	printf("ok rx_forwarded %llu rx_punted %llu rx_dropped %llu "
	       "tx_forwarded %llu\n",
	       (unsigned long long)ic.rx_forwarded.packets,
	       (unsigned long long)ic.rx_punted.packets,
	       (unsigned long long)ic.rx_dropped.packets,
	       (unsigned long long)ic.tx_forwarded.packets);
	return 0;
}

static int cmd_clear(struct ctl *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (maps_need(c))
		return -1;
	if (xr_counters_clear(&c->maps))
		return fail("clear: %s", strerror(errno));
	return ok();
}

static void sample_print(void *arg, const struct xr_flow_sample *s)
{
	(void)arg;
	printf("%u %u %u %u %s %u ", s->in_ifindex, s->out_ifindex,
	       s->frame_len, s->rate, xr_reason_name(s->reason), s->action);
	for (unsigned int i = 0; i < s->header_len; i++)
		printf("%02x", s->header[i]);
	printf("\n");
}

static int sample_ring_need(struct ctl *c, struct sample_ring **r)
{
	int err = sample_ring_open(r, c->pin_dir, sample_print, c);

	if (err)
		return fail("no flow sample maps in %s (%s): load with "
			    "--flow-sample",
			    c->pin_dir, strerror(-err));
	return 0;
}

/* sample-rate N: 1 in N frames of every ingress interface, 0 = none */
static int cmd_sample_rate(struct ctl *c, int argc, char **argv)
{
	struct sample_ring *r;
	uint32_t rate;
	int err;

	if (argc < 2)
		return fail("usage: sample-rate N");
	if (u32_arg(argv[1], &rate) || sample_ring_need(c, &r))
		return -1;
	err = sample_ring_set_rate(r, rate);
	sample_ring_free(r);
	return err ? fail("sample-rate: %s", strerror(-err)) : ok();
}

/* samples: "ok", then one line per waiting record: IN OUT FRAME_LEN RATE
 * REASON ACTION HEADER_HEX, then "end"; stats: sampled and ring_full. */
static int cmd_samples(struct ctl *c, int argc, char **argv)
{
	struct xr_sample_stats st;
	struct sample_ring *r;
	int n;

	(void)argc;
	(void)argv;
	if (sample_ring_need(c, &r))
		return -1;
	printf("ok\n");
	n = sample_ring_drain(r);
	sample_ring_stats(r, &st);
	sample_ring_free(r);
	printf("end %d sampled %llu ring_full %llu\n", n,
	       (unsigned long long)st.sampled,
	       (unsigned long long)st.ring_full);
	return 0;
}

static void xlated_print(int prog_fd)
{
	struct bpf_prog_info info = {0};
	uint32_t len = sizeof(info), n;
	struct bpf_insn *insn;

	if (bpf_obj_get_info_by_fd(prog_fd, &info, &len)) {
		fail("prog info: %s", strerror(errno));
		return;
	}
	n = info.xlated_prog_len / sizeof(*insn);
	insn = calloc(n, sizeof(*insn));
	memset(&info, 0, sizeof(info));
	info.xlated_prog_len = n * sizeof(*insn);
	info.xlated_prog_insns = (uintptr_t)insn;
	len = sizeof(info);
	if (!insn || bpf_obj_get_info_by_fd(prog_fd, &info, &len)) {
		free(insn);
		fail("prog insns: %s", strerror(errno));
		return;
	}
	/* the tag: a hash of the instructions as loaded, before the verifier
	 * specialised them (map fds left out) */
	printf("ok %u ", n);
	for (size_t i = 0; i < sizeof(info.tag); i++)
		printf("%02x", info.tag[i]);
	printf("\n");
	for (uint32_t i = 0; i < n; i++) {
		struct bpf_insn *x = &insn[i];
		char map[BPF_OBJ_NAME_LEN] = "";

		/* A map is named, not numbered: ids differ between loads. */
		if (x->code == (BPF_LD | BPF_DW | BPF_IMM) &&
		    (x->src_reg == BPF_PSEUDO_MAP_FD ||
		     x->src_reg == BPF_PSEUDO_MAP_VALUE)) {
			struct bpf_map_info mi = {0};
			uint32_t ml = sizeof(mi);
			int fd = bpf_map_get_fd_by_id(x->imm);

			if (fd >= 0 && !bpf_obj_get_info_by_fd(fd, &mi, &ml))
				snprintf(map, sizeof(map), "%s", mi.name);
			if (fd >= 0)
				close(fd);
		}
		if (map[0])
			printf("%02x %x %x %d map:%s\n", x->code, x->dst_reg,
			       x->src_reg, x->off, map);
		else
			printf("%02x %x %x %d %d\n", x->code, x->dst_reg,
			       x->src_reg, x->off, x->imm);
	}
	printf("end\n");
	free(insn);
}

/*
 * xlated [OBJECT]: "ok N", then the N instructions the kernel runs, one a
 * line (maps by name), then "end". Without OBJECT, the loaded program; with
 * it, that object file loaded as it is (its rodata defaults, maps pinned
 * under the pin dir's "-object" sibling), to compare builds.
 */
static int cmd_xlated(struct ctl *c, int argc, char **argv)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo);
	struct bpf_program *prog;
	struct bpf_object *obj;
	char pin[300];
	int fd, err;

	if (argc < 2) {
		fd = prog_fd_get(c);
		if (fd < 0)
			return fail("no program: run 'load' first");
		xlated_print(fd);
		close(fd);
		return 0;
	}
	snprintf(pin, sizeof(pin), "%s-object", c->pin_dir);
	if (mkdir(pin, 0700) && errno != EEXIST)
		return fail("mkdir %s: %s", pin, strerror(errno));
	oo.pin_root_path = pin;
	obj = bpf_object__open_file(argv[1], &oo);
	if (!obj)
		return fail("open %s: %s", argv[1], strerror(errno));
	err = bpf_object__load(obj);
	prog = bpf_object__find_program_by_name(obj, "xdp_router");
	if (err || !prog) {
		bpf_object__close(obj);
		return fail("load %s: %s", argv[1], strerror(-err));
	}
	xlated_print(bpf_program__fd(prog));
	bpf_object__unpin_maps(obj, NULL);
	bpf_object__close(obj);
	rmdir(pin);
	return 0;
}

/* fib-stats: what the compiled FIBs in the pinned maps use (the blocks,
 * nodes reachable from their tables), as a fresh view adopts them;
 * nothing is written. */
static int cmd_fib_stats(struct ctl *c, int argc, char **argv)
{
	struct fib_stats s4 = {0}, s6 = {0};
	int err;

	(void)argc;
	(void)argv;
	if (maps_need(c))
		return -1;
	if (c->fib_routes.slots)
		return fail("fib-stats: this process already wrote the FIBs");
	err = fib_open(c);
	if (err)
		return fail("fib-stats: %s", strerror(-err));
	if (c->fib4)
		fib4_get_stats(c->fib4, &s4);
	if (c->fib6)
		fib6_get_stats(c->fib6, &s6);
	printf("ok blocks %u nodes %u\n", s4.blocks, s6.blocks);
	return 0;
}

/* lookup ADDR [vrf N]: the longest-prefix match, as the fast path sees it */
static int cmd_lookup(struct ctl *c, int argc, char **argv)
{
	struct xr_route r;
	struct xr_addr a;
	uint32_t vrf;

	if (argc < 2)
		return fail("usage: lookup ADDR [vrf N]");
	if (maps_need(c))
		return -1;
	if (xr_addr_parse(argv[1], &a))
		return fail("bad address '%s'", argv[1]);
	if (vrf_opt(argc, argv, 2, &vrf))
		return -1;
	if (xr_route_lookup(&c->maps, vrf, &a, &r)) {
		printf("ok none\n");
		return 0;
	}
	printf("ok %s %u\n", xr_route_action_name(r.action), r.id);
	return 0;
}

/* routes: "ok", then "PREFIX VRF ACTION ID" lines, then "end" */
static void dump_routes(int fd, size_t key_size, int family)
{
	union {
		struct xr_lpm_v4_key v4;
		struct xr_lpm_v6_key v6;
	} key, next;
	struct xr_route r;
	char buf[64];
	int more;

	for (more = !bpf_map_get_next_key(fd, NULL, &next); more;
	     more = !bpf_map_get_next_key(fd, &key, &next)) {
		struct xr_prefix p = {.addr.family = family};

		memcpy(&key, &next, key_size);
		if (bpf_map_lookup_elem(fd, &key, &r))
			continue;
		p.len = key.v4.prefixlen - XR_LPM_VRF_BITS;
		memcpy(p.addr.bytes,
		       family == AF_INET ? key.v4.addr : key.v6.addr,
		       family == AF_INET ? 4 : 16);
		printf("%s %u %s %u\n", xr_prefix_str(&p, buf, sizeof(buf)),
		       ntohl(key.v4.vrf), xr_route_action_name(r.action), r.id);
	}
}

static int cmd_routes(struct ctl *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (maps_need(c))
		return -1;
	printf("ok\n");
	dump_routes(c->maps.route_v4, sizeof(struct xr_lpm_v4_key), AF_INET);
	dump_routes(c->maps.route_v6, sizeof(struct xr_lpm_v6_key), AF_INET6);
	printf("end\n");
	return 0;
}

/* nexthop-get ID: "ok IFINDEX FLAGS MAC" */
static int cmd_nexthop_get(struct ctl *c, int argc, char **argv)
{
	struct xr_nexthop nh;
	char mac[18];
	uint32_t id = 0;

	if (argc < 2)
		return fail("usage: nexthop-get ID");
	if (maps_need(c) || u32_arg(argv[1], &id))
		return -1;
	if (bpf_map_lookup_elem(c->maps.nexthops, &id, &nh))
		return fail("no nexthop %u", id);
	printf("ok %u %u %s\n", nh.ifindex, nh.flags,
	       xr_mac_str(nh.dmac, mac, sizeof(mac)));
	return 0;
}

/* One compiled rule: comma-separated not, iif=IF, from=PREFIX, to=PREFIX
 * and the action main|blackhole|punt|table=VRF (struct xr_ip_rule). */
static int rule_arg(const char *arg, uint8_t family, struct xr_ip_rule *r)
{
	char buf[256], *save = NULL;
	struct xr_prefix p;
	int action = -1;

	memset(r, 0, sizeof(*r));
	snprintf(buf, sizeof(buf), "%s", arg);
	for (char *t = strtok_r(buf, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		if (!strcmp(t, "not")) {
			r->flags |= XR_RULE_F_INVERT;
		} else if (!strncmp(t, "iif=", 4)) {
			r->flags |= XR_RULE_F_IIF;
			if (ifindex_arg(t + 4, &r->iif))
				return -1;
		} else if (!strncmp(t, "from=", 5) || !strncmp(t, "to=", 3)) {
			bool src = t[0] == 'f';

			if (xr_prefix_parse(strchr(t, '=') + 1, &p) ||
			    p.addr.family != family)
				return fail("bad prefix in '%s'", t);
			memcpy(src ? r->src : r->dst, p.addr.bytes, 16);
			*(src ? &r->src_len : &r->dst_len) = p.len;
		} else if (!strcmp(t, "main")) {
			action = XR_RULE_MAIN;
		} else if (!strcmp(t, "blackhole")) {
			action = XR_RULE_BLACKHOLE;
		} else if (!strcmp(t, "punt")) {
			action = XR_RULE_PUNT;
		} else if (!strncmp(t, "table=", 6)) {
			uint32_t vrf;

			if (u32_arg(t + 6, &vrf))
				return -1;
			action = XR_RULE_TABLE;
			r->vrf = htonl(vrf);
		} else {
			return fail("unknown rule part '%s'", t);
		}
	}
	if (action < 0)
		return fail("rule '%s' has no action", arg);
	r->action = action;
	return 0;
}

/* rules v4|v6 [RULE ...]: the family's compiled rules, in order */
static int cmd_rules(struct ctl *c, int argc, char **argv)
{
	struct xr_ip_rule rules[XR_RULES_MAX];
	uint8_t family;
	int n = argc - 2, err;

	if (argc < 2 || (strcmp(argv[1], "v4") && strcmp(argv[1], "v6")))
		return fail("usage: rules v4|v6 [RULE ...]");
	if (maps_need(c))
		return -1;
	if (n > XR_RULES_MAX)
		return fail("at most %d rules", XR_RULES_MAX);
	family = argv[1][1] == '4' ? AF_INET : AF_INET6;
	for (int i = 0; i < n; i++)
		if (rule_arg(argv[i + 2], family, &rules[i]))
			return -1;
	err = xr_rules_publish(&c->maps, family == AF_INET ? 0 : 1, rules,
			       (uint32_t)n);
	if (err)
		return fail("rules: %s", strerror(-err));
	return ok();
}

/* The kernel's rules of one family, as rules-kernel reads them. */
struct kernel_rules {
	uint8_t family;
	size_t n;
	struct ip_rule v[XR_RULES_MAX + 8];
	bool overflow, bad;
};

static void kernel_rules_reset(void *arg)
{
	struct kernel_rules *kr = arg;

	kr->n = 0;
	kr->overflow = kr->bad = false;
}

static int kernel_rule(const struct nlmsghdr *nlh, void *arg)
{
	struct kernel_rules *kr = arg;
	struct ip_rule r;
	int err;

	if (nlh->nlmsg_type != RTM_NEWRULE)
		return MNL_CB_OK;
	err = ip_rule_parse(nlh, &r);
	if (err == -EAFNOSUPPORT || (!err && r.family != kr->family))
		return MNL_CB_OK;
	if (err)
		kr->bad = true;
	else if (kr->n == sizeof(kr->v) / sizeof(kr->v[0]))
		kr->overflow = true;
	else
		kr->v[kr->n++] = r;
	return MNL_CB_OK;
}

static uint32_t rule_ifindex(const char *name)
{
	return if_nametoindex(name);
}

/*
 * rules-kernel v4|v6: the family's rules of this namespace's kernel,
 * compiled as the daemon compiles them (ip_rules_compile, as
 * kernel/rules_follow.c does) and published into the rule banks. Answers
 * "ok N PLAN": N rules compiled and the plan flag the daemon would then set
 * on every interface the rules can match (none when N is 0). The plan
 * flags themselves are the iface command's.
 */
static int cmd_rules_kernel(struct ctl *c, int argc, char **argv)
{
	const struct ip_rules_env env = {.ifindex_of = rule_ifindex};
	static struct kernel_rules kr;
	struct xr_ip_rule out[XR_RULES_MAX];
	size_t from[XR_RULES_MAX];
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct fib_rule_hdr *frh;
	int n, err, f;

	if (argc < 2 || (strcmp(argv[1], "v4") && strcmp(argv[1], "v6")))
		return fail("usage: rules-kernel v4|v6");
	if (maps_need(c))
		return -1;
	f = argv[1][1] == '6';
	memset(&kr, 0, sizeof(kr));
	kr.family = f ? AF_INET6 : AF_INET;
	nlh->nlmsg_type = RTM_GETRULE;
	nlh->nlmsg_flags = NLM_F_DUMP;
	nlh->nlmsg_seq = 1;
	frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
	frh->family = kr.family;
	err = nl_dump_consistent(NETLINK_ROUTE, nlh, kernel_rule,
				 kernel_rules_reset, &kr);
	if (err)
		return fail("dump rules: %s", strerror(-err));
	if (kr.bad || kr.overflow)
		return fail("rules: %s", kr.bad ? "one cannot be read"
						: "more than the banks hold");
	/* no table but main is proven here: those rules punt */
	n = ip_rules_compile(kr.v, kr.n, out, from, XR_RULES_MAX, &env);
	if (n < 0)
		return fail("rules do not compile: %s", strerror(-n));
	err = xr_rules_publish(&c->maps, (uint32_t)f, out, (uint32_t)n);
	if (err)
		return fail("rules: %s", strerror(-err));
	printf("ok %d %s\n", n,
	       !n  ? "none"
	       : f ? plan_flag_name(XR_IF_F_RULE_CHECK_V6)
		   : plan_flag_name(XR_IF_F_RULE_CHECK_V4));
	return 0;
}

static int cmd_features(struct ctl *c, int argc, char **argv)
{
	uint64_t f;
	uint32_t ifindex;
	int err;

	(void)c;
	if (argc < 2 || ifindex_arg(argv[1], &ifindex))
		return argc < 2 ? fail("usage: features IFNAME") : -1;
	err = xr_xdp_features_get(ifindex, &f);
	if (err)
		return fail("xdp features of %s: %s", argv[1], strerror(-err));
	printf("ok 0x%llx ndo_xmit %s\n", (unsigned long long)f,
	       f & XR_XDP_ACT_NDO_XMIT ? "yes" : "no");
	return 0;
}

static const struct {
	const char *name;
	cmd_fn fn;
} commands[] = {
	{"load", cmd_load},
	{"attach", cmd_attach},
	{"detach", cmd_detach},
	{"iface", cmd_iface},
	{"iface-del", cmd_iface_del},
	{"vlan-del", cmd_vlan_del},
	{"nexthop", cmd_nexthop},
	{"nexthop-del", cmd_nexthop_del},
	{"group", cmd_group},
	{"group-del", cmd_group_del},
	{"neigh", cmd_neigh},
	{"neigh-del", cmd_neigh_del},
	{"route", cmd_route},
	{"route-del", cmd_route_del},
	{"run", cmd_run},
	{"counters", cmd_counters},
	{"if-counters", cmd_if_counters},
	{"clear", cmd_clear},
	{"features", cmd_features},
	{"rules", cmd_rules},
	{"rules-kernel", cmd_rules_kernel},
	{"lookup", cmd_lookup},
	{"fib-stats", cmd_fib_stats},
	{"sample-rate", cmd_sample_rate},
	{"samples", cmd_samples},
	{"xlated", cmd_xlated},
	{"routes", cmd_routes},
	{"nexthop-get", cmd_nexthop_get},
};

static int dispatch(struct ctl *c, int argc, char **argv)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[0], commands[i].name))
			return commands[i].fn(c, argc, argv);
	return fail("unknown command '%s'", argv[0]);
}

static int run_stdin(struct ctl *c)
{
	char line[40000];
	int errors = 0;

	while (fgets(line, sizeof(line), stdin)) {
		char *argv[MAX_ARGS], *save = NULL, *tok;
		int argc = 0;

		for (tok = strtok_r(line, " \t\n", &save);
		     tok && argc < MAX_ARGS;
		     tok = strtok_r(NULL, " \t\n", &save))
			argv[argc++] = tok;
		if (argc == 0 || argv[0][0] == '#')
			continue;
		if (dispatch(c, argc, argv))
			errors++;
		fflush(stdout);
	}
	return errors ? 1 : 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: xr-dpctl [--pin DIR] [--no-ipv6] [--no-ecmp] "
		"[--no-conntrack] [--no-vlan] [--flow-sample] [--v4-max N] "
		"[--fib "
		"lpm|dir24] "
		"[--fib6 lpm|mbt] "
		"[--fib6-nodes N] [--log-level L] "
		"(CMD ARGS... | -)\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"pin", required_argument, NULL, 'p'},
		{"no-ipv6", no_argument, NULL, '6'},
		{"no-ecmp", no_argument, NULL, 'e'},
		{"no-conntrack", no_argument, NULL, 'C'},
		{"no-vlan", no_argument, NULL, 'V'},
		{"flow-sample", no_argument, NULL, 's'},
		{"v4-max", required_argument, NULL, 'm'},
		{"fib", required_argument, NULL, 'F'},
		{"fib6", required_argument, NULL, 'S'},
		{"fib6-nodes", required_argument, NULL, 'N'},
		{"log-level", required_argument, NULL, 'l'},
		{},
	};
	struct ctl c = {0};
	int opt, ret;

	xr_loader_opts_default(&c.opts);
	snprintf(c.pin_dir, sizeof(c.pin_dir), "%s", XR_PIN_DIR_DEFAULT);
	xr_log_setup_libbpf();
	while ((opt = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			snprintf(c.pin_dir, sizeof(c.pin_dir), "%s", optarg);
			break;
		case '6':
			c.opts.features.ipv6 = 0;
			break;
		case 'e':
			c.opts.features.ecmp = 0;
			break;
		case 'C':
			c.opts.features.conntrack = 0;
			break;
		case 'V':
			c.opts.features.vlan = 0;
			break;
		case 's':
			c.opts.flow_sample = true;
			break;
		case 'm':
			if (u32_arg(optarg, &c.opts.route_v4_max))
				return 2;
			break;
		case 'F':
			if (xr_loader_parse_fib(optarg, &c.opts.features.fib)) {
				fprintf(stderr, "--fib takes lpm or dir24\n");
				return 2;
			}
			if (!c.fib6_given)
				c.opts.features.fib6 =
					xr_loader_fib6_for(c.opts.features.fib);
			break;
		case 'S':
			if (xr_loader_parse_fib6(optarg,
						 &c.opts.features.fib6)) {
				fprintf(stderr, "--fib6 takes lpm or mbt\n");
				return 2;
			}
			c.fib6_given = true;
			break;
		case 'N':
			if (u32_arg(optarg, &c.opts.fib6_nodes))
				return 2;
			break;
		case 'l':
			ret = xr_log_level_parse(optarg);
			if (ret < 0) {
				fprintf(stderr, "unknown log level '%s'\n",
					optarg);
				return 2;
			}
			xr_log_set_level(ret);
			break;
		default:
			usage();
			return 2;
		}
	}
	c.opts.pin_dir = c.pin_dir;
	if (optind >= argc) {
		usage();
		return 2;
	}
	if (!strcmp(argv[optind], "-"))
		ret = run_stdin(&c);
	else
		ret = dispatch(&c, argc - optind, argv + optind) ? 1 : 0;
	if (c.fib_routes.slots) {
		struct fib_route *e;
		size_t i;

		hashtab_for_each(&c.fib_routes, i, e) free(e);
		hashtab_free(&c.fib_routes);
	}
	fib4_close(c.fib4);
	fib6_close(c.fib6);
	if (c.maps_open)
		xr_maps_close(&c.maps);
	xr_loader_free(c.loader);
	return ret;
}
