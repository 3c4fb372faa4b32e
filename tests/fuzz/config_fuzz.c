// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the config file: the bytes as a file of
 * "name = value" lines through every option's parser, on fresh defaults.
 */
#include <grp.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "daemon/daemon_opts.h"

/*
 * The user and group options look names up; glibc's NSS reads /etc/passwd
 * and /etc/group on every call, which made this target ~2 000 runs/s. The
 * fuzzer is after our parsers, not NSS: these few names stand in for the
 * system's (the executable's definitions win over libc's and ASan's).
 */
struct passwd *getpwnam(const char *name)
{
	static struct passwd pw[] = {{.pw_name = "root", .pw_uid = 0},
				     {.pw_name = "frr", .pw_uid = 100},
				     {.pw_name = "nobody", .pw_uid = 65534}};

	for (size_t i = 0; i < sizeof(pw) / sizeof(pw[0]); i++)
		if (!strcmp(name, pw[i].pw_name))
			return &pw[i];
	return NULL;
}

struct group *getgrnam(const char *name)
{
	static struct group gr[] = {{.gr_name = "root", .gr_gid = 0},
				    {.gr_name = "nogroup", .gr_gid = 65534}};

	for (size_t i = 0; i < sizeof(gr) / sizeof(gr[0]); i++)
		if (!strcmp(name, gr[i].gr_name))
			return &gr[i];
	return NULL;
}

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
