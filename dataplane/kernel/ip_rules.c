// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "kernel/ip_rules.h"

/* The kernel's own rules (fib4_rules_init, fib6_rules_net_init). */
static const struct {
	uint8_t family;
	uint32_t priority, table;
	unsigned bit;
	const char *name;
} defaults[] = {
	{AF_INET, 0, RT_TABLE_LOCAL, 1, "0 lookup local"},
	{AF_INET, 32766, RT_TABLE_MAIN, 2, "32766 lookup main"},
	{AF_INET, 32767, RT_TABLE_DEFAULT, 4, "32767 lookup default"},
	{AF_INET6, 0, RT_TABLE_LOCAL, 1, "0 lookup local"},
	{AF_INET6, 32766, RT_TABLE_MAIN, 2, "32766 lookup main"},
};

static int attr_u32(const struct nlattr *a, uint32_t *v)
{
	if (mnl_attr_get_payload_len(a) != sizeof(*v))
		return -EBADMSG;
	*v = mnl_attr_get_u32(a);
	return 0;
}

static int attr_addr(const struct nlattr *a, const struct ip_rule *r,
		     uint8_t *out)
{
	size_t alen = r->family == AF_INET ? 4 : 16;

	if (mnl_attr_get_payload_len(a) != alen)
		return -EBADMSG;
	memcpy(out, mnl_attr_get_payload(a), alen);
	return 0;
}

static int attr_name(const struct nlattr *a, char out[IF_NAMESIZE])
{
	const char *s = mnl_attr_get_payload(a);
	size_t n = mnl_attr_get_payload_len(a);
	size_t len = strnlen(s, n);

	/* a name the kernel sent is NUL-terminated and fits IFNAMSIZ */
	if (len == n || len >= IF_NAMESIZE)
		return -EBADMSG;
	memcpy(out, s, len + 1);
	return 0;
}

static int parse_attr(const struct nlattr *a, struct ip_rule *r)
{
	uint32_t v;

	switch (mnl_attr_get_type(a)) {
	case FRA_DST:
		return attr_addr(a, r, r->dst);
	case FRA_SRC:
		return attr_addr(a, r, r->src);
	case FRA_IIFNAME:
		return attr_name(a, r->iif);
	case FRA_OIFNAME:
		return attr_name(a, r->oif);
	case FRA_PRIORITY:
		return attr_u32(a, &r->priority);
	case FRA_TABLE:
		return attr_u32(a, &r->table);
	case FRA_GOTO:
		return attr_u32(a, &r->target);
	case FRA_FWMARK:
		return attr_u32(a, &r->fwmark);
	case FRA_FWMASK:
		return attr_u32(a, &r->fwmask);
	case FRA_SUPPRESS_PREFIXLEN:
	case FRA_SUPPRESS_IFGROUP:
		/* dumped as -1 when unset */
		if (attr_u32(a, &v))
			return -EBADMSG;
		r->other |= v != UINT32_MAX;
		return 0;
	case FRA_PROTOCOL:
		/* who added it: no effect on the lookup */
		return mnl_attr_get_payload_len(a) == 1 ? 0 : -EBADMSG;
	case FRA_PAD:
		return 0;
	case FRA_L3MDEV:
		if (mnl_attr_get_payload_len(a) != 1)
			return -EBADMSG;
		r->other |= mnl_attr_get_u8(a) != 0;
		return 0;
	default:
		/* FRA_FLOW, FRA_TUN_ID, FRA_UID_RANGE, FRA_IP_PROTO, ports,
		 * and what newer kernels add (dscp, flow label, masks) */
		r->other = true;
		return 0;
	}
}

int ip_rule_parse(const struct nlmsghdr *nlh, struct ip_rule *r)
{
	const struct fib_rule_hdr *frh;
	const struct nlattr *a;
	int len;

	memset(r, 0, sizeof(*r));
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*frh))
		return -EBADMSG;
	frh = mnl_nlmsg_get_payload(nlh);
	if (frh->family != AF_INET && frh->family != AF_INET6)
		return -EAFNOSUPPORT;
	r->family = frh->family;
	r->action = frh->action;
	r->src_len = frh->src_len;
	r->dst_len = frh->dst_len;
	r->tos = frh->tos;
	r->flags = frh->flags;
	r->table = frh->table;
	if (r->src_len > (r->family == AF_INET ? 32 : 128) ||
	    r->dst_len > (r->family == AF_INET ? 32 : 128))
		return -EBADMSG;
	a = mnl_nlmsg_get_payload_offset(nlh, sizeof(*frh));
	len = (int)((const char *)mnl_nlmsg_get_payload_tail(nlh) -
		    (const char *)a);
	for (; mnl_attr_ok(a, len);
	     len -= MNL_ALIGN(a->nla_len), a = mnl_attr_next(a))
		if (parse_attr(a, r))
			return -EBADMSG;
	/* what is left is padding, never a cut attribute */
	if (len >= (int)sizeof(struct nlattr))
		return -EBADMSG;
	return 0;
}

unsigned ip_rule_default_bit(const struct ip_rule *r)
{
	if (r->action != FR_ACT_TO_TBL || r->src_len || r->dst_len || r->tos ||
	    r->flags || r->iif[0] || r->oif[0] || r->fwmark || r->fwmask ||
	    r->target || r->other)
		return 0;
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		if (defaults[i].family == r->family &&
		    defaults[i].priority == r->priority &&
		    defaults[i].table == r->table)
			return defaults[i].bit;
	return 0;
}

enum ip_rule_verdict ip_rule_classify(const struct ip_rule *r)
{
	if (ip_rule_default_bit(r))
		return IP_RULE_DEFAULT;
	/* `not iif X` matches every other ingress */
	if (r->iif[0] && !(r->flags & FIB_RULE_INVERT))
		return IP_RULE_PUNT_IIF;
	return IP_RULE_PUNT_FAMILY;
}

/* The selectors the program evaluates: from, to, iif, not. */
static bool evaluable(const struct ip_rule *r)
{
	return !r->other && !r->oif[0] && !r->fwmark && !r->fwmask && !r->tos &&
	       !(r->flags &
		 ~(uint32_t)(FIB_RULE_INVERT | FIB_RULE_IIF_DETACHED));
}

static bool compile_one(const struct ip_rule *r, struct xr_ip_rule *o,
			const struct ip_rules_env *env)
{
	size_t alen = r->family == AF_INET ? 4 : 16;
	uint32_t ifindex;

	memset(o, 0, sizeof(*o));
	if (r->action == FR_ACT_NOP)
		return false; /* fib_rules_lookup goes on, match or not */
	if (r->action == FR_ACT_TO_TBL && r->table == RT_TABLE_LOCAL)
		return false; /* the local rule already missed */
	if (r->action == FR_ACT_TO_TBL && r->table == RT_TABLE_MAIN) {
		o->action = XR_RULE_MAIN;
	} else if (r->action == FR_ACT_TO_TBL && env->table_proven &&
		   env->table_proven(env->arg, r->family, r->table)) {
		o->action = XR_RULE_TABLE;
		/* the VRF id of the maps' keys (rib_table_vrf): the table's
		 * own id for every table but main */
		o->vrf = htonl(r->table);
	} else if (r->action == FR_ACT_BLACKHOLE)
		o->action = XR_RULE_BLACKHOLE;
	else
		o->action = XR_RULE_PUNT;
	if (!evaluable(r)) {
		o->action = XR_RULE_PUNT;
		/* not (unknown and ...) can match anything */
		if (r->flags & FIB_RULE_INVERT)
			return true;
	}
	if (r->flags & FIB_RULE_INVERT)
		o->flags |= XR_RULE_F_INVERT;
	if (r->iif[0]) {
		ifindex = env->ifindex_of(r->iif);
		o->flags |= XR_RULE_F_IIF;
		o->iif = ifindex ? ifindex : XR_RULE_IIF_NONE;
	}
	o->src_len = r->src_len;
	o->dst_len = r->dst_len;
	memcpy(o->src, r->src, alen);
	memcpy(o->dst, r->dst, alen);
	return true;
}

int ip_rules_compile(const struct ip_rule *rules, size_t n,
		     struct xr_ip_rule *out, size_t *from, size_t max,
		     const struct ip_rules_env *env)
{
	size_t k = 0;

	if (!n || ip_rule_default_bit(&rules[0]) != 1)
		return -ENOTSUP; /* the local rule is not first */
	for (size_t i = 1; i < n; i++) {
		if (ip_rule_default_bit(&rules[i]) == 2)
			return (int)k; /* main: the program's own lookup */
		if (k == max)
			return -E2BIG;
		if (compile_one(&rules[i], &out[k], env))
			from[k++] = i;
	}
	return -ENOTSUP; /* no main rule */
}

bool ip_rule_compiled_iif_only(const struct xr_ip_rule *o)
{
	return (o->flags & XR_RULE_F_IIF) && !(o->flags & XR_RULE_F_INVERT);
}

/* appends to buf at *off, cut at len */
static void put(char *buf, size_t len, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*off >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *off, len - *off, fmt, ap);
	va_end(ap);
	if (n > 0)
		*off += (size_t)n;
}

bool ip_rule_defaults_missing(uint8_t family, unsigned seen, char *buf,
			      size_t len)
{
	size_t off = 0;

	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		if (defaults[i].family == family && !(seen & defaults[i].bit))
			put(buf, len, &off, "%s%s", off ? ", " : "",
			    defaults[i].name);
	return off > 0;
}

static void put_prefix(char *buf, size_t len, size_t *off, const char *word,
		       const struct ip_rule *r, const uint8_t *addr,
		       unsigned plen)
{
	char a[INET6_ADDRSTRLEN];
	unsigned full = r->family == AF_INET ? 32 : 128;

	if (!inet_ntop(r->family, addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	if (plen == full)
		put(buf, len, off, " %s %s", word, a);
	else
		put(buf, len, off, " %s %s/%u", word, a, plen);
}

static const char *table_name(uint32_t t, char tmp[12])
{
	if (t == RT_TABLE_MAIN)
		return "main";
	if (t == RT_TABLE_LOCAL)
		return "local";
	if (t == RT_TABLE_DEFAULT)
		return "default";
	snprintf(tmp, 12, "%u", t);
	return tmp;
}

void ip_rule_describe(const struct ip_rule *r, char *buf, size_t len)
{
	size_t off = 0;
	char tmp[12];

	if (!len)
		return;
	buf[0] = '\0';
	put(buf, len, &off, "ip rule %u:", r->priority);
	if (r->flags & FIB_RULE_INVERT)
		put(buf, len, &off, " not");
	if (r->src_len)
		put_prefix(buf, len, &off, "from", r, r->src, r->src_len);
	else
		put(buf, len, &off, " from all");
	if (r->dst_len)
		put_prefix(buf, len, &off, "to", r, r->dst, r->dst_len);
	if (r->tos)
		put(buf, len, &off, " tos 0x%x", r->tos);
	if (r->fwmark || r->fwmask)
		put(buf, len, &off, " fwmark 0x%x/0x%x", r->fwmark, r->fwmask);
	if (r->iif[0])
		put(buf, len, &off, " iif %s", r->iif);
	if (r->oif[0])
		put(buf, len, &off, " oif %s", r->oif);
	if (r->other)
		put(buf, len, &off, " (more selectors)");
	switch (r->action) {
	case FR_ACT_TO_TBL:
		put(buf, len, &off, " lookup %s", table_name(r->table, tmp));
		break;
	case FR_ACT_GOTO:
		put(buf, len, &off, " goto %u", r->target);
		break;
	case FR_ACT_NOP:
		put(buf, len, &off, " nop");
		break;
	case FR_ACT_BLACKHOLE:
		put(buf, len, &off, " blackhole");
		break;
	case FR_ACT_UNREACHABLE:
		put(buf, len, &off, " unreachable");
		break;
	case FR_ACT_PROHIBIT:
		put(buf, len, &off, " prohibit");
		break;
	default:
		put(buf, len, &off, " action %u", r->action);
		break;
	}
}
