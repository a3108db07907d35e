/* Reading input files whole, naming the file mistakes a person makes. */
#include "assess/input.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"

void input_position(const char *text, size_t off, uint32_t *line, uint32_t *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == '\n') {
			(*line)++;
			*col = 1;
		} else if ((c & 0xC0) != 0x80) {
			(*col)++;          /* count characters, not the bytes of one */
		}
	}
}

int input_read(struct arena *a, const char *file, size_t max, char **text, size_t *n, struct diag *err)
{
	FILE *f = fopen(file, "rb");
	struct buf b;
	struct stat st;
	char tmp[65536];
	size_t k;
	int rc;

	if (!f) {
		char why[ERR_ERRNO_MAX];

		diag_add(err, file, 0, 0, "ファイルを開けません（%1$s） / cannot open the file (%1$s)",
		         err_errno_text(errno, why));
		return ERR_IO;
	}
	/* fopen opens a directory on Linux and fread then fails: say what it is */
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		diag_add(err, file, 0, 0, "これはフォルダです。ファイルを指定してください / this is a directory, not a file"
		         " (for every profile in a directory: shinsa matrix --dir)");
		return ERR_INVALID;
	}
	buf_init(&b, max);
	while ((k = fread(tmp, 1, sizeof(tmp), f)) > 0)
		if (buf_append(&b, tmp, k)) {
			fclose(f);
			buf_free(&b);
			diag_add(err, file, 0, 0, "ファイルが大きすぎます（%1$zu MiB まで） / file larger than %1$zu MiB",
			         max >> 20);
			return ERR_TOOLARGE;
		}
	rc = ferror(f) ? ERR_IO : OK;
	fclose(f);
	if (rc) {
		buf_free(&b);
		diag_add(err, file, 0, 0, "ファイルを読めません / cannot read the file");
		return rc;
	}
	rc = input_text(a, file, b.len ? b.data : "", b.len, max, text, err);
	if (rc == OK)
		*n = b.len;
	buf_free(&b);
	return rc;
}

int input_text(struct arena *a, const char *file, const char *data, size_t n, size_t max, char **text,
               struct diag *err)
{
	const char *nul;

	if (n > max) {
		diag_add(err, file, 0, 0, "ファイルが大きすぎます（%1$zu MiB まで） / file larger than %1$zu MiB",
		         max >> 20);
		return ERR_TOOLARGE;
	}
	if (n && (nul = memchr(data, '\0', n))) {
		uint32_t line, col;

		input_position(data, (size_t)(nul - data), &line, &col);
		diag_add(err, file, line, col, "NUL バイト（\\0）があります。テキストのファイルではありません / a NUL byte"
		         " (\\0): this is not a text file");
		return ERR_INVALID;
	}
	*text = arena_strndup(a, n ? data : "", n);
	return OK;
}
