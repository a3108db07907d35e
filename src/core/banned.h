/* Functions this project does not call, as in git's banned.h: they copy
 * without a bound, parse without reporting errors, keep hidden state that a
 * threaded server cannot share, or truncate without saying so. The build
 * includes this file before every source file (meson.build: -include), after
 * the system headers that declare them, so a call is a compile error naming
 * the function (poisoned, or for snprintf a name that says it is banned). Use instead:
 *   strcpy, strcat, strncpy, strncat   memcpy with a checked length, struct buf
 *   sprintf, vsprintf, snprintf,       fmt_snprintf (reports truncation) or
 *   vsnprintf                          buf_printf (core/fmt.h, core/buf.h)
 *   atoi, atol, atoll, atof            strtol/strtoll/strtod with an end pointer
 *   sscanf, scanf, fscanf, vsscanf     a parser that keeps positions as data
 *   strtok                             strtok_r, or a loop over the bytes
 *   gets                               fgets, or file_read_all (core/file.h) with a cap
 *   localtime, gmtime, ctime, asctime  localtime_r, gmtime_r (core/isotime.h)
 *   rand, srand                        getrandom (not guessable, no state)
 *   strerror                           err_errno_text (strerror_r)
 *   tmpnam, tempnam, mktemp            mkstemp */
#ifndef SHINSA_BANNED_H
#define SHINSA_BANNED_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SHINSA_BANNED(func) sorry_##func##_is_a_banned_function

/* Poisoned: any later mention of the name is a hard error ("attempt to use
 * poisoned"), and no #undef brings it back. */
#pragma GCC poison strcpy strcat strncpy strncat sprintf vsprintf gets atoi atol atoll atof
#pragma GCC poison strtok sscanf scanf fscanf vsscanf localtime gmtime ctime asctime rand srand
#pragma GCC poison tmpnam tempnam mktemp strerror

/* snprintf's result says whether it truncated; fmt_snprintf checks it. Only
 * core/fmt.c, buf.c and arena.c, which measure first, #undef these two
 * (tests/lint/banned.sh holds that list). */
#undef snprintf
#define snprintf SHINSA_BANNED(snprintf)
#undef vsnprintf
#define vsnprintf SHINSA_BANNED(vsnprintf)

#endif
