/* Cryptographic primitives over nettle (the GnuTLS family): SHA-256,
 * HMAC-SHA256 with a key set up once, PBKDF2-HMAC-SHA256, AES-256-GCM, a constant-time compare, random bytes
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

/* PBKDF2-HMAC-SHA256 (RFC 8018) of the password and salt, iter rounds,
 * into out (n bytes). */
void crypto_pbkdf2_sha256(const void *pass, size_t plen, const void *salt, size_t slen,
                          unsigned iter, unsigned char *out, size_t n);

/* AES-256-GCM (NIST SP 800-38D) with a 96-bit nonce and a 128-bit tag, for
 * data of any length in pieces: new (key, nonce), aad once before any data,
 * then encrypt or decrypt pieces in order (each but the last a multiple of
 * CRYPTO_GCM_BLOCK bytes: nettle's rule), then the tag. crypto_gcm_free
 * wipes the key. A decryption is good only if crypto_gcm_check says so: the
 * plaintext before that must not be trusted. */
#define CRYPTO_GCM_KEY 32
#define CRYPTO_GCM_NONCE 12
#define CRYPTO_GCM_TAG 16
#define CRYPTO_GCM_BLOCK 16
struct crypto_gcm;
struct crypto_gcm *crypto_gcm_new(const unsigned char key[CRYPTO_GCM_KEY],
                                  const unsigned char nonce[CRYPTO_GCM_NONCE]);
void crypto_gcm_aad(struct crypto_gcm *g, const void *p, size_t n);
void crypto_gcm_encrypt(struct crypto_gcm *g, void *out, const void *in, size_t n);
void crypto_gcm_decrypt(struct crypto_gcm *g, void *out, const void *in, size_t n);
void crypto_gcm_tag(struct crypto_gcm *g, unsigned char tag[CRYPTO_GCM_TAG]);
/* 1 when tag (the one received) is this decryption's, in constant time. */
int crypto_gcm_check(struct crypto_gcm *g, const unsigned char tag[CRYPTO_GCM_TAG]);
void crypto_gcm_free(struct crypto_gcm *g);

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
