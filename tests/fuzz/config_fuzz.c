// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the config file: the bytes as a file of
 * "name = value" lines through every option's parser, on fresh defaults.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "daemon/daemon_opts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct daemon_opts defaults, o;
	static int ready;
	FILE *f;

	if (!ready) {
		daemon_opts_defaults(
			&defaults); /* getpwnam once, not per run */
		ready = 1;
	}
	if (!size)
		return 0;
	memcpy(&o, &defaults, sizeof(o));
	f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	daemon_opts_load_stream(&o, f, "fuzz");
	fclose(f);
	return 0;
}
