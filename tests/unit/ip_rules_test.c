// SPDX-License-Identifier: GPL-2.0-only
/* kernel/ip_rules.c without a kernel: RTM_NEWRULE messages built as the
 * kernel dumps them (fib_nl_fill_rule: FRA_TABLE and
 * FRA_SUPPRESS_PREFIXLEN always, FRA_PRIORITY unless 0, FRA_PROTOCOL),
 * read, judged and described. */
#include <errno.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "kernel/ip_rules.h"
#include "unit_test.h"

static char buf[8192];

/* A rule as the kernel sends it: the header, then the usual attributes;
 * the caller adds selectors with mnl_attr_put*. */
static struct nlmsghdr *rule(uint8_t family, uint32_t pref, uint32_t table,
			     uint8_t action)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct fib_rule_hdr *frh;

	nlh->nlmsg_type = RTM_NEWRULE;
	frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
	frh->family = family;
	frh->table = table < 256 ? table : RT_TABLE_COMPAT;
	frh->action = action;
	mnl_attr_put_u32(nlh, FRA_TABLE, table);
	mnl_attr_put_u32(nlh, FRA_SUPPRESS_PREFIXLEN, UINT32_MAX);
	mnl_attr_put_u8(nlh, FRA_PROTOCOL, RTPROT_KERNEL);
	if (pref)
		mnl_attr_put_u32(nlh, FRA_PRIORITY, pref);
	return nlh;
}

static struct fib_rule_hdr *hdr(struct nlmsghdr *nlh)
{
	return mnl_nlmsg_get_payload(nlh);
}

static void from(struct nlmsghdr *nlh, const char *addr, uint8_t len)
{
	uint8_t a[16];
	int fam = hdr(nlh)->family;

	inet_pton(fam, addr, a);
	hdr(nlh)->src_len = len;
	mnl_attr_put(nlh, FRA_SRC, fam == AF_INET ? 4 : 16, a);
}

static void to(struct nlmsghdr *nlh, const char *addr, uint8_t len)
{
	uint8_t a[16];
	int fam = hdr(nlh)->family;

	inet_pton(fam, addr, a);
	hdr(nlh)->dst_len = len;
	mnl_attr_put(nlh, FRA_DST, fam == AF_INET ? 4 : 16, a);
}

static enum ip_rule_verdict judge(const struct nlmsghdr *nlh, struct ip_rule *r)
{
	CHECK_EQ(ip_rule_parse(nlh, r), 0);
	return ip_rule_classify(r);
}

static void check_why(const struct ip_rule *r, const char *want)
{
	char why[96];

	ip_rule_describe(r, why, sizeof(why));
	if (strcmp(why, want))
		fprintf(stderr, "  described as '%s', want '%s'\n", why, want);
	CHECK(!strcmp(why, want));
}

static void test_the_kernel_defaults(void)
{
	struct ip_rule r;

	CHECK_EQ(judge(rule(AF_INET, 0, RT_TABLE_LOCAL, FR_ACT_TO_TBL), &r),
		 IP_RULE_DEFAULT);
	CHECK_EQ(ip_rule_default_bit(&r), 1);
	CHECK_EQ(judge(rule(AF_INET, 32766, RT_TABLE_MAIN, FR_ACT_TO_TBL), &r),
		 IP_RULE_DEFAULT);
	CHECK_EQ(ip_rule_default_bit(&r), 2);
	check_why(&r, "ip rule 32766: from all lookup main");
	CHECK_EQ(judge(rule(AF_INET, 32767, RT_TABLE_DEFAULT, FR_ACT_TO_TBL),
		       &r),
		 IP_RULE_DEFAULT);
	CHECK_EQ(ip_rule_default_bit(&r), 4);
	CHECK_EQ(judge(rule(AF_INET6, 0, RT_TABLE_LOCAL, FR_ACT_TO_TBL), &r),
		 IP_RULE_DEFAULT);
	CHECK_EQ(judge(rule(AF_INET6, 32766, RT_TABLE_MAIN, FR_ACT_TO_TBL), &r),
		 IP_RULE_DEFAULT);
	/* IPv6 has no rule 32767 of its own */
	CHECK_EQ(judge(rule(AF_INET6, 32767, RT_TABLE_DEFAULT, FR_ACT_TO_TBL),
		       &r),
		 IP_RULE_PUNT_FAMILY);
}

static void test_a_default_changed_is_not_one(void)
{
	struct nlmsghdr *nlh;
	struct ip_rule r;

	/* another table, priority or action at a default's place */
	CHECK_EQ(judge(rule(AF_INET, 32766, 100, FR_ACT_TO_TBL), &r),
		 IP_RULE_PUNT_FAMILY);
	CHECK_EQ(judge(rule(AF_INET, 32765, RT_TABLE_MAIN, FR_ACT_TO_TBL), &r),
		 IP_RULE_PUNT_FAMILY);
	CHECK_EQ(judge(rule(AF_INET, 0, RT_TABLE_LOCAL, FR_ACT_BLACKHOLE), &r),
		 IP_RULE_PUNT_FAMILY);
	/* the main rule with a selector */
	nlh = rule(AF_INET, 32766, RT_TABLE_MAIN, FR_ACT_TO_TBL);
	from(nlh, "10.0.0.5", 32);
	CHECK_EQ(judge(nlh, &r), IP_RULE_PUNT_FAMILY);
	/* suppress_prefixlength 0 on main (wg-quick's) */
	nlh = rule(AF_INET, 32766, RT_TABLE_MAIN, FR_ACT_TO_TBL);
	mnl_attr_put_u32(nlh, FRA_SUPPRESS_PREFIXLEN, 0);
	CHECK_EQ(judge(nlh, &r), IP_RULE_PUNT_FAMILY);
	check_why(&r, "ip rule 32766: from all (more selectors) lookup main");
	/* not, fwmark */
	nlh = rule(AF_INET, 32766, RT_TABLE_MAIN, FR_ACT_TO_TBL);
	hdr(nlh)->flags = FIB_RULE_INVERT;
	CHECK_EQ(judge(nlh, &r), IP_RULE_PUNT_FAMILY);
	nlh = rule(AF_INET6, 32766, RT_TABLE_MAIN, FR_ACT_TO_TBL);
	mnl_attr_put_u32(nlh, FRA_FWMARK, 1);
	CHECK_EQ(judge(nlh, &r), IP_RULE_PUNT_FAMILY);
}

static void test_policy_routing_punts(void)
{
	struct nlmsghdr *nlh;
	struct ip_rule r;

	nlh = rule(AF_INET, 100, 100, FR_ACT_TO_TBL);
	from(nlh, "10.0.0.5", 32);
	CHECK_EQ(judge(nlh, &r), IP_RULE_PUNT_FAMILY);
	check_why(&r, "ip rule 100: from 10.0.0.5 lookup 100");

	nlh = rule(AF_INET, 300, 0, FR_ACT_BLACKHOLE);
	from(nlh, "10.0.0.0", 24);
	to(nlh, "192.168.50.0", 24);
	CHECK_EQ(judge(nlh, &r), IP_RULE_PUNT_FAMILY);
	check_why(&r,
		  "ip rule 300: from 10.0.0.0/24 to 192.168.50.0/24 blackhole");

	nlh = rule(AF_INET6, 400, 10000, FR_ACT_TO_TBL);
	to(nlh, "2001:db8:50::", 48);
	mnl_attr_put_u32(nlh, FRA_FWMARK, 0x10);
	mnl_attr_put_u32(nlh, FRA_FWMASK, 0xff);
	CHECK_EQ(judge(nlh, &r), IP_RULE_PUNT_FAMILY);
	check_why(&r, "ip rule 400: from all to 2001:db8:50::/48 fwmark "
		      "0x10/0xff lookup 10000");
}

static void test_iif_narrows_the_punt(void)
{
	struct nlmsghdr *nlh;
	struct ip_rule r;

	nlh = rule(AF_INET, 309, 10001, FR_ACT_TO_TBL);
	from(nlh, "10.0.1.7", 32);
	mnl_attr_put_strz(nlh, FRA_IIFNAME, "r1");
	CHECK_EQ(judge(nlh, &r), IP_RULE_PUNT_IIF);
	CHECK(!strcmp(r.iif, "r1"));
	check_why(&r, "ip rule 309: from 10.0.1.7 iif r1 lookup 10001");
	/* a selector the fast path cannot see, still only r1 */
	mnl_attr_put_u8(nlh, FRA_IP_PROTO, IPPROTO_UDP);
	CHECK_EQ(judge(nlh, &r), IP_RULE_PUNT_IIF);
	/* not iif r1: every other ingress */
	nlh = rule(AF_INET6, 309, 10001, FR_ACT_TO_TBL);
	hdr(nlh)->flags = FIB_RULE_INVERT;
	mnl_attr_put_strz(nlh, FRA_IIFNAME, "r1");
	CHECK_EQ(judge(nlh, &r), IP_RULE_PUNT_FAMILY);
	check_why(&r, "ip rule 309: not from all iif r1 lookup 10001");
	/* oif: the whole family, whatever it would match */
	nlh = rule(AF_INET, 500, 100, FR_ACT_TO_TBL);
	mnl_attr_put_strz(nlh, FRA_OIFNAME, "r2");
	CHECK_EQ(judge(nlh, &r), IP_RULE_PUNT_FAMILY);
}

static void test_missing_defaults(void)
{
	char why[64];

	CHECK(!ip_rule_defaults_missing(AF_INET, IP_RULE_DEFAULTS_V4, why,
					sizeof(why)));
	CHECK(!ip_rule_defaults_missing(AF_INET6, IP_RULE_DEFAULTS_V6, why,
					sizeof(why)));
	CHECK(ip_rule_defaults_missing(AF_INET, 1 | 4, why, sizeof(why)));
	CHECK(!strcmp(why, "32766 lookup main"));
	CHECK(ip_rule_defaults_missing(AF_INET6, 0, why, sizeof(why)));
	CHECK(!strcmp(why, "0 lookup local, 32766 lookup main"));
}

static void test_unreadable(void)
{
	struct nlmsghdr *nlh;
	struct nlattr *a;
	struct ip_rule r;

	/* multicast routing's rules are not ours */
	nlh = rule(RTNL_FAMILY_IPMR, 0, RT_TABLE_DEFAULT, FR_ACT_TO_TBL);
	CHECK_EQ(ip_rule_parse(nlh, &r), -EAFNOSUPPORT);
	/* no room for the header */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWRULE;
	mnl_nlmsg_put_extra_header(nlh, 4);
	CHECK_EQ(ip_rule_parse(nlh, &r), -EBADMSG);
	/* an IPv4 source of 16 bytes */
	nlh = rule(AF_INET, 100, 100, FR_ACT_TO_TBL);
	hdr(nlh)->src_len = 32;
	mnl_attr_put(nlh, FRA_SRC, 16, "0123456789abcdef");
	CHECK_EQ(ip_rule_parse(nlh, &r), -EBADMSG);
	/* a prefix longer than the address */
	nlh = rule(AF_INET, 100, 100, FR_ACT_TO_TBL);
	from(nlh, "10.0.0.5", 33);
	CHECK_EQ(ip_rule_parse(nlh, &r), -EBADMSG);
	/* a name without its NUL */
	nlh = rule(AF_INET, 100, 100, FR_ACT_TO_TBL);
	mnl_attr_put(nlh, FRA_IIFNAME, 2, "r1");
	CHECK_EQ(ip_rule_parse(nlh, &r), -EBADMSG);
	/* a priority of 2 bytes */
	nlh = rule(AF_INET, 0, 100, FR_ACT_TO_TBL);
	mnl_attr_put_u16(nlh, FRA_PRIORITY, 100);
	CHECK_EQ(ip_rule_parse(nlh, &r), -EBADMSG);
	/* the last attribute cut short */
	nlh = rule(AF_INET, 100, 100, FR_ACT_TO_TBL);
	a = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put_u32(nlh, FRA_FWMARK, 1);
	a->nla_len = 64;
	CHECK_EQ(ip_rule_parse(nlh, &r), -EBADMSG);
}

/* the kernel's rule list of a family: local, the given rules, main */
static size_t rule_set(struct ip_rule *v, uint8_t family,
		       struct nlmsghdr *(*const *mk)(void), size_t n)
{
	size_t k = 0;

	ip_rule_parse(rule(family, 0, RT_TABLE_LOCAL, FR_ACT_TO_TBL), &v[k++]);
	for (size_t i = 0; i < n; i++)
		CHECK_EQ(ip_rule_parse(mk[i](), &v[k++]), 0);
	ip_rule_parse(rule(family, 32766, RT_TABLE_MAIN, FR_ACT_TO_TBL),
		      &v[k++]);
	ip_rule_parse(rule(family, 32767, RT_TABLE_DEFAULT, FR_ACT_TO_TBL),
		      &v[k++]);
	return k;
}

static uint32_t fake_ifindex(const char *name)
{
	return !strcmp(name, "r1") ? 7 : 0;
}

static struct nlmsghdr *pbr(void)
{
	struct nlmsghdr *nlh = rule(AF_INET, 309, 10000, FR_ACT_TO_TBL);

	from(nlh, "10.0.1.2", 32);
	mnl_attr_put_strz(nlh, FRA_IIFNAME, "r1");
	return nlh;
}

static struct nlmsghdr *to_main(void)
{
	struct nlmsghdr *nlh = rule(AF_INET, 100, RT_TABLE_MAIN, FR_ACT_TO_TBL);

	to(nlh, "192.168.0.0", 16);
	return nlh;
}

static struct nlmsghdr *drop(void)
{
	struct nlmsghdr *nlh = rule(AF_INET, 200, 0, FR_ACT_BLACKHOLE);

	hdr(nlh)->flags = FIB_RULE_INVERT;
	from(nlh, "10.0.0.0", 8);
	return nlh;
}

static struct nlmsghdr *nop(void)
{
	return rule(AF_INET, 250, 0, FR_ACT_NOP);
}

static struct nlmsghdr *marked(void)
{
	struct nlmsghdr *nlh = rule(AF_INET, 260, RT_TABLE_MAIN, FR_ACT_TO_TBL);

	from(nlh, "10.0.2.0", 24);
	mnl_attr_put_u32(nlh, FRA_FWMARK, 1);
	return nlh;
}

static struct nlmsghdr *marked_not(void)
{
	struct nlmsghdr *nlh = marked();

	hdr(nlh)->flags = FIB_RULE_INVERT;
	return nlh;
}

static struct nlmsghdr *gone_iif(void)
{
	struct nlmsghdr *nlh = rule(AF_INET, 270, 0, FR_ACT_PROHIBIT);

	mnl_attr_put_strz(nlh, FRA_IIFNAME, "r9");
	return nlh;
}

static const struct ip_rules_env env = {.ifindex_of = fake_ifindex};

/* Table 10000 of IPv4 only is proven. */
static bool proven_10000(void *arg, uint8_t family, uint32_t table)
{
	(void)arg;
	return family == AF_INET && table == 10000;
}

static void test_compile(void)
{
	struct nlmsghdr *(*const mk[])(void) = {
		pbr, marked, marked_not, to_main, drop, nop, gone_iif};
	struct ip_rule v[16];
	struct xr_ip_rule out[16];
	size_t from_idx[16], n = rule_set(v, AF_INET, mk, 7);

	CHECK_EQ(ip_rules_compile(v, n, out, from_idx, 16, &env), 6);
	/* pbrd's: another table punts, on r1 only */
	CHECK_EQ(out[0].action, XR_RULE_PUNT);
	CHECK_EQ(out[0].flags, XR_RULE_F_IIF);
	CHECK_EQ(out[0].iif, 7);
	CHECK_EQ(out[0].src_len, 32);
	CHECK_EQ(out[0].src[0], htonl(0x0a000102));
	CHECK(ip_rule_compiled_iif_only(&out[0]));
	CHECK_EQ(from_idx[0], 1);
	/* fwmark unseen: punts what from matches; under not, everything */
	CHECK_EQ(out[1].action, XR_RULE_PUNT);
	CHECK_EQ(out[1].src_len, 24);
	CHECK_EQ(out[2].action, XR_RULE_PUNT);
	CHECK_EQ(out[2].src_len, 0);
	CHECK_EQ(out[2].flags, 0);
	/* lookup main, not from blackhole */
	CHECK_EQ(out[3].action, XR_RULE_MAIN);
	CHECK_EQ(out[3].dst_len, 16);
	CHECK_EQ(out[4].action, XR_RULE_BLACKHOLE);
	CHECK_EQ(out[4].flags, XR_RULE_F_INVERT);
	CHECK(!ip_rule_compiled_iif_only(&out[4]));
	/* nop left out; an iif no link has never matches */
	CHECK_EQ(from_idx[5], 7);
	CHECK_EQ(out[5].iif, XR_RULE_IIF_NONE);
	CHECK_EQ(out[5].action, XR_RULE_PUNT);
	/* too many for the program */
	CHECK_EQ(ip_rules_compile(v, n, out, from_idx, 5, &env), -E2BIG);
	/* the local rule not first, main missing */
	CHECK_EQ(ip_rules_compile(v + 1, n - 1, out, from_idx, 16, &env),
		 -ENOTSUP);
	CHECK_EQ(ip_rules_compile(v, n - 2, out, from_idx, 16, &env), -ENOTSUP);
	/* only the defaults: nothing to check */
	n = rule_set(v, AF_INET, mk, 0);
	CHECK_EQ(ip_rules_compile(v, n, out, from_idx, 16, &env), 0);
}

/* A lookup of a table other than main is the table's only while proven. */
static void test_compile_proven_table(void)
{
	struct nlmsghdr *(*const mk[])(void) = {pbr, to_main};
	const struct ip_rules_env proven = {.ifindex_of = fake_ifindex,
					    .table_proven = proven_10000};
	struct ip_rule v[16];
	struct xr_ip_rule out[16];
	size_t from_idx[16], n = rule_set(v, AF_INET, mk, 2);

	CHECK_EQ(ip_rules_compile(v, n, out, from_idx, 16, &proven), 2);
	CHECK_EQ(out[0].action, XR_RULE_TABLE);
	CHECK_EQ(out[0].vrf, htonl(10000));
	CHECK_EQ(out[0].iif, 7);
	CHECK_EQ(out[0].src_len, 32);
	CHECK_EQ(out[1].action, XR_RULE_MAIN);
	CHECK_EQ(out[1].vrf, 0);
	/* another table, or the other family's table 10000: not proven */
	v[1].table = 10001;
	CHECK_EQ(ip_rules_compile(v, n, out, from_idx, 16, &proven), 2);
	CHECK_EQ(out[0].action, XR_RULE_PUNT);
	CHECK_EQ(out[0].vrf, 0);
	v[1].table = 10000;
	v[1].family = AF_INET6;
	CHECK_EQ(ip_rules_compile(v, n, out, from_idx, 16, &proven), 2);
	CHECK_EQ(out[0].action, XR_RULE_PUNT);
	/* with no table_proven, as the daemon compiles today */
	v[1].family = AF_INET;
	CHECK_EQ(ip_rules_compile(v, n, out, from_idx, 16, &env), 2);
	CHECK_EQ(out[0].action, XR_RULE_PUNT);
}

int main(void)
{
	RUN(test_the_kernel_defaults);
	RUN(test_a_default_changed_is_not_one);
	RUN(test_policy_routing_punts);
	RUN(test_iif_narrows_the_punt);
	RUN(test_missing_defaults);
	RUN(test_unreadable);
	RUN(test_compile);
	RUN(test_compile_proven_table);
	return unit_done();
}
