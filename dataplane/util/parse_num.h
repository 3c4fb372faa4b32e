/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Numbers from text, as the daemon's options, the config file and
 * xdp-routerctl's arguments take them: one rule for every place a number is
 * typed, so "-1", "12abc", "" and an out-of-range value are refused the same
 * way everywhere (strtoul alone accepts the first and wraps it).
 */
#ifndef XR_UTIL_PARSE_NUM_H
#define XR_UTIL_PARSE_NUM_H

/* base as strtoul's (0: 0x.. and 0.. prefixes too). 0, or -EINVAL for
 * anything but a whole unsigned number <= max. */
int xr_parse_uint(const char *s, int base, unsigned long max,
		  unsigned long *out);

#endif /* XR_UTIL_PARSE_NUM_H */
