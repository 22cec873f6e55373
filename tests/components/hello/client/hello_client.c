/* SPDX-License-Identifier: MIT */
/**
 * \brief hello_client: opens a Hello session through its parent, calls every
 *        function of hello_session.h and checks every result (run/rpc.run)
 *
 * Config (the `config` ROM, optional attributes): `<config a="2" b="5"/>`,
 * the operands of the add() check; a missing attribute keeps its default
 * (2 and 5). The client always asks for its config ROM: without one,
 * config_init logs its error lines and the defaults are used.
 *
 * Each check logs one line: what was called and what came back. A failed
 * check logs `Error: ...` instead and the client goes on; it returns 0 (its
 * exit code) only if every check passed, and 1 otherwise. Its RAM quota must
 * cover the dataspaces of the complement() checks (about 1.1 MiB at once).
 */

#include <base/env.h>
#include <base/log.h>
#include <hello_session/hello_session.h>
#include <os/config.h>
#include <util/arg_string.h>
#include <util/string.h>

enum {
	CLIENT_DATASPACE_SIZE = 8192, /* the dataspace of the complement() check */
	CLIENT_TEXT_MAX = HELLO_TEXT_MAX + 1,
};

struct client
{
	struct env *env;
	struct hello_session_cap session;
	unsigned failed;
};

/* count a failed check and log it as an error line */
#define CLIENT_FAIL(client, ...) \
	do {                         \
		(client)->failed++;      \
		log_error(__VA_ARGS__);  \
	} while (0)

/* the signed number of config attribute `name`, or `fallback` if there is none */
static int64_t client_config_number(struct client *c, struct xml_node config, char const *name,
                                    int64_t fallback)
{
	struct xml_attribute_ret a = xml_node_attribute(config, name);
	if (a.result != XML_ACCESS_OK) return fallback;
	struct arg_string_signed_ret v =
	    arg_string_parse_signed(a.attribute.value.start, a.attribute.value.length);
	if (v.result != ARG_STRING_OK) {
		CLIENT_FAIL(c, "config: %s=\"%.*s\" is no 64-bit number", name,
		            (int)a.attribute.value.length, a.attribute.value.start);
		return fallback;
	}
	return v.value;
}

/* ---- say_hello ------------------------------------------------------------------- */

static void client_check_say_hello(struct client *c)
{
	char label[HELLO_LABEL_MAX + 1];
	struct rpc_out_buffer out = { label, HELLO_LABEL_MAX, 0 };
	enum hello_session_result r = hello_session_say_hello(c->session, &out);
	if (r != HELLO_OK || out.size == 0 || out.size > HELLO_LABEL_MAX) {
		CLIENT_FAIL(c, "say_hello: result %d, %zu bytes", (int)r, out.size);
		return;
	}
	label[out.size] = 0;
	if (string_length(label) != out.size) {
		CLIENT_FAIL(c, "say_hello: the label holds a NUL byte");
		return;
	}
	log_info("server knows me as \"%s\"", label);

	/* one byte short: refused, nothing written */
	char small[HELLO_LABEL_MAX];
	struct rpc_out_buffer short_out = { small, out.size - 1, 0 };
	r = hello_session_say_hello(c->session, &short_out);
	if (r == HELLO_BUFFER_TOO_SMALL && short_out.size == 0)
		log_info("say_hello into a buffer one byte short: buffer too small");
	else
		CLIENT_FAIL(c, "say_hello into %zu bytes: result %d, %zu bytes, expected %d",
		            out.size - 1, (int)r, short_out.size, (int)HELLO_BUFFER_TOO_SMALL);
}

/* ---- add ------------------------------------------------------------------------- */

static void client_check_add(struct client *c, int64_t a, int64_t b)
{
	int64_t expected;
	bool overflow = __builtin_add_overflow(a, b, &expected);
	struct hello_add_result r = hello_session_add(c->session, a, b);
	if (overflow && r.result == HELLO_OVERFLOW && r.sum == 0)
		log_info("add(%lld, %lld): overflow", (long long)a, (long long)b);
	else if (!overflow && r.result == HELLO_OK && r.sum == expected)
		log_info("add(%lld, %lld) = %lld", (long long)a, (long long)b, (long long)r.sum);
	else
		CLIENT_FAIL(c, "add(%lld, %lld): result %d, sum %lld, expected %s", (long long)a,
		            (long long)b, (int)r.result, (long long)r.sum,
		            overflow ? "overflow" : "the sum");
}

/* ---- reverse --------------------------------------------------------------------- */

/* reverse `size` bytes of `text` into a buffer of `capacity` bytes, check the answer */
static void client_check_reverse(struct client *c, char const *text, size_t size,
                                 size_t capacity, char const *what)
{
	char reversed[CLIENT_TEXT_MAX];
	struct rpc_out_buffer out = { reversed, capacity, 0 };
	struct hello_reverse_result r =
	    hello_session_reverse(c->session, RPC_BUFFER(text, size), &out);

	uint64_t sum = 0;
	bool mirrored = out.size == size;
	for (size_t i = 0; i < size; i++) {
		sum += (uint8_t)text[i];
		if (mirrored && reversed[size - 1 - i] != text[i]) mirrored = false;
	}

	if (size > HELLO_TEXT_MAX) {
		if (r.result == HELLO_TOO_LARGE && out.size == 0)
			log_info("reverse of %s: too large", what);
		else
			CLIENT_FAIL(c, "reverse of %s: result %d, expected %d (too large)", what,
			            (int)r.result, (int)HELLO_TOO_LARGE);
	} else if (size > capacity) {
		if (r.result == HELLO_BUFFER_TOO_SMALL && out.size == 0)
			log_info("reverse of %s into %zu bytes: buffer too small", what, capacity);
		else
			CLIENT_FAIL(c, "reverse of %s into %zu bytes: result %d, %zu bytes, expected %d",
			            what, capacity, (int)r.result, out.size, (int)HELLO_BUFFER_TOO_SMALL);
	} else if (r.result == HELLO_OK && mirrored && r.byte_sum == sum) {
		if (size < 64)
			log_info("reverse(\"%.*s\") = \"%.*s\", byte sum %lu", (int)size, text,
			         (int)out.size, reversed, (unsigned long)r.byte_sum);
		else
			log_info("reverse of %s: mirrored, byte sum %lu", what, (unsigned long)r.byte_sum);
	} else {
		CLIENT_FAIL(c, "reverse of %s: result %d, %zu bytes, %s, byte sum %lu (expected %lu)",
		            what, (int)r.result, out.size, mirrored ? "mirrored" : "not mirrored",
		            (unsigned long)r.byte_sum, (unsigned long)sum);
	}
}

static void client_check_reverses(struct client *c)
{
	static char const greeting[] = "hello, component!";
	size_t length = sizeof(greeting) - 1;
	client_check_reverse(c, greeting, length, HELLO_TEXT_MAX, "a greeting");
	client_check_reverse(c, "", 0, HELLO_TEXT_MAX, "nothing");

	char text[CLIENT_TEXT_MAX];
	for (size_t i = 0; i < sizeof(text); i++) text[i] = (char)(i * 13 + 1);
	client_check_reverse(c, text, HELLO_TEXT_MAX, HELLO_TEXT_MAX, "256 bytes");
	client_check_reverse(c, text, HELLO_TEXT_MAX + 1, HELLO_TEXT_MAX, "257 bytes");
	client_check_reverse(c, greeting, length, length - 1, "a greeting");
}

/* ---- complement ------------------------------------------------------------------ */

static uint8_t client_pattern(uint64_t i) { return (uint8_t)(i * 7 + 3); }

static void client_check_complement(struct client *c)
{
	struct env *env = c->env;
	struct dataspace_cap ds = CAP_INVALID(dataspace);
	enum ram_session_result ram = ram_session_alloc(env->ram, CLIENT_DATASPACE_SIZE, &ds);
	if (ram != RAM_OK) {
		CLIENT_FAIL(c, "complement: no dataspace of %u bytes (%d)",
		            (unsigned)CLIENT_DATASPACE_SIZE, (int)ram);
		return;
	}
	struct env_attach_result local = env_attach_all(env, ds, true);
	if (local.result != ENV_OK) {
		CLIENT_FAIL(c, "complement: cannot attach the dataspace (%d)", (int)local.result);
		(void)ram_session_free(env->ram, ds);
		cap_close(ds.cap);
		return;
	}
	uint8_t *bytes = local.address;
	uint64_t sum = 0;
	for (uint64_t i = 0; i < CLIENT_DATASPACE_SIZE; i++) {
		bytes[i] = client_pattern(i);
		sum += bytes[i];
	}

	struct hello_complement_result r = hello_session_complement(c->session, ds);
	uint64_t wrong = 0;
	for (uint64_t i = 0; i < CLIENT_DATASPACE_SIZE; i++)
		if (bytes[i] != 255 - client_pattern(i)) wrong++; /* ~b of a byte */
	if (r.result == HELLO_OK && r.size == CLIENT_DATASPACE_SIZE && r.byte_sum == sum && !wrong)
		log_info("complement of %u bytes: byte sum %lu, every byte complemented",
		         (unsigned)CLIENT_DATASPACE_SIZE, (unsigned long)r.byte_sum);
	else
		CLIENT_FAIL(c,
		            "complement of %u bytes: result %d, size %lu, byte sum %lu (expected "
		            "%lu), %lu bytes not complemented",
		            (unsigned)CLIENT_DATASPACE_SIZE, (int)r.result, (unsigned long)r.size,
		            (unsigned long)r.byte_sum, (unsigned long)sum, (unsigned long)wrong);

	env_detach(env, local.address);
	if (ram_session_free(env->ram, ds) != RAM_OK) CLIENT_FAIL(c, "complement: free refused");
	cap_close(ds.cap);
}

/* a dataspace capability that the server must refuse with `expected` */
static void client_check_complement_refused(struct client *c, struct dataspace_cap ds,
                                            enum hello_session_result expected,
                                            char const *what, char const *why)
{
	struct hello_complement_result r = hello_session_complement(c->session, ds);
	if (r.result == expected && r.size == 0 && r.byte_sum == 0)
		log_info("complement of %s: %s", what, why);
	else
		CLIENT_FAIL(c, "complement of %s: result %d, expected %d (%s)", what, (int)r.result,
		            (int)expected, why);
}

static void client_check_complement_errors(struct client *c)
{
	struct env *env = c->env;
	client_check_complement_refused(c, CAP_INVALID(dataspace), HELLO_INVALID_DATASPACE,
	                                "an invalid capability", "invalid dataspace");

	/* freed: every capability of it is revoked, the client's reference stays open */
	struct dataspace_cap freed = CAP_INVALID(dataspace);
	if (ram_session_alloc(env->ram, CLIENT_DATASPACE_SIZE, &freed) != RAM_OK ||
	    ram_session_free(env->ram, freed) != RAM_OK) {
		CLIENT_FAIL(c, "complement: no dataspace to free");
	} else {
		client_check_complement_refused(c, freed, HELLO_INVALID_DATASPACE, "a freed dataspace",
		                                "invalid dataspace");
	}
	cap_close(freed.cap);

	/* one page beyond the limit: refused before the server attaches it */
	struct dataspace_cap large = CAP_INVALID(dataspace);
	uint64_t large_size = HELLO_DATASPACE_MAX + PAGE_SIZE;
	if (ram_session_alloc(env->ram, large_size, &large) != RAM_OK) {
		CLIENT_FAIL(c, "complement: no dataspace of %lu bytes", (unsigned long)large_size);
	} else {
		client_check_complement_refused(c, large, HELLO_DATASPACE_TOO_LARGE, "1 MiB + 4 KiB",
		                                "too large");
		if (ram_session_free(env->ram, large) != RAM_OK)
			CLIENT_FAIL(c, "complement: free of the large dataspace refused");
	}
	cap_close(large.cap);
}

/* ---- the session ----------------------------------------------------------------- */

/* a request that donates too little is denied, and nothing else happens */
static void client_check_denied(struct client *c)
{
	struct session_cap cap = CAP_INVALID(session);
	struct parent_session_result r =
	    parent_session(c->env->parent, "Hello", "ram_quota=1024", &cap);
	if (r.result == PARENT_INSUFFICIENT_DONATION && !cap_valid(cap.cap)) {
		log_info("session with ram_quota=1024: insufficient donation");
		return;
	}
	CLIENT_FAIL(c, "session with ram_quota=1024: result %d, expected %d", (int)r.result,
	            (int)PARENT_INSUFFICIENT_DONATION);
	if (r.result == PARENT_OK) {
		cap_close(cap.cap);
		(void)parent_close(c->env->parent, r.id);
	}
}

int component_construct(struct env *env)
{
	static struct client c;
	c.env = env;

	int64_t a = 2, b = 5;
	struct config config;
	if (config_init(&config, env) == CONFIG_OK) {
		a = client_config_number(&c, config.root, "a", a);
		b = client_config_number(&c, config.root, "b", b);
		config_destroy(&config, env);
	}

	client_check_denied(&c);
	struct connection hello = env_session(env, "Hello", "ram_quota=8192");
	if (hello.result != PARENT_OK) {
		log_error("no Hello session (%d)", (int)hello.result);
		return 1;
	}
	c.session = CAP_CAST(hello_session, hello.cap);

	client_check_say_hello(&c);
	client_check_add(&c, a, b);
	client_check_add(&c, INT64_MAX, 1);
	client_check_add(&c, INT64_MIN, -1);
	client_check_reverses(&c);
	client_check_complement(&c);
	client_check_complement_errors(&c);

	/* after the close, the server has dissolved the session: a copy is dead */
	struct hello_session_cap copy = { cap_copy(hello.cap.cap) };
	env_session_close(env, &hello);
	struct hello_add_result after = hello_session_add(copy, 1, 1);
	cap_close(copy.cap);
	if (after.result == HELLO_INVALID_CAP)
		log_info("add after close: invalid capability");
	else
		CLIENT_FAIL(&c, "add after close: result %d, expected %d (invalid capability)",
		            (int)after.result, (int)HELLO_INVALID_CAP);

	if (c.failed) {
		log_error("%u check(s) failed", c.failed);
		return 1;
	}
	log_info("all checks passed");
	return 0;
}
