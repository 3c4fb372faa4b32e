// SPDX-License-Identifier: GPL-2.0-only
/* The compiled FIBs' slot allocator: what it hands out, when it may hand a
 * freed slot out again, and what an earlier run's slots do. */
#include <errno.h>
#include <time.h>

#include "util/fib_slots.h"
#include "unit_test.h"

static void test_lowest_first_and_reserved(void)
{
	struct fib_slots s;

	CHECK_EQ(fib_slots_init(&s, 4, 1), 0);
	CHECK_EQ(fib_slots_alloc(&s), 1); /* slot 0 is reserved */
	CHECK_EQ(fib_slots_alloc(&s), 2);
	CHECK_EQ(fib_slots_alloc(&s), 3);
	CHECK_EQ(fib_slots_alloc(&s), -ENOSPC);
	fib_slots_fini(&s);
}

static void test_freed_slot_waits_for_grace(void)
{
	struct timespec pause = {1, 100000000}; /* past the 1 s grace */
	struct fib_slots s;

	fib_slots_init(&s, 2, 0);
	CHECK_EQ(fib_slots_alloc(&s), 0);
	CHECK_EQ(fib_slots_alloc(&s), 1);
	fib_slots_free(&s, 0);
	CHECK(fib_slots_is(&s, 0, SLOT_GRACE));
	/* a packet may still read slot 0: not handed out yet */
	CHECK_EQ(fib_slots_alloc(&s), -ENOSPC);
	fib_slots_free(&s, 0); /* freeing twice changes nothing */
	nanosleep(&pause, NULL);
	CHECK_EQ(fib_slots_alloc(&s), 0);
	CHECK_EQ(fib_slots_alloc(&s), -ENOSPC);
	fib_slots_fini(&s);
}

static void test_adopted_kept_until_released(void)
{
	struct fib_slots s;

	fib_slots_init(&s, 4, 0);
	fib_slots_adopt(&s, 1);
	fib_slots_adopt(&s, 2);
	fib_slots_seal(&s);
	CHECK_EQ(fib_slots_alloc(&s), 0);
	CHECK_EQ(fib_slots_alloc(&s), 3); /* 1 and 2 are the earlier run's */
	CHECK_EQ(fib_slots_alloc(&s), -ENOSPC);
	fib_slots_claim(&s, 2); /* still in use: found by this run */
	CHECK_EQ(fib_slots_release_adopted(&s), 1);
	CHECK(fib_slots_is(&s, 1, SLOT_GRACE));
	CHECK(fib_slots_is(&s, 2, SLOT_USED));
	fib_slots_fini(&s);
}

static void test_many_without_scans(void)
{
	enum { N = 1 << 20 };
	struct fib_slots s;
	int ok = 1;

	/* O(1) each: a million allocations stay instant */
	fib_slots_init(&s, N, 0);
	for (int i = 0; i < N; i++)
		ok &= fib_slots_alloc(&s) == i;
	CHECK(ok);
	CHECK_EQ(fib_slots_alloc(&s), -ENOSPC);
	fib_slots_fini(&s);
}

int main(void)
{
	RUN(test_lowest_first_and_reserved);
	RUN(test_freed_slot_waits_for_grace);
	RUN(test_adopted_kept_until_released);
	RUN(test_many_without_scans);
	return unit_done();
}
