#!/usr/bin/env bash
# The functions this project does not call (src/core/banned.h, as git's
# banned.h): no source calls one, and the build refuses a file that does.
#   bash banned.sh SOURCE_DIR CC [CC ARGS…]
set -u
src=${1:?usage: banned.sh SOURCE_DIR CC…}; shift
banned=(strcpy strcat strncpy strncat sprintf vsprintf snprintf vsnprintf gets atoi atol atoll
        atof strtok sscanf scanf fscanf vsscanf localtime gmtime ctime asctime rand srand tmpnam
        tempnam mktemp)
pass=0 fail=0
re=$(IFS='|'; echo "${banned[*]}")
# 1. no call in the sources; snprintf and vsnprintf only where banned.h allows
hits=$(grep -rnE "(^|[^_[:alnum:]])($re)[[:space:]]*\(" "$src/src" "$src/tests" "$src/bench" \
        --include='*.c' --include='*.h' |
       grep -v '^[^:]*src/core/banned\.h:' |
       grep -vE '^[^:]*src/core/(fmt|buf|arena)\.c:[0-9]+:.*[^_[:alnum:]]v?snprintf\(' || true)
if [ -n "$hits" ]; then
  echo "banned functions called:"; echo "$hits"; fail=$((fail + 1))
else
  pass=$((pass + 1))
fi
# 2. the build's own flags turn each into a compile error; a clean file compiles
if [ $# -gt 0 ]; then
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  printf '#include <stdio.h>\nint probe(void);\nint probe(void) { return puts("ok"); }\n' > "$tmp/ok.c"
  if "$@" -include "$src/src/core/banned.h" -Werror -c "$tmp/ok.c" -o "$tmp/ok.o" 2>"$tmp/err"; then
    pass=$((pass + 1))
  else
    echo "a clean file does not compile with banned.h:"; cat "$tmp/err"; fail=$((fail + 1))
  fi
  # an #undef does not bring a poisoned one back
  printf '#include <string.h>\n#undef strcpy\nchar *probe(char *d);\nchar *probe(char *d) { return strcpy(d, "x"); }\n' > "$tmp/u.c"
  if "$@" -include "$src/src/core/banned.h" -Werror -c "$tmp/u.c" -o "$tmp/u.o" 2>/dev/null; then
    echo "#undef strcpy brings it back"; fail=$((fail + 1))
  else
    pass=$((pass + 1))
  fi
  for f in "${banned[@]}"; do
    printf '#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <time.h>\nvoid *probe(void);\nvoid *probe(void) { return (void *)&%s; }\n' "$f" > "$tmp/p.c"
    if "$@" -include "$src/src/core/banned.h" -Werror -c "$tmp/p.c" -o "$tmp/p.o" 2>"$tmp/err"; then
      echo "the build accepts $f"; fail=$((fail + 1))
    elif ! grep -q "sorry_${f}_is_a_banned_function" "$tmp/err" &&
         ! { grep -q "poisoned" "$tmp/err" && grep -qw "$f" "$tmp/err"; }; then
      echo "$f refused, but the message does not name it:"; cat "$tmp/err"; fail=$((fail + 1))
    else
      pass=$((pass + 1))
    fi
  done
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
