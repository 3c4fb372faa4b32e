// SPDX-License-Identifier: GPL-2.0-only
/*
 * traffic-gen: sends 64-byte UDP frames from a veth as fast as one CPU can,
 * with traffic_gen.bpf.c in BPF_PROG_TEST_RUN live-frames mode. Run it in
 * the generator's namespace, pinned to its CPU by the caller (taskset).
 *
 *   traffic-gen --dev IFNAME --dmac MAC --src ADDR --dsts FILE
 *               [--seconds S] [--batch N] [--sport PORT] [--reverse]
 *
 * FILE holds 16-byte destination addresses (IPv4 in the first four); the
 * family follows --src. Prints "sent PACKETS seconds S" when done.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "traffic_gen.h"
#include "traffic_gen.skel.h"

/* Frames per test-run call: short enough to stop on time. */
#define GEN_REPEAT (1u << 16)

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int dev_mac(const char *dev, __u8 mac[6])
{
	struct ifreq ifr = {0};
	int fd = socket(AF_INET, SOCK_DGRAM, 0), err = 0;

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr))
		err = -errno;
	else
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(fd);
	return err;
}

static int mac_parse(const char *s, __u8 mac[6])
{
	unsigned int b[6];

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
		   &b[5]) != 6)
		return -EINVAL;
	for (int i = 0; i < 6; i++)
		mac[i] = b[i];
	return 0;
}

/* Reads the destinations; keeps the largest power of two of them so the
 * program can index with a mask. */
static struct gen_dst *dsts_read(const char *path, __u32 *n)
{
	struct gen_dst *d = NULL;
	FILE *f = fopen(path, "rb");
	long size;
	__u32 count = 1;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 16 ||
	    fseek(f, 0, SEEK_SET))
		goto out;
	while ((long)(count * 2 * sizeof(*d)) <= size)
		count *= 2;
	d = calloc(count, sizeof(*d));
	if (d && fread(d, sizeof(*d), count, f) != count) {
		free(d);
		d = NULL;
	}
	*n = count;
out:
	fclose(f);
	return d;
}

static int usage(void)
{
	fprintf(stderr, "usage: traffic-gen --dev IFNAME --dmac MAC --src ADDR "
			"--dsts FILE [--seconds S] [--batch N] [--sport PORT] "
			"[--reverse]\n");
	return 2;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"dev", required_argument, NULL, 'd'},
		{"dmac", required_argument, NULL, 'm'},
		{"src", required_argument, NULL, 's'},
		{"dsts", required_argument, NULL, 'f'},
		{"seconds", required_argument, NULL, 't'},
		{"batch", required_argument, NULL, 'b'},
		{"sport", required_argument, NULL, 'p'},
		{"reverse", no_argument, NULL, 'r'},
		{},
	};
	const char *dev = NULL, *dmac = NULL, *src = NULL, *file = NULL;
	double seconds = 1.0, t0;
	unsigned int batch = 64, sport = 0, reverse = 0;
	__u8 frame[GEN_FRAME_V6] = {0};
	struct traffic_gen *skel;
	struct xdp_md ctx = {0};
	unsigned long long sent = 0;
	struct gen_dst *d;
	__u32 n_dsts = 0;
	int opt, fd, v6, err = 1;

	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			dev = optarg;
			break;
		case 'm':
			dmac = optarg;
			break;
		case 's':
			src = optarg;
			break;
		case 'f':
			file = optarg;
			break;
		case 't':
			seconds = atof(optarg);
			break;
		case 'b':
			batch = atoi(optarg);
			break;
		case 'p':
			sport = atoi(optarg);
			break;
		case 'r':
			reverse = 1;
			break;
		default:
			return usage();
		}
	}
	if (!dev || !dmac || !src || !file)
		return usage();
	ctx.ingress_ifindex = if_nametoindex(dev);
	if (!ctx.ingress_ifindex) {
		fprintf(stderr, "traffic-gen: no interface %s\n", dev);
		return 1;
	}
	d = dsts_read(file, &n_dsts);
	if (!d) {
		fprintf(stderr,
			"traffic-gen: cannot read destinations from "
			"%s (16 bytes each, at least one)\n",
			file);
		return 1;
	}
	skel = traffic_gen__open();
	if (!skel)
		return 1;
	v6 = strchr(src, ':') != NULL;
	skel->rodata->ipv6 = v6;
	skel->rodata->dst_mask = n_dsts - 1;
	skel->rodata->fixed_sport = (__u16)sport;
	skel->rodata->reverse = (__u8)reverse;
	if (inet_pton(v6 ? AF_INET6 : AF_INET, src,
		      (void *)skel->rodata->saddr) != 1 ||
	    mac_parse(dmac, (__u8 *)skel->rodata->dmac) ||
	    dev_mac(dev, (__u8 *)skel->rodata->smac)) {
		fprintf(stderr, "traffic-gen: bad --src, --dmac or --dev\n");
		goto out;
	}
	bpf_map__set_max_entries(skel->maps.dsts, n_dsts);
	if (traffic_gen__load(skel)) {
		fprintf(stderr, "traffic-gen: load failed\n");
		goto out;
	}
	fd = bpf_map__fd(skel->maps.dsts);
	for (__u32 i = 0; i < n_dsts; i++)
		if (bpf_map_update_elem(fd, &i, &d[i], 0)) {
			fprintf(stderr, "traffic-gen: dsts: %s\n",
				strerror(errno));
			goto out;
		}

	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame,
		    .data_size_in = v6 ? GEN_FRAME_V6 : GEN_FRAME_V4,
		    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
		    .flags = BPF_F_TEST_XDP_LIVE_FRAMES, .repeat = GEN_REPEAT,
		    .batch_size = batch);
	ctx.data_end = opts.data_size_in;
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	fd = bpf_program__fd(skel->progs.traffic_gen);
	t0 = now();
	while (!stop && now() - t0 < seconds) {
		if (bpf_prog_test_run_opts(fd, &opts)) {
			fprintf(stderr, "traffic-gen: test run: %s\n",
				strerror(errno));
			goto out;
		}
		sent += GEN_REPEAT;
	}
	printf("sent %llu seconds %.3f\n", sent, now() - t0);
	err = 0;
out:
	traffic_gen__destroy(skel);
	free(d);
	return err;
}
