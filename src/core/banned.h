/* Functions this project does not call, as in git's banned.h: they copy
 * without a bound, parse without reporting errors, keep hidden state that a
 * threaded server cannot share, or truncate without saying so. The build
 * includes this file before every source file (meson.build: -include), after
 * the system headers that declare them, so a call is a compile error naming
 * the function. Use instead:
 *   strcpy, strcat, strncpy, strncat   memcpy with a checked length, struct buf
 *   sprintf, vsprintf, snprintf,       fmt_snprintf (reports truncation) or
 *   vsnprintf                          buf_printf (core/fmt.h, core/buf.h)
 *   atoi, atol, atoll, atof            strtol/strtoll/strtod with an end pointer
 *   sscanf, scanf, fscanf, vsscanf     a parser that keeps positions as data
 *   strtok                             strtok_r, or a loop over the bytes
 *   gets                               fgets, or cli_read_file with a cap
 *   localtime, gmtime, ctime, asctime  localtime_r, gmtime_r (core/isotime.h)
 *   rand, srand                        getrandom (not guessable, no state)
 *   tmpnam, tempnam, mktemp            mkstemp */
#ifndef SHINSA_BANNED_H
#define SHINSA_BANNED_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SHINSA_BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy SHINSA_BANNED(strcpy)
#undef strcat
#define strcat SHINSA_BANNED(strcat)
#undef strncpy
#define strncpy SHINSA_BANNED(strncpy)
#undef strncat
#define strncat SHINSA_BANNED(strncat)
#undef sprintf
#define sprintf SHINSA_BANNED(sprintf)
#undef vsprintf
#define vsprintf SHINSA_BANNED(vsprintf)
#undef gets
#define gets SHINSA_BANNED(gets)
#undef atoi
#define atoi SHINSA_BANNED(atoi)
#undef atol
#define atol SHINSA_BANNED(atol)
#undef atoll
#define atoll SHINSA_BANNED(atoll)
#undef atof
#define atof SHINSA_BANNED(atof)
#undef strtok
#define strtok SHINSA_BANNED(strtok)
#undef sscanf
#define sscanf SHINSA_BANNED(sscanf)
#undef scanf
#define scanf SHINSA_BANNED(scanf)
#undef fscanf
#define fscanf SHINSA_BANNED(fscanf)
#undef vsscanf
#define vsscanf SHINSA_BANNED(vsscanf)
#undef localtime
#define localtime SHINSA_BANNED(localtime)
#undef gmtime
#define gmtime SHINSA_BANNED(gmtime)
#undef ctime
#define ctime SHINSA_BANNED(ctime)
#undef asctime
#define asctime SHINSA_BANNED(asctime)
#undef rand
#define rand SHINSA_BANNED(rand)
#undef srand
#define srand SHINSA_BANNED(srand)
#undef tmpnam
#define tmpnam SHINSA_BANNED(tmpnam)
#undef tempnam
#define tempnam SHINSA_BANNED(tempnam)
#undef mktemp
#define mktemp SHINSA_BANNED(mktemp)

/* snprintf's result says whether it truncated; fmt_snprintf checks it. Only
 * core/fmt.c, buf.c and arena.c, which measure first, #undef these two
 * (tests/lint/banned.sh holds that list). */
#undef snprintf
#define snprintf SHINSA_BANNED(snprintf)
#undef vsnprintf
#define vsnprintf SHINSA_BANNED(vsnprintf)

#endif
