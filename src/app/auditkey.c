/* Making and checking the audit key file (app/auditkey.h). */
#include "app/auditkey.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

int auditkey_check(const char *path, struct err *e)
{
	struct stat st;
	char why[ERR_ERRNO_MAX];

	if (lstat(path, &st)) {
		if (errno == ENOENT)
			return err_set(e, ERR_NOTFOUND, "%1$s: 監査鍵がありません / no audit key at %1$s", path);
		return err_set(e, ERR_IO, "%1$s: 監査鍵を調べられません（%2$s） / cannot look at the audit key %1$s "
		               "(%2$s)", path, err_errno_text(errno, why));
	}
	/* a link could be pointed elsewhere by whoever can write its folder */
	if (!S_ISREG(st.st_mode))
		return err_set(e, ERR_INVALID, "%1$s: 監査鍵が通常のファイルではありません / the audit key %1$s is not "
		               "a regular file", path);
	if (st.st_mode & 077)
		return err_set(e, ERR_FORBIDDEN, "%1$s: 監査鍵のモードが %2$04o で、ほかの利用者に開かれています"
		               "（chmod 600 %1$s） / the audit key %1$s has mode %2$04o, open to other users "
		               "(chmod 600 %1$s)", path, (unsigned)(st.st_mode & 07777));
	if (st.st_size != AUDITKEY_BYTES)
		return err_set(e, ERR_INVALID, "%1$s: 監査鍵ではありません（%2$d バイトのはずが %3$lld バイト） / %1$s is "
		               "not an audit key (%2$d bytes, not %3$lld)", path, AUDITKEY_BYTES,
		               (long long)st.st_size);
	return OK;
}

int auditkey_create(const char *path, struct err *e)
{
	unsigned char key[AUDITKEY_BYTES];
	char why[ERR_ERRNO_MAX];
	size_t got = 0;
	int fd, rc = OK;

	while (got < sizeof(key)) {
		ssize_t k = getrandom(key + got, sizeof(key) - got, 0);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return err_set(e, ERR_INTERNAL, "乱数を得られません（%1$s） / cannot get random bytes (%1$s)",
			               err_errno_text(errno, why));
		}
		got += (size_t)k;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		int en = errno;

		explicit_bzero(key, sizeof(key));
		if (en == EEXIST)
			return err_set(e, ERR_EXISTS, "%1$s: 既にあるファイルは上書きしません / %1$s exists: it is never "
			               "overwritten", path);
		return err_set(e, ERR_IO, "%1$s: 監査鍵を作れません（%2$s） / cannot create the audit key %1$s (%2$s)",
		               path, err_errno_text(en, why));
	}
	/* 0600 whatever the umask was; then the bytes, on disk before we say so */
	if (fchmod(fd, 0600) || write(fd, key, sizeof(key)) != (ssize_t)sizeof(key) || fsync(fd)) {
		rc = err_set(e, ERR_IO, "%1$s: 監査鍵を書けません（%2$s） / cannot write the audit key %1$s (%2$s)",
		             path, err_errno_text(errno, why));
		close(fd);
		unlink(path);
	} else if (close(fd)) {
		rc = err_set(e, ERR_IO, "%1$s: 監査鍵を書けません（%2$s） / cannot write the audit key %1$s (%2$s)",
		             path, err_errno_text(errno, why));
		unlink(path);
	}
	explicit_bzero(key, sizeof(key));
	return rc;
}

int auditkey_read(const char *path, unsigned char key[AUDITKEY_BYTES], struct err *e)
{
	char why[ERR_ERRNO_MAX];
	size_t got = 0;
	int fd, rc;

	if ((rc = auditkey_check(path, e)))
		return rc;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, ERR_IO, "%1$s: 監査鍵を読めません（%2$s） / cannot read the audit key %1$s (%2$s)",
		               path, err_errno_text(errno, why));
	while (got < AUDITKEY_BYTES) {
		ssize_t k = read(fd, key + got, AUDITKEY_BYTES - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			rc = err_set(e, ERR_IO, "%1$s: 監査鍵を読めません / cannot read the audit key %1$s", path);
			explicit_bzero(key, AUDITKEY_BYTES);
			break;
		}
		got += (size_t)k;
	}
	close(fd);
	return rc;
}
