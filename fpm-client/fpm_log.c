// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>

#include "fpm_log.h"

static fpm_log_fn log_fn;

fpm_log_fn fpm_set_log(fpm_log_fn fn)
{
	fpm_log_fn old = log_fn;

	log_fn = fn;
	return old;
}

void fpm_log_stderr(int level, const char *fmt, va_list ap)
{
	static const char *const names[] = {"emerg", "alert",  "crit", "error",
					    "warn",  "notice", "info", "debug"};

	fprintf(stderr, "fpm: %s: ", names[level & 7]);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void fpm_log(int level, const char *fmt, ...)
{
	va_list ap;

	if (!log_fn)
		return;
	va_start(ap, fmt);
	log_fn(level, fmt, ap);
	va_end(ap);
}
