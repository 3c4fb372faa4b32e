// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ruleset analysis of nft_stateful.h: an abstract run of a chain's
 * bytecode for a packet known only by its conntrack state. Registers are
 * tracked just enough to evaluate ct state tests; every other value is
 * unknown.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>

#include "kernel/nft_stateful.h"

/* ct state of a packet of an established entry, either direction
 * (NF_CT_STATE_BIT(IP_CT_ESTABLISHED), the reply's folds onto it). */
#define CT_STATE_ESTABLISHED 2U
#define MAX_DEPTH 16
#define N_REGS 16 /* 32-bit registers; NFT_REG_1..4 overlay them */

/* What a chain does to the packet: accepts it, returns to its caller (or
 * the policy), or something we cannot prove harmless. */
enum outcome { ACCEPTS, RETURNS, UNCERTAIN };

/* Whether a rule matches, as far as known so far. */
enum match { NEVER, MAYBE, ALWAYS };

struct reg {
	bool state;   /* holds (ct state & mask) */
	bool nfproto; /* holds meta nfproto */
	uint32_t mask;
};

struct walk {
	const struct nft_stateful_table *t;
	uint32_t family; /* NFPROTO_IPV4 or NFPROTO_IPV6 */
	char *why;
	size_t why_len;
	bool why_set;
};

static enum outcome uncertain(struct walk *w, const char *fmt, ...)
{
	va_list ap;

	if (w->why && w->why_len && !w->why_set) {
		va_start(ap, fmt);
		vsnprintf(w->why, w->why_len, fmt, ap);
		va_end(ap);
		w->why_set = true;
	}
	return UNCERTAIN;
}

/* NFT_REG_1..4 (16 bytes) start at 32-bit registers 0, 4, 8, 12. */
static int reg_index(uint32_t r)
{
	if (r >= NFT_REG_1 && r <= NFT_REG_4)
		return (r - NFT_REG_1) * 4;
	if (r >= NFT_REG32_00 && r < NFT_REG32_00 + N_REGS)
		return r - NFT_REG32_00;
	return -1;
}

static struct reg *reg_of(struct reg *regs, const struct nftnl_expr *e,
			  uint16_t attr)
{
	int i;

	if (!nftnl_expr_is_set(e, attr))
		return NULL;
	i = reg_index(nftnl_expr_get_u32(e, attr));
	return i < 0 ? NULL : &regs[i];
}

static bool data_u32(const struct nftnl_expr *e, uint16_t attr, uint32_t *v)
{
	uint32_t len = 0;
	const void *d = nftnl_expr_get(e, attr, &len);

	if (!d || len != sizeof(*v))
		return false;
	memcpy(v, d, sizeof(*v));
	return true;
}

static const struct nftnl_set *set_find(const struct nft_stateful_table *t,
					const char *name)
{
	for (size_t i = 0; i < t->n_sets; i++) {
		const char *n = nftnl_set_get_str(t->sets[i], NFTNL_SET_NAME);

		if (n && !strcmp(n, name))
			return t->sets[i];
	}
	return NULL;
}

static const struct nftnl_chain *chain_find(const struct nft_stateful_table *t,
					    const char *name)
{
	for (size_t i = 0; i < t->n_chains; i++) {
		const char *n =
			nftnl_chain_get_str(t->chains[i], NFTNL_CHAIN_NAME);

		if (n && !strcmp(n, name))
			return t->chains[i];
	}
	return NULL;
}

/*
 * A set lookup of the packet's ct state: in the set or not (the verdict of
 * a map's element in *verdict, when given). Returns false when the set is
 * not one we can read exactly (missing, intervals).
 */
static bool set_lookup_state(const struct nftnl_set *s, uint32_t state,
			     bool *found, int32_t *verdict)
{
	struct nftnl_set_elems_iter *it;
	struct nftnl_set_elem *el;
	bool ok = true;

	if (nftnl_set_is_set(s, NFTNL_SET_FLAGS) &&
	    (nftnl_set_get_u32(s, NFTNL_SET_FLAGS) & NFT_SET_INTERVAL))
		return false;
	it = nftnl_set_elems_iter_create(s);
	if (!it)
		return false;
	*found = false;
	for (el = nftnl_set_elems_iter_cur(it); el;
	     el = nftnl_set_elems_iter_next(it)) {
		uint32_t len = 0, key;
		const void *k =
			nftnl_set_elem_get(el, NFTNL_SET_ELEM_KEY, &len);

		if (!k || len != sizeof(key)) {
			ok = false;
			break;
		}
		memcpy(&key, k, sizeof(key));
		if ((key & state) != state || (key & ~state)) /* exact */
			continue;
		*found = true;
		if (verdict) {
			if (!nftnl_set_elem_is_set(el, NFTNL_SET_ELEM_VERDICT))
				ok = false;
			else
				*verdict = (int32_t)nftnl_set_elem_get_u32(
					el, NFTNL_SET_ELEM_VERDICT);
		}
		break;
	}
	nftnl_set_elems_iter_destroy(it);
	return ok;
}

/* The expressions that only read the packet or its metadata. */
static bool expr_is_pure_load(const char *name)
{
	static const char *const pure[] = {
		"payload",   "meta",	"ct",	 "exthdr",    "bitwise",
		"byteorder", "cmp",	"range", "fib",	      "rt",
		"socket",    "osf",	"xfrm",	 "immediate", "hash",
		"lookup",    "counter",
	};

	for (size_t i = 0; i < sizeof(pure) / sizeof(pure[0]); i++)
		if (!strcmp(name, pure[i]))
			return true;
	return false;
}

static enum outcome walk_chain(struct walk *w, const char *chain, int depth);

/*
 * A rule's verdict, once its matches are known as `m`. Returns ACCEPTS when
 * the rule certainly accepts, RETURNS when the walk goes on (or, for
 * *ends, the chain is left for its caller), UNCERTAIN otherwise.
 */
static enum outcome rule_verdict(struct walk *w, int idx, enum match m,
				 int32_t verdict, const char *target, int depth,
				 bool *ends)
{
	enum outcome o;

	*ends = false;
	switch (verdict) {
	case NF_ACCEPT:
		return m == ALWAYS ? ACCEPTS : RETURNS;
	case NFT_CONTINUE:
		return RETURNS;
	case NFT_JUMP:
	case NFT_GOTO:
		if (!target)
			return uncertain(w, "rule %d: jump without a chain",
					 idx);
		o = walk_chain(w, target, depth + 1);
		if (o == UNCERTAIN)
			return UNCERTAIN;
		if (o == ACCEPTS)
			return m == ALWAYS ? ACCEPTS : RETURNS;
		/* The target falls through: a jump comes back here; a goto
		 * leaves this chain for its caller, which only a certain
		 * match can promise. */
		if (verdict == NFT_GOTO) {
			if (m != ALWAYS)
				return uncertain(w,
						 "rule %d: goto %s may return",
						 idx, target);
			*ends = true;
		}
		return RETURNS;
	case NFT_RETURN:
		if (m != ALWAYS)
			return uncertain(w, "rule %d: return may be taken",
					 idx);
		*ends = true;
		return RETURNS;
	default:
		return uncertain(w, "rule %d: verdict %d", idx, verdict);
	}
}

/*
 * One rule. *ends is set when the chain is left (return, goto). Returns as
 * rule_verdict; a rule that cannot match RETURNS (the walk goes on).
 */
static enum outcome walk_rule(struct walk *w, const struct nftnl_rule *r,
			      int idx, int depth, bool *ends)
{
	struct reg regs[N_REGS] = {0};
	enum match m = ALWAYS;
	int32_t verdict = NFT_CONTINUE;
	const char *target = NULL;
	struct nftnl_expr_iter *it;
	struct nftnl_expr *e;
	enum outcome o = RETURNS;

	*ends = false;
	it = nftnl_expr_iter_create(r);
	if (!it)
		return uncertain(w, "rule %d: cannot read", idx);
	while (m != NEVER && (e = nftnl_expr_iter_next(it))) {
		const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);
		struct reg *d, *s;
		uint32_t v;

		if (!name || !expr_is_pure_load(name)) {
			o = uncertain(w, "rule %d: %s", idx, name ? name : "?");
			break;
		}
		/* Writes back into the packet or its metadata. */
		if ((!strcmp(name, "payload") &&
		     nftnl_expr_is_set(e, NFTNL_EXPR_PAYLOAD_SREG)) ||
		    (!strcmp(name, "meta") &&
		     nftnl_expr_is_set(e, NFTNL_EXPR_META_SREG)) ||
		    (!strcmp(name, "ct") &&
		     nftnl_expr_is_set(e, NFTNL_EXPR_CT_SREG)) ||
		    (!strcmp(name, "exthdr") &&
		     nftnl_expr_is_set(e, NFTNL_EXPR_EXTHDR_SREG))) {
			o = uncertain(w, "rule %d: %s set", idx, name);
			break;
		}
		if (!strcmp(name, "ct")) {
			d = reg_of(regs, e, NFTNL_EXPR_CT_DREG);
			if (d) {
				d->nfproto = false;
				d->state = nftnl_expr_get_u32(
						   e, NFTNL_EXPR_CT_KEY) ==
						   NFT_CT_STATE &&
					   !nftnl_expr_is_set(
						   e, NFTNL_EXPR_CT_DIR);
				d->mask = UINT32_MAX;
			}
		} else if (!strcmp(name, "bitwise")) {
			s = reg_of(regs, e, NFTNL_EXPR_BITWISE_SREG);
			d = reg_of(regs, e, NFTNL_EXPR_BITWISE_DREG);
			if (!d)
				continue;
			uint32_t mask, xor;
			bool bool_op =
				!nftnl_expr_is_set(e, NFTNL_EXPR_BITWISE_OP) ||
				nftnl_expr_get_u32(e, NFTNL_EXPR_BITWISE_OP) ==
					NFT_BITWISE_BOOL;

			d->nfproto = false;
			if (s && s->state && bool_op &&
			    data_u32(e, NFTNL_EXPR_BITWISE_MASK, &mask) &&
			    data_u32(e, NFTNL_EXPR_BITWISE_XOR, &xor) && !xor) {
				d->state = true;
				d->mask = s->mask & mask;
			} else {
				d->state = false;
			}
		} else if (!strcmp(name, "cmp")) {
			s = reg_of(regs, e, NFTNL_EXPR_CMP_SREG);
			uint32_t op = nftnl_expr_get_u32(e, NFTNL_EXPR_CMP_OP);
			bool eq;

			uint32_t len = 0;
			const uint8_t *b =
				nftnl_expr_get(e, NFTNL_EXPR_CMP_DATA, &len);

			if (s && s->nfproto && b && len == 1 &&
			    (op == NFT_CMP_EQ || op == NFT_CMP_NEQ)) {
				if ((b[0] == w->family) != (op == NFT_CMP_EQ))
					m = NEVER;
				continue;
			}
			if (!s || !s->state ||
			    !data_u32(e, NFTNL_EXPR_CMP_DATA, &v) ||
			    (op != NFT_CMP_EQ && op != NFT_CMP_NEQ)) {
				m = MAYBE;
				continue;
			}
			eq = (CT_STATE_ESTABLISHED & s->mask) == v;
			if (eq != (op == NFT_CMP_EQ))
				m = NEVER;
		} else if (!strcmp(name, "lookup")) {
			const struct nftnl_set *set;
			const char *sn =
				nftnl_expr_get_str(e, NFTNL_EXPR_LOOKUP_SET);
			bool is_map =
				nftnl_expr_is_set(e, NFTNL_EXPR_LOOKUP_DREG);
			bool inv =
				nftnl_expr_is_set(e, NFTNL_EXPR_LOOKUP_FLAGS) &&
				(nftnl_expr_get_u32(e,
						    NFTNL_EXPR_LOOKUP_FLAGS) &
				 NFT_LOOKUP_F_INV);
			bool found;
			int32_t mv = 0;

			s = reg_of(regs, e, NFTNL_EXPR_LOOKUP_SREG);
			set = sn ? set_find(w->t, sn) : NULL;
			if (is_map &&
			    nftnl_expr_get_u32(e, NFTNL_EXPR_LOOKUP_DREG) !=
				    NFT_REG_VERDICT) {
				/* A data map fills a register we do not track.
				 */
				d = reg_of(regs, e, NFTNL_EXPR_LOOKUP_DREG);
				if (d)
					*d = (struct reg){0};
				m = MAYBE;
				continue;
			}
			if (!s || !s->state || s->mask != UINT32_MAX || !set ||
			    !set_lookup_state(set, CT_STATE_ESTABLISHED, &found,
					      is_map ? &mv : NULL)) {
				if (is_map) {
					o = uncertain(w,
						      "rule %d: verdict map %s",
						      idx, sn ? sn : "?");
					break;
				}
				m = MAYBE;
				continue;
			}
			if (found == inv) {
				m = NEVER;
			} else if (is_map) {
				verdict = mv;
				target = NULL;
				if (mv == NFT_JUMP || mv == NFT_GOTO) {
					o = uncertain(w, "rule %d: map jumps",
						      idx);
					break;
				}
			}
		} else if (!strcmp(name, "immediate")) {
			if (nftnl_expr_get_u32(e, NFTNL_EXPR_IMM_DREG) ==
			    NFT_REG_VERDICT) {
				verdict = (int32_t)nftnl_expr_get_u32(
					e, NFTNL_EXPR_IMM_VERDICT);
				target = nftnl_expr_is_set(e,
							   NFTNL_EXPR_IMM_CHAIN)
						 ? nftnl_expr_get_str(
							   e,
							   NFTNL_EXPR_IMM_CHAIN)
						 : NULL;
			} else {
				d = reg_of(regs, e, NFTNL_EXPR_IMM_DREG);
				if (d)
					*d = (struct reg){0};
			}
		} else {
			/* Other pure loads: the destination is unknown. */
			if (!strcmp(name, "payload"))
				d = reg_of(regs, e, NFTNL_EXPR_PAYLOAD_DREG);
			else if (!strcmp(name, "meta"))
				d = reg_of(regs, e, NFTNL_EXPR_META_DREG);
			else
				d = NULL;
			if (d) {
				d->state = false;
				d->nfproto = !strcmp(name, "meta") &&
					     nftnl_expr_get_u32(
						     e, NFTNL_EXPR_META_KEY) ==
						     NFT_META_NFPROTO;
			}
			/* Any other load may clobber a tracked register:
			 * forget them all (only the ct state is tracked). */
			if (!d && strcmp(name, "counter") &&
			    strcmp(name, "range"))
				memset(regs, 0, sizeof(regs));
			if (!strcmp(name, "range"))
				m = MAYBE;
		}
	}
	nftnl_expr_iter_destroy(it);
	if (o == UNCERTAIN || m == NEVER)
		return o;
	return rule_verdict(w, idx, m, verdict, target, depth, ends);
}

static enum outcome walk_chain(struct walk *w, const char *chain, int depth)
{
	int idx = 0;

	if (depth > MAX_DEPTH)
		return uncertain(w, "chain %s: jumps nested too deep", chain);
	if (!chain_find(w->t, chain))
		return uncertain(w, "chain %s: not in the dump", chain);
	for (size_t i = 0; i < w->t->n_rules; i++) {
		const struct nftnl_rule *r = w->t->rules[i];
		const char *c = nftnl_rule_get_str(r, NFTNL_RULE_CHAIN);
		enum outcome o;
		bool ends;

		if (!c || strcmp(c, chain))
			continue;
		idx++;
		o = walk_rule(w, r, idx, depth, &ends);
		if (o != RETURNS || ends)
			return o;
	}
	return RETURNS;
}

bool nft_stateful_accepts(const struct nft_stateful_table *t,
			  const struct nftnl_chain *chain, uint32_t family,
			  char *why, size_t why_len)
{
	struct walk w = {
		.t = t, .family = family, .why = why, .why_len = why_len};
	const char *name = nftnl_chain_get_str(chain, NFTNL_CHAIN_NAME);
	const char *type = nftnl_chain_get_str(chain, NFTNL_CHAIN_TYPE);
	enum outcome o;

	if (why && why_len)
		why[0] = '\0';
	if (!name || !nftnl_chain_is_set(chain, NFTNL_CHAIN_HOOKNUM)) {
		uncertain(&w, "not a base chain");
		return false;
	}
	/* nat chains see a connection's first packet only. */
	if (type && !strcmp(type, "nat"))
		return true;
	o = walk_chain(&w, name, 0);
	if (o == ACCEPTS)
		return true;
	if (o == UNCERTAIN)
		return false;
	if (nftnl_chain_is_set(chain, NFTNL_CHAIN_POLICY) &&
	    nftnl_chain_get_u32(chain, NFTNL_CHAIN_POLICY) != NF_ACCEPT) {
		uncertain(&w, "policy drop");
		return false;
	}
	return true;
}
