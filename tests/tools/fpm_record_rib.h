/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The route and nexthop state fpm-record rebuilds from events, so tests can
 * compare it with zebra's own view. A test tool, not the dataplane mirror.
 */
#ifndef XR_FPM_RECORD_RIB_H
#define XR_FPM_RECORD_RIB_H

#include <stdio.h>

#include "fpm_events.h"

struct fpm_record_rib;

struct fpm_record_rib *fpm_record_rib_new(void);
void fpm_record_rib_free(struct fpm_record_rib *rib);
/* Apply one event; PEER_UP starts from scratch (zebra replays all). */
void fpm_record_rib_apply(struct fpm_record_rib *rib,
			  const struct fpm_event *ev);
void fpm_record_rib_dump_json(const struct fpm_record_rib *rib, FILE *f);

/* One human-readable line per event (fpm-record -v). */
void fpm_record_print_event(const struct fpm_event *ev, FILE *f);

#endif
