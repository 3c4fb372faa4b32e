/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ip rules as the plan judges them, with no kernel: one RTM_NEWRULE read
 * into a struct, a verdict, a line for `status`. The fast path looks every
 * destination up in the main table after the local one, which is what the
 * kernel's default rules do (IPv4: 0 local, 32766 main, 32767 default;
 * IPv6: 0 local, 32766 main). Every other rule may send what it matches
 * elsewhere, so that traffic punts: only the traffic entering its iif when
 * it names one (the input route lookup matches iif against the ingress,
 * fib_rule_match), else everything of its family. A default rule that is
 * missing changes the whole family's lookup.
 */
#ifndef XR_IP_RULES_H
#define XR_IP_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <linux/netlink.h>

#include "xdp_router_abi.h"

struct ip_rule {
	uint8_t family; /* AF_INET or AF_INET6 */
	uint8_t action; /* FR_ACT_* */
	uint8_t src_len, dst_len;
	uint8_t tos;
	uint32_t flags; /* FIB_RULE_* */
	uint32_t priority;
	uint32_t table;	 /* FRA_TABLE, else the header's */
	uint32_t target; /* FRA_GOTO */
	uint32_t fwmark, fwmask;
	uint8_t src[16], dst[16];
	char iif[IF_NAMESIZE], oif[IF_NAMESIZE];
	/* a selector or modifier beyond the above (uidrange, ports,
	 * ipproto, l3mdev, tun_id, suppress_*, realms, newer kernels'
	 * attributes): the rule is never a default one */
	bool other;
};

enum ip_rule_verdict {
	IP_RULE_DEFAULT,    /* one of the kernel's: the fast path's lookup */
	IP_RULE_PUNT_IIF,   /* punts what enters ip_rule.iif */
	IP_RULE_PUNT_FAMILY /* punts every interface of its family */
};

/* The kernel's default rules of a family, as bits of ip_rule_default_bit. */
#define IP_RULE_DEFAULTS_V4 0x7U /* local, main, default */
#define IP_RULE_DEFAULTS_V6 0x3U /* local, main */

/* Reads one RTM_NEWRULE or RTM_DELRULE. Returns 0, -EAFNOSUPPORT for a
 * family the fast path does not route (multicast routing's rules), or
 * -EBADMSG for a message that cannot be read. */
int ip_rule_parse(const struct nlmsghdr *nlh, struct ip_rule *r);

enum ip_rule_verdict ip_rule_classify(const struct ip_rule *r);
/* Which of the family's default rules r is (a bit of
 * IP_RULE_DEFAULTS_V*), 0 if none. */
unsigned ip_rule_default_bit(const struct ip_rule *r);
/* The family's default rules missing from the set seen (the ORed bits),
 * as "0 lookup local, 32766 lookup main"; false when none is missing. */
bool ip_rule_defaults_missing(uint8_t family, unsigned seen, char *buf,
			      size_t len);
/* "ip rule 100: from 10.0.0.5 iif r1 lookup 100", as `ip rule` prints it,
 * cut to len. */
void ip_rule_describe(const struct ip_rule *r, char *buf, size_t len);

/* What compiling rules asks of the world. ifindex_of resolves an iif name
 * (0: no such link, the rule never matches it). table_proven tells whether
 * the fast path's copy of a table (its VRF in the route tries) is the
 * kernel's table now; NULL: none is. */
struct ip_rules_env {
	uint32_t (*ifindex_of)(const char *name);
	bool (*table_proven)(void *arg, uint8_t family, uint32_t table);
	void *arg;
};

/*
 * The program's rules (struct xr_ip_rule, bpf/rules.h) from one family's
 * rules in the kernel's order: those between the local rule (first) and
 * the main rule. A rule with a selector the program cannot see (fwmark,
 * tos, oif, uidrange, ports...) punts what its other selectors match, or
 * everything under `not`; a lookup of a table other than main looks that
 * table up only while env->table_proven says so, else punts, as do goto,
 * unreachable and prohibit; nop and a second local lookup change nothing
 * and are left out. from[i] is the index in rules of out[i]'s rule.
 * Returns the number of rules compiled, -ENOTSUP when the set is not the
 * kernel's local rule first and main later, or -E2BIG beyond max.
 */
int ip_rules_compile(const struct ip_rule *rules, size_t n,
		     struct xr_ip_rule *out, size_t *from, size_t max,
		     const struct ip_rules_env *env);
/* Whether out's rule can match what enters only its iif (else any
 * interface). */
bool ip_rule_compiled_iif_only(const struct xr_ip_rule *out);

#endif /* XR_IP_RULES_H */
