/* Replays every file under the given directories through a fuzz target, so
 * the corpus and every input that once crashed stay regression tests without
 * running the fuzzer itself. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/fmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f) {
		perror(path);
		return -1;
	}
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return -1;
	}
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	int i, bad = 0;

	for (i = 1; i < argc; i++) {
		DIR *d = opendir(argv[i]);
		struct dirent *de;

		if (!d) {
			fprintf(stderr, "%s: cannot open\n", argv[i]);
			return 1;
		}
		while ((de = readdir(d))) {
			char path[4096];
			struct stat st;
			int k;

			if (de->d_name[0] == '.')
				continue;
			k = fmt_snprintf(path, sizeof(path), "%s/%s", argv[i], de->d_name);
			if (k < 0 || stat(path, &st) || !S_ISREG(st.st_mode))
				continue;
			if (replay_file(path))
				bad++;
			count++;
		}
		closedir(d);
	}
	printf("replayed %zu inputs, %d unreadable\n", count, bad);
	if (count == 0) {
		fprintf(stderr, "no inputs found: the corpus is missing\n");
		return 1;
	}
	return bad ? 1 : 0;
}
