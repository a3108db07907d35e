#!/usr/bin/env bash
# Install the Debian 12 packages that shinsa needs to build, test and fuzz.
# Safe to run again: it installs only what is missing, and needs root (or sudo)
# only when something is missing.
set -euo pipefail

pkgs=(
  build-essential pkg-config meson ninja-build
  clang libclang-rt-14-dev       # the libFuzzer build and the sanitizer runtime
  libcmocka-dev                  # unit tests
  libyaml-dev                    # policy packs
  libsqlite3-dev                 # the store's default backend
  nettle-dev                     # SHA-256 and HMAC for the audit chain (GnuTLS's family)
  sqlite3                        # the audit tests tamper with a database as an intruder would
  python3                        # test data helpers
  nodejs npm                     # benchmarks against json-logic-js / json-logic-engine
)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# Node and npm may come from elsewhere than Debian (a newer Node already on PATH).
if command -v node >/dev/null && command -v npm >/dev/null; then
  keep=()
  for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || keep+=("$p"); done
  missing=("${keep[@]}")
fi
((${#missing[@]})) || exit 0

echo "installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
