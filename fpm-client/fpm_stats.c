// SPDX-License-Identifier: GPL-2.0-only
#include "fpm_stats.h"

static const char *const stat_names[] = {
#define FPM_STAT_NAME(name, help) [FPM_STAT_##name] = #name,
	FPM_STATS(FPM_STAT_NAME)
#undef FPM_STAT_NAME
};

static const char *const stat_help[] = {
#define FPM_STAT_HELP(name, help) [FPM_STAT_##name] = help,
	FPM_STATS(FPM_STAT_HELP)
#undef FPM_STAT_HELP
};

const char *fpm_stat_name(unsigned int id)
{
	return id < FPM_STAT__COUNT ? stat_names[id] : NULL;
}

const char *fpm_stat_help(unsigned int id)
{
	return id < FPM_STAT__COUNT ? stat_help[id] : NULL;
}

uint64_t fpm_stat_value(const struct fpm_stats *s, unsigned int id)
{
	const uint64_t *v = (const uint64_t *)s;

	return id < FPM_STAT__COUNT ? v[id] : 0;
}
