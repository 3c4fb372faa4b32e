/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The control socket's request line, checked by one pure function (the
 * fuzz target's subject): the bytes before '\n' are a verb of the table and
 * its arguments, printable ASCII only, at most CONTROL_REQUEST_MAX bytes.
 */
#ifndef XR_CONTROL_REQUEST_H
#define XR_CONTROL_REQUEST_H

#include <stddef.h>

#include "daemon/control_protocol.h"

#define CONTROL_REQUEST_MAX 512

struct control_request {
	enum control_verb verb;
	char args[CONTROL_REQUEST_MAX];
};

/*
 * line: len bytes, the request without its '\n' (a '\r' before it is
 * allowed). Returns 0 with *req filled, or -E2BIG (too long), -EINVAL
 * (empty, or a byte that is not printable ASCII), -ENOENT (unknown verb).
 */
int control_request_parse(const char *line, size_t len,
			  struct control_request *req);

/* What to tell the client about a parse error. */
const char *control_request_error(int err);

#endif /* XR_CONTROL_REQUEST_H */
