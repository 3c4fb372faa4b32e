// SPDX-License-Identifier: GPL-2.0-only
/* The compiled FIBs' slot allocator: what it hands out, when it may hand a
 * freed slot out again, and what an earlier run's slots do. */
#include <errno.h>
#include <time.h>

#include "util/id_slots.h"
#include "unit_test.h"

static void test_lowest_first_and_reserved(void)
{
	struct id_slots s;

	CHECK_EQ(id_slots_init(&s, 4, 1), 0);
	CHECK_EQ(id_slots_alloc(&s), 1); /* slot 0 is reserved */
	CHECK_EQ(id_slots_alloc(&s), 2);
	CHECK_EQ(id_slots_alloc(&s), 3);
	CHECK_EQ(id_slots_alloc(&s), -ENOSPC);
	id_slots_fini(&s);
}

static void test_freed_slot_waits_for_grace(void)
{
	struct timespec pause = {0, 150000000}; /* past the 100 ms grace */
	struct id_slots s;

	id_slots_init(&s, 2, 0);
	CHECK_EQ(id_slots_alloc(&s), 0);
	CHECK_EQ(id_slots_alloc(&s), 1);
	id_slots_free(&s, 0);
	CHECK(id_slots_is(&s, 0, SLOT_GRACE));
	/* a packet may still read slot 0: not handed out yet */
	CHECK_EQ(id_slots_alloc(&s), -ENOSPC);
	id_slots_free(&s, 0); /* freeing twice changes nothing */
	nanosleep(&pause, NULL);
	CHECK_EQ(id_slots_alloc(&s), 0);
	CHECK_EQ(id_slots_alloc(&s), -ENOSPC);
	id_slots_fini(&s);
}

static void test_adopted_kept_until_released(void)
{
	struct id_slots s;

	id_slots_init(&s, 4, 0);
	id_slots_adopt(&s, 1);
	id_slots_adopt(&s, 2);
	id_slots_seal(&s);
	CHECK_EQ(id_slots_alloc(&s), 0);
	CHECK_EQ(id_slots_alloc(&s), 3); /* 1 and 2 are the earlier run's */
	CHECK_EQ(id_slots_alloc(&s), -ENOSPC);
	id_slots_claim(&s, 2); /* still in use: found by this run */
	CHECK_EQ(id_slots_release_adopted(&s), 1);
	CHECK(id_slots_is(&s, 1, SLOT_GRACE));
	CHECK(id_slots_is(&s, 2, SLOT_USED));
	id_slots_fini(&s);
}

static void test_many_without_scans(void)
{
	enum { N = 1 << 20 };
	struct id_slots s;
	int ok = 1;

	/* O(1) each: a million allocations stay instant */
	id_slots_init(&s, N, 0);
	for (int i = 0; i < N; i++)
		ok &= id_slots_alloc(&s) == i;
	CHECK(ok);
	CHECK_EQ(id_slots_alloc(&s), -ENOSPC);
	id_slots_fini(&s);
}

int main(void)
{
	RUN(test_lowest_first_and_reserved);
	RUN(test_freed_slot_waits_for_grace);
	RUN(test_adopted_kept_until_released);
	RUN(test_many_without_scans);
	return unit_done();
}
