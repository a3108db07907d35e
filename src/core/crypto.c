/* SHA-256, HMAC-SHA256, PBKDF2, AES-256-GCM, compare and random bytes (core/crypto.h), on nettle. */
#include "core/crypto.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <nettle/gcm.h>
#include <nettle/hmac.h>
#include <nettle/memops.h>
#include <nettle/pbkdf2.h>
#include <nettle/sha2.h>

struct crypto_hmac {
	struct hmac_sha256_ctx ctx;
};

void crypto_sha256(const void *p, size_t n, unsigned char out[CRYPTO_SHA256_LEN])
{
	struct sha256_ctx c;

	sha256_init(&c);
	sha256_update(&c, n, p);
	sha256_digest(&c, CRYPTO_SHA256_LEN, out);
}

void crypto_hmac_sha256(const void *key, size_t klen, const void *p, size_t n,
                        unsigned char out[CRYPTO_SHA256_LEN])
{
	struct hmac_sha256_ctx c;

	hmac_sha256_set_key(&c, klen, key);
	hmac_sha256_update(&c, n, p);
	hmac_sha256_digest(&c, CRYPTO_SHA256_LEN, out);
	explicit_bzero(&c, sizeof(c));
}

struct crypto_hmac *crypto_hmac_new(const void *key, size_t klen)
{
	struct crypto_hmac *h = malloc(sizeof(*h));

	if (!h)
		abort();
	hmac_sha256_set_key(&h->ctx, klen, key);
	return h;
}

void crypto_hmac_run(struct crypto_hmac *h, const void *p, size_t n, unsigned char out[CRYPTO_SHA256_LEN])
{
	/* nettle's digest leaves the context ready for the next message under
	 * the same key */
	hmac_sha256_update(&h->ctx, n, p);
	hmac_sha256_digest(&h->ctx, CRYPTO_SHA256_LEN, out);
}

void crypto_hmac_free(struct crypto_hmac *h)
{
	if (!h)
		return;
	explicit_bzero(h, sizeof(*h));
	free(h);
}

void crypto_pbkdf2_sha256(const void *pass, size_t plen, const void *salt, size_t slen,
                          unsigned iter, unsigned char *out, size_t n)
{
	pbkdf2_hmac_sha256(plen, pass, iter, slen, salt, n, out);
}

struct crypto_gcm {
	struct gcm_aes256_ctx ctx;
};

struct crypto_gcm *crypto_gcm_new(const unsigned char key[CRYPTO_GCM_KEY],
                                  const unsigned char nonce[CRYPTO_GCM_NONCE])
{
	struct crypto_gcm *g = malloc(sizeof(*g));

	if (!g)
		abort();
	gcm_aes256_set_key(&g->ctx, key);
	gcm_aes256_set_iv(&g->ctx, CRYPTO_GCM_NONCE, nonce);
	return g;
}

void crypto_gcm_aad(struct crypto_gcm *g, const void *p, size_t n)
{
	gcm_aes256_update(&g->ctx, n, p);
}

void crypto_gcm_encrypt(struct crypto_gcm *g, void *out, const void *in, size_t n)
{
	gcm_aes256_encrypt(&g->ctx, n, out, in);
}

void crypto_gcm_decrypt(struct crypto_gcm *g, void *out, const void *in, size_t n)
{
	gcm_aes256_decrypt(&g->ctx, n, out, in);
}

void crypto_gcm_tag(struct crypto_gcm *g, unsigned char tag[CRYPTO_GCM_TAG])
{
	gcm_aes256_digest(&g->ctx, CRYPTO_GCM_TAG, tag);
}

int crypto_gcm_check(struct crypto_gcm *g, const unsigned char tag[CRYPTO_GCM_TAG])
{
	unsigned char mine[CRYPTO_GCM_TAG];
	int same;

	gcm_aes256_digest(&g->ctx, CRYPTO_GCM_TAG, mine);
	same = crypto_equal(mine, tag, CRYPTO_GCM_TAG);
	explicit_bzero(mine, sizeof(mine));
	return same;
}

void crypto_gcm_free(struct crypto_gcm *g)
{
	if (!g)
		return;
	explicit_bzero(g, sizeof(*g));
	free(g);
}

int crypto_equal(const void *a, const void *b, size_t n)
{
	return memeql_sec(a, b, n) ? 1 : 0;
}

int crypto_random(void *out, size_t n, struct err *e)
{
	unsigned char *p = out;
	char why[ERR_ERRNO_MAX];
	size_t got = 0;

	while (got < n) {
		ssize_t k = getrandom(p + got, n - got, 0);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return err_set(e, ERR_INTERNAL, "乱数を得られません（%1$s） / cannot get random bytes (%1$s)",
			               err_errno_text(errno, why));
		}
		got += (size_t)k;
	}
	return OK;
}

char *crypto_hex(const unsigned char *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
	return out;
}

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int crypto_unhex(const char *s, unsigned char *out, size_t n)
{
	size_t i;

	if (strlen(s) != 2 * n)
		return -1;
	for (i = 0; i < n; i++) {
		int hi = nibble(s[2 * i]), lo = nibble(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}
