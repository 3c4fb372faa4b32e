// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xdp_router_abi.h"
#include "util/log.h"
#include "kernel/plan.h"

struct stmt {
	uint32_t ifindex;
	uint32_t flags;
	char why[XR_PLAN_WHY_MAX];
};

struct stmts {
	struct stmt *v;
	size_t n, cap;
};

struct plan {
	struct stmts cur[XR_PLAN_SOURCE_MAX];
	struct stmts pending[XR_PLAN_SOURCE_MAX];
	bool pending_lost[XR_PLAN_SOURCE_MAX];
	uint32_t expected, ready; /* bit per source */
	void (*changed)(void *arg);
	void *arg;
};

static const char *const source_names[] = {
#define XR_PLAN_SOURCE_NAME(name, str) [XR_PLAN_##name] = str,
	XR_PLAN_SOURCES(XR_PLAN_SOURCE_NAME)
#undef XR_PLAN_SOURCE_NAME
};

const char *plan_source_name(enum xr_plan_source src)
{
	return src < XR_PLAN_SOURCE_MAX ? source_names[src] : "?";
}

const char *plan_flag_name(uint32_t bit)
{
	switch (bit) {
#define XR_PLAN_FLAG_CASE(name, b, str) \
	case XR_IF_F_##name:            \
		return str;
		XR_IF_PLAN_FLAGS(XR_PLAN_FLAG_CASE)
#undef XR_PLAN_FLAG_CASE
	}
	return NULL;
}

uint32_t plan_flag_by_name(const char *name)
{
#define XR_PLAN_FLAG_MATCH(n, b, str) \
	if (!strcmp(name, str))       \
		return XR_IF_F_##n;
	XR_IF_PLAN_FLAGS(XR_PLAN_FLAG_MATCH)
#undef XR_PLAN_FLAG_MATCH
	return 0;
}

struct plan *plan_new(void)
{
	return calloc(1, sizeof(struct plan));
}

void plan_free(struct plan *pl)
{
	if (!pl)
		return;
	for (int s = 0; s < XR_PLAN_SOURCE_MAX; s++) {
		free(pl->cur[s].v);
		free(pl->pending[s].v);
	}
	free(pl);
}

void plan_set_listener(struct plan *pl, void (*changed)(void *arg), void *arg)
{
	pl->changed = changed;
	pl->arg = arg;
}

void plan_expect(struct plan *pl, enum xr_plan_source src)
{
	pl->expected |= 1U << src;
}

void plan_begin(struct plan *pl, enum xr_plan_source src)
{
	pl->pending[src].n = 0;
	pl->pending_lost[src] = false;
}

int plan_set(struct plan *pl, enum xr_plan_source src, uint32_t ifindex,
	     uint32_t flags, const char *why)
{
	struct stmts *p = &pl->pending[src];
	struct stmt *st;

	flags &= XR_IF_PLAN_MASK;
	if (!flags)
		return 0;
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 16;
		struct stmt *v = realloc(p->v, cap * sizeof(*v));

		if (!v) {
			pl->pending_lost[src] = true;
			return -ENOMEM;
		}
		p->v = v;
		p->cap = cap;
	}
	st = &p->v[p->n++];
	st->ifindex = ifindex;
	st->flags = flags;
	snprintf(st->why, sizeof(st->why), "%s", why ? why : "");
	return 0;
}

static bool stmts_has(const struct stmts *s, const struct stmt *st)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].ifindex == st->ifindex &&
		    s->v[i].flags == st->flags && !strcmp(s->v[i].why, st->why))
			return true;
	return false;
}

static void flags_text(uint32_t flags, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = 0;
	for (uint32_t b = 1; b && off < len; b <<= 1)
		if ((flags & b) && plan_flag_name(b))
			off += snprintf(buf + off, len - off, "%s%s",
					off ? "," : "", plan_flag_name(b));
}

static void log_stmt(enum xr_plan_source src, const struct stmt *st,
		     const char *verb)
{
	char where[32], what[256];

	if (st->ifindex == XR_PLAN_ALL_IFACES)
		snprintf(where, sizeof(where), "every interface");
	else
		snprintf(where, sizeof(where), "ifindex %u", st->ifindex);
	flags_text(st->flags, what, sizeof(what));
	xr_notice("plan: %s %s %s on %s (%s)", plan_source_name(src), verb,
		  what, where, st->why);
}

/* Logs what changed between the source's old and new statement: each
 * change once, not the whole plan again. */
static bool log_changes(enum xr_plan_source src, const struct stmts *old,
			const struct stmts *new)
{
	bool changed = false;

	for (size_t i = 0; i < new->n; i++)
		if (!stmts_has(old, &new->v[i])) {
			log_stmt(src, &new->v[i], "sets");
			changed = true;
		}
	for (size_t i = 0; i < old->n; i++)
		if (!stmts_has(new, &old->v[i])) {
			log_stmt(src, &old->v[i], "clears");
			changed = true;
		}
	return changed;
}

void plan_commit(struct plan *pl, enum xr_plan_source src)
{
	struct stmts tmp;
	bool was_complete = plan_complete(pl), changed;

	if (pl->pending_lost[src]) {
		/* Half a statement would accelerate on a guess. */
		xr_err("plan: %s: out of memory; its interfaces punt",
		       plan_source_name(src));
		pl->ready &= ~(1U << src);
		pl->pending[src].n = 0;
		pl->pending_lost[src] = false;
		if (pl->changed)
			pl->changed(pl->arg);
		return;
	}
	changed = log_changes(src, &pl->cur[src], &pl->pending[src]);
	tmp = pl->cur[src];
	pl->cur[src] = pl->pending[src];
	pl->pending[src] = tmp;
	pl->pending[src].n = 0;
	pl->ready |= 1U << src;
	if (!was_complete && plan_complete(pl)) {
		xr_notice("plan: every source read, the fast path may "
			  "accelerate");
		changed = true;
	}
	if (changed && pl->changed)
		pl->changed(pl->arg);
}

bool plan_complete(const struct plan *pl)
{
	return (pl->ready & pl->expected) == pl->expected;
}

/* What the statements for ifindex add up to. The TCP window gate is a
 * condition on a conntrack check: a row without one has nothing for it to
 * gate (the program tests it only where a row of the pair asks for the
 * check, and that row carries it), so it is left off. */
static uint32_t stated_flags(const struct plan *pl, uint32_t ifindex)
{
	uint32_t flags = 0;

	for (int s = 0; s < XR_PLAN_SOURCE_MAX; s++)
		for (size_t i = 0; i < pl->cur[s].n; i++) {
			const struct stmt *st = &pl->cur[s].v[i];

			if (st->ifindex == ifindex ||
			    st->ifindex == XR_PLAN_ALL_IFACES)
				flags |= st->flags;
		}
	if (!(flags & XR_IF_PLAN_CT_CHECK))
		flags &= ~XR_IF_F_CT_TCP_STRICT;
	return flags;
}

uint32_t plan_flags(const struct plan *pl, uint32_t ifindex)
{
	if (!pl)
		return 0;
	if (!plan_complete(pl))
		return XR_IF_PLAN_PUNT_ALL;
	return stated_flags(pl, ifindex);
}

void plan_foreach(const struct plan *pl, uint32_t ifindex, plan_why_fn fn,
		  void *arg)
{
	uint32_t stated = stated_flags(pl, ifindex);

	for (int s = 0; s < XR_PLAN_SOURCE_MAX; s++) {
		if ((pl->expected & (1U << s)) && !(pl->ready & (1U << s)))
			fn(arg, s, XR_IF_PLAN_PUNT_ALL, "not read yet");
		for (size_t i = 0; i < pl->cur[s].n; i++) {
			const struct stmt *st = &pl->cur[s].v[i];

			if ((st->ifindex == ifindex ||
			     st->ifindex == XR_PLAN_ALL_IFACES) &&
			    (st->flags & stated))
				fn(arg, s, st->flags, st->why);
		}
	}
}
