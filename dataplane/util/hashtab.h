/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An open-addressing hash table of pointers to caller-owned entries whose
 * first key_len bytes are the key. Sized for a full Internet table: one
 * pointer a slot, no per-entry allocation of its own.
 */
#ifndef XR_HASHTAB_H
#define XR_HASHTAB_H

#include <stddef.h>
#include <stdint.h>

struct hashtab_slot {
	uint64_t hash; /* compared first: a probe touches an entry only when
			* its hash matches, not at every step */
	void *entry;
};

struct hashtab {
	struct hashtab_slot *slots;
	size_t n_slots; /* a power of two */
	size_t used;	/* live entries */
	size_t dead;	/* tombstones */
	size_t key_len;
};

int hashtab_init(struct hashtab *h, size_t key_len);
void hashtab_free(struct hashtab *h); /* the entries are the caller's */
void *hashtab_find(const struct hashtab *h, const void *key);
/* -EEXIST if an entry with the same key is present. */
int hashtab_insert(struct hashtab *h, void *entry);
void *hashtab_remove(struct hashtab *h, const void *key);
/* The entry with this key, or one made by make(key, arg) and inserted: one
 * probe where find + insert take two. NULL if make fails. */
void *hashtab_get_or_insert(struct hashtab *h, const void *key,
			    void *(*make)(const void *key, void *arg),
			    void *arg);

/* Iteration that tolerates removing the current entry. */
#define hashtab_for_each(h, i, e)                \
	for ((i) = 0; (i) < (h)->n_slots; (i)++) \
		if (((e) = hashtab_slot(h, i)) != NULL)

void *hashtab_slot(const struct hashtab *h, size_t i);

#endif /* XR_HASHTAB_H */
