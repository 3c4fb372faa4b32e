/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XR_LOG_H
#define XR_LOG_H

#include <stdarg.h>
#include <syslog.h>

/* Levels are syslog's: LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_INFO, LOG_DEBUG.
 */
void xr_log_set_level(int level);
int xr_log_level_parse(const char *name); /* -EINVAL if unknown */
/* Route libbpf's messages through us, one level down. */
void xr_log_setup_libbpf(void);

__attribute__((format(printf, 2, 3))) void xr_log(int level, const char *fmt,
						  ...);
__attribute__((format(printf, 2, 0))) void xr_vlog(int level, const char *fmt,
						   va_list ap);

#define xr_err(...) xr_log(LOG_ERR, __VA_ARGS__)
#define xr_warn(...) xr_log(LOG_WARNING, __VA_ARGS__)
#define xr_notice(...) xr_log(LOG_NOTICE, __VA_ARGS__)
#define xr_info(...) xr_log(LOG_INFO, __VA_ARGS__)
#define xr_debug(...) xr_log(LOG_DEBUG, __VA_ARGS__)

#endif /* XR_LOG_H */
