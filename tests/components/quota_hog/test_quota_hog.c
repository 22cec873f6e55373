/* SPDX-License-Identifier: MIT */
/**
 * \brief test-quota-hog: allocates RAM dataspaces until its quota refuses,
 *        checks that every refusal is clean, frees everything (run/quota.run)
 *
 * Every check logs one line; a failed one logs `Error: ...` and makes the
 * exit code 1. The figures are exact bytes, so that the run script can
 * compare them with init's.
 *
 * 1. allocate chunks of HOG_CHUNK bytes until RAM_OUT_OF_QUOTA, then halve
 *    the size down to one page: the quota is used up to less than a page
 * 2. with the quota used up: a further page, a heap block (small: granted
 *    from the heap's chunk or refused; large: refused, it needs a chunk of
 *    its own), and a session whose ram_quota donation the component cannot
 *    pay are refused without any change to the quota
 * 3. free everything: the quota is back where it was (plus what the heap
 *    kept), a donation beyond the free quota is still refused, a donation
 *    that fits opens a working LOG session, and its close returns it
 * 4. quota moved to and from a second RAM session: see hog_second_ram
 * 5. a session at test-quota-server ("Quota"), which exits while the
 *    session is open: see hog_server_gone
 */

#include <base/env.h>
#include <base/log.h>
#include <log_session/log_session.h>
#include <util/format.h>
#include <util/string.h>

enum {
	HOG_CHUNK = 256 * 1024,       /* the size of the first allocations */
	HOG_DATASPACES_MAX = 1024,    /* 256 MiB in HOG_CHUNK pieces, and the halves */
	HOG_SMALL_BLOCK = 64,         /* a heap block from the heap's existing chunk */
	HOG_LARGE_BLOCK = 128 * 1024, /* a heap block that needs a chunk of its own */
	HOG_SESSION_QUOTA = 8192,     /* a donation that core's LOG service accepts */
	HOG_SERVER_QUOTA = 65536,     /* the donation to test-quota-server */
	HOG_WAIT_ROUNDS = 1000,       /* polls of the quota while the server goes */
	HOG_WAIT_SPIN = 100000,       /* pause instructions between two polls */
};

struct hog
{
	struct env *env;
	struct dataspace_cap ds[HOG_DATASPACES_MAX];
	unsigned count;    /* dataspaces in `ds` */
	uint64_t got;      /* bytes of them */
	unsigned failures; /* checks that failed */
};

/* one check: its line, or an error line and a failure */
static void hog_check(struct hog *hog, bool ok, char const *what)
{
	if (ok)
		log_info("%s", what);
	else {
		log_error("%s", what);
		hog->failures++;
	}
}

static struct ram_quota hog_quota(struct hog *hog)
{
	struct ram_quota_result q = ram_session_quota(hog->env->ram);
	if (q.result != RAM_OK) {
		log_error("the RAM session refused its quota figures (%d)", (int)q.result);
		hog->failures++;
		return (struct ram_quota){ 0, 0 };
	}
	return q.quota;
}

static bool hog_quota_equal(struct ram_quota a, struct ram_quota b)
{
	return a.quota == b.quota && a.used == b.used;
}

static char const *hog_parent_result_name(enum parent_result r)
{
	switch (r) {
	case PARENT_OK:
		return "granted";
	case PARENT_SERVICE_DENIED:
		return "PARENT_SERVICE_DENIED";
	case PARENT_INSUFFICIENT_DONATION:
		return "PARENT_INSUFFICIENT_DONATION";
	case PARENT_OUT_OF_QUOTA:
		return "PARENT_OUT_OF_QUOTA";
	case PARENT_INVALID_ARGUMENT:
		return "PARENT_INVALID_ARGUMENT";
	case PARENT_OUT_OF_RESOURCES:
		return "PARENT_OUT_OF_RESOURCES";
	default:
		return "another result";
	}
}

/* 1: take the whole quota, in chunks and then in halves down to one page */
static void hog_take_all(struct hog *hog, struct ram_quota before)
{
	char line[160];
	enum ram_session_result last = RAM_OK;
	for (uint64_t size = HOG_CHUNK; size >= PAGE_SIZE; size /= 2) {
		for (;;) {
			if (hog->count == HOG_DATASPACES_MAX) {
				log_error("more than %u dataspaces: the quota is larger than this test",
				          (unsigned)HOG_DATASPACES_MAX);
				hog->failures++;
				return;
			}
			last = ram_session_alloc(hog->env->ram, size, &hog->ds[hog->count]);
			if (last != RAM_OK) break;
			hog->count++;
			hog->got += size;
		}
		if (last != RAM_OUT_OF_QUOTA) break;
	}
	format_string(line, sizeof(line), "allocation of a page refused: %s",
	              last == RAM_OUT_OF_QUOTA ? "RAM_OUT_OF_QUOTA" : "another result");
	hog_check(hog, last == RAM_OUT_OF_QUOTA, line);

	struct ram_quota after = hog_quota(hog);
	uint64_t left = after.quota >= after.used ? after.quota - after.used : 0;
	log_info("got %lu bytes in %u dataspaces, %lu bytes of the quota left",
	         (unsigned long)hog->got, hog->count, (unsigned long)left);
	format_string(line, sizeof(line), "used is what it was plus what it got: %lu + %lu = %lu",
	              (unsigned long)before.used, (unsigned long)hog->got,
	              (unsigned long)after.used);
	hog_check(hog, after.quota == before.quota && after.used == before.used + hog->got, line);
	hog_check(hog, after.used <= after.quota && left < PAGE_SIZE,
	          after.used <= after.quota && left < PAGE_SIZE
	              ? "less than a page of the quota is left"
	              : "a page or more of the quota is left, or more is used than the quota");
}

/* 2: refusals while the quota is used up change nothing */
static void hog_refusals(struct hog *hog)
{
	char line[200];
	struct ram_quota before = hog_quota(hog);

	struct dataspace_cap ds = CAP_INVALID(dataspace);
	enum ram_session_result r = ram_session_alloc(hog->env->ram, PAGE_SIZE, &ds);
	if (r == RAM_OK) {
		(void)ram_session_free(hog->env->ram, ds);
		cap_close(ds.cap);
	}
	hog_check(hog, r == RAM_OUT_OF_QUOTA && hog_quota_equal(hog_quota(hog), before),
	          r == RAM_OUT_OF_QUOTA ? "a further page: RAM_OUT_OF_QUOTA, quota unchanged"
	                                : "a further page was not refused with RAM_OUT_OF_QUOTA");

	/* the heap: a small block from the chunk it has, or a clean refusal */
	struct allocator *heap = env_heap(hog->env);
	struct allocator_alloc_ret small = allocator_alloc(heap, HOG_SMALL_BLOCK);
	if (small.result == ALLOCATOR_OK) {
		memory_set(small.ptr, 0xa5, HOG_SMALL_BLOCK);
		allocator_free(heap, small.ptr, HOG_SMALL_BLOCK);
	}
	format_string(line, sizeof(line), "heap block of %u bytes: %s", (unsigned)HOG_SMALL_BLOCK,
	              small.result == ALLOCATOR_OK             ? "granted"
	              : small.result == ALLOCATOR_OUT_OF_QUOTA ? "refused, out of quota"
	                                                       : "refused with another result");
	hog_check(hog,
	          (small.result == ALLOCATOR_OK || small.result == ALLOCATOR_OUT_OF_QUOTA) &&
	              hog_quota_equal(hog_quota(hog), before),
	          line);

	struct allocator_alloc_ret large = allocator_alloc(heap, HOG_LARGE_BLOCK);
	if (large.result == ALLOCATOR_OK) allocator_free(heap, large.ptr, HOG_LARGE_BLOCK);
	format_string(line, sizeof(line), "heap block of %u bytes: %s, quota unchanged",
	              (unsigned)HOG_LARGE_BLOCK,
	              large.result == ALLOCATOR_OUT_OF_QUOTA ? "refused, out of quota"
	                                                     : "not refused for its quota");
	hog_check(hog,
	          large.result == ALLOCATOR_OUT_OF_QUOTA && hog_quota_equal(hog_quota(hog), before),
	          line);

	/* a donation that the component cannot pay: the parent refuses, nothing moves */
	char args[64];
	format_string(args, sizeof(args), "ram_quota=%u", (unsigned)HOG_SESSION_QUOTA);
	struct connection c = env_session(hog->env, "LOG", args);
	enum parent_result result = c.result;
	if (c.result == PARENT_OK) env_session_close(hog->env, &c);
	format_string(line, sizeof(line), "LOG session with %s while out of quota: %s", args,
	              hog_parent_result_name(result));
	hog_check(hog, result == PARENT_OUT_OF_QUOTA && hog_quota_equal(hog_quota(hog), before),
	          line);
}

/* 3: everything back, and the quota works again */
static void hog_give_back(struct hog *hog, struct ram_quota start, size_t heap_start)
{
	char line[200];
	unsigned refused = 0;
	for (unsigned i = 0; i < hog->count; i++) {
		if (ram_session_free(hog->env->ram, hog->ds[i]) != RAM_OK) refused++;
		cap_close(hog->ds[i].cap);
	}
	struct ram_quota after = hog_quota(hog);
	/* the heap may have kept a chunk from the checks above: its chunks are page-rounded */
	uint64_t heap_grown = heap_consumed(&hog->env->heap) - heap_start;
	format_string(line, sizeof(line),
	              "freed %u dataspaces: used %lu, as before (%lu + heap %lu)", hog->count,
	              (unsigned long)after.used, (unsigned long)start.used,
	              (unsigned long)heap_grown);
	hog_check(hog,
	          !refused && after.quota == start.quota && after.used == start.used + heap_grown,
	          line);
	hog->count = 0;

	/* more than it has: refused, also with the quota free again */
	uint64_t left = after.quota - after.used;
	char args[64];
	format_string(args, sizeof(args), "ram_quota=%lu", (unsigned long)(left + PAGE_SIZE));
	struct connection c = env_session(hog->env, "LOG", args);
	enum parent_result refused_too_much = c.result;
	if (c.result == PARENT_OK) env_session_close(hog->env, &c);
	format_string(line, sizeof(line), "LOG session with ram_quota of free + 4096: %s",
	              hog_parent_result_name(refused_too_much));
	hog_check(hog,
	          refused_too_much == PARENT_OUT_OF_QUOTA && hog_quota_equal(hog_quota(hog), after),
	          line);

	/* a donation that fits: a working session, and its close returns the donation */
	format_string(args, sizeof(args), "ram_quota=%u", (unsigned)HOG_SESSION_QUOTA);
	c = env_session(hog->env, "LOG", args);
	enum parent_result granted = c.result;
	struct ram_quota open = hog_quota(hog);
	bool written = granted == PARENT_OK &&
	               log_session_write(CAP_CAST(log_session, c.cap),
	                                 "a line through a second LOG session") == LOG_SESSION_OK;
	if (granted == PARENT_OK) env_session_close(hog->env, &c);
	struct ram_quota closed = hog_quota(hog);
	format_string(line, sizeof(line),
	              "LOG session with %s: %s, quota %lu while open, %lu after its close", args,
	              hog_parent_result_name(granted), (unsigned long)open.quota,
	              (unsigned long)closed.quota);
	hog_check(hog,
	          written && open.quota == after.quota - HOG_SESSION_QUOTA &&
	              hog_quota_equal(closed, after),
	          line);
}

/*
 * 4: quota moves between RAM sessions both ways: a second RAM session (at
 * core, through the parent) gets a donation; its quota moves to the
 * component's own session and back, a move beyond what it has is refused,
 * and its close returns the donation: the quota is what it was.
 *
 * The quota goes back before the close on purpose: core gives a closed
 * session's payer its donation back, not what the session holds, so a close
 * with quota moved in or out would make or lose quota (run/quota.run checks
 * init's figures; the case of a server that holds donations is step 5).
 */
static void hog_second_ram(struct hog *hog)
{
	char line[200];
	struct ram_quota before = hog_quota(hog);
	char args[64];
	format_string(args, sizeof(args), "ram_quota=%u", (unsigned)HOG_SESSION_QUOTA);
	struct connection c = env_session(hog->env, "RAM", args);
	if (c.result != PARENT_OK) {
		format_string(line, sizeof(line), "second RAM session with %s: %s", args,
		              hog_parent_result_name(c.result));
		hog_check(hog, false, line);
		return;
	}
	struct ram_session_cap second = CAP_CAST(ram_session, c.cap);
	struct ram_quota_result q = ram_session_quota(second);
	uint64_t moved = q.result == RAM_OK ? q.quota.quota : 0;
	bool out = moved && ram_session_transfer_quota(second, hog->env->ram, moved) == RAM_OK;
	struct ram_quota own = hog_quota(hog);
	bool beyond =
	    ram_session_transfer_quota(second, hog->env->ram, PAGE_SIZE) == RAM_OUT_OF_QUOTA;
	bool back = out && ram_session_transfer_quota(hog->env->ram, second, moved) == RAM_OK;
	q = ram_session_quota(second);
	bool second_whole = q.result == RAM_OK && q.quota.quota == moved && q.quota.used == 0;
	env_session_close(hog->env, &c);
	struct ram_quota closed = hog_quota(hog);
	format_string(line, sizeof(line),
	              "second RAM session with %s: %lu moved to the own quota (%lu) and back, "
	              "a page more refused, quota %lu after its close",
	              args, (unsigned long)moved, (unsigned long)own.quota,
	              (unsigned long)closed.quota);
	hog_check(hog,
	          out && beyond && back && second_whole &&
	              own.quota == before.quota - HOG_SESSION_QUOTA + moved &&
	              hog_quota_equal(closed, before),
	          line);
}

/*
 * 5: a server that goes while our session is open: the donation comes back
 * to us when the parent destroys the server, the session is dead but its
 * close is clean. The run script checks that init lost no quota on the way.
 */
static void hog_server_gone(struct hog *hog)
{
	char line[200];
	struct ram_quota before = hog_quota(hog);
	char args[64];
	format_string(args, sizeof(args), "ram_quota=%u", (unsigned)HOG_SERVER_QUOTA);
	struct connection c = env_session(hog->env, "Quota", args);
	struct ram_quota paid = hog_quota(hog);
	format_string(line, sizeof(line), "Quota session with %s: %s, quota %lu", args,
	              hog_parent_result_name(c.result), (unsigned long)paid.quota);
	hog_check(hog, c.result == PARENT_OK && paid.quota == before.quota - HOG_SERVER_QUOTA,
	          line);
	if (c.result != PARENT_OK) return;

	struct log_session_cap session = CAP_CAST(log_session, c.cap);
	hog_check(hog, log_session_write(session, "hello") == LOG_SESSION_OK,
	          "wrote \"hello\" to the server");
	/* the server replies, then exits */
	hog_check(hog, log_session_write(session, "exit") == LOG_SESSION_OK,
	          "wrote \"exit\" to the server");

	/* init destroys the server and pays our donation back */
	struct ram_quota back = paid;
	for (unsigned round = 0; round < HOG_WAIT_ROUNDS && back.quota != before.quota; round++) {
		for (unsigned i = 0; i < HOG_WAIT_SPIN; i++) __asm__ volatile("pause");
		back = hog_quota(hog);
	}
	format_string(line, sizeof(line), "the server is gone: quota %lu, as before the session",
	              (unsigned long)back.quota);
	hog_check(hog, hog_quota_equal(back, before), line);

	enum log_session_result dead = log_session_write(session, "anybody there?");
	format_string(line, sizeof(line), "a call to the gone server: %s",
	              dead == LOG_SESSION_OK ? "answered" : "refused");
	hog_check(hog, dead != LOG_SESSION_OK, line);
	env_session_close(hog->env, &c);
	struct ram_quota closed = hog_quota(hog);
	format_string(line, sizeof(line),
	              "closed the session of the gone server: quota %lu, used %lu",
	              (unsigned long)closed.quota, (unsigned long)closed.used);
	hog_check(hog, hog_quota_equal(closed, before), line);
}

int component_construct(struct env *env)
{
	static struct hog hog;
	hog.env = env;

	struct ram_quota start = hog_quota(&hog);
	size_t heap_start = heap_consumed(&env->heap);
	log_info("quota %lu, used %lu", (unsigned long)start.quota, (unsigned long)start.used);

	hog_take_all(&hog, start);
	hog_refusals(&hog);
	hog_give_back(&hog, start, heap_start);
	hog_second_ram(&hog);
	hog_server_gone(&hog);

	if (hog.failures) log_error("%u checks failed", hog.failures);
	log_info("done");
	return hog.failures ? 1 : 0;
}
