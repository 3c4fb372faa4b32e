// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>

#include "daemon/control_request.h"

int control_request_parse(const char *line, size_t len,
			  struct control_request *req)
{
	size_t vlen, i;

	if (len && line[len - 1] == '\r')
		len--;
	if (len >= CONTROL_REQUEST_MAX)
		return -E2BIG;
	if (!len)
		return -EINVAL;
	/* printable ASCII: no NUL to cut a verb short, no escapes to log */
	for (i = 0; i < len; i++)
		if (line[i] < 0x20 || line[i] > 0x7e)
			return -EINVAL;
	for (vlen = 0; vlen < len && line[vlen] != ' '; vlen++)
		;
	for (i = 0; i < CONTROL_VERB__COUNT; i++)
		if (strlen(control_verb_name(i)) == vlen &&
		    !memcmp(line, control_verb_name(i), vlen))
			break;
	if (i == CONTROL_VERB__COUNT)
		return -ENOENT;
	req->verb = (enum control_verb)i;
	if (vlen < len)
		vlen++; /* the space */
	memcpy(req->args, line + vlen, len - vlen);
	req->args[len - vlen] = '\0';
	return 0;
}

const char *control_request_error(int err)
{
	switch (err) {
	case -E2BIG:
		return "request too long (at most 511 bytes)";
	case -ENOENT:
		return "unknown request";
	default:
		return "malformed request (one line of printable ASCII)";
	}
}
