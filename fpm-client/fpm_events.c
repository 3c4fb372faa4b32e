// SPDX-License-Identifier: GPL-2.0-only
#include "fpm_events.h"

const char *fpm_event_type_name(enum fpm_event_type type)
{
	static const char *const names[] = {
		[FPM_EV_ROUTE_ADD] = "route-add",
		[FPM_EV_ROUTE_DEL] = "route-del",
		[FPM_EV_NH_ADD] = "nh-add",
		[FPM_EV_NH_DEL] = "nh-del",
		[FPM_EV_PEER_UP] = "peer-up",
		[FPM_EV_PEER_DOWN] = "peer-down",
	};

	if ((unsigned int)type >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[type];
}

const char *fpm_route_type_name(uint8_t type)
{
	static const char *const names[] = {
		[FPM_RT_UNICAST] = "unicast",
		[FPM_RT_BLACKHOLE] = "blackhole",
		[FPM_RT_UNREACHABLE] = "unreachable",
		[FPM_RT_PROHIBIT] = "prohibit",
		[FPM_RT_LOCAL] = "local",
	};

	if (type >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[type];
}
