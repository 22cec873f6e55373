/* SPDX-License-Identifier: MIT */
/**
 * \brief hello_client: opens Hello sessions through its parent, calls every
 *        function of hello_session.h and checks every result (run/rpc.run,
 *        run/routing.run)
 *
 * Config (the `config` ROM; every attribute is optional):
 *
 *   <config a="2" b="5" labels="first second" checks="brief" expect="denied"/>
 *
 *   a, b    the operands of the add() check (default 2 and 5)
 *   labels  up to CLIENT_SESSIONS_MAX labels, separated by spaces, each of 1
 *           to CLIENT_LABEL_MAX - 1 letters, digits, '_', '-' or '.': the
 *           client opens one session per label, in this order, with
 *           `label="<label>"` in its request (init routes by it, the server
 *           sees "<client> -> <label>"), checks each, then closes them in the
 *           same order. Without it: one session without a label of its own.
 *   checks  "all" (default): for each session, first a request that
 *           donates too little (it must be refused as an insufficient
 *           donation), then every function with its error paths.
 *           "brief": only say_hello and add(a, b), and the check after close.
 *   expect  "granted" (default), or "denied": every Hello request must be
 *           denied by the parent (PARENT_SERVICE_DENIED), e.g. because no
 *           route leads to a server; each denial is logged as
 *           `Hello session denied, as expected` and the client passes.
 *
 * With labels, every line about a session starts with `session "<label>": `.
 * A say_hello answer of a labeled session must end in " -> <label>".
 *
 * The client always asks for its config ROM. Under init without a <config>
 * node, the request goes on to core, which hands out its boot module
 * `config` (init's own config, whose root carries none of these attributes),
 * so the defaults apply; if there is no config ROM at all, config_init logs
 * its error lines and the defaults are used.
 *
 * Each check logs one line: what was called and what came back. A failed
 * check logs `Error: ...` instead and the client goes on; it returns 0 (its
 * exit code) only if every check passed, and 1 otherwise. A Hello request
 * that is denied although expect is not "denied" ends the client at once:
 * `Error: no Hello session (<parent_result>)`, exit code 1. A malformed
 * config attribute is a failed check; a bad `labels`, `checks` or `expect`
 * ends the client before any request (exit code 1). Its RAM quota must cover
 * the dataspaces of the complement() checks (about 1.1 MiB at once).
 */

#include <base/env.h>
#include <base/log.h>
#include <hello_session/hello_session.h>
#include <os/config.h>
#include <util/arg_string.h>
#include <util/format.h>
#include <util/string.h>

enum {
	CLIENT_DATASPACE_SIZE = 8192, /* the dataspace of the complement() check */
	CLIENT_TEXT_MAX = HELLO_TEXT_MAX + 1,
	CLIENT_SESSIONS_MAX = 4, /* labels of the `labels` attribute */
	CLIENT_LABEL_MAX = 32,   /* bytes of one such label, NUL included */
	CLIENT_TAG_MAX = CLIENT_LABEL_MAX + 16,
	CLIENT_ARGS_MAX = CLIENT_LABEL_MAX + 48,
};

/* what the config asks for */
struct client_options
{
	int64_t a, b;
	bool brief;           /* checks="brief" */
	bool expect_denied;   /* expect="denied" */
	unsigned label_count; /* 0: one session without a label of its own */
	char labels[CLIENT_SESSIONS_MAX][CLIENT_LABEL_MAX];
};

struct client
{
	struct env *env;
	struct hello_session_cap session; /* the session under check */
	char const *label;                /* its own label, 0 for none */
	char tag[CLIENT_TAG_MAX];         /* its log prefix: `session "<label>": ` or "" */
	unsigned failed;
};

/* a line about the session under check */
#define CLIENT_LOG(client, format, ...) log_info("%s" format, (client)->tag, ##__VA_ARGS__)

/* count a failed check and log it as an error line */
#define CLIENT_FAIL(client, format, ...)                      \
	do {                                                      \
		(client)->failed++;                                   \
		log_error("%s" format, (client)->tag, ##__VA_ARGS__); \
	} while (0)

/* ---- config ---------------------------------------------------------------------- */

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

/*
 * The two-valued attribute `name`: *value becomes false for `no` (also if
 * the attribute is missing) and true for `yes`; false (logged) for any other
 * value.
 */
static bool client_config_choice(struct client *c, struct xml_node config, char const *name,
                                 char const *no, char const *yes, bool *value)
{
	struct xml_attribute_ret a = xml_node_attribute(config, name);
	*value = false;
	if (a.result != XML_ACCESS_OK || xml_attribute_equals(a.attribute, no)) return true;
	if (xml_attribute_equals(a.attribute, yes)) {
		*value = true;
		return true;
	}
	CLIENT_FAIL(c, "config: %s=\"%.*s\" is neither \"%s\" nor \"%s\"", name,
	            (int)a.attribute.value.length, a.attribute.value.start, no, yes);
	return false;
}

static bool client_label_char(char x)
{
	return (x >= 'a' && x <= 'z') || (x >= 'A' && x <= 'Z') || (x >= '0' && x <= '9') ||
	       x == '_' || x == '-' || x == '.';
}

/* the `labels` attribute into o->labels; false (logged) if it is malformed */
static bool client_config_labels(struct client *c, struct xml_node config,
                                 struct client_options *o)
{
	struct xml_attribute_ret a = xml_node_attribute(config, "labels");
	if (a.result != XML_ACCESS_OK) return true;
	struct xml_span value = a.attribute.value;
	bool valid = true;
	for (size_t i = 0; valid && i < value.length;) {
		if (value.start[i] == ' ') {
			i++;
			continue;
		}
		size_t start = i;
		while (i < value.length && client_label_char(value.start[i])) i++;
		size_t length = i - start;
		bool separated = i == value.length || value.start[i] == ' ';
		valid = separated && length < CLIENT_LABEL_MAX && o->label_count < CLIENT_SESSIONS_MAX;
		if (!valid) break;
		memory_copy(o->labels[o->label_count], value.start + start, length);
		o->labels[o->label_count][length] = 0;
		o->label_count++;
	}
	if (valid && o->label_count > 0) return true;
	CLIENT_FAIL(c,
	            "config: labels=\"%.*s\": expected 1 to %u labels of 1 to %u letters, digits, "
	            "'_', '-' or '.', separated by spaces",
	            (int)value.length, value.start, (unsigned)CLIENT_SESSIONS_MAX,
	            (unsigned)CLIENT_LABEL_MAX - 1);
	return false;
}

/* read the config into `o` (defaults where it says nothing); false if it is unusable */
static bool client_config(struct client *c, struct client_options *o)
{
	memory_set(o, 0, sizeof(*o));
	o->a = 2;
	o->b = 5;
	struct config config;
	if (config_init(&config, c->env) != CONFIG_OK) return true;
	o->a = client_config_number(c, config.root, "a", o->a);
	o->b = client_config_number(c, config.root, "b", o->b);
	bool usable = client_config_choice(c, config.root, "checks", "all", "brief", &o->brief) &&
	              client_config_choice(c, config.root, "expect", "granted", "denied",
	                                   &o->expect_denied) &&
	              client_config_labels(c, config.root, o);
	config_destroy(&config, c->env);
	return usable;
}

/* make `label` (0 for none) the session under check: its log prefix */
static void client_select(struct client *c, char const *label, struct hello_session_cap session)
{
	c->label = label;
	c->session = session;
	if (label)
		format_string(c->tag, sizeof(c->tag), "session \"%s\": ", label);
	else
		c->tag[0] = 0;
}

/* the arguments of a Hello request of the session under check */
static void client_args(struct client const *c, char *args, size_t size, unsigned ram_quota)
{
	if (c->label)
		format_string(args, size, "ram_quota=%u, label=\"%s\"", ram_quota, c->label);
	else
		format_string(args, size, "ram_quota=%u", ram_quota);
}

/* ---- say_hello ------------------------------------------------------------------- */

/* with `short_buffer`, also the refusal of a buffer one byte short */
static void client_check_say_hello(struct client *c, bool short_buffer)
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
	/* a label of our own arrives as "<path of names> -> <label>" */
	size_t own = c->label ? string_length(c->label) : 0;
	if (c->label && (out.size < own + 4 || !string_equal(label + out.size - own, c->label) ||
	                 !string_starts_with(label + out.size - own - 4, " -> "))) {
		CLIENT_FAIL(c, "server knows me as \"%s\", which does not end in \" -> %s\"", label,
		            c->label);
		return;
	}
	CLIENT_LOG(c, "server knows me as \"%s\"", label);
	if (!short_buffer) return;

	/* one byte short: refused, nothing written */
	char small[HELLO_LABEL_MAX];
	struct rpc_out_buffer short_out = { small, out.size - 1, 0 };
	r = hello_session_say_hello(c->session, &short_out);
	if (r == HELLO_BUFFER_TOO_SMALL && short_out.size == 0)
		CLIENT_LOG(c, "say_hello into a buffer one byte short: buffer too small");
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
		CLIENT_LOG(c, "add(%lld, %lld): overflow", (long long)a, (long long)b);
	else if (!overflow && r.result == HELLO_OK && r.sum == expected)
		CLIENT_LOG(c, "add(%lld, %lld) = %lld", (long long)a, (long long)b, (long long)r.sum);
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
			CLIENT_LOG(c, "reverse of %s: too large", what);
		else
			CLIENT_FAIL(c, "reverse of %s: result %d, expected %d (too large)", what,
			            (int)r.result, (int)HELLO_TOO_LARGE);
	} else if (size > capacity) {
		if (r.result == HELLO_BUFFER_TOO_SMALL && out.size == 0)
			CLIENT_LOG(c, "reverse of %s into %zu bytes: buffer too small", what, capacity);
		else
			CLIENT_FAIL(c, "reverse of %s into %zu bytes: result %d, %zu bytes, expected %d",
			            what, capacity, (int)r.result, out.size, (int)HELLO_BUFFER_TOO_SMALL);
	} else if (r.result == HELLO_OK && mirrored && r.byte_sum == sum) {
		if (size < 64)
			CLIENT_LOG(c, "reverse(\"%.*s\") = \"%.*s\", byte sum %lu", (int)size, text,
			           (int)out.size, reversed, (unsigned long)r.byte_sum);
		else
			CLIENT_LOG(c, "reverse of %s: mirrored, byte sum %lu", what,
			           (unsigned long)r.byte_sum);
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
		CLIENT_LOG(c, "complement of %u bytes: byte sum %lu, every byte complemented",
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
		CLIENT_LOG(c, "complement of %s: %s", what, why);
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

/* ---- the sessions ---------------------------------------------------------------- */

/* a request that donates too little is denied, and nothing else happens */
static void client_check_insufficient(struct client *c)
{
	char args[CLIENT_ARGS_MAX];
	client_args(c, args, sizeof(args), 1024);
	struct session_cap cap = CAP_INVALID(session);
	struct parent_session_result r = parent_session(c->env->parent, "Hello", args, &cap);
	if (r.result == PARENT_INSUFFICIENT_DONATION && !cap_valid(cap.cap)) {
		CLIENT_LOG(c, "session with ram_quota=1024: insufficient donation");
		return;
	}
	CLIENT_FAIL(c, "session with ram_quota=1024: result %d, expected %d", (int)r.result,
	            (int)PARENT_INSUFFICIENT_DONATION);
	if (r.result == PARENT_OK) {
		cap_close(cap.cap);
		(void)parent_close(c->env->parent, r.id);
	}
}

/*
 * Request the session under check (client_select) and check it. false: the
 * request was denied unexpectedly (logged), the client must end.
 */
static bool client_session(struct client *c, struct client_options const *o,
                           struct connection *hello)
{
	if (!o->brief && !o->expect_denied) client_check_insufficient(c);

	char args[CLIENT_ARGS_MAX];
	client_args(c, args, sizeof(args), 8192);
	*hello = env_session_request(c->env, "Hello", args);
	if (o->expect_denied) {
		if (hello->result == PARENT_SERVICE_DENIED) {
			CLIENT_LOG(c, "Hello session denied, as expected");
		} else {
			CLIENT_FAIL(c, "Hello session: result %d, expected %d (denied)", (int)hello->result,
			            (int)PARENT_SERVICE_DENIED);
			env_session_close(c->env, hello);
		}
		return true;
	}
	if (hello->result != PARENT_OK) {
		log_error("%sno Hello session (%d)", c->tag, (int)hello->result);
		return false;
	}
	c->session = CAP_CAST(hello_session, hello->cap);

	client_check_say_hello(c, !o->brief);
	client_check_add(c, o->a, o->b);
	if (o->brief) return true;
	client_check_add(c, INT64_MAX, 1);
	client_check_add(c, INT64_MIN, -1);
	client_check_reverses(c);
	client_check_complement(c);
	client_check_complement_errors(c);
	return true;
}

/* close the session under check: afterwards the server has dissolved it, a copy is dead */
static void client_close(struct client *c, struct connection *hello)
{
	struct hello_session_cap copy = { cap_copy(hello->cap.cap) };
	env_session_close(c->env, hello);
	struct hello_add_result after = hello_session_add(copy, 1, 1);
	cap_close(copy.cap);
	if (after.result == HELLO_INVALID_CAP)
		CLIENT_LOG(c, "add after close: invalid capability");
	else
		CLIENT_FAIL(c, "add after close: result %d, expected %d (invalid capability)",
		            (int)after.result, (int)HELLO_INVALID_CAP);
}

int component_construct(struct env *env)
{
	static struct client c;
	static struct client_options o;
	static struct connection sessions[CLIENT_SESSIONS_MAX];
	c.env = env;
	if (!client_config(&c, &o)) return 1;

	unsigned count = o.label_count ? o.label_count : 1;
	for (unsigned i = 0; i < count; i++) {
		sessions[i].result = PARENT_UNKNOWN_SESSION;
		client_select(&c, o.label_count ? o.labels[i] : 0, CAP_INVALID(hello_session));
		if (!client_session(&c, &o, &sessions[i])) return 1;
	}
	for (unsigned i = 0; i < count; i++) {
		if (sessions[i].result != PARENT_OK) continue;
		client_select(&c, o.label_count ? o.labels[i] : 0,
		              CAP_CAST(hello_session, sessions[i].cap));
		client_close(&c, &sessions[i]);
	}

	client_select(&c, 0, CAP_INVALID(hello_session));
	if (c.failed) {
		log_error("%u check(s) failed", c.failed);
		return 1;
	}
	CLIENT_LOG(&c, "all checks passed");
	return 0;
}
