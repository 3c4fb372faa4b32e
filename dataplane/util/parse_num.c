// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>

#include "util/parse_num.h"

int xr_parse_uint(const char *s, int base, unsigned long max,
		  unsigned long *out)
{
	unsigned long n;
	char *end;

	/* strtoul skips blanks and takes a sign, then negates: " -1" would
	 * be ULONG_MAX. A number starts with a digit. */
	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	n = strtoul(s, &end, base);
	if (errno || *end || n > max)
		return -EINVAL;
	*out = n;
	return 0;
}
