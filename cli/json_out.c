// SPDX-License-Identifier: GPL-2.0-only
/* Printing xdp-routerctl's JSON; building it is util/json_build.h's. */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>

#include "cli.h"

void cli_print_json(struct json_object *j)
{
	printf("%s\n",
	       json_object_to_json_string_ext(
		       j, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
				  JSON_C_TO_STRING_NOSLASHESCAPE));
	fflush(stdout);
}

const char *cli_ifname(uint32_t ifindex, char buf[16])
{
	if (!ifindex || !if_indextoname(ifindex, buf))
		snprintf(buf, 16, "if%u", ifindex);
	return buf;
}
