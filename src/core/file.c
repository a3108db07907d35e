/* file_read_all: one capped read of a whole file for every caller. */
#include "core/file.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"

int file_read_all(struct arena *a, const char *path, size_t max, const char *what_ja, const char *what_en,
                  char **out, size_t *n, struct err *e)
{
	FILE *f;
	struct buf b;
	struct stat st;
	char tmp[65536], why[ERR_ERRNO_MAX];
	size_t k;
	int rc = OK, in = !strcmp(path, "-");

	if (!in && !stat(path, &st) && S_ISDIR(st.st_mode))
		return err_set(e, ERR_IO, "%1$s: ファイルではなくフォルダです / %1$s is a directory, not a file", path);
	f = in ? stdin : fopen(path, "rb");
	if (!f)
		return err_set(e, ERR_IO, "%1$s: %3$sを開けません（%2$s） / cannot open %4$s%1$s (%2$s)", path,
		               err_errno_text(errno, why), what_ja, what_en);
	buf_init(&b, max);
	while ((k = fread(tmp, 1, sizeof(tmp), f)) > 0)
		if (buf_append(&b, tmp, k)) {
			rc = err_set(e, ERR_TOOLARGE, "%1$s: 大きすぎます（%2$zu バイトまで） / %1$s is larger than "
			             "%2$zu bytes", path, max);
			goto out;
		}
	if (ferror(f)) {
		rc = err_set(e, ERR_IO, "%1$s: 読み取りに失敗しました（%2$s） / cannot read %1$s (%2$s)", path,
		             err_errno_text(errno, why));
		goto out;
	}
	*out = arena_strndup(a, buf_str(&b), b.len);
	*n = b.len;
out:
	buf_free(&b);
	if (!in)
		fclose(f);
	return rc;
}
