#!/usr/bin/env bash
# The C functions this project does not use (as in git's banned.h): they copy
# without a bound or parse without reporting errors. snprintf, memcpy with a
# checked length, strtol/strtod with an end pointer and strtok_r are used instead.
set -u
src=${1:?usage: banned.sh SOURCE_DIR}
hits=$(grep -rnE '\b(strcpy|strcat|strncpy|strncat|sprintf|vsprintf|strtok|atoi|atol|atoll|atof|gets)[[:space:]]*\(' \
  "$src/src" "$src/tests" "$src/bench" --include='*.c' --include='*.h' | grep -vE '\b(snprintf|vsnprintf)\b' || true)
if [ -n "$hits" ]; then
  echo "banned functions:"
  echo "$hits"
  echo "0 passed, 1 failed"
  exit 1
fi
echo "1 passed, 0 failed"
