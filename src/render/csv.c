/* CSV fields: quoted, quotes doubled, formulas defused. */
#include "render/csv.h"

void csv_field(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	if (s && (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r'))
		buf_addc(b, '\'');
	for (; s && *s; s++) {
		if (*s == '"')
			buf_addc(b, '"');
		buf_addc(b, *s);
	}
	buf_addc(b, '"');
}

void csv_fields(struct buf *b, const char *const *fields, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			buf_addc(b, ',');
		csv_field(b, fields[i]);
	}
	buf_adds(b, "\r\n");
}
