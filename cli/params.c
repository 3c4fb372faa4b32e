// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>

#include "cli.h"
#include "params.h"
#include "util/parse_num.h"

static void params_usage(const struct param *params, const char *cmd, FILE *f);

static bool is_option(const struct param *p)
{
	return p->name[0] == '-';
}

static const char *type_hint(const struct param *p)
{
	switch (p->type) {
	case P_UINT:
		return "a number";
	case P_IFNAME:
		return "an interface name";
	case P_ADDR:
		return "an IPv4 or IPv6 address";
	case P_PREFIX:
		return "a prefix such as 10.0.0.0/8 or 2001:db8::/32";
	default:
		return "";
	}
}

static int keyword_index(const struct param *p, const char *v)
{
	for (int i = 0; p->keywords[i]; i++)
		if (!strcmp(p->keywords[i], v))
			return i;
	return -1;
}

static int set_value(const struct param *p, const char *v, void *out,
		     const char *cmd)
{
	void *dst = (char *)out + p->offset;
	unsigned long n;

	switch (p->type) {
	case P_FLAG:
		*(bool *)dst = true;
		return 0;
	case P_UINT:
		if (xr_parse_uint(v, 10, UINT32_MAX, &n))
			break;
		*(unsigned int *)dst = n;
		return 0;
	case P_IFNAME: {
		struct param_ifname *i = dst;

		if (strlen(v) >= sizeof(i->name)) {
			fprintf(stderr,
				"xdp-routerctl %s: interface name '%s' "
				"is too long\n",
				cmd, v);
			return EXIT_ERR;
		}
		i->ifindex = if_nametoindex(v);
		if (!i->ifindex) {
			fprintf(stderr,
				"xdp-routerctl %s: unknown interface "
				"'%s' (see ip link)\n",
				cmd, v);
			return EXIT_ERR;
		}
		strcpy(i->name, v);
		return 0;
	}
	case P_ADDR:
		if (xr_addr_parse(v, dst))
			break;
		return 0;
	case P_PREFIX:
		if (xr_prefix_parse(v, dst))
			break;
		return 0;
	case P_KEYWORD:
		*(int *)dst = keyword_index(p, v);
		if (*(int *)dst < 0) {
			fprintf(stderr,
				"xdp-routerctl %s: '%s' is not one of "
				"%s\n",
				cmd, v, p->name);
			return EXIT_USAGE;
		}
		return 0;
	}
	fprintf(stderr, "xdp-routerctl %s: bad %s '%s': want %s\n", cmd,
		p->name, v, type_hint(p));
	return EXIT_ERR;
}

int params_parse(const struct param *params, int argc, char **argv, void *out,
		 const char *cmd)
{
	bool seen[32] = {false};
	const struct param *p;
	int pos = 0, err;

	for (p = params; p->name; p++)
		if (p->type == P_KEYWORD)
			*(int *)((char *)out + p->offset) = -1;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] == '-' && a[1] && !(a[1] >= '0' && a[1] <= '9')) {
			for (p = params; p->name; p++)
				if (is_option(p) && !strcmp(p->name, a))
					break;
			if (!p->name) {
				fprintf(stderr,
					"xdp-routerctl %s: unknown "
					"option '%s'\n",
					cmd, a);
				params_usage(params, cmd, stderr);
				return EXIT_USAGE;
			}
			if (p->type != P_FLAG && ++i >= argc) {
				fprintf(stderr,
					"xdp-routerctl %s: %s needs "
					"a value\n",
					cmd, a);
				return EXIT_USAGE;
			}
			err = set_value(p, p->type == P_FLAG ? NULL : argv[i],
					out, cmd);
			if (err)
				return err;
			seen[p - params] = true;
			continue;
		}
		/* the next positional that takes it */
		for (p = params; p->name; p++) {
			if (is_option(p) || seen[p - params] ||
			    (p - params) < pos)
				continue;
			if (p->type == P_KEYWORD && !p->required &&
			    keyword_index(p, a) < 0) {
				seen[p - params] = true;
				continue;
			}
			break;
		}
		if (!p->name) {
			fprintf(stderr,
				"xdp-routerctl %s: unexpected argument "
				"'%s'\n",
				cmd, a);
			params_usage(params, cmd, stderr);
			return EXIT_USAGE;
		}
		err = set_value(p, a, out, cmd);
		if (err)
			return err;
		seen[p - params] = true;
		pos = p - params + 1;
	}
	for (p = params; p->name; p++)
		if (p->required && !seen[p - params]) {
			fprintf(stderr, "xdp-routerctl %s: missing %s\n", cmd,
				p->name);
			params_usage(params, cmd, stderr);
			return EXIT_USAGE;
		}
	return 0;
}

static void params_usage(const struct param *params, const char *cmd, FILE *f)
{
	const struct param *p;

	fprintf(f, "usage: xdp-routerctl [-j] %s", cmd);
	for (p = params; p->name; p++) {
		const char *arg = p->type == P_FLAG	? ""
				  : p->type == P_IFNAME ? " IFACE"
				  : p->type == P_UINT	? " N"
							: "";

		fprintf(f, " %s%s%s%s", p->required ? "" : "[", p->name,
			is_option(p) ? arg : "", p->required ? "" : "]");
	}
	fprintf(f, "\n");
	for (p = params; p->name; p++)
		if (p->help)
			fprintf(f, "  %-12s %s\n", p->name, p->help);
}
