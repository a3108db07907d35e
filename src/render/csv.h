/* CSV for the officers' spreadsheets: UTF-8 with a BOM (Excel reads it as
 * UTF-8), every field quoted, and a field that a spreadsheet would take for a
 * formula (it starts with = + - @, a tab or a CR) made plain text by a
 * leading apostrophe, so a profile's or a user's text can never run as one. */
#ifndef SHINSA_CSV_H
#define SHINSA_CSV_H

#include "core/buf.h"

#define CSV_BOM "\xEF\xBB\xBF"

/* Append s (NULL: empty) as one quoted field, with the sticky appends. */
void csv_field(struct buf *b, const char *s);

/* Append n fields and the CRLF that ends a row. */
void csv_fields(struct buf *b, const char *const *fields, size_t n);

#endif
