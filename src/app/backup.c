/* shinsa backup and restore (app/backup.h). */
#include "app/backup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/audit.h"
#include "core/buf.h"
#include "core/crypto.h"
#include "logic/jw.h"
#include "store/store.h"

#define CHUNK ((size_t)64 << 10)   /* a multiple of CRYPTO_GCM_BLOCK */
#define SQLITE_MAGIC "SQLite format 3"   /* and its NUL: 16 bytes */

static int io_fail(struct err *e, const char *what, const char *path)
{
	char why[ERR_ERRNO_MAX];

	return err_set(e, ERR_IO, "%1$s: %2$s できません（%3$s） / cannot %2$s %1$s (%3$s)", path, what,
	               err_errno_text(errno, why));
}

int backup_read_key_file(const char *path, unsigned char key[BACKUP_KEYFILE_BYTES], struct err *e)
{
	struct stat st;
	size_t got = 0;
	int fd, rc = OK;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return err_set(e, ERR_NOTFOUND, "%1$s: 鍵ファイルがありません / no key file at %1$s", path);
		if (errno == ELOOP)
			return err_set(e, ERR_INVALID, "%1$s: 鍵ファイルが通常のファイルではありません / the key file %1$s "
			               "is not a regular file", path);
		return io_fail(e, "read the key file", path);
	}
	if (fstat(fd, &st)) {
		rc = io_fail(e, "look at the key file", path);
	} else if (!S_ISREG(st.st_mode)) {
		rc = err_set(e, ERR_INVALID, "%1$s: 鍵ファイルが通常のファイルではありません / the key file %1$s is not a "
		             "regular file", path);
	} else if (st.st_mode & 077) {
		rc = err_set(e, ERR_FORBIDDEN, "%1$s: 鍵ファイルのモードが %2$04o で、ほかの利用者に開かれています"
		             "（chmod 600 %1$s） / the key file %1$s has mode %2$04o: group or others may use it "
		             "(chmod 600 %1$s)", path, (unsigned)(st.st_mode & 07777));
	} else if (st.st_size != BACKUP_KEYFILE_BYTES) {
		rc = err_set(e, ERR_INVALID, "%1$s: 鍵ファイルは %2$d バイトのはずが %3$lld バイトです / the key file %1$s "
		             "must be %2$d bytes, not %3$lld", path, BACKUP_KEYFILE_BYTES, (long long)st.st_size);
	}
	while (!rc && got < BACKUP_KEYFILE_BYTES) {
		ssize_t k = read(fd, key + got, BACKUP_KEYFILE_BYTES - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			rc = err_set(e, ERR_IO, "%1$s: 鍵ファイルを読めません / cannot read the key file %1$s", path);
		else
			got += (size_t)k;
	}
	if (rc)
		explicit_bzero(key, BACKUP_KEYFILE_BYTES);
	close(fd);
	return rc;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The key for a header's KDF from k: a key file, or the passphrase through
 * PBKDF2 with the header's salt and count. */
static int derive(const struct backup_key *k, int kdf, const unsigned char *salt, unsigned iter,
                  unsigned char key[CRYPTO_GCM_KEY], struct err *e)
{
	if (kdf == BACKUP_KDF_KEYFILE) {
		if (!k->key_file)
			return err_set(e, ERR_INVALID, "このバックアップは鍵ファイルで暗号化されています（--key-file FILE） / "
			               "this backup was encrypted with a key file: give --key-file FILE");
		return backup_read_key_file(k->key_file, key, e);
	}
	if (!k->pass)
		return err_set(e, ERR_INVALID, "このバックアップはパスフレーズで暗号化されています（--passphrase-stdin） / "
		               "this backup was encrypted with a passphrase: give --passphrase-stdin");
	crypto_pbkdf2_sha256(k->pass, k->plen, salt, BACKUP_SALT, iter, key, CRYPTO_GCM_KEY);
	return OK;
}

/* A temporary file beside path: DIR/.NAME.WHAT-XXXXXX, mode 0600, empty. */
static char *temp_beside(struct arena *a, const char *path, const char *what, int *fd, struct err *e)
{
	const char *slash = strrchr(path, '/');
	char *t;

	if (slash)
		t = arena_printf(a, "%.*s/.%s.%s-XXXXXX", (int)(slash - path), path, slash + 1, what);
	else
		t = arena_printf(a, "./.%s.%s-XXXXXX", path, what);
	*fd = mkostemp(t, O_CLOEXEC);
	if (*fd < 0) {
		io_fail(e, "create a temporary file beside", path);
		return NULL;
	}
	return t;
}

/*
 * An encrypted backup passes through a plaintext copy. That copy is made beside
 * the database (where the same data already lies in the clear), never beside
 * the backup, which may be on a share or a removable disk: a backup killed
 * midway (kill -9, power loss) leaves no plaintext where the encrypted file was
 * going. The name holds the pid, so the next backup removes what a dead one
 * left: DIR/.NAME.plain-PID-XXXXXX.
 */
static void sweep_plain(struct arena *a, const char *db)
{
	const char *slash = strrchr(db, '/');
	const char *dir = slash ? arena_printf(a, "%.*s", (int)(slash - db), db) : ".";
	const char *base = slash ? slash + 1 : db;
	const char *pre = arena_printf(a, ".%s.plain-", base);
	size_t n = strlen(pre);
	struct dirent *d;
	DIR *dh;

	if (slash == db)
		dir = "/";
	if (!(dh = opendir(dir)))
		return;
	while ((d = readdir(dh))) {
		char *end;
		long pid;

		if (strncmp(d->d_name, pre, n))
			continue;
		errno = 0;
		pid = strtol(d->d_name + n, &end, 10);
		if (errno || end == d->d_name + n || *end != '-' || pid <= 0)
			continue;
		if (kill((pid_t)pid, 0) && errno == ESRCH)
			unlinkat(dirfd(dh), d->d_name, 0);
	}
	closedir(dh);
}

static int write_all(int fd, const void *p, size_t n, const char *path, struct err *e)
{
	const unsigned char *q = p;

	while (n) {
		ssize_t k = write(fd, q, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return io_fail(e, "write", path);
		q += k;
		n -= (size_t)k;
	}
	return OK;
}

/* Up to n bytes; fewer only at the end of the file. */
static int read_full(int fd, void *p, size_t n, size_t *got, const char *path, struct err *e)
{
	unsigned char *q = p;

	*got = 0;
	while (*got < n) {
		ssize_t k = read(fd, q + *got, n - *got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return io_fail(e, "read", path);
		if (k == 0)
			break;
		*got += (size_t)k;
	}
	return OK;
}

static int sync_dir_of(struct arena *a, const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *dir = slash ? (slash == path ? "/" : arena_printf(a, "%.*s", (int)(slash - path), path)) : ".";
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* Encrypt the file plain (its size n) into fd: header, ciphertext, tag. */
static int encrypt_into(int in, int out, const char *dest, const unsigned char hdr[BACKUP_HEADER],
                        const unsigned char key[CRYPTO_GCM_KEY], long long *bytes, struct err *e)
{
	unsigned char *p = malloc(CHUNK), *c = malloc(CHUNK), tag[CRYPTO_GCM_TAG];
	struct crypto_gcm *g;
	size_t got;
	int rc;

	if (!p || !c)
		abort();
	g = crypto_gcm_new(key, hdr + 32);
	crypto_gcm_aad(g, hdr, BACKUP_HEADER);
	rc = write_all(out, hdr, BACKUP_HEADER, dest, e);
	*bytes = BACKUP_HEADER;
	while (!rc) {
		if ((rc = read_full(in, p, CHUNK, &got, dest, e)) || !got)
			break;
		crypto_gcm_encrypt(g, c, p, got);
		rc = write_all(out, c, got, dest, e);
		*bytes += (long long)got;
		if (got < CHUNK)
			break;
	}
	if (!rc) {
		crypto_gcm_tag(g, tag);
		rc = write_all(out, tag, sizeof(tag), dest, e);
		*bytes += CRYPTO_GCM_TAG;
	}
	crypto_gcm_free(g);
	explicit_bzero(p, CHUNK);
	free(p);
	free(c);
	return rc;
}

static void entry_json(struct buf *b, const char *file, const struct backup_result *r, long long entries)
{
	struct jw w;

	jw_init(&w, b);
	jw_obj(&w);
	jw_kstr(&w, "file", file);
	jw_key(&w, "encrypted");
	jw_bool(&w, r->encrypted);
	jw_key(&w, "kdf");
	jw_str(&w, r->kdf);
	if (r->kdf && !strcmp(r->kdf, "pbkdf2-sha256")) {
		jw_key(&w, "iterations");
		jw_int(&w, r->iterations);
	}
	jw_key(&w, "bytes");
	jw_int(&w, r->bytes);
	if (entries >= 0) {
		jw_key(&w, "entries");
		jw_int(&w, entries);
	}
	jw_end_obj(&w);
}

static int append_entry(struct arena *a, struct audit_log *log, struct store *s, const struct backup_req *r,
                        const char *action, struct backup_result *out, long long entries, struct err *e)
{
	struct audit_change c;
	struct buf b = BUF_INIT;
	int rc;

	entry_json(&b, r->file, out, entries);
	memset(&c, 0, sizeof(c));
	c.actor = r->actor;
	c.channel = r->channel;
	c.action = action;
	c.object_type = "store";
	c.object_id = store_backend(s);
	c.after = buf_error(&b) ? "{}" : arena_strdup(a, buf_done(&b));
	buf_free(&b);
	rc = audit_append(log, &c, &out->seq, e);
	return rc;
}

int app_backup(struct arena *a, const struct backup_req *r, struct backup_result *out, struct err *e)
{
	unsigned char key[CRYPTO_GCM_KEY], hdr[BACKUP_HEADER];
	struct store *s = NULL;
	struct audit_log *log = NULL;
	char *plain = NULL, *enc = NULL;
	const char *done;
	int pfd = -1, efd = -1, rc;
	struct stat st;

	memset(out, 0, sizeof(*out));
	memset(hdr, 0, sizeof(hdr));
	if (!lstat(r->file, &st))
		return err_set(e, ERR_EXISTS, "%1$s: 既にあるファイルは上書きしません / %1$s exists: a backup never "
		               "replaces a file", r->file);
	if (r->encrypt) {
		memcpy(hdr, BACKUP_MAGIC, 8);
		hdr[8] = BACKUP_VERSION;
		if (r->key.key_file) {
			hdr[9] = BACKUP_KDF_KEYFILE;
			out->kdf = "key-file";
		} else {
			hdr[9] = BACKUP_KDF_PBKDF2;
			put32(hdr + 12, BACKUP_PBKDF2_ITER);
			out->kdf = "pbkdf2-sha256";
			out->iterations = BACKUP_PBKDF2_ITER;
			if ((rc = crypto_random(hdr + 16, BACKUP_SALT, e)))
				return rc;
		}
		if ((rc = crypto_random(hdr + 32, CRYPTO_GCM_NONCE, e)))
			return rc;
		if ((rc = derive(&r->key, hdr[9], hdr + 16, BACKUP_PBKDF2_ITER, key, e)))
			return rc;
		out->encrypted = 1;
	}
	if ((rc = store_open(r->database, 0, &s, NULL, e)))
		goto out;
	out->location = arena_strdup(a, store_location(s));
	if ((rc = audit_open(s, r->audit_key, &log, e)))
		goto out;
	sweep_plain(a, out->location);
	if (!(plain = temp_beside(a, r->encrypt ? out->location : r->file,
	                          r->encrypt ? arena_printf(a, "plain-%ld", (long)getpid()) : "plain", &pfd, e))) {
		rc = ERR_IO;
		goto out;
	}
	if ((rc = store_backup(s, plain, e)))
		goto out;
	done = plain;
	if (r->encrypt) {
		if (!(enc = temp_beside(a, r->file, "enc", &efd, e))) {
			rc = ERR_IO;
			goto out;
		}
		if ((rc = encrypt_into(pfd, efd, r->file, hdr, key, &out->bytes, e)))
			goto out;
		if (fsync(efd)) {
			rc = io_fail(e, "sync", enc);
			goto out;
		}
		done = enc;
	} else {
		if (fsync(pfd) || fstat(pfd, &st)) {
			rc = io_fail(e, "sync", plain);
			goto out;
		}
		out->bytes = (long long)st.st_size;
	}
	/* link, not rename: a file that appeared meanwhile is not replaced */
	if (link(done, r->file)) {
		rc = errno == EEXIST ? err_set(e, ERR_EXISTS, "%1$s: 既にあるファイルは上書きしません / %1$s exists: a "
		                               "backup never replaces a file", r->file)
		                     : io_fail(e, "write the backup", r->file);
		goto out;
	}
	sync_dir_of(a, r->file);
	if ((rc = append_entry(a, log, s, r, "store.backup", out, -1, e))) {
		unlink(r->file);
		goto out;
	}
out:
	explicit_bzero(key, sizeof(key));
	if (pfd >= 0)
		close(pfd);
	if (efd >= 0)
		close(efd);
	if (plain)
		unlink(plain);
	if (enc)
		unlink(enc);
	audit_close(log);
	store_close(s);
	return rc;
}

/* Decrypt or copy the backup (fd in, its size n) into out. */
static int unpack(int in, long long n, int out, const char *tmp, const struct backup_req *r,
                  struct backup_result *res, struct err *e)
{
	unsigned char head[BACKUP_HEADER], key[CRYPTO_GCM_KEY], tag[CRYPTO_GCM_TAG], *p, *c;
	struct crypto_gcm *g = NULL;
	long long left;
	size_t got;
	unsigned iter = 0;
	int rc;

	if ((rc = read_full(in, head, sizeof(head), &got, r->file, e)))
		return rc;
	if (got >= 16 && !memcmp(head, SQLITE_MAGIC, 16)) {
		/* a plain backup: copied as it is */
		p = malloc(CHUNK);
		if (!p)
			abort();
		rc = write_all(out, head, got, tmp, e);
		while (!rc && !(rc = read_full(in, p, CHUNK, &got, r->file, e)) && got)
			rc = write_all(out, p, got, tmp, e);
		free(p);
		return rc;
	}
	if (got < 8 || memcmp(head, BACKUP_MAGIC, 8))
		return err_set(e, ERR_INVALID, "%1$s: shinsa のバックアップではありません / %1$s is not a shinsa backup "
		               "(neither an encrypted backup nor a SQLite file)", r->file);
	if (n < BACKUP_HEADER + CRYPTO_GCM_TAG)
		return err_set(e, ERR_INVALID, "%1$s: バックアップが途中で切れています / the backup %1$s is truncated",
		               r->file);
	if (head[8] != BACKUP_VERSION)
		return err_set(e, ERR_INVALID, "%1$s: バックアップの形式 %2$d は扱えません / the backup %1$s has format "
		               "version %2$d, which this shinsa does not know", r->file, head[8]);
	if (head[9] != BACKUP_KDF_KEYFILE && head[9] != BACKUP_KDF_PBKDF2)
		return err_set(e, ERR_INVALID, "%1$s: 鍵の種類 %2$d は扱えません / the backup %1$s names an unknown key "
		               "source %2$d", r->file, head[9]);
	if (head[9] == BACKUP_KDF_PBKDF2) {
		iter = get32(head + 12);
		if (iter < BACKUP_PBKDF2_ITER || iter > BACKUP_PBKDF2_ITER_MAX)
			return err_set(e, ERR_INVALID, "%1$s: PBKDF2 の回数 %2$u が範囲外です / the backup %1$s asks for %2$u "
			               "PBKDF2 iterations (%3$u to %4$u are accepted)", r->file, iter, BACKUP_PBKDF2_ITER,
			               BACKUP_PBKDF2_ITER_MAX);
	}
	res->encrypted = 1;
	res->kdf = head[9] == BACKUP_KDF_KEYFILE ? "key-file" : "pbkdf2-sha256";
	res->iterations = iter;
	if ((rc = derive(&r->key, head[9], head + 16, iter, key, e)))
		return rc;
	g = crypto_gcm_new(key, head + 32);
	explicit_bzero(key, sizeof(key));
	crypto_gcm_aad(g, head, BACKUP_HEADER);
	p = malloc(CHUNK);
	c = malloc(CHUNK);
	if (!p || !c)
		abort();
	left = n - BACKUP_HEADER - CRYPTO_GCM_TAG;
	while (!rc && left > 0) {
		size_t want = left < (long long)CHUNK ? (size_t)left : CHUNK;

		if ((rc = read_full(in, c, want, &got, r->file, e)))
			break;
		if (got != want) {
			rc = err_set(e, ERR_INVALID, "%1$s: バックアップが途中で切れています / the backup %1$s is truncated",
			             r->file);
			break;
		}
		crypto_gcm_decrypt(g, p, c, got);
		rc = write_all(out, p, got, tmp, e);
		left -= (long long)got;
	}
	if (!rc) {
		if ((rc = read_full(in, tag, sizeof(tag), &got, r->file, e)))
			;
		else if (got != sizeof(tag) || !crypto_gcm_check(g, tag))
			rc = err_set(e, ERR_INVALID, "%1$s: 復号できません。鍵が違うか、ファイルが書き換えられたか途中で切れています"
			             "（GCM の認証タグが合いません） / cannot decrypt %1$s: the key is wrong, or the file was "
			             "changed or cut short (the GCM tag does not match)", r->file);
	}
	explicit_bzero(p, CHUNK);
	free(p);
	free(c);
	crypto_gcm_free(g);
	return rc;
}

/* Check the unpacked copy through the store: it opens (shinsa's, not newer;
 * a backup of an older schema is brought up to date in the copy, which is
 * ours, before anything is replaced), SQLite finds it sound, its audit chain
 * verifies under the audit key. */
static int check_copy(struct arena *a, const char *tmp, const struct backup_req *r, long long *entries,
                      struct store_open_info *info, struct err *e)
{
	struct store *s = NULL;
	struct audit_log *log = NULL;
	struct audit_report rep;
	const char *problem;
	int rc;

	if ((rc = store_open(tmp, STORE_MIGRATE, &s, info, e)) || (rc = store_integrity(s, a, &problem, e))) {
		char inner[ERR_MSG_MAX];

		memcpy(inner, e->msg, sizeof(inner));
		inner[sizeof(inner) - 1] = '\0';
		rc = err_set(e, rc == ERR_INTERNAL ? ERR_INTERNAL : ERR_INVALID, "%1$s: バックアップのデータベースが"
		             "壊れているか使えません / the database in the backup %1$s is damaged or cannot be used: %2$s",
		             r->file, inner);
		goto out;
	}
	if (problem) {
		rc = err_set(e, ERR_INVALID, "%1$s: バックアップのデータベースが壊れています（%2$s） / the database in the "
		             "backup %1$s is damaged (integrity check: %2$s)", r->file, problem);
		goto out;
	}
	if ((rc = audit_open(s, r->audit_key, &log, e)) || (rc = audit_verify(log, a, NULL, &rep, e)))
		goto out;
	if (!rep.ok) {
		rc = err_set(e, ERR_INVALID, "%1$s: バックアップの監査ログが検証できません（%2$s） / the audit log in the "
		             "backup %1$s does not verify: %2$s", r->file, rep.detail ? rep.detail : "");
		goto out;
	}
	if (!rep.count) {
		/* every shinsa database has at least its store.init entry */
		rc = err_set(e, ERR_INVALID, "%1$s: バックアップの監査ログが空です / the audit log in the backup %1$s is "
		             "empty: every shinsa database has at least its store.init entry", r->file);
		goto out;
	}
	*entries = rep.count;
out:
	audit_close(log);
	store_close(s);
	return rc;
}

int app_restore(struct arena *a, const struct backup_req *r, struct backup_result *out, struct err *e)
{
	const char *target;
	char *tmp = NULL, *wal;
	int in = -1, tfd = -1, rc;
	long long entries = 0;
	struct stat st;
	struct store *s = NULL;
	struct audit_log *log = NULL;
	struct store_open_info info;

	memset(out, 0, sizeof(*out));
	memset(&info, 0, sizeof(info));
	if ((rc = store_target_file(a, r->database, &target, e)))
		return rc;
	if (!target)
		return err_set(e, ERR_INVALID, "%s: サーバーのデータベースには restore を使えません / restore replaces a "
		               "database file; %s is kept on a server", r->database, r->database);
	out->location = target;
	in = open(r->file, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		if (errno == ENOENT)
			return err_set(e, ERR_NOTFOUND, "%1$s: バックアップがありません / no backup at %1$s", r->file);
		return io_fail(e, "read", r->file);
	}
	if (fstat(in, &st) || !S_ISREG(st.st_mode)) {
		rc = err_set(e, ERR_INVALID, "%1$s: 通常のファイルではありません / %1$s is not a regular file", r->file);
		goto out;
	}
	out->bytes = (long long)st.st_size;
	if (!(tmp = temp_beside(a, target, "restore", &tfd, e))) {
		rc = ERR_IO;
		goto out;
	}
	if ((rc = unpack(in, (long long)st.st_size, tfd, tmp, r, out, e)))
		goto out;
	if (fsync(tfd)) {
		rc = io_fail(e, "sync", tmp);
		goto out;
	}
	close(tfd);
	tfd = -1;
	if ((rc = check_copy(a, tmp, r, &entries, &info, e)))
		goto out;
	/* The database's own WAL must not outlive it: a last connection's close
	 * checkpoints and removes it; one that stays means shinsa is running. */
	if (!lstat(target, &st) && !store_open(r->database, 0, &s, NULL, e))
		store_close(s);
	s = NULL;
	err_clear(e);
	wal = arena_printf(a, "%s-wal", target);
	if (!lstat(wal, &st) && st.st_size > 0) {
		rc = err_set(e, ERR_IO, "%1$s: データベースが使用中です（%2$s があります）。shinsa を止めてから戻してください / "
		             "%1$s is in use (%2$s is there): stop shinsa before restoring", target, wal);
		goto out;
	}
	unlink(wal);
	unlink(arena_printf(a, "%s-shm", target));
	if (rename(tmp, target)) {
		rc = io_fail(e, "replace the database with", tmp);
		goto out;
	}
	tmp = NULL;
	sync_dir_of(a, target);
	if ((rc = store_open(r->database, 0, &s, NULL, e)) || (rc = audit_open(s, r->audit_key, &log, e)))
		goto out;
	rc = append_entry(a, log, s, r, "store.restore", out, entries, e);
	out->entries = entries;
	out->schema_before = info.version_before;
	out->schema = info.version;
	if (!rc && info.applied) {
		/* the backup's older schema was brought up to date: recorded as init would */
		struct audit_change c;

		memset(&c, 0, sizeof(c));
		c.actor = r->actor;
		c.channel = r->channel;
		c.action = "store.migrate";
		c.object_type = "store";
		c.object_id = store_backend(s);
		c.before = arena_printf(a, "{\"schema\":%d}", info.version_before);
		c.after = arena_printf(a, "{\"schema\":%d}", info.version);
		c.comment = "restore";
		rc = audit_append(log, &c, &out->seq, e);
	}
out:
	if (in >= 0)
		close(in);
	if (tfd >= 0)
		close(tfd);
	if (tmp) {
		unlink(tmp);
		unlink(arena_printf(a, "%s-wal", tmp));
		unlink(arena_printf(a, "%s-shm", tmp));
	}
	audit_close(log);
	store_close(s);
	return rc;
}
