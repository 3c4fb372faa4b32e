// SPDX-License-Identifier: GPL-2.0-only
/*
 * fpm-record: listen for zebra's FPM connection like the daemon does, print
 * what it decodes, record the frames, or decode a recording.
 *
 * A recording is the FPM byte stream itself: complete, well-framed frames
 * back to back, exactly as zebra sent them (header included). Frames from
 * several connections simply follow each other.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <event2/event.h>

#include "fpm_decode.h"
#include "fpm_log.h"
#include "fpm_record_rib.h"
#include "fpm_server.h"

struct recorder {
	struct event_base *base;
	struct fpm_record_rib *rib;
	struct event *quiet_ev;
	struct timeval quiet;
	const char *json_path;
	FILE *out; /* -w */
	int verbose;
	int dirty;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: fpm-record [-l ADDR:PORT] [-v] [-w FILE] [-s]\n"
		"                  [--dump-json FILE] [--quiet-ms N]\n"
		"       fpm-record -r FILE [-v] [-s] [--dump-json FILE]\n"
		"  -l ADDR:PORT      listen address (default %s)\n"
		"  -v                print every decoded event\n"
		"  -w FILE           record frames (raw FPM stream) to FILE\n"
		"  -r FILE           decode a recording instead of listening\n"
		"  -s                print counters at exit\n"
		"  --dump-json FILE  write the decoded RIB as JSON ('-' = "
		"stdout)\n"
		"                    after each quiet period, and at exit\n"
		"  --quiet-ms N      quiet period in ms (default 300)\n",
		FPM_DEFAULT_ADDR);
}

static void dump_json(struct recorder *rec)
{
	char tmp[4096];
	FILE *f;

	if (!rec->json_path)
		return;
	if (!strcmp(rec->json_path, "-")) {
		fpm_record_rib_dump_json(rec->rib, stdout);
		fflush(stdout);
		return;
	}
	/* Readers poll this file: replace it whole, never half-written */
	snprintf(tmp, sizeof(tmp), "%s.tmp", rec->json_path);
	f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "fpm-record: %s: %s\n", tmp, strerror(errno));
		return;
	}
	fpm_record_rib_dump_json(rec->rib, f);
	fclose(f);
	if (rename(tmp, rec->json_path))
		fprintf(stderr, "fpm-record: rename %s: %s\n", rec->json_path,
			strerror(errno));
}

static void on_quiet(evutil_socket_t fd, short what, void *arg)
{
	struct recorder *rec = arg;

	(void)fd;
	(void)what;
	if (rec->dirty) {
		rec->dirty = 0;
		dump_json(rec);
	}
}

static void on_event(const struct fpm_event *ev, void *arg)
{
	struct recorder *rec = arg;

	if (rec->verbose) {
		fpm_record_print_event(ev, stdout);
		fflush(stdout);
	}
	fpm_record_rib_apply(rec->rib, ev);
	rec->dirty = 1;
	if (rec->quiet_ev)
		event_add(rec->quiet_ev, &rec->quiet);
}

static void on_frame(const uint8_t *frame, size_t len, void *arg)
{
	struct recorder *rec = arg;

	if (fwrite(frame, 1, len, rec->out) != len || fflush(rec->out))
		fprintf(stderr, "fpm-record: write: %s\n", strerror(errno));
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct recorder *rec = arg;

	(void)sig;
	(void)what;
	event_base_loopbreak(rec->base);
}

static void print_stats(const struct fpm_stats *st)
{
	for (unsigned int i = 0; i < FPM_STAT__COUNT; i++)
		if (fpm_stat_value(st, i))
			fprintf(stderr, "%-22s %llu\n", fpm_stat_name(i),
				(unsigned long long)fpm_stat_value(st, i));
}

static int replay_file(struct recorder *rec, const char *path, int stats)
{
	struct fpm_decoder *d = fpm_decoder_new(on_event, rec);
	static uint8_t buf[1 << 16];
	FILE *f = fopen(path, "rb");
	int ret = 0, err;
	size_t n;

	if (!f || !d) {
		fprintf(stderr, "fpm-record: %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		fpm_decoder_free(d);
		return 1;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		err = fpm_decoder_feed(d, buf, n);
		if (err) {
			fprintf(stderr,
				"fpm-record: %s: framing error at offset "
				"%llu: %s\n",
				path, (unsigned long long)d->err_offset,
				strerror(-err));
			ret = 1;
			break;
		}
	}
	if (!ret && fpm_decoder_end(d)) {
		fprintf(stderr, "fpm-record: %s: truncated frame at end\n",
			path);
		ret = 1;
	}
	fclose(f);
	dump_json(rec);
	if (stats)
		print_stats(&d->stats);
	fpm_decoder_free(d);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"dump-json", required_argument, NULL, 'j'},
		{"quiet-ms", required_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *listen = NULL, *wpath = NULL, *rpath = NULL;
	struct recorder rec = {.quiet = {0, 300000}};
	struct event *sigint, *sigterm;
	struct fpm_server *srv;
	int c, stats = 0, err;
	long ms;

	while ((c = getopt_long(argc, argv, "l:vw:r:sh", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			listen = optarg;
			break;
		case 'v':
			rec.verbose = 1;
			break;
		case 'w':
			wpath = optarg;
			break;
		case 'r':
			rpath = optarg;
			break;
		case 's':
			stats = 1;
			break;
		case 'j':
			rec.json_path = optarg;
			break;
		case 'q':
			ms = strtol(optarg, NULL, 10);
			if (ms <= 0) {
				fprintf(stderr, "fpm-record: --quiet-ms wants "
						"a positive number\n");
				return 2;
			}
			rec.quiet.tv_sec = ms / 1000;
			rec.quiet.tv_usec = (ms % 1000) * 1000;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	rec.rib = fpm_record_rib_new();
	if (!rec.rib)
		return 1;
	if (rpath) {
		err = replay_file(&rec, rpath, stats);
		fpm_record_rib_free(rec.rib);
		return err;
	}

	fpm_set_log(fpm_log_stderr);
	if (wpath) {
		rec.out = fopen(wpath, "wb");
		if (!rec.out) {
			fprintf(stderr, "fpm-record: %s: %s\n", wpath,
				strerror(errno));
			return 1;
		}
	}
	rec.base = event_base_new();
	if (!rec.base) {
		if (rec.out)
			fclose(rec.out);
		return 1;
	}
	rec.quiet_ev = evtimer_new(rec.base, on_quiet, &rec);
	err = fpm_server_create(&srv, rec.base, listen, NULL, on_event, &rec);
	if (err) {
		fprintf(stderr, "fpm-record: cannot listen on %s: %s\n",
			listen ? listen : FPM_DEFAULT_ADDR, strerror(-err));
		return 1;
	}
	if (rec.out)
		fpm_decoder_set_tap(fpm_server_decoder(srv), on_frame, &rec);
	sigint = evsignal_new(rec.base, SIGINT, on_signal, &rec);
	sigterm = evsignal_new(rec.base, SIGTERM, on_signal, &rec);
	event_add(sigint, NULL);
	event_add(sigterm, NULL);
	dump_json(&rec); /* an empty RIB until zebra says otherwise */

	event_base_dispatch(rec.base);

	dump_json(&rec);
	if (stats)
		print_stats(&fpm_server_decoder(srv)->stats);
	fpm_server_free(srv);
	event_free(sigint);
	event_free(sigterm);
	event_free(rec.quiet_ev);
	event_base_free(rec.base);
	if (rec.out)
		fclose(rec.out);
	fpm_record_rib_free(rec.rib);
	return 0;
}
