/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The plan: per interface, what the kernel's whole configuration lets the
 * fast path do with the packets it sees, in the flags of the interface's
 * row (XR_IF_PLAN_FLAGS in xdp_router_abi.h). Each source of configuration
 * (netconf sysctls, ip rules, nftables, iptables-legacy, tc, xfrm) restates
 * its whole part whenever what it follows changes: plan_begin, plan_set for
 * each interface it constrains, plan_commit. The plan ORs the parts, logs
 * each change once, keeps the kernel object that caused each bit for
 * `status`, and tells its listener (the ports, which rewrite the rows).
 *
 * A source that is expected but has not committed yet leaves nothing
 * proven: every interface punts everything until then.
 */
#ifndef XR_PLAN_H
#define XR_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#define XR_PLAN_SOURCES(X)             \
	X(NETCONF, "sysctl")           \
	X(RULES, "ip-rules")           \
	X(NFTABLES, "nftables")        \
	X(IPTABLES, "iptables-legacy") \
	X(TC, "tc")                    \
	X(XFRM, "xfrm")                \
	X(CONNTRACK, "conntrack")

#define XR_PLAN_SOURCE_ENUM(name, str) XR_PLAN_##name,
enum xr_plan_source { XR_PLAN_SOURCES(XR_PLAN_SOURCE_ENUM) XR_PLAN_SOURCE_MAX };
#undef XR_PLAN_SOURCE_ENUM

/* every interface: a statement for ifindex 0 applies to all of them */
#define XR_PLAN_ALL_IFACES 0U
#define XR_PLAN_WHY_MAX 96

struct plan;

struct plan *plan_new(void);
void plan_free(struct plan *pl);
const char *plan_source_name(enum xr_plan_source src);
/* Name of one plan flag bit ("rp-filter-strict"), NULL if not a plan bit. */
const char *plan_flag_name(uint32_t bit);
/* The bit of a plan flag's name, 0 if none has it. */
uint32_t plan_flag_by_name(const char *name);

/* Called after a commit changed any interface's flags. */
void plan_set_listener(struct plan *pl, void (*changed)(void *arg), void *arg);
/* The source will state its part; until its first commit nothing is
 * proven. */
void plan_expect(struct plan *pl, enum xr_plan_source src);

/* Restating a source: begin drops its pending statement, set adds to it
 * (flags within XR_IF_PLAN_MASK; why names the kernel object, e.g.
 * "nftables inet filter forward: 3 rules"), commit replaces what the
 * source said before. Returns -ENOMEM when the statement cannot be kept:
 * the plan then treats the source as not read (everything punts). */
void plan_begin(struct plan *pl, enum xr_plan_source src);
int plan_set(struct plan *pl, enum xr_plan_source src, uint32_t ifindex,
	     uint32_t flags, const char *why);
void plan_commit(struct plan *pl, enum xr_plan_source src);

/* The plan bits of an interface's row. */
uint32_t plan_flags(const struct plan *pl, uint32_t ifindex);
/* Whether every expected source has been read. */
bool plan_complete(const struct plan *pl);

/* Each statement that applies to ifindex (its own and the all-interface
 * ones), for status and metrics. */
typedef void (*plan_why_fn)(void *arg, enum xr_plan_source src, uint32_t flags,
			    const char *why);
void plan_foreach(const struct plan *pl, uint32_t ifindex, plan_why_fn fn,
		  void *arg);

#endif /* XR_PLAN_H */
