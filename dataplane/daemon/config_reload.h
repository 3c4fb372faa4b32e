/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SIGHUP: the options read again as at start (the config file, then the
 * command line). The flow collectors change in place, the fast path and
 * every other part untouched; any other option that differs is logged as
 * waiting for the next start. Bad options change nothing.
 */
#ifndef XR_CONFIG_RELOAD_H
#define XR_CONFIG_RELOAD_H

struct daemon;

void config_reload(struct daemon *d);

#endif /* XR_CONFIG_RELOAD_H */
