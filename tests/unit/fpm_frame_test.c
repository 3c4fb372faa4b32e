// SPDX-License-Identifier: GPL-2.0-only
/* FPM header validation and the stream reassembler. */
#include <errno.h>

#include "fpm_frame.h"
#include "unit_test.h"

static const uint8_t hdr_ok[] = {1, 1, 0, 8};

static void test_header_valid(void)
{
	struct fpm_frame_hdr h;
	const uint8_t pb[] = {1, 2, 0xff, 0xff};

	CHECK_EQ(fpm_frame_parse_header(hdr_ok, 4, &h), 0);
	CHECK_EQ(h.version, 1);
	CHECK_EQ(h.type, FPM_MSG_NETLINK);
	CHECK_EQ(h.len, 8);
	/* 65535 is the largest legal frame */
	CHECK_EQ(fpm_frame_parse_header(pb, 4, &h), 0);
	CHECK_EQ(h.len, 65535);
	CHECK_EQ(h.type, FPM_MSG_PROTOBUF);
}

static void test_header_errors(void)
{
	struct fpm_frame_hdr h;
	const uint8_t v0[] = {0, 1, 0, 8}, v2[] = {2, 1, 0, 8};
	const uint8_t t0[] = {1, 0, 0, 8}, t3[] = {1, 3, 0, 8};
	const uint8_t l0[] = {1, 1, 0, 0}, l3[] = {1, 1, 0, 3};
	const uint8_t l4[] = {1, 1, 0, 4};

	CHECK_EQ(fpm_frame_parse_header(hdr_ok, 0, &h), -EAGAIN);
	CHECK_EQ(fpm_frame_parse_header(hdr_ok, 3, &h), -EAGAIN);
	/* Version alone is enough to reject (FRR joined the checks with &&) */
	CHECK_EQ(fpm_frame_parse_header(v0, 4, &h), -EPROTO);
	CHECK_EQ(fpm_frame_parse_header(v2, 4, &h), -EPROTO);
	CHECK_EQ(fpm_frame_parse_header(t0, 4, &h), -EPROTONOSUPPORT);
	CHECK_EQ(fpm_frame_parse_header(t3, 4, &h), -EPROTONOSUPPORT);
	CHECK_EQ(fpm_frame_parse_header(l0, 4, &h), -EBADMSG);
	CHECK_EQ(fpm_frame_parse_header(l3, 4, &h), -EBADMSG);
	CHECK_EQ(fpm_frame_parse_header(l4, 4, &h), -ENOMSG);
}

static void test_put_header(void)
{
	uint8_t b[4];
	struct fpm_frame_hdr h;

	CHECK_EQ(fpm_frame_put_header(b, FPM_MSG_NETLINK, 100), 0);
	CHECK_EQ(fpm_frame_parse_header(b, 4, &h), 0);
	CHECK_EQ(h.len, 104);
	CHECK_EQ(fpm_frame_put_header(b, FPM_MSG_NETLINK, 65531), 0);
	CHECK_EQ(fpm_frame_put_header(b, FPM_MSG_NETLINK, 65532), -EMSGSIZE);
}

struct seen {
	int n;
	size_t total;
	uint8_t last_first_payload;
	int stop_at; /* callback fails on this frame number, 0 = never */
};

static int on_frame(const struct fpm_frame_hdr *h, const uint8_t *f, void *arg)
{
	struct seen *s = arg;

	s->n++;
	s->total += h->len;
	s->last_first_payload = f[FPM_HDR_LEN];
	/* Frames here carry their sequence number in every payload byte */
	for (size_t i = FPM_HDR_LEN; i < h->len; i++)
		if (f[i] != f[FPM_HDR_LEN])
			return -EILSEQ;
	return s->n == s->stop_at ? -ECANCELED : 0;
}

/* n frames of growing size, payload bytes = frame index */
static size_t make_stream(uint8_t *buf, int n)
{
	size_t off = 0;

	for (int i = 0; i < n; i++) {
		size_t plen = 1 + (size_t)i * 37 % 300;

		fpm_frame_put_header(buf + off, FPM_MSG_NETLINK, plen);
		memset(buf + off + FPM_HDR_LEN, i, plen);
		off += plen + FPM_HDR_LEN;
	}
	return off;
}

static struct fpm_reasm r;
static uint8_t stream[1 << 20];

static void test_reasm_one_byte_at_a_time(void)
{
	struct seen s = {0};
	size_t len = make_stream(stream, 50);

	fpm_reasm_reset(&r);
	for (size_t i = 0; i < len; i++)
		CHECK_EQ(fpm_reasm_feed(&r, stream + i, 1, on_frame, &s), 0);
	CHECK_EQ(s.n, 50);
	CHECK_EQ(s.total, len);
	CHECK_EQ(s.last_first_payload, 49);
	CHECK_EQ(r.offset, len);
	CHECK_EQ(fpm_reasm_finish(&r), 0);
}

static void test_reasm_many_frames_per_chunk(void)
{
	size_t len = make_stream(stream, 1000);
	static const size_t chunks[] = {1,   3,	   4,	  5,	  7,
					100, 4096, 65536, 1 << 20};

	for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		struct seen s = {0};

		fpm_reasm_reset(&r);
		for (size_t off = 0; off < len; off += chunks[c]) {
			size_t n =
				len - off < chunks[c] ? len - off : chunks[c];

			CHECK_EQ(fpm_reasm_feed(&r, stream + off, n, on_frame,
						&s),
				 0);
		}
		CHECK_EQ(s.n, 1000);
		CHECK_EQ(s.total, len);
		CHECK_EQ(fpm_reasm_finish(&r), 0);
	}
}

static void test_reasm_max_frame_split(void)
{
	struct seen s = {0};

	fpm_frame_put_header(stream, FPM_MSG_NETLINK, 65531);
	memset(stream + 4, 7, 65531);
	fpm_reasm_reset(&r);
	CHECK_EQ(fpm_reasm_feed(&r, stream, 2, on_frame, &s), 0);
	CHECK_EQ(fpm_reasm_feed(&r, stream + 2, 40000, on_frame, &s), 0);
	CHECK_EQ(s.n, 0);
	CHECK_EQ(fpm_reasm_finish(&r), -ENODATA);
	CHECK_EQ(
		fpm_reasm_feed(&r, stream + 40002, 65535 - 40002, on_frame, &s),
		0);
	CHECK_EQ(s.n, 1);
	CHECK_EQ(s.total, 65535);
}

static void test_reasm_truncated_at_eof(void)
{
	struct seen s = {0};
	size_t len = make_stream(stream, 3);

	fpm_reasm_reset(&r);
	CHECK_EQ(fpm_reasm_feed(&r, stream, len - 1, on_frame, &s), 0);
	CHECK_EQ(s.n, 2);
	CHECK_EQ(fpm_reasm_finish(&r), -ENODATA);
	/* a lone partial header too */
	fpm_reasm_reset(&r);
	CHECK_EQ(fpm_reasm_feed(&r, stream, 3, on_frame, &s), 0);
	CHECK_EQ(fpm_reasm_finish(&r), -ENODATA);
}

static void test_reasm_garbage_after_valid_frame(void)
{
	struct seen s = {0};
	size_t len = make_stream(stream, 2);
	size_t first = 4 + 1;

	memcpy(stream + len, "\x09garbage", 8);
	fpm_reasm_reset(&r);
	CHECK_EQ(fpm_reasm_feed(&r, stream, len + 8, on_frame, &s), -EPROTO);
	CHECK_EQ(s.n, 2);
	CHECK_EQ(r.offset, len); /* error offset: where the garbage starts */
	/* sticky: the rest of that stream is not trusted */
	CHECK_EQ(fpm_reasm_feed(&r, stream, first, on_frame, &s), -EPROTO);
	CHECK_EQ(s.n, 2);
	fpm_reasm_reset(&r);
	CHECK_EQ(fpm_reasm_feed(&r, stream, first, on_frame, &s), 0);
	CHECK_EQ(s.n, 3);
}

static void test_reasm_bad_header_split(void)
{
	const uint8_t bad[] = {1, 1, 0, 3};
	struct seen s = {0};

	fpm_reasm_reset(&r);
	CHECK_EQ(fpm_reasm_feed(&r, bad, 2, on_frame, &s), 0);
	CHECK_EQ(fpm_reasm_feed(&r, bad + 2, 2, on_frame, &s), -EBADMSG);
	CHECK_EQ(r.offset, 0);
}

static void test_reasm_callback_stops(void)
{
	struct seen s = {.stop_at = 2};
	size_t len = make_stream(stream, 5);

	fpm_reasm_reset(&r);
	CHECK_EQ(fpm_reasm_feed(&r, stream, len, on_frame, &s), -ECANCELED);
	CHECK_EQ(s.n, 2);
}

int main(void)
{
	RUN(test_header_valid);
	RUN(test_header_errors);
	RUN(test_put_header);
	RUN(test_reasm_one_byte_at_a_time);
	RUN(test_reasm_many_frames_per_chunk);
	RUN(test_reasm_max_frame_split);
	RUN(test_reasm_truncated_at_eof);
	RUN(test_reasm_garbage_after_valid_frame);
	RUN(test_reasm_bad_header_split);
	RUN(test_reasm_callback_stops);
	return unit_done();
}
