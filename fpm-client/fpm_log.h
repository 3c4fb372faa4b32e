/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Logging hook of the FPM client. The library never prints: it hands every
 * message to the function set here (like libbpf_set_print). The default is
 * silent, so a library user only sees what it asked for.
 */
#ifndef XR_FPM_LOG_H
#define XR_FPM_LOG_H

#include <stdarg.h>
#include <syslog.h> /* LOG_ERR .. LOG_DEBUG */

typedef void (*fpm_log_fn)(int level, const char *fmt, va_list ap);

/* Install fn (NULL = silent); returns the previous function. */
fpm_log_fn fpm_set_log(fpm_log_fn fn);

/* A ready-made fn printing "fpm: <level>: msg" to stderr. */
void fpm_log_stderr(int level, const char *fmt, va_list ap);

void fpm_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
