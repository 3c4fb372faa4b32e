// SPDX-License-Identifier: GPL-2.0-only
/* The request head check of the /metrics listener (metrics_http_parse). */
#include "unit_test.h"
#include "daemon/metrics_http.h"

static int parse(const char *s)
{
	return metrics_http_parse(s, strlen(s));
}

static void test_scrapes(void)
{
	CHECK_EQ(parse("GET /metrics HTTP/1.1\r\nHost: a"), 200);
	CHECK_EQ(parse("GET /metrics HTTP/1.0"), 200);
	CHECK_EQ(parse("GET /metrics?name[]=up HTTP/1.1\nHost: a"), 200);
}

static void test_refused(void)
{
	CHECK_EQ(parse("POST /metrics HTTP/1.1"), 405);
	CHECK_EQ(parse("HEAD /metrics HTTP/1.1"), 405);
	CHECK_EQ(parse("GET / HTTP/1.1"), 404);
	CHECK_EQ(parse("GET /metricsx HTTP/1.1"), 404);
	CHECK_EQ(parse("GET /metrics"), 400);
	CHECK_EQ(parse("GET /metrics HTTP/2"), 400);
	CHECK_EQ(parse("GET"), 400);
	CHECK_EQ(parse(""), 400);
	CHECK_EQ(metrics_http_parse("GET /metrics HTTP/1.1", 12), 400);
}

int main(void)
{
	RUN(test_scrapes);
	RUN(test_refused);
	return unit_done();
}
