/* Cryptographic primitives over nettle (the GnuTLS family): SHA-256,
 * HMAC-SHA256 with a key set up once, a constant-time compare, random bytes
 * from getrandom, and hex. Nothing here knows what it protects. */
#ifndef SHINSA_CRYPTO_H
#define SHINSA_CRYPTO_H

#include <stddef.h>

#include "core/err.h"

#define CRYPTO_SHA256_LEN 32
#define CRYPTO_SHA256_HEX (2 * CRYPTO_SHA256_LEN + 1)   /* hex and its NUL */

void crypto_sha256(const void *p, size_t n, unsigned char out[CRYPTO_SHA256_LEN]);

/* HMAC-SHA256 in one call. */
void crypto_hmac_sha256(const void *key, size_t klen, const void *p, size_t n,
                        unsigned char out[CRYPTO_SHA256_LEN]);

/* A key set up once for many messages (the key's pads are computed once);
 * crypto_hmac_free wipes it. */
struct crypto_hmac;
struct crypto_hmac *crypto_hmac_new(const void *key, size_t klen);
void crypto_hmac_run(struct crypto_hmac *h, const void *p, size_t n, unsigned char out[CRYPTO_SHA256_LEN]);
void crypto_hmac_free(struct crypto_hmac *h);

/* 1 when the n bytes of a and b are equal; the time does not depend on
 * where they differ. */
int crypto_equal(const void *a, const void *b, size_t n);

/* n random bytes from the kernel (getrandom); ERR_INTERNAL if it fails. */
int crypto_random(void *out, size_t n, struct err *e);

/* Lower-case hex of n bytes into out (2n + 1 bytes). Returns out. */
char *crypto_hex(const unsigned char *p, size_t n, char *out);
/* Exactly 2n hex digits (either case) into n bytes; -1 otherwise. */
int crypto_unhex(const char *s, unsigned char *out, size_t n);

#endif
