// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>

#include "xdp_router_abi.h"
#include "util/log.h"
#include "kernel/iptables_legacy.h"

/* How often the tables are looked at: they have no notifications. */
#define IPTABLES_POLL_MS 1000

struct iptables_legacy {
	struct plan *pl;
	struct event *timer;
};

/* The hooks a forwarded packet crosses. */
static const unsigned fwd_hooks[] = {NF_INET_PRE_ROUTING, NF_INET_FORWARD,
				     NF_INET_POST_ROUTING};
static const char *const hook_names[] = {
	[NF_INET_PRE_ROUTING] = "PREROUTING",
	[NF_INET_FORWARD] = "FORWARD",
	[NF_INET_POST_ROUTING] = "POSTROUTING",
};

struct family {
	int af, level, opt_info, opt_entries;
	const char *names, *cmd;
	uint32_t flags;
};

static const struct family families[] = {
	{AF_INET, SOL_IP, IPT_SO_GET_INFO, IPT_SO_GET_ENTRIES,
	 "/proc/net/ip_tables_names", "iptables-legacy",
	 XR_IF_F_PUNT_IN_V4 | XR_IF_F_PUNT_OUT_V4},
	{AF_INET6, SOL_IPV6, IP6T_SO_GET_INFO, IP6T_SO_GET_ENTRIES,
	 "/proc/net/ip6_tables_names", "ip6tables-legacy",
	 XR_IF_F_PUNT_IN_V6 | XR_IF_F_PUNT_OUT_V6},
};

/* The verdict of the built-in chain's policy (its underflow entry): ACCEPT
 * is -NF_ACCEPT - 1. The entry layouts of both families end in the same
 * target header; only the entry's own size differs. */
static int policy_verdict(int fd, const struct family *f, const char *table,
			  const struct ipt_getinfo *info, unsigned hook,
			  int *verdict)
{
	size_t len = sizeof(struct ipt_get_entries) + info->size;
	struct ipt_get_entries *ge = calloc(1, len);
	socklen_t sl = len;
	const unsigned char *e;
	uint16_t target_offset;
	int ret = -EIO;

	if (!ge)
		return -ENOMEM;
	memcpy(ge->name, table, strnlen(table, sizeof(ge->name) - 1));
	ge->size = info->size;
	if (getsockopt(fd, f->level, f->opt_entries, ge, &sl) < 0) {
		ret = -errno;
		goto out;
	}
	if (info->underflow[hook] + sizeof(struct ip6t_entry) +
		    sizeof(struct xt_standard_target) >
	    info->size)
		goto out;
	e = (const unsigned char *)ge->entrytable + info->underflow[hook];
	target_offset = f->af == AF_INET
				? ((const struct ipt_entry *)e)->target_offset
				: ((const struct ip6t_entry *)e)->target_offset;
	if (info->underflow[hook] + target_offset +
		    sizeof(struct xt_standard_target) >
	    info->size)
		goto out;
	memcpy(verdict,
	       e + target_offset + offsetof(struct xt_standard_target, verdict),
	       sizeof(*verdict));
	ret = 0;
out:
	free(ge);
	return ret;
}

static void check_table(struct iptables_legacy *il, const struct family *f,
			int fd, const char *table)
{
	struct ipt_getinfo info = {0};
	socklen_t sl = sizeof(info);
	char why[XR_PLAN_WHY_MAX];

	memcpy(info.name, table, strnlen(table, sizeof(info.name) - 1));
	if (getsockopt(fd, f->level, f->opt_info, &info, &sl) < 0) {
		snprintf(why, sizeof(why), "%s table %s: unreadable (%s)",
			 f->cmd, table, strerror(errno));
		plan_set(il->pl, XR_PLAN_IPTABLES, XR_PLAN_ALL_IFACES, f->flags,
			 why);
		return;
	}
	for (size_t i = 0; i < sizeof(fwd_hooks) / sizeof(fwd_hooks[0]); i++) {
		unsigned h = fwd_hooks[i];
		int verdict = 0, err;

		if (!(info.valid_hooks & (1U << h)))
			continue;
		if (info.hook_entry[h] != info.underflow[h]) {
			snprintf(why, sizeof(why), "%s table %s %s: rules",
				 f->cmd, table, hook_names[h]);
			plan_set(il->pl, XR_PLAN_IPTABLES, XR_PLAN_ALL_IFACES,
				 f->flags, why);
			continue;
		}
		err = policy_verdict(fd, f, table, &info, h, &verdict);
		if (err || verdict != -NF_ACCEPT - 1) {
			snprintf(why, sizeof(why), "%s table %s %s: %s", f->cmd,
				 table, hook_names[h],
				 err ? "unreadable" : "policy not ACCEPT");
			plan_set(il->pl, XR_PLAN_IPTABLES, XR_PLAN_ALL_IFACES,
				 f->flags, why);
		}
	}
}

static void check_family(struct iptables_legacy *il, const struct family *f)
{
	FILE *names = fopen(f->names, "r");
	char table[XT_TABLE_MAXNAMELEN];
	int fd;

	if (!names)
		return; /* no ip_tables module: no legacy tables */
	fd = socket(f->af, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	while (fgets(table, sizeof(table), names)) {
		table[strcspn(table, "\n")] = 0;
		if (!table[0])
			continue;
		if (fd < 0) {
			plan_set(il->pl, XR_PLAN_IPTABLES, XR_PLAN_ALL_IFACES,
				 f->flags, "iptables-legacy: cannot ask");
			continue;
		}
		check_table(il, f, fd, table);
	}
	if (fd >= 0)
		close(fd);
	fclose(names);
}

static void check(struct iptables_legacy *il)
{
	plan_begin(il->pl, XR_PLAN_IPTABLES);
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		check_family(il, &families[i]);
	plan_commit(il->pl, XR_PLAN_IPTABLES);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	check(arg);
}

int iptables_legacy_new(struct iptables_legacy **out, struct event_base *base,
			struct plan *pl)
{
	struct iptables_legacy *il = calloc(1, sizeof(*il));
	struct timeval every = {IPTABLES_POLL_MS / 1000,
				(IPTABLES_POLL_MS % 1000) * 1000};

	if (!il)
		return -ENOMEM;
	il->pl = pl;
	plan_expect(pl, XR_PLAN_IPTABLES);
	il->timer = event_new(base, -1, EV_PERSIST, on_timer, il);
	if (!il->timer || event_add(il->timer, &every)) {
		iptables_legacy_free(il);
		return -ENOMEM;
	}
	check(il);
	*out = il;
	return 0;
}

void iptables_legacy_free(struct iptables_legacy *il)
{
	if (!il)
		return;
	if (il->timer)
		event_free(il->timer);
	free(il);
}
