/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A tiny unit test runner: plain asserts that count instead of abort, and a
 * closing "N passed, N failed" line ctest and CI read.
 *
 *	static void test_x(void) { CHECK(1 + 1 == 2); }
 *	int main(void) { RUN(test_x); return unit_done(); }
 */
#ifndef XR_UNIT_TEST_H
#define XR_UNIT_TEST_H

#include <stdio.h>
#include <string.h>

static int unit_passed, unit_failed, unit_case_failed;

#define CHECK(cond)                                                    \
	do {                                                           \
		if (!(cond)) {                                         \
			fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", \
				__FILE__, __LINE__, #cond);            \
			unit_case_failed = 1;                          \
		}                                                      \
	} while (0)

#define CHECK_EQ(a, b)                                                    \
	do {                                                              \
		long long _a = (long long)(a), _b = (long long)(b);       \
		if (_a != _b) {                                           \
			fprintf(stderr,                                   \
				"  %s:%d: %s == %lld, want %s == %lld\n", \
				__FILE__, __LINE__, #a, _a, #b, _b);      \
			unit_case_failed = 1;                             \
		}                                                         \
	} while (0)

#define RUN(fn)                                   \
	do {                                      \
		unit_case_failed = 0;             \
		fn();                             \
		if (unit_case_failed) {           \
			unit_failed++;            \
			printf("FAIL %s\n", #fn); \
		} else {                          \
			unit_passed++;            \
			printf("ok   %s\n", #fn); \
		}                                 \
	} while (0)

static inline int unit_done(void)
{
	printf("%d passed, %d failed\n", unit_passed, unit_failed);
	return unit_failed ? 1 : 0;
}

#endif
