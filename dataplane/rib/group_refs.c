// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>

#include "rib/group_refs.h"

int group_refs_add(struct hashtab *tab, uint32_t member, uint32_t group)
{
	struct group_refs *r = hashtab_find(tab, &member);

	if (!r) {
		r = calloc(1, sizeof(*r));
		if (!r)
			return -ENOMEM;
		r->member = member;
		if (hashtab_insert(tab, r)) {
			free(r);
			return -ENOMEM;
		}
	}
	if (r->n == r->cap) {
		uint32_t cap = r->cap ? 2 * r->cap : 2;
		uint32_t *g = realloc(r->groups, cap * sizeof(*g));

		if (!g) {
			if (!r->n) {
				hashtab_remove(tab, &member);
				free(r);
			}
			return -ENOMEM;
		}
		r->groups = g;
		r->cap = cap;
	}
	r->groups[r->n++] = group;
	return 0;
}

void group_refs_del(struct hashtab *tab, uint32_t member, uint32_t group)
{
	struct group_refs *r = hashtab_find(tab, &member);

	if (!r)
		return;
	for (uint32_t i = 0; i < r->n; i++) {
		if (r->groups[i] != group)
			continue;
		r->groups[i] = r->groups[--r->n];
		break;
	}
	if (r->n)
		return;
	hashtab_remove(tab, &member);
	free(r->groups);
	free(r);
}

const struct group_refs *group_refs_of(const struct hashtab *tab,
				       uint32_t member)
{
	return hashtab_find(tab, &member);
}

void group_refs_free(struct hashtab *tab)
{
	struct group_refs *r;
	size_t i;

	if (!tab->slots)
		return;
	hashtab_for_each(tab, i, r)
	{
		free(r->groups);
		free(r);
	}
	hashtab_free(tab);
}
