// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/hashtab.h"

/* A tombstone: a removed entry's slot, skipped by lookups, reused by inserts.
 */
static char tombstone_mark;
#define TOMBSTONE ((void *)&tombstone_mark)

static uint64_t hash_bytes(const void *key, size_t len)
{
	const uint8_t *p = key;
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	/* FNV's low bits are weak for short keys: mix before masking. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

int hashtab_init(struct hashtab *h, size_t key_len)
{
	h->n_slots = 64;
	h->used = h->dead = 0;
	h->key_len = key_len;
	h->slots = calloc(h->n_slots, sizeof(*h->slots));
	return h->slots ? 0 : -ENOMEM;
}

void hashtab_free(struct hashtab *h)
{
	free(h->slots);
	h->slots = NULL;
	h->n_slots = h->used = h->dead = 0;
}

void *hashtab_slot(const struct hashtab *h, size_t i)
{
	void *e = h->slots[i].entry;

	return e == TOMBSTONE ? NULL : e;
}

static size_t probe(const struct hashtab *h, const void *key, uint64_t hash,
		    int *found)
{
	size_t mask = h->n_slots - 1;
	size_t i = hash & mask;
	size_t first_free = (size_t)-1;

	for (;; i = (i + 1) & mask) {
		const struct hashtab_slot *s = &h->slots[i];

		if (!s->entry) {
			*found = 0;
			return first_free != (size_t)-1 ? first_free : i;
		}
		if (s->entry == TOMBSTONE) {
			if (first_free == (size_t)-1)
				first_free = i;
			continue;
		}
		if (s->hash == hash && !memcmp(s->entry, key, h->key_len)) {
			*found = 1;
			return i;
		}
	}
}

static int grow(struct hashtab *h)
{
	size_t n = h->used * 4 > h->n_slots ? h->n_slots * 2 : h->n_slots;
	struct hashtab_slot *old = h->slots;
	size_t old_n = h->n_slots;

	h->slots = calloc(n, sizeof(*h->slots));
	if (!h->slots) {
		h->slots = old;
		return -ENOMEM;
	}
	h->n_slots = n;
	h->dead = 0;
	for (size_t i = 0; i < old_n; i++) {
		int found;

		if (old[i].entry && old[i].entry != TOMBSTONE)
			h->slots[probe(h, old[i].entry, old[i].hash, &found)] =
				old[i];
	}
	free(old);
	return 0;
}

void *hashtab_find(const struct hashtab *h, const void *key)
{
	int found;
	size_t i = probe(h, key, hash_bytes(key, h->key_len), &found);

	return found ? h->slots[i].entry : NULL;
}

/* Keep the load (live + tombstones) under 2/3 so probes stay short. */
static int room_for_one(struct hashtab *h)
{
	if ((h->used + h->dead + 1) * 3 > h->n_slots * 2)
		return grow(h);
	return 0;
}

static void slot_fill(struct hashtab *h, size_t i, uint64_t hash, void *e)
{
	if (h->slots[i].entry == TOMBSTONE)
		h->dead--;
	h->slots[i].hash = hash;
	h->slots[i].entry = e;
	h->used++;
}

int hashtab_insert(struct hashtab *h, void *entry)
{
	uint64_t hash = hash_bytes(entry, h->key_len);
	int found, err;
	size_t i;

	err = room_for_one(h);
	if (err)
		return err;
	i = probe(h, entry, hash, &found);
	if (found)
		return -EEXIST;
	slot_fill(h, i, hash, entry);
	return 0;
}

void *hashtab_get_or_insert(struct hashtab *h, const void *key,
			    void *(*make)(const void *key, void *arg),
			    void *arg)
{
	uint64_t hash = hash_bytes(key, h->key_len);
	int found;
	size_t i;
	void *e;

	if (room_for_one(h))
		return NULL;
	i = probe(h, key, hash, &found);
	if (found)
		return h->slots[i].entry;
	e = make(key, arg);
	if (e)
		slot_fill(h, i, hash, e);
	return e;
}

void *hashtab_remove(struct hashtab *h, const void *key)
{
	int found;
	size_t i = probe(h, key, hash_bytes(key, h->key_len), &found);
	void *e;

	if (!found)
		return NULL;
	e = h->slots[i].entry;
	h->slots[i].entry = TOMBSTONE;
	h->used--;
	h->dead++;
	return e;
}
