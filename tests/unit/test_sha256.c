#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "migguard/sha256.h"

static void check_hex(const char *data, size_t len, const char *want)
{
	char hex[MG_SHA256_HEX_SIZE];

	mg_sha256_hex(hex, data, len);
	assert_string_equal(hex, want);
}

static void test_sha256__fips_vectors(void **state)
{
	(void)state;
	check_hex("", 0,
		  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check_hex("abc", 3,
		  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_sha256__million_a_in_pieces(void **state)
{
	static const char want[] =
		"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	unsigned char digest[MG_SHA256_SIZE];
	char chunk[1000], hex[MG_SHA256_HEX_SIZE];
	struct mg_sha256 ctx;
	unsigned i;

	(void)state;
	memset(chunk, 'a', sizeof(chunk));
	mg_sha256_init(&ctx);
	/* Odd piece sizes cross block boundaries at every offset. */
	for (i = 0; i < 1000000;) {
		size_t n = 1 + i % 97;

		if (n > 1000000 - i)
			n = 1000000 - i;
		mg_sha256_update(&ctx, chunk, n);
		i += (unsigned)n;
	}
	mg_sha256_final(&ctx, digest);
	for (i = 0; i < MG_SHA256_SIZE; i++) {
		static const char digits[] = "0123456789abcdef";

		hex[2 * i] = digits[digest[i] >> 4];
		hex[2 * i + 1] = digits[digest[i] & 15];
	}
	hex[64] = '\0';
	assert_string_equal(hex, want);
}

/* Lengths around the padding boundary (55, 56, 64 ...), from hashlib. */
static void test_sha256__padding_boundaries(void **state)
{
	static const struct {
		size_t len;
		const char *hex;
	} cases[] = {
		{ 55, "576a1bf8d4478657e6dc4af9398544765c2a92cde28478b019235cfed315fc09" },
		{ 56, "9b20501dfd1d99161c257950f3444f3e49230c351c5c8e0943ef369f85f5205d" },
		{ 57, "a5534a9d0694341dfde5b1bb3d8addcb38bd46f44a629dc97b3f8fb2721b0720" },
		{ 63, "30b345906b493f06f69444b6521113511c242f30e29840462950035043682f1e" },
		{ 64, "d8bc63b4fc1156e5e7d95a418b9bf54cd3174bedbc2db40f74895349b229b3c0" },
		{ 65, "1ee23b0fbcaecc1aff4a9e8f1645f35ab2c8e13609cd73b68df8b5e3f63ce073" },
		{ 119, "7a6589821178918ca8d9edaba5abfc1e9b2669564f4469b66885379c1530b2c8" },
		{ 120, "655250427d56b1b0eeb8497d21428704273458a01772d6881b65c0abac0f8a98" },
	};
	char buf[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (char)((i * 7) & 255);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_hex(buf, cases[i].len, cases[i].hex);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256__fips_vectors),
		cmocka_unit_test(test_sha256__million_a_in_pieces),
		cmocka_unit_test(test_sha256__padding_boundaries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
