// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "export/sample_feed.h"
#include "export/sample_ring.h"

struct sample_feed {
	struct sample_ring *ring;
	struct event *ev;
	struct flow_consumer c[SAMPLE_FEED_CONSUMERS];
	unsigned int n;
	struct xr_sample_stats prog;
};

static void on_record(void *arg, const struct xr_flow_sample *r)
{
	struct sample_feed *f = arg;

	for (unsigned int i = 0; i < f->n; i++)
		f->c[i].sample(f->c[i].arg, r, &f->prog);
}

static void on_ring(evutil_socket_t fd, short what, void *arg)
{
	struct sample_feed *f = arg;

	(void)fd;
	(void)what;
	sample_ring_stats(f->ring, &f->prog);
	sample_ring_drain(f->ring);
	for (unsigned int i = 0; i < f->n; i++)
		f->c[i].flush(f->c[i].arg);
}

int sample_feed_new(struct sample_feed **out, struct event_base *base,
		    const char *pin_dir, uint32_t rate)
{
	struct sample_feed *f = calloc(1, sizeof(*f));
	int err;

	if (!f)
		return -ENOMEM;
	err = sample_ring_open(&f->ring, pin_dir, on_record, f);
	if (!err)
		err = sample_ring_set_rate(f->ring, rate);
	if (err)
		goto fail;
	f->ev = event_new(base, sample_ring_fd(f->ring), EV_READ | EV_PERSIST,
			  on_ring, f);
	err = -ENOMEM;
	if (!f->ev || event_add(f->ev, NULL))
		goto fail;
	*out = f;
	return 0;
fail:
	sample_feed_free(f);
	return err;
}

int sample_feed_add(struct sample_feed *f, const struct flow_consumer *c)
{
	if (f->n == SAMPLE_FEED_CONSUMERS)
		return -E2BIG;
	f->c[f->n++] = *c;
	return 0;
}

void sample_feed_stats(const struct sample_feed *f, struct xr_sample_stats *s)
{
	if (sample_ring_stats(f->ring, s))
		*s = f->prog;
}

void sample_feed_free(struct sample_feed *f)
{
	if (!f)
		return;
	/* the program stops sampling with its reader gone */
	if (f->ring)
		sample_ring_set_rate(f->ring, 0);
	if (f->ev)
		event_free(f->ev);
	sample_ring_free(f->ring);
	free(f);
}
