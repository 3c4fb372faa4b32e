// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/netconf.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "xdp_router_abi.h"
#include "util/log.h"
#include "kernel/netconf.h"

#define NC_UNKNOWN (-1)

/* What netconf told us about one device, per family. */
struct nc_dev {
	int ifindex;
	int fwd4, rpf4; /* NC_UNKNOWN until an IPv4 netconf names it */
	int fwd6;	/* NC_UNKNOWN: no IPv6 netconf names it (no inet6_dev);
			 * the device's own value does not gate forwarding */
};

struct netconf {
	struct plan *plan;
	int fd;
	uint32_t seq;
	struct event *ev, *tick;
	struct nc_dev *devs;
	size_t n, cap;
	int all_fwd4, all_rpf4, all_fwd6;
	uint64_t resyncs;
};

uint32_t netconf_rpf_flags(int all, int dev, bool has_v4_addr)
{
	int r = all > dev ? all : dev; /* IN_DEV_MAXCONF */

	if (r == 1 || (r >= 2 && !has_v4_addr))
		return XR_IF_F_RPF_STRICT_V4;
	if (r >= 2)
		return XR_IF_F_RPF_LOOSE_V4;
	return 0;
}

static struct nc_dev *dev_get(struct netconf *nc, int ifindex, bool create)
{
	for (size_t i = 0; i < nc->n; i++)
		if (nc->devs[i].ifindex == ifindex)
			return &nc->devs[i];
	if (!create)
		return NULL;
	if (nc->n == nc->cap) {
		size_t cap = nc->cap ? 2 * nc->cap : 16;
		struct nc_dev *v = realloc(nc->devs, cap * sizeof(*v));

		if (!v)
			return NULL;
		nc->devs = v;
		nc->cap = cap;
	}
	nc->devs[nc->n] =
		(struct nc_dev){ifindex, NC_UNKNOWN, NC_UNKNOWN, NC_UNKNOWN};
	return &nc->devs[nc->n++];
}

static void dev_drop(struct netconf *nc, int ifindex)
{
	for (size_t i = 0; i < nc->n; i++)
		if (nc->devs[i].ifindex == ifindex) {
			nc->devs[i] = nc->devs[--nc->n];
			return;
		}
}

/* One RTM_NEWNETCONF / RTM_DELNETCONF. Returns -ENOMEM when a device
 * could not be kept (the caller then states nothing as proven). */
static int netconf_msg(struct netconf *nc, const struct nlmsghdr *h)
{
	const struct netconfmsg *m = NLMSG_DATA(h);
	const int off = NLMSG_ALIGN(sizeof(*m));
	int len = (int)h->nlmsg_len - NLMSG_LENGTH(off);
	int ifindex = 0, fwd = NC_UNKNOWN, rpf = NC_UNKNOWN;
	bool has_ifindex = false;
	struct nc_dev *d;

	if (len < 0 || (m->ncm_family != AF_INET && m->ncm_family != AF_INET6))
		return 0;
	for (const struct rtattr *a = (void *)((char *)m + off); RTA_OK(a, len);
	     a = RTA_NEXT(a, len)) {
		int v;

		if (RTA_PAYLOAD(a) < sizeof(int))
			continue;
		memcpy(&v, RTA_DATA(a), sizeof(v));
		if (a->rta_type == NETCONFA_IFINDEX) {
			ifindex = v;
			has_ifindex = true;
		} else if (a->rta_type == NETCONFA_FORWARDING) {
			fwd = v;
		} else if (a->rta_type == NETCONFA_RP_FILTER) {
			rpf = v;
		}
	}
	if (!has_ifindex || ifindex == NETCONFA_IFINDEX_DEFAULT)
		return 0; /* default only shapes devices yet to come */
	if (ifindex == NETCONFA_IFINDEX_ALL) {
		if (m->ncm_family == AF_INET6) {
			if (fwd != NC_UNKNOWN)
				nc->all_fwd6 = fwd;
			return 0;
		}
		if (fwd != NC_UNKNOWN)
			nc->all_fwd4 = fwd;
		if (rpf != NC_UNKNOWN)
			nc->all_rpf4 = rpf;
		return 0;
	}
	if (h->nlmsg_type == RTM_DELNETCONF) {
		dev_drop(nc, ifindex);
		return 0;
	}
	d = dev_get(nc, ifindex, true);
	if (!d)
		return -ENOMEM;
	if (m->ncm_family == AF_INET6) {
		if (fwd != NC_UNKNOWN)
			d->fwd6 = fwd;
		else if (d->fwd6 == NC_UNKNOWN)
			d->fwd6 = 0; /* has IPv6; forwarding not said yet */
		return 0;
	}
	if (fwd != NC_UNKNOWN)
		d->fwd4 = fwd;
	if (rpf != NC_UNKNOWN)
		d->rpf4 = rpf;
	return 0;
}

/* A sysctl of a conf directory; -1 when it cannot be read. */
static int proc_conf(const char *fam, const char *dev, const char *name)
{
	char path[128];
	int v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/net/%s/conf/%s/%s", fam, dev,
		 name);
	f = fopen(path, "re");
	if (!f)
		return -1;
	if (fscanf(f, "%d", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static bool has_v4_addr(const struct ifaddrs *ifs, const char *name)
{
	for (const struct ifaddrs *i = ifs; i; i = i->ifa_next)
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET &&
		    !strcmp(i->ifa_name, name))
			return true;
	return false;
}

static void set(struct netconf *nc, uint32_t ifindex, uint32_t flags,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void set(struct netconf *nc, uint32_t ifindex, uint32_t flags,
		const char *fmt, ...)
{
	char why[XR_PLAN_WHY_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	plan_set(nc->plan, XR_PLAN_NETCONF, ifindex, flags, why);
}

static void state_v4(struct netconf *nc, const struct nc_dev *d,
		     const char *name, const struct ifaddrs *ifs)
{
	int all_sr = proc_conf("ipv4", "all", "send_redirects");
	int sr = proc_conf("ipv4", name, "send_redirects");
	bool addr = has_v4_addr(ifs, name);
	uint32_t rpf;

	if (d->fwd4 == 0)
		set(nc, d->ifindex, XR_IF_F_NOFWD_V4,
		    "net.ipv4.conf.%s.forwarding=0", name);
	rpf = netconf_rpf_flags(nc->all_rpf4, d->rpf4, addr);
	if (rpf)
		set(nc, d->ifindex, rpf,
		    "net.ipv4.conf.%s.rp_filter=%d, all=%d%s", name, d->rpf4,
		    nc->all_rpf4,
		    (rpf & XR_IF_F_RPF_STRICT_V4) &&
				    (d->rpf4 >= 2 || nc->all_rpf4 >= 2)
			    ? " (loose without an IPv4 address: strict)"
			    : "");
	/* Unreadable is taken as on: punting a hairpin costs little. */
	if (all_sr != 0 || sr != 0)
		set(nc, d->ifindex, XR_IF_F_REDIRECTS_V4,
		    "net.ipv4.conf.%s.send_redirects=%d",
		    all_sr != 0 ? "all" : name, all_sr != 0 ? all_sr : sr);
}

static void state_v6(struct netconf *nc, const struct nc_dev *d,
		     const char *name)
{
	int dis = proc_conf("ipv6", name, "disable_ipv6");

	if (d->fwd6 == NC_UNKNOWN || dis != 0) {
		set(nc, d->ifindex, XR_IF_F_NOFWD_V6 | XR_IF_F_PUNT_OUT_V6,
		    d->fwd6 == NC_UNKNOWN ? "no IPv6 on %s"
					  : "net.ipv6.conf.%s.disable_ipv6=1",
		    name);
		return;
	}
	if (nc->all_fwd6 != 1 &&
	    proc_conf("ipv6", name, "force_forwarding") != 1)
		set(nc, d->ifindex, XR_IF_F_NOFWD_V6,
		    "net.ipv6.conf.all.forwarding=%d", nc->all_fwd6);
}

/* The whole NETCONF part of the plan, restated. */
static void restate(struct netconf *nc)
{
	struct ifaddrs *ifs = NULL;

	if (getifaddrs(&ifs))
		ifs = NULL;
	plan_begin(nc->plan, XR_PLAN_NETCONF);
	set(nc, XR_PLAN_ALL_IFACES, XR_IF_F_REDIRECTS_V6,
	    "ip6_forward redirects hairpins (no sysctl)");
	for (size_t i = 0; i < nc->n; i++) {
		const struct nc_dev *d = &nc->devs[i];
		char name[IF_NAMESIZE];

		if (!if_indextoname(d->ifindex, name))
			continue; /* gone; its DELNETCONF follows */
		if (d->fwd4 != NC_UNKNOWN || d->rpf4 != NC_UNKNOWN)
			state_v4(nc, d, name, ifs);
		state_v6(nc, d, name);
	}
	if (ifs)
		freeifaddrs(ifs);
	plan_commit(nc->plan, XR_PLAN_NETCONF);
}

/* Handles every message in buf; a dump's end sets *done. */
static int handle(struct netconf *nc, const char *buf, ssize_t n, bool *done)
{
	int err = 0;

	for (const struct nlmsghdr *h = (const void *)buf; NLMSG_OK(h, n);
	     h = NLMSG_NEXT(h, n)) {
		if (h->nlmsg_type == NLMSG_DONE) {
			*done = true;
		} else if (h->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(h);

			if (e->error) {
				*done = true;
				err = e->error;
			}
		} else if (h->nlmsg_type == RTM_NEWNETCONF ||
			   h->nlmsg_type == RTM_DELNETCONF) {
			if (netconf_msg(nc, h))
				err = -ENOMEM;
		}
	}
	return err;
}

static int dump_family(struct netconf *nc, int family)
{
	struct {
		struct nlmsghdr h;
		struct netconfmsg m;
		char pad[3];
	} req = {
		.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct netconfmsg)),
		.h.nlmsg_type = RTM_GETNETCONF,
		.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		.h.nlmsg_seq = ++nc->seq,
		.m.ncm_family = family,
	};
	char buf[16384];
	bool done = false;
	int err = 0;

	if (send(nc->fd, &req, req.h.nlmsg_len, 0) < 0)
		return -errno;
	while (!done) {
		ssize_t n = recv(nc->fd, buf, sizeof(buf), 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno; /* ENOBUFS: the caller dumps again */
		int e = handle(nc, buf, n, &done);

		if (e)
			err = e;
	}
	return err;
}

/* Everything again: at start and after the socket overran. */
static int dump(struct netconf *nc)
{
	int err = 0;

	for (int tries = 0; tries < 5; tries++) {
		nc->n = 0;
		nc->all_fwd4 = nc->all_rpf4 = nc->all_fwd6 = 0;
		err = dump_family(nc, AF_INET);
		if (!err)
			err = dump_family(nc, AF_INET6);
		if (err != -ENOBUFS)
			break;
	}
	return err;
}

static void on_readable(evutil_socket_t fd, short what, void *arg)
{
	struct netconf *nc = arg;
	char buf[16384];
	bool done = false, lost = false;

	(void)what;
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			lost = errno == ENOBUFS;
			break;
		}
		if (handle(nc, buf, n, &done))
			lost = true;
	}
	if (lost) {
		nc->resyncs++;
		xr_warn("netconf: notifications lost, dumping again");
		if (dump(nc)) {
			/* Not knowing the sysctls proves nothing. */
			xr_err("netconf: cannot dump the sysctls; every "
			       "interface punts until the next change");
			plan_begin(nc->plan, XR_PLAN_NETCONF);
			plan_set(nc->plan, XR_PLAN_NETCONF, XR_PLAN_ALL_IFACES,
				 XR_IF_PLAN_PUNT_ALL, "netconf dump failed");
			plan_commit(nc->plan, XR_PLAN_NETCONF);
			return;
		}
	}
	restate(nc);
}

/* The sysctls netconf does not carry change without a notification. */
static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	restate(arg);
}

int netconf_new(struct netconf **out, struct event_base *base,
		struct plan *plan)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR,
	};
	struct timeval one_second = {1, 0};
	unsigned int groups[] = {RTNLGRP_IPV4_NETCONF, RTNLGRP_IPV6_NETCONF};
	struct netconf *nc = calloc(1, sizeof(*nc));
	int err, rcvbuf = 1 << 20;

	if (!nc)
		return -ENOMEM;
	nc->fd = -1;
	nc->plan = plan;
	plan_expect(plan, XR_PLAN_NETCONF);
	nc->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (nc->fd < 0 || bind(nc->fd, (struct sockaddr *)&sa, sizeof(sa)))
		goto fail;
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (setsockopt(nc->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			       &groups[i], sizeof(groups[i])))
			goto fail;
	setsockopt(nc->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	/* Joined first, dumped second: a change between the two arrives as
	 * a notification after the dump and wins. */
	err = dump(nc);
	if (err) {
		xr_err("netconf: cannot dump the sysctls: %s", strerror(-err));
		netconf_free(nc);
		return err;
	}
	restate(nc);
	nc->ev = event_new(base, nc->fd, EV_READ | EV_PERSIST, on_readable, nc);
	nc->tick = event_new(base, -1, EV_PERSIST, on_tick, nc);
	if (!nc->ev || !nc->tick || event_add(nc->ev, NULL) ||
	    event_add(nc->tick, &one_second)) {
		netconf_free(nc);
		return -ENOMEM;
	}
	*out = nc;
	return 0;
fail:
	err = -errno;
	xr_err("netconf: cannot follow the sysctls: %s", strerror(errno));
	netconf_free(nc);
	return err;
}

void netconf_free(struct netconf *nc)
{
	if (!nc)
		return;
	if (nc->ev)
		event_free(nc->ev);
	if (nc->tick)
		event_free(nc->tick);
	if (nc->fd >= 0)
		close(nc->fd);
	free(nc->devs);
	free(nc);
}
