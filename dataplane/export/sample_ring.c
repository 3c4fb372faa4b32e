// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "export/sample_ring.h"

struct sample_ring {
	int ring_fd, rates_fd, skip_fd, stats_fd;
	struct ring_buffer *rb;
	sample_fn fn;
	void *arg;
};

static int pinned(const char *pin_dir, const char *name)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", pin_dir, name);
	fd = bpf_obj_get(path);
	return fd < 0 ? -errno : fd;
}

static int on_record(void *ctx, void *data, size_t len)
{
	struct sample_ring *r = ctx;

	/* A record of another layout is skipped, not misread. */
	if (len >= sizeof(struct xr_flow_sample))
		r->fn(r->arg, data);
	return 0;
}

int sample_ring_open(struct sample_ring **out, const char *pin_dir,
		     sample_fn fn, void *arg)
{
	struct sample_ring *r = calloc(1, sizeof(*r));
	int err;

	if (!r)
		return -ENOMEM;
	r->fn = fn;
	r->arg = arg;
	r->ring_fd = pinned(pin_dir, "flow_samples");
	r->rates_fd = pinned(pin_dir, "sample_rates");
	r->skip_fd = pinned(pin_dir, "sample_skip");
	r->stats_fd = pinned(pin_dir, "sample_stats");
	if (r->ring_fd < 0 || r->rates_fd < 0 || r->skip_fd < 0 ||
	    r->stats_fd < 0) {
		err = r->ring_fd < 0	? r->ring_fd
		      : r->rates_fd < 0 ? r->rates_fd
		      : r->skip_fd < 0	? r->skip_fd
					: r->stats_fd;
		goto fail;
	}
	r->rb = ring_buffer__new(r->ring_fd, on_record, r, NULL);
	if (!r->rb) {
		err = -errno;
		goto fail;
	}
	*out = r;
	return 0;
fail:
	sample_ring_free(r);
	return err;
}

void sample_ring_free(struct sample_ring *r)
{
	if (!r)
		return;
	ring_buffer__free(r->rb);
	if (r->ring_fd >= 0)
		close(r->ring_fd);
	if (r->rates_fd >= 0)
		close(r->rates_fd);
	if (r->skip_fd >= 0)
		close(r->skip_fd);
	if (r->stats_fd >= 0)
		close(r->stats_fd);
	free(r);
}

/* The rates, then every CPU's countdown back to 0 (none drawn): the next
 * frame draws its skip at the new rate, where one drawn at the old rate
 * (up to 2N-1 frames, or the idle recheck of rate 0) would hold it. */
int sample_ring_set_rate(struct sample_ring *r, uint32_t rate)
{
	int ncpu = libbpf_num_possible_cpus();
	uint32_t *zeroes;
	int err = 0;

	if (ncpu <= 0)
		return -EINVAL;
	zeroes = calloc(ncpu, sizeof(*zeroes));
	if (!zeroes)
		return -ENOMEM;
	for (uint32_t slot = 0; slot < XR_IFACE_MAX && !err; slot++)
		if (bpf_map_update_elem(r->rates_fd, &slot, &rate, BPF_ANY))
			err = -errno;
	for (uint32_t slot = 0; slot < XR_IFACE_MAX && !err; slot++)
		if (bpf_map_update_elem(r->skip_fd, &slot, zeroes, BPF_ANY))
			err = -errno;
	free(zeroes);
	return err;
}

int sample_ring_fd(const struct sample_ring *r)
{
	return ring_buffer__epoll_fd(r->rb);
}

int sample_ring_drain(struct sample_ring *r)
{
	return ring_buffer__consume(r->rb);
}

int sample_ring_stats(const struct sample_ring *r, struct xr_sample_stats *s)
{
	int ncpu = libbpf_num_possible_cpus();
	struct xr_sample_stats *v;
	uint32_t zero = 0;

	memset(s, 0, sizeof(*s));
	if (ncpu <= 0)
		return -EINVAL;
	v = calloc(ncpu, sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (bpf_map_lookup_elem(r->stats_fd, &zero, v)) {
		free(v);
		return -errno;
	}
	for (int i = 0; i < ncpu; i++) {
		s->sampled += v[i].sampled;
		s->ring_full += v[i].ring_full;
	}
	free(v);
	return 0;
}
