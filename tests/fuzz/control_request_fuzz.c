// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the control socket's request line: whatever a client
 * sends before '\n' goes through control_request_parse, which must answer
 * a verb and arguments that fit, or an error.
 */
#include <stdint.h>
#include <string.h>

#include "daemon/control_request.h"

static volatile size_t sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct control_request req;
	const char *nl = memchr(data, '\n', size);
	size_t len = nl ? (size_t)(nl - (const char *)data) : size;

	if (!control_request_parse((const char *)data, len, &req)) {
		/* what the views get: a verb of the table, a C string */
		if (req.verb >= CONTROL_VERB__COUNT)
			__builtin_trap();
		sink += strlen(req.args);
	} else {
		sink += strlen(control_request_error(-1));
	}
	return 0;
}
