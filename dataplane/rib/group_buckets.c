// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>

#include "rib/group_buckets.h"

/* Largest-remainder apportionment of the buckets over the weights. */
static void bucket_shares(const uint8_t *weights, unsigned int n,
			  unsigned int *share)
{
	unsigned int total = 0, given = 0;
	unsigned int rem[XR_MAX_ECMP];

	for (unsigned int i = 0; i < n; i++)
		total += weights[i] ? weights[i] : 1;
	for (unsigned int i = 0; i < n; i++) {
		unsigned int w = weights[i] ? weights[i] : 1;

		share[i] = w * XR_GROUP_BUCKETS / total;
		rem[i] = w * XR_GROUP_BUCKETS % total;
		given += share[i];
	}
	while (given < XR_GROUP_BUCKETS) {
		unsigned int best = 0;

		for (unsigned int i = 1; i < n; i++)
			if (rem[i] > rem[best])
				best = i;
		share[best]++;
		rem[best] = 0;
		given++;
	}
}

static int member_index(const uint32_t *ids, unsigned int n, uint32_t id)
{
	for (unsigned int i = 0; i < n; i++)
		if (ids[i] == id)
			return i;
	return -1;
}

int xr_group_build(struct xr_nh_group *g, const uint32_t *ids,
		   const uint8_t *weights, unsigned int n,
		   const struct xr_nh_group *prev)
{
	unsigned int share[XR_MAX_ECMP], used[XR_MAX_ECMP] = {0};
	uint8_t taken[XR_GROUP_BUCKETS] = {0};
	unsigned int next = 0;

	if (n == 0 || n > XR_MAX_ECMP)
		return -EINVAL;
	memset(g, 0, sizeof(*g));
	g->n_members = n;
	for (unsigned int i = 0; i < n; i++) {
		g->member[i] = ids[i];
		g->weight[i] = weights[i];
	}
	bucket_shares(weights, n, share);

	if (prev && prev->n_members <= XR_MAX_ECMP) {
		for (unsigned int b = 0; b < XR_GROUP_BUCKETS; b++) {
			unsigned int old = prev->bucket[b];
			int i;

			if (old >= prev->n_members)
				continue;
			i = member_index(ids, n, prev->member[old]);
			if (i >= 0 && used[i] < share[i]) {
				g->bucket[b] = i;
				used[i]++;
				taken[b] = 1;
			}
		}
	}
	for (unsigned int b = 0; b < XR_GROUP_BUCKETS; b++) {
		if (taken[b])
			continue;
		while (used[next] >= share[next])
			next++;
		g->bucket[b] = next;
		used[next]++;
	}
	return 0;
}
