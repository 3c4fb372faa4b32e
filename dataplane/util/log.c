// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <errno.h>
#include <bpf/libbpf.h>

#include "util/log.h"

static int log_level = LOG_NOTICE;

static const struct {
	const char *name;
	int level;
} level_names[] = {
	{"error", LOG_ERR}, {"warning", LOG_WARNING}, {"notice", LOG_NOTICE},
	{"info", LOG_INFO}, {"debug", LOG_DEBUG},
};

void xr_log_set_level(int level)
{
	log_level = level;
}

int xr_log_level_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]);
	     i++)
		if (!strcasecmp(name, level_names[i].name))
			return level_names[i].level;
	return -EINVAL;
}

static const char *level_tag(int level)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]);
	     i++)
		if (level_names[i].level == level)
			return level_names[i].name;
	return "log";
}

void xr_vlog(int level, const char *fmt, va_list ap)
{
	if (level > log_level || !fmt)
		return;
	/* "<N>" is the priority prefix journald understands on stderr. */
	fprintf(stderr, "<%d>%s: ", level, level_tag(level));
	vfprintf(stderr, fmt, ap);
	if (fmt[0] && fmt[strlen(fmt) - 1] != '\n')
		fputc('\n', stderr);
}

void xr_log(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xr_vlog(level, fmt, ap);
	va_end(ap);
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	static const int map[] = {
		[LIBBPF_WARN] = LOG_NOTICE,
		[LIBBPF_INFO] = LOG_DEBUG,
		[LIBBPF_DEBUG] = LOG_DEBUG + 1,
	};

	xr_vlog(map[level], fmt, ap);
	return 0;
}

void xr_log_setup_libbpf(void)
{
	libbpf_set_print(libbpf_print);
}
