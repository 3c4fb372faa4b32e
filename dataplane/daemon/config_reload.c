// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>
#include <string.h>

#include "daemon/config_reload.h"
#include "daemon/daemon.h"
#include "export/ipfix.h"
#include "export/sflow.h"
#include "util/log.h"

/* An exporter that runs takes its new collectors; one to start or stop
 * needs the sampling compiled in or out of the program, so a restart. */
static void collectors_reload(struct daemon *d, const struct daemon_opts *n)
{
	if (d->sflow && n->sflow.n_collectors) {
		sflow_set_collectors(d->sflow, &n->sflow);
		memcpy(d->opts.sflow.collector, n->sflow.collector,
		       sizeof(d->opts.sflow.collector));
		d->opts.sflow.n_collectors = n->sflow.n_collectors;
	}
	if (d->ipfix && n->ipfix.n_collectors) {
		ipfix_set_collectors(d->ipfix, &n->ipfix);
		memcpy(d->opts.ipfix.collector, n->ipfix.collector,
		       sizeof(d->opts.ipfix.collector));
		d->opts.ipfix.n_collectors = n->ipfix.n_collectors;
	}
}

void config_reload(struct daemon *d)
{
	struct daemon_opts *n = malloc(sizeof(*n));

	if (!n) {
		xr_warn("reload: out of memory; nothing changed");
		return;
	}
	xr_notice("reload: reading %s and the command line again",
		  d->opts.config);
	if (daemon_opts_parse(n, d->argc, d->argv)) {
		xr_warn("reload: the options have errors (above); nothing "
			"changed");
		free(n);
		return;
	}
	collectors_reload(d, n);
	/* Both sides were zeroed before they were parsed, so what was not
	 * applied shows as a difference; the pin path's pointer is each
	 * copy's own. */
	n->loader.pin_dir = d->opts.loader.pin_dir;
	if (memcmp(n, &d->opts, sizeof(*n)))
		xr_warn("reload: options other than sflow-collector and "
			"ipfix-collector of a running exporter take effect "
			"at the next start");
	free(n);
}
