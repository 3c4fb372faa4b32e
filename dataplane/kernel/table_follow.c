// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

#include "util/log.h"
#include "rib/rib_view.h"
#include "kernel/nl_follow.h"
#include "kernel/route_table.h"
#include "kernel/table_follow.h"

#define TABLES_MAX 16 /* tables followed; beyond, never proven */
#define RIB_POLL_MS 100

struct followed {
	uint8_t family;
	uint32_t table;
	bool dirty;  /* the kernel's side changed: dump again */
	bool proven; /* equal at the last comparison */
	uint64_t rib_gen;
	char why[160];
};

struct table_follow {
	struct event_base *base;
	const struct rib *rib;
	void (*changed)(void *arg);
	void *arg;
	struct nl_follow *nl; /* from the first table asked for */
	bool subscribed;      /* tried */
	struct event *poll;
	unsigned seq;
	struct followed t[TABLES_MAX];
	size_t n;
	/* the dump being read */
	struct table_route *v;
	size_t nv, cap;
	bool lost;
};

static struct followed *find(struct table_follow *tf, uint8_t family,
			     uint32_t table)
{
	for (size_t i = 0; i < tf->n; i++)
		if (tf->t[i].family == family && tf->t[i].table == table)
			return &tf->t[i];
	return NULL;
}

/* A notification of a followed table marks it; any other is ignored. */
static bool want(const struct nlmsghdr *nlh, void *arg)
{
	struct table_follow *tf = arg;
	struct table_route r;
	struct followed *t;

	if (nlh && nlh->nlmsg_type != RTM_NEWROUTE &&
	    nlh->nlmsg_type != RTM_DELROUTE)
		return false;
	/* lost (an overrun) or unreadable: any table may have changed */
	if (!nlh || table_route_parse(nlh, &r) == -EBADMSG) {
		for (size_t i = 0; i < tf->n; i++)
			tf->t[i].dirty = true;
		return tf->n > 0;
	}
	t = find(tf, r.family, r.table);
	if (!t)
		return false;
	t->dirty = true;
	return true;
}

static int on_route(const struct nlmsghdr *nlh, void *arg)
{
	struct table_follow *tf = arg;
	struct table_route r;
	int err;

	if (nlh->nlmsg_type != RTM_NEWROUTE)
		return MNL_CB_OK;
	err = table_route_parse(nlh, &r);
	if (err == -ENOENT)
		return MNL_CB_OK;
	if (err) {
		tf->lost = true;
		return MNL_CB_OK;
	}
	if (tf->nv == tf->cap) {
		size_t cap = tf->cap ? 2 * tf->cap : 64;
		struct table_route *v = realloc(tf->v, cap * sizeof(*v));

		if (!v) {
			tf->lost = true;
			return MNL_CB_OK;
		}
		tf->v = v;
		tf->cap = cap;
	}
	tf->v[tf->nv++] = r;
	return MNL_CB_OK;
}

static int dump_table(struct table_follow *tf, const struct followed *t)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;
	int err = -EINTR;

	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = t->family;
	rtm->rtm_table = t->table < 256 ? t->table : RT_TABLE_UNSPEC;
	mnl_attr_put_u32(nlh, RTA_TABLE, t->table);
	for (int tries = 0; tries < 5 && err == -EINTR; tries++) {
		nlh->nlmsg_seq = ++tf->seq;
		tf->nv = 0;
		tf->lost = false;
		err = nl_dump_strict(NETLINK_ROUTE, nlh, on_route, tf);
	}
	if (err == -ENOENT) {
		/* "FIB table does not exist": no route yet */
		tf->nv = 0;
		return 0;
	}
	return err ? err : tf->lost ? -EBADMSG : 0;
}

static int ops_get(void *arg, uint32_t vrf, const struct table_route *k,
		   uint8_t *type, uint32_t *nh_id)
{
	const struct table_follow *tf = arg;
	struct rib_route_view v;

	if (rib_route_get(tf->rib, k->family, vrf, k->dst, k->plen, &v))
		return -ENOENT;
	*type = v.fpm_type;
	*nh_id = v.nh_id;
	return 0;
}

static bool ops_nexthop_is(void *arg, uint32_t nh_id,
			   const struct table_route *k)
{
	const struct table_follow *tf = arg;

	return rib_zebra_nh_is(tf->rib, nh_id, k->family,
			       k->has_gw ? k->gw : NULL, k->oif);
}

static size_t ops_count(void *arg, uint8_t family, uint32_t vrf)
{
	const struct table_follow *tf = arg;
	uint64_t n, gen;

	/* uncounted: never equal to a dump */
	if (!rib_vrf_state(tf->rib, vrf, family, &n, &gen))
		return SIZE_MAX;
	return (size_t)n;
}

/* Compares one table again; true when its verdict changed. */
static bool compare(struct table_follow *tf, struct followed *t)
{
	const struct route_table_ops ops = {
		.route_get = ops_get,
		.nexthop_is = ops_nexthop_is,
		.count = ops_count,
		.arg = tf,
	};
	bool was = t->proven;
	char diff[128], old[sizeof(t->why)];
	uint64_t n;
	int err;

	memcpy(old, t->why, sizeof(old));
	rib_vrf_state(tf->rib, t->table, t->family, &n, &t->rib_gen);
	err = dump_table(tf, t);
	t->dirty = false;
	if (err) {
		t->proven = false;
		snprintf(t->why, sizeof(t->why), "table %u unread: %s",
			 t->table, strerror(-err));
		t->dirty = true; /* the next poll tries again */
	} else {
		t->proven =
			route_table_equal(tf->v, tf->nv, t->family, t->table,
					  &ops, diff, sizeof(diff));
		snprintf(t->why, sizeof(t->why), "table %u differs: %s",
			 t->table, diff);
	}
	if (t->proven == was && (t->proven || !strcmp(old, t->why)))
		return false;
	xr_info("plan: ip rules' %s table %u %s",
		t->family == AF_INET ? "ipv4" : "ipv6", t->table,
		t->proven ? "equals zebra's: looked up in XDP" : t->why);
	return true;
}

static void recheck(void *arg)
{
	struct table_follow *tf = arg;
	bool changed = false;

	for (size_t i = 0; i < tf->n; i++) {
		struct followed *t = &tf->t[i];
		uint64_t n, gen;

		rib_vrf_state(tf->rib, t->table, t->family, &n, &gen);
		if (t->dirty || gen != t->rib_gen)
			changed |= compare(tf, t);
	}
	if (changed)
		tf->changed(tf->arg);
}

/* Subscribed before the first dump (nl_follow_new runs recheck): from the
 * event loop, never inside the compilation that asked for the table. */
static void subscribe(struct table_follow *tf)
{
	static const unsigned groups[] = {RTNLGRP_IPV4_ROUTE,
					  RTNLGRP_IPV6_ROUTE};
	int err;

	tf->subscribed = true;
	err = nl_follow_new(&tf->nl, tf->base, NETLINK_ROUTE, groups, 2,
			    recheck, tf, "ip rules' tables");
	if (err) {
		xr_err("plan: cannot follow the ip rules' tables: %s; they "
		       "punt",
		       strerror(-err));
		return;
	}
	nl_follow_filter(tf->nl, want);
}

static void on_poll(evutil_socket_t fd, short what, void *arg)
{
	struct table_follow *tf = arg;

	(void)fd;
	(void)what;
	if (!tf->n)
		return;
	if (!tf->subscribed)
		subscribe(tf);
	else if (tf->nl)
		recheck(tf);
}

int table_follow_new(struct table_follow **out, struct event_base *base,
		     const struct rib *rib, void (*changed)(void *arg),
		     void *arg)
{
	struct table_follow *tf = calloc(1, sizeof(*tf));
	struct timeval every = {0, RIB_POLL_MS * 1000};

	if (!tf)
		return -ENOMEM;
	tf->base = base;
	tf->rib = rib;
	tf->changed = changed;
	tf->arg = arg;
	tf->seq = time(NULL);
	tf->poll = event_new(base, -1, EV_PERSIST, on_poll, tf);
	if (!tf->poll || event_add(tf->poll, &every)) {
		table_follow_free(tf);
		return -ENOMEM;
	}
	*out = tf;
	return 0;
}

void table_follow_free(struct table_follow *tf)
{
	if (!tf)
		return;
	if (tf->poll)
		event_free(tf->poll);
	nl_follow_free(tf->nl);
	free(tf->v);
	free(tf);
}

bool table_follow_proven(struct table_follow *tf, uint8_t family,
			 uint32_t table, char *why, size_t len)
{
	struct followed *t;

	if (!tf)
		return false;
	t = find(tf, family, table);
	if (t) {
		if (!t->proven)
			snprintf(why, len, "%s", t->why);
		return t->proven;
	}
	if (tf->n == TABLES_MAX) {
		snprintf(why, len, "table %u: more than %d tables followed",
			 table, TABLES_MAX);
		return false;
	}
	t = &tf->t[tf->n++];
	*t = (struct followed){.family = family, .table = table, .dirty = true};
	snprintf(t->why, sizeof(t->why), "table %u not yet compared", table);
	snprintf(why, len, "%s", t->why);
	return false;
}
