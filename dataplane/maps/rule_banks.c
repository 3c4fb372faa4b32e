// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <bpf/bpf.h>

#include "maps/rule_banks.h"

_Static_assert((XR_RULE_BANKS & (XR_RULE_BANKS - 1)) == 0,
	       "the program masks the bank");

int xr_rules_publish(const struct xr_maps *m, uint32_t family,
		     const struct xr_ip_rule *rules, uint32_t n)
{
	struct xr_rule_head head = {0};
	uint32_t next, base;

	if (family > 1 || n > XR_RULES_MAX)
		return -EINVAL;
	if (bpf_map_lookup_elem(m->rule_heads, &family, &head))
		return -errno;
	next = (head.bank + 1) % XR_RULE_BANKS;
	/* the bank no packet reads: its count, its rules, then live */
	head.n[next] = n;
	if (bpf_map_update_elem(m->rule_heads, &family, &head, BPF_ANY))
		return -errno;
	base = (family * XR_RULE_BANKS + next) * XR_RULES_MAX;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t k = base + i;

		if (bpf_map_update_elem(m->ip_rules, &k, &rules[i], BPF_ANY))
			return -errno;
	}
	head.bank = next;
	if (bpf_map_update_elem(m->rule_heads, &family, &head, BPF_ANY))
		return -errno;
	return 0;
}
