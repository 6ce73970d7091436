/*
 * SHA-256 (FIPS 180-4). Drizzle's migrator stores the lowercase hex
 * SHA-256 of each migration file; this is the one place that computes it.
 */
#ifndef MIGGUARD_SHA256_H
#define MIGGUARD_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define MG_SHA256_SIZE 32
#define MG_SHA256_HEX_SIZE 65 /* 64 hex digits and the NUL */

struct mg_sha256 {
	uint32_t state[8];
	uint64_t bytes; /* total length so far */
	unsigned char block[64];
	size_t block_len;
};

void mg_sha256_init(struct mg_sha256 *ctx);
void mg_sha256_update(struct mg_sha256 *ctx, const void *data, size_t len);
void mg_sha256_final(struct mg_sha256 *ctx,
		     unsigned char digest[MG_SHA256_SIZE]);
/* The lowercase hex digest of data, in one call. */
void mg_sha256_hex(char hex[MG_SHA256_HEX_SIZE], const void *data,
		   size_t len);

#endif
